"""Heal one failure: find its rules, try the fix in a sandbox, verify, bring back or roll back.

Every heal is a use of the rule (`uses.record.record`): a verified fix is a
success, a fix that did not verify a failure, so the circuit breaker and the
quarantine act on recovery rules as on templates. A fix that changes the
environment (an install, a push) cannot be sandboxed: it runs in the working
tree only after confirmation, and the plan says so before anything runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from repetend.config import Config
from repetend.errors import NotFoundError, UsageError
from repetend.events import Candidate
from repetend.failures.evidence import shape_of_test_error
from repetend.failures.known import render, variables
from repetend.failures.rules import changes_environment, recovery
from repetend.failures.test_fixes import parse_edit
from repetend.heal.sandbox import Sandbox, SandboxError
from repetend.patterns.semver import semver
from repetend.store import SQLiteStore
from repetend.store.base import PatternUse
from repetend.store.records import FailureRecord


@dataclass
class Plan:
    """What a heal will do: the rule, the fix with its values filled in, and where it runs."""

    rule: Candidate
    failure: FailureRecord
    mode: str
    steps: list[str]
    environment: bool
    verify: str

    def lines(self) -> list[str]:
        """The plan as the person confirming it reads it."""
        body = recovery(self.rule)
        evidence = self.rule.spec.get("evidence", {})
        out = [
            f"{self.rule.id} ({self.rule.status}, confidence {self.rule.confidence:.2f},"
            f" {evidence.get('examples', self.rule.occurrences)} example(s),"
            f" {evidence.get('counter_examples', 0)} counter-example(s))",
            f"  failure: {self.failure.subject}: {body.get('trigger', {}).get('message', '')}",
        ]
        for step in self.steps:
            out.append(f"  fix: {step}" if self.mode != "patch" else f"  fix: {_edit_line(step)}")
        if self.environment:
            out.append(
                "  this fix changes the environment: it runs in the working tree, not the"
                " sandbox, and is not undone if verification fails"
            )
        out.append(f"  verify in a git worktree sandbox: {self.verify}")
        return out


@dataclass
class Result:
    """How a heal went."""

    rule: str
    verified: bool
    brought_back: bool
    reason: str
    output: str = ""
    ran: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return dict(vars(self))


def latest_failure(
    store: SQLiteStore, test_id: str | None = None, command: str | None = None
) -> FailureRecord:
    """The latest recorded failure (of one test, or of one command line)."""
    for failure in reversed(store.failures(latest=500)):
        if test_id is not None and not (failure.kind == "test" and failure.subject == test_id):
            continue
        if command is not None and " ".join(failure.command.split()) != " ".join(command.split()):
            continue
        return failure
    what = f"test {test_id}" if test_id else f"command {command!r}" if command else "anything"
    raise NotFoundError(f"no recorded failure of {what} (run it with `repetend run --` or pytest)")


def rules_for(store: SQLiteStore, failure: FailureRecord) -> list[Candidate]:
    """Recovery rules whose trigger is this failure, approved first, then by confidence."""
    signature, values = failure.signature, failure.values
    if failure.kind == "test":
        shape = shape_of_test_error(failure.detail.get("error") or {})
        signature, values = str(shape["signature"]), dict(shape["values"])
    found = [
        c
        for c in store.candidates(kind="recovery")
        if recovery(c).get("trigger", {}).get("signature") == signature
        and c.status in ("draft", "approved")
        and (c.status == "approved" or not c.spec.get("evidence", {}).get("counter_examples"))
        and all(values.get(k) == v for k, v in recovery(c)["trigger"].get("when", {}).items())
    ]
    return sorted(
        found,
        key=lambda c: (
            c.status != "approved",
            -len(recovery(c)["trigger"].get("when", {})),  # the rule for this very value first
            -c.confidence,
        ),
    )


def plan(rule: Candidate, failure: FailureRecord) -> Plan:
    """The fix with the failure's values filled in; raises when one cannot be filled."""
    body = recovery(rule)
    fix = body.get("fix", {})
    steps = [str(step) for step in fix.get("steps", [])]
    values = failure.values
    if failure.kind == "test":
        values = dict(shape_of_test_error(failure.detail.get("error") or {})["values"])
    missing = [n for step in steps for n in variables(step) if n not in values]
    if missing:
        raise UsageError(
            f"{rule.id}: no value for {', '.join(sorted(set(missing)))} in this failure"
        )
    rendered = [render(step, values) for step in steps]
    mode = str(fix.get("mode", "before"))
    if failure.kind == "test":
        verify = f"python -m pytest {failure.subject}"
    elif mode == "replace":
        verify = rendered[-1]
    else:
        verify = failure.command
    return Plan(rule, failure, mode, rendered, changes_environment(rendered), verify)


