"""rostra.relevance.v1 (off-topic) against the real encoder.

The comments here are not in tests/fixtures/relevance/{tune,test}.json, so these tests do not
repeat the calibration's own data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rostra.screening import registry
from rostra.screening.analyzers.relevance import (
    CALIBRATION,
    RelevanceAnalyzer,
    RelevanceFeatures,
    is_exempt_length,
)
from rostra.screening.normalize import normalize
from rostra.screening.policy import Policy
from rostra.screening.screen import Screen
from rostra.screening.types import (
    ArticleContext,
    Category,
    Recommendation,
    ScreenContext,
    ScreenDoc,
)

AIRPORT = ArticleContext(
    title="Drone strike hits Erbil airport",
    body=(
        "A drone carrying explosives struck near Erbil international airport on Tuesday "
        "night, damaging a hangar. Flights were suspended for several hours and the "
        "US-led coalition said nobody was hurt."
    ),
    language="en",
)
ON_TOPIC = [
    "The airport was closed for hours after the drone hit, my flight to Istanbul was cancelled",
    # Sorani: "Drone attacks on Erbil airport must stop, people are afraid."
    "هێرشی درۆن بۆ سەر فڕۆکەخانەی هەولێر دەبێت ڕابگیرێت، خەڵک دەترسن",
    # Generic engagement, no subject words.
    "Thank you for covering this so quickly, keep up the good work",
]
OFF_TOPIC = [
    # Sorani: "Which is the best restaurant in Erbil for dinner?"
    "باشترین چێشتخانەی شاری هەولێر کامەیە بۆ نانی ئێوارە؟",
    # Turkish: "The referee was terrible in last night's match, it should have been a penalty."
    "Dün akşamki maçta hakem çok kötüydü, penaltı verilmeliydi",
]


@pytest.fixture(scope="module")
def analyzer() -> RelevanceAnalyzer:
    return RelevanceAnalyzer()


def doc(
    text: str, article: ArticleContext | None = AIRPORT, *, is_reply: bool = False
) -> ScreenDoc:
    return ScreenDoc(
        text=text,
        normalized=normalize(text),
        lang="other",
        lang_confidence=0.0,
        context=ScreenContext(article=article, is_reply=is_reply),
    )


def off_topic_score(analyzer: RelevanceAnalyzer, text: str) -> float:
    signals = analyzer.analyze(doc(text))
    assert [s.category for s in signals] == [Category.OFF_TOPIC.value]
    return signals[0].score


def test_registered_and_created_through_the_registry() -> None:
    registration = registry.registrations()["rostra.relevance.v1"]
    assert registration.emits == frozenset({"off_topic"})
    created = registry.create("rostra.relevance.v1", {"min_words": 6, "min_letters": 30})
    assert isinstance(created, RelevanceAnalyzer)
    assert (created.min_words, created.min_letters) == (6, 30)


@pytest.mark.parametrize("text", ON_TOPIC + OFF_TOPIC)
def test_scores_are_probabilities_and_deterministic(analyzer: RelevanceAnalyzer, text: str) -> None:
    first = analyzer.analyze(doc(text))
    second = RelevanceAnalyzer().analyze(doc(text))
    assert first == second
    assert all(0.0 <= s.score <= 1.0 and s.analyzer == "rostra.relevance.v1" for s in first)


@pytest.mark.parametrize("text", ON_TOPIC)
def test_on_topic_comments_stay_below_the_review_threshold(
    analyzer: RelevanceAnalyzer, text: str
) -> None:
    review = Policy.default().threshold("off_topic", "en", "review")
    assert off_topic_score(analyzer, text) < review


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_comments_reach_the_review_threshold(
    analyzer: RelevanceAnalyzer, text: str
) -> None:
    review = Policy.default().threshold("off_topic", "en", "review")
    assert off_topic_score(analyzer, text) >= review


def test_no_article_no_signal(analyzer: RelevanceAnalyzer) -> None:
    text = OFF_TOPIC[1]
    assert analyzer.analyze(doc(text, article=None)) == []
    assert analyzer.analyze(doc(text, article=ArticleContext(title="  ", body=""))) == []


@pytest.mark.parametrize(
    "text", ["Great article", "شكرا", "زۆر باشە", "👍👍👍 !!!", "Spas ji we re"]
)
def test_short_reactions_are_exempt(analyzer: RelevanceAnalyzer, text: str) -> None:
    assert analyzer.analyze(doc(text)) == []


def test_replies_are_exempt(analyzer: RelevanceAnalyzer) -> None:
    assert analyzer.analyze(doc(OFF_TOPIC[1], is_reply=True)) == []


def test_length_exemption_counts_letters_in_any_script() -> None:
    assert is_exempt_length("Great article", 4, 20)
    assert is_exempt_length("1 2 3 4 5 6 7 8", 4, 20)  # words but no letters
    assert not is_exempt_length("Who is selling a washing machine in Erbil", 4, 20)
    assert not is_exempt_length("باشترین چێشتخانەی شاری هەولێر کامەیە", 4, 20)


def test_article_body_only_is_enough(analyzer: RelevanceAnalyzer) -> None:
    body_only = ArticleContext(title="", body=AIRPORT.body, language="en")
    assert analyzer.analyze(doc(ON_TOPIC[0], article=body_only))


def test_calibration_falls_as_similarity_rises() -> None:
    low = CALIBRATION.probability(RelevanceFeatures(0.72, 1.0, 0.0))
    high = CALIBRATION.probability(RelevanceFeatures(0.86, 1.0, 0.0))
    generic = CALIBRATION.probability(RelevanceFeatures(0.72, 1.0, 0.08))
    assert low > high
    assert generic < low
    assert CALIBRATION.fitted_on.startswith("tests/fixtures/relevance/tune.json")


def test_screen_routes_off_topic_to_review_never_reject() -> None:
    # The default policy's thresholds, with only this analyzer running.
    screen = Screen(Policy.default(), [RelevanceAnalyzer()])
    verdict = screen.screen(OFF_TOPIC[1], ScreenContext(article=AIRPORT))
    assert verdict.recommendation is Recommendation.REVIEW
    assert verdict.reasons == ("off_topic",)
    assert not verdict.errors
    on_topic = screen.screen(ON_TOPIC[0], ScreenContext(article=AIRPORT))
    assert "off_topic" not in on_topic.reasons


@pytest.mark.slow  # encodes 44 sentences; a stale file only costs start-up time (see below)
def test_shipped_prototype_vectors_match_the_encoder() -> None:
    from rostra.screening.analyzers import relevance
    from rostra.screening.embedding import Embedder

    assert relevance.PROTOTYPES_FILE.is_file()
    shipped_generic, shipped_everyday = relevance.prototype_vectors(Embedder(cache_size=0))
    fresh = Embedder(cache_size=0)
    assert np.array_equal(shipped_generic, fresh.embed_queries(relevance.GENERIC_REACTIONS))
    assert np.array_equal(shipped_everyday, fresh.embed_queries(relevance.EVERYDAY_REMARKS))


def test_prototypes_are_encoded_when_the_shipped_file_is_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rostra.screening.analyzers import relevance

    stale = tmp_path / "stale.safetensors"
    monkeypatch.setattr(relevance, "PROTOTYPES_FILE", stale)
    monkeypatch.setattr(relevance, "GENERIC_REACTIONS", ("Thanks for the report.",))
    monkeypatch.setattr(relevance, "EVERYDAY_REMARKS", ("Only one remark about the weather.",))
    written = relevance.write_prototype_vectors()
    assert written == stale
    # The file now matches one set of texts; change the texts and it must not be used.
    monkeypatch.setattr(relevance, "EVERYDAY_REMARKS", ("A different remark about shopping.",))
    _, everyday = relevance.prototype_vectors(relevance.get_embedder())
    expected = relevance.get_embedder().embed_queries(["A different remark about shopping."])
    assert np.array_equal(everyday, expected)


def test_warm_article_caches_the_article_vector() -> None:
    from rostra.screening.analyzers.relevance import warm_article
    from rostra.screening.embedding import Embedder

    embedder = Embedder(cache_size=8)
    article = ArticleContext(title="Bread prices rise in Sulaymaniyah", body="Bakers blame flour.")
    warm_article(article, embedder)
    assert embedder.cache_stats().misses == 1
    analyzer = RelevanceAnalyzer(embedder=embedder)
    analyzer.analyze(doc("Bread is now too expensive for families with many children", article))
    stats = embedder.cache_stats()
    assert stats.hits >= 1  # the article passage came from the cache
    assert stats.misses == 2  # only the comment was encoded
    warm_article(ArticleContext(title=" ", body=""), embedder)
    assert embedder.cache_stats().misses == 2
