from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomaly import (
    InvoiceAnomalyModel,
    ModelArtifactError,
    TimeEntryAnomalyModel,
    read_context,
    score_time_entries,
)
from training.firm_generator import generate_firm
from training.registry import get_model_spec
from training.spec import ModelSpec, TrainingInputs


@pytest.mark.parametrize(
    ("short_name", "registered"), [("time-entries", "handoff-time-entries"), ("invoices", "handoff-invoices")]
)
def test_specs_are_registered(short_name: str, registered: str) -> None:
    spec = get_model_spec(short_name)
    assert isinstance(spec, ModelSpec)
    assert (spec.short_name, spec.registered_name) == (short_name, registered)


def test_time_entries_spec_trains_on_a_firms_own_history(tmp_path: Path) -> None:
    firm = generate_firm(seed=21, n_people=10, n_projects=4, months=3)
    paths = firm.write(tmp_path / "firm")
    spec = get_model_spec("time-entries")
    trained = spec.train(TrainingInputs(data=paths["entries"], context=paths["context"], quick=True, seed=1))
    assert isinstance(trained.model, TimeEntryAnomalyModel)
    assert trained.params["source"] == "history"
    assert trained.metrics["training_rows"] == len(firm.entries)
    assert len(trained.data_sha256) == 64
    spec.save(trained.model, tmp_path / "saved")
    loaded = spec.load(tmp_path / "saved")
    rows = firm.entries.drop(columns=["label_kind"]).head(50)
    assert [r.risk for r in score_time_entries(rows, model=loaded).results] == [
        r.risk for r in score_time_entries(rows, model=trained.model).results
    ]


def test_invoices_spec_trains_on_generated_data_in_quick_mode(tmp_path: Path) -> None:
    spec = get_model_spec("invoices")
    trained = spec.train(TrainingInputs(quick=True, seed=2))
    assert isinstance(trained.model, InvoiceAnomalyModel)
    assert trained.params["source"] == "generated"
    spec.save(trained.model, tmp_path / "inv")
    assert isinstance(spec.load(tmp_path / "inv"), InvoiceAnomalyModel)
    with pytest.raises(ModelArtifactError):
        get_model_spec("time-entries").load(tmp_path / "inv")


def test_default_time_entries_model_keeps_an_unseen_firms_ordinary_week_quiet() -> None:
    """The generated default model on a week of people, roles and a client it never saw:
    the 14-hour day is flagged by the model, ordinary days are not."""
    samples = Path(__file__).resolve().parents[2] / "service" / "workflows" / "samples"
    entries = json.loads((samples / "time_entries.json").read_text())
    context = read_context(json.loads((samples / "time_context.json").read_text()))
    trained = get_model_spec("time-entries").train(TrainingInputs(quick=True, seed=42))
    results = score_time_entries(entries, model=trained.model, context=context).results
    by_id = {r.id: r for r in results}
    long_day = next(e["entry_id"] for e in entries if e["hours"] >= 14)
    assert by_id[long_day].risk >= 0.5
    assert by_id[long_day].reasons[0].feature == "hours"
    model_flagged = [r.id for r in results if r.risk >= 0.5]
    assert len(model_flagged) <= 2
