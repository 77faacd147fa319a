"""The statistics confidence scores are made of."""

from __future__ import annotations

import pytest

from repetend.patterns.confidence import weighted_geometric_mean, wilson_lower_bound


def test_equal_parts_give_that_part_not_its_power() -> None:
    parts = {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}
    assert weighted_geometric_mean(parts, dict.fromkeys(parts, 1.0)) == 0.5


def test_weights_shift_the_mean_towards_the_heavier_part() -> None:
    parts = {"examples": 0.9, "fixed_text": 0.1}
    even = weighted_geometric_mean(parts, {"examples": 1.0, "fixed_text": 1.0})
    heavy = weighted_geometric_mean(parts, {"examples": 3.0, "fixed_text": 1.0})
    assert even == pytest.approx(0.3, abs=1e-4)
    assert heavy == pytest.approx(0.9**0.75 * 0.1**0.25, abs=1e-4)


def test_a_zero_part_is_no_evidence_and_unweighted_parts_do_not_count() -> None:
    assert weighted_geometric_mean({"a": 0.0, "b": 1.0}, {"a": 1.0, "b": 1.0}) == 0.0
    shown_only = {"a": 0.64, "round_trip_rate": 0.0}
    assert weighted_geometric_mean(shown_only, {"a": 1.0}) == 0.64


def test_wilson_bound_grows_with_the_examples() -> None:
    assert wilson_lower_bound(3, 3) < wilson_lower_bound(10, 10) < wilson_lower_bound(48, 48)
    assert wilson_lower_bound(47, 48) < wilson_lower_bound(48, 48)
