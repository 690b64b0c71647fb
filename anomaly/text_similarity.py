"""Near-duplicate descriptions without comparing every pair.

Descriptions are normalised (case, digits and punctuation dropped), cut into
word shingles, and MinHash-signed; rows that share a band of the signature
are candidates, so finding them is a group-by, not O(n^2). Work is done once
per distinct description, which a ledger repeats a lot.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["description_band_table", "description_bands", "jaccard", "shingles"]

_NON_WORD = re.compile(r"[^a-z]+")
_PRIME = np.uint64((1 << 61) - 1)
_N_BANDS = 3
_ROWS_PER_BAND = 2
_rng = np.random.default_rng(20260101)
_A = _rng.integers(1, 1 << 31, size=_N_BANDS * _ROWS_PER_BAND, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=_N_BANDS * _ROWS_PER_BAND, dtype=np.uint64)


def shingles(text: str) -> frozenset[str]:
    """Word bigrams of the normalised text (its words when it has fewer than three)."""
    words = [w for w in _NON_WORD.split(text.lower()) if w]
    if len(words) < 3:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def _signature(text: str) -> np.ndarray:
    grams = shingles(text)
    if not grams:
        return np.zeros(_N_BANDS, dtype=np.int64)
    hashes = np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams))
    # (a*h + b) mod p for every hash function at once; min over shingles.
    mixed = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    minima = mixed.min(axis=1).reshape(_N_BANDS, _ROWS_PER_BAND)
    keys = np.array([zlib.crc32(band.tobytes()) for band in minima], dtype=np.int64)
    # 0 is reserved for "no description".
    return np.where(keys == 0, 1, keys)


def description_band_table(descriptions: Sequence[object]) -> np.ndarray:
    """Band keys of each of ``descriptions`` (distinct values, say), shape (len, bands); a
    missing value (None, NaN) is empty text, whose keys are 0."""
    texts = [d if isinstance(d, str) else "" if d is None or d != d else str(d) for d in descriptions]
    table = np.vstack([_signature(t) for t in texts]) if texts else np.zeros((0, _N_BANDS))
    return table.astype(np.int64)


def description_bands(descriptions: pd.Series | np.ndarray) -> np.ndarray:
    """Band keys of each description's MinHash signature, shape (n, bands); 0 for empty text.

    Two descriptions with Jaccard similarity J share at least one band with
    probability ``1 - (1 - J**2)**3`` (0.95 at J=0.8, 0.25 at J=0.3).
    """
    codes, uniques = pd.factorize(pd.Series(descriptions, dtype=object).fillna(""), sort=False)
    return description_band_table(list(uniques))[codes]
