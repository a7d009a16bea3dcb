"""The analyzer registry.

An analyzer is one module that registers a factory under a namespaced, versioned id
(``"rostra.promotion.v1"``). Core analyzers and outside packages (entry point group
``rostra.analyzers``) go through the same path, so a new analyzer changes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, Protocol

from rostra.screening.types import ScreenDoc, Signal


class Analyzer(Protocol):
    """One part of the screen. ``analyze`` is pure, deterministic and does no I/O."""

    name: str

    def analyze(self, doc: ScreenDoc) -> list[Signal]: ...


AnalyzerFactory = Callable[..., Analyzer]


@dataclass(frozen=True)
class Registration:
    name: str
    factory: AnalyzerFactory
    emits: frozenset[str]


class UnknownAnalyzer(LookupError):
    pass


_REGISTRY: dict[str, Registration] = {}
_CORE_MODULES = (
    "rostra.screening.analyzers.lexicon",
    "rostra.screening.analyzers.promotion",
    "rostra.screening.analyzers.classifier",
    "rostra.screening.analyzers.relevance",
    "rostra.screening.analyzers.duplicates",
)
_loaded = False


def register(
    name: str, *, emits: frozenset[str] | set[str]
) -> Callable[[AnalyzerFactory], AnalyzerFactory]:
    """Register an analyzer factory under ``name`` (``"<package>.<analyzer>.v<N>"``)."""

    def decorate(factory: AnalyzerFactory) -> AnalyzerFactory:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.factory is not factory:
            raise ValueError(f"analyzer id {name!r} is already registered")
        _REGISTRY[name] = Registration(name=name, factory=factory, emits=frozenset(emits))
        return factory

    return decorate


def load_all() -> None:
    """Import the core analyzers and every ``rostra.analyzers`` entry point, once."""
    global _loaded
    if _loaded:
        return
    import importlib

    for module in _CORE_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            # A core module that has not been written yet is simply absent; a broken import
            # inside an existing module is a real error and propagates.
            if exc.name != module:
                raise
    for ep in entry_points(group="rostra.analyzers"):
        ep.load()
    _loaded = True


def registrations() -> Mapping[str, Registration]:
    load_all()
    return dict(_REGISTRY)


def create(name: str, config: Mapping[str, Any] | None = None) -> Analyzer:
    load_all()
    try:
        registration = _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise UnknownAnalyzer(f"unknown analyzer {name!r} (registered: {known})") from None
    return registration.factory(**dict(config or {}))
