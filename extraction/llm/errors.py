"""The LLM backend's exception tree.

::

    LLMError
    ├── LLMUnavailableError      the server could not be reached in time: timeouts, 429s, 5xx and
    │                            network errors past the retries or the deadline, or a request the
    │                            server refuses (401, 404, ...). Also a BackendUnavailableError (503).
    └── LLMAnswerError           the server answered, but not usably, twice in a row
        ├── LLMRefusalError      the model refused
        └── LLMInvalidAnswerError  the answer was not JSON matching the schema

Each carries the tokens the failed calls consumed (``tokens_in``, ``tokens_out``), so
cost accounting stays right when a call fails. The backend catches all of them and
degrades; they reach a caller only from :class:`extraction.llm.client.StructuredLLMClient`.
"""

from __future__ import annotations

from extraction.errors import BackendUnavailableError, ExtractionError


class LLMError(ExtractionError):
    """Base class of the LLM backend's errors."""

    slug = "llm-failed"
    status = 503

    def __init__(self, message: str, *, tokens_in: int = 0, tokens_out: int = 0, attempts: int = 0) -> None:
        super().__init__(message)
        self.tokens_in = tokens_in
        self.tokens_out = tokens_out
        self.attempts = attempts


class LLMUnavailableError(LLMError, BackendUnavailableError):
    """The model server could not give an answer within the retries and the deadline."""

    slug = "backend-unavailable"


class LLMAnswerError(LLMError):
    """The model answered twice, and neither answer could be used."""


class LLMRefusalError(LLMAnswerError):
    """The model refused to answer."""


class LLMInvalidAnswerError(LLMAnswerError):
    """The answer did not validate against the response schema, even after being told why."""


__all__ = ["LLMAnswerError", "LLMError", "LLMInvalidAnswerError", "LLMRefusalError", "LLMUnavailableError"]
