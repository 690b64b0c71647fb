"""Why the forest scored an item as it did, in one line a reviewer reads.

Attribution is counterfactual and exact about the model: for a flagged row,
each feature that sits away from its usual value is moved back to it (the
training median, which is "this person's usual" because features are
relative to each person's history) and the row is re-scored; the rise in the
forest's score is that feature's contribution. The reasons are the features
whose return to normal would most raise the score, so "moving the top
feature back lowers the anomaly" holds by construction. Features that
measure one thing from several sides (a day's hours against the person's
usual entry, day and week) are credited together with what moving the group
back does, so redundancy does not hide the real cause. Only flagged rows are
explained, in one batched ``score_samples`` call.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

import numpy as np

from anomaly.features import FeatureFrame
from anomaly.schemas import AnomalyReason

__all__ = ["Explanations", "attribute", "explain_invoices", "explain_time_entries"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MIN_CONTRIBUTION = 1e-4


def attribute(
    score: Callable[[np.ndarray], np.ndarray],
    matrix: np.ndarray,
    expected: np.ndarray,
    *,
    tolerance: float = 1e-9,
    mask: np.ndarray | None = None,
    base: np.ndarray | None = None,
) -> np.ndarray:
    """Per-feature contributions: score with feature j at its expected value, minus the score.

    Parameters
    ----------
    score
        The model's ``score_samples`` (lower is more abnormal).
    matrix
        Rows to explain (rows x features).
    expected
        The usual value of each feature.
    tolerance
        Features closer than this to their usual value are not moved.
    mask
        Only these (row, feature) cells are moved, when given.
    base
        ``score(matrix)``, when the caller has it.

    Returns
    -------
    numpy.ndarray
        rows x features; positive where moving the feature back makes the row less abnormal,
        0 where the feature already sits at its usual value.
    """
    n, d = matrix.shape
    contributions = np.zeros((n, d))
    if n == 0:
        return contributions
    off = np.abs(matrix - expected[None, :]) > tolerance
    if mask is not None:
        off &= mask
    rows, cols = np.nonzero(off)
    if not len(rows):
        return contributions
    if base is None:
        base = score(matrix)
    moved = matrix[rows].copy()
    moved[np.arange(len(rows)), cols] = expected[cols]
    contributions[rows, cols] = score(moved) - base[rows]
    return contributions


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "?" if value is None else f"{value:.{digits}f}"


def _money(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"


def _times(value: float | None, usual: float | None) -> str:
    if value is None or not usual:
        return ""
    return f" is {value / usual:.1f}x"


def _against_firm_day(v: float | None, e: float | None) -> str:
    return f"{_fmt(v)} h in one entry{_times(v, e)} the firm's typical day ({_fmt(e)} h)"


def _share(share: float) -> str:
    """A percentage that does not round a rare-but-seen share to "0%"."""
    return "under 1%" if 0 < share < 0.005 else f"{share:.0%}"


def _known(i: int, d: dict[str, np.ndarray]) -> bool:
    """Whether row ``i``'s person has a history (features of others fall back to the firm's)."""
    known = d.get("known_person")
    return True if known is None else bool(known[i])


def _whose(i: int, d: dict[str, np.ndarray]) -> str:
    return "this person's" if _known(i, d) else "the firm's"


def _time_entry_reason(name: str, i: int, d: dict[str, np.ndarray]) -> tuple[str, Any, Any, str]:
    """(feature, value, expected, message) of one time-entry feature for row ``i``."""
    if name == "hours_vs_person":
        v, e = _num(d["hours"][i]), _num(d["usual_hours"][i])
        if not _known(i, d):
            return "hours", v, e, _against_firm_day(v, e)
        return "hours", v, e, f"{_fmt(v)} h{_times(v, e)} this person's usual entry ({_fmt(e)} h)"
    if name == "day_vs_person":
        v, e = _num(d["day_total"][i]), _num(d["usual_day"][i])
        return (
            "hours",
            v,
            e,
            f"{_fmt(v)} h logged that day across projects{_times(v, e)} {_whose(i, d)} usual day"
            f" ({_fmt(e)} h)",
        )
    if name == "week_vs_person":
        v, e = _num(d["week_total"][i]), _num(d["usual_week"][i])
        return "hours", v, e, f"{_fmt(v)} h that week{_times(v, e)} this person's usual week ({_fmt(e)} h)"
    if name == "off_day":
        day = _WEEKDAYS[int(d["weekday"][i])]
        share = float(d["weekday_share"][i])
        return (
            "work_date",
            day,
            round(share, 3),
            f"works on a {day}, which is {_share(share)} of {_whose(i, d)} days",
        )
    if name == "holiday_work":
        share = float(d["holiday_share"][i])
        return (
            "work_date",
            "holiday",
            round(share, 3),
            (
                f"works on a public holiday; this person works {share:.0%} of holidays"
                if _known(i, d)
                else f"works on a public holiday; people at the firm work {share:.0%} of holidays"
            ),
        )
    if name == "entry_lag":
        v, e = _num(d["lag"][i]), _num(d["usual_lag"][i])
        when = "before" if v is not None and v < 0 else "after"
        return (
            "logged_at",
            v,
            e,
            (
                f"logged {_fmt(abs(v) if v is not None else None, 0)} days {when} the work date; "
                f"{'this person usually logs' if _known(i, d) else 'the firm usually logs'} "
                f"within {_fmt(e, 0)} days"
            ),
        )
    if name == "rate_vs_card":
        v, e = _num(d["rate"][i]), _num(d["expected_rate"][i])
        source = "the rate card says" if _num(d["card_rate"][i]) is not None else "this project usually bills"
        return (
            "bill_rate",
            v,
            e,
            f"bills {_money(v)}/h; {source} {_money(e)}/h for {d['role'][i] or 'this role'}",
        )
    if name == "rate_vs_person":
        v, e = _num(d["rate"][i]), _num(d["usual_rate"][i])
        return "bill_rate", v, e, f"bills {_money(v)}/h; this person usually bills {_money(e)}/h"
    if name == "role_rarity":
        share = float(d["role_share"][i])
        usual = d["modal_role"][i] or "another role"
        return (
            "role",
            d["role"][i],
            usual,
            (f"billed as {d['role'][i]}, {share:.0%} of this person's entries (usually {usual})"),
        )
    if name == "project_rarity":
        project_share = _num(d["project_share"][i])
        return (
            "project_id",
            d["project"][i],
            None,
            (
                f"hours on {d['project'][i]}, "
                f"{_fmt(100 * project_share if project_share is not None else None, 0)}% "
                "of this person's history"
            ),
        )
    if name == "hours_vs_project":
        v, e = _num(d["hours"][i]), _num(d["usual_project_hours"][i])
        known_project = d.get("known_project")
        if known_project is not None and not known_project[i]:
            return "hours", v, e, _against_firm_day(v, e)
        return "hours", v, e, f"{_fmt(v)} h{_times(v, e)} the usual entry on this project ({_fmt(e)} h)"
    if name == "description_reuse":
        count = int(d["reuse"][i])
        return (
            "description",
            count + 1,
            1,
            (f"the same description appears {count + 1} times for the same person that day"),
        )
    if name == "whole_hour_day":
        v, share = _num(d["hours"][i]), float(d["whole_hour_share"][i])
        return (
            "hours",
            v,
            round(share, 3),
            f"a whole {_fmt(v, 0)} h entry on a {_fmt(_num(d['day_total'][i]))} h day (usual "
            f"{_fmt(_num(d['usual_day'][i]))} h); {_share(share)} of this person's entries are whole hours",
        )
    if name == "billable_rarity":
        billable = bool(d["billable"][i])
        share = float(d["billable_share"][i])
        share = share if billable else 1 - share
        label = "billable" if billable else "non-billable"
        return "billable", billable, None, f"marked {label}; {share:.0%} of this person's entries are"
    return name, None, None, name  # pragma: no cover - every feature is handled above


def _is_credit_note(d: dict[str, np.ndarray], i: int) -> bool:
    """A credit note (negative total) is compared with the history's credit notes, not its invoices."""
    total = _num(d["total"][i])
    return total is not None and total < 0


