"""The `repo: local` configuration in docs/hooks.md, pasted as it is, with real commits."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import events, run, spool_empty, wait_for, write
from tests.conftest import REPO_ROOT

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def documented_local_config() -> str:
    page = (REPO_ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", page, re.M | re.S)
    (local,) = [block for block in blocks if "repo: local" in block]
    return str(local)


def test_the_documented_local_hooks_check_and_capture_real_commits(
    plugged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    # `repetend` on PATH, as in the README's activated virtual environment
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    write(plugged, ".pre-commit-config.yaml", documented_local_config())
    write(
        plugged,
        ".repetend/patterns/approved/T-test.yaml",
        "id: T-test\nmatch: 'services/*.toml'\nrequires: ['name =']\n",
    )
    install = run(plugged, *PRE_COMMIT, "install")
    assert ".git/hooks/pre-commit" in install.stdout and ".git/hooks/post-commit" in install.stdout
    write(plugged, "services/web.toml", "port = 80\n")
    run(plugged, "git", "add", ".pre-commit-config.yaml", "services/web.toml")
    done = run(plugged, "git", "commit", "-m", "web", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "missing `name =`" in done.stdout + done.stderr
    wait_for(lambda: spool_empty(plugged) and bool(events(plugged, "git")), timeout=60)
    (commit,) = events(plugged, "git")
    assert commit["subject"] == "web"
