"""Families as a developer sees them on trees nobody tuned for: kinds, companions, places."""

from __future__ import annotations

from repetend.files.families import MAX_COMPANIONS, Family, companions, find_families
from repetend.files.index import IndexedFile
from repetend.files.signatures import file_signature
from repetend.files.similarity import similarity, sketch

HEADER = "# Licensed under the BSD licence.\n\nimport re\n\nfrom pkg.token import Name, Keyword\n"


def lexer(name: str) -> str:
    return (
        f'{HEADER}from pkg.lexer import RegexLexer, bygroups\n\n__all__ = ["{name}Lexer"]\n\n\n'
        f"class {name}Lexer(RegexLexer):\n    name = {name!r}\n    aliases = [{name.lower()!r}]\n"
        f"    filenames = ['*.{name.lower()}']\n    tokens = {{'root': []}}\n"
    )


def style(name: str) -> str:
    return (
        f'{HEADER}from pkg.style import Style\n\n__all__ = ["{name}Style"]\n\n\n'
        f"class {name}Style(Style):\n    name = {name!r}\n    background_color = '#fff'\n"
        f"    styles = {{Name: '#000'}}\n"
    )


def row(path: str, text: str) -> IndexedFile:
    return IndexedFile(path, 0, 0, path, "python", sketch(file_signature(path, text).features))


def test_modules_whose_classes_have_other_bases_are_not_alike() -> None:
    lexers = [sketch(file_signature("l.py", lexer(n)).features) for n in ("Ada", "Rust")]
    styles = [sketch(file_signature("s.py", style(n)).features) for n in ("Monokai", "Vim")]
    assert similarity(*lexers) >= 0.5
    assert similarity(*styles) >= 0.5
    assert similarity(lexers[0], styles[0]) < 0.35  # below what families in two places join at


def test_plugin_modules_of_two_kinds_in_two_folders_are_two_families() -> None:
    # a library's lexers and its styles: the same header and imports, another base class
    rows = [row(f"pkg/lexers/{n.lower()}.py", lexer(n)) for n in ("Ada", "Rust", "Go", "Zig")]
    rows += [row(f"pkg/styles/{n.lower()}.py", style(n)) for n in ("Monokai", "Vim", "Emacs")]
    found = {f.key: len(f.paths) for f in find_families(rows, 3, 0.5)}
    assert found == {"pkg/lexers/*.py": 4, "pkg/styles/*.py": 3}


def test_families_of_one_file_name_in_other_folders_are_not_companions() -> None:
    # thirty packages' `copyright` files in a few shapes: the shared name says nothing
    families = [
        Family(f"*/copyright~p{n}/copyright", tuple(f"p{n}{m}/copyright" for m in range(3)))
        for n in range(30)
    ]
    assert all(found == [] for found in companions(families).values())


def test_companions_share_names_and_a_spec_lists_the_closest_few() -> None:
    stems = [f"s{n}" for n in range(10)]
    workflows = Family("ci/*.yml", tuple(f"ci/{s}.yml" for s in stems))
    properties = Family(
        "ci/properties/*.properties.json",
        tuple(f"ci/properties/{s}.properties.json" for s in stems),
    )
    # a component folder's manifest is named by its folder: `docs/{{ name }}.md` goes with it
    manifests = Family(
        "components/*/manifest.json", tuple(f"components/{s}/manifest.json" for s in stems)
    )
    others = [
        Family(f"kind{k}/*.txt", tuple(f"kind{k}/{s}.txt" for s in stems[: 5 + k % 5]))
        for k in range(12)
    ]
    found = companions([workflows, properties, manifests, *others])
    assert "ci/properties/*.properties.json" in found["ci/*.yml"]
    assert "ci/*.yml" in found["components/*/manifest.json"]
    assert all(len(listed) <= MAX_COMPANIONS for listed in found.values())
    assert found["ci/*.yml"][:2] == [
        "ci/properties/*.properties.json",
        "components/*/manifest.json",
    ]


def test_modules_that_assign_other_module_level_names_are_not_alike() -> None:
    # a documentation tool's language modules: labels in one folder, directives in another
    def module(names: list[str], lang: str) -> frozenset[str]:
        body = "".join(f"{name} = {{\n    'x': 'x in {lang}',\n}}\n\n" for name in names)
        text = f'"""{lang} language mappings."""\n\n__docformat__ = "reStructuredText"\n\n{body}'
        return file_signature(f"{lang}.py", text).features

    labels = [sketch(module(["labels", "bibliographic_fields"], lang)) for lang in ("de", "fr")]
    directives = [sketch(module(["directives", "roles"], lang)) for lang in ("de", "fr")]
    assert similarity(*labels) >= 0.9 and similarity(*directives) >= 0.9
    assert similarity(labels[0], directives[0]) < 0.35
