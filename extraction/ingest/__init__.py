"""Turn a file's bytes into a :class:`~extraction.document.Document`.

The format is sniffed from the bytes (magic numbers), never taken from the
name: a declared name or media type only matters when it disagrees with the
bytes. A file declared as PDF (``.pdf`` or ``application/pdf``) that is not one
raises :class:`MislabelledMediaError` naming what it really is; a file declared
as DOCX that is not a ZIP raises :class:`CorruptDocumentError`. Other formats
we recognise but do not read (images, legacy ``.doc``, RTF, other ZIPs,
executables, compressed archives) and bytes that are not text at all (NUL bytes,
many control characters) raise :class:`UnsupportedMediaError`, naming the format
when it is known: whatever the upload was called, binary is never read as text.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import PurePath

from extraction.document import Document, Page
from extraction.errors import (
    CorruptDocumentError,
    DocumentTooLargeError,
    EmptyDocumentError,
    MislabelledMediaError,
    UnsupportedMediaError,
)
from extraction.ingest.docx import read_docx
from extraction.ingest.normalise import finish_pages
from extraction.ingest.pdf import read_pdf
from extraction.ingest.tables import find_tables
from extraction.ingest.text import CONTROL_BYTES, binary_reason, read_text
from extraction.limits import ExtractionLimits
from extraction.schemas import DocumentInfo

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"

_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image (scans need OCR, which is not supported)"),
    (b"\xff\xd8\xff", "a JPEG image (scans need OCR, which is not supported)"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image (scans need OCR, which is not supported)"),
    (b"MM\x00*", "a TIFF image (scans need OCR, which is not supported)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Office (OLE) file such as .doc or .xls; save it as DOCX or PDF",
    ),
    (b"{\\rtf", "an RTF document; save it as DOCX or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"\x7fELF", "an ELF executable (Linux/Unix program or library)"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable (macOS program)"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable (macOS program)"),
    (b"\xca\xfe\xba\xbe", "a Java class file or macOS universal binary"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS\x00", "an Ogg audio or video file"),
)
# A prefix that text can start with too ('MZ Consulting ...', 'BZh...'), so the bytes after it
# must also be a header's (a NUL or other control byte near the start).
_WEAK_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows executable (.exe or .dll)"),
    (b"BZh", "a bzip2 archive"),
    (b"BM", "a BMP image"),
)


def _looks_like_header(data: bytes) -> bool:
    head = data[:64]
    return len(head.translate(None, delete=CONTROL_BYTES)) < len(head)


def describe_bytes(data: bytes) -> str:
    """A short human name for what the bytes are ("a ZIP archive", "plain text", ...)."""
    if _pdf_header(data):
        return "a PDF"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _describe_zip(data)
    for magic, name in _OTHER_MAGIC:
        if data.startswith(magic):
            return name
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return "a WebP image"
    for magic, name in _WEAK_MAGIC:
        if data.startswith(magic) and _looks_like_header(data):
            return name
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if not data.strip():
        return "an empty file"
    return binary_reason(data) or "plain text"


def _pdf_header(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _describe_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist()[:5000])
    except zipfile.BadZipFile:
        return "a damaged ZIP archive"
    if "word/document.xml" in names:
        return "a DOCX document"
    if "xl/workbook.xml" in names:
        return "an XLSX workbook"
    if "ppt/presentation.xml" in names:
        return "a PPTX presentation"
    return "a ZIP archive"


def sniff_media_type(data: bytes) -> str:
    """The media type we will read the bytes as.

    Raises
    ------
    UnsupportedMediaError
        For formats we recognise but do not read.
    """
    what = describe_bytes(data)
    if what == "a PDF":
        return PDF
    if what == "a DOCX document":
        return DOCX
    if what in ("plain text", "an empty file"):
        return TEXT
    raise UnsupportedMediaError(f"the file is {what}; only PDF, DOCX and plain text are supported")


def _declared(filename: str | None, media_type: str | None) -> str | None:
    media = (media_type or "").split(";")[0].strip().lower()
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if media == PDF or (suffix == ".pdf" and media in ("", "application/octet-stream")):
        return PDF
    if media == DOCX or (suffix == ".docx" and media in ("", "application/octet-stream")):
        return DOCX
    return None


def ingest(
    data: bytes,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    limits: ExtractionLimits | None = None,
) -> Document:
    """Read a PDF, DOCX or text file into pages of final text with tables.

    Parameters
    ----------
    data
        The file's bytes.
    filename, media_type
        What the uploader called it; used only to catch a mislabelled file.
    limits
        Size limits; the defaults of :class:`ExtractionLimits` when omitted.

    Returns
    -------
    Document
        Pages whose text is final, the recovered tables and ingestion warnings.

    Raises
    ------
    ExtractionError
        One of the :mod:`extraction.errors` document errors.
    """
    limits = limits or ExtractionLimits()
    if len(data) > limits.max_bytes:
        raise DocumentTooLargeError(f"the file is {len(data)} bytes; the limit is {limits.max_bytes}")
    if not data.strip():
        raise EmptyDocumentError("the file is empty")
    declared = _declared(filename, media_type)
    what = describe_bytes(data)
    if declared == PDF and what != "a PDF":
        label = f"named {filename}" if filename else f"sent as {media_type}"
        raise MislabelledMediaError(f"the file is {label} but it is {what}, not a PDF")
    if declared == DOCX and not (data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06")):
        raise CorruptDocumentError(f"the file is declared DOCX but is not a ZIP package (it is {what})")
    actual = DOCX if declared == DOCX else sniff_media_type(data)

    warnings: list[str] = []
    drop_repeated = True
    pictured: set[int] | None = None
    footnotes: list[list[str]] | None = None
    if actual == PDF:
        raw, notes, pictured, footnotes = read_pdf(data, limits=limits)
    elif actual == DOCX:
        raw, notes, _ = read_docx(data, limits=limits)
        # Word keeps headers and footers outside the body, so nothing repeats in it.
        drop_repeated = False
    else:
        raw, notes = read_text(data)
        drop_repeated = len(raw) >= 3 and "\f" in data.decode("latin-1")[:1_000_000]
    warnings.extend(notes)
    if sum(len(line) for lines in raw for line in lines) > limits.max_total_chars:
        raise DocumentTooLargeError(f"the document's text is over {limits.max_total_chars} characters")
    if len(raw) > limits.max_pages:
        raise DocumentTooLargeError(f"the document has {len(raw)} pages; the limit is {limits.max_pages}")
    texts, cut = finish_pages(
        raw, max_chars_per_page=limits.max_chars_per_page, drop_repeated=drop_repeated, footnotes=footnotes
    )
    warnings.extend(cut)
    pages = [Page(number=i, text=t) for i, t in enumerate(texts, start=1)]
    blank = [p.number for p in pages if not p.text.strip()]
    if pictured is not None:
        # A PDF page left with nothing once its running header and footer are gone is a page
        # left blank on purpose, unless it draws a picture (a scan under an e-signature stamp).
        blank = [n for n in blank if n in pictured or not any(line.strip() for line in raw[n - 1])]
    if len(blank) == len(pages) or not any(p.text.strip() for p in pages):
        raise EmptyDocumentError(
            "the document has no extractable text on any page (a scanned image? OCR is not supported)"
        )
    # A scanned page under a running header has text only in that header: it is a page
    # without text, not text beside a picture.
    beside = tuple(f"page {n} has an image beside its text" for n in blank)
    warnings = [w for w in warnings if not w.startswith(beside)] if beside else warnings
    warnings.extend(f"page {n} has no extractable text (scanned image?)" for n in blank)
    info = DocumentInfo(
        sha256=hashlib.sha256(data).hexdigest(), filename=filename, pages=len(pages), media_type=actual
    )
    return Document(pages=pages, info=info, warnings=warnings, tables=find_tables(pages))


__all__ = ["DOCX", "PDF", "TEXT", "describe_bytes", "ingest", "sniff_media_type"]
