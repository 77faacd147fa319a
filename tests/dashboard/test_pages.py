"""The pages in a real headless Chromium (Debian's chromium and chromedriver, through Selenium).

`.ci/run` installs both and sets REQUIRE_BROWSER_TESTS, so there a missing browser is a
failure; a machine without them skips. With DASHBOARD_SCREENSHOTS_TO_DOCS=1 the screenshots
go to docs/images/ (what docs/dashboard.md shows); otherwise to the test's tmp folder.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from repetend.events import utcnow
from repetend.store import PatternUse, SQLiteStore
from tests.dashboard.conftest import Served, drafts
from tests.dashboard.test_api import capture

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
PAGES = {
    "overview": ("/dashboard/overview", "Overview"),
    "library": ("/dashboard/library", "Pattern library"),
    "candidates": ("/dashboard/candidates", "Candidates"),
    "anti-patterns": ("/dashboard/anti-patterns", "Anti-patterns"),
}


def wait_for(condition: Any, seconds: float = 5.0) -> Any:
    """Poll `condition()` until it is truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s")


def text_of(driver: Any, selector: str) -> str:
    """The visible text of the first element matching `selector` ('' if none)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        found = driver.find_elements(By.CSS_SELECTOR, selector)
        return str(found[0].text) if found else ""
    except StaleElementReferenceException:  # the page was being replaced
        return ""


def problems(driver: Any) -> list[str]:
    """Console errors: a blocked script or style (CSP), a failed request, a script error."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(driver: Any, name: str, tmp_path: Path) -> Path:
    """Save the page as PNG: into docs/images/ when asked (DASHBOARD_SCREENSHOTS_TO_DOCS=1)."""
    folder = DOCS_IMAGES if os.environ.get("DASHBOARD_SCREENSHOTS_TO_DOCS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"dashboard-{name}.png"
    driver.save_screenshot(str(path))
    return path


def test_every_page_loads_without_a_blocked_asset_or_script_error(
    served: Served, browser: Any, tmp_path: Path
) -> None:
    first = drafts(served.root)[0]["id"]
    served.post(f"/api/patterns/{first}/approve", {"note": "for the library"})
    used(served.root, first)
    for subject in ("Add the delta sensor", "Read the lamp port from its config"):
        capture(served.root, subject)
    for name, (path, title) in PAGES.items():
        browser.get(served.url + path)
        assert text_of(browser, "h1") == title
        wait_for(lambda: text_of(browser, "#live-state") == "live")
        assert problems(browser) == [], name
        assert screenshot(browser, name, tmp_path).stat().st_size > 10_000
    browser.get(f"{served.url}/dashboard/library/{first}")
    assert text_of(browser, "h1").startswith(first)
    assert problems(browser) == []
    screenshot(browser, "pattern", tmp_path)
    browser.get(served.url + "/")
    assert browser.current_url == served.url + "/dashboard/overview"


def used(root: Path, pattern_id: str) -> None:
    """Six weeks of uses of one pattern, as `apply` would record them."""
    store = SQLiteStore(root / ".repetend" / "repetend.db")
    for week in range(6):
        for n in range(week + 2):
            outcome = "failure" if n == 3 else "success"
            at = utcnow() - timedelta(weeks=5 - week, hours=n)
            saved = 120.0 + 90.0 * ((week * 7 + n) % 5)
            store.record_use(PatternUse(pattern_id, outcome, seconds_saved=saved, at=at))
    store.close()


def test_approving_by_click_shows_the_audit_entry(served: Served, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served.url + "/dashboard/candidates")
    chosen = browser.find_element(By.ID, "candidate").get_attribute("data-id")
    browser.find_element(By.ID, "note").send_keys("clicked <b>approve</b>")
    browser.find_element(By.CSS_SELECTOR, 'button[data-decision="approve"]').click()
    entry = f"{chosen} draft → approved by"
    wait_for(lambda: entry in text_of(browser, "#audit"))
    assert "clicked <b>approve</b>" in text_of(browser, "#audit")  # the note, as text
    assert [d["id"] for d in drafts(served.root)] != [] and chosen not in {
        d["id"] for d in drafts(served.root)
    }


def test_one_keystroke_decides(served: Served, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served.url + "/dashboard/candidates")
    first = browser.find_element(By.ID, "candidate").get_attribute("data-id")
    browser.find_element(By.TAG_NAME, "body").send_keys("r")
    wait_for(lambda: f"{first} draft → rejected" in text_of(browser, "#audit"))
    second = browser.find_element(By.ID, "candidate").get_attribute("data-id")
    assert second != first
    browser.find_element(By.TAG_NAME, "body").send_keys("q")
    wait_for(lambda: f"{second} draft → quarantined" in text_of(browser, "#audit"))
    assert drafts(served.root) == []
    assert "Nothing waits for review" in text_of(browser, "main")


def test_an_event_captured_elsewhere_appears_in_the_live_panel(
    served: Served, browser: Any
) -> None:
    browser.get(served.url + "/dashboard/library")
    wait_for(lambda: text_of(browser, "#live-state") == "live")
    time.sleep(0.3)  # the server's poller follows from the newest event stored
    captured = capture(served.root, "<img src=x onerror=alert(1)> live commit")
    wait_for(lambda: "live commit" in text_of(browser, "#live-list"), seconds=2.0)
    delay = time.monotonic() - captured
    assert "<img src=x onerror=alert(1)> live commit" in text_of(browser, "#live-list li")
    assert delay < 2.0


def test_markup_in_a_mined_file_shows_as_text(served: Served, browser: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    sensor = next(d["id"] for d in drafts(served.root) if d["name"].startswith("sensors"))
    mined = '<script>alert("mined")</script>'
    for path in (f"/dashboard/candidates?id={sensor}", f"/dashboard/library/{sensor}"):
        browser.get(served.url + path)
        assert mined in text_of(browser, "pre.source")
        assert browser.find_elements(By.CSS_SELECTOR, "main script") == []
        marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "pre.source mark")]
        assert "{{ slug }}" in marks  # a variable, highlighted
        assert "{{ not_a_variable }}" not in marks  # Jinja-looking fixed text stays text
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018 — reading it is what raises
        if path.startswith("/dashboard/candidates"):
            members = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "pre.member")]
            assert len(members) == 3 and all(mined in m for m in members)


def test_the_new_file_form_previews_what_apply_would_write(served: Served, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    sensor = next(d["id"] for d in drafts(served.root) if d["name"].startswith("sensors"))
    browser.get(f"{served.url}/dashboard/library/{sensor}")
    browser.find_element(By.NAME, "slug").send_keys("omega")
    browser.find_element(By.CSS_SELECTOR, "#preview-form button").click()
    wait_for(lambda: text_of(browser, "#preview-result .error"))
    assert "missing required variable" in text_of(browser, "#preview-result .error")
    browser.find_element(By.NAME, "classes").send_keys("class omega")
    browser.find_element(By.CSS_SELECTOR, "#preview-form button").click()
    wait_for(lambda: "sensors/omega.py" in text_of(browser, "#preview-result figcaption"))
    assert 'name = "omega"' in text_of(browser, "#preview-result pre")
    assert not (served.root / "sensors" / "omega.py").exists()
