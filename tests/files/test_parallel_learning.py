"""Learning families in worker processes gives the same templates as learning them in turn."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import RUN_NAMES, WORKFLOWS, workflow

TEAMS = {"billing": "payments", "search": "index", "mailer": "smtp", "gateway": "edge"}


def mine(root: Path, workers: str) -> dict[str, object]:
    """`repetend mine . --json` in a real process with `mine_workers` set."""
    environment = {**os.environ, "REPETEND_MINE_WORKERS": workers, "REPETEND_PLUGINS": ""}
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "mine", ".", "--json"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert isinstance(report, dict)
    return report


def templates(root: Path) -> dict[str, str]:
    """Every Jinja2 file written for the drafts, by its path under the patterns folder."""
    folder = root / ".repetend" / "patterns"
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*.jinja")}


def test_two_workers_learn_the_same_templates_as_one(repo: Path, tmp_path: Path) -> None:
    (repo / "workflows").mkdir()
    for slug, steps in WORKFLOWS.items():
        (repo / "workflows" / f"{slug}.yml").write_text(
            workflow(slug, steps, RUN_NAMES.get(slug, ""))
        )
    (repo / "teams").mkdir()
    for team, service in TEAMS.items():
        (repo / "teams" / f"{team}.json").write_text(
            json.dumps({"name": team, "owns": [service], "oncall": f"{team}-rota"}, indent=2)
        )
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "files"],
        cwd=repo,
        check=True,
    )
    twin = tmp_path / "twin"
    shutil.copytree(repo, twin)
    alone, together = mine(repo, "1"), mine(twin, "2")
    assert len(alone["families"]) == 2  # type: ignore[arg-type]
    assert together["families"] == alone["families"]
    learned = templates(repo)
    assert learned and templates(twin) == learned


def test_two_workers_index_the_same_files_as_one(repo: Path, tmp_path: Path) -> None:
    # 200 files: four chunks of the index are read in workers (see `parallel_index.CHUNK`)
    for number in range(120):
        folder = repo / "handlers" / f"group{number % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"handler_{number:03d}.py").write_text(
            f'"""Handler {number}."""\n\nfrom app import route\n\n\n@route("/h/{number}")\n'
            f"def handle_{number}(request):\n    return {number}\n"
        )
    for number in range(80):
        (repo / "notes").mkdir(exist_ok=True)
        (repo / "notes" / f"note_{number:03d}.md").write_text(
            f"# Note {number}\n\nText {number}.\n"
        )
    (repo / "notes" / "key.pem").write_text("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "files"],
        cwd=repo,
        check=True,
    )
    twin = tmp_path / "twin"
    shutil.copytree(repo, twin)
    alone, together = mine(repo, "1"), mine(twin, "2")
    assert together == alone
    assert alone["files"] == 200 and alone["skipped"] == {"secret": 1}  # type: ignore[index]
    assert templates(twin) == templates(repo)
