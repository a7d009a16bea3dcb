"""Concurrent writers: every post is answered 2xx and stored once, on SQLite as on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.conftest import ARTICLE, Api
from rostra.store.models import AuditEvent, Comment


def test_parallel_posts_are_all_stored(make_api: Callable[..., Api]) -> None:
    api = make_api()
    api.create_article()
    app = api.client.app
    writers, per_writer = 8, 8

    def write(worker: int) -> list[int]:
        statuses = []
        with TestClient(app, client=(f"198.51.{worker}.1", 1)) as client:
            for n in range(per_writer):
                response = client.post(
                    f"/api/v1/articles/{ARTICLE['id']}/comments",
                    json={"text": f"writer {worker} comment {n}", "author_name": f"w{worker}"},
                )
                statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=writers) as pool:
        statuses = [s for result in pool.map(write, range(writers)) for s in result]
    assert statuses == [202] * (writers * per_writer)
    with app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        texts = session.scalars(select(Comment.text)).all()
        accepted = session.scalar(select(func.count()).where(AuditEvent.name == "comment-accepted"))
    assert len(texts) == len(set(texts)) == writers * per_writer
    assert accepted == writers * per_writer
