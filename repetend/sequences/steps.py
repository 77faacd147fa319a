"""Step labels: the name one command or tool use gets in a sequence.

Sequences are mined over labels, not raw text, so `git commit -m "fix"` and
`git commit -m "typo"` are the same step. A label is the program and its
leading sub-command words (`git commit`, `make test`, `npm run build`), stopping
at the first option, path or value. Destructive work keeps its own label
(`git push --force`, `rm -rf`) so that it never hides inside a harmless one.
Every capture point (`repetend run`, the shell integration, agent hooks,
JSONL ingestion) labels its events here, at capture time.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from repetend.patterns.destructive import destructive_patterns, destructive_tools

MAX_WORDS = 3
_PLAIN_WORD = re.compile(r"^[A-Za-z][\w:.+@-]*$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_WRAPPERS = {"sudo", "time", "nice", "command", "exec", "env"}


def destructive_label(command: str) -> str:
    """The label of the first destructive pattern `command` matches, or ''."""
    for label, pattern in destructive_patterns():
        if pattern.search(command):
            return label
    return ""


def command_step(command: str) -> str:
    """The step label of a shell command line (`git commit -m x` → `git commit`)."""
    label = destructive_label(command)
    if label:
        return label
    words = _words(command)
    while words and (_ASSIGNMENT.match(words[0]) or words[0] in _WRAPPERS):
        words = words[1:]
    if not words:
        return command.strip()[:40]
    kept = [PurePath(words[0]).name or words[0]]
    for word in words[1:MAX_WORDS]:
        if not _PLAIN_WORD.match(word):
            break
        kept.append(word)
    return " ".join(kept)


def tool_step(tool_name: str, tool_input: Mapping[str, Any] | None = None) -> str:
    """The step label of an agent tool use: `Bash: pytest`, `Edit *.py`, `WebSearch`."""
    given = tool_input or {}
    command = given.get("command")
    if isinstance(command, str) and command.strip():
        return f"{tool_name}: {command_step(command)}"
    path = next((given[k] for k in ("file_path", "path") if isinstance(given.get(k), str)), "")
    if path:
        suffix = PurePath(path).suffix
        return f"{tool_name} *{suffix}" if suffix else f"{tool_name} {PurePath(path).name}"
    return tool_name


def is_destructive(command: str = "", tool_name: str = "") -> bool:
    """Whether a command line or a tool name deletes or overwrites work."""
    return bool(destructive_label(command)) or bool(
        tool_name and destructive_tools().search(tool_name)
    )


def _words(command: str) -> list[str]:
    first_line = command.strip().splitlines()[0] if command.strip() else ""
    try:
        return shlex.split(first_line)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return first_line.split()
