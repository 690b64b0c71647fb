"""Text normalisation shared by every reader, applied before a page's text is fixed.

Readers hand over each page as a list of lines (table rows already joined into
one line with their cells padded to a column). Everything here maps lines to
lines, so when :func:`finish_pages` returns, the page text is final and every
offset computed afterwards indexes exactly what the tool returns.

What is done, in order:

1. characters: ligatures (``ﬁ`` → ``fi``), Word's private-use bullets (U+F0B7 → ``•``),
   non-breaking and other odd spaces → a space, zero-width characters and control
   characters dropped, ``\\r\\n`` and line/paragraph separators → ``\\n``;
2. hyphenation at line ends is joined (``consul-`` / ``tant`` → ``consultant``
   on the first line) when the hyphen follows a lower-case letter and the next
   line starts with one; a compound the document writes with its hyphen
   elsewhere, or whose halves are both its words, keeps the hyphen
   (``non-`` / ``compete`` → ``non-compete``); a soft hyphen at a line end always joins;
3. repeated headers and footers (the same first/last lines, page numbers masked,
   on at least half of the pages of a document of two or more pages) and page
   numbers (``3``, ``Page 3 of 9``, ``- 3 -``) at the top or bottom are removed;
   A line that also stands inside the pages (a table's wrapped "GBP" cell) is never a
   running line; on a short page a line takes the slot of the nearer edge;
4. the rest of a table cell broken across a page break, which the PDF reader took for
   the repeated header row wrapping, goes on a line of its own under its column
   (:func:`split_carried_cell_rest`);
5. where a page's last paragraph runs on to the next page, the page's footnotes (known
   to the PDF reader) are read above its body, so the sentence reads on across the break
   (:func:`lift_footnotes`), and a word hyphenated across the break is joined on the
   page where it starts (:func:`join_hyphenation_across_pages`);
6. trailing spaces are stripped, runs of blank lines collapse to one, and a page
   over the character cap is cut (with a warning).
"""

from __future__ import annotations

import math
import re
from collections import Counter

_SPACE_CHARS = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_CHAR_MAP: dict[int, str | None] = {
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
    0x200B: None,
    0x200C: None,
    0x200D: None,
    0x2060: None,
    0xFEFF: None,
    0x2028: "\n",
    0x2029: "\n",
    0x0085: "\n",
    0x000B: "\n",
    0x000C: "\n",
    # Word's Symbol / Wingdings bullets, which PDFs keep as private-use code points.
    0xF0B7: "•",
    0xF0A7: "▪",
    0xF0D8: "➢",
    0xF0FC: "✓",
}
_CHAR_MAP.update({ord(c): " " for c in _SPACE_CHARS})
# C0/C1 controls other than tab and newline carry no text.
_CHAR_MAP.update({c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C)})
_CHAR_MAP.update({c: None for c in range(0x7F, 0xA0) if c != 0x85})

SOFT_HYPHEN = "\u00ad"
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?[-–—]?\s*(?:\d{1,4}|[ivx]{1,5})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$",
    re.IGNORECASE,
)
_HYPHEN_END = re.compile(r"[a-zà-ÿ][-‐]$")
_EDGE_LINES = 5
# Lines this deep from an edge go only with every line between them and the edge (a
# four-line legend or footer block), never on their own.
_FREE_DEPTH = 3
# A bare number is a page number only as the first or last line (or next to a header/footer line).
_NUMBER_SLOTS = {"top0", "top1", "bottom0", "bottom1"}


