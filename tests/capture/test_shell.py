"""`repetend shell-init` in real shells, and `repetend shell-flush` into each repository's store."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from repetend.capture.shell import parse_line
from tests.capture.conftest import Repetend, require_shell, stored_events


def interactive_bash(
    repetend: Repetend, folder: Path, lines: list[str], tmp: Path, before: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run `lines` in an interactive bash that sourced the integration after `before`."""
    init = tmp / "init.bash"
    init.write_text(repetend("shell-init", "bash").stdout)
    script = "\n".join([*before, f"source {init}", *lines, "exit"]) + "\n"
    env = {**os.environ, "HISTFILE": os.devnull, "HISTCONTROL": "ignorespace"}
    return subprocess.run(
        ["bash", "--norc", "--noprofile", "-i"],
        input=script,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bash_records_each_command_with_status_and_duration(
    repo: Path, repetend: Repetend, spool: Path, tmp_path: Path
) -> None:
    lines = [
        "git status >/dev/null",
        "false",
        "sleep 0.05",
        " echo private",
        "true",
        "echo 'a",
        "b'",
    ]
    interactive_bash(repetend, repo, lines, tmp_path)
    assert list(spool.glob("*.tsv"))
    flushed = repetend("shell-flush")
    assert flushed.returncode == 0
    assert "stored 5 command(s) in 1 repository" in flushed.stdout
    commands = [e.payload for e in stored_events(repo, "shell")]
    assert [c["command"] for c in commands] == [  # from the first prompt on
        "git status >/dev/null",
        "false",
        "sleep 0.05",
        "true",
        "echo 'a\nb'",
    ]
    assert [c["exit_status"] for c in commands] == [0, 1, 0, 0, 0]
    assert commands[0]["step"] == "git status"
    assert 45 <= commands[2]["duration_ms"] < 1000
    assert {c["cwd"] for c in commands} == {str(repo)}
    assert not list(spool.iterdir())


def test_bash_chains_a_debug_trap_already_set_and_hands_it_the_status(
    repo: Path, repetend: Repetend, spool: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "trap.log"
    theirs = f"trap 'echo \"$? $BASH_COMMAND\" >> {marker}' DEBUG"
    interactive_bash(repetend, repo, ["false", "echo done"], tmp_path, before=(theirs,))
    repetend("shell-flush")
    assert [e.payload["command"] for e in stored_events(repo, "shell")] == ["false", "echo done"]
    seen = marker.read_text().splitlines()
    assert "0 false" in seen and "1 echo done" in seen  # still runs, and sees the last status


def test_bash_sourced_again_adds_its_hooks_once(
    repo: Path, repetend: Repetend, spool: Path, tmp_path: Path
) -> None:
    init = tmp_path / "init.bash"
    lines = [
        f"source {init}",
        "true",
        f"trap -p DEBUG > {tmp_path / 'trap'}",
        f'printf %s "$PROMPT_COMMAND" > {tmp_path / "prompt"}',
    ]
    interactive_bash(repetend, repo, lines, tmp_path, before=("PROMPT_COMMAND='history -a'",))
    assert (tmp_path / "trap").read_text().count("__repetend_preexec") == 1
    prompt = (tmp_path / "prompt").read_text()
    assert prompt.count("__repetend_precmd") == 1 and prompt.count("history -a") == 1
    repetend("shell-flush")
    commands = [e.payload["command"] for e in stored_events(repo, "shell")]
    assert commands.count("true") == 1


def test_bash_without_epochrealtime_says_once_that_it_records_nothing(
    repo: Path, repetend: Repetend, spool: Path, tmp_path: Path
) -> None:
    """bash 4 has no EPOCHREALTIME; unset, bash 5 behaves as bash 4 would here."""
    init = tmp_path / "init.bash"
    done = interactive_bash(
        repetend, repo, [f"source {init}", "true"], tmp_path, before=("unset EPOCHREALTIME",)
    )
    said = [line for line in done.stderr.splitlines() if line.startswith("repetend:")]
    assert said == [
        "repetend: shell integration needs bash 5 or later (this is bash "
        f"{bash_version()}): commands are not recorded"
    ]
    assert not spool.exists() or not list(spool.iterdir())


def bash_version() -> str:
    return subprocess.run(
        ["bash", "-c", "echo $BASH_VERSION"], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_ignored_secret_and_outside_commands(
    repo: Path, repetend: Repetend, spool: Path, tmp_path: Path
) -> None:
    (repo / ".repetend").mkdir(exist_ok=True)
    (repo / ".repetend" / "config.yaml").write_text("ignore_commands: ['cat *']\n")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    lines = [
        "repetend run -- true",
        "cat /dev/null",
        "export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "curl -s --max-time 1 https://bob:hunter22@127.0.0.1:9 || true",
        f"cd {outside}",
        "true outside",
    ]
    interactive_bash(repetend, repo, lines, tmp_path)
    report = repetend("shell-flush", "--json").stdout
    assert '"ignored": 2' in report
    assert '"outside": 1' in report
    stored = [e.payload["command"] for e in stored_events(repo, "shell")]
    assert not any("cat /dev/null" in c or "true outside" in c for c in stored)
    text = "\n".join(stored)
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" not in text
    assert "hunter22" not in text
    assert "GITHUB_TOKEN=[REDACTED]" in text


def test_a_spool_line_round_trips_escapes() -> None:
    parsed = parse_line("1700000000000000\t1500\t2\t/w\ts1\tprintf 'a\\tb\\\\n'\\nnext\n")
    assert parsed is not None
    assert parsed.command == "printf 'a\tb\\n'\nnext"
    assert (parsed.duration_us, parsed.exit_status, parsed.cwd) == (1500, 2, "/w")
    assert parse_line("not a spool line") is None


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_init_prints_a_script_the_shell_accepts(repetend: Repetend, shell: str) -> None:
    script = repetend("shell-init", shell).stdout
    # Started isolated from the shell's folder: never `-m`, which puts that folder on sys.path.
    assert 'run_module("repetend.capture.shell"' in script
    assert "-m repetend" not in script
    require_shell(shell)
    checked = subprocess.run([shell, "-n"], input=script, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_zsh_records_commands(repo: Path, repetend: Repetend, spool: Path, tmp_path: Path) -> None:
    require_shell("zsh")
    init = tmp_path / "init.zsh"
    init.write_text(repetend("shell-init", "zsh").stdout)
    script = f"source {init}\nfalse\n echo private\ngit status >/dev/null\nexit\n"
    subprocess.run(["zsh", "-f", "-i"], input=script, cwd=repo, capture_output=True, text=True)
    repetend("shell-flush")
    commands = [(e.payload["command"], e.payload["exit_status"]) for e in stored_events(repo)]
    assert commands == [("false", 1), ("git status >/dev/null", 0)]


def interactive_fish(repetend: Repetend, folder: Path, lines: list[str], tmp: Path) -> None:
    """Type `lines` into an interactive fish: it runs its prompt events only in a terminal."""
    init = tmp / "init.fish"
    init.write_text(repetend("shell-init", "fish").stdout)
    typed = "\n".join([f"source {init}", *lines, "exit"]) + "\n"
    pid, terminal = pty.fork()
    if pid == 0:  # the child: fish, with the pseudo-terminal as its controlling terminal
        os.chdir(folder)
        os.execvpe(
            "fish", ["fish", "--no-config", "--private", "-i"], {**os.environ, "TERM": "dumb"}
        )
    os.write(terminal, typed.encode())
    deadline = time.monotonic() + 60
    with contextlib.suppress(OSError):  # EIO once fish has exited and closed the terminal
        while time.monotonic() < deadline and select.select([terminal], [], [], 1)[0]:
            if not os.read(terminal, 1 << 16):
                break
    os.close(terminal)
    os.waitpid(pid, 0)


def test_fish_records_commands_with_status_duration_and_time(
    repo: Path, repetend: Repetend, spool: Path, tmp_path: Path
) -> None:
    require_shell("fish")
    before = datetime.now(timezone.utc)
    lines = ["false", " echo private", "sleep 0.2", "git status >/dev/null"]
    interactive_fish(repetend, repo, lines, tmp_path)
    after = datetime.now(timezone.utc)
    repetend("shell-flush")
    events = stored_events(repo)
    commands = [(e.payload["command"], e.payload["exit_status"]) for e in events]
    assert commands[:3] == [("false", 1), ("sleep 0.2", 0), ("git status >/dev/null", 0)]
    assert events[1].payload["duration_ms"] >= 195
    # The time comes from /proc/uptime (10 ms steps) and a boot time worked out once, not
    # from `date +%s` per prompt, whose whole seconds would miss this window.
    slack = timedelta(milliseconds=100)
    assert all(before - slack <= e.created_at <= after + slack for e in events)
    assert events[0].created_at <= events[1].created_at <= events[2].created_at
