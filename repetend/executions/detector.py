"""The execution pattern detector: similar successful executions become a candidate.

Executions are grouped by signature digest in SQL, groups whose signatures
are similar (`similarity_threshold`) are merged, and a cluster with
`min_examples` successful executions inside `lookback_days` becomes a
candidate: invariants, variables (with types, examples and value patterns),
the tool steps, average time, and a confidence whose parts are shown.

The built-in plugin answers `repetend_detect` (the whole store) and
`repetend_execution_recorded` (one new execution: an indexed count, and a
rebuild only when its group first reaches `min_examples` and each time its
evidence doubles, so `record()` stays cheap; `repetend detect` refreshes all).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from repetend.config import Config
from repetend.events import Candidate, Execution, utcnow
from repetend.executions.variables import infer_variables
from repetend.patterns.confidence import combine, wilson_lower_bound
from repetend.patterns.destructive import destructive_reason
from repetend.plugins import hookimpl
from repetend.shapes import ExecutionSignature
from repetend.store.base import Store

KIND = "execution"
MAX_EXAMPLES = 200  # executions read per cluster to infer variables; counts come from SQL


@dataclass
class Cluster:
    """Signature groups similar enough to be one pattern; the leader has the most successes."""

    leader: str
    signatures: dict[str, ExecutionSignature] = field(default_factory=dict)
    successes: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    seen: list[datetime] = field(default_factory=list)

    @property
    def success_count(self) -> int:
        """Successful executions across the cluster."""
        return sum(self.successes.values())


class ExecutionDetector:
    """Finds repeated executions in a store and turns them into candidates."""

    def __init__(self, store: Store, config: Config, now: datetime | None = None) -> None:
        self.store = store
        self.config = config
        self.since = (now or utcnow()) - timedelta(days=int(config.lookback_days))
        self.min_examples = int(config.min_examples)
        self.threshold = float(config.similarity_threshold)
        self._members: dict[str, str] | None = None

    def detect(self) -> list[Candidate]:
        """Candidates for every cluster in the look-back window with enough successes."""
        clusters = self.clusters(kind=None)
        return [self.candidate(c) for c in clusters if c.success_count >= self.min_examples]

    def on_execution(self, execution: Execution) -> list[Candidate]:
        """The candidate this execution completes or grows, at the counts where one is due."""
        if not execution.success:
            return []
        count = self.store.successes_since(execution.signature, self.since.date())
        if not _refresh_due(count, self.min_examples):
            return []
        for cluster in self.clusters(kind=execution.kind):
            if execution.signature in cluster.signatures:
                due = cluster.success_count >= self.min_examples
                return [self.candidate(cluster)] if due else []
        return []

    def clusters(self, kind: str | None) -> list[Cluster]:
        """Merge signature groups (of one kind, or all) whose signatures are alike."""
        groups = self.store.signature_groups(since=self.since, success=None)
        if kind is not None:
            groups = [g for g in groups if g.kind == kind]
        by_digest = {g.signature: g for g in groups}
        successes = {g.signature: g.successes for g in groups}
        totals = {g.signature: g.count for g in groups}
        shapes = self.store.signature_shapes(totals)
        signatures = {d: ExecutionSignature.from_dict(shapes[d]) for d in totals if d in shapes}
        order = sorted(signatures, key=lambda d: (-successes.get(d, 0), d))
        clusters: list[Cluster] = []
        for digest in order:
            home = next((c for c in clusters if self._joins(signatures[digest], c)), None)
            if home is None:
                home = Cluster(digest)
                clusters.append(home)
            home.signatures[digest] = signatures[digest]
            home.successes[digest] = successes.get(digest, 0)
            home.totals[digest] = totals[digest]
            home.seen += [by_digest[digest].first_seen, by_digest[digest].last_seen]
        return clusters

    def _joins(self, signature: ExecutionSignature, cluster: Cluster) -> bool:
        leader = cluster.signatures[cluster.leader]
        return signature.similarity(leader) >= self.threshold

    def candidate(self, cluster: Cluster) -> Candidate:
        """Build the candidate for one cluster from its evidence."""
        examples = self._examples(cluster)
        leader = cluster.signatures[cluster.leader]
        total = sum(cluster.totals.values())
        successes = cluster.success_count
        inputs = infer_variables([e.inputs for e in examples])
        outputs = infer_variables([e.outputs for e in examples])
        similarity = _mean_similarity(cluster)
        completeness = inputs.completeness
        success_rate = successes / total if total else 0.0
        lower = wilson_lower_bound(successes, total)
        parts = {
            "similarity": round(similarity, 4),
            "success_rate": round(success_rate, 4),
            "sample_size": round(lower / success_rate, 4) if success_rate else 0.0,
            "completeness": round(completeness, 4),
        }
        steps = _most_common_tools(examples)
        commands = [str(v) for e in examples for v in e.inputs.values() if isinstance(v, str)]
        reason = destructive_reason(commands[:50], steps)
        identity = self._identity(cluster)
        names = ", ".join(inputs.variables) or "no varying inputs"
        spec = {
            "signature": leader.to_dict(),
            "signatures": sorted(cluster.signatures),
            "invariants": inputs.invariants,
            "variables": inputs.variables,
            "outputs": {"invariants": outputs.invariants, "variables": outputs.variables},
            "steps": steps,
            "average_duration_ms": round(sum(e.duration_ms for e in examples) / len(examples), 3),
            "evidence": {
                "executions": [e.id for e in examples[-20:]],
                "successes": successes,
                "failures": total - successes,
                "first_seen": min(cluster.seen).isoformat(timespec="seconds"),
                "last_seen": max(cluster.seen).isoformat(timespec="seconds"),
                "lookback_days": int(self.config.lookback_days),
            },
        }
        if reason:
            spec["destructive_reason"] = reason
        spec["body_digest"] = _digest({k: v for k, v in spec.items() if k != "evidence"})
        return Candidate(
            kind=KIND,
            signature=identity,
            name=f"{leader.kind} ({names})",
            description=_describe(leader, inputs.variables, inputs.invariants, successes),
            confidence=combine(parts),
            confidence_parts=parts,
            evidence=[e.id for e in examples[-20:]],
            spec=spec,
            occurrences=successes,
            destructive=bool(reason),
        )

    def _examples(self, cluster: Cluster) -> list[Execution]:
        return list(
            self.store.executions(
                since=self.since, signatures=cluster.signatures, success=True, latest=MAX_EXAMPLES
            )
        )

    def _identity(self, cluster: Cluster) -> str:
        """Reuse the signature of a stored candidate that shares a member, else the leader's."""
        if self._members is None:
            self._members = {
                member: stored.signature
                for stored in self.store.candidates(kind=KIND)
                for member in stored.spec.get("signatures", [stored.signature])
            }
        for digest in sorted(cluster.signatures):
            if digest in self._members:
                return self._members[digest]
        return cluster.leader


