"""Other firms' words for the same thing, swapped into train-family clause drafts.

The main writers (:mod:`training.sow_phrases.clauses`) say "terminate", "shall",
"the fees" and "Deliverables"; other firms write "end" or "cancel", "will" or
"must", "the Charges" or "the Contract Price", "work product". A classifier
that only ever saw one word for each learns that word, and the clause of a firm
that uses another scores near zero. :func:`paraphrase` swaps such words, each
with its own chance, in :data:`PARAPHRASED_SHARE` of a train family's drafts.
Only the *type* label of a train document is used, so a swap that would change
a playbook reading is harmless; swaps that could change the type are not made
(an indemnity stays "indemnify", a cap stays "liability").

As with :mod:`training.sow_phrases.qualifiers`, held-out families never reach
this code, so their documents (the evaluation) do not change.
"""

from __future__ import annotations

import re

from training.sow_phrases.clauses import ClauseDraft
from training.sow_phrases.words import Phraser

#: Share of a train family's clause drafts whose words are swapped.
PARAPHRASED_SHARE = 0.45
#: Chance that each applicable swap is made in a draft that is paraphrased.
SWAP_CHANCE = 0.6

# (pattern, replacements): the pattern is matched case-insensitively, the replacement takes
# the matched word's initial capital.
_SWAPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bterminate\b", ("end", "cancel", "discontinue")),
    (r"\bterminated\b", ("ended", "cancelled", "brought to an end")),
    (r"\btermination\b", ("cancellation", "ending")),
    (r"\s(?:for convenience|without cause|at will)\b", (" at any time", "", " for any reason")),
    (r"\bshall\b", ("will", "must")),
    (r"\bagrees to\b", ("undertakes to", "will", "commits to")),
    (r"\bthe Services\b", ("the Work", "the services", "the Consultancy Services")),
    (r"\bDeliverables\b", ("work product", "Outputs", "Materials", "Work Products")),
    (r"\b(?:fees|Fees)\b", ("charges", "Charges", "Price", "Contract Price", "remuneration")),
    (r"\binvoices\b", ("bills", "tax invoices", "payment claims")),
    (r"\binvoice\b", ("bill", "tax invoice", "payment claim")),
    (r"\bpay\b", ("settle", "pay", "remit")),
    (r"\bprior written consent\b", ("prior written approval", "consent in writing", "written agreement")),
    (r"\bin writing\b", ("in writing", "by email", "by letter")),
    (r"\bwritten notice\b", ("notice in writing", "email notice", "notice")),
    (r"\bnot less than\b", ("at least", "no fewer than", "a minimum of")),
    (r"\bsuccessive\b", ("further", "consecutive", "additional")),
    (r"\bany third party\b", ("anyone else", "any other person", "any outside party")),
    (r"\bemploy\b", ("hire", "engage", "take on")),
    (r"\bcompetitor\b", ("rival", "competing business", "competing firm")),
    (r"\bthe laws of\b", ("the law of", "the laws in force in")),
    (r"\bwarrants\b", ("represents and warrants", "undertakes", "promises")),
    (r"\bimmediately\b", ("forthwith", "at once", "straight away")),
)
_COMPILED = tuple((re.compile(p, re.I), r) for p, r in _SWAPS)


def _with_case(replacement: str, matched: str) -> str:
    word = matched.lstrip()
    lead = matched[: len(matched) - len(word)]
    if replacement.startswith(" ") or not replacement:
        return replacement
    if word[:1].isupper() and replacement[:1].islower():
        return lead + replacement[:1].upper() + replacement[1:]
    return lead + replacement


def paraphrase(draft: ClauseDraft, ph: Phraser) -> ClauseDraft:
    """``draft`` with some words swapped for other firms' (see the module docstring), for
    :data:`PARAPHRASED_SHARE` of train drafts; otherwise ``draft`` unchanged."""
    if ph.held_out or not ph.chance(PARAPHRASED_SHARE):
        return draft
    text = draft.text
    for pattern, replacements in _COMPILED:
        if pattern.search(text) and ph.chance(SWAP_CHANCE):
            choice: str = ph.choice(replacements)

            def swap(m: re.Match[str], replacement: str = choice) -> str:
                return _with_case(replacement, m.group(0))

            text = pattern.sub(swap, text)
    return draft.with_text(text)


__all__ = ["PARAPHRASED_SHARE", "SWAP_CHANCE", "paraphrase"]
