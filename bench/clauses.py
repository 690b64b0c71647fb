"""Clause detection and the SOW generator, each against a raw baseline in the same run.

- ``generator``: generating N SOWs as text (truth included) against joining the
  same amount of text (``str.join`` of the rendered texts: the floor for
  producing that many characters in Python);
- ``segmentation``: our spaCy pipeline (section + clause splitters) against
  ``spacy.blank("en")``'s tokenizer alone on the same texts (the floor any spaCy
  pipeline pays);
- ``detect_clauses``: segmentation + classifier + sentence evidence + values
  against segmentation alone;
- ``fit``: the quick clause-model fit (no baseline: reported for reference).

Run ``python -m bench clauses [--documents=300]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def _timed(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench clauses")
    parser.add_argument("--documents", type=int, default=300)
    args = parser.parse_args(argv)

    import spacy

    from extraction.clauses import ClauseClassifier, detect_clauses
    from extraction.document import Document, Page
    from extraction.schemas import DocumentInfo
    from extraction.segment import segment_text, segmentation_pipeline
    from training.clauses import deduplicate, generated_examples
    from training.sow_generator import generate_sows

    n = args.documents
    sows = generate_sows(n, seed=1, split="test")
    texts = [s.text for s in sows]
    chars = sum(map(len, texts))
    gen = _timed(lambda: [s.text for s in generate_sows(n, seed=1, split="test")], repeat=2)
    floor = _timed(lambda: "\n".join(texts).encode("utf-8"), repeat=3)
    print(f"generator: {n} SOWs ({chars / 1e6:.2f} M chars) in {gen:.2f} s; "
          f"{n / gen:.0f} docs/s; ratio to str.join {gen / max(floor, 1e-9):.0f}x")  # fmt: skip

    sample = texts[: min(60, n)]
    nlp = segmentation_pipeline()
    tokenizer = spacy.blank("en")
    tokenize = _timed(lambda: [tokenizer(t) for t in sample], repeat=2)
    segment = _timed(lambda: [segment_text(t, nlp=nlp) for t in sample], repeat=2)
    print(f"segmentation: {len(sample)} SOWs in {segment:.2f} s vs tokenizer alone {tokenize:.2f} s; "
          f"ratio {segment / tokenize:.2f}x")  # fmt: skip

    start = time.perf_counter()
    train_texts, train_labels = deduplicate(*generated_examples(generate_sows(120, seed=2, split="train")))
    model = ClauseClassifier(random_state=0).fit(train_texts, train_labels)
    fit = time.perf_counter() - start
    print(f"fit (quick: 120 generated SOWs, {len(train_texts)} examples): {fit:.1f} s")

    info = DocumentInfo(sha256="0" * 64, pages=1, media_type="text/plain")
    documents = [Document(pages=[Page(1, t)], info=info) for t in sample]
    detect = _timed(lambda: [detect_clauses(d, model=model) for d in documents], repeat=2)
    print(f"detect_clauses: {len(sample)} SOWs in {detect:.2f} s ({len(sample) / detect:.1f} docs/s) vs "
          f"segmentation alone {segment:.2f} s; ratio {detect / segment:.2f}x")  # fmt: skip


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
