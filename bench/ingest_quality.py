"""Ingestion quality on documents that are not from our generator.

Two sources, both read in place:

- the fixtures in ``tests/extraction/fixtures_real`` (LibreOffice, Chromium and a
  signed-envelope PDF with a scanned page; DOCX from python-docx and re-saved by
  LibreOffice), scored against the source text in their ``expected.json``:
  paragraphs found verbatim (whitespace-insensitive) and in order, rate and
  milestone rows recovered as table rows with the right cells, running
  headers/footers left in the page text, DOCX list labels, text boxes, footnotes;
- CUAD's EDGAR PDFs (many producers) against CUAD's own text files: word-level
  precision and recall of our page text (and of pypdf's raw ``extract_text`` on the
  same files, as the reference), words split by a stray space or glued by a wrong
  join (per 10k words), page-number and repeated edge lines left in, and whether
  every page slice and table cell is exact.

Run ``python -m bench ingest_quality [--cuad-files=100] [--shared-data=PATH]``.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "extraction" / "fixtures_real"

_WORD = re.compile(r"[a-z0-9]+")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().translate(_QUOTES))


def _row_texts(document: Any) -> list[list[str]]:
    rows = []
    for table in document.tables:
        if table.header:
            rows.append([c.text for c in table.header])
        rows.extend([c.text for c in row] for row in table.rows)
    return rows


def _offsets_exact(document: Any) -> bool:
    joined = document.text
    for page, start in zip(document.pages, document.page_offsets, strict=True):
        if joined[start : start + len(page.text)] != page.text:
            return False
    for table in document.tables:
        for row in (table.header, *table.rows):
            for cell in row:
                if document.page(cell.page).text[cell.start : cell.end] != cell.text:
                    return False
    return True


def score_fixture(name: str, data: bytes, expected: dict[str, Any]) -> dict[str, Any]:
    from extraction import ingest

    document = ingest(data, filename=name)
    text = _flat(document.text.replace("\f", " "))
    out: dict[str, Any] = {"pages": len(document.pages), "offsets_exact": _offsets_exact(document)}
    paragraphs = expected.get("paragraphs", [])
    positions = [text.find(_flat(p)) for p in paragraphs]
    found = [p for p in positions if p >= 0]
    out["paragraphs_verbatim"] = f"{len(found)}/{len(paragraphs)}"
    out["paragraphs_in_order"] = found == sorted(found)
    rows = [[_flat(c) for c in r] for r in _row_texts(document)]
    for key in ("rates", "milestones"):
        if key in expected:
            want = [[_flat(c) for c in r] for r in expected[key]]
            out[f"{key}_rows_as_cells"] = f"{sum(1 for r in want if r in rows)}/{len(want)}"
    for key in ("rate_header", "milestone_header"):
        if key in expected:
            out[f"{key}_found"] = any([c.text for c in t.header] == expected[key] for t in document.tables)
    if "rates" in expected:
        rate_tables = [t for t in document.tables if [c.text for c in t.header] == expected["rate_header"]]
        out["rate_tables"] = len(rate_tables)
    headers = expected.get("running_header", [])
    out["pages_with_running_header"] = sum(1 for p in document.pages if any(h in p.text for h in headers))
    out["pages_with_page_x_of_y"] = sum(
        1 for p in document.pages if re.search(r"\bPage \d+ of \d+\b", p.text)
    )
    for key in ("text_box", "footnote", "long_words"):
        if key in expected:
            out[f"{key}_count"] = text.count(_flat(expected[key]))
    if "list_items" in expected:
        out["list_labels"] = sum(
            1 for i, item in enumerate(expected["list_items"], start=1) if f"{i}. {_flat(item)}" in text
        )
    if "envelope" in expected:
        out["pages_with_envelope_id"] = sum(1 for p in document.pages if expected["envelope"] in p.text)
        out["scan_warning"] = any(f"page {expected['scanned_page']} " in w for w in document.warnings)
    out["tables"] = len(document.tables)
    return out


def fixtures_report() -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text())
    cases = [
        ("word_sow.pdf", "word_sow"),
        ("word_sow.docx", "word_sow"),
        ("word_sow_libreoffice.docx", "word_sow"),
        ("html_sow.pdf", "html_sow"),
        ("signed_envelope.pdf", "signed_envelope"),
    ]
    for filename, key in cases:
        want = dict(expected[key])
        if key == "signed_envelope":
            want = {**expected["word_sow"], **want}
        result = score_fixture(filename, (FIXTURES / filename).read_bytes(), want)
        print(f"{filename}: " + ", ".join(f"{k}={v}" for k, v in result.items()))


def _edge_residue(pages: list[str]) -> tuple[int, int]:
    """Pages whose first/last line is a page number; pages with a repeated edge line left."""
    numbers = 0
    edges: list[set[str]] = []
    for text in pages:
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and (_PAGE_NUMBER.match(lines[0]) or _PAGE_NUMBER.match(lines[-1])):
            numbers += 1
        edge = lines[:2] + lines[-2:]
        edges.append({re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower())) for line in edge})
    counts = Counter(k for e in edges for k in e)
    need = max(3, len(pages) // 2)
    repeated = {k for k, n in counts.items() if n >= need and len(k) > 3}
    return numbers, sum(1 for e in edges if e & repeated)


def _split_and_glued(ours: list[str], vocabulary: set[str]) -> tuple[int, int]:
    split = glued = 0
    for a, b in itertools.pairwise(ours):
        if (a not in vocabulary or b not in vocabulary) and a + b in vocabulary:
            split += 1
    for word in ours:
        if word in vocabulary or len(word) < 6:
            continue
        if any(word[:i] in vocabulary and word[i:] in vocabulary for i in range(3, len(word) - 2)):
            glued += 1
    return split, glued


def cuad_report(folder: Path, count: int) -> None:
    import pypdf

    from extraction import ingest

    pdfs = sorted((folder / "pdf").glob("*.pdf"))
    step = max(1, len(pdfs) // count)
    files = pdfs[::step][:count]
    totals: Counter[str] = Counter()
    t_ours = t_pypdf = 0.0
    failures = 0
    for path in files:
        txt = folder / "txt" / (path.stem + ".txt")
        if not txt.exists():
            continue
        data = path.read_bytes()
        truth = Counter(_words(txt.read_text(errors="replace")))
        vocabulary = set(truth)
        start = time.perf_counter()
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            raw = [page.extract_text() for page in reader.pages]
        except Exception:
            failures += 1
            continue
        t_pypdf += time.perf_counter() - start
        start = time.perf_counter()
        try:
            document = ingest(data, filename=path.name)
        except Exception as exc:  # scanned-only or broken files: counted, not fatal
            totals[f"error {type(exc).__name__}"] += 1
            continue
        t_ours += time.perf_counter() - start
        ours_list = _words(document.text)
        for label, words in (("ours", Counter(ours_list)), ("pypdf", Counter(_words("\n".join(raw))))):
            common = sum((words & truth).values())
            totals[f"{label}_common"] += common
            totals[f"{label}_words"] += sum(words.values())
        totals["truth_words"] += sum(truth.values())
        split, glued = _split_and_glued(ours_list, vocabulary)
        raw_split, raw_glued = _split_and_glued(_words("\n".join(raw)), vocabulary)
        totals["split"] += split
        totals["glued"] += glued
        totals["raw_split"] += raw_split
        totals["raw_glued"] += raw_glued
        numbers, repeated = _edge_residue([p.text for p in document.pages])
        raw_numbers, raw_repeated = _edge_residue(raw)
        totals["pages"] += len(document.pages)
        totals["number_pages"] += numbers
        totals["repeated_pages"] += repeated
        totals["raw_number_pages"] += raw_numbers
        totals["raw_repeated_pages"] += raw_repeated
        totals["docs"] += 1
        totals["tables"] += len(document.tables)
        totals["offsets_exact"] += int(_offsets_exact(document))
    docs = totals["docs"]
    print(f"CUAD: {docs} PDFs, {totals['pages']} pages ({failures} unreadable by pypdf)")
    for label in ("ours", "pypdf"):
        precision = totals[f"{label}_common"] / max(totals[f"{label}_words"], 1)
        recall = totals[f"{label}_common"] / max(totals["truth_words"], 1)
        print(f"  {label:6s} word precision {precision:.4f} recall {recall:.4f}")
    per10k = 10000 / max(totals["ours_words"], 1)
    raw10k = 10000 / max(totals["pypdf_words"], 1)
    print(
        f"  split words per 10k: ours {totals['split'] * per10k:.1f} "
        f"(pypdf {totals['raw_split'] * raw10k:.1f}); "
        f"glued per 10k: ours {totals['glued'] * per10k:.1f} (pypdf {totals['raw_glued'] * raw10k:.1f})"
    )
    print(
        f"  pages with a page-number edge line: ours {totals['number_pages']} "
        f"(pypdf {totals['raw_number_pages']}); "
        f"with a repeated edge line: ours {totals['repeated_pages']} (pypdf {totals['raw_repeated_pages']})"
    )
    print(f"  tables found {totals['tables']}; documents with exact offsets {totals['offsets_exact']}/{docs}")
    for key, value in sorted(totals.items()):
        if key.startswith("error"):
            print(f"  {key}: {value}")
    print(
        f"  time: ingest {t_ours:.1f} s, pypdf extract_text {t_pypdf:.1f} s "
        f"(ratio {t_ours / max(t_pypdf, 1e-9):.2f}x)"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench ingest_quality")
    parser.add_argument("--cuad-files", type=int, default=100)
    parser.add_argument("--shared-data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--no-cuad", action="store_true")
    args = parser.parse_args(argv)
    fixtures_report()
    cuad = args.shared_data / "cuad"
    if not args.no_cuad and (cuad / "pdf").is_dir():
        cuad_report(cuad, args.cuad_files)


__all__ = ["main", "score_fixture"]
