"""Normalization that keeps a map back to the original text.

Every analyzer works on ``NormalizedText.text`` (or its 1:1 ``loose`` fold) and reports spans
through ``NormalizedText.to_original`` so that evidence always points into what the reader
wrote.

The steps, in order:

1. mojibake repair with ftfy, only when the text looks broken, token by token so each repaired
   character maps to the (whole) broken token it came from;
2. per character: zero-width and bidi controls, soft hyphen, ZWNJ/ZWJ, tatweel, Arabic harakat
   and every other combining mark are dropped; NFKC; casefold; Arabic ي/ى → Persian/Kurdish ی,
   ك → ک, ھ → ه; Arabic-Indic and Persian digits → ASCII digits;
3. spaced letters ("f u c k", "f.u.c.k") are joined;
4. Cyrillic/Greek look-alikes inside words that also contain Latin letters become Latin;
5. leetspeak (@ 0 1 3 4 5 $ 7 ! |) inside Latin words only;
6. runs of three or more identical letters are cut to two.

``loose`` then folds, one character for one character, what readers commonly mix up: Latin
diacritics (Kurmanji ê î û ç ş, Turkish ı ğ ö ü) to plain letters, Kurdish ە ڕ ڵ ۆ ێ ڤ to the
Arabic-script letters people type instead (ه ر ل و ی ف), ة → ه, hamza carriers to their base.
Because ``loose`` has the same length as ``text`` it shares the offset map.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import ftfy
import ftfy.badness

#: Characters that only steer rendering or hide inside words: dropped for matching.
_INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # LRE … RLO
    + [chr(c) for c in range(0x2060, 0x2065)]  # word joiner, invisible operators
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI … PDI
    + [
        "\ufeff",
        "\u00ad",
        "\u061c",
        "\u180e",
        "\u034f",
        "\u0640",
    ]  # BOM, SHY, ALM, MVS, CGJ, tatweel
)

_SCRIPT_FOLD = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Persian/Kurdish yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf → keheh
        "ھ": "ه",  # heh doachashmee (Sorani h) → heh
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)

#: The 1:1 "loose" fold (see the module docstring).
_LOOSE = str.maketrans(
    {
        "ı": "i",
        "ğ": "g",
        "ö": "o",
        "ü": "u",
        "ç": "c",
        "ş": "s",
        "ê": "e",
        "î": "i",
        "û": "u",
        "é": "e",
        "è": "e",
        "ë": "e",
        "á": "a",
        "à": "a",
        "â": "a",
        "ä": "a",
        "ã": "a",
        "å": "a",
        "í": "i",
        "ì": "i",
        "ï": "i",
        "ó": "o",
        "ò": "o",
        "ô": "o",
        "õ": "o",
        "ú": "u",
        "ù": "u",
        "ñ": "n",
        "ý": "y",
        "ە": "ه",
        "ڕ": "ر",
        "ڵ": "ل",
        "ۆ": "و",
        "ێ": "ی",
        "ڤ": "ف",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
    }
)

#: Cyrillic and Greek letters that look like Latin ones (lowercase: text is casefolded first).
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "с": "c",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "ѕ": "s",
        "т": "t",
        "у": "y",
        "х": "x",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ɡ": "g",
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
    }
)
_HOMOGLYPH_CHARS = "".join(chr(c) for c in _HOMOGLYPHS)

_LEET = str.maketrans(
    {
        "@": "a",
        "4": "a",
        "0": "o",
        "1": "i",
        "!": "i",
        "3": "e",
        "5": "s",
        "$": "s",
        "7": "t",
        "|": "l",
    }
)

# A word with at least one Latin letter and at least one Cyrillic/Greek look-alike.
_MIXED_WORD = re.compile(
    rf"(?=\w*[a-z])(?=\w*[{_HOMOGLYPH_CHARS}])\w+",
)
_ANY_HOMOGLYPH = re.compile(f"[{_HOMOGLYPH_CHARS}]")
_CONFUSABLE_WORD = re.compile(rf"(?<!\w)[{_HOMOGLYPH_CHARS}]+(?!\w)")
_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")
_LATIN_LETTER = re.compile(r"[a-z]")
# A Latin word containing leet characters: letters, digits and @$!| with at least one letter,
# at least one leet character, not touching other word characters (so no Arabic around it).
_LEET_WORD = re.compile(
    r"(?<![\w@$|])(?=[a-z0-9@$!|]*[a-z])(?=[a-z]*[0-9@$!|])[a-z0-9@$!|]*[a-z0-9$|](?![\w@$|])"
)
# A leet character touching a Latin letter: without one there is nothing to undo.
_LEET_HINT = re.compile(r"[a-z][0-9@$!|]|[0-9@$!|][a-z]")
# Three or more single letters, each followed by one short separator: "f u c k", "f.u.c.k".
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W\d_][ .\-_*·•,/]{1,3}){2,}[^\W\d_](?![^\W_])")
_ONE_LETTER_WORDS = frozenset("aiouyو")
_SEPARATOR = re.compile(r"[ .\-_*·•,/]")
# Three or more identical characters (the letters among them are cut; a plain "." is much
# faster to scan for than a letter class).
_REPEAT = re.compile(r"(.)\1\1+", re.DOTALL)

_MOJIBAKE_TOKEN = re.compile(r"\S+")
# UTF-8 read as cp1252/Latin-1: a lead byte (Â-ï) followed by a continuation byte (0x80-0xBF as
# Latin-1 or cp1252 shows it). A cheap test before ftfy's own, which is far costlier.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]"
)

_CHAR_CACHE: dict[str, str] = {}
_CHAR_CACHE_LIMIT = 65_536


def _fold_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    out = []
    for piece in unicodedata.normalize("NFKC", ch).casefold():
        if unicodedata.category(piece) == "Mn" or piece in _INVISIBLE:
            continue  # harakat, Latin combining accents, the dot of casefolded İ
        out.append(piece)
    return "".join(out).translate(_SCRIPT_FOLD)


def _folded(ch: str) -> str:
    rep = _CHAR_CACHE.get(ch)
    if rep is None:
        rep = _fold_char(ch)
        if len(_CHAR_CACHE) < _CHAR_CACHE_LIMIT:
            _CHAR_CACHE[ch] = rep
    return rep


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text plus, for every normalized character, the original span it came from."""

    original: str
    text: str
    #: ``starts[i]``/``ends[i]``: the original half-open range that produced ``text[i]``
    #: (a ``range`` when the map is the identity).
    starts: Sequence[int]
    ends: Sequence[int]
    #: ``text`` with the 1:1 "loose" fold applied; same length, same offset map.
    loose: str = field(default="")

    def __post_init__(self) -> None:
        if not self.loose and self.text:
            object.__setattr__(self, "loose", self.text.translate(_LOOSE))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open range of ``text`` to the smallest original range covering it."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"range {start}:{end} outside normalized text of {len(self.text)}")
        if start == end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]  # both maps never go backwards


