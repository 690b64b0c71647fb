"""Billing extraction on hand-written SOW excerpts in other firms' drafting (training/handwritten/billing).

Each case is ``NAME.txt`` (the excerpt) and ``NAME.json`` (the expected billing
fields; a field that is not listed must come back ``null``, a list that is not
listed must be empty). Every field of every case is its own test: the value,
and that the evidence quote contains the value (a figure, a date, or the
enum's words). ``known_gaps`` in a case lists fields the extractor is known to
get wrong: those run as strict xfails, so fixing one makes the suite say so.

``python -m tests.extraction.test_billing_realistic [PREFIX]`` prints per-field
precision and recall over the set (or the cases whose names start with PREFIX;
``r2_`` is the second batch, written after the first round of fixes, and so on
to ``r18_``). Each batch was scored before any fix made for it; those scores are
in docs/extraction.md. ``r19_`` to ``r21_`` were written by a hand that never read the
extractor (blind batches); what they still miss is in their ``known_gaps``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from extraction import ingest
from extraction.billing import extract_billing
from extraction.billing.dates import find_dates
from extraction.billing.money import find_money, parse_number
from extraction.billing.numbers import NUMBER_WORDS, words_to_number
from training.handwritten import BILLING_DIR

CASES_DIR = BILLING_DIR
SCALAR_FIELDS = (
    "billing_model", "currency", "total_fee", "not_to_exceed", "payment_terms_days", "invoice_frequency",
    "start_date", "end_date", "late_fee_percent_per_month", "retainage_percent", "expenses_reimbursable",
    "expenses_cap",
)  # fmt: skip
LIST_FIELDS = ("rates", "milestones")
_ENUM_WORDS = {
    "fixed_fee": r"fixed|lump|flat",
    "time_and_materials": r"time|T\s*&\s*M|hourly|daily|rates?",
    "milestone": r"milestone|instal|on\s+(?:signature|delivery|acceptance)",
    "retainer": r"retainer",
    "mixed": r"fixed|time|milestone|retainer",
    "weekly": r"week",
    "biweekly": r"two\s+weeks|fortnight|bi-?weekly",
    "semimonthly": r"semi|twice",
    "monthly": r"month",
    "quarterly": r"quarter",
    "on_milestone": r"milestone|instal|acceptance|signature|delivery|as\s+follows",
    "upfront": r"advance|upfront|signature",
    "on_completion": r"complet",
}


def case_names() -> list[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.txt"))


def load_case(name: str) -> tuple[str, dict[str, Any]]:
    text = (CASES_DIR / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return text, expected


def extract(text: str) -> dict[str, Any]:
    document = ingest(text.encode("utf-8"), filename="sow.txt")
    return extract_billing(document).billing.model_dump(mode="json")


def _numbers_in(quote: str) -> set[float]:
    found = {round(m.amount, 2) for m in find_money(quote)}
    for raw in re.findall(r"\d[\d,.' ]*", quote):
        value = parse_number(raw.strip(" ,.'"))
        if value is not None:
            found.add(round(value, 2))
    for words in re.finditer(rf"\b{NUMBER_WORDS}\b", quote, re.I):
        value = words_to_number(words.group(0))
        if value is not None:
            found.add(float(value))
    return found


def quote_supports(field: str, value: Any, item: dict[str, Any]) -> bool:
    """The evidence quotes contain the value's words (a derived value must say so in a note)."""
    quote = " ".join(e["quote"] for e in item["evidence"])
    if not quote.strip():
        return False
    if item.get("note") and field in ("total_fee", "end_date", "late_fee_percent_per_month"):
        return True  # a sum, a term end or a converted rate: the note explains the arithmetic
    if field in (
        "total_fee",
        "not_to_exceed",
        "expenses_cap",
        "retainage_percent",
        "late_fee_percent_per_month",
    ):
        return round(float(value), 2) in _numbers_in(quote)
    if field == "payment_terms_days":
        return (
            value == 0 and bool(re.search(r"receipt|presentation|immediately|demand", quote, re.I))
        ) or float(value) in _numbers_in(quote)
    if field in ("start_date", "end_date"):
        return any(
            d.value.isoformat() == value for flag in (True, False) for d in find_dates(quote, day_first=flag)
        )
    if field == "currency":
        names = r"dollar|euro|pound|sterling|rupee|franc|riyal|dirham|\brand\b|reais|\byen\b|kron|peso"
        rand = r"|\bR\s?\d" if value == "ZAR" else ""  # "R12 500"
        return bool(re.search(rf"{value}|[$€£₹¥]|\bRs\b|{names}{rand}", quote, re.I))
    if field == "expenses_reimbursable":
        return bool(
            re.search(
                r"reimburs|at\s+cost|expens|disburse|travel|billed|charged|erstatt|reisekosten|rembours|frais|vergoed|rimbors"
                # the cost words of the other languages ("gastos", "despesas", "koszty", "resor")
                r"|\bcosts?\b|kosten|gastos|despesas|koszt|kostnad|\bresor|spese|mileage|per\s+diem",
                quote,
                re.I,
            )
        )
    if field in _ENUM_WORDS:
        return bool(re.search(_ENUM_WORDS[value], quote, re.I))
    return True


