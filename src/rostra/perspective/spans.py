"""Offsets between Python strings (code points) and Perspective's UTF-16 code units.

Perspective's ``spanScores`` give ``begin``/``end`` in UTF-16 code units, end exclusive, as
JavaScript and Java count them. Python counts code points, so every character outside the
Basic Multilingual Plane (most emoji, some CJK) counts once here and twice there.
"""

from __future__ import annotations

from collections.abc import Sequence


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class Utf16Offsets:
    """Converts code-point offsets of one text to UTF-16 offsets in O(1) after O(n) setup."""

    __slots__ = ("_prefix",)

    def __init__(self, text: str) -> None:
        prefix = [0] * (len(text) + 1)
        total = 0
        for i, ch in enumerate(text):
            total += 2 if ord(ch) > 0xFFFF else 1
            prefix[i + 1] = total
        self._prefix: Sequence[int] = prefix

    def __call__(self, offset: int) -> int:
        """The UTF-16 offset of code-point ``offset`` (0 <= offset <= len(text))."""
        if not 0 <= offset < len(self._prefix):
            raise ValueError(f"offset {offset} outside the text (length {len(self._prefix) - 1})")
        return self._prefix[offset]

    @property
    def length(self) -> int:
        return self._prefix[-1]


def to_code_points(text: str, utf16_offset: int) -> int:
    """The code-point offset of a UTF-16 offset (the inverse, used by tests and clients)."""
    return len(text.encode("utf-16-le")[: utf16_offset * 2].decode("utf-16-le", "ignore"))
