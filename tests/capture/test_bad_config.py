"""A bad configuration never breaks what is being captured: one warning, then the defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.conftest import Repetend, stored_events
from tests.capture.git.gitrepo import commit, events, spool_empty, wait_for, write

PROGRAM = """
import repetend

with repetend.record("deploy", inputs={"env": "prod"}):
    pass

@repetend.record("build")
def build(target):
    return {"ok": True}

build("wheel")
print(repetend.record_event("ci", "note", {"n": 1}))
"""

BAD = {
    "yaml key": (".repetend/config.yaml", "min_exampels: 3\n", {}, "min_exampels"),
    "toml value": ("pyproject.toml", '[tool.repetend]\nmin_examples = "many"\n', {}, "many"),
    "environment": ("", "", {"REPETEND_MIN_EXAMPLES": "abc"}, "REPETEND_MIN_EXAMPLES"),
}


def spoil(repo: Path, case: str) -> dict[str, str]:
    path, text, env, _ = BAD[case]
    if path:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    return {**os.environ, **env}


@pytest.mark.parametrize("case", sorted(BAD))
def test_record_decorator_and_record_event_warn_once_and_store(repo: Path, case: str) -> None:
    env = spoil(repo, case)
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
    (warning,) = done.stderr.splitlines()
    assert warning.startswith("repetend: warning: ") and BAD[case][3] in warning
    assert "default settings" in warning
    from repetend.store import SQLiteStore

    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    try:
        assert sorted(e.kind for e in store.executions()) == ["build", "deploy"]
    finally:
        store.close()
    assert [e.kind for e in stored_events(repo, "ci")] == ["note"]


def test_run_always_runs_its_command(repo: Path, repetend: Repetend) -> None:
    done = repetend("run", "--", "echo", "RAN", env={"REPETEND_STRICT": "maybe"})
    assert (done.returncode, done.stdout) == (0, "RAN\n")
    assert done.stderr.count("repetend: warning:") == 1 and "REPETEND_STRICT" in done.stderr
    assert [e.payload["command"] for e in stored_events(repo, "run")] == ["echo RAN"]


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_agent_hook_stores_with_the_defaults(repo: Path, repetend: Repetend, case: str) -> None:
    env = spoil(repo, case)
    payload = {"session_id": "c1", "hook_event_name": "SessionStart", "source": "startup"}
    done = repetend("ingest", "claude-code", stdin=json.dumps(payload), env=env)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.count("repetend: warning:") == 1
    assert [e.kind for e in stored_events(repo, "claude-code")] == ["session-start"]


def test_the_git_hooks_record_the_commit_with_the_defaults(repo: Path, repetend: Repetend) -> None:
    assert repetend("hooks", "install").returncode == 0
    (repo / ".repetend" / "config.yaml").write_text("strict: maybe\n")
    write(repo, "a.md", "# a\n")
    write(repo, "b.md", "# b\n")  # two new files: the pre-commit check runs
    done = commit(repo, "two")
    assert done.returncode == 0, done.stderr
    assert "pre-commit check failed" not in done.stderr
    assert done.stderr.count("repetend: warning:") == 1 and "strict" in done.stderr
    wait_for(lambda: spool_empty(repo) and bool(events(repo, "git")))
    assert events(repo, "git")[0]["subject"] == "two"
