"""The extraction output, in the shape fixed by ``contracts/extraction.md``.

Every extracted value is a :class:`GroundedValue`: the value, a calibrated
confidence and the evidence it was read from. Evidence offsets index the page
text the tool itself returns (``PageText.text``), so
``pages[e.page - 1].text[e.start:e.end] == e.quote`` always holds.

Field names and enum values here are the contract; add fields, never rename.
Dates serialise as ISO ``YYYY-MM-DD`` (``model_dump(mode="json")``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

BillingModel = Literal["fixed_fee", "time_and_materials", "milestone", "retainer", "mixed"]
InvoiceFrequency = Literal[
    "weekly", "biweekly", "semimonthly", "monthly", "quarterly", "on_milestone", "upfront", "on_completion"
]
RateUnit = Literal["hour", "day", "week", "month"]
Route = Literal["legal", "finance", "delivery"]
Severity = Literal["low", "medium", "high"]
Backend = Literal["local", "llm", "hybrid"]
ClauseType = Literal[
    "limitation_of_liability",
    "uncapped_liability",
    "indemnification",
    "auto_renewal",
    "termination_for_convenience",
    "most_favored_nation",
    "non_solicitation",
    "non_compete",
    "exclusivity",
    "ip_assignment",
    "liquidated_damages",
    "audit_rights",
    "change_of_control",
    "anti_assignment",
    "governing_law",
    "warranty",
    "insurance",
    "minimum_commitment",
    "acceptance",
    "payment_terms",
    "late_payment",
    "rate_change",
    "confidentiality",
]

CLAUSE_TYPES: tuple[str, ...] = ClauseType.__args__  # type: ignore[attr-defined]
BILLING_MODELS: tuple[str, ...] = BillingModel.__args__  # type: ignore[attr-defined]
INVOICE_FREQUENCIES: tuple[str, ...] = InvoiceFrequency.__args__  # type: ignore[attr-defined]
RATE_UNITS: tuple[str, ...] = RateUnit.__args__  # type: ignore[attr-defined]

T = TypeVar("T")


class Evidence(BaseModel):
    """A span of one page's text: ``page_text[start:end] == quote``."""

    model_config = ConfigDict(frozen=True)

    page: int = Field(ge=1, description="1-based page number.")
    start: int = Field(ge=0, description="Character offset into the page text (inclusive).")
    end: int = Field(ge=0, description="Character offset into the page text (exclusive).")
    quote: str

    @model_validator(mode="after")
    def _span_matches_quote(self) -> Evidence:
        if self.end < self.start or self.end - self.start != len(self.quote):
            raise ValueError("evidence end - start must equal len(quote)")
        return self


class GroundedValue(BaseModel, Generic[T]):
    """A value with its calibrated confidence and the text it was read from."""

    value: T
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)
    note: str | None = Field(default=None, description="How the value was derived when not verbatim.")


class RateValue(BaseModel):
    role: str
    rate: float
    unit: RateUnit
    currency: str | None = None


class MilestoneValue(BaseModel):
    name: str
    amount: float | None = None
    percent: float | None = None
    due_date: dt.date | None = None


class Billing(BaseModel):
    """The billing terms of a SOW; a field is ``None`` when the SOW does not say."""

    billing_model: GroundedValue[BillingModel] | None = None
    currency: GroundedValue[str] | None = None
    total_fee: GroundedValue[float] | None = None
    not_to_exceed: GroundedValue[float] | None = None
    payment_terms_days: GroundedValue[int] | None = None
    invoice_frequency: GroundedValue[InvoiceFrequency] | None = None
    start_date: GroundedValue[dt.date] | None = None
    end_date: GroundedValue[dt.date] | None = None
    late_fee_percent_per_month: GroundedValue[float] | None = None
    retainage_percent: GroundedValue[float] | None = None
    expenses_reimbursable: GroundedValue[bool] | None = None
    expenses_cap: GroundedValue[float] | None = None
    rates: list[GroundedValue[RateValue]] = Field(default_factory=list)
    milestones: list[GroundedValue[MilestoneValue]] = Field(default_factory=list)
    # Added fields (the contract allows additions): facts the playbook reads.
    pay_when_paid: GroundedValue[bool] | None = Field(
        default=None, description="Payment depends on the client being paid (pay-when-paid)."
    )


