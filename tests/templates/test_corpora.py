"""The guarantee on real repositories: every family's template reproduces every member exactly."""

from __future__ import annotations

import re

from repetend.templates.generator import LearnedTemplate, Member
from repetend.templates.spec import outline, spec_variables
from tests.conftest import CORPORA

Families = dict[str, tuple[list[Member], LearnedTemplate]]


def _assert_round_trip(families: Families) -> None:
    assert families
    for key, (members, template) in families.items():
        for member, values in zip(members, template.values, strict=True):
            assert template.render(values) == member.text, f"{key}: {member.path}"
            assert template.render_path(values) == member.path, key


def test_every_starter_workflows_family_round_trips(starter_workflows: Families) -> None:
    _assert_round_trip(starter_workflows)


def test_every_rust_rfcs_family_round_trips(rust_rfcs: Families) -> None:
    _assert_round_trip(rust_rfcs)


def test_ci_properties_are_one_family_with_named_variables(starter_workflows: Families) -> None:
    members, template = starter_workflows["*/properties/*.properties.json"]
    # one family wherever the properties sit: ci/, code-scanning/, deployments/, pages/, ...
    on_disk = sorted((CORPORA / "starter-workflows").glob("*/properties/*.json"))
    root = CORPORA / "starter-workflows"
    assert [m.path for m in members] == [p.relative_to(root).as_posix() for p in on_disk]
    names = {v["name"] for v in spec_variables(template)}
    assert {"name", "description", "iconName", "categories"} <= names
    assert template.path.source == "{{ folder }}/properties/{{ slug }}.properties.json"
    android = next(v for m, v in zip(members, template.values, strict=True) if "android" in m.path)
    assert android["name"] == "Android CI"
    assert android["iconName"] == "android"


def test_rust_rfcs_text_is_one_family_whose_outline_follows_the_rfc_template(
    rust_rfcs: Families,
) -> None:
    members, template = rust_rfcs["text/*.md"]
    on_disk = sorted((CORPORA / "rust-rfcs" / "text").glob("*.md"))
    with_headings = [p for p in on_disk if re.search(r"^#", p.read_text(), re.MULTILINE)]
    # the one file left out is a one-line "Moved to …" note, not an RFC
    assert {f"text/{p.name}" for p in with_headings} <= {m.path for m in members}
    assert len(members) >= len(on_disk) - 1
    headings = [item["heading"] for item in outline(template.parts)]
    expected = re.findall(
        r"^#+ .+$", (CORPORA / "rust-rfcs" / "0000-template.md").read_text(), re.MULTILINE
    )
    positions = [headings.index(heading) for heading in expected]
    assert positions == sorted(positions), headings
