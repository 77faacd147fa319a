"""Proposed versions: the approved spec untouched, reviewed in `repetend review`, audited."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.capture.git.gitrepo import repetend, run, spool_empty, wait_for
from tests.uses.test_measures_act import shown
from tests.uses.test_versions import pattern_files

PATTERNS = Path(".repetend/patterns")


def relearned(repo: Path, retries: int = 5) -> None:
    """Every sensor edited the same way, committed, and mined again: a proposal is due."""
    for slug in ("air_quality", "door_lock", "motion_sensor", "smart_plug"):
        path = repo / "sensors" / f"{slug}.py"
        path.write_text(re.sub(r"retries = \d+", f"retries = {retries}", path.read_text()))
    run(repo, "git", "commit", "-qam", f"retries {retries}", "--no-verify")
    wait_for(lambda: spool_empty(repo))
    repetend(repo, "mine", ".")


def history(repo: Path, template: str) -> list[dict[str, str]]:
    entries = shown(repo, template)["history"]
    assert isinstance(entries, list)
    return [{k: e[k] for k in ("from", "to", "actor", "note")} for e in entries]


def review(repo: Path, answers: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "review", "--actor", "ana"],
        cwd=repo,
        input=answers,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_proposal_leaves_every_byte_of_the_approved_pattern_alone(
    repo: Path, template: str
) -> None:
    before = pattern_files(repo, template)
    relearned(repo)
    assert pattern_files(repo, template) == before  # the spec file too: no marker in it
    kept = repo / PATTERNS / "history" / template / "1.1.0" / f"{template}.yaml"
    assert yaml.safe_load(kept.read_text())["status"] == "draft"
    listed = json.loads(repetend(repo, "candidates", "list", "--json").stdout)
    assert [c["proposed_version"] for c in listed] == ["1.1.0"]
    assert "approved, 1.1.0 proposed" in repetend(repo, "candidates", "list").stdout


def test_promote_and_rollback_are_in_the_audit_log(repo: Path, template: str) -> None:
    relearned(repo)
    repetend(repo, "candidates", "approve", template, "--actor", "ana")
    repetend(repo, "candidates", "rollback", template, "--actor", "bo")
    assert history(repo, template)[-2:] == [
        {"from": "approved", "to": "approved", "actor": "ana", "note": "version 1.1.0 approved"
         " (was 1.0.0)"},
        {"from": "approved", "to": "approved", "actor": "bo", "note": "rolled back from 1.1.0"
         " to 1.0.0"},
    ]  # fmt: skip
    stats = json.loads(repetend(repo, "review", "--stats", "--json").stdout)
    assert stats["decisions_by_people"] == {
        "approved": 1,
        "version approved": 1,
        "rolled back": 1,
    }


def test_review_shows_a_proposed_version_with_its_diff_and_approving_promotes_it(
    repo: Path, template: str
) -> None:
    relearned(repo)
    out = review(repo, "a\nretries are 5 now\n")
    assert f"[1/1] {template} version 1.1.0 proposed for:" in out
    assert "  proposed version 1.1.0:" in out
    assert "  +    retries = 5" in out
    assert f"{template} version 1.1.0 is now approved:" in out
    assert shown(repo, template)["version"] == "1.1.0"
    note = "version 1.1.0 approved (was 1.0.0): retries are 5 now"
    assert history(repo, template)[-1]["note"] == note
    assert "Nothing to review" in review(repo, "")


def test_rejecting_a_proposed_version_keeps_the_approved_one_and_is_not_proposed_again(
    repo: Path, template: str
) -> None:
    before = pattern_files(repo, template)
    relearned(repo)
    out = review(repo, "r\nretries must stay 3\n")
    assert f"{template} version 1.1.0 rejected; 1.0.0 stays approved." in out
    assert pattern_files(repo, template) == before
    standing = shown(repo, template)
    assert standing["version"] == "1.0.0"
    assert standing["versions"]["proposed"] is None  # type: ignore[index]
    assert history(repo, template)[-1] == {
        "from": "approved",
        "to": "approved",
        "actor": "ana",
        "note": "version 1.1.0 rejected: retries must stay 3",
    }
    repetend(repo, "mine", ".")  # the same relearned body again: no new proposal
    assert shown(repo, template)["versions"]["proposed"] is None  # type: ignore[index]
    assert "Nothing to review" in review(repo, "")
    relearned(repo, retries=7)  # new evidence: a new proposal, numbered after the rejected one
    assert shown(repo, template)["versions"]["proposed"] == "1.2.0"  # type: ignore[index]


def test_candidates_reject_drops_a_proposed_version_as_review_does(
    repo: Path, template: str
) -> None:
    before = pattern_files(repo, template)
    relearned(repo)
    done = repetend(repo, "candidates", "reject", template, "--note", "no", "--actor", "ana")
    assert done.stdout.strip() == f"{template} version 1.1.0 rejected; the approved version stays"
    assert pattern_files(repo, template) == before
    assert shown(repo, template)["status"] == "approved"
    assert history(repo, template)[-1]["note"] == "version 1.1.0 rejected: no"
    again = repetend(repo, "candidates", "reject", template, "--note", "retired", "--actor", "ana")
    assert again.stdout.strip().endswith(
        f"{template} is now rejected: .repetend/patterns/rejected/{template}.yaml"
    )
