"""Public API: articles, posting, threads, own comments, reports, counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api.conftest import ARTICLE, Api


def test_create_article_needs_admin_and_refuses_duplicates(api: Api) -> None:
    body = {**ARTICLE, "id": "second"}
    assert api.client.post("/api/v1/articles", json=body).status_code == 401
    forbidden = api.client.post("/api/v1/articles", json=body, headers=api.moderator)
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "permission_denied"
    created = api.client.post("/api/v1/articles", json=body, headers=api.admin)
    assert created.status_code == 201
    assert created.json()["title"] == ARTICLE["title"]
    again = api.client.post("/api/v1/articles", json=body, headers=api.admin)
    assert again.status_code == 409
    assert again.json()["code"] == "article_exists"
    assert api.client.get("/api/v1/articles/second").json()["url"] == ARTICLE["url"]


def test_create_article_rejects_bad_url_and_language(api: Api) -> None:
    for bad in ({"url": "javascript:alert(1)"}, {"language": "English"}, {"id": "a b"}):
        response = api.client.post(
            "/api/v1/articles", json={**ARTICLE, "id": "x", **bad}, headers=api.admin
        )
        assert response.status_code == 422, bad
        assert response.json()["code"] == "invalid_input"


def test_post_comment_is_pending_and_returns_author_token(api: Api) -> None:
    comment = api.post_comment("A fair point about the budget.")
    assert comment["status"] == "pending"
    assert comment["reasons"] == []
    assert len(comment["author_token"]) >= 24
    # Not public while pending.
    assert api.client.get(f"/api/v1/comments/{comment['id']}").status_code == 404
    own = api.client.get(
        f"/api/v1/comments/{comment['id']}", headers={"X-Author-Token": comment["author_token"]}
    )
    assert own.status_code == 200
    assert own.json()["status"] == "pending"
    assert own.json()["text"] == "A fair point about the budget."
    wrong = api.client.get(
        f"/api/v1/comments/{comment['id']}", headers={"X-Author-Token": "not-the-token"}
    )
    assert wrong.status_code == 404


def test_post_comment_to_unknown_article_is_404(api: Api) -> None:
    response = api.client.post(
        "/api/v1/articles/nope/comments", json={"text": "hi", "author_name": "R"}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "article_not_found"


def test_rejected_comment_shows_reasons_only_to_its_author(api: Api) -> None:
    comment = api.post_comment("You people are awful.")
    assert api.decide(comment["id"], "reject", ["personal_attack"]).status_code == 201
    own = api.client.get(
        f"/api/v1/comments/{comment['id']}", headers={"X-Author-Token": comment["author_token"]}
    )
    assert own.json()["status"] == "rejected"
    assert own.json()["reasons"] == ["personal_attack"]
    assert api.client.get(f"/api/v1/comments/{comment['id']}").status_code == 404


def _all_ids(comments: list[dict[str, Any]]) -> set[int]:
    ids: set[int] = set()
    for comment in comments:
        ids.add(comment["id"])
        ids |= _all_ids(comment["replies"])
    return ids


def test_thread_lists_only_approved_with_nested_replies(api: Api) -> None:
    first = api.approved("First comment")
    api.post_comment("Still pending")
    reply = api.approved("A reply", parent_id=first["id"])
    nested = api.approved("A reply to the reply", parent_id=reply["id"])
    pending_reply = api.post_comment("Pending reply", parent_id=first["id"])
    response = api.client.get(f"/api/v1/articles/{ARTICLE['id']}/comments")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [c["id"] for c in body["data"]] == [first["id"]]
    replies = body["data"][0]["replies"]
    assert [r["id"] for r in replies] == [reply["id"]]
    assert [r["id"] for r in replies[0]["replies"]] == [nested["id"]]
    assert pending_reply["id"] not in _all_ids(body["data"])
    assert body["next"] is None


def test_thread_reply_hidden_when_its_parent_is_later_rejected(api: Api) -> None:
    first = api.approved("Top")
    reply = api.approved("Reply", parent_id=first["id"])
    api.approved("Reply to reply", parent_id=reply["id"])
    assert api.decide(reply["id"], "reject", ["off_topic"]).status_code == 201
    body = api.client.get(f"/api/v1/articles/{ARTICLE['id']}/comments").json()
    assert body["data"][0]["replies"] == []


def test_thread_cursor_pagination_both_orders(api: Api) -> None:
    ids = [api.approved(f"comment {i}")["id"] for i in range(5)]
    url = f"/api/v1/articles/{ARTICLE['id']}/comments"
    for sort, expected in (("newest", ids[::-1]), ("oldest", ids)):
        seen: list[int] = []
        cursor = None
        while True:
            params: dict[str, str | int] = {"sort": sort, "limit": 2}
            if cursor:
                params["cursor"] = cursor
            page = api.client.get(url, params=params).json()
            seen += [c["id"] for c in page["data"]]
            assert page["count"] == 5
            cursor = page["next"]
            if cursor is None:
                break
        assert seen == expected


def test_thread_rejects_foreign_or_garbage_cursor(api: Api) -> None:
    for i in range(3):
        api.approved(f"c{i}")
    url = f"/api/v1/articles/{ARTICLE['id']}/comments"
    newest_cursor = api.client.get(url, params={"limit": 1}).json()["next"]
    for cursor in ("garbage!!", newest_cursor):
        response = api.client.get(url, params={"cursor": cursor, "sort": "oldest"})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_cursor"


def test_thread_of_unknown_article_is_404(api: Api) -> None:
    assert api.client.get("/api/v1/articles/missing/comments").status_code == 404


def test_report_flags_published_comment_for_review(api: Api) -> None:
    comment = api.approved("Published")
    url = f"/api/v1/comments/{comment['id']}/reports"
    first = api.client.post(url, json={"reason": "personal_attack", "note": "rude"})
    assert first.status_code == 202
    assert first.json() == {"comment_id": comment["id"], "created": True}
    again = api.client.post(url, json={})
    assert again.json()["created"] is False
    queue = api.client.get(
        "/api/v1/moderation/queue",
        params={"reported": "true", "status": "all"},
        headers=api.moderator,
    ).json()
    assert [item["id"] for item in queue["data"]] == [comment["id"]]
    assert queue["data"][0]["open_reports"] == 1


def _queue_ids(api: Api, **params: str) -> list[int]:
    response = api.client.get("/api/v1/moderation/queue", params=params, headers=api.moderator)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def test_reported_queue_shows_reported_published_comments_without_a_status(api: Api) -> None:
    """docs/api.md: reported comments appear with ``reported=true`` until decided again."""
    reported = api.approved("Published, then reported")
    api.approved("Published, never reported")
    pending = api.post_comment("Waiting for a moderator")
    response = api.client.post(
        f"/api/v1/comments/{reported['id']}/reports", json={"reason": "personal_attack"}
    )
    assert response.status_code == 202
    assert _queue_ids(api, reported="true") == [reported["id"]]
    assert _queue_ids(api, reported="true", status="approved") == [reported["id"]]
    assert _queue_ids(api, reported="true", status="pending") == []
    # Without ``reported=true`` the default stays the pending queue.
    assert _queue_ids(api) == [pending["id"]]
    assert _queue_ids(api, reported="false") == [pending["id"]]
    # Deciding it again resolves the report: it leaves the reported queue.
    assert api.decide(reported["id"], "approve").status_code == 201
    assert _queue_ids(api, reported="true") == []


@pytest.mark.parametrize(
    "request_body",
    [
        {},  # no body and no Content-Type, as `curl -X POST URL` sends
        {"content": b"", "headers": {"Content-Type": "application/json"}},
        {"content": b"null", "headers": {"Content-Type": "application/json"}},
        {"json": {}},
    ],
    ids=["no body", "empty JSON body", "null", "empty object"],
)
def test_report_without_a_body_is_a_report_without_a_reason(
    api: Api, request_body: dict[str, Any]
) -> None:
    comment = api.approved("Published")
    response = api.client.post(f"/api/v1/comments/{comment['id']}/reports", **request_body)
    assert response.status_code == 202, response.text
    assert response.json() == {"comment_id": comment["id"], "created": True}
    detail = api.client.get(
        f"/api/v1/moderation/comments/{comment['id']}", headers=api.moderator
    ).json()
    assert [(r["reason"], r["note"]) for r in detail["reports"]] == [(None, None)]
    assert _queue_ids(api, reported="true") == [comment["id"]]


def test_report_body_must_still_be_a_json_object_when_given(api: Api) -> None:
    comment = api.approved("Published")
    url = f"/api/v1/comments/{comment['id']}/reports"
    assert api.client.post(url, json=[]).json()["code"] == "invalid_input"
    assert api.client.post(url, json={"reason": 5}).json()["code"] == "invalid_input"
    broken = api.client.post(url, content=b"{", headers={"Content-Type": "application/json"})
    assert (broken.status_code, broken.json()["code"]) == (400, "invalid_json")


def test_report_on_unpublished_or_with_unknown_reason_fails(api: Api) -> None:
    pending = api.post_comment("pending")
    response = api.client.post(f"/api/v1/comments/{pending['id']}/reports", json={})
    assert response.status_code == 404
    published = api.approved("ok")
    bad = api.client.post(f"/api/v1/comments/{published['id']}/reports", json={"reason": "ugly"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_reasons"


def test_comment_counts_for_several_articles(api: Api) -> None:
    api.create_article(id="other")
    api.approved("one")
    api.approved("two")
    api.post_comment("pending")
    api.approved("three", article_id="other")
    response = api.client.get(
        "/api/v1/comment-counts",
        params=[("article_id", ARTICLE["id"]), ("article_id", "other"), ("article_id", "none")],
    )
    assert response.status_code == 200
    assert response.json()["counts"] == {ARTICLE["id"]: 2, "other": 1, "none": 0}
    assert api.client.get("/api/v1/comment-counts").status_code == 422


def test_counts_leave_out_replies_under_a_parent_rejected_later(api: Api) -> None:
    root = api.approved("A fair question about the budget")
    reply = api.approved("Good point", parent_id=root["id"])
    api.approved("Agreed", parent_id=reply["id"])
    api.approved("Another top-level comment")
    thread = f"/api/v1/articles/{ARTICLE['id']}/comments"
    counts = f"/api/v1/comment-counts?article_id={ARTICLE['id']}"
    assert api.client.get(thread).json()["count"] == 4
    # The top-level comment is rejected after its replies were published: they are hidden
    # with it (still approved, but under a rejected parent), so neither count includes them.
    assert api.decide(root["id"], "reject", ["personal_attack"]).status_code == 201
    page = api.client.get(thread).json()
    assert [c["text"] for c in page["data"]] == ["Another top-level comment"]
    assert page["count"] == 1
    assert api.client.get(counts).json()["counts"] == {ARTICLE["id"]: 1}
    # Approved again, the whole chain is visible and counted again.
    assert api.decide(root["id"], "approve").status_code == 201
    assert api.client.get(thread).json()["count"] == 4
    assert api.client.get(counts).json()["counts"] == {ARTICLE["id"]: 4}


def test_author_fields_are_returned_as_data_not_markup(api: Api) -> None:
    evil = "<script>alert(1)</script>"
    comment = api.approved("<img src=x onerror=alert(1)>", author_name=evil)
    body = api.client.get(f"/api/v1/comments/{comment['id']}")
    assert body.headers["content-type"].startswith("application/json")
    assert body.json()["author_name"] == evil


def test_openapi_documents_every_route(make_api: Callable[..., Api]) -> None:
    api = make_api()
    schema = api.client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/articles",
        "/api/v1/articles/{article_id}/comments",
        "/api/v1/comments/{comment_id}",
        "/api/v1/comments/{comment_id}/reports",
        "/api/v1/comment-counts",
        "/api/v1/moderation/queue",
        "/api/v1/moderation/comments/{comment_id}/decisions",
        "/api/v1/auth/login",
        "/api/v1/admin/tokens",
    ):
        assert path in paths, path
