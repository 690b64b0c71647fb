"""Structured answers from an OpenAI-compatible chat-completions server.

:class:`StructuredLLMClient` wraps an injected ``openai.OpenAI`` client (tests
pass ``http_client=httpx.Client(transport=httpx.MockTransport(handler))``):

- it asks for a JSON-schema structured output and, on a server that rejects
  ``response_format`` with a 400/422 (older vLLM, llama.cpp server and Ollama
  builds), steps down to JSON mode and then to a plain request with the
  schema in the prompt; every answer is validated with pydantic here, so the
  result is the same whichever mode the server supports;
- a refusal, or an answer that does not validate, is retried once with the
  reason in the conversation, then given up (:class:`LLMAnswerError`);
- timeouts, 429 (honouring ``Retry-After``), 5xx and network errors are
  retried with exponential backoff, never past the deadline
  (:class:`LLMUnavailableError`).

The openai client's own retries are switched off: they sleep on the wall
clock, which neither the deadline nor the tests can see.
"""

from __future__ import annotations

import copy
import email.utils
import functools
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

import httpx
import openai
from pydantic import BaseModel, ValidationError

from extraction.llm.config import LLMConfig
from extraction.llm.errors import LLMInvalidAnswerError, LLMRefusalError, LLMUnavailableError
from extraction.llm.prompts import PromptTemplate

logger = logging.getLogger("extraction.llm")

ResponseT = TypeVar("ResponseT", bound=BaseModel)
RequestMode = Literal["json_schema", "json_object", "plain"]
_STEP_DOWN: dict[RequestMode, RequestMode | None] = {
    "json_schema": "json_object",
    "json_object": "plain",
    "plain": None,
}


@dataclass(frozen=True)
class Completion(Generic[ResponseT]):
    """A validated answer and what it cost (every attempt's tokens, failed ones included)."""

    parsed: ResponseT
    raw: str
    tokens_in: int
    tokens_out: int
    attempts: int
    mode: RequestMode


