"""Qualifying words that real drafting wraps around a clause, for the train families only.

Lawyers rarely write a duty bare: "Subject to clause 12, the Supplier shall
indemnify the Customer ... to the extent caused by the Supplier's breach of this
SOW, save that ...". The main writers (:mod:`training.sow_phrases.clauses`) mostly
write the bare duty, and a classifier trained on them scores the same duty far
lower once a tail or an opener dilutes it. :func:`qualify` wraps a draft's first
sentence in an opener and/or a tail that names no clause type of its own, so
the words that carry the type must do the work. Only the *type* label is used
from train documents, so a tail that would change a playbook reading (a "to the
extent caused by" tail narrows an indemnity) is harmless here.

Nothing here draws from a held-out family's random stream: the generator calls
:func:`qualify` for train families only, so held-out documents (the evaluation)
do not change.
"""

from __future__ import annotations

import re

from training.sow_phrases.clauses import ClauseDraft, DraftingContext
from training.sow_phrases.words import Phraser

#: Share of a train family's clause drafts that get an opener, a tail or both.
QUALIFIED_SHARE = 0.4

# Where the first sentence ends: a full stop or semicolon before a capital, or the end.
_FIRST_SENTENCE_END = re.compile(r"[.;](?=\s+[A-Z(])|[.;]?\s*$")

_SECTION_REFERENCES = (
    "{n}",
    "{n}.{m}",
    "{n}({a})",
    "{n}.{m}({a})",
)

_OPENERS = (
    "Subject to clause {ref},",
    "Notwithstanding any other provision of {sow},",
    "Except as otherwise provided in Schedule {s},",
    "Without prejudice to {client}'s other rights and remedies,",
    "Save as expressly set out in {sow},",
    "Subject to the terms of the Master Agreement,",
    "For the avoidance of doubt,",
    "Unless the parties agree otherwise in writing,",
    "Except where clause {ref} applies,",
    "Subject to paragraph {ref} below,",
    "In addition to its obligations under the Master Agreement,",
)

_TAILS = (
    ", except as otherwise agreed in writing by the parties",
    ", subject to clause {ref}",
    ", in each case in accordance with the terms of the Master Agreement",
    ", as more fully described in Schedule {s}",
    ", provided that {client} has first notified {firm} in writing",
    ", save that this does not apply to any matter described in clause {ref}",
    ", to the extent caused by {firm}'s breach of {sow}",
    ", to the extent arising from the negligence or wilful default of the party concerned",
    " (as that term is defined in clause {ref})",
    ", whether arising before or after the date of {sow}",
    ", provided always that nothing in this clause limits clause {ref}",
    ", unless and to the extent that the parties have agreed otherwise in a Change Request",
    " in accordance with clause {ref} and the procedure in Schedule {s}",
    ", save to the extent that such failure results from any act or omission of {client}",
)


def _reference(ph: Phraser) -> str:
    return ph.choice(_SECTION_REFERENCES).format(
        n=ph.choice(range(2, 25)), m=ph.choice(range(1, 9)), a=ph.choice("abcdef")
    )


def _fill(template: str, ph: Phraser, ctx: DraftingContext) -> str:
    return template.format(
        ref=_reference(ph), s=ph.choice(range(1, 6)), sow=ctx.sow, firm=ctx.firm, client=ctx.client
    )


def qualify(draft: ClauseDraft, ph: Phraser, ctx: DraftingContext) -> ClauseDraft:
    """``draft`` with its first sentence given an opener, a tail or both (see the module
    docstring), for :data:`QUALIFIED_SHARE` of drafts; otherwise ``draft`` unchanged."""
    if ph.held_out or not ph.chance(QUALIFIED_SHARE):
        return draft
    text = draft.text
    shape = ph.choice(("opener", "tail", "tail", "both"))
    if shape in ("tail", "both"):
        end = _FIRST_SENTENCE_END.search(text)
        at = end.start() if end else len(text)
        # A sentence that ends in a quotation, a bracket or a list is left without a tail.
        if at > 0 and text[at - 1].isalnum():
            text = text[:at] + _fill(ph.choice(_TAILS), ph, ctx) + text[at:]
    if shape in ("opener", "both"):
        opener = _fill(ph.choice(_OPENERS), ph, ctx)
        # Keep the capital of a party label ("Consultant shall ..."); lower any other first word.
        word = text.split(" ", 1)[0].removesuffix("'s")
        first = text[0] if word in (ctx.firm, ctx.client) or text[:2].isupper() else text[0].lower()
        text = f"{opener} {first}{text[1:]}"
    return draft.with_text(text)


__all__ = ["QUALIFIED_SHARE", "qualify"]
