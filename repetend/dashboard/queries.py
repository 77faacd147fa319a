"""What the API and the pages show, read from the store: patterns, metrics, uses, activity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar

from repetend.dashboard import models
from repetend.events import AuditEntry, Candidate, Event
from repetend.store.base import PatternMetrics, Store, UseDay, Who

T = TypeVar("T")
MAX_LIMIT = 500
SUMMARY_KEYS = ("summary", "message", "subject", "command", "nodeid", "path", "tool", "name")


def page(
    items: Sequence[T], total: int, limit: int, offset: int, empty_reason: str = ""
) -> models.Page[T]:
    """A `Page` of `items` (already cut to the page), saying where the next one starts."""
    following = offset + limit if offset + limit < total else None
    reason = empty_reason if total == 0 else ""
    return models.Page[T](
        items=list(items),
        total=total,
        limit=limit,
        offset=offset,
        next_offset=following,
        empty_reason=reason,
    )


def cut(items: Sequence[T], limit: int, offset: int, empty_reason: str = "") -> models.Page[T]:
    """The page of a list held whole."""
    return page(items[offset : offset + limit], len(items), limit, offset, empty_reason)


def metrics(found: PatternMetrics | None) -> models.Metrics:
    """The API's metrics of one pattern (zeros before its first use)."""
    if found is None:
        return models.Metrics()
    rate = found.successes / found.uses if found.uses else None
    return models.Metrics(
        uses=found.uses,
        successes=found.successes,
        failures=found.failures,
        workarounds=found.workarounds,
        seconds_saved=found.seconds_saved,
        success_rate=rate,
        last_used_at=found.last_used_at,
    )


def pattern(candidate: Candidate, found: PatternMetrics | None) -> models.Pattern:
    """One pattern as the API lists it."""
    return models.Pattern(**_fields(candidate), metrics=metrics(found))


def candidate(item: Candidate, found: PatternMetrics | None) -> models.Candidate:
    """One candidate with its evidence, confidence parts and spec."""
    return models.Candidate(
        **_fields(item),
        metrics=metrics(found),
        confidence_parts=item.confidence_parts,
        evidence=item.evidence,
        spec=item.spec,
    )


def _fields(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "name": c.name,
        "description": c.description,
        "status": c.status,
        "confidence": c.confidence,
        "occurrences": c.occurrences,
        "destructive": c.destructive,
        "spec_path": c.spec_path,
        "updated_at": c.updated_at,
    }


def active(approved: Sequence[Candidate], by_id: dict[str, PatternMetrics]) -> list[models.Pattern]:
    """Approved patterns with their metrics, most used first, then newest."""
    rows = [pattern(c, by_id.get(c.id)) for c in approved]
    return sorted(rows, key=lambda p: -p.metrics.uses)  # stable: newest first among equals


def stats(
    store: Store,
    pattern_id: str,
    bucket: Literal["day", "week"],
    since: datetime | None,
    who: Who | None = None,
) -> models.PatternStats:
    """A pattern's totals and its uses per day or week (of the uses `who` allows)."""
    if who is None:
        totals = store.metrics(pattern_id)
    else:
        totals = next((m for m in store.scoped_metrics(who) if m.pattern_id == pattern_id), None)
    return models.PatternStats(
        pattern_id=pattern_id,
        totals=metrics(totals),
        bucket=bucket,
        series=series(store.use_days(pattern_id, since=since, who=who), bucket),
    )


def series(days: Sequence[UseDay], bucket: Literal["day", "week"]) -> list[models.StatsBucket]:
    """Daily sums of uses summed again per day or per ISO week (from Monday), oldest first."""
    sums: dict[date, models.StatsBucket] = {}
    for day in days:
        start = bucket_start(day.day, bucket)
        row = sums.get(start) or sums.setdefault(start, _empty_bucket(start))
        row.uses += day.uses
        row.successes += day.successes
        row.failures += day.failures
        row.workarounds += day.workarounds
        row.seconds_saved += day.seconds_saved
    return [sums[start] for start in sorted(sums)]


def _empty_bucket(start: date) -> models.StatsBucket:
    return models.StatsBucket(
        start=start, uses=0, successes=0, failures=0, workarounds=0, seconds_saved=0.0
    )


def bucket_start(day: date, bucket: Literal["day", "week"]) -> date:
    """The first day of the bucket `day` falls in."""
    return day if bucket == "day" else day - timedelta(days=day.weekday())


def audit(entries: Sequence[AuditEntry]) -> list[models.AuditRecord]:
    """Audit entries as the API shows them."""
    return [
        models.AuditRecord(
            pattern_id=e.pattern_id,
            from_status=e.from_status,
            to_status=e.to_status,
            actor=e.actor,
            note=e.note,
            at=e.created_at,
        )
        for e in entries
    ]


def activity(event: Event) -> models.Activity:
    """One event as the live panel shows it: source, kind and a one-line summary."""
    return models.Activity(
        id=event.id or 0,
        source=event.source,
        kind=event.kind,
        actor=event.actor,
        session=event.session,
        summary=summary(event),
        at=event.created_at,
    )


def summary(event: Event) -> str:
    """The most telling payload value (a commit's subject, a command line, a path), one line."""
    for key in SUMMARY_KEYS:
        value = event.payload.get(key)
        if isinstance(value, str | int | float) and str(value).strip():
            return _one_line(str(value))
    return _one_line(event.tool_name)


def _one_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= 160 else first[:159] + "…"
