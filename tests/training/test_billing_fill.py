"""The billing-fill ModelSpec: trains on generated SOWs and hand-written cases, calibrates on neither,
judges its recipe on later batches, saves, reloads to the same proposals, refuses bad folders;
registered with its eval suite."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from extraction.errors import BillingFillModelError
from training import billing_fill
from training.model_folder import META_FILE, MODEL_FILE
from training.spec import TrainingInputs

#: A fee wording no billing rule reads and no generator writes ("Honorar gesamt").
_TAUGHT = "Leistungsbeschreibung\n\nHonorar gesamt: EUR {amount}\nZahlungsziel: {days} Tage\n"
_TAUGHT_CASES = {
    "r2_honorar_a": ("80.000", 80000.0, 14),
    "r3_honorar_b": ("12.500", 12500.0, 30),
    "r5_honorar_c": ("240.000", 240000.0, 21),
    "r16_honorar_d": ("64.000", 64000.0, 10),
    "r19_honorar_e": ("31.500", 31500.0, 45),
    "r20_honorar_f": ("99.000", 99000.0, 7),
    "r22_honorar_g": ("47.250", 47250.0, 60),
}


@pytest.fixture(scope="module")
def handwritten(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of hand-written cases in the package's format, in batches before and after the splits."""
    folder = tmp_path_factory.mktemp("handwritten")
    for name, (amount, value, days) in _TAUGHT_CASES.items():
        (folder / f"{name}.txt").write_text(_TAUGHT.format(amount=amount, days=days), encoding="utf-8")
        expected = {"total_fee": value, "payment_terms_days": days, "known_gaps": {"total_fee": "no rule"}}
        (folder / f"{name}.json").write_text(json.dumps(expected), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def trained(handwritten: Path) -> Any:
    """The spec's own training, shrunk to a few documents (the configuration is data, not code)."""
    patch = pytest.MonkeyPatch()
    patch.setitem(billing_fill.TRAIN_DOCUMENTS, True, 16)
    patch.setitem(billing_fill.HELD_OUT_DOCUMENTS, True, 8)
    patch.setattr(billing_fill, "HANDWRITTEN_DIR", handwritten)
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


def test_spec_trains_on_generated_sows_and_handwritten_cases(trained: Any) -> None:
    assert trained.params["generated_documents"] == 16
    assert trained.params["realistic_cases"] == len(_TAUGHT_CASES)
    assert len(trained.data_sha256) == 64
    for name in (
        "learned_precision",
        "learned_recall",
        "learned_f1",
        "r22_filled_f1",
        "r22_rules_f1",
    ):
        assert 0.0 <= trained.metrics[name] <= 1.0
    # The quick (first-run) configuration fits one later reader, the newest split's, not three.
    assert billing_fill.LATER_SPLITS[:1] == billing_fill.QUICK_LATER_SPLITS
    assert not any(name.startswith(("r19_r21_", "r16_r18_")) for name in trained.metrics)
    assert set(trained.model.reader.models_) >= {"total_fee", "payment_terms_days", "milestone_percent"}
    assert "rate" not in trained.model.reader.models_ and trained.model.reader.unit_model_ is None
    assert trained.model.lists == billing_fill.FILLED_LISTS == ("milestones",)


@pytest.mark.parametrize("amount", ["57.000", "123.400"])
def test_spec_learns_a_wording_only_the_handwritten_cases_use(trained: Any, amount: str) -> None:
    text = _TAUGHT.format(amount=amount, days=20).replace("Leistungsbeschreibung", "Angebot")
    found = trained.model.proposals([text])
    assert found["total_fee"][1] == float(amount.replace(".", ""))


def test_handwritten_cases_keep_the_texts_values_not_the_rules_gaps(handwritten: Path) -> None:
    cases = billing_fill.handwritten_cases(handwritten)
    assert [(c.name, c.batch) for c in cases] == sorted((n, int(n[1:].split("_")[0])) for n in _TAUGHT_CASES)
    for case in cases:
        assert "known_gaps" not in case.expected
        assert case.expected["total_fee"] == _TAUGHT_CASES[case.name][1]
        assert any(c.kind == "money" and c.value == case.expected["total_fee"] for c in case.candidates)


@pytest.mark.parametrize("weight", [billing_fill.REALISTIC_WEIGHT, None])
def test_later_readers_never_learn_from_the_batches_they_are_judged_on(
    handwritten: Path, monkeypatch: pytest.MonkeyPatch, weight: float | None
) -> None:
    learned_from: list[set[int]] = []

    def record(generated: Any, cases: list[Any], *, seed: int, weight: float, items: tuple[str, ...]) -> str:
        learned_from.append({c.batch for c in cases})
        return "reader"

    monkeypatch.setattr(billing_fill, "fit_reader", record)
    cases = billing_fill.handwritten_cases(handwritten)
    splits = billing_fill.later_readers(([], []), cases, seed=1, weight=weight)
    assert [scored for scored, _r, _j in splits] == [(22,), (19, 20, 21), (16, 17, 18)]
    for (scored, _reader, judged), batches in zip(splits, learned_from, strict=True):
        if weight is None:  # the generated-only recipe learns from no hand-written case
            assert batches == set()
        else:
            assert batches and max(batches) < min(scored)
        assert judged and {c.batch for c in judged} <= set(scored)


@pytest.mark.parametrize(
    ("sources", "random_state", "seed", "positions"),
    [
        ({"held_out_documents": 8}, 42, 43, range(0, 8)),  # before: positions 0.. of seed + 1
        ({"held_out_documents": 8}, 42, 42, range(0)),
        (
            {"held_out_documents": 8, "calibration_seed": 42, "calibration_start": 100},
            42,
            42,
            range(100, 108),
        ),
        ({"held_out_documents": 8, "calibration_seed": 42, "calibration_start": 100}, 42, 43, range(0)),
    ],
)
def test_calibration_positions_name_the_sows_an_eval_must_skip(
    sources: dict[str, Any], random_state: int, seed: int, positions: range
) -> None:
    from evals.billing_fill import calibration_positions
    from extraction.billing.candidates import CandidateReader
    from extraction.billing.fill import LearnedBillingFill

    model = LearnedBillingFill(reader=CandidateReader(random_state=random_state), training_sources=sources)
    assert calibration_positions(model, seed) == positions


def test_spec_calibrates_on_sows_the_eval_never_reads(trained: Any) -> None:
    from evals.billing_fill import calibration_positions

    skipped = calibration_positions(trained.model, 42)
    assert skipped.start == billing_fill.CALIBRATION_START and len(skipped) == 8
    assert not calibration_positions(trained.model, 43)


@pytest.mark.parametrize(
    ("values", "want", "counts"),
    [
        ({"total_fee": 100.0}, {"total_fee": 100}, [1, 0, 0]),
        ({"total_fee": 90.0}, {"total_fee": 100}, [0, 1, 1]),  # a wrong value is both
        ({"total_fee": None}, {"total_fee": 100}, [0, 0, 1]),
        ({"total_fee": 5.0}, {}, [0, 1, 0]),
    ],
)
def test_field_counts_count_a_wrong_value_twice(
    values: dict[str, Any], want: dict[str, Any], counts: list[int]
) -> None:
    assert billing_fill.field_counts(values, want)["total_fee"] == counts


@pytest.mark.parametrize(("got", "want"), [(dt.date(2028, 3, 1), "2028-03-01"), ("2028-03-01", "2028-03-01")])
def test_same_value_reads_a_date_or_its_iso_text(got: Any, want: str) -> None:
    assert billing_fill.same_value("start_date", got, want)
    assert not billing_fill.same_value("start_date", got, "2028-03-02")


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


def test_suite_scores_the_fill_on_held_out_sows(
    trained: Any, handwritten: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evals.billing_fill import SUITE
    from evals.suite import EvalContext

    monkeypatch.setattr(billing_fill, "HANDWRITTEN_DIR", handwritten)
    options = {"documents": 4, "later_generated": 8}
    result = SUITE.run(trained.model, EvalContext(seed=5, quick=True, options=options))
    assert set(result.headline) == {
        "learned_f1",
        "learned_precision",
        "filled_f1",
        "r22_filled_f1",
        "r19_r21_filled_f1",
    }
    for name in (
        "learned_f1",
        "learned_precision",
        "rules_f1",
        "filled_f1",
        "filled_precision",
        "fill_precision",
        "r19_r21_rules_f1",
        "r19_r21_filled_f1",
        "r19_r21_learned_f1",
        "r16_r18_filled_f1",
        "r22_learned_f1",
        "r19_r21_milestones_rules_f1",
        "r19_r21_milestones_filled_f1",
    ):
        assert 0.0 <= result.metrics[name] <= 1.0
    assert result.metrics["documents"] == 4.0
    # the rules read generated SOWs almost entirely, so rules + fill is at least the reader alone
    assert result.metrics["filled_f1"] >= result.metrics["learned_f1"]
    # no rule reads "Honorar gesamt"; a reader that learned it from r2-r16 fills r19 and r20's fees
    assert result.metrics["r19_r21_rules_recall"] < result.metrics["r19_r21_filled_recall"]
    assert result.metrics["r19_r21_gain"] > 0
    assert result.metrics["r22_filled_recall"] > result.metrics["r22_rules_recall"]


def test_suite_judges_a_generated_only_model_by_its_own_recipe(
    trained: Any, handwritten: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evals.billing_fill import SUITE
    from evals.suite import EvalContext

    monkeypatch.setattr(billing_fill, "HANDWRITTEN_DIR", handwritten)
    old = copy.copy(trained.model)
    old.training_sources = {"generated_documents": 16, "held_out_documents": 8, "realistic_cases": 0}
    options = {"documents": 2, "later_generated": 8}
    result = SUITE.run(old, EvalContext(seed=5, quick=True, options=options))
    assert "no hand-written case" in result.notes[1]
    # a reader that never saw "Honorar gesamt" leaves the fees it alone states null
    assert result.metrics["r19_r21_gain"] <= 0


def test_suite_skips_the_sows_the_model_was_calibrated_on(trained: Any) -> None:
    from evals.billing_fill import SUITE
    from evals.suite import EvalContext

    trained.model.training_sources["calibration_start"] = 0
    try:
        result = SUITE.run(
            trained.model, EvalContext(seed=42, quick=True, options={"documents": 4, "later_generated": 0})
        )
    finally:
        trained.model.training_sources["calibration_start"] = billing_fill.CALIBRATION_START
    assert result.metrics["documents"] == 4.0
    assert "calibration SOWs 0-7 skipped" in result.notes[0]
    assert "r19_r21_filled_f1" not in result.metrics
