"""Failures: what repetend learns from errors. Today: `signatures`, the normalised signature
of an error, so the same bug gives the same signature each time it recurs.

Anti-patterns, flaky tests and recovery rules will live here. May import
`patterns`, `plugins`, `store`, `config` and the base modules; capture imports it.
"""
