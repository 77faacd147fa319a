"""Every start pays only for the command it runs: `--help` imports no command module."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click

from repetend.cli import BUILTIN_COMMANDS, cli

PROBE = """
import sys
from repetend.cli import main
code = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_by(*args: str) -> tuple[str, set[str]]:
    """What `repetend ARGS` prints, and every module it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return done.stdout, set(done.stderr.split("\n")[-2].split())


def test_each_summary_is_the_first_paragraph_of_its_command() -> None:
    for name, (module, summary) in BUILTIN_COMMANDS.items():
        commands = {c.name: c for c in importlib.import_module(module).COMMANDS}
        help_text = commands[name].short_help or commands[name].help or ""
        assert " ".join(help_text.split("\n\n")[0].split()) == summary, name


def test_every_built_in_command_is_listed() -> None:
    modules = {module for module, _ in BUILTIN_COMMANDS.values()}
    names = {
        str(command.name)
        for module in modules
        for command in importlib.import_module(module).COMMANDS
    }
    assert names == set(BUILTIN_COMMANDS)


def test_help_lists_every_command_without_importing_them() -> None:
    out, modules = loaded_by("--help")
    for name in BUILTIN_COMMANDS:
        assert f"\n  {name} " in out
    assert not {m for m in modules if m.startswith("repetend.cli.") and m != "repetend.cli.context"}
    for heavy in ("jinja2", "yaml", "sqlite3", "pluggy", "repetend.store", "repetend.config"):
        assert heavy not in modules


HEAVY = ("jinja2", "yaml", "sqlite3", "pluggy", "repetend.store", "repetend.patterns.lifecycle")


def test_no_command_pays_for_the_machinery_it_does_not_run_yet() -> None:
    for name in BUILTIN_COMMANDS:
        out, modules = loaded_by(name, "--help")
        assert "Example" in out, name
        assert [m for m in HEAVY if m in modules] == [], name


def test_a_command_imports_its_own_module_only() -> None:
    _, modules = loaded_by("config", "--help")
    assert "repetend.cli.core" in modules
    assert "repetend.cli.templates" not in modules
    assert "repetend.cli.watch" not in modules


def test_the_listed_summaries_are_what_click_would_show() -> None:
    context = click.Context(cli)
    for name in BUILTIN_COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None
    shown = cli.get_help(click.Context(cli, info_name="repetend"))
    for name in BUILTIN_COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None
        assert command.get_short_help_str(limit=60).split()[0] in shown
