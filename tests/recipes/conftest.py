"""Recipes written as approved spec files (as a teammate commits them) and a real CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

RECIPE = "AUTO-20261204-5ec1be"


def write_recipe(repo: Path, run: list[str], *, status: str = "approved", **spec: Any) -> str:
    """An approved sequence pattern with `run:` steps, written where git would bring it."""
    folder = {"approved": "approved", "draft": "drafts"}[status]
    document = {
        "id": RECIPE,
        "kind": "sequence",
        "signature": "sequence:test-recipe",
        "name": "a recipe under test",
        "status": status,
        "version": "1.0.0",
        "confidence": {"score": 0.99, "parts": {"association": 0.99}},
        "occurrences": 24,
        "destructive": False,
        "created_at": "2026-12-01T09:30:00+00:00",
        "updated_at": "2026-12-01T09:30:00+00:00",
        "steps": ["printf", "test"],
        "run": run,
        **spec,
    }
    path = repo / ".repetend" / "patterns" / folder / f"{RECIPE}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return RECIPE


def recipes(
    repo: Path, *argv: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`repetend recipes …` as a real process in `repo` (stdin is not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "repetend", "recipes", *argv],
        cwd=repo,
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


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
