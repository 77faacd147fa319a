"""Templates learned from a few members, used on members they have not seen."""

from __future__ import annotations

from repetend.templates.generator import LearnedTemplate, Member
from repetend.templates.held_out import held_out

Families = dict[str, tuple[list[Member], LearnedTemplate]]


def test_a_template_from_five_properties_files_reproduces_most_of_the_rest(
    ci_properties: tuple[list[Member], LearnedTemplate],
) -> None:
    members, _ = ci_properties
    result = held_out(members, learn=5)
    assert result.learned_from == 5
    assert result.tested == len(members) - 5
    assert result.exact_rate >= 0.5
    assert result.mean_similarity > 0.7  # line by line: a line with a wrong value counts as lost
