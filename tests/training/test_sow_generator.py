"""The SOW generator: deterministic, ground truth that occurs in the rendering,
family split, labels on both sides of every threshold, PDF and DOCX output."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import docx
import pypdf
import pytest

from training.sow_generator import (
    CLAUSE_TYPES,
    TRAIN_FAMILIES,
    generate_sow,
    generate_sows,
    render_docx,
    render_pdf,
)
from training.sow_phrases import Phraser


@pytest.mark.parametrize("split", ["train", "test", "all"])
def test_generator_is_deterministic_per_seed(global_random_seed: int, split: str) -> None:
    first = generate_sow(5, seed=global_random_seed, split=split)
    again = generate_sow(5, seed=global_random_seed, split=split)
    other = generate_sow(5, seed=global_random_seed + 1, split=split)
    assert first.text == again.text and first.truth() == again.truth()
    assert other.text != first.text


@pytest.mark.parametrize("split", ["train", "test"])
def test_ground_truth_quotes_occur_in_the_text(global_random_seed: int, split: str) -> None:
    for sow in generate_sows(40, seed=global_random_seed, split=split):
        text = sow.text
        truth = sow.truth()
        for clause in truth["clauses"]:
            assert clause["type"] in CLAUSE_TYPES
            assert clause["quote"] is None or clause["quote"] in text
            assert (clause["rule"] is None) is (not clause["nonstandard"])
        for field, value in truth["billing"].items():
            items = value if isinstance(value, list) else [value] if value else []
            for item in items:
                assert item["quote"] in text, (field, item)


def test_split_is_by_family() -> None:
    assert {s.family.index for s in generate_sows(30, split="train")} <= set(range(TRAIN_FAMILIES))
    assert {s.family.index for s in generate_sows(10, split="test")} >= {TRAIN_FAMILIES}
    assert all(s.family.held_out for s in generate_sows(10, split="test"))


def test_train_families_never_draw_held_out_phrasings() -> None:
    options = [f"option {i}" for i in range(10)]
    train = Phraser(random.Random(0), held_out=False)
    test = Phraser(random.Random(0), held_out=True)
    assert {train.pick(options) for _ in range(500)} == set(options[:7])
    assert {test.pick(options) for _ in range(500)} >= set(options[7:])


THRESHOLD_TYPES = (
    "termination_for_convenience", "limitation_of_liability", "non_solicitation", "payment_terms",
    "rate_change", "acceptance", "auto_renewal", "minimum_commitment", "ip_assignment", "indemnification",
    "exclusivity", "non_compete", "liquidated_damages",
)  # fmt: skip


def test_rules_are_labelled_on_both_sides_of_their_thresholds() -> None:
    seen: Counter[tuple[str, bool]] = Counter()
    distractors = 0
    for sow in generate_sows(200, split="all"):
        for clause in sow.clauses:
            seen[(clause.type, clause.nonstandard)] += 1
            distractors += clause.distractor
    for clause_type in THRESHOLD_TYPES:
        assert seen[(clause_type, True)] > 0 and seen[(clause_type, False)] > 0, clause_type
    assert seen[("late_payment", True)] > 0  # late_payment.absent
    assert distractors > 50


def test_billing_models_currencies_and_number_formats_vary() -> None:
    sows = generate_sows(120, split="all")
    models = {s.billing["billing_model"]["value"] for s in sows}
    currencies = {s.billing["currency"]["value"] for s in sows}
    assert models == {"fixed_fee", "time_and_materials", "milestone", "retainer", "mixed"}
    assert {"USD", "GBP", "EUR"} <= currencies
    fee_quotes = [s.billing["total_fee"]["quote"] for s in sows if s.billing["total_fee"]]
    assert any("." in q and q.index(".") < len(q) - 3 for q in fee_quotes)  # 1.250.000 style
    assert any(q.startswith("$") for q in fee_quotes)


def _long_rate_card_sows():
    for i in range(600):
        sow = generate_sow(i, seed=7, split="all")
        if len(sow.billing.get("rates") or []) >= 14:
            yield sow


def test_pdf_render_has_running_headers_and_a_rate_table_across_a_page_break(tmp_path: Path) -> None:
    crossing = 0
    for n, sow in enumerate(_long_rate_card_sows()):
        path = render_pdf(sow, tmp_path / f"sow{n}.pdf")
        pages = [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]
        assert f"Page 1 of {len(pages)}" in pages[0]
        assert all("CONFIDENTIAL" in p for p in pages)
        roles = [r["value"]["role"] for r in sow.billing["rates"]]
        assert all(role in "\n".join(pages) for role in roles)
        on_pages = [i for i, p in enumerate(pages) if any(role in p for role in roles)]
        if len(set(on_pages)) >= 2:
            crossing += 1
            # the header row repeats on the continuation page
            assert all(f"Rate ({sow.family.currency})" in pages[i] for i in set(on_pages))
        if crossing or n >= 6:
            break
    assert crossing, "no long rate card crossed a page break"


def test_docx_render_keeps_paragraphs_and_tables(tmp_path: Path) -> None:
    sow = next(
        s for s in generate_sows(30, seed=3, split="all") if s.billing["rates"] or s.billing["milestones"]
    )
    path = render_docx(sow, tmp_path / "sow.docx")
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    for clause in sow.clauses:
        if clause.quote:
            assert clause.quote in text
    assert document.tables


def test_extra_phrasings_and_trap_paragraphs_appear_in_train_families_only() -> None:
    from training.sow_phrases.extra import EXTRA_NEGATIVES

    traps = [template.split("{")[0][:30] for _, template in EXTRA_NEGATIVES if not template.startswith("{")]
    extra_marks = (
        "treat as secret",
        "Delay Payment of",
        "rolling monthly basis",
        "make good any such defect",
    )
    train = " ".join(s.text for s in generate_sows(60, seed=1, split="train"))
    test = " ".join(s.text for s in generate_sows(60, seed=1, split="test"))
    assert any(mark in train for mark in extra_marks) and any(trap in train for trap in traps)
    assert not any(mark in test for mark in extra_marks) and not any(trap in test for trap in traps)
