"""Billing confidence calibration: isotonic fit with a prior, JSON round trip, the refit script."""

from __future__ import annotations

import random

import pytest

from extraction.billing.calibration import Calibrator, default_calibrator, fit_calibrator


def _samples(seed: int) -> list[tuple[str, float, bool]]:
    rng = random.Random(seed)
    out = []
    for _ in range(4000):
        raw = rng.choice([0.5, 0.7, 0.9])
        out.append(("total_fee", raw, rng.random() < raw))
    return out


def test_fit_recovers_the_hit_rate_and_is_monotone(global_random_seed: int) -> None:
    calibrator = fit_calibrator(_samples(global_random_seed))
    values = [calibrator.confidence("total_fee", r) for r in (0.5, 0.7, 0.9)]
    assert values == sorted(values)
    for got, want in zip(values, (0.5, 0.7, 0.9), strict=True):
        assert got == pytest.approx(want, abs=0.05)


def test_prior_keeps_sparse_fields_near_the_raw_score() -> None:
    # Ten right answers at 0.6 should not make 0.6 mean "certain".
    calibrator = fit_calibrator([("retainage_percent", 0.6, True)] * 10, min_samples=1)
    assert 0.6 < calibrator.confidence("retainage_percent", 0.6) < 0.8
    bare = fit_calibrator([("retainage_percent", 0.6, True)] * 10, min_samples=1, prior_weight=0)
    assert bare.confidence("retainage_percent", 0.6) == pytest.approx(0.99)


def test_unknown_field_uses_the_pooled_curve_and_json_round_trips() -> None:
    calibrator = fit_calibrator(_samples(1), min_samples=10_000)
    assert set(calibrator.curves) == {"*"}
    again = Calibrator.from_json(calibrator.to_json())
    assert again.confidence("anything", 0.7) == calibrator.confidence("anything", 0.7)
    assert Calibrator().confidence("x", 1.7) == 1.0


def test_packaged_table_is_monotone_and_bounded() -> None:
    calibrator = default_calibrator()
    assert "*" in calibrator.curves
    for name in calibrator.curves:
        values = [calibrator.confidence(name, r / 20) for r in range(21)]
        assert values == sorted(values) and all(0.0 <= v <= 1.0 for v in values)


def test_refit_script_collects_labelled_samples() -> None:
    from training.billing_calibration import collect

    samples = collect(3, pdf_every=0, seed=5)
    fields = {name for name, _, _ in samples}
    assert {"currency", "total_fee", "billing_model"} <= fields
    assert all(0.0 <= raw <= 1.0 for _, raw, _ in samples)
