"""Recovery rules from command fixes (AUTO-003): C fails with S, D runs, C succeeds.

In each session (a terminal, an agent conversation) the commands are read in
order. A failed command C with signature S, followed within
`recovery_window_minutes` by an attempt at C again (the same command, or the
same step: `git push` → `git push --set-upstream origin feat-1`) that
succeeds, is an example:

- with commands in between that succeeded, the fix is those commands (at most
  three), run before C is tried again (`before`);
- with nothing in between and a different attempt, the fix is the attempt
  itself, run instead of C (`replace`).

A fix is generalised by writing the values the failure holds (the quoted
values of its message, the branch it failed on) as `{{ name }}`. Examples of
one signature with the same generalised fix make a rule once there are
`min_recovery_examples` of them and no counter-example (the fix ran and C
failed again with S). Other fixes of the same signature lower its confidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from repetend.events import Event
from repetend.failures.evidence import command_failure

MAX_FIX_STEPS = 3
# Commands that only look (at files, at git, at the folder): never part of a fix.
_LOOKING = "ls ll la cat less more head tail echo pwd which type whoami date clear history man"
READ_ONLY = frozenset(
    f"{_LOOKING} grep rg find tree file stat wc diff env printenv df du ps".split()
)
_READ_ONLY_GIT = frozenset(("status", "diff", "log", "show", "blame", "reflog"))
LOOKAHEAD = 8  # commands after a failure searched for its retry


@dataclass(frozen=True)
class Attempt:
    """One command in a session: what ran, whether it worked, and its failure if not."""

    at: datetime
    command: str
    step: str
    success: bool
    failure: dict[str, Any] | None
    session: str
    event_id: int | None
    actor: str = "human"


@dataclass
class Fix:
    """One generalised fix of one failure signature, with its examples and counter-examples."""

    signature: str
    mode: str  # "before" (run the steps, then the command again) or "replace"
    steps: tuple[str, ...]
    subject: str = ""
    message: str = ""
    failing: str = ""  # one failing command, for the description
    examples: list[dict[str, Any]] = field(default_factory=list)
    counters: list[dict[str, Any]] = field(default_factory=list)
    kind: str = "command"
    # Values of the message the fix does not use: the rule holds only for them
    # (`No module named 'yaml'` fixed by `pip install pyyaml` is no fix for 'numpy').
    when: tuple[tuple[str, str], ...] = ()


def attempts(events: list[Event]) -> dict[str, list[Attempt]]:
    """Commands by session in the order they were stored: `run`, the shell, the agent's Bash.

    Store order, not start times: fish's clock ticks in hundredths of a second, so two quick
    commands can get start times the wrong way round; a session's events are stored in the
    order its commands ended.
    """
    sessions: dict[str, list[Attempt]] = defaultdict(list)
    for event in sorted(events, key=lambda e: (e.id is None, e.id or 0, e.created_at)):
        found = _attempt(event)
        if found is not None:
            sessions[event.session].append(found)
    return sessions


def _attempt(event: Event) -> Attempt | None:
    body = event.payload
    if event.kind == "command" and event.source in ("run", "shell"):
        command, success = str(body.get("command", "")), bool(body.get("success"))
        step = str(body.get("step", "")) or " ".join(command.split()[:1])
        failure = body.get("failure") if isinstance(body.get("failure"), dict) else None
        if not success and failure is None:
            failure = command_failure(b"", step, int(body.get("exit_status", 1)))
    elif event.kind == "tool_use" and event.tool_name == "Bash":
        tool_input = body.get("tool_input") if isinstance(body.get("tool_input"), dict) else {}
        command = str((tool_input or {}).get("command", ""))
        success = body.get("success") is not False
        step = str(body.get("step", "")).removeprefix("Bash: ") or " ".join(command.split()[:1])
        failure = body.get("failure") if isinstance(body.get("failure"), dict) else None
        if not success and failure is None:
            failure = command_failure(b"", step, 1, kind="tool")
    else:
        return None
    if not command.strip():
        return None
    return Attempt(
        event.created_at,
        command.strip(),
        step,
        success,
        failure,
        event.session,
        event.id,
        event.actor,
    )


def find_fixes(sessions: dict[str, list[Attempt]], window: timedelta) -> list[Fix]:
    """Every generalised fix seen, with its examples and counter-examples."""
    fixes: dict[tuple[str, str, tuple[str, ...], tuple[tuple[str, str], ...]], Fix] = {}
    for items in sessions.values():
        for index, failed in enumerate(items):
            if failed.success or failed.failure is None:
                continue
            found = _next_attempt(items, index, window)
            if found is None:
                continue
            between = [a for a in items[index + 1 : found] if a.success and not looks(a.command)]
            retry = items[found]
            shape = _shape(failed, between, retry)
            if shape is None:
                continue
            mode, steps = shape
            when = unused_values(failed.failure, steps)
            key = (str(failed.failure["signature"]), mode, steps, when)
            fix = fixes.get(key)
            if fix is None:
                fix = fixes[key] = Fix(
                    key[0],
                    mode,
                    steps,
                    failed.step,
                    str(failed.failure.get("message", "")),
                    failed.command,
                    kind=str(failed.failure.get("kind", "command")),
                    when=when,
                )
            evidence = _evidence(failed, between, retry)
            if retry.success:
                fix.examples.append(evidence)
            elif (retry.failure or {}).get("signature") == failed.failure["signature"]:
                fix.counters.append(evidence)
    return list(fixes.values())


def looks(command: str) -> bool:
    """Whether a command only looks (`ls`, `cat`, `git status`): it fixes nothing."""
    words = command.split()
    if not words:
        return True
    if words[0] == "git":
        return len(words) == 1 or words[1] in _READ_ONLY_GIT or words[1:] == ["branch"]
    return words[0] in READ_ONLY


def _next_attempt(items: list[Attempt], index: int, window: timedelta) -> int | None:
    failed = items[index]
    for later in range(index + 1, min(index + 1 + LOOKAHEAD, len(items))):
        attempt = items[later]
        if attempt.at - failed.at > window:
            return None
        if attempt.command == failed.command or _same_step(attempt, failed):
            return later
    return None


def _same_step(a: Attempt, b: Attempt) -> bool:
    words_a, words_b = a.command.split()[:2], b.command.split()[:2]
    return a.step == b.step and words_a == words_b and len(words_a) == 2


def _shape(
    failed: Attempt, between: list[Attempt], retry: Attempt
) -> tuple[str, tuple[str, ...]] | None:
    values = {
        **(failed.failure or {}).get("context", {}),
        **(failed.failure or {}).get("values", {}),
    }
    if between:
        return "before", tuple(generalise(a.command, values) for a in between[-MAX_FIX_STEPS:])
    if retry.command != failed.command:
        return "replace", (generalise(retry.command, values),)
    return None  # the same command passed with nothing done: transient, or flaky


def unused_values(failure: dict[str, Any], steps: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The message's values a fix does not use (the context's, such as the branch, never count)."""
    used = " ".join(steps)
    return tuple(
        sorted(
            (str(name), str(value))
            for name, value in failure.get("values", {}).items()
            if "{{ " + str(name) + " }}" not in used
        )
    )


