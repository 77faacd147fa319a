"""The LOW alert: failures of active anti-patterns up by half in a week, said once a week."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from repetend.store import SQLiteStore
from repetend.store.records import FailureRecord
from tests.failures.conftest import run

NOW = datetime.now(timezone.utc)


def failures(repo: Path, days_ago: float, count: int, start: int) -> None:
    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    try:
        store.add_failures(
            [
                FailureRecord(
                    key=f"seeded:{start + n}",
                    source="shell",
                    kind="command",
                    subject="make deploy",
                    signature="sig-deploy-token-expired",
                    message="error: the deploy token expired",
                    created_at=NOW - timedelta(days=days_ago, minutes=n),
                    command="make deploy",
                )
                for n in range(count)
            ]
        )
    finally:
        store.close()


def alerts(repo: Path) -> list[tuple[str, str]]:
    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    try:
        return [(level, text) for _, level, text, _ in store.alerts("ANTI-PATTERNS")]
    finally:
        store.close()


@pytest.mark.parametrize(("this_week", "alerted"), [(6, True), (5, False)])
def test_anti_patterns_up_by_half_in_a_week_send_one_low_alert(
    repo: Path, this_week: int, alerted: bool
) -> None:
    assert run(repo, "status").returncode == 0  # the store, made as a user's command makes it
    failures(repo, 9, 4, 0)  # the week before: 4
    failures(repo, 1, this_week, 100)  # this week
    clock = {"REPETEND_CLOCK": NOW.isoformat()}
    done = run(repo, "heal", "--learn", env=clock)
    assert done.returncode == 0, done.stderr
    if not alerted:
        assert alerts(repo) == []
        return
    [(level, text)] = alerts(repo)
    assert level == "LOW"
    assert text == (
        "LOW: anti-patterns up 50% in a week (4 -> 6 failures of 1 active anti-pattern(s)):"
        " `repetend anti-patterns list`"
    )
    assert "anti-patterns up 50% in a week" in done.stderr  # through the notify hook
    again = run(repo, "heal", "--learn", env=clock)
    assert again.returncode == 0 and len(alerts(repo)) == 1  # once a week
