"""The whole loop with the real miner behind the hooks: commit, propose, approve, check, apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repetend.config import load_config
from repetend.plugins.registry import call_hook, get_plugin_manager
from repetend.plugins.types import SuggestionContext
from repetend.store import open_store
from tests.capture.git.gitrepo import commit, repetend, run, spool_empty, wait_for, write

COMPONENT = '''"""The {title} component."""

from app.base import Component, register

DOMAIN = "{name}"


@register
class {cls}Component(Component):
    """Talks to {title}."""

    name = "{name}"
    version = 1
'''


def component(name: str) -> str:
    return COMPONENT.format(name=name, title=name.title(), cls=name.title())


def commit_three_components(repo: Path) -> None:
    """Install the hooks and commit three components one by one; wait for the drain."""
    repetend(repo, "hooks", "install")
    write(repo, "README.md", "app\n")
    commit(repo, "start")
    for name in ("alpha", "beta", "gamma"):
        write(repo, f"components/{name}.py", component(name))
        assert commit(repo, f"add {name}").returncode == 0
    wait_for(lambda: spool_empty(repo))


def test_third_committed_file_becomes_a_template_that_checks_and_renders_new_files(
    repo: Path,
) -> None:
    commit_three_components(repo)
    templates = json.loads(repetend(repo, "templates", "list", "--json").stdout)
    [template] = [t for t in templates if t["path_pattern"].startswith("components/")]
    assert template["size"] == 3

    repetend(repo, "candidates", "approve", template["id"], "--note", "yes")
    write(repo, "components/delta.py", component("delta").replace("@register\n", ""))
    run(repo, "git", "add", "components/delta.py")
    checked = run(repo, "git", "commit", "-q", "-m", "add delta", check=False)
    assert checked.returncode == 0  # a warning, not a block (strict is off)
    assert "components/delta.py" in checked.stderr and "@register" in checked.stderr

    new = write(repo, "components/epsilon.py", "")
    config = load_config(repo)
    store = open_store(config)
    context = SuggestionContext("file-created", repo, new, {"config": config}, store)
    answers = call_hook(get_plugin_manager(), "repetend_suggest", context=context)
    store.close()
    [suggestion] = [s for answer in answers for s in answer if s.pattern_id == template["id"]]
    assert suggestion.command.startswith(f"repetend apply {template['id']} ")
    new.unlink()
    applied = repetend(repo, *suggestion.command.split()[1:], check=False)
    assert applied.returncode == 0, applied.stderr
    assert (repo / "components" / "epsilon.py").read_text() == component("epsilon")


def test_the_pre_commit_hook_starts_python_only_for_files_an_approved_template_fits(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_three_components(repo)
    [template] = json.loads(repetend(repo, "templates", "list", "--json").stdout)
    repetend(repo, "candidates", "approve", template["id"], "--note", "yes")
    globs = repo / ".repetend" / "patterns" / "approved" / template["id"] / ".globs"
    assert globs.read_text() == "components/*.py\n"

    monkeypatch.setenv("REPETEND_TRACE_PLUGINS", "1")  # Python, once started, says so
    write(repo, "notes/today.txt", "nothing like a component\n")
    run(repo, "git", "add", "notes/today.txt")
    outside = run(repo, "git", "commit", "-q", "-m", "notes")
    assert "repetend_check_staged_file" not in outside.stderr

    write(repo, "components/delta.py", component("delta").replace("@register\n", ""))
    run(repo, "git", "add", "components/delta.py")
    inside = run(repo, "git", "commit", "-q", "-m", "delta")
    assert "repetend_check_staged_file" in inside.stderr
    assert (
        "repetend: warning: components/delta.py: missing '@register' required by template"
        f" {template['id']} (components/{{{{ slug }}}}.py)" in inside.stderr
    )


def manifest(name: str, tags: list[str], indent: str = "    ") -> str:
    listed = ", ".join(f'"{tag}"' for tag in tags)
    lines = [f'"name": "{name}",', f'"icon": "{name.lower()}-icon",', f'"tags": [{listed}]']
    return "{\n" + "".join(f"{indent}{line}\n" for line in lines) + "}\n"


def test_a_json_file_lacking_a_key_is_told_that_key_only(repo: Path) -> None:
    repetend(repo, "hooks", "install")
    write(repo, "README.md", "app\n")
    commit(repo, "start")
    members = (("Alpha", ["a"], "    "), ("Beta", ["b", "c"], "  "), ("Gamma", ["d", "e"], "    "))
    for name, tags, indent in members:
        write(repo, f"plugins/{name.lower()}.json", manifest(name, tags, indent))
        assert commit(repo, f"add {name}").returncode == 0
    wait_for(lambda: spool_empty(repo))
    [template] = json.loads(repetend(repo, "templates", "list", "--json").stdout)
    repetend(repo, "candidates", "approve", template["id"], "--note", "yes")
    lacking = manifest("Delta", ["g"]).replace('    "icon": "delta-icon",\n', "")
    write(repo, "plugins/delta.json", lacking)
    run(repo, "git", "add", "plugins/delta.json")
    checked = run(repo, "git", "commit", "-q", "-m", "add delta", check=False)
    assert checked.returncode == 0  # a warning, not a block (strict is off)
    warnings = [line for line in checked.stderr.splitlines() if "plugins/delta.json" in line]
    assert len(warnings) == 1, checked.stderr
    assert 'missing \'"icon": "\'' in warnings[0]
