"""Scoring people, roles, projects and clients the model has never seen: comparisons with an
entity's own history carry no evidence without one, population fallbacks stay honest."""

from __future__ import annotations

import pandas as pd
import pytest

from anomaly import (
    InvoiceAnomalyModel,
    TimeEntryAnomalyModel,
    read_context,
    score_invoices,
    score_time_entries,
)
from training.firm_generator import generate_firm


def _relabelled(entries: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Another firm's entries with every person, project, client and role renamed."""
    out = entries.drop(columns=["label_kind"]).copy()
    for column in ("person_id", "project_id", "client_id", "role", "entry_id"):
        out[column] = prefix + out[column].astype(str)
    return out


@pytest.fixture(scope="module")
def trained() -> TimeEntryAnomalyModel:
    firm = generate_firm(seed=3, anomaly_rate=0.0, n_people=30, n_projects=12, months=6)
    history = firm.entries.drop(columns=["label_kind"])
    return TimeEntryAnomalyModel(n_estimators=100, random_state=0).fit(
        history, context=read_context(firm.context)
    )


@pytest.fixture(scope="module")
def unseen_batch() -> pd.DataFrame:
    other = generate_firm(seed=91, anomaly_rate=0.0, n_people=15, n_projects=6, months=2)
    return _relabelled(other.entries, "NEW-")


def test_unseen_firm_with_ordinary_hours_flags_a_small_share(
    trained: TimeEntryAnomalyModel, unseen_batch: pd.DataFrame
) -> None:
    results = score_time_entries(unseen_batch, model=trained).results
    model_flagged = sum(r.risk >= 0.5 for r in results)
    assert len(results) == len(unseen_batch)
    assert model_flagged / len(results) <= 0.06


def test_long_day_of_an_unseen_person_is_flagged_with_an_hours_reason(
    trained: TimeEntryAnomalyModel, unseen_batch: pd.DataFrame
) -> None:
    batch = unseen_batch.copy()
    target = batch.index[0]
    person, day = batch.at[target, "person_id"], batch.at[target, "work_date"]
    same_day = (batch["person_id"] == person) & (batch["work_date"] == day)
    batch = batch[~same_day | (batch.index == target)].reset_index(drop=True)
    row = int((batch["entry_id"] == unseen_batch.at[target, "entry_id"]).to_numpy().nonzero()[0][0])
    batch.loc[row, "hours"] = 14.0
    result = score_time_entries(batch, model=trained).results[row]
    assert result.risk >= 0.5
    assert result.reasons and result.reasons[0].feature == "hours"


def test_no_reason_speaks_of_this_persons_history_without_one(
    trained: TimeEntryAnomalyModel, unseen_batch: pd.DataFrame
) -> None:
    batch = unseen_batch.copy()
    # unusual on every side an unseen person can be: long entries, late logging, weekend work
    batch.loc[:20, "hours"] = 13.5
    batch.loc[20:40, "logged_at"] = pd.to_datetime(batch.loc[20:40, "work_date"]) + pd.Timedelta(days=20)
    batch.loc[40:60, "work_date"] = pd.Timestamp("2025-01-11")  # a Saturday
    results = score_time_entries(batch, model=trained).results
    messages = [reason.message for r in results for reason in r.reasons]
    assert messages, "the unusual rows should be explained"
    assert not [m for m in messages if "this person" in m]


def test_invoices_of_an_unseen_client_are_not_read_against_a_client_history() -> None:
    firm = generate_firm(seed=5, n_people=12, n_projects=5, months=6, invoice_anomaly_rate=0.0)
    model = InvoiceAnomalyModel(n_estimators=50, random_state=0).fit(
        firm.invoices.drop(columns=["label_kind"]),
        firm.lines,
        time_entries=firm.entries.drop(columns=["label_kind"]),
    )
    other = generate_firm(seed=77, n_people=12, n_projects=5, months=4, invoice_anomaly_rate=0.0)
    invoices = other.invoices.drop(columns=["label_kind"]).copy()
    invoices["client_id"] = "NEW-" + invoices["client_id"].astype(str)
    invoices.loc[invoices.index[0], "total"] *= 6  # far above any client's usual, and off its lines
    results = score_invoices(invoices, other.lines, model=model).results
    messages = [reason.message for r in results for reason in r.reasons]
    assert not [m for m in messages if "this client" in m]
    assert sum(r.risk >= 0.5 for r in results) / len(results) <= 0.2
