"""The guarantee, checked on one family: every member comes back, and reads back, exactly."""

from __future__ import annotations

from repetend.templates.generator import Member, generate, infer_values
from repetend.templates.source import parts_from_source


def assert_round_trip(members: list[Member], label: object) -> None:
    """Learn `members`; render each back through Jinja2, then read each from the source."""
    template = generate(members)
    assert all(template.round_trips), label
    for member, values in zip(members, template.values, strict=True):
        assert template.render(values) == member.text, label
    template.parts = parts_from_source(template.source, set(template.path.names))
    for member in members:
        infer_values(template, member.path, member.text)  # reads, never raises
