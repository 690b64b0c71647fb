"""The LLM extraction backend, built from settings: the one place the service turns
``HANDOFF_LLM_*`` into an openai client and an :class:`~extraction.llm.backend.LLMBackend`.

Both ``handoff extract --backend llm|hybrid`` and ``POST /v1/sow/extractions?backend=…``
call :func:`build_llm_backend`, and :func:`resolve_llm_backend` for what happens
without a server: ``llm`` is refused (a ``backend-unavailable`` 503 problem, or a
one-line CLI error), ``hybrid`` runs the local backend alone and says so in a warning.
"""

from __future__ import annotations

import hashlib
import threading

import httpx
import openai

from extraction.errors import BackendUnavailableError
from extraction.llm.backend import LLMBackend
from extraction.llm.cache import AnswerCache, FolderCache, MemoryCache
from extraction.llm.config import LLMConfig
from service.settings import Settings

NOT_CONFIGURED = "no LLM server is configured (set HANDOFF_LLM_BASE_URL and HANDOFF_LLM_MODEL)"
HYBRID_WITHOUT_SERVER = f"hybrid backend: {NOT_CONFIGURED}; this is the local result"

# One in-memory cache per process: its keys carry the document hash, prompt version and model,
# so every backend built from any settings may share it.
_memory_cache: MemoryCache | None = None
_memory_cache_lock = threading.Lock()
# One backend per configuration per process, so that max_concurrency bounds the requests of all
# API workers' threads together, not of each request alone.
_backends: dict[str, LLMBackend] = {}


def _process_cache() -> MemoryCache:
    global _memory_cache
    with _memory_cache_lock:
        if _memory_cache is None:
            _memory_cache = MemoryCache(max_entries=1024)
        return _memory_cache


def llm_config(settings: Settings) -> LLMConfig | None:
    """The backend's configuration from settings, or None when no server is configured."""
    if not settings.llm_base_url or not settings.llm_model:
        return None
    return LLMConfig(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed",
        timeout_seconds=settings.llm_timeout_seconds,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        deadline_seconds=settings.llm_deadline_seconds,
        max_concurrency=settings.llm_max_concurrency,
    )


def build_llm_backend(
    settings: Settings, *, http_client: httpx.Client | None = None, cache: AnswerCache | None = None
) -> LLMBackend | None:
    """An LLM backend for the configured server, or None when none is configured.

    Parameters
    ----------
    settings
        ``llm_*`` settings; ``llm_cache`` picks the cache (memory, a folder
        under ``home``, or none).
    http_client
        The HTTP client the openai client uses (tests pass one over an
        ``httpx.MockTransport``).
    cache
        Overrides the cache the settings choose.

    Returns
    -------
    LLMBackend or None
    """
    config = llm_config(settings)
    if config is None:
        return None
    shareable = http_client is None and cache is None
    identity = hashlib.sha256(
        "\x00".join(
            [
                config.model_dump_json(),
                config.api_key.get_secret_value(),
                settings.llm_cache,
                str(settings.home),
            ]
        ).encode()
    ).hexdigest()
    if shareable:
        with _memory_cache_lock:
            existing = _backends.get(identity)
        if existing is not None:
            return existing
    client = openai.OpenAI(
        base_url=config.base_url,
        api_key=config.api_key.get_secret_value(),
        timeout=config.timeout_seconds,
        http_client=http_client,
    )
    if cache is None and settings.llm_cache == "memory":
        cache = _process_cache()
    elif cache is None and settings.llm_cache == "folder":
        cache = FolderCache(settings.home / "llm-cache")
    backend = LLMBackend(client, config=config, cache=cache)
    if shareable:
        with _memory_cache_lock:
            backend = _backends.setdefault(identity, backend)
    return backend


def resolve_llm_backend(
    backend: str, settings: Settings, *, http_client: httpx.Client | None = None
) -> tuple[LLMBackend | None, list[str]]:
    """The LLM backend a request for ``backend`` runs with, and the warnings to add.

    Parameters
    ----------
    backend
        ``local``, ``llm`` or ``hybrid``.
    settings, http_client
        As for :func:`build_llm_backend`.

    Returns
    -------
    tuple
        ``(None, [])`` for ``local``; for ``hybrid`` without a server,
        ``(None, [warning])`` and the caller runs the local backend alone.

    Raises
    ------
    BackendUnavailableError
        ``llm`` without a configured server.
    """
    if backend == "local":
        return None, []
    llm = build_llm_backend(settings, http_client=http_client)
    if llm is not None:
        return llm, []
    if backend == "hybrid":
        return None, [HYBRID_WITHOUT_SERVER]
    raise BackendUnavailableError(f"the {backend} backend needs an LLM server: {NOT_CONFIGURED}")


__all__ = [
    "HYBRID_WITHOUT_SERVER",
    "NOT_CONFIGURED",
    "build_llm_backend",
    "llm_config",
    "resolve_llm_backend",
]
