"""The built-in classifier: the threshold policy from the configuration.

Destructive work is never approved automatically. A plugin that implements
`repetend_classify_candidate` with `tryfirst=True` overrides this policy.
"""

from __future__ import annotations

from repetend.config import Config
from repetend.events import Candidate
from repetend.plugins import hookimpl
from repetend.plugins.types import Verdict

NAME = "threshold policy"


@hookimpl(trylast=True)
def repetend_classify_candidate(candidate: Candidate, config: Config) -> Verdict:
    """Approve at `auto_approve_threshold`, reject below `auto_reject_threshold`, else pending."""
    approve_at = float(config.auto_approve_threshold)
    reject_below = float(config.auto_reject_threshold)
    score = candidate.confidence
    if score < reject_below:
        return Verdict(
            "reject", f"confidence {score:.2f} < auto_reject_threshold {reject_below:.2f}", NAME
        )
    if candidate.destructive:
        return Verdict("pending", "destructive work is never approved automatically", NAME)
    if score >= approve_at:
        return Verdict(
            "approve", f"confidence {score:.2f} >= auto_approve_threshold {approve_at:.2f}", NAME
        )
    return Verdict(
        "pending", f"confidence {score:.2f} < auto_approve_threshold {approve_at:.2f}", NAME
    )
