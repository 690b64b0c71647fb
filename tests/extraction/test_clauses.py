# ruff: noqa: E501  (clause texts are test data and read better unbroken)
"""The clause classifier (estimator contract, overfit-save-reload), clause detection
with sentence-level evidence, and the values read inside clauses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from extraction.clause_values import (
    cap_values,
    commitment_values,
    find_durations,
    notice_days,
    party_of,
    payment_values,
    presence_negated,
    referenced_item,
)
from extraction.clauses import (
    SENTENCE_THRESHOLD,
    ClauseClassifier,
    ClauseScores,
    DetectedClause,
    clause_features_text,
    clause_scores,
    detect_clauses,
    evidence_span,
    party_names,
    qualifier_core,
)
from extraction.document import Document, Page
from extraction.errors import ClauseModelError
from extraction.schemas import DocumentInfo
from extraction.segment import segment_text
from training.clauses import SPEC, deduplicate, generated_examples
from training.sow_generator import generate_sows
from training.spec import ModelSpec, TrainingInputs

TINY = [
    ("Client may terminate this SOW for convenience on ten days' notice.", {"termination_for_convenience"}),
    ("Either party may terminate for convenience upon sixty days' written notice.", {"termination_for_convenience"}),
    ("This SOW renews automatically for successive one year terms.", {"auto_renewal"}),
    ("The term shall automatically renew unless notice of non-renewal is given.", {"auto_renewal"}),
    ("This SOW is governed by the laws of England and Wales.", {"governing_law"}),
    ("The laws of the State of New York govern this agreement.", {"governing_law"}),
    ("The kickoff meeting takes place in the client's offices.", set()),
    ("Weekly status reports summarise progress and risks.", set()),
]  # fmt: skip
TINY_LABELS = ["termination_for_convenience", "auto_renewal", "governing_law"]


def _document(*pages: str) -> Document:
    info = DocumentInfo(sha256="0" * 64, pages=len(pages), media_type="text/plain")
    return Document(pages=[Page(i + 1, text) for i, text in enumerate(pages)], info=info)


@pytest.fixture(scope="module")
def tiny_model() -> ClauseClassifier:
    texts = [clause_features_text(t) for t, _ in TINY] * 3
    labels = [y for _, y in TINY] * 3
    return ClauseClassifier(labels=TINY_LABELS, min_df=1, calibration_cv=2, random_state=0).fit(texts, labels)


@pytest.fixture(scope="module")
def small_model() -> ClauseClassifier:
    texts, labels = deduplicate(*generated_examples(generate_sows(40, seed=5, split="train")))
    return ClauseClassifier(min_df=1, random_state=0).fit(texts, labels)


def test_estimator_contract() -> None:
    with pytest.raises(TypeError):
        ClauseClassifier(["a"])  # type: ignore[call-arg]
    estimator = ClauseClassifier(C=2.0, calibration="isotonic")
    assert clone(estimator).get_params()["C"] == 2.0
    assert not hasattr(estimator, "estimators_")
    with pytest.raises(NotFittedError):
        estimator.predict_proba(["text"])


@pytest.mark.parametrize("calibration", ["sigmoid", "isotonic"])
def test_overfit_tiny_set(calibration: str) -> None:
    texts = [clause_features_text(t) for t, _ in TINY] * 3
    labels = [y for _, y in TINY] * 3
    model = ClauseClassifier(labels=TINY_LABELS, min_df=1, calibration=calibration, calibration_cv=2).fit(
        texts, labels
    )
    predicted = model.predict([clause_features_text(t) for t, _ in TINY])
    assert [set(p) for p in predicted] == [y for _, y in TINY]
    probabilities = model.predict_proba([clause_features_text(t) for t, _ in TINY])
    assert probabilities.shape == (len(TINY), 3)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_fit_leaves_examples_out_of_the_types_they_do_not_speak_for() -> None:
    # A second corpus labelled for governing law only: its renewal clause is unlabelled,
    # not a negative, so the renewal type must not learn from it.
    renewal = "This SOW renews automatically for successive one year terms."
    texts = [clause_features_text(t) for t, _ in TINY] * 3 + [clause_features_text(renewal)] * 12
    labels = [y for _, y in TINY] * 3 + [set()] * 12
    known: list[frozenset[str] | None] = [None] * (len(TINY) * 3) + [frozenset({"governing_law"})] * 12
    options: dict[str, Any] = {"labels": TINY_LABELS, "min_df": 1, "calibration_cv": 2, "random_state": 0}
    partial = ClauseClassifier(**options).fit(texts, labels, known=known)
    naive = ClauseClassifier(**options).fit(texts, labels)
    column = TINY_LABELS.index("auto_renewal")
    probe = [clause_features_text(renewal)]
    assert partial.predict_proba(probe)[0, column] > 0.5 > naive.predict_proba(probe)[0, column]
    with pytest.raises(ValueError, match="known"):
        ClauseClassifier(**options).fit(texts, labels, known=known[:3])


@pytest.mark.parametrize(("heavy", "expected_above_half"), [("renewal", True), ("none", False)])
def test_sample_weight_decides_between_conflicting_labels(heavy: str, expected_above_half: bool) -> None:
    # The same clause labelled both ways by two sources: the heavier source wins.
    clause = clause_features_text("The term continues for further periods as the parties may agree.")
    texts = [clause_features_text(t) for t, _ in TINY] * 3 + [clause] * 8
    labels = [y for _, y in TINY] * 3 + [{"auto_renewal"}] * 4 + [set()] * 4
    weights = [1.0] * (len(TINY) * 3) + [10.0 if heavy == "renewal" else 1.0] * 4
    weights += [10.0 if heavy == "none" else 1.0] * 4
    options: dict[str, Any] = {"labels": TINY_LABELS, "min_df": 1, "calibration_cv": 2, "random_state": 0}
    model = ClauseClassifier(**options).fit(texts, labels, sample_weight=weights)
    probability = model.predict_proba([clause])[0, TINY_LABELS.index("auto_renewal")]
    assert bool(probability > 0.5) is expected_above_half
    with pytest.raises(ValueError, match="sample_weight"):
        ClauseClassifier(**options).fit(texts, labels, sample_weight=weights[:2])


def test_overfit_save_reload_same_predictions(tiny_model: ClauseClassifier, tmp_path: Path) -> None:
    SPEC.save(tiny_model, tmp_path)
    reloaded = SPEC.load(tmp_path)
    texts = [clause_features_text(t) for t, _ in TINY] + ["an unseen sentence about renewal and law"]
    np.testing.assert_array_equal(tiny_model.predict_proba(texts), reloaded.predict_proba(texts))
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["labels"] == TINY_LABELS


def test_spec_is_a_model_spec() -> None:
    assert isinstance(SPEC, ModelSpec)
    assert (SPEC.short_name, SPEC.registered_name) == ("clauses", "handoff-clauses")


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "model.joblib").unlink(),
        lambda d: (d / "model.joblib").write_bytes(b"not a pickle"),
        lambda d: (d / "model.joblib").write_bytes((d / "model.joblib").read_bytes()[:100]),
        lambda d: (d / "meta.json").write_text("{broken"),
        lambda d: (d / "meta.json").write_text(json.dumps({"format_version": 99})),
        lambda d: (d / "meta.json").write_text(
            json.dumps({"format_version": 1, "labels": ["governing_law"]})
        ),
    ],
    ids=["missing", "garbage", "truncated", "bad-json", "wrong-format", "label-mismatch"],
)
def test_load_corrupt_folder_is_a_clear_error(tiny_model: ClauseClassifier, tmp_path: Path, damage) -> None:
    SPEC.save(tiny_model, tmp_path)
    damage(tmp_path)
    with pytest.raises(ClauseModelError):
        SPEC.load(tmp_path)


def test_detect_clauses_rejects_an_unfitted_model() -> None:
    with pytest.raises(ClauseModelError):
        detect_clauses(_document("Client may terminate."), model=ClauseClassifier())


SOW = """STATEMENT OF WORK

