"""Learning a template from a few members: exact round trips, names, ties, sections, loops."""

from __future__ import annotations

import pytest

from repetend.templates.case_forms import convert, form_of, words
from repetend.templates.generator import Member, generate, infer_values
from repetend.templates.spec import spec_variables

TRICKY = [
    Member("w/a.yml", "run: echo ${{ github.sha }}\r\nname: {a}\r\n{# not a comment #}{%x\r\n"),
    Member("w/b.yml", "run: echo ${{ github.ref }}\r\nname: {bb}\r\n{# not a comment #}{%y\r\n"),
    Member("w/c.yml", "run: echo ${{ github.job }}\nname: {c\nno newline at the end {"),
]


def test_template_syntax_and_carriage_returns_in_members_come_back_exactly() -> None:
    template = generate(TRICKY)
    assert all(template.round_trips)
    for member, values in zip(TRICKY, template.values, strict=True):
        assert template.render(values) == member.text


@pytest.mark.parametrize(
    ("value", "form", "expected"),
    [
        ("my_sensor", "pascal", "MySensor"),
        ("MySensor", "snake", "my_sensor"),
        ("my-sensor", "screaming", "MY_SENSOR"),
        ("HTTPServer", "kebab", "http-server"),
        ("my_sensor", "camel", "mySensor"),
    ],
)
def test_case_forms(value: str, form: str, expected: str) -> None:
    assert convert(value, form) == expected
    assert form_of(value, expected) in {form, "lower", "upper"} or convert(value, form) == expected


def test_words_split_every_form_alike() -> None:
    assert words("MY_SENSOR") == words("my-sensor") == words("MySensor") == ["my", "sensor"]


def python_module(slug: str, extra: str = "") -> str:
    pascal = convert(slug, "pascal")
    return f'NAME = "{slug}"\n\n\nclass {pascal}Sensor:\n    key = "{slug.upper()}"\n{extra}'


def test_case_variants_tie_to_the_path_and_names_come_from_context() -> None:
    members = [Member(f"s/{s}.py", python_module(s)) for s in ("air_quality", "door", "smart_plug")]
    template = generate(members)
    assert 'NAME = "{{ slug }}"' in template.source
    assert "class {{ slug | pascal }}Sensor" in template.source
    assert 'key = "{{ slug | screaming }}"' in template.source
    assert [v["name"] for v in spec_variables(template)] == ["slug"]


def test_a_section_some_members_have_is_optional() -> None:
    extra = "\n    def refresh(self):\n        return None\n"
    texts = {
        "a": python_module("a", extra),
        "b": python_module("b"),
        "c": python_module("c", extra),
    }
    members = [Member(f"s/{slug}.py", text) for slug, text in texts.items()]
    template = generate(members)
    assert all(template.round_trips)
    fresh = python_module("d", extra)
    values, missing = infer_values(template, "s/d.py", fresh)
    assert missing == []
    assert template.render(values) == fresh


def test_a_quoted_list_becomes_a_loop() -> None:
    members = [
        Member(
            f"m/{n}.json",
            f'{{"name": "{n}", "tags": [{", ".join(map(repr, t))}]}}\n'.replace("'", '"'),
        )
        for n, t in (("a", ["x", "y"]), ("b", ["z"]), ("c", ["p", "q", "r"]))
    ]
    template = generate(members)
    assert "{% for item in tags %}" in template.source
    assert template.values[2]["tags"] == ["p", "q", "r"]
    assert (
        template.render({**template.values[0], "tags": ["k"]}) == '{"name": "a", "tags": ["k"]}\n'
    )


def test_secret_values_are_masked_in_the_spec_but_kept_for_rendering() -> None:
    members = [
        Member(f"c/{n}.ini", f"[{n}]\napi_token = ghp_{n * 36}\nname = {n}\n") for n in "abc"
    ]
    template = generate(members)
    described = {v["name"]: v for v in spec_variables(template)}
    assert described["api_token"]["examples"] == ["[REDACTED]"]
    assert all(template.round_trips)


def test_redaction_looks_at_values_not_at_names() -> None:
    kinds = {"a": "IDENT", "b": "NUMBER", "c": "STRING"}
    members = [Member(f"g/{n}.txt", f"source: {n}\ntoken: {kinds[n]}\nend\n") for n in "abc"]
    described = {v["name"]: v for v in spec_variables(generate(members))}
    assert described["token"]["examples"] == ["IDENT", "NUMBER", "STRING"]


def test_a_slot_with_no_key_before_it_is_named_after_the_block_it_opens_or_its_first_key() -> None:
    triggers = [
        "  push:\n    branches: [main]\n",
        "  pull_request:\n  workflow_dispatch:\n",
        "  schedule:\n    - cron: '0 0 * * *'\n",
    ]
    workflows = [
        Member(f"w/{n}.yml", f"name: {n}\non:\n{on}jobs:\n  build:\n    runs-on: ubuntu-latest\n")
        for n, on in zip("abc", triggers, strict=True)
    ]
    template = generate(workflows)
    assert all(template.round_trips)
    assert "on:\n  {{ on }}:\n" in template.source  # the key under `on:` is the `on` variable
    env = ["  env:\n    A: 1\n", "  env:\n    B: 2\n    C: 3\n", "  env:\n    D: 4\n"]
    jobs = [
        Member(f"j/{n}.yml", f"name: {n}\njobs:\n  build:\n    runs-on: x\n{block}")
        for n, block in zip("abc", env, strict=True)
    ]
    template = generate(jobs)
    assert all(template.round_trips)
    assert "  env:\n    {{ env }}: " in template.source  # the keys under `env:`


def release_notes(version: str, changes: list[tuple[str, str, str]]) -> str:
    listed = "".join(
        f"- **{kind}** {what}\n" + "".join(f"  {line}\n" for line in more.splitlines())
        for kind, what, more in changes
    )
    return f"# Release {version}\n\n## Changes\n\n{listed}\n## Thanks\n\nEveryone.\n"


def test_a_markdown_list_of_multi_line_items_is_a_loop_named_after_its_heading() -> None:
    notes = [
        Member(
            "notes/a.md", release_notes("a", [("Added", "x", "more\ntext"), ("Fixed", "y", "")])
        ),
        Member("notes/b.md", release_notes("b", [("Added", "z", "")])),
        Member("notes/c.md", release_notes("c", [("Removed", "w", "why"), ("Added", "v", "")])),
    ]
    template = generate(notes)
    assert all(template.round_trips)
    assert "## Changes\n\n{% for change in changes %}" in template.source
    # a heading ends the list; from three notes it is usual, not required (a fourth may lack it)
    assert "{% if has_thanks | default(true) %}\n## Thanks\n{% endif %}" in template.source
    assert "\nEveryone.\n" in template.source
    assert [item["text"] for item in template.values[2]["changes"]] == [
        "- **Removed** w",
        "- **Added** v",
    ]
