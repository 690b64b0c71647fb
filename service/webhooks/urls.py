"""Which webhook URLs the service will POST to.

A URL carrying ``user:password@`` is refused: the subscriber authenticates the
service by the signing secret, and credentials in a URL end up in listings,
logs and delivery errors. Internal addresses (loopback, private ranges,
link-local such as a cloud metadata endpoint) are allowed unless
``HANDOFF_WEBHOOK_ALLOW_PRIVATE`` is false: a firm's workflow engine usually
runs on its own network, but a service exposed to other tenants should not be
made to call into it.

When they are refused, the host is resolved again at each delivery and the POST
goes to the address that was checked (the URL's name still in the Host header
and the TLS server name): a name that resolved to a public address at
registration and to an internal one since (DNS rebinding) is not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
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


# Returns every address a host name resolves to; raises OSError (or UnicodeError) when it cannot.
Resolver = Callable[[str], list[str]]


def resolve_host(name: str) -> list[str]:
    """The addresses ``name`` resolves to for TCP, in the resolver's order, scope ids dropped."""
    return [
        str(sockaddr[0]).split("%", 1)[0]
        for *_, sockaddr in socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    ]


def _host_name(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


def _is_local_name(name: str) -> bool:
    return name in _LOCAL_NAMES or name.endswith(".localhost")


def _literal(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _first_internal(addresses: list[str]) -> str | None:
    for text in addresses:
        address = ipaddress.ip_address(text)
        if _is_internal(address):
            return str(address)
    return None


class WebhookAddressError(Exception):
    """A delivery not sent: its host is (or now resolves to) an internal address, or does not resolve."""


class InternalAddressError(WebhookAddressError):
    """The host is this machine, an internal literal address, or resolves to an internal address."""

    def __init__(self, message: str, *, address: str) -> None:
        super().__init__(message)
        #: The internal address met (the local name itself, for a name that is this machine).
        self.address = address


class UnresolvedHostError(WebhookAddressError):
    """The host name does not resolve (or resolves to no address)."""


@dataclass(frozen=True)
class PinnedTarget:
    """Where one delivery is sent once its host has been checked."""

    #: The URL with its host name replaced by the address that was checked.
    url: str
    #: The Host header: the URL's own host (and port), as the subscriber expects it.
    host_header: str
    #: The name TLS sends and verifies the certificate against (https only).
    sni_hostname: str | None


def pin_public_address(url: str, *, resolve: Resolver = resolve_host) -> PinnedTarget | None:
    """The target a delivery to ``url`` connects to when internal addresses are refused.

    None when the host is a public literal address (nothing to resolve, nothing to pin).
    The name is resolved now and the connection made to that address, so it cannot
    resolve to another one between this check and the POST. Registration asks the same
    question (``check_webhook_url``), so a URL is judged alike when it is registered and
    each time it is delivered to.

    Raises
    ------
    InternalAddressError
        The host is a local name, an internal literal, or resolves to any internal address.
    UnresolvedHostError
        The host does not resolve at all. Either message says why, for the delivery's error.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    name = _host_name(host)
    refused = "not sent (HANDOFF_WEBHOOK_ALLOW_PRIVATE is false)"
    if _is_local_name(name):
        raise InternalAddressError(f"refused: the host {name!r} is this machine; {refused}", address=name)
    literal = _literal(name)
    if literal is not None:
        if _is_internal(literal):
            raise InternalAddressError(
                f"refused: {literal} is an internal address; {refused}", address=str(literal)
            )
        return None
    try:
        addresses = resolve(name)
    except (OSError, UnicodeError) as exc:
        raise UnresolvedHostError(f"the host {name!r} does not resolve: {exc}") from exc
    if not addresses:
        raise UnresolvedHostError(f"the host {name!r} resolves to no address")
    internal = _first_internal(addresses)
    if internal is not None:
        raise InternalAddressError(
            f"refused: the host {name!r} now resolves to the internal address {internal}; {refused}",
            address=internal,
        )
    address = ipaddress.ip_address(addresses[0])
    netloc = f"[{address}]" if address.version == 6 else str(address)
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return PinnedTarget(
        url=urlunsplit(parts._replace(netloc=netloc)),
        host_header=parts.netloc.rpartition("@")[2],
        sni_hostname=name if parts.scheme == "https" else None,
    )


def check_webhook_url(url: str, *, allow_private: bool, resolve: Resolver = resolve_host) -> None:
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
    try:
        pin_public_address(url, resolve=resolve)
    except UnresolvedHostError:
        # Unresolvable now: delivery will fail visibly; refusing would reject a name not yet published.
        return
    except InternalAddressError as exc:
        raise ProblemError(
            422,
            "webhook-url-internal",
            "Internal webhook address",
            f"The webhook host {parts.hostname!r} is an internal address ({exc.address}); this service"
            " delivers only to public addresses (HANDOFF_WEBHOOK_ALLOW_PRIVATE is false).",
        ) from None


__all__ = [
    "InternalAddressError",
    "PinnedTarget",
    "Resolver",
    "UnresolvedHostError",
    "WebhookAddressError",
    "check_webhook_url",
    "pin_public_address",
    "resolve_host",
    "without_credentials",
]
