"""Rollback from the dashboard: the same restore as `repetend candidates rollback`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.dashboard.conftest import repetend, start, stop
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
