"""SOW extraction: a document in, grounded billing terms and reviewed clauses out.

The public API is what ``__all__`` lists; everything else is private to the package.
"""

from __future__ import annotations

from extraction.document import Document, Page, Table, TableCell
from extraction.errors import (
    BackendUnavailableError,
    ClauseModelError,
    CorruptDocumentError,
    DecompressionBombError,
    DocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    ExtractionError,
    MislabelledMediaError,
    TextEncodingError,
    TruncatedDocumentError,
    UnsupportedMediaError,
)
from extraction.ingest import ingest
from extraction.limits import ExtractionLimits
from extraction.pipeline import analyse_document, extract_sow
from extraction.schemas import (
    Billing,
    ClauseFinding,
    DocumentInfo,
    Evidence,
    ExtractionResult,
    GroundedValue,
    MilestoneValue,
    ModelInfo,
    PageText,
    RateValue,
)

__all__ = [
    "BackendUnavailableError",
    "Billing",
    "ClauseFinding",
    "ClauseModelError",
    "CorruptDocumentError",
    "DecompressionBombError",
    "Document",
    "DocumentError",
    "DocumentInfo",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "Evidence",
    "ExtractionError",
    "ExtractionLimits",
    "ExtractionResult",
    "GroundedValue",
    "MilestoneValue",
    "MislabelledMediaError",
    "ModelInfo",
    "Page",
    "PageText",
    "RateValue",
    "Table",
    "TableCell",
    "TextEncodingError",
    "TruncatedDocumentError",
    "UnsupportedMediaError",
    "analyse_document",
    "extract_sow",
    "ingest",
]
