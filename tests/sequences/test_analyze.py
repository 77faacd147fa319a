"""`repetend analyze`: repeated sequences found, classified, deduplicated, reported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from repetend.cli import main
from tests.sequences.conftest import Run, session_lines

Ingest = Callable[[list[dict[str, Any]]], None]
CHECK = [("ruff check .", 800.0), ("pytest -q", 5000.0), ("git commit -m wip", 200.0)]


def sessions(count: int, habits: list[list[tuple[str, float | None]]], **options: Any) -> list:
    rows = []
    for number in range(count):
        rows += session_lines(f"s{number}", habits, **options)
    return rows


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in report["patterns"]}


def test_a_habit_repeated_across_sessions_becomes_a_pending_pattern(
    repo: Path, ingest: Ingest, analyze: Run
) -> None:
    ingest(sessions(12, [CHECK, CHECK]))
    report = analyze()
    assert report["events"] > 12 * 6
    (pattern,) = report["patterns"]
    assert pattern["steps"] == ["ruff check", "pytest", "git commit"]
    assert pattern["gapped"] is False
    assert pattern["occurrences"] == 24
    assert pattern["confidence"] > 0.99
    assert pattern["status"] == "draft"
    assert "24 occurrences < 200" in pattern["reason"]
    assert pattern["seconds_per_run"] == pytest.approx(6.0)
    assert pattern["estimated_savings"] == pytest.approx(24 * 6 / 3600 * 100, abs=0.01)
    kinds = [s["automation"] for s in pattern["suggestions"]]
    assert kinds == ["shell function", "Makefile target", "pre-commit local hook"]
    assert (repo / ".repetend" / "patterns" / "drafts" / f"{pattern['id']}.yaml").exists()


def test_a_gapped_sequence_is_found_when_the_middle_varies(
    repo: Path, ingest: Ingest, analyze: Run
) -> None:
    rows = []
    for number in range(10):
        middle = ["cat notes", "git diff", "ls", "top", "htop"][number % 5]
        habit = [("make build", None), (middle, None), ("make deploy", None)]
        rows += session_lines(f"s{number}", [habit, habit], noise=5)
    ingest(rows)
    names = by_name(analyze())
    gapped = names["make build … make deploy"]
    assert gapped["gapped"] is True
    assert gapped["occurrences"] == 20
    assert gapped["confidence"] > 0.99


def test_measured_durations_are_used_and_the_fallback_fills_the_rest(
    repo: Path, ingest: Ingest, analyze: Run
) -> None:
    habit = [("make lint", 1000.0), ("make docs", None), ("make dist", 3000.0)]
    ingest(sessions(8, [habit, habit]))
    (pattern,) = analyze("--dry-run")["patterns"]
    assert pattern["seconds_per_run"] == pytest.approx(1 + 30 + 3)


def test_analysing_again_updates_the_pattern_and_never_double_counts(
    repo: Path, ingest: Ingest, analyze: Run
) -> None:
    ingest(sessions(10, [CHECK, CHECK]))
    first = analyze()["patterns"][0]
    again = analyze()["patterns"][0]
    assert (again["id"], again["occurrences"], again["created"]) == (first["id"], 20, False)
    more = []
    for number in range(10, 15):
        more += session_lines(f"s{number}", [CHECK, CHECK])
    ingest(more)
    grown = analyze()["patterns"][0]
    assert (grown["id"], grown["occurrences"]) == (first["id"], 30)
    specs = list((repo / ".repetend" / "patterns").rglob("*.yaml"))
    assert len(specs) == 1


def test_a_dry_run_stores_nothing(repo: Path, ingest: Ingest, analyze: Run) -> None:
    ingest(sessions(10, [CHECK, CHECK]))
    report = analyze("--dry-run")
    assert report["patterns"][0]["status"] == "draft"
    assert not (repo / ".repetend" / "patterns").exists()
    assert analyze()["patterns"][0]["created"] is True


def test_destructive_steps_are_rejected_and_agent_tools_suggest_a_hook(
    repo: Path, ingest: Ingest, analyze: Run
) -> None:
    habit = [("tool:Edit src/app.py", None), ("tool:Bash rm -rf build", 300.0)]
    ingest(sessions(10, [habit, habit]))
    (pattern,) = analyze()["patterns"]
    assert pattern["steps"] == ["Edit *.py", "Bash: rm -rf"]
    assert pattern["status"] == "rejected"
    assert pattern["destructive"] is True
    assert "destructive" in pattern["reason"]
    assert [s["automation"] for s in pattern["suggestions"]] == ["agent hook"]


def test_thresholds_come_from_the_configuration(repo: Path, ingest: Ingest, analyze: Run) -> None:
    ingest(sessions(12, [CHECK, CHECK]))
    config = repo / ".repetend" / "config.yaml"
    config.write_text("sequence_approve_occurrences: 20\nsequence_approve_savings: 1\n")
    assert analyze("--dry-run")["patterns"][0]["status"] == "approved"


def test_a_weak_sequence_is_rejected_below_the_reject_confidence(
    repo: Path, ingest: Ingest, analyze: Run
) -> None:
    rows = []
    for number in range(3):
        rows += session_lines(f"s{number}", [[("make lint", None), ("make docs", None)]], noise=20)
    ingest(rows)
    (pattern,) = analyze("--dry-run")["patterns"]
    assert 0.95 < pattern["confidence"] < 0.99
    assert pattern["status"] == "draft"
    (repo / ".repetend" / "config.yaml").write_text("sequence_reject_confidence: 0.99\n")
    (rejected,) = analyze("--dry-run")["patterns"]
    assert rejected["status"] == "rejected"
    assert rejected["reason"] == f"confidence {pattern['confidence']:.4f} < 0.99"


def test_min_occurrences_and_the_window_limit_what_is_found(
    repo: Path, ingest: Ingest, analyze: Run
) -> None:
    old = datetime.now(timezone.utc) - timedelta(hours=30)
    ingest(sessions(10, [CHECK, CHECK], start=old))
    assert analyze("--dry-run")["patterns"] == []
    assert analyze("--dry-run", "--hours", "48")["patterns"][0]["occurrences"] == 20
    assert analyze("--dry-run", "--hours", "48", "--min-occurrences", "21")["patterns"] == []


def test_noise_alone_proposes_nothing(repo: Path, ingest: Ingest, analyze: Run) -> None:
    ingest(sessions(30, [[], [], []], noise=10))
    assert analyze("--dry-run")["patterns"] == []


def test_report_and_notification_log(
    repo: Path, ingest: Ingest, capsys: pytest.CaptureFixture[str]
) -> None:
    ingest(sessions(10, [CHECK, CHECK]))
    assert main(["analyze", "--report", "--notify", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "Pattern analysis of the last 24 h" in out
    assert "pending review: 1" in out
    assert "ruff check → pytest → git commit" in out
    (report,) = (repo / ".repetend" / "reports").glob("sequences-*.md")
    text = report.read_text()
    assert "| AUTO-" in text
    assert "**shell function**" in text
    log = repo / ".repetend" / "logs" / "notifications.log"
    assert "new pending pattern AUTO-" in log.read_text()
    assert main(["analyze", "--notify"]) == 0
    assert "0 new pending pattern(s) logged" in capsys.readouterr().out
    assert len(log.read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("noise", "count", "habits"), [(1, 40, 5), (2, 20, 4), (3, 10, 10), (4, 50, 3)]
)
def test_random_commands_before_a_habit_do_not_inherit_its_confidence(
    repo: Path, ingest: Ingest, analyze: Run, noise: int, count: int, habits: int
) -> None:
    """Few random commands between habits: often beside the habit, no more than chance says."""
    check = [(command, None) for command, _ in CHECK]
    ingest(sessions(count, [check] * habits, noise=noise))
    habit, *others = analyze("--dry-run")["patterns"]
    assert habit["steps"] == ["ruff check", "pytest", "git commit"]
    assert habit["confidence"] == 1.0
    for other in others:  # two noise commands in a row that chance put together, rejected
        assert not set(other["steps"]) & set(habit["steps"]), other["steps"]
        assert other["confidence"] < 0.95 and other["status"] == "rejected"
