"""A learned reader of billing figures: every figure is a candidate, its words say which field it is.

The rules in :mod:`extraction.billing.extract` propose a value only where an anchor phrase they
know stands near it; a wording no rule knows ("Ceiling Price:", "Honorar") leaves the field
null. Here every figure in the document is a candidate (an amount of money, a percentage, a day
count, a date) and a linear classifier per field reads the words around it: the words before it
on its line, the label before a colon, the line above when the figure stands alone, the heading
of its section, the header of its table column, the cue words of its sentence, and character
n-grams of the nearest words (so "ceiling" or "Honorar" carry even when the word was never seen
whole). :class:`CandidateReader` is the estimator; it proposes at most one value per field.

Scalar figure fields (:data:`FIELD_KINDS`) take the best candidate; list items
(:data:`ITEM_KINDS`: a rate, a milestone's amount or percent) take every candidate above the
threshold, a rate's unit from a second classifier over the same words. Enums stay with the
rules. This module imports nothing from the rules' extractor, so the honest evaluation
(``python -m evals.billing_candidates``) can run it inside an older checkout's package.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from extraction.billing.dates import find_dates
from extraction.billing.money import document_dollar, document_rand, find_money, parse_number

#: The fields the reader proposes, and the kind of figure each is read from.
FIELD_KINDS: dict[str, str] = {
    "total_fee": "money",
    "not_to_exceed": "money",
    "expenses_cap": "money",
    "payment_terms_days": "days",
    "late_fee_percent_per_month": "percent",
    "retainage_percent": "percent",
    "start_date": "date",
    "end_date": "date",
}

#: List items the reader proposes: each candidate above the threshold is one item.
ITEM_KINDS: dict[str, str] = {"rate": "money", "milestone_amount": "money", "milestone_percent": "percent"}
UNITS: tuple[str, ...] = ("hour", "day", "week", "month")

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PERCENT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:%|per\s?cent\b|percent\b|prozent\b|pour\s?cent\b|procent\b)",
    re.IGNORECASE,
)
# A day count stands alone: not part of a larger figure, a date or a day of the month ("the 20th").
_INTEGER = re.compile(r"(?<![\d.,/\-])(\d{1,3})(?![\d]|[.,]\d|/\d|-\d|[^\W\d_])")
# A grouped figure with no currency beside it ("50,000", "1 250 000,00"): in a fee table the
# currency is often in the header only.
_BARE_FIGURE = re.compile(r"(?<![\w.,])\d{1,3}(?:[,. ]\d{3})+(?:[.,]\d{2})?(?![\w,.]\d)")
_CELL_SPLIT = re.compile(r"\t|\s{2,}|\s*\|\s*")
_ANNUAL = re.compile(r"per\s+annum|p\.\s?a\.|a\s+year|per\s+year|annual|yearly|jährlich|par\s+an", re.I)


@dataclass
class FigureCandidate:
    """One figure of a document: what it is, where it stands, the words around it."""

    kind: str  # money | percent | days | date
    value: Any  # float (money, percent), int (days), ISO date string (date)
    page: int  # 1-based
    start: int  # offsets of the figure in the page text
    end: int
    line_start: int  # offsets of its line in the page text (the evidence quote)
    line_end: int
    tokens: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "tokens": self.tokens,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FigureCandidate:
        return cls(**data)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _day_first(text: str) -> bool:
    # US drafting writes month first; a pound, a euro or a European company form says otherwise.
    if re.search(r"[£€]|\bGBP\b|\bEUR\b|\bLtd\b|\bGmbH\b|\bVAT\b|\bGST\b|\bAUD\b|\bNZD\b|\bINR\b", text):
        return True
    return not re.search(r"\$|\bUSD\b", text)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _raw_figures(
    text: str, *, dollar: str, rand: bool, day_first: bool
) -> list[tuple[str, Any, int, int, str]]:
    """``(kind, value, start, end, flag)`` for every figure of one page, without overlaps."""
    found: list[tuple[str, Any, int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for d in find_dates(text, day_first=day_first):
        found.append(("date", d.value.isoformat(), d.start, d.end, ""))
        taken.append((d.start, d.end))
    for m in find_money(text, dollar=dollar, rand=rand):
        if free(m.start, m.end):
            found.append(("money", float(m.amount), m.start, m.end, m.currency or "none"))
            taken.append((m.start, m.end))
    for match in _BARE_FIGURE.finditer(text):
        value = parse_number(match.group(0))
        if value is not None and value >= 1000 and free(match.start(), match.end()):
            found.append(("money", float(value), match.start(), match.end(), "bare"))
            taken.append((match.start(), match.end()))
    for match in _PERCENT.finditer(text):
        value = parse_number(match.group(1))
        if value is not None and value <= 100 and free(match.start(), match.end()):
            found.append(("percent", float(value), match.start(), match.end(), ""))
            taken.append((match.start(), match.end()))
    for match in _INTEGER.finditer(text):
        value = int(match.group(1))
        if 0 < value <= 365 and free(match.start(), match.end()):
            found.append(("days", value, match.start(), match.end(), ""))
            taken.append((match.start(), match.end()))
    return sorted(found, key=lambda f: f[2])


def _bucket(kind: str, value: Any) -> str:
    if kind == "money":
        return f"MAG:{int(math.log10(max(1.0, value)))}"
    if kind == "percent":
        return "PB:" + ("<1" if value < 1 else "<3" if value <= 3 else "<=10" if value <= 10 else ">10")
    if kind == "days":
        return "DB:" + next((str(b) for b in (7, 15, 31, 45, 60, 90) if value <= b), "big")
    return ""


def _column_header(text: str, lines: list[tuple[int, int]], index: int, offset: int) -> str:
    """The header cell above the figure when its line is a row of a table."""
    ls, le = lines[index]
    row = text[ls:le]
    cells = [m.start() for m in re.finditer(r"(?:^|\t|\s{2,}|\|)\s*\S", row)]
    if len(cells) < 2:
        return ""
    column = max(0, sum(1 for c in cells if c <= offset - ls) - 1)
    top = index
    while top > 0 and text[lines[top - 1][0] : lines[top - 1][1]].strip():
        top -= 1
    if top == index:
        return ""
    header = [c for c in _CELL_SPLIT.split(text[lines[top][0] : lines[top][1]].strip()) if c]
    return header[column] if column < len(header) else ""


def _heading(text: str, lines: list[tuple[int, int]], index: int) -> str:
    """The nearest short line above that stands after a blank line (a section heading)."""
    for j in range(index - 1, max(-1, index - 40), -1):
        line = text[lines[j][0] : lines[j][1]].strip()
        before = text[lines[j - 1][0] : lines[j - 1][1]].strip() if j > 0 else ""
        if line and not before and len(line) < 70 and not line.endswith((".", ";", ",")):
            return line
    return ""


def _sentence(text: str, start: int, end: int, ls: int, le: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n\n", 0, start), ls - 200, 0)
    right_dot = text.find(". ", end)
    right = min(x for x in (right_dot if right_dot >= 0 else len(text), end + 200, len(text)))
    return text[left:right]


def _tokens(
    text: str,
    lines: list[tuple[int, int]],
    index: int,
    start: int,
    end: int,
    kind: str,
    value: Any,
    flag: str,
) -> list[str]:
    ls, le = lines[index]
    left = text[ls:start]
    right = text[end:le]
    tokens = [f"K:{kind}", _bucket(kind, value)]
    if flag:
        tokens.append(f"F:{kind}:{flag}")
    lw = _words(left)
    tokens += [f"L:{w}" for w in lw]
    tokens += [f"L{i}:{w}" for i, w in enumerate(reversed(lw[-3:]), 1)]
    rw = _words(right[:50])
    tokens += [f"R:{w}" for w in rw]
    tokens += [f"R{i}:{w}" for i, w in enumerate(rw[:2], 1)]
    label = left.rsplit(":", 1)[0] if ":" in left else ""
    tokens += [f"LB:{w}" for w in _words(label)[-6:]]
    if len(lw) < 3 and index > 0:  # a figure alone on its line: the line above labels it
        above = next(
            (text[s:e] for s, e in reversed(lines[max(0, index - 2) : index]) if text[s:e].strip()), ""
        )
        tokens += [f"PL:{w}" for w in _words(above)[-8:]]
        label = label or above
    tokens += [f"H:{w}" for w in _words(_heading(text, lines, index))]
    tokens += [f"CH:{w}" for w in _words(_column_header(text, lines, index, start))]
    tokens += [f"S:{w}" for w in set(_words(_sentence(text, start, end, ls, le)))]
    near = " ".join((_words(label)[-3:] + lw[-4:])[-5:])
    padded = f" {near} "
    tokens += [f"C:{padded[i : i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    # the characters right after the figure carry its unit however it is written ("/hr", "p.d.")
    after = f" {right[:14].lower()}"
    tokens += [f"RC:{after[i : i + n]}" for n in (3, 4) for i in range(len(after) - n + 1)]
    if kind in ("percent", "days") and _ANNUAL.search(right[:40]):
        tokens.append("ANNUAL")
    return [t for t in tokens if t]


def find_candidates(pages: list[str]) -> list[FigureCandidate]:
    """Every figure of a document's pages, with the words that describe it as tokens.

    Parameters
    ----------
    pages
        The text of each page, in order.

    Returns
    -------
    list of FigureCandidate
        In reading order; offsets index the page's text.
    """
    whole = "\n\n".join(pages)
    dollar, rand, day_first = document_dollar(whole), document_rand(whole), _day_first(whole)
    out: list[FigureCandidate] = []
    for number, text in enumerate(pages, 1):
        lines = _lines(text)
        starts = [s for s, _ in lines]
        for kind, value, start, end, flag in _raw_figures(
            text, dollar=dollar, rand=rand, day_first=day_first
        ):
            index = max(0, next((i for i, s in enumerate(starts) if s > start), len(starts)) - 1)
            ls, le = lines[index]
            tokens = _tokens(text, lines, index, start, end, kind, value, flag)
            out.append(FigureCandidate(kind, value, number, start, end, ls, le, tokens))
    _add_document_tokens(out, sum(len(p) for p in pages))
    return out


def _add_document_tokens(candidates: list[FigureCandidate], length: int) -> None:
    """Where a figure stands among the document's figures of its kind (largest, first, repeated)."""
    money = sorted({c.value for c in candidates if c.kind == "money"}, reverse=True)
    dates = sorted({c.value for c in candidates if c.kind == "date"})
    counts = Counter((c.kind, c.value) for c in candidates)
    for c in candidates:
        if c.kind == "money":
            rank = money.index(c.value)
            c.tokens.append(f"RANK:{min(rank, 3)}")
        if c.kind == "date" and dates:
            c.tokens.append(
                "DATE:first" if c.value == dates[0] else "DATE:last" if c.value == dates[-1] else "DATE:mid"
            )
        c.tokens.append(f"REP:{min(counts[(c.kind, c.value)], 3)}")


