"""Patterns: candidates reviewed into files under `.repetend/patterns/`, with their lifecycle."""
