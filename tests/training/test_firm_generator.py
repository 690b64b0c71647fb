from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from anomaly import read_context, read_invoices, read_time_entries
from training.firm_generator import INVOICE_ANOMALY_KINDS, TIME_ENTRY_ANOMALY_KINDS, Firm, generate_firm


@pytest.fixture(scope="module")
def firm() -> Firm:
    return generate_firm(
        seed=11, n_people=30, n_projects=12, months=8, anomaly_rate=0.03, invoice_anomaly_rate=0.15
    )


def test_generator_is_deterministic_per_seed() -> None:
    a = generate_firm(seed=3, n_people=8, n_projects=3, months=2)
    b = generate_firm(seed=3, n_people=8, n_projects=3, months=2)
    c = generate_firm(seed=4, n_people=8, n_projects=3, months=2)
    pd.testing.assert_frame_equal(a.entries, b.entries)
    pd.testing.assert_frame_equal(a.invoices, b.invoices)
    assert a.context == b.context
    assert not a.entries["hours"].equals(c.entries["hours"]) or len(a.entries) != len(c.entries)


def test_every_time_entry_anomaly_kind_is_injected_and_labelled(firm: Firm) -> None:
    kinds = set(firm.entries["label_kind"]) - {""}
    assert kinds == set(TIME_ENTRY_ANOMALY_KINDS)
    share = (firm.entries["label_kind"] != "").mean()
    assert 0.01 < share < 0.05


def test_every_invoice_anomaly_kind_is_injected_and_labelled(firm: Firm) -> None:
    assert set(firm.invoices["label_kind"]) - {""} == set(INVOICE_ANOMALY_KINDS)


def test_people_have_their_own_habits(firm: Firm) -> None:
    normal = firm.entries[firm.entries["label_kind"] == ""]
    daily = normal.groupby(["person_id", "work_date"])["hours"].sum().groupby("person_id").median()
    assert daily.min() <= 5.5 and daily.max() >= 8.0  # part-timers and full days
    weekday = normal["work_date"].dt.dayofweek
    saturday_people = normal.loc[weekday == 5, "person_id"].nunique()
    assert 0 < saturday_people < normal["person_id"].nunique()
    countries = {p["country"] for p in firm.context["people"]}
    assert len(countries) >= 2
    assert firm.context["holidays"]


def test_normal_entries_bill_the_card_rate_of_their_role(firm: Firm) -> None:
    cards = {
        (p["project_id"], c["role"]): c["rate"] for p in firm.context["projects"] for c in p["rate_card"]
    }
    normal = firm.entries[(firm.entries["label_kind"] == "") & firm.entries["billable"]]
    expected = [cards[(p, r)] for p, r in zip(normal["project_id"], normal["role"], strict=True)]
    assert (normal["bill_rate"].to_numpy() == expected).all()


def test_normal_invoices_add_up(firm: Firm) -> None:
    normal = firm.invoices[firm.invoices["label_kind"].isin(["", "over_not_to_exceed"])]
    sums = firm.lines.groupby("invoice_id")["amount"].sum()
    assert ((normal["invoice_id"].map(sums) - normal["subtotal"]).abs() < 0.02).all()
    assert ((normal["subtotal"] + normal["tax"] - normal["total"]).abs() < 0.02).all()


def test_written_files_read_back_without_rejects(firm: Firm, tmp_path: Path) -> None:
    paths = firm.write(tmp_path / "firm")
    entries = read_time_entries(paths["entries"])
    assert entries.rejected == [] and len(entries.frame) == len(firm.entries)
    invoices = read_invoices(paths["invoices"], paths["lines"])
    assert invoices.rejected == [] and len(invoices.invoices) == len(firm.invoices)
    context = read_context(paths["context"])
    assert len(context.projects) == 12 and all(p.not_to_exceed for p in context.projects)
