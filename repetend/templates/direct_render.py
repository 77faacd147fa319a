"""Rendering a template's parts directly, exactly as their Jinja2 source renders them.

Verifying a template renders every member; compiling its Jinja2 source for
that costs more than learning a small family. The parts say everything the
source says (fixed text, variables with case filters, sections, loops), so
they are rendered here without a compile. The Jinja2 source is what users
and Copier render; the tests render every family of both corpora through it.
"""

from __future__ import annotations

from repetend.templates.case_forms import convert
from repetend.templates.parts import Fixed, Optional, Part, Slot, Values, separated

INDENT = "list_indent"  # each item's indent in a loop over multi-line items


def render_parts(parts: list[Part], values: Values) -> str:
    """The text `jinja_source(parts)` renders for `values` (KeyError for a missing one)."""
    return "".join(_rendered(part, values) for part in parts)


def _rendered(part: Part, values: Values) -> str:
    if isinstance(part, Fixed):
        return part.text
    if isinstance(part, Optional):
        on = values.get(part.flag, True) if part.usual else values[part.flag]
        return render_parts(part.body if on else part.otherwise, values)
    return _slot(part, values[part.name or f"s{part.id}"], values)


def _slot(slot: Slot, value: object, values: Values) -> str:
    if slot.items is not None and separated(slot):
        separator = str(values[slot.spacing.name]) if slot.spacing else slot.separator or ""
        items = value if isinstance(value, list) else []
        return separator.join(render_parts(slot.items, item) for item in items)
    if slot.items is not None:
        from jinja2.filters import do_indent  # the filter the source uses, so the same text

        items = value if isinstance(value, list) else []
        return "".join(
            item[INDENT] + do_indent(render_parts(slot.items, item), item[INDENT]) for item in items
        )
    if slot.spacing is not None:
        return str(values[slot.spacing.name]).join(str(item) for item in value)  # type: ignore[attr-defined]
    if slot.separator is not None:
        return slot.separator.join(str(item) for item in value)  # type: ignore[attr-defined]
    return convert(str(value), slot.form) if slot.form else str(value)


def fixed_written(parts: list[Part], values: Values) -> int:
    """How many characters of the text rendered for `values` are the template's fixed text.

    Fixed text in the sections that are on and in each item of a loop counts,
    and so does a loop's fixed separator; whatever a variable holds does not
    (nor the indent a loop gives its items, which is a variable too).
    """
    return sum(_fixed_in(part, values) for part in parts)


def _fixed_in(part: Part, values: Values) -> int:
    if isinstance(part, Fixed):
        return len(part.text)
    if isinstance(part, Optional):
        on = values.get(part.flag, part.usual)
        return fixed_written(part.body if on else part.otherwise, values)
    value = values.get(part.name or f"s{part.id}")
    items = value if isinstance(value, list) else []
    between = len(part.separator or "") * max(0, len(items) - 1)
    if part.items is None:
        return between
    inner = sum(fixed_written(part.items, i) for i in items if isinstance(i, dict))
    return inner + between
