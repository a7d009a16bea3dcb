"""Enormous, deeply nested and wrongly encoded JSON bodies are refused with a 4xx JSON error on
every endpoint that reads JSON (issue 5 §3). None may produce a 5xx or hang."""

from __future__ import annotations

import json

import pytest

from .conftest import ARTICLE, World

SIMPLE_COMMENT = '{"text": "Fine reporting.", "author_name": "Reader"}'

#: Bodies no endpoint can read: nesting, broken encodings, not JSON at all, or over the limit.
STRUCTURAL: dict[str, bytes] = {
    "nested arrays 50k deep": b"[" * 50_000 + b"]" * 50_000,
    "nested objects 20k deep": b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
    "nested inside a field": b'{"text": '
    + b"[" * 30_000
    + b"]" * 30_000
    + b', "author_name": "x"}',
    "unclosed nesting": b"[" * 60_000,
    "latin-1 bytes": SIMPLE_COMMENT.replace("Fine", "Fin\xe9").encode("latin-1"),
    "invalid UTF-8 continuation": b'{"text": "\xc3\x28 \xa0\xa1", "author_name": "x"}',
    "overlong UTF-8 slash": b'{"text": "\xc0\xaf", "author_name": "x"}',
    "raw NUL byte": b'{"text": "a\x00b", "author_name": "x"}',
    "array instead of object": b'["text", "author_name"]',
    "string instead of object": b'"just a string"',
    "empty body": b"",
    "only whitespace": b" \n\t ",
    "truncated": SIMPLE_COMMENT[:-5].encode(),
    "trailing garbage": SIMPLE_COMMENT.encode() + b" trailing",
    "enormous (over the limit)": b'{"text": "' + b"A" * 2_000_000 + b'", "author_name": "x"}',
}

#: Well-formed JSON whose comment fields are hostile: the comment endpoint must refuse each.
FIELD_LEVEL: dict[str, bytes] = {
    "integer with 20k digits": b'{"text": "x", "author_name": "x", "parent_id": '
    + b"9" * 20_000
    + b"}",
    "float overflow": b'{"text": "x", "author_name": "x", "parent_id": 1e999999}',
    "NaN and Infinity": b'{"text": NaN, "author_name": Infinity}',
    "lone surrogate escape": b'{"text": "\\ud800 hi", "author_name": "x"}',
    "NUL escape": b'{"text": "a\\u0000b", "author_name": "x"}',
    "duplicate keys, the last one too long": b'{"text": "ok", "text": "'
    + b"A" * 60_000
    + b'", "author_name": "x"}',
    "10k keys": b"{" + b",".join(b'"k%d": %d' % (i, i) for i in range(10_000)) + b"}",
}

#: Well-formed Perspective requests whose comment is hostile: comments:analyze and
#: comments:suggestscore must refuse each in Google's envelope (a lone surrogate used to reach
#: fastText inside language identification and answer 500).
PERSPECTIVE_FIELD_LEVEL: dict[str, bytes] = {
    name: b'{"comment": {"text": "' + text + b'"}, "languages": ["en"], '
    b'"requestedAttributes": {"TOXICITY": {}}, '
    b'"attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}}'
    for name, text in {
        "lone surrogate escape": b"\\ud800 hi",
        "lone low surrogate escape": b"you idiot \\udfff",
        "surrogates in the wrong order": b"\\udc00\\ud800",
        "only a lone surrogate": b"\\ud800",
    }.items()
}
PERSPECTIVE_FIELD_LEVEL["lone surrogate in clientToken"] = (
    b'{"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, '
    b'"attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}, "clientToken": "\\ud800"}'
)
PERSPECTIVE_FIELD_LEVEL["lone surrogate in a context entry"] = (
    b'{"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, '
    b'"attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}, '
    b'"context": {"entries": [{"text": "\\udfff"}]}}'
)
PERSPECTIVE_FIELD_LEVEL["NaN threshold"] = (
    b'{"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": NaN}}}'
)
PERSPECTIVE_FIELD_LEVEL["integer with 20k digits"] = (
    b'{"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": '
    + b"9" * 20_000
    + b"}}}"
)

