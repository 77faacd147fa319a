"""The guarantee on JSON families made at random: every member comes back byte for byte.

Seeded, so a failure names the family that broke it. The families mix what
hand-written JSON mixes: keys in different orders and some missing, nested
objects, lists of strings and of objects (empty ones too), indents of two,
four or a tab, CRLF, no final line break, lists on one line, escapes, and a
few irregular spaces (`"a","b"`, `"key" : `, `[ "a"`, `1 ,`).
"""

from __future__ import annotations

import json
import random
import re

import pytest

from repetend.templates.generator import Member
from tests.templates.round_trip import assert_round_trip

KEYS = ["name", "version", "description", "tags", "owner", "config", "items", "enabled", "port"]
_ONE_LINE = re.compile(
    r'\[\s*((?:"[^"\n]*"|\d+|true|false|null)(?:,\s*(?:"[^"\n]*"|\d+|true|false|null))*)\s*\]'
)


def value(rng: random.Random, key: str, depth: int) -> object:
    if key == "tags":
        return [rng.choice(["a", "b", "c d", 'e"f', "ü"]) for _ in range(rng.randint(0, 4))]
    if key == "config" and depth < 2:
        return {k: value(rng, k, depth + 1) for k in rng.sample(KEYS, rng.randint(0, 4))}
    if key == "items" and depth < 2:
        fields = ["id", "label", "tags"]
        return [
            {k: value(rng, k, depth + 1) for k in rng.sample(fields, rng.randint(1, 3))}
            for _ in range(rng.randint(0, 3))
        ]
    if key == "enabled":
        return rng.choice([True, False, None])
    if key == "port":
        return rng.randint(1, 9999)
    return rng.choice(["x", "y z", f"{key}-{rng.randint(0, 9)}", "", "a/b"])


def written(rng: random.Random, document: dict[str, object]) -> str:
    indent = rng.choice([2, 4, "\t"])
    text = json.dumps(document, indent=indent, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.5:  # lists of plain values on one line
        text = _ONE_LINE.sub(
            lambda m: (
                "[" + ", ".join(m.group(1).split(",\n")).replace("\n", "").replace("  ", "") + "]"
            ),
            text,
        )
    for old, new, chance in (
        ('", "', '","', 0.2),
        ('": ', '" : ', 0.2),
        ("[", "[ ", 0.1),
        (",", " ,", 0.1),
    ):
        if rng.random() < chance:
            text = text.replace(old, new, 1)
    return text.replace("\n", rng.choice(["\n", "\n", "\r\n"])) + rng.choice(["\n", ""])


def family(seed: int) -> list[Member]:
    rng = random.Random(seed)
    members = []
    for number in range(rng.randint(3, 6)):
        keys = ["name", *rng.sample(KEYS[1:], rng.randint(1, 6))]
        if rng.random() < 0.3:
            rng.shuffle(keys)
        document = {key: value(rng, key, 0) for key in keys}
        members.append(Member(f"d/m{number}.json", written(rng, document)))
    return members


@pytest.mark.parametrize("first", range(0, 200, 50))
def test_random_json_families_round_trip_and_read_back(first: int) -> None:
    for seed in range(first, first + 50):
        assert_round_trip(family(seed), seed)
