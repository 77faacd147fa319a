"""Confidence scores that are statistics of the evidence, with their parts shown.

The sample-size part is the Wilson score lower bound of the success rate: the
success rate we can claim with 95% confidence given how many examples there
are. Three successes out of three give 0.44, ten out of ten 0.72, twenty out
of twenty 0.84, so a pattern earns auto-approval by repetition, not by luck.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

Z_95 = 1.959964


def wilson_lower_bound(successes: int, total: int, z: float = Z_95) -> float:
    """The lower end of the Wilson score interval for `successes` out of `total`."""
    if total <= 0:
        return 0.0
    rate = min(1.0, max(0.0, successes / total))
    denominator = 1 + z * z / total
    centre = rate + z * z / (2 * total)
    margin = z * math.sqrt(max(0.0, rate * (1 - rate) / total) + z * z / (4 * total * total))
    return max(0.0, (centre - margin) / denominator)


def combine(parts: Mapping[str, float]) -> float:
    """The product of the parts, each from 0 to 1: any weak part weakens the whole."""
    score = 1.0
    for value in parts.values():
        score *= min(1.0, max(0.0, value))
    return round(score, 4)


def weighted_geometric_mean(parts: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The parts' geometric mean, each part raised to its weight's share (parts from 0 to 1).

    Unlike the product, the score does not sink as parts are added: four parts
    of 0.5 give 0.5, not 0.06. A part of 0 still gives 0 (no evidence at all).
    Parts without a weight are shown but do not count.
    """
    total = sum(weight for name, weight in weights.items() if name in parts)
    if total <= 0:
        return 0.0
    logs = 0.0
    for name, weight in weights.items():
        value = min(1.0, max(0.0, parts.get(name, 1.0)))
        if value == 0.0:
            return 0.0
        logs += weight * math.log(value)
    return round(math.exp(logs / total), 4)
