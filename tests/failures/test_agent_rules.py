"""Agent tool failures: learned from the hook's payloads, the fix said in the hook's response."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.failures.conftest import known, run


def hook(root: Path, session: str, number: int, event: str, command: str, **extra: Any) -> str:
    """One Claude Code hook call (a real `repetend ingest claude-code`); its stdout."""
    payload = {
        "session_id": session,
        "hook_event_name": event,
        "tool_name": "Bash",
        "tool_input": {"command": command},
        "tool_use_id": f"{session}-{number}",
        "cwd": str(root),
        **extra,
    }
    done = run(root, "ingest", "claude-code", stdin=json.dumps(payload))
    assert done.returncode == 0, done.stderr
    return done.stdout


def missing(module: str) -> str:
    return f"Traceback (most recent call last):\nModuleNotFoundError: No module named '{module}'"


def test_a_bash_failure_fixed_by_another_bash_call_is_learned_and_told_to_the_agent(
    project: Path,
) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    for session, module in (("c1", "alpha"), ("c2", "beta"), ("c3", "gamma")):
        hook(
            project,
            session,
            1,
            "PostToolUseFailure",
            f"python app.py {module}",
            error=missing(module),
        )
        hook(
            project,
            session,
            2,
            "PostToolUse",
            f"python tools/install.py {module}",
            tool_response={"stdout": "", "stderr": ""},
        )
        hook(
            project,
            session,
            3,
            "PostToolUse",
            f"python app.py {module}",
            tool_response={"stdout": "ok", "stderr": ""},
        )
    run(project, "heal", "--learn")
    (rule,) = known(project)["rules"]
    assert rule["steps"] == ["python tools/install.py {{ module }}"]
    said = hook(
        project, "c4", 1, "PostToolUseFailure", "python app.py delta", error=missing("delta")
    )
    context = json.loads(said)["hookSpecificOutput"]
    assert context["hookEventName"] == "PostToolUseFailure"
    assert context["additionalContext"].startswith(
        f"repetend: a fix is known ({rule['id']}, draft): python tools/install.py delta"
    )
    quiet = hook(project, "c4", 2, "PostToolUse", "ls", tool_response={"stdout": "app.py"})
    assert quiet == ""  # a success says nothing


def test_record_exceptions_and_tool_failures_feed_the_failure_store(project: Path) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    code = (
        "import repetend\n"
        "for n in range(3):\n"
        "    try:\n"
        "        with repetend.record('deploy', {'env': 'staging'}):\n"
        "            raise ConnectionError(f'refused by 10.0.0.{n}:5432 token=abc123secret')\n"
        "    except ConnectionError:\n"
        "        pass\n"
    )
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], cwd=project, check=True)
    hook(project, "c1", 1, "PostToolUseFailure", "make", error="make: *** No rule to make target")
    run(project, "heal", "--learn")
    listed = json.loads(run(project, "anti-patterns", "list", "--json").stdout)
    (deploy,) = [a for a in listed if a["kind"] == "record"]
    assert deploy["occurrences"] == 3  # three addresses, one signature
    assert deploy["cause"] == "environment"
    assert "abc123secret" not in json.dumps(listed)
    assert "ConnectionError: refused by <n>" in deploy["description"]
