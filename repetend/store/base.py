"""The store interface: what miners, capture points and commands may ask of a backend.

It is kept narrow so another backend (PostgreSQL for a team) implements these
methods and nothing above the store changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

from repetend.events import AuditEntry, Candidate, Event, Execution
from repetend.store.records import (
    USE_OUTCOMES as USE_OUTCOMES,
)
from repetend.store.records import (
    AntiPatternRecord as AntiPatternRecord,
)
from repetend.store.records import (
    Circuit as Circuit,
)
from repetend.store.records import (
    PatternMetrics as PatternMetrics,
)
from repetend.store.records import (
    PatternUse as PatternUse,
)
from repetend.store.records import (
    Render as Render,
)
from repetend.store.records import (
    SignatureGroup as SignatureGroup,
)
from repetend.store.records import (
    SpecFile as SpecFile,
)
from repetend.store.records import (
    UseDay as UseDay,
)
from repetend.store.records import (
    Who as Who,
)

# The tables `purge` trims by age, with the column that dates each row.
# Table -> its time column. `tool_use_pending` holds agent tool uses whose PreToolUse
# never got a PostToolUse (the agent was stopped, say): old ones will never be paired.
PURGEABLE = {
    "executions": "created_at",
    "events": "created_at",
    "audit_log": "created_at",
    "tool_use_pending": "started_at",
}


class Store(Protocol):
    """An event store backend."""

    location: str

    def add_executions(self, executions: Sequence[Execution]) -> list[int]:
        """Store executions (filling in `id` and `signature`); return their ids."""
        ...

    def add_events(self, events: Sequence[Event]) -> list[int]:
        """Store generic events (filling in `id`); return the ids of those stored now.

        An event whose `key` is stored already is not stored again (its `id` stays None).
        """
        ...

    def executions(
        self,
        *,
        since: datetime | None = None,
        kind: str | None = None,
        signatures: Iterable[str] | None = None,
        success: bool | None = None,
        ids: Iterable[int] | None = None,
        latest: int | None = None,
    ) -> Iterator[Execution]:
        """Yield stored executions matching every filter given, oldest first.

        With `latest`, only the newest `latest` of them (still oldest first).
        """
        ...

    def count_executions(
        self, signature: str, *, since: datetime | None = None, success: bool | None = None
    ) -> int:
        """Count executions with one signature digest."""
        ...

    def successes_since(self, signature: str, day: date) -> int:
        """Successful executions with one signature from `day` (UTC) on, in constant time."""
        ...

    def signature_groups(
        self, *, since: datetime | None = None, success: bool | None = None
    ) -> list[SignatureGroup]:
        """One row per distinct execution signature in the window, with counts."""
        ...

    def signature_shapes(self, signatures: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored signature body (see `ExecutionSignature.to_dict`) for each digest."""
        ...

    def events(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        source: str | None = None,
        kind: str | None = None,
        session: str | None = None,
    ) -> Iterator[Event]:
        """Yield stored events matching every filter given, oldest first."""
        ...

    def events_by_id(
        self,
        *,
        after: int = 0,
        before: int | None = None,
        limit: int = 100,
        newest_first: bool = False,
    ) -> list[Event]:
        """Up to `limit` events with `after < id < before`, by id (the order they were stored).

        The live dashboard follows the store with it: an id never repeats, while
        `created_at` is the capture point's time and may be older than the write.
        """
        ...

    def anti_patterns(
        self, *, limit: int | None = None, offset: int = 0
    ) -> list[AntiPatternRecord]:
        """Failure patterns, most recently seen first."""
        ...

    def find_candidate(self, kind: str, signature: str) -> Candidate | None:
        """The candidate already made from this evidence group, if any."""
        ...

    def get_candidate(self, candidate_id: str) -> Candidate | None:
        """One candidate by id."""
        ...

    def candidates(self, *, status: str | None = None, kind: str | None = None) -> list[Candidate]:
        """Candidates, newest first."""
        ...

    def save_candidate(
        self,
        candidate: Candidate,
        *,
        actor: str = "repetend",
        note: str = "",
        always_audit: bool = False,
    ) -> Candidate:
        """Insert or update a candidate; a new one gets an `AUTO-YYYYMMDD-<digest>` id
        (see `rows.next_id`: unique across machines; older `-NNN` ids stay valid).

        A status change is written to the audit log in the same transaction; with
        `always_audit` the save is, even when the status stays (a version approved,
        a rollback).
        """
        ...

    def set_status(
        self, candidate_id: str, status: str, *, actor: str, note: str = ""
    ) -> Candidate:
        """Change a candidate's status and audit it; raises `NotFoundError` for an unknown id."""
        ...

    def audit_log(self, pattern_id: str | None = None) -> list[AuditEntry]:
        """Status changes, oldest first."""
        ...

    def record_use(self, use: PatternUse) -> int:
        """Store one use and roll it into the pattern's metrics in the same transaction."""
        ...

    def uses(
        self,
        pattern_id: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        who: Who | None = None,
    ) -> list[PatternUse]:
        """Uses of one pattern (or all) in `[since, until)`, oldest first.

        `who` keeps the uses whose who/where columns hold the values it lists
        (see `records.who_clauses`): one person's view.
        """
        ...

    def use_days(
        self,
        pattern_id: str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        who: Who | None = None,
    ) -> list[UseDay]:
        """Uses of one pattern (or all) in `[since, until)` summed per UTC day, oldest first."""
        ...

    def scoped_metrics(self, who: Who) -> list[PatternMetrics]:
        """Each pattern's metrics summed over the uses `who` allows, most used first."""
        ...

    def people(self) -> list[tuple[str, int, int]]:
        """Each user name the uses and events carry, with their counts: (name, uses, events)."""
        ...

    def remotes(self) -> list[str]:
        """Every remote the events and uses carry (stamped by sync; '' for a machine's own)."""
        ...

    def recent_steps(self, limit: int) -> list[tuple[str, str, float | None, datetime]]:
        """The latest `limit` labelled steps: (session, label, duration ms or None, when)."""
        ...

    def all_metrics(self) -> list[PatternMetrics]:
        """The metrics of every pattern that has been used, most used first."""
        ...

    def anti_patterns_seen(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[AntiPatternRecord]:
        """Anti-patterns last seen in `[since, until)`, the most frequent first."""
        ...

    def metrics(self, pattern_id: str) -> PatternMetrics | None:
        """The metrics of one pattern, if it has been used."""
        ...

    def add_renders(self, renders: Sequence[Render]) -> None:
        """Keep files a pattern rendered until a commit judges them."""
        ...

    def pending_renders(self, paths: Iterable[str] | None = None) -> list[Render]:
        """Renders not judged yet (of these paths, or all), oldest first."""
        ...

    def batch_renders(self, batch: str) -> list[Render]:
        """Every render of one batch (one use), judged or not."""
        ...

    def judge_render(self, render_id: int, outcome: str, evidence: dict[str, Any]) -> None:
        """Set a render's outcome and the evidence it was judged from."""
        ...

    def circuit(self, pattern_id: str) -> Circuit:
        """A pattern's circuit breaker (closed, no failures, when none is kept)."""
        ...

    def save_circuit(self, circuit: Circuit) -> None:
        """Keep a pattern's circuit breaker state."""
        ...

    def add_alert(
        self, pattern_id: str, level: str, message: str, *, at: datetime | None = None
    ) -> None:
        """Keep an alert that was sent (at `at`, default now)."""
        ...

    def alerts(self, pattern_id: str | None = None) -> list[tuple[str, str, str, datetime]]:
        """Alerts sent (pattern id, level, message, when), oldest first."""
        ...

    def note_checks(self, checks: Sequence[tuple[str, str, bool]]) -> None:
        """Keep what the pre-commit check said of each file: (path, staged blob, warned)."""
        ...

    def checks(self, paths: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """What the pre-commit check last said of each of these paths: (blob, warned)."""
        ...

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        ...

    def data_version(self) -> int:
        """A number that changes once another connection has written to the store.

        A reader that keeps what it read (the dashboard) asks it to know when to read again;
        its own writes it must account for itself.
        """
        ...

    def purge(self, before: datetime, *, dry_run: bool = True) -> dict[str, int]:
        """Remove (or, dry, count) rows older than `before` in the purgeable tables."""
        ...

    def budget(self, seconds: float) -> AbstractContextManager[None]:
        """Bound the total time the writes inside the block wait for a locked store."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...

    def set_spec_path(self, candidate_id: str, spec_path: str) -> None:
        """Record where a candidate's spec file is, changing nothing else (no audit entry)."""
        ...

    def spec_files(self) -> dict[str, SpecFile]:
        """Every indexed spec file by its path relative to the repository."""
        ...

    def note_spec_files(self, files: Iterable[SpecFile], gone: Iterable[str] = ()) -> None:
        """Remember spec files as read now, and forget the paths in `gone`."""
        ...

    def rename_candidate(self, old_id: str, new_id: str) -> None:
        """Give a candidate, its audit trail and its uses another id."""
        ...

    def unsent(self, table: str, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Rows of `table` (events or executions) with an id above `after_id`, oldest first."""
        ...

    def sync_value(self, name: str) -> str:
        """One value of this store's sync bookkeeping ('' when unset)."""
        ...

    def set_sync_value(self, name: str, value: str) -> None:
        """Set one value of this store's sync bookkeeping."""
        ...

    def first_sync_value(self, name: str, value: str) -> str:
        """Set `name` to `value` unless it is set already; return what it holds (atomic)."""
        ...

    def receive(self, table: str, rows: Sequence[dict[str, Any]]) -> int:
        """Store rows sent by a machine (each with its `sync_key`); return how many were new."""
        ...
