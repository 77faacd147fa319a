"""Plugins load from the entry-point group, fail open, can be limited, traced and extend the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import repetend
from repetend.cli import cli
from tests.plugins.conftest import InstallPlugin

NOTIFIER = """
from repetend.plugins import hookimpl

SEEN = []

@hookimpl
def repetend_notify(notification, config):
    SEEN.append(notification.message)
"""

BROKEN = """
from repetend.plugins import hookimpl

@hookimpl
def repetend_notify(notification):
    raise RuntimeError("smtp is down")

@hookimpl
def repetend_execution_recorded(execution):
    raise KeyError("boom")
"""

STRICT_POLICY = """
from repetend.plugins import hookimpl
from repetend.plugins.types import Verdict

@hookimpl(tryfirst=True)
def repetend_classify_candidate(candidate):
    return Verdict("reject", "this team automates nothing", "strict")
"""

COMMAND = """
import click
from repetend.plugins import hookimpl

@hookimpl
def repetend_register_commands(cli):
    @cli.command()
    def hello():
        '''Say hello.'''
        click.echo("hello from a plugin")
"""


def make_three(repo: Path) -> None:
    for i in range(3):
        with repetend.record("job", inputs={"name": f"n{i}"}):
            pass


def test_builtins_and_installed_plugins_are_listed_with_their_hooks(
    repo: Path, install_plugin: InstallPlugin
) -> None:
    install_plugin("plug-notes", NOTIFIER)
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["plug-notes"]["source"] == "plug-notes 1.2.3"
    assert rows["plug-notes"]["hooks"] == ["repetend_notify"]
    assert rows["execution-detector"]["source"] == "built-in"
    assert {"classifier", "notifier", "execution-detector"} <= set(rows)


def test_an_installed_notifier_hears_new_patterns(
    repo: Path, install_plugin: InstallPlugin
) -> None:
    install_plugin("plug-notes", NOTIFIER)
    make_three(repo)
    import plug_notes  # type: ignore[import-not-found]

    assert len(plug_notes.SEEN) == 1
    assert "new pattern AUTO-" in plug_notes.SEEN[0]


def test_a_failing_plugin_is_reported_once_and_the_rest_go_on(
    repo: Path, install_plugin: InstallPlugin, capsys: pytest.CaptureFixture[str]
) -> None:
    install_plugin("plug-broken", BROKEN)
    make_three(repo)
    make_three(repo)
    err = capsys.readouterr().err
    assert (
        err.count("plugin 'plug-broken' failed in repetend_notify: RuntimeError: smtp is down") == 1
    )
    assert err.count("plugin 'plug-broken' failed in repetend_execution_recorded") == 1
    assert "repetend: new pattern AUTO-" in err  # the built-in notifier still ran
    assert list((repo / ".repetend" / "patterns" / "drafts").glob("*.yaml"))


def test_a_plugin_that_cannot_be_imported_is_skipped(
    repo: Path, install_plugin: InstallPlugin
) -> None:
    install_plugin("plug-bad-import", "import no_such_module_anywhere\n")
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0
    assert "plug-bad-import" not in {row["name"] for row in json.loads(result.stdout)}
    assert "plugin 'plug-bad-import' failed in load: ModuleNotFoundError" in result.stderr


def test_environment_limits_what_loads(
    repo: Path, install_plugin: InstallPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_plugin("plug-notes", NOTIFIER)
    monkeypatch.setenv("REPETEND_PLUGINS", "")
    monkeypatch.setenv("REPETEND_DISABLE_PLUGINS", "notifier")
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    names = {row["name"] for row in json.loads(result.stdout)}
    assert {"classifier", "execution-detector"} <= names
    assert "notifier" not in names and "plug-notes" not in names


def test_a_tryfirst_classifier_overrides_the_policy(
    repo: Path, install_plugin: InstallPlugin
) -> None:
    install_plugin("plug-strict", STRICT_POLICY)
    make_three(repo)
    [spec] = (repo / ".repetend" / "patterns" / "rejected").glob("*.yaml")
    result = CliRunner().invoke(cli, ["candidates", "show", spec.stem, "--json"])
    history = json.loads(result.stdout)["history"]
    assert history[0]["note"] == "reject: this team automates nothing"
    assert history[0]["actor"] == "repetend (strict)"


def test_tracing_prints_every_hook_call(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPETEND_TRACE_PLUGINS", "1")
    make_three(repo)
    err = capsys.readouterr().err
    assert "repetend trace: repetend_execution_recorded [execution-detector]" in err
    assert "repetend trace: repetend_classify_candidate [classifier] -> Verdict(" in err


def test_plugins_add_commands(repo: Path, install_plugin: InstallPlugin) -> None:
    install_plugin("plug-hello", COMMAND)
    from repetend.cli import main

    assert main(["hello"]) == 0
    result = CliRunner().invoke(cli, ["--help"])
    assert "hello" in result.stdout
