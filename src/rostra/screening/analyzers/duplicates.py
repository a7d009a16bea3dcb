"""``rostra.duplicates.v1``: near-duplicates of recent comments (copy-paste spam and floods).

Each text is reduced to a key (casefolded, digits folded, everything but letters and digits
collapsed to one space) and then to its set of character 5-grams; two comments are near
duplicates when the Jaccard similarity of those sets is at least ``threshold``. Exact shingle
sets are cheap enough for the last ``max_recent`` comments (``ScreenContext.recent_texts``),
and a length check skips pairs that cannot reach the threshold, so no MinHash is needed at this
scale.

The outcome is a ``promotion`` signal, because repeating the same text is what spam does:

* a repeated comment that also carries a link, phone number, handle or wallet scores
  ``with_contact_score`` (rejects by default): that is a spam run;
* otherwise ``repeat_score`` (review), rising to ``flood_score`` when the text was already
  seen ``flood_count`` times: a human decides whether it is a flood or a reader's double post.

Short comments (under ``min_chars`` characters of key) are never compared: many readers write
"Great article, thank you" independently.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any

from rostra.screening.analyzers.promotion import DIGITS, EMAIL, HANDLE, PHONE, URL, WALLET
from rostra.screening.registry import register
from rostra.screening.types import ScreenDoc, Signal, Span

NAME = "rostra.duplicates.v1"
_NON_WORD = re.compile(r"[\W_]+")
_SHINGLE = 5
#: Reduced texts kept between comments. The recent texts of a site come back with every new
#: comment, so a few hundred per site are what the cache is for; past the limit the least
#: recently used entry goes, so memory stays flat under a long load (issue 5 §1).
_CACHE_LIMIT = 1024


def duplicate_key(text: str) -> str:
    """The form two texts are compared in."""
    return _NON_WORD.sub(" ", text.translate(DIGITS).casefold()).strip()


def shingles(key: str) -> frozenset[str]:
    if len(key) <= _SHINGLE:
        return frozenset({key}) if key else frozenset()
    return frozenset(key[i : i + _SHINGLE] for i in range(len(key) - _SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@register(NAME, emits=frozenset({"promotion"}))
class DuplicatesAnalyzer:
    """Near-duplicate and flood detection across ``ScreenContext.recent_texts``.

    Parameters
    ----------
    threshold:
        Jaccard similarity of character 5-gram sets at or above which two comments are near
        duplicates.
    min_chars:
        Comments whose comparison key is shorter than this are never compared.
    max_recent:
        How many of the most recent texts are compared (the newest are last in the context).
    repeat_score, flood_score, with_contact_score:
        The ``promotion`` score for a repeat, a flood (``flood_count`` or more repeats) and a
        repeat carrying a link, number, handle or wallet.
    flood_count:
        Repeats from which a repeat is a flood.
    """

    name = NAME
    version = NAME

    def __init__(
        self,
        *,
        threshold: float = 0.8,
        min_chars: int = 25,
        max_recent: int = 200,
        repeat_score: float = 0.55,
        flood_score: float = 0.7,
        with_contact_score: float = 0.9,
        flood_count: int = 3,
        **unknown: Any,
    ) -> None:
        if unknown:
            raise TypeError(f"{NAME}: unknown settings {sorted(unknown)}")
        for value in (threshold, repeat_score, flood_score, with_contact_score):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{NAME}: scores and threshold must be in [0, 1]")
        if min_chars < 1 or max_recent < 1 or flood_count < 1:
            raise ValueError(f"{NAME}: min_chars, max_recent and flood_count must be positive")
        self.threshold = threshold
        self.min_chars = min_chars
        self.max_recent = max_recent
        self.repeat_score = repeat_score
        self.flood_score = flood_score
        self.with_contact_score = with_contact_score
        self.flood_count = flood_count
        # text -> (key length, shingles): a pure cache (same input, same output), least
        # recently used out first. The same recent texts come back with every new comment, so
        # each is reduced once.
        # Screens run in a thread pool and share this analyzer.
        self._cache: OrderedDict[str, tuple[int, frozenset[str]]] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _reduced(self, text: str, *, remember: bool = True) -> tuple[int, frozenset[str]]:
        with self._cache_lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        key = duplicate_key(text)
        cached = (len(key), shingles(key) if len(key) >= self.min_chars else frozenset())
        if not remember:  # ScreenContext.ephemeral: keep nothing of this text
            return cached
        with self._cache_lock:
            self._cache[text] = cached
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.popitem(last=False)
        return cached

    def repeats(self, text: str, recent: tuple[str, ...], *, remember: bool = True) -> int:
        """How many of the recent texts are near duplicates of ``text``.

        ``remember=False`` caches none of these texts (already cached ones are still used).
        """
        if not recent:
            return 0
        length, mine = self._reduced(text, remember=remember)
        if length < self.min_chars:
            return 0
        count = 0
        for other in recent[-self.max_recent :]:
            other_length, theirs = self._reduced(other, remember=remember)
            if other_length < self.min_chars:
                continue
            shorter, longer = sorted((length, other_length))
            if shorter < self.threshold * longer:
                continue  # Jaccard cannot reach the threshold
            if jaccard(mine, theirs) >= self.threshold:
                count += 1
        return count

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        count = self.repeats(doc.text, doc.context.recent_texts, remember=not doc.context.ephemeral)
        if count == 0:
            return []
        digits = doc.text.translate(DIGITS)
        contact = any(
            pattern.search(source)
            for pattern, source in (
                (URL, doc.text),
                (PHONE, digits),
                (EMAIL, doc.text),
                (HANDLE, doc.text),
                (WALLET, doc.text),
            )
        )
        if contact:
            score = self.with_contact_score
        elif count >= self.flood_count:
            score = self.flood_score
        else:
            score = self.repeat_score
        stripped = doc.text.strip()
        start = doc.text.find(stripped) if stripped else 0
        span = Span(start, start + len(stripped), stripped)
        return [Signal("promotion", score, NAME, (span,) if stripped else ())]
