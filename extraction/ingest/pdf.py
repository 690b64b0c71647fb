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
import math
import warnings
import zlib
from typing import Any

from extraction.errors import (
    CorruptDocumentError,
    DecompressionBombError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    TruncatedDocumentError,
)
from extraction.ingest.layout import TextGeometry, assemble_lines, quarter_turn, to_text_frame
from extraction.limits import ExtractionLimits

logging.getLogger("pypdf").setLevel(logging.ERROR)


#: A page whose images cover at least this share of it may hold text we cannot read (a picture
#: of a rate table is about a tenth of a page); an image drawn on most pages (a letterhead, a
#: logo) is decoration and not counted.
IMAGE_SHARE_WARNING = 0.05


def _position(cm: Any, tm: Any) -> tuple[float, float]:
    x = float(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
    y = float(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
    # Text drawn a quarter turn is placed in its own frame, where its lines run left to right.
    turn = quarter_turn(float(tm[0] * cm[0] + tm[1] * cm[2]), float(tm[0] * cm[1] + tm[1] * cm[3]))
    return to_text_frame(turn, x, y) if turn else (x, y)


def _page_images(page: Any) -> dict[str, Any]:
    """Name -> identity (its object number when shared) of each image XObject the page can draw."""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return {}
        xobjects = xobjects.get_object()
        images: dict[str, Any] = {}
        for name in xobjects:
            if str(xobjects[name].get_object().get("/Subtype")) == "/Image":
                ref = xobjects.raw_get(name)
                images[str(name)] = getattr(ref, "idnum", None) or (id(ref), str(name))
        return images
    except Exception:  # unreadable resources: no image is counted
        return {}


def _pictured_pages(drawn: list[list[tuple[Any, float]]], areas: list[float]) -> set[int]:
    """1-based numbers of the pages whose own (not repeated) images cover a good share of them."""
    pages_of: dict[Any, set[int]] = {}
    for number, images in enumerate(drawn, start=1):
        for key, _ in images:
            pages_of.setdefault(key, set()).add(number)
    repeated = {k for k, pages in pages_of.items() if len(pages) >= 2 and len(pages) * 2 >= len(drawn)}
    pictured: set[int] = set()
    for number, (images, area) in enumerate(zip(drawn, areas, strict=True), start=1):
        covered = sum(a for key, a in images if key not in repeated)
        if area and covered / area >= IMAGE_SHARE_WARNING:
            pictured.add(number)
    return pictured


def _page_area(page: Any) -> float:
    try:
        box = page.mediabox
        return abs(float(box.width) * float(box.height))
    except Exception:
        return 0.0


def _page_fonts(page: Any) -> dict[str, Any]:
    try:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        return dict(fonts.get_object()) if fonts is not None else {}
    except Exception:  # no fonts known: pypdf's own spacing is used
        return {}


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


def read_pdf(
    data: bytes, *, limits: ExtractionLimits
) -> tuple[list[list[str]], list[str], set[int], list[list[str]]]:
    """Raw lines of each page of a PDF.

    Parameters
    ----------
    data
        The file's bytes (already sniffed as PDF).
    limits
        Page, stream and character limits.

    Returns
    -------
    pages, warnings, pictured, footnotes
        Lines per page before normalisation, warnings (pages whose text sits beside a
        picture), the numbers of the pages that draw pictures of their own (not a
        logo repeated on most pages) over a good share of the page, and each page's
        footnote lines (set smaller at its foot, first with its mark).

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
        drawn: list[list[tuple[Any, float]]] = []
        areas: list[float] = []
        total_chars = 0
        font_cache: dict[int, Any] = {}
        columns: dict[int, int] = {}
        footnotes: list[list[str]] = []
        for number in range(1, count + 1):
            try:
                page = reader.pages[number - 1]
                _check_streams(page, number, limits)
                fragments: list[tuple[str, float, float, float, bool]] = []
                geometry = TextGeometry(_page_fonts(page), font_cache, images=_page_images(page))

                def visit(text: str, cm: Any, tm: Any, font: Any, size: Any, sink: list = fragments) -> None:
                    if text:
                        x, y = _position(cm, tm)
                        scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
                        sink.append((text, x, y, float(size or 0) * (scale or 1.0), font is None))

                page.extract_text(
                    visitor_text=visit,
                    visitor_operand_before=geometry.before,
                    visitor_operand_after=geometry.after,
                )
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
                geometry = None
            except RecursionError as exc:
                raise CorruptDocumentError(
                    f"page {number} of the PDF is malformed (nested too deeply)"
                ) from exc
            page_notes: list[str] = []
            lines = assemble_lines(fragments, geometry, columns=columns, notes=page_notes)
            footnotes.append(page_notes)
            chars = sum(len(line) for line in lines)
            drawn.append(geometry.drawn_images if geometry is not None else [])
            areas.append(_page_area(page) if drawn[-1] else 0.0)
            total_chars += chars
            if total_chars > limits.max_total_chars:
                raise DocumentTooLargeError(
                    f"the PDF's text is over {limits.max_total_chars} characters by page {number}"
                )
            pages.append(lines)
    pictured = _pictured_pages(drawn, areas)
    for number in sorted(pictured):
        if any(line.strip() for line in pages[number - 1]):
            notes.append(
                f"page {number} has an image beside its text; text inside images is not read "
                "(a scanned table or a picture of text?)"
            )
    return pages, notes, pictured, footnotes


__all__ = ["read_pdf"]
