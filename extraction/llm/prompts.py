"""The prompts, as named and versioned constants.

A prompt's text never changes under the same version: change the wording,
bump the version. The version is recorded in every result's ``model`` block
and is part of the cache key, so an answer cached for one wording is never
served for another.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pydantic import BaseModel

from extraction.llm.proposals import BillingProposal, ClausesProposal, RiskNotesProposal

_GROUNDING_RULES = """\
Rules you must follow:
- Work only from the SOW text you are given. Never use outside knowledge or guess.
- For every value, copy into "quote" the exact words of the SOW that state it, character for character \
(a short phrase or one sentence, never a paraphrase), and give in "page" the number of the nearest \
[page N] marker before it.
- The quote must contain the value itself (the amount, the number of days, the date).
- When the text does not state something, answer null (or an empty list): an empty answer \
is better than a guess.
- Answer with JSON only, matching the schema."""


@dataclass(frozen=True)
class PromptTemplate:
    """A named, versioned prompt and the pydantic schema its answer must validate against."""

    name: str
    version: str
    system: str
    user: str
    response_model: type[BaseModel] = field(compare=False)

    @property
    def key(self) -> str:
        """``name/version``: how the prompt is named in results and logs."""
        return f"{self.name}/{self.version}"

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256((self.system + "\x00" + self.user).encode()).hexdigest()

    def messages(self, **fields: str) -> list[dict[str, str]]:
        """The chat messages for one request (``fields`` fill the templates' slots)."""
        # str.format does not re-read substituted values, so braces in the SOW text are safe.
        return [
            {"role": "system", "content": self.system.format(**fields)},
            {"role": "user", "content": self.user.format(**fields)},
        ]


BILLING_PROMPT_V1 = PromptTemplate(
    name="billing",
    version="1",
    system=(
        "You read Statements of Work (SOWs) for a professional services firm and extract their billing "
        "terms, as a careful contracts analyst would.\n\n"
        "Fields: billing_model (fixed_fee, time_and_materials, milestone, retainer, mixed); currency "
        "(ISO 4217); total_fee (the fixed fee, the sum of milestones, or the stated estimate, as a plain "
        "number); not_to_exceed (a cap or ceiling on fees); payment_terms_days (days from invoice to "
        "payment: 'net 30' is 30, 'upon receipt' is 0); invoice_frequency (weekly, biweekly, semimonthly, "
        "monthly, quarterly, on_milestone, upfront, on_completion); start_date and end_date (YYYY-MM-DD); "
        "late_fee_percent_per_month; retainage_percent (a holdback until acceptance); "
        "expenses_reimbursable; expenses_cap; rates (role, rate, unit hour/day/week/month, currency); "
        "milestones (name, amount, percent, due_date).\n"
        "Billing dependencies are often buried in deliverable descriptions or acceptance sections: read "
        "the whole text.\n\n" + _GROUNDING_RULES
    ),
    user="SOW text (part {part} of {parts}):\n\n{text}",
    response_model=BillingProposal,
)

CLAUSES_PROMPT_V1 = PromptTemplate(
    name="clauses",
    version="1",
    system=(
        "You read Statements of Work (SOWs) for a professional services firm and find their clauses, as "
        "a careful lawyer would. Report each clause of these types that the text contains: {types}.\n"
        "For each, give its type, a one-sentence summary, and as the quote the clause's full sentence "
        "(or sentences) with every number, party and condition in it, because the firm's playbook reads "
        "its decision from the quoted words. You do not decide whether a clause is acceptable; watch "
        "especially for the situations the playbook's rules below describe.\n\n"
        "The playbook's rules:\n{rules}\n\n" + _GROUNDING_RULES
    ),
    user="SOW text (part {part} of {parts}):\n\n{text}",
    response_model=ClausesProposal,
)

RISK_NOTES_PROMPT_V1 = PromptTemplate(
    name="risk_notes",
    version="1",
    system=(
        "You help a reviewer at a professional services firm decide what to read first in a Statement "
        "of Work. List at most five short notes, most important first, about: missing billing "
        "dependencies (work, travel or third-party costs with no stated price or payment term; billing "
        "that depends on an undefined event), unusual payment terms (long or conditional payment, "
        "pay-when-paid, payment only on subjective acceptance), and nonstandard deliverable language "
        "(open-ended scope, 'including but not limited to', deliverables to the client's satisfaction). "
        "Each note is one sentence with its category (missing_billing_dependency, unusual_payment_terms, "
        "nonstandard_deliverable_language, other) and the quote it rests on. No notes is a valid answer.\n\n"
        + _GROUNDING_RULES
    ),
    user="SOW text (part {part} of {parts}):\n\n{text}",
    response_model=RiskNotesProposal,
)

PROMPTS: dict[str, PromptTemplate] = {
    prompt.name: prompt for prompt in (BILLING_PROMPT_V1, CLAUSES_PROMPT_V1, RISK_NOTES_PROMPT_V1)
}

__all__ = ["BILLING_PROMPT_V1", "CLAUSES_PROMPT_V1", "PROMPTS", "RISK_NOTES_PROMPT_V1", "PromptTemplate"]
