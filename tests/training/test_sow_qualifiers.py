"""Qualifying openers and tails on train-family clause drafts (training.sow_phrases.qualifiers)."""

from __future__ import annotations

import random
from typing import Literal

import pytest

from training.sow_generator import generate_sows
from training.sow_phrases import ClauseDraft, DraftingContext, Phraser
from training.sow_phrases.qualifiers import qualify

_CTX = DraftingContext(
    firm="Consultant",
    client="Client",
    sow="this SOW",
    number_style="digits",
    locale="uk",
    total_fee=100_000.0,
    money=lambda amount: f"£{amount:,.0f}",
)
_DRAFT = ClauseDraft(
    "payment_terms",
    "Client shall pay each invoice within 30 days of receipt. Invoices are issued monthly.",
    False,
    None,
    "fees",
    {"payment_days": 30},
    billing_quotes={"payment_terms_days": "within 30 days of receipt"},
)


def test_held_out_drafts_and_their_random_stream_are_untouched(global_random_seed: int) -> None:
    rng = random.Random(global_random_seed)
    state = rng.getstate()
    assert qualify(_DRAFT, Phraser(rng, held_out=True), _CTX) is _DRAFT
    assert rng.getstate() == state


def test_a_qualified_draft_keeps_its_labels_quotes_and_later_sentences(global_random_seed: int) -> None:
    rng = random.Random(global_random_seed)
    drafts = [qualify(_DRAFT, Phraser(rng, held_out=False), _CTX) for _ in range(200)]
    changed = [d for d in drafts if d is not _DRAFT]
    assert 0.2 < len(changed) / len(drafts) < 0.6
    for draft in changed:
        assert (draft.type, draft.nonstandard, draft.rule, draft.params) == (
            _DRAFT.type,
            _DRAFT.nonstandard,
            _DRAFT.rule,
            _DRAFT.params,
        )
        assert "within 30 days of receipt" in draft.text
        assert draft.text.endswith("Invoices are issued monthly.")
        assert draft.text != _DRAFT.text


@pytest.mark.parametrize("split", ["train", "test"])
def test_every_truth_quote_still_occurs_in_the_rendering(split: Literal["train", "test"]) -> None:
    for sow in generate_sows(24, seed=3, split=split):
        text = sow.text
        assert all(c.quote in text for c in sow.clauses if c.quote)
