"""`repetend run -- CMD`: pass-through, exit status, signals, recording, redaction, ignores."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.capture.conftest import Repetend, stored_events

WRITER = (
    "import sys, pathlib; pathlib.Path('made.txt').write_text('x');"
    " print('to stdout'); print('to stderr', file=sys.stderr); sys.exit(4)"
)


def test_output_and_exit_status_pass_through_and_the_run_is_recorded(
    repo: Path, repetend: Repetend
) -> None:
    (repo / "tracked.txt").write_text("old")
    done = repetend("run", "--", sys.executable, "-c", WRITER)
    assert (done.returncode, done.stdout, done.stderr) == (4, "to stdout\n", "to stderr\n")
    (event,) = stored_events(repo, "run")
    body = event.payload
    assert body["argv"] == [sys.executable, "-c", WRITER]
    assert body["cwd"] == str(repo)
    assert body["exit_status"] == 4
    assert body["success"] is False
    assert body["duration_ms"] > 0
    assert body["files_changed"] == ["made.txt"]
    assert event.kind == "command"
    assert event.actor == "human"


def test_stdin_reaches_the_command(repo: Path, repetend: Repetend) -> None:
    echo = "import sys; sys.stdout.write(sys.stdin.read().upper())"
    done = repetend("run", "--", sys.executable, "-c", echo, stdin="hello\n")
    assert done.stdout == "HELLO\n"


def test_a_missing_program_exits_127_and_is_recorded(repo: Path, repetend: Repetend) -> None:
    done = repetend("run", "--", "no-such-program-here")
    assert done.returncode == 127
    assert "no-such-program-here" in done.stderr
    assert stored_events(repo, "run")[0].payload["exit_status"] == 127


def test_secrets_are_redacted_before_storage(repo: Path, repetend: Repetend) -> None:
    done = repetend(
        "run",
        "--",
        sys.executable,
        "-c",
        "import sys; print(sys.argv[1:])",
        "--password=hunter2",
        "API_TOKEN=abc123secret",
        "https://alice:s3cret@example.com/repo.git",
    )
    assert "hunter2" in done.stdout
    stored = str(stored_events(repo, "run")[0].payload)
    for secret in ("hunter2", "abc123secret", "s3cret"):
        assert secret not in stored
    assert "[REDACTED]" in stored


def test_ignored_commands_run_but_are_not_stored(repo: Path, repetend: Repetend) -> None:
    (repo / ".repetend").mkdir(exist_ok=True)
    (repo / ".repetend" / "config.yaml").write_text("ignore_commands: ['*print*', 'ls*']\n")
    done = repetend("run", "--", sys.executable, "-c", "print('ran')")
    assert done.stdout == "ran\n"
    repetend("run", "--", sys.executable, "-c", "pass")
    assert [e.payload["argv"][-1] for e in stored_events(repo, "run")] == ["pass"]


def test_the_kill_switch_runs_without_recording(repo: Path, repetend: Repetend) -> None:
    done = repetend("run", "--", sys.executable, "-c", "print(1)", env={"REPETEND_DISABLE": "1"})
    assert done.stdout == "1\n"
    assert stored_events(repo) == []


def test_signals_sent_to_repetend_reach_the_command(repo: Path) -> None:
    child = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, lambda *a: (print('got TERM', flush=True), sys.exit(42)))\n"
        "print('ready', flush=True)\n"
        "time.sleep(30)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "repetend", "run", "--", sys.executable, "-c", child],
        stdout=subprocess.PIPE,
        text=True,
    )
    with process:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.stdout.read() == "got TERM\n"
        assert process.wait(timeout=20) == 42
    assert time.monotonic() - started < 20
    assert stored_events(repo, "run")[0].payload["exit_status"] == 42


def test_run_names_the_agent_when_claude_code_runs_it(repo: Path, repetend: Repetend) -> None:
    repetend("run", "--", sys.executable, "-c", "pass", env={"CLAUDECODE": "1"})
    assert stored_events(repo, "run")[0].actor == "agent"
