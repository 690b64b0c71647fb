"""Isolation-forest anomaly models for time entries and invoices, in
scikit-learn's estimator style.

Score direction: the score is the forest's ``score_samples`` (in [-1, 0],
**lower is more abnormal**, about -0.5 is ordinary) minus a range-excess
term. An isolation forest never splits on a feature that did not vary in
training, and it scores a value far beyond the training range no worse than
the training extreme: a firm whose history always bills the card rate would
not see a rate 70% above it. So each feature's distance beyond where 98% of
training items sit, in units of a meaningful difference for that feature
(``FEATURE_UNITS``, e.g. 0.25 on a log2 hours ratio), adds
``range_weight * log1p(excess)`` below the forest score. Training items
inside the usual range get no excess; calibration uses the same score. ``risk`` turns it into
[0, 1], higher is riskier, calibrated on the training scores so that
``risk >= 0.5`` (the default threshold) flags the configured review budget
of training-like data: with ``p`` the share of training items scoring at or
below an item, ``risk = 1 - p ** k`` where ``budget ** k = 0.5``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.ensemble import IsolationForest

from anomaly.burn import learn_burn_history
from anomaly.controls import duplicate_entries
from anomaly.errors import ModelArtifactError, NotFittedError, TrainingDataError
from anomaly.features import (
    Factorized,
    FeatureFrame,
    InvoiceHistory,
    TimeEntryHistory,
    invoice_features,
    learn_invoice_history,
    learn_time_entry_history,
    time_entry_features,
    with_logged_hours,
)
from anomaly.features_habits import learn_habits
from anomaly.forest_scoring import forest_scores
from anomaly.ingest import IngestedBatch, IngestedInvoices, read_context, read_invoices, read_time_entries
from anomaly.schemas import ScoringContext

__all__ = [
    "DEFAULT_REVIEW_BUDGET",
    "RISK_THRESHOLD",
    "InvoiceAnomalyModel",
    "TimeEntryAnomalyModel",
    "check_is_fitted",
    "make_isolation_forest",
]

DEFAULT_REVIEW_BUDGET = 0.02
RISK_THRESHOLD = 0.5
MIN_TRAINING_ROWS = 30
# A small firm issues few invoices; a dozen is enough to learn each client's usual.
MIN_TRAINING_INVOICES = 12
# Probability grid of the calibration table: fine in the tail, where flags are decided.
_PROBABILITIES = np.unique(np.concatenate([np.geomspace(1e-6, 0.2, 400), np.linspace(0.2, 1.0, 161)]))


def make_isolation_forest(
    *, n_estimators: int = 100, max_samples: int | float | str = 256, random_state: int | None = None
) -> IsolationForest:
    """The project's isolation-forest configuration (the paper's psi=256, t=100 by default);
    the ODDS suite benchmarks exactly this."""
    return IsolationForest(n_estimators=n_estimators, max_samples=max_samples, random_state=random_state)


def check_is_fitted(model: Any) -> None:
    """Raise ``NotFittedError`` unless ``model.fit`` has run."""
    if getattr(model, "forest_", None) is None:
        raise NotFittedError(f"{type(model).__name__} is not fitted yet; call fit first")


def _repeat_share(frame: pd.DataFrame, features: FeatureFrame, history: TimeEntryHistory) -> np.ndarray:
    """Per person (and the population, last): share of history entries repeating an earlier one."""
    repeats = np.zeros(len(history.persons) + 1)
    later = np.fromiter(duplicate_entries(frame, features), dtype=np.int64)
    if len(later):
        np.add.at(repeats, features.display["prow"][later], 1.0)
        repeats[-1] = float(len(later))
    return np.asarray(repeats / np.maximum(history.n_entries, 1.0))


def _usual_range(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where 98% of training items sit on each feature (what a reason must leave)."""
    return np.quantile(matrix, 0.01, axis=0), np.quantile(matrix, 0.99, axis=0)


def _validate_budget(budget: float) -> float:
    if not 0.0 < budget < 1.0:
        raise ValueError(f"review_budget must be in (0, 1), got {budget}")
    return float(budget)