def labels_for(candidate: FigureCandidate, expected: dict[str, Any]) -> set[str]:
    """The fields whose expected value this candidate states (matched by value and kind)."""
    out = set()
    for name, kind in FIELD_KINDS.items():
        want = expected.get(name)
        if want is None or kind != candidate.kind:
            continue
        if kind == "date":
            hit = candidate.value == str(want)
        elif name == "late_fee_percent_per_month":
            hit = (
                abs(candidate.value - float(want)) < 0.005 or abs(candidate.value / 12 - float(want)) < 0.005
            )
        else:
            hit = abs(float(candidate.value) - float(want)) < 0.005
        if hit:
            out.add(name)
    if candidate.kind == "money" and any(
        _same(candidate.value, r.get("rate")) for r in expected.get("rates") or []
    ):
        out.add("rate")
    milestones = expected.get("milestones") or []
    if candidate.kind == "money" and any(_same(candidate.value, m.get("amount")) for m in milestones):
        out.add("milestone_amount")
    if candidate.kind == "percent" and any(_same(candidate.value, m.get("percent")) for m in milestones):
        out.add("milestone_percent")
    return out


def unit_for(candidate: FigureCandidate, expected: dict[str, Any]) -> str | None:
    """The unit of the expected rate this candidate states."""
    for rate in expected.get("rates") or []:
        if candidate.kind == "money" and _same(candidate.value, rate.get("rate")):
            return str(rate["unit"])
    return None