def _refresh_due(count: int, minimum: int) -> bool:
    """True at `minimum`, then each time the evidence doubles (3, 6, 12, 24, …)."""
    if count < minimum:
        return False
    ratio, remainder = divmod(count, minimum)
    return remainder == 0 and ratio & (ratio - 1) == 0


def _mean_similarity(cluster: Cluster) -> float:
    leader = cluster.signatures[cluster.leader]
    weights = cluster.totals
    total = sum(weights.values()) or 1
    return sum(leader.similarity(s) * weights[d] for d, s in cluster.signatures.items()) / total


def _most_common_tools(examples: list[Execution]) -> list[str]:
    sequences = Counter(tuple(e.tools) for e in examples)
    return list(sequences.most_common(1)[0][0]) if sequences else []


def _describe(
    leader: ExecutionSignature,
    variables: Mapping[str, object],
    invariants: Mapping[str, object],
    n: int,
) -> str:
    varying = ", ".join(variables) or "nothing"
    fixed = ", ".join(invariants) or "nothing"
    return f"{leader.kind} done {n} times the same way: {varying} varied; {fixed} stayed the same."


def _digest(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@hookimpl
def repetend_detect(store: Store, config: Config) -> list[Candidate]:
    """Propose a candidate for every cluster of similar executions."""
    return ExecutionDetector(store, config).detect()


@hookimpl
def repetend_execution_recorded(
    execution: Execution, store: Store, config: Config
) -> list[Candidate]:
    """Propose or refresh the candidate this execution completes, when one is due."""
    return ExecutionDetector(store, config).on_execution(execution)
