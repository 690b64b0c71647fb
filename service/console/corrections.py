"""Reading a reviewer's corrected values out of the override form, validated by type.

An override must carry values the next system can use as they are: a
payment term is a whole number of days, a date is ISO, a currency is an ISO
code. A value that is not is refused with a message naming the field.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from service.reviews.schemas import ReviewItem

BILLING_MODELS = ("fixed_fee", "time_and_materials", "milestone", "retainer", "mixed")
INVOICE_FREQUENCIES = (
    "weekly",
    "biweekly",
    "semimonthly",
    "monthly",
    "quarterly",
    "on_milestone",
    "upfront",
    "on_completion",
)

# field -> (label, kind, options)
BILLING_FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "payment_terms_days": ("Payment terms (days)", "days", ()),
    "billing_model": ("Billing model", "enum", BILLING_MODELS),
    "currency": ("Currency (ISO 4217)", "currency", ()),
    "total_fee": ("Total fee", "amount", ()),
    "not_to_exceed": ("Not to exceed", "amount", ()),
    "invoice_frequency": ("Invoice frequency", "enum", INVOICE_FREQUENCIES),
    "start_date": ("Start date", "date", ()),
    "end_date": ("End date", "date", ()),
    "late_fee_percent_per_month": ("Late fee (% per month)", "percent", ()),
    "retainage_percent": ("Retainage (%)", "percent", ()),
    "expenses_reimbursable": ("Expenses reimbursable", "boolean", ()),
    "expenses_cap": ("Expenses cap", "amount", ()),
}
ENTRY_FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "hours": ("Hours", "hours", ()),
    "bill_rate": ("Bill rate", "amount", ()),
    "role": ("Role billed", "text", ()),
}
# The billing field a playbook rule is about, to preselect in the form.
RULE_FIELDS = {
    "payment_terms.long": "payment_terms_days",
    "late_payment.absent": "late_fee_percent_per_month",
    "billing.missing_terms": "payment_terms_days",
    "rate_change.locked": "end_date",
}


class CorrectionError(ValueError):
    """The override form's values are not usable; the message names the field."""


def correction_fields(item: ReviewItem) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    if item.kind in {"time_entry", "time-entry", "time_entries"} or item.subject.type in {"time_entry"}:
        return ENTRY_FIELDS
    if item.subject.type == "sow_extraction" or item.kind in {"clause", "billing", "billing_term"}:
        return BILLING_FIELDS
    return {}


def parse_corrections(item: ReviewItem, form: dict[str, str]) -> dict[str, Any]:
    """The corrections of an override: typed field values, or a JSON object for other kinds."""
    fields = correction_fields(item)
    if not fields:
        raw = form.get("corrections_json", "").strip()
        try:
            value = json.loads(raw) if raw else None
        except json.JSONDecodeError as exc:
            raise CorrectionError(
                f"Corrections must be a JSON object: {exc.msg} at line {exc.lineno}."
            ) from None
        if not isinstance(value, dict) or not value:
            raise CorrectionError("An override needs the corrected values, as a JSON object.")
        return value
    name = form.get("field", "")
    if name not in fields:
        raise CorrectionError("Choose which value you are correcting.")
    label, kind, options = fields[name]
    return {name: _typed(label, kind, options, form.get("value", "").strip())}


def _typed(label: str, kind: str, options: tuple[str, ...], raw: str) -> Any:
    if not raw:
        raise CorrectionError(f"{label}: enter the corrected value.")
    if kind == "enum":
        if raw not in options:
            raise CorrectionError(f"{label}: choose one of {', '.join(options)}.")
        return raw
    if kind == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise CorrectionError(f"{label}: use a three-letter ISO 4217 code such as USD or EUR.")
        return raw.upper()
    if kind == "date":
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise CorrectionError(f"{label}: use a date like 2027-03-31.") from None
    if kind == "boolean":
        lowered = raw.lower()
        if lowered not in {"true", "false", "yes", "no"}:
            raise CorrectionError(f"{label}: answer yes or no.")
        return lowered in {"true", "yes"}
    if kind == "text":
        return raw
    try:
        number = float(raw.replace(",", ""))
    except ValueError:
        raise CorrectionError(f"{label}: enter a number.") from None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        raise CorrectionError(f"{label}: enter a finite number that is not negative.")
    if kind == "days":
        if not number.is_integer() or number > 365:
            raise CorrectionError(f"{label}: enter a whole number of days from 0 to 365.")
        return int(number)
    if kind == "percent" and number > 100:
        raise CorrectionError(f"{label}: a percentage cannot exceed 100.")
    if kind == "hours" and not 0 < number <= 24:
        raise CorrectionError(f"{label}: hours must be more than 0 and at most 24.")
    return number
