"""Fixtures for the watcher tests: a repository with the test plugin installed."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from tests.installed_plugin import install_test_plugin


@pytest.fixture
def plugged(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The `repo` fixture with the test plugin installed as a real entry point."""
    install_test_plugin(tmp_path / "site", monkeypatch)
    return repo


TERMINATIONS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@pytest.fixture(autouse=True)
def terminations_reach_the_watchers() -> Iterator[None]:
    """Let the watchers these tests start receive Ctrl-C, SIGTERM and SIGHUP, as in a terminal.

    A test run started in the background (`pytest &` in a script, `nohup`) ignores
    some of them, and every process it starts would inherit that: a watcher would
    then sit out its Ctrl-C and fail its test after a long wait. A signal this
    process catches (with a handler that does nothing, so it still ignores it in
    effect) reaches the programs it starts with its default action.
    """
    ignored = [n for n in TERMINATIONS if signal.getsignal(n) is signal.SIG_IGN]
    for number in ignored:
        signal.signal(number, _go_on)
    try:
        yield
    finally:
        for number in ignored:
            signal.signal(number, signal.SIG_IGN)


def _go_on(number: int, frame: FrameType | None) -> None:
    """Receive a signal and carry on (what ignoring it did for this process)."""
