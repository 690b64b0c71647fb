"""The LLM extraction backend: an OpenAI-compatible model proposes, the document disposes.

A pure library: the ``openai`` client and the :class:`LLMConfig` are injected
by the caller; nothing here reads the environment. Every value the model
proposes is kept only when its quote is found in the document and the quote
states the value; a provider failure degrades to the local result with a
warning.
"""

from __future__ import annotations

from extraction.llm.backend import LLMBackend, LLMMode, extract_with_llm
from extraction.llm.cache import AnswerCache, CachedAnswer, FolderCache, MemoryCache, cache_key
from extraction.llm.chunking import Chunk, Span, chunk_pages, estimate_tokens
from extraction.llm.client import Completion, StructuredLLMClient, strict_json_schema
from extraction.llm.config import LLMConfig
from extraction.llm.errors import (
    LLMAnswerError,
    LLMError,
    LLMInvalidAnswerError,
    LLMRefusalError,
    LLMUnavailableError,
)
from extraction.llm.locator import QuoteLocator, QuoteMatch, normalise
from extraction.llm.prompts import (
    BILLING_PROMPT_V1,
    CLAUSES_PROMPT_V1,
    PROMPTS,
    RISK_NOTES_PROMPT_V1,
    PromptTemplate,
)

__all__ = [
    "BILLING_PROMPT_V1",
    "CLAUSES_PROMPT_V1",
    "PROMPTS",
    "RISK_NOTES_PROMPT_V1",
    "AnswerCache",
    "CachedAnswer",
    "Chunk",
    "Completion",
    "FolderCache",
    "LLMAnswerError",
    "LLMBackend",
    "LLMConfig",
    "LLMError",
    "LLMInvalidAnswerError",
    "LLMMode",
    "LLMRefusalError",
    "LLMUnavailableError",
    "MemoryCache",
    "PromptTemplate",
    "QuoteLocator",
    "QuoteMatch",
    "Span",
    "StructuredLLMClient",
    "cache_key",
    "chunk_pages",
    "estimate_tokens",
    "extract_with_llm",
    "normalise",
    "strict_json_schema",
]
