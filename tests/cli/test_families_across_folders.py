"""Families by structure wherever their files sit; units that exist in real trees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from repetend.cli import main
from tests.cli.conftest import git

LANGUAGES = ["c", "go", "python", "rust"]


def mined(repo: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """Commit the tree, run `repetend mine . --json` and return its families."""
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "tree")
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    families: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["families"]
    return families


def members(repo: Path, family: dict[str, Any]) -> list[str]:
    spec = json.loads(
        json.dumps(__import__("yaml").safe_load((repo / family["spec_path"]).read_text()))
    )
    return sorted(spec["members"])


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def page(title: str, words: str, command: str) -> str:
    """A documentation page: its own title and words, the style guide's outline."""
    return (
        f"# {title}\n\n{words}\n\n## Syntax\n\n```sh\n{command} [options] FILE\n```\n\n"
        f"## Options\n\n- `-v`: {words.split()[0].lower()} verbosely\n- `-q`: say nothing\n\n"
        f"## Examples\n\n```sh\n{command} -v notes.txt\n```\n\n"
        f"## See also\n\n- [{title}](../{command}.md)\n"
    )


def test_pages_with_their_own_titles_in_several_folders_are_one_family(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {
        "docs/text/grep.md": ("Search with grep", "Finds lines that match.", "grep"),
        "docs/text/sed.md": ("Edit streams with sed", "Rewrites each line of a stream.", "sed"),
        "docs/files/cp.md": ("Copy files", "Copies a file somewhere else, keeping it.", "cp"),
        "docs/files/mv.md": ("Move or rename", "Moves files.", "mv"),
        "docs/net/curl.md": ("Fetch a URL", "Downloads what a URL points at.", "curl"),
    }
    for path, (title, words, command) in pages.items():
        write(repo, path, page(title, words, command))
    families = mined(repo, capsys)
    assert [f["path_pattern"] for f in families] == ["docs/{{ doc }}/{{ slug }}.md"]
    assert members(repo, families[0]) == sorted(pages)


def golden(case: str, source: str, tree: str) -> str:
    return f"{'=' * 20}\n{case}\n{'=' * 20}\n\n{source}\n\n---\n\n{tree}\n"


def test_golden_files_in_per_language_folders_are_one_family_with_a_folder_variable(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for language in LANGUAGES:
        for name in ("literals", "calls"):
            write(
                repo,
                f"tests/snippets/{language}/{name}.txt",
                golden(f"{language} {name}", f"f({name!r}, 1)", f"(call (identifier) ({name}))"),
            )
    families = mined(repo, capsys)
    assert [f["path_pattern"] for f in families] == ["tests/snippets/{{ snippet }}/{{ slug }}.txt"]
    assert families[0]["size"] == 2 * len(LANGUAGES)


HOOK = (
    '"""{doc}"""\n\nfrom __future__ import annotations\n\nimport argparse\n'
    "from collections.abc import Sequence\n\n\n"
    "def main(argv: Sequence[str] | None = None) -> int:\n"
    "    parser = argparse.ArgumentParser()\n    parser.add_argument('filenames', nargs='*')\n"
    "    args = parser.parse_args(argv)\n    return {code}\n\n\n"
    "if __name__ == '__main__':\n    raise SystemExit(main())\n"
)
TEST = (
    "from __future__ import annotations\n\nimport pytest\n\n"
    "from hooks.{stem} import main\n\n\n"
    "@pytest.mark.parametrize('name', ['{stem}.txt'])\n"
    "def test_{stem}_passes(name, tmpdir):\n    assert main([str(tmpdir.join(name))]) == 0\n\n\n"
    "def test_{stem}_fails_on_nothing():\n    assert main([]) == 1\n"
)
STEMS = ["check_yaml", "fix_newlines", "sort_lines", "strip_spaces"]


def test_modules_and_their_tests_are_two_shapes_and_one_unit_by_stem(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number, stem in enumerate(STEMS):
        write(repo, f"hooks/{stem}.py", HOOK.format(doc=stem.replace("_", " "), code=number))
        write(repo, f"tests/{stem}_test.py", TEST.format(stem=stem))
    families = mined(repo, capsys)
    assert [f["path_pattern"] for f in families] == [
        "hooks/{{ slug }}.py + tests/{{ slug }}_test.py"
    ]
    assert families[0]["files"] == 2
    assert families[0]["size"] == len(STEMS)
    # every variable as in the first member, the stem new: it names both files
    capsys.readouterr()
    assert main(["templates", "show", families[0]["id"], "--json"]) == 0
    spec = json.loads(capsys.readouterr().out)
    values = {v["name"]: v["examples"][0] for v in spec["variables"] if v.get("examples")}
    (repo / "values.yaml").write_text(yaml.safe_dump({**values, "slug": "tidy_json"}))
    assert main(["apply", families[0]["id"], "--from", "values.yaml"]) == 0
    assert (repo / "hooks" / "tidy_json.py").is_file()
    assert "from hooks.tidy_json import main" in (repo / "tests" / "tidy_json_test.py").read_text()


def test_modules_of_two_structures_in_one_folder_tree_are_not_one_catch_all(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number, stem in enumerate(STEMS):
        write(repo, f"src/{stem}.py", HOOK.format(doc=stem, code=number))
    for stem in ("alpha", "beta", "gamma", "delta"):
        write(repo, f"src/tests/test_{stem}.py", TEST.format(stem=stem))
    patterns = sorted(f["path_pattern"] for f in mined(repo, capsys))
    assert patterns == ["src/tests/test_{{ slug }}.py", "src/{{ slug }}.py"]


def kep(number: int, title: str, sig: str) -> dict[str, str]:
    readme = (
        f"# KEP-{number}: {title}\n\n## Summary\n\n{title} for {sig}.\n\n## Motivation\n\n"
        f"### Goals\n\n- {title.lower()}\n\n### Non-Goals\n\n- everything else\n\n"
        "## Proposal\n\nWe propose it.\n\n## Drawbacks\n\nNone known.\n"
    )
    meta = (
        f'title: {title}\nkep-number: {number}\nauthors:\n  - "@{sig}-lead"\n'
        f"owning-sig: {sig}\nstatus: implementable\nstage: alpha\n"
    )
    return {"README.md": readme, "kep.yaml": meta}


def test_unit_folders_at_two_depths_are_one_unit_and_a_rare_file_stays_apart(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folders = {
        "keps/sig-node/1001-swap": (1001, "Node swap", "sig-node"),
        "keps/sig-node/1002-cgroups": (1002, "Cgroups v2", "sig-node"),
        "keps/sig-apps/1003-jobs": (1003, "Indexed jobs", "sig-apps"),
        "keps/sig-apps/1004-cron": (1004, "Cron time zones", "sig-apps"),
        "keps/sig-cluster-lifecycle/kubeadm/1005-join": (1005, "Join phases", "sig-cluster"),
        "keps/sig-cluster-lifecycle/kubeadm/1006-upgrade": (1006, "Upgrade plan", "sig-cluster"),
    }
    for folder, (number, title, sig) in folders.items():
        for name, text in kep(number, title, sig).items():
            write(repo, f"{folder}/{name}", text)
    for folder in list(folders)[:2]:  # only some units have one: not part of the unit
        write(repo, f"{folder}/OWNERS", "approvers:\n  - someone\n")
    families = mined(repo, capsys)
    units = [f for f in families if f["files"] == 2]
    assert [f["path_pattern"] for f in units] == ["keps/{{ sig }}/{{ unit }}/"]
    assert units[0]["size"] == len(folders)
    unit_members = members(repo, units[0])
    assert unit_members == sorted(
        f"{folder}/{name}" for folder in folders for name in ("README.md", "kep.yaml")
    )
