"""From a family to a `file-template` candidate: template, spec, confidence with its parts."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from repetend.events import Candidate
from repetend.files.example_sources import example_sources
from repetend.files.families import Family, structural_similarity
from repetend.files.family_identity import family_signature, members_digest
from repetend.files.index import IndexedFile, read_text
from repetend.patterns.confidence import weighted_geometric_mean, wilson_lower_bound
from repetend.templates.generator import (
    LearnedTemplate,
    Member,
    generate,
    infer_values,
)
from repetend.templates.held_out import held_out
from repetend.templates.parts import (
    Part,
)
from repetend.templates.path_patterns import PathPattern
from repetend.templates.quality import learned_from, learned_yield
from repetend.templates.source import parts_from_source
from repetend.templates.spec import fixed_fraction, template_spec

KIND = "file-template"
# How much each confidence part counts in the weighted geometric mean. `held_out` is the chance
# that the template reproduces the next member (the Wilson lower bound of held-out members
# rendered exactly), `yield` how much of a member it writes, `examples` the members the stored
# template reads back (Wilson lower bound). `round_trip_rate`, `held_out_exact` and
# `fixed_text` are shown, not counted again. (A unit, whose parts have no `held_out` or `yield`,
# is scored on `examples` and `structural_similarity`.)
WEIGHTS = {"held_out": 2.0, "yield": 1.0, "examples": 1.0, "structural_similarity": 0.5}
HELD_OUT_TESTED = 20  # held-out members rendered at most per family while mining
_HEADING = re.compile(r"^#{1,6}\s+\S")


def template_confidence(parts: dict[str, float]) -> float:
    """A file template's confidence: the weighted geometric mean of its parts (see WEIGHTS)."""
    return weighted_geometric_mean(parts, WEIGHTS)


def candidate_for(family: Family, rows: list[IndexedFile], root: Path) -> Candidate:
    """Learn the family's template and describe it as a candidate."""
    members = [Member(row.path, read_text(root, row.path)) for row in rows]
    template = generate(members)
    parts = {
        **reproduction_parts([template]),
        "examples": round(wilson_lower_bound(sum(template.read_backs), len(members)), 4),
        "round_trip_rate": round(sum(template.read_backs) / len(members), 4),
        "structural_similarity": round(structural_similarity(rows), 4),
        "fixed_text": round(fixed_fraction(template), 4),
    }
    spec = template_spec([template], family.key, members_digest(rows))
    spec["example_sources"] = example_sources(template.values)  # see refit.refit_in_place
    reason = trivial_reason([member.text for member in members])
    if reason:
        spec["trivial"] = reason  # never approved automatically (patterns.classify)
    return Candidate(
        kind=KIND,
        signature=family_signature(family),
        name=f"{template.path.source} ({len(members)} files)",
        description=_description(spec["variables"], family.key),
        confidence=template_confidence(parts),
        confidence_parts=parts,
        evidence=[m.path for m in members[:20]],
        spec=spec,
        occurrences=len(members),
    )


def trivial_reason(texts: list[str]) -> str:
    """Why a family is too plain to approve without a person, or "".

    Files that are mostly one line each (an include line, a one-line ownership file)
    or copies of one text hold no shape worth checking commits against: a
    template of them would warn on the next legitimate file that differs.
    """
    lines = sorted(sum(1 for line in text.splitlines() if line.strip()) for text in texts)
    if lines[len(lines) // 2] <= 1:  # most members: one line with a longer one beside is still one
        return "trivial: most members are one line"
    if len(set(texts)) == 1:
        return "trivial: every member is a copy of one text, nothing in it varies"
    return ""


def reproduction_parts(templates: list[LearnedTemplate]) -> dict[str, float]:
    """`held_out`, `held_out_exact` and `yield` of one template, or of a unit's templates.

    Each template is learned again from a few of its members and renders up to
    `HELD_OUT_TESTED` others; a unit pools its files' held-out members and
    weighs each file's yield by its members.
    """
    trials = [held_out(t.members, learned_from(len(t.members)), HELD_OUT_TESTED) for t in templates]
    exact, tested = sum(t.exact for t in trials), sum(t.tested for t in trials)
    sizes = [len(t.members) for t in templates]
    yields = sum(learned_yield(t) * n for t, n in zip(templates, sizes, strict=True))
    return {
        "held_out": round(wilson_lower_bound(exact, tested), 4),
        "held_out_exact": round(exact / tested, 4) if tested else 1.0,
        "yield": round(yields / sum(sizes), 4) if sum(sizes) else 0.0,
    }


def refit_candidate(
    existing: Candidate, family: Family, rows: list[IndexedFile], changed: set[str], root: Path
) -> Candidate | None:
    """The existing candidate with new members, if its template reproduces each changed one.

    A family that gained or changed a few files usually still fits its
    template; checking those files costs a render each, relearning costs an
    alignment of every member. None when a changed member does not fit.
    """
    known = set(existing.spec.get("members", []))
    fresh = [row.path for row in rows if row.path in changed or row.path not in known]
    files = existing.spec.get("files") or []
    if len(files) != 1:
        return None
    template = stored_template(files[0])
    for path in fresh:
        text = read_text(root, path)
        values, missing = infer_values(template, path, text)
        if missing or not _renders(template, values, text):
            return None
    return _refitted(existing, family, rows)


def stored_template(item: dict[str, Any]) -> LearnedTemplate:
    """A template as the spec keeps it (one entry of `files`), for reading and rendering."""
    regex = str(item.get("path_regex", ""))
    path = PathPattern(str(item["path"]), regex, list(re.compile(regex).groupindex))
    parts = _parsed(str(item["template"]), frozenset(path.names))
    return LearnedTemplate(parts, path, [], [], source=str(item["template"]))


@functools.lru_cache(maxsize=32)
def _parsed(source: str, path_names: frozenset[str]) -> list[Part]:
    # read-only after parsing: readers only walk the parts
    return parts_from_source(source, set(path_names))


def _renders(template: LearnedTemplate, values: dict[str, Any], text: str) -> bool:
    try:
        return template.render(values) == text
    except TemplateError:
        return False


def _refitted(existing: Candidate, family: Family, rows: list[IndexedFile]) -> Candidate:
    parts = dict(existing.confidence_parts)
    parts["structural_similarity"] = round(structural_similarity(rows), 4)
    parts["examples"] = round(wilson_lower_bound(len(rows), len(rows)), 4)  # each one fits
    spec = dict(existing.spec)
    spec["members"] = [row.path for row in rows]
    spec["members_digest"] = members_digest(rows)
    spec["learned"] = "refit"
    return replace(
        existing,
        name=f"{spec['path_pattern']} ({len(rows)} files)",
        confidence=template_confidence(parts),
        confidence_parts=parts,
        evidence=spec["members"][:20],
        spec=spec,
        occurrences=len(rows),
    )


def _description(variables: list[dict[str, Any]], key: str) -> str:
    """What the template asks for: its texts and lists with words in them (not layouts)."""
    names = [
        v["name"]
        for v in variables
        if v["type"] in ("str", "list") and any(_worded(e) for e in v["examples"])
    ][:6]
    return f"Files like {key}, from variables: {', '.join(names) or 'none'}."


def _worded(example: Any) -> bool:
    return any(character.isalnum() for character in str(example))
