"""Fixtures for the file miner: the corpora learned once per session (they are read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repetend.files.discovery import decode, discover
from repetend.files.families import find_families
from repetend.files.index import IndexedFile, digest_of
from repetend.files.miner import FAMILY_THRESHOLD
from repetend.files.signatures import file_signature
from repetend.files.similarity import sketch
from repetend.templates.generator import LearnedTemplate, Member, generate
from tests.conftest import CORPORA


def corpus_families(root: Path) -> dict[str, tuple[list[Member], LearnedTemplate]]:
    """Every family the miner finds in `root`, with the template learned from it."""
    rows: dict[str, IndexedFile] = {}
    texts: dict[str, str] = {}
    for path in discover(root).paths:
        raw = (root / path).read_bytes()
        text = decode(raw)
        if text is None:
            continue
        signature = file_signature(path, text)
        rows[path] = IndexedFile(
            path, 0, 0, digest_of(raw), signature.language, sketch(signature.features)
        )
        texts[path] = text
    learned = {}
    for family in find_families(rows.values(), 3, FAMILY_THRESHOLD):
        members = [Member(path, texts[path]) for path in family.paths]
        learned[family.key] = (members, generate(members))
    return learned


@pytest.fixture(scope="session")
def starter_workflows() -> dict[str, tuple[list[Member], LearnedTemplate]]:
    """Families of the starter-workflows corpus."""
    return corpus_families(CORPORA / "starter-workflows")


@pytest.fixture(scope="session")
def rust_rfcs() -> dict[str, tuple[list[Member], LearnedTemplate]]:
    """Families of the rust-rfcs corpus."""
    return corpus_families(CORPORA / "rust-rfcs")


@pytest.fixture(scope="session")
def ci_properties(
    starter_workflows: dict[str, tuple[list[Member], LearnedTemplate]],
) -> tuple[list[Member], LearnedTemplate]:
    """The properties files of `ci/` alone, and the template learned from them.

    `mine` finds one family of properties wherever they sit (ci/, code-scanning/, …);
    the tests of template learning on one folder's files take that folder's members.
    """
    members, _ = starter_workflows["*/properties/*.properties.json"]
    ci = [member for member in members if member.path.startswith("ci/properties/")]
    return ci, generate(ci)
