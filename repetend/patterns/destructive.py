"""Recognise destructive work, which is never approved automatically."""

from __future__ import annotations

import re
from collections.abc import Iterable

DESTRUCTIVE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "rm -rf",
        re.compile(
            r"\brm\s+(?:-[a-zA-Z]*[rR][a-zA-Z]*f|-[a-zA-Z]*f[a-zA-Z]*[rR]|--recursive\s+--force|--force\s+--recursive)\b"
        ),
    ),
    (
        "git push --force",
        re.compile(r"\bgit\s+push\b.*(?:\s--force\b|\s-f\b|\s--force-with-lease\b|\s\+\S+)"),
    ),
    ("git reset --hard", re.compile(r"\bgit\s+reset\b.*--hard\b")),
    ("git clean -f", re.compile(r"\bgit\s+clean\b.*\s-[a-zA-Z]*f")),
    ("git branch -D", re.compile(r"\bgit\s+branch\b.*\s-D\b")),
    ("DROP TABLE/DATABASE", re.compile(r"(?i)\bdrop\s+(?:table|database|schema)\b")),
    ("TRUNCATE", re.compile(r"(?i)\btruncate\s+(?:table\s+)?\w")),
    ("DELETE without WHERE", re.compile(r"(?i)\bdelete\s+from\s+\w+\s*(?:;|$)")),
    ("mkfs/dd", re.compile(r"\b(?:mkfs(?:\.\w+)?|dd\s+if=)")),
    ("kubectl delete", re.compile(r"\bkubectl\s+delete\b")),
    ("terraform destroy", re.compile(r"\bterraform\s+destroy\b")),
    ("chmod -R 777", re.compile(r"\bchmod\s+-R\s+0?777\b")),
)
DESTRUCTIVE_TOOLS = re.compile(
    r"(?i)(?:^|[_\-.])(delete|remove|drop|destroy|purge|wipe|truncate)(?:$|[_\-.])"
)


def destructive_reason(commands: Iterable[str] = (), tools: Iterable[str] = ()) -> str:
    """Name the first destructive step among commands and tool names, or return ''."""
    for command in commands:
        for label, pattern in DESTRUCTIVE_PATTERNS:
            if pattern.search(command):
                return f"{label} in {command.strip()[:80]!r}"
    for tool in tools:
        if DESTRUCTIVE_TOOLS.search(tool):
            return f"tool {tool!r} deletes data"
    return ""
