"""`repetend ingest claude-code --install`: the hooks merged into Claude Code's settings files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.conftest import Repetend, stored_events
from tests.capture.portable import make_venv, with_repetend_on_path

THEIRS = {
    "permissions": {"allow": ["Bash(npm test:*)"]},
    "hooks": {
        "PostToolUse": [
            {"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "prettier -w"}]}
        ],
        "Notification": [{"hooks": [{"type": "command", "command": "notify-send claude"}]}],
    },
}


def commands(settings: dict[str, object], event: str) -> list[str]:
    groups = settings["hooks"][event]  # type: ignore[index]
    return [hook["command"] for group in groups for hook in group["hooks"]]


def test_install_merges_into_the_projects_settings_and_keeps_what_is_there(
    repo: Path, repetend: Repetend
) -> None:
    path = repo / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps(THEIRS, indent=4))
    path.chmod(0o640)
    done = repetend("ingest", "claude-code", "--install")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}: repetend hooks merged (7 added); other hooks kept\n"
    merged = json.loads(path.read_text())
    assert merged["permissions"] == THEIRS["permissions"]
    assert commands(merged, "Notification") == ["notify-send claude"]
    theirs, ours = commands(merged, "PostToolUse")
    assert theirs == "prettier -w" and "repetend.capture.agent" in ours
    assert merged["hooks"]["PostToolUse"][0]["matcher"] == "Write|Edit"
    for event in ("PreToolUse", "PostToolUseFailure", "UserPromptSubmit", "SessionStart", "Stop"):
        assert len(commands(merged, event)) == 1
    # A file teams commit: no path of this machine in it.
    assert sys.executable not in path.read_text() and str(repo.parent) not in path.read_text()
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    before = path.read_bytes()
    again = repetend("ingest", "claude-code", "--install", "--json")
    assert json.loads(again.stdout) == {
        "path": str(path),
        "added": [],
        "updated": [],
        "changed": False,
    }
    assert path.read_bytes() == before


def test_install_replaces_an_older_repetend_handler_where_it_stands(
    repo: Path, repetend: Repetend
) -> None:
    path = repo / ".claude" / "settings.json"
    path.parent.mkdir()
    old = {"type": "command", "command": "/old/venv/bin/python -m repetend.capture.agent"}
    mixed = {"matcher": "*", "hooks": [{"type": "command", "command": "audit-log"}, old]}
    path.write_text(json.dumps({"hooks": {"PreToolUse": [mixed, {"hooks": [old]}]}}))
    done = repetend("ingest", "claude-code", "--install", "--json")
    report = json.loads(done.stdout)
    assert report["updated"] == ["PreToolUse"] and len(report["added"]) == 6
    (group,) = json.loads(path.read_text())["hooks"]["PreToolUse"]  # the duplicate is gone
    assert group["hooks"][0]["command"] == "audit-log"
    assert "/old/venv" not in path.read_text()


def test_install_user_writes_the_users_settings_with_this_interpreter_as_fallback(
    repo: Path, repetend: Repetend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    done = repetend("ingest", "claude-code", "--install", "--user")
    assert done.returncode == 0, done.stderr
    path = tmp_path / "home" / ".claude" / "settings.json"
    (command,) = set(commands(json.loads(path.read_text()), "PostToolUse"))
    assert sys.executable in command
    assert not (repo / ".claude").exists()
    # Off PATH, the recorded interpreter still records.
    payload = {"session_id": "u1", "hook_event_name": "SessionStart", "source": "startup"}
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    ran = subprocess.run(
        command, shell=True, input=json.dumps(payload), capture_output=True, text=True, env=env
    )
    assert (ran.returncode, ran.stderr) == (0, "")
    assert [e.kind for e in stored_events(repo, "claude-code")] == ["session-start"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"hooks": [', "settings.json:1:12: not valid JSON"),
        ("[1, 2]", "settings.json: a list, expected a JSON object"),
        ('{"hooks": []}', "settings.json: `hooks` is a list, expected an object"),
        ('{"hooks": {"Stop": {}}}', "settings.json: `hooks.Stop` is an object, expected a list"),
    ],
)
def test_a_malformed_settings_file_is_a_one_line_error_and_is_left_alone(
    repo: Path, repetend: Repetend, text: str, says: str
) -> None:
    path = repo / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(text)
    done = repetend("ingest", "claude-code", "--install")
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1
    assert says in done.stderr and str(path.parent) in done.stderr
    assert path.read_text() == text
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]


def test_the_installed_hook_records_after_the_virtual_environment_is_moved(
    repo: Path, repetend: Repetend, tmp_path: Path
) -> None:
    assert repetend("ingest", "claude-code", "--install").returncode == 0
    settings = json.loads((repo / ".claude" / "settings.json").read_text())
    (command,) = set(commands(settings, "SessionStart"))
    first = make_venv(tmp_path / "venv-a")
    moved = tmp_path / "venv-b"
    os.rename(first, moved)  # its scripts' `#!` lines now name a folder that is gone
    payload = {"session_id": "m1", "hook_event_name": "SessionStart", "source": "startup"}
    ran = subprocess.run(
        command,
        shell=True,
        cwd=repo,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=with_repetend_on_path(moved),
    )
    assert (ran.returncode, ran.stderr) == (0, "")
    assert [e.kind for e in stored_events(repo, "claude-code")] == ["session-start"]
    # With no repetend anywhere: one line, exit 0 (the agent is never blocked).
    off = subprocess.run(
        command,
        shell=True,
        cwd=repo,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": "/usr/bin:/bin"},
    )
    assert off.returncode == 0 and off.stderr.startswith("repetend: no Python with repetend found")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--install", "--print-config"], "give one"),
        (["--print-config", "--json"], "--json goes with --install"),
    ],
)
def test_options_that_do_not_go_together_are_refused_and_nothing_is_installed(
    repo: Path, repetend: Repetend, argv: list[str], says: str
) -> None:
    done = repetend("ingest", "claude-code", *argv)
    assert done.returncode == 2 and done.stdout == ""
    assert says in done.stderr
    assert not (repo / ".claude").exists()
