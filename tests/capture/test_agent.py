"""`repetend ingest claude-code`: hook payloads on stdin, paired by tool_use_id, never blocking."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.capture.conftest import Repetend, stored_events
from tests.capture.portable import with_repetend_on_path


def hook(repetend: Repetend, **fields: Any) -> tuple[int, str, str]:
    done = repetend("ingest", "claude-code", stdin=json.dumps(fields))
    return done.returncode, done.stdout, done.stderr


def tool(event: str, use_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "session_id": "conv-1",
        "hook_event_name": event,
        "tool_name": "Bash",
        "tool_input": {"command": "pytest -x tests/"},
        "tool_use_id": use_id,
        "cwd": "/work",
        **extra,
    }


def test_pre_and_post_pair_into_one_timed_tool_use(repo: Path, repetend: Repetend) -> None:
    assert hook(repetend, **tool("PreToolUse", "toolu_1")) == (0, "", "")
    assert stored_events(repo) == []
    assert hook(repetend, **tool("PostToolUse", "toolu_1", tool_response={"stdout": "ok"})) == (
        0,
        "",
        "",
    )
    (event,) = stored_events(repo)
    assert (event.source, event.kind, event.actor, event.session) == (
        "claude-code",
        "tool_use",
        "agent",
        "conv-1",
    )
    body = event.payload
    assert body["success"] is True
    assert body["duration_ms"] > 0
    assert body["step"] == "Bash: pytest"
    assert body["tool_response"] == {"stdout": "ok"}


def test_a_failed_tool_use_records_its_error(repo: Path, repetend: Repetend) -> None:
    hook(repetend, **tool("PreToolUse", "toolu_2"))
    hook(repetend, **tool("PostToolUseFailure", "toolu_2", error="exit code 1"))
    (event,) = stored_events(repo)
    assert event.payload["success"] is False
    assert event.payload["error"] == "exit code 1"


def test_post_without_pre_is_stored_untimed(repo: Path, repetend: Repetend) -> None:
    hook(repetend, **tool("PostToolUse", "toolu_3"))
    assert stored_events(repo)[0].payload["duration_ms"] is None


def test_session_and_prompt_events_name_who_acted(repo: Path, repetend: Repetend) -> None:
    hook(repetend, session_id="conv-1", hook_event_name="SessionStart", source="startup")
    hook(repetend, session_id="conv-1", hook_event_name="UserPromptSubmit", prompt="fix tests")
    hook(repetend, session_id="conv-1", hook_event_name="SessionEnd", reason="exit")
    events = stored_events(repo)
    assert [(e.kind, e.actor) for e in events] == [
        ("session-start", "agent"),
        ("user-prompt-submit", "human"),
        ("session-end", "agent"),
    ]
    assert events[1].payload["prompt"] == "fix tests"


def test_secrets_in_tool_input_are_redacted(repo: Path, repetend: Repetend) -> None:
    command = "curl -H 'Authorization: Bearer abcdefghijklmnop123' https://x.test"
    payload = tool("PostToolUse", "toolu_4")
    payload["tool_input"] = {"command": command, "api_key": "k-123456"}
    hook(repetend, **payload)
    stored = json.dumps(stored_events(repo)[0].payload)
    assert "abcdefghijklmnop123" not in stored
    assert "k-123456" not in stored


def test_malformed_payloads_exit_0_with_one_line_and_store_nothing(
    repo: Path, repetend: Repetend
) -> None:
    for text in ("{not json", "[1, 2]", '{"hook_event_name": "Stop"}', ""):
        done = repetend("ingest", "claude-code", stdin=text)
        assert done.returncode == 0
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1
        assert done.stderr.startswith("repetend: claude-code hook not recorded")
    partial = {"session_id": "s", "hook_event_name": "PostToolUse", "tool_input": {}}
    done = repetend("ingest", "claude-code", stdin=json.dumps(partial))
    assert "tool_name" in done.stderr
    assert stored_events(repo) == []


def test_print_config_gives_hooks_whose_command_records(repo: Path, repetend: Repetend) -> None:
    config = json.loads(repetend("ingest", "claude-code", "--print-config").stdout)
    hooks = config["hooks"]
    commands = set()
    for event in ("PreToolUse", "PostToolUse", "PostToolUseFailure", "SessionStart", "SessionEnd"):
        (entry,) = hooks[event]
        commands.add(entry["hooks"][0]["command"])
    assert hooks["PreToolUse"][0]["matcher"] == "*"
    assert "matcher" not in hooks["SessionStart"][0]
    (command,) = commands
    assert "run_module(" in command and " repetend.capture.agent" in command
    assert " -m " not in command and sys.executable not in command  # no path of this machine
    env = with_repetend_on_path()  # as Claude Code runs it: through a shell, `repetend` on PATH
    for payload in (tool("PreToolUse", "toolu_9"), tool("PostToolUse", "toolu_9")):
        done = subprocess.run(
            command, shell=True, input=json.dumps(payload), capture_output=True, text=True, env=env
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    (event,) = stored_events(repo)
    assert event.payload["duration_ms"] > 0
    bad = subprocess.run(command, shell=True, input="nope", capture_output=True, text=True, env=env)
    assert bad.returncode == 0
    assert bad.stderr.startswith("repetend: claude-code hook not recorded: stdin is not JSON")


def test_purge_removes_old_tool_starts_that_never_finished(repo: Path, repetend: Repetend) -> None:
    hook(repetend, **tool("PreToolUse", "toolu_old"))
    hook(repetend, **tool("PreToolUse", "toolu_new"))
    with sqlite3.connect(repo / ".repetend" / "repetend.db") as db:  # the agent stopped long ago
        db.execute(
            "UPDATE tool_use_pending SET started_at = '2020-01-01T00:00:00+00:00'"
            " WHERE tool_use_id = 'toolu_old'"
        )
    dry = json.loads(repetend("purge", "--json").stdout)
    assert dry["rows"]["tool_use_pending"] == 1
    applied = json.loads(repetend("purge", "--apply", "--json").stdout)
    assert (applied["applied"], applied["rows"]["tool_use_pending"]) == (True, 1)
    assert json.loads(repetend("purge", "--json").stdout)["rows"]["tool_use_pending"] == 0
    hook(repetend, **tool("PostToolUse", "toolu_new", tool_response={"stdout": "ok"}))
    (event,) = stored_events(repo)
    assert event.payload["duration_ms"] > 0  # the recent start was kept and still pairs
