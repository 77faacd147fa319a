"""From a family to a `file-template` candidate: template, spec, confidence with its parts."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from repetend.events import Candidate
from repetend.miners.families import Family, structural_similarity
from repetend.miners.file_index import IndexedFile, read_text
from repetend.miners.template_generator import (
    LearnedTemplate,
    Member,
    PathPattern,
    generate,
    infer_values,
    spec_variables,
)
from repetend.miners.template_parts import (
    Fixed,
    Optional,
    Part,
    fixed_texts,
    parts_from_source,
)
from repetend.patterns.confidence import combine, wilson_lower_bound

KIND = "file-template"
_HEADING = re.compile(r"^#{1,6}\s+\S")


def family_signature(family: Family) -> str:
    """The stable identity of a family's candidate: the place its files live."""
    return f"files:{family.key}"


def members_digest(rows: list[IndexedFile]) -> str:
    """A digest of the members and their contents: unchanged means nothing to relearn."""
    text = "\n".join(f"{row.path}\0{row.digest}" for row in sorted(rows, key=lambda r: r.path))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def candidate_for(family: Family, rows: list[IndexedFile], root: Path) -> Candidate:
    """Learn the family's template and describe it as a candidate."""
    members = [Member(row.path, read_text(root, row.path)) for row in rows]
    template = generate(members)
    parts = {
        "structural_similarity": round(structural_similarity(rows), 4),
        "round_trip_rate": round(sum(template.round_trips) / len(members), 4),
        "examples": round(wilson_lower_bound(len(members), len(members)), 4),
        "fixed_text": round(fixed_fraction(template), 4),
    }
    spec = template_spec([template], family.key, members_digest(rows))
    return Candidate(
        kind=KIND,
        signature=family_signature(family),
        name=f"{template.path.source} ({len(members)} files)",
        description=_description(spec["variables"], family.key),
        confidence=combine(parts),
        confidence_parts=parts,
        evidence=[m.path for m in members[:20]],
        spec=spec,
        occurrences=len(members),
    )


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
    parts["examples"] = round(wilson_lower_bound(len(rows), len(rows)), 4)
    spec = dict(existing.spec)
    spec["members"] = [row.path for row in rows]
    spec["members_digest"] = members_digest(rows)
    spec["learned"] = "refit"
    return replace(
        existing,
        name=f"{spec['path_pattern']} ({len(rows)} files)",
        confidence=combine(parts),
        confidence_parts=parts,
        evidence=spec["members"][:20],
        spec=spec,
        occurrences=len(rows),
    )


def _description(variables: list[dict[str, Any]], key: str) -> str:
    names = [
        v["name"]
        for v in variables
        if v["type"] == "str" and any(str(e).strip() for e in v["examples"])
    ][:6]
    return f"Files like {key}, from variables: {', '.join(names) or 'none'}."


def merged_variables(templates: list[LearnedTemplate]) -> list[dict[str, Any]]:
    """The variables of one or more templates, each name once (the first description wins)."""
    seen: dict[str, dict[str, Any]] = {}
    for template in templates:
        for variable in spec_variables(template):
            seen.setdefault(variable["name"], variable)
    return list(seen.values())


def template_spec(
    templates: list[LearnedTemplate], key: str, digest: str, pattern: str = ""
) -> dict[str, Any]:
    """The spec body: path pattern, variables, members, template files and outline."""
    body = {
        "path_pattern": pattern or templates[0].path.source,
        "family": key,
        "variables": merged_variables(templates),
        "members": [m.path for t in templates for m in t.members],
        "outline": [item for t in templates for item in outline(t.parts)],
        "files": [
            {
                "path": t.path.source,
                "path_regex": t.path.regex,
                "template": t.source,
            }
            for t in templates
        ],
        "members_digest": digest,
        "learned": "aligned",
    }
    body["body_digest"] = hashlib.blake2b(
        json.dumps([body["files"], body["path_pattern"]]).encode(), digest_size=12
    ).hexdigest()
    return body


def fixed_fraction(template: LearnedTemplate) -> float:
    """How much of the members' text the fixed parts cover, on average."""
    fixed = sum(len(t) for t in fixed_texts(template.parts, required_only=True))
    sizes = [len(m.text) for m in template.members]
    return min(1.0, sum(min(1.0, fixed / s) if s else 1.0 for s in sizes) / len(sizes))


def outline(parts: list[Part]) -> list[dict[str, Any]]:
    """The headings among the fixed lines, in order, each marked required or optional."""
    found: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, Fixed):
            found += [
                {"heading": line.strip(), "required": True}
                for line in part.text.splitlines()
                if _HEADING.match(line)
            ]
        elif isinstance(part, Optional):
            inner = outline(part.body)
            found += [{**item, "required": False} for item in inner]
    return found
