"""Use a file template: render new files from variables, safely, and export it for Copier.

Writes are atomic, an existing file is never overwritten without `force`, and
a value that would put a file outside the repository is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, UndefinedError

from repetend.errors import UsageError
from repetend.events import Candidate
from repetend.fileio import atomic_write
from repetend.patterns.template_files import template_files
from repetend.templates.parts import render
from repetend.templates.spec import section_on


@dataclass(frozen=True)
class PlannedFile:
    """A file `apply` would write: where, what, and whether it exists already."""

    path: Path
    text: str
    exists: bool


def complete_values(candidate: Candidate, given: dict[str, Any]) -> dict[str, Any]:
    """The given values plus defaults; missing required variables are one line naming them all.

    Flags come first: a variable only sections use (its `sections`) is needed
    when one of them is on, and not when they are all off.
    """
    missing = missing_variables(candidate, given)
    if missing:
        raise UsageError(missing_message(candidate, missing))
    variables = candidate.spec.get("variables", [])
    values = _flags(variables, given)
    for variable in variables:
        name = variable["name"]
        if name in given:
            values[name] = _typed(given[name], variable["type"], variable.get("item_fields"))
        elif variable.get("default") is not None and name not in values:
            values[name] = variable["default"]
    unknown = sorted(set(given) - {str(v["name"]) for v in variables})
    if unknown:
        raise UsageError(
            f"{candidate.id}: unknown variable {unknown[0]!r}"
            f" (see `repetend templates show {candidate.id}`)"
        )
    return values


def missing_variables(candidate: Candidate, given: dict[str, Any]) -> list[dict[str, Any]]:
    """The variables `given` lacks that have no default and are needed, in the spec's order."""
    variables = candidate.spec.get("variables", [])
    flags = _flags(variables, given)
    return [
        variable
        for variable in variables
        if variable["name"] not in given
        and variable.get("default") is None
        and variable["type"] != "bool"
        and _needed(variable, flags)
    ]


def missing_message(candidate: Candidate, missing: list[dict[str, Any]]) -> str:
    """One line naming every missing variable with how to give it and its examples."""
    named = [f"{v['name']!r} ({_hint(v)})" for v in missing]
    if len(named) == 1:
        return f"{candidate.id}: missing required variable {named[0]}"
    return f"{candidate.id}: missing {len(named)} required variables: {', '.join(named)}"


def question_hint(variable: dict[str, Any]) -> str:
    """What a prompt shows beside a variable's name: up to three examples, as typed."""
    examples = [_typed_example(e) for e in variable.get("examples", [])[:3]]
    hint = f"e.g. {', '.join(examples)}" if examples else ""
    if variable["type"] == "list":
        hint = f"comma-separated{'; ' + hint if hint else ''}"
    return hint


def _typed_example(example: Any) -> str:
    if isinstance(example, list):
        return repr(",".join(map(str, example)))  # as it is typed: a,b,c
    return repr(example)


def can_be_asked(variable: dict[str, Any]) -> bool:
    """Whether a value can be typed at a prompt: not a list of items with fields of their own."""
    return not variable.get("item_fields")


def _flags(variables: list[dict[str, Any]], given: dict[str, Any]) -> dict[str, Any]:
    """Every flag's value: given, else its default, else off."""
    return {
        v["name"]: _typed(given[v["name"]] if v["name"] in given else v.get("default"), "bool")
        for v in variables
        if v["type"] == "bool"
    }


def _needed(variable: dict[str, Any], flags: dict[str, Any]) -> bool:
    """Whether a variable with no value must be given: one of the sections that use it is on."""
    sections = variable.get("sections")
    if sections is None:  # used outside sections, or a spec from before `sections`
        return variable.get("required") is not False
    return any(section_on(str(flag), flags) for flag in sections)


def _hint(variable: dict[str, Any]) -> str:
    """How to give a missing variable: `--set` with examples, or the fields of its items."""
    name, fields = variable["name"], variable.get("item_fields")
    if isinstance(fields, dict) and fields:
        return f"a list of mappings in --from values.yaml, each with {', '.join(fields)}"
    examples = ", ".join(repr(e) for e in variable.get("examples", [])[:3])
    return f"--set {name}=…; examples: {examples or 'none'}"


