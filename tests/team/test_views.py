"""One person's view or the team's: `--user` and friends on analyze and report, via sync."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.pg_cluster import Cluster
from tests.recipes.conftest import write_recipe
from tests.sequences.conftest import session_lines


def cli(root: Path, user: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """repetend as `user` (the login name sync stamps) in `root`."""
    env = {**os.environ, "USER": user, "LOGNAME": user}
    return subprocess.run(
        [sys.executable, "-m", "repetend", *argv],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def machine(tmp_path: Path, name: str, url: str, identity: str) -> Path:
    """A clone of its own with the team store configured (a git repository, no remote)."""
    root = tmp_path / name
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    (root / ".repetend").mkdir()
    config = f"team_store: '{url}'\nteam_identity: {identity}\n"
    (root / ".repetend" / "config.yaml").write_text(config)
    return root


def habit_events(root: Path, user: str, habit: list[str]) -> None:
    steps: list[tuple[str, float | None]] = [(command, None) for command in habit]
    rows = [row for n in range(8) for row in session_lines(f"{user}{n}", [steps, steps])]
    (root / "events.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    assert cli(root, user, "ingest", "jsonl", "events.jsonl").returncode == 0


def report(root: Path, user: str, url: str, *argv: str) -> dict[str, Any]:
    done = cli(root, user, "--store", url, "report", "--week", "this", "--json", *argv)
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize("identity", ["hashed", "named"])
def test_each_person_has_a_view_of_the_team_store_and_the_team_has_all(
    tmp_path: Path, pg_cluster: Cluster, identity: str
) -> None:
    url = pg_cluster.url()
    ana, bo = machine(tmp_path, "ana", url, identity), machine(tmp_path, "bo", url, identity)
    for root in (ana, bo):
        write_recipe(root, ["test -f ok.txt"])
    (ana / "ok.txt").write_text("")
    for _ in range(2):
        assert cli(ana, "ana", "recipes", "run", "AUTO-20261204-5ec1be").returncode == 0
    assert cli(bo, "bo", "recipes", "run", "AUTO-20261204-5ec1be").returncode == 1
    habit_events(ana, "ana", ["make lint", "make docs"])
    habit_events(bo, "bo", ["cargo fmt", "cargo clippy"])
    for root, user in ((ana, "ana"), (bo, "bo")):
        done = cli(root, user, "sync")
        assert done.returncode == 0, done.stderr
        assert "pattern use(s)" in done.stdout

    team = report(ana, "ana", url)
    assert (team["scope"], team["totals"]["uses"], team["totals"]["failures"]) == ("the team", 3, 1)
    mine = report(ana, "ana", url, "--user", "me")
    assert (mine["scope"], mine["totals"]["uses"], mine["totals"]["failures"]) == ("user me", 2, 0)
    theirs = report(ana, "ana", url, "--user", "bo")
    assert (theirs["totals"]["uses"], theirs["totals"]["failures"]) == (1, 1)
    assert theirs["path"].endswith("-user-bo.md") and team["path"].endswith(f"{team['week']}.md")
    assert report(ana, "ana", url, "--user", "nobody")["totals"]["uses"] == 0
    assert report(ana, "ana", url, "--branch", "main")["totals"]["uses"] == 3

    def habits(*scope: str) -> list[list[str]]:
        done = cli(ana, "ana", "--store", url, "analyze", "--dry-run", "--json", *scope)
        assert done.returncode == 0, done.stderr
        return sorted(p["steps"] for p in json.loads(done.stdout)["patterns"])

    assert habits("--user", "ana") == [["make lint", "make docs"]]
    assert habits("--user", "bo") == [["cargo fmt", "cargo clippy"]]
    assert habits() == [["cargo fmt", "cargo clippy"], ["make lint", "make docs"]]


def test_on_a_machines_own_store_me_is_everything_and_others_are_nothing(repo: Path) -> None:
    write_recipe(repo, ["true"])
    user = os.environ.get("USER", "someone")
    assert cli(repo, user, "recipes", "run", "AUTO-20261204-5ec1be").returncode == 0
    done = cli(repo, user, "report", "--week", "this", "--json", "--user", "me")
    assert json.loads(done.stdout)["totals"]["uses"] == 1
    done = cli(repo, user, "report", "--week", "this", "--json", "--user", "someone-else")
    assert json.loads(done.stdout)["totals"]["uses"] == 0


def test_a_use_recorded_straight_into_the_team_store_says_who(
    tmp_path: Path, pg_cluster: Cluster
) -> None:
    url = pg_cluster.url()
    root = machine(tmp_path, "cy", url, "named")
    write_recipe(root, ["true"])
    done = cli(root, "cy", "--store", url, "recipes", "run", "AUTO-20261204-5ec1be")
    assert done.returncode == 0, done.stderr
    assert report(root, "cy", url, "--user", "me")["totals"]["uses"] == 1
    assert report(root, "cy", url, "--branch", "main")["totals"]["uses"] == 1
    assert report(root, "dee", url, "--user", "me")["totals"]["uses"] == 0  # not dee's


def test_events_written_straight_into_the_team_store_say_who_and_where(
    tmp_path: Path, pg_cluster: Cluster
) -> None:
    url = pg_cluster.url()
    root = machine(tmp_path, "eve", url, "named")
    config = root / ".repetend" / "config.yaml"  # the team store is this clone's only store
    config.write_text(f"store: '{url}'\nteam_identity: named\n")
    steps: list[tuple[str, float | None]] = [("make lint", None), ("make docs", None)]
    rows = [row for n in range(8) for row in session_lines(f"eve{n}", [steps, steps])]
    (root / "events.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    ingested = cli(root, "eve", "ingest", "jsonl", "events.jsonl")
    assert ingested.returncode == 0, ingested.stderr

    def habits(user: str, *argv: str) -> list[Any]:
        done = cli(root, user, "analyze", "--dry-run", "--json", *argv)
        assert done.returncode == 0, done.stderr
        found: list[Any] = json.loads(done.stdout)["patterns"]
        return found

    assert habits("eve")  # the team's view
    assert habits("eve", "--user", "me") and habits("eve", "--branch", "main")
    assert habits("eve", "--user", "eve") == habits("eve", "--user", "me")
    assert habits("eve", "--user", "dee") == []  # stamped as eve's, not anyone's
