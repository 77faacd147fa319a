"""What the pytest plugin records: one event per test, one per session, written in batches.

Each test becomes one `pytest`/`test` event however many reports it produced
(setup, call, teardown and any subtests): its outcome (`passed`, `failed`,
`skipped`, `xfailed`, `xpassed`, or `error` for a failing setup or teardown),
its duration, the error signature of a failure, and its subtests listed one by
one. The session event carries the arguments, root, start, duration, exit
status, git HEAD and a working-tree state id. Events are written every
`BATCH` tests in one transaction, and the rest at the end of the session.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repetend.capture import record_events
from repetend.config import find_root, load_config
from repetend.events import Event, utcnow
from repetend.failures import error_signature
from repetend.plugins.git_state import GitState

BATCH = 1000


@dataclass
class TestOutcome:
    """Everything reported for one node id, folded into one outcome."""

    nodeid: str
    outcome: str = "passed"
    phase: str = ""
    duration: float = 0.0
    error: dict[str, str] | None = None
    subtests: list[dict[str, Any]] = field(default_factory=list)

    def add(self, report: Any, root: Path) -> None:
        """Fold in one report; a subtest report is listed, never counted as a test."""
        if _is_subtest(report):
            self.subtests.append(_subtest_entry(report, root))
            return
        self.duration += float(report.duration)
        outcome = _phase_outcome(report)
        if report.when == "call" and self.outcome == "passed":
            self.outcome = outcome
        elif report.when != "call" and outcome != "passed" and self.outcome == "passed":
            self.outcome = "error" if report.failed else outcome
        if report.failed and self.error is None:
            self.phase = report.when
            self.error = _error(report, root) or self._first_subtest_error()

    def payload(self) -> dict[str, Any]:
        """The stored form: small for a pass, with the error signature for a failure."""
        self._fail_for_subtests()
        body: dict[str, Any] = {
            "nodeid": self.nodeid,
            "outcome": self.outcome,
            "duration_ms": round(self.duration * 1000, 3),
        }
        if self.error is not None:
            body["phase"], body["error"] = self.phase, self.error
        if self.subtests:
            body["subtests"] = self.subtests
        return body

    def _fail_for_subtests(self) -> None:
        # pytest marks a test with failed subtests as failed only when the terminal
        # reporter sees it, which may be after this plugin did: decide here too.
        if self.outcome == "passed" and any(s["outcome"] == "failed" for s in self.subtests):
            self.outcome, self.phase = "failed", "call"
            self.error = self.error or self._first_subtest_error()

    def _first_subtest_error(self) -> dict[str, str] | None:
        return next((s["error"] for s in self.subtests if "error" in s), None)


class SessionRecorder:
    """Collects one pytest session's reports and writes them to the repository's store."""

    def __init__(self, root: Path, rootpath: Path, args: list[str]) -> None:
        self.root = root
        self.rootpath = rootpath
        self.args = args
        self.session = f"pytest-{uuid.uuid4().hex[:12]}"
        self.actor = "agent" if os.environ.get("CLAUDECODE") else "human"
        self.tests: dict[str, TestOutcome] = {}
        self.pending: list[Event] = []
        self.counts: Counter[str] = Counter()
        self.started_at = utcnow()
        self.started = time.perf_counter()
        self.git: GitState | None = None

    @classmethod
    def open(cls, rootpath: Path, args: list[str]) -> SessionRecorder | None:
        """A recorder for the repository holding `rootpath`, or None when repetend is off."""
        root = find_root(rootpath)
        if load_config(root).disabled:
            return None
        return cls(root, rootpath, args)

    def start(self) -> None:
        """Mark the session's start and ask git for HEAD and the working-tree state."""
        self.started_at, self.started = utcnow(), time.perf_counter()
        self.git = GitState(self.root)

    def add_report(self, report: Any) -> None:
        """Fold one report into its test; a finished test is queued, a full batch written."""
        test = self.tests.get(report.nodeid)
        if test is None:
            test = self.tests[report.nodeid] = TestOutcome(report.nodeid)
        test.add(report, self.rootpath)
        if report.when == "teardown" and not _is_subtest(report):
            self._queue(self.tests.pop(report.nodeid))

    def add_collect_error(self, report: Any) -> None:
        """Queue a collection error (a module that failed to import, say)."""
        self.counts["collect-error"] += 1
        payload = {"nodeid": report.nodeid, "error": _error(report, self.rootpath)}
        self.pending.append(self._event("collect-error", payload))

    def finish(self, exit_status: int) -> None:
        """Queue the unfinished tests and the session event, and write everything."""
        for test in list(self.tests.values()):
            self._queue(test)
        self.tests.clear()
        head, state = self.git.result() if self.git else ("", "")
        self.pending.append(self._event("session", self._session_payload(exit_status, head, state)))
        self._flush()

    def _session_payload(self, exit_status: int, head: str, state: str) -> dict[str, Any]:
        return {
            "args": self.args,
            "root": str(self.rootpath),
            "started_at": self.started_at.isoformat(),
            "duration_ms": round((time.perf_counter() - self.started) * 1000, 3),
            "exit_status": exit_status,
            "git_head": head,
            "tree_state": state,
            "tests": sum(n for k, n in self.counts.items() if k != "collect-error"),
            "outcomes": dict(self.counts),
        }

    def _queue(self, test: TestOutcome) -> None:
        payload = test.payload()
        self.counts[test.outcome] += 1
        self.pending.append(self._event("test", payload))
        if len(self.pending) >= BATCH:
            self._flush()

    def _event(self, kind: str, payload: dict[str, Any]) -> Event:
        return Event(
            source="pytest",
            kind=kind,
            payload=payload,
            session=self.session,
            tool_name="pytest",
            actor=self.actor,
        )

    def _flush(self) -> None:
        batch, self.pending = self.pending, []
        record_events(batch, root=self.root)


def _is_subtest(report: Any) -> bool:
    return hasattr(getattr(report, "context", None), "kwargs")


def _phase_outcome(report: Any) -> str:
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    return str(report.outcome)


def _subtest_entry(report: Any, root: Path) -> dict[str, Any]:
    context = report.context
    entry: dict[str, Any] = {"outcome": _phase_outcome(report)}
    if context.msg is not None:
        entry["msg"] = str(context.msg)
    if context.kwargs:
        entry["params"] = {str(k): str(v) for k, v in context.kwargs.items()}
    error = _error(report, root) if report.failed else None
    if error is not None:
        entry["error"] = error
    return entry


def _error(report: Any, root: Path) -> dict[str, str] | None:
    """The error signature of a failed report, from its (possibly deserialised) longrepr."""
    longrepr = report.longrepr
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        location = f"{_relative(crash.path, root)}:{crash.lineno}"
        return error_signature(crash.message, location, _statement(longrepr)).to_dict()
    text = str(longrepr or "")
    if not text or text.startswith("contains"):
        return None
    path = report.nodeid.split("::")[0]
    return error_signature(text.strip().splitlines()[-1], path).to_dict()


def _statement(longrepr: Any) -> str:
    entries = getattr(getattr(longrepr, "reprtraceback", None), "reprentries", None) or []
    lines = getattr(entries[-1], "lines", []) if entries else []
    marked = [line[1:].strip() for line in lines if line.startswith(">")]
    return marked[-1] if marked else ""


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)
