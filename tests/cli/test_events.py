"""`repetend events` (alias `log`): what was captured, with filters and --json."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from repetend.cli import main
from repetend.cli.events import parse_since

NOW = datetime.now(timezone.utc)


def at(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).isoformat()


ROWS = [
    {"kind": "command", "session": "s1", "command": "make test", "exit_status": 2, "time": at(5)},
    {"kind": "command", "session": "s1", "command": "make lint", "exit_status": 0, "time": at(1)},
    {"kind": "tool_use", "session": "c1", "tool": "Edit", "source": "claude-code",
     "input": {"file_path": "a.py"}, "success": True, "time": at(0.5)},
    {"kind": "test", "session": "p1", "source": "pytest", "time": at(0.2),
     "payload": {"nodeid": "tests/test_a.py::test_x", "outcome": "failed"}},
]  # fmt: skip


@pytest.fixture
def captured(repo: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    (repo / "events.jsonl").write_text("".join(json.dumps(row) + "\n" for row in ROWS))
    assert main(["ingest", "jsonl", "events.jsonl"]) == 0
    capsys.readouterr()
    return repo


def listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["events", *args, "--json"]) == 0
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def test_events_lists_everything_oldest_first(
    captured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    every = listed(capsys)
    assert [e["kind"] for e in every] == ["command", "command", "tool_use", "test"]
    assert [e["failed"] for e in every] == [True, False, False, True]
    assert main(["log"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["time", "source", "kind", "session", "what"]
    assert "command (failed)" in lines[1] and lines[1].endswith("make test")
    assert lines[4].endswith("tests/test_a.py::test_x")


def test_filters_combine(captured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [e["source"] for e in listed(capsys, "--failed")] == ["jsonl", "pytest"]
    assert [e["kind"] for e in listed(capsys, "--source", "claude-code")] == ["tool_use"]
    recent = listed(capsys, "--since", "2h")
    assert [e["payload"]["command"] for e in recent if e["kind"] == "command"] == ["make lint"]  # type: ignore[index]
    assert listed(capsys, "--since", "2h", "--failed", "--source", "jsonl") == []
    assert len(listed(capsys, "--limit", "1")) == 1


def test_since_takes_spans_and_dates() -> None:
    now = datetime(2026, 11, 21, 12, tzinfo=timezone.utc)
    assert parse_since("30m", now) == now - timedelta(minutes=30)
    assert parse_since("3d", now) == now - timedelta(days=3)
    assert parse_since("2026-11-20") == datetime(2026, 11, 20, tzinfo=timezone.utc)


def test_a_bad_since_is_one_line_naming_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--since", "yesterday"]) == 2
    assert capsys.readouterr().err == (
        "repetend: error: --since 'yesterday': expected 30m, 2h, 3d, 1w or an ISO date"
        " (2026-11-21T10:00)\n"
    )
