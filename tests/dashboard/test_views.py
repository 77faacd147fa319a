"""One person's view in the dashboard: `?user=` on the API, a selector on the overview."""

from __future__ import annotations

import json
from typing import Any

from repetend.events import utcnow
from repetend.store import SQLiteStore
from repetend.store.rows import to_text
from tests.dashboard.conftest import Served, drafts
from tests.dashboard.test_pages import text_of, wait_for


def pushed_uses(served: Served, pattern_id: str, counts: dict[str, tuple[int, int]]) -> None:
    """Uses as machines' syncs deliver them: `{user: (successes, failures)}`."""
    rows: list[dict[str, Any]] = []
    for user, (successes, failures) in counts.items():
        for n in range(successes + failures):
            rows.append(
                {
                    "pattern_id": pattern_id,
                    "version": "1.0.0",
                    "actor": "human",
                    "outcome": "success" if n < successes else "failure",
                    "seconds_saved": 60.0 if n < successes else 0.0,
                    "evidence": json.dumps({"source": "recipe"}),
                    "created_at": to_text(utcnow()),
                    "user_name": user,
                    "machine": f"{user}-laptop",
                    "remote": "",
                    "branch": "main" if user == "ana" else "feature",
                    "sync_key": f"{user}-store:pattern_uses:{n}",
                }
            )
    store = SQLiteStore(served.root / ".repetend" / "repetend.db")
    try:
        assert store.receive("pattern_uses", rows) == len(rows)
        assert store.receive("pattern_uses", rows) == 0  # sent twice: stored once
    finally:
        store.close()


def approved(served: Served) -> str:
    first = str(drafts(served.root)[0]["id"])
    served.post(f"/api/patterns/{first}/approve", {"note": "for the team"})
    return first


def test_the_api_gives_one_persons_figures_or_the_teams(served: Served) -> None:
    pattern = approved(served)
    pushed_uses(served, pattern, {"ana": (3, 0), "bo": (1, 1)})
    team = served.json("/api/patterns/active")["items"][0]["metrics"]
    assert (team["uses"], team["failures"]) == (5, 1)
    ana = served.json("/api/patterns/active?user=ana")["items"][0]["metrics"]
    assert (ana["uses"], ana["failures"], ana["seconds_saved"]) == (3, 0, 180.0)
    stats = served.json(f"/api/patterns/{pattern}/stats?user=bo")
    assert (stats["totals"]["uses"], stats["totals"]["failures"]) == (2, 1)
    assert sum(b["uses"] for b in stats["series"]) == 2
    branch = served.json(f"/api/patterns/{pattern}/stats?branch=feature")["totals"]
    assert branch["uses"] == 2
    people = served.json("/api/people")
    assert [(p["user"], p["uses"]) for p in people if p["user"]] == [("ana", 3), ("bo", 2)]
    nobody = served.json("/api/patterns/active?user=nobody")["items"][0]["metrics"]
    assert nobody["uses"] == 0


def test_the_overview_selects_one_persons_view(served: Served, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    pattern = approved(served)
    pushed_uses(served, pattern, {"ana": (3, 0), "bo": (1, 1)})
    browser.get(served.url + "/dashboard/overview")
    uses_cell = "section table tbody tr td:nth-child(4)"
    assert text_of(browser, uses_cell) == "5"
    assert text_of(browser, "#view-label") == "Uses of the team"
    Select(browser.find_element(By.ID, "view-user")).select_by_visible_text("ana")
    browser.find_element(By.CSS_SELECTOR, "#view button[type=submit]").click()
    wait_for(lambda: text_of(browser, "#view-label") == "Uses of user ana")
    assert text_of(browser, uses_cell) == "3"
    assert browser.current_url.endswith("/dashboard/overview?user=ana&branch=")
    chosen = Select(browser.find_element(By.ID, "view-user")).first_selected_option.text
    assert chosen == "ana"
    browser.find_element(By.ID, "view-branch").send_keys("feature")
    browser.find_element(By.CSS_SELECTOR, "#view button[type=submit]").click()
    wait_for(lambda: text_of(browser, "#view-label") == "Uses of user ana, branch feature")
    assert text_of(browser, uses_cell) == "0"  # ana used it on main only