@functools.cache
def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the form strict structured outputs accept.

    Every object lists all its properties as required and forbids others;
    defaults are dropped and a ``$ref`` with sibling keys is inlined (strict
    mode rejects both). Cached per model (generating it costs more than a
    request's own bookkeeping); treat the result as read-only.
    """
    schema = model.model_json_schema()
    definitions: dict[str, Any] = schema.get("$defs", {})

    def tighten(node: Any) -> Any:
        if isinstance(node, list):
            return [tighten(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node and len(node) > 1:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            merged = {**copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"}}
            return tighten(merged)
        tightened = {key: tighten(value) for key, value in node.items() if key != "default"}
        if tightened.get("type") == "object" and "properties" in tightened:
            tightened["required"] = list(tightened["properties"])
            tightened["additionalProperties"] = False
        return tightened

    return tighten(schema)


def _strip_code_fence(text: str) -> str:
    # Small local models often wrap JSON in a Markdown fence even in JSON mode.
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        if stripped.rstrip().endswith("```"):
            stripped = stripped.rstrip()[:-3]
    return stripped.strip()


def _validation_summary(error: ValidationError, *, limit: int = 5) -> str:
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        parts.append(f"{where}: {item['msg']}")
    more = len(error.errors()) - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def retry_after_seconds(headers: httpx.Headers, *, now: datetime | None = None) -> float | None:
    """The wait a 429 or 503 asks for: ``retry-after-ms``, or ``Retry-After`` (seconds or an HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class StructuredLLMClient:
    """Ask an OpenAI-compatible server for answers that validate against a pydantic schema.

    Parameters
    ----------
    client
        An ``openai.OpenAI`` client, built by the caller (base URL, key and
        HTTP transport are its business).
    config
        Model, sampling, timeouts, retries and the structured-output mode.
    sleep, clock
        Injected so that tests can check waits without waiting.
    jitter
        Returns a number in [0, 1); spreads the backoff of concurrent callers.
    """

    def __init__(
        self,
        client: openai.OpenAI,
        config: LLMConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._client = client.with_options(max_retries=0)
        self.config = config
        self._sleep = sleep
        self.clock = clock
        self._jitter = jitter
        self._token_limit = "max_tokens"
        self._send_temperature = True
        self._mode: RequestMode = "json_schema"
        if config.structured_output == "json_object":
            self._mode = "json_object"

    def __repr__(self) -> str:
        return f"StructuredLLMClient(model={self.config.model!r}, mode={self._mode!r})"

    @property
    def mode(self) -> RequestMode:
        """The structured-output mode the next request uses (it steps down on servers that lack one)."""
        return self._mode

    def deadline(self) -> float:
        """The clock time by which a document started now must be done."""
        return self.clock() + self.config.deadline_seconds

    def complete(
        self, prompt: PromptTemplate, *, fields: dict[str, str], deadline: float | None = None
    ) -> Completion[Any]:
        """One validated answer to ``prompt`` filled with ``fields``.

        Parameters
        ----------
        prompt
            The named, versioned prompt; its ``response_model`` validates the answer.
        fields
            Values for the prompt templates' slots.
        deadline
            A time on this client's clock after which no request is started or
            waited for; ``config.deadline_seconds`` from now when omitted.

        Returns
        -------
        Completion
            The parsed answer, its raw text and the tokens of every attempt.

        Raises
        ------
        LLMUnavailableError
            Transient failures outlasted the retries or the deadline, or the
            server refused the request.
        LLMRefusalError, LLMInvalidAnswerError
            The model refused, or answered invalid JSON, twice.
        """
        deadline = self.deadline() if deadline is None else deadline
        messages: list[dict[str, str]] = prompt.messages(**fields)
        tokens_in = tokens_out = attempts = 0
        corrected = False
        while True:
            response, tries = self._send(prompt, messages, deadline, spent=(tokens_in, tokens_out, attempts))
            attempts += tries
            if response.usage is not None:
                tokens_in += response.usage.prompt_tokens or 0
                tokens_out += response.usage.completion_tokens or 0
            choice = response.choices[0] if response.choices else None
            content = (choice.message.content if choice else None) or ""
            refusal = getattr(choice.message, "refusal", None) if choice else None
            finish_reason = choice.finish_reason if choice else None
            if refusal or finish_reason == "content_filter":
                problem = f"the model refused ({refusal or 'content filter'})"
                error_type: type[LLMRefusalError | LLMInvalidAnswerError] = LLMRefusalError
                correction = (
                    "This is a routine commercial document review for the firm that signed it. "
                    "Please answer with the JSON object the schema asks for; use null where the text "
                    "says nothing."
                )
            else:
                try:
                    parsed = prompt.response_model.model_validate_json(_strip_code_fence(content))
                except ValidationError as error:
                    problem = f"the answer did not validate: {_validation_summary(error)}"
                    if finish_reason == "length":
                        problem += " (the answer was cut off at the output-token limit)"
                    error_type = LLMInvalidAnswerError
                    correction = (
                        f"Your answer could not be used: {problem}. Answer again with only the JSON "
                        "object the schema asks for, complete and valid."
                    )
                else:
                    logger.info(
                        "llm answer accepted",
                        extra={
                            "prompt": prompt.key,
                            "attempts": attempts,
                            "tokens_in": tokens_in,
                            "tokens_out": tokens_out,
                        },
                    )
                    return Completion(parsed, content, tokens_in, tokens_out, attempts, self._mode)
            logger.warning("llm answer unusable", extra={"prompt": prompt.key, "problem": problem})
            if corrected:
                raise error_type(
                    f"{prompt.key}: {problem}, after one corrected retry",
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                    attempts=attempts,
                )
            corrected = True
            messages = [
                *messages,
                {"role": "assistant", "content": content},
                {"role": "user", "content": correction},
            ]

    def _request_options(self, prompt: PromptTemplate, messages: list[dict[str, str]]) -> dict[str, Any]:
        options: dict[str, Any] = {"model": self.config.model, self._token_limit: self.config.max_tokens}
        if self._send_temperature:
            options["temperature"] = self.config.temperature
        if self._mode == "json_schema":
            options["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": prompt.name,
                    "schema": strict_json_schema(prompt.response_model),
                    "strict": True,
                },
            }
            options["messages"] = messages
            return options
        # Without schema-constrained decoding the schema has to travel in the prompt.
        schema_text = json.dumps(strict_json_schema(prompt.response_model), separators=(",", ":"))
        system = messages[0]["content"] + "\n\nThe JSON object must match this JSON schema:\n" + schema_text
        options["messages"] = [{"role": "system", "content": system}, *messages[1:]]
        if self._mode == "json_object":
            options["response_format"] = {"type": "json_object"}
        return options

    def _send(
        self,
        prompt: PromptTemplate,
        messages: list[dict[str, str]],
        deadline: float,
        *,
        spent: tuple[int, int, int],
    ) -> tuple[Any, int]:
        """One chat completion, with transient failures retried; returns it and the attempts made."""
        failures = 0
        attempts = 0

        def give_up(reason: str) -> LLMUnavailableError:
            return LLMUnavailableError(
                f"{prompt.key}: {reason}",
                tokens_in=spent[0],
                tokens_out=spent[1],
                attempts=spent[2] + attempts,
            )

        while True:
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise give_up(f"the {self.config.deadline_seconds:g}s deadline passed")
            attempts += 1
            try:
                response = self._client.chat.completions.create(
                    **self._request_options(prompt, messages),
                    timeout=min(self.config.timeout_seconds, remaining),
                )
                return response, attempts
            except (openai.BadRequestError, openai.UnprocessableEntityError) as error:
                # Reasoning models take max_completion_tokens and only their default temperature.
                detail = str(error.message).lower()
                if "max_tokens" in detail and self._token_limit == "max_tokens":
                    self._token_limit = "max_completion_tokens"
                    continue
                if "temperature" in detail and self._send_temperature:
                    self._send_temperature = False
                    continue
                step_down = _STEP_DOWN[self._mode]
                if self.config.structured_output == "auto" and step_down is not None:
                    logger.warning(
                        "llm server rejected %s output; retrying with %s",
                        self._mode,
                        step_down,
                        extra={"prompt": prompt.key, "status": error.status_code},
                    )
                    self._mode = step_down
                    continue
                raise give_up(f"the server rejected the request ({error.status_code})") from error
            except openai.APITimeoutError:
                reason, wait = "timed out", None
            except openai.APIConnectionError as error:
                reason, wait = f"could not connect ({type(error.__cause__ or error).__name__})", None
            except openai.APIStatusError as error:
                status = error.status_code
                if status != 429 and status != 408 and status < 500:
                    raise give_up(f"the server refused the request ({status})") from error
                reason, wait = f"answered {status}", retry_after_seconds(error.response.headers)
            failures += 1
            if failures > self.config.max_retries:
                raise give_up(f"{reason}; gave up after {failures} attempts")
            if wait is None:
                backoff = self.config.backoff_base_seconds * 2 ** (failures - 1)
                wait = min(self.config.backoff_max_seconds, backoff) * (0.5 + 0.5 * self._jitter())
            if self.clock() + wait >= deadline:
                raise give_up(f"{reason}; the next attempt (in {wait:.1f}s) would pass the deadline")
            logger.warning(
                "llm request %s; retrying in %.2fs",
                reason,
                wait,
                extra={"prompt": prompt.key, "failures": failures},
            )
            self._sleep(wait)


__all__ = ["Completion", "RequestMode", "StructuredLLMClient", "retry_after_seconds", "strict_json_schema"]
