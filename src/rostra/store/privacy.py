"""Personal data is reduced before it reaches the store (ADR 0003).

IP addresses are truncated (IPv4 /24, IPv6 /48: the last octet or the last 80 bits zeroed) and
then hashed with a key derived from the site secret, so the stored value can count floods and
group reports but cannot be turned back into an address or matched against other systems.
E-mail addresses are normalized and hashed the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress


def anonymize_ip(address: str) -> str | None:
    """Zero the host part: the last octet of IPv4, the last 80 bits of IPv6. None if invalid."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return str(network.network_address)


def _keyed(secret: bytes, purpose: str, value: str) -> str:
    key = hmac.new(secret, purpose.encode("ascii"), hashlib.sha256).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def hash_ip(address: str | None, *, secret: bytes) -> str | None:
    """The keyed hash of the anonymized address; None when there is no valid address."""
    if address is None:
        return None
    anonymized = anonymize_ip(address)
    return None if anonymized is None else _keyed(secret, "ip", anonymized)


def hash_email(email: str, *, secret: bytes) -> str:
    return _keyed(secret, "email", email.strip().casefold())


def hash_identity(value: str, *, secret: bytes) -> str:
    return _keyed(secret, "identity", value)


def hash_token(token: str) -> str:
    """Tokens are 256-bit random secrets, so a plain SHA-256 is enough (no stretching)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