def loose_fold(text: str) -> str:
    """The 1:1 loose fold alone (for lexicon entries already through :func:`normalize`)."""
    return text.translate(_LOOSE)


def _repair_mojibake(text: str) -> tuple[str, list[int], list[int]] | None:
    """ftfy, token by token, when the text looks broken; ``None`` when nothing changed."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text) or not ftfy.badness.is_bad(text):
        return None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    changed = False
    for match in _MOJIBAKE_TOKEN.finditer(text):
        a, b = match.span()
        for i in range(last, a):  # the whitespace between tokens maps 1:1
            pieces.append(text[i])
            starts.append(i)
            ends.append(i + 1)
        token = match.group()
        fixed = ftfy.fix_text(token, normalization=None) if ftfy.badness.is_bad(token) else token
        if fixed != token:
            changed = True
            pieces.append(fixed)
            starts.extend([a] * len(fixed))
            ends.extend([b] * len(fixed))
        else:
            pieces.append(token)
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        last = b
    for i in range(last, len(text)):
        pieces.append(text[i])
        starts.append(i)
        ends.append(i + 1)
    if not changed:
        return None
    return "".join(pieces), starts, ends


def _delete(text: str, owners: list[int] | None, doomed: list[int]) -> tuple[str, list[int] | None]:
    """Remove the characters at the (unique) positions ``doomed``; ``owners=None`` is identity."""
    if not doomed:
        return text, owners
    kill = set(doomed)
    keep = [i for i in range(len(text)) if i not in kill]
    if owners is None:
        return "".join(text[i] for i in keep), keep
    return "".join(text[i] for i in keep), [owners[i] for i in keep]


def _count(pattern: re.Pattern[str], text: str) -> int:
    return pattern.subn("", text)[1]


def _replace_words(text: str, pattern: re.Pattern[str], table: dict[int, str]) -> str:
    return pattern.sub(lambda m: m.group().translate(table), text)


def _leet_word(match: re.Match[str]) -> str:
    word = match.group()
    if word.isdigit():
        return word
    if word.startswith("@"):  # a mention or handle, not leet
        return word[0] + _LEET_WORD.sub(_leet_word, word[1:]) if len(word) > 1 else word
    # "!" only stands for "i" between letters ("sh!t"), never as punctuation ("shit!").
    out = word.translate(_LEET)
    if "!" in word:
        chars = list(out)
        for i, ch in enumerate(word):
            if ch == "!" and not (0 < i < len(word) - 1):
                chars[i] = "!"
        out = "".join(chars)
    return out


def normalize(text: str, lang: str | None = None) -> NormalizedText:  # noqa: ARG001
    """Normalize ``text`` for matching, keeping a map back to the original.

    Parameters
    ----------
    text:
        The comment as the reader wrote it (untrusted).
    lang:
        The detected language. Accepted for the contract; the folds are chosen so that one
        form serves every language (Arabic-script text is folded to the Persian/Kurdish
        letter forms everywhere), so it does not change the result today.

    Returns
    -------
    NormalizedText
        ``.text`` is the matching form, ``.loose`` its 1:1 loose fold, and
        ``.to_original(start, end)`` maps a range of either back into ``text``.

    Examples
    --------
    >>> n = normalize("You are an ID10T")
    >>> n.text
    'you are an idiot'
    >>> n.to_original(11, 16)
    (11, 16)
    """
    repaired = _repair_mojibake(text)
    source = text if repaired is None else repaired[0]

    # Step 2: per character. ``owners[i]`` is the index in ``source`` behind ``folded[i]``;
    # ``None`` while that is the identity (the common case, kept cheap: no per-char lists).
    owners: list[int] | None = None
    if source.isascii():
        # NFKC and casefold are the identity on ASCII apart from case; no controls to drop.
        folded = source.lower()
    else:
        reps = {ch: _folded(ch) for ch in set(source)}
        if all(len(rep) == 1 for rep in reps.values()):
            folded = source.translate({ord(ch): rep for ch, rep in reps.items() if rep != ch})
        else:
            pieces = [reps[ch] for ch in source]
            folded = "".join(pieces)
            owners = [i for i, rep in enumerate(pieces) for _ in rep]

    # Step 3: spaced letters.
    doomed: list[int] = []
    for match in _SPACED.finditer(folded):
        start, spread = match.start(), match.group()
        separators = [m.start() for m in _SEPARATOR.finditer(spread)]
        if spread[0] in _ONE_LETTER_WORDS and len(spread) - len(separators) >= 4:
            # "a f u c k": the leading "a" is most likely a word of its own.
            second_letter = next(i for i in range(1, len(spread)) if i not in separators)
            separators = [i for i in separators if i > second_letter]
        doomed.extend(start + s for s in separators)
    folded, owners = _delete(folded, owners, doomed)

    # Steps 4 and 5: 1:1 replacements inside words.
    if not folded.isascii() and _ANY_HOMOGLYPH.search(folded):
        folded = _replace_words(folded, _MIXED_WORD, _HOMOGLYPHS)
        # A word made only of look-alikes ("ѕһіт") in otherwise Latin text is a disguise too;
        # in Russian or Greek text it is just a word.
        foreign = _count(_CYRILLIC_GREEK, folded)
        if foreign and _count(_LATIN_LETTER, folded) > foreign:
            folded = _replace_words(folded, _CONFUSABLE_WORD, _HOMOGLYPHS)
    if _LEET_HINT.search(folded):
        folded = _LEET_WORD.sub(_leet_word, folded)

    # Step 6: repeated letters.
    doomed = []
    for match in _REPEAT.finditer(folded):
        if match.group(1).isalpha():  # digits ("000") and punctuation ("!!!") stay
            doomed.extend(range(match.start() + 2, match.end()))
    folded, owners = _delete(folded, owners, doomed)

    starts: Sequence[int]
    ends: Sequence[int]
    if repaired is None:
        if owners is None:
            starts, ends = range(len(folded)), range(1, len(folded) + 1)
        else:
            starts, ends = tuple(owners), tuple(o + 1 for o in owners)
    else:
        src_starts, src_ends = repaired[1], repaired[2]
        if owners is None:
            starts, ends = tuple(src_starts), tuple(src_ends)
        else:
            starts = tuple(src_starts[o] for o in owners)
            ends = tuple(src_ends[o] for o in owners)
    return NormalizedText(text, folded, starts, ends, folded.translate(_LOOSE))


def squeeze(normalized: NormalizedText) -> tuple[str, list[int]]:
    """``loose`` with every run of a repeated letter cut to one, and the kept positions.

    Used by the lexicon to catch "fuuuuck" (``text`` keeps two letters so that "ass" and
    "bullshit" stay intact); position ``k`` of the result is ``loose[kept[k]]``.
    """
    loose = normalized.loose
    kept = [
        i for i in range(len(loose)) if i == 0 or loose[i] != loose[i - 1] or not loose[i].isalpha()
    ]
    return "".join(loose[i] for i in kept), kept
