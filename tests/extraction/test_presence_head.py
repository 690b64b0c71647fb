# ruff: noqa: E501  (clause texts are test data and read better unbroken)
"""The clause classifier's presence head: a second opinion on whether a contract has a
type, blended into ``ClauseScores.document`` and never into the clause findings."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from extraction.clauses import ClauseClassifier, clause_features_text, clause_scores, detect_clauses
from extraction.document import Document, Page
from extraction.schemas import DocumentInfo
from extraction.segment import segment_text
from training.clauses import SPEC

_LABELS = ["termination_for_convenience", "governing_law"]
_TRAIN = [
    ("Client may terminate this Agreement for convenience on ten days' notice.", {"termination_for_convenience"}),
    ("Either party may terminate this Agreement at any time upon sixty days' written notice.", {"termination_for_convenience"}),
    ("This Agreement is governed by the laws of England and Wales.", {"governing_law"}),
    ("The laws of the State of New York govern this Agreement.", {"governing_law"}),
    ("Weekly status reports summarise progress and risks.", set()),
    ("The kickoff meeting takes place in the client's offices.", set()),
]  # fmt: skip
# The head's corpus defines the type more narrowly: termination on breach is not it.
_HEAD = [
    ("Client may terminate this Agreement for convenience on thirty days' notice.", {"termination_for_convenience"}),
    ("Company may terminate this Agreement at any time without cause on notice.", {"termination_for_convenience"}),
    ("Either party may terminate this Agreement upon a material breach by the other party.", set()),
    ("Either party may terminate this Agreement if the other party breaches it and fails to cure the breach.", set()),
    ("Each party may terminate this Agreement on the other's material breach not cured within thirty days.", set()),
    ("The Distributor shall keep a showroom in the Territory.", set()),
]  # fmt: skip
_CONVENIENCE = "Client may terminate this Agreement for convenience on fifteen days' notice.\n\nThis Agreement is governed by the laws of England.\n"
_BREACH = "Either party may terminate this Agreement upon a material breach by the other party.\n\nThis Agreement is governed by the laws of England.\n"


def _fitted() -> ClauseClassifier:
    texts = [clause_features_text(t) for t, _ in _TRAIN] * 3
    labels = [y for _, y in _TRAIN] * 3
    return ClauseClassifier(labels=_LABELS, min_df=1, calibration_cv=2, random_state=0).fit(texts, labels)


@pytest.fixture(scope="module")
def models() -> tuple[ClauseClassifier, ClauseClassifier]:
    plain = _fitted()
    headed = copy.deepcopy(plain)
    headed.fit_presence_head(
        [clause_features_text(t) for t, _ in _HEAD] * 2,
        [y for _, y in _HEAD] * 2,
        types=["termination_for_convenience"],
    )
    return plain, headed


def _document(text: str) -> Document:
    info = DocumentInfo(sha256="0" * 64, pages=1, media_type="text/plain")
    return Document(pages=[Page(1, text)], info=info)


def test_a_fresh_model_has_no_head_and_document_is_the_best_clause() -> None:
    model = _fitted()
    assert model.presence_head_ is None
    clauses = segment_text(_BREACH)
    scores = clause_scores(model, clauses, _BREACH)
    np.testing.assert_array_equal(scores.document, scores.probability.max(axis=0))


def test_the_head_moves_presence_of_its_types_only(models: tuple[ClauseClassifier, ClauseClassifier]) -> None:
    plain, headed = models
    column = {str(c): j for j, c in enumerate(plain.classes_)}
    presence = {}
    for name, text in (("convenience", _CONVENIENCE), ("breach", _BREACH)):
        clauses = segment_text(text)
        before, after = clause_scores(plain, clauses, text), clause_scores(headed, clauses, text)
        # The clause probabilities (what findings are decided on) do not move.
        np.testing.assert_array_equal(before.probability, after.probability)
        np.testing.assert_array_equal(before.clause, after.clause)
        law = column["governing_law"]
        assert after.document[law] == before.document[law]
        presence[name] = (
            before.document[column["termination_for_convenience"]],
            after.document[column["termination_for_convenience"]],
        )
    # The head knows termination on breach is not the type: that contract's presence falls,
    # and falls further than the true clause's.
    assert presence["breach"][1] < presence["breach"][0]
    assert (
        presence["convenience"][1] - presence["breach"][1]
        > presence["convenience"][0] - presence["breach"][0]
    )


def test_findings_are_the_same_with_and_without_the_head(
    models: tuple[ClauseClassifier, ClauseClassifier],
) -> None:
    plain, headed = models
    for text in (_CONVENIENCE, _BREACH):
        document = _document(text)
        assert detect_clauses(document, model=headed) == detect_clauses(document, model=plain)


def test_the_head_needs_a_fitted_model_and_known_types() -> None:
    with pytest.raises(NotFittedError):
        ClauseClassifier().fit_presence_head(["a b c d"], [set()], types=["governing_law"])
    model = _fitted()
    with pytest.raises(ValueError, match="not in classes_"):
        model.fit_presence_head(["a b c d"], [set()], types=["insurance"])
    with pytest.raises(ValueError, match="label sets"):
        model.fit_presence_head(["a b c d", "e f g h"], [set()], types=["governing_law"])


def test_the_head_is_saved_and_reloaded_with_the_model(
    models: tuple[ClauseClassifier, ClauseClassifier], tmp_path: Path
) -> None:
    _, headed = models
    SPEC.save(headed, tmp_path)
    loaded = SPEC.load(tmp_path)
    clauses = segment_text(_BREACH)
    np.testing.assert_allclose(
        clause_scores(loaded, clauses, _BREACH).document, clause_scores(headed, clauses, _BREACH).document
    )