#: A meaningful difference on each feature, in the feature's own units (log2
#: ratios, surprisal in nats, days, percentage points): the range-excess unit.
FEATURE_UNITS: dict[str, float] = {
    "hours_vs_person": 0.25,
    "day_vs_person": 0.25,
    "week_vs_person": 0.25,
    "off_day": 1.0,
    "holiday_work": 1.0,
    "entry_lag": 0.5,
    "rate_vs_card": 0.05,
    "rate_vs_person": 0.05,
    "role_rarity": 1.0,
    "project_rarity": 1.0,
    "hours_vs_project": 0.25,
    "description_reuse": 0.5,
    # nats of whole-hour surprisal times log2 of the day's excess: about a half-hour more on a
    # 7.5 h day by someone with a quarter of their entries whole.
    "whole_hour_day": 0.1,
    "total_vs_client": 0.25,
    "tax_rate_vs_client": 0.5,
    "lines_vs_client": 0.5,
    "arithmetic_gap": 0.002,
    "interval_vs_usual": 0.25,
    "due_days_vs_client": 3.0,
    "price_vs_usual": 0.03,
    "hours_vs_logged": 0.05,
}


def require_computed_features(
    fitted_on: Sequence[str], computed: Sequence[str], *, who: str = "the model"
) -> None:
    """Refuse (``ModelArtifactError``: retrain it) a model fitted on a feature this code no
    longer computes: scoring it would read shifted columns."""
    missing = [name for name in fitted_on if name not in computed]
    if missing:
        raise ModelArtifactError(
            f"{who} was fitted on features this code no longer computes ({', '.join(missing)}); "
            "retrain it with `handoff train`"
        )


def on_fitted_features(features: FeatureFrame, fitted_on: tuple[str, ...]) -> FeatureFrame:
    """``features`` as the forest was fitted on them: a model saved before a feature existed
    scores on the columns it knows (see :func:`require_computed_features` for the other way)."""
    if fitted_on == features.names:
        return features
    require_computed_features(fitted_on, features.names)
    columns = [features.names.index(name) for name in fitted_on]
    return FeatureFrame(
        names=fitted_on,
        matrix=np.asfortranarray(features.matrix[:, columns]),
        display=features.display,
        learned=features.learned,
    )


class _ForestModel(BaseEstimator):
    """What both models share: the forest, its calibration and its budget."""

    range_weight: float
    usual_low_: np.ndarray
    usual_high_: np.ndarray
    feature_units_: np.ndarray

    n_estimators: int
    max_samples: int | float | str
    review_budget: float
    random_state: int | None
    forest_: IsolationForest
    score_quantiles_: np.ndarray
    feature_names_in_: np.ndarray
    n_features_in_: int
    n_training_rows_: int

    def _fit_forest(self, matrix: np.ndarray, names: tuple[str, ...]) -> None:
        _validate_budget(self.review_budget)
        self.usual_low_, self.usual_high_ = _usual_range(matrix)
        spread = np.quantile(matrix, 0.75, axis=0) - np.quantile(matrix, 0.25, axis=0)
        self.feature_units_ = np.maximum(np.array([FEATURE_UNITS.get(n, 0.5) for n in names]), spread)
        max_samples: int | float | str = self.max_samples
        if isinstance(max_samples, int) and max_samples > len(matrix):
            max_samples = len(matrix)
        self.forest_ = make_isolation_forest(
            n_estimators=self.n_estimators, max_samples=max_samples, random_state=self.random_state
        ).fit(matrix)
        scores = self.score_matrix(matrix)
        self.score_quantiles_ = np.quantile(scores, _PROBABILITIES)
        self.n_features_in_ = matrix.shape[1]
        self.n_training_rows_ = len(matrix)

    def range_excess(self, matrix: np.ndarray) -> np.ndarray:
        """Per row and feature: how far beyond the usual training range, in feature units."""
        below = np.maximum(self.usual_low_[None, :] - matrix, 0.0)
        above = np.maximum(matrix - self.usual_high_[None, :], 0.0)
        return np.asarray((below + above) / self.feature_units_[None, :])

    def score_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """The anomaly score of a feature matrix: lower is more abnormal (see the module docstring)."""
        if getattr(self, "forest_", None) is None:
            check_is_fitted(self)
        forest = forest_scores(self.forest_, matrix)
        if not self.range_weight:
            return forest
        return np.asarray(forest - self.range_weight * self.range_penalty(matrix))

    def range_penalty(self, matrix: np.ndarray) -> np.ndarray:
        """``sum(log1p(range_excess))`` per row, computed only for rows outside the usual range
        somewhere (most rows are inside it everywhere, and their penalty is 0)."""
        # Column by column (a feature matrix is Fortran-ordered): no rows x features temporaries.
        inside = np.ones(len(matrix), dtype=bool)
        for k, (low, high) in enumerate(zip(self.usual_low_, self.usual_high_, strict=True)):
            column = matrix[:, k]
            inside &= column >= low
            inside &= column <= high
        outside = np.flatnonzero(~inside)
        penalty = np.zeros(len(matrix))
        if len(outside):
            penalty[outside] = np.log1p(self.range_excess(matrix[outside])).sum(axis=1)
        return penalty

    def tail_probability(self, scores: np.ndarray) -> np.ndarray:
        """Share of training items scoring at or below each score (small = rare)."""
        check_is_fitted(self)
        # Tied training scores (a very regular history) share the largest probability
        # of the tie: an item scoring like a third of training is not rare.
        values, last = np.unique(self.score_quantiles_[::-1], return_index=True)
        probabilities = _PROBABILITIES[::-1][last]
        if len(values) == 1:
            return np.where(np.asarray(scores) < values[0], _PROBABILITIES[0], 1.0)
        return np.interp(scores, values, probabilities, left=_PROBABILITIES[0], right=1.0)

    def risk(self, scores: np.ndarray, *, review_budget: float | None = None) -> np.ndarray:
        """Map scores to risk in [0, 1]; ``risk >= 0.5`` flags ``review_budget`` of training-like items.

        Parameters
        ----------
        scores
            ``score_matrix`` output.
        review_budget
            Share of items to flag; defaults to the model's ``review_budget``.

        Returns
        -------
        numpy.ndarray
            Risk in [0, 1], higher is riskier.
        """
        budget = _validate_budget(self.review_budget if review_budget is None else review_budget)
        exponent = math.log(0.5) / math.log(budget)
        probability = self.tail_probability(np.asarray(scores, dtype=float))
        return np.clip(1.0 - np.power(probability, exponent), 0.0, 1.0)


