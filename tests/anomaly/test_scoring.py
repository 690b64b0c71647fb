from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import anomaly
from anomaly import (
    InvoiceAnomalyModel,
    TimeEntryAnomalyModel,
    read_time_entries,
    score_invoices,
    score_time_entries,
)
from tests.anomaly.conftest import context_dict, entry, invoice_rows

MONDAY = dt.date(2026, 5, 4)


def test_public_api_is_sorted_and_importable() -> None:
    # ruff's RUF022 order: constants, then classes, then functions, each alphabetical
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert anomaly.__all__ == sorted(anomaly.__all__, key=kind)
    for name in anomaly.__all__:
        assert getattr(anomaly, name) is not None


def test_results_keep_input_order_and_skip_rejected_rows(time_model: TimeEntryAnomalyModel) -> None:
    rows = [entry(k, "E-1", MONDAY + dt.timedelta(days=k % 5), hours=2.0) for k in range(9, 0, -1)]
    rows.insert(3, {**entry(99, "E-2", MONDAY), "hours": -1})
    result = score_time_entries(rows, model=time_model, model_version="7")
    assert [r.id for r in result.results] == [f"TE-{k}" for k in range(9, 0, -1)]
    assert [(r.row, r.id) for r in result.rejected] == [(4, "TE-99")]
    assert {r.model_version for r in result.results} == {"7"}


def test_output_matches_the_contract_shape(time_model: TimeEntryAnomalyModel) -> None:
    result = score_time_entries(
        [entry(1, "E-1", MONDAY, hours=18.0), entry(2, "E-2", MONDAY)], model=time_model
    )
    document = json.loads(json.dumps(result.to_dict()))
    assert set(document) == {"results", "rejected", "burn"}
    first = document["results"][0]
    assert set(first) == {
        "id",
        "risk",
        "flagged",
        "severity",
        "route",
        "score",
        "model_version",
        "reasons",
        "controls",
    }
    assert first["flagged"] and first["route"] == "finance" and first["severity"] in {"low", "medium", "high"}
    assert set(first["reasons"][0]) >= {"code", "feature", "value", "expected", "message"}
    normal = document["results"][1]
    assert not normal["flagged"] and normal["severity"] == "none" and normal["route"] is None


def test_mixed_batch_scores_the_good_rows(time_model: TimeEntryAnomalyModel) -> None:
    rows = [
        entry(1, "E-1", MONDAY),
        {**entry(2, "E-1", MONDAY), "work_date": "yesterday"},
        entry(3, "E-3", MONDAY),
    ]
    result = score_time_entries(rows, model=time_model)
    assert [r.id for r in result.results] == ["TE-1", "TE-3"]
    assert result.rejected[0].errors == ["work_date: 'yesterday' is not a date (YYYY-MM-DD)"]


def test_review_budget_at_scoring_time_moves_the_threshold(time_model: TimeEntryAnomalyModel) -> None:
    rows = [entry(k, "E-1", MONDAY + dt.timedelta(days=k % 5), hours=8.0 + (k % 7) * 0.5) for k in range(60)]
    strict = score_time_entries(rows, model=time_model, review_budget=0.001)
    loose = score_time_entries(rows, model=time_model, review_budget=0.4)
    assert sum(r.risk >= 0.5 for r in strict.results) <= sum(r.risk >= 0.5 for r in loose.results)


def test_burn_comes_back_with_time_entry_scores(time_model: TimeEntryAnomalyModel) -> None:
    result = score_time_entries([entry(1, "E-1", MONDAY)], model=time_model)
    assert [b.project_id for b in result.burn] == ["P-1"]


def test_score_invoices_in_order(invoice_model: InvoiceAnomalyModel) -> None:
    invoices, lines = invoice_rows(months=9)
    batch = [i for i in invoices if i["invoice_id"].startswith("I-8-")][::-1]
    ids = {i["invoice_id"] for i in batch}
    result = score_invoices(
        batch, [x for x in lines if x["invoice_id"] in ids], model=invoice_model, model_version="2"
    )
    assert [r.id for r in result.results] == [i["invoice_id"] for i in batch]
    assert result.burn == []


def test_controls_on_the_csv_readers_codes_equal_controls_on_plain_rows(
    time_model: TimeEntryAnomalyModel,
) -> None:
    # Currencies matching, other, blank, lower-cased and on a project without one; roles at the
    # recorded one in another case, another role, a blank role; days inside and outside the SOW.
    context = context_dict()
    context["projects"].append({"project_id": "P-3", "start_date": "2026-06-01"})
    context["projects"][1]["currency"] = "eur"
    rows = [
        entry(1, "E-1", MONDAY),
        entry(2, "E-1", MONDAY, currency="EUR"),
        entry(3, "E-2", MONDAY, currency=""),
        entry(4, "E-2", MONDAY + dt.timedelta(days=1), currency="usd", role="senior consultant"),
        entry(5, "E-3", MONDAY, project_id="P-2", currency="EUR"),
        entry(6, "E-3", MONDAY + dt.timedelta(days=1), project_id="P-2", currency="USD", role="Consultant"),
        entry(7, "E-1", MONDAY, project_id="P-3", currency="GBP", role=""),
        entry(8, "E-9", MONDAY, project_id="P-4", currency="CHF"),
        entry(9, "E-1", dt.date(2027, 2, 1), role="Analyst", bill_rate=110.0),
    ]
    csv = pd.DataFrame(rows).to_csv(index=False).encode()
    assert read_time_entries(csv).factors.get("currency") is not None
    from_csv = score_time_entries(csv, model=time_model, context=context).to_dict()
    plain = score_time_entries(rows, model=time_model, context=context).to_dict()
    assert from_csv == plain
    fired = {r["id"]: {c["rule"] for c in r["controls"]} for r in plain["results"]}
    assert [i for i, rules in fired.items() if "currency_mismatch" in rules] == ["TE-2", "TE-6"]
    assert "billed_as_other_role" in fired["TE-6"] and "billed_as_other_role" not in fired["TE-4"]
    assert "outside_sow_dates" in fired["TE-7"] and "outside_sow_dates" in fired["TE-9"]


