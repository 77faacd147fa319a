"""Command capture: run a command untouched and record what it did.

`run_command` runs the command with the caller's own stdin, stdout and stderr
(nothing is piped, so output, colours and prompts pass through as they are),
forwards termination signals to it, and returns its exit status. The record
(command line, working folder, exit status, duration, files the command
changed, its step label) is redacted and stored by `record_command`; commands
matching the `ignore_commands` patterns are never stored.
"""

from __future__ import annotations

import fnmatch
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from repetend.events import Event, utcnow
from repetend.sequences.steps import command_step, is_destructive

# Signals a supervisor or a closing terminal sends to this process alone.
FORWARDED = ("SIGTERM", "SIGHUP", "SIGUSR1", "SIGUSR2")
# Signals the terminal sends to the whole foreground group (the child gets them itself).
TERMINAL = ("SIGINT", "SIGQUIT")


@dataclass
class CommandRun:
    """One command that ran: what, where, how it ended, how long, and what it changed."""

    argv: list[str]
    cwd: Path
    exit_status: int
    duration_ms: float
    started_at: datetime
    files_changed: list[str] = field(default_factory=list)
    stderr_tail: bytes = b""  # the end of its stderr, kept only when asked (see `stderr_tail`)

    @property
    def command(self) -> str:
        """The command line as a shell would show it."""
        return shlex.join(self.argv)


def run_command(
    argv: list[str], cwd: Path, root: Path | None, *, keep_stderr: bool = False
) -> CommandRun:
    """Run `argv` in `cwd` with inherited stdio and forwarded signals; note files it changed.

    With `keep_stderr`, stderr passes through a copy that keeps its end (see `stderr_tail`).
    """
    before = working_tree(root) if root else {}
    started_at, started = utcnow(), time.perf_counter()
    tail = _stderr_tail() if keep_stderr else None
    try:
        process = subprocess.Popen(argv, cwd=cwd, stderr=tail.fd if tail else None)
    except OSError as error:
        if tail is not None:
            tail.started()
            tail.tail()
        sys.stderr.write(f"repetend: cannot run {argv[0]!r}: {error.strerror or error}\n")
        status = 127 if isinstance(error, FileNotFoundError) else 126
        return CommandRun(argv, cwd, status, 0.0, started_at)
    if tail is not None:
        tail.started()
    with _forwarding(process):
        returncode = process.wait()
    duration = (time.perf_counter() - started) * 1000
    status = returncode if returncode >= 0 else 128 - returncode
    kept = tail.tail() if tail is not None else b""
    changed = changed_files(before, working_tree(root)) if root else []
    return CommandRun(argv, cwd, status, duration, started_at, changed, kept)


def _stderr_tail() -> Any:
    from repetend.capture.stderr_tail import StderrTail

    try:
        return StderrTail()
    except OSError:  # no pipe to be had: the command runs with stderr as it is
        return None


@contextmanager
def _forwarding(process: subprocess.Popen[bytes]) -> Iterator[None]:
    def forward(number: int, frame: FrameType | None) -> None:
        process.send_signal(number)

    names = FORWARDED if _in_terminal_foreground() else FORWARDED + TERMINAL
    previous: dict[int, Any] = {}
    for name in names:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, forward)
    if _in_terminal_foreground():
        for name in TERMINAL:  # the child got it from the terminal; do not die before it
            previous[getattr(signal, name)] = signal.signal(getattr(signal, name), signal.SIG_IGN)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _in_terminal_foreground() -> bool:
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError, AttributeError):
        return False


def working_tree(root: Path) -> dict[str, tuple[int, int] | None]:
    """The files git sees as changed or untracked, with their (mtime, size)."""
    try:
        listing = subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.CalledProcessError):
        return {}
    return {path: _stat(root / path) for path in _porcelain_paths(listing)}


def _porcelain_paths(listing: str) -> Iterator[str]:
    entries = iter(listing.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        if entry[0] in "RC":  # a rename is followed by its old path
            next(entries, None)
        path = entry[3:]
        if not path.startswith(".repetend/"):
            yield path


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def changed_files(
    before: dict[str, tuple[int, int] | None], after: dict[str, tuple[int, int] | None]
) -> list[str]:
    """Paths whose state differs between two `working_tree` snapshots."""
    paths = set(before) | set(after)
    return sorted(p for p in paths if before.get(p, "clean") != after.get(p, "clean"))


def is_ignored(command: str, patterns: Iterable[str]) -> bool:
    """Whether `command` matches one of the `ignore_commands` patterns."""
    text = command.strip()
    return any(fnmatch.fnmatchcase(text, pattern) for pattern in patterns)


def command_payload(
    command: str, cwd: str, exit_status: int, duration_ms: float, **extra: Any
) -> dict[str, Any]:
    """The stored body of a command event, step label and destructive flag included."""
    return {
        "command": command,
        "cwd": cwd,
        "exit_status": exit_status,
        "success": exit_status == 0,
        "duration_ms": round(duration_ms, 3),
        "step": command_step(command),
        "destructive": is_destructive(command),
        **extra,
    }


def command_event(run: CommandRun, session: str, actor: str, root: Path | None = None) -> Event:
    """The event `repetend run` stores for one command; a failed one with its signature."""
    payload = command_payload(
        run.command,
        str(run.cwd),
        run.exit_status,
        run.duration_ms,
        argv=run.argv,
        files_changed=run.files_changed,
    )
    if run.exit_status != 0:
        from repetend.failures.evidence import command_failure

        context = {"branch": current_branch(root)} if root else {}
        payload["failure"] = command_failure(
            run.stderr_tail, payload["step"], run.exit_status, context=context
        )
    return Event(
        source="run",
        kind="command",
        payload=payload,
        session=session,
        tool_name=payload["step"].split(" ")[0],
        actor=actor,
        created_at=run.started_at,
    )


def current_branch(root: Path) -> str:
    """The branch checked out at `root`, from git's HEAD file ('' when detached or unknown)."""
    dot_git = root / ".git"
    try:
        if dot_git.is_file():  # a worktree: `gitdir: PATH`
            dot_git = root / dot_git.read_text(encoding="utf-8").strip().removeprefix("gitdir: ")
        head = (dot_git / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return head.removeprefix("ref: refs/heads/") if head.startswith("ref: refs/heads/") else ""


def default_session() -> str:
    """The session a command belongs to: the shell integration's, or the parent process's."""
    return os.environ.get("REPETEND_SESSION") or f"tty-{os.getppid()}"


def default_actor() -> str:
    """`agent` when an AI agent's shell runs the command (Claude Code sets CLAUDECODE)."""
    return "agent" if os.environ.get("CLAUDECODE") else "human"
