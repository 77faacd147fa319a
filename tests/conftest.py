"""Shared fixtures: every test runs in its own repository, with repetend's globals reset."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from repetend.capture import record as capture
from repetend.plugins import registry

REPO_ROOT = Path(__file__).resolve().parents[1]
# Small subsets of real, hand-written corpora kept in the repository (each with its licence and
# a SOURCE.md saying where it came from), so the tests pass on a clone with nothing beside it.
CORPORA = REPO_ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No REPETEND_* settings leak in from the shell; no store or plugin state leaks out."""
    for name in list(os.environ):
        if name.startswith("REPETEND_") or name == "DISABLE_PATTERN_AUTOMATION":
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    # Neither git nor repetend looks for a repository above the test's own folders: a stray
    # `.repetend/` or `.git` in a parent of the temporary folders must not change a test.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the entry-point cache
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))  # not the tester's own
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # capture outside an opt-in
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.com")
    registry.reset()
    yield
    capture.close_stores()
    registry.reset()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh git repository, made the current folder."""
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    (root / ".repetend").mkdir()  # opted in: capture writes only where a repository chose it
    monkeypatch.chdir(root)
    return root
