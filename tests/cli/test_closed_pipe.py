"""A reader that stops early (`repetend status | head -1`) ends the command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import repetend


def run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run repetend with stdout a pipe whose reading end is already closed."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE, as after `head -1` has exited
    try:
        return subprocess.run(
            [sys.executable, "-m", "repetend", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [("status",), ("--help",), ("candidates", "list")])
def test_a_closed_pipe_is_a_quiet_exit(repo: Path, args: tuple[str, ...]) -> None:
    with repetend.record("job", inputs={"name": "n"}):
        pass
    done = run_into_closed_pipe(*args)
    assert done.stderr == ""
    assert done.returncode == 1  # click's choice, as Python's docs advise for EPIPE


def test_status_piped_into_head_prints_its_first_line(repo: Path) -> None:
    done = subprocess.run(
        f"{sys.executable} -m repetend status | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stderr == "" and len(done.stdout.splitlines()) == 1
