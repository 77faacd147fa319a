"""Who/where filters on uses, and uses received from machines, on both backends."""

from __future__ import annotations

import json
from datetime import timedelta

from repetend.events import utcnow
from repetend.store.rows import to_text
from repetend.store.sqlite import SQLiteStore


def received(store: SQLiteStore) -> None:
    """Five uses as two machines' syncs send them, one of them sent twice."""
    at = utcnow() - timedelta(hours=1)
    rows = [
        {
            "pattern_id": pattern,
            "version": "1.0.0",
            "actor": "human",
            "outcome": outcome,
            "seconds_saved": 30.0 if outcome == "success" else 0.0,
            "evidence": json.dumps({"source": "recipe"}),
            "created_at": to_text(at + timedelta(minutes=n)),
            "user_name": user,
            "machine": f"{user}-pc",
            "remote": "git@example.com:team/app.git",
            "branch": branch,
            "sync_key": f"{user}:pattern_uses:{n}",
        }
        for n, (pattern, outcome, user, branch) in enumerate(
            [
                ("A", "success", "ana", "main"),
                ("A", "success", "ana", "fix"),
                ("A", "failure", "bo", "main"),
                ("B", "success", "bo", "main"),
                ("B", "workaround", "ana", "main"),
            ]
        )
    ]
    assert store.receive("pattern_uses", rows) == 5
    assert store.receive("pattern_uses", rows[:2]) == 0


def test_received_uses_roll_into_the_team_metrics_once(store: SQLiteStore) -> None:
    received(store)
    metrics = {m.pattern_id: m for m in store.all_metrics()}
    assert (metrics["A"].uses, metrics["A"].successes, metrics["A"].failures) == (3, 2, 1)
    assert (metrics["B"].uses, metrics["B"].workarounds, metrics["B"].seconds_saved) == (2, 1, 30)


def test_uses_days_and_metrics_keep_only_what_who_allows(store: SQLiteStore) -> None:
    received(store)
    ana = {"user_name": ["ana"]}
    assert [u.outcome for u in store.uses(who=ana)] == ["success", "success", "workaround"]
    assert [u.pattern_id for u in store.uses(who={"branch": ["main"], "user_name": ["bo"]})] == [
        "A",
        "B",
    ]
    assert store.uses(who={"user_name": []}) == []  # no value allowed: nothing
    scoped = {m.pattern_id: m for m in store.scoped_metrics(ana)}
    assert (scoped["A"].uses, scoped["A"].successes, scoped["A"].seconds_saved) == (2, 2, 60)
    assert (scoped["B"].uses, scoped["B"].workarounds) == (1, 1)
    [day] = store.use_days("A", who={"user_name": ["bo"]})
    assert (day.uses, day.failures) == (1, 1)
    assert store.people() == [("ana", 3, 0), ("bo", 2, 0)]
    assert store.remotes() == ["git@example.com:team/app.git"]


def test_recent_steps_are_the_latest_labelled_steps_oldest_first(store: SQLiteStore) -> None:
    from repetend.events import Event

    at = utcnow() - timedelta(minutes=5)
    store.add_events(
        [
            Event(
                "run", "command", {"step": "make lint", "duration_ms": 1500.0}, "s1", created_at=at
            ),
            Event("git", "commit", {"sha": "abc"}, "s1", created_at=at),
            Event("agent", "tool_use", {"step": "Bash: pytest"}, "s2", created_at=at),
            Event("run", "command", {"step": "make docs"}, "s1", created_at=at),
        ]
    )
    steps = store.recent_steps(2)
    assert [(s, label, ms) for s, label, ms, _ in steps] == [
        ("s2", "Bash: pytest", None),
        ("s1", "make docs", None),
    ]
    assert store.recent_steps(5)[0][:3] == ("s1", "make lint", 1500.0)
