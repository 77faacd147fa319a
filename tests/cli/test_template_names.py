"""Variable names: whole words from what is beside a slot, never a URL's scheme or a keyword."""

from __future__ import annotations

from pathlib import Path

import pytest

from repetend.templates.parts import Fixed, Optional, Slot
from repetend.templates.variables import name_slots
from tests.cli.conftest import git
from tests.cli.test_templates import run_json

MODULES = {
    "check_yaml": ("YAML", "import sys\nimport yaml", "yaml/safe", "yaml.safe_load"),
    "check_json": ("JSON", "import json", "json/loads", "json.loads"),
    "check_toml": ("TOML", "import sys\nimport tomllib", "toml/spec", "tomllib.loads"),
    "check_xml": ("XML", "import xml.dom.minidom", "xml/dom", "xml.dom.minidom.parseString"),
}


def hook_module(kind: str, imports: str, url: str, call: str) -> str:
    return (
        f'"""Check that {kind} files parse."""\nfrom __future__ import annotations\n\n'
        f"import argparse\n{imports}\n\n"
        f'DOCS = "https://docs.example.org/{url}"\n\n\n'
        "def main(argv: list[str] | None = None) -> int:\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('filenames', nargs='*')\n"
        "    args = parser.parse_args(argv)\n"
        "    failed = 0\n"
        "    for filename in args.filenames:\n"
        "        with open(filename) as handle:\n"
        "            try:\n"
        f"                {call}(handle.read())\n"
        "            except ValueError as error:\n"
        "                print(f'{filename}: {error}')\n"
        "                failed = 1\n"
        "    return failed\n\n\n"
        "if __name__ == '__main__':\n"
        "    raise SystemExit(main())\n"
    )


def test_python_module_variables_are_named_after_what_they_hold(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "hooks").mkdir()
    for slug, parts in MODULES.items():
        (repo / "hooks" / f"{slug}.py").write_text(hook_module(*parts))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hooks")
    run_json(capsys, "mine", ".")
    listed = run_json(capsys, "templates", "list")
    assert isinstance(listed, list)
    [tid] = [t["id"] for t in listed if t["path_pattern"].startswith("hooks/")]
    figures = run_json(capsys, "templates", "check", tid)
    assert isinstance(figures, dict)
    assert figures["generic_names"] == 0, figures["generic"]
    assert figures["read_back"] == 1.0
    shown = run_json(capsys, "templates", "show", tid)
    assert isinstance(shown, dict)
    names = {v["name"] for v in shown["variables"]}
    assert {"imports", "function", "module", "docs"} <= names
    assert not names & {"https", "try", "try_2", "before_docs", "text", "body"}


def test_a_section_is_named_in_whole_words() -> None:
    # the fixed text before the section ends in the first letter of its first word
    parts = [Fixed("## C"), Optional("s1", [Fixed("ommands:\n"), Slot(1)]), Fixed("\n")]
    name_slots(parts, [{1: "run"}], set())
    assert isinstance(parts[1], Optional)
    assert parts[1].flag == "has_commands"


def proposal(n: int, sections: list[str]) -> str:
    head = f"Proposal: {n}\nTitle: Idea number {n}\nStatus: Draft\n\n"
    body = "".join(
        f"{title}\n{'=' * (len(title) + n % 2)}\n\nThe {title.lower()} of idea {n}, in words.\n\n"
        for title in sections
    )
    return head + body


def test_text_under_titles_is_named_after_them(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "proposals").mkdir()
    outlines = [
        ["Abstract", "Motivation", "Copyright"],
        ["Abstract", "Rationale", "Copyright"],
        ["Abstract", "Motivation", "Rationale", "Copyright"],
        ["Abstract", "Copyright"],
        ["Abstract", "Motivation", "Copyright"],
    ]
    for n, sections in enumerate(outlines):
        (repo / "proposals" / f"p{n}.rst").write_text(proposal(n, sections))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "proposals")
    run_json(capsys, "mine", ".")
    listed = run_json(capsys, "templates", "list")
    assert isinstance(listed, list)
    [tid] = [t["id"] for t in listed if t["path_pattern"].startswith("proposals/")]
    figures = run_json(capsys, "templates", "check", tid)
    assert isinstance(figures, dict)
    assert figures["generic_names"] == 0, figures["generic"]
    assert figures["read_back"] == 1.0


def test_a_markdown_title_is_one_title_variable_everywhere(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "products").mkdir()
    for n, name in enumerate(["Acme Cloud", "Zen Store", "Blue Bird", "Red Fox"]):
        page = f"# {name}\n\nWelcome to {name}, the product.\n\n## Install {name}\n\nRun it.\n"
        (repo / "products" / f"p{n}.md").write_text(page)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "products")
    run_json(capsys, "mine", ".")
    listed = run_json(capsys, "templates", "list")
    assert isinstance(listed, list)
    [tid] = [t["id"] for t in listed if t["path_pattern"].startswith("products/")]
    shown = run_json(capsys, "templates", "show", tid)
    assert isinstance(shown, dict)
    source = shown["files"][0]["template"]
    assert source.count("{{ title }}") == 3, source
