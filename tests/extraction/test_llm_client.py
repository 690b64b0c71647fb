"""The structured-output client: validation retries, refusals, backoff, deadlines, modes, secrecy."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from extraction.llm import (
    BILLING_PROMPT_V1,
    LLMConfig,
    LLMInvalidAnswerError,
    LLMRefusalError,
    LLMUnavailableError,
    StructuredLLMClient,
    strict_json_schema,
)
from extraction.llm.client import retry_after_seconds
from tests.extraction.llm_fakes import (
    SECRET_KEY,
    FakeClock,
    Reply,
    ScriptedLLM,
    answer,
    billing,
    connection_refused,
    http_error,
    refusal,
    timeout,
)

FIELDS = {"text": "[page 1]\nThe fixed fee is $45,000.", "part": "1", "parts": "1"}
GOOD = billing(total_fee=(45000, "$45,000", 1))


def make_client(server: ScriptedLLM, clock: FakeClock, **config: Any) -> StructuredLLMClient:
    settings: dict[str, Any] = {"model": "test-model", "api_key": SECRET_KEY, "deadline_seconds": 60.0}
    settings.update(config)
    return StructuredLLMClient(
        server.client(), LLMConfig(**settings), sleep=clock.sleep, clock=clock, jitter=lambda: 1.0
    )


@pytest.mark.parametrize("tokens", [(120, 30)])
def test_client_good_answer_is_parsed_and_costed(tokens: tuple[int, int]) -> None:
    server = ScriptedLLM({"billing": [answer(GOOD, tokens_in=tokens[0], tokens_out=tokens[1])]})
    completion = make_client(server, FakeClock()).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert completion.parsed.total_fee.value == 45000
    assert (completion.tokens_in, completion.tokens_out, completion.attempts) == (*tokens, 1)
    body = server.requests[0]
    assert body["model"] == "test-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert "$45,000" in body["messages"][1]["content"]


@pytest.mark.parametrize("bad", ["{not json", '{"total_fee": "lots"}', '```json\n{"rates": 5}\n```'])
def test_client_invalid_answer_is_retried_once_with_the_error(bad: str) -> None:
    server = ScriptedLLM({"billing": [answer(bad, tokens_in=50, tokens_out=10), answer(GOOD)]})
    completion = make_client(server, FakeClock()).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert completion.parsed.total_fee.value == 45000
    assert completion.tokens_in == 150 and completion.tokens_out == 30
    retry = server.requests[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": bad}
    assert "did not validate" in retry[-1]["content"]


@pytest.mark.parametrize("bad", ["{not json"])
def test_client_invalid_twice_gives_up_with_its_cost(bad: str) -> None:
    server = ScriptedLLM({"billing": [answer(bad, tokens_in=50, tokens_out=10)]})
    with pytest.raises(LLMInvalidAnswerError) as caught:
        make_client(server, FakeClock()).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert server.count() == 2
    assert (caught.value.tokens_in, caught.value.tokens_out) == (100, 20)


@pytest.mark.parametrize("text", ["I cannot assist with that request."])
def test_client_refusal_is_retried_once_then_given_up(text: str) -> None:
    recovered = ScriptedLLM({"billing": [refusal(text), answer(GOOD)]})
    assert make_client(recovered, FakeClock()).complete(BILLING_PROMPT_V1, fields=FIELDS).attempts == 2
    stubborn = ScriptedLLM({"billing": [refusal(text)]})
    with pytest.raises(LLMRefusalError, match="refused"):
        make_client(stubborn, FakeClock()).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert stubborn.count() == 2


@pytest.mark.parametrize("header", [{"Retry-After": "7"}, {"retry-after-ms": "7000"}])
def test_client_429_waits_as_long_as_retry_after_says(header: dict[str, str]) -> None:
    clock = FakeClock()
    server = ScriptedLLM({"billing": [http_error(429, **header), answer(GOOD)]})
    completion = make_client(server, clock).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert completion.parsed.total_fee.value == 45000
    assert clock.sleeps == [pytest.approx(7.0)]
    assert server.count() == 2


@pytest.mark.parametrize("retry_after", ["120"])
def test_client_retry_after_past_the_deadline_gives_up_without_waiting(retry_after: str) -> None:
    clock = FakeClock()
    server = ScriptedLLM({"billing": [http_error(429, **{"Retry-After": retry_after})]})
    with pytest.raises(LLMUnavailableError, match="deadline"):
        make_client(server, clock, deadline_seconds=30).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert clock.sleeps == []
    assert server.count() == 1


@pytest.mark.parametrize("failure", [http_error(500), http_error(503), timeout(), connection_refused()])
def test_client_transient_failures_back_off_exponentially(failure: Reply) -> None:
    clock = FakeClock()
    server = ScriptedLLM({"billing": [failure, failure, failure, answer(GOOD)]})
    client = make_client(server, clock, backoff_base_seconds=0.5)
    completion = client.complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert completion.parsed.total_fee.value == 45000
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert completion.attempts == 4


@pytest.mark.parametrize("max_retries", [2])
def test_client_gives_up_after_max_retries(max_retries: int) -> None:
    clock = FakeClock()
    server = ScriptedLLM({"billing": [timeout()]})
    with pytest.raises(LLMUnavailableError, match="timed out") as caught:
        make_client(server, clock, max_retries=max_retries).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert server.count() == max_retries + 1
    assert caught.value.attempts == max_retries + 1


@pytest.mark.parametrize("status", [401, 403, 404])
def test_client_does_not_retry_a_refused_request(status: int) -> None:
    clock = FakeClock()
    server = ScriptedLLM({"billing": [http_error(status)]})
    with pytest.raises(LLMUnavailableError, match=str(status)):
        make_client(server, clock).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert server.count() == 1 and clock.sleeps == []


@pytest.mark.parametrize("rejected", [1, 2])
def test_client_steps_down_to_json_mode_on_servers_without_schemas(rejected: int) -> None:
    server = ScriptedLLM({"billing": [http_error(400)] * rejected + [answer(GOOD)]})
    client = make_client(server, FakeClock())
    completion = client.complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert completion.parsed.total_fee.value == 45000
    last = server.requests[-1]
    if rejected == 1:
        assert last["response_format"] == {"type": "json_object"}
    else:
        assert "response_format" not in last
    # Without schema-constrained decoding the schema travels in the system prompt.
    assert '"total_fee"' in last["messages"][0]["content"]
    assert client.mode == ("json_object" if rejected == 1 else "plain")


@pytest.mark.parametrize("mode", ["json_schema"])
def test_client_with_a_fixed_mode_does_not_step_down(mode: str) -> None:
    server = ScriptedLLM({"billing": [http_error(400)]})
    with pytest.raises(LLMUnavailableError, match="400"):
        make_client(server, FakeClock(), structured_output=mode).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert server.count() == 1


@pytest.mark.parametrize("model", [BILLING_PROMPT_V1.response_model])
def test_strict_schema_requires_every_property_and_forbids_others(model: Any) -> None:
    def objects(node: Any) -> list[dict[str, Any]]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                found.append(node)
            for value in node.values():
                found += objects(value)
        elif isinstance(node, list):
            for value in node:
                found += objects(value)
        return found

    schema = strict_json_schema(model)
    assert "default" not in json.dumps(schema).replace('"default_', "")
    for node in objects(schema):
        assert node["additionalProperties"] is False
        assert set(node["required"]) == set(node["properties"])


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_parses_seconds_and_milliseconds(headers: dict[str, str], expected: float | None) -> None:
    import httpx

    assert retry_after_seconds(httpx.Headers(headers)) == expected


@pytest.mark.parametrize("level", [logging.DEBUG])
def test_client_never_logs_or_renders_the_key(level: int, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(level)
    server = ScriptedLLM({"billing": [http_error(500), answer("{bad"), answer(GOOD)]})
    client = make_client(server, FakeClock())
    client.complete(BILLING_PROMPT_V1, fields=FIELDS)
    config = client.config
    rendered = [repr(config), str(config), config.model_dump_json(), repr(client), caplog.text]
    rendered += [json.dumps(record.__dict__, default=str) for record in caplog.records]
    assert caplog.records, "the client should have logged its retries"
    assert not any(SECRET_KEY in text for text in rendered)
    # It does reach the server, as a bearer token.
    assert server.headers[0]["authorization"] == f"Bearer {SECRET_KEY}"


@pytest.mark.parametrize("module_name", ["extraction.llm"])
def test_public_api_names_exist_once(module_name: str) -> None:
    import importlib

    module = importlib.import_module(module_name)
    assert len(set(module.__all__)) == len(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None


@pytest.mark.parametrize("tokens_in", [7])
def test_client_an_answer_without_choices_is_invalid_and_retried(tokens_in: int) -> None:
    import httpx

    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        usage = {"prompt_tokens": tokens_in, "completion_tokens": 0, "total_tokens": tokens_in}
        return httpx.Response(
            200,
            json={
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [],
                "usage": usage,
            },
        )

    import openai

    client = openai.OpenAI(
        api_key="k",
        base_url="http://llm.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    structured = StructuredLLMClient(client, LLMConfig(model="m"), sleep=FakeClock().sleep, clock=FakeClock())
    with pytest.raises(LLMInvalidAnswerError) as caught:
        structured.complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert len(calls) == 2 and caught.value.tokens_in == 2 * tokens_in


@pytest.mark.parametrize(
    "sparse",
    [
        '{"total_fee": {"value": 45000, "quote": "$45,000"}}',
        '```json\n{"total_fee": {"value": 45000, "quote": "x"}}\n```',
    ],
)
def test_client_accepts_an_answer_that_leaves_out_empty_fields(sparse: str) -> None:
    # Servers in JSON mode (no schema-constrained decoding) often omit what is null or empty.
    server = ScriptedLLM({"billing": [answer(sparse)]})
    completion = make_client(server, FakeClock()).complete(BILLING_PROMPT_V1, fields=FIELDS)
    assert completion.parsed.total_fee.value == 45000 and completion.parsed.total_fee.page is None
    assert completion.parsed.rates == [] and completion.parsed.currency is None
    assert server.count() == 1


@pytest.mark.parametrize(
    ("message", "check"),
    [
        (
            "Unsupported parameter: 'max_tokens' is not supported with this model.",
            lambda body: "max_completion_tokens" in body and "max_tokens" not in body,
        ),
        (
            "Unsupported value: 'temperature' does not support 0 with this model.",
            lambda body: "temperature" not in body,
        ),
    ],
)
def test_client_adapts_to_reasoning_model_parameters(message: str, check: Any) -> None:
    server = ScriptedLLM({"billing": [Reply(status=400, error_message=message), answer(GOOD)]})
    client = make_client(server, FakeClock())
    assert client.complete(BILLING_PROMPT_V1, fields=FIELDS).parsed.total_fee.value == 45000
    assert check(server.requests[-1])
    assert (
        server.requests[-1]["response_format"]["type"] == "json_schema"
    )  # not mistaken for a schema problem
