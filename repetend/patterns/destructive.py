"""Recognise destructive work, which is never approved automatically."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# Compiled on first use: the plugins that import this module load in every git hook.
_DESTRUCTIVE_SOURCES: tuple[tuple[str, str], ...] = (
    (
        "rm -rf",
        r"\brm\s+(?:-[a-zA-Z]*[rR][a-zA-Z]*f|-[a-zA-Z]*f[a-zA-Z]*[rR]|--recursive\s+--force|--force\s+--recursive)\b",
    ),
    (
        "git push --force",
        r"\bgit\s+push\b.*(?:\s--force\b|\s-f\b|\s--force-with-lease\b|\s\+\S+)",
    ),
    ("git reset --hard", r"\bgit\s+reset\b.*--hard\b"),
    ("git clean -f", r"\bgit\s+clean\b.*\s-[a-zA-Z]*f"),
    ("git branch -D", r"\bgit\s+branch\b.*\s-D\b"),
    ("DROP TABLE/DATABASE", r"(?i)\bdrop\s+(?:table|database|schema)\b"),
    ("TRUNCATE", r"(?i)\btruncate\s+(?:table\s+)?\w"),
    ("DELETE without WHERE", r"(?i)\bdelete\s+from\s+\w+\s*(?:;|$)"),
    ("mkfs/dd", r"\b(?:mkfs(?:\.\w+)?|dd\s+if=)"),
    ("kubectl delete", r"\bkubectl\s+delete\b"),
    ("terraform destroy", r"\bterraform\s+destroy\b"),
    ("chmod -R 777", r"\bchmod\s+-R\s+0?777\b"),
)
_DESTRUCTIVE_TOOLS = r"(?i)(?:^|[_\-.])(delete|remove|drop|destroy|purge|wipe|truncate)(?:$|[_\-.])"


@functools.cache
def destructive_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each destructive command pattern with its label."""
    return tuple((label, re.compile(source)) for label, source in _DESTRUCTIVE_SOURCES)


@functools.cache
def destructive_tools() -> re.Pattern[str]:
    """The pattern of tool names that delete data."""
    return re.compile(_DESTRUCTIVE_TOOLS)


def destructive_reason(commands: Iterable[str] = (), tools: Iterable[str] = ()) -> str:
    """Name the first destructive step among commands and tool names, or return ''."""
    for command in commands:
        for label, pattern in destructive_patterns():
            if pattern.search(command):
                return f"{label} in {command.strip()[:80]!r}"
    for tool in tools:
        if destructive_tools().search(tool):
            return f"tool {tool!r} deletes data"
    return ""
