"""The anomaly eval suites in quick mode: they run, and the numbers they report mean
what they say (a renamed firm is not a firm of anomalies)."""

from __future__ import annotations

from anomaly import TimeEntryAnomalyModel
from evals.suite import EvalContext
from evals.time_entries import SUITE as TIME_ENTRIES


def test_time_entries_suite_quick_reports_quiet_scoring_of_an_unseen_firm() -> None:
    result = TIME_ENTRIES.run(TimeEntryAnomalyModel(n_estimators=50), EvalContext(quick=True, seed=3))
    metrics = result.metrics
    assert metrics["auprc"] > 0.5
    assert metrics["unseen_model_flagged_share_normal"] <= 0.05
    assert 0.0 <= metrics["unseen_recall_model"] <= 1.0


def test_other_firm_suite_quick_scores_a_firm_unlike_our_generator() -> None:
    from evals.other_firm import SUITE as OTHER_FIRM

    result = OTHER_FIRM.run(TimeEntryAnomalyModel(n_estimators=50), EvalContext(quick=True, seed=3))
    metrics = result.metrics
    # Before the scorer learned the firm's calendar, moves, roles and rates, this quick run
    # flagged 27.5% of the firm's ordinary entries, at an AUPRC of 0.33.
    assert metrics["time_false_alarm_rate"] < 0.12
    assert metrics["time_auprc"] > 0.35
    assert metrics["invoice_false_alarm_rate"] < 0.15
    assert {"time_auprc", "time_false_alarm_rate", "invoice_auprc"} <= set(result.headline)
    kinds = {row["kind"] for row in result.tables["time entries: recall per kind"]}
    assert "off_day_billing" in kinds and "padding_creep" in kinds


def test_firm_c_is_a_firm_of_its_own_with_every_kind_in_the_batch() -> None:
    from evals._firm_c import FIRM_C_TIME_KINDS, simulate_firm_c

    firm = simulate_firm_c(5, n_people=24)
    history, batch = firm.split_entries()
    assert set(batch["label_kind"]) - {""} == set(FIRM_C_TIME_KINDS)
    assert (batch["label_kind"] != "").mean() < 0.08
    # Leave is booked as a non-billable day, and the rate card in the context is the revised one.
    leave = history[history["project_id"] == "INT-LEAVE"]
    assert len(leave) and not leave["billable"].any()
    cards = [(p["project_id"], c) for p in firm.context["projects"] for c in p.get("rate_card", [])]
    revised = {(project, card["role"]): card["rate"] for project, card in cards}
    old = history[(history["work_date"] < "2025-12-01") & history["bill_rate"].notna()].iloc[0]
    assert old["bill_rate"] < revised[(old["project_id"], old["role"])]
    countries = {h["country"] for h in firm.context["holidays"]}
    assert countries == {"PL", "CZ"}


def test_firm_c_suite_quick_reports_per_kind_recall() -> None:
    from evals.other_firm import SUITE_C

    result = SUITE_C.run(TimeEntryAnomalyModel(n_estimators=50), EvalContext(quick=True, seed=3))
    metrics = result.metrics
    assert 0.0 < metrics["time_auprc"] <= 1.0
    assert metrics["time_false_alarm_rate"] < 0.1
    assert {"time_auprc", "time_false_alarm_rate", "time_recall_flagged"} <= set(result.headline)
    by_kind = {row["kind"]: row for row in result.tables["time entries: recall per kind"]}
    # What the habit controls are for (an undated leaver, a month of one line, leave billed, a
    # colleague's copy): on the full suite the model alone caught 0-68% of each.
    for kind in ("ghost_after_exit", "autopilot_month", "billed_on_leave", "copied_colleague"):
        assert by_kind[kind]["recall_controls"] >= 0.8, by_kind[kind]


def test_firm_c_invoices_follow_its_vat_and_carry_every_invoice_kind() -> None:
    from evals._firm_c import FIRM_C_INVOICE_KINDS, simulate_firm_c

    firm = simulate_firm_c(5, n_people=24)
    _, _, batch, batch_lines = firm.split_invoices()
    assert set(firm.invoices["label_kind"]) - {""} == set(FIRM_C_INVOICE_KINDS)
    clean = firm.invoices[(firm.invoices["label_kind"] == "") & (firm.invoices["subtotal"] > 0)]
    rates = (100 * clean["tax"] / clean["subtotal"]).round().groupby(clean["currency"]).unique()
    # Poland 23%, Czechia 21%, EU clients in EUR reverse charged.
    assert {k: sorted(v) for k, v in rates.items()} == {"CZK": [21.0], "EUR": [0.0], "PLN": [23.0]}
    credits = firm.invoices[firm.invoices["total"] < 0]
    assert len(credits) and set(batch_lines["invoice_id"]) == set(batch["invoice_id"])
    assert any(p.get("not_to_exceed") for p in firm.context["projects"])


def test_firm_c_suite_quick_reports_invoice_recall_per_kind() -> None:
    from evals.other_firm import SUITE_C

    result = SUITE_C.run(TimeEntryAnomalyModel(n_estimators=50), EvalContext(quick=True, seed=3))
    assert 0.0 < result.metrics["invoice_auprc"] <= 1.0
    by_kind = {row["kind"]: row for row in result.tables["invoices: recall per kind"]}
    assert "vat_on_reverse_charge" in by_kind and by_kind["vat_on_reverse_charge"]["count"] > 0
    assert "invoice_auprc" in result.headline


def test_firm_d_is_a_law_firm_in_tenths_with_every_kind_in_the_batch() -> None:
    from evals._firm_d import FIRM_D_INVOICE_KINDS, FIRM_D_TIME_KINDS, simulate_firm_d

    firm = simulate_firm_d(5, n_people=24)
    history, batch = firm.split_entries()
    assert set(batch["label_kind"]) - {""} == set(FIRM_D_TIME_KINDS)
    assert 0.0 < (batch["label_kind"] != "").mean() < 0.08
    # Tenths of an hour, on matter codes, in two currencies.
    tenths = (history["hours"] * 10).round(6)
    assert (tenths == tenths.round()).all()
    assert {p["currency"] for p in firm.context["projects"]} >= {"USD", "CAD"}
    assert set(firm.invoices["label_kind"]) - {""} == set(FIRM_D_INVOICE_KINDS)
    _, _, invoices, lines = firm.split_invoices()
    assert len(invoices) and set(lines["invoice_id"]) == set(invoices["invoice_id"])


def test_firm_d_suite_quick_reports_per_kind_recall_for_both_models() -> None:
    from evals._firm_d import FIRM_D_INVOICE_KINDS, FIRM_D_TIME_KINDS
    from evals.other_firm import SUITE_D

    result = SUITE_D.run(TimeEntryAnomalyModel(n_estimators=50), EvalContext(quick=True, seed=3))
    assert 0.0 < result.metrics["time_auprc"] <= 1.0 and 0.0 < result.metrics["invoice_auprc"] <= 1.0
    time_kinds = {row["kind"] for row in result.tables["time entries: recall per kind"]}
    invoice_kinds = {row["kind"] for row in result.tables["invoices: recall per kind"]}
    assert time_kinds == set(FIRM_D_TIME_KINDS) and invoice_kinds == set(FIRM_D_INVOICE_KINDS)
    assert result.notes and "Ashby Crane" in result.notes[0]
