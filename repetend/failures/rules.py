"""Recovery rules as candidates (`kind: recovery`), their files, and the known-fixes index.

A rule is proposed like every other pattern: a candidate with its evidence
and confidence, classified through the classify hook (a destructive fix is
never approved automatically). Beside its reviewed spec (drafts/, approved/…)
each rule has a file of its own under `.repetend/patterns/self_heal/<id>.yaml`:
what triggers it, the fix with its variables, whether it changes the
environment, its evidence counts and status. `known.json` (see `known`) is the
index the capture points read at the moment of failure.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from repetend.config import Config
from repetend.events import Candidate
from repetend.failures.known import known_path, variables
from repetend.failures.recovery import Fix
from repetend.fileio import atomic_write
from repetend.patterns.confidence import combine, wilson_lower_bound
from repetend.patterns.destructive import destructive_reason

KIND = "recovery"
SELF_HEAL = "self_heal"
# Fixes whose effect is outside the working tree: never sandboxed silently (docs/failures.md).
_ENVIRONMENT = re.compile(
    r"(?:^|[;&|]\s*|\s)(?:sudo\s+)?(?:"
    r"(?:python\d?(?:\.\d+)?\s+-m\s+)?pip\d?\s+install|uv\s+(?:pip\s+install|add|sync)|"
    r"poetry\s+(?:add|install)|pipx\s+install|conda\s+install|mamba\s+install|"
    r"npm\s+(?:install|i|ci)|yarn\s+(?:add|install)|pnpm\s+(?:add|install)|"
    r"apt(?:-get)?\s+install|brew\s+install|gem\s+install|cargo\s+install|go\s+install|"
    r"git\s+(?:push|fetch|pull|remote|config)|docker\s+(?:pull|login)|export\s|"
    r"npx\s|curl\s|wget\s)"
)


def changes_environment(steps: list[str] | tuple[str, ...]) -> bool:
    """Whether a fix acts outside the working tree (installs, pushes, remote or config)."""
    return any(_ENVIRONMENT.search(" " + step) for step in steps)


def rule_candidate(fix: Fix, alternatives: int) -> Candidate:
    """The candidate one rule makes: trigger, fix, variables, evidence and confidence."""
    examples = len(fix.examples)
    parts = {
        "examples": round(wilson_lower_bound(examples, examples + len(fix.counters)), 4),
        "agreement": round(examples / (examples + alternatives), 4),
    }
    body = {
        "trigger": {
            "kind": fix.kind,
            "subject": fix.subject,
            "signature": fix.signature,
            "message": fix.message,
            **({"when": dict(fix.when)} if fix.when else {}),
        },
        "fix": {"mode": fix.mode, "steps": list(fix.steps)},
        "variables": dict.fromkeys(_names(fix.steps), "the failure's message or context"),
        "changes_environment": changes_environment(fix.steps),
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    reason = destructive_reason(fix.steps)
    how = "instead run" if fix.mode == "replace" else "run"
    return Candidate(
        kind=KIND,
        signature=candidate_signature(fix),
        name=f"fix: {' && '.join(fix.steps)}"[:120],
        description=(
            f"When `{fix.failing}` fails with {fix.message!r}, {how}"
            f" `{' && '.join(fix.steps)}`"
            + ("" if fix.mode == "replace" else f", then `{fix.subject or fix.failing}` again")
        ),
        confidence=combine(parts),
        confidence_parts=parts,
        evidence=fix.examples[-20:],
        spec={
            "recovery": body,
            "body_digest": digest,
            "evidence": {
                "examples": examples,
                "counter_examples": len(fix.counters),
                "alternatives": alternatives,
            },
            **({"destructive_reason": reason} if reason else {}),
        },
        occurrences=examples,
        destructive=bool(reason),
    )


def candidate_signature(fix: Fix) -> str:
    """The evidence group of a rule: its failure, mode, steps and the values it holds for."""
    text = f"{fix.signature}\x1f{fix.mode}\x1f{fix.steps}\x1f{fix.when}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _names(steps: tuple[str, ...] | list[str]) -> list[str]:
    return list(dict.fromkeys(name for step in steps for name in variables(step)))


def recovery(candidate: Candidate) -> dict[str, Any]:
    """The rule body of a recovery candidate ({} for another kind)."""
    body = candidate.spec.get("recovery")
    return body if isinstance(body, dict) else {}


def write_rule_files(config: Config, rules: list[Candidate], in_service: set[str]) -> None:
    """`self_heal/<id>.yaml` per rule, and the known-fixes index for the capture points.

    Only rules that may be suggested go in the index: draft or approved, circuit not open.
    """
    from repetend.patterns.files import dump_yaml

    folder = config.patterns_dir / SELF_HEAL
    index: list[dict[str, Any]] = []
    for rule in rules:
        body = recovery(rule)
        if not body:
            continue
        document = {
            "id": rule.id,
            "status": rule.status,
            "name": rule.name,
            "description": rule.description,
            "trigger": body["trigger"],
            "fix": body["fix"],
            "variables": body.get("variables", {}),
            "changes_environment": body.get("changes_environment", False),
            "destructive": rule.destructive,
            "confidence": rule.confidence,
            "evidence": rule.spec.get("evidence", {}),
            "spec": rule.spec_path,
        }
        _write_if_changed(folder / f"{rule.id}.yaml", dump_yaml(document))
        countered = bool(rule.spec.get("evidence", {}).get("counter_examples"))
        if _suggested(rule, in_service) and not (countered and rule.status != "approved"):
            index.append(
                {
                    "id": rule.id,
                    "status": rule.status,
                    "signature": body["trigger"]["signature"],
                    "mode": body["fix"]["mode"],
                    "steps": body["fix"]["steps"],
                    **({"when": body["trigger"]["when"]} if body["trigger"].get("when") else {}),
                }
            )
    known = read_index(config.state_dir)
    known["rules"] = index
    write_known(config.state_dir, known)
    hints = {
        (str(example.get("failed", "")), rule.id, " && ".join(recovery(rule)["fix"]["steps"]))
        for rule in rules
        if _suggested(rule, in_service)
        and recovery(rule)
        and not rule.spec.get("evidence", {}).get("counter_examples")
        for example in rule.evidence
        if isinstance(example, dict)
    }
    lines = sorted(
        "\t".join(item) + "\n" for item in hints if item[0] and not _SPECIAL.search("".join(item))
    )
    atomic_write(config.state_dir / "failures" / "shell-hints.tsv", "".join(lines), mode=0o600)


def _suggested(rule: Candidate, in_service: set[str]) -> bool:
    return rule.status in ("draft", "approved") and rule.id in in_service


_SPECIAL = re.compile(r"[\t\n\r]")


def write_known(state_dir: Path, known: dict[str, Any]) -> None:
    """Write the known-fixes index whole (0600: it holds masked error messages)."""
    atomic_write(known_path(state_dir), json.dumps(known, indent=1, sort_keys=True), mode=0o600)


def read_index(state_dir: Path) -> dict[str, Any]:
    """The known-fixes index as written last ({} when there is none)."""
    return _read_json(known_path(state_dir))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    atomic_write(path, text)
