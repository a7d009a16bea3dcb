"""The accept path: durable first, one screen interface, moderation modes, failures stay pending."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from api.conftest import ARTICLE, Api, set_mode
from rostra.screening import ScreenContext, Verdict
from rostra.store.models import AuditEvent, Comment, Decision
from rostra.store.models import Verdict as VerdictRow
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
        assert session.scalars(select(VerdictRow)).all() == []
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


class GatedScreener(ScriptedScreener):
    """A slow screen: it starts reading, then waits until the test lets it finish.

    The wait stands for a screen that takes a second or more; the gate makes "the moderator
    decides while the screen runs" certain instead of a matter of timing.
    """

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.release = threading.Event()

    def screen(self, text: str, context: ScreenContext) -> Verdict:
        self.started.set()
        assert self.release.wait(timeout=30), "the test never released the screen"
        return super().screen(text, context)


@pytest.mark.parametrize(
    ("text", "moderator", "expected_reasons"),
    [
        ("Fine reporting. [approve]", "reject", ["personal_attack"]),  # the audit's case
        ("I will find you [reject:threat]", "approve", []),
        ("[boom] [approve]", "reject", ["personal_attack"]),  # a failed screen answers truly too
    ],
)
def test_a_moderator_decision_made_while_the_screen_runs_is_never_overruled(
    make_api: Callable[..., Api], text: str, moderator: str, expected_reasons: list[str]
) -> None:
    gated = GatedScreener()
    api = make_api(screen=gated)
    api.create_article()
    set_mode(api, "auto")
    with ThreadPoolExecutor(max_workers=1) as pool:
        posting = pool.submit(api.post_comment, text)
        assert gated.started.wait(timeout=30)
        queue = api.client.get("/api/v1/moderation/queue", headers=api.moderator).json()
        [pending] = queue["data"]
        decided = api.decide(pending["id"], moderator, expected_reasons)
        assert decided.status_code == 201, decided.text
        gated.release.set()
        answer = posting.result(timeout=30)
    final = "approved" if moderator == "approve" else "rejected"
    assert (answer["id"], answer["status"], answer["reasons"]) == (
        pending["id"],
        final,
        expected_reasons,
    )
    detail = _moderation(api, answer["id"])
    assert detail["status"] == final
    assert [(d["decision"], d["actor"]) for d in detail["decisions"]] == [
        (moderator, decided.json()["actor"])
    ]
    if "[boom]" not in text:  # the verdict is still kept for the moderator
        assert len(detail["verdicts"]) == 1
    seen = api.client.get(
        f"/api/v1/comments/{answer['id']}", headers={"X-Author-Token": answer["author_token"]}
    ).json()
    assert seen["status"] == final
    thread = api.client.get(f"/api/v1/articles/{ARTICLE['id']}/comments").json()
    assert [c["id"] for c in thread["data"]] == ([answer["id"]] if final == "approved" else [])


def test_a_slow_screen_still_decides_when_nobody_else_did(make_api: Callable[..., Api]) -> None:
    api = make_api(screen=ScriptedScreener(sleep_seconds=0.3))
    api.create_article()
    set_mode(api, "auto")
    comment = api.post_comment("[slow] [reject:threat]")
    assert (comment["status"], comment["reasons"]) == ("rejected", ["threat"])
    assert [d["actor"] for d in _moderation(api, comment["id"])["decisions"]] == ["screen"]
