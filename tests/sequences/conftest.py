"""Fixtures for the analysis: event streams written as JSONL and fed through the CLI."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from repetend.cli import main

NOISE = ["ls", "cd src", "vim app.py", "cat notes", "git status", "htop", "less README", "top"]
Run = Callable[..., Any]


def session_lines(
    session: str,
    habits: Iterable[list[tuple[str, float | None]]],
    *,
    noise: int = 6,
    start: datetime | None = None,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """One session: noise commands with each habit (command, duration) inserted in between."""
    rng = random.Random(f"{session}-{seed}")
    moment = start or datetime.now(timezone.utc) - timedelta(hours=1)
    rows: list[dict[str, Any]] = []
    for habit in habits:
        for _ in range(noise):
            rows.append({"kind": "command", "session": session, "command": rng.choice(NOISE)})
        for command, duration in habit:
            row: dict[str, Any] = {"kind": "command", "session": session, "command": command}
            if command.startswith("tool:"):
                name, _, value = command[5:].partition(" ")
                key = "command" if name == "Bash" else "file_path"
                row = {"kind": "tool_use", "session": session, "tool": name, "input": {key: value}}
            if duration is not None:
                row["duration_ms"] = duration
            rows.append(row)
    for offset, row in enumerate(rows):
        row["time"] = (moment + timedelta(seconds=offset)).isoformat()
    return rows


@pytest.fixture
def ingest(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[[list[dict[str, Any]]], None]:
    """Store rows through `repetend ingest jsonl`."""
    counter = iter(range(1000))

    def store(rows: list[dict[str, Any]]) -> None:
        path = repo / f"events-{next(counter)}.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
        assert main(["ingest", "jsonl", str(path)]) == 0
        capsys.readouterr()

    return store


@pytest.fixture
def analyze(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `repetend analyze --json …`; return the parsed report."""

    def run(*args: str) -> Any:
        capsys.readouterr()
        assert main(["analyze", "--json", *args]) == 0
        return json.loads(capsys.readouterr().out)

    return run
