"""The spec of a learned template: its variables, outline, files and how much is fixed."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

from repetend.redact import REDACTED, is_secret_key, redact_value
from repetend.templates.generator import LearnedTemplate
from repetend.templates.parts import Fixed, Optional, Part, fixed_texts, slots

_HEADING = re.compile(r"^#{1,6}\s+\S")


def spec_variables(template: LearnedTemplate) -> list[dict[str, Any]]:
    """The variables a user answers, with type, examples, default, required and case forms."""
    forms: dict[str, set[str]] = {}
    for slot in slots(template.parts):
        forms.setdefault(slot.name, set()).add(slot.form or "as written")
    described = []
    for name in _variable_names(template):
        present = [values[name] for values in template.values if name in values]
        # a JSON list some members write otherwise is kept as written there, not left out
        asked = [v for v in template.values if not v.get(f"{name}_as_written", False)]
        described.append(_describe(name, present, len(asked), sorted(forms.get(name, []))))
    return described


def _variable_names(template: LearnedTemplate) -> list[str]:
    names: list[str] = []
    for values in template.values:
        names.extend(name for name in values if name not in names)
    return names


def _describe(name: str, present: list[Any], total: int, forms: list[str]) -> dict[str, Any]:
    kind = "str"
    if present and isinstance(present[0], bool):
        kind = "bool"
    elif present and isinstance(present[0], list):
        kind = "list"
    unique_values = {repr(v) if isinstance(v, list) else v: v for v in present}
    examples = [v if isinstance(v, list) else str(v)[:200] for v in unique_values.values()][:3]
    if any(isinstance(item, dict) for example in examples for item in example):
        examples = examples[:1]  # one list of items shows their fields; three is a page of YAML
    counted = Counter(map(str, present)).most_common(1)
    common, times = counted[0] if counted else ("", 0)
    default: Any = common if times * 2 > total else None
    if kind == "bool":
        default = default == "True" if default is not None else False
    elif isinstance(default, str) and len(default) > 200:
        default = None
    examples, default = _redacted(name, examples, default)
    described = {
        "name": name,
        "type": kind,
        "examples": examples,
        "default": default,
        "required": kind != "bool" and len(present) == total and default is None,
        "case_forms": forms,
    }
    fields = item_fields(present) if kind == "list" else {}
    if fields:
        described["item_fields"] = fields
    return described


def item_fields(present: list[Any]) -> dict[str, Any]:
    """For a loop over multi-line items: each item's fields with the value it takes if unset.

    Flags are off and texts empty unless set, except that most items share one indent.
    """
    items = [item for value in present if isinstance(value, list) for item in value]
    if not items or not all(isinstance(item, dict) for item in items):
        return {}
    fields: dict[str, Any] = {}
    for item in items:
        for key, value in item.items():
            fields.setdefault(key, False if isinstance(value, bool) else "")
    indents = Counter(str(item.get("list_indent", "")) for item in items).most_common(1)
    if "list_indent" in fields:
        fields["list_indent"] = indents[0][0]
    return fields


def _redacted(name: str, examples: list[Any], default: Any) -> tuple[list[Any], Any]:
    """Examples and default with secrets masked; a default that held one is dropped."""
    if is_secret_key(name):
        return [REDACTED], None
    masked = redact_value(default)
    return redact_value(examples), default if masked == default else None


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