1. Term
1.1 This SOW commences on 1 March 2025. This SOW shall automatically renew for successive twelve (12) month periods unless either party gives ninety (90) days' notice of non-renewal.

2. Termination
2.1 Client may terminate this SOW for convenience upon fifteen (15) days' prior written notice.

3. General
3.1 This SOW is governed by the laws of the State of New York.
"""


def test_detect_clauses_finds_types_values_and_sentence_evidence(small_model: ClauseClassifier) -> None:
    document = _document(SOW)
    found = {c.type: c for c in detect_clauses(document, model=small_model)}
    assert {"auto_renewal", "termination_for_convenience", "governing_law"} <= set(found)
    renewal = found["auto_renewal"]
    assert renewal.values["renewal_months"] == 12 and renewal.values["notice_days"] == 90
    quote = " ".join(e.quote for e in renewal.evidence)
    assert "automatically renew" in quote and "commences" not in quote  # the sentence, not the paragraph
    assert found["termination_for_convenience"].values["notice_days"] == 15
    for clause in found.values():
        assert 0.0 <= clause.confidence <= 1.0
        for e in clause.evidence:
            assert document.pages[e.page - 1].text[e.start : e.end] == e.quote


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(SOW.split("\n\n")), min_size=1, max_size=5), st.integers(0, 3))
def test_evidence_offsets_slice_exactly(
    small_model: ClauseClassifier, chunks: list[str], page_break: int
) -> None:
    text = "\n\n".join(chunks)
    cut = min(len(text), page_break * 40)
    document = _document(text[:cut], text[cut:]) if 0 < cut < len(text) else _document(text)
    for clause in detect_clauses(document, model=small_model):
        assert isinstance(clause, DetectedClause)
        for e in clause.evidence:
            assert document.pages[e.page - 1].text[e.start : e.end] == e.quote


def test_quick_training_without_shared_data(tmp_path: Path) -> None:
    trained = SPEC.train(TrainingInputs(quick=True, seed=3))
    assert trained.metrics["segment_micro_f1"] > 0.6
    assert trained.model.training_sources_["cuad"] is False
    assert trained.input_example
    SPEC.save(trained.model, tmp_path)
    assert SPEC.load(tmp_path).predict([clause_features_text(t) for t in trained.input_example])


@pytest.mark.parametrize(
    ("text", "days"),
    [("thirty (30) days", 30), ("30 (thirty) days", 30), ("two weeks", 14), ("one (1) month", 30), ("a year", 365),
     ("forty-five calendar days", 45), ("12-month", 360)],
)  # fmt: skip
def test_find_durations(text: str, days: int) -> None:
    (duration,) = find_durations(text)
    assert duration.days == days


@pytest.mark.parametrize(
    ("text", "days"),
    [("may terminate on sixty (60) days' prior written notice", 60), ("may terminate immediately upon notice", 0),
     ("upon two weeks' notice", 14), ("for convenience", None)],
)  # fmt: skip
def test_notice_days(text: str, days: int | None) -> None:
    assert notice_days(text) == days


@pytest.mark.parametrize(
    ("text", "multiple"),
    [("shall not exceed two times (2x) the fees", 2.0), ("limited to 150% of the fees paid", 1.5),
     ("shall not exceed the total fees paid hereunder", 1.0), ("three (3) times the Fees", 3.0),
     ("one and a half times the fees", 1.5), ("twice the fees paid", 2.0),
     ("is limited to 200% of the agreed price", 2.0), ("fifty per cent of the total annual Charges", 0.5),
     ("is limited to the amount of the order", 1.0), ("shall not exceed the value of this Contract", 1.0),
     ("shall not exceed the Contract Price", 1.0)],
)  # fmt: skip
def test_cap_multiple(text: str, multiple: float) -> None:
    assert cap_values(text)["cap_multiple"] == multiple


@pytest.mark.parametrize(
    ("schedule", "item"),
    [("Item 9  Liability limit: NZD 2,000,000\nItem 10  Insurance: as required", "Item 9  Liability limit: NZD 2,000,000"),
     ("Item 9  Liability limit: to be agreed", None),  # the item names no sum
     ("Item 19  Liability limit: NZD 2,000,000", None)],  # another item
)  # fmt: skip
def test_a_cap_given_by_a_schedule_item_reads_that_items_amount(schedule: str, item: str | None) -> None:
    clause = "The Supplier's liability under this Contract is limited to the amount specified in Item 9."
    assert referenced_item(clause, f"DETAILS\n{schedule}\n\n{clause}") == item
    if item is not None:
        assert cap_values(f"{clause}\n{item}", total_fee=400_000)["cap_multiple"] == 5.0


def test_cap_amount_is_measured_against_the_fee() -> None:
    assert cap_values("liability is capped at $300,000", total_fee=100_000)["cap_multiple"] == 3.0


@pytest.mark.parametrize(
    ("text", "days", "conditional"),
    [("payable within sixty (60) days of receipt", 60, False), ("net 45", 45, False), ("due upon receipt", 0, False),
     ("within 5 days after Client receives payment from its customer", None, True)],
)  # fmt: skip
def test_payment_values(text: str, days: int | None, conditional: bool) -> None:
    assert payment_values(text) == {"payment_days": days, "pay_when_paid": conditional}


@pytest.mark.parametrize(
    ("text", "party"),
    [("Neither party shall solicit", "mutual"), ("The Supplier shall not hire", "firm"),
     ("Customer may terminate", "client"), ("Each Party agrees", "mutual")],
)  # fmt: skip
def test_party_of(text: str, party: str) -> None:
    assert party_of(text) == party


def test_clause_scores_raise_a_clause_to_a_confident_sentence(tiny_model: ClauseClassifier) -> None:
    text = "The kickoff meeting takes place in the client's offices. This SOW is governed by the laws of England and Wales. Weekly status reports summarise progress and risks."
    clause = segment_text(text)[0]
    assert len(clause.sentences) == 3
    scores = clause_scores(tiny_model, [clause])
    column = list(tiny_model.classes_).index("governing_law")
    sentence_best = scores.sentences[0][:, column].max()
    assert scores.probability[0, column] == max(
        scores.clause[0, column], sentence_best if sentence_best >= SENTENCE_THRESHOLD else 0.0
    )
    start, end = evidence_span(clause, column, scores, 0)
    assert "governed by the laws" in text[start:end] and "kickoff" not in text[start:end]


def test_a_documents_own_party_names_fold_like_the_lexicons() -> None:
    bank = (
        'Between Kestrel Mutual Bank Ltd. (the "Bank") and Orrin Data Services Pvt. Ltd. (the "Vendor")\n\n'
        "The Vendor shall indemnify the Bank against losses. Fees are paid by bank transfer."
    )
    folded = clause_features_text(bank.split("\n\n")[1], "", party_names(bank))
    assert "partyf shall indemnify the partyc" in folded
    assert "by bank transfer" in folded  # only the capitalised defined term is the party
    # A bare name that acts as a party, and an institution named as "the City".
    federal = "Canada will pay the Contractor within 30 days. The Contractor grants Canada a licence."
    assert clause_features_text(federal, "", party_names(federal)).startswith("partyc will pay the partyf")
    city = "The City will pay approved invoices within 60 days and may end this assignment at will."
    assert "partyc will pay" in clause_features_text(city, "", party_names(city))
    # Places and defined things are not parties, and without a document nothing extra folds.
    place = "The laws of Ontario apply. Ontario courts decide. Ontario shall be the seat. Deliverables shall be accepted. Deliverables will be delivered."
    assert party_names(place) == party_names("")
    assert "the city will pay" in clause_features_text(city)
    state = "This SOW is governed by the laws of the State of New York. The State of New York courts decide."
    assert party_names(state).client is None


def test_clause_scores_fold_the_party_names_of_the_document_they_are_given(
    tiny_model: ClauseClassifier,
) -> None:
    # The same clause under the lexicon's label and under the document's own name scores alike.
    lexicon = "The Client may terminate this SOW for convenience on ten days' notice."
    named = 'Prepared for Harrow Bank plc (the "Bank").\n\nThe Bank may terminate this SOW for convenience on ten days\' notice.\n'
    clause = segment_text(named)[-1]
    folded = clause_scores(tiny_model, [clause], named).probability
    unfolded = clause_scores(tiny_model, [clause]).probability
    reference = clause_scores(tiny_model, segment_text(lexicon + "\n")).probability
    assert np.array_equal(folded, reference) and not np.array_equal(unfolded, reference)


def test_evidence_stops_at_a_neighbour_another_type_claims_more_strongly() -> None:
    text = "Client shall pay each invoice within 30 days of receipt. Any sum not paid by its due date shall incur interest at 2% per month."
    (clause,) = segment_text(text)
    assert len(clause.sentences) == 2
    first_end = clause.sentences[0].end

    def span(late_payment_in_second: float) -> str:
        # Columns: payment terms, late payment. The second sentence speaks of payment too (0.63).
        sentences = np.array([[1.0, 0.0], [0.63, late_payment_in_second]])
        scores = ClauseScores(
            sentences.max(axis=0, keepdims=True), sentences[:1], {0: sentences}, sentences.max(axis=0)
        )
        start, end = evidence_span(clause, 0, scores, 0)
        return text[start:end]

    assert span(1.0) == text[:first_end]  # the interest sentence is the late-payment clause's quote
    assert span(0.1) == text  # nothing claims it more strongly: the run goes on
    assert span(0.8) == text  # too weak a claim for the sentence to be reported as late payment


@pytest.mark.parametrize(
    ("text", "core"),
    [
        (
            "4.1 The Vendor shall indemnify the Bank against all losses suffered by the Bank to the extent caused by the Vendor's breach of this Agreement.",
            "4.1 The Vendor shall indemnify the Bank against all losses suffered by the Bank.",
        ),
        (
            "Subject to clause 14.4, the Supplier's total liability shall not exceed the Charges, provided that this limit is reduced by service credits.",
            "The Supplier's total liability shall not exceed the Charges.",
        ),
        (
            "E. Indemnity. Supplier shall indemnify Client against claims save to the extent that they arise from Client's own default.",
            "E. Indemnity. Supplier shall indemnify Client against claims.",
        ),
        (
            "Notwithstanding anything to the contrary, Client may terminate this SOW on 30 days' notice.",
            "Client may terminate this SOW on 30 days' notice.",
        ),
        ("Client shall pay each invoice within 30 days of receipt.", None),
        # What is left would be too short to carry a type.
        ("Fees, subject to clause 4, are fixed.", None),
    ],
)
def test_qualifier_core_drops_openers_and_tails_that_name_no_type(text: str, core: str | None) -> None:
    assert qualifier_core(text) == core


def test_clause_scores_keep_the_better_of_a_qualified_clause_and_its_core(
    tiny_model: ClauseClassifier,
) -> None:
    bare = "Client may terminate this SOW for convenience on 30 days' notice."
    qualified = "Client may terminate this SOW for convenience on 30 days' notice, save that any Deliverable already accepted under the acceptance procedure in Schedule 4 shall be paid for in full by Client at the rates in Annex B."
    column = list(tiny_model.classes_).index("termination_for_convenience")
    alone = tiny_model.predict_proba([clause_features_text(qualified)])[0, column]
    core = tiny_model.predict_proba([clause_features_text(bare)])[0, column]
    assert core > alone  # the tail dilutes the words that carry the type
    scores = clause_scores(tiny_model, segment_text(qualified))
    assert scores.probability[0, column] == pytest.approx(max(alone, core))


@pytest.mark.parametrize(
    "text",
    [
        "The Buyer may end this Call-Off Contract at any time",
        "You may end our engagement at any time",
        "Either of us may end this engagement at any time",
        "The Supplier may end this Task Order at any time",
    ],
)
def test_a_document_naming_itself_folds_to_one_token(text: str) -> None:
    assert "end thisdoc at any time" in clause_features_text(text)


def test_another_document_is_not_this_one() -> None:
    assert "master agreement" in clause_features_text("In a conflict the Master Agreement prevails.")


@pytest.mark.parametrize(
    ("text", "party"),
    [
        (
            "Vendor will supply data engineers at these rates:\n  Engineer II .... $118.00 per hour\nCompany commits to a minimum of 2,000 billable hours in each quarter.",
            "client",
        ),
        (
            "Client will provide office space. Consultant shall deploy not fewer than three (3) engineers throughout the Term.",
            "firm",
        ),
        ("Client shall purchase no fewer than 100 hours.", "client"),
    ],
)
def test_the_committing_party_is_the_subject_of_the_commitment_sentence(text: str, party: str) -> None:
    assert commitment_values(text)["committing_party"] == party


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        (
            "This Work Order does not contain any exclusivity commitment, and the Supplier may provide similar services to third parties.",
            True,
        ),
        (
            "The Consultant may offer its services to other clients, including competitors of the Client.",
            True,
        ),
        (
            "The Supplier shall not provide similar services to any competitor of the Client during the Term.",
            False,
        ),
        ("The Consultant may not provide services to third parties that compete with the Client.", False),
    ],
)
def test_a_freedom_to_serve_others_is_no_non_compete(text: str, negated: bool) -> None:
    assert presence_negated("non_compete", text) is negated


def test_a_contracting_companys_name_folds_with_its_label() -> None:
    text = 'This Schedule is made between Kestrel Insurance Group plc (the "Customer") and Pennant Audit Services Limited (the "Supplier").\nThe Supplier shall maintain insurance.'
    preamble = clause_features_text(text.splitlines()[0], "", party_names(text))
    assert "insurance" not in preamble and "audit" not in preamble
    assert "between partyc" in preamble and "and partyf" in preamble


def test_the_other_company_of_two_takes_the_other_side() -> None:
    text = "Fynbos Digital (Pty) Ltd (\u201cFynbos\u201d) for Karoo Mutual Insurance Limited (\u201cKaroo\u201d)\nFynbos will rebuild Karoo's claims portal. Karoo shall pay Fynbos within 30 days. Karoo will test the portal."
    features = clause_features_text(text, "", party_names(text))
    assert "partyf (\u201cpartyf\u201d) for partyc (\u201cpartyc\u201d)" in features
    assert "insurance" not in features and "partyf will rebuild partyc's" in features
