"""rostra.duplicates.v1: near-duplicates of recent comments."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rostra.screening.analyzers.duplicates import (
    DuplicatesAnalyzer,
    duplicate_key,
    jaccard,
    shingles,
)
from rostra.screening.types import ScreenContext, ScreenDoc

SPAM = "Best forex signals in Erbil, contact us on WhatsApp 0750 123 4567 today"
OPINION = "The ministry should publish the full budget before the vote next week"


@pytest.fixture(scope="module")
def duplicates() -> DuplicatesAnalyzer:
    return DuplicatesAnalyzer()


def _doc(make_doc: Callable[..., ScreenDoc], text: str, recent: tuple[str, ...]) -> ScreenDoc:
    return make_doc(text, context=ScreenContext(recent_texts=recent))


def test_duplicates_repeated_pitch_with_contact_is_promotion(
    duplicates: DuplicatesAnalyzer, make_doc: Callable[..., ScreenDoc]
) -> None:
    variant = SPAM.replace("today", "now!!").upper()
    (signal,) = duplicates.analyze(_doc(make_doc, variant, (OPINION, SPAM)))
    assert signal.category == "promotion"
    assert signal.score >= 0.85
    assert signal.spans[0].text == variant


def test_duplicates_repeat_without_contact_only_goes_to_review(
    duplicates: DuplicatesAnalyzer, make_doc: Callable[..., ScreenDoc]
) -> None:
    (signal,) = duplicates.analyze(_doc(make_doc, OPINION, (OPINION,)))
    assert 0.5 <= signal.score < 0.85
    (flood,) = duplicates.analyze(_doc(make_doc, OPINION, (OPINION,) * 3))
    assert signal.score < flood.score < 0.85


def test_duplicates_different_or_short_comments_are_not_flagged(
    duplicates: DuplicatesAnalyzer, make_doc: Callable[..., ScreenDoc]
) -> None:
    assert duplicates.analyze(_doc(make_doc, OPINION, (SPAM,))) == []
    assert (
        duplicates.analyze(_doc(make_doc, "Great article, thanks", ("Great article, thanks",) * 5))
        == []
    )
    assert duplicates.analyze(_doc(make_doc, OPINION, ())) == []


def test_duplicates_only_the_most_recent_are_compared(make_doc: Callable[..., ScreenDoc]) -> None:
    analyzer = DuplicatesAnalyzer(max_recent=2)
    recent = (OPINION, SPAM, SPAM)
    assert analyzer.analyze(_doc(make_doc, OPINION, recent)) == []


def test_duplicates_arabic_digits_and_punctuation_do_not_hide_a_repeat() -> None:
    a = duplicate_key("اتصل على ٠٧٥٠١٢٣٤٥٦٧ الآن!!!")
    b = duplicate_key("اتصل على 07501234567 الآن")
    assert jaccard(shingles(a), shingles(b)) == 1.0


def test_duplicates_refuses_bad_settings() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        DuplicatesAnalyzer(threshold=1.5)
    with pytest.raises(TypeError, match="unknown settings"):
        DuplicatesAnalyzer(window=3)


def test_duplicates_cache_stays_bounded_and_keeps_recent_texts(
    make_doc: Callable[..., ScreenDoc],
) -> None:
    from rostra.screening.analyzers import duplicates as module

    analyzer = DuplicatesAnalyzer()
    recent = tuple(f"{OPINION} number {chr(0x61 + i % 26) * (i // 26 + 1)}" for i in range(150))
    for i in range(module._CACHE_LIMIT * 3):
        analyzer.analyze(_doc(make_doc, f"{OPINION} {i} " + "x" * (i % 97), recent))
        assert len(analyzer._cache) <= module._CACHE_LIMIT
    # The site's recent texts are used by every comment, so they survive the churn.
    assert all(text in analyzer._cache for text in recent)
