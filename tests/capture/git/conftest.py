"""Fixtures for the git hook tests: a repository with the test plugin installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.installed_plugin import install_test_plugin


@pytest.fixture
def plugged(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The `repo` fixture with the test plugin installed as a real entry point."""
    install_test_plugin(tmp_path / "site", monkeypatch)
    return repo
