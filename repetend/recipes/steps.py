"""A recipe's steps: the shell commands an approved sequence or execution pattern runs.

Where they come from, first match wins:

- the spec's `run:` list, written by whoever reviews the pattern: each item a
  command line (or a mapping with `run:`), Jinja2 `{{ name }}` for variables;
- a sequence's step labels that are commands (`ruff check`, `pytest`,
  `Bash: make test` as an agent ran it); an agent tool use (`Edit *.py`) is
  no command, and such a sequence needs `run:`;
- an execution whose `command` input was the same every time (`invariants`).

Values come from `--set NAME=VALUE`, else the spec's `defaults:` mapping, else
an execution's invariants. Each value is quoted as one shell word before it is
put in (`{{ message }}` with `fix it` gives `'fix it'`), so a value never
becomes a second command.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from repetend.errors import UsageError
from repetend.events import Candidate
from repetend.patterns.destructive import destructive_reason

RECIPE_KINDS = ("sequence", "execution")


@dataclass(frozen=True)
class Step:
    """One step of a recipe: its number (from 1), the spec's text, the command it runs."""

    number: int
    source: str
    command: str
    destructive: str = ""  # why it is destructive, or ""


def is_recipe(candidate: Candidate) -> bool:
    """Whether the pattern is of a kind that runs as a recipe."""
    return candidate.kind in RECIPE_KINDS


def step_sources(candidate: Candidate) -> list[str]:
    """The recipe's steps as the spec holds them; one line of error when it has none to run."""
    if not is_recipe(candidate):
        raise UsageError(
            f"{candidate.id}: a {candidate.kind} pattern is not a recipe (recipes are sequence"
            " and execution patterns; a template is applied: `repetend apply`)"
        )
    if candidate.spec.get("run") is not None:
        return _written(candidate)
    if candidate.kind == "sequence":
        return _from_labels(candidate)
    command = (candidate.spec.get("invariants") or {}).get("command")
    if isinstance(command, str) and command.strip():
        return [command]
    raise UsageError(
        f"{candidate.id}: no command to run (its executions' `command` input varied or was"
        " absent); add `run:` to the spec, a list of command lines"
    )


def _written(candidate: Candidate) -> list[str]:
    items = candidate.spec.get("run")
    where = f"{candidate.spec_path or candidate.id}:run"  # FILE:KEY, as `repetend validate`
    if not isinstance(items, list) or not items:
        raise UsageError(f"{where}: expected a list of command lines")
    found = []
    for index, item in enumerate(items):
        text = item.get("run") if isinstance(item, dict) else item
        if not isinstance(text, str) or not text.strip():
            raise UsageError(f"{where}.{index}: expected a command line (or a mapping with run:)")
        found.append(text)
    return found


def _from_labels(candidate: Candidate) -> list[str]:
    from repetend.sequences.suggestions import AGENT_TOOL

    found = []
    for number, label in enumerate(str(s) for s in candidate.spec.get("steps") or []):
        if ": " in label and AGENT_TOOL.match(label):
            label = label.split(": ", 1)[1]  # an agent's shell: `Bash: pytest`
        elif AGENT_TOOL.match(label):
            raise UsageError(
                f"{candidate.id}: step {number + 1} ({label!r}) is an agent's tool use, not a"
                " command; add `run:` to the spec, a list of command lines"
            )
        found.append(label)
    if not found:
        raise UsageError(f"{candidate.id}: the sequence has no steps")
    return found


def variables(sources: list[str]) -> list[str]:
    """The variables the steps use, in the order they first appear."""
    from jinja2 import meta

    from repetend.templates.parts import sandbox

    names: list[str] = []
    for source in sources:
        found = meta.find_undeclared_variables(sandbox().parse(source))
        names += sorted(n for n in found if n not in names)
    return names


def defaults(candidate: Candidate) -> dict[str, str]:
    """Values the spec gives: its `defaults:` mapping, and an execution's fixed inputs."""
    given: dict[str, Any] = {}
    if candidate.kind == "execution":
        given.update(candidate.spec.get("invariants") or {})
    written = candidate.spec.get("defaults")
    if isinstance(written, dict):
        given.update(written)
    return {str(k): str(v) for k, v in given.items() if isinstance(v, str | int | float)}


def render_steps(candidate: Candidate, values: dict[str, str]) -> list[Step]:
    """The commands to run with `values` (and the defaults); every missing value named at once."""
    from repetend.templates.safe_render import bounded_render

    sources = step_sources(candidate)
    known = {**defaults(candidate), **values}
    missing = [name for name in variables(sources) if name not in known]
    if missing:
        raise UsageError(
            f"{candidate.id}: missing value(s) for {', '.join(missing)}: give"
            f" --set {missing[0]}=VALUE (see `repetend recipes show {candidate.id}`)"
        )
    quoted = {name: shlex.quote(value) for name, value in known.items()}
    steps = []
    for number, source in enumerate(sources, 1):
        command = bounded_render(candidate.id, source, quoted).strip()
        steps.append(Step(number, source, command, destructive_reason([command])))
    return steps
