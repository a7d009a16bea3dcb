"""What keeps the accept path and the thread read cheap under load: the site-wide text limit,
the bounded screen queue and the per-process cache of rendered thread pages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select, text

from api.conftest import ARTICLE, Api, set_mode
from rostra.services import comments
from rostra.services.comments import text_fingerprint
from rostra.store.models import AuditEvent, Comment

PROMO = "Earn 500 dollars a day from home, visit cash-fast{n}.example or call +964 750 {n}{n}"
THREAD = f"/api/v1/articles/{ARTICLE['id']}/comments"


def test_fingerprint_ignores_digits_case_and_punctuation_but_not_words() -> None:
    one = text_fingerprint(PROMO.format(n=1))
    assert one is not None
    assert one == text_fingerprint(PROMO.format(n=7).upper() + " !!! (42)")
    assert one != text_fingerprint(PROMO.format(n=1).replace("home", "work"))
    assert text_fingerprint("Thank you for this report!") is None  # too short to count


def test_copies_of_one_text_past_the_limit_are_refused_before_they_are_stored(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(rate_limit_per_text=3)
    api.create_article()
    for n in range(3):
        api.post_comment(PROMO.format(n=n), author_name=f"promo {n}")
    refused = api.post_comment(PROMO.format(n=9), author_name="promo 9", expect=429)
    assert refused["code"] == "rate_limited"
    assert "copies of this text" in refused["message"]
    # Other texts, and short ones many readers write alike, are not affected.
    api.post_comment("Were the people near the airport warned before the strikes began?")
    for n in range(5):
        api.post_comment("Thank you!", author_name=f"reader {n}")
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        stored = session.scalars(select(Comment.text).where(Comment.text.like("Earn%"))).all()
    assert len(stored) == 3


def test_a_full_screen_queue_leaves_the_comment_pending_for_a_human(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_mode(api, "auto")
    full = threading.BoundedSemaphore(1)
    full.acquire()  # every slot taken
    monkeypatch.setattr(comments, "_SCREEN_SLOTS", full)
    comment = api.post_comment("[approve] a comment during a flood")
    assert comment["status"] == "pending"
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        stored = session.get(Comment, comment["id"])
        assert stored is not None
        assert stored.status == "pending"
        failed = session.scalars(
            select(AuditEvent).where(
                AuditEvent.name == "screen-failed", AuditEvent.subject_id == str(comment["id"])
            )
        ).one()
    assert "screen busy" in failed.data["error"]
    full.release()
    assert api.post_comment("[approve] after the flood")["status"] == "approved"


def _texts(api: Api) -> list[str]:
    response = api.client.get(THREAD, params={"limit": 100})
    assert response.status_code == 200, response.text
    return [c["text"] for c in response.json()["data"]]


def test_decisions_in_this_process_show_in_the_thread_at_once(api: Api) -> None:
    first = api.approved("first")
    assert _texts(api) == ["first"]  # cached from here on
    second = api.post_comment("second")
    assert _texts(api) == ["first"]
    assert api.decide(second["id"], "approve").status_code == 201
    assert _texts(api) == ["second", "first"]
    assert api.decide(first["id"], "reject", ["profanity"]).status_code == 201
    assert _texts(api) == ["second"]
    assert api.client.get(THREAD).json()["count"] == 1


def test_an_author_rename_shows_in_the_thread_at_once(api: Api) -> None:
    api.approved("hello", author_name="Old Name", author_email="reader@example.org")
    assert api.client.get(THREAD).json()["data"][0]["author_name"] == "Old Name"
    api.post_comment("again", author_name="New Name", author_email="reader@example.org")
    assert api.client.get(THREAD).json()["data"][0]["author_name"] == "New Name"


def test_a_change_from_another_process_shows_once_the_page_expires(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(thread_cache_seconds=0.3)
    api.create_article()
    comment = api.approved("soon taken down")
    assert _texts(api) == ["soon taken down"]
    engine = api.client.app.state.rostra.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:  # no ORM session: what another process looks like
        connection.execute(
            text("UPDATE comment SET status = 'rejected' WHERE id = :id"), {"id": comment["id"]}
        )
    time.sleep(0.4)
    assert _texts(api) == []


def test_without_the_cache_every_read_sees_the_database(make_api: Callable[..., Api]) -> None:
    api = make_api(thread_cache_seconds=0)
    api.create_article()
    comment = api.approved("visible")
    assert _texts(api) == ["visible"]
    engine = api.client.app.state.rostra.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE comment SET status = 'rejected' WHERE id = :id"), {"id": comment["id"]}
        )
    assert _texts(api) == []
