"""The pytest spool shares `.repetend/spool/` with other readers and loses nothing to them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.test_pytest_plugin import drained, stored, wait_until

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _opted_in(pytester: pytest.Pytester) -> None:
    """The project chose repetend: the plugin records only in such a project."""
    (pytester.path / ".repetend").mkdir(exist_ok=True)


# 1,500 tests: the plugin writes its spool every 1,000, so the file exists mid-run.
MANY = """
import subprocess, sys
import pytest

@pytest.mark.parametrize("n", range(1500))
def test_n(n):
    if n == 1200:  # mid-run, the developer commits and runs a repetend command
        for argv in (["git", "add", "-A"], ["git", "commit", "-q", "-m", "mid-run"],
                     [sys.executable, "-m", "repetend", "status"]):
            subprocess.run(argv, check=True, capture_output=True)
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_a_commit_and_a_command_during_a_run_lose_none_of_its_tests(
    pytester: pytest.Pytester,
) -> None:
    git(pytester.path, "init", "-q", "-b", "main")
    subprocess.run(
        [sys.executable, "-m", "repetend", "hooks", "install"], cwd=pytester.path, check=True
    )
    pytester.makepyfile(test_many=MANY)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1500)
    assert len(stored(pytester.path, "test")) == 1500
    (session,) = stored(pytester.path, "session")
    assert session.payload["tests"] == 1500


def test_no_command_touches_kept_test_spools_or_the_store_log(
    pytester: pytest.Pytester,
) -> None:
    state = pytester.path / ".repetend"
    kept = [
        state / "spool" / "pytest" / "pytest-0123456789ab.failed",
        state / "logs" / "pytest-store.log",
        state / "spool" / "pytest-0123456789ab.failed",  # where an older repetend kept them
        state / "spool" / "pytest-store.log",
    ]
    for path in kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kept\n")
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "status"],
        cwd=pytester.path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "not ingested" not in done.stderr
    assert [p.read_text() for p in kept] == ["kept\n"] * 4


def dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def test_the_spool_of_a_killed_run_is_stored_by_the_next_one(pytester: pytest.Pytester) -> None:
    folder = pytester.path / ".repetend" / "spool" / "pytest"
    folder.mkdir(parents=True)
    line = {"kind": "test", "payload": {"nodeid": "t.py::test_gone", "outcome": "passed"}}
    text = "# pytest-deadbeef0000 human\n" + json.dumps({**line, "time": 1.7e9}) + "\n"
    text += '{"kind": "test", "payl'  # cut short by the kill
    (folder / f"pytest-deadbeef0000.{dead_pid()}.part").write_text(text)
    live = folder / f"pytest-livelive0000.{os.getpid()}.part"  # a run still going: left alone
    live.write_text("# pytest-livelive0000 human\n")
    pytester.makepyfile(test_one="def test_one(): pass")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    drained(pytester.path)
    names = {e.payload["nodeid"] for e in stored(pytester.path, "test")}
    assert names == {"t.py::test_gone", "test_one.py::test_one"}
    assert live.read_text() == "# pytest-livelive0000 human\n"


def test_a_store_locked_past_capture_timeout_leaves_the_run_waiting(
    pytester: pytest.Pytester,
) -> None:
    from tests.store.locker import hold_write_lock

    pytester.makepyfile(test_one="def test_one(): pass")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)  # creates the store
    drained(pytester.path)
    state = pytester.path / ".repetend"
    (state / "config.yaml").write_text("capture_timeout: 0.5\n")
    with hold_write_lock(state / "repetend.db"):
        pytester.runpytest_subprocess().assert_outcomes(passed=1)
        log = state / "logs" / "pytest-store.log"
        wait_until(lambda: "not stored yet" in log.read_text())
        assert len(list((state / "spool" / "pytest").glob("pytest-*.jsonl"))) == 1
    done = subprocess.run([sys.executable, "-m", "repetend", "status"], cwd=pytester.path)
    assert done.returncode == 0
    assert len(stored(pytester.path, "session")) == 2
    assert not list((state / "spool" / "pytest").iterdir())