def _scalar(value: Any) -> Any:
    return (
        round(float(value), 2) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    )


def list_keys(field: str, items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What a list item is compared on: rate/unit/currency, milestone amount/percent."""
    if field == "rates":
        return sorted((_scalar(i["rate"]), i["unit"], i.get("currency")) for i in items)
    keys = [
        (
            _scalar(i.get("amount")) if i.get("amount") is not None else None,
            _scalar(i.get("percent")) if i.get("percent") is not None else None,
        )
        for i in items
    ]
    return sorted(keys, key=_none_first)


def _none_first(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    # A milestone may state an amount, a percentage or both, so None must sort beside numbers.
    return tuple((part is not None, part if part is not None else 0) for part in key)


def _params() -> Iterator[Any]:
    for name in case_names():
        _, expected = load_case(name)
        gaps = set(expected.get("known_gaps", {}))
        for field in (*SCALAR_FIELDS, *LIST_FIELDS):
            marks = (
                [pytest.mark.xfail(strict=True, reason=expected["known_gaps"][field])]
                if field in gaps
                else []
            )
            yield pytest.param(name, field, id=f"{name}-{field}", marks=marks)


_RESULTS: dict[str, dict[str, Any]] = {}


def _result(name: str) -> dict[str, Any]:
    if name not in _RESULTS:
        _RESULTS[name] = extract(load_case(name)[0])
    return _RESULTS[name]


def test_the_set_is_big_enough_and_well_formed() -> None:
    names = case_names()
    assert len(names) >= 25
    for name in names:
        _, expected = load_case(name)
        unknown = set(expected) - {*SCALAR_FIELDS, *LIST_FIELDS, "known_gaps"}
        assert not unknown, f"{name}: unknown fields {unknown}"
        assert set(expected.get("known_gaps", {})) <= {*SCALAR_FIELDS, *LIST_FIELDS}


@pytest.mark.parametrize(("name", "field"), list(_params()))
def test_realistic_field(name: str, field: str) -> None:
    _, expected = load_case(name)
    got = _result(name)[field]
    if field in LIST_FIELDS:
        want = expected.get(field, [])
        if field == "rates":
            want = [{"currency": None, **w} for w in want]
        assert list_keys(field, [g["value"] for g in got]) == list_keys(field, want)
        for g in got:
            assert g["evidence"] and all(e["quote"].strip() for e in g["evidence"])
            number = g["value"]["rate"] if field == "rates" else g["value"]["amount"] or g["value"]["percent"]
            if number is not None:
                assert round(float(number), 2) in _numbers_in(" ".join(e["quote"] for e in g["evidence"]))
        return
    want = expected.get(field)
    if want is None:
        assert got is None, f"{field} should be null, got {got and got['value']!r}"
        return
    assert got is not None, f"{field} missing (expected {want!r})"
    assert _scalar(got["value"]) == _scalar(want)
    assert quote_supports(field, got["value"], got), f"evidence {got['evidence']} does not state {want!r}"


def score(*, prefix: str = "") -> dict[str, tuple[int, int, int]]:
    """Per field (true positives, false positives, false negatives) over the set.

    A wrong value counts as both a false positive and a false negative; list
    fields count items (compared as in :func:`list_keys`).
    """
    counts: dict[str, list[int]] = {f: [0, 0, 0] for f in (*SCALAR_FIELDS, *LIST_FIELDS)}
    for name in case_names():
        if not name.startswith(prefix):
            continue
        text, expected = load_case(name)
        got = extract(text)
        for field in SCALAR_FIELDS:
            want, have = expected.get(field), got[field]
            value = _scalar(have["value"]) if have else None
            if (
                have is not None
                and want is not None
                and value == _scalar(want)
                and quote_supports(field, have["value"], have)
            ):
                counts[field][0] += 1
            else:
                counts[field][1] += have is not None
                counts[field][2] += want is not None
        for field in LIST_FIELDS:
            want_keys = list_keys(
                field, [{"currency": None, **w} if field == "rates" else w for w in expected.get(field, [])]
            )
            have_keys = list_keys(field, [g["value"] for g in got[field]])
            remaining = list(want_keys)
            for key in have_keys:
                if key in remaining:
                    remaining.remove(key)
                    counts[field][0] += 1
                else:
                    counts[field][1] += 1
            counts[field][2] += len(remaining)
    return {f: (c[0], c[1], c[2]) for f, c in counts.items()}


def main(argv: list[str] | None = None) -> int:
    table = score(prefix=argv[0] if argv else "")
    print(f"{'field':28} {'tp':>3} {'fp':>3} {'fn':>3} {'precision':>9} {'recall':>7}")
    for field, (tp, fp, fn) in table.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{field:28} {tp:3} {fp:3} {fn:3} {precision:9.3f} {recall:7.3f}")
    tp, fp, fn = (sum(v[i] for v in table.values()) for i in range(3))
    print(f"{'all':28} {tp:3} {fp:3} {fn:3} {tp / max(1, tp + fp):9.3f} {tp / max(1, tp + fn):7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
