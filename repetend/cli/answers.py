"""Asking for the values `apply` was not given, as Copier asks its questions.

Only on a terminal (or with `--ask`), and only for what can be typed on one
line; prompts go to stderr so that stdout stays the command's report.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from repetend.errors import UsageError
from repetend.events import Candidate
from repetend.templates.apply import (
    can_be_asked,
    missing_message,
    missing_variables,
    question_hint,
)


def ask_for_missing(
    candidate: Candidate, rows: list[dict[str, Any]], ask: bool | None
) -> list[dict[str, Any]]:
    """Each row with its missing required values asked for, when asking (default: a terminal)."""
    if ask is None:
        ask = _on_a_terminal()
    if not ask:
        return rows
    several = len(rows) > 1
    return [
        _asked(candidate, row, f"row {n}: " if several else "") for n, row in enumerate(rows, 1)
    ]


def _on_a_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):  # closed or replaced by something that is not a file
        return False


def _asked(candidate: Candidate, row: dict[str, Any], prefix: str) -> dict[str, Any]:
    missing = missing_variables(candidate, row)
    if not all(can_be_asked(variable) for variable in missing):
        raise UsageError(missing_message(candidate, missing))  # say all before asking any
    return {**row, **{v["name"]: _prompt(v, prefix) for v in missing}}


def _prompt(variable: dict[str, Any], prefix: str) -> str:
    hint = question_hint(variable)
    question = f"{prefix}{variable['name']}" + (f" ({hint})" if hint else "")
    answer: str = click.prompt(question, err=True)
    return answer
