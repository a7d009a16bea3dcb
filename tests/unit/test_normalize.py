"""Normalization: the matching form and, above all, the map back to the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rostra.screening.normalize import normalize, squeeze


@pytest.mark.parametrize(
    ("written", "matching"),
    [
        ("You are an ID10T", "you are an idiot"),
        ("f u c k you", "fuck you"),
        ("F.U.C.K off", "fuck off"),
        ("sh!t happens", "shit happens"),
        ("a$$hole", "asshole"),
        ("Ѕhіt", "shit"),  # Cyrillic Ѕ and і inside a Latin word
        ("what a ѕһіт day", "what a shit day"),  # a word of look-alikes only, in Latin text
        ("это хорошо", "это хорошо"),  # Russian stays Russian
        ("fuuuuuck", "fuuck"),
        ("sooo gooood", "soo good"),
        ("ﬁne", "fine"),  # NFKC ligature
        ("STRASSE Straße", "strasse strasse"),  # casefold
        ("bi\u200bt\u200dch", "bitch"),  # zero-width characters
        ("\u202eevil\u202c", "evil"),  # bidi override
        ("soft\u00adhyphen", "softhyphen"),
        ("كلب", "کلب"),  # Arabic kaf → keheh
        ("على", "علی"),  # alef maksura → yeh
        ("مـــــرحبا", "مرحبا"),  # tatweel
        ("مُحَمَّد", "محمد"),  # harakat
        ("می\u200cخواهم", "میخواهم"),  # ZWNJ dropped for matching
        ("٠٧٥٠ ۱۲۳", "0750 123"),  # Arabic-Indic and Persian digits
        ("hello @user 2024", "hello @user 2024"),  # mentions and numbers are not leet
        ("shit!", "shit!"),  # a trailing "!" is punctuation
    ],
)
def test_normalize_matching_form(written: str, matching: str) -> None:
    assert normalize(written).text == matching


@pytest.mark.parametrize(
    ("written", "loose"),
    [
        ("Ez ê te bikujim", "ez e te bikujim"),  # Kurmanji diacritics
        ("çüş göt ığ", "cus got ig"),  # Turkish letters
        ("ئەمە هەواڵێکی", "یهمه ههوالیکی"),  # Sorani letters to what people type instead
        ("ڕێگا ڤیان", "ریگا فیان"),
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("أحمد إلى آخر", "احمد الی اخر"),
    ],
)
def test_normalize_loose_fold(written: str, loose: str) -> None:
    result = normalize(written)
    assert result.loose == loose
    assert len(result.loose) == len(result.text)


def test_normalize_keeps_kurdish_letters_distinct_in_text() -> None:
    result = normalize("هەواڵ")
    assert "ە" in result.text
    assert "ڵ" in result.text


def test_normalize_repairs_mojibake_and_maps_to_the_broken_token() -> None:
    broken = "مرحبا بكم".encode().decode("cp1252", errors="replace")
    text = f"ok {broken} ok"
    result = normalize(text)
    assert "مرحبا" in result.text
    start = result.text.index("مرحبا")
    a, b = result.to_original(start, start + 5)
    assert text[a:b] == broken.split(" ")[0]


def test_normalize_spaced_letters_map_to_the_whole_spread() -> None:
    text = "well f . u . c . k that"
    result = normalize(text)
    start = result.text.index("fuck")
    a, b = result.to_original(start, start + 4)
    assert text[a:b] == "f . u . c . k"


def test_normalize_squeeze_cuts_every_run_and_keeps_positions() -> None:
    result = normalize("fuuuuck")
    squeezed, kept = squeeze(result)
    assert squeezed == "fuck"
    assert [result.loose[i] for i in kept] == list(squeezed)


def test_normalize_to_original_refuses_ranges_outside() -> None:
    with pytest.raises(ValueError, match="outside"):
        normalize("abc").to_original(0, 4)


_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz ABCXYZ013457@$!.-_*")
    + list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةأإآءئؤ")
    + list("ەڕڵۆێڤپچژگیکھ")
    + list("êîûçşığöüİ")
    + ["\u200b", "\u200c", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u0640", "\u064e"]
    + list("аеорсΑΟﬁﷲ٣۴ß")
    + ["Ã", "Ø", "Ù", "€", "…", "\n", "😀"]
)


@given(st.lists(_ALPHABET, max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_normalize_every_span_maps_inside_the_original(text: str) -> None:
    result = normalize(text)
    assert len(result.starts) == len(result.ends) == len(result.text) == len(result.loose)
    previous = 0
    for i in range(len(result.text)):
        a, b = result.to_original(i, i + 1)
        assert 0 <= a < b <= len(text)
        assert a >= previous  # the map never goes backwards
        previous = a
    if result.text:
        a, b = result.to_original(0, len(result.text))
        assert 0 <= a < b <= len(text)


# Whole words only: a lone letter next to "s h i t" would honestly be part of the spread.
_FILLER = st.lists(
    st.sampled_from(["abc", "xyz.", "hello,", "12", "ok!", "why?", "çok"]), max_size=5
).map(" ".join)


@given(
    before=_FILLER,
    after=_FILLER,
    written=st.sampled_from(["sh1t", "Ѕhіt", "s h i t", "s.h.i.t", "SHIT", "sh\u200bit"]),
)
@settings(max_examples=300, deadline=None)
def test_normalize_match_maps_back_to_what_the_reader_wrote(
    before: str, after: str, written: str
) -> None:
    text = f"{before} {written} {after}"
    result = normalize(text)
    start = result.text.index(" shit", len(normalize(before).text)) + 1
    a, b = result.to_original(start, start + 4)
    assert text[a:b] == written
