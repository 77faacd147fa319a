"""Which file templates are approved automatically, proposed, or reported as low value."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from repetend.cli import main
from tests.cli.conftest import git
from tests.cli.test_templates import run_json

WORDS = ["alpha", "beta", "gamma", "delta", "river", "stone", "cloud", "night", "paper"]


def good_families(repo: Path, count: int) -> None:
    """`count` families of 20 small JSON files each, mostly fixed text."""
    for family in range(count):
        folder = repo / f"kind{family}"
        folder.mkdir()
        for n in range(20):
            document = {f"kind{family}_name": f"i{n}", f"kind{family}_owner": "platform team"}
            document[f"kind{family}_description"] = "A service of the platform, deployed daily."
            (folder / f"i{n}.json").write_text(json.dumps(document, indent=2) + "\n")


def prose_family(repo: Path) -> None:
    """Notes that share a title line and nothing else: a template would write little of one."""
    rng = random.Random(7)
    (repo / "notes").mkdir()
    for n in range(8):
        body = "\n".join(" ".join(rng.choices(WORDS, k=12)) for _ in range(6))
        (repo / "notes" / f"n{n}.txt").write_text(f"Title: note {n}\n\n{body}\n")


def test_at_most_max_auto_approve_per_day_templates_are_approved_automatically(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good_families(repo, 7)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "families")
    monkeypatch.setenv("REPETEND_MAX_AUTO_APPROVE_PER_DAY", "2")
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    statuses = [f["status"] for f in report["families"]]
    assert len(statuses) >= 3  # every family would be approved without the cap
    assert statuses.count("approved") == 2
    held = next(f for f in report["families"] if f["status"] == "draft")
    shown = run_json(capsys, "candidates", "show", held["id"])
    assert "max_auto_approve_per_day" in json.dumps(shown)


def test_a_template_that_writes_little_of_a_file_is_low_value_not_proposed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prose_family(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "notes")
    assert main(["mine", "."]) == 0
    out = capsys.readouterr().out
    assert "1 low value (they write under 20% of a file, not proposed)" in out
    listed = run_json(capsys, "templates", "list")
    assert isinstance(listed, list)
    [notes] = listed
    assert notes["status"] == "rejected" and notes["yield"] < 0.2


@pytest.mark.parametrize(
    ("parts", "decision", "reason"),
    [
        ({"yield": 0.9, "held_out_exact": 1.0}, "approve", "auto_approve_threshold"),
        ({"yield": 0.9, "held_out_exact": 0.8}, "pending", "held-out exact 80% < 90%"),
        ({"yield": 0.1, "held_out_exact": 1.0}, "reject", "low value"),
    ],
)
def test_the_threshold_policy_asks_file_templates_for_yield_and_held_out(
    parts: dict[str, float], decision: str, reason: str
) -> None:
    from repetend.config import load_config
    from repetend.events import Candidate
    from repetend.patterns.classify import repetend_classify_candidate

    candidate = Candidate("file-template", "files:x/*.json", "x", 0.9, confidence_parts=parts)
    verdict = repetend_classify_candidate(candidate=candidate, config=load_config(None, {}))
    assert verdict.decision == decision
    assert reason in verdict.reason
