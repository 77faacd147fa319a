"""The steps of every session in a time window, read from the store page by page.

Only events that carry a step label (commands and tool uses, labelled at
capture) are read, and only their session, label, measured duration and
destructive flag, extracted by the database itself, so a million events stay well
inside memory: a session is a list of small integers. Pages are fetched by a
reader thread on a read-only connection of its own while the previous page is
being grouped: SQLite releases the GIL while it works, so reading and grouping
overlap instead of adding up.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from repetend.errors import StoreError
from repetend.store.records import Who, who_clauses
from repetend.store.rows import to_text

PAGE = 50_000
_WHERE = (
    " FROM events WHERE id > ? AND created_at >= ? AND kind IN ('command', 'tool_use'){who}"
    " ORDER BY id LIMIT ?"
)
# The one hot query written per dialect: the portable `json_extract` would hand PostgreSQL's
# rows back as jsonb values for the driver to decode one by one (2.3x SQLite's time over a
# million events); typed text extraction there keeps it within 2x.
QUERIES = {
    "sqlite": "SELECT id, session, json_extract(payload, '$.step'),"
    " json_extract(payload, '$.duration_ms'), json_extract(payload, '$.destructive')" + _WHERE,
    "postgresql": "SELECT id, session, payload::jsonb ->> 'step',"
    " (payload::jsonb ->> 'duration_ms')::float8, (payload::jsonb ->> 'destructive')::boolean"
    + _WHERE,
}


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
        self.add_rows([(0, session, label, duration, destructive)])

    def add_rows(self, rows: list[Any]) -> None:
        """Append `(id, session, label, duration, destructive)` rows (the hot loop: locals only)."""
        index, by_name, counts = self.index, self._by_name, self.counts
        duration_sum, duration_count = self.duration_sum, self.duration_count
        for _, session, label, duration, destructive in rows:
            if label is None:
                continue
            step = index.get(label)
            if step is None:
                step = self._new_step(str(label))
            self.events += 1
            if duration is not None:
                duration_sum[step] += duration
                duration_count[step] += 1
            if destructive:
                self.destructive.add(step)
            steps = by_name.get(session)
            if steps is None:
                steps = by_name[session] = []
                self.sessions.append(steps)
                self.session_names.append(session)
            if not steps or steps[-1] != step:
                steps.append(step)
                counts[step] += 1

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

    def seconds(self, step: int, fallback: float) -> tuple[float, bool]:
        """The mean measured duration of a step in seconds (or `fallback`), and if measured."""
        if self.duration_count[step]:
            return self.duration_sum[step] / self.duration_count[step] / 1000, True
        return fallback, False


class StepSource(Protocol):
    """A store that opens a connection of its own for a long read (SQLite or PostgreSQL)."""

    location: str
    dialect: str

    def reader(self) -> AbstractContextManager[Any]:
        """A read-only connection, used in the reader thread."""
        ...


def load_steps(store: StepSource, since: datetime, who: Who | None = None) -> StepLog:
    """Every labelled step since `since`, grouped by session in the order they happened.

    `who` keeps only the events of one person (or machine, remote, branch): see
    `repetend.team.scope`.
    """
    log = StepLog()
    for page in _pages(store, to_text(since), who):
        log.add_rows(page)
    return log


def _pages(database: StepSource, cutoff: str, who: Who | None) -> Iterator[list[Any]]:
    pages: queue.Queue[list[Any] | Exception | None] = queue.Queue(maxsize=3)
    reader = threading.Thread(target=_read, args=(database, cutoff, who, pages), daemon=True)
    reader.start()
    while True:
        page = pages.get()
        if page is None:
            break
        if isinstance(page, Exception):
            raise StoreError(f"{database.location}: cannot read the event store ({page})") from page
        yield page
    reader.join()


def _read(
    database: StepSource,
    cutoff: str,
    who: Who | None,
    pages: queue.Queue[list[Any] | Exception | None],
) -> None:
    try:
        clauses, values = who_clauses(who)
        with database.reader() as connection:
            last = 0
            query = QUERIES[database.dialect].format(who="".join(f" AND {c}" for c in clauses))
            while True:
                rows = connection.execute(query, (last, cutoff, *values, PAGE)).fetchall()
                pages.put(rows)
                if len(rows) < PAGE:
                    break
                last = rows[-1][0]
    except Exception as error:  # handed to the consumer, which raises it as a StoreError
        pages.put(error)
        return
    pages.put(None)
