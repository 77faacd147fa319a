"""The built-in policy for sequence candidates (the seeds' daily-analysis thresholds).

Runs before the general threshold policy (`tryfirst=True`) and answers only
for `sequence` candidates: reject a sequence with a destructive step, or below
`sequence_reject_confidence`; approve one above `sequence_approve_confidence`
with at least `sequence_approve_occurrences` occurrences and
`sequence_approve_savings` of estimated savings; leave the rest pending.
"""

from __future__ import annotations

from repetend.config import Config
from repetend.events import Candidate
from repetend.patterns.destructive import destructive_reason
from repetend.plugins import hookimpl
from repetend.plugins.types import Verdict

NAME = "sequence policy"


@hookimpl(tryfirst=True)
def repetend_classify_candidate(candidate: Candidate, config: Config) -> Verdict | None:
    """Classify a sequence candidate; None for every other kind."""
    if candidate.kind != "sequence":
        return None
    steps = [str(step) for step in candidate.spec.get("steps", [])]
    danger = destructive_reason(steps, steps)
    if candidate.destructive or danger:
        return Verdict("reject", f"a step is destructive ({danger or 'flagged at capture'})", NAME)
    score = candidate.confidence
    reject_below = float(config.sequence_reject_confidence)
    if score < reject_below:
        return Verdict("reject", f"confidence {score:.4f} < {reject_below:g}", NAME)
    missing = _missing_for_approval(candidate, config)
    if missing:
        return Verdict("pending", "not auto-approved: " + "; ".join(missing), NAME)
    return Verdict("approve", "confidence, occurrences and savings all above thresholds", NAME)


def _missing_for_approval(candidate: Candidate, config: Config) -> list[str]:
    savings = float(candidate.spec.get("estimated_savings", 0.0))
    checks = (
        (
            candidate.confidence > float(config.sequence_approve_confidence),
            f"confidence {candidate.confidence:.4f} <= {config.sequence_approve_confidence:g}",
        ),
        (
            candidate.occurrences >= int(config.sequence_approve_occurrences),
            f"{candidate.occurrences} occurrences < {config.sequence_approve_occurrences}",
        ),
        (
            savings >= float(config.sequence_approve_savings),
            f"savings {savings:,.0f} < {config.sequence_approve_savings:,.0f}",
        ),
    )
    return [message for passed, message in checks if not passed]