def _invoice_reason(name: str, i: int, d: dict[str, np.ndarray]) -> tuple[str, Any, Any, str]:
    if name == "total_vs_client":
        v, e = _num(d["total"][i]), _num(d["usual_total"][i])
        usual = "credit note" if v is not None and v < 0 else "invoice"
        return "total", v, e, f"total {_money(v)}{_times(v, e)} this client's usual {usual} ({_money(e)})"
    if name == "tax_rate_vs_client":
        v, e = _num(d["tax_pp"][i]), _num(d["usual_tax_pp"][i])
        return "tax", v, e, f"tax at {_fmt(v, 2)}%; this client is usually taxed at {_fmt(e, 2)}%"
    if name == "lines_vs_client":
        v, e = _num(d["n_lines"][i]), _num(d["usual_lines"][i])
        # A credit note's usual is the firm's credit notes (there are too few per client).
        usual = "the firm's credit notes" if _is_credit_note(d, i) else "this client's invoices"
        return "lines", v, e, f"{_fmt(v, 0)} lines; {usual} usually have {_fmt(e, 0)}"
    if name == "arithmetic_gap":
        v = _num(d["arithmetic"][i])
        return (
            "total",
            v,
            0.0,
            f"amounts do not add up (off by {_fmt(100 * v if v is not None else None)}% of total)",
        )
    if name == "interval_vs_usual":
        v, e = _num(d["gap_days"][i]), _num(d["usual_interval"][i])
        return "issue_date", v, e, f"{_fmt(v, 0)} days after the previous invoice; usually {_fmt(e, 0)}"
    if name == "due_days_vs_client":
        v, e = _num(d["due_days"][i]), _num(d["usual_due_days"][i])
        usual = "the firm's credit notes usually get" if _is_credit_note(d, i) else "this client usually gets"
        return "due_date", v, e, f"due {_fmt(v, 0)} days after issue; {usual} {_fmt(e, 0)}"
    if name == "price_vs_usual":
        v = _num(d["price_dev"][i])
        return (
            "unit_price",
            v,
            0.0,
            f"a unit price {_fmt(100 * v if v is not None else None, 0)}% off the usual",
        )
    if name == "hours_vs_logged":
        v, e = _num(d["billed_hours"][i]), _num(d["logged_hours"][i])
        return "quantity", v, e, f"bills {_fmt(v)} h for a period with {_fmt(e)} h logged"
    return name, None, None, name  # pragma: no cover


