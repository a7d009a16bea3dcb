"""Sentence embeddings for the encoder tier, with an on-disk cache for training.

Embedding the training data is the slow part of ``rostra train`` (~17 ms per text), so vectors
are cached under ``--cache DIR`` (default ``./var/cache``, never committed), content-addressed by
the text's hash: a rerun, or a run with another seed, only embeds what it has not seen.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rostra.screening.embedding import (
    MAX_INPUT_CHARS,
    QUERY_INPUT_CHARS,
    clip_text,
    get_embedder,
    model_version,
)

FloatMatrix = npt.NDArray[np.float32]
EmbedFn = Callable[[Sequence[str]], FloatMatrix]

DIM = 384


def default_embed_fn() -> EmbedFn:
    """The shared process-wide embedder (``rostra.screening.embedding``), as the screen uses it.

    Comments are embedded as E5 *queries*, L2-normalized, 384-d, read up to the same budget as
    at screening time (``QUERY_INPUT_CHARS``), so training sees what the screen sees.
    """
    embedder = get_embedder()

    def embed_shared(texts: Sequence[str]) -> FloatMatrix:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.asarray(embedder.embed_queries(list(texts)), dtype=np.float32)

    return embed_shared


def encoder_version() -> str:
    return model_version()


def _key(text: str) -> str:
    """The cache key of a comment's vector: its text, plus the encoder's comment budget
    when that budget cuts it, so a vector cached under another budget is never reused."""
    if clip_text(text, QUERY_INPUT_CHARS) != clip_text(text, MAX_INPUT_CHARS):
        text = f"query-chars={QUERY_INPUT_CHARS}\x00{text}"
    return hashlib.sha1(text.encode("utf-8", "replace"), usedforsecurity=False).hexdigest()


class EmbeddingCache:
    """Text-hash -> vector store in ``.npz`` shards under one folder (append-only)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._vectors: dict[str, FloatMatrix] = {}
        for shard in sorted(self.folder.glob("emb-*.npz")):
            with np.load(shard, allow_pickle=False) as data:
                for key, vec in zip(data["keys"].tolist(), data["vectors"], strict=True):
                    self._vectors[str(key)] = vec.astype(np.float32)

    def __len__(self) -> int:
        return len(self._vectors)

    def __contains__(self, text: str) -> bool:
        return _key(text) in self._vectors

    def _write(self, keys: list[str], vectors: FloatMatrix) -> None:
        name = f"emb-{time.time_ns()}.npz"
        tmp = self.folder / (name + ".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=vectors.astype(np.float16))
        tmp.rename(self.folder / name)

    def embed(
        self,
        texts: Sequence[str],
        embed_fn: EmbedFn | None = None,
        *,
        batch: int = 64,
        shard: int = 512,
        progress: Callable[[int, int], None] | None = None,
    ) -> FloatMatrix:
        """Vectors for ``texts`` (cached ones read, the rest embedded and cached)."""
        keys = [_key(t) for t in texts]
        todo = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items()
        )
        if todo:
            fn = embed_fn or default_embed_fn()
            pending_keys: list[str] = []
            pending: list[FloatMatrix] = []
            for start in range(0, len(todo), batch):
                chunk = todo[start : start + batch]
                vecs = fn([t for _, t in chunk])
                for (key, _), vec in zip(chunk, vecs, strict=True):
                    # Stored as float16: what training reads back is what it trains on.
                    self._vectors[key] = vec.astype(np.float16).astype(np.float32)
                    pending_keys.append(key)
                    pending.append(vec)
                if len(pending_keys) >= shard:
                    self._write(pending_keys, np.stack(pending))
                    pending_keys, pending = [], []
                if progress is not None:
                    progress(min(start + batch, len(todo)), len(todo))
            if pending_keys:
                self._write(pending_keys, np.stack(pending))
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])
