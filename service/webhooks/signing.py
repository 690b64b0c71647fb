"""Standard Webhooks signatures: sign a delivery and verify one.

A subscriber's secret is ``whsec_`` followed by the base64 of at least 24
random bytes. Each delivery carries three headers:

- ``webhook-id``: the message id, stable across retries of the same event, so a
  receiver can drop duplicates (delivery is at least once);
- ``webhook-timestamp``: integer Unix seconds when this attempt was signed;
- ``webhook-signature``: space-separated ``v1,<base64 HMAC-SHA256>`` entries over
  ``"{id}.{timestamp}.{body}"``. Several entries let a sender rotate secrets
  while receivers still hold the old one.

The verifier is written for receivers (the engine, the API client) as much as
for the service's own tests: it checks the timestamp against a tolerance to
refuse replays, compares in constant time, and accepts any one matching
``v1`` entry.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
SECRET_BYTES = 24
DEFAULT_TOLERANCE_SECONDS = 5 * 60

HEADER_ID = "webhook-id"
HEADER_TIMESTAMP = "webhook-timestamp"
HEADER_SIGNATURE = "webhook-signature"


class WebhookVerificationError(ValueError):
    """A delivery did not verify: missing header, stale timestamp, bad secret or no matching signature."""


def generate_secret(*, num_bytes: int = SECRET_BYTES) -> str:
    """Return a new ``whsec_`` secret of ``num_bytes`` random bytes (at least 24)."""
    if num_bytes < SECRET_BYTES:
        raise ValueError(f"a webhook secret needs at least {SECRET_BYTES} random bytes, got {num_bytes}")
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(num_bytes)).decode("ascii")


def decode_secret(secret: str) -> bytes:
    """Return the key bytes of a ``whsec_`` secret.

    Raises
    ------
    WebhookVerificationError
        When the secret lacks the prefix or is not valid base64.
    """
    if not secret.startswith(SECRET_PREFIX):
        raise WebhookVerificationError(f"a webhook secret starts with {SECRET_PREFIX!r}")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WebhookVerificationError("the webhook secret is not valid base64") from exc
    if not key:
        raise WebhookVerificationError("the webhook secret is empty")
    return key


def _signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Return the ``v1,<signature>`` entry for one message.

    Parameters
    ----------
    secret
        The subscriber's ``whsec_`` secret.
    msg_id
        The message id sent as ``webhook-id``.
    timestamp
        Unix seconds sent as ``webhook-timestamp``.
    body
        The exact bytes of the request body.

    Returns
    -------
    str
        One signature entry, ``v1,<base64 HMAC-SHA256>``.
    """
    return f"{SIGNATURE_VERSION},{_signature(decode_secret(secret), msg_id, timestamp, body)}"


def signature_headers(
    *, secret: Iterable[str] | str, msg_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Return the three Standard Webhooks headers for a body, signed with one or several secrets.

    Parameters
    ----------
    secret
        One ``whsec_`` secret, or several while a secret is being rotated.
    msg_id, timestamp, body
        As for :func:`sign`.

    Returns
    -------
    dict of str to str
        ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature``.
    """
    keys = [secret] if isinstance(secret, str) else list(secret)
    if not keys:
        raise ValueError("at least one secret is needed to sign a webhook")
    return {
        HEADER_ID: msg_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: " ".join(
            sign(secret=s, msg_id=msg_id, timestamp=timestamp, body=body) for s in keys
        ),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    # HTTP header names are case-insensitive; plain dicts from servers keep whatever case arrived.
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"missing header {name!r}")


def verify(
    headers: Mapping[str, str],
    body: bytes,
    *,
    secret: str,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> str:
    """Check a delivery's Standard Webhooks signature; return its message id.

    Parameters
    ----------
    headers
        The request headers (any case).
    body
        The raw request body, exactly as received (do not re-serialise it).
    secret
        The ``whsec_`` secret shown when the webhook was registered.
    tolerance_seconds
        How far ``webhook-timestamp`` may be from ``now``, either way.
    now
        Unix seconds to compare against; the current time when omitted.

    Returns
    -------
    str
        The ``webhook-id``, for de-duplicating retried deliveries.

    Raises
    ------
    WebhookVerificationError
        When a header is missing, the timestamp is malformed or outside the
        tolerance, or no ``v1`` signature matches.
    """
    msg_id = _header(headers, HEADER_ID)
    raw_timestamp = _header(headers, HEADER_TIMESTAMP)
    raw_signatures = _header(headers, HEADER_SIGNATURE)
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise WebhookVerificationError(f"{HEADER_TIMESTAMP} is not an integer: {raw_timestamp!r}") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise WebhookVerificationError(
            f"{HEADER_TIMESTAMP} is {current - timestamp:+.0f} s from now, outside the tolerance"
            f" of {tolerance_seconds:g} s"
        )
    expected = _signature(decode_secret(secret), msg_id, timestamp, body).encode("ascii")
    for entry in raw_signatures.split():
        version, _, value = entry.partition(",")
        if version == SIGNATURE_VERSION and hmac.compare_digest(value.encode("ascii", "replace"), expected):
            return msg_id
    raise WebhookVerificationError("no v1 signature matches the body")
