"""Checks of one spec file on disk: its YAML, the JSON Schema, its id, its folder, its files.

`repetend validate` runs them on every spec it is given (and asks the
templates stage whether an approved template still reproduces its members,
see `repetend.review.validation`). Each finding is a `Problem` that prints as
`FILE:KEY: message`, KEY a dotted path into the document (`files.0.path`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from repetend.patterns.files import FOLDERS
from repetend.patterns.template_files import GLOBS, KIND

# `AUTO-` + the UTC day it was first proposed + a number that day (see Store.save_candidate).
ID_CONVENTION = re.compile(r"AUTO-[0-9]{8}-[0-9A-Za-z]{3,}")
SCHEMA_FILE = "spec.schema.json"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec: the file, the key in it, and what was expected."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.key}: {self.message}"

    def as_json(self) -> dict[str, str]:
        """The problem as JSON: `file`, `key`, `message`."""
        return {"file": self.file, "key": self.key, "message": self.message}


@functools.lru_cache(maxsize=1)
def spec_schema() -> dict[str, Any]:
    """The JSON Schema of spec files, shipped in the package."""
    text = resources.files("repetend.patterns").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def read_spec(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The spec's YAML document, or the problem that stops it being read."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(shown, "(file)", f"cannot be read ({error})")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(yaml)"
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, [Problem(shown, where, f"not valid YAML: {reason}")]
    if not isinstance(document, dict):
        found = type(document).__name__
        return None, [Problem(shown, "(document)", f"expected a mapping of keys, got {found}")]
    return document, []


def schema_problems(document: dict[str, Any], shown: str) -> list[Problem]:
    """Where the document breaks the spec schema, one problem per broken key."""
    validator = Draft202012Validator(spec_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [_schema_problem(error, shown) for error in errors]


def _schema_problem(error: ValidationError, shown: str) -> Problem:
    path = [str(part) for part in error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, dict):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = next((k for k in required if k not in error.instance), "?")
        return Problem(shown, ".".join([*path, missing]), "missing (the spec schema requires it)")
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    message = error.message
    if described and error.validator in ("oneOf", "anyOf", "pattern"):
        message = f"{_short(error.instance)} is not valid: expected {described}"
    return Problem(shown, ".".join(path) or "(document)", message)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def identity_problems(document: dict[str, Any], path: Path, shown: str) -> list[Problem]:
    """The id's convention, the file named after the id, and the folder matching the status."""
    found: list[Problem] = []
    pattern_id, status = document.get("id"), document.get("status")
    if isinstance(pattern_id, str):
        if not ID_CONVENTION.fullmatch(pattern_id):
            found.append(Problem(shown, "id", f"{pattern_id!r} is not like AUTO-YYYYMMDD-NNN"))
        if path.stem != pattern_id:
            found.append(Problem(shown, "id", f"{pattern_id!r} but the file is {path.name}"))
    folder = path.parent.name
    if (
        isinstance(status, str)
        and status in FOLDERS
        and folder in FOLDERS.values()
        and FOLDERS[status] != folder
    ):
        where = f"{status} but the spec is in {folder}/, not {FOLDERS[status]}/"
        found.append(Problem(shown, "status", where))
    return found


def file_problems(document: dict[str, Any], path: Path, shown: str) -> list[Problem]:
    """A file template's own files: each `.jinja` it names and its `.globs`, beside the spec."""
    if document.get("kind") != KIND or not isinstance(document.get("files"), list):
        return []
    folder = path.parent / str(document.get("id", path.stem))
    found = []
    for index, item in enumerate(document["files"]):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue  # the schema has said what is wrong with it
        found += _item_problems(item, folder, path.parent, f"{shown}", f"files.{index}")
    if not (folder / GLOBS).is_file():
        relative = (folder / GLOBS).relative_to(path.parent).as_posix()
        found.append(Problem(shown, "files", f"{relative} is missing (the git hook reads it)"))
    return found


def _item_problems(
    item: dict[str, Any], folder: Path, base: Path, shown: str, key: str
) -> list[Problem]:
    found = []
    jinja = folder / f"{item['path']}.jinja"
    if not jinja.is_file():
        missing = jinja.relative_to(base).as_posix()
        found.append(Problem(shown, f"{key}.path", f"its template file {missing} is missing"))
    try:
        re.compile(str(item.get("path_regex", "")))
    except re.error as error:
        found.append(Problem(shown, f"{key}.path_regex", f"not a regular expression ({error})"))
    return found


def check_spec(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Every check of this module on one spec file; the document when it could be read."""
    document, found = read_spec(path, shown)
    if document is None:
        return None, found
    found = schema_problems(document, shown)
    found += identity_problems(document, path, shown)
    found += file_problems(document, path, shown)
    return document, found
