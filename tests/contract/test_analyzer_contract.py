"""The analyzer contract, checked for every registered analyzer (sklearn-style conformance).

Score range, spans inside the original text and equal to its slice, emitted categories as
registered, determinism, and robustness to empty, right-to-left, obfuscated and very long text.
"""

from __future__ import annotations

from typing import Any

import pytest

from rostra.screening import registry
from rostra.screening.langid import identify
from rostra.screening.normalize import normalize
from rostra.screening.types import ArticleContext, ScreenContext, ScreenDoc

ARTICLE = ArticleContext(
    title="Parliament delays the vote on the 2026 budget",
    body="Lawmakers in Erbil postponed the vote on public salaries after talks with Baghdad.",
    language="en",
)

TEXTS = [
    "",
    " ",
    "A fair point about the budget, thank you.",
    "You are a f u c k i n g idiot, I will kill you. Call 0750 123 4567 or t.me/spam",
    "ئەمە هەواڵێکی زۆر باشە بۆ خەڵکی کوردستان، سوپاس",
    "\u202bيا ابن الكلب\u202c راح اقتلك ٠٧٥٠١٢٣٤٥٦٧",  # RTL embedding controls
    "این خبر خیلی خوب بود، ممنون. می‌کشمت کس‌کش",  # ZWNJ
    "Ez ê te bikujim kero, ev gotar baş e",
    "Seni öldüreceğim orospu çocuğu, sık sık gelirim",
    "Ѕhіt Ù…Ø±Ø­Ø¨Ø§ 😀\u200b\ufeff mixed",  # homoglyphs, mojibake, emoji, zero-width
    "ـــــ ِ ُ ّ",  # only tatweel and harakat
    "\n\n\t",
]
LONG = ("The budget vote was delayed again. " * 300) + "fuck you " + ("سوپاس " * 300)
RECENT = (TEXTS[3], TEXTS[3], "Some other comment that is long enough to compare with.")


def _doc(text: str, *, context: ScreenContext | None = None) -> ScreenDoc:
    normalized = normalize(text)
    guess = identify(text, normalized=normalized)
    return ScreenDoc(
        text=text,
        normalized=normalized,
        lang=guess.lang,
        lang_confidence=guess.confidence,
        context=context or ScreenContext(article=ARTICLE, recent_texts=RECENT),
        lang_candidates=guess.candidates,
    )


NAMES = sorted(registry.registrations())


def _analyzer(built: dict[str, Any], name: str) -> Any:
    analyzer = built[name]
    if isinstance(analyzer, Exception):
        pytest.skip(f"{name} cannot be built in this checkout: {analyzer}")
    return analyzer


@pytest.mark.parametrize("name", NAMES)
def test_analyzer_contract_name_matches_registration(
    built_analyzers: dict[str, Any], name: str
) -> None:
    assert _analyzer(built_analyzers, name).name == name


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "text", [*TEXTS, LONG], ids=[f"text{i}" for i in range(len(TEXTS))] + ["long"]
)
def test_analyzer_contract_signals_are_well_formed(
    built_analyzers: dict[str, Any], name: str, text: str
) -> None:
    analyzer = _analyzer(built_analyzers, name)
    emits = registry.registrations()[name].emits
    doc = _doc(text)
    signals = analyzer.analyze(doc)
    assert isinstance(signals, list)
    for signal in signals:
        assert 0.0 <= signal.score <= 1.0
        assert signal.category in emits
        assert signal.analyzer == name
        for span in signal.spans:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text
    if not text.strip():
        assert all(not s.spans for s in signals)


@pytest.mark.parametrize("name", NAMES)
def test_analyzer_contract_is_deterministic(built_analyzers: dict[str, Any], name: str) -> None:
    analyzer = _analyzer(built_analyzers, name)
    for text in TEXTS:
        first = analyzer.analyze(_doc(text))
        assert analyzer.analyze(_doc(text)) == first
    # A second instance with the same settings says the same.
    twin = registry.create(name)
    assert [twin.analyze(_doc(t)) for t in TEXTS] == [analyzer.analyze(_doc(t)) for t in TEXTS]


@pytest.mark.parametrize("name", NAMES)
def test_analyzer_contract_works_without_context(
    built_analyzers: dict[str, Any], name: str
) -> None:
    analyzer = _analyzer(built_analyzers, name)
    for text in TEXTS:
        analyzer.analyze(_doc(text, context=ScreenContext()))
