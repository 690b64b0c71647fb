"""What the model is asked to answer: pydantic response schemas.

These are proposals, not results. Every proposed value carries the verbatim
``quote`` it was read from (and the page the model saw it on); the backend
keeps a value only when :mod:`extraction.llm.grounding` finds the quote in the
document and the quote supports the value. In the schema the server is sent,
every field is required (nullable where the SOW may not say), as strict
structured outputs need.

On our side the optional parts have defaults, so an answer from a server
without schema-constrained decoding that leaves out an empty field still
validates; :func:`extraction.llm.client.strict_json_schema` drops the defaults
again from the schema the server is sent.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from extraction.schemas import BillingModel, ClauseType, InvoiceFrequency, RateUnit, RiskCategory


class _Proposal(BaseModel):
    model_config = ConfigDict(extra="ignore")

    quote: str = Field(description="The exact words of the SOW this was read from, copied verbatim.")
    page: int | None = Field(
        default=None, description="The page number shown in the [page N] marker before the quote."
    )


class ProposedText(_Proposal):
    value: str


class ProposedNumber(_Proposal):
    value: float


class ProposedInteger(_Proposal):
    value: int


class ProposedBool(_Proposal):
    value: bool


class ProposedBillingModel(_Proposal):
    value: BillingModel


class ProposedInvoiceFrequency(_Proposal):
    value: InvoiceFrequency


class ProposedDate(_Proposal):
    value: str = Field(description="ISO date YYYY-MM-DD.")


class ProposedRate(_Proposal):
    role: str
    rate: float
    unit: RateUnit
    currency: str | None = Field(
        default=None, description="ISO 4217 code, or null when the SOW does not say."
    )


class ProposedMilestone(_Proposal):
    name: str
    amount: float | None = None
    percent: float | None = None
    due_date: str | None = Field(default=None, description="ISO date YYYY-MM-DD, or null.")


class BillingProposal(BaseModel):
    """The billing terms the model read; null when the text does not say."""

    model_config = ConfigDict(extra="ignore")

    billing_model: ProposedBillingModel | None = None
    currency: ProposedText | None = Field(default=None, description="ISO 4217 code such as USD, EUR, GBP.")
    total_fee: ProposedNumber | None = None
    not_to_exceed: ProposedNumber | None = None
    payment_terms_days: ProposedInteger | None = Field(
        default=None, description="Days from invoice to payment; 0 for 'upon receipt'."
    )
    invoice_frequency: ProposedInvoiceFrequency | None = None
    start_date: ProposedDate | None = None
    end_date: ProposedDate | None = None
    late_fee_percent_per_month: ProposedNumber | None = None
    retainage_percent: ProposedNumber | None = None
    expenses_reimbursable: ProposedBool | None = None
    expenses_cap: ProposedNumber | None = None
    rates: list[ProposedRate] = Field(default_factory=list)
    milestones: list[ProposedMilestone] = Field(default_factory=list)


class ProposedClause(_Proposal):
    """A clause the model found. Its values (notice days, cap multiple, ...) are not asked for:
    the playbook reads them from the quoted text itself, so the model cannot decide the routing."""

    type: ClauseType
    summary: str = Field(default="", description="One sentence a reviewer reads: what the clause does.")


class ClausesProposal(BaseModel):
    model_config = ConfigDict(extra="ignore")

    clauses: list[ProposedClause] = Field(default_factory=list)


class ProposedRiskNote(_Proposal):
    category: RiskCategory
    note: str = Field(description="One sentence: what the reviewer should look at, and why.")


class RiskNotesProposal(BaseModel):
    model_config = ConfigDict(extra="ignore")

    notes: list[ProposedRiskNote] = Field(default_factory=list)


__all__ = [
    "BillingProposal",
    "ClausesProposal",
    "ProposedBillingModel",
    "ProposedBool",
    "ProposedClause",
    "ProposedDate",
    "ProposedInteger",
    "ProposedInvoiceFrequency",
    "ProposedMilestone",
    "ProposedNumber",
    "ProposedRate",
    "ProposedRiskNote",
    "ProposedText",
    "RiskNotesProposal",
]
