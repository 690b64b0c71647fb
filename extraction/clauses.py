"""Clause detection: a calibrated classifier over clause-sized segments, evidence at
sentence level, and the values inside each clause.

:class:`ClauseClassifier` is a scikit-learn estimator: TF-IDF word 1-2 grams
(with the section heading as separate ``hdr_*`` tokens), optional character
n-grams and per-type cue words, and one logistic regression per clause type,
each calibrated on its own out-of-fold scores (Platt scaling, or isotonic), so
``predict_proba`` is a probability per type: among clauses given 0.9, about
nine in ten are that type. Higher is more likely; a type is predicted at or
above its threshold (0.5 unless tuned).

:func:`detect_clauses` segments a document (:mod:`extraction.segment`), scores
every clause, and for each type found picks the sentence or sub-clause run that
carries it as evidence (lawyers' spans are sentence-sized, paragraphs are not).

Whether a *document* has a type is :func:`clause_scores`' ``document``: the best
clause's probability, blended with a presence head's score when the model has one
(trained on CUAD, :meth:`ClauseClassifier.fit_presence_head`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.validation import check_is_fitted

from extraction.clause_values import (
    CLIENT_TERMS,
    FIRM_TERMS,
    clause_values,
    defined_party_terms,
    referenced_item,
)
from extraction.document import Document
from extraction.errors import ClauseModelError
from extraction.schemas import CLAUSE_TYPES, Evidence
from extraction.segment import Clause, segment_document

_LABEL_PREFIX = re.compile(
    r"^\s*(?:(?:article|section|clause|§)\s*)?(?:\d{1,2}(?:\.\d{1,3}){0,3}\.?|\([a-z0-9]{1,4}\)|[a-z]\))\s+",
    re.I,
)
_DIGITS = re.compile(r"\d+")
# Party labels and the document's name differ by firm, not by clause type: fold them.
_FIRM_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in FIRM_TERMS) + r")s?\b")
_CLIENT_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in CLIENT_TERMS) + r")s?\b")
# Documents name themselves in many ways: "this Call-Off Contract", "this Task Order", "our
# engagement". Only "this" takes a modifier: "the Master Agreement" is another document.
_DOC_NAME = re.compile(
    r"\b(?:this\s+(?:(?:call-off|task|purchase|service|services|work|change|consulting|framework|"
    r"engagement|retainer|subscription)\s+)?(?:sow|statement\s+of\s+work|order|schedule|agreement|contract|"
    r"engagement(?:\s+letter)?|letter|retainer)"
    r"|(?:the|our|your)\s+(?:sow|statement\s+of\s+work|work\s+order|schedule|agreement|contract|"
    r"engagement(?:\s+letter)?))\b"
)


#: Words that signal a clause type in most drafting styles: (word stems, phrases).
#: Each type becomes one binary feature, so the classifier can generalise past
#: the exact n-grams it saw. Stems match word prefixes; phrases match anywhere.
TYPE_CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "limitation_of_liability": (
        ("liabil", "liable", "capped", "aggregate"),
        ("shall not exceed", "limited to"),
    ),
    "uncapped_liability": (("unlimited",), ("without limit", "no cap", "no limit", "shall not apply to")),
    "indemnification": (("indemn", "harmless", "defend"), ()),
    "auto_renewal": (
        ("renew", "evergreen", "successive"),
        ("roll over", "rolls over", "extended automatically"),
    ),
    "termination_for_convenience": (("terminat", "convenience"), ("without cause", "at will", "end thisdoc")),
    "most_favored_nation": (("favor", "favour", "lowest"), ("best pric", "equal to or lower", "most-favo")),
    "non_solicitation": (("solicit", "hire", "recruit", "employ", "induce"), ()),
    "non_compete": (("compet", "refrain"), ("similar services",)),
    "exclusivity": (("exclusiv", "solely"), ("sole supplier", "sole provider", "sole source")),
    "ip_assignment": (("intellectual", "title", "ownership", "own", "vest", "assign"), ("work product",)),
    "liquidated_damages": (("liquidated", "delay", "penalt", "credit"), ("pre-estimate", "service level")),
    "audit_rights": (("audit", "inspect", "books", "records"), ()),
    "change_of_control": (("merger", "acquisition", "acquire", "control"), ("change of control",)),
    "anti_assignment": (("assign", "novat", "transfer", "subcontract"), ()),
    "governing_law": (("governed", "jurisdiction", "court", "law"), ("laws of", "law of")),
    "warranty": (("warrant", "defect", "workmanlike"), ("re-perform", "skill and care")),
    "insurance": (("insur",), ("indemnity cover",)),
    "minimum_commitment": (("minimum", "guarantee"), ("no fewer than", "not less than", "at least")),
    "acceptance": (("accept", "reject", "satisf"), ("sign-off", "sign off")),
    "payment_terms": (("payable", "invoice", "paid", "pay", "settle"), ("net 0",)),
    "late_payment": (("interest", "late", "overdue", "outstanding"), ("past due",)),
    "rate_change": (("rate", "pric", "increase", "adjust", "cpi", "index"), ()),
    "confidentiality": (("confidential", "secret", "disclos", "proprietary"), ()),
}
_WORDS_RE = re.compile(r"[a-z]+")


def _carries_cues(lowered: str, words: set[str], stems: tuple[str, ...], phrases: tuple[str, ...]) -> bool:
    return any(w.startswith(stems) for w in words) or any(p in lowered for p in phrases)


def cue_features(texts: Sequence[str]) -> sparse.csr_matrix:
    """One binary column per clause type: does the text carry that type's cue words."""
    rows, cols = [], []
    cues = list(TYPE_CUES.values())
    for i, text in enumerate(texts):
        lowered = text.lower()
        words = set(_WORDS_RE.findall(lowered))
        for j, (stems, phrases) in enumerate(cues):
            if _carries_cues(lowered, words, stems, phrases):
                rows.append(i)
                cols.append(j)
    data = np.ones(len(rows))
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), len(TYPE_CUES)))


