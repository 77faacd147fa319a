"""`repetend init --ci github` and the cron jobs: the three schedules, valid and runnable."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from repetend.cli import main
from repetend.config import load_config
from repetend.events import utcnow
from repetend.reports.weeks import week_of
from repetend.store import open_store
from repetend.store.base import PatternUse
from tests.cli.test_templates import run_json, template_id
from tests.conftest import CORPORA, REPO_ROOT

SCHEMA = json.loads((CORPORA / "schemastore" / "github-workflow.json").read_text())
JOBS = REPO_ROOT / "scripts" / "cron" / "repetend_jobs.sh"
# One field of a POSIX cron line: *, a number, a range, a list, each with an optional step.
CRON_FIELD = r"(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*"
CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]


def workflow(root: Path) -> dict[str, Any]:
    document = yaml.safe_load((root / ".github" / "workflows" / "repetend.yml").read_text())
    assert isinstance(document, dict)
    document["on"] = document.pop(True)  # YAML 1.1 reads a bare `on` as true; GitHub does not
    return document


def valid_cron(line: str) -> bool:
    fields = line.split()
    if len(fields) != 5 or not all(re.fullmatch(CRON_FIELD, f) for f in fields):
        return False
    numbers = [[int(n) for n in re.findall(r"(?<!/)\b\d+", f)] for f in fields]
    return all(lo <= n <= hi for ns, (lo, hi) in zip(numbers, CRON_RANGES, strict=True) for n in ns)


def test_init_writes_a_workflow_valid_against_the_github_schema(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = run_json(capsys, "init", "--ci", "github")
    assert isinstance(found, dict)
    assert found["workflow"] == str(repo / ".github" / "workflows" / "repetend.yml")
    assert found["workflow_created"] is True
    document = workflow(repo)
    errors = [e.message for e in Draft7Validator(SCHEMA).iter_errors(document)]
    assert errors == []


def test_the_schema_check_is_live(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "init", "--ci", "github")
    document = workflow(repo)
    del document["jobs"]["detect"]["runs-on"]
    document["on"]["schedule"].append({"crontab": "0 0 * * *"})
    assert len(list(Draft7Validator(SCHEMA).iter_errors(document))) >= 2


def test_three_schedules_each_run_one_job(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "init", "--ci", "github")
    document = workflow(repo)
    crons = [entry["cron"] for entry in document["on"]["schedule"]]
    assert crons == ["0 */6 * * *", "0 7 * * 1", "0 5 1 * *"]
    assert all(valid_cron(line) for line in crons)
    assert not valid_cron("0 25 * * *") and not valid_cron("*/6 * * *")
    conditions = {name: job["if"] for name, job in document["jobs"].items()}
    for cron, name in zip(crons, ("detect", "weekly-report", "monthly-cleanup"), strict=True):
        assert conditions[name] == f"github.event.schedule == '{cron}' || inputs.job == '{name}'"
    options = document["on"]["workflow_dispatch"]["inputs"]["job"]["options"]
    assert options == list(conditions)


def run_lines(document: dict[str, Any]) -> dict[str, list[str]]:
    """The repetend commands each job runs."""
    return {
        name: [s["run"] for s in job["steps"] if s.get("run", "").startswith("repetend ")]
        for name, job in document["jobs"].items()
    }


def test_every_command_the_workflow_runs_works(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "init", "--ci", "github")
    commands = run_lines(workflow(sensors))
    assert commands == {
        "detect": ["repetend mine .", "repetend detect"],
        "weekly-report": ["repetend report --week last"],
        "monthly-cleanup": [
            "repetend archive --unused-days 90 --apply --actor github-actions",
            "repetend purge --apply",
        ],
    }
    for line in [line for lines in commands.values() for line in lines]:
        argv = shlex.split(line)[1:]
        done = subprocess.run(
            [sys.executable, "-m", "repetend", *argv], cwd=sensors, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{line}: {done.stderr}"
    last_week = week_of(utcnow() - timedelta(days=7)).label
    assert (sensors / ".repetend" / "reports" / "weekly" / f"{last_week}.md").is_file()


def test_init_again_keeps_an_edited_workflow(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "init", "--ci", "github")
    path = repo / ".github" / "workflows" / "repetend.yml"
    path.write_text(path.read_text().replace('"3.12"', '"3.13"'))
    edited = path.read_text()
    capsys.readouterr()
    assert main(["init", "--ci", "github"]) == 0
    assert f"workflow: {path} (kept: it exists)" in capsys.readouterr().out
    assert path.read_text() == edited


def cron_job(repo: Path, job: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(JOBS), job, str(repo)],
        env={**os.environ, "REPETEND_BIN": f"{sys.executable} -m repetend", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_cron_wrapper_writes_last_weeks_report(repo: Path) -> None:
    done = cron_job(repo, "weekly")
    assert done.returncode == 0, done.stderr
    log = (repo / ".repetend" / "logs" / "weekly_report.log").read_text()
    assert "repetend report --week last" in log
    assert "=== exit status 0" in log
    last_week = week_of(utcnow() - timedelta(days=7)).label
    assert (repo / ".repetend" / "reports" / "weekly" / f"{last_week}.md").is_file()


def test_the_cron_wrapper_archives_idle_patterns_and_purges_monthly(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    idle = template_id(capsys, "sensors/{{ slug }}.py")
    assert main(["candidates", "approve", idle]) == 0
    store = open_store(load_config(sensors, {}))
    store.record_use(PatternUse(idle, "success", at=utcnow() - timedelta(days=120)))
    store.close()
    done = cron_job(sensors, "monthly", REPETEND_UNUSED_DAYS="100")
    assert done.returncode == 0, done.stderr
    log = (sensors / ".repetend" / "logs" / "monthly_cleanup.log").read_text()
    assert "repetend archive --unused-days 100 --apply --actor repetend-cron" in log
    assert "archived 1 approved pattern(s) unused for 100 days or more." in log
    assert "repetend purge --apply" in log
    assert log.count("=== exit status 0") == 2
    assert (sensors / ".repetend" / "patterns" / "rejected" / f"{idle}.yaml").exists()


def test_the_cron_wrapper_refuses_an_unknown_job(repo: Path) -> None:
    done = cron_job(repo, "hourly")
    assert done.returncode == 2
    assert done.stderr == (
        "repetend_jobs: JOB must be daily, detect, weekly or monthly, got 'hourly'\n"
    )
