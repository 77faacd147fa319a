"""Hooks find their interpreter when they run: after the virtual environment moves, in a clone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import commit, events, repetend, run, spool_empty, wait_for, write
from tests.capture.portable import make_venv, path_without_repetend


def test_hooks_keep_working_after_their_virtual_environment_is_moved(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_venv(tmp_path / "env-first")
    installed = run(repo, str(first / "bin" / "python"), "-m", "repetend", "hooks", "install")
    assert installed.returncode == 0, installed.stderr
    moved = tmp_path / "env-renamed"
    os.rename(first, moved)  # the recorded interpreter and the script's `#!` line now point nowhere
    monkeypatch.setenv("PATH", os.pathsep.join([str(moved / "bin"), path_without_repetend()]))
    write(repo, "docs/a.md", "# a\n")
    write(repo, "docs/b.md", "# b\n")  # two new files: the pre-commit check starts Python too
    done = commit(repo, "after the move")
    assert done.returncode == 0
    assert [line for line in done.stderr.splitlines() if "repetend" in line] == []
    wait_for(lambda: spool_empty(repo) and bool(events(repo, "git")))
    status = json.loads(repetend(repo, "hooks", "status", "--json").stdout)
    assert {row["python"] for row in status["hooks"]} == {str(moved / "bin" / "python")}
    assert all(row["python_found"] for row in status["hooks"])


def test_a_hook_whose_recorded_interpreter_is_missing_runs_the_repetend_on_path(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A teammate's clone: the hooks name an interpreter this machine does not have.
    repetend(repo, "hooks", "install", "--python", str(tmp_path / "elsewhere" / "bin" / "python"))
    mine = make_venv(tmp_path / "my-env")
    monkeypatch.setenv("PATH", os.pathsep.join([str(mine / "bin"), path_without_repetend()]))
    write(repo, "a.txt", "a\n")
    done = commit(repo, "in a clone")
    assert (done.returncode, [ln for ln in done.stderr.splitlines() if "repetend" in ln]) == (0, [])
    wait_for(lambda: spool_empty(repo) and bool(events(repo, "git")))


def test_a_repetend_in_the_repository_on_a_relative_path_entry_never_runs(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran.txt"
    repetend(repo, "hooks", "install")
    for name in ("repetend", "python"):  # what a `.` on PATH would find beside each other
        planted = repo / name
        planted.write_text(f"#!/bin/sh\necho {name} >> {marker}\n")
        planted.chmod(0o755)
    monkeypatch.setenv("PATH", os.pathsep.join([".", path_without_repetend()]))
    write(repo, "a.txt", "a\n")
    done = commit(repo, "with a planted interpreter")
    assert done.returncode == 0, done.stderr
    wait_for(lambda: spool_empty(repo) and bool(events(repo, "git")))
    assert not marker.exists()
