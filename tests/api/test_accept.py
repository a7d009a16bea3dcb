"""The accept path: durable first, one screen interface, moderation modes, failures stay pending."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from api.conftest import ARTICLE, Api, set_mode
from rostra.store.models import AuditEvent, Comment, Decision, Verdict
from testkit import ScriptedScreener


def _moderation(api: Api, comment_id: int) -> dict:  # type: ignore[type-arg]
    response = api.client.get(f"/api/v1/moderation/comments/{comment_id}", headers=api.moderator)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_pre_mode_never_decides_even_a_clear_violation(api: Api) -> None:
    comment = api.post_comment("go away [reject:threat]")
    assert comment["status"] == "pending"
    detail = _moderation(api, comment["id"])
    assert detail["verdict"]["recommendation"] == "reject"
    assert detail["decisions"] == []


def test_auto_mode_screen_rejects_with_policy_reasons(api: Api) -> None:
    set_mode(api, "auto")
    comment = api.post_comment("I will find you [reject:threat]")
    assert comment["status"] == "rejected"
    assert comment["reasons"] == ["threat"]
    decisions = _moderation(api, comment["id"])["decisions"]
    assert [(d["decision"], d["actor"]) for d in decisions] == [("reject", "screen")]


def test_auto_mode_screen_approves_clear_pass(api: Api) -> None:
    set_mode(api, "auto")
    comment = api.post_comment("Thanks for the report [approve]")
    assert comment["status"] == "approved"
    thread = api.client.get(f"/api/v1/articles/{ARTICLE['id']}/comments").json()
    assert [c["id"] for c in thread["data"]] == [comment["id"]]


def test_assisted_mode_rejects_but_never_approves(api: Api) -> None:
    set_mode(api, "assisted")
    assert api.post_comment("clean [approve]")["status"] == "pending"
    assert api.post_comment("spam [reject:promotion]")["status"] == "rejected"


def test_screen_reason_outside_site_policy_does_not_auto_reject(api: Api) -> None:
    set_mode(api, "auto")
    comment = api.post_comment("odd [reject:not_a_category]")
    assert comment["status"] == "pending"


def test_screen_failure_leaves_comment_pending_and_audited(api: Api) -> None:
    set_mode(api, "auto")
    comment = api.post_comment("[boom] [approve]")
    assert comment["status"] == "pending"
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        stored = session.get(Comment, comment["id"])
        assert stored is not None
        assert stored.status == "pending"
        assert session.scalars(select(Verdict)).all() == []
        names = [e.name for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "comment-accepted" in names
    assert "screen-failed" in names


def test_slow_screen_past_budget_leaves_comment_pending(make_api: Callable[..., Api]) -> None:
    api = make_api(screen=ScriptedScreener(sleep_seconds=1.5), screen_time_budget=0.2)
    api.create_article()
    set_mode(api, "auto")
    comment = api.post_comment("[slow] [approve]")
    assert comment["status"] == "pending"
    with api.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        assert session.scalars(select(Decision)).all() == []


def test_screen_gets_article_context_and_language_hint(
    api: Api, screener: ScriptedScreener
) -> None:
    api.post_comment("Which base was hit?")
    text, context = screener.seen[-1]
    assert text == "Which base was hit?"
    assert context.article is not None
    assert context.article.title == ARTICLE["title"]
    assert context.lang_hint == "en"
    assert context.author_key
    assert context.is_reply is False
    parent = api.approved("parent")
    api.post_comment("a reply", parent_id=parent["id"])
    assert screener.seen[-1][1].is_reply is True


def test_comment_is_committed_before_the_screen_runs(make_api: Callable[..., Api]) -> None:
    class PeekingScreener(ScriptedScreener):
        def screen(self, text, context):  # type: ignore[no-untyped-def]
            with runtime.sessions() as session:  # a separate connection sees the row
                self.found = session.scalars(select(Comment.text)).all()
            return super().screen(text, context)

    peeking = PeekingScreener()
    api = make_api(screen=peeking)
    runtime = api.client.app.state.rostra  # type: ignore[attr-defined]
    api.create_article()
    api.post_comment("durable first")
    assert peeking.found == ["durable first"]


def test_real_screen_fallback_never_auto_approves(make_api: Callable[..., Api]) -> None:
    from rostra.screening import Policy
    from rostra.services.screener import ReviewOnlyScreener, build_screener

    broken = Policy.default().model_copy(
        update={
            "analyzers": (
                Policy.default().analyzers[0].model_copy(update={"factory": "x.none.v1"}),
            )
        }
    )
    fallback = build_screener(broken)
    assert isinstance(fallback, ReviewOnlyScreener)
    api = make_api(screen=fallback)
    api.create_article()
    set_mode(api, "auto")
    assert api.post_comment("A perfectly nice comment.")["status"] == "pending"