# The unit of a rate is written beside it or in its column's header, not in the section around it.
_UNIT_TOKENS = ("R:", "R1:", "R2:", "RC:", "CH:", "L1:", "L2:", "L3:", "LB:", "PL:", "C:", "F:")


def _unit_tokens(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t.startswith(_UNIT_TOKENS)]


def _same(value: Any, want: Any) -> bool:
    return want is not None and abs(float(value) - float(want)) < 0.005


def _analyzer(tokens: list[str]) -> list[str]:
    return tokens


class CandidateReader:
    """Per-field logistic regression over candidate tokens (hashed).

    ``predict_proba``-style scores are the probability that a candidate states the field; higher
    is more likely, :attr:`threshold` is the least score a proposal needs.

    Parameters
    ----------
    threshold
        Least probability for a candidate to be proposed.
    C
        Inverse regularisation strength of each field's logistic regression.
    n_features
        Width of the hashed feature space.
    random_state
        Seed of liblinear's shuffling (the same data then gives the same model).
    items
        The list-item classifiers (:data:`ITEM_KINDS`) to fit for :meth:`propose_items`, with the
        rate-unit classifier when ``"rate"`` is among them; a reader that only fills scalar fields
        fits none (the unit classifier is half of the fitting time).
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        C: float = 1.0,
        n_features: int = 2**18,
        random_state: int = 0,
        items: tuple[str, ...] = tuple(ITEM_KINDS),
    ) -> None:
        self.threshold = threshold
        self.C = C
        self.n_features = n_features
        self.random_state = random_state
        self.items = items

    def _vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(
            analyzer=_analyzer, n_features=self.n_features, alternate_sign=False, norm="l2"
        )

    def fit(
        self,
        documents: list[list[FigureCandidate]],
        expected: list[dict[str, Any]],
        *,
        weights: list[float] | None = None,
    ) -> CandidateReader:
        """Fit each field's classifier on the candidates of its kind, labelled by value."""
        from sklearn.linear_model import LogisticRegression

        vectorizer = self._vectorizer()
        unknown = set(self.items) - set(ITEM_KINDS)
        if unknown:
            raise ValueError(f"unknown list items {sorted(unknown)}; known: {sorted(ITEM_KINDS)}")
        fields = {**FIELD_KINDS, **{name: ITEM_KINDS[name] for name in self.items}}
        # Every field of a kind reads the same candidates: hash them once per kind.
        by_kind: dict[str, tuple[Any, list[set[str]], list[float]]] = {}
        for kind in sorted(set(fields.values())):
            rows, labels, ws = [], [], []
            for i, (cands, want) in enumerate(zip(documents, expected, strict=True)):
                for c in cands:
                    if c.kind == kind:
                        rows.append(c.tokens)
                        labels.append(labels_for(c, want))
                        ws.append(weights[i] if weights else 1.0)
            by_kind[kind] = (vectorizer.transform(rows) if rows else None, labels, ws)
        self.models_: dict[str, Any] = {}
        for name, kind in fields.items():
            matrix, labels, ws = by_kind[kind]
            ys = [name in found for found in labels]
            if matrix is None or len(set(ys)) < 2:
                continue
            model = LogisticRegression(
                C=self.C, max_iter=2000, solver="liblinear", random_state=self.random_state
            )
            model.fit(matrix, ys, sample_weight=ws)
            self.models_[name] = model
        self.unit_model_ = None
        if "rate" not in self.items:
            return self
        unit_rows, units = [], []
        for cands, want in zip(documents, expected, strict=True):
            for c in cands:
                unit = unit_for(c, want)
                if unit is not None:
                    unit_rows.append(_unit_tokens(c.tokens))
                    units.append(unit)
        if len(set(units)) >= 2:
            self.unit_model_ = LogisticRegression(
                C=self.C, max_iter=2000, random_state=self.random_state
            ).fit(vectorizer.transform(unit_rows), units)
        return self

    def scores(self, candidates: list[FigureCandidate]) -> dict[str, list[float]]:
        """Per field, each candidate's probability of stating it (0 for candidates of other kinds)."""
        if not hasattr(self, "models_"):
            raise ValueError("CandidateReader is not fitted")
        vectorizer = self._vectorizer()
        out: dict[str, list[float]] = {}
        for name, model in self.models_.items():
            kind = {**FIELD_KINDS, **ITEM_KINDS}[name]
            picks = [i for i, c in enumerate(candidates) if c.kind == kind]
            probs = [0.0] * len(candidates)
            if picks:
                p = model.predict_proba(vectorizer.transform([candidates[i].tokens for i in picks]))[:, 1]
                for i, prob in zip(picks, p, strict=True):
                    probs[i] = float(prob)
            out[name] = probs
        return out

    def propose(self, candidates: list[FigureCandidate]) -> dict[str, tuple[FigureCandidate, Any, float]]:
        """Per field, the best candidate at or above the threshold: ``(candidate, value, score)``."""
        out: dict[str, tuple[FigureCandidate, Any, float]] = {}
        for name, probs in self.scores(candidates).items():
            if not probs or name not in FIELD_KINDS:
                continue
            best = max(range(len(probs)), key=probs.__getitem__)
            if probs[best] < self.threshold:
                continue
            c = candidates[best]
            value = c.value
            if name == "late_fee_percent_per_month" and "ANNUAL" in c.tokens:
                value = round(value / 12, 4)
            out[name] = (c, value, probs[best])
        start, end = out.get("start_date"), out.get("end_date")
        if start and end and end[1] <= start[1]:  # a term ends after it starts: keep the surer one
            del out["start_date" if start[2] < end[2] else "end_date"]
        return out

    def propose_items(
        self, candidates: list[FigureCandidate], *, currency: str | None = None
    ) -> dict[str, list[tuple[list[FigureCandidate], dict[str, Any], float]]]:
        """Rates and milestones: ``(candidates, item, score)`` for each candidate above the threshold.

        A rate's currency is its figure's, else ``currency`` (the document's); a milestone's amount
        and percent on one line are one item.
        """
        scores = self.scores(candidates)
        if currency is None:  # the currency most figures are written in
            codes = [t.split(":", 2)[2] for c in candidates for t in c.tokens if t.startswith("F:money:")]
            codes = [code for code in codes if code not in ("none", "bare")]
            currency = max(set(codes), key=codes.count) if codes else None
        rates: list[tuple[list[FigureCandidate], dict[str, Any], float]] = []
        seen: set[tuple[float, str]] = set()
        picked = [i for i, p in enumerate(scores.get("rate", [])) if p >= self.threshold]
        if picked and self.unit_model_ is not None:
            vectorizer = self._vectorizer()
            rows = [_unit_tokens(candidates[i].tokens) for i in picked]
            units = self.unit_model_.predict(vectorizer.transform(rows))
            for i, unit in zip(picked, units, strict=True):
                c = candidates[i]
                if (c.value, str(unit)) in seen:
                    continue
                seen.add((c.value, str(unit)))
                flag = next((t.split(":", 2)[2] for t in c.tokens if t.startswith("F:money:")), "none")
                code = flag if flag not in ("none", "bare") else currency
                item = {"role": "", "rate": c.value, "unit": str(unit), "currency": code}
                rates.append(([c], item, scores["rate"][i]))
        parts: dict[tuple[int, int], list[tuple[FigureCandidate, str, float]]] = {}
        for name, key in (("milestone_amount", "amount"), ("milestone_percent", "percent")):
            for i, p in enumerate(scores.get(name, [])):
                if p >= self.threshold:
                    c = candidates[i]
                    parts.setdefault((c.page, c.line_start), []).append((c, key, p))
        milestones: list[tuple[list[FigureCandidate], dict[str, Any], float]] = []
        for (page, line_start), line in parts.items():
            amounts = [x for x in line if x[1] == "amount"]
            percents = [x for x in line if x[1] == "percent"]
            if len(amounts) + len(percents) == 1:
                # one share or one amount on a schedule's line: its partner is the line's other figure
                other = "money" if percents else "percent"
                partners = [
                    c for c in candidates if (c.page, c.line_start, c.kind) == (page, line_start, other)
                ]
                if len(partners) == 1:
                    (amounts if other == "money" else percents).append((partners[0], other, line[0][2]))
            if len(amounts) == 1 and len(percents) == 1:
                (a, _, pa), (b, _, pb) = amounts[0], percents[0]
                item = {"name": "", "amount": a.value, "percent": b.value}
                milestones.append(([a, b], item, min(pa, pb)))
                continue
            for c, key, p in line:
                item = {"name": "", "amount": None, "percent": None, key: c.value}
                milestones.append(([c], item, p))
        return {"rates": rates, "milestones": _shares_of_the_whole(milestones)}