# The display columns each message reads (besides the row's position): a message is written
# once per distinct combination of them among the rows being serialised, and shared. A
# column missing here would make rows that differ in it share one message; the test that
# varies every other column keeps this table complete.
_TIME_ENTRY_INPUTS: dict[str, tuple[str, ...]] = {
    "hours_vs_person": ("hours", "usual_hours", "known_person"),
    "day_vs_person": ("day_total", "usual_day", "known_person"),
    "week_vs_person": ("week_total", "usual_week"),
    "off_day": ("weekday", "weekday_share", "known_person"),
    "holiday_work": ("holiday_share", "known_person"),
    "entry_lag": ("lag", "usual_lag", "known_person"),
    "rate_vs_card": ("rate", "expected_rate", "card_rate", "role"),
    "rate_vs_person": ("rate", "usual_rate"),
    "role_rarity": ("role_share", "modal_role", "role"),
    "project_rarity": ("project", "project_share"),
    "hours_vs_project": ("hours", "usual_project_hours", "known_project"),
    "description_reuse": ("reuse",),
    "whole_hour_day": ("hours", "whole_hour_share", "day_total", "usual_day"),
    "billable_rarity": ("billable", "billable_share"),
}
_INVOICE_INPUTS: dict[str, tuple[str, ...]] = {
    "total_vs_client": ("total", "usual_total"),
    "tax_rate_vs_client": ("tax_pp", "usual_tax_pp"),
    "lines_vs_client": ("n_lines", "usual_lines", "total"),
    "arithmetic_gap": ("arithmetic",),
    "interval_vs_usual": ("gap_days", "usual_interval"),
    "due_days_vs_client": ("due_days", "usual_due_days", "total"),
    "price_vs_usual": ("price_dev",),
    "hours_vs_logged": ("billed_hours", "logged_hours"),
}


