"""Plain text: decode with a known order of encodings, then cut into pages.

Decoding order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins;
then UTF-16 without a BOM when the NUL bytes say so (every other byte NUL);
then strict UTF-8; then cp1252 with a warning (the usual encoding of text
saved by older Windows tools). Bytes none of these decode raise
:class:`TextEncodingError`; bytes that are not text at all (NUL bytes outside
UTF-16/32, or over 5% C0 control bytes) raise :class:`UnsupportedMediaError`.
Form feeds separate pages; text without them is cut into virtual pages at blank
lines (see :func:`extraction.ingest.docx.virtual_pages`).
"""

from __future__ import annotations

import codecs
import unicodedata

from extraction.errors import EmptyDocumentError, TextEncodingError, UnsupportedMediaError
from extraction.ingest.docx import virtual_pages

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# C0 controls that text does not contain. Tab, line feed, vertical tab, form feed and carriage
# return are layout; 0x1E and 0x1F are Word's non-breaking and optional hyphens in its
# plain-text export; 0x1A ends old DOS files.
CONTROL_BYTES = bytes(b for b in [*range(0x00, 0x20), 0x7F] if b not in b"\t\n\x0b\x0c\r\x1a\x1e\x1f")
_CONTROL_CHARS = str.maketrans("", "", CONTROL_BYTES.decode("ascii"))
# Random bytes are about 10% such controls; text, even with stray escapes, far fewer.
_MAX_CONTROL_SHARE = 0.05
_MIN_CONTROLS = 4


def _control_count(text: str) -> int:
    """C0 controls plus C1 controls, surrogates and private or unassigned code points."""
    count = len(text) - len(text.translate(_CONTROL_CHARS))
    odd = ("Cc", "Cs", "Co", "Cn")
    return count + sum(1 for ch in text if ord(ch) >= 0x80 and unicodedata.category(ch) in odd)


def _reads_as_text(text: str) -> bool:
    controls = _control_count(text)
    return controls == 0 or (controls < _MIN_CONTROLS and len(text) >= 40) or controls <= len(text) * 0.01


def utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    odd_nuls = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        guess = "utf-16-le"
    elif even_nuls > 0.3 and odd_nuls < 0.05:
        guess = "utf-16-be"
    else:
        return None
    # Every other byte NUL is also a binary header's small integers ('MZ\x90\x00' decodes to
    # a CJK sign and a C1 control): UTF-16 only when what it decodes to reads as text.
    even = sample[: len(sample) - len(sample) % 2]
    return guess if _reads_as_text(even.decode(guess, errors="replace")) else None


def binary_reason(data: bytes) -> str | None:
    """Why the bytes are binary data rather than text ("NUL bytes", "12% control characters"), or None.

    Text with a byte-order mark or in BOM-less UTF-16 is text; otherwise a NUL byte, or more
    than a few C0 control bytes making over 5% of the first 8 KiB, say binary. Bytes over 0x7F
    are not counted: cp1252 and latin-1 text is made of them.
    """
    sample = data[:8192]
    if sample.startswith(tuple(bom for bom, _ in _BOMS)) or utf16_without_bom(sample):
        return None
    if b"\x00" in sample:
        return "binary data (it has NUL bytes)"
    controls = len(sample) - len(sample.translate(None, delete=CONTROL_BYTES))
    if controls >= _MIN_CONTROLS and controls > len(sample) * _MAX_CONTROL_SHARE:
        return f"binary data ({controls / len(sample):.0%} of its bytes are control characters)"
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
    binary = binary_reason(data)
    if binary:
        raise UnsupportedMediaError(f"the file is {binary}, not text, PDF or DOCX")
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


__all__ = ["CONTROL_BYTES", "binary_reason", "decode_text", "read_text", "utf16_without_bom"]
