"""The held-out rate: how well a template learned from a few members fits the others."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import TemplateError

from repetend.templates.generator import (
    LearnedTemplate,
    Member,
    generate,
    infer_values,
    similarity,
)
from repetend.templates.parts import Values, optionals, slots


@dataclass(frozen=True)
class HeldOut:
    """Of the members not learned from: how many came back exactly, and how alike the rest."""

    learned_from: int
    tested: int
    exact: int
    mean_similarity: float

    @property
    def exact_rate(self) -> float:
        """Exact matches as a share of the members tested."""
        return self.exact / self.tested if self.tested else 1.0


def held_out(members: list[Member], learn: int = 5, tested: int | None = None) -> HeldOut:
    """Learn from `learn` members spread across the family; render the others from their values.

    `tested` caps the members rendered (spread across the rest), as mining does.
    """
    step = max(1, len(members) // learn)
    chosen = members[::step][:learn]
    template = generate(chosen)
    others = [m for m in members if m not in chosen]
    if tested is not None and len(others) > tested:
        others = others[:: max(1, len(others) // tested)][:tested]
    exact, scores = 0, []
    for member in others:
        values, _missing = infer_values(template, member.path, member.text)
        try:
            rendered = template.render({**blank_values(template), **values})
        except TemplateError:  # a path value the template needs does not fit
            rendered = ""
        if rendered == member.text:
            exact += 1
        else:
            scores.append(similarity(rendered, member.text))
    mean = sum(scores) / len(scores) if scores else 1.0
    return HeldOut(len(chosen), len(others), exact, round(mean, 4))


def blank_values(template: LearnedTemplate) -> Values:
    """Empty values for every variable, for a file in which some were not found."""
    values: Values = dict.fromkeys(template.path.names, "")
    for slot in slots(template.parts):
        looped = slot.separator is not None or slot.items is not None or slot.spacing is not None
        values.setdefault(slot.name, [] if looped else "")
    usual = {section.flag for section in optionals(template.parts) if section.usual}
    for member_values in template.values:
        for name, value in member_values.items():
            if isinstance(value, bool) and name not in usual:  # (a usual one is on unless off)
                values[name] = False
    return values
