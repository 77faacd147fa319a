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
    """Approve at `auto_approve_threshold`, reject below `auto_reject_threshold`, else pending.

    A file template with a yield under 20% is rejected as low value; one is
    approved only if it also reproduced at least 90% of its held-out members
    and its family is more than one-line files or copies of one text.
    """
    approve_at = float(config.auto_approve_threshold)
    reject_below = float(config.auto_reject_threshold)
    score = candidate.confidence
    if score < reject_below:
        return Verdict(
            "reject", f"confidence {score:.2f} < auto_reject_threshold {reject_below:.2f}", NAME
        )
    if candidate.destructive:
        return Verdict("pending", "destructive work is never approved automatically", NAME)
    low_value = _low_value(candidate)
    if low_value:
        return Verdict("reject", low_value, NAME)
    held = _held_out_short(candidate) or _trivial(candidate)
    if score >= approve_at and held:
        return Verdict("pending", held, NAME)
    if score >= approve_at:
        return Verdict(
            "approve", f"confidence {score:.2f} >= auto_approve_threshold {approve_at:.2f}", NAME
        )
    return Verdict(
        "pending", f"confidence {score:.2f} < auto_approve_threshold {approve_at:.2f}", NAME
    )


FILE_TEMPLATE = "file-template"
MIN_YIELD = 0.2  # a file template that writes less of a file than this is not worth a review
MIN_HELD_OUT = 0.9  # held-out members reproduced exactly, for a file template to be approved


def _low_value(candidate: Candidate) -> str:
    """Why a file template is low value (it writes under 20% of a member), or ""."""
    found = candidate.confidence_parts.get("yield")
    if candidate.kind != FILE_TEMPLATE or found is None or found >= MIN_YIELD:
        return ""
    return f"low value: the template writes {found:.0%} of a member (yield < {MIN_YIELD:.0%})"


def _trivial(candidate: Candidate) -> str:
    """Why a file template is too plain to approve automatically (one-line files, copies)."""
    found = candidate.spec.get("trivial") if candidate.kind == FILE_TEMPLATE else None
    return f"{found}: not approved automatically" if found else ""


def _held_out_short(candidate: Candidate) -> str:
    """Why a file template may not be approved by its held-out rate, or ""."""
    found = candidate.confidence_parts.get("held_out_exact")
    if candidate.kind != FILE_TEMPLATE or (found is not None and found >= MIN_HELD_OUT):
        return ""
    if found is None:
        return "no held-out rate measured: not approved automatically"
    return f"held-out exact {found:.0%} < {MIN_HELD_OUT:.0%}: not approved automatically"
