"""Article vectors kept on the article's row, so an article is encoded once, not per worker.

The relevance analyzer compares a comment with its article's passage vector, and each process
caches those vectors in memory only. So the first comment on an article in every
``rostra serve`` worker, and again after every restart, paid for encoding the article: about
100 ms of one core, several times a comment's own cost (docs/benchmarks.md). Now the service
keeps the vector on the article's row (``article.passage_vector``):

* a post reads it in the statement that reads the article, and it goes into the encoder's
  cache before the screen runs (:func:`prime`);
* a vector that a worker had to compute is stored with the comment's verdict, in the same
  transaction (:func:`to_keep`), and when an article is registered, by its warm-up.

The row also records which encoder and which passage the vector belongs to
(``Embedder.passage_key``), so a new encoder or a different passage never reuses a vector.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from rostra.screening.analyzers.relevance import RelevanceAnalyzer
from rostra.screening.embedding import Embedder, article_passage

log = logging.getLogger(__name__)

#: How a vector is stored: little-endian float32, whatever the machine.
STORED_DTYPE = np.dtype("<f4")


@dataclass(frozen=True, slots=True)
class KeptVector:
    """A passage vector to store on an article's row."""

    key: str
    vector: bytes


def relevance_embedder(screener: object) -> Embedder | None:
    """The encoder the screen's relevance analyzer reads articles with, if it has one.

    None for a screen without the relevance analyzer: loading an encoder for a screen that
    never uses it would cost memory.
    """
    for analyzer in getattr(screener, "analyzers", ()):
        if isinstance(analyzer, RelevanceAnalyzer):
            return analyzer.embedder
    return None


def prime(
    embedder: Embedder, *, title: str, body: str, key: str | None, vector: bytes | None
) -> bool:
    """Put an article's stored vector into the encoder's cache; False when it does not fit.

    A vector stored by another encoder, for another passage, or damaged is not used: the
    screen then computes the article's vector as if none were stored.
    """
    if key is None or vector is None:
        return False
    passage = article_passage(title, body)
    if not passage or key != embedder.passage_key(passage):
        return False
    if len(vector) != embedder.dim * STORED_DTYPE.itemsize:
        log.warning("stored article vector has %d bytes; recomputing it", len(vector))
        return False
    try:
        embedder.remember_passage(passage, np.frombuffer(vector, dtype=STORED_DTYPE))
    except ValueError as exc:
        log.warning("stored article vector not used: %s", exc)
        return False
    return True


def to_keep(
    embedder: Embedder,
    *,
    title: str,
    body: str,
    stored_key: str | None,
    stored_vector: bytes | None,
) -> KeptVector | None:
    """The article's vector to store, if the encoder has it and the row does not.

    A row whose vector is damaged (wrong length, NaN) is rewritten even under the right key:
    :func:`prime` refused it, so every worker would otherwise recompute it on every restart.
    """
    passage = article_passage(title, body)
    if not passage:
        return None
    vector = embedder.cached_passage(passage)
    if vector is None:
        return None
    kept = KeptVector(
        embedder.passage_key(passage), np.asarray(vector, dtype=STORED_DTYPE).tobytes()
    )
    if kept.key == stored_key and kept.vector == stored_vector:
        return None
    return kept
