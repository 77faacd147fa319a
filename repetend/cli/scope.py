"""`--user`, `--machine`, `--remote`, `--branch`: one person's view of a (team) store."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from repetend.team.scope import Scope

F = TypeVar("F", bound=Callable[..., Any])

SCOPE_HELP = {
    "user": "Only this person's events and uses (`me`: yours); names or their digests match.",
    "machine": "Only this machine's (`me`: this one).",
    "remote": "Only events and uses in repositories with this remote.",
    "branch": "Only events and uses on this branch.",
}


def scope_options(command: F) -> F:
    """Add the four filters of one person's view to a command (as `scope_user`, …)."""
    for name in reversed(SCOPE_HELP):
        command = click.option(
            f"--{name}", f"scope_{name}", default="", metavar="NAME", help=SCOPE_HELP[name]
        )(command)
    return command


def scope_from(user: str, machine: str, remote: str, branch: str) -> Scope:
    """The `Scope` the options give (every one empty: the team's view)."""
    from repetend.team.scope import Scope

    return Scope(user, machine, remote, branch)
