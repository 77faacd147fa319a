"""The pytest plugin, exercised through pytester (the outer run uses `-p no:repetend`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from repetend.events import Event
from repetend.store import SQLiteStore

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _opted_in(pytester: pytest.Pytester) -> None:
    """The project chose repetend: the plugin records only in such a project."""
    (pytester.path / ".repetend").mkdir(exist_ok=True)


OUTCOMES = """
import pytest

def test_pass():
    pass

def test_fail():
    assert 1 + 1 == 3

def test_skip():
    pytest.skip("not here")

@pytest.mark.xfail(reason="known")
def test_xfail():
    assert 0

@pytest.mark.xfail(reason="fixed?")
def test_xpass():
    pass

@pytest.fixture
def broken_setup():
    raise RuntimeError("setup broke")

@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown broke")

def test_setup_error(broken_setup):
    pass

def test_teardown_error(broken_teardown):
    pass
"""


def drained(root: Path) -> None:
    """Wait for the background store to finish with every spooled session."""
    spool = root / ".repetend" / "spool" / "pytest"
    deadline = time.monotonic() + 60
    while any(spool.glob("pytest-*.jsonl")) or any(spool.glob("pytest-*.storing.*")):
        assert time.monotonic() < deadline, "the background store did not finish"
        time.sleep(0.05)


def wait_until(predicate: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def stored(root: Path, kind: str | None = None) -> list[Event]:
    drained(root)
    store = SQLiteStore(root / ".repetend" / "repetend.db")
    try:
        return list(store.events(source="pytest", kind=kind))
    finally:
        store.close()


def by_nodeid(events: list[Event]) -> dict[str, dict[str, Any]]:
    return {e.payload["nodeid"].split("::")[-1]: e.payload for e in events}


def test_every_outcome_is_recorded_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_outcomes=OUTCOMES)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1, skipped=1, xfailed=1, xpassed=1, errors=2)
    tests = by_nodeid(stored(pytester.path, "test"))
    assert {name: t["outcome"] for name, t in tests.items()} == {
        "test_pass": "passed",
        "test_fail": "failed",
        "test_skip": "skipped",
        "test_xfail": "xfailed",
        "test_xpass": "xpassed",
        "test_setup_error": "error",
        "test_teardown_error": "error",
    }
    assert tests["test_setup_error"]["phase"] == "setup"
    assert tests["test_teardown_error"]["phase"] == "teardown"
    assert tests["test_fail"]["error"]["type"] == "AssertionError"
    assert tests["test_fail"]["error"]["location"] == "test_outcomes.py:7"
    assert all(t["duration_ms"] >= 0 for t in tests.values())


def test_session_records_arguments_exit_status_and_counts(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_outcomes=OUTCOMES)
    pytester.runpytest("-q", "-k", "pass or fail")
    (session,) = stored(pytester.path, "session")
    body = session.payload
    assert body["args"][:3] == ["-q", "-k", "pass or fail"]
    assert body["exit_status"] == 1
    assert body["root"] == str(pytester.path)
    assert body["tests"] == 4
    assert body["outcomes"] == {"passed": 1, "failed": 1, "xfailed": 1, "xpassed": 1}
    assert body["duration_ms"] > 0
    assert {e.session for e in stored(pytester.path)} == {session.session}


def test_error_signature_survives_new_numbers_paths_and_moved_lines(
    pytester: pytest.Pytester,
) -> None:
    failing = textwrap.dedent(
        """
        import tempfile, time
        def test_io():
            path = tempfile.mkdtemp()
            raise OSError(f"cannot write {path}/out.txt at {time.time()} (at {hex(id(path))})")
        """
    )
    pytester.makepyfile(test_io=failing)
    pytester.runpytest()
    pytester.makepyfile(test_io="# a comment that moves the crash down\n\n" + failing)
    pytester.runpytest()
    first, second = (e.payload["error"] for e in stored(pytester.path, "test"))
    assert first["signature"] == second["signature"]
    assert first["message"] == "cannot write <tmp> at <n> (at <hex>)"
    assert first["location"] != second["location"]
    pytester.makepyfile(test_io=failing.replace("OSError", "ValueError"))
    pytester.runpytest()
    third = stored(pytester.path, "test")[-1].payload["error"]
    assert third["signature"] != first["signature"]


def test_subtests_are_attributed_to_their_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_sub="""
        def test_numbers(subtests):
            for i in range(3):
                with subtests.test(msg="each", i=i):
                    assert i != 1
        def test_other():
            pass
        """
    )
    pytester.runpytest()
    tests = by_nodeid(stored(pytester.path, "test"))
    assert len(tests) == 2
    numbers = tests["test_numbers"]
    assert numbers["outcome"] == "failed"
    assert [s["outcome"] for s in numbers["subtests"]] == ["passed", "failed", "passed"]
    assert numbers["subtests"][1]["params"] == {"i": "1"}
    assert numbers["error"]["statement"] == "assert i != 1"
    (session,) = stored(pytester.path, "session")
    assert session.payload["tests"] == 2


def test_xdist_records_every_test_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_many="""
        import pytest
        @pytest.mark.parametrize("n", range(60))
        def test_n(n):
            assert n % 20 != 7
        """
    )
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=57, failed=3)
    assert "locked" not in result.stderr.str() + result.stdout.str()
    assert "repetend: warning" not in result.stderr.str()
    tests = stored(pytester.path, "test")
    assert len(tests) == 60
    assert len({t.payload["nodeid"] for t in tests}) == 60
    (session,) = stored(pytester.path, "session")
    assert session.payload["outcomes"] == {"passed": 57, "failed": 3}


@pytest.mark.parametrize(
    ("args", "ini"),
    [
        (["-p", "no:repetend"], ""),
        (["--repetend-off"], ""),
        ([], "[pytest]\nrepetend_enabled = false\n"),
    ],
)
def test_switched_off_records_nothing(pytester: pytest.Pytester, args: list[str], ini: str) -> None:
    if ini:
        pytester.makeini(ini)
    pytester.makepyfile(test_one="def test_one(): pass")
    pytester.runpytest(*args).assert_outcomes(passed=1)
    assert not (pytester.path / ".repetend" / "repetend.db").exists()


def test_kill_switch_records_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPETEND_DISABLE", "1")
    pytester.makepyfile(test_one="def test_one(): pass")
    pytester.runpytest().assert_outcomes(passed=1)
    assert not (pytester.path / ".repetend" / "repetend.db").exists()


def warnings_in(result: pytest.RunResult) -> list[str]:
    return [line for line in result.stderr.lines if line.startswith("repetend: warning")]


def test_a_failure_inside_the_plugin_warns_once_and_changes_nothing(
    pytester: pytest.Pytester,
) -> None:
    (pytester.path / ".repetend").mkdir(exist_ok=True)
    (pytester.path / ".repetend" / "spool").write_text("a file where the spool folder goes")
    pytester.makepyfile(test_one="def test_one(): pass\ndef test_two(): assert False")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == 1
    (warning,) = warnings_in(result)
    assert "not recorded" in warning


def test_a_store_that_cannot_be_written_is_reported_by_the_next_run(
    pytester: pytest.Pytester,
) -> None:
    (pytester.path / ".repetend" / "repetend.db").mkdir(parents=True)
    pytester.makepyfile(test_one="def test_one(): assert False")
    first = pytester.runpytest_subprocess()
    first.assert_outcomes(failed=1)
    assert warnings_in(first) == []
    spool = pytester.path / ".repetend" / "spool" / "pytest"
    wait_until(lambda: (pytester.path / ".repetend" / "logs" / "pytest-store.log").stat().st_size)
    second = pytester.runpytest_subprocess()
    second.assert_outcomes(failed=1)
    (warning,) = warnings_in(second)
    assert "previous test run" in warning
    assert "repetend.db" in warning and "not recorded" in warning
    # Nothing lost: both runs' events wait, complete, for a store that can be written.
    wait_until(lambda: len(list(spool.glob("pytest-*.jsonl"))) == 2)
    (pytester.path / ".repetend" / "repetend.db").rmdir()
    pytester.runpytest_subprocess().assert_outcomes(failed=1)
    assert len(stored(pytester.path, "session")) == 3


def test_a_broken_configuration_is_reported_and_changes_nothing(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyprojecttoml('[tool.repetend]\nmin_examples = "many"\n')
    pytester.makepyfile(test_one="def test_one(): pass")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)
    drained(pytester.path)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert result.ret == 0
    (warning,) = warnings_in(result)
    assert "min_examples" in warning


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def committed_suite(pytester: pytest.Pytester) -> None:
    git(pytester.path, "init", "-q", "-b", "main")
    pytester.makepyfile(test_one="def test_one(): pass")
    git(pytester.path, "add", "test_one.py")
    git(pytester.path, "commit", "-q", "-m", "one")


def test_git_head_and_tree_state_tell_runs_apart(pytester: pytest.Pytester) -> None:
    committed_suite(pytester)
    for _ in range(2):
        run_and_drain(pytester)
    pytester.makepyfile(test_one="def test_one(): assert True")
    run_and_drain(pytester)
    (pytester.path / "notes.txt").write_text("untracked")
    run_and_drain(pytester)
    sessions = [e.payload for e in stored(pytester.path, "session")]
    heads = {s["git_head"] for s in sessions}
    assert heads == {head_of(pytester.path)}
    states = [s["tree_state"] for s in sessions]
    assert states[0] == states[1]
    assert len(set(states)) == 3
    assert not any(s["tree_changed_since_start"] for s in sessions)


def run_and_drain(pytester: pytest.Pytester) -> None:
    # The state is taken by the background store just after the run: an edit made
    # before it looked would be flagged in tree_changed_since_start.
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    drained(pytester.path)


def head_of(root: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_an_edit_during_the_run_is_flagged(pytester: pytest.Pytester) -> None:
    committed_suite(pytester)
    run_and_drain(pytester)
    pytester.makepyfile(
        test_one="""
        from pathlib import Path
        def test_one():
            Path(__file__).write_text("def test_one(): assert 2 > 1\\n")
        """
    )
    git(pytester.path, "commit", "-qam", "a test that edits itself")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    first, second = (e.payload for e in stored(pytester.path, "session"))
    assert first["tree_changed_since_start"] is False
    assert second["tree_changed_since_start"] is True
    assert second["git_head"] == head_of(pytester.path) != first["git_head"]


def test_outside_a_git_repository_the_state_is_empty(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one="def test_one(): pass")
    pytester.runpytest().assert_outcomes(passed=1)
    (session,) = stored(pytester.path, "session")
    assert (session.payload["git_head"], session.payload["tree_state"]) == ("", "")


def test_the_test_run_itself_starts_no_git_process(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    committed_suite(pytester)
    (pytester.path / "notes.txt").write_text("untracked, so the state has work to do")
    calls = tmp_path / "git-calls.log"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(  # logs the command line of whoever runs git, then runs it
        f"#!/bin/sh\ntr '\\0' ' ' < /proc/$PPID/cmdline >> {calls}\necho >> {calls}\n"
        f'exec {shutil.which("git")} "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    (session,) = stored(pytester.path, "session")
    assert len(session.payload["tree_state"]) == 16
    callers = calls.read_text().splitlines()
    assert callers
    assert all("repetend.capture.pytest.store" in caller for caller in callers)


def test_warnings_as_errors_do_not_fail_a_recorded_run(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    pytester.makepyfile(test_one="def test_one(): pass")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert result.ret == 0
    assert "ResourceWarning" not in result.stderr.str()
    assert len(stored(pytester.path, "test")) == 1


def test_importing_the_plugin_imports_no_internals() -> None:
    code = "import sys, repetend.capture.pytest.plugin; print(sorted(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "repetend.capture.pytest.plugin" in out
    for internal in ("repetend.capture.record", "repetend.store", "repetend.config", "sqlite3"):
        assert f"'{internal}'" not in out
