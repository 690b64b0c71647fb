"""The independent firm simulator behind the ``other-firm`` suites: the people export's
dates agree with the entries, and the habits it is given are the habits it simulates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from evals._other_firm import Habits, OtherFirm, simulate_other_firm

_SMALL: dict[str, Any] = {"n_people": 14, "n_projects": 8, "n_clients": 4}


@pytest.fixture(scope="module")
def firm() -> OtherFirm:
    return simulate_other_firm(3, **_SMALL)


def test_people_export_dates_bound_every_ordinary_entry(firm: OtherFirm) -> None:
    people = {p["person_id"]: p for p in firm.context["people"]}
    assert all("start_date" in p for p in people.values())
    leavers = [p for p in people.values() if "end_date" in p]
    assert leavers
    ordinary = firm.entries[firm.entries["label_kind"] == ""]
    start = pd.to_datetime(ordinary["person_id"].map(lambda p: people[p]["start_date"]))
    end = pd.to_datetime(ordinary["person_id"].map(lambda p: people[p].get("end_date", "2100-01-01")))
    assert ((ordinary["work_date"] >= start) & (ordinary["work_date"] <= end)).all()
    # The leaver who keeps billing does so after the date the export gives.
    billing = firm.entries[firm.entries["label_kind"] == "leaver_billing"]
    assert len(billing)
    assert (
        billing["work_date"] > pd.to_datetime(billing["person_id"].map(lambda p: people[p]["end_date"]))
    ).all()


def test_people_export_without_dates_and_finer_units() -> None:
    firm = simulate_other_firm(3, **_SMALL, people_dates=False, habits=Habits(consultant_step=0.1))
    assert not any({"start_date", "end_date"} & set(p) for p in firm.context["people"])
    ordinary = firm.entries[firm.entries["label_kind"] == ""]["hours"].to_numpy()
    tenths = np.round(ordinary * 10)
    assert np.allclose(tenths, ordinary * 10)
    assert (np.abs(ordinary * 4 - np.round(ordinary * 4)) > 1e-6).mean() > 0.2  # not quarter hours
