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

from repetend.miners.block_lists import list_end
from repetend.miners.case_forms import FORMS, convert

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


@dataclass
class Optional:
    """A section some members have: rendered when the flag variable is true."""

    flag: str
    body: list[Part] = field(default_factory=list)
    original: str = ""  # the flag's name before naming, as the alignment recorded it


Part = Fixed | Slot | Optional
Values = dict[str, Any]
_DELIMITER = re.compile(r"\{(?=[{%#])|\{$")


def jinja_source(parts: list[Part], prefix: str = "") -> str:
    """The Jinja2 source that renders these parts (variables as attributes of `prefix`)."""
    return "".join(_source(part, prefix) for part in parts)


def _source(part: Part, prefix: str) -> str:
    if isinstance(part, Fixed):
        return escape_fixed(part.text)
    if isinstance(part, Optional):
        return (
            "{% if " + prefix + part.flag + " %}" + jinja_source(part.body, prefix) + "{% endif %}"
        )
    name = prefix + (part.name or f"s{part.id}")
    if part.items is not None:
        each = loop_variable(part.name)
        body = jinja_source(part.items, each + ".")
        indent = each + ".list_indent"  # each item's lines are indented as its list is
        return (
            "{% for " + each + " in " + name + " %}{{ " + indent + " }}"
            "{% filter indent(" + indent + ") %}" + body + "{% endfilter %}{% endfor %}"
        )
    if part.separator is not None:
        separator = jinja_string(part.separator)
        return (
            "{% for item in " + name + " %}{{ item }}"
            "{% if not loop.last %}{{ " + separator + " }}{% endif %}{% endfor %}"
        )
    return "{{ " + name + (f" | {part.form}" if part.form else "") + " }}"


def loop_variable(name: str) -> str:
    """The name of one item of a list variable: `steps` -> `step`, `include` -> `include_item`."""
    if name.endswith("s") and len(name) > 3 and not name.endswith("ss"):
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
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
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
    """Every slot, in order, optional sections included."""
    found: list[Slot] = []
    for part in parts:
        if isinstance(part, Slot):
            found.append(part)
        elif isinstance(part, Optional):
            found.extend(slots(part.body))
    return found


def fixed_texts(parts: list[Part], *, required_only: bool = False) -> list[str]:
    """The fixed texts in order (only those outside optional sections when `required_only`)."""
    found: list[str] = []
    for part in parts:
        if isinstance(part, Fixed):
            found.append(part.text)
        elif isinstance(part, Optional) and not required_only:
            found.extend(fixed_texts(part.body))
    return found


@dataclass
class Reading:
    """What `read_slots` found in a file: slot texts, flags, and fixed parts it lacks."""

    texts: dict[int, str] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    position: int = 0
    pending: Slot | None = None


def read_slots(parts: list[Part], text: str) -> Reading:
    """Read each slot's text out of `text` by finding the fixed parts in order.

    A fixed part that is not found is listed in `missing` and skipped, so a
    file that lacks a section still yields the rest of its values.
    """
    reading = Reading()
    _read(parts, text, reading)
    if reading.pending is not None:
        reading.texts[reading.pending.id] = text[reading.position :]
    elif reading.position != len(text):
        reading.missing.append("(end of file)")
    return reading


def _read(parts: list[Part], text: str, reading: Reading) -> None:
    for index, part in enumerate(parts):
        if isinstance(part, Slot):
            if reading.pending is not None and reading.pending.items is not None:
                _close_loop(text, reading)  # a loop followed by a slot ends where its list does
            reading.pending = part
        elif isinstance(part, Fixed):
            _read_fixed(part.text, text, reading)
        else:
            present = _section_present(part, parts[index + 1 :], text, reading)
            reading.flags[part.flag] = present
            if present:
                _read(part.body, text, reading)


def _close_loop(text: str, reading: Reading) -> None:
    assert reading.pending is not None
    end = list_end(text, reading.position)
    reading.texts[reading.pending.id] = text[reading.position : end]
    reading.position, reading.pending = end, None


def _read_fixed(fixed: str, text: str, reading: Reading) -> None:
    if reading.pending is None:
        found = reading.position if text.startswith(fixed, reading.position) else -1
    else:
        found = text.find(fixed, reading.position)
    if found < 0:
        reading.missing.append(fixed)
        return
    if reading.pending is not None:
        reading.texts[reading.pending.id] = text[reading.position : found]
        reading.pending = None
    reading.position = found + len(fixed)


def _section_present(section: Optional, after: list[Part], text: str, reading: Reading) -> bool:
    opening = _first_fixed(section.body, required_only=False)
    if opening is None:
        return False
    found = text.find(opening, reading.position)
    if found < 0 or (reading.pending is None and found != reading.position):
        return False
    following = _first_fixed(after, required_only=True)
    later = text.find(following, reading.position) if following is not None else -1
    return later < 0 or found <= later


def _first_fixed(parts: list[Part], *, required_only: bool) -> str | None:
    """`fixed_texts(parts)[0]`, without listing the rest (a file's read asks for each section)."""
    for part in parts:
        if isinstance(part, Fixed):
            return part.text
        if isinstance(part, Optional) and not required_only:
            inner = _first_fixed(part.body, required_only=False)
            if inner is not None:
                return inner
    return None
