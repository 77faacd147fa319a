"""Keeping a learned template when a few of its family's members changed: a cheap re-run.

`mine` after changing 10 files of a 7,000-file tree must not learn the largest
families again: an alignment of thousands of members costs most of a first
run. A template is kept (refitted) when it reproduces the changed members and
its spec still says what a fresh learning would say of them:

- every changed member reads back through the stored template, byte for byte;
- the members are the same paths (a file added or gone is learned again);
- the examples stay what a fresh learning would show. Examples are the first
  three distinct values of each variable in member order; the spec keeps
  `example_sources`, the positions of the members they come from, so a changed
  member may still give its example, may hold a value already shown before it
  (or none), and past a variable's last source may hold anything, unless the
  variable shows fewer than three values (all it has): then one of those.

The spec is then the one learned before, with its members' digest: its
confidence parts (held-out, yield, read-back) stay those of that learning,
and changing files and restoring them gives the first run's specs back.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from repetend.events import Candidate
from repetend.files.example_sources import EXAMPLES, MISSING, example_key, shown_exactly
from repetend.files.families import Family, structural_similarity
from repetend.files.family_identity import members_digest
from repetend.files.index import IndexedFile, read_text


def refit_in_place(
    existing: Candidate, family: Family, rows: list[IndexedFile], changed: set[str], root: Path
) -> Candidate | None:
    """The existing candidate with the members' new digest, or None when it must be learned."""
    from repetend.files.candidates import stored_template, template_confidence
    from repetend.templates.generator import infer_values

    members = list(existing.spec.get("members") or [])
    files = existing.spec.get("files") or []
    sources = existing.spec.get("example_sources")
    if len(files) != 1 or not isinstance(sources, dict) or [r.path for r in rows] != members:
        return None
    template = stored_template(files[0])
    shown = {
        str(v["name"]): [example_key(e) for e in v.get("examples") or []]
        for v in existing.spec.get("variables") or []
    }
    for position, path in enumerate(members):
        if path not in changed:
            continue
        text = read_text(root, path)
        values, missing = infer_values(template, path, text)
        if missing or not _renders(template, values, text):
            return None
        for name, found in sources.items():
            if not _keeps_examples(position, values.get(name, MISSING), found, shown.get(name)):
                return None
    parts = dict(existing.confidence_parts)
    parts["structural_similarity"] = round(structural_similarity(rows), 4)
    spec = {**existing.spec, "members_digest": members_digest(rows)}
    return replace(
        existing, confidence=template_confidence(parts), confidence_parts=parts, spec=spec
    )


def _keeps_examples(position: int, value: Any, sources: list[int], shown: list[str] | None) -> bool:
    """Whether a member's new value leaves a variable's examples as a fresh learning finds them.

    Examples are the first distinct values in member order, taken from `sources`.
    A member that gave one must still give it; one before the last source must
    hold a value already shown before it (or none); one after it changes nothing,
    unless the variable shows fewer than three, all its values: then the new
    value must be one of them. Where the spec does not show a value whole (a
    long text, a list of items shown once, a masked one), only a member past
    the last of three sources, or without the variable, is sure to change nothing.
    """
    whole = shown is not None and len(shown) == len(sources) and shown_exactly(value)
    key = example_key(value)
    if position in sources:
        return whole and shown is not None and key == shown[sources.index(position)]
    if value is MISSING:
        return True
    if position > sources[-1]:
        return len(sources) == EXAMPLES or (whole and shown is not None and key in shown)
    earlier = [shown[k] for k, at in enumerate(sources) if at < position] if whole and shown else []
    return key in earlier


def _renders(template: Any, values: dict[str, Any], text: str) -> bool:
    from jinja2 import TemplateError

    try:
        return bool(template.render(values) == text)
    except TemplateError:
        return False
