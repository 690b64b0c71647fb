"""Limits that bound the time and memory one extraction may use.

The caller (CLI, service) builds these from its settings and passes them in;
the library never reads settings itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ExtractionLimits:
    """Upper bounds applied before and during ingestion.

    Parameters
    ----------
    max_bytes
        Size of the uploaded file.
    max_pages
        Pages of a PDF (checked from the page tree before any text is extracted).
    max_chars_per_page
        Extracted characters kept per page; a page over it is cut and warned about.
    max_total_chars
        Extracted characters over the whole document.
    max_stream_bytes
        Decoded size of any one PDF content stream, and of any one DOCX zip member.
    max_ratio
        Largest expansion ratio accepted for a DOCX zip member (a zip-bomb guard).
    """

    max_bytes: int = 25 * 1024 * 1024
    max_pages: int = 500
    max_chars_per_page: int = 100_000
    max_total_chars: int = 5_000_000
    max_stream_bytes: int = 20 * 1024 * 1024
    max_ratio: float = 200.0


__all__ = ["ExtractionLimits"]
