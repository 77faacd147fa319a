"""Keeping a learned template when a few of its family's members changed: a cheap, exact re-run.

`mine` after changing 10 files of a 7,000-file tree must not learn the largest
families again: an alignment of thousands of members costs most of a first
run. A template is kept (refitted) when what a fresh learning would write is
what the spec already says:

- every changed member reads back through the stored template, byte for byte;
- the members are the same paths (a file added or gone is learned again);
- no changed member is one the spec's examples were taken from. Examples are
  the first three distinct values of each variable in member order, so
  `examples_reach` (stored in the spec) is the number of leading members they
  come from: a member past it never gave one, and its new values can only
  add an example to a variable with fewer than three, so each must be one of
  that variable's examples already.

The spec is then the one learned before, with its members' digest: its
confidence parts (held-out, yield, read-back) stay those of that learning,
and changing files and restoring them gives the first run's specs back.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from repetend.events import Candidate
from repetend.files.families import Family, structural_similarity
from repetend.files.family_identity import members_digest
from repetend.files.index import IndexedFile, read_text

EXAMPLES = 3  # examples a variable shows (see templates.spec)
_MISSING = object()


def examples_reach(values: list[dict[str, Any]]) -> int:
    """How many leading members the examples of every variable are taken from."""
    seen: dict[str, set[str]] = {}
    reach = 0
    for position, member in enumerate(values):
        for name, value in member.items():
            distinct = seen.setdefault(name, set())
            if len(distinct) < EXAMPLES and _key(value) not in distinct:
                distinct.add(_key(value))
                reach = position + 1
    return reach


def refit_in_place(
    existing: Candidate, family: Family, rows: list[IndexedFile], changed: set[str], root: Path
) -> Candidate | None:
    """The existing candidate with the members' new digest, or None when it must be learned."""
    from repetend.files.candidates import stored_template, template_confidence
    from repetend.templates.generator import infer_values

    members = list(existing.spec.get("members") or [])
    files = existing.spec.get("files") or []
    reach = existing.spec.get("examples_reach")
    if len(files) != 1 or not isinstance(reach, int) or [r.path for r in rows] != members:
        return None
    position = {path: number for number, path in enumerate(members)}
    fresh = [path for path in members if path in changed]
    if any(position[path] < reach for path in fresh):
        return None
    template = stored_template(files[0])
    few = _few_examples(existing.spec.get("variables") or [])
    for path in fresh:
        text = read_text(root, path)
        values, missing = infer_values(template, path, text)
        if missing or not _renders(template, values, text):
            return None
        if any(_key(values.get(name, _MISSING)) not in shown for name, shown in few.items()):
            return None
    parts = dict(existing.confidence_parts)
    parts["structural_similarity"] = round(structural_similarity(rows), 4)
    spec = {**existing.spec, "members_digest": members_digest(rows)}
    return replace(
        existing, confidence=template_confidence(parts), confidence_parts=parts, spec=spec
    )


def _few_examples(variables: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Variables with fewer than three examples: all their values, as the spec shows them."""
    return {
        str(v["name"]): {_key(e) for e in v.get("examples") or []}
        for v in variables
        if len(v.get("examples") or []) < EXAMPLES
    }


def _key(value: Any) -> str:
    """A value as examples compare it: lists by their text, others as the spec writes them."""
    if value is _MISSING:
        return "<missing>"
    return repr(value) if isinstance(value, list) else str(value)[:200]


def _renders(template: Any, values: dict[str, Any], text: str) -> bool:
    from jinja2 import TemplateError

    try:
        return bool(template.render(values) == text)
    except TemplateError:
        return False
