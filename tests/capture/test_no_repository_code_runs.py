"""Capture never runs code from the repository it observes, whatever modules the repository holds.

Each test plants modules that shadow ones repetend (or Python) imports; a planted
module that runs appends its name to a marker file outside the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.conftest import Repetend, stored_events
from tests.capture.git.gitrepo import commit, events, spool_empty, wait_for, write
from tests.capture.portable import with_repetend_on_path

PLANTED = ("pluggy", "tempfile", "sitecustomize", "click", "sqlite3", "yaml", "json")


def plant(folder: Path, marker: Path, names: tuple[str, ...] = PLANTED) -> None:
    """Write modules named `names` into `folder` that record that they ran."""
    for name in names:
        code = f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n"
        (folder / f"{name}.py").write_text(code)


def ran(marker: Path) -> list[str]:
    return marker.read_text().split() if marker.exists() else []


def test_git_hooks_and_their_drain_never_import_the_repositorys_modules(
    repo: Path, repetend: Repetend, tmp_path: Path
) -> None:
    marker = tmp_path / "ran.txt"
    assert repetend("hooks", "install").returncode == 0
    plant(repo, marker)
    write(repo, "docs/a.md", "# a\n")
    write(repo, "docs/b.md", "# b\n")  # two new files: the pre-commit check starts Python
    done = commit(repo, "two", "docs")
    assert done.returncode == 0, done.stderr
    wait_for(lambda: spool_empty(repo) and bool(events(repo, "git")))
    assert ran(marker) == []


def test_the_pre_commit_frameworks_entries_never_import_the_repositorys_modules(
    repo: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran.txt"
    script = str(Path(sys.executable).with_name("repetend"))  # what `entry: repetend …` runs
    subprocess.run([script, "init"], cwd=repo, check=True, capture_output=True)
    plant(repo, marker)
    write(repo, "docs/a.md", "# a\n")
    write(repo, "docs/b.md", "# b\n")
    subprocess.run(["git", "add", "docs"], cwd=repo, check=True)
    for hook in ("pre-commit", "post-commit"):
        if hook == "post-commit":
            subprocess.run(["git", "commit", "-q", "-m", "two"], cwd=repo, check=True)
        done = subprocess.run(
            [script, "hooks", "run", hook], cwd=repo, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    wait_for(lambda: spool_empty(repo) and bool(events(repo, "git")))
    assert ran(marker) == []


def test_the_agent_hook_never_imports_the_projects_modules(
    repo: Path, repetend: Repetend, tmp_path: Path
) -> None:
    marker = tmp_path / "ran.txt"
    config = json.loads(repetend("ingest", "claude-code", "--print-config").stdout)
    command = config["hooks"]["SessionStart"][0]["hooks"][0]["command"]
    plant(repo, marker)
    payload = {"session_id": "c1", "hook_event_name": "SessionStart", "source": "startup"}
    done = subprocess.run(
        command,
        shell=True,
        cwd=repo,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=with_repetend_on_path(),
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert [e.kind for e in stored_events(repo, "claude-code")] == ["session-start"]
    assert ran(marker) == []


pytest_plugins = ["pytester"]


def test_the_pytest_plugins_background_store_never_imports_the_projects_modules(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    from tests.capture.test_pytest_plugin import stored

    marker = tmp_path / "ran.txt"
    (pytester.path / ".repetend").mkdir()  # the project chose repetend
    # Modules pytest itself does not import, while the background store does.
    plant(pytester.path, marker, ("sqlite3", "yaml"))
    pytester.makepyfile(test_one="def test_one(): pass")
    # The console script, without pytester's PYTHONPATH (which names the project's folder).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("pytest")), "-q", "-p", "no:cacheprovider"],
        cwd=pytester.path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(stored(pytester.path, "test")) == 1
    assert ran(marker) == []


def test_python_m_repetend_mine_in_a_repository_never_imports_its_modules(
    repo: Path, tmp_path: Path
) -> None:
    # a source tree with a `logging` package of its own (the Cloud SDK's command folders have one)
    marker = tmp_path / "ran.txt"
    plant(repo, marker, (*PLANTED, "concurrent", "logging"))
    for name in ("concurrent", "logging"):
        (repo / name).mkdir()
        (repo / f"{name}.py").rename(repo / name / "__init__.py")
    for number in range(3):
        write(repo, f"docs/page{number}.md", f"# Page {number}\n\nSome text.\n")
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "mine", ".", "--json"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONSAFEPATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["families"]
    assert ran(marker) == []
