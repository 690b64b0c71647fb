"""PDF pages with pypdf, rebuilt into lines from text positions.

pypdf's plain ``extract_text`` is the reading order we keep: its layout mode
returned no text at all for most pages of the CUAD PDFs (915 of 1,132 pages
sampled), so it cannot be the primary path. A text visitor on the same single
pass gives each fragment's position; fragments that pypdf put on separate
lines but that sit on the same baseline, left to right (table cells), are
joined into one line with each cell padded to its horizontal position. That
recovers rate and milestone tables without a second extraction.

Bounds, all checked before text is extracted: the byte size, the page count
(from the page tree), and each page's decoded content-stream size (Flate
streams are inflated with an output cap, so a decompression bomb is refused
before pypdf inflates it). Encrypted PDFs are opened with the empty user
password only (the common "owner password restricts printing" case); any
other encryption is refused with :class:`EncryptedDocumentError`.
"""

from __future__ import annotations

import io
import logging
import warnings
import zlib
from dataclasses import dataclass, field
from typing import Any

from extraction.errors import (
    CorruptDocumentError,
    DecompressionBombError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    TruncatedDocumentError,
)
from extraction.limits import ExtractionLimits

# Points per character column when padding table cells to their x position.
_COLUMN_POINTS = 4.5
_SAME_BASELINE = 2.5

logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class _Line:
    x: float | None = None
    y: float | None = None
    text: str = ""
    cells: list[tuple[float, str]] = field(default_factory=list)


def _position(cm: Any, tm: Any) -> tuple[float, float]:
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    return float(x), float(y)


def _lines_from_fragments(fragments: list[tuple[str, float, float]]) -> list[str]:
    lines: list[_Line] = []
    current = _Line()
    for text, x, y in fragments:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index > 0:
                lines.append(current)
                current = _Line()
            if piece:
                if current.x is None:
                    current.x, current.y = x, y
                current.text += piece
    lines.append(current)

    merged: list[_Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and line.text.strip()
            and prev.text.strip()
            and line.y is not None
            and prev.y is not None
            and line.x is not None
            and abs(line.y - prev.y) <= _SAME_BASELINE
            and line.x > (prev.cells[-1][0] if prev.cells else (prev.x or 0.0)) + 1.0
        ):
            if not prev.cells:
                prev.cells.append((prev.x or 0.0, prev.text))
            prev.cells.append((line.x, line.text))
            continue
        merged.append(line)

    left = min((line.x for line in merged if line.x is not None and line.cells), default=0.0)
    out: list[str] = []
    for line in merged:
        if not line.cells:
            out.append(line.text)
            continue
        rendered = ""
        for x, text in line.cells:
            text = text.strip()
            target = round((x - left) / _COLUMN_POINTS)
            gap = target - len(rendered) if rendered else target
            rendered += " " * (max(2, gap) if rendered else max(0, gap)) + text
        out.append(rendered)
    return out


def _check_streams(page: Any, number: int, limits: ExtractionLimits) -> None:
    contents = page.get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    streams = list(contents) if isinstance(contents, list) else [contents]
    total = 0
    for ref in streams:
        stream = ref.get_object()
        filters = stream.get("/Filter")
        names = [str(f) for f in (filters if isinstance(filters, list) else [filters])] if filters else []
        raw = getattr(stream, "_data", b"") or b""
        if names[:1] == ["/FlateDecode"]:
            inflater = zlib.decompressobj()
            try:
                size = len(inflater.decompress(raw, limits.max_stream_bytes + 1))
            except zlib.error:
                size = len(raw)
        else:
            size = len(raw)
        total += size
        if size > limits.max_stream_bytes or total > limits.max_stream_bytes:
            raise DecompressionBombError(
                f"page {number} has a content stream that expands beyond {limits.max_stream_bytes} bytes"
            )


def read_pdf(data: bytes, *, limits: ExtractionLimits) -> tuple[list[list[str]], list[str]]:
    """Raw lines of each page of a PDF.

    Parameters
    ----------
    data
        The file's bytes (already sniffed as PDF).
    limits
        Page, stream and character limits.

    Returns
    -------
    pages, warnings
        Lines per page before normalisation, and warnings (pages without text).

    Raises
    ------
    EncryptedDocumentError, TruncatedDocumentError, CorruptDocumentError,
    DocumentTooLargeError, DecompressionBombError, EmptyDocumentError
    """
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if b"%%EOF" not in data[-2048:]:
        raise TruncatedDocumentError(
            "the PDF is truncated: it has no end-of-file marker (an interrupted upload?)"
        )
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    decrypted = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise EncryptedDocumentError(
                        f"the PDF is encrypted with an unsupported method: {exc}"
                    ) from exc
                if not decrypted:
                    raise EncryptedDocumentError("the PDF is encrypted and needs a password to open")
                notes.append("the PDF is encrypted; it opened with an empty user password")
            count = len(reader.pages)
        except EncryptedDocumentError:
            raise
        except FileNotDecryptedError as exc:
            raise EncryptedDocumentError("the PDF is encrypted and needs a password to open") from exc
        except (
            PdfReadError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            RecursionError,
        ) as exc:
            raise CorruptDocumentError(f"the PDF's structure is broken: {exc}") from exc
        if count == 0:
            raise EmptyDocumentError("the PDF has no pages")
        if count > limits.max_pages:
            raise DocumentTooLargeError(f"the PDF has {count} pages; the limit is {limits.max_pages}")

        pages: list[list[str]] = []
        total_chars = 0
        for number in range(1, count + 1):
            try:
                page = reader.pages[number - 1]
                _check_streams(page, number, limits)
                fragments: list[tuple[str, float, float]] = []

                def visit(
                    text: str, cm: Any, tm: Any, _font: Any, _size: Any, sink: list = fragments
                ) -> None:
                    if text:
                        x, y = _position(cm, tm)
                        sink.append((text, x, y))

                page.extract_text(visitor_text=visit)
            except DecompressionBombError:
                raise
            except (
                PdfReadError,
                ValueError,
                KeyError,
                TypeError,
                AttributeError,
                IndexError,
                zlib.error,
            ) as exc:
                notes.append(f"page {number} could not be read ({type(exc).__name__}); it is left empty")
                fragments = []
            except RecursionError as exc:
                raise CorruptDocumentError(
                    f"page {number} of the PDF is malformed (nested too deeply)"
                ) from exc
            lines = _lines_from_fragments(fragments)
            chars = sum(len(line) for line in lines)
            total_chars += chars
            if total_chars > limits.max_total_chars:
                raise DocumentTooLargeError(
                    f"the PDF's text is over {limits.max_total_chars} characters by page {number}"
                )
            pages.append(lines)
    return pages, notes


__all__ = ["read_pdf"]