def normalise_chars(text: str) -> str:
    """Map ligatures, odd spaces, zero-width and control characters; unify newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CHAR_MAP)


_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_LEADING_WORD = re.compile(r"[^\W\d_]+")
_SPLIT_END = re.compile(r"[^\W\d_]+[-\u2010\u00ad]\s*$")


def document_words(pages: list[list[str]]) -> set[str]:
    """Every word and hyphenated compound in the document, lower-cased (for hyphenation).

    The halves of a word split at a line end are not counted as words.
    """
    words: set[str] = set()
    for lines in pages:
        split_before = False
        for line in lines:
            text = line.lower()
            if split_before:
                text = _LEADING_WORD.sub("", text.lstrip(), count=1)
            split_before = bool(_SPLIT_END.search(text))
            if split_before:
                text = _SPLIT_END.sub("", text)
            for match in _WORD.finditer(text):
                compound = match.group().replace("\u2010", "-")
                words.add(compound)
                if "-" in compound:
                    words.update(compound.split("-"))
    return words


def _keeps_hyphen(head: str, tail: str, words: set[str] | None) -> bool:
    """Whether ``head-`` at a line end and ``tail`` on the next line are a hyphenated compound.

    The document decides: the compound written elsewhere keeps its hyphen, the joined
    word written elsewhere drops it, and two halves that are both words of the
    document ("third-" / "party") keep it. Otherwise the hyphen is a typesetter's
    ("consul-" / "tant") and goes.
    """
    if not words or not head or not tail:
        return False
    head, tail = head.lower(), tail.lower()
    if f"{head}-{tail}" in words:
        return True
    if head + tail in words:
        return False
    return len(head) > 1 and len(tail) > 1 and head in words and tail in words


def join_hyphenation(
    lines: list[str], words: set[str] | None = None, *, marked_breaks: bool = False
) -> list[str]:
    """Join words split across line ends by a hyphen or a soft hyphen.

    With ``words`` (see :func:`document_words`), a hyphenated compound split at its
    hyphen keeps the hyphen ("non-compete", "third-party"); without, every hyphen
    between lower-case letters at a line end is taken as the typesetter's. With
    ``marked_breaks`` (the producer marks its own hyphenation with a soft hyphen, as
    the PDF reader does for a hyphen a word processor drew as a piece of its own), a
    plain hyphen at a line end is the author's and stays ("day-" / "ahead").
    """
    out = list(lines)
    for i in range(len(out) - 1):
        line = out[i].rstrip()
        j = i + 1
        while j < len(out) and not out[j].strip():
            j += 1
        if j >= len(out) or j != i + 1:
            # Only join directly adjacent lines; a blank line is a paragraph break.
            continue
        nxt = out[j].lstrip()
        if line.endswith((SOFT_HYPHEN + "-", SOFT_HYPHEN + "\u2010")):
            # Chromium marks its break at a soft hyphen and then draws the hyphen it shows.
            line = line[:-1]
        soft = line.endswith(SOFT_HYPHEN)
        hard = bool(_HYPHEN_END.search(line)) and nxt[:1].islower()
        if not (soft or hard) or not nxt:
            continue
        head, sep, rest = nxt.partition(" ")
        keep = False
        if hard and not soft:
            stem = re.search(r"[^\W\d_]+$", line[:-1])
            lead = _LEADING_WORD.match(head)
            keep = marked_breaks or _keeps_hyphen(
                stem.group() if stem else "", lead.group() if lead else "", words
            )
        out[i] = (line if keep else line[:-1]) + head
        out[j] = rest.lstrip() if sep else ""
    return [line.replace(SOFT_HYPHEN, "") for line in out]


def _edge_slots(lines: list[str]) -> dict[int, str]:
    """Line index -> slot name ("top0", "bottom1", ...) for the first and last few filled lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    slots: dict[int, str] = {}
    for rank, index in enumerate(filled[:_EDGE_LINES]):
        slots[index] = f"top{rank}"
    # On a short page a line is near both edges; it takes the slot of the nearer one (the
    # footer under the last three lines of a table is the bottom line, not the fifth from the top).
    for rank, index in enumerate(reversed(filled[-_EDGE_LINES:])):
        top = slots.get(index)
        if top is None or int(top[3:]) > rank:
            slots[index] = f"bottom{rank}"
    return slots


def _key(line: str, page_number: int, page_count: int) -> str:
    # Only the page number and the page count are masked ("Page 3 of 9" -> "page # of #"):
    # other numbers must repeat exactly, so table rows and numbered body lines that happen
    # to sit at the same place on every page are not mistaken for a running header.
    # Only a number standing alone is masked: "3C1F9A27" in an envelope id keeps its "1".
    # "Page 3 of 60" is masked whole: a filing's own page numbers need not be the PDF's.
    text = re.sub(r"\s+", " ", line.strip().lower())
    text = _PAGE_PHRASE.sub("page # of #", text)
    return re.sub(rf"(?<![\w.,/-])(?:{page_number}|{page_count})(?![\w,/-]|\.\d)", "#", text)