def heal(
    store: SQLiteStore,
    config: Config,
    manager: pluggy.PluginManager,
    chosen: Plan,
    say: Callable[[str], None],
    actor: str = "human",
) -> Result:
    """Try the plan in a sandbox; bring the change back only when verified; record the use."""
    try:
        sandbox = Sandbox(config.root)
    except SandboxError as error:
        raise UsageError(f"{chosen.rule.id}: not applied: {error}") from error
    try:
        result = _try(sandbox, chosen, config, say)
    finally:
        sandbox.close()
    _record(store, config, manager, chosen, result, actor)
    return result


def _try(sandbox: Sandbox, chosen: Plan, config: Config, say: Callable[[str], None]) -> Result:
    timeout = float(config.heal_timeout)
    folder = Path(str(chosen.failure.detail.get("cwd") or config.root))
    where = sandbox.inside(folder)
    ran: list[str] = []
    if chosen.mode == "patch":
        for step in chosen.steps:
            problem = _edit(sandbox.path, step)
            if problem:
                return Result(chosen.rule.id, False, False, problem, ran=ran)
            ran.append(_edit_line(step))
        status, output = sandbox.run(_pytest(chosen.failure.subject), sandbox.path, timeout)
    else:
        for step in chosen.steps:
            cwd = folder if chosen.environment else where
            say(
                f"running {step!r} in {'the working tree' if chosen.environment else 'the sandbox'}"
            )
            status, output = sandbox.run(step, cwd, timeout)
            ran.append(step)
            if status != 0:
                reason = f"the fix {step!r} failed (exit status {status})"
                return Result(chosen.rule.id, False, False, reason, output, ran)
        if chosen.mode != "replace":
            say(f"verifying: {chosen.verify!r} in the sandbox")
            status, output = sandbox.run(chosen.verify, where, timeout)
    if status != 0:
        reason = f"verification failed: {chosen.verify!r} exited {status}; nothing was brought back"
        return Result(chosen.rule.id, False, False, reason, output, ran)
    patch = sandbox.change()
    if patch:
        try:
            sandbox.bring_back(patch)
        except SandboxError as error:
            return Result(chosen.rule.id, True, False, f"verified, but {error}", output, ran)
    reason = "verified; the change is in the working tree" if patch else "verified"
    return Result(chosen.rule.id, True, bool(patch), reason, output, ran)


def _pytest(nodeid: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:repetend",
        "-p",
        "no:cacheprovider",
        nodeid,
    ]


def _edit(tree: Path, step: str) -> str:
    """Apply one edit in the sandbox; the reason it does not fit, or ''."""
    path, old, new = parse_edit(step)
    target = tree / path
    if not target.resolve().is_relative_to(tree.resolve()):
        return f"the rule's edit names {path!r}, outside the repository"
    try:
        text = target.read_text(encoding="utf-8")
    except OSError:
        return f"the rule's edit names {path!r}, which is not there"
    framed = f"\n{text}\n"
    if f"\n{old}\n" not in framed:  # whole lines only
        return f"the rule's edit does not fit {path}: the lines it replaces are not there"
    changed = framed.replace(f"\n{old}\n", f"\n{new}\n", 1)[1:-1]
    target.write_text(changed, encoding="utf-8")
    return ""


def _edit_line(step: str) -> str:
    path, old, new = parse_edit(step)
    return f"in {path}: {old.strip()!r} → {new.strip()!r}"


def _record(
    store: SQLiteStore,
    config: Config,
    manager: pluggy.PluginManager,
    chosen: Plan,
    result: Result,
    actor: str,
) -> None:
    from repetend.uses.record import record

    outcome = (
        "success"
        if result.verified and (result.brought_back or chosen.mode != "patch")
        else ("failure")
    )
    seconds = float(config.seconds_per_step) * max(len(chosen.steps), 1)
    use = PatternUse(
        pattern_id=chosen.rule.id,
        outcome=outcome,
        version=semver(chosen.rule.spec.get("version")),
        actor=actor,
        seconds_saved=seconds if outcome == "success" else 0.0,
        evidence={
            "source": "heal",
            "failure": chosen.failure.signature,
            "subject": chosen.failure.subject,
            "steps": chosen.steps,
            "verified": result.verified,
            "brought_back": result.brought_back,
            "reason": result.reason,
            "seconds_source": "fallback",
        },
    )
    record(store, config, manager, use)