def _message_keys(display: dict[str, Any], columns: tuple[str, ...], rows: np.ndarray) -> list[Any] | None:
    """One hashable key per row, equal exactly when the rows' ``columns`` are identical, or
    None when a column is not a plain array (its ``[i]`` might not be positional)."""
    parts: list[list[Any]] = []
    for name in columns:
        column = display.get(name)
        if column is None:
            continue  # read with .get() or absent: the same for every row
        if not isinstance(column, np.ndarray):
            return None
        values = column[rows]
        if values.dtype.kind == "f":
            # By bit pattern: 0.0 and -0.0 print differently, and a NaN matches its twin.
            parts.append(values.view(f"i{values.dtype.itemsize}").tolist())
        elif values.dtype.kind == "O":
            # 1, 1.0 and True are equal keys but print differently.
            parts.append([(type(v), v) for v in values.tolist()])
        else:
            parts.append([(values.dtype.kind, v) for v in values.tolist()])
    if not parts:
        return [()] * len(rows)
    return list(zip(*parts, strict=True)) if len(parts) > 1 else parts[0]


# Features that measure one thing from several sides: moving one back leaves the
# others abnormal, so each is credited with what moving the whole group back does.
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("hours_vs_person", "day_vs_person", "week_vs_person", "hours_vs_project", "whole_hour_day"),
    ("rate_vs_card", "rate_vs_person"),
)


def _group_contributions(
    score: Callable[[np.ndarray], np.ndarray],
    matrix: np.ndarray,
    expected: np.ndarray,
    off: np.ndarray,
    names: tuple[str, ...],
    base: np.ndarray | None = None,
) -> dict[tuple[int, ...], np.ndarray]:
    """For each group, the score rise when all of a row's off-usual members move back together
    (``base``: ``score(matrix)``, when the caller has it)."""
    out: dict[tuple[int, ...], np.ndarray] = {}
    for group in _GROUPS:
        members = tuple(names.index(n) for n in group if n in names)
        if len(members) < 2:
            continue
        rows = np.flatnonzero(off[:, members].sum(axis=1) >= 2)
        rise = np.zeros(len(matrix))
        if len(rows):
            if base is None:
                base = score(matrix)
            moved = matrix[rows].copy()
            cols = np.array(members)
            moved[:, cols] = np.where(off[np.ix_(rows, cols)], expected[cols], moved[:, cols])
            rise[rows] = score(moved) - base[rows]
        out[members] = rise
    return out


