"""Sortable, prefixed identifiers (``rev_01J…``): a ULID body after a type prefix.

The body is 48 bits of milliseconds since the epoch and 80 random bits in
Crockford base32, so ids sort by creation time. Within one process, ids made in
the same millisecond increment the random part instead of redrawing it, which
keeps them strictly increasing (cursor pagination orders by id).
"""

from __future__ import annotations

import os
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_BITS = 80
_lock = threading.Lock()
_last_ms = -1
_last_random = 0


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_ulid(*, now_ms: int | None = None) -> str:
    """Return a 26-character ULID, strictly increasing within this process."""
    global _last_ms, _last_random
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    with _lock:
        if ms <= _last_ms:
            ms = _last_ms
            random_part = (_last_random + 1) % (1 << _RANDOM_BITS)
        else:
            random_part = int.from_bytes(os.urandom(10), "big")
        _last_ms, _last_random = ms, random_part
    return _encode(ms, 10) + _encode(random_part, 16)


def new_id(prefix: str) -> str:
    """Return ``<prefix>_<ulid>``, e.g. ``new_id("rev")`` -> ``rev_01J…``."""
    return f"{prefix}_{new_ulid()}"
