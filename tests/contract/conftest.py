"""Analyzers are built once per session (some load models)."""

from __future__ import annotations

from typing import Any

import pytest

from rostra.screening import registry


@pytest.fixture(scope="session")
def built_analyzers() -> dict[str, Any]:
    """Every registered analyzer built with its defaults, or the reason it cannot be built."""
    out: dict[str, Any] = {}
    for name in sorted(registry.registrations()):
        try:
            out[name] = registry.create(name)
        except Exception as exc:  # e.g. a model artifact not shipped in this checkout
            out[name] = exc
    return out
