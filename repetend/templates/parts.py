"""A learned file template: fixed text interleaved with slots, some inside optional sections.

A `Slot` is a hole whose text differs between members. After variables are
inferred, each slot renders an expression: a variable (`{{ name }}`), a case
form of another variable or of a path variable (`{{ name | kebab }}`), or a
loop over a list variable. This module turns parts into Jinja2 source, renders
it in a sandbox, and reads the slot texts of a new file back out of it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from repetend.templates.case_forms import FORMS, convert

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment


@dataclass
class Fixed:
    """Text every member (that has this section) shares."""

    text: str


@dataclass
class Slot:
    """A hole. `name` is the variable it renders; `form` a case filter; `separator` a loop."""

    id: int
    name: str = ""
    form: str = ""
    separator: str | None = None
    tied: bool = False  # rendered from another variable: not a question of its own
    keyed: bool = False  # named after a key, label or heading (not just a nearby word)
    items: list[Part] | None = None  # a loop over multi-line items: the parts of one item
    spacing: Slot | None = None  # a loop whose separator differs by member: the variable of it


@dataclass
class Optional:
    """A section some members have: rendered when the flag variable is true.

    `otherwise` is rendered when the flag is false (a choice between two
    layouts of one value, such as a JSON list on one line or one item per line).
    """

    flag: str
    body: list[Part] = field(default_factory=list)
    original: str = ""  # the flag's name before naming, as the alignment recorded it
    otherwise: list[Part] = field(default_factory=list)
    named: bool = False  # the aligner named the flag (after a JSON key): naming keeps it
    usual: bool = False  # every member had it, too few to require it: on unless said off
    line: bool = False  # a key's own line (a field): never joined with the next section


Part = Fixed | Slot | Optional
Values = dict[str, Any]
_DELIMITER = re.compile(r"\{(?=[{%#])|\{$")


def jinja_source(parts: list[Part], prefix: str = "") -> str:
    """The Jinja2 source that renders these parts (variables as attributes of `prefix`).

    A section of a page that opens right after a tag starts a line of the source
    (`\n{%- if has_motivation %}## Motivation`): the `-` strips that line end
    again, so the file renders the same and each heading reads as a line.
    """
    source = ""
    for part in parts:
        piece = _source(part, prefix)
        if _opens_with_text(part) and source.endswith("}"):
            piece = "\n{%-" + piece[2:]
        source += piece
    return source


# A line that opens a part of a page: a Markdown heading, link definition or comment, or a
# reStructuredText title over its adornment.
_PAGE_LINE = re.compile(r"#{1,6} |\[[^\]\n]+\]: |<!--|[^\n]*\w[^\n]*\r?\n([=\-~^*+#`'\"])\1{2,}")


def _opens_with_text(part: Part) -> bool:
    """Whether a section opens with a line of a page (not a key or code: those stay put)."""
    if not isinstance(part, Optional) or not part.body or not isinstance(part.body[0], Fixed):
        return False
    return _PAGE_LINE.match(part.body[0].text) is not None


def _source(part: Part, prefix: str) -> str:
    if isinstance(part, Fixed):
        return escape_fixed(part.text)
    if isinstance(part, Optional):
        otherwise = "{% else %}" + jinja_source(part.otherwise, prefix) if part.otherwise else ""
        return (
            "{% if "
            + prefix
            + part.flag
            + (" | default(true)" if part.usual else "")
            + " %}"
            + jinja_source(part.body, prefix)
            + otherwise
            + "{% endif %}"
        )
    name = prefix + (part.name or f"s{part.id}")
    if part.items is not None and separated(part):  # JSON objects with a separator between
        each = loop_variable(part.name)
        return (
            "{% for "
            + each
            + " in "
            + name
            + " %}"
            + jinja_source(part.items, each + ".")
            + "{% if not loop.last %}{{ "
            + _separator_source(part, prefix)
            + " }}{% endif %}"
            + "{% endfor %}"
        )
    if part.items is not None:
        each = loop_variable(part.name)
        body = jinja_source(part.items, each + ".")
        indent = each + ".list_indent"  # each item's lines are indented as its list is
        return (
            "{% for " + each + " in " + name + " %}{{ " + indent + " }}"
            "{% filter indent(" + indent + ") %}" + body + "{% endfilter %}{% endfor %}"
        )
    if separated(part):
        separator = _separator_source(part, prefix)
        return (
            "{% for item in " + name + " %}{{ item }}"
            "{% if not loop.last %}{{ " + separator + " }}{% endif %}{% endfor %}"
        )
    return "{{ " + name + (f" | {part.form}" if part.form else "") + " }}"


def separated(slot: Slot) -> bool:
    """Whether a slot is a loop with a separator between its items (a string or a variable)."""
    return slot.separator is not None or slot.spacing is not None


def _separator_source(slot: Slot, prefix: str) -> str:
    return prefix + slot.spacing.name if slot.spacing else jinja_string(slot.separator or "")


def loop_variable(name: str) -> str:
    """The name of one item of a list variable: `steps` -> `step`, `include` -> `include_item`.

    Never `item` or `loop`: a loop over a list of strings inside the item names
    its own items `item`, and Jinja2 names the loop `loop`.
    """
    if name.endswith("s") and len(name) > 3 and not name.endswith("ss") and name[:-1] != "item":
        return name[:-1]
    return f"{name}_item"


def escape_fixed(text: str) -> str:
    """Fixed text as Jinja2 source: delimiters and carriage returns cannot be read as template."""
    if "\r" in text:  # Jinja normalises newlines in template data, but not in string literals
        return "{{ " + jinja_string(text) + " }}"
    return _DELIMITER.sub("{{ '{' }}", text)


def jinja_string(text: str) -> str:
    """A Jinja2 string literal whose value is exactly `text`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


