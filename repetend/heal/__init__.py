"""Heal: learn recovery rules, anti-patterns and flaky tests from failures, and apply a fix safely.

`learn` runs the failure miners (`repetend.failures`) and writes what they find;
`sandbox` is the git worktree a fix is tried in; `apply` finds the rules for a
failure, tries one in the sandbox, verifies, brings the change back (or rolls
back) and records the heal as a use of the rule (metrics, circuit breaker,
quarantine). Sits above `uses` and `failures`; the CLI imports it.
"""
