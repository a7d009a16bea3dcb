"""The training side's embedding cache: vectors on disk, keyed by what the encoder reads."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rostra.screening.embedding import QUERY_INPUT_CHARS
from rostra.training.encoder import DIM, EmbeddingCache

SHORT = "A short comment about the drone attack."
LONG = "The drone attack on the gas field cut power to the whole city again. " * 6


class Counting:
    """A deterministic stand-in encoder (the cache's contract does not need the real one)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += texts
        return np.full((len(texts), DIM), 0.5, dtype=np.float32)


def _old_shard(folder: Path, texts: Sequence[str], value: float) -> None:
    """A shard as a cache written before the comment budget existed (key = the raw text)."""
    keys = [hashlib.sha1(t.encode(), usedforsecurity=False).hexdigest() for t in texts]
    vectors = np.full((len(texts), DIM), value, dtype=np.float16)
    np.savez(folder / "emb-1.npz", keys=np.array(keys), vectors=vectors)


def test_vectors_persist_and_are_not_recomputed(tmp_path: Path) -> None:
    encoder = Counting()
    EmbeddingCache(tmp_path).embed([SHORT, LONG], encoder)
    again = Counting()
    vectors = EmbeddingCache(tmp_path).embed([SHORT, LONG], again)
    assert again.seen == []
    assert vectors.shape == (2, DIM)


def test_a_vector_cached_before_the_budget_cut_the_text_is_not_reused(tmp_path: Path) -> None:
    assert len(LONG) > QUERY_INPUT_CHARS
    _old_shard(tmp_path, [SHORT, LONG], value=0.25)
    encoder = Counting()
    vectors = EmbeddingCache(tmp_path).embed([SHORT, LONG], encoder)
    # The short text reads the same under either budget: its old vector is still right.
    assert encoder.seen == [LONG]
    assert np.allclose(vectors[0], 0.25)
    assert np.allclose(vectors[1], 0.5)
