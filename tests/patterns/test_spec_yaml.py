"""The spec dumper writes exactly what PyYAML's (libyaml) safe dumper writes, only sooner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from repetend.patterns.spec_yaml import dump_spec_yaml
from tests.conftest import CORPORA

# Strings YAML would read as something else unless quoted, and the other scalar types.
AWKWARD: list[Any] = [
    *["", "yes", "No", "on", "null", "~", "1e3", "0x1F", "1_000", "12:30", "2024-01-01"],
    *[".inf", "-.NaN", "=", "<<", "a: b", "- x", "#c", "  lead", "trail  ", "multi\nline"],
    *["tab\there", "é", "\u2028", "'", '"', "{x}", "[1]", "*a", "&b", "!t", "%p", "@", "`"],
    *[3, 3.0, 1e20, -0.5, float("inf"), True, False, None],
]


class Name(str):
    """A str subclass: the safe dumper refuses it, and so must the spec dumper."""


def safe_dump(document: Any) -> str:
    """What specs were written with before: libyaml's safe dumper where PyYAML has it."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def test_awkward_scalars_nesting_and_shared_lists_come_out_the_same() -> None:
    shared = ["x", "y"]
    document = {
        "values": AWKWARD,
        "as keys": {str(value): value for value in AWKWARD},
        "first": shared,
        "again": shared,  # the same list twice: an anchor and an alias
        "items": [{"fields": shared, "text": "line\n" * 3}],
        "long": "word " * 60,
        "empty": {"map": {}, "list": []},
    }
    assert dump_spec_yaml(document) == safe_dump(document)
    assert dump_spec_yaml(document) == safe_dump(document)  # remembered tags answer the same


def test_documents_read_from_the_corpora_come_out_the_same() -> None:
    workflows = sorted((CORPORA / "starter-workflows" / "ci").glob("*.yml"))[:40]
    for path in workflows:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        assert dump_spec_yaml(document) == safe_dump(document), path


@pytest.mark.parametrize("dump", [dump_spec_yaml, safe_dump])
def test_a_str_subclass_is_refused_as_by_the_safe_dumper(dump: Callable[[Any], str]) -> None:
    with pytest.raises(yaml.representer.RepresenterError, match="cannot represent an object"):
        dump({"name": Name("x")})
