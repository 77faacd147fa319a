"""Use a file template: render new files from variables, safely, and export it for Copier.

Writes are atomic, an existing file is never overwritten without `force`, and
a value that would put a file outside the repository, or inside its `.git`
folder (its hooks, its config), is refused whatever the values. New files
get the modes `touch` would give them (the umask honoured); a template whose
`.jinja` file is executable, or whose text starts with `#!`, renders an
executable file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repetend.errors import UsageError
from repetend.events import Candidate
from repetend.fileio import atomic_write
from repetend.patterns.template_files import template_files
from repetend.templates.parts import render
from repetend.templates.safe_render import bounded_render
from repetend.templates.spec import section_on


@dataclass(frozen=True)
class PlannedFile:
    """A file `apply` would write: where, what, and whether it exists already."""

    path: Path
    text: str
    exists: bool
    executable: bool = False


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
    for stored, regex in zip(template_files(candidate), regexes, strict=True):
        item = {**stored, "template": _source(root, candidate, stored)}
        _refuse_absolute(item["path"], given)
        relative = bounded_render(candidate.id, item["path"], values)
        text = bounded_render(candidate.id, item["template"], values)
        refuse_unreadable(candidate.id, {**item, "path_regex": regex}, values, text)
        target = safe_target(root, relative)
        executable = _executable_source(root, candidate, item["path"]) or text.startswith("#!")
        planned.append(PlannedFile(target, text, target.exists(), executable))
    return planned


def _jinja_file(root: Path, candidate: Candidate, path_pattern: str) -> Path | None:
    """The template's `.jinja` file beside its spec (`<spec>/<path pattern>.jinja`)."""
    if not candidate.spec_path:
        return None
    return root / Path(candidate.spec_path).with_suffix("") / f"{path_pattern}.jinja"


def _source(root: Path, candidate: Candidate, item: dict[str, str]) -> str:
    """The Jinja2 source to render: the `.jinja` file as the user left it, else the stored one.

    The files beside a spec are what people review and edit; a hand edit there is what
    `apply` renders (it used to render the database's copy and ignore it).
    """
    path = _jinja_file(root, candidate, item["path"])
    try:
        return path.read_text(encoding="utf-8") if path is not None else item["template"]
    except FileNotFoundError:
        return item["template"]
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{candidate.id}: {path}: cannot be read ({error})") from error


def _executable_source(root: Path, candidate: Candidate, path_pattern: str) -> bool:
    """Whether the template's `.jinja` file beside its spec has the executable bit."""
    source = _jinja_file(root, candidate, path_pattern)
    try:
        return source is not None and bool(source.stat().st_mode & 0o111)
    except OSError:
        return False


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


def plan_rows(candidate: Candidate, rows: list[dict[str, Any]], root: Path) -> list[PlannedFile]:
    """The files every row of values renders; two rows that render one path are refused."""
    planned: list[PlannedFile] = []
    first_row: dict[Path, int] = {}
    for number, values in enumerate(rows, 1):
        for item in plan(candidate, values, root):
            earlier = first_row.setdefault(item.path, number)
            if earlier != number:
                where = item.path.relative_to(root.resolve()).as_posix()
                raise UsageError(
                    f"{candidate.id}: rows {earlier} and {number} both render {where}"
                    " (give each row values that make its own files)"
                )
            planned.append(item)
    return planned


def _refuse_absolute(path_source: str, given: dict[str, Any]) -> None:
    """A value the file's path uses may not be an absolute path (it would land in a subfolder)."""
    for name, value in given.items():
        absolute = isinstance(value, str) and (
            value.startswith(("/", "\\")) or Path(value).is_absolute()
        )
        if absolute and re.search(rf"\b{re.escape(name)}\b", path_source):
            raise UsageError(
                f"refused: {name} = {value!r} is an absolute path; the file's path uses it,"
                " so give a name inside the repository"
            )


def safe_target(root: Path, relative: str) -> Path:
    """`root / relative`, refused when it is absolute or leads outside `root`."""
    if "\0" in relative:
        raise UsageError(f"refused: {relative!r} holds a NUL character")
    too_long = [part for part in relative.split("/") if len(os.fsencode(part)) > 255]
    if too_long:
        raise UsageError(f"refused: a file name of {len(too_long[0])} characters (at most 255)")
    if not relative or relative.startswith(("/", "\\")) or Path(relative).is_absolute():
        raise UsageError(f"refused: {relative!r} is not a path inside the repository")
    target = (root / relative).resolve()
    try:
        inside = target.relative_to(root.resolve())
    except ValueError:
        raise UsageError(f"refused: {relative!r} would be written outside the repository") from None
    if any(part.lower() == ".git" for part in inside.parts):
        raise UsageError(f"refused: {relative!r} would be written inside the repository's .git")
    return target


def write(planned: list[PlannedFile], *, force: bool, root: Path | None = None) -> None:
    """Write the planned files atomically; refuse all of them if one exists and not `force`.

    A file that already holds exactly what is planned (an earlier run was killed after
    writing it) is no conflict: a re-run completes what was planned. With `root`, the
    temporary copies are made under `.repetend/tmp/`, never in the work tree, so a kill
    leaves nothing there; those of a killed run are removed by the next.
    """
    pending = [item for item in planned if not _already_written(item)]
    existing = [p.path for p in pending if p.exists]
    if existing and not force:
        raise UsageError(f"{existing[0]} exists (use --force to overwrite it)")
    umask = _umask()
    scratch = _scratch(root) if root is not None else None
    for item in pending:
        mode = (0o777 if item.executable else 0o666) & ~umask
        if scratch is None:
            atomic_write(item.path, item.text, mode=mode)
        else:
            _write_through(scratch, item, mode)


def _already_written(item: PlannedFile) -> bool:
    try:
        return item.exists and item.path.read_bytes() == item.text.encode("utf-8")
    except OSError:
        return False


def _scratch(root: Path) -> Path:
    """`.repetend/tmp/`, emptied of what killed runs left."""
    from repetend.config import STATE_DIR
    from repetend.private_files import private_dir

    folder = private_dir(root / STATE_DIR / "tmp")
    for left in folder.glob("apply-*.tmp"):
        pid = left.name.split("-")[1]
        if pid.isdigit() and not _running(int(pid)):
            left.unlink(missing_ok=True)
    return folder


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _write_through(scratch: Path, item: PlannedFile, mode: int) -> None:
    import errno
    import uuid

    temporary = scratch / f"apply-{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(temporary, "xb") as handle:
            handle.write(item.text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        item.path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, item.path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        if error.errno != errno.EXDEV:  # another file system: write beside the target instead
            raise
        atomic_write(item.path, item.text, mode=mode)


def _umask() -> int:
    import os

    mask = os.umask(0o022)  # reading it means setting it: put it straight back
    os.umask(mask)
    return mask