BILLING_SCALAR_FIELDS: tuple[str, ...] = (
    "billing_model",
    "currency",
    "total_fee",
    "not_to_exceed",
    "payment_terms_days",
    "invoice_frequency",
    "start_date",
    "end_date",
    "late_fee_percent_per_month",
    "retainage_percent",
    "expenses_reimbursable",
    "expenses_cap",
)
BILLING_LIST_FIELDS: tuple[str, ...] = ("rates", "milestones")


class ClauseFinding(BaseModel):
    """One clause found in the SOW, standard or not, as the playbook judged it."""

    type: ClauseType
    nonstandard: bool
    severity: Severity | None = None
    route: Route | None = None
    rule: str | None = Field(default=None, description="The rule that fired; null when standard.")
    reason: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)
    # Added fields: a review item's title and the values a rule read (notice days, cap multiple, ...).
    title: str | None = None
    values: dict[str, Any] = Field(default_factory=dict)


class DocumentInfo(BaseModel):
    sha256: str
    filename: str | None = None
    pages: int = Field(ge=0)
    media_type: str


class LLMCall(BaseModel):
    """One request to the LLM backend (added field): what it cost and how it ended."""

    prompt: str = Field(description="The prompt's name/version, e.g. billing/1.")
    chunk: int = Field(ge=0, description="Which chunk of the document (0-based).")
    tokens_in: int = Field(default=0, ge=0)
    tokens_out: int = Field(default=0, ge=0)
    attempts: int = Field(default=0, ge=0)
    cached: bool = False
    outcome: Literal["ok", "refused", "invalid", "unavailable"] = "ok"


class LLMUsage(BaseModel):
    """The LLM backend's audit trail for one document (added field)."""

    model: str
    prompts: dict[str, str] = Field(default_factory=dict, description="Prompt name -> version.")
    tokens_in: int = Field(default=0, ge=0)
    tokens_out: int = Field(default=0, ge=0)
    calls: list[LLMCall] = Field(default_factory=list)
    proposed: int = Field(default=0, ge=0, description="Values and clauses the model proposed.")
    dropped_unfound: int = Field(default=0, ge=0, description="Dropped: the quote is not in the document.")
    dropped_unsupported: int = Field(
        default=0, ge=0, description="Dropped: the quote does not state the value."
    )


class ModelInfo(BaseModel):
    backend: Backend = "local"
    versions: dict[str, str] = Field(default_factory=dict)
    playbook_sha256: str | None = None
    llm: LLMUsage | None = Field(default=None, description="Set when the llm or hybrid backend ran.")


RiskCategory = Literal[
    "missing_billing_dependency", "unusual_payment_terms", "nonstandard_deliverable_language", "other"
]


class RiskNote(BaseModel):
    """What a reviewer should look at first (added field), tied to grounded evidence."""

    category: RiskCategory
    note: str
    evidence: list[Evidence] = Field(min_length=1)


class Disagreement(BaseModel):
    """Where the local and the LLM backends disagree (added field, hybrid only); shown to the reviewer."""

    field: str = Field(description="e.g. billing.total_fee or clauses.auto_renewal.")
    local: Any = None
    llm: Any = None
    kept: Literal["local", "llm"] = "local"
    evidence: list[Evidence] = Field(default_factory=list)


class PageText(BaseModel):
    number: int = Field(ge=1)
    text: str


class ExtractionResult(BaseModel):
    document: DocumentInfo
    billing: Billing = Field(default_factory=Billing)
    clauses: list[ClauseFinding] = Field(default_factory=list)
    model: ModelInfo = Field(default_factory=ModelInfo)
    warnings: list[str] = Field(default_factory=list)
    risk_notes: list[RiskNote] = Field(default_factory=list, description="llm and hybrid backends only.")
    disagreements: list[Disagreement] = Field(default_factory=list, description="hybrid backend only.")
    pages: list[PageText] | None = Field(default=None, description="Page texts, with --include-text only.")


__all__ = [
    "BILLING_LIST_FIELDS",
    "BILLING_MODELS",
    "BILLING_SCALAR_FIELDS",
    "CLAUSE_TYPES",
    "INVOICE_FREQUENCIES",
    "RATE_UNITS",
    "Backend",
    "Billing",
    "BillingModel",
    "ClauseFinding",
    "ClauseType",
    "Disagreement",
    "DocumentInfo",
    "Evidence",
    "ExtractionResult",
    "GroundedValue",
    "InvoiceFrequency",
    "LLMCall",
    "LLMUsage",
    "MilestoneValue",
    "ModelInfo",
    "PageText",
    "RateUnit",
    "RateValue",
    "RiskCategory",
    "RiskNote",
    "Route",
    "Severity",
]
