"""The pytest plugin (entry point `pytest11: repetend`): records the session and every test.

On by default once repetend is installed. Turn it off with `-p no:repetend`,
`--repetend-off`, `repetend_enabled = false` in the ini file, or the kill switch
(`REPETEND_DISABLE=1`). This module is imported by every pytest run, so it
imports nothing of repetend's own until a session is actually recorded; state
lives on `config.stash`. Under pytest-xdist only the controller records (it
sees every worker's reports), so workers never write to the store. Whatever
goes wrong in here costs one warning line and never changes the run's outcome.
`REPETEND_PYTEST_TIMING=1` prints how long the plugin itself took.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from repetend.capture.pytest.recorder import SessionRecorder

RECORDER_KEY: pytest.StashKey[SessionRecorder] = pytest.StashKey()
WARNING = "repetend: warning: "


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--repetend-off` and the `repetend_enabled` ini option."""
    group = parser.getgroup("repetend", "repetend: record test runs to find repeated failures")
    group.addoption(
        "--repetend-off",
        action="store_true",
        dest="repetend_off",
        default=False,
        help="Do not record this run in repetend's store.",
    )
    parser.addini(
        "repetend_enabled",
        type="bool",
        default=True,
        help="Record test runs in repetend's store (default: true).",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Start recording, unless switched off or running as an xdist worker."""
    if config.getoption("repetend_off") or not config.getini("repetend_enabled"):
        return
    if hasattr(config, "workerinput"):  # an xdist worker: the controller records its reports
        return
    started = time.perf_counter()
    try:
        from repetend.capture.pytest.unrewritten import import_unrewritten

        SessionRecorder = import_unrewritten("repetend.capture.pytest.recorder").SessionRecorder
        recorder = SessionRecorder.open(config.rootpath, list(config.invocation_params.args))
    except Exception as error:  # the plugin must never change the test run's outcome
        warn(error)
        return
    if recorder is None:
        return
    config.stash[RECORDER_KEY] = recorder
    hooks = RecordingHooks(config, spent=time.perf_counter() - started)
    config.pluginmanager.register(hooks, "repetend-recorder")
    failure = recorder.previous_failure()
    if failure.startswith(WARNING):  # the store's own warning line: said as it is
        say(f"the previous test run: {failure.removeprefix(WARNING)}")
    elif failure:
        say(f"the previous test run was not stored ({failure})")


class RecordingHooks:
    """The hooks that feed reports to the session's recorder, each guarded."""

    def __init__(self, config: pytest.Config, spent: float = 0.0) -> None:
        self.config = config
        self.recorder: SessionRecorder | None = config.stash[RECORDER_KEY]
        self.spent = spent  # seconds this plugin took, shown with REPETEND_PYTEST_TIMING=1

    def pytest_sessionstart(self) -> None:
        """Note the start time and read git's HEAD (a few file reads, no git process)."""
        self._call("start")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Add one setup, call, teardown or subtest report to its test."""
        # Called three times per test: `_call`'s generality, spelled out for the one method.
        recorder = self.recorder
        if recorder is not None:
            started = time.perf_counter()
            try:
                recorder.add_report(report)
            except Exception as error:  # the plugin must never change the test run's outcome
                self._stop(error)
            self.spent += time.perf_counter() - started

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """Record a module that could not be collected."""
        if report.failed:
            self._call("add_collect_error", report)

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        """Write the session and the tests not yet written."""
        self._call("finish", int(exitstatus))
        if os.environ.get("REPETEND_PYTEST_TIMING"):
            sys.stderr.write(f"\nrepetend: the plugin took {self.spent * 1000:.1f} ms\n")

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Name this run's failures that are known flaky or have a known fix (read on failure)."""
        recorder = self.recorder
        if recorder is None or not recorder.failed:
            return
        started = time.perf_counter()
        try:
            from repetend.capture.pytest.recorder import known_failures

            lines = known_failures(recorder.root, recorder.failed)
        except Exception as error:  # a hint is never worth changing the run
            lines = [f"known failures not read ({type(error).__name__}: {error})"]
        if lines:
            terminalreporter.section("repetend")
            for line in lines:
                terminalreporter.write_line(f"repetend: {line}")
        self.spent += time.perf_counter() - started

    def _call(self, method: str, *args: Any) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        started = time.perf_counter()
        try:
            getattr(recorder, method)(*args)
        except Exception as error:  # the plugin must never change the test run's outcome
            self._stop(error)
        self.spent += time.perf_counter() - started

    def _stop(self, error: Exception) -> None:
        self.recorder = None
        del self.config.stash[RECORDER_KEY]
        warn(error)


def warn(error: BaseException) -> None:
    """One line on stderr; recording stops for this session."""
    from repetend.errors import DISK_FULL, disk_full

    why = DISK_FULL if disk_full(error) else None
    say(f"this test run is not recorded ({why or f'{type(error).__name__}: {error}'})")


def say(message: str) -> None:
    """Print one warning line on stderr."""
    sys.stderr.write(f"\nrepetend: warning: {message}\n")
