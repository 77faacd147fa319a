"""A repository with an approved sensor template and repetend's git hooks installed."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.capture.git.gitrepo import commit, repetend, spool_empty, wait_for, write

SLUGS = ("air_quality", "door_lock", "motion_sensor", "smart_plug")


def sensor(slug: str) -> str:
    """A member of the family: the slug as snake and Pascal case, and three fixed settings."""
    pascal = "".join(word.capitalize() for word in slug.split("_"))
    return (
        f'"""The {slug} integration."""\n\n'
        "from homeauto import Entity, register\n\n"
        f'DOMAIN = "{slug}"\n\n\n'
        "@register\n"
        f"class {pascal}(Entity):\n"
        f'    name = "{slug}"\n'
        "    poll_seconds = 30\n"
        "    retries = 3\n"
    )


@pytest.fixture
def template(repo: Path) -> str:
    """The id of the approved template learned from four sensors (hooks installed after)."""
    for slug in SLUGS:
        write(repo, f"sensors/{slug}.py", sensor(slug))
    assert commit(repo, "sensors").returncode == 0
    repetend(repo, "hooks", "install")
    found = json.loads(repetend(repo, "mine", ".", "--json").stdout)["families"]
    [family] = found
    repetend(repo, "candidates", "approve", family["id"])
    return str(family["id"])


def committed(repo: Path, message: str, env: dict[str, str] | None = None) -> None:
    """Commit everything with the hooks, and wait for the post-commit ingest to finish."""
    from tests.capture.git.gitrepo import run

    run(repo, "git", "add", "-A")
    environ = {**os.environ, **(env or {})}
    import subprocess

    done = subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=repo, env=environ, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    wait_for(lambda: spool_empty(repo))


def uses(repo: Path) -> list[dict[str, Any]]:
    """Every recorded use, oldest first, read with plain SQL."""
    db = sqlite3.connect(repo / ".repetend" / "repetend.db")
    try:
        rows = db.execute(
            "SELECT pattern_id, version, outcome, seconds_saved, evidence FROM pattern_uses"
            " ORDER BY id"
        ).fetchall()
    finally:
        db.close()
    keys = ("pattern_id", "version", "outcome", "seconds_saved", "evidence")
    return [dict(zip(keys, (*row[:4], json.loads(row[4])), strict=True)) for row in rows]


def clock(seconds: float) -> dict[str, str]:
    """`REPETEND_CLOCK` set `seconds` after a fixed start (an hour from now: after approval)."""
    start = START + timedelta(seconds=seconds)
    return {"REPETEND_CLOCK": start.isoformat()}


START = (datetime.now(timezone.utc) + timedelta(hours=1)).replace(microsecond=0)