def generalise(command: str, values: dict[str, str]) -> str:
    """`command` with each value the failure holds written as `{{ name }}` (whole words only)."""
    text = command
    for name, value in sorted(values.items(), key=lambda item: -len(str(item[1]))):
        value = str(value)
        if len(value) < 2:
            continue
        text = re.sub(rf"(?<![\w.\-/]){re.escape(value)}(?![\w\-/])", "{{ " + name + " }}", text)
    return text


def _evidence(failed: Attempt, between: list[Attempt], retry: Attempt) -> dict[str, Any]:
    return {
        "session": failed.session,
        "failed_at": failed.at.isoformat(timespec="seconds"),
        "failed": failed.command,
        "fix": [a.command for a in between] or [retry.command],
        "retry": retry.command,
        "retry_succeeded": retry.success,
        "values": dict((failed.failure or {}).get("values", {})),
        "event_ids": [failed.event_id, *(a.event_id for a in between), retry.event_id],
        "actor": failed.actor,
    }


def rules(fixes: list[Fix], min_examples: int) -> list[tuple[Fix, int]]:
    """The fixes that are rules: enough examples, no counter-example; with the alternatives.

    The second item of each pair is how many examples other fixes of the same
    signature have (they lower the rule's confidence).
    """
    by_signature: dict[str, int] = defaultdict(int)
    for fix in fixes:
        by_signature[fix.signature] += len(fix.examples)
    chosen = []
    for fix in fixes:
        if len(fix.examples) >= min_examples and not fix.counters:
            chosen.append((fix, by_signature[fix.signature] - len(fix.examples)))
    return chosen
