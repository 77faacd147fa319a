"""The daily sequence analysis (the seeds' analyze_daily_patterns).

Read the steps of the last `hours`, mine repeated sequences, turn each into a
`sequence` candidate with its evidence, confidence, estimated savings and the
automations it suggests, then classify, store and write them through the
pattern lifecycle (or, dry, only classify). A sequence seen before updates its
pattern: occurrences are kept per session in `sequence_occurrences`, so
analysing an overlapping window again never counts an occurrence twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pluggy

from repetend.config import Config
from repetend.events import Candidate, utcnow
from repetend.patterns.lifecycle import REVIEWED, STATUS_OF, Proposal, classify, propose
from repetend.plugins.types import Verdict
from repetend.sequences.log import StepLog, load_steps
from repetend.sequences.miner import MAX_GAP, SequenceEvidence, SequenceMiner
from repetend.sequences.suggestions import automations
from repetend.store.records import Who
from repetend.store.rows import to_text
from repetend.store.sqlite import SQLiteStore

KIND = "sequence"
MAX_EVIDENCE = 10


@dataclass
class Finding:
    """One analysed sequence: its candidate and what the policy decided."""

    candidate: Candidate
    verdict: Verdict | None
    created: bool
    seconds_per_run: float
    savings: float


@dataclass
class Analysis:
    """What one run of the analysis saw and did."""

    hours: float
    events: int
    sessions: int
    steps: int
    dry_run: bool
    findings: list[Finding] = field(default_factory=list)

    def count(self, status: str) -> int:
        """Findings whose candidate ended with `status`."""
        return sum(f.candidate.status == status for f in self.findings)


def analyze(
    store: SQLiteStore,
    config: Config,
    manager: pluggy.PluginManager,
    *,
    hours: float,
    min_occurrences: int,
    dry_run: bool = False,
    progress: Callable[[str], None] = lambda message: None,
    who: Who | None = None,
) -> Analysis:
    """Mine the window, then propose (or, with `dry_run`, only classify) every sequence.

    `who` limits the events read to one person's (or machine's, remote's, branch's).
    """
    progress(f"reading the steps of the last {hours:g} h")
    log = load_steps(store, utcnow() - timedelta(hours=hours), who)
    result = Analysis(hours, log.events, len(log.sessions), len(log.labels), dry_run)
    progress(f"mining {log.events} steps in {len(log.sessions)} sessions")
    found = SequenceMiner(log, min_occurrences).mine(int(config.sequence_max_candidates))
    progress(f"evaluating {len(found)} repeated sequences")
    candidates = [_candidate(e, log, store, config, hours, dry_run) for e in found]
    if dry_run:
        result.findings = [_dry_finding(c, store, config, manager) for c in candidates]
    else:
        result.findings = [_finding(p) for p in propose(candidates, store, config, manager)]
    return result


def signature(evidence: SequenceEvidence) -> str:
    """The identity of a sequence pattern: its shape and its step labels."""
    text = ("gapped\x1e" if evidence.gapped else "run\x1e") + "\x1f".join(evidence.labels)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _candidate(
    evidence: SequenceEvidence,
    log: StepLog,
    store: SQLiteStore,
    config: Config,
    hours: float,
    dry_run: bool,
) -> Candidate:
    digest = signature(evidence)
    total = occurrences_so_far(store, digest, evidence.session_names, write=not dry_run)
    seconds, measured = _seconds_per_run(evidence, log, float(config.seconds_per_step))
    savings = round(total * seconds / 3600 * float(config.hourly_rate), 2)
    name = (" … " if evidence.gapped else " → ").join(evidence.labels)
    return Candidate(
        kind=KIND,
        signature=digest,
        name=name,
        confidence=evidence.confidence,
        confidence_parts={"association": evidence.confidence},
        evidence=_evidence(evidence),
        spec={
            **_spec(evidence, hours),
            "seconds_per_run": round(seconds, 3),
            "measured_steps": measured,
            "estimated_savings": savings,
            "body_digest": digest,
        },
        description=(
            f"{name}: {total} occurrences, about {seconds:.0f} s each,"
            f" estimated savings {savings:,.2f}"
        ),
        occurrences=total,
        destructive=any(log.index[label] in log.destructive for label in evidence.labels),
    )


def _spec(evidence: SequenceEvidence, hours: float) -> dict[str, object]:
    return {
        "steps": list(evidence.labels),
        "gapped": evidence.gapped,
        "max_gap": MAX_GAP if evidence.gapped else 0,
        "occurrences_in_window": evidence.occurrences,
        "sessions_in_window": len(evidence.sessions),
        "window_hours": hours,
        "first_step_count": evidence.first_step_count,
        "null_probability": evidence.null_probability,
        "tests": evidence.tests,
        "suggestions": automations(evidence.labels),
    }


def _seconds_per_run(
    evidence: SequenceEvidence, log: StepLog, fallback: float
) -> tuple[float, int]:
    measured = [log.seconds(step, fallback) for step in evidence.steps]
    return sum(seconds for seconds, _ in measured), sum(known for _, known in measured)


def _evidence(evidence: SequenceEvidence) -> list[dict[str, object]]:
    busiest = sorted(evidence.session_names.items(), key=lambda item: -item[1])
    return [{"session": name, "occurrences": n} for name, n in busiest[:MAX_EVIDENCE]]


def occurrences_so_far(
    store: SQLiteStore, digest: str, sessions: dict[str, int], *, write: bool
) -> int:
    """Occurrences of a sequence over every analysis, each session counted once."""
    rows = store.query(
        "SELECT session, occurrences FROM sequence_occurrences WHERE signature = ?", (digest,)
    )
    known = {row[0]: int(row[1]) for row in rows}
    merged = {**known, **{s: max(n, known.get(s, 0)) for s, n in sessions.items()}}
    if write:
        now = to_text(utcnow())
        with store.transaction() as db:
            db.executemany(
                "INSERT INTO sequence_occurrences (signature, session, occurrences, last_seen)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (signature, session) DO UPDATE SET"
                " occurrences = MAX(occurrences, excluded.occurrences),"
                " last_seen = excluded.last_seen",
                [(digest, s, n, now) for s, n in sessions.items()],
            )
    return sum(merged.values())


def _finding(proposal: Proposal) -> Finding:
    spec = proposal.candidate.spec
    return Finding(
        proposal.candidate,
        proposal.verdict,
        proposal.created,
        float(spec["seconds_per_run"]),
        float(spec["estimated_savings"]),
    )


def _dry_finding(
    candidate: Candidate, store: SQLiteStore, config: Config, manager: pluggy.PluginManager
) -> Finding:
    existing = store.find_candidate(candidate.kind, candidate.signature)
    verdict: Verdict | None = None
    if existing is not None and existing.status in REVIEWED:
        candidate.status = existing.status  # a reviewed pattern keeps its status
    else:
        verdict = classify(candidate, config, manager)
        candidate.status = STATUS_OF[verdict.decision]
    if existing is not None:
        candidate.id = existing.id
    spec = candidate.spec
    return Finding(
        candidate,
        verdict,
        existing is None,
        float(spec["seconds_per_run"]),
        float(spec["estimated_savings"]),
    )
