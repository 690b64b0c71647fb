"""Phrasings of SOW clauses for the generator, per clause type and playbook rule.

Every option list is ordered: the first ~70% of each list are *train* phrasings,
the tail is only ever drawn by held-out families (see :class:`Phraser`), so an
evaluation on held-out families measures phrasing the classifier never saw.
"""

from training.sow_phrases.clauses import CLAUSE_WRITERS, ClauseDraft, DraftingContext
from training.sow_phrases.words import Phraser, number_phrase, number_words

__all__ = ["CLAUSE_WRITERS", "ClauseDraft", "DraftingContext", "Phraser", "number_phrase", "number_words"]