def cued_types(text: str) -> set[str]:
    """The clause types whose cue words (:data:`TYPE_CUES`) ``text`` carries."""
    lowered = text.lower()
    words = set(_WORDS_RE.findall(lowered))
    return {t for t, (stems, phrases) in TYPE_CUES.items() if _carries_cues(lowered, words, stems, phrases)}


# Buyers that contract under an institution's name ("the City", "the Bank", "the Crown"): a
# capitalised "the X" in a document is that party, whatever the lexicon calls its clients
# ("the State of New York" in a governing-law clause is a place, not a party: not before "of").
_INSTITUTION_NOUNS = (
    "government", "contracting officer", "department", "ministry", "council", "crown", "commonwealth",
    "city", "town", "municipality", "county", "bank", "university", "hospital",
    "trust", "charity", "society", "fund", "district",
)  # fmt: skip
_INSTITUTION = re.compile(
    r"\b[Tt]he\s+(" + "|".join(w.title().replace(" ", r"\s+") for w in _INSTITUTION_NOUNS) + r")\b(?!\s+of\b)"
)
# A bare name that opens a sentence or a numbered item as the subject of a duty ("1.3 Canada will pay").
_MODAL_SUBJECT = re.compile(
    r"(?:^|[.;:]\s+|\n[ \t]*(?:\(?[0-9a-z]{1,3}(?:\.[0-9]{1,3})*[.)]?[ \t]+)?)"
    r"([A-Z][a-z]{2,})\s+(?:will|shall|must|may|agrees?|retains?)\b",
    re.M,
)
# Capitalised words that start sentences or name things, never a contracting party.
_NOT_PARTY_NAMES = frozenset((
    "this", "that", "these", "those", "each", "either", "neither", "such", "any", "all", "no", "none",
    "it", "its", "they", "we", "you", "he", "she", "there", "payment", "invoices", "interest", "notice",
    "time", "work", "title", "nothing", "unless", "where", "if", "when", "upon", "after", "before",
    "during", "subject", "except",
))  # fmt: skip


@dataclass(frozen=True)
class PartyNames:
    """The names one document gives its parties beyond the lexicon's, as case-sensitive
    patterns (defined terms are written capitalised; "bank transfer" is not the Bank)."""

    firm: re.Pattern[str] | None = None
    client: re.Pattern[str] | None = None


# A contracting company named before its label: 'Kestrel Insurance Group plc (the "Customer")'.
# Its words are the company's, not the clause's ("Insurance", "Audit", "Credit Union").
_LEGAL_NAME_WORD = r"(?:[A-Z][\w&'.-]*|\(Pty\)|of|and|&|plc|ltd\.?|inc\.?|pty|llp|llc)"
_LEGAL_NAME = re.compile(
    rf"\b([A-Z][\w&'.-]*(?:,?[ \t]+{_LEGAL_NAME_WORD}){{0,7}}),?[ \t]*"
    r"\(\s*(?:the\s+)?[\"“']([A-Z][A-Za-z ]{1,30})[\"”']\s*\)"
)


