"""`repetend validate`: every spec given, checked on disk and against the ground truth.

The ground truth of an approved file template is its family: each member that
still exists must come back byte for byte when its values are read out of it
with the template's `.jinja` files and rendered (what `templates check` calls
read-back). A template edited by hand so that it no longer reproduces its
members fails here, before the commit that would ship it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from repetend.errors import NotFoundError
from repetend.events import Candidate
from repetend.patterns.files import FOLDERS
from repetend.patterns.spec_checks import Problem, check_spec
from repetend.patterns.template_files import KIND

_HEAD = ("id", "kind", "name", "description", "status", "confidence", "occurrences")


def validate(paths: Iterable[Path], root: Path, patterns_dir: Path) -> list[Problem]:
    """Check the specs that `paths` name (all of `patterns_dir` when none); every problem found.

    A path may be a spec, a folder of specs, or a file inside a template folder
    (its spec is checked): what the pre-commit hook passes for a commit.
    """
    found: list[Problem] = []
    for spec in spec_files(list(paths) or [patterns_dir], patterns_dir):
        shown = _shown(spec, root)
        if not spec.is_file():
            found.append(Problem(shown, "(file)", "a template folder without its spec"))
            continue
        document, problems = check_spec(spec, shown)
        if document is not None and not problems:
            problems = ground_truth_problems(document, spec, shown, root)
        found += problems
    return found


def spec_files(paths: list[Path], patterns_dir: Path) -> list[Path]:
    """The spec files that `paths` name, each once, in order."""
    found: dict[Path, None] = {}
    for path in paths:
        spec = _spec_of(path, patterns_dir)
        if spec is not None:
            found[spec] = None
        elif _elsewhere_in(path, patterns_dir):
            continue  # history, anti-patterns, …: kept beside the specs, not specs themselves
        elif path.is_dir():
            found.update(dict.fromkeys(sorted(_specs_under(path))))
        elif path.suffix in (".yaml", ".yml"):
            found[path] = None
    return list(found)


def _elsewhere_in(path: Path, patterns_dir: Path) -> bool:
    """Whether `path` is inside the patterns folder, but not a status folder or in one."""
    try:
        parts = path.resolve().relative_to(patterns_dir.resolve()).parts
    except ValueError:
        return False
    return bool(parts) and parts[0] not in FOLDERS.values()


def _specs_under(folder: Path) -> list[Path]:
    """The specs of a patterns folder, a status folder, or any folder of specs.

    A template folder without a spec beside it yields the spec it lacks.
    """
    if folder.name in FOLDERS.values():
        statuses = [folder]
    else:
        statuses = [folder / name for name in FOLDERS.values() if (folder / name).is_dir()]
    if not statuses:
        return list(folder.glob("*.yaml"))
    found = []
    for status in statuses:
        for entry in status.iterdir():
            if entry.suffix == ".yaml":
                found.append(entry)
            elif entry.is_dir():
                found.append(entry.with_name(f"{entry.name}.yaml"))
    return found


def _spec_of(path: Path, patterns_dir: Path) -> Path | None:
    """For a path inside `<status folder>/<id>[/…]`: the spec `<status folder>/<id>.yaml`."""
    try:
        parts = path.resolve().relative_to(patterns_dir.resolve()).parts
    except ValueError:
        return None
    if len(parts) < 2 or parts[0] not in FOLDERS.values():
        return None
    if len(parts) == 2 and path.suffix != ".yaml" and not path.is_dir():
        return None  # a file of its own in a status folder (a README, .gitkeep): no spec
    name = parts[1].removesuffix(".yaml")
    return patterns_dir / parts[0] / f"{name}.yaml"


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def ground_truth_problems(
    document: dict[str, Any], spec: Path, shown: str, root: Path
) -> list[Problem]:
    """For an approved file template: each existing member it no longer reproduces."""
    if document.get("status") != "approved" or document.get("kind") != KIND:
        return []
    from repetend.templates.quality import read_member, stored_templates

    candidate = candidate_from_document(document)
    try:
        templates = stored_templates(candidate, spec.parent.parent)
    except NotFoundError as error:
        return [Problem(shown, "files", str(error))]
    members = [str(m) for m in document.get("members", [])]
    found = []
    for template in templates:
        pattern = re.compile(template.path.regex)
        for index, member in enumerate(members):
            if not pattern.fullmatch(member) or not (root / member).is_file():
                continue  # another file of the unit, or a member deleted since
            check = read_member(template, member, _text(root / member))
            if not check.exact:
                message = f"{member} is no longer reproduced by the template ({check.problem})"
                found.append(Problem(shown, f"members.{index}", message))
    return found


def candidate_from_document(document: dict[str, Any]) -> Candidate:
    """The candidate a spec document describes (the fields the checks read)."""
    confidence = document.get("confidence") or {}
    return Candidate(
        kind=str(document["kind"]),
        signature="",
        name=str(document.get("name", "")),
        confidence=float(confidence.get("score", 0.0)),
        confidence_parts=dict(confidence.get("parts") or {}),
        spec={k: v for k, v in document.items() if k not in _HEAD},
        description=str(document.get("description", "")),
        occurrences=int(document.get("occurrences", 0)),
        status=str(document["status"]),
        id=str(document["id"]),
    )


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")
