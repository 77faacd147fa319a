"""Ask a question on the terminal so that Ctrl-C always ends the wait.

Python's `input()` (which `click.prompt` uses) writes the prompt and then
blocks in `read()`. A SIGINT that lands between the two, or on another thread,
only marks the signal as received: the `read()` goes on waiting for a line,
and the KeyboardInterrupt comes when the next line is typed. On a busy
machine that window is easy to hit, because the prompt's own write wakes
whoever reads the terminal. Here the wait is `select()` in short slices
and the reading is byte by byte of what is already there, so the
interpreter gets control back at least every slice and raises a received
Ctrl-C at once.
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Sequence

import click

SLICE_SECONDS = 0.1  # the longest a received Ctrl-C waits to be raised


def choose(question: str, choices: Sequence[str], default: str) -> str:
    """Ask `question` until one of `choices` is typed; an empty line means `default`.

    Ctrl-C raises KeyboardInterrupt and end of input (Ctrl-D) raises click.Abort,
    each after ending the prompt's line.
    """
    while True:
        answer = _ask(f"{question}: ").strip().lower() or default
        if answer in choices:
            return answer
        click.echo(f"Error: {answer!r} is not one of {', '.join(map(repr, choices))}.")


def ask(question: str) -> str:
    """Ask `question` until a non-empty answer is typed (Ctrl-C and Ctrl-D as in `choose`)."""
    while True:
        answer = _ask(f"{question}: ").strip()
        if answer:
            return answer


def _ask(prompt: str) -> str:
    click.echo(prompt, nl=False)
    sys.stdout.flush()
    try:
        if os.name == "nt":  # select() takes sockets only there
            return input()
        return read_line(sys.stdin.fileno(), sys.stdin.encoding or "utf-8")
    except (KeyboardInterrupt, click.Abort, EOFError) as stop:
        click.echo("")  # what comes next starts on a line of its own
        if isinstance(stop, EOFError):
            raise click.Abort from None
        raise


def read_line(fd: int, encoding: str) -> str:
    """One line from `fd` without its end, read no further than the line; EOF raises Abort."""
    line = bytearray()
    while not line.endswith(b"\n"):
        _wait_readable(fd)
        byte = os.read(fd, 1)
        if not byte:
            if line:  # end of input after some text: that text is the answer, as input() does
                break
            raise click.Abort
        line += byte
    return line.decode(encoding, errors="replace").rstrip("\r\n")


def _wait_readable(fd: int) -> None:
    # An unconditional loop: each turn returns to the interpreter, which raises a
    # KeyboardInterrupt recorded while select() slept (or before it started).
    while True:
        ready, _, _ = select.select([fd], [], [], SLICE_SECONDS)
        if ready:
            return
