"""The failure signature store and anti-pattern writes, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from repetend.store import SQLiteStore
from repetend.store.records import AntiPatternRecord, FailureRecord

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def failure(key: str, minutes: int, signature: str = "abc") -> FailureRecord:
    return FailureRecord(
        key=key,
        source="run",
        kind="command",
        subject="python app.py",
        signature=signature,
        message="ModuleNotFoundError: No module named '{module}'",
        created_at=T0 + timedelta(minutes=minutes),
        command="python app.py yaml",
        values={"module": "yaml"},
        detail={"exit_status": 1},
        session="s1",
    )


def test_failures_are_stored_once_by_key_and_read_back_by_filter(store: SQLiteStore) -> None:
    assert store.add_failures([failure("event:1", 0), failure("event:2", 5)]) == 2
    assert store.add_failures([failure("event:2", 5), failure("event:3", 9, "other")]) == 1
    found = store.failures(signature="abc")
    assert [f.key for f in found] == ["event:1", "event:2"]
    assert found[0].values == {"module": "yaml"} and found[0].detail == {"exit_status": 1}
    assert [f.key for f in store.failures(latest=1)] == ["event:3"]
    assert store.failure_mark("events") == 0
    store.set_failure_mark("events", 42)
    store.set_failure_mark("events", 43)
    assert store.failure_mark("events") == 43


def test_anti_patterns_are_upserted_and_an_ignored_one_stays_ignored(store: SQLiteStore) -> None:
    record = AntiPatternRecord(
        signature="abc",
        kind="command",
        description="python app.py: No module named",
        occurrences=3,
        status="active",
        first_seen=T0,
        last_seen=T0 + timedelta(hours=1),
        evidence={"affected": ["python app.py"]},
        pattern_id="ANTI-PAT-001",
        name="command python app.py fails",
        cause="missing_dependency",
    )
    store.save_anti_patterns([record])
    assert store.set_anti_pattern_status("ANTI-PAT-001", "ignored", "known")
    assert not store.set_anti_pattern_status("ANTI-PAT-999", "ignored")
    assert store.anti_patterns()[0].evidence["note"] == "known"
    store.save_anti_patterns([AntiPatternRecord(**{**vars(record), "occurrences": 5})])
    (stored,) = store.anti_patterns()
    assert (stored.pattern_id, stored.status, stored.occurrences) == ("ANTI-PAT-001", "ignored", 5)
    assert stored.cause == "missing_dependency"
    assert store.anti_patterns_seen(since=T0)[0].signature == "abc"  # the weekly report's reader
