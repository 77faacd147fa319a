"""What to automate a repeated sequence into: shell function, Makefile target, hooks.

Steps are labels (`git commit`, `Bash: pytest`, `Edit *.py`), so snippets name
the steps and leave their arguments as `…` for the person who writes the
automation.
"""

from __future__ import annotations

import re
from typing import Any

BUILD_TOOLS = {
    "make", "pytest", "tox", "nox", "npm", "pnpm", "yarn", "cargo", "go", "uv", "ruff",
    "mypy", "black", "flake8", "eslint", "prettier", "tsc", "gradle", "mvn", "docker",
    "python", "pip", "poetry", "hatch", "pre-commit",
}  # fmt: skip
AGENT_TOOL = re.compile(r"^[A-Z][A-Za-z]+(?::| \*| |$)")


def automations(labels: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every kind of automation that fits the steps, with a snippet to start from."""
    commands = [_command(label) for label in labels]
    shell = [c for c in commands if c is not None]
    found: list[dict[str, Any]] = []
    if len(shell) == len(labels):
        found.append(_shell_function(labels, shell))
        if any(c.split()[0] in BUILD_TOOLS for c in shell):
            found.append(_make_target(shell))
        if "git commit" in labels and labels.index("git commit") > 0:
            found.append(_pre_commit_hook(shell[: labels.index("git commit")]))
    if len(shell) < len(labels):
        found.append(_agent_hook(labels, commands))
    return found


def _command(label: str) -> str | None:
    """The shell command behind a step label, or None for an agent tool that is not a shell."""
    if ": " in label and AGENT_TOOL.match(label):
        return label.split(": ", 1)[1]
    if AGENT_TOOL.match(label):
        return None
    return label


def function_name(labels: tuple[str, ...]) -> str:
    """A short name from the steps' words: `git add → git commit` gives `ga-gc`."""
    parts = ["".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", label)) for label in labels]
    return "-".join(p.lower() for p in parts if p)[:24] or "repeat"


def _shell_function(labels: tuple[str, ...], shell: list[str]) -> dict[str, Any]:
    body = " && ".join(f"{c} …" if len(c.split()) < 2 else c for c in shell)
    name = function_name(labels)
    return {
        "automation": "shell function",
        "snippet": f"{name}() {{ {body}; }}",
        "why": "one word instead of the whole run, in every terminal",
    }


def _make_target(shell: list[str]) -> dict[str, Any]:
    recipe = "\n".join(f"\t{c}" for c in shell)
    return {
        "automation": "Makefile target",
        "snippet": f".PHONY: repeat\nrepeat:\n{recipe}\n",
        "why": "the build steps are shared with the team and CI",
    }


def _pre_commit_hook(before_commit: list[str]) -> dict[str, Any]:
    entry = " && ".join(before_commit)
    return {
        "automation": "pre-commit local hook",
        "snippet": (
            "- repo: local\n  hooks:\n    - id: repeat-before-commit\n"
            f"      name: {before_commit[-1]}\n      entry: sh -c '{entry}'\n"
            "      language: system\n      pass_filenames: false\n"
        ),
        "why": "these steps always come before a commit; let the commit run them",
    }


def _agent_hook(labels: tuple[str, ...], commands: list[str | None]) -> dict[str, Any]:
    trigger = labels[0].split(":")[0].split(" ")[0]
    follow = [c for c in commands[1:] if c is not None]
    command = " && ".join(follow) or "…"
    return {
        "automation": "agent hook",
        "snippet": (
            '{"hooks": {"PostToolUse": [{"matcher": "'
            + trigger
            + '", "hooks": [{"type": "command", "command": "'
            + command
            + '"}]}]}}'
        ),
        "why": f"the agent runs these after every {trigger}; a hook does it for it",
    }
