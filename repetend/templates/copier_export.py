"""Export a file template as a Copier template, so it works with the tools people already use.

Copier renders with plain Jinja2, which has none of repetend's case filters.
Where a variable's examples are all in snake or kebab case, each filter is
rewritten into built-in Jinja2 (`{{ slug | pascal }}` becomes
`{{ slug.split("_") | map("capitalize") | join("") }}`); any other use of a
filter is left as it is and named in the result, so nobody is surprised.

Copier renders the text of copier.yml too (a question's `help`, a text
default), so every Jinja2 delimiter in mined text there is escaped
(`{{` becomes `{{ '{{' }}`): an example holding `{% endraw %}` or `{{ x }}` is
shown as it is, never run (it crashed `copier copy`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repetend.events import Candidate
from repetend.fileio import atomic_write
from repetend.patterns.files import dump_yaml
from repetend.patterns.template_files import template_files
from repetend.templates.case_forms import convert

_FILTERED = re.compile(r"\{\{ (\w+) \| (\w+) \}\}")
_DELIMITER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_BUILT_IN = {
    "snake": '{name} | replace("{sep}", "_")',
    "kebab": '{name} | replace("{sep}", "-")',
    "screaming": '{name} | replace("{sep}", "_") | upper',
    "upper": "{name} | upper",
    "lower": "{name} | lower",
    "pascal": '{name}.split("{sep}") | map("capitalize") | join("")',
    "title": '{name}.split("{sep}") | map("capitalize") | join(" ")',
    "camel": (
        '({name}.split("{sep}") | first) ~ ({name}.split("{sep}")[1:]'
        ' | map("capitalize") | join(""))'
    ),
}


@dataclass
class CopierExport:
    """The files written, and the filters left that Copier will not know."""

    written: list[Path] = field(default_factory=list)
    unconverted: list[str] = field(default_factory=list)


def export_copier(candidate: Candidate, destination: Path) -> CopierExport:
    """Write copier.yml (a question per variable) and the template files under their paths."""
    variables = candidate.spec.get("variables", [])
    result = CopierExport([destination / "copier.yml"])
    atomic_write(result.written[0], dump_yaml(copier_questions(variables)))
    separators = {v["name"]: _separator(v) for v in variables}
    for item in template_files(candidate):
        source = _FILTERED.sub(lambda m: _built_in(m, separators, result), item["template"])
        target = destination / f"{item['path']}.jinja"
        atomic_write(target, source)
        result.written.append(target)
    return result


def copier_questions(variables: list[dict[str, Any]]) -> dict[str, Any]:
    """copier.yml: settings that keep rendering exact, then one question per variable."""
    questions: dict[str, Any] = {
        "_templates_suffix": ".jinja",
        "_envops": {"keep_trailing_newline": True},
    }
    kinds = {"bool": "bool", "list": "yaml"}
    for variable in variables:
        question: dict[str, Any] = {
            "type": kinds.get(variable["type"], "str"),
            "help": escape_jinja(_help(variable)),
        }
        if variable.get("default") is not None:
            default = variable["default"]
            question["default"] = escape_jinja(default) if isinstance(default, str) else default
        elif variable.get("required") is False and question["type"] == "str":
            question["default"] = ""  # only an optional section uses it; Copier needs an answer
        if question.get("default") is not None and _layout(variable):
            question["when"] = False  # an indent or separator: not asked, its default is used
        questions[variable["name"]] = question
    return questions


def escape_jinja(text: str) -> str:
    """`text` as a Jinja2 template that renders to exactly `text` (its delimiters quoted)."""
    return _DELIMITER.sub(lambda match: "{{ '" + match.group(0) + "' }}", text)


def _layout(variable: dict[str, Any]) -> bool:
    """Whether a text variable only lays the file out: whitespace and punctuation, no words."""
    examples = [str(example) for example in variable.get("examples", [])]
    return variable["type"] == "str" and not any(c.isalnum() for e in examples for c in e)


def _help(variable: dict[str, Any]) -> str:
    """The question's help: a few examples, or for a list of items the fields each one has."""
    fields = variable.get("item_fields")
    if isinstance(fields, dict) and fields:
        return "a YAML list of mappings, each with every one of: " + ", ".join(fields)
    return f"examples: {', '.join(map(str, variable.get('examples', [])[:3]))}"


def _separator(variable: dict[str, Any]) -> str | None:
    examples = [str(e) for e in variable.get("examples", [])]
    for form, separator in (("snake", "_"), ("kebab", "-")):
        if examples and all(convert(e, form) == e for e in examples):
            return separator
    return None


def _built_in(match: re.Match[str], separators: dict[str, str | None], result: CopierExport) -> str:
    name, form = match.group(1), match.group(2)
    separator = separators.get(name)
    if separator is None or form not in _BUILT_IN:
        result.unconverted.append(match.group(0))
        return match.group(0)
    return "{{ " + _BUILT_IN[form].format(name=name, sep=separator) + " }}"
