"""Fixtures for the watcher tests: a repository with the test plugin installed."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.installed_plugin import install_test_plugin


@pytest.fixture
def plugged(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The `repo` fixture with the test plugin installed as a real entry point."""
    install_test_plugin(tmp_path / "site", monkeypatch)
    return repo


@pytest.fixture(autouse=True)
def ctrl_c_reaches_the_watchers() -> Iterator[None]:
    """Let the watchers these tests start receive Ctrl-C, as in a terminal.

    A test run started in the background (`pytest &` in a script) ignores SIGINT,
    and every process it starts would inherit that: each watcher would then sit
    out its Ctrl-C and fail its test after a long wait, for no fault of its own.
    """
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
