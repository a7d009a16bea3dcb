"""Property tests for offsets under hostile Unicode (issue 5 §3).

tests/unit/test_normalize.py already checks the normalizer on a curated alphabet; these go
wider: any code point Hypothesis can draw (combining marks, astral emoji, bidi controls,
unassigned and private-use characters), through the normalizer, the lexicon analyzer's
evidence spans, and the Perspective endpoint's UTF-16 span conversion.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rostra.perspective.spans import Utf16Offsets, to_code_points, utf16_length
from rostra.screening.analyzers.lexicon import LexiconAnalyzer
from rostra.screening.langid import identify
from rostra.screening.normalize import normalize
from rostra.screening.types import ScreenContext, ScreenDoc

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=120)
TRICKS = st.sampled_from(
    [
        "\u200b",
        "\u200d",
        "\u202e",
        "\u2066",
        "\u2069",
        "\ufeff",
        "\u00ad",
        "\u0301",
        "👩‍👩‍👧",
        "🏳️‍🌈",
    ]
)
HOSTILE_TEXT = st.lists(st.one_of(ANY_TEXT, TRICKS), max_size=8).map("".join)
LEXICON = LexiconAnalyzer()


@given(HOSTILE_TEXT)
@settings(max_examples=300, deadline=None)
def test_normalized_positions_always_map_back_inside_the_original(text: str) -> None:
    result = normalize(text)
    assert len(result.starts) == len(result.ends) == len(result.text) == len(result.loose)
    for i in range(len(result.text)):
        a, b = result.to_original(i, i + 1)
        assert 0 <= a < b <= len(text)


@given(
    before=HOSTILE_TEXT, after=HOSTILE_TEXT, insult=st.sampled_from(["idiot", "1d10t", "i.d.i.o.t"])
)
@settings(max_examples=200, deadline=None)
def test_lexicon_evidence_is_exactly_what_the_reader_wrote(
    before: str, after: str, insult: str
) -> None:
    text = f"{before} you {insult} {after}"
    normalized = normalize(text)
    guess = identify(text, normalized=normalized)
    doc = ScreenDoc(
        text=text,
        normalized=normalized,
        lang="en",
        lang_confidence=guess.confidence,
        context=ScreenContext(),
        lang_candidates=guess.candidates,
    )
    for signal in LEXICON.analyze(doc):
        for span in signal.spans:
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start : span.end] == span.text


@given(HOSTILE_TEXT, st.data())
@settings(max_examples=300, deadline=None)
def test_utf16_offsets_round_trip(text: str, data: st.DataObject) -> None:
    offsets = Utf16Offsets(text)
    assert offsets.length == utf16_length(text) == len(text.encode("utf-16-le")) // 2
    k = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert to_code_points(text, offsets(k)) == k
    assert text[:k].encode("utf-16-le") == text.encode("utf-16-le")[: offsets(k) * 2]
