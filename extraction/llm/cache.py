"""A cache of validated answers, so an identical request is never paid for twice.

The key is a digest of what determines the answer: the document's SHA-256,
the prompt's name, version and text, the model, the sampling settings, and
the exact chunk and context sent. What is stored is the validated answer's
JSON and the tokens it cost the first time.

:class:`MemoryCache` (an LRU, the default) lives as long as the process;
:class:`FolderCache` keeps entries as files in a folder the caller chooses
(the service passes one under ``HANDOFF_HOME``), written atomically so two
workers never read half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class CachedAnswer:
    """A validated answer as JSON, and the tokens it cost when it was first asked."""

    answer_json: str
    tokens_in: int
    tokens_out: int


@runtime_checkable
class AnswerCache(Protocol):
    def get(self, key: str) -> CachedAnswer | None: ...

    def put(self, key: str, answer: CachedAnswer) -> None: ...


def cache_key(
    *,
    document_sha256: str,
    prompt_key: str,
    prompt_sha256: str,
    model: str,
    request: str,
    settings: str = "",
) -> str:
    """The digest that names one request.

    Parameters
    ----------
    document_sha256
        The document's hash.
    prompt_key, prompt_sha256
        The prompt's ``name/version`` and a hash of its text.
    model
        The model name.
    request
        Everything else the request carries: the chunk text, the rules shown.
    settings
        Sampling settings that change answers (temperature, max tokens).

    Returns
    -------
    str
        A hex SHA-256.
    """
    digest = hashlib.sha256()
    for part in (document_sha256, prompt_key, prompt_sha256, model, settings, request):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


class MemoryCache:
    """An in-process LRU of at most ``max_entries`` answers; safe across threads."""

    def __init__(self, *, max_entries: int = 512) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: str, answer: CachedAnswer) -> None:
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class FolderCache:
    """Answers kept as JSON files in ``folder`` (created on first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError("a cache key is a hex SHA-256")
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedAnswer | None:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return CachedAnswer(str(data["answer"]), int(data["tokens_in"]), int(data["tokens_out"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            # A damaged entry is a miss; the next answer overwrites it.
            return None

    def put(self, key: str, answer: CachedAnswer) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(
            {"answer": answer.answer_json, "tokens_in": answer.tokens_in, "tokens_out": answer.tokens_out}
        )
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


__all__ = ["AnswerCache", "CachedAnswer", "FolderCache", "MemoryCache", "cache_key"]