class Explanations(Mapping[int, list[AnomalyReason]]):
    """Reasons of the explained rows (position -> reasons, strongest first), kept as arrays.

    Which features explain a row, and their credit, are settled when this is made; the
    ``AnomalyReason`` objects and their messages are written the first time a row is read
    (a result being serialised), so a batch with tens of thousands of flagged rows pays for
    text only for the rows someone looks at.
    """

    def __init__(
        self,
        rows: np.ndarray,
        names: tuple[str, ...],
        top: np.ndarray,
        weights: np.ndarray,
        counts: np.ndarray,
        display: dict[str, Any],
        describe: Callable[[str, int, dict[str, Any]], tuple[str, Any, Any, str]],
        inputs: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._rows = rows
        self._inputs = inputs or {}
        self._names = names
        self._top = top
        self._weights = weights
        self._counts = counts
        self._display = display
        self._describe = describe
        self._index: dict[int, int] | None = None
        self._built: dict[int, list[AnomalyReason]] = {}

    def _slots(self) -> dict[int, int]:
        if self._index is None:
            # The last of repeated positions wins, as assigning them one by one would.
            self._index = dict(zip(self._rows.tolist(), range(len(self._rows)), strict=True))
        return self._index

    def __getitem__(self, i: int) -> list[AnomalyReason]:
        built = self._built.get(i)
        if built is not None:
            return built
        k = self._slots().get(i)
        if k is None:
            raise KeyError(i)
        reasons: list[AnomalyReason] = []
        count = self._counts[k]
        for j, weight in zip(self._top[k, :count].tolist(), self._weights[k, :count].tolist(), strict=True):
            name = self._names[j]
            feature, value, usual, message = self._describe(name, i, self._display)
            # Built without re-validation; values typed as validation would (numbers as float).
            reasons.append(
                AnomalyReason.model_construct(
                    code=name,
                    feature=feature,
                    value=_plain(value),
                    expected=_plain(usual),
                    message=message,
                    contribution=round(weight, 6),
                )
            )
        self._built[i] = reasons
        return reasons

    def documents(self, positions: list[int]) -> list[list[dict[str, Any]]]:
        """Each position's reasons as ``AnomalyReason.model_dump(mode="json")`` writes them
        ([] for a position without reasons), without building the objects: a feature's message
        is written once per distinct set of the display values it reads, and shared."""
        slots = self._slots()
        ks = np.array([slots.get(i, -1) for i in positions], dtype=np.int64)
        out: list[list[dict[str, Any]]] = [[] for _ in positions]
        chosen = np.flatnonzero(ks >= 0)
        if not len(chosen):
            return out
        counts = self._counts[ks[chosen]]
        # One cell per (serialised position, reason rank), in rank order within a position.
        owner = np.repeat(chosen, counts)
        rank = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        slot = ks[owner]
        feature = self._top[slot, rank]
        weights = self._weights[slot, rank].tolist()
        rows = self._rows[slot]
        cells: list[dict[str, Any] | None] = [None] * len(owner)
        for j in np.unique(feature).tolist():
            name = self._names[j]
            at = np.flatnonzero(feature == j)
            at_rows = rows[at].tolist()
            inputs = self._inputs.get(name)
            keys = _message_keys(self._display, inputs, rows[at]) if inputs is not None else None
            written: dict[Any, dict[str, Any]] = {}
            for n, (cell, i) in enumerate(zip(at.tolist(), at_rows, strict=True)):
                key = keys[n] if keys is not None else n
                base = written.get(key)
                if base is None:
                    what, value, usual, message = self._describe(name, i, self._display)
                    base = {
                        "code": name,
                        "feature": what,
                        "value": _plain(value),
                        "expected": _plain(usual),
                        "message": message,
                    }
                    written[key] = base
                cells[cell] = {**base, "contribution": round(weights[cell], 6)}
        for position, document in zip(owner.tolist(), cells, strict=True):
            out[position].append(cast(dict[str, Any], document))
        return out

    def __contains__(self, i: object) -> bool:
        return i in self._slots()

    def __iter__(self) -> Iterator[int]:
        return iter(self._slots())

    def __len__(self) -> int:
        return len(self._slots())


def _explain(
    features: FeatureFrame,
    rows: np.ndarray,
    *,
    score: Callable[[np.ndarray], np.ndarray],
    expected: np.ndarray,
    usual_range: tuple[np.ndarray, np.ndarray] | None,
    describe: Callable[[str, int, dict[str, np.ndarray]], tuple[str, Any, Any, str]],
    inputs: dict[str, tuple[str, ...]],
    max_reasons: int,
    scores: np.ndarray | None,
) -> Explanations:
    matrix = features.matrix[rows]
    # Only features outside the range most training items sit in are candidates:
    # a Monday is not a reason, however slightly its share differs from the median.
    if usual_range is not None and len(usual_range[0]):
        low, high = usual_range
        off = (matrix < low[None, :] - 1e-9) | (matrix > high[None, :] + 1e-9)
    else:
        off = np.abs(matrix - expected[None, :]) > 1e-9
    # The rows' own scores once, for the single moves and the group moves alike.
    base = (scores[rows] if scores is not None else score(matrix)) if len(rows) else np.zeros(0)
    contributions = attribute(score, matrix, expected, mask=off, base=base)
    groups = _group_contributions(score, matrix, expected, off, features.names, base) if len(rows) else {}
    credited = contributions.copy()
    for members, rise in groups.items():
        cols = np.array(members)
        eligible = off[:, cols] & (contributions[:, cols] > _MIN_CONTRIBUTION)
        count = eligible.sum(axis=1)
        grouped = np.flatnonzero((count >= 2) | ((count >= 1) & (rise > 0)))
        if not len(grouped):
            continue
        # The group's lead: its largest eligible contribution (the first of equals).
        masked = np.where(eligible[grouped], contributions[grouped][:, cols], -np.inf)
        lead = cols[np.argmax(masked, axis=1)]
        lead_value = np.maximum(rise[grouped], contributions[grouped, lead])
        credited[np.ix_(grouped, cols)] = 0.0
        credited[grouped, lead] = lead_value
    top = np.argsort(-credited, axis=1, kind="stable")[:, :max_reasons]
    weights = np.take_along_axis(credited, top, axis=1)
    # A row's reasons are its leading top features above the floor (none if nothing is off).
    above = ~(weights <= _MIN_CONTRIBUTION)
    counts = np.where(off.any(axis=1), np.cumprod(above, axis=1).sum(axis=1), 0)
    return Explanations(rows, features.names, top, weights, counts, features.display, describe, inputs)


def _plain(value: Any) -> float | str | None:
    """A reason's value as ``AnomalyReason`` validation leaves it: None, text, or a float."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, str):
        return value
    return float(value)


def explain_time_entries(
    model: Any, features: FeatureFrame, rows: np.ndarray, *, scores: np.ndarray | None = None
) -> Explanations:
    """Reasons for the given rows of a time-entry batch, strongest first.

    Parameters
    ----------
    model
        A fitted ``TimeEntryAnomalyModel``.
    features
        The batch's features.
    rows
        Positions to explain (the flagged ones).
    scores
        ``model.score_matrix(features.matrix)`` of the whole batch, when the caller has it.

    Returns
    -------
    Explanations
        position -> reasons (a mapping; the reason objects are built when read).
    """
    return _explain(
        features,
        np.asarray(rows, dtype=int),
        score=model.score_matrix,
        expected=model.history_.feature_medians,
        usual_range=getattr(model.history_, "feature_range", None),
        describe=_time_entry_reason,
        inputs=_TIME_ENTRY_INPUTS,
        max_reasons=model.max_reasons,
        scores=scores,
    )


def explain_invoices(
    model: Any, features: FeatureFrame, rows: np.ndarray, *, scores: np.ndarray | None = None
) -> Explanations:
    """Reasons for the given rows of an invoice batch, strongest first (see ``explain_time_entries``)."""
    return _explain(
        features,
        np.asarray(rows, dtype=int),
        score=model.score_matrix,
        expected=model.history_.feature_medians,
        usual_range=getattr(model.history_, "feature_range", None),
        describe=_invoice_reason,
        inputs=_INVOICE_INPUTS,
        max_reasons=model.max_reasons,
        scores=scores,
    )
