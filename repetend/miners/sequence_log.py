"""The steps of every session in a time window, read from the store page by page.

Only events that carry a step label (commands and tool uses, labelled at
capture) are read, and only their session, label, measured duration and
destructive flag, extracted by SQLite itself, so a million events stay well
inside memory: a session is a list of small integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from repetend.store.rows import to_text
from repetend.store.sqlite import SQLiteStore

PAGE = 50_000
_QUERY = (
    "SELECT id, session, json_extract(payload, '$.step'), json_extract(payload, '$.duration_ms'),"
    " json_extract(payload, '$.destructive') FROM events"
    " WHERE id > ? AND created_at >= ? AND kind IN ('command', 'tool_use')"
    " ORDER BY id LIMIT ?"
)


@dataclass
class StepLog:
    """Sessions as lists of step ids (a step repeated back to back counts once)."""

    labels: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    sessions: list[list[int]] = field(default_factory=list)
    session_names: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    duration_sum: list[float] = field(default_factory=list)
    duration_count: list[int] = field(default_factory=list)
    destructive: set[int] = field(default_factory=set)
    events: int = 0
    _by_name: dict[str, list[int]] = field(default_factory=dict)

    def add(self, session: str, label: str, duration: float | None, destructive: bool) -> None:
        """Append one step to its session."""
        step = self.index.get(label)
        if step is None:
            step = self._new_step(label)
        self.events += 1
        if duration is not None:
            self.duration_sum[step] += float(duration)
            self.duration_count[step] += 1
        if destructive:
            self.destructive.add(step)
        steps = self._by_name.get(session)
        if steps is None:
            steps = self._by_name[session] = []
            self.sessions.append(steps)
            self.session_names.append(session)
        if not steps or steps[-1] != step:
            steps.append(step)
            self.counts[step] += 1

    def _new_step(self, label: str) -> int:
        step = self.index[label] = len(self.labels)
        self.labels.append(label)
        self.counts.append(0)
        self.duration_sum.append(0.0)
        self.duration_count.append(0)
        return step

    @property
    def positions(self) -> int:
        """Steps in all sessions, after collapsing back-to-back repeats."""
        return sum(self.counts)

    def frequency(self, step: int) -> float:
        """The share of all positions that are this step."""
        return self.counts[step] / max(self.positions, 1)

    def seconds(self, step: int, fallback: float) -> tuple[float, bool]:
        """The mean measured duration of a step in seconds (or `fallback`), and if measured."""
        if self.duration_count[step]:
            return self.duration_sum[step] / self.duration_count[step] / 1000, True
        return fallback, False


def load_steps(store: SQLiteStore, since: datetime) -> StepLog:
    """Every labelled step since `since`, grouped by session in the order they happened."""
    log = StepLog()
    last_id, cutoff = 0, to_text(since)
    while True:
        rows = store.query(_QUERY, (last_id, cutoff, PAGE))
        for row in rows:
            if row[2] is not None:
                log.add(row[1], str(row[2]), row[3], bool(row[4]))
        if len(rows) < PAGE:
            return log
        last_id = rows[-1][0]
