"""The accept path keeps its promises with its writes in Core statements: a verdict that came
in time is kept however slow its write, a verdict past the budget is dropped for good, a screen
that returns no verdict leaves the comment pending, and the screen's own decisions still reach
the per-process thread cache."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from api.conftest import ARTICLE, Api, set_mode
from rostra.services import comments
from rostra.store.models import AuditEvent, Comment, Decision
from rostra.store.models import Verdict as VerdictRow
from testkit import ScriptedScreener

THREAD = f"/api/v1/articles/{ARTICLE['id']}/comments"


def _events(api: Api, comment_id: int) -> list[AuditEvent]:
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.subject_id == str(comment_id))
                .order_by(AuditEvent.id)
            )
        )


def test_the_screens_own_approval_shows_in_the_thread_at_once(api: Api) -> None:
    set_mode(api, "auto")
    assert api.client.get(THREAD).json()["data"] == []  # the empty page is cached now
    comment = api.post_comment("[approve] well reported")
    assert comment["status"] == "approved"
    assert [c["id"] for c in api.client.get(THREAD).json()["data"]] == [comment["id"]]


def test_a_verdict_in_time_is_kept_when_recording_it_runs_past_the_budget(
    make_api: Callable[..., Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = make_api(screen_time_budget=0.2)
    api.create_article()
    set_mode(api, "auto")
    record = comments.record_screen

    def slow_record(**kwargs: Any) -> comments.AcceptedComment:
        if kwargs["verdict"] is not None:
            time.sleep(0.5)  # the database is slow; the screen itself was quick
        return record(**kwargs)

    monkeypatch.setattr(comments, "record_screen", slow_record)
    comment = api.post_comment("[approve] quick to read, slow to write")
    assert comment["status"] == "approved"
    names = [e.name for e in _events(api, comment["id"])]
    assert "screen-failed" not in names
    assert names.count("verdict-issued") == 1


def test_a_verdict_past_the_budget_is_dropped_not_recorded_later(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(screen=ScriptedScreener(sleep_seconds=0.6), screen_time_budget=0.2)
    api.create_article()
    set_mode(api, "auto")
    comment = api.post_comment("[slow] [approve]")
    assert comment["status"] == "pending"
    time.sleep(1.0)  # the abandoned screen finishes meanwhile
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        stored = session.get(Comment, comment["id"])
        assert stored is not None
        assert stored.status == "pending"
        assert session.scalars(select(VerdictRow)).all() == []
        assert session.scalars(select(Decision)).all() == []
    failed = [e for e in _events(api, comment["id"]) if e.name == "screen-failed"]
    assert len(failed) == 1
    assert "budget" in failed[0].data["error"]


def test_a_screen_returning_no_verdict_leaves_the_comment_pending(
    make_api: Callable[..., Api],
) -> None:
    class Wrong:
        def screen(self, text: str, context: Any) -> object:
            return {"recommendation": "approve"}

    api = make_api(screen=Wrong())
    api.create_article()
    set_mode(api, "auto")
    comment = api.post_comment("a comment")
    assert comment["status"] == "pending"
    [failed] = [e for e in _events(api, comment["id"]) if e.name == "screen-failed"]
    assert "not a Verdict" in failed.data["error"]
