"""`repetend ingest jsonl FILE`: the documented format, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.capture.conftest import Repetend, stored_events

GOOD = [
    {
        "kind": "command",
        "session": "ci-1",
        "command": "make test",
        "exit_status": 2,
        "duration_ms": 5100,
        "time": "2026-11-20T10:00:00Z",
    },
    {
        "kind": "tool_use",
        "session": "ci-1",
        "actor": "agent",
        "tool": "Edit",
        "input": {"file_path": "src/app.py"},
        "success": True,
        "source": "my-agent",
    },
    {"kind": "deploy", "session": "ci-1", "payload": {"env": "staging", "password": "pw123"}},
]


def write(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_every_line_becomes_an_event(repo: Path, repetend: Repetend) -> None:
    done = repetend("ingest", "jsonl", str(write(repo / "events.jsonl", [*GOOD, ""])))
    assert done.returncode == 0, done.stderr
    assert "stored 3 event(s)" in done.stdout
    command, edit, deploy = stored_events(repo)
    assert (command.source, command.kind, command.session) == ("jsonl", "command", "ci-1")
    assert command.payload["step"] == "make test"
    assert command.payload["success"] is False
    assert command.payload["duration_ms"] == 5100
    assert command.created_at.isoformat() == "2026-11-20T10:00:00+00:00"
    assert (edit.source, edit.actor, edit.payload["step"]) == ("my-agent", "agent", "Edit *.py")
    assert deploy.payload == {"env": "staging", "password": "[REDACTED]", "destructive": False}


def test_stdin_is_read_with_a_dash(repo: Path, repetend: Repetend) -> None:
    done = repetend("ingest", "jsonl", "-", "--json", stdin=json.dumps(GOOD[0]) + "\n")
    assert json.loads(done.stdout) == {"file": "<stdin>", "stored": 1, "already_stored": 0}


def test_a_bad_line_names_file_and_line_and_stores_nothing(repo: Path, repetend: Repetend) -> None:
    cases = {
        "{oops": "not JSON",
        '{"kind": "command"}': "'session' is missing",
        '{"kind": "x", "session": "s", "duration_ms": -1}': "'duration_ms' = -1",
        '{"kind": "x", "session": "s", "time": "2026-01-01T00:00:00"}': "no time zone",
        '{"kind": "x", "session": "s", "actor": "robot"}': "'actor' = 'robot'",
        '{"kind": "x", "session": "s", "colour": "red"}': "unknown field 'colour'",
    }
    for line, expected in cases.items():
        path = write(repo / "bad.jsonl", [GOOD[0], line, GOOD[1]])
        done = repetend("ingest", "jsonl", str(path))
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(f"repetend: error: {path}:2: ")
        assert expected in lines[0]
    assert stored_events(repo) == []


def test_ingesting_the_same_file_twice_stores_each_event_once(
    repo: Path, repetend: Repetend
) -> None:
    path = write(repo / "events.jsonl", [*GOOD, GOOD[2]])  # the same line twice: two events
    assert "stored 4 event(s)" in repetend("ingest", "jsonl", str(path)).stdout
    again = repetend("ingest", "jsonl", str(path))
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"stored 0 event(s) from {path} (4 already stored)\n"
    assert len(stored_events(repo)) == 4
    longer = write(repo / "more.jsonl", [*GOOD, GOOD[2], {**GOOD[0], "time": "2026-11-21T10:00Z"}])
    assert "stored 1 event(s)" in repetend("ingest", "jsonl", str(longer)).stdout
    assert len(stored_events(repo)) == 5


def test_a_stream_s_own_event_id_makes_it_the_same_event(repo: Path, repetend: Repetend) -> None:
    first = {**GOOD[0], "id": "run-7/step-1"}
    repetend("ingest", "jsonl", str(write(repo / "a.jsonl", [first])))
    edited = {**first, "duration_ms": 5200}  # the producer sent it again, measured anew
    done = repetend("ingest", "jsonl", "-", "--json", stdin=json.dumps(edited) + "\n")
    assert json.loads(done.stdout) == {"file": "<stdin>", "stored": 0, "already_stored": 1}
    (event,) = stored_events(repo)
    assert event.payload["duration_ms"] == 5100
