"""`ingest jsonl` names FILE:LINE and the field of every rejected line and stores nothing."""

from __future__ import annotations

from pathlib import Path

from tests.capture.conftest import Repetend, stored_events

DEEP = b'{"a": ' * 5000 + b"1" + b"}" * 5000
GOOD = '{"kind": "command", "session": "s", "command": "make", "duration_ms": 5}\n'


def test_every_rejected_line_is_named_and_nothing_is_stored(repo: Path, repetend: Repetend) -> None:
    lines = [
        GOOD.encode(),
        b'{"kind": "command", "session": "s", "duration_ms": NaN}\n',
        b'{"kind": "command", "session": "s", "duration_ms": Infinity}\n',
        b'{"kind": "command", "session": "s", "exit_status": 123456789012345678901234567890}\n',
        b'{"kind": "x", "session": "s", "payload": {"n": 1' + b"0" * 30 + b"}}\n",
        b'{"kind": "x", "session": "caf\xe9"}\n',
        b'{"kind": "x", "session": "s", "payload": '
        + b'{"a": ' * 5000
        + b"1"
        + b"}" * 5001
        + b"\n",
        GOOD.encode(),
    ]
    (repo / "events.jsonl").write_bytes(b"".join(lines))
    done = repetend("ingest", "jsonl", "events.jsonl")
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr
    for number, field in [
        (2, "NaN"),
        (3, "Infinity"),
        (4, "'exit_status'"),
        (5, "'payload.n'"),
        (6, "not UTF-8"),
        (7, "nested too deeply"),
    ]:
        assert f"events.jsonl:{number}: " in done.stderr and field in done.stderr, (number, field)
    assert "events.jsonl:1:" not in done.stderr and "events.jsonl:8:" not in done.stderr
    assert stored_events(repo) == []
