"""The billing-fill ModelSpec: trains, saves, reloads to the same proposals, refuses bad folders;
registered with its eval suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extraction.errors import BillingFillModelError
from training import billing_fill
from training.model_folder import META_FILE, MODEL_FILE
from training.spec import TrainingInputs


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The spec's own training, shrunk to a few documents (the configuration is data, not code)."""
    patch = pytest.MonkeyPatch()
    patch.setitem(billing_fill.TRAIN_DOCUMENTS, True, 16)
    patch.setitem(billing_fill.HELD_OUT_DOCUMENTS, True, 8)
    try:
        return billing_fill.SPEC.train(TrainingInputs(seed=42, quick=True))
    finally:
        patch.undo()


def test_spec_is_registered_with_its_suite() -> None:
    from evals.registry import get_eval_suite
    from training.registry import get_model_spec

    spec = get_model_spec("billing-fill")
    assert (spec.short_name, spec.registered_name) == ("billing-fill", "handoff-billing-fill")
    assert get_eval_suite("billing-fill").model_short_name == "billing-fill"


def test_spec_trains_on_generated_sows_only(trained: Any) -> None:
    assert trained.params["generated_documents"] == 16 and trained.params["realistic_cases"] == 0
    assert len(trained.data_sha256) == 64
    for name in ("learned_precision", "learned_recall", "learned_f1"):
        assert 0.0 <= trained.metrics[name] <= 1.0
    assert set(trained.model.reader.models_) >= {"total_fee", "payment_terms_days"}


def test_spec_saves_and_reloads_to_the_same_proposals(trained: Any, tmp_path: Path) -> None:
    import pandas as pd

    from training.sow_generator import generate_sows

    billing_fill.SPEC.save(trained.model, tmp_path)
    reloaded = billing_fill.SPEC.load(tmp_path)
    rows = pd.DataFrame({"input": [*trained.input_example, *(s.text for s in generate_sows(3, seed=9))]})
    before = billing_fill.SPEC.predict(trained.model, rows)
    assert billing_fill.SPEC.predict(reloaded, rows) == before
    assert any(json.loads(p) for p in before)  # something was proposed, so the comparison says something
    assert reloaded.calibrator.curves == trained.model.calibrator.curves


@pytest.mark.parametrize("damage", ["no_meta", "format", "pickle", "fields"])
def test_load_refuses_a_damaged_folder(trained: Any, tmp_path: Path, damage: str) -> None:
    billing_fill.SPEC.save(trained.model, tmp_path)
    meta_path = tmp_path / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if damage == "no_meta":
        meta_path.unlink()
    elif damage == "format":
        meta_path.write_text(json.dumps({**meta, "format_version": 99}), encoding="utf-8")
    elif damage == "pickle":
        (tmp_path / MODEL_FILE).write_bytes(b"not a pickle")
    else:
        meta_path.write_text(json.dumps({**meta, "fields": ["total_fee"]}), encoding="utf-8")
    with pytest.raises(BillingFillModelError):
        billing_fill.SPEC.load(tmp_path)


def test_save_refuses_another_model(tmp_path: Path) -> None:
    with pytest.raises(BillingFillModelError):
        billing_fill.SPEC.save(object(), tmp_path)


def test_suite_scores_the_fill_on_held_out_sows(trained: Any) -> None:
    from evals.billing_fill import SUITE
    from evals.suite import EvalContext

    result = SUITE.run(trained.model, EvalContext(seed=5, quick=True, options={"documents": 4}))
    assert set(result.headline) == {"learned_f1", "learned_precision", "filled_f1"}
    for name in (
        "learned_f1",
        "learned_precision",
        "rules_f1",
        "filled_f1",
        "filled_precision",
        "fill_precision",
    ):
        assert 0.0 <= result.metrics[name] <= 1.0
    assert result.metrics["documents"] == 4.0
    # the rules read generated SOWs almost entirely, so rules + fill is at least the reader alone
    assert result.metrics["filled_f1"] >= result.metrics["learned_f1"]
