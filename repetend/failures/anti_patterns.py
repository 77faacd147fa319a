"""Anti-patterns (AUTO-005): failures that recur, with a cause, evidence and a recommendation.

A failure signature seen `anti_pattern_occurrences` (3) times within
`anti_pattern_days` (7) becomes `ANTI-PAT-NNN`; a flaky test becomes one of
kind `flaky`. Each has a name and description from its signature, its
occurrences, what it affected (tests, commands, tools, patterns), a cause
inferred from the evidence and a recommendation (the recovery rule, when one
exists). Status: `active`; `resolved` once not seen for
`anti_pattern_resolved_days` after a fix (a rule, or a success of what
failed); `ignored` by `repetend anti-patterns ignore`, kept through relearning.
Written to `.repetend/patterns/anti_patterns/registry.yaml` and one
`ANTI-PAT-NNN.md` each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from repetend.config import Config
from repetend.failures.flaky import FlakyTest
from repetend.fileio import atomic_write
from repetend.store import SQLiteStore
from repetend.store.records import AntiPatternRecord, FailureRecord

FOLDER = "anti_patterns"
CAUSES = (
    "template_too_rigid",
    "missing_dependency",
    "wrong_context",
    "verification_failed",
    "flaky",
    "environment",
)
_CAUSE_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "missing_dependency",
        re.compile(
            r"ModuleNotFoundError|ImportError|No module named|command not found|exit status 127"
            r"|Cannot find module|not installed|unresolved import|could not find",
            re.I,
        ),
        "the message names something missing",
    ),
    (
        "environment",
        re.compile(
            r"PermissionError|Permission denied|ConnectionError|ConnectionRefused|Timeout|timed out"
            r"|no upstream|Address already in use|No space left|OSError|EnvironmentError"
            r"|not set|credentials|authenticat",
            re.I,
        ),
        "the message is about the machine, the network or the settings, not the code",
    ),
    (
        "wrong_context",
        re.compile(
            r"FileNotFoundError|No such file|not a git repository|does not exist|not found"
            r"|KeyError|unknown (?:option|command)|outside",
            re.I,
        ),
        "it ran where what it needs is not (a folder, a file, a key)",
    ),
    (
        "verification_failed",
        re.compile(r"AssertionError|assert |FAILED|expected|mismatch|!=", re.I),
        "a check of the result failed",
    ),
)


def infer_cause(kind: str, message: str, detail: dict[str, Any] | None = None) -> tuple[str, str]:
    """The cause category of a failure and the evidence for it."""
    if kind == "flaky":
        return "flaky", "both outcomes on the same working-tree state"
    if kind == "pattern" and ((detail or {}).get("evidence") or {}).get("source") == "heal":
        return "verification_failed", "heals with the recovery rule did not verify"
    if kind == "pattern":
        edited = bool((detail or {}).get("evidence"))
        why = "uses of the pattern were rewritten or deleted"
        return "template_too_rigid", why + (" (edge cases kept)" if edited else "")
    for cause, pattern, why in _CAUSE_RULES:
        found = pattern.search(message)
        if found:
            return cause, f"{why}: {found.group(0)!r}"
    return "verification_failed", "the command or test did not succeed (no more specific sign)"


def build(
    failures: list[FailureRecord],
    flaky: list[FlakyTest],
    config: Config,
    now: datetime,
    existing: dict[str, AntiPatternRecord],
    recommendations: dict[str, str],
) -> list[AntiPatternRecord]:
    """The anti-patterns the evidence makes now (ids kept for signatures seen before)."""
    window = timedelta(days=int(config.anti_pattern_days))
    threshold = int(config.anti_pattern_occurrences)
    by_signature: dict[str, list[FailureRecord]] = defaultdict(list)
    for failure in failures:
        if failure.signature:
            by_signature[failure.signature].append(failure)
    records: list[AntiPatternRecord] = []
    numbers = iter(_free_numbers(existing))
    for signature, group in sorted(by_signature.items(), key=lambda item: item[1][0].created_at):
        recent = [f for f in group if f.created_at >= now - window]
        old = existing.get(signature)
        if len(_densest(recent, window)) < threshold and old is None:
            continue
        first = group[0]
        cause, why = infer_cause(first.kind, first.message, first.detail)
        affected = sorted({f.subject for f in group if f.subject})[:20]
        evidence = {
            "affected": affected,
            "cause_evidence": why,
            "recommendation": recommendations.get(signature)
            or _advice(cause, first.kind, first.subject),
            "examples": [
                {"at": f.created_at.isoformat(timespec="seconds"), "subject": f.subject}
                for f in group[-5:]
            ],
            "commands": sorted({f.command for f in group if f.command})[:10],
        }
        if old is not None and (old.evidence or {}).get("note"):
            evidence["note"] = old.evidence["note"]  # why a person ignored it
        status = _status(old, group[-1].created_at, now, config, signature in recommendations)
        records.append(
            AntiPatternRecord(
                signature=signature,
                kind=first.kind,
                description=f"{first.subject}: {first.message}"[:300],
                occurrences=len(group),
                status=status,
                first_seen=group[0].created_at,
                last_seen=group[-1].created_at,
                evidence=evidence,
                pattern_id=old.pattern_id if old and old.pattern_id else next(numbers),
                name=_name(first),
                cause=cause,
            )
        )
    for test in flaky:
        signature = f"flaky:{test.nodeid}"
        old = existing.get(signature)
        records.append(
            AntiPatternRecord(
                signature=signature,
                kind="flaky",
                description=f"{test.nodeid}: {test.summary()}"[:300],
                occurrences=test.passes + test.failures,
                status=old.status if old and old.status == "ignored" else "active",
                first_seen=test.first_seen or now,
                last_seen=test.last_seen or now,
                evidence={
                    **test.to_dict(),
                    "cause_evidence": test.summary(),
                    "recommendation": "make the test deterministic (time, order, randomness,"
                    " the network), or mark it and say why",
                },
                pattern_id=old.pattern_id if old and old.pattern_id else next(numbers),
                name=f"flaky test {test.nodeid.rsplit('::', 1)[-1]}",
                cause="flaky",
            )
        )
    return records


def _densest(group: list[FailureRecord], window: timedelta) -> list[FailureRecord]:
    best: list[FailureRecord] = []
    start = 0
    for end in range(len(group)):
        while group[end].created_at - group[start].created_at > window:
            start += 1
        if end - start + 1 > len(best):
            best = group[start : end + 1]
    return best


def _free_numbers(existing: dict[str, AntiPatternRecord]) -> list[str]:
    used = [int(r.pattern_id.rsplit("-", 1)[-1]) for r in existing.values() if r.pattern_id]
    start = max(used, default=0) + 1
    return [f"ANTI-PAT-{n:03d}" for n in range(start, start + 10000)]


def _status(
    old: AntiPatternRecord | None, last: datetime, now: datetime, config: Config, fixed: bool
) -> str:
    if old is not None and old.status == "ignored":
        return "ignored"
    quiet = now - last >= timedelta(days=int(config.anti_pattern_resolved_days))
    return "resolved" if quiet and fixed else "active"


def _name(failure: FailureRecord) -> str:
    kind = {"test": "test", "command": "command", "tool": "tool", "record": "record()"}.get(
        failure.kind, failure.kind
    )
    words = failure.message.split(":", 1)[0] if ":" in failure.message else failure.message
    return f"{kind} {failure.subject or '?'} fails: {words}"[:100]


def _advice(cause: str, kind: str, subject: str) -> str:
    return {
        "missing_dependency": "declare the dependency (requirements, lock file) so it is there",
        "environment": "fix the setting or the machine once (an upstream, a permission, a port)",
        "wrong_context": f"run {subject or 'it'} where what it needs is (folder, branch, file)",
        "template_too_rigid": "let the template vary where people edit it (its evolution report)",
        "verification_failed": "fix the code or the check; `repetend heal` once a fix recurs",
    }.get(cause, "look at the examples")


def write_registry(config: Config, records: list[AntiPatternRecord]) -> None:
    """`registry.yaml` (every anti-pattern) and one `ANTI-PAT-NNN.md` each."""
    from repetend.patterns.files import dump_yaml

    folder = config.patterns_dir / FOLDER
    entries = [_entry(r) for r in sorted(records, key=lambda r: r.pattern_id)]
    atomic_write(folder / "registry.yaml", dump_yaml({"anti_patterns": entries}))
    for record in records:
        atomic_write(folder / f"{record.pattern_id}.md", page(record))


def summary(record: AntiPatternRecord) -> dict[str, Any]:
    """What the registry and `anti-patterns list|show --json` say of every anti-pattern."""
    return {
        "id": record.pattern_id,
        "name": record.name,
        "status": record.status,
        "kind": record.kind,
        "cause": record.cause,
        "occurrences": record.occurrences,
        "first_seen": record.first_seen.isoformat(timespec="seconds"),
        "last_seen": record.last_seen.isoformat(timespec="seconds"),
        "signature": record.signature,
    }


def _entry(record: AntiPatternRecord) -> dict[str, Any]:
    evidence = record.evidence or {}
    return {
        **summary(record),
        "affected": evidence.get("affected", [record.description.split(":", 1)[0]]),
        "recommendation": evidence.get("recommendation", ""),
    }


def page(record: AntiPatternRecord) -> str:
    """The Markdown page of one anti-pattern."""
    evidence = record.evidence or {}
    affected = evidence.get("affected") or [evidence.get("nodeid", "")]
    lines = [
        f"# {record.pattern_id}: {record.name}",
        "",
        f"- status: {record.status}",
        f"- kind: {record.kind}",
        f"- occurrences: {record.occurrences}"
        f" ({record.first_seen:%Y-%m-%d} to {record.last_seen:%Y-%m-%d})",
        f"- cause: {record.cause} — {evidence.get('cause_evidence', '')}",
        f"- signature: `{record.signature}`",
        "",
        "## What fails",
        "",
        record.description,
        "",
        "## Affected",
        "",
        *[f"- `{item}`" for item in affected if item],
        "",
        "## Recommendation",
        "",
        str(evidence.get("recommendation", "")),
        "",
    ]
    return "\n".join(lines)


def existing_by_signature(store: SQLiteStore) -> dict[str, AntiPatternRecord]:
    """The anti-patterns stored already, by signature."""
    return {r.signature: r for r in store.anti_patterns()}
