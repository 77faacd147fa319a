"""Scenario helpers: real `repetend run` commands in sessions, real git, real pytest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

APP = (
    "import importlib, sys\n"
    "sys.path.insert(0, 'site')\n"
    "importlib.import_module(sys.argv[1])\n"
    "print('ok')\n"
)
INSTALL = (
    "import pathlib, sys\n"
    "site = pathlib.Path('site'); site.mkdir(exist_ok=True)\n"
    "if not sys.argv[1].startswith('broken'):  # a package that installs nothing\n"
    "    (site / (sys.argv[1] + '.py')).write_text('VALUE = 1\\n')\n"
)


def run(
    root: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m repetend ARGS…` in `root`."""
    return subprocess.run(
        [sys.executable, "-m", "repetend", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def git(root: Path, *args: str) -> str:
    """Run git in `root`; its stdout."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def commit_all(root: Path, message: str) -> None:
    """Commit everything (no hooks are installed in these repositories)."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def known(root: Path) -> dict[str, Any]:
    """The known-fixes index, {} until learned."""
    path = root / ".repetend" / "failures" / "known.json"
    return json.loads(path.read_text()) if path.exists() else {}


def wait_for_rule(root: Path, seconds: float = 60) -> dict[str, Any]:
    """Wait for the background learner to write a rule into the index."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = known(root)
        if found.get("rules"):
            return found
        time.sleep(0.2)
    log = root / ".repetend" / "logs" / "learn.log"
    pytest.fail(f"no rule learned in {seconds} s; log: {log.read_text() if log.exists() else ''}")


@pytest.fixture
def project(repo: Path) -> Path:
    """A repository with an app that imports a module named on its command line."""
    (repo / "app.py").write_text(APP)
    (repo / "tools").mkdir()
    (repo / "tools" / "install.py").write_text(INSTALL)
    (repo / ".gitignore").write_text(".repetend/\n")
    commit_all(repo, "app")
    return repo


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A spool folder of this test's own for the shell integration."""
    folder = tmp_path / "spool"
    monkeypatch.setenv("REPETEND_SPOOL_DIR", str(folder))
    return folder