def _name_pattern(names: Collection[str], exact: Collection[str] = ()) -> re.Pattern[str] | None:
    forms = {f for name in names for f in (name.title(), name.upper())} | set(exact)
    if not forms:
        return None
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered) + r")s?\b")


def party_names(text: str) -> PartyNames:
    """The document's own party names, for :func:`clause_features_text` to fold like the
    lexicon's: labels its preamble defines (:func:`defined_party_terms`), institutions
    named as "the City" / "the Bank", and bare proper names that act as a party ("Canada
    will pay ...": capitalised everywhere, never after "the", the subject of a modal verb,
    used at least twice). Names not known to be the firm's are the client's.

    Training (generated SOWs, CUAD contracts) and serving (:func:`clause_scores`) both
    call this on the whole document, so the classifier never learns a firm's name."""
    firm_terms, client_terms = defined_party_terms(text)
    known = {t.lower() for t in (*FIRM_TERMS, *CLIENT_TERMS)}
    firm = {t for t in firm_terms if t.lower() not in known}
    client = {t for t in client_terms if t.lower() not in known}
    client.update(" ".join(m.group(1).split()).lower() for m in _INSTITUTION.finditer(text))
    counts: dict[str, int] = {}
    for m in re.finditer(r"\b[A-Z][a-z]{2,}\b", text):
        counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    for m in _MODAL_SUBJECT.finditer(text):
        name = m.group(1)
        lowered = name.lower()
        if (
            lowered in known
            or lowered in firm
            or lowered in client
            or lowered in _NOT_PARTY_NAMES
            # Plurals and abstract nouns ("Deliverables", "Acceptance") are defined things.
            or name.endswith(("s", "ance", "ence", "ment", "tion", "sion", "ity", "ing"))
            or counts.get(name, 0) < 2
            or re.search(rf"\b{lowered}\b", text) is not None
            # After an article it is a defined thing ("the Order"); after "of" / "in" a place.
            or re.search(rf"\b(?:[Tt]he|[Tt]his|[Aa]ny|[Ss]uch|[Ee]ach|[Aa]ll|of|in|at|New)\s+{name}\b", text)
            is not None
        ):
            continue
        client.add(lowered)
    client -= {t.lower() for t in firm}
    legal: dict[str, set[str]] = {"firm": set(), "client": set()}
    firm_labels = {t.lower() for t in firm_terms} | firm
    client_labels = {t.lower() for t in client_terms} | client
    named: list[tuple[str, str, str | None]] = []
    for m in _LEGAL_NAME.finditer(text[:5000]):
        # Without a final full stop ("Inc."), so the name's pattern ends at a word boundary.
        name, label = m.group(1).strip(" ,.").rstrip("."), m.group(2).strip().lower()
        side = "firm" if label in firm_labels else "client" if label in client_labels else None
        if len(name) > 3 and name.lower() != label:
            named.append((name, label, side))
    # Two companies, one of them a known side ('Fynbos Digital (Pty) Ltd ("Fynbos") for Karoo
    # Mutual Insurance Limited ("Karoo")'): the other is the other side, and so is its label.
    known_sides = {side for _, _, side in named if side is not None}
    for name, label, side in named:
        if side is None and len(named) == 2 and len(known_sides) == 1:
            side = "client" if known_sides == {"firm"} else "firm"
            (firm if side == "firm" else client).add(label)
        if side is not None:
            legal[side].add(name)
    return PartyNames(_name_pattern(firm, legal["firm"]), _name_pattern(client, legal["client"]))


def clause_features_text(text: str, heading: str = "", parties: PartyNames | None = None) -> str:
    """The string the classifier reads: heading words as ``hdr_*`` tokens, then the
    clause body lower-cased with its label stripped, digits folded to ``0``, party
    labels folded to ``partyf`` / ``partyc`` (the lexicon's, and the document's own
    names in ``parties``, see :func:`party_names`) and the document's name to ``thisdoc``."""
    body = _DIGITS.sub("0", _LABEL_PREFIX.sub("", text))
    if parties is not None:
        if parties.firm is not None:
            body = parties.firm.sub("partyf", body)
        if parties.client is not None:
            body = parties.client.sub("partyc", body)
    body = body.lower()
    body = _DOC_NAME.sub("thisdoc", body)
    body = _CLIENT_WORDS.sub("partyc", _FIRM_WORDS.sub("partyf", body))
    head = " ".join(f"hdr_{w}" for w in re.findall(r"[a-z]{3,}", heading.lower()))
    return f"{head} || {body}" if head else body


