"""The statistic behind a sequence's confidence: how unlikely its repetition is by chance.

Under the null hypothesis the steps of a session are independent draws with
their observed frequencies, so the step after an occurrence of A is B with
probability f(B). A sequence A → B → C then completes after a given A with
probability p0 = f(B)·f(C) (for a gapped sequence, each link may skip up to
`max_gap` steps: 1 − (1 − f)^(max_gap+1) per link). Seeing it x times after
n occurrences of A has the one-sided binomial p-value P(X ≥ x), X ~ Bin(n, p0).
The confidence is 1 − p-value (Bonferroni-corrected for the number of sequences
examined): near 1 for a habit, near 0 for a coincidence.
"""

from __future__ import annotations

import math

_NEGLIGIBLE = 1e-15


def binomial_tail(x: int, n: int, p: float) -> float:
    """P(X ≥ x) for X ~ Binomial(n, p), summed in the direction where terms shrink."""
    if x <= 0:
        return 1.0
    if x > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if x > n * p:
        return min(1.0, _sum_terms(x, n, p, upward=True))
    return max(0.0, 1.0 - _sum_terms(x - 1, n, p, upward=False))


def _sum_terms(start: int, n: int, p: float, *, upward: bool) -> float:
    """Sum the pmf from `start` away from the mode, stopping when terms become negligible."""
    term = math.exp(_log_pmf(start, n, p))
    total, k = term, start
    odds = p / (1.0 - p)
    while k < n if upward else k > 0:
        if upward:
            term *= (n - k) / (k + 1) * odds
            k += 1
        else:
            term *= k / ((n - k + 1) * odds)
            k -= 1
        total += term
        if term <= total * _NEGLIGIBLE:
            break
    return total


def _log_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def link_probability(frequency: float, max_gap: int) -> float:
    """Chance that a step of this frequency follows within `max_gap` skipped steps."""
    return 1.0 - (1.0 - frequency) ** (max_gap + 1)


def association(
    occurrences: int, first_step_count: int, null_probability: float, tests: int = 1
) -> float:
    """1 − the p-value of seeing the sequence this often by chance, Bonferroni-corrected.

    `tests` is how many sequences were examined alongside this one: among
    thousands of random pairs a few always look unusual, so each p-value is
    multiplied by the number of tests.
    """
    trials = max(first_step_count, occurrences)
    p_value = binomial_tail(occurrences, trials, null_probability) * max(tests, 1)
    return round(1.0 - min(1.0, p_value), 4)
