"""The fast model's features: hashed character and word n-grams, computed in numpy.

Why not ``sklearn.feature_extraction.text.HashingVectorizer``: it produces the same kind of
features, but its per-call overhead (~0.5 ms for one comment with char + word vectorizers) is
above the classifier's whole budget (~0.3 ms a comment, for >= 1,000 comments/s through the
full screen). This hasher is a fixed, documented function of the text — the same code path in
training and at inference — so it cannot drift between the two:

* **char n-grams** (``char_wb``-style, 2–5): n-grams of `` w1 w2 … `` (words joined by one space
  and padded by one) that have no space inside them, so each n-gram stays within one word and
  may carry a boundary space at either end. Hashed with a polynomial hash over code points
  plus a 64-bit finalizer, in numpy, without a Python loop per n-gram.
* **word n-grams** (uni- and bigrams of ``\\w+`` tokens): each word hashed with CRC-32 of its
  UTF-8 bytes (stable across processes, unlike ``hash``), bigrams by mixing the two.
* Values: ``1 + log(count)``, then the whole vector is L2-normalized.

All hashes are reduced modulo ``n_features`` (a power of two); the parameters live in the
artifact manifest and loading refuses a mismatch.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from rostra.screening.normalize import normalize

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]

_WORD = re.compile(r"\w+")
_U64 = np.uint64
_MUL = _U64(0x100000001B3)
_MIX1 = _U64(0xBF58476D1CE4E5B9)
_MIX2 = _U64(0x94D049BB133111EB)
_CHAR_SEED = 0x9E3779B97F4A7C15
_WORD_SALT = _U64(0x2545F4914F6CDD1D)
_BIGRAM_SALT = _U64(0x5851F42D4C957F2D)


@dataclass(frozen=True, slots=True)
class HasherConfig:
    """Fixed hasher parameters (stored in the manifest)."""

    n_features: int = 2**20
    char_min: int = 2
    char_max: int = 5
    word_ngrams: int = 2
    #: Longest text (characters) hashed; comment text is untrusted and may be huge.
    max_chars: int = 5000
    version: str = "rostra-hasher-1"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HasherConfig:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class WordGram:
    """A word n-gram in the text: feature index and span in the *normalized* text."""

    index: int
    start: int
    end: int


def _finalize(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    h = h ^ (h >> _U64(30))
    h = h * _MIX1
    h = h ^ (h >> _U64(27))
    h = h * _MIX2
    return h ^ (h >> _U64(31))


class Hasher:
    """Turns normalized text into hashed feature indices and values."""

    def __init__(self, config: HasherConfig | None = None) -> None:
        self.config = config or HasherConfig()
        if self.config.n_features & (self.config.n_features - 1):
            raise ValueError("n_features must be a power of two")
        self._mask = _U64(self.config.n_features - 1)

    # -- pieces --------------------------------------------------------------------------------

    def char_indices(self, text: str) -> npt.NDArray[np.uint64]:
        words = text.split()
        if not words:
            return np.zeros(0, dtype=np.uint64)
        padded = " " + " ".join(words) + " "
        codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        size = len(codes)
        cfg = self.config
        if size < cfg.char_min:
            return np.zeros(0, dtype=np.uint64)
        spaces_before = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(codes == _U64(32), out=spaces_before[1:])
        hashes: list[npt.NDArray[np.uint64]] = []
        with np.errstate(over="ignore"):
            # h[i] is the hash of the n-gram starting at i; each length extends the previous.
            h = (codes ^ _U64(_CHAR_SEED)) * _MUL
            for n in range(2, cfg.char_max + 1):
                count = size - n + 1
                if count <= 0:
                    break
                h = (h[:count] ^ codes[n - 1 :]) * _MUL
                if n < cfg.char_min:
                    continue
                # keep n-grams whose interior (positions 1..n-2) has no space
                keep = spaces_before[n - 1 : n - 1 + count] == spaces_before[1 : 1 + count]
                hashes.append(h[keep] + _U64(n))
        if not hashes:
            return np.zeros(0, dtype=np.uint64)
        return _finalize(np.concatenate(hashes)) & self._mask

    def word_grams(self, text: str) -> list[WordGram]:
        """Word uni- and bigrams with their spans in ``text`` (for evidence)."""
        matches = list(_WORD.finditer(text))
        if not matches:
            return []
        raw = np.array([zlib.crc32(m.group().encode("utf-8")) for m in matches], dtype=np.uint64)
        with np.errstate(over="ignore"):
            parts = [raw ^ _WORD_SALT]
            if self.config.word_ngrams >= 2 and len(matches) > 1:
                parts.append((raw[:-1] * _MUL) ^ (raw[1:] << _U64(32)) ^ _BIGRAM_SALT)
            values = (_finalize(np.concatenate(parts)) & self._mask).tolist()
        spans = [(m.start(), m.end()) for m in matches]
        spans.extend((matches[i].start(), matches[i + 1].end()) for i in range(len(matches) - 1))
        return [
            WordGram(int(v), start, end) for v, (start, end) in zip(values, spans, strict=False)
        ]

    # -- vectors -------------------------------------------------------------------------------

    def features(self, normalized_text: str) -> tuple[IntArray, FloatArray, list[WordGram]]:
        """(unique indices, L2-normalized values, word grams) for one normalized text."""
        text = normalized_text[: self.config.max_chars]
        grams = self.word_grams(text)
        chars = self.char_indices(text)
        words = np.fromiter((g.index for g in grams), dtype=np.uint64, count=len(grams))
        all_idx = np.concatenate((chars, words)).astype(np.int64)
        if all_idx.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), grams
        idx, counts = np.unique(all_idx, return_counts=True)
        values = (1.0 + np.log(counts)).astype(np.float32)
        values /= np.float32(np.sqrt(np.dot(values, values)))
        return idx, values, grams

    def transform_normalized(self, texts: Sequence[str]) -> sp.csr_matrix:
        """A CSR matrix (len(texts) x n_features) of already-normalized texts."""
        indptr = [0]
        indices: list[IntArray] = []
        data: list[FloatArray] = []
        for text in texts:
            idx, values, _ = self.features(text)
            indices.append(idx)
            data.append(values)
            indptr.append(indptr[-1] + len(idx))
        matrix = sp.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, np.float32),
                np.concatenate(indices) if indices else np.zeros(0, np.int64),
                np.array(indptr, dtype=np.int64),
            ),
            shape=(len(texts), self.config.n_features),
            dtype=np.float32,
        )
        return matrix

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Raw texts: normalized with :func:`rostra.screening.normalize.normalize` first."""
        return self.transform_normalized([normalize(t).text for t in texts])
