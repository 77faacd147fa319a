"""The plugin reference in docs/plugins.md cannot drift from the hookspecs."""

from __future__ import annotations

from repetend.plugins import hookspecs
from repetend.plugins.reference import render
from tests.conftest import REPO_ROOT

PAGE = REPO_ROOT / "docs" / "plugins.md"


def test_every_hook_has_a_docstring_that_names_its_parameters() -> None:
    import inspect

    for name in hookspecs.hook_names():
        function = getattr(hookspecs, name)
        doc = inspect.getdoc(function) or ""
        assert len(doc.splitlines()[0]) > 10, name
        for parameter in inspect.signature(function).parameters:
            assert f":param {parameter}:" in doc, f"{name} does not document {parameter}"


def test_docs_page_matches_the_hookspecs() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert render(page) == page, "run: python -m repetend.plugins.reference docs/plugins.md"
