"""The guarantee on line-aligned families made at random: every member comes back exactly.

Seeded YAML workflows (steps some of which have `uses`, `run` or `with`, block
lists, CRLF, no final line break), Python modules named after their files (case
forms of the path) and Markdown documents with optional sections, with text that
looks like template syntax (`{{ x }}`, `{%`, `${{ a }}`) and carriage returns.
"""

from __future__ import annotations

import random

import pytest

from repetend.templates.generator import Member
from tests.templates.round_trip import assert_round_trip

WORDS = ["alpha", "beta", "run", "uses", "name", "with", "on", "{{ x }}", "{%", "#", "- "]
WORDS += ["\t", "${{ a }}", "é", "\r"]
SLUGS = ["air_quality", "door", "smart_plug", "lamp", "fan_speed", "x"]


def workflow(rng: random.Random) -> str:
    lines = [f"name: {rng.choice(WORDS)}"]
    if rng.random() < 0.5:
        lines.append("on:\n  push:\n    branches: [main]")
    lines.append("jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:")
    for _ in range(rng.randint(0, 4)):
        lines.append(f"      - name: {rng.choice(WORDS)}")
        if rng.random() < 0.5:
            lines.append(f"        uses: {rng.choice(WORDS)}@v{rng.randint(1, 4)}")
        if rng.random() < 0.5:
            lines.append(f"        run: {rng.choice(WORDS)} {rng.choice(WORDS)}")
        if rng.random() < 0.3:
            lines.append(f"        with:\n          key: {rng.choice(WORDS)}")
    if rng.random() < 0.3:
        lines.append("tags:" + "".join(f"\n  - {rng.choice(WORDS)}" for _ in range(3)))
    newline = rng.choice(["\n", "\n", "\r\n"])
    return newline.join(lines) + rng.choice([newline, ""])


def module(rng: random.Random, slug: str) -> str:
    lines = [f'"""The {slug} module."""', "", "import os", "", ""]
    lines += [f"class {slug.title().replace('_', '')}:", f'    name = "{slug}"']
    for _ in range(rng.randint(0, 3)):
        lines.append(
            f"    def {rng.choice(['run', 'stop'])}(self):\n        return {rng.randint(0, 9)}"
        )
    if rng.random() < 0.4:
        lines.append(f"\n\nVALUE = {rng.choice(WORDS)!r}")
    return "\n".join(lines) + "\n"


def document(rng: random.Random) -> str:
    lines = [f"# Title {rng.choice(WORDS)}", "", f"- Start Date: 2020-0{rng.randint(1, 9)}"]
    for heading in ("Summary", "Motivation", "Drawbacks"):
        if rng.random() < 0.8:
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
            lines += ["", f"## {heading}", "", words]
        if rng.random() < 0.3:
            lines += ["", "\n".join(f"- {rng.choice(WORDS)}" for _ in range(rng.randint(1, 4)))]
    return "\n".join(lines) + "\n"


def family(seed: int) -> list[Member]:
    rng = random.Random(seed)
    suffix = rng.choice(["yml", "py", "md"])
    members = []
    for slug in rng.sample(SLUGS, rng.randint(3, 5)):
        if suffix == "py":
            text = module(rng, slug)
        else:
            text = workflow(rng) if suffix == "yml" else document(rng)
        members.append(Member(f"d/{slug}.{suffix}", text))
    return members


@pytest.mark.parametrize("first", range(0, 300, 100))
def test_random_text_families_round_trip_and_read_back(first: int) -> None:
    for seed in range(first, first + 100):
        assert_round_trip(family(seed), seed)
