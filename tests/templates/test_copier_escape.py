"""Copier renders copier.yml's text: mined examples there must come out as they were."""

from __future__ import annotations

import jinja2

from repetend.templates.copier_export import copier_questions

NASTY = ["{% endraw %}", "{{ 7 * 7 }}", "{% include 'x' %}", "{# note #}", "50% }}", "plain"]


def test_help_and_defaults_render_to_the_mined_text_in_plain_jinja() -> None:
    variables = [
        {"name": "title", "type": "str", "examples": NASTY[:3], "default": "{{ 7 * 7 }} {% raw %}"},
        {"name": "note", "type": "str", "examples": NASTY[3:]},
    ]
    questions = copier_questions(variables)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)  # Copier's delimiters
    title, note = questions["title"], questions["note"]
    assert env.from_string(title["help"]).render() == "examples: " + ", ".join(NASTY[:3])
    assert env.from_string(title["default"]).render() == "{{ 7 * 7 }} {% raw %}"
    assert env.from_string(note["help"]).render() == "examples: " + ", ".join(NASTY[3:])
