"""The command line: help that teaches, review commands, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import repetend
from repetend.cli import cli
from repetend.events import Event, utcnow
from repetend.store.sqlite import SQLiteStore


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", all_commands(cli))
def test_every_command_explains_itself_with_an_example(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert len(result.stdout.splitlines()) >= 4


def make_candidate(repo: Path) -> str:
    for i in range(3):
        with repetend.record("job", inputs={"name": f"n{i}"}):
            pass
    [spec] = (repo / ".repetend" / "patterns" / "drafts").glob("*.yaml")
    return spec.stem


def test_init_creates_the_layout_and_is_safe_to_repeat(repo: Path) -> None:
    assert run("init").exit_code == 0
    (repo / ".repetend" / "config.yaml").write_text("min_examples: 4\n")
    assert run("init").exit_code == 0
    assert (repo / ".repetend" / "config.yaml").read_text() == "min_examples: 4\n"
    for folder in ("drafts", "approved", "rejected", "quarantined"):
        assert (repo / ".repetend" / "patterns" / folder).is_dir()
    assert (repo / ".repetend" / "repetend.db").exists()


def test_review_flow_moves_files_and_keeps_history(repo: Path) -> None:
    candidate = make_candidate(repo)
    listed = json.loads(run("candidates", "list", "--json").stdout)
    assert [(c["id"], c["status"]) for c in listed] == [(candidate, "draft")]
    result = run("candidates", "reject", candidate, "--note", "one-off", "--actor", "ana")
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        f"{candidate} is now rejected: .repetend/patterns/rejected/{candidate}.yaml"
    )
    assert not (repo / ".repetend" / "patterns" / "drafts" / f"{candidate}.yaml").exists()
    shown = json.loads(run("candidates", "show", candidate, "--json").stdout)
    assert shown["status"] == "rejected"
    assert shown["history"][-1] == {
        "from": "draft",
        "to": "rejected",
        "actor": "ana",
        "note": "one-off",
        "at": shown["history"][-1]["at"],
    }
    assert run("candidates", "list", "--status", "draft").stdout.startswith("No candidates")
    assert run("candidates", "approve", candidate).exit_code == 0
    assert (repo / ".repetend" / "patterns" / "approved" / f"{candidate}.yaml").exists()


@pytest.mark.parametrize("decision", ["approve", "reject", "quarantine"])
def test_a_decision_is_said_once(repo: Path, decision: str) -> None:
    candidate = make_candidate(repo)
    result = run("candidates", decision, candidate, "--note", "why")
    assert result.exit_code == 0
    assert result.stderr == ""  # the notifier keeps quiet: the command says it on stdout
    assert result.output.count(f"{candidate} is now") == 1


def test_show_prints_yaml_with_variables(repo: Path) -> None:
    candidate = make_candidate(repo)
    result = run("candidates", "show", candidate)
    assert result.exit_code == 0
    assert f"id: {candidate}" in result.stdout
    assert "variables:" in result.stdout and "name:" in result.stdout


def test_unknown_candidate_is_one_line_and_exit_1(repo: Path) -> None:
    result = run("candidates", "approve", "AUTO-20200101-001")
    assert result.exit_code == 1
    assert result.stderr == (
        "repetend: error: no candidate 'AUTO-20200101-001' (see `repetend candidates list`)\n"
    )


def test_same_status_twice_is_a_usage_error(repo: Path) -> None:
    candidate = make_candidate(repo)
    run("candidates", "approve", candidate)
    result = run("candidates", "approve", candidate)
    assert result.exit_code == 2
    assert "is already approved" in result.stderr


def test_status_reports_counts(repo: Path) -> None:
    make_candidate(repo)
    data = json.loads(run("status", "--json").stdout)
    assert data["enabled"] is True
    assert data["counts"]["executions"] == 3
    assert data["candidates"] == {"draft": 1}
    text = run("status").stdout
    assert "executions: 3" in text and "1 draft" in text


def test_purge_is_a_dry_run_unless_applied(repo: Path) -> None:
    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    store.add_events([Event("git", "commit", created_at=utcnow() - timedelta(days=120))])
    store.add_events([Event("git", "commit")])
    store.close()
    dry = run("purge")
    assert dry.exit_code == 0
    assert "would remove rows older than 90 days: 0 executions, 1 events" in dry.stdout
    assert "--apply" in dry.stdout
    applied = json.loads(run("purge", "--apply", "--json").stdout)
    assert applied["rows"]["events"] == 1
    assert json.loads(run("status", "--json").stdout)["counts"]["events"] == 1


def test_store_option_points_elsewhere(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.db"
    assert run("--store", str(other), "init").exit_code == 0
    assert other.exists() and not (repo / ".repetend" / "repetend.db").exists()


def test_postgres_address_is_a_clear_error(repo: Path) -> None:
    # A socket folder with no server in it: nothing is looked up on any network.
    result = run("--store", f"postgresql://u:p@/repetend?host={repo}&port=1", "status")
    assert result.exit_code == 1
    assert "PostgreSQL" in result.stderr and "p@" not in result.stderr


def test_real_executable_exit_codes(repo: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "repetend", "--version"], capture_output=True, text=True
    )
    assert ok.returncode == 0 and ok.stdout.startswith("repetend ")
    bad = subprocess.run(
        [sys.executable, "-m", "repetend", "candidates", "show", "nope"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "repetend: error: no candidate 'nope' (see `repetend candidates list`)"
    ]
    usage = subprocess.run(
        [sys.executable, "-m", "repetend", "purge", "--days", "0"], capture_output=True, text=True
    )
    assert usage.returncode == 2
