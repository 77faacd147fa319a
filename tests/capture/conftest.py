"""Capture test fixtures: run repetend as a subprocess, read what it stored, require a shell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from repetend.events import Event
from repetend.store import SQLiteStore

Repetend = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A spool folder of this test's own for the shell integration."""
    folder = tmp_path / "spool"
    monkeypatch.setenv("REPETEND_SPOOL_DIR", str(folder))
    return folder


@pytest.fixture
def repetend() -> Repetend:
    """Run `python -m repetend ARGS…` in the current folder; return the completed process."""

    def call(
        *args: str, stdin: str | None = None, **options: Any
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "repetend", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, **options.pop("env", {})},
            **options,
        )

    return call


def stored_events(root: Path, source: str | None = None) -> list[Event]:
    """Every event in the repository's store, oldest first."""
    path = root / ".repetend" / "repetend.db"
    if not path.exists():
        return []
    store = SQLiteStore(path)
    try:
        return list(store.events(source=source))
    finally:
        store.close()


def require_shell(name: str) -> None:
    """Go on only where `name` runs: a failure where CI promised it, else a skip.

    `.ci/run` installs zsh and fish (or says it cannot) and sets
    REQUIRE_SHELL_TESTS when both are there, so in CI a missing shell is a
    failing test, not a quiet skip; a developer's machine without them skips.
    """
    if shutil.which(name) is not None:
        return
    if os.environ.get("REQUIRE_SHELL_TESTS"):
        pytest.fail(f"{name} is not installed, but REQUIRE_SHELL_TESTS says it must be")
    pytest.skip(f"{name} is not installed here")
