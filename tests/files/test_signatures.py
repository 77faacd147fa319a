"""Structural signatures: per language, pluggable, and never raising on bad input."""

from __future__ import annotations

from repetend.files.index import sign
from repetend.files.signatures import file_signature
from repetend.files.similarity import similarity, sketch
from repetend.plugins import hookimpl
from repetend.plugins.registry import get_plugin_manager
from repetend.plugins.types import FileSignature


def test_python_signature_has_imports_classes_and_decorators() -> None:
    text = "import os\nfrom a import b\n\n@register\nclass X(Base):\n    def run(self): ...\n"
    found = file_signature("pkg/x.py", text)
    assert found.language == "python"
    assert {"import:os", "from:a:b", "base:Base", "decorator:register", "def:run:1"} <= set(
        found.features
    )


def test_data_files_are_signed_by_key_paths() -> None:
    assert "key:/name:str" in file_signature("a.json", '{"name": "x"}').features
    assert "key:/jobs/build" in file_signature("a.yml", "jobs:\n  build: {}\n").features
    assert "key:/tool/x:int" in file_signature("a.toml", "[tool]\nx = 1\n").features


def test_markdown_signature_is_its_outline_and_front_matter() -> None:
    text = "---\ntitle: T\n---\n# Summary\n```\n# not a heading\n```\n## Motivation\n"
    found = file_signature("doc.md", text).features
    assert {"front:title", "heading:summary", "heading:motivation"} <= found
    assert "heading:not a heading" not in found


def test_a_parse_error_falls_back_to_the_generic_signature() -> None:
    for path, broken in [("a.py", "def (:\n"), ("a.json", "{nope"), ("a.yml", "{a: [\n")]:
        found = file_signature(path, broken)
        assert found.language == "text"
        assert found.features


def test_similar_shapes_have_similar_sketches() -> None:
    first = file_signature("a.json", '{"name": "a", "icon": "x", "tags": ["p"]}')
    second = file_signature("b.json", '{"name": "b", "icon": "y", "tags": ["q", "r"]}')
    other = file_signature("c.py", "import os\n")
    assert similarity(sketch(first.features), sketch(second.features)) == 1.0
    assert similarity(sketch(first.features), sketch(other.features)) < 0.2


class FooSignatures:
    """A third-party plugin that understands `.foo` files."""

    @hookimpl
    def repetend_file_signature(self, path: str, text: str) -> FileSignature | None:
        if not path.endswith(".foo"):
            return None
        return FileSignature("foo", frozenset(text.split()))


def test_a_plugin_adds_a_language_and_the_built_in_answers_the_rest() -> None:
    manager = get_plugin_manager()
    manager.register(FooSignatures(), name="foo-signatures")
    assert sign("x.foo", "alpha beta", manager) == FileSignature(
        "foo", frozenset({"alpha", "beta"})
    )
    assert sign("x.json", "{}", manager).language == "json"
