"""Billing terms: money, dates and payment-term parsers and the grounded field extractor."""

from __future__ import annotations

from extraction.billing.calibration import Calibrator, default_calibrator, fit_calibrator
from extraction.billing.extract import BillingExtraction, extract_billing

__all__ = ["BillingExtraction", "Calibrator", "default_calibrator", "extract_billing", "fit_calibrator"]
