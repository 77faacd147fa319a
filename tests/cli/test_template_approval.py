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


def test_one_line_files_and_copies_are_proposed_never_approved_automatically(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPETEND_AUTO_APPROVE_THRESHOLD", "0.05")  # any confidence would do
    monkeypatch.setenv("REPETEND_AUTO_REJECT_THRESHOLD", "0")
    good_families(repo, 1)  # one family worth approving, beside the plain ones
    for n in range(8):  # a locale's Compose file that includes another, one line each
        (repo / "locale" / f"l{n}").mkdir(parents=True)
        extra = '# Portuguese keys\n<dead_acute> <c> : "ç"\n' if n == 0 else ""  # one is longer
        (repo / "locale" / f"l{n}" / "Compose").write_text(f'include "/l{n}/Compose"\n{extra}')
        (repo / "teams" / f"t{n}").mkdir(parents=True)  # one-line ownership files
        (repo / "teams" / f"t{n}" / "OWNERS").write_text(f"* @org/team-{n}\n")
    for n in range(6):  # the same licence text copied into every package folder
        (repo / "doc" / f"pkg{n}").mkdir(parents=True)
        (repo / "doc" / f"pkg{n}" / "copyright").write_text(
            "Copyright: 2004 The XCB developers\n\nPermission is hereby granted, free of charge,\n"
            "to any person obtaining a copy of this software.\n"
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "families")
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    by_pattern = {f["path_pattern"]: f for f in report["families"]}
    assert by_pattern["kind0/{{ slug }}.json"]["status"] == "approved"
    plain = [f for pattern, f in by_pattern.items() if not pattern.startswith("kind0/")]
    assert len(plain) == 3
    for family in plain:
        assert family["status"] == "draft", family
        shown = json.dumps(run_json(capsys, "candidates", "show", family["id"]))
        assert "trivial: " in shown and "not approved automatically" in shown
