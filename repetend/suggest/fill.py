"""Offer to fill a new, empty file from the template a suggestion names (y / n / show).

Filling runs the suggestion's own `repetend apply …` command, started with the
repository off `sys.path` (as the hooks start Python) so nothing in it runs. The empty file
is moved out of the way first and put back if the command fails, so apply
never needs `--force` and never overwrites any other file a multi-file
template would write.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click

from repetend.plugins.types import Suggestion
from repetend.suggest.prompt import ask, choose

APPLY_TIMEOUT_SECONDS = 60
ASIDE_SUFFIX = ".repetend-empty"
CHOICES = ("y", "n", "show")


class FillOffer:
    """The interactive offer for one empty file."""

    def __init__(self, root: Path, echo: Callable[[str], None]) -> None:
        self.root = root
        self.echo = echo

    def applies(self, path: Path, suggestion: Suggestion) -> bool:
        """Whether to offer: the suggestion renders files from values, and the file is empty.

        A suggestion that can fill a file carries the values it inferred and a
        `repetend` command that renders with them (`repetend apply …`, or a
        plugin's own command); one without values (`repetend mine …`) cannot,
        nor can one that needs a value no prompt can take.
        """
        if not (suggestion.values and suggestion.command.startswith("repetend ")):
            return False
        if not suggestion.fillable:  # a value it needs cannot be typed: it could not render
            return False
        try:
            return path.is_file() and path.stat().st_size == 0
        except OSError:
            return False

    def run(self, path: Path, suggestion: Suggestion) -> str:
        """Ask until answered; return `filled`, `failed` (yes, but apply failed) or `dismissed`."""
        question = f"Fill {_relative(path, self.root)} from {suggestion.pattern_id}? [y/n/show]"
        while True:
            try:
                answer = choose(question, CHOICES, "n")
            except click.Abort:
                raise KeyboardInterrupt from None  # end of input at the prompt stops the watch
            if answer == "show":
                self.echo(self._preview(suggestion))
                continue
            if answer == "n":
                return "dismissed"
            answers = _answers(suggestion)
            return "filled" if self.fill(path, suggestion, answers) else "failed"

    def fill(self, path: Path, suggestion: Suggestion, answers: tuple[str, ...] = ()) -> bool:
        """Render the template into the empty file; on failure put the empty file back.

        `answers` are extra `--set=NAME=VALUE` arguments for the values asked for.
        """
        aside = path.with_name(f".{path.name}{ASIDE_SUFFIX}")
        path.replace(aside)
        try:
            output = self._apply(suggestion, *answers, *_via(suggestion))
        except (subprocess.SubprocessError, OSError) as error:
            aside.replace(path)
            self.echo(f"repetend: could not fill {path.name}: {_last_line(error)}")
            return False
        except BaseException:  # Ctrl-C while apply runs: the file is left as it was found
            _put_back(aside, path)
            raise
        if not path.exists():
            aside.replace(path)
            self.echo(f"repetend: {suggestion.pattern_id} did not write {path.name}; left empty")
            return False
        aside.unlink()
        self.echo(output.rstrip() or f"filled {_relative(path, self.root)}")
        return True

    def _preview(self, suggestion: Suggestion) -> str:
        placeholders = [f"--set={name}=<{name}>" for name, _ in suggestion.questions]
        try:
            return (
                self._apply(suggestion, *placeholders, "--dry-run").rstrip() or "(nothing to show)"
            )
        except (subprocess.SubprocessError, OSError) as error:
            return f"repetend: cannot show it: {_last_line(error)}"

    def _apply(self, suggestion: Suggestion, *extra: str) -> str:
        # Never `python -m`: it would put the watched repository first on sys.path.
        from repetend.launch import isolated_argv

        argv = shlex.split(suggestion.command)
        result = subprocess.run(
            isolated_argv(sys.executable, "repetend", *argv[1:], *extra),
            cwd=self.root,
            stdin=subprocess.DEVNULL,  # the watcher asks; the command it runs never does
            capture_output=True,
            text=True,
            timeout=APPLY_TIMEOUT_SECONDS,
            check=True,
        )
        return result.stdout


def _via(suggestion: Suggestion) -> tuple[str, ...]:
    """`repetend apply` records the use as the watcher's (a plugin's command has its own say)."""
    return ("--via=watch",) if shlex.split(suggestion.command)[1:2] == ["apply"] else ()


def _answers(suggestion: Suggestion) -> tuple[str, ...]:
    """Ask for each value the template needs that the path did not give."""
    answers = []
    for name, hint in suggestion.questions:
        value = ask(f"  {name}" + (f" ({hint})" if hint else ""))
        answers.append(f"--set={name}={value}")
    return tuple(answers)


def _put_back(aside: Path, path: Path) -> None:
    """The empty file back in its place, unless apply finished writing it first."""
    if path.exists():
        aside.unlink()
    else:
        aside.replace(path)


def _last_line(error: BaseException) -> str:
    output = getattr(error, "stderr", None) or getattr(error, "stdout", None) or ""
    lines = str(output).strip().splitlines()
    return lines[-1] if lines else str(error)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
