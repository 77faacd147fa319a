"""Patterns: candidates reviewed into files under `.repetend/patterns/`, with their lifecycle.

Start with `lifecycle` (propose, classify, review). May import `plugins`, `store`,
`config` and the base modules; the miners above it hand it their candidates.
"""
