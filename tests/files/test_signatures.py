"""Structural signatures: per language, pluggable, and never raising on bad input."""

from __future__ import annotations

from repetend.files.index import sign
from repetend.files.signatures import file_signature
from repetend.files.similarity import similarity, sketch
from repetend.plugins import hookimpl
from repetend.plugins.registry import get_plugin_manager
from repetend.plugins.types import FileSignature


def test_python_signature_is_its_skeleton_with_varying_names_abstracted() -> None:
    text = (
        '"""Docs.\n\ndef not_a_function(x):\n"""\nimport os\nfrom a.b import c, d\n\n'
        "CONFIG = cv.Schema({})\n\n@register\nclass MyConfigFlow(Base):\n"
        "    def run(self, value): ...\n\n"
        "def test_parses_dates(tmp_path) -> None:\n    inner()\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    found = file_signature("pkg/x.py", text)
    assert found.language == "python"
    assert {
        "import:os",
        "import:a",
        "from:a.*",
        "imported:c",
        "assign:CONFIG:cv.Schema",
        "decorator:register",
        "class:Flow",
        "base:Base",
        "member-def:run:2",
        "def:test:1",
        "returns:test:None",
        "main-guard",
    } <= set(found.features)
    assert not {f for f in found.features if "not_a_function" in f or "parses" in f}
    assert "call:inner" not in found.features  # a function's body is not its module's shape


def test_test_modules_with_their_own_test_names_are_alike() -> None:
    def module(names: list[str]) -> frozenset[str]:
        tests = "".join(
            f"\n\ndef test_{name}(capsys):\n    assert main([]) == 0\n" for name in names
        )
        text = f"import pytest\n\nfrom pkg.{names[0]} import main\n{tests}"
        return file_signature(f"tests/{names[0]}_test.py", text).features

    first = module(["trailing_whitespace", "fixes_files", "keeps_markdown"])
    second = module(["check_yaml", "reports_errors"])
    assert similarity(sketch(first), sketch(second)) >= 0.5


def test_data_files_are_signed_by_key_paths() -> None:
    assert "key:/name:str" in file_signature("a.json", '{"name": "x"}').features
    assert "key:/jobs/build" in file_signature("a.yml", "jobs:\n  build: {}\n").features
    assert "key:/tool/x:int" in file_signature("a.toml", "[tool]\nx = 1\n").features


def test_keys_under_names_of_their_own_still_share_their_depth() -> None:
    build = file_signature("a.yml", "jobs:\n  build:\n    runs-on: x\n    steps:\n      - run: a\n")
    test = file_signature("b.yml", "jobs:\n  test:\n    runs-on: y\n    steps:\n      - run: b\n")
    shared = build.features & test.features
    assert {"at:2:runs-on", "at:2:steps", "at:4:run"} <= shared


def test_markdown_signature_is_its_outline_not_its_title() -> None:
    text = (
        "---\ntitle: T\n---\n# Parsing dates\n\nSome words.\n\n"
        "```python\n# not a heading\n```\n## Examples\n\n- **one**: two\n- **three**: four\n"
        "\n> quoted\n"
    )
    found = file_signature("doc.md", text).features
    assert {"front:title", "heading:examples", "block:h1", "block:h2", "code:python"} <= found
    assert {"seq:h1>p", "seq:p>code", "seq:h2>ul", "seq:ul>quote"} <= found
    assert not {f for f in found if "parsing" in f or "not a heading" in f}


def test_pages_with_their_own_titles_and_one_outline_are_alike() -> None:
    def page(title: str, intro: str) -> frozenset[str]:
        text = (
            f"# {title}\n\n{intro}\n\n## Syntax\n\n```sh\n{title.lower()} --flag\n```\n\n"
            f"## Examples\n\n- `{title}` does one thing\n- and another\n\n## See also\n\n"
            f"- [{title} docs](https://example.com/{title})\n"
        )
        return file_signature(f"docs/{title}.md", text).features

    first, second = page("grep", "Finds lines."), page("sed", "Edits streams of text.")
    assert similarity(sketch(first), sketch(second)) >= 0.8


def test_restructured_text_is_signed_by_its_plugin() -> None:
    text = (
        "PEP: 9\nTitle: A thing\nStatus: Draft\n\nA thing\n=======\n\n"
        "Abstract\n--------\n\nWords.\n\n.. code-block:: python\n\n   x = 1\n\n"
        "Copyright\n---------\n\nPublic domain.\n"
    )
    found = sign("peps/pep-0009.rst", text, get_plugin_manager())
    assert found.language == "rst"
    assert {"field:PEP", "field:Title", "field:Status", "section:1", "section:2"} <= found.features
    assert {"title:abstract", "title:copyright", "directive:code-block"} <= found.features
    assert "title:a thing" not in found.features  # the document's own title


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


def test_icons_are_alike_by_their_elements_whatever_their_path_data() -> None:
    def icon(data: str) -> frozenset[str]:
        text = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="{data}"/></svg>'
        )
        return file_signature("icons/x.svg", text).features

    first, second = icon("M1 2L3 4Z"), icon("M9.5 8c1.2 0 3-4 7-7z")
    assert {"tag:svg", "attr:svg:viewBox", "seq:svg>path", "attr:path:d"} <= first
    assert similarity(sketch(first), sketch(second)) == 1.0