def _keys(line: str, page_number: int, page_count: int) -> set[str]:
    """The line's key with page numbers masked, and as it stands ("SOW 4" on page 4 is still "SOW 4")."""
    plain = _PAGE_PHRASE.sub("page # of #", re.sub(r"\s+", " ", line.strip().lower()))
    return {_key(line, page_number, page_count), plain}


def _could_be_page_number(line: str, page_count: int) -> bool:
    # A bare number far above the page count ("2024" wrapped onto its own line on a cover) is
    # text; a filing's own numbering may run ahead of the PDF's, so the bound is loose.
    digits = re.search(r"\d+", line)
    return digits is None or int(digits.group()) <= max(3 * page_count, page_count + 50)


_PAGE_PHRASE = re.compile(r"\bpage\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b")
_CELL_GAP = re.compile(r"\t+| {2,}|\s\|\s")


def _cells(line: str) -> int:
    return len([c for c in _CELL_GAP.split(line.strip()) if c.strip()])


def _heads_a_table(lines: list[str], index: int, running: frozenset[int] = frozenset()) -> bool:
    """A multi-cell line followed by a row of as many cells: a table's header row.

    The row may come a few lines later: a row that broke across the page leaves the rest
    of a wrapped cell ("(band 1)", or a few lines of a description) under the repeated header.
    Lines in ``running`` (repeated on most pages themselves) are no row: a running header of
    two lines, each in two parts ("Firm - Proposal  Client" over "Project 24117  2 / 7"), is
    no table header over its first row.
    """
    width = _cells(lines[index])
    following = [
        line
        for j, line in enumerate(lines[index + 1 :], start=index + 1)
        if line.strip() and j not in running
    ]
    return width >= 2 and any(_cells(line) == width for line in following[:4])


def remove_headers_footers(pages: list[list[str]]) -> tuple[list[list[str]], int]:
    """Drop page numbers and lines repeated at the top or bottom of most pages.

    A line counts as repeated when the same text (page number and page count
    masked, and any "Page n of m" phrase) is among the first or the last few lines
    of at least half the pages, at either edge (a legend some pages carry on top and
    others at the bottom). The fourth and fifth line from an edge go only together
    with every line between them and the edge (a footer block of four lines).
    A repeated line that heads a table (the next line is a row with as many
    cells) on every page it is on is kept: it is a table's header row repeated
    after a page break.

    Returns
    -------
    pages, removed
        The pages without those lines, and how many lines were removed.
    """
    counts: Counter[str] = Counter()
    all_slots = [_edge_slots(lines) for lines in pages]
    count = len(pages)
    for n, (lines, slots) in enumerate(zip(pages, all_slots, strict=True), start=1):
        counts.update(set().union(*(_keys(lines[i], n, count) for i in slots)))
    threshold = max(2, math.ceil(count / 2))
    repeated = {k for k, n in counts.items() if n >= threshold and count >= 2 and k.strip()}
    # A line that also stands inside the pages, away from their edges, is the document's
    # own text repeating (a table's "GBP" or "per day" cell wrapped onto a line of its own
    # in every row): a running header or footer is never in the body.
    inside: Counter[str] = Counter()
    for n, (lines, slots) in enumerate(zip(pages, all_slots, strict=True), start=1):
        for i, line in enumerate(lines):
            if i not in slots and line.strip():
                inside.update(_keys(line, n, count) & repeated)
    repeated = {k for k in repeated if inside[k] < 2}
    # A table's header row repeated after each page break heads a table wherever it
    # repeats; a running header (even one in three parts, "Firm  CONFIDENTIAL  SOW-7")
    # also sits on pages where no table follows it, and goes everywhere.
    repeated_at = [
        frozenset(i for i in slots if _keys(lines[i], n, count) & repeated)
        for n, (lines, slots) in enumerate(zip(pages, all_slots, strict=True), start=1)
    ]
    heads_everywhere = dict.fromkeys(repeated, True)
    for n, (lines, slots) in enumerate(zip(pages, all_slots, strict=True), start=1):
        for i in slots:
            for key in _keys(lines[i], n, count) & repeated:
                if not _heads_a_table(lines, i, repeated_at[n - 1]):
                    heads_everywhere[key] = False

    def is_running(i: int, n: int, lines: list[str]) -> bool:
        hits = _keys(lines[i], n, count) & repeated
        return bool(hits) and not (
            all(heads_everywhere[k] for k in hits) and _heads_a_table(lines, i, repeated_at[n - 1])
        )

    removed = 0
    out: list[list[str]] = []
    for n, (lines, slots) in enumerate(zip(pages, all_slots, strict=True), start=1):
        drop = {
            i
            for i, slot in slots.items()
            if is_running(i, n, lines)
            or (
                _PAGE_NUMBER.match(lines[i])
                and slot in _NUMBER_SLOTS
                and _could_be_page_number(lines[i], count)
            )
        }
        for side in ("top", "bottom"):
            ranked = sorted((int(slot[len(side) :]), i) for i, slot in slots.items() if slot.startswith(side))
            for rank, i in ranked:
                if rank >= _FREE_DEPTH and any(j not in drop for r, j in ranked if r < rank):
                    drop.discard(i)
        removed += len(drop)
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out, removed


