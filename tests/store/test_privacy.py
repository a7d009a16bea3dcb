"""IP anonymization (ADR 0003): truncate, then keyed hash; never the address itself."""

from __future__ import annotations

import pytest

from rostra.store.privacy import anonymize_ip, hash_email, hash_ip

SECRET = b"k" * 32


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("203.0.113.0", "203.0.113.0"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", "2001:db8:abcd::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
        ("not an ip", None),
        ("", None),
    ],
)
def test_anonymize_ip_zeroes_the_host_part(address: str, expected: str | None) -> None:
    assert anonymize_ip(address) == expected


def test_hash_ip_groups_a_network_and_hides_the_address() -> None:
    first = hash_ip("203.0.113.5", secret=SECRET)
    assert first == hash_ip("203.0.113.250", secret=SECRET)
    assert first != hash_ip("203.0.114.5", secret=SECRET)
    assert first is not None
    assert "203" not in first
    assert len(first) == 64
    # Keyed: another secret gives an unrelated value, so hashes cannot be matched elsewhere.
    assert first != hash_ip("203.0.113.5", secret=b"other-secret-000000000000000000")
    assert hash_ip(None, secret=SECRET) is None


def test_hash_email_normalizes_case_and_spaces() -> None:
    assert hash_email(" Ann@Example.org ", secret=SECRET) == hash_email(
        "ann@example.org", secret=SECRET
    )
    assert "ann" not in hash_email("ann@example.org", secret=SECRET)
