"""Capture and read-only commands create `.repetend/` only where a repository opted in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from repetend.capture import event_spool

PROGRAM = """
import repetend
with repetend.record("deploy", inputs={"env": "prod"}):
    pass
print(repetend.record_event("ci", "note", {"n": 1}))
"""


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    """A git repository that never chose repetend (and a folder that is no repository)."""
    root = tmp_path / "plain"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def kept(tmp_path: Path) -> list[object]:
    folder = tmp_path / "data" / "repetend"
    return [item for path in event_spool.waiting(folder) for item in event_spool.read(path)]


@pytest.mark.parametrize("where", ["plain", "home"])
def test_record_outside_an_opted_in_repository_keeps_its_events_in_the_users_data_folder(
    plain: Path, tmp_path: Path, where: str
) -> None:
    folder = plain if where == "plain" else tmp_path / "home"
    folder.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], cwd=folder, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
    assert done.stderr.count("repetend: warning:") == 1 and "repetend init" in done.stderr
    assert not (folder / ".repetend").exists()
    assert sorted(type(item).__name__ for item in kept(tmp_path)) == ["Event", "Execution"]


def test_the_agent_hook_outside_an_opted_in_repository_creates_nothing_there(
    plain: Path, tmp_path: Path
) -> None:
    payload = {"session_id": "c1", "hook_event_name": "SessionStart", "source": "startup"}
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "ingest", "claude-code"],
        cwd=plain,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout) == (0, "")
    assert not (plain / ".repetend").exists()
    assert [item["received_at"] is not None for item in kept(tmp_path)] == [True]  # type: ignore[index]


@pytest.mark.parametrize("argv", [["status"], ["templates", "list"], ["status", "--json"]])
def test_read_only_commands_create_nothing(plain: Path, tmp_path: Path, argv: list[str]) -> None:
    for folder in (plain, tmp_path):
        done = subprocess.run(
            [sys.executable, "-m", "repetend", *argv], cwd=folder, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert not (folder / ".repetend").exists()


def test_no_search_for_the_repository_goes_above_a_ceiling_directory(tmp_path: Path) -> None:
    """As git does: a `.repetend/` above a folder GIT_CEILING_DIRECTORIES names is not used."""
    above = tmp_path / "above"
    (above / ".repetend").mkdir(parents=True)
    folder = above / "ceiling" / "work"
    folder.mkdir(parents=True)
    program = "import repetend.config as c; print(c.find_root())"

    def root(ceiling: str) -> str:
        env = {**os.environ, "GIT_CEILING_DIRECTORIES": ceiling}
        done = subprocess.run(
            [sys.executable, "-c", program], cwd=folder, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert root("") == str(above)
    assert root(str(above / "ceiling")) == str(folder)  # not above the ceiling
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "status"],
        cwd=folder,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(above / "ceiling")},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert not (folder / ".repetend").exists()
    assert not list((above / ".repetend").iterdir())  # the store above was never opened


pytest_plugins = ["pytester"]


def test_the_pytest_plugin_records_only_in_a_project_that_chose_repetend(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_one="def test_one(): pass")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    assert not (pytester.path / ".repetend").exists()
    pytester.makepyprojecttoml("[tool.repetend]\ncapture_timeout = 2\n")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    from tests.capture.test_pytest_plugin import stored

    assert len(stored(pytester.path, "test")) == 1
