"""Capture: everything that turns a developer's activity into events.

`record()` and `record_event()` (in `capture.record`) for any program; the git
hooks, their installer and the commit spool (`capture.git`); the file watcher
(`capture.watch`); the pytest plugin (`capture.pytest`); command capture and the
shell integration (`capture.commands`, `capture.shell`); agent tool-use and
JSONL ingestion (`capture.agent`, `capture.jsonl`).

Capture sits above the miners: it may import `suggest`, the miners (`files`,
`templates`, `executions`, `sequences`, `failures`), `patterns`, `plugins`,
`store`, `config` and the base modules, never `cli`. This module imports nothing:
the hooks import single modules of the package and must stay light.
"""
