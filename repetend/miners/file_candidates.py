"""From a family to a `file-template` candidate: template, spec, confidence with its parts."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from repetend.events import Candidate
from repetend.miners.families import Family, structural_similarity
from repetend.miners.file_index import IndexedFile, read_text
from repetend.miners.template_generator import LearnedTemplate, Member, generate, spec_variables
from repetend.miners.template_parts import (
    Fixed,
    Optional,
    Part,
    Slot,
    fixed_texts,
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
    spec = template_spec(template, family, members_digest(rows))
    return Candidate(
        kind=KIND,
        signature=family_signature(family),
        name=f"{template.path.source} ({len(members)} files)",
        description=_description(template, family),
        confidence=combine(parts),
        confidence_parts=parts,
        evidence=[m.path for m in members[:20]],
        spec=spec,
        occurrences=len(members),
    )


def _description(template: LearnedTemplate, family: Family) -> str:
    names = [v["name"] for v in spec_variables(template) if v["type"] == "str"][:6]
    return f"Files like {family.key}, from variables: {', '.join(names) or 'none'}."


def template_spec(template: LearnedTemplate, family: Family, digest: str) -> dict[str, Any]:
    """The spec body: path pattern, variables, members, template files and outline."""
    body = {
        "path_pattern": template.path.source,
        "path_regex": template.path.regex,
        "family": family.key,
        "variables": spec_variables(template),
        "members": [m.path for m in template.members],
        "outline": outline(template.parts),
        "files": [{"path": template.path.source, "template": template.source}],
        "structure": structure_of(template.parts),
        "members_digest": digest,
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


def structure_of(parts: list[Part]) -> list[dict[str, Any]]:
    """The parts as plain data, so suggestions and checks read files without relearning."""
    data: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, Fixed):
            data.append({"fixed": part.text})
        elif isinstance(part, Optional):
            data.append({"if": part.flag, "body": structure_of(part.body)})
        else:
            data.append(
                {
                    "slot": part.id,
                    "name": part.name,
                    "form": part.form,
                    "tied": part.tied,
                    "separator": part.separator,
                }
            )
    return data


def parts_of(data: list[dict[str, Any]]) -> list[Part]:
    """The parts from `structure_of` data."""
    parts: list[Part] = []
    for item in data:
        if "fixed" in item:
            parts.append(Fixed(str(item["fixed"])))
        elif "if" in item:
            parts.append(Optional(str(item["if"]), parts_of(item["body"])))
        else:
            slot = Slot(int(item["slot"]), str(item["name"]), str(item["form"]))
            slot.tied = bool(item["tied"])
            slot.separator = item.get("separator")
            parts.append(slot)
    return parts
