"""A proposed next version waits in the dashboard's review queue, beside the drafts."""

from __future__ import annotations

import json
from typing import Any

from tests.dashboard.conftest import Served, drafts, repetend
from tests.dashboard.test_pages import text_of, wait_for


def proposal(served: Served) -> str:
    """The sensor template approved, its members changed, mined again: 1.1.0 proposed."""
    [sensor] = [d["id"] for d in drafts(served.root) if "sensors/" in d["name"]]
    served.post(f"/api/patterns/{sensor}/approve", {"note": "first version"})
    for path in (served.root / "sensors").glob("*.py"):
        path.write_text(path.read_text().replace("return 42", "return 7"))
    repetend(served.root, "mine", ".")
    shown = json.loads(repetend(served.root, "candidates", "show", sensor, "--json"))
    assert shown["versions"]["proposed"] == "1.1.0"
    return str(sensor)


def test_a_proposed_version_is_reviewed_with_its_diff_and_one_key_rejects_it(
    served: Served, browser: Any
) -> None:
    sensor = proposal(served)
    approved = served.root / ".repetend" / "patterns" / "approved" / f"{sensor}.yaml"
    before = approved.read_bytes()
    browser.get(f"{served.url}/dashboard/candidates?id={sensor}")
    assert "version 1.1.0 proposed for" in text_of(browser, "#candidate h2")
    diff = text_of(browser, "#proposal-diff")
    assert "-        return 42" in diff and "+        return 7" in diff
    assert "version 1.1.0 proposed" in text_of(browser, ".queue")
    browser.find_element("id", "note").send_keys("42 is right")
    browser.find_element("css selector", "body").send_keys("r")
    entry = f"{sensor} approved → approved by"
    wait_for(lambda: "version 1.1.0 rejected: 42 is right" in text_of(browser, "#audit"))
    assert entry in text_of(browser, "#audit")
    assert approved.read_bytes() == before  # the approved version stays, byte for byte
    shown = json.loads(repetend(served.root, "candidates", "show", sensor, "--json"))
    assert (shown["status"], shown["versions"]["proposed"]) == ("approved", None)


def test_approving_a_proposed_version_in_the_api_promotes_it(served: Served) -> None:
    sensor = proposal(served)
    done = served.post(f"/api/patterns/{sensor}/approve", {"note": "7 it is"})
    assert (done["status"], done["version"]) == ("approved", "1.1.0")
    shown = json.loads(repetend(served.root, "candidates", "show", sensor, "--json"))
    assert shown["version"] == "1.1.0"
    assert shown["history"][-1]["note"] == "version 1.1.0 approved (was 1.0.0): 7 it is"
