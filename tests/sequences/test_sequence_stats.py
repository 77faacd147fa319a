"""The binomial tail behind a sequence's confidence, against exact sums."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from repetend.sequences.stats import association, binomial_tail


def exact_tail(x: int, n: int, p: float) -> float:
    q = Fraction(str(p))  # the decimal value exactly: small numerators keep the sum fast
    return float(sum(math.comb(n, k) * q**k * (1 - q) ** (n - k) for k in range(x, n + 1)))


@pytest.mark.parametrize(
    ("x", "n", "p"),
    [(3, 10, 0.1), (1, 10, 0.1), (5, 5, 0.5), (2, 100, 0.05), (8, 100, 0.05), (60, 100, 0.5),
     (40, 100, 0.5), (20, 2000, 0.01), (25, 2000, 0.01), (10, 2000, 0.01)],
)  # fmt: skip
def test_binomial_tail_matches_the_exact_sum(x: int, n: int, p: float) -> None:
    assert binomial_tail(x, n, p) == pytest.approx(exact_tail(x, n, p), rel=1e-9)


def test_edges() -> None:
    assert binomial_tail(0, 10, 0.3) == 1.0
    assert binomial_tail(11, 10, 0.3) == 0.0
    assert binomial_tail(3, 10, 0.0) == 0.0


def test_association_is_high_for_a_habit_and_corrected_for_many_tests() -> None:
    assert association(30, 30, 0.01) == 1.0
    single = association(3, 100, 0.01)
    assert 0.9 < single < 1.0
    assert association(3, 100, 0.01, tests=1000) == 0.0
