"""Refit the billing confidence calibration on generated SOWs with known truth.

For every value the billing extractor returns on the *train* families (text
and PDF renderings), record ``(field, raw score, was it right)`` and fit
:func:`extraction.billing.calibration.fit_calibrator`. The result is written
to the package's default table (``extraction/billing/calibration.json``), or to
``--output``. Held-out families are left for the eval suite, which reports the
calibration error on them.

Run ``python -m training.billing_calibration [--documents=200] [--pdf-every=5]``.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extraction import ingest
from extraction.billing import extract_billing, fit_calibrator
from extraction.billing.calibration import DEFAULT_TABLE, Calibrator
from extraction.schemas import BILLING_LIST_FIELDS, BILLING_SCALAR_FIELDS


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


def main(argv: list[str] | None = None) -> Calibrator:
    parser = argparse.ArgumentParser(prog="python -m training.billing_calibration")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--pdf-every", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", type=Path, default=DEFAULT_TABLE)
    args = parser.parse_args(argv)
    samples = collect(args.documents, pdf_every=args.pdf_every, seed=args.seed)
    calibrator = fit_calibrator(samples)
    args.output.write_text(calibrator.to_json() + "\n", encoding="utf-8")
    right = sum(1 for _, _, c in samples if c)
    print(f"{len(samples)} values, {right / max(1, len(samples)):.3f} right; wrote {args.output}")
    return calibrator


if __name__ == "__main__":
    main()
