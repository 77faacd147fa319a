"""The store reads the dashboard makes: events by id, uses summed per day, anti-patterns."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from repetend.events import Event
from repetend.store import PatternUse, SQLiteStore
from repetend.store.rows import to_text


def test_events_by_id_follow_the_order_they_were_stored(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.db")
    old = datetime(2020, 1, 1, tzinfo=timezone.utc)
    store.add_events([Event("git", "commit", {"n": n}) for n in range(3)])
    store.add_events([Event("git", "commit", {"n": 3}, created_at=old)])  # spooled, stored late
    assert [e.payload["n"] for e in store.events_by_id(after=2)] == [2, 3]
    assert [e.payload["n"] for e in store.events_by_id(limit=2, newest_first=True)] == [3, 2]
    assert [e.payload["n"] for e in store.events_by_id(before=3, newest_first=True)] == [1, 0]
    assert store.events_by_id(after=4) == []


def test_use_days_sum_each_outcome_per_day(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.db")
    day = datetime(2026, 11, 2, 23, 30, tzinfo=timezone.utc)
    for outcome, hours, pattern in [("success", 0, "A"), ("failure", 0.2, "A"),
                                    ("workaround", 1, "A"), ("success", 1, "B")]:  # fmt: skip
        at = day + timedelta(hours=hours)
        store.record_use(PatternUse(pattern, outcome, seconds_saved=30.0, at=at))
    days = store.use_days("A")
    assert [(d.day.isoformat(), d.uses, d.successes, d.failures, d.workarounds) for d in days] == [
        ("2026-11-02", 2, 1, 1, 0),
        ("2026-11-03", 1, 0, 0, 1),
    ]
    assert sum(d.seconds_saved for d in store.use_days()) == 120.0
    assert [d.uses for d in store.use_days(since=day + timedelta(hours=1))] == [2]


def test_anti_patterns_come_most_recently_seen_first(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.db")
    with sqlite3.connect(tmp_path / "store.db") as db:
        for n, day in enumerate((3, 9, 5)):
            seen = to_text(datetime(2026, 11, day, tzinfo=timezone.utc))
            db.execute(
                "INSERT INTO anti_patterns (signature, kind, description, occurrences, evidence,"
                " status, first_seen, last_seen) VALUES (?, 'command', ?, 2, '{}', 'active', ?, ?)",
                (f"s{n}", f"failure {n}", seen, seen),
            )
    assert [a.description for a in store.anti_patterns()] == ["failure 1", "failure 2", "failure 0"]
    assert [a.description for a in store.anti_patterns(limit=1, offset=1)] == ["failure 2"]
