"""What the dashboard reads from a store, on both backends: events by id, change detection."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from repetend.events import Event, utcnow
from repetend.store import PatternUse
from repetend.store.sqlite import SQLiteStore
from tests.store.conftest import open_address


def test_another_connections_write_changes_the_data_version(
    store: SQLiteStore, store_address: str
) -> None:
    store.add_events([Event(source="test", kind="first", payload={}, created_at=utcnow())])
    before = store.data_version()
    assert store.data_version() == before  # nothing written since: the same number
    other = open_address(store_address)
    try:
        other.add_events([Event(source="test", kind="second", payload={}, created_at=utcnow())])
    finally:
        other.close()
    assert store.data_version() != before


def test_events_are_read_by_id_after_a_known_one(store: SQLiteStore) -> None:
    ids = store.add_events(
        [Event(source="test", kind=f"k{n}", payload={}, created_at=utcnow()) for n in range(5)]
    )
    later = store.events_by_id(after=ids[1], limit=2)
    assert [event.kind for event in later] == ["k2", "k3"]
    newest = store.events_by_id(newest_first=True, limit=1)
    assert [event.kind for event in newest] == ["k4"]


def test_uses_are_summed_per_utc_day(store: SQLiteStore) -> None:
    monday = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
    for at, outcome in (
        (monday, "success"),
        (monday, "failure"),
        (monday + timedelta(days=1), "workaround"),
    ):
        store.record_use(PatternUse("P", outcome, "1.0.0", seconds_saved=10, at=at))
    days = store.use_days("P")
    assert [(d.day.isoformat(), d.uses, d.successes, d.failures, d.workarounds) for d in days] == [
        ("2026-11-30", 2, 1, 1, 0),
        ("2026-12-01", 1, 0, 0, 1),
    ]
    assert days[0].seconds_saved == 20
    assert (
        store.use_days("P", since=monday + timedelta(hours=12))[0].day.isoformat() == "2026-12-01"
    )
