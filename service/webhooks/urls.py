"""Which webhook URLs the service will POST to.

A URL carrying ``user:password@`` is refused: the subscriber authenticates the
service by the signing secret, and credentials in a URL end up in listings,
logs and delivery errors. Internal addresses (loopback, private ranges,
link-local such as a cloud metadata endpoint) are allowed unless
``HANDOFF_WEBHOOK_ALLOW_PRIVATE`` is false: a firm's workflow engine usually
runs on its own network, but a service exposed to other tenants should not be
made to call into it.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

from service.problems import ProblemError

# Names that are this machine whatever DNS says (RFC 6761).
_LOCAL_NAMES = ("localhost", "localhost.localdomain")


def without_credentials(url: str) -> str:
    """``url`` with any ``user:password@`` removed, for showing a URL stored before the check."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global


def _internal_address_of(host: str) -> str | None:
    """An internal address ``host`` is or resolves to, or None."""
    name = host.strip("[]").rstrip(".").lower()
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return name
    try:
        literal = ipaddress.ip_address(name)
    except ValueError:
        literal = None
    if literal is not None:
        return str(literal) if _is_internal(literal) else None
    try:
        resolved = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        # Unresolvable now: delivery will fail visibly; refusing would reject a name not yet published.
        return None
    for *_, sockaddr in resolved:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if _is_internal(address):
            return str(address)
    return None


def check_webhook_url(url: str, *, allow_private: bool) -> None:
    """Raise a 422 problem for a URL the service will not deliver to (the scheme is checked by the schema)."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ProblemError(
            422,
            "webhook-url-credentials",
            "Credentials in a webhook URL",
            "A webhook URL must not carry user:password@; verify deliveries with the signing secret"
            " (webhook-signature) instead.",
        )
    if allow_private:
        return
    internal = _internal_address_of(parts.hostname or "")
    if internal is not None:
        raise ProblemError(
            422,
            "webhook-url-internal",
            "Internal webhook address",
            f"The webhook host {parts.hostname!r} is an internal address ({internal}); this service"
            " delivers only to public addresses (HANDOFF_WEBHOOK_ALLOW_PRIVATE is false).",
        )


__all__ = ["check_webhook_url", "without_credentials"]
