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
    for item in evidence:
        try:
            start = max(0, min(length, int(item["start"])))
            end = max(0, min(length, int(item["end"])))
        except (KeyError, TypeError, ValueError):
            continue
        if end > start:
            spans.append((start, end, str(item.get("category") or "")))
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