def _cell_spans(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_CELL_GAP.finditer(line), None]:
        end = match.start() if match else len(line)
        raw = line[position:end]
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            spans.append((position + lead, position + lead + len(raw.strip())))
        if match:
            position = match.end()
    return spans


def _last_table_header(lines: list[str]) -> str | None:
    """The first row of the table that ends the page (its header), or None when none does."""
    filled = [line for line in lines if line.strip()]
    header: str | None = None
    for line in reversed(filled):
        if _cells(line) >= 2:
            header = line
        elif len(line.strip()) > 60:
            break
    return header


def split_carried_cell_rest(pages: list[list[str]]) -> list[list[str]]:
    """Put the rest of a cell broken across a page break on a line of its own.

    When a row breaks across a page and the producer repeats the table's header row on the
    next page, the rest of the broken cell is drawn just under the repeated header, where
    the PDF reader takes it for the header cell wrapping ("Deliverable production"). The
    previous page's header shows what the header says; the words beyond it go on a line
    of their own under their column, which :mod:`extraction.ingest.tables` gives back to
    the broken cell.
    """
    out = [list(lines) for lines in pages]
    for n in range(1, len(out)):
        header = _last_table_header(out[n - 1])
        lines = out[n]
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if header is None or first is None:
            continue
        line = lines[first]
        mine, theirs = _cell_spans(line), _cell_spans(header)
        if len(mine) != len(theirs) or len(mine) < 2:
            continue
        head_cells = [header[s:e] for s, e in theirs]
        cells = [line[s:e] for s, e in mine]
        extra = [
            (s + len(h), c[len(h) :].strip())
            for (s, _), h, c in zip(mine, head_cells, cells, strict=True)
            if c != h and c.startswith(h + " ")
        ]
        same = all(c == h or c.startswith(h + " ") for h, c in zip(head_cells, cells, strict=True))
        if not extra or not same:
            continue
        rebuilt = list(line)
        rest_line = ""
        for (s, e), h in zip(mine, head_cells, strict=True):
            rebuilt[s + len(h) : e] = [" "] * (e - s - len(h))
            if len(h) < e - s:
                rest_line = rest_line.ljust(s) + line[s + len(h) : e].strip() + " "
        lines[first : first + 1] = ["".join(rebuilt).rstrip(), rest_line.rstrip()]
    return out


# A sentence or a clause ends here: its punctuation, perhaps inside a quote or a bracket.
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")
# The next page opens a new clause: a label ("4.", "(b)", "iv)") or a heading in capitals.
_OPENS_CLAUSE = re.compile(r"^\s*(?:\(?[\dA-Za-z]{1,4}(?:\.\d{1,3})*[.)]\s|[A-Z][A-Z &\-]{3,}$)")


def runs_on(last: str, first: str) -> bool:
    """Whether a page ending with the line ``last`` goes on, mid-sentence, with ``first``."""
    last, first = last.strip(), first.strip()
    if not last or not first or _ENDS_SENTENCE.search(last) or _OPENS_CLAUSE.match(first):
        return False
    return first[0].islower() or last[-1] in ",-\u00ad" or last[-1].islower()