def _typed(value: Any, kind: str, fields: dict[str, Any] | None = None) -> Any:
    if kind == "list" and fields and isinstance(value, list):  # items with fields of their own
        return [_item(item, fields) for item in value]
    if kind == "list":
        items = value if isinstance(value, list) else str(value).split(",")
        return [str(item).strip() for item in items]
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE
    return str(value)


_TRUE = {"1", "true", "yes", "on"}


def _item(item: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """One item of a loop: its given fields (flags as booleans), the others at their defaults."""
    if not isinstance(item, dict):
        raise UsageError(f"expected each item to be a mapping of {', '.join(fields)}, got {item!r}")
    unknown = sorted(set(map(str, item)) - set(fields))
    if unknown:
        raise UsageError(f"unknown item field {unknown[0]!r} (fields: {', '.join(fields)})")
    typed = {
        str(key): _typed(value, "bool" if isinstance(fields[str(key)], bool) else "str")
        for key, value in item.items()
    }
    return {**fields, **typed}


def plan(candidate: Candidate, given: dict[str, Any], root: Path) -> list[PlannedFile]:
    """The files one set of values renders, each checked to stay inside `root`."""
    values = complete_values(candidate, given)
    planned = []
    regexes = [str(f.get("path_regex", "")) for f in candidate.spec.get("files", [])]
    for item, regex in zip(template_files(candidate), regexes, strict=True):
        try:
            relative = render(item["path"], values)
            text = render(item["template"], values)
        except UndefinedError as error:
            raise UsageError(
                f"{candidate.id}: missing variable for a section that is on ({error.message};"
                " set it with --set NAME=…)"
            ) from error
        except TemplateError as error:
            raise UsageError(f"{candidate.id}: cannot render ({error})") from error
        refuse_unreadable(candidate.id, {**item, "path_regex": regex}, values, text)
        target = safe_target(root, relative)
        planned.append(PlannedFile(target, text, target.exists()))
    return planned


def refuse_unreadable(
    template_id: str, item: dict[str, str], values: dict[str, Any], text: str
) -> None:
    """Refuse a rendered file the template cannot read back whole.

    The file is read with the template's own parts and rendered again; when
    that differs (a value holds the fixed text that follows it, or breaks a
    list), the file would not be one the hooks and `apply --like` can read,
    and `apply` would have written what it cannot stand behind.
    """
    from repetend.templates.quality import read_member, template_from_item

    template = template_from_item(item)
    path = render(item["path"], values)
    check = read_member(template, path, text)
    if check.exact:
        return
    changed = _changed_value(values, check.values)
    why = f"{changed!r} is read back otherwise" if changed else check.problem
    raise UsageError(f"{template_id}: refused: {path} would not read back whole ({why})")


def _changed_value(given: dict[str, Any], read: dict[str, Any]) -> str | None:
    """The first variable whose value reads back differently from the one given."""
    return next((n for n, v in given.items() if n in read and read[n] != v), None)


def safe_target(root: Path, relative: str) -> Path:
    """`root / relative`, refused when it is absolute or leads outside `root`."""
    if not relative or relative.startswith(("/", "\\")) or Path(relative).is_absolute():
        raise UsageError(f"refused: {relative!r} is not a path inside the repository")
    target = (root / relative).resolve()
    try:
        target.relative_to(root.resolve())
    except ValueError:
        raise UsageError(f"refused: {relative!r} would be written outside the repository") from None
    return target


def write(planned: list[PlannedFile], *, force: bool) -> None:
    """Write the planned files atomically; refuse all of them if one exists and not `force`."""
    existing = [p.path for p in planned if p.exists]
    if existing and not force:
        raise UsageError(f"{existing[0]} exists (use --force to overwrite it)")
    for item in planned:
        atomic_write(item.path, item.text)
