"""`repetend archive`: approved patterns unused for N days are archived (rejected, with a note)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from repetend.cli import main
from repetend.config import load_config
from repetend.events import utcnow
from repetend.store import open_store
from repetend.store.base import PatternUse
from tests.cli.test_templates import run_json, template_id


@pytest.fixture
def approved(sensors: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Both families approved; the sensors one last used 100 days ago, manifests 10 days ago."""
    run_json(capsys, "mine", ".")
    old = template_id(capsys, "sensors/{{ slug }}.py")
    recent = template_id(capsys, "manifests/{{ slug }}.json")
    store = open_store(load_config(sensors, {}))
    for tid, days in ((old, 100), (recent, 10)):
        assert main(["candidates", "approve", tid]) == 0
        store.record_use(PatternUse(tid, "success", at=utcnow() - timedelta(days=days)))
    store.close()
    return old, recent


def test_a_dry_run_lists_what_would_be_archived(
    sensors: Path, approved: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    old, _recent = approved
    found = run_json(capsys, "archive", "--unused-days", "90")
    assert isinstance(found, dict)
    assert found["applied"] is False
    assert [(p["id"], p["idle_days"]) for p in found["patterns"]] == [(old, 100)]
    assert (sensors / ".repetend" / "patterns" / "approved" / f"{old}.yaml").exists()


def test_apply_archives_with_a_note_in_the_audit_log(
    sensors: Path, approved: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    old, recent = approved
    capsys.readouterr()
    assert main(["archive", "--unused-days", "90", "--apply", "--actor", "ci"]) == 0
    assert capsys.readouterr().out.startswith("archived 1 approved pattern(s) unused for 90 days")
    patterns = sensors / ".repetend" / "patterns"
    assert (patterns / "rejected" / f"{old}.yaml").exists()
    assert (patterns / "rejected" / old).is_dir()  # the template folder moved with it
    assert (patterns / "approved" / f"{recent}.yaml").exists()
    shown = run_json(capsys, "candidates", "show", old)
    assert isinstance(shown, dict)
    last = shown["history"][-1]
    assert (last["from"], last["to"], last["actor"]) == ("approved", "rejected", "ci")
    day = (utcnow() - timedelta(days=100)).date().isoformat()
    assert last["note"] == f"archived: unused for 90 days or more (last used: {day})"
    again = run_json(capsys, "archive", "--unused-days", "5")
    assert isinstance(again, dict)
    assert [(p["id"], p["idle_days"]) for p in again["patterns"]] == [(recent, 10)]


def test_a_pattern_approved_today_and_never_used_is_not_idle(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    assert main(["candidates", "approve", template_id(capsys, "sensors/{{ slug }}.py")]) == 0
    found = run_json(capsys, "archive", "--unused-days", "1")
    assert isinstance(found, dict)
    assert found["patterns"] == []
