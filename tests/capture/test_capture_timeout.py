"""Every capture point waits at most `capture_timeout` on a locked store, then spools and goes on.

The lock is real: a second process holds `BEGIN IMMEDIATE` on the SQLite store.
What could not be stored is stored by the next `repetend` command: nothing is lost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.capture.conftest import Repetend, stored_events
from tests.capture.git.gitrepo import events, run, write
from tests.capture.git.gitrepo import repetend as repetend_in
from tests.store.locker import hold_write_lock

TIMEOUT = 1.0
SLACK = 10.0  # start-ups and git on a loaded machine; the lock is held for ever (it was 120 s)

RECORD = """
import sys, time, repetend
started = time.monotonic()
with repetend.record("deploy", inputs={"env": "prod"}):
    pass
print(time.monotonic() - started)
"""


def configured(repo: Path, repetend: Repetend) -> Path:
    """A repository with a store and `capture_timeout: 1`."""
    assert repetend("init").returncode == 0
    (repo / ".repetend" / "config.yaml").write_text(f"capture_timeout: {TIMEOUT}\n")
    return repo / ".repetend" / "repetend.db"


def test_record_waits_at_most_capture_timeout_and_the_next_command_stores_it(
    repo: Path, repetend: Repetend
) -> None:
    store = configured(repo, repetend)
    with hold_write_lock(store):
        done = subprocess.run(
            [sys.executable, "-c", RECORD], cwd=repo, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert float(done.stdout) < TIMEOUT + SLACK
        assert done.stderr.count("repetend: warning:") == 1
        assert "kept in" in done.stderr
    assert repetend("status").returncode == 0
    assert stored_events(repo) == []
    from repetend.store import SQLiteStore

    opened = SQLiteStore(store)
    try:
        (execution,) = list(opened.executions())
    finally:
        opened.close()
    assert (execution.kind, execution.inputs) == ("deploy", {"env": "prod"})
    assert not list((repo / ".repetend" / "spool" / "events").iterdir())


def test_a_commit_with_new_files_waits_at_most_capture_timeout(
    repo: Path, repetend: Repetend
) -> None:
    store = configured(repo, repetend)
    repetend_in(repo, "hooks", "install")
    write(repo, "docs/a.md", "# a\n")
    write(repo, "docs/b.md", "# b\n")  # two new files: the pre-commit check runs
    run(repo, "git", "add", "-A")
    with hold_write_lock(store):
        started = time.monotonic()
        done = run(repo, "git", "commit", "-q", "-m", "two new files", check=False)
        took = time.monotonic() - started
        assert done.returncode == 0, done.stderr
        assert took < TIMEOUT + SLACK, took
        time.sleep(TIMEOUT + 1)  # the detached drain gives up too (if it started), leaving the sha
    repetend_in(repo, "status")  # whether the drain or this command ingests it, it is there once
    (recorded,) = events(repo, "git")
    assert recorded["subject"] == "two new files"


def test_the_agent_hook_waits_at_most_capture_timeout_and_keeps_the_payload(
    repo: Path, repetend: Repetend
) -> None:
    store = configured(repo, repetend)
    base = {"session_id": "c1", "tool_name": "Bash", "tool_use_id": "t1", "cwd": str(repo)}
    payloads = [
        {**base, "hook_event_name": "PreToolUse", "tool_input": {"command": "make"}},
        {**base, "hook_event_name": "PostToolUse", "tool_input": {"command": "make"}},
    ]
    with hold_write_lock(store):
        for payload in payloads:
            started = time.monotonic()
            done = repetend("ingest", "claude-code", stdin=json.dumps(payload))
            assert time.monotonic() - started < TIMEOUT + SLACK
            assert (done.returncode, done.stdout) == (0, "")
            assert "kept in" in done.stderr
    assert repetend("status").returncode == 0
    (event,) = stored_events(repo, "claude-code")
    assert event.kind == "tool_use"
    assert event.payload["duration_ms"] is not None  # paired with its PreToolUse, as it came


def test_shell_commands_a_locked_store_cannot_take_stay_spooled(
    repo: Path, repetend: Repetend, spool: Path
) -> None:
    store = configured(repo, repetend)
    spool.mkdir()
    line = f"1700000000000000\t1000\t0\t{repo}\tsh-1\tmake test\n"
    (spool / "zsh-1.tsv").write_text(line)
    with hold_write_lock(store):
        started = time.monotonic()
        done = repetend("shell-flush")
        assert time.monotonic() - started < TIMEOUT + SLACK
        assert done.returncode == 0
        assert stored_events(repo, "shell") == []
    (kept,) = list(spool.glob("*.tsv"))
    assert "make test" in kept.read_text()
    repetend("shell-flush")
    assert [e.payload["command"] for e in stored_events(repo, "shell")] == ["make test"]
