"""Settings of the LLM backend, passed in by the caller (the CLI, the service).

This package never reads the environment: ``service.settings.Settings.llm_*``
is turned into an :class:`LLMConfig` at the entry point. The API key is a
:class:`~pydantic.SecretStr` so that it never shows in a repr, a log line or a
serialised result.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

StructuredOutputMode = Literal["auto", "json_schema", "json_object"]


class LLMConfig(BaseModel):
    """How to reach an OpenAI-compatible chat-completions endpoint, and within what limits.

    Parameters
    ----------
    base_url
        The server's ``/v1`` root, e.g. ``https://api.openai.com/v1`` or
        ``http://127.0.0.1:8080/v1`` for a llama.cpp server.
    model
        The model name the server knows (``gpt-4o-mini``, ``llama3.1:8b``, ...).
    api_key
        The bearer key; local servers accept any non-empty string.
    timeout_seconds
        One HTTP request's timeout.
    temperature, max_tokens
        Sampling temperature and the output-token budget of one call.
    deadline_seconds
        The whole document's budget, retries and backoff included; past it
        the backend gives up and the caller falls back to the local result.
    max_concurrency
        How many documents (or chunks) are sent at once.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str | None = None
    model: str
    api_key: SecretStr = Field(default=SecretStr("not-needed"), repr=False)
    timeout_seconds: float = Field(default=60.0, gt=0)
    temperature: float = Field(default=0.0, ge=0, le=2)
    max_tokens: int = Field(default=4096, gt=0)
    deadline_seconds: float = Field(default=180.0, gt=0)
    max_concurrency: int = Field(default=4, ge=1)
    # Retries of transient failures (timeouts, 429, 5xx, network) within the deadline.
    max_retries: int = Field(default=4, ge=0)
    backoff_base_seconds: float = Field(default=0.5, gt=0)
    backoff_max_seconds: float = Field(default=30.0, gt=0)
    # "auto" asks for a JSON schema and falls back to JSON mode on servers that refuse it.
    structured_output: StructuredOutputMode = "auto"
    # Input budget of one chunk (prompt excluded) and the overlap between neighbouring chunks.
    chunk_tokens: int = Field(default=6000, gt=100)
    chunk_overlap_tokens: int = Field(default=200, ge=0)
    # Confidence given to a grounded value only the model proposed; the eval suite measures it.
    proposal_confidence: float = Field(default=0.7, gt=0, lt=1)

    def __str__(self) -> str:  # the key stays out of every rendering
        return f"LLMConfig(base_url={self.base_url!r}, model={self.model!r})"


__all__ = ["LLMConfig", "StructuredOutputMode"]