JSON_ENDPOINTS = [
    ("POST", f"/api/v1/articles/{ARTICLE['id']}/comments", "anonymous"),
    ("POST", "/api/v1/comments/{approved}/reports", "anonymous"),
    ("POST", "/api/v1/auth/login", "anonymous"),
    ("POST", "/api/v1/articles", "admin_token"),
    ("POST", "/api/v1/moderation/comments/{pending}/decisions", "moderator_token"),
    ("PATCH", "/api/v1/admin/site", "admin_token"),
    ("POST", "/api/v1/admin/tokens", "admin_token"),
    ("POST", "/moderate/api/decisions", "moderator_session"),
    ("POST", "/perspective/v1alpha1/comments:analyze", "perspective"),
]

#: Structural bodies an endpoint accepts on purpose: a report needs no body (no body, or an
#: empty one, is a report without a reason).
ACCEPTED: dict[str, frozenset[str]] = {
    "/api/v1/comments/{approved}/reports": frozenset({"empty body"}),
}


def _refused(
    world: World, method: str, url: str, caller: str, bodies: dict[str, bytes]
) -> list[str]:
    problems: list[str] = []
    for name, body in bodies.items():
        world.client.cookies.clear()
        headers = {"Content-Type": "application/json", **world.headers_for(caller)}
        response = world.client.request(method, url, content=body, headers=headers)
        if not 400 <= response.status_code < 500:
            problems.append(f"{name}: {response.status_code} {response.text[:200]}")
        elif not response.headers.get("content-type", "").startswith("application/json"):
            problems.append(f"{name}: answered {response.headers.get('content-type')}")
    return problems


@pytest.mark.parametrize(("method", "path", "caller"), JSON_ENDPOINTS, ids=lambda v: str(v))
def test_hostile_bodies_are_refused_cleanly(
    world: World, method: str, path: str, caller: str
) -> None:
    url = path.format(approved=world.approved_comment, pending=world.pending_comment)
    bodies = {n: b for n, b in STRUCTURAL.items() if n not in ACCEPTED.get(path, frozenset())}
    problems = _refused(world, method, url, caller, bodies)
    assert not problems, f"{method} {url}:\n" + "\n".join(problems)


def test_hostile_comment_fields_are_refused(world: World) -> None:
    url = f"/api/v1/articles/{ARTICLE['id']}/comments"
    problems = _refused(world, "POST", url, "anonymous", FIELD_LEVEL)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    ["/perspective/v1alpha1/comments:analyze", "/perspective/v1alpha1/comments:suggestscore"],
)
def test_hostile_perspective_fields_are_refused(world: World, path: str) -> None:
    problems = _refused(world, "POST", path, "perspective", PERSPECTIVE_FIELD_LEVEL)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_other_unicode_encodings_are_read_faithfully_or_refused(
    world: World, encoding: str
) -> None:
    """JSON in UTF-16/32 (with BOM) may be accepted, but then the text must be exactly right."""
    text = "Sorani: ئەم ڕاپۆرتە باشە, Arabic: تقرير جيد"
    body = json.dumps({"text": text, "author_name": "Reader"}, ensure_ascii=False).encode(encoding)
    response = world.client.post(
        f"/api/v1/articles/{ARTICLE['id']}/comments",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    if 400 <= response.status_code < 500:
        return
    assert response.status_code == 202, response.text
    seen = world.client.get(
        f"/api/v1/comments/{response.json()['id']}",
        headers={"X-Author-Token": response.json()["author_token"]},
    )
    assert seen.json()["text"] == text


def test_wrong_content_type_is_refused(world: World) -> None:
    url = f"/api/v1/articles/{ARTICLE['id']}/comments"
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = world.client.post(
            url, content=SIMPLE_COMMENT.encode(), headers={"Content-Type": content_type}
        )
        assert 400 <= response.status_code < 500, (content_type, response.text)


def test_the_service_still_answers_after_the_barrage(world: World) -> None:
    response = world.client.post(
        f"/api/v1/articles/{ARTICLE['id']}/comments",
        json={"text": "Still here after all that.", "author_name": "Reader"},
    )
    assert response.status_code == 202, response.text
