"""Registry snapshot (spaCy factory_registrations.json): ids and emitted categories only change
on purpose. A new analyzer or a changed ``emits`` means updating registrations.json in the same
change, and bumping the id's version when behaviour changes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rostra.screening import registry
from rostra.screening.types import CATEGORIES

SNAPSHOT = Path(__file__).with_name("registrations.json")


def test_registry_snapshot_matches() -> None:
    current = {name: sorted(r.emits) for name, r in sorted(registry.registrations().items())}
    assert current == json.loads(SNAPSHOT.read_text("utf-8"))


def test_registry_ids_are_namespaced_and_versioned() -> None:
    for name, registration in registry.registrations().items():
        assert re.fullmatch(r"[a-z_]+\.[a-z_.]+\.v[0-9]+", name), name
        assert registration.emits <= set(CATEGORIES)


def test_registry_refuses_a_second_factory_under_one_id() -> None:
    @registry.register("test.contract.v1", emits={"profanity"})
    class First:
        name = "test.contract.v1"

    with pytest.raises(ValueError, match="already registered"):

        @registry.register("test.contract.v1", emits={"profanity"})
        class Second:
            name = "test.contract.v1"

    registry._REGISTRY.pop("test.contract.v1")


def test_registry_unknown_id_names_the_known_ones() -> None:
    with pytest.raises(registry.UnknownAnalyzer, match=r"rostra\.lexicon\.v1"):
        registry.create("rostra.nope.v1")
