"""Plain text: decode with a known order of encodings, then cut into pages.

Decoding order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins;
then UTF-16 without a BOM when the NUL bytes say so (every other byte NUL);
then strict UTF-8; then cp1252 with a warning (the usual encoding of text
saved by older Windows tools). Bytes none of these decode raise
:class:`TextEncodingError`. Form feeds separate pages; text without them is
cut into virtual pages at blank lines (see :func:`extraction.ingest.docx.virtual_pages`).
"""

from __future__ import annotations

import codecs

from extraction.errors import EmptyDocumentError, TextEncodingError, UnsupportedMediaError
from extraction.ingest.docx import virtual_pages

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    odd_nuls = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode text bytes.

    Returns
    -------
    text, encoding, warnings
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise TextEncodingError(
                    f"the text starts with a {encoding} byte-order mark but is not {encoding}"
                ) from exc
    guessed = utf16_without_bom(data)
    if guessed:
        try:
            return data.decode(guessed), guessed, [f"the text has no byte-order mark; decoded as {guessed}"]
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise UnsupportedMediaError("the file is binary data, not text, PDF or DOCX")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TextEncodingError(
            f"the text is neither UTF-8, UTF-16 nor Windows-1252 (undecodable byte at offset {exc.start})"
        ) from exc
    return text, "cp1252", ["the text is not UTF-8; decoded as Windows-1252 (cp1252)"]


def read_text(data: bytes) -> tuple[list[list[str]], list[str]]:
    """Raw lines of each page of a text document, and warnings."""
    text, _, notes = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyDocumentError("the text document is empty")
    if "\f" in text:
        pages = [chunk.split("\n") for chunk in text.split("\f")]
        while len(pages) > 1 and not any(line.strip() for line in pages[-1]):
            pages.pop()
    else:
        pages = virtual_pages(text.split("\n"), paragraph_per_line=False)
    return pages, notes


__all__ = ["decode_text", "read_text"]