def _shares_of_the_whole(
    milestones: list[tuple[list[FigureCandidate], dict[str, Any], float]],
) -> list[tuple[list[FigureCandidate], dict[str, Any], float]]:
    """A schedule's shares add up to 100 %: keep the surest set of shares that does, else none.

    A tax rate or a discount read as a share breaks the sum; items with an amount and no share
    are kept as they are.
    """
    shares = [m for m in milestones if m[1]["percent"] is not None]
    if not shares or abs(sum(m[1]["percent"] for m in shares) - 100) < 0.5:
        return milestones
    best: tuple[float, int] | None = None
    if len(shares) <= 12:
        for mask in range(1, 1 << len(shares)):
            picked = [m for i, m in enumerate(shares) if mask >> i & 1]
            if abs(sum(m[1]["percent"] for m in picked) - 100) < 0.5:
                score = sum(m[2] for m in picked)
                if best is None or score > best[0]:
                    best = (score, mask)
    keep = {id(m) for i, m in enumerate(shares) if best and best[1] >> i & 1}
    return [m for m in milestones if m[1]["percent"] is None or id(m) in keep]


__all__ = [
    "FIELD_KINDS",
    "ITEM_KINDS",
    "UNITS",
    "CandidateReader",
    "FigureCandidate",
    "find_candidates",
    "labels_for",
    "unit_for",
]
