"""Moderation API: queue and filters, decisions with history, bans."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from api.conftest import ARTICLE, Api, set_mode


def test_queue_needs_a_moderator(api: Api) -> None:
    assert api.client.get("/api/v1/moderation/queue").status_code == 401
    perspective = {"Authorization": f"Bearer {api.perspective_token}"}
    response = api.client.get("/api/v1/moderation/queue", headers=perspective)
    assert response.status_code == 403
    bad = api.client.get("/api/v1/moderation/queue", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "authentication_required"


def test_queue_oldest_first_with_article_author_and_verdict(api: Api) -> None:
    first = api.post_comment("first [reject:profanity]", author_email="a@example.org")
    second = api.post_comment("second")
    response = api.client.get("/api/v1/moderation/queue", headers=api.moderator)
    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["id"] for item in data] == [first["id"], second["id"]]
    item = data[0]
    assert item["article"] == {"id": ARTICLE["id"], "title": ARTICLE["title"]}
    assert item["verdict"]["recommendation"] == "reject"
    assert item["verdict"]["reasons"] == ["profanity"]
    assert item["author"]["pending"] == 1
    newest = api.client.get(
        "/api/v1/moderation/queue", params={"sort": "newest"}, headers=api.moderator
    ).json()["data"]
    assert [item["id"] for item in newest] == [second["id"], first["id"]]


def test_queue_author_history_counts(api: Api) -> None:
    email = {"author_email": "regular@example.org"}
    for _ in range(2):
        assert api.decide(api.post_comment("ok", **email)["id"], "approve").status_code == 201
    rejected = api.post_comment("bad", **email)
    api.decide(rejected["id"], "reject", ["profanity"])
    api.post_comment("new one", **email)
    item = api.client.get("/api/v1/moderation/queue", headers=api.moderator).json()["data"][0]
    assert (item["author"]["approved"], item["author"]["rejected"]) == (2, 1)


def test_queue_filters(api: Api) -> None:
    api.create_article(id="ckb-article", language="ckb")
    threat = api.post_comment("x [reject:threat]")
    spam = api.post_comment("y [reject:promotion]")
    kurdish = api.post_comment("سڵاو", article_id="ckb-article")
    approved = api.approved("fine")

    def ids(**params: str) -> list[int]:
        response = api.client.get("/api/v1/moderation/queue", params=params, headers=api.moderator)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["data"]]

    assert ids(category="threat") == [threat["id"]]
    assert ids(category="promotion") == [spam["id"]]
    assert ids(language="ckb") == [kurdish["id"]]
    assert ids(article_id="ckb-article") == [kurdish["id"]]
    assert ids(status="approved") == [approved["id"]]
    assert approved["id"] in ids(status="all")
    assert ids(reported="false") == [threat["id"], spam["id"], kurdish["id"]]
    bad = api.client.get(
        "/api/v1/moderation/queue", params={"status": "weird"}, headers=api.moderator
    )
    assert bad.status_code == 422


def test_queue_pagination(api: Api) -> None:
    ids = [api.post_comment(f"c{i}")["id"] for i in range(5)]
    seen: list[int] = []
    params: dict[str, str | int] = {"limit": 2}
    while True:
        page = api.client.get(
            "/api/v1/moderation/queue", params=params, headers=api.moderator
        ).json()
        seen += [item["id"] for item in page["data"]]
        if page["next"] is None:
            break
        params["cursor"] = page["next"]
    assert seen == ids


def test_decisions_are_appended_and_undo_is_a_new_decision(api: Api) -> None:
    set_mode(api, "auto")
    comment = api.post_comment("screened [reject:personal_attack]")
    assert comment["status"] == "rejected"
    undo = api.decide(comment["id"], "approve")
    assert undo.status_code == 201
    first_id = undo.json()["supersedes_id"]
    assert first_id is not None
    redo = api.decide(comment["id"], "reject", ["personal_attack", "profanity"])
    assert redo.json()["supersedes_id"] == undo.json()["id"]
    detail = api.client.get(
        f"/api/v1/moderation/comments/{comment['id']}", headers=api.moderator
    ).json()
    history = [(d["decision"], d["actor"], d["reasons"]) for d in detail["decisions"]]
    assert history == [
        ("reject", "screen", ["personal_attack"]),
        ("approve", "token:2", []),
        ("reject", "token:2", ["personal_attack", "profanity"]),
    ]
    assert detail["status"] == "rejected"
    assert detail["text"] == "screened [reject:personal_attack]"


def test_rejection_needs_a_policy_category(api: Api) -> None:
    comment = api.post_comment("hmm")
    none = api.decide(comment["id"], "reject", [])
    assert none.status_code == 422
    assert none.json()["code"] == "invalid_reasons"
    unknown = api.decide(comment["id"], "reject", ["rudeness"])
    assert unknown.status_code == 422
    assert "rudeness" in unknown.json()["message"]
    wrong = api.client.post(
        f"/api/v1/moderation/comments/{comment['id']}/decisions",
        json={"decision": "edit", "reasons": []},
        headers=api.moderator,
    )
    assert wrong.status_code == 422


def test_decision_on_missing_comment_is_404(api: Api) -> None:
    response = api.decide(9999, "approve")
    assert response.status_code == 404
    assert response.json()["code"] == "comment_not_found"
    missing = api.client.get("/api/v1/moderation/comments/9999", headers=api.moderator)
    assert missing.status_code == 404


def test_decision_resolves_open_reports(api: Api) -> None:
    comment = api.approved("published")
    api.client.post(f"/api/v1/comments/{comment['id']}/reports", json={"reason": "profanity"})
    api.decide(comment["id"], "reject", ["profanity"])
    detail = api.client.get(
        f"/api/v1/moderation/comments/{comment['id']}", headers=api.moderator
    ).json()
    assert detail["open_reports"] == 0
    assert detail["reports"][0]["resolved_at"] is not None


def _author_id(api: Api, comment_id: int) -> int:
    detail = api.client.get(f"/api/v1/moderation/comments/{comment_id}", headers=api.moderator)
    return int(detail.json()["author"]["id"])


def test_banned_author_is_refused_and_told_until_when(api: Api) -> None:
    email = {"author_email": "troll@example.org"}
    author_id = _author_id(api, api.post_comment("first", **email)["id"])
    ban = api.client.post(
        f"/api/v1/moderation/authors/{author_id}/bans",
        json={"days": 7, "reason": "repeated abuse"},
        headers=api.moderator,
    )
    assert ban.status_code == 201
    assert ban.json()["until"] is not None
    refused = api.post_comment("again", expect=403, **email)
    assert refused["code"] == "author_banned"
    assert "banned" in refused["message"]
    assert "until" in refused["message"]
    # Someone else still posts.
    api.post_comment("hello", author_email="someone@example.org")
    author = api.client.get(f"/api/v1/moderation/authors/{author_id}", headers=api.moderator)
    assert author.json()["banned"] is True
    lifted = api.client.delete(
        f"/api/v1/moderation/authors/{author_id}/bans", headers=api.moderator
    )
    assert lifted.status_code == 200
    assert lifted.json()["banned"] is False
    api.post_comment("back again", **email)
    again = api.client.delete(f"/api/v1/moderation/authors/{author_id}/bans", headers=api.moderator)
    assert again.status_code == 409
    assert again.json()["code"] == "not_banned"


def test_ban_until_lifted_and_bad_ban_requests(api: Api) -> None:
    author_id = _author_id(api, api.post_comment("x")["id"])
    forever = api.client.post(
        f"/api/v1/moderation/authors/{author_id}/bans", json={}, headers=api.moderator
    )
    assert forever.status_code == 201
    assert forever.json()["until"] is None
    refused = api.post_comment("y", expect=403)
    assert "until further notice" in refused["message"]
    for body in ({"days": 0}, {"days": -3}, {"days": "soon"}):
        response = api.client.post(
            f"/api/v1/moderation/authors/{author_id}/bans", json=body, headers=api.moderator
        )
        assert response.status_code == 422, body
    missing = api.client.post(
        "/api/v1/moderation/authors/999/bans", json={"days": 1}, headers=api.moderator
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == "author_not_found"


@pytest.mark.parametrize("days", [1e-9, 0.0001, 0.04, 0.0416])
def test_a_ban_shorter_than_an_hour_is_refused(api: Api, days: float) -> None:
    """``{"days": 1e-9}`` used to create a ban that had already expired."""
    author_id = _author_id(api, api.post_comment("x")["id"])
    response = api.client.post(
        f"/api/v1/moderation/authors/{author_id}/bans", json={"days": days}, headers=api.moderator
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "a ban lasts at least one hour" in body["message"]
    assert body["details"]["errors"][0]["field"] == "days"
    author = api.client.get(f"/api/v1/moderation/authors/{author_id}", headers=api.moderator)
    assert author.json()["bans"] == []


@pytest.mark.parametrize(
    ("days", "length"),
    [(1 / 24, timedelta(hours=1)), (0.5, timedelta(hours=12)), (1, timedelta(days=1))],
)
def test_a_ban_of_an_hour_or_more_starts_now(api: Api, days: float, length: timedelta) -> None:
    author_id = _author_id(api, api.post_comment("x")["id"])
    response = api.client.post(
        f"/api/v1/moderation/authors/{author_id}/bans", json={"days": days}, headers=api.moderator
    )
    assert response.status_code == 201, response.text
    ban = response.json()
    until = datetime.fromisoformat(ban["until"])
    created = datetime.fromisoformat(ban["created_at"])
    assert abs((until - created) - length) < timedelta(seconds=5)
    refused = api.post_comment("y", expect=403)
    assert refused["code"] == "author_banned"


def test_ban_length_refuses_non_numbers_and_non_finite_values(api: Api) -> None:
    author_id = _author_id(api, api.post_comment("x")["id"])
    url = f"/api/v1/moderation/authors/{author_id}/bans"
    for raw in (b'{"days": NaN}', b'{"days": Infinity}', b'{"days": -Infinity}', b'{"days": 3651}'):
        response = api.client.post(
            url, content=raw, headers={**api.moderator, "Content-Type": "application/json"}
        )
        assert response.status_code == 422, raw
        assert response.json()["code"] == "invalid_input"
