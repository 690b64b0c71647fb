"""The extraction package's exception tree.

Every error the library raises on purpose derives from :class:`ExtractionError`,
so a caller can catch one type. Each subclass has a stable ``slug`` that the
service maps to a problem+json ``type`` (``https://handoff.dev/problems/<slug>``)
and a ``status`` hint for that mapping::

    ExtractionError                       extraction-failed        422
    ├── DocumentError                     (input could not be read)
    │   ├── UnsupportedMediaError         unsupported-media        415
    │   │   └── MislabelledMediaError     mislabelled-media        415
    │   ├── EncryptedDocumentError        encrypted-document       422
    │   ├── CorruptDocumentError          corrupt-document         422
    │   │   └── TruncatedDocumentError    truncated-document       422
    │   ├── DocumentTooLargeError         document-too-large       413
    │   │   └── DecompressionBombError    decompression-bomb       413
    │   ├── EmptyDocumentError            empty-document           422
    │   └── TextEncodingError             text-encoding            422
    ├── BackendUnavailableError           backend-unavailable      503
    ├── ClauseModelError                  clause-model-failed      500
    └── BillingFillModelError             billing-fill-model-failed 500

Messages are one line, safe to show to the person who uploaded the file, and
say what was found ("the file is a ZIP archive, not a PDF") rather than only
what was expected.
"""

from __future__ import annotations


class ExtractionError(Exception):
    """Base class of every error raised by :mod:`extraction`."""

    slug = "extraction-failed"
    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)


class DocumentError(ExtractionError):
    """The input document could not be turned into pages of text."""

    slug = "document-unreadable"


class UnsupportedMediaError(DocumentError):
    """The bytes are not a PDF, DOCX or plain text document."""

    slug = "unsupported-media"
    status = 415


class MislabelledMediaError(UnsupportedMediaError):
    """The declared name or media type says one format, the bytes say another we do not accept."""

    slug = "mislabelled-media"


class EncryptedDocumentError(DocumentError):
    """The PDF is encrypted (and not readable with an empty user password)."""

    slug = "encrypted-document"


class CorruptDocumentError(DocumentError):
    """The file claims a supported format but its structure is broken."""

    slug = "corrupt-document"


class TruncatedDocumentError(CorruptDocumentError):
    """The file ends before its structure does (an interrupted upload or copy)."""

    slug = "truncated-document"


class DocumentTooLargeError(DocumentError):
    """The file is over a byte, page or extracted-size limit."""

    slug = "document-too-large"
    status = 413


class DecompressionBombError(DocumentTooLargeError):
    """A compressed stream or archive member expands beyond the limits."""

    slug = "decompression-bomb"


class EmptyDocumentError(DocumentError):
    """The document has no pages, or no extractable text on any page."""

    slug = "empty-document"


class TextEncodingError(DocumentError):
    """A plain-text document that no supported encoding decodes."""

    slug = "text-encoding"


class BackendUnavailableError(ExtractionError):
    """The requested extraction backend (``llm`` or ``hybrid``) is not available."""

    slug = "backend-unavailable"
    status = 503


class ClauseModelError(ExtractionError):
    """The clause model failed on a document it was given."""

    slug = "clause-model-failed"
    status = 500


class BillingFillModelError(ExtractionError):
    """The learned billing fill's saved folder is missing, foreign or corrupt (raised on load;
    the pipeline never fails a document for the fill)."""

    slug = "billing-fill-model-failed"
    status = 500


__all__ = [
    "BackendUnavailableError",
    "BillingFillModelError",
    "ClauseModelError",
    "CorruptDocumentError",
    "DecompressionBombError",
    "DocumentError",
    "DocumentTooLargeError",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "ExtractionError",
    "MislabelledMediaError",
    "TextEncodingError",
    "TruncatedDocumentError",
    "UnsupportedMediaError",
]
