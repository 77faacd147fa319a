"""`repetend hooks install|uninstall|status` on real repositories, with real commits."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import commit, repetend, run, spool_empty, wait_for, write
from tests.capture.portable import path_without_repetend

OLD_PRE_COMMIT = "#!/bin/sh\necho old pre-commit ran >&2\nexit ${OLD_HOOK_EXIT:-0}\n"
OLD_POST_COMMIT = "#!/bin/sh\necho old post-commit ran >&2\n"


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in sorted(folder.iterdir())
        if not p.name.endswith(".sample")
    }


def _states(root: Path) -> dict[str, str]:
    report = json.loads(repetend(root, "hooks", "status", "--json").stdout)
    return {row["hook"]: row["state"] for row in report["hooks"]}


def test_install_writes_both_hooks_and_uninstall_leaves_nothing(repo: Path) -> None:
    hooks = repo / ".git" / "hooks"
    before = _snapshot(hooks)
    assert _states(repo) == {"pre-commit": "absent", "post-commit": "absent"}
    repetend(repo, "hooks", "install")
    assert _states(repo) == {"pre-commit": "installed", "post-commit": "installed"}
    for hook in ("pre-commit", "post-commit"):
        assert os.access(hooks / hook, os.X_OK)
    assert json.loads(repetend(repo, "hooks", "uninstall", "--json").stdout) == [
        {"hook": "pre-commit", "done": "removed"},
        {"hook": "post-commit", "done": "removed"},
    ]
    assert _snapshot(hooks) == before


def test_existing_hooks_are_chained_and_restored_exactly(repo: Path) -> None:
    hooks = repo / ".git" / "hooks"
    (hooks / "pre-commit").write_text(OLD_PRE_COMMIT)
    (hooks / "pre-commit").chmod(0o750)
    (hooks / "post-commit").write_text(OLD_POST_COMMIT)
    (hooks / "post-commit").chmod(0o755)
    before = _snapshot(hooks)
    repetend(repo, "hooks", "install")
    assert _states(repo) == {"pre-commit": "chained", "post-commit": "chained"}
    write(repo, "a.txt", "a\n")
    done = commit(repo, "first")
    assert done.returncode == 0
    assert "old pre-commit ran" in done.stderr
    assert "old post-commit ran" in done.stderr
    repetend(repo, "hooks", "uninstall")
    assert _snapshot(hooks) == before


def test_a_failing_chained_pre_commit_still_blocks(repo: Path, monkeypatch) -> None:
    hooks = repo / ".git" / "hooks"
    (hooks / "pre-commit").write_text(OLD_PRE_COMMIT)
    (hooks / "pre-commit").chmod(0o755)
    repetend(repo, "hooks", "install")
    monkeypatch.setenv("OLD_HOOK_EXIT", "1")
    write(repo, "a.txt", "a\n")
    assert commit(repo, "blocked").returncode == 1
    assert run(repo, "git", "rev-list", "--all").stdout == ""


def test_core_hooks_path_is_honoured(repo: Path) -> None:
    run(repo, "git", "config", "core.hooksPath", "githooks")
    repetend(repo, "hooks", "install")
    assert (repo / "githooks" / "post-commit").is_file()
    assert not (repo / ".git" / "hooks" / "post-commit").exists()
    write(repo, "a.txt", "a\n")
    assert commit(repo, "first").returncode == 0
    wait_for(lambda: spool_empty(repo))
    repetend(repo, "hooks", "uninstall")
    assert sorted(p.name for p in (repo / "githooks").iterdir()) == []


def test_install_twice_never_chains_itself(repo: Path) -> None:
    repetend(repo, "hooks", "install")
    again = json.loads(repetend(repo, "hooks", "install", "--json").stdout)
    assert [(row["hook"], row["state"]) for row in again] == [
        ("pre-commit", "installed"),
        ("post-commit", "installed"),
    ]
    assert _states(repo) == {"pre-commit": "installed", "post-commit": "installed"}
    assert not list((repo / ".git" / "hooks").glob("*.repetend-chained"))


def test_a_leftover_chained_hook_is_a_one_line_error(repo: Path) -> None:
    hooks = repo / ".git" / "hooks"
    (hooks / "pre-commit").write_text(OLD_PRE_COMMIT)
    (hooks / "pre-commit.repetend-chained").write_text(OLD_PRE_COMMIT)
    result = repetend(repo, "hooks", "install", check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "pre-commit.repetend-chained already exists" in result.stderr


def test_status_reports_a_foreign_hook_and_a_missing_interpreter(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_without_repetend())
    (repo / ".git" / "hooks" / "post-commit").write_text(OLD_POST_COMMIT)
    repetend(repo, "hooks", "install", "--python", str(repo / "gone" / "python"))
    run(repo, "mv", ".git/hooks/post-commit", ".git/hooks/other")
    (repo / ".git" / "hooks" / "post-commit").write_text(OLD_POST_COMMIT)
    text = repetend(repo, "hooks", "status").stdout
    assert "post-commit  foreign" in text
    assert "which is gone; reinstall" in text
