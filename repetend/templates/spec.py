"""The spec of a learned template: its variables, outline, files and how much is fixed."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

from repetend.redact import REDACTED, redact_text
from repetend.templates.generator import LearnedTemplate
from repetend.templates.parts import Fixed, Optional, Part, Slot, fixed_texts, slots

_HEADING = re.compile(r"^#{1,6}\s+\S")


def spec_variables(template: LearnedTemplate) -> list[dict[str, Any]]:
    """The variables a user answers, with type, examples, default, required and case forms.

    Every variable is required (with examples) or has a default: a layout
    (only spaces and punctuation) defaults to the family's most common one, a
    section's flag to what most members do, a text to the value most members
    that have it share. A variable only sections use lists them in `sections`
    and is required only when one of those is on by default.
    """
    forms: dict[str, set[str]] = {}
    for slot in slots(template.parts):
        forms.setdefault(slot.name, set()).add(slot.form or "as written")
    within = sections_of(template.parts)
    contexts = line_contexts(template.parts)
    described = []
    for name in _variable_names(template):
        present = [values[name] for values in template.values if name in values]
        # a JSON list some members write otherwise is kept as written there, not left out
        asked = [v for v in template.values if not v.get(f"{name}_as_written", False)]
        forms_of = sorted(forms.get(name, []))
        described.append(_describe(name, present, len(asked), forms_of, contexts.get(name, "")))
    defaults = {v["name"]: v["default"] for v in described if v["type"] == "bool"}
    for variable in described:
        flags = within.get(variable["name"], [])
        if flags:
            variable["sections"] = flags
        if variable["type"] != "bool" and variable["default"] is None:
            variable["required"] = not flags or any(_on(f, defaults) for f in flags)
    return described


def section_on(flag: str, values: dict[str, Any]) -> bool:
    """Whether a section (`has_x`, or `not has_x` for its `else`) is rendered for `values`."""
    if flag.startswith("not "):
        return values.get(flag[4:]) is False
    return values.get(flag) is True


def _on(flag: str, defaults: dict[str, Any]) -> bool:
    return section_on(flag, {name: bool(value) for name, value in defaults.items()})


def sections_of(parts: list[Part]) -> dict[str, list[str]]:
    """For each variable used only inside sections: the innermost section of each use.

    A variable is needed when one of those sections is on (`not has_x` for the
    `else` of `has_x`). One used anywhere outside a section is not listed.
    """
    inside: dict[str, list[str]] = {}
    outside: set[str] = set()
    _walk_sections(parts, "", inside, outside)
    return {name: flags for name, flags in inside.items() if name not in outside}


def _walk_sections(
    parts: list[Part], flag: str, inside: dict[str, list[str]], outside: set[str]
) -> None:
    for part in parts:
        if isinstance(part, Optional):
            _walk_sections(part.body, part.flag, inside, outside)
            _walk_sections(part.otherwise, f"not {part.flag}", inside, outside)
        elif isinstance(part, Slot):
            for name in [part.name] + ([part.spacing.name] if part.spacing else []):
                if not flag:
                    outside.add(name)
                elif flag not in inside.setdefault(name, []):
                    inside[name].append(flag)


def _variable_names(template: LearnedTemplate) -> list[str]:
    names: list[str] = []
    for values in template.values:
        names.extend(name for name in values if name not in names)
    return names


def _describe(
    name: str, present: list[Any], total: int, forms: list[str], context: str = ""
) -> dict[str, Any]:
    kind = _kind(present)
    unique_values = {repr(v) if isinstance(v, list) else v: v for v in present}
    examples = [v if isinstance(v, list) else str(v)[:200] for v in unique_values.values()][:3]
    if any(isinstance(item, dict) for example in examples for item in example):
        examples = examples[:1]  # one list of items shows their fields; three is a page of YAML
    default = _default(kind, present, total)
    examples, default = _redacted(examples, default, context)
    described = {
        "name": name,
        "type": kind,
        "examples": examples,
        "default": default,
        "required": kind != "bool" and default is None,
        "case_forms": forms,
    }
    fields = item_fields(present) if kind == "list" else {}
    if fields:
        described["item_fields"] = fields
    return described


def _kind(present: list[Any]) -> str:
    if present and all(isinstance(value, bool) for value in present):
        return "bool"
    if present and all(isinstance(value, list) for value in present):
        return "list"
    return "str"


def _default(kind: str, present: list[Any], total: int) -> Any:
    """What most members say: a flag's majority, a layout's most common, a shared text."""
    counted = Counter(map(str, present)).most_common(1)
    common, times = counted[0] if counted else ("", 0)
    if kind == "bool":
        return times * 2 > total and common == "True"
    if kind == "str" and present and not any(_worded(value) for value in present):
        return common  # a layout (indent, line end, a list's separator): the usual one
    if kind == "str" and times * 2 > len(present) and len(common) <= 200:
        return common
    return None


_ALPHANUMERIC = re.compile(r"[^\W_]")


def _worded(value: Any) -> bool:
    return _ALPHANUMERIC.search(str(value)) is not None


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


def _redacted(examples: list[Any], default: Any, context: str) -> tuple[list[Any], Any]:
    """Examples and default with secrets masked; a default that held one is dropped.

    Values are looked at, not names (a `token` of a lexer's golden output is
    shown): each in the text before it on its line (`api_token = ghp_`), so a
    secret whose prefix or key is fixed text is masked whole.
    """
    masked = _masked(default, context)
    shown = {repr(e): e for e in _masked(examples, context)}  # one [REDACTED], not three
    return list(shown.values()), default if masked == default else None


def _masked(value: Any, context: str) -> Any:
    if isinstance(value, str):
        return REDACTED if redact_text(context + value) != context + value else value
    if isinstance(value, list):
        return [_masked(item, context) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item, f"{key}=") for key, item in value.items()}
    return value


def line_contexts(parts: list[Part], before: str = "") -> dict[str, str]:
    """For each variable, the text before its first use on that line (`api_token = `)."""
    found: dict[str, str] = {}
    for part in parts:
        if isinstance(part, Fixed):
            before = part.text.rsplit("\n", 1)[-1] if "\n" in part.text else before + part.text
        elif isinstance(part, Optional):
            for name, text in {
                **line_contexts(part.otherwise, before),
                **line_contexts(part.body, before),
            }.items():
                found.setdefault(name, text)
        else:
            found.setdefault(part.name, before)
    return found


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