@dataclass
class _Calibrated:
    """One type's logistic regression and the calibrator fitted on its out-of-fold scores."""

    model: LogisticRegression
    calibrator: Any | None

    def probability(self, features: sparse.csr_matrix) -> np.ndarray:
        if self.calibrator is None:
            return np.asarray(self.model.predict_proba(features)[:, 1])
        scores = self.model.decision_function(features)
        if isinstance(self.calibrator, IsotonicRegression):
            return np.asarray(self.calibrator.predict(scores))
        return np.asarray(self.calibrator.predict_proba(scores.reshape(-1, 1))[:, 1])


@dataclass
class PresenceHead:
    """:meth:`ClauseClassifier.fit_presence_head`'s vectorizer and one logistic regression
    per type it covers; ``decision`` is higher for a clause more likely of the type."""

    vectorizer: TfidfVectorizer
    models: dict[str, LogisticRegression]

    def decision(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        features = self.vectorizer.transform(texts)
        return {label: np.asarray(model.decision_function(features)) for label, model in self.models.items()}


#: Weight of the clause model's best-clause log-odds in a contract's presence score; the
#: presence head's best clause gets the rest. Measured on CUAD's grouped 5-fold CV (train
#: split): 0.5 / 0.6 / 0.7 gave macro AUPR 0.839 / 0.838 / 0.836 (the clause model alone 0.827).
PRESENCE_MODEL_WEIGHT = 0.5


class ClauseClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label clause-type classifier with calibrated probabilities.

    Parameters
    ----------
    labels
        The clause types to learn (default: the contract's 23).
    word_ngram_range, char_ngram_range
        TF-IDF n-gram ranges; character n-grams are off by default (``None``): on
        clause text they multiply the fit time, which matters on a shared 2-core box.
    min_df
        Minimum document frequency of a feature.
    C
        Inverse regularisation of each logistic regression.
    calibration
        ``"sigmoid"`` (Platt) or ``"isotonic"``, fitted on out-of-fold decision values.
    calibration_cv
        Folds for the calibrator.
    cue_weight
        Scale of the per-type cue-word features (:data:`TYPE_CUES`); 0 drops them.
    class_weight
        Passed to each logistic regression (``"balanced"`` or None).
    threshold
        Default decision threshold on the calibrated probability.
    random_state
        Seed for the solvers.

    Attributes
    ----------
    classes_ : ndarray of str
        The clause types, in the column order of :meth:`predict_proba`.
    thresholds_ : dict
        Per-type threshold used by :meth:`predict`.
    presence_head_ : PresenceHead or None
        The contract-level presence head (:meth:`fit_presence_head`), None unless fitted.
    """

    def __init__(
        self,
        *,
        labels: Sequence[str] | None = None,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = None,
        min_df: int = 2,
        C: float = 8.0,
        calibration: str = "sigmoid",
        calibration_cv: int = 3,
        cue_weight: float = 1.0,
        class_weight: str | None = None,
        threshold: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.labels = labels
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.C = C
        self.calibration = calibration
        self.calibration_cv = calibration_cv
        self.cue_weight = cue_weight
        self.class_weight = class_weight
        self.threshold = threshold
        self.random_state = random_state

    # -- features --

    def _transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        blocks = [self.word_vectorizer_.transform(texts)]
        if self.char_vectorizer_ is not None:
            blocks.append(self.char_vectorizer_.transform(texts))
        if self.cue_weight:
            blocks.append(cue_features(texts) * self.cue_weight)
        return sparse.hstack(blocks, format="csr")

    def fit(
        self,
        X: Sequence[str],
        y: Sequence[Collection[str]],
        *,
        known: Sequence[Collection[str] | None] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> ClauseClassifier:
        """Fit on feature texts (see :func:`clause_features_text`) and label sets (empty = no clause).

        ``known``, when given, names per example the types its label set speaks for
        (``None`` = all of them): a corpus labelled for some types only (CUAD says
        nothing about indemnities) then trains those types and is left out of the
        others, instead of teaching them that its unlabelled clauses are negatives.
        ``sample_weight`` weighs examples in each fit and in its calibrator (so a
        large corpus from another domain does not drown the one the model serves).
        """
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} texts but y has {len(y)} label sets")
        if known is not None and len(known) != len(X):
            raise ValueError(f"X has {len(X)} texts but known has {len(known)} entries")
        if sample_weight is not None and len(sample_weight) != len(X):
            raise ValueError(f"X has {len(X)} texts but sample_weight has {len(sample_weight)} entries")
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        labels = list(self.labels) if self.labels is not None else list(CLAUSE_TYPES)
        self.classes_ = np.array(labels, dtype=object)
        self.word_vectorizer_ = TfidfVectorizer(
            ngram_range=self.word_ngram_range, min_df=self.min_df, sublinear_tf=True, max_features=300_000
        )
        self.word_vectorizer_.fit(X)
        self.char_vectorizer_: TfidfVectorizer | None = None
        if self.char_ngram_range is not None:
            self.char_vectorizer_ = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=self.char_ngram_range,
                min_df=self.min_df,
                sublinear_tf=True,
                max_features=300_000,
            )
            self.char_vectorizer_.fit(X)
        features = self._transform(X)
        self.estimators_: list[Any] = []
        with warnings.catch_warnings():
            # liblinear's dual solver may stop a little short of its tolerance on
            # near-separable types; the calibrator is fitted on what it returns.
            warnings.simplefilter("ignore", ConvergenceWarning)
            label_sets = [set(labs) for labs in y]
            for label in labels:
                target = np.array([label in labs for labs in label_sets], dtype=int)
                if known is None:
                    self.estimators_.append(self._fit_one(features, target, weights))
                    continue
                rows = np.array([k is None or label in k for k in known], dtype=bool)
                own = None if weights is None else weights[rows]
                self.estimators_.append(self._fit_one(features[rows], target[rows], own))
        self.thresholds_ = {label: float(self.threshold) for label in labels}
        self.presence_head_: PresenceHead | None = None
        return self

    def _fit_one(self, features: sparse.csr_matrix, target: np.ndarray, weights: np.ndarray | None) -> Any:
        positives = int(target.sum())
        if positives == 0 or positives == len(target):
            return float(positives > 0)  # a constant probability
        base = LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            solver="liblinear",
            # The dual solver: far fewer examples than TF-IDF features, where it is the fast one.
            dual=True,
            random_state=self.random_state,
            max_iter=1000,
        )
        folds = min(self.calibration_cv, positives, len(target) - positives)
        if folds < 2:
            return _Calibrated(base.fit(features, target, sample_weight=weights), None)
        # Out-of-fold scores fit the calibrator, so it learns how the model errs on unseen text.
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        params = {} if weights is None else {"sample_weight": weights}
        scores = cross_val_predict(
            base, features, target, cv=splitter, method="decision_function", params=params
        )
        if self.calibration == "isotonic":
            calibrator: Any = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
                scores, target, sample_weight=weights
            )
        else:
            calibrator = LogisticRegression(C=1e4).fit(scores.reshape(-1, 1), target, sample_weight=weights)
        return _Calibrated(clone(base).fit(features, target, sample_weight=weights), calibrator)

    def fit_presence_head(
        self, X: Sequence[str], y: Sequence[Collection[str]], *, types: Sequence[str]
    ) -> ClauseClassifier:
        """Fit the contract-level presence head: for each of ``types``, a logistic regression
        on its own TF-IDF (word 1-2 grams) over feature texts of one corpus's clauses, every
        clause an example for every type (``y``: the types each clause is). It never changes
        the clause probabilities :func:`detect_clauses` decides on; it is blended into
        ``ClauseScores.document`` (see :func:`clause_scores`).

        Why beside the clause model and not inside it: CUAD's categories are narrower than
        ours (distribution-territory exclusivity, IP passing either way), so its near misses
        taught as negatives cost our SOWs' recall (``training.cuad_data.HARD_NEGATIVE_TYPES``);
        a head of its own learns them without touching the clause model."""
        check_is_fitted(self, "estimators_")
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} texts but y has {len(y)} label sets")
        unknown = set(types) - {str(c) for c in self.classes_}
        if unknown:
            raise ValueError(f"presence head types not in classes_: {', '.join(sorted(unknown))}")
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=300_000)
        features = vectorizer.fit_transform(X)
        label_sets = [set(labs) for labs in y]
        heads: dict[str, LogisticRegression] = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for label in types:
                target = np.array([label in labs for labs in label_sets], dtype=int)
                if 0 < target.sum() < len(target):
                    heads[label] = LogisticRegression(
                        C=self.C, solver="liblinear", dual=True, random_state=self.random_state, max_iter=2000
                    ).fit(features, target)
        self.presence_head_ = PresenceHead(vectorizer, heads) if heads else None
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Calibrated probability of each type (columns follow ``classes_``)."""
        check_is_fitted(self, "estimators_")
        if len(X) == 0:
            return np.zeros((0, len(self.classes_)))
        features = self._transform(X)
        columns = []
        for estimator in self.estimators_:
            if isinstance(estimator, float):
                columns.append(np.full(features.shape[0], estimator))
            else:
                columns.append(estimator.probability(features))
        return np.column_stack(columns)

    def predict(self, X: Sequence[str]) -> list[list[str]]:
        """The types at or above their threshold, per text."""
        probabilities = self.predict_proba(X)
        thresholds = np.array([self.thresholds_[label] for label in self.classes_])
        return [[str(self.classes_[j]) for j in np.flatnonzero(row >= thresholds)] for row in probabilities]


@dataclass(frozen=True)
class DetectedClause:
    """A clause of one type found in the document.

    ``evidence`` is the sentence-level quote (one item per page it touches);
    ``start``/``end`` the whole clause in ``Document.text`` global offsets.
    """

    type: str
    confidence: float
    evidence: tuple[Evidence, ...]
    values: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    heading: str = ""
    page: int = 1
    start: int = 0
    end: int = 0


#: The probability a lone sentence needs to report a type its clause as a whole does not reach.
SENTENCE_THRESHOLD = 0.85


def _evidence_span(clause: Clause, column: int, sentence_probabilities: np.ndarray | None) -> tuple[int, int]:
    """The run of sentences around the most probable one (by this type's column), each
    at least half as probable and not claimed by another type (see below)."""
    if sentence_probabilities is None or len(clause.sentences) <= 1:
        return clause.start, clause.end
    scores = sentence_probabilities[:, column]
    best = int(np.argmax(scores))
    # A neighbour that another type claims more strongly, with the confidence a lone sentence
    # needs to be reported, is that type's quote, not this one's: in "Client shall pay within
    # 30 days. Any sum not paid by its due date shall incur interest ..." the second sentence
    # is the late-payment clause, though it speaks of payment too.
    others = np.delete(sentence_probabilities, column, axis=1)
    strongest_other = others.max(axis=1) if others.shape[1] else np.zeros(len(scores))
    claimed = (strongest_other >= SENTENCE_THRESHOLD) & (strongest_other > scores)
    keep = (scores >= max(0.5, 0.5 * scores[best])) & ~claimed
    first = last = best
    while first - 1 >= 0 and keep[first - 1]:
        first -= 1
    while last + 1 < len(scores) and keep[last + 1]:
        last += 1
    return clause.sentences[first].start, clause.sentences[last].end


# Qualifying words around a duty that name no clause type of their own: an opener ("Subject to
# clause 12,", "Notwithstanding anything to the contrary,") and a tail to the sentence's end
# (", to the extent caused by ...", ", provided that ...", ", save that ..."). They dilute the
# words that carry the type, so a qualified duty scores far below the bare one.
_QUALIFYING_OPENER = re.compile(
    r"^(?:subject\s+to|notwithstanding|without\s+prejudice\s+to|without\s+limiting|except\s+as|save\s+as"
    r"|for\s+the\s+avoidance\s+of\s+doubt|in\s+addition\s+to|further\s+to|pursuant\s+to"
    r"|in\s+accordance\s+with|unless\s+(?:otherwise\s+)?agreed)\b(?:[^,;.:]|(?<=\d)\.(?=\d)){0,160},\s*",
    re.I,
)
_QUALIFYING_TAIL = re.compile(
    r",?\s+(?:provided\s+(?:always\s+)?that|save\s+(?:that|to\s+the\s+extent|where|as)"
    r"|except\s+(?:to\s+the\s+extent|that|where|as)|to\s+the\s+extent\s+(?:that|caused|arising|attributable|resulting)"
    r"|subject\s+(?:to|always\s+to)|other\s+than\s+(?:as|where|to)|in\s+each\s+case|whether\s+(?:arising|before|or\s+not))\b",
    re.I,
)
_CORE_MIN_WORDS = 5
_DUTY = re.compile(r"\b(?:shall|will|may|must|cannot|agrees?|undertakes?|warrants?|accepts?)\b", re.I)


def qualifier_core(text: str) -> str | None:
    """``text`` without a qualifying opener and without a qualifying tail (both above),
    or None when it has neither or what is left is too short to carry a type.

    A label ("4.1") and a run-in heading ("Indemnity.") before the opener are kept."""
    head = _LABEL_PREFIX.match(text)
    start = head.end() if head else 0
    run_in = re.match(r"[A-Z][A-Za-z ,'&/-]{0,60}[.:]\s+", text[start:])
    if run_in and len(run_in.group(0).split()) <= 6:
        start += run_in.end()
    body = text[start:]
    words = body.split()
    opener = _QUALIFYING_OPENER.match(body)
    if opener:
        rest = body[opener.end() :]
        body = rest[:1].upper() + rest[1:]
    tail = None
    for m in _QUALIFYING_TAIL.finditer(body):
        if len(body[: m.start()].split()) >= _CORE_MIN_WORDS:
            tail = m
            break
    if tail is not None:
        ending = re.search(r"[.;]?\s*$", body)
        body = body[: tail.start()] + (ending.group(0).strip() if ending else "")
    left = len(body.split())
    if (opener is None and tail is None) or left < _CORE_MIN_WORDS or left == len(words):
        return None
    # The core must still state a duty or a permission: "Section 9 of the MSA applies to this
    # SOW, save that the cap shall be 3x the Fees" keeps its content in the tail.
    if not _DUTY.search(body):
        return None
    return text[:start] + body


@dataclass(frozen=True)
class ClauseScores:
    """How strongly each clause carries each type, as :func:`detect_clauses` decides it.

    ``probability[i, j]`` is clause ``i``'s probability of type ``model.classes_[j]``:
    the whole clause's, raised to its best sentence's where that sentence alone clears
    :data:`SENTENCE_THRESHOLD`. ``clause`` holds the whole clauses' probabilities,
    ``sentences`` each multi-sentence clause's per-sentence probabilities and ``document``
    the contract-level presence of each type: the best clause's probability, or, for the
    types a presence head covers (:meth:`ClauseClassifier.fit_presence_head`), that
    probability's log-odds blended with the head's best clause score
    (:data:`PRESENCE_MODEL_WEIGHT`). ``document`` ranks contracts (the CUAD eval); findings
    are the clauses whose ``probability`` reaches the threshold.
    """

    probability: np.ndarray
    clause: np.ndarray
    sentences: dict[int, np.ndarray]
    document: np.ndarray


def clause_scores(model: ClauseClassifier, segments: Sequence[Clause], text: str = "") -> ClauseScores:
    """Score ``segments`` (clauses of one document) and their sentences with ``model``;
    ``text`` is the whole document, whose own party names are folded (:func:`party_names`).

    A contract "has" a type when some clause's ``probability`` reaches the type's
    threshold. ``document`` is that maximum per type, blended with the presence head's
    best clause where the model has one; the CUAD eval ranks contracts by it.
    """
    n_types = len(model.classes_)
    if not segments:
        empty = np.zeros((0, n_types))
        return ClauseScores(empty, empty, {}, np.zeros(n_types))
    parties = party_names(text)
    clause_texts = [clause_features_text(c.text, c.heading, parties) for c in segments]
    clause_probabilities = model.predict_proba(clause_texts)
    thresholds = np.array([model.thresholds_[label] for label in model.classes_])
    # Sentences are scored too: a paragraph that mixes topics ("Invoices are monthly.
    # Net 30. A late charge of 1.5% applies.") carries each type in one sentence.
    multi = [i for i, c in enumerate(segments) if len(c.sentences) > 1]
    sentence_texts = [
        clause_features_text(s.text, segments[i].heading, parties)
        for i in multi
        for s in segments[i].sentences
    ]
    sentence_probabilities = model.predict_proba(sentence_texts) if sentence_texts else np.zeros((0, 0))
    # A qualified duty is scored without its qualifiers too (see qualifier_core), and the unit
    # (clause or sentence) keeps the better score: the tail may carry the type, the core does
    # when the tail only dilutes it.
    # A clause of several sentences is cored sentence by sentence: its first sentence alone must
    # clear the sentence bar, not the clause's.
    unit_texts = [c.text for c in segments] + [s.text for i in multi for s in segments[i].sentences]
    unit_headings = [c.heading for c in segments]
    unit_headings += [segments[i].heading for i in multi for _ in segments[i].sentences]
    single = set(range(len(segments))) - set(multi)
    cores = [(k, qualifier_core(t)) for k, t in enumerate(unit_texts) if k >= len(segments) or k in single]
    cored = [(k, core) for k, core in cores if core is not None]
    if cored:
        core_probabilities = model.predict_proba(
            [clause_features_text(core, unit_headings[k], parties) for k, core in cored]
        )
        n_clauses = len(segments)
        for (k, _), row in zip(cored, core_probabilities, strict=True):
            if k < n_clauses:
                clause_probabilities[k] = np.maximum(clause_probabilities[k], row)
            else:
                sentence_probabilities[k - n_clauses] = np.maximum(sentence_probabilities[k - n_clauses], row)
    by_clause: dict[int, np.ndarray] = {}
    offset = 0
    for i in multi:
        n = len(segments[i].sentences)
        by_clause[i] = sentence_probabilities[offset : offset + n]
        offset += n
    probability = clause_probabilities.copy()
    for i, sentences in by_clause.items():
        best_sentence = sentences.max(axis=0)
        # A single sentence is weaker evidence than a whole clause: it must clear a higher bar.
        sentence_hit = best_sentence >= np.maximum(thresholds, SENTENCE_THRESHOLD)
        probability[i] = np.where(
            sentence_hit, np.maximum(clause_probabilities[i], best_sentence), probability[i]
        )
    document = probability.max(axis=0)
    head = getattr(model, "presence_head_", None)  # models pickled before the head have none
    if head is not None:
        columns = {str(label): j for j, label in enumerate(model.classes_)}
        for label, decision in head.decision(clause_texts).items():
            j = columns[label]
            best = float(np.clip(document[j], 1e-6, 1 - 1e-6))
            odds = PRESENCE_MODEL_WEIGHT * np.log(best / (1 - best))
            odds += (1 - PRESENCE_MODEL_WEIGHT) * float(decision.max())
            document[j] = 1.0 / (1.0 + np.exp(-odds))
    return ClauseScores(probability, clause_probabilities, by_clause, document)


def evidence_span(clause: Clause, column: int, scores: ClauseScores, index: int) -> tuple[int, int]:
    """The span :func:`detect_clauses` quotes for type ``column`` of clause ``index``."""
    return _evidence_span(clause, column, scores.sentences.get(index))


def detect_clauses(
    document: Document,
    *,
    model: ClauseClassifier,
    clauses: list[Clause] | None = None,
) -> list[DetectedClause]:
    """Find the clauses of the contract's vocabulary in ``document``.

    Parameters
    ----------
    document
        The ingested document.
    model
        A fitted :class:`ClauseClassifier` (``training.clauses.SPEC.load``).
    clauses
        Pre-computed segmentation (:func:`extraction.segment.segment_document`).

    Returns
    -------
    list of DetectedClause
        In document order; a clause may carry more than one type.

    Raises
    ------
    ClauseModelError
        When ``model`` is not a fitted classifier.
    """
    try:
        check_is_fitted(model, "estimators_")
    except Exception as exc:  # NotFittedError, or not an estimator at all
        raise ClauseModelError(f"the clause model is not a fitted classifier: {exc}") from None
    segments = clauses if clauses is not None else segment_document(document)
    segments = [c for c in segments if len(c.text.split()) >= 4]
    if not segments:
        return []
    scores = clause_scores(model, segments, document.text)
    thresholds = np.array([model.thresholds_[label] for label in model.classes_])
    firm_terms, client_terms = defined_party_terms(document.text)
    out: list[DetectedClause] = []
    for i, clause in enumerate(segments):
        row = scores.clause[i]
        probability = scores.probability[i]
        for column in np.flatnonzero(probability >= thresholds):
            clause_type = str(model.classes_[column])
            start, end = evidence_span(clause, int(column), scores, i)
            # Values come from the whole clause when the clause as a whole is of this type
            # (a condition may sit in its next sentence); otherwise from the sentences quoted.
            text = clause.text if row[column] >= thresholds[column] else document.text[start:end]
            evidence = tuple(document.evidence_for_span(start, end))
            if not evidence:
                continue
            values = clause_values(clause_type, text, firm_terms=firm_terms, client_terms=client_terms)
            if clause_type == "limitation_of_liability" and values.get("cap_multiple") is None:
                item = referenced_item(text, document.text)
                if item is not None:
                    values = clause_values(
                        clause_type, f"{text}\n{item}", firm_terms=firm_terms, client_terms=client_terms
                    )
            out.append(
                DetectedClause(
                    type=clause_type,
                    confidence=float(probability[column]),
                    evidence=evidence,
                    values=values,
                    text=clause.text,
                    heading=clause.heading,
                    page=clause.page,
                    start=clause.start,
                    end=clause.end,
                )
            )
    return out


__all__ = [
    "PRESENCE_MODEL_WEIGHT",
    "ClauseClassifier",
    "ClauseScores",
    "DetectedClause",
    "PartyNames",
    "PresenceHead",
    "clause_features_text",
    "clause_scores",
    "cued_types",
    "detect_clauses",
    "evidence_span",
    "party_names",
]
