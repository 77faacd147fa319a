"""The pre-commit check: staged content against approved templates, families among new files."""

from __future__ import annotations

from pathlib import Path

from tests.capture.git.gitrepo import commit, plugin_log, repetend, run, write

TEMPLATE = "id: T-test\nmatch: 'services/*.toml'\nrequires: ['name =', '[service]']\n"


def _approve_template(root: Path) -> None:
    write(root, ".repetend/patterns/approved/T-test.yaml", TEMPLATE)


def test_a_staged_file_missing_what_its_template_requires_is_warned_about(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    _approve_template(plugged)
    write(plugged, "services/web.toml", "[service]\nport = 80\n")
    run(plugged, "git", "add", "services/web.toml")
    # The working copy gains the key after staging: the check must read what is staged.
    write(plugged, "services/web.toml", "[service]\nname = 'web'\nport = 80\n")
    done = run(plugged, "git", "commit", "-q", "-m", "web", check=False)
    assert done.returncode == 0
    assert "repetend: warning: services/web.toml: T-test: missing `name =`" in done.stderr
    checked = [e for e in plugin_log(plugged) if e["hook"] == "check_staged_file"]
    assert checked == [
        {"hook": "check_staged_file", "path": "services/web.toml", "text": "[service]\nport = 80\n"}
    ]


def test_strict_stops_the_commit(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    _approve_template(plugged)
    write(plugged, ".repetend/config.yaml", "strict: true\n")
    write(plugged, "services/web.toml", "port = 80\n")
    done = commit(plugged, "web", "services/web.toml")
    assert done.returncode == 1
    assert "missing `name =`" in done.stderr
    assert "missing `[service]`" in done.stderr
    assert "strict is on" in done.stderr
    assert run(plugged, "git", "rev-list", "--all").stdout == ""


def test_a_file_that_has_everything_passes_quietly_even_when_strict(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    _approve_template(plugged)
    write(plugged, ".repetend/config.yaml", "strict: true\n")
    write(plugged, "services/web.toml", "[service]\nname = 'web'\n")
    done = commit(plugged, "web", "services/web.toml")
    assert done.returncode == 0
    assert "repetend" not in done.stderr


def test_several_new_files_forming_a_family_get_a_proposal_before_the_commit(
    plugged: Path,
) -> None:
    repetend(plugged, "hooks", "install")
    for name in ("alpha", "beta", "gamma"):
        write(plugged, f"docs/{name}.md", f"# {name}\n")
    run(plugged, "git", "add", "docs")
    done = run(plugged, "git", "commit", "-q", "-m", "docs", check=False)
    assert done.returncode == 0
    assert "new pattern AUTO-" in done.stderr
    assert "from 3 similar files" in done.stderr


def test_python_is_not_started_without_added_files_or_templates(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    write(plugged, "a.txt", "a\n")
    assert commit(plugged, "one new file, no template", "a.txt").returncode == 0
    write(plugged, "a.txt", "b\n")
    _approve_template(plugged)
    assert commit(plugged, "a modification only", "a.txt").returncode == 0
    assert [e for e in plugin_log(plugged) if e["hook"] == "check_staged_file"] == []


def test_binary_files_are_not_checked(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    _approve_template(plugged)
    (plugged / "services").mkdir()
    (plugged / "services" / "blob.toml").write_bytes(b"\x00\x01binary")
    assert commit(plugged, "binary", "services/blob.toml").returncode == 0
    assert [e for e in plugin_log(plugged) if e["hook"] == "check_staged_file"] == []


def test_kill_switch_skips_the_check(plugged: Path, monkeypatch) -> None:
    repetend(plugged, "hooks", "install")
    _approve_template(plugged)
    write(plugged, ".repetend/config.yaml", "strict: true\n")
    monkeypatch.setenv("DISABLE_PATTERN_AUTOMATION", "true")
    write(plugged, "services/web.toml", "port = 80\n")
    assert commit(plugged, "web", "services/web.toml").returncode == 0


def test_the_framework_entry_exits_1_only_when_strict_finds_something(plugged: Path) -> None:
    _approve_template(plugged)
    write(plugged, "services/web.toml", "port = 80\n")
    run(plugged, "git", "add", "services/web.toml")
    relaxed = repetend(plugged, "hooks", "run", "pre-commit", check=False)
    assert relaxed.returncode == 0
    assert "missing `name =`" in relaxed.stderr
    write(plugged, ".repetend/config.yaml", "strict: true\n")
    strict = repetend(plugged, "hooks", "run", "pre-commit", check=False)
    assert strict.returncode == 1
    assert "strict is on" in strict.stderr
