"""DOCX body text with python-docx, after checking the ZIP package is safe to open.

A DOCX has no fixed pages. Pages are cut at explicit page breaks
(``<w:br w:type="page"/>`` and ``pageBreakBefore``); a document with none is
split into *virtual pages* at the first paragraph boundary after every
:data:`VIRTUAL_PAGE_CHARS` characters, so evidence still points at a
reasonably small page. Tables are rendered one row per line with cells joined
by a tab, which :mod:`extraction.ingest.tables` reads back as a table.

The package is checked before python-docx sees it: it must be a ZIP with
``word/document.xml``; the member count, each member's declared size, the
total declared size and each member's compression ratio are bounded (a zip
bomb is refused without inflating it), and the main part is inflated with a
hard output cap.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from extraction.errors import CorruptDocumentError, DecompressionBombError, EmptyDocumentError
from extraction.limits import ExtractionLimits

VIRTUAL_PAGE_CHARS = 3000
_MAX_MEMBERS = 2000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_package(data: bytes, *, limits: ExtractionLimits) -> None:
    """Refuse a DOCX that is not a readable ZIP or that would expand past the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptDocumentError(f"the DOCX is not a valid ZIP package: {exc}") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > _MAX_MEMBERS:
            raise DecompressionBombError(
                f"the DOCX package has {len(infos)} parts; the limit is {_MAX_MEMBERS}"
            )
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise CorruptDocumentError(
                "the ZIP package has no word/document.xml, so it is not a Word document"
            )
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.max_stream_bytes or (
                info.file_size > 1_000_000 and ratio > limits.max_ratio
            ):
                raise DecompressionBombError(
                    f"the DOCX part {info.filename} expands to {info.file_size} bytes (ratio {ratio:.0f}:1)"
                )
        if total > limits.max_stream_bytes * 2:
            raise DecompressionBombError(f"the DOCX package expands to {total} bytes")
        try:
            with archive.open("word/document.xml") as part:
                # Declared sizes can lie; read with a hard cap as well.
                body = part.read(limits.max_stream_bytes + 1)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise CorruptDocumentError(f"the DOCX main part cannot be read: {exc}") from exc
        if len(body) > limits.max_stream_bytes:
            raise DecompressionBombError("the DOCX main part expands beyond the limit")


def _paragraph_parts(paragraph: Any) -> list[tuple[str, bool]]:
    """Text of a paragraph split at explicit page breaks: [(text, break_after), ...]."""
    parts: list[tuple[str, bool]] = []
    buffer: list[str] = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t" and node.text:
            buffer.append(node.text)
        elif tag == f"{_W}tab":
            buffer.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            if node.get(f"{_W}type") == "page":
                parts.append(("".join(buffer), True))
                buffer = []
            else:
                buffer.append("\n")
    parts.append(("".join(buffer), False))
    return parts


def _breaks_before(paragraph: Any) -> bool:
    ppr = paragraph.find(f"{_W}pPr")
    if ppr is None:
        return False
    flag = ppr.find(f"{_W}pageBreakBefore")
    return flag is not None and flag.get(f"{_W}val", "true") not in ("0", "false")


def read_docx(data: bytes, *, limits: ExtractionLimits) -> tuple[list[list[str]], list[str], bool]:
    """Raw lines of each page of a DOCX.

    Returns
    -------
    pages, warnings, explicit_pages
        Lines per page, warnings, and whether pages came from explicit breaks.
    """
    check_package(data, limits=limits)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CorruptDocumentError(f"the DOCX cannot be opened: {exc}") from exc
    except Exception as exc:  # lxml raises its own XMLSyntaxError family
        raise CorruptDocumentError(f"the DOCX's XML is malformed: {type(exc).__name__}") from exc

    pages: list[list[str]] = [[]]
    explicit = False
    for block in document.element.body.iterchildren():
        if block.tag == f"{_W}p":
            if _breaks_before(block) and pages[-1]:
                pages.append([])
                explicit = True
            for text, break_after in _paragraph_parts(block):
                pages[-1].extend(text.split("\n"))
                if break_after:
                    pages.append([])
                    explicit = True
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = []
                for cell in row.iter(f"{_W}tc"):
                    texts = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in cell.iter(f"{_W}p")]
                    cells.append(" ".join(t.strip() for t in texts if t.strip()) or "-")
                pages[-1].append("\t".join(cells))
            pages[-1].append("")
    if not explicit:
        pages = virtual_pages(pages[0], paragraph_per_line=True)
    if not any(line.strip() for lines in pages for line in lines):
        raise EmptyDocumentError("the DOCX has no text")
    return pages, [], explicit


def virtual_pages(lines: list[str], *, paragraph_per_line: bool) -> list[list[str]]:
    """Split lines into pages of about :data:`VIRTUAL_PAGE_CHARS` at paragraph boundaries.

    With ``paragraph_per_line`` every line ends a paragraph (DOCX); otherwise only
    a blank line does (plain text), unless a page grows past twice the size.
    """
    pages: list[list[str]] = [[]]
    size = 0
    for line in lines:
        pages[-1].append(line)
        size += len(line) + 1
        boundary = paragraph_per_line or not line.strip() or size >= 2 * VIRTUAL_PAGE_CHARS
        if size >= VIRTUAL_PAGE_CHARS and boundary:
            pages.append([])
            size = 0
    return [p for p in pages if any(line.strip() for line in p)] or [[]]


__all__ = ["VIRTUAL_PAGE_CHARS", "check_package", "read_docx", "virtual_pages"]
