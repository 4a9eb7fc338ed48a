"""Where webhooks may be sent: not to this machine or the private network around it (SSRF),
unless configured.

Config ``WEBHOOK_ALLOWED_NETWORKS``: CIDRs (a list, or one string, comma-separated) allowed
although they are loopback, private, link-local or otherwise not global, e.g. ``127.0.0.0/8``
for a receiver on the same host. Default: none.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class RefusedURL(ValueError):
    """A webhook URL that may not be used; the message says why, for people."""


def allowed_networks(setting) -> list[ipaddress._BaseNetwork]:
    items = setting.split(",") if isinstance(setting, str) else list(setting or ())
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def check(url: str, allowed: list[ipaddress._BaseNetwork]) -> None:
    """Raise RefusedURL unless ``url`` is http(s) with a host whose every address is public
    (or inside ``allowed``). Resolves the host name now (DNS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedURL("The URL must be http:// or https:// with a host name.")
    if parts.username or parts.password:
        raise RefusedURL("The URL must not carry a user name or password; each delivery is "
                         "signed instead (webhook-signature).")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as error:
        raise RefusedURL(f"The host {parts.hostname!r} does not resolve: {error}.") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_global or any(address in net for net in allowed):
            continue
        raise RefusedURL(
            f"{parts.hostname} resolves to {address}, a loopback, private, link-local or "
            "reserved address; webhooks go to public addresses only unless an operator allows "
            "that network (WEBHOOK_ALLOWED_NETWORKS).")
