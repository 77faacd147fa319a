"""The store through its public methods, on each backend (see conftest: SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from repetend.errors import NotFoundError, StoreError
from repetend.events import Candidate, Event, Execution, utcnow
from repetend.store import PatternUse
from repetend.store.sqlite import SQLiteStore


def execution(
    kind: str = "build", days_ago: float = 0, success: bool = True, **inputs: object
) -> Execution:
    return Execution(
        kind=kind,
        inputs=dict(inputs),
        success=success,
        created_at=utcnow() - timedelta(days=days_ago),
    )


def test_executions_round_trip_with_signature_and_filters(store: SQLiteStore) -> None:
    ids = store.add_executions(
        [execution(target="a"), execution(target="b", success=False), execution("test", n=1)]
    )
    assert ids == [1, 2, 3]
    built = list(store.executions(kind="build"))
    assert [e.inputs["target"] for e in built] == ["a", "b"]
    assert built[0].signature == built[1].signature != ""
    assert [e.id for e in store.executions(success=False)] == [2]
    assert [e.id for e in store.executions(ids=[3, 1])] == [1, 3]
    assert [e.id for e in store.executions(latest=2)] == [2, 3]
    assert store.count_executions(built[0].signature, success=True) == 1


def test_signature_groups_count_inside_the_window(store: SQLiteStore) -> None:
    store.add_executions(
        [execution(target="x", days_ago=40), execution(target="y"), execution(target="z")]
    )
    groups = store.signature_groups(since=utcnow() - timedelta(days=30))
    assert [(g.kind, g.count) for g in groups] == [("build", 2)]
    shapes = store.signature_shapes([groups[0].signature])
    assert shapes[groups[0].signature]["input_shape"] == {"target": "str"}


def test_events_are_filtered_by_source_session_and_time(store: SQLiteStore) -> None:
    old = Event(
        "git", "commit", {"sha": "1"}, session="s1", created_at=utcnow() - timedelta(hours=2)
    )
    new = Event("pytest", "test", {"nodeid": "t"}, session="s2")
    store.add_events([old, new])
    assert old.id == 1 and new.id == 2
    assert [e.kind for e in store.events(source="git")] == ["commit"]
    assert [e.payload for e in store.events(session="s2")] == [{"nodeid": "t"}]
    assert [e.id for e in store.events(since=utcnow() - timedelta(hours=1))] == [2]
    assert [e.id for e in store.events(until=utcnow() - timedelta(hours=1))] == [1]


def candidate(signature: str = "sig", status: str = "draft") -> Candidate:
    return Candidate(kind="execution", signature=signature, name="n", confidence=0.5, status=status)


def test_candidates_get_daily_ids_and_one_row_per_evidence_group(store: SQLiteStore) -> None:
    first = store.save_candidate(candidate("a"))
    second = store.save_candidate(candidate("b"))
    day = utcnow().strftime("%Y%m%d")
    assert first.id.startswith(f"AUTO-{day}-") and second.id.startswith(f"AUTO-{day}-")
    assert first.id != second.id and len(first.id) == len(f"AUTO-{day}-") + 6
    elsewhere = SQLiteStore(Path(":memory:"))  # another machine mining the same evidence
    assert elsewhere.save_candidate(candidate("a")).id == first.id
    again = candidate("a")
    again.confidence = 0.9
    assert store.save_candidate(again).id == first.id
    assert len(store.candidates()) == 2
    found = store.find_candidate("execution", "a")
    assert found is not None and found.confidence == 0.9


def test_status_changes_are_audited(store: SQLiteStore) -> None:
    saved = store.save_candidate(candidate(), actor="detector", note="pending: low")
    store.set_status(saved.id, "approved", actor="ana", note="looks right")
    log = store.audit_log(saved.id)
    assert [(e.from_status, e.to_status, e.actor, e.note) for e in log] == [
        ("", "draft", "detector", "pending: low"),
        ("draft", "approved", "ana", "looks right"),
    ]
    with pytest.raises(NotFoundError, match="no candidate 'AUTO-0-000'"):
        store.set_status("AUTO-0-000", "approved", actor="ana")


def test_a_spec_path_is_recorded_alone(store: SQLiteStore) -> None:
    saved = store.save_candidate(candidate(), actor="detector")
    store.set_spec_path(saved.id, f".repetend/patterns/drafts/{saved.id}.yaml")
    found = store.get_candidate(saved.id)
    assert found is not None
    assert found.spec_path == f".repetend/patterns/drafts/{saved.id}.yaml"
    assert (found.spec, found.status, found.confidence) == (saved.spec, "draft", saved.confidence)
    assert len(store.audit_log(saved.id)) == 1  # only the creation


def test_each_use_is_kept_and_rolled_into_the_metrics(store: SQLiteStore) -> None:
    assert store.metrics("P") is None
    monday = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)
    store.record_use(PatternUse("P", "success", "1.0.0", seconds_saved=30, at=monday))
    store.record_use(PatternUse("P", "failure", "1.0.0", actor="agent", evidence={"exit": 1}))
    store.record_use(PatternUse("P", "workaround", "1.1.0", evidence={"edited": ["line 3"]}))
    store.record_use(PatternUse("Q", "success"))
    metrics = store.metrics("P")
    assert metrics is not None
    assert (metrics.uses, metrics.successes, metrics.failures, metrics.workarounds) == (3, 1, 1, 1)
    assert metrics.seconds_saved == 30 and metrics.last_used_at is not None
    uses = store.uses("P")
    assert [(u.outcome, u.version, u.actor) for u in uses] == [
        ("success", "1.0.0", "human"),
        ("failure", "1.0.0", "agent"),
        ("workaround", "1.1.0", "human"),
    ]
    assert uses[1].evidence == {"exit": 1} and uses[0].at == monday
    assert [u.pattern_id for u in store.uses(until=monday + timedelta(hours=1))] == ["P"]
    assert len(store.uses(since=monday + timedelta(hours=1))) == 3
    assert [m.pattern_id for m in store.all_metrics()] == ["P", "Q"]


def test_each_outcome_is_counted_in_its_own_column(store: SQLiteStore) -> None:
    for outcome, times in (("success", 1), ("failure", 2), ("workaround", 3)):
        for _ in range(times):
            store.record_use(PatternUse("P", outcome))
    metrics = store.metrics("P")
    assert metrics is not None
    assert (metrics.successes, metrics.failures, metrics.workarounds) == (1, 2, 3)


def test_a_use_with_an_unknown_outcome_is_refused_and_counts_nothing(store: SQLiteStore) -> None:
    with pytest.raises(StoreError, match="'maybe' is not one of success, workaround, failure"):
        store.record_use(PatternUse("P", "maybe"))
    assert store.metrics("P") is None and store.uses() == []


def test_purge_counts_first_and_deletes_only_when_asked(store: SQLiteStore) -> None:
    store.add_executions([execution(days_ago=100), execution()])
    store.add_events([Event("git", "commit", created_at=utcnow() - timedelta(days=100))])
    cutoff = utcnow() - timedelta(days=90)
    counted = {"executions": 1, "events": 1, "audit_log": 0, "tool_use_pending": 0, "failures": 0}
    assert store.purge(cutoff) == counted
    assert store.counts()["executions"] == 2
    assert store.purge(cutoff, dry_run=False) == counted
    assert store.counts()["executions"] == 1


def test_a_corrupt_file_is_a_store_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"broken\.db: cannot open the event store"):
        SQLiteStore(path)
