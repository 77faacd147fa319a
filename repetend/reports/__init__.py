"""Reports: the weekly report of pattern use, the monthly clean-up, and the schedules.

Start with `weekly` (reads the week's figures from the store into `figures`, with the
`actions` they call for) and `weekly_markdown` (the page written to
.repetend/reports/weekly/); `cleanup` archives idle patterns; `schedules` holds the GitHub
Actions workflow that `repetend init --ci github` writes. May import `patterns`, `store`,
`config` and the base modules.
"""
