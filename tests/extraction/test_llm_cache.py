"""The answer caches: keys, LRU eviction, folder persistence and damaged entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.llm import CachedAnswer, FolderCache, MemoryCache, cache_key

BASE = {
    "document_sha256": "a" * 64,
    "prompt_key": "billing/1",
    "prompt_sha256": "b" * 64,
    "model": "m",
    "request": "chunk text",
    "settings": "0.0|4096",
}


@pytest.mark.parametrize(
    "changed",
    [
        {"document_sha256": "c" * 64},
        {"prompt_key": "billing/2"},
        {"prompt_sha256": "d" * 64},
        {"model": "other"},
        {"request": "another chunk"},
        {"settings": "0.7|4096"},
    ],
)
def test_cache_key_changes_with_everything_that_changes_the_answer(changed: dict[str, str]) -> None:
    assert cache_key(**BASE) == cache_key(**BASE)
    assert cache_key(**{**BASE, **changed}) != cache_key(**BASE)


@pytest.mark.parametrize("size", [2])
def test_memory_cache_evicts_the_least_recently_used(size: int) -> None:
    cache = MemoryCache(max_entries=size)
    keys = [cache_key(**{**BASE, "request": str(n)}) for n in range(3)]
    cache.put(keys[0], CachedAnswer("{}", 1, 1))
    cache.put(keys[1], CachedAnswer("{}", 2, 2))
    assert cache.get(keys[0]) is not None  # now the most recent
    cache.put(keys[2], CachedAnswer("{}", 3, 3))
    assert len(cache) == size
    assert cache.get(keys[1]) is None and cache.get(keys[0]) is not None and cache.get(keys[2]) is not None


@pytest.mark.parametrize("max_entries", [0])
def test_memory_cache_rejects_a_zero_size(max_entries: int) -> None:
    with pytest.raises(ValueError, match="max_entries"):
        MemoryCache(max_entries=max_entries)


def test_folder_cache_persists_and_treats_damage_as_a_miss(tmp_path: Path) -> None:
    key = cache_key(**BASE)
    FolderCache(tmp_path / "c").put(key, CachedAnswer('{"notes": []}', 120, 30))
    reopened = FolderCache(tmp_path / "c")
    assert reopened.get(key) == CachedAnswer('{"notes": []}', 120, 30)
    (path,) = (tmp_path / "c").rglob("*.json")
    path.write_text("{half", encoding="utf-8")
    assert reopened.get(key) is None
    assert reopened.get(cache_key(**{**BASE, "model": "never-stored"})) is None


@pytest.mark.parametrize("key", ["../../etc/passwd", "A" * 64, "0" * 63])
def test_folder_cache_refuses_keys_that_are_not_digests(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        FolderCache(tmp_path).get(key)