def _filled(lines: list[str], *, last: bool) -> int | None:
    indexes = range(len(lines) - 1, -1, -1) if last else range(len(lines))
    return next((i for i in indexes if lines[i].strip()), None)


def lift_footnotes(pages: list[list[str]], footnotes: list[list[str]]) -> list[list[str]]:
    """Read a page's footnotes before its body when its last paragraph runs on to the next page.

    Footnotes sit between the two halves of a sentence cut by the page break ("... not
    less than thirty (30) Business Days¹" / footnote / "written notice ..."): read where
    they are, they would split the clause, or be read inside it. Set above the body
    (a blank line between), they stay on their own page and the sentence reads on.
    """
    out = [list(lines) for lines in pages]
    for n in range(len(out) - 1):
        notes = (
            {normalise_chars(line).strip() for line in footnotes[n] if line.strip()}
            if n < len(footnotes)
            else set()
        )
        lines = out[n]
        if not notes:
            continue
        start = len(lines)
        while start > 0 and (not lines[start - 1].strip() or lines[start - 1].strip() in notes):
            start -= 1
        block = [line for line in lines[start:] if line.strip()]
        body_end = _filled(lines[:start], last=True)
        following = _filled(out[n + 1], last=False)
        if not block or body_end is None or following is None:
            continue
        if runs_on(lines[body_end], out[n + 1][following]):
            out[n] = [*block, "", *lines[:start]]
    return out


def join_hyphenation_across_pages(
    pages: list[list[str]], words: set[str], *, marked: bool
) -> list[list[str]]:
    """Join a word hyphenated across a page break onto the page where it starts.

    ``consul-`` ending one page and ``tant will`` opening the next become ``consultant``
    on the first page and ``will`` on the next, by the same rules as within a page.
    """
    out = [list(lines) for lines in pages]
    for n in range(len(out) - 1):
        last = _filled(out[n], last=True)
        first = _filled(out[n + 1], last=False)
        if last is None or first is None:
            continue
        head, tail = join_hyphenation([out[n][last], out[n + 1][first]], words, marked_breaks=marked)
        if head != out[n][last].replace(SOFT_HYPHEN, ""):
            out[n][last] = head
            out[n + 1][first] = tail
    return out


def tidy(lines: list[str]) -> str:
    """Strip trailing spaces, drop leading/trailing blank lines, collapse blank runs."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def finish_pages(
    pages: list[list[str]],
    *,
    max_chars_per_page: int,
    drop_repeated: bool = True,
    footnotes: list[list[str]] | None = None,
) -> tuple[list[str], list[str]]:
    """Turn each page's raw lines into its final text.

    Parameters
    ----------
    pages
        Raw lines per page, in reading order.
    max_chars_per_page
        A page longer than this is cut there, with a warning.
    drop_repeated
        Remove repeated headers/footers and page numbers (off for formats with no pages).
    footnotes
        Each page's footnote lines, when the reader knows them (the PDF reader does):
        see :func:`lift_footnotes`.

    Returns
    -------
    texts, warnings
        The final text of each page and any warnings.
    """
    warnings: list[str] = []
    split = [[normalise_chars(line) for line in lines] for lines in pages]
    split = [[part for line in lines for part in line.split("\n")] for lines in split]
    if drop_repeated:
        split, _ = remove_headers_footers(split)
        split = split_carried_cell_rest(split)
    if footnotes:
        split = lift_footnotes(split, footnotes)
    words = document_words(split)
    marked = sum(line.rstrip().endswith(SOFT_HYPHEN) for lines in split for line in lines) >= 2
    split = join_hyphenation_across_pages(split, words, marked=marked)
    texts: list[str] = []
    for number, lines in enumerate(split, start=1):
        text = tidy(join_hyphenation(lines, words, marked_breaks=marked))
        if len(text) > max_chars_per_page:
            warnings.append(f"page {number} was cut to {max_chars_per_page} characters")
            text = text[:max_chars_per_page]
        texts.append(text)
    return texts, warnings


__all__ = [
    "document_words",
    "finish_pages",
    "join_hyphenation",
    "join_hyphenation_across_pages",
    "lift_footnotes",
    "normalise_chars",
    "remove_headers_footers",
    "runs_on",
    "split_carried_cell_rest",
    "tidy",
]
