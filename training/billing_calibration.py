"""Refit the billing confidence calibration on generated SOWs with known truth, plus
hand-written SOWs as read by code that had not seen them.

For every value the billing extractor returns on the *train* families (text
and PDF renderings), record ``(field, raw score, was it right)``. Generated SOWs
are easier than other firms' documents: fitted on them alone the table was
under-confident on realistic values in the middle of the range (reported
0.6-0.9, right 88-100% of the time) and a little over-confident at the top. So
the fit also takes the ``fit`` batches of ``billing_calibration_realistic.json``
(made by ``training.billing_realistic_samples``: each hand-written batch read by
the commit that added it, before its fixes), and reports the calibration error
on the ``report`` batches, which the table never sees. One pooled curve with a
light prior (5 pseudo-observations per raw score) is fitted: per-field curves
from a few hundred realistic values are noise. The result is written to the
package's default table (``extraction/billing/calibration.json``), or to
``--output``. Held-out families are left for the eval suite.

Run ``python -m training.billing_calibration [--documents=200] [--pdf-every=5]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from extraction import ingest
from extraction.billing import extract_billing, fit_calibrator
from extraction.billing.calibration import DEFAULT_TABLE, Calibrator
from extraction.schemas import BILLING_LIST_FIELDS, BILLING_SCALAR_FIELDS

REALISTIC_SAMPLES = Path(__file__).with_name("billing_calibration_realistic.json")


def _normalise(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return tuple(sorted((k, _normalise(v)) for k, v in value.items()))
    return value


def billing_samples(document: Any, truth: dict[str, Any]) -> Iterator[tuple[str, float, bool]]:
    """``(field, raw score, correct)`` for every value extracted from ``document``.

    Parameters
    ----------
    document
        An ingested :class:`~extraction.document.Document`.
    truth
        The generator's billing truth (``{"value", "quote"}`` per field).
    """
    result = extract_billing(document)
    dumped = result.billing.model_dump(mode="json")
    for name in BILLING_SCALAR_FIELDS:
        predicted = dumped.get(name)
        if predicted is None or name not in result.raw_scores:
            continue
        expected = truth.get(name)
        correct = expected is not None and _normalise(predicted["value"]) == _normalise(expected["value"])
        yield name, result.raw_scores[name], correct
    for name in BILLING_LIST_FIELDS:
        expected_items = Counter(_normalise(item["value"]) for item in truth.get(name) or [])
        for item, raw in zip(dumped.get(name) or [], result.list_raw_scores.get(name, []), strict=False):
            key = _normalise(item["value"])
            correct = expected_items[key] > 0
            if correct:
                expected_items[key] -= 1
            yield name, raw, correct


def collect(documents: int, *, pdf_every: int, seed: int) -> list[tuple[str, float, bool]]:
    from training.sow_generator import generate_sow, render_pdf, render_text

    samples: list[tuple[str, float, bool]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(documents):
            sow = generate_sow(index, seed=seed, split="train")
            truth = sow.billing
            samples.extend(billing_samples(ingest(render_text(sow).encode(), filename="sow.txt"), truth))
            if pdf_every and index % pdf_every == 0:
                path = render_pdf(sow, Path(tmp) / f"{index}.pdf")
                samples.extend(billing_samples(ingest(path.read_bytes(), filename=path.name), truth))
    return samples


def realistic_samples(path: Path, split: str) -> list[tuple[str, float, bool]]:
    """``(field, raw, right)`` of the hand-written batches in ``split`` ("fit" or "report")."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        (field, float(raw), bool(right))
        for batch in data["batches"]
        if batch["split"] == split
        for _, field, raw, right in batch["samples"]
    ]


def calibration_error(
    calibrator: Calibrator, samples: list[tuple[str, float, bool]], *, bins: int = 10
) -> float:
    """Expected calibration error of ``calibrator`` on ``samples``, binned as the eval suite bins."""
    if not samples:
        return 0.0
    confidence = np.array([calibrator.confidence(f, r) for f, r, _ in samples])
    right = np.array([1.0 if c else 0.0 for _, _, c in samples])
    index = np.clip(np.digitize(confidence, np.linspace(0.0, 1.0, bins + 1)[1:-1]), 0, bins - 1)
    gaps = [
        abs(confidence[index == b].mean() - right[index == b].mean()) * (index == b).sum()
        for b in range(bins)
        if (index == b).any()
    ]
    return float(sum(gaps) / len(samples))


def main(argv: list[str] | None = None) -> Calibrator:
    parser = argparse.ArgumentParser(prog="python -m training.billing_calibration")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--pdf-every", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path, default=DEFAULT_TABLE)
    parser.add_argument("--realistic", type=Path, default=REALISTIC_SAMPLES)
    parser.add_argument("--prior-weight", type=float, default=5.0)
    parser.add_argument("--per-field", action="store_true", help="a curve per field (default: one pooled)")
    args = parser.parse_args(argv)
    samples = collect(args.documents, pdf_every=args.pdf_every, seed=args.seed)
    fit_rows = realistic_samples(args.realistic, "fit")
    report_rows = realistic_samples(args.realistic, "report")
    calibrator = fit_calibrator(
        samples + fit_rows,
        prior_weight=args.prior_weight,
        min_samples=30 if args.per_field else sys.maxsize,
    )
    args.output.write_text(calibrator.to_json() + "\n", encoding="utf-8")
    right = sum(1 for _, _, c in samples if c)
    print(
        f"{len(samples)} generated values ({right / max(1, len(samples)):.3f} right) and "
        f"{len(fit_rows)} realistic values; wrote {args.output}"
    )
    if report_rows:
        print(
            f"calibration error on {len(report_rows)} realistic values it never saw: "
            f"{calibration_error(calibrator, report_rows):.3f}"
        )
    return calibrator


if __name__ == "__main__":
    main()