class TimeEntryAnomalyModel(_ForestModel):
    """An isolation forest over time entries, with features relative to each
    person's, project's and the firm's own history.

    Parameters
    ----------
    n_estimators
        Trees in the forest.
    max_samples
        Sub-sample size per tree (256 as in the Isolation Forest paper).
    review_budget
        Share of training-like entries that ``risk >= 0.5`` flags.
    max_hours_per_day
        The ``over_daily_hours`` control's limit across projects.
    max_reasons
        Reasons reported per flagged entry.
    range_weight
        Weight of the range-excess term (0 leaves the bare forest score).
    random_state
        Seed of the forest.

    Attributes
    ----------
    history_ : TimeEntryHistory
        Per-person, per-project and population statistics learned in ``fit``.
    context_ : ScoringContext
        The context given to ``fit``; used when scoring is given none.
    forest_ : sklearn.ensemble.IsolationForest
    score_quantiles_ : numpy.ndarray
        Training score quantiles that calibrate ``risk``.
    """

    def __init__(
        self,
        *,
        n_estimators: int = 100,
        max_samples: int | float | str = 256,
        review_budget: float = DEFAULT_REVIEW_BUDGET,
        max_hours_per_day: float = 14.0,
        max_reasons: int = 3,
        range_weight: float = 0.1,
        random_state: int | None = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.review_budget = review_budget
        self.max_hours_per_day = max_hours_per_day
        self.range_weight = range_weight
        self.max_reasons = max_reasons
        self.random_state = random_state

    def fit(
        self,
        entries: Any,
        y: None = None,
        *,
        context: ScoringContext | dict[str, Any] | None = None,
    ) -> TimeEntryAnomalyModel:
        """Learn the firm's normal from its history and fit the forest.

        Parameters
        ----------
        entries
            Time entries: anything ``read_time_entries`` reads, or its ``IngestedBatch``.
            Rows that do not validate are left out (``n_rejected_`` counts them).
        y
            Ignored (unsupervised).
        context
            Projects, people and holidays of the history.

        Returns
        -------
        TimeEntryAnomalyModel
            ``self``.
        """
        batch = entries if isinstance(entries, IngestedBatch) else read_time_entries(entries)
        frame = batch.frame
        if len(frame) < MIN_TRAINING_ROWS:
            raise TrainingDataError(
                f"{len(frame)} valid time entries to learn from; at least {MIN_TRAINING_ROWS} are needed"
            )
        self.context_ = read_context(context)
        self.n_rejected_ = len(batch.rejected)
        self.history_: TimeEntryHistory = learn_time_entry_history(frame, self.context_)
        self.history_.habits = learn_habits(frame, self.history_)
        self.burn_history_ = learn_burn_history(frame, self.context_)
        features = time_entry_features(frame, self.history_, self.context_, fitting=True)
        self.history_.repeat_share = _repeat_share(frame, features, self.history_)
        self.history_.team_spell_usual = features.learned["team_spell_usual"]
        self.history_.feature_medians = np.median(features.matrix, axis=0)
        self.history_.feature_range = _usual_range(features.matrix)
        self.feature_names_in_ = np.array(features.names, dtype=object)
        self._fit_forest(features.matrix, features.names)
        return self

    def features(
        self,
        frame: pd.DataFrame,
        context: ScoringContext | None = None,
        *,
        factors: Mapping[str, Factorized] | None = None,
    ) -> FeatureFrame:
        """Features of validated entries against the learned history (``factors``: the
        ``IngestedBatch.factors`` of ``frame``, when at hand)."""
        check_is_fitted(self)
        ctx = context if context is not None else self.context_
        features = time_entry_features(frame, self.history_, ctx, factors=factors)
        return on_fitted_features(features, tuple(self.feature_names_in_))

    def score_samples(self, entries: Any, *, context: ScoringContext | None = None) -> np.ndarray:
        """Forest score of each valid entry (lower is more abnormal)."""
        batch = entries if isinstance(entries, IngestedBatch) else read_time_entries(entries)
        return self.score_matrix(self.features(batch.frame, context, factors=batch.factors).matrix)


class InvoiceAnomalyModel(_ForestModel):
    """An isolation forest over invoices, with features relative to each
    client's and project's invoicing history and the time logged.

    Parameters
    ----------
    n_estimators, max_samples, review_budget, random_state
        As for ``TimeEntryAnomalyModel``.
    tax_tolerance_pp
        The ``unusual_tax_rate`` control's tolerance, in percentage points.
    max_reasons
        Reasons reported per flagged invoice.
    range_weight
        Weight of the range-excess term (0 leaves the bare forest score).

    Attributes
    ----------
    history_ : InvoiceHistory
    context_ : ScoringContext
    forest_ : sklearn.ensemble.IsolationForest
    score_quantiles_ : numpy.ndarray
    """

    def __init__(
        self,
        *,
        n_estimators: int = 100,
        max_samples: int | float | str = 256,
        review_budget: float = DEFAULT_REVIEW_BUDGET,
        tax_tolerance_pp: float = 0.5,
        max_reasons: int = 3,
        range_weight: float = 0.1,
        random_state: int | None = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.review_budget = review_budget
        self.tax_tolerance_pp = tax_tolerance_pp
        self.range_weight = range_weight
        self.max_reasons = max_reasons
        self.random_state = random_state

    def fit(
        self,
        invoices: Any,
        lines: Any = None,
        *,
        time_entries: Any = None,
        context: ScoringContext | dict[str, Any] | None = None,
    ) -> InvoiceAnomalyModel:
        """Learn each client's and project's invoicing habits and fit the forest.

        Parameters
        ----------
        invoices
            Invoices (anything ``read_invoices`` reads) or an ``IngestedInvoices``.
        lines
            Their lines (ignored when ``invoices`` is an ``IngestedInvoices``).
        time_entries
            Optional time entries of the same period (to check billed against logged hours).
        context
            Projects with rate cards.

        Returns
        -------
        InvoiceAnomalyModel
            ``self``.
        """
        batch = invoices if isinstance(invoices, IngestedInvoices) else read_invoices(invoices, lines)
        if len(batch.invoices) < MIN_TRAINING_INVOICES:
            raise TrainingDataError(
                f"{len(batch.invoices)} valid invoices to learn from; "
                f"at least {MIN_TRAINING_INVOICES} are needed"
            )
        self.context_ = read_context(context)
        self.n_rejected_ = len(batch.rejected)
        entries = None
        if time_entries is not None:
            entries = (
                time_entries if isinstance(time_entries, IngestedBatch) else read_time_entries(time_entries)
            ).frame
        self.history_: InvoiceHistory = learn_invoice_history(
            batch.invoices, batch.lines, time_entries=entries, context=self.context_
        )
        features = invoice_features(batch.invoices, batch.lines, self.history_, self.context_)
        self.history_.feature_medians = np.median(features.matrix, axis=0)
        self.history_.feature_range = _usual_range(features.matrix)
        self.feature_names_in_ = np.array(features.names, dtype=object)
        self._fit_forest(features.matrix, features.names)
        return self

    def features(
        self,
        invoices: pd.DataFrame,
        lines: pd.DataFrame,
        context: ScoringContext | None = None,
        *,
        time_entries: pd.DataFrame | None = None,
    ) -> FeatureFrame:
        """Features of validated invoices against the learned history; ``time_entries`` (validated)
        add the time logged for their periods to what the fit saw."""
        check_is_fitted(self)
        features = invoice_features(
            invoices,
            lines,
            with_logged_hours(self.history_, time_entries),
            context if context is not None else self.context_,
        )
        return on_fitted_features(features, tuple(self.feature_names_in_))