# Everything a scoring run returns, frozen from the implementation that built every reason
# and control hit as an object per row, before reasons became lazy and column-wise: the
# faster paths must give the same documents, byte for byte. Regenerate (python -m
# tests.anomaly.test_scoring) only for a change that is meant to alter the output.
_REFERENCE = Path(__file__).parent / "data" / "scoring_reference.json"


def _reference_documents() -> dict[str, Any]:
    """Scoring documents of generated batches: a firm's own entries (its injected anomalies), a
    second firm's entries against the first's model (unknown people and projects, the firm's
    usual as expected) with the first firm's context, and the first firm's invoices."""
    from training.firm_generator import generate_firm

    firm = generate_firm(seed=5, n_people=20, n_projects=6, months=6)
    other = generate_firm(seed=17, n_people=9, n_projects=4, months=2)
    entries = firm.entries.drop(columns=["label_kind"])
    time_model = TimeEntryAnomalyModel(random_state=3).fit(entries, context=firm.context)
    invoices = firm.invoices.drop(columns=["label_kind"])
    invoice_model = InvoiceAnomalyModel(random_state=3).fit(
        invoices, firm.lines, context=firm.context, time_entries=entries
    )
    documents = {
        "own_entries": score_time_entries(entries, model=time_model, context=firm.context),
        "other_firm_entries": score_time_entries(
            other.entries.drop(columns=["label_kind"]), model=time_model, context=firm.context
        ),
        "invoices": score_invoices(
            invoices, firm.lines, model=invoice_model, context=firm.context, time_entries=entries
        ),
    }
    return {name: result.to_dict() for name, result in documents.items()}


def _canonical(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def _frozen(documents: dict[str, Any]) -> dict[str, Any]:
    """Per batch, a digest of the whole document and, to read a difference, its flagged items and burn."""
    return {
        name: {
            "sha256": hashlib.sha256(_canonical(document).encode()).hexdigest(),
            "flagged": [r for r in document["results"] if r["flagged"]],
            "burn": document["burn"],
        }
        for name, document in documents.items()
    }


def test_scoring_documents_equal_the_frozen_reference() -> None:
    reference = json.loads(_REFERENCE.read_text())
    documents = _reference_documents()
    for name, document in documents.items():
        flagged = [r for r in document["results"] if r["flagged"]]
        assert any(r["reasons"] for r in flagged) and any(r["controls"] for r in flagged), name
    got = _frozen(documents)
    assert set(got) == set(reference)
    for name in reference:
        assert got[name]["flagged"] == reference[name]["flagged"], name
        assert got[name]["burn"] == reference[name]["burn"], name
        assert got[name]["sha256"] == reference[name]["sha256"], name


if __name__ == "__main__":  # pragma: no cover
    _REFERENCE.parent.mkdir(exist_ok=True)
    _REFERENCE.write_text(json.dumps(_frozen(_reference_documents()), sort_keys=True, indent=1) + "\n")


def test_column_wise_documents_equal_each_item_dumped() -> None:
    from anomaly.schemas import _LazyScores

    # What handoff score prints (to_dict) and the bench times is written column-wise; a served
    # item (an AnomalyScore, its reasons and hits built as objects) must dump the same.
    from training.firm_generator import generate_firm

    firm = generate_firm(seed=8, n_people=12, n_projects=4, months=4)
    entries = firm.entries.drop(columns=["label_kind"])
    model = TimeEntryAnomalyModel(random_state=2).fit(entries, context=firm.context)
    invoices = firm.invoices.drop(columns=["label_kind"])
    invoice_model = InvoiceAnomalyModel(random_state=2).fit(
        invoices, firm.lines, context=firm.context, time_entries=entries
    )
    batches = [
        lambda: score_time_entries(entries, model=model, context=firm.context, model_version="7"),
        lambda: score_invoices(invoices, firm.lines, model=invoice_model, context=firm.context),
    ]
    for batch in batches:
        result = batch()
        assert isinstance(result.results, _LazyScores)
        flagged = result.results.flagged_indices()
        assert flagged and len(flagged) < len(result.results)
        picked = [*flagged[::-1], flagged[0], 0]
        documents = result.results.documents(picked)
        assert any(d["reasons"] for d in documents) and any(d["controls"] for d in documents)
        dumped = [r.model_dump(mode="json") for r in batch().results]
        assert documents == [dumped[i] for i in picked]
        assert result.to_dict()["results"] == dumped


def test_writing_the_documents_leaves_the_cycle_collector_as_it_was(
    time_model: TimeEntryAnomalyModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from anomaly.schemas import _LazyScores

    result = score_time_entries([entry(1, "E-1", MONDAY, hours=20.0)], model=time_model)
    assert gc.isenabled()
    assert result.to_dict()["results"][0]["flagged"] and gc.isenabled()
    gc.disable()
    try:
        result.to_dict()
        assert not gc.isenabled()  # a caller's choice is not undone
    finally:
        gc.enable()

    def broken(self: Any, indices: Any = None) -> list[dict[str, Any]]:
        raise RuntimeError("writer failed")

    monkeypatch.setattr(_LazyScores, "documents", broken)
    with pytest.raises(RuntimeError):
        result.to_dict()
    assert gc.isenabled()
