"""Session fixtures for the screening unit tests: analyzers are built once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rostra.screening.analyzers.lexicon import LexiconAnalyzer
from rostra.screening.langid import identify
from rostra.screening.normalize import normalize
from rostra.screening.policy import Policy
from rostra.screening.screen import Screen
from rostra.screening.types import ScreenContext, ScreenDoc


@pytest.fixture(scope="session")
def lexicon() -> LexiconAnalyzer:
    return LexiconAnalyzer()


@pytest.fixture(scope="session")
def make_doc() -> Callable[..., ScreenDoc]:
    """A ScreenDoc as the screen would build it (language detected unless given)."""

    def build(
        text: str, lang: str | None = None, context: ScreenContext | None = None
    ) -> ScreenDoc:
        normalized = normalize(text)
        guess = identify(text, normalized=normalized)
        return ScreenDoc(
            text=text,
            normalized=normalized,
            lang=lang or guess.lang,
            lang_confidence=guess.confidence,
            context=context or ScreenContext(),
            lang_candidates=guess.candidates,
        )

    return build


ENCODER_ANALYZERS = frozenset({"rostra.relevance.v1", "rostra.classifier.v1"})


@pytest.fixture(scope="session")
def lean_policy() -> Policy:
    """The default policy without the encoder-backed analyzers (fast to build)."""
    policy = Policy.default()
    return policy.model_copy(
        update={
            "analyzers": tuple(a for a in policy.analyzers if a.factory not in ENCODER_ANALYZERS)
        }
    )


@pytest.fixture(scope="session")
def lean_screen(lean_policy: Policy) -> Screen:
    return Screen.from_policy(lean_policy)
