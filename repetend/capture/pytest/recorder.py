"""What the pytest plugin records: one event per test, one per session, spooled, stored after.

Each test becomes one `pytest`/`test` event however many reports it produced
(setup, call, teardown and any subtests): its outcome (`passed`, `failed`,
`skipped`, `xfailed`, `xpassed`, or `error` for a failing setup or teardown),
its duration, the error signature of a failure, and its subtests listed one by
one. The session event carries the arguments, root, start, duration, exit
status, git HEAD (read when the session starts) and a working-tree state id
(worked out by the background store, off the test run).

The test run pays only for folding reports and appending JSON lines to a spool
file (`.repetend/spool/pytest/pytest-<session>.<pid>.part`, written every
`BATCH` tests): nothing of the store, the configuration or the plugins is
imported here. When the session ends the file is renamed to
`pytest-<session>.jsonl` (only then may a reader take it) and a background
process (`repetend.capture.pytest.store`) redacts the events, stores them in
one transaction per batch and calls the plugins; it also takes any earlier
spool left waiting, and the `.part` of a run that was killed. If it fails,
its message is in `.repetend/logs/pytest-store.log` and the next test run
prints it as a warning.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from repetend.capture.git.state import read_head
from repetend.fileio import folders_up
from repetend.launch import isolated_argv
from repetend.private_files import append_private, append_whole, private_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from repetend.failures.signatures import ErrorSignature

BATCH = 1000
STATE_DIR = ".repetend"  # repetend.config.STATE_DIR; config is not imported here (tomllib)
KILL_SWITCHES = ("REPETEND_DISABLE", "DISABLE_PATTERN_AUTOMATION")  # as in repetend.config
STORE_LOG = "pytest-store.log"
SPOOL = ("spool", "pytest")  # under .repetend/: this spool kind's own folder
PART = ".part"  # a spool still being written: no reader takes it


@dataclass
class TestOutcome:
    """Everything reported for one node id, folded into one outcome."""

    nodeid: str
    outcome: str = "passed"
    phase: str = ""
    duration: float = 0.0
    error: dict[str, str] | None = None
    subtests: list[dict[str, Any]] = field(default_factory=list)

    def add(self, report: Any, root: Path, subtest: bool = False) -> None:
        """Fold in one report; a subtest report is listed, never counted as a test."""
        if subtest:
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
    """Collects one pytest session's reports into a spool file, then hands it to the store."""

    def __init__(self, root: Path, rootpath: Path, args: list[str]) -> None:
        self.root = root
        self.rootpath = rootpath
        self.args = args
        self.session = f"pytest-{uuid.uuid4().hex[:12]}"
        self.actor = "agent" if os.environ.get("CLAUDECODE") else "human"
        self.folder = root.joinpath(STATE_DIR, *SPOOL)
        self.spool = self.folder / f"{self.session}.{os.getpid()}{PART}"
        self.log = root / STATE_DIR / "logs" / STORE_LOG
        self.tests: dict[str, TestOutcome] = {}
        self.pending: list[str] = []
        self.counts: Counter[str] = Counter()
        self.failed: list[tuple[str, dict[str, str]]] = []  # (node id, error) of this run
        self.started_at = _now()
        self.started = time.perf_counter()
        self.head = ""

    @classmethod
    def open(cls, rootpath: Path, args: list[str]) -> SessionRecorder | None:
        """A recorder for the repository holding `rootpath`, or None when repetend is off."""
        if any(os.environ.get(name, "").strip().lower() in _TRUE for name in KILL_SWITCHES):
            return None
        root = find_root(rootpath)
        return cls(root, rootpath, args) if opted_in(root) else None

    def previous_failure(self) -> str:
        """Why the previous run's events could not be stored ('' if they were); said once."""
        try:
            text = self.log.read_text(encoding="utf-8").strip()
        except OSError:
            return ""
        self.log.unlink(missing_ok=True)  # said once; the spool files themselves stay
        return text.splitlines()[0] if text else ""  # the first line names the cause

    def start(self) -> None:
        """Mark the session's start and read HEAD (the store works out the tree's state)."""
        self.started_at, self.started = _now(), time.perf_counter()
        self.head = read_head(self.root)

    def add_report(self, report: Any) -> None:
        """Fold one report into its test; a finished test is queued, a full batch written."""
        nodeid = report.nodeid
        test = self.tests.get(nodeid)
        if test is None:
            test = self.tests[nodeid] = TestOutcome(nodeid)
        subtest = _is_subtest(report)
        test.add(report, self.rootpath, subtest)
        if report.when == "teardown" and not subtest:
            self._queue(self.tests.pop(nodeid))

    def add_collect_error(self, report: Any) -> None:
        """Queue a collection error (a module that failed to import, say)."""
        self.counts["collect-error"] += 1
        payload = {"nodeid": report.nodeid, "error": _error(report, self.rootpath)}
        self.pending.append(self._line("collect-error", payload))

    def finish(self, exit_status: int) -> None:
        """Spool the unfinished tests and the session, then start the background store."""
        for test in list(self.tests.values()):
            self._queue(test)
        self.tests.clear()
        self.pending.append(self._line("session", self._session_payload(exit_status)))
        self._write()
        complete = self.folder / f"{self.session}.jsonl"
        os.replace(self.spool, complete)  # whole now: a reader may take it
        self._hand_over([complete, *waiting(self.folder)])

    def _session_payload(self, exit_status: int) -> dict[str, Any]:
        return {
            "args": self.args,
            "root": str(self.rootpath),
            "started_at": self.started_at,
            "duration_ms": round((time.perf_counter() - self.started) * 1000, 3),
            "exit_status": exit_status,
            "git_head": self.head,  # the store adds tree_state, after the run
            "tests": sum(n for k, n in self.counts.items() if k != "collect-error"),
            "outcomes": dict(self.counts),
        }

    def _queue(self, test: TestOutcome) -> None:
        payload = test.payload()
        self.counts[test.outcome] += 1
        if test.outcome in ("failed", "error"):
            self.failed.append((test.nodeid, test.error or {}))
        self.pending.append(self._line("test", payload))
        if len(self.pending) >= BATCH:
            self._write()

    def _line(self, kind: str, payload: dict[str, Any]) -> str:
        # Seconds since the epoch: the store turns them into a datetime, off the test run.
        return _ENCODE({"kind": kind, "payload": payload, "time": time.time()}) + "\n"

    def _write(self) -> None:
        lines, self.pending = self.pending, []
        private_dir(self.folder)
        # Whole batches only: a full disk leaves the file as it was before this batch.
        header = f"# {self.session} {self.actor}\n".encode()
        append_whole(self.spool, "".join(lines).encode("utf-8"), header)

    def _hand_over(self, spools: list[Path]) -> None:
        """Store the spools in a background process: the test run does not wait for it."""
        names = [str(path) for path in dict.fromkeys(spools)]
        with append_private(self.log) as log:
            process = subprocess.Popen(
                isolated_argv(sys.executable, "repetend.capture.pytest.store", *names),
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        # Reaped by a thread: a Popen collected while its process runs warns
        # (ResourceWarning), and under `filterwarnings = error` that fails the run.
        threading.Thread(target=process.wait, name="repetend-store", daemon=True).start()


_TRUE = {"1", "true", "yes", "on"}
# One encoder for every line: json.dumps with options builds a new one per call.
_ENCODE = json.JSONEncoder(separators=(",", ":"), default=repr).encode


def known_failures(root: Path, failed: list[tuple[str, dict[str, str]]]) -> list[str]:
    """Lines naming this run's failures that are known: flaky tests, failures with a known fix."""
    from repetend.capture.pytest.unrewritten import import_unrewritten

    known_module = import_unrewritten("repetend.failures.known")
    known = known_module.read_known(root / STATE_DIR)
    if not known:
        return []
    flaky, flaky_signatures = known.get("flaky", {}), set(known.get("flaky_signatures", []))
    shape = import_unrewritten("repetend.failures.evidence").shape_of_test_error
    lines = []
    for nodeid, error in failed:
        signature = error.get("signature", "")
        if nodeid in flaky:
            lines.append(f"known flaky: {nodeid} ({flaky[nodeid]})")
        elif signature and signature in flaky_signatures:
            lines.append(
                f"likely flaky: {nodeid} (its error was seen on unchanged code that passed)"
            )
        found = known_module.hint(known, shape(error), f"repetend heal {nodeid}")
        if found:
            lines.append(f"{nodeid}: {found}")
    return lines


def waiting(folder: Path) -> list[Path]:
    """Complete spools left waiting in `folder`, and the `.part` of runs that were killed."""
    from repetend.capture.git.spool import alive

    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    found = [folder / n for n in names if n.endswith(".jsonl")]
    for name in names:
        pid = name.removesuffix(PART).rsplit(".", 1)[-1]
        if name.endswith(PART) and pid.isdigit() and not alive(int(pid)):
            adopted = folder / (name.removesuffix(PART).rsplit(".", 1)[0] + ".jsonl")
            try:
                os.replace(folder / name, adopted)  # its writer was killed: nothing more comes
            except FileNotFoundError:
                continue  # another run adopted it first
            found.append(adopted)
    return sorted(found)


def opted_in(root: Path) -> bool:
    """Whether the project chose repetend (capture.record.opted_in, without the config machinery).

    Installing repetend in a virtual environment must not make every project in it grow
    a `.repetend/`: only one with that folder, or a `[tool.repetend]` table, is recorded.
    """
    if (root / STATE_DIR).is_dir():
        return True
    try:
        return b"[tool.repetend" in (root / "pyproject.toml").read_bytes()
    except OSError:
        return False


def find_root(start: Path) -> Path:
    """repetend.config.find_root, without importing the configuration machinery."""
    here = start.resolve()
    for folder in folders_up(here):
        if (folder / ".git").exists() or (folder / STATE_DIR).is_dir():
            return folder
    return here


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


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
    # Only a failing run pays for the signature's patterns, compiled as they are (no rewriting).
    from repetend.capture.pytest.unrewritten import import_unrewritten

    error_signature = cast(
        "Callable[..., ErrorSignature]",
        import_unrewritten("repetend.failures.signatures").error_signature,
    )
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
