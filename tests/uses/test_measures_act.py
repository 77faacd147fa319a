"""The measures act: quarantine, the circuit breaker with its half-open trial, alerts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import repetend, write
from tests.uses.conftest import clock, committed, uses


def apply(repo: Path, template: str, *slugs: str, env: dict[str, str] | None = None) -> str:
    """`repetend apply` one row per slug (or flag); return its output (stdout and stderr)."""
    argv = [a for s in slugs for a in ((s,) if s.startswith("--") else ("--set", f"slug={s}"))]
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "apply", template, *argv],
        cwd=repo,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    return done.stdout + done.stderr


def shown(repo: Path, template: str, env: dict[str, str] | None = None) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "candidates", "show", template, "--json"],
        cwd=repo,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_ten_uses_with_five_failures_quarantine_the_template(repo: Path, template: str) -> None:
    slugs = [f"unit{n}" for n in range(10)]
    apply(repo, template, *slugs)
    for slug in slugs[1::2]:  # every other one deleted: never three failures in a row
        (repo / "sensors" / f"{slug}.py").unlink()
    committed(repo, "ten", clock(0))
    assert [u["outcome"] for u in uses(repo)] == ["success", "failure"] * 5
    quarantined = repo / ".repetend" / "patterns" / "quarantined"
    assert (quarantined / f"{template}.yaml").is_file()
    assert not (repo / ".repetend" / "patterns" / "approved" / f"{template}.yaml").exists()
    report = (quarantined / f"{template}.failures.md").read_text()
    assert "5 of its first 10 uses failed" in report and "sensors/unit9.py" in report
    assert shown(repo, template)["status"] == "quarantined"
    # No longer checked: a new file lacking the fixed text commits without a warning...
    write(repo, "sensors/bare.py", '"""Bare."""\n')
    from tests.capture.git.gitrepo import commit

    assert "repetend: warning" not in commit(repo, "bare").stderr
    # ...and not applied without --force.
    refused = apply(repo, template, "again")
    assert f"{template}: not applied: it is quarantined" in refused
    assert "--force" in refused


def test_a_person_fixes_and_reapproves_a_quarantined_template(repo: Path, template: str) -> None:
    apply(repo, template, *[f"u{n}" for n in range(10)])
    for n in range(1, 10, 2):
        (repo / "sensors" / f"u{n}.py").unlink()
    committed(repo, "ten", clock(0))
    repetend(repo, "candidates", "approve", template, "--note", "fixed")
    assert not (repo / ".repetend/patterns/quarantined" / f"{template}.failures.md").exists()
    assert "wrote sensors/fresh.py" in apply(repo, template, "fresh")
    committed(repo, "fresh", clock(10))
    standing = shown(repo, template)
    assert standing["monitoring"] == {  # a fresh window since the new approval
        "auto_approved": False,
        "first_uses": "1 of 10",
        "failures": 0,
        "quarantine_above": "40%",
    }


def open_the_circuit(repo: Path, template: str) -> None:
    apply(repo, template, "one", "two", "three")
    for slug in ("one", "two", "three"):
        (repo / "sensors" / f"{slug}.py").unlink()
    write(repo, "notes.txt", "three\n")  # something to commit
    committed(repo, "three failures", clock(0))


def test_three_failures_in_a_row_open_the_circuit_and_apply_refuses(
    repo: Path, template: str
) -> None:
    open_the_circuit(repo, template)
    circuit = shown(repo, template, clock(30))["circuit"]
    assert circuit["state"] == "open"  # type: ignore[index]
    assert circuit["reason"] == "3 failures in a row"  # type: ignore[index]
    refused = apply(repo, template, "four", env=clock(30))
    assert refused.strip().splitlines() == [
        f"repetend: error: {template}: not applied: its circuit is open (3 failures in a row);"
        " it takes a trial use in 30 s, or use --force to apply it anyway"
    ]
    assert not (repo / "sensors" / "four.py").exists()
    status = repetend(repo, "status", "--json").stdout
    assert f"{template} (" in status
    assert "wrote sensors/four.py" in apply(repo, template, "four", "--force", env=clock(30))


@pytest.mark.parametrize("trial_passes", [True, False])
def test_after_the_delay_one_trial_closes_the_circuit_or_quarantines(
    repo: Path, template: str, trial_passes: bool
) -> None:
    open_the_circuit(repo, template)
    assert shown(repo, template, clock(61))["circuit"]["state"] == "half-open"  # type: ignore[index]
    assert "wrote sensors/trial.py" in apply(repo, template, "trial", env=clock(61))
    if not trial_passes:
        (repo / "sensors" / "trial.py").write_text("nothing like it\n")
    committed(repo, "trial", clock(62))
    after = shown(repo, template, clock(63))
    if trial_passes:
        assert after["status"] == "approved"
        assert after["circuit"] == {"state": "closed", "failures_in_a_row": 0}
    else:
        assert after["status"] == "quarantined"
        history = after["history"]
        assert history[-1]["note"] == "its half-open trial use failed"  # type: ignore[index]


def test_alerts_go_through_the_notify_hook_with_their_level(repo: Path, template: str) -> None:
    open_the_circuit(repo, template)
    import sqlite3

    db = sqlite3.connect(repo / ".repetend" / "repetend.db")
    alerts = db.execute("SELECT level, message FROM pattern_alerts").fetchall()
    db.close()
    assert alerts == [
        ("HIGH", f"HIGH: {template}: circuit open (3 failures in a row): not applied")
    ]


def test_an_approved_pattern_unused_for_a_week_is_a_medium_alert_once(
    repo: Path, template: str
) -> None:
    week = clock(8 * 24 * 3600)
    first = subprocess.run(
        [sys.executable, "-m", "repetend", "detect"],
        cwd=repo,
        env={**os.environ, **week},
        capture_output=True,
        text=True,
    )
    assert f"MEDIUM: {template}: approved and unused for" in first.stdout + first.stderr
    again = subprocess.run(
        [sys.executable, "-m", "repetend", "detect"],
        cwd=repo,
        env={**os.environ, **week},
        capture_output=True,
        text=True,
    )
    assert "MEDIUM" not in again.stdout + again.stderr


def test_an_auto_approved_template_is_monitored_through_its_first_uses(repo: Path) -> None:
    from tests.capture.git.gitrepo import commit
    from tests.uses.conftest import SLUGS, sensor

    for slug in SLUGS:
        write(repo, f"sensors/{slug}.py", sensor(slug))
    commit(repo, "sensors")
    repetend(repo, "hooks", "install")
    (repo / ".repetend" / "config.yaml").write_text("auto_approve_threshold: 0.3\n")
    [family] = json.loads(repetend(repo, "mine", ".", "--json").stdout)["families"]
    template = str(family["id"])
    assert family["status"] == "approved"  # aggressive mode: confidence 0.40 >= 0.3
    apply(repo, template, *[f"auto{n}" for n in range(4)])
    for n in (1, 3):
        (repo / "sensors" / f"auto{n}.py").unlink()
    committed(repo, "four", clock(0))
    monitoring = shown(repo, template)["monitoring"]
    assert monitoring == {
        "auto_approved": True,
        "first_uses": "4 of 10",
        "failures": 2,
        "quarantine_above": "40%",
    }


def test_an_open_circuit_is_not_suggested_until_half_open(
    repo: Path, template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repetend.config import load_config
    from repetend.plugins.registry import call_hook, get_plugin_manager
    from repetend.plugins.types import SuggestionContext
    from repetend.store import open_store

    open_the_circuit(repo, template)
    new = write(repo, "sensors/new_one.py", "")
    config = load_config(repo)
    manager = get_plugin_manager()

    def suggested(seconds: float) -> list[str]:
        monkeypatch.setenv("REPETEND_CLOCK", clock(seconds)["REPETEND_CLOCK"])
        store = open_store(config)
        context = SuggestionContext("file-created", repo, new, {"config": config}, store=store)
        answers = call_hook(manager, "repetend_suggest", context=context)
        store.close()
        return [s.pattern_id for answer in answers for s in answer]

    assert template not in suggested(30)
    assert template in suggested(61)  # half-open: the next use is its trial


def test_past_its_first_uses_a_failure_rate_above_half_is_critical_and_quarantines(
    repo: Path, template: str
) -> None:
    outcomes = ["success"] * 10 + ["failure", "failure", "success"] * 4
    slugs = [f"s{n}" for n in range(len(outcomes))]
    apply(repo, template, *slugs)
    for slug, outcome in zip(slugs, outcomes, strict=True):
        if outcome == "failure":
            (repo / "sensors" / f"{slug}.py").unlink()
    committed(repo, "many", clock(0))
    assert [u["outcome"] for u in uses(repo)] == outcomes
    # Worked out by hand: the last ten first hold 5 failures at use 17 (HIGH, > 40%),
    # then 6 at use 18 (CRITICAL, > 50%).
    import sqlite3

    db = sqlite3.connect(repo / ".repetend" / "repetend.db")
    levels = [row[0] for row in db.execute("SELECT level FROM pattern_alerts ORDER BY id")]
    db.close()
    assert levels == ["HIGH", "CRITICAL"]
    after = shown(repo, template)
    assert after["status"] == "quarantined"
    assert after["history"][-1]["note"] == "60% of its last 10 uses failed"  # type: ignore[index]
