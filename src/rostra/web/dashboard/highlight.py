"""Evidence words highlighted in place, built from the screen's offsets.

The screen reports evidence as half-open ``[start, end)`` offsets into the *original* comment
text. The dashboard shows the comment as text with those ranges marked. Building the marked-up
text here, as a list of plain segments that the template escapes one by one, means no comment
character ever reaches the page unescaped, whatever the offsets say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of comment text; ``categories`` is empty when the run is not evidence."""

    text: str
    categories: tuple[str, ...] = ()

    @property
    def is_evidence(self) -> bool:
        return bool(self.categories)


def _span(item: Mapping[str, Any], length: int) -> tuple[int, int] | None:
    try:
        start = max(0, min(length, int(item["start"])))
        end = max(0, min(length, int(item["end"])))
    except (KeyError, TypeError, ValueError):
        return None
    return (start, end) if end > start else None


def distinct_spans(text: str, evidence: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The evidence without spans that lie inside another span of the same category.

    Two analyzers often mark the same words: the classifier "You are an idiot", the lexicon
    "idiot". Listing both says the same thing twice. Spans of *other* categories are kept (they
    are different reasons), and so are malformed ones (``highlight_segments`` skips those).

    Examples
    --------
    >>> spans = distinct_spans("You are an idiot", [
    ...     {"start": 11, "end": 16, "category": "personal_attack"},
    ...     {"start": 0, "end": 16, "category": "personal_attack"},
    ...     {"start": 11, "end": 16, "category": "profanity"}])
    >>> [(s["start"], s["category"]) for s in spans]
    [(0, 'personal_attack'), (11, 'profanity')]
    """
    items = list(evidence)
    bounds = [_span(item, len(text)) for item in items]
    kept: list[Mapping[str, Any]] = []
    for i, (item, span) in enumerate(zip(items, bounds, strict=True)):
        if span is not None:
            category = str(item.get("category") or "")
            inside = any(
                j != i
                and other is not None
                and str(items[j].get("category") or "") == category
                and other[0] <= span[0]
                and span[1] <= other[1]
                # Of two identical spans the first one stays.
                and (other != span or j < i)
                for j, other in enumerate(bounds)
            )
            if inside:
                continue
        kept.append(item)
    return kept


def evidence_words(text: str, evidence: Iterable[Mapping[str, Any]]) -> list[str]:
    """The distinct evidence texts to list next to a comment, in reading order."""
    words: list[str] = []
    spans = [(_span(item, len(text)), item) for item in distinct_spans(text, evidence)]
    spans.sort(key=lambda pair: pair[0][0] if pair[0] else len(text))
    for span, item in spans:
        word = str(item.get("text") or (text[span[0] : span[1]] if span else ""))
        if word and word not in words:
            words.append(word)
    return words


def highlight_segments(text: str, evidence: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """Split ``text`` into plain and evidence segments.

    Spans outside the text are clamped, empty or malformed ones ignored, and overlapping spans
    of different categories merged into one segment per boundary so that every character is
    emitted exactly once and in order.

    Examples
    --------
    >>> [(s.text, s.categories) for s in highlight_segments("you idiot", [
    ...     {"start": 4, "end": 9, "category": "personal_attack"}])]
    [('you ', ()), ('idiot', ('personal_attack',))]
    """
    length = len(text)
    spans: list[tuple[int, int, str]] = []
    for item in distinct_spans(text, evidence):
        found = _span(item, length)
        if found is not None:
            spans.append((found[0], found[1], str(item.get("category") or "")))
    if not spans:
        return [Segment(text)] if text else []
    cuts = sorted({0, length, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for left, right in pairwise(cuts):
        cats = sorted({c for s, e, c in spans if s <= left and right <= e})
        piece = text[left:right]
        if segments and tuple(cats) == segments[-1].categories:
            segments[-1] = Segment(segments[-1].text + piece, segments[-1].categories)
        else:
            segments.append(Segment(piece, tuple(cats)))
    return segments
