"""Bad input (issue 2 §8): each case has a stable code and a readable message; never a 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.conftest import ARTICLE, Api

URL = f"/api/v1/articles/{ARTICLE['id']}/comments"


def _post(api: Api, body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = api.client.post(URL, json=body)
    return response.status_code, response.json()


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n", "\u3000"])
def test_empty_or_whitespace_text(api: Api, text: str) -> None:
    status, body = _post(api, {"text": text, "author_name": "R"})
    assert status == 422
    assert body["code"] == "comment_empty"
    assert body["message"] == "the comment is empty"


#: Texts that show nothing: format characters (Cf), tag characters, blank look-alikes.
INVISIBLE_ONLY = {
    "zero-width space": "\u200b",
    "byte order mark": "\ufeff",
    "braille blank": "\u2800",
    "hangul filler": "\u3164",
    "hangul choseong and jungseong fillers": "\u115f\u1160",
    "halfwidth hangul filler": "\uffa0",
    "tag characters": "\U000e0001\U000e0041\U000e007f",
    "unassigned tag block start": "\U000e0000",
    "word joiner and soft hyphen": "\u2060\u00ad",
    "variation selector": "\ufe0f",
    "mixed with spaces and newlines": " \u200b\n\u2800 \u3164\t\ufeff ",
    "many of them": "\u200b" * 30 + "\u2800" * 30,
}


@pytest.mark.parametrize("text", INVISIBLE_ONLY.values(), ids=INVISIBLE_ONLY.keys())
def test_invisible_only_text_is_empty(api: Api, text: str) -> None:
    status, body = _post(api, {"text": text, "author_name": "R"})
    assert (status, body["code"]) == (422, "comment_empty"), body
    assert body["message"].startswith("the comment is empty")
    assert body["details"]["field"] == "text"


@pytest.mark.parametrize("name", INVISIBLE_ONLY.values(), ids=INVISIBLE_ONLY.keys())
def test_invisible_only_author_name_is_refused(api: Api, name: str) -> None:
    status, body = _post(api, {"text": "hello", "author_name": name})
    assert (status, body["code"]) == (422, "invalid_input"), body
    assert body["message"].startswith("a name is needed")
    assert body["details"]["field"] == "author_name"


@pytest.mark.parametrize(
    "text",
    [
        "ok\u200b",  # a zero-width space next to a word
        "\ufeffBOM first",
        "\u3164\u1100\u1161",  # a filler before real conjoining jamo
        "\u2764\ufe0f",  # heart with its emoji variation selector
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # flag
        "\u0301",  # a lone combining mark still draws
        "\u2800\u2801",  # braille with a dot
    ],
)
def test_text_with_something_visible_is_accepted_and_stored_unchanged(api: Api, text: str) -> None:
    posted = api.post_comment(text, author_name="\u200bR\u200b")
    seen = api.client.get(
        f"/api/v1/comments/{posted['id']}", headers={"X-Author-Token": posted["author_token"]}
    ).json()
    assert seen["text"] == text.strip()  # invisible characters are kept, never removed
    assert seen["author_name"] == "\u200bR\u200b"


def test_text_over_the_limit(api: Api) -> None:
    ok, _ = _post(api, {"text": "x" * 5000, "author_name": "R"})
    assert ok == 202
    status, body = _post(api, {"text": "x" * 5001, "author_name": "R"})
    assert status == 422
    assert body["code"] == "comment_too_long"
    assert "5000" in body["message"]


def test_text_limit_is_configurable(make_api: Callable[..., Api]) -> None:
    api = make_api(comment_max_length=10)
    api.create_article()
    assert _post(api, {"text": "0123456789", "author_name": "R"})[0] == 202
    status, body = _post(api, {"text": "0123456789a", "author_name": "R"})
    assert (status, body["code"]) == (422, "comment_too_long")


@pytest.mark.parametrize(
    "text",
    [
        "evil \u202e txet",  # right-to-left override
        "fake \u202d ltr",  # left-to-right override
        "bell \x07",
        "nul \x00 inside",
        "escape \x1b[31m red",
    ],
)
def test_control_and_bidi_override_characters(api: Api, text: str) -> None:
    raw = json.dumps({"text": text, "author_name": "R"})
    response = api.client.post(URL, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "forbidden_characters"
    assert "U+" in response.json()["message"]


def test_lone_surrogate_is_refused(api: Api) -> None:
    raw = '{"text": "broken \\ud800 pair", "author_name": "R"}'
    response = api.client.post(URL, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] in {"invalid_input", "forbidden_characters"}


def test_rtl_text_with_direction_marks_is_accepted(api: Api) -> None:
    status, _ = _post(api, {"text": "سڵاو \u200f بۆ هەمووان", "author_name": "کورد"})
    assert status == 202


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ئەم \u2068Erbil Airport\u2069 داخرا", "\u2067کورد\u2069"),  # FSI…PDI, RLI…PDI
        ("\u202bالمطار مغلق\u202c since Monday", "\u202aReader\u202c"),  # RLE…PDF, LRE…PDF
        ("an isolate left open \u2066 by a phone keyboard", "Reader"),
    ],
)
def test_bidi_isolates_and_embeddings_are_accepted_and_kept_as_written(
    api: Api, text: str, name: str
) -> None:
    """Phone keyboards and messaging apps put these into ordinary RTL text; unlike overrides
    they never reverse a word, and every page isolates each comment. Kept as written."""
    status, body = _post(api, {"text": text, "author_name": name})
    assert status == 202, body
    shown = api.client.get(
        f"/api/v1/comments/{body['id']}", headers={"X-Author-Token": body["author_token"]}
    ).json()
    assert shown["text"] == text
    assert shown["author_name"] == name


def test_forbidden_characters_in_author_name(api: Api) -> None:
    status, body = _post(api, {"text": "hello", "author_name": "admin\u202e"})
    assert (status, body["code"]) == (422, "forbidden_characters")
    status, body = _post(api, {"text": "hello", "author_name": "   "})
    assert (status, body["code"]) == (422, "invalid_input")
    status, body = _post(api, {"text": "hello", "author_name": "R", "author_email": "not-an-email"})
    assert (status, body["code"]) == (422, "invalid_input")


@pytest.mark.parametrize("raw", [b"{", b"{'text': 'x'}", b"[1,", b"\xff\xfe", b'{"text": "x",}'])
def test_invalid_json(api: Api, raw: bytes) -> None:
    response = api.client.post(URL, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


#: Valid JSON that Python's reader refuses: FastAPI answered these ``400 bad_request``.
UNREADABLE_JSON = {
    "nested arrays": (b"[" * 30_000 + b"]" * 30_000, "nested too deeply"),
    "nested objects": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "nested too deeply"),
    "nested inside a field": (
        b'{"text": "x", "author_name": ' + b"[" * 30_000 + b"]" * 30_000 + b"}",
        "nested too deeply",
    ),
    "5,000-digit number": (b'{"text": ' + b"1" * 5_000 + b', "author_name": "R"}', "digits"),
    "5,000-digit parent id": (
        b'{"text": "x", "author_name": "R", "parent_id": ' + b"9" * 5_000 + b"}",
        "digits",
    ),
}


@pytest.mark.parametrize(("raw", "problem"), UNREADABLE_JSON.values(), ids=UNREADABLE_JSON.keys())
def test_json_too_deep_or_with_huge_numbers_is_invalid_json(
    api: Api, raw: bytes, problem: str
) -> None:
    assert len(raw) < api.settings.max_body_bytes  # under the limit: the parser sees it
    response = api.client.post(URL, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "invalid_json"
    assert body["message"].startswith("the request body is not valid JSON")
    assert problem in body["message"]


@pytest.mark.parametrize("length", [b"abc", b"-5", b"+5", b"1.5", b"", b"9" * 5_000])
def test_malformed_content_length_is_a_documented_error(api: Api, length: bytes) -> None:
    from rostra.api.errors import BodySizeLimit

    sent: list[dict[str, object]] = []

    async def app(scope: object, receive: object, send: object) -> None:
        raise AssertionError("the application must not see this request")

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b'{"text": "a"}', "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": URL,
        "headers": [(b"content-type", b"application/json"), (b"content-length", length)],
    }
    asyncio.run(BodySizeLimit(app, max_bytes=65_536)(scope, receive, send))  # type: ignore[arg-type]
    status = sent[0]["status"]
    body = json.loads(sent[1]["body"])  # type: ignore[arg-type]
    if len(length) > 15:
        assert (status, body["code"]) == (413, "body_too_large")
    else:
        assert (status, body["code"]) == (400, "bad_request")
        assert body["message"] == "the Content-Length header is not a whole number of bytes"


def test_non_numeric_content_length_through_the_app(api: Api) -> None:
    response = api.client.post(
        URL,
        content=b'{"text": "a", "author_name": "R"}',
        headers={"Content-Type": "application/json", "Content-Length": "abc"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert "Content-Length" in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"text": 5, "author_name": "R"},
        {"text": ["a"], "author_name": "R"},
        {"text": "hi", "author_name": 3},
        {"text": "hi", "author_name": "R", "parent_id": "1"},
        {"text": "hi", "author_name": "R", "parent_id": 1.5},
        {"text": "hi", "author_name": "R", "parent_id": 10**30},
        {"text": None},
        {"author_name": "R"},
        [],
        "text",
        None,
    ],
)
def test_wrong_types(api: Api, body: object) -> None:
    status, response = _post(api, body)
    assert status == 422
    assert response["code"] == "invalid_input"
    assert response["message"].startswith("the request is not valid")


def test_unknown_article(api: Api) -> None:
    response = api.client.post(
        "/api/v1/articles/nope/comments", json={"text": "x", "author_name": "R"}
    )
    assert (response.status_code, response.json()["code"]) == (404, "article_not_found")
    weird = api.client.post(
        "/api/v1/articles/a%00b/comments", json={"text": "x", "author_name": "R"}
    )
    assert weird.status_code == 422


def test_reply_to_missing_unapproved_or_other_article_parent(api: Api) -> None:
    api.create_article(id="elsewhere")
    pending = api.post_comment("pending parent")
    other = api.approved("approved elsewhere", article_id="elsewhere")
    for parent_id, words in (
        (9999, "does not exist"),
        (pending["id"], "not published"),
        (other["id"], "another article"),
    ):
        status, body = _post(api, {"text": "reply", "author_name": "R", "parent_id": parent_id})
        assert status == 422
        assert body["code"] == "invalid_parent"
        assert words in body["message"]


def test_oversized_body_by_content_length(api: Api) -> None:
    big = json.dumps({"text": "x" * 70_000, "author_name": "R"})
    response = api.client.post(URL, content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_oversized_body_streamed_without_content_length(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'", "author_name": "R"}'

    response = api.client.post(URL, content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


def test_unknown_route_and_wrong_method_are_json(api: Api) -> None:
    missing = api.client.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    wrong = api.client.delete(URL)
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/comments/0",
        "/api/v1/comments/-1",
        "/api/v1/comments/99999999999999999999",
        "/api/v1/comments/abc",
        f"{URL}?limit=0",
        f"{URL}?limit=1000",
        f"{URL}?sort=sideways",
    ],
)
def test_bad_path_and_query_values(api: Api, path: str) -> None:
    response = api.client.get(path)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
comment_like = st.fixed_dictionaries(
    {},
    optional={
        "text": json_values | st.text(max_size=200),
        "author_name": json_values | st.text(max_size=30),
        "author_email": json_values,
        "parent_id": json_values | st.integers(),
        "sso_token": json_values,
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=comment_like | json_values)
def test_no_input_produces_a_server_error(api: Api, body: object) -> None:
    response = api.client.post(URL, json=body)
    assert response.status_code < 500, response.text
    payload = response.json()
    if response.status_code >= 400:
        assert set(payload) == {"code", "message", "details"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_no_raw_body_produces_a_server_error(api: Api, raw: bytes) -> None:
    response = api.client.post(URL, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text


def test_an_extension_can_raise_the_body_limit_for_its_own_routes(
    make_api: Callable[..., Api],
) -> None:
    from rostra.api.errors import set_body_limit

    api = make_api()
    api.create_article()
    app = api.client.app

    @app.post("/ext/echo")  # type: ignore[attr-defined]
    def echo(body: dict[str, str]) -> dict[str, int]:
        return {"size": len(body["text"])}

    set_body_limit(app, "/ext/", 200_000)  # type: ignore[arg-type]
    big = {"text": "x" * 100_000}
    assert api.client.post("/ext/echo", json=big).json() == {"size": 100_000}
    too_big = api.client.post(URL, json={**big, "author_name": "R"})
    assert too_big.status_code == 413
