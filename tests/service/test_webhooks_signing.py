"""Standard Webhooks signing: round trips, tampering, skew and secret rotation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.webhooks.backoff import BackoffPolicy
from service.webhooks.signing import (
    WebhookVerificationError,
    decode_secret,
    generate_secret,
    sign,
    signature_headers,
    verify,
)

NOW = 1_800_000_000
message_ids = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40)
bodies = st.binary(max_size=512)


@pytest.mark.parametrize("num_bytes", [24, 32])
def test_generate_secret_has_prefix_and_enough_random_bytes(num_bytes: int) -> None:
    secret = generate_secret(num_bytes=num_bytes)
    assert secret.startswith("whsec_")
    assert len(decode_secret(secret)) == num_bytes
    assert generate_secret(num_bytes=num_bytes) != secret


def test_generate_secret_refuses_short_keys() -> None:
    with pytest.raises(ValueError, match="at least 24"):
        generate_secret(num_bytes=16)


@pytest.mark.parametrize("secret", ["abc", "whsec_", "whsec_not*base64!"])
def test_decode_secret_rejects_malformed(secret: str) -> None:
    with pytest.raises(WebhookVerificationError):
        decode_secret(secret)


def test_sign_matches_the_standard_webhooks_definition() -> None:
    secret = generate_secret()
    body = b'{"type":"review.created"}'
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, b"msg_1.1700000000." + body, hashlib.sha256).digest()
    assert sign(secret=secret, msg_id="msg_1", timestamp=1700000000, body=body) == (
        "v1," + base64.b64encode(digest).decode()
    )


@settings(max_examples=60, deadline=None)
@given(msg_id=message_ids, body=bodies, skew=st.integers(min_value=-300, max_value=300))
def test_verify_accepts_what_sign_produced(msg_id: str, body: bytes, skew: int) -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id=msg_id, timestamp=NOW + skew, body=body)
    assert verify(headers, body, secret=secret, now=NOW) == msg_id


@settings(max_examples=60, deadline=None)
@given(msg_id=message_ids, body=bodies, data=st.data())
def test_verify_detects_a_tampered_body(msg_id: str, body: bytes, data: st.DataObject) -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id=msg_id, timestamp=NOW, body=body)
    tampered = data.draw(bodies.filter(lambda b: b != body), label="tampered")
    with pytest.raises(WebhookVerificationError, match="no v1 signature"):
        verify(headers, tampered, secret=secret, now=NOW)


@settings(max_examples=40, deadline=None)
@given(msg_id=message_ids, other_id=message_ids, body=bodies)
def test_verify_detects_a_changed_id_or_timestamp(msg_id: str, other_id: str, body: bytes) -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id=msg_id, timestamp=NOW, body=body)
    if other_id != msg_id:
        with pytest.raises(WebhookVerificationError):
            verify({**headers, "webhook-id": other_id}, body, secret=secret, now=NOW)
    with pytest.raises(WebhookVerificationError):
        verify({**headers, "webhook-timestamp": str(NOW + 1)}, body, secret=secret, now=NOW)


def test_verify_refuses_another_secret() -> None:
    headers = signature_headers(secret=generate_secret(), msg_id="m", timestamp=NOW, body=b"{}")
    with pytest.raises(WebhookVerificationError, match="no v1 signature"):
        verify(headers, b"{}", secret=generate_secret(), now=NOW)


@pytest.mark.parametrize("skew", [301, -301, 10_000])
def test_verify_refuses_timestamps_outside_the_tolerance(skew: int) -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id="m", timestamp=NOW + skew, body=b"{}")
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify(headers, b"{}", secret=secret, now=NOW)
    assert verify(headers, b"{}", secret=secret, now=NOW, tolerance_seconds=abs(skew)) == "m"


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_verify_names_a_missing_header(missing: str) -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id="m", timestamp=NOW, body=b"{}")
    del headers[missing]
    with pytest.raises(WebhookVerificationError, match=missing):
        verify(headers, b"{}", secret=secret, now=NOW)


def test_verify_refuses_a_non_integer_timestamp() -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id="m", timestamp=NOW, body=b"{}")
    with pytest.raises(WebhookVerificationError, match="not an integer"):
        verify({**headers, "webhook-timestamp": "soon"}, b"{}", secret=secret, now=NOW)


@pytest.mark.parametrize("position", [0, 1])
def test_verify_accepts_any_of_several_signatures_during_rotation(position: int) -> None:
    old, new = generate_secret(), generate_secret()
    headers = signature_headers(secret=[old, new], msg_id="m", timestamp=NOW, body=b"{}")
    assert len(headers["webhook-signature"].split()) == 2
    assert verify(headers, b"{}", secret=[old, new][position], now=NOW) == "m"


@pytest.mark.parametrize("header_case", [str.upper, str.title])
def test_verify_reads_headers_in_any_case(header_case: Callable[[str], str]) -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id="m", timestamp=NOW, body=b"{}")
    assert verify({header_case(k): v for k, v in headers.items()}, b"{}", secret=secret, now=NOW) == "m"


def test_verify_ignores_unknown_signature_versions() -> None:
    secret = generate_secret()
    headers = signature_headers(secret=secret, msg_id="m", timestamp=NOW, body=b"{}")
    value = headers["webhook-signature"].split(",", 1)[1]
    with pytest.raises(WebhookVerificationError):
        verify({**headers, "webhook-signature": f"v2,{value}"}, b"{}", secret=secret, now=NOW)


@settings(max_examples=50, deadline=None)
@given(attempt=st.integers(min_value=1, max_value=200), seed=st.integers(min_value=0, max_value=2**32))
def test_backoff_delay_stays_within_the_exponential_cap(attempt: int, seed: int) -> None:
    policy = BackoffPolicy(base_seconds=0.5, max_seconds=60.0, max_attempts=5, rng=random.Random(seed))
    cap = policy.cap_seconds(attempt)
    assert cap == min(60.0, 0.5 * 2 ** (attempt - 1))
    assert 0.0 <= policy.delay_seconds(attempt) <= cap


@pytest.mark.parametrize(("attempts", "dead"), [(1, False), (4, False), (5, True), (6, True)])
def test_backoff_gives_up_after_max_attempts(attempts: int, dead: bool) -> None:
    policy = BackoffPolicy(base_seconds=1.0, max_seconds=10.0, max_attempts=5)
    assert policy.gives_up_after(attempts) is dead


def test_backoff_jitter_spreads_delays() -> None:
    policy = BackoffPolicy(base_seconds=1.0, max_seconds=100.0, max_attempts=9, rng=random.Random(7))
    delays = [policy.delay_seconds(5) for _ in range(200)]
    # Full jitter: draws cover the whole range below the cap of 16 s, not one fixed value.
    assert min(delays) < 4.0 < 12.0 < max(delays) <= 16.0
