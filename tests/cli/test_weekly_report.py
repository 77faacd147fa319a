"""`repetend report`: the weekly page of a seeded store matches figures computed here."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from repetend.cli import main
from repetend.config import load_config
from repetend.events import utcnow
from repetend.reports.weeks import week_of
from repetend.store import open_store
from repetend.store.base import PatternUse
from repetend.store.rows import to_text
from tests.cli.test_templates import run_json, template_id

UNKNOWN = "AUTO-20261101-009"  # a pattern whose spec is gone: its uses still count
# (pattern, day of the week, outcome, seconds saved); days < 0 are in the week before
SEEDS: list[tuple[str, float, str, float]] = [
    ("sensors", 0.2, "success", 120.0),
    ("sensors", 1.5, "success", 90.0),
    ("sensors", 2.0, "failure", 0.0),
    ("sensors", 3.1, "success", 60.0),
    ("sensors", 4.0, "workaround", 30.5),
    ("sensors", 5.9, "success", 45.0),
    ("sensors", 6.99, "failure", 0.0),
    ("sensors", -0.5, "success", 600.0),  # last week: not in the report
    ("sensors", 7.01, "success", 600.0),  # next week: not in the report
    (UNKNOWN, 1.0, "failure", 0.0),
    (UNKNOWN, 2.0, "failure", 0.0),
    (UNKNOWN, 3.0, "success", 900.0),
    ("manifests", -3.0, "success", 15.0),  # used last week only: underused this week
]


@pytest.fixture
def seeded(sensors: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Both families mined and approved, and the uses above recorded in the store."""
    run_json(capsys, "mine", ".")
    ids = {
        "sensors": template_id(capsys, "sensors/{{ slug }}.py"),
        "manifests": template_id(capsys, "manifests/{{ slug }}.json"),
        UNKNOWN: UNKNOWN,
    }
    for tid in (ids["sensors"], ids["manifests"]):
        assert main(["candidates", "approve", tid]) == 0
    start = week_of(utcnow()).start
    store = open_store(load_config(sensors, {}))
    for name, day, outcome, seconds in SEEDS:
        at = start + timedelta(days=day)
        store.record_use(PatternUse(ids[name], outcome, seconds_saved=seconds, at=at))
    store.close()
    return ids


