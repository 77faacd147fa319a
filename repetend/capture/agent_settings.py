"""`repetend ingest claude-code --install`: merge the agent hooks into a Claude Code settings file.

The merge keeps everything already there: other keys, other hooks, even other
handlers in the same matcher group. A handler of ours (one that runs
`repetend.capture.agent` or `repetend ingest claude-code`) is replaced where it
stands, so running it again changes nothing. The file is written whole through
a rename; a file that is not a JSON object (or whose `hooks` is not one) is a
one-line error naming it, and nothing is written.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repetend.capture.agent import hooks_config
from repetend.errors import ConfigError
from repetend.fileio import atomic_write
from repetend.launch import portable_command

AGENT_MODULE = "repetend.capture.agent"
SETTINGS = Path(".claude") / "settings.json"


def agent_command(*, shared: bool) -> str:
    """The hook command: the interpreter is found when it runs (`repetend` on PATH).

    A file others read (`shared`: the project's settings, which teams commit) names no
    path of this machine; otherwise this interpreter is the fallback when none is on PATH.
    """
    return portable_command("" if shared else sys.executable, AGENT_MODULE)


def settings_path(root: Path, *, user: bool) -> Path:
    """The project's `.claude/settings.json`, or the user's `~/.claude/settings.json`."""
    return (Path.home() if user else root) / SETTINGS


@dataclass(frozen=True)
class Installed:
    """What `install` did to one settings file."""

    path: Path
    added: list[str]  # events that had no handler of ours
    updated: list[str]  # events whose handler of ours was rewritten
    changed: bool


def install(path: Path, command: str) -> Installed:
    """Merge the hooks that run `command` into the settings file at `path` (made if missing)."""
    text = _read(path)
    settings = _parse(path, text) if text is not None else {}
    hooks = settings.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise ConfigError(f"{path}: `hooks` is {_a(hooks)}, expected an object; nothing changed")
    added: list[str] = []
    updated: list[str] = []
    for event, groups in hooks_config(command)["hooks"].items():
        current = hooks.setdefault(event, [])
        if not isinstance(current, list):
            raise ConfigError(
                f"{path}: `hooks.{event}` is {_a(current)}, expected a list; nothing changed"
            )
        state = _merge(current, groups[0])
        (added if state == "added" else updated if state == "updated" else []).append(event)
    new_text = json.dumps(settings, indent=2, ensure_ascii=False) + "\n"
    changed = new_text != text
    if changed:
        atomic_write(path, new_text, mode=_mode(path))
    return Installed(path, added, updated, changed)


def _merge(groups: list[Any], ours: dict[str, Any]) -> str:
    """Put our handler into an event's groups; return `added`, `updated` or `same`."""
    handler = ours["hooks"][0]
    found = False
    state = "same"
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("hooks"), list):
            continue
        kept = []
        for entry in group["hooks"]:
            if not _is_ours(entry):
                kept.append(entry)
            elif not found:  # the first one of ours stays where it is, rewritten
                found = True
                state = "same" if entry == handler else "updated"
                kept.append(handler)
            else:
                state = "updated"  # a second copy of ours: dropped
        group["hooks"] = kept  # a matcher the user narrowed (say to "Bash") is theirs to keep
    groups[:] = [g for g in groups if not (isinstance(g, dict) and g.get("hooks") == [])]
    if not found:
        groups.append(ours)
        return "added"
    return state


def _is_ours(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    command = entry.get("command")
    return isinstance(command, str) and (
        AGENT_MODULE in command or command.strip().startswith("repetend ingest claude-code")
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({error}); nothing changed") from None


def _parse(path: Path, text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); nothing changed"
        ) from None
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: {_a(settings)}, expected a JSON object; nothing changed")
    return settings


def _a(value: Any) -> str:
    """`an object`, `a list`, … for a JSON value."""
    kind = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return kind.get(type(value), "a number" if isinstance(value, (int, float)) else "null")


def _mode(path: Path) -> int:
    """The file's own mode, or what a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
