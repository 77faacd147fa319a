"""Reports: the weekly report of pattern use, and the schedules that make it.

Start with `weekly` (the figures, all read from the store) and `weekly_markdown` (the page
written to .repetend/reports/weekly/); `schedules` holds the GitHub Actions workflow that
`repetend init --ci github` writes. May import `patterns`, `store`, `config` and the base
modules.
"""
