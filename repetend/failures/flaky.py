"""Flaky tests without reruns: both outcomes on the same working-tree state.

The pytest plugin records each session's working-tree state id (a hash of
HEAD, the diff and the untracked files, worked out after the run; a run during
which the tree changed has none). A test that passed and failed on one state
id is **flaky**: the code did not change, the outcome did. A test that fails
with an error signature seen before in such a pass-and-fail pair, on code it
has not yet been seen passing on, is **likely flaky**.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from repetend.events import Event
from repetend.store import SQLiteStore

FAILED = ("failed", "error")


@dataclass
class FlakyTest:
    """A test with both outcomes on one tree state (or a likely one), with the evidence."""

    nodeid: str
    likely: bool = False
    states: list[str] = field(default_factory=list)
    passes: int = 0
    failures: int = 0
    signatures: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None

    def summary(self) -> str:
        """One line of evidence."""
        if self.likely:
            return (
                f"failed with {self.messages[0]!r}, an error seen in flaky pairs on unchanged code"
            )
        return (
            f"passed {self.passes} and failed {self.failures} time(s) on"
            f" {len(self.states)} unchanged tree state(s)"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (`repetend flaky --json`)."""
        return {
            "nodeid": self.nodeid,
            "flaky": "likely" if self.likely else "yes",
            "evidence": self.summary(),
            "tree_states": self.states,
            "passes": self.passes,
            "failures": self.failures,
            "signatures": self.signatures,
            "messages": self.messages,
            "sessions": self.sessions,
            "first_seen": self.first_seen.isoformat(timespec="seconds") if self.first_seen else "",
            "last_seen": self.last_seen.isoformat(timespec="seconds") if self.last_seen else "",
        }


def recorded_runs(store: SQLiteStore, since: datetime | None = None) -> list[tuple[Event, str]]:
    """Every recorded test outcome with its session's tree state ('' when unknown), oldest first."""
    states: dict[str, str] = {}
    for session in store.events(source="pytest", kind="session", since=since):
        body = session.payload
        if not body.get("tree_changed_since_start"):
            states[session.session] = str(body.get("tree_state", ""))
    tests = store.events(source="pytest", kind="test", since=since)
    return [(event, states.get(event.session, "")) for event in tests]


def find_flaky(runs: list[tuple[Event, str]]) -> list[FlakyTest]:
    """Flaky tests (both outcomes on one state), then likely flaky ones (a flaky signature)."""
    outcomes: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event, state in runs:
        if state and event.payload.get("outcome") in ("passed", *FAILED):
            outcomes[(str(event.payload.get("nodeid", "")), state)].append(event)
    found: dict[str, FlakyTest] = {}
    for (nodeid, state), events in outcomes.items():
        passed = [e for e in events if e.payload.get("outcome") == "passed"]
        failed = [e for e in events if e.payload.get("outcome") in FAILED]
        if not (passed and failed):
            continue
        flaky = found.setdefault(nodeid, FlakyTest(nodeid))
        flaky.states.append(state)
        flaky.passes += len(passed)
        flaky.failures += len(failed)
        for event in failed:
            _add_error(flaky, event)
        for event in events:
            _seen(flaky, event)
    signatures = {s for flaky in found.values() for s in flaky.signatures}
    likely: dict[str, FlakyTest] = {}
    for event, _state in runs:
        nodeid = str(event.payload.get("nodeid", ""))
        error = event.payload.get("error") or {}
        if nodeid in found or event.payload.get("outcome") not in FAILED:
            continue
        if error.get("signature") in signatures:
            test = likely.setdefault(nodeid, FlakyTest(nodeid, likely=True))
            test.failures += 1
            _add_error(test, event)
            _seen(test, event)
    return sorted(found.values(), key=lambda f: f.nodeid) + sorted(
        likely.values(), key=lambda f: f.nodeid
    )


def _add_error(flaky: FlakyTest, event: Event) -> None:
    error = event.payload.get("error") or {}
    signature = str(error.get("signature", ""))
    if signature and signature not in flaky.signatures:
        flaky.signatures.append(signature)
        flaky.messages.append(f"{error.get('type', 'Error')}: {error.get('message', '')}")


def _seen(flaky: FlakyTest, event: Event) -> None:
    if event.session not in flaky.sessions:
        flaky.sessions.append(event.session)
    at = event.created_at
    flaky.first_seen = min(flaky.first_seen or at, at)
    flaky.last_seen = max(flaky.last_seen or at, at)
