"""Rollback from the dashboard: the same restore as `repetend candidates rollback`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.dashboard.conftest import repetend, start, stop
from tests.dashboard.test_pages import text_of, wait_for
from tests.uses.conftest import template  # noqa: F401 — the fixture: an approved template
from tests.uses.test_versions import five_edge_cases, pattern_files


def test_a_rollback_restores_the_previous_approved_version(
    repo: Path,
    template: str,  # noqa: F811
) -> None:
    before = pattern_files(repo, template)
    five_edge_cases(repo, template)  # proposes 1.1.0
    served = start(repo)
    try:
        approved = served.post(f"/api/patterns/{template}/approve", {"note": "1.1.0 is better"})
        assert approved["version"] == "1.1.0"
        done = served.post(f"/api/patterns/{template}/rollback", {"note": "it was not"})
        assert done["version"] == "1.0.0" and done["status"] == "approved"
        # Promoting a version and rolling back keep the status (approved), so, as from the
        # CLI, the audit log gets no entry for either (patterns/versions.py decides that).
        assert pattern_files(repo, template) == before
        shown = json.loads(repetend(repo, "candidates", "show", template, "--json"))
        assert shown["version"] == "1.0.0"
        refused = served.post(f"/api/patterns/{template}/rollback", {"to": "0.9.0"}, status=404)
        assert (
            refused["detail"]
            == f"{template}: no approved version '0.9.0' kept (kept: 1.0.0, 1.1.0)"
        )
        earliest = served.post(f"/api/patterns/{template}/rollback", {}, status=409)
        assert "no approved version before 1.0.0" in earliest["detail"]
    finally:
        stop(served)


def test_the_pattern_page_rolls_back(
    repo: Path,
    template: str,  # noqa: F811
    browser: Any,
) -> None:
    from selenium.webdriver.common.by import By

    five_edge_cases(repo, template)
    repetend(repo, "candidates", "approve", template)  # 1.1.0
    served = start(repo)
    try:
        browser.get(f"{served.url}/dashboard/library/{template}")
        assert text_of(browser, "#version") == "1.1.0"
        browser.find_element(By.CSS_SELECTOR, "#rollback-form input[name=to]").send_keys("9.9.9")
        browser.find_element(By.CSS_SELECTOR, "#rollback-form button").click()
        wait_for(lambda: "Not done" in text_of(browser, "#rollback-result"))
        assert "no approved version '9.9.9' kept" in text_of(browser, "#rollback-result")
        browser.find_element(By.CSS_SELECTOR, "#rollback-form input[name=to]").clear()
        browser.find_element(By.CSS_SELECTOR, "#rollback-form button").click()
        wait_for(lambda: text_of(browser, "#version") == "1.0.0")
        assert text_of(browser, "#rollback-result") == f"{template} is at version 1.0.0"
        assert json.loads(repetend(repo, "candidates", "show", template, "--json"))["version"] == (
            "1.0.0"
        )
    finally:
        stop(served)
