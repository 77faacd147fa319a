"""No shell line is lost when a flush claims the spool file while shells are appending to it.

Real interactive shells, each with the integration sourced, type hundreds of
commands while this process flushes the same spool folder again and again (and
the shells start their own background flushes every `FLUSH_EVERY` commands).
Every command typed must end up stored exactly once.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.conftest import Repetend, require_shell, stored_events
from tests.capture.git.gitrepo import wait_for

SHELLS = 4
COMMANDS = 200


def shell(kind: str, init: Path, folder: Path, tag: str) -> subprocess.Popen[str]:
    lines = [f"true {tag}-{n}" for n in range(COMMANDS)]
    argv = {
        "bash": ["bash", "--norc", "--noprofile", "-i"],
        "zsh": ["zsh", "-f", "-i"],
    }[kind]
    script = "\n".join([f"source {init}", *lines, "exit"]) + "\n"
    env = {**os.environ, "HISTFILE": os.devnull, "HISTCONTROL": "", "HISTSIZE": "100000"}
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
        env=env,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write(script)
    process.stdin.close()
    return process


def stored_count(repo: Path) -> int:
    return len(stored_events(repo, "shell"))


@pytest.mark.parametrize("kind", ["bash", "zsh"])
def test_no_line_is_lost_while_flushes_claim_the_files_being_appended(
    kind: str, repo: Path, repetend: Repetend, spool: Path, tmp_path: Path
) -> None:
    require_shell(kind)
    init = tmp_path / f"init.{kind}"
    init.write_text(repetend("shell-init", kind).stdout)
    shells = [shell(kind, init, repo, f"s{i}") for i in range(SHELLS)]
    stop = tmp_path / "stop"
    loop = (
        "import pathlib, sys; from repetend.capture.shell import flush\n"
        "while not pathlib.Path(sys.argv[1]).exists(): flush()\n"
    )
    flusher = subprocess.Popen([sys.executable, "-c", loop, str(stop)], cwd=tmp_path)
    try:
        for process in shells:
            process.wait(timeout=300)
    finally:
        stop.touch()
        flusher.wait(timeout=60)
    subprocess.run([sys.executable, "-m", "repetend", "shell-flush"], cwd=tmp_path, check=True)
    typed = {f"true s{i}-{n}" for i in range(SHELLS) for n in range(COMMANDS)}
    # The shells' own background flushes may still be storing what they claimed.
    with contextlib.suppress(AssertionError):
        wait_for(lambda: not any(spool.iterdir()) and stored_count(repo) >= len(typed), 60)
    stored = [e.payload["command"] for e in stored_events(repo, "shell")]
    lost = typed - set(stored)
    assert not lost, f"{len(lost)} of {len(typed)} lines lost, e.g. {sorted(lost)[:5]}"
    assert len(stored) == len(typed)  # none stored twice either


def test_a_record_written_in_two_parts_across_a_claim_is_stored_whole(
    repo: Path, spool: Path, tmp_path: Path
) -> None:
    # A shell that opened its file and wrote half a record when a flush renamed the file, and
    # was then held up (a loaded machine): the rest lands in the renamed file, after the claim.
    spool.mkdir(mode=0o700)
    records = 40
    writer = subprocess.Popen(
        [
            "sh",
            "-c",
            'for n in $(seq "$1"); do { printf "%s\\t5\\t0\\t%s\\tw1\\t" "$n" "$PWD"; sleep 0.05;'
            ' printf "true w-%s\\n" "$n"; } >> "$2/zsh-1.tsv"; done',
            "writer",
            str(records),
            str(spool),
        ],
        cwd=repo,
    )
    stop = tmp_path / "stop"
    loop = (
        "import pathlib, sys; from repetend.capture.shell import flush\n"
        "while not pathlib.Path(sys.argv[1]).exists(): flush()\n"
    )
    flusher = subprocess.Popen([sys.executable, "-c", loop, str(stop)], cwd=tmp_path)
    try:
        assert writer.wait(timeout=120) == 0
    finally:
        stop.touch()
        flusher.wait(timeout=60)
    subprocess.run([sys.executable, "-m", "repetend", "shell-flush"], cwd=tmp_path, check=True)
    stored = sorted(e.payload["command"] for e in stored_events(repo, "shell"))
    assert stored == sorted(f"true w-{n}" for n in range(1, records + 1))