def environment() -> SandboxedEnvironment:
    """The sandbox templates render in: exact whitespace, strict variables, case filters."""
    # Jinja2 is imported on first render: the pre-commit check reads parts without it.
    from jinja2 import StrictUndefined

    from repetend.templates.bounded import BoundedSandbox  # `'x' * 10**10` must not hang

    env = BoundedSandbox(
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
        autoescape=False,
        undefined=StrictUndefined,
    )
    for form in FORMS:
        env.filters[form] = _filter(form)
    return env


def _filter(form: str) -> Any:
    return lambda value: convert(str(value), form)


@functools.lru_cache(maxsize=64)
def compiled(source: str) -> Template:
    """The compiled template for `source` (compiling costs far more than rendering)."""
    return sandbox().from_string(source)


@functools.lru_cache(maxsize=1)
def sandbox() -> SandboxedEnvironment:
    """The one sandboxed environment of this process."""
    return environment()


def render(source: str, values: Values) -> str:
    """Render Jinja2 `source` with `values` in the sandbox."""
    return compiled(source).render(values)


def slots(parts: list[Part]) -> list[Slot]:
    """Every slot, in order, optional sections (and their alternatives) included."""
    found: list[Slot] = []
    for part in parts:
        if isinstance(part, Slot):
            found.extend([part.spacing, part] if part.spacing else [part])
        elif isinstance(part, Optional):
            found.extend(slots(part.body) + slots(part.otherwise))
    return found


def joined(parts: list[Part]) -> list[Part]:
    """The parts with fixed texts that meet joined and empty ones dropped, at every depth.

    An empty fixed text would end the slot before it where it starts.
    """
    found: list[Part] = []
    for part in parts:
        if isinstance(part, Optional):
            part.body, part.otherwise = joined(part.body), joined(part.otherwise)
        elif isinstance(part, Slot) and part.items is not None:
            part.items = joined(part.items)
        elif isinstance(part, Fixed) and not part.text:
            continue
        if isinstance(part, Fixed) and found and isinstance(found[-1], Fixed):
            found[-1] = Fixed(found[-1].text + part.text)
        else:
            found.append(part)
    return found


def optionals(parts: list[Part]) -> list[Optional]:
    """Every optional section, in order, those nested in others included."""
    found: list[Optional] = []
    for part in parts:
        if isinstance(part, Optional):
            found.append(part)
            found.extend(optionals(part.body) + optionals(part.otherwise))
    return found


def fixed_texts(parts: list[Part], *, required_only: bool = False) -> list[str]:
    """The fixed texts in order (only those outside optional sections when `required_only`)."""
    found: list[str] = []
    for part in parts:
        if isinstance(part, Fixed):
            found.append(part.text)
        elif isinstance(part, Optional) and not required_only:
            found.extend(fixed_texts(part.body) + fixed_texts(part.otherwise))
    return found