def expected_rows(ids: dict[str, str], names: dict[str, str]) -> list[dict[str, object]]:
    """The week's figures per pattern, summed here from SEEDS."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for name, day, outcome, seconds in SEEDS:
        if 0 <= day < 7:
            row = sums[ids[name]]
            row["uses"] += 1
            row[outcome] += 1
            row["seconds"] += seconds
    return [
        {
            "pattern_id": pid,
            "name": names.get(pid, "(not in the store)"),
            "uses": int(row["uses"]),
            "successes": int(row["success"]),
            "failures": int(row["failure"]),
            "workarounds": int(row["workaround"]),
            "seconds_saved": row["seconds"],
        }
        for pid, row in sums.items()
    ]


def report_json(capsys: pytest.CaptureFixture[str], week: str) -> dict[str, object]:
    found = run_json(capsys, "report", "--week", week)
    assert isinstance(found, dict)
    return found


def names_of(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    listed = run_json(capsys, "candidates", "list")
    assert isinstance(listed, list)
    return {str(c["id"]): str(c["name"]) for c in listed}


def test_the_report_of_a_seeded_store_matches_figures_computed_independently(
    sensors: Path, seeded: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    week = week_of(utcnow())
    names = names_of(capsys)
    found = report_json(capsys, week.label)
    rows = expected_rows(seeded, names)
    by_use = sorted(rows, key=lambda r: (-int(r["uses"]), -float(r["seconds_saved"])))
    by_time = sorted(rows, key=lambda r: -float(r["seconds_saved"]))
    assert found["top_by_use"] == by_use
    assert found["top_by_time_saved"] == by_time
    week_seeds = [s for s in SEEDS if 0 <= s[1] < 7]
    seconds = sum(s[3] for s in week_seeds)
    assert found["totals"] == {
        "uses": len(week_seeds),
        "successes": sum(s[2] == "success" for s in week_seeds),
        "failures": sum(s[2] == "failure" for s in week_seeds),
        "workarounds": sum(s[2] == "workaround" for s in week_seeds),
        "seconds_saved": seconds,
        "patterns_used": 2,
        "value": round(seconds / 3600 * 100.0, 2),  # hourly_rate's default
    }
    (idle,) = found["underused"]
    last_manifest_use = week.start - timedelta(days=3)
    assert idle["pattern_id"] == seeded["manifests"]
    assert idle["last_used_at"] == last_manifest_use.isoformat()
    assert idle["uses_to_date"] == 1
    assert {c["id"] for c in found["new_candidates"]} == {
        seeded["sensors"],
        seeded["manifests"],
    }
    assert found["pending_review"] == 0
    actions = found["recommended_actions"]
    assert isinstance(actions, list)
    assert actions[0].startswith(f"Fix or quarantine {UNKNOWN}: 2 of its 3 uses failed")
    assert actions[1].startswith(f"Look at {seeded['sensors']}: 1 of its 7 uses this week needed")
    assert actions[2].startswith(
        f"1 approved pattern(s) were not used this week ({seeded['manifests']})"
    )
    assert len(actions) == 3


def test_the_page_is_written_with_the_same_figures(
    sensors: Path, seeded: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    week = week_of(utcnow())
    names = names_of(capsys)
    capsys.readouterr()
    assert main(["report", "--week", week.label]) == 0
    page = sensors / ".repetend" / "reports" / "weekly" / f"{week.label}.md"
    assert capsys.readouterr().out.endswith(f"Report: {page}\n")
    text = page.read_text()
    assert text.startswith(f"# repetend weekly report: {week.label}\n")
    sensors_row = next(
        r for r in expected_rows(seeded, names) if r["pattern_id"] == seeded["sensors"]
    )
    # 7 uses: 4 succeeded, 1 workaround, 2 failed, 345.5 s saved
    assert sensors_row["uses"] == 7 and sensors_row["seconds_saved"] == 345.5
    name = "sensors/{{ slug }}.py (4 files)"
    assert f"| {seeded['sensors']} | {name} | 7 | 4 | 1 | 2 | 5 min 46 s |" in text
    assert f"| {UNKNOWN} | (not in the store) | 3 | 1 | 0 | 2 | 15 min 00 s |" in text
    assert "- uses: 10 of 2 pattern(s): 5 succeeded, 1 with workarounds, 4 failed" in text
    assert "- time saved: 20 min 46 s (≈ 34.60 at hourly_rate 100)" in text
    assert "## Anti-patterns\n\nNone seen this week." in text
    assert [p.name for p in page.parent.iterdir()] == [page.name]  # no temporary file left


def test_anti_patterns_seen_in_the_week_are_listed(
    sensors: Path, seeded: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    week = week_of(utcnow())
    # Failure learning (another stage) fills this table; the report only reads it.
    with sqlite3.connect(sensors / ".repetend" / "repetend.db") as db:
        for signature, occurrences, seen in (
            ("ModuleNotFoundError: No module named <name>", 5, week.start + timedelta(days=1)),
            ("git push: no upstream branch", 3, week.start - timedelta(days=8)),
        ):
            db.execute(
                "INSERT INTO anti_patterns (signature, kind, description, occurrences, evidence,"
                " status, first_seen, last_seen) VALUES (?, 'command', ?, ?, '{}', 'active', ?, ?)",
                (signature, signature, occurrences, to_text(seen), to_text(seen)),
            )
    found = report_json(capsys, week.label)
    listed = found["anti_patterns"]
    assert isinstance(listed, list)
    assert [a["signature"] for a in listed] == ["ModuleNotFoundError: No module named <name>"]
    actions = found["recommended_actions"]
    assert isinstance(actions, list)
    assert any("1 anti-pattern(s) seen this week" in a and "(5 times)" in a for a in actions)
    page = (sensors / ".repetend" / "reports" / "weekly" / f"{week.label}.md").read_text()
    assert "| ModuleNotFoundError: No module named <name> | command | 5 | active |" in page


def test_another_week_holds_only_its_own_uses(
    sensors: Path, seeded: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    previous = week_of(utcnow() - timedelta(days=7))
    found = report_json(capsys, previous.label)
    totals = found["totals"]
    assert isinstance(totals, dict)
    assert (totals["uses"], totals["seconds_saved"]) == (2, 615.0)
    assert report_json(capsys, "last")["week"] == previous.label


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2026-W54", "--week: 2026 has no week 54 (its ISO weeks are 1 to 53)"),
        ("2025-W53", "--week: 2025 has no week 53 (its ISO weeks are 1 to 52)"),
        ("yesterday", "--week: expected a week such as 2026-W49 (or this, last), got 'yesterday'"),
    ],
)
def test_a_bad_week_is_one_line_naming_the_argument(repo: Path, week: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "report", "--week", week],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"repetend: error: {message}\n"
    assert not (repo / ".repetend" / "reports").exists()


def test_an_empty_store_gives_an_explained_page(repo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "report", "--week", "2026-W49"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("2026-W49: 0 use(s) of 0 pattern(s), 0 new candidate(s)")
    page = (repo / ".repetend" / "reports" / "weekly" / "2026-W49.md").read_text()
    assert "2026-11-30 to 2026-12-06 (UTC)" in page
    assert "No pattern was used this week." in page
    assert "None seen this week." in page
