"""The analyze wire format: attributes, thresholds, spans, languages, context, discovery."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from googleapiclient.discovery import build_from_document
from sqlalchemy.orm import Session, sessionmaker

from rostra.perspective import PerspectiveSettings
from rostra.perspective.attributes import ATTRIBUTES, REJECT_ANCHOR, REVIEW_ANCHOR
from rostra.perspective.spans import to_code_points

from .conftest import build_app

ANALYZE = "/perspective/v1alpha1/comments:analyze"


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def analyze(client: TestClient, key: str, text: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"comment": {"text": text}, **extra}
    body.setdefault("requestedAttributes", {"TOXICITY": {}})
    response = client.post(f"{ANALYZE}?key={key}", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def summary(result: dict[str, Any], name: str) -> float:
    value: float = result["attributeScores"][name]["summaryScore"]["value"]
    return value


def test_response_shape_matches_perspective(client: TestClient, key: str) -> None:
    text = "You are an idiot."
    result = analyze(client, key, text, clientToken="abc-123")
    assert set(result) == {"attributeScores", "languages", "detectedLanguages", "clientToken"}
    assert result["clientToken"] == "abc-123"
    toxicity = result["attributeScores"]["TOXICITY"]
    assert toxicity["summaryScore"]["type"] == "PROBABILITY"
    # Like Perspective: one span over the whole comment carries the summary score.
    assert toxicity["spanScores"] == [
        {"begin": 0, "end": len(text), "score": toxicity["summaryScore"]}
    ]


def test_client_token_absent_when_not_sent(client: TestClient, key: str) -> None:
    assert "clientToken" not in analyze(client, key, "hello there")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You are an idiot.", {"TOXICITY", "SEVERE_TOXICITY", "INSULT", "LIKELY_TO_REJECT"}),
        ("What the fuck.", {"TOXICITY", "SEVERE_TOXICITY", "PROFANITY", "LIKELY_TO_REJECT"}),
        (
            "They are vermin.",
            {"TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "LIKELY_TO_REJECT"},
        ),
        ("I will kill you.", {"TOXICITY", "SEVERE_TOXICITY", "THREAT", "LIKELY_TO_REJECT"}),
        ("Cheap phones, whatsapp me.", {"SPAM", "LIKELY_TO_REJECT"}),
        ("A fair point about the budget.", set()),
    ],
)
def test_each_attribute_comes_from_its_categories(
    client: TestClient, key: str, text: str, expected: set[str]
) -> None:
    result = analyze(client, key, text, requestedAttributes={name: {} for name in ATTRIBUTES})
    positive = {name for name in ATTRIBUTES if summary(result, name) > REVIEW_ANCHOR}
    assert positive == expected


def test_score_threshold_omits_attributes_below_it(client: TestClient, key: str) -> None:
    result = analyze(
        client,
        key,
        "You are an idiot.",
        requestedAttributes={
            "INSULT": {"scoreThreshold": 0.5},
            "THREAT": {"scoreThreshold": 0.5},
            "SPAM": {},
        },
    )
    assert set(result["attributeScores"]) == {"INSULT", "SPAM"}
    assert summary(result, "SPAM") == 0.0


def test_threshold_of_zero_keeps_zero_scores(client: TestClient, key: str) -> None:
    result = analyze(
        client, key, "hello there", requestedAttributes={"THREAT": {"scoreThreshold": 0}}
    )
    assert summary(result, "THREAT") == 0.0


def test_span_annotations_are_utf16_code_units(client: TestClient, key: str) -> None:
    # Each emoji is one Python character but two UTF-16 code units.
    text = "😀😀 you are an idiot 🙂 and a fuck-up"
    result = analyze(
        client,
        key,
        text,
        spanAnnotations=True,
        requestedAttributes={"INSULT": {}, "PROFANITY": {}},
    )
    utf16_length = len(text.encode("utf-16-le")) // 2
    for name, word in (("INSULT", "idiot"), ("PROFANITY", "fuck")):
        spans = result["attributeScores"][name]["spanScores"]
        assert spans[0]["begin"] == 0
        assert spans[0]["end"] == utf16_length
        evidence = spans[1:]
        assert len(evidence) == 1
        begin, end = evidence[0]["begin"], evidence[0]["end"]
        as_js = text.encode("utf-16-le")[begin * 2 : end * 2].decode("utf-16-le")
        assert as_js == word
        assert text[to_code_points(text, begin) : to_code_points(text, end)] == word
        assert evidence[0]["score"]["value"] == summary(result, name)


def test_spans_below_threshold_are_dropped(client: TestClient, key: str) -> None:
    text = "borderline remark, what the fuck"
    spans_of = {}
    for threshold in (None, 0.9):
        params = {} if threshold is None else {"scoreThreshold": threshold}
        result = analyze(
            client, key, text, spanAnnotations=True, requestedAttributes={"TOXICITY": params}
        )
        spans = result["attributeScores"]["TOXICITY"]["spanScores"]
        spans_of[threshold] = {(s["begin"], s["end"]) for s in spans}
    whole, weak, strong = (0, len(text)), (0, len("borderline")), (text.index("fuck"), len(text))
    assert spans_of[None] == {whole, weak, strong}
    assert spans_of[0.9] == {whole, strong}


def test_language_is_detected_and_reported_not_taken_from_the_hint(
    client: TestClient, key: str
) -> None:
    result = analyze(client, key, "Sen tam bir aptalsın, hiçbir şey bilmiyorsun.", languages=["en"])
    assert result["detectedLanguages"] == ["tr"]
    assert result["languages"] == ["tr"]
    assert summary(result, "TOXICITY") > 0.8


def test_article_context_feeds_off_topic(client: TestClient, key: str) -> None:
    article = "Erbil and Baghdad talks on salaries\nTalks between Erbil and Baghdad ended."
    text = "Visit my bakery for the best bread in town"
    with_article = analyze(
        client,
        key,
        text,
        requestedAttributes={"OFF_TOPIC": {}},
        context={"articleAndParentComment": {"article": {"text": article}}},
    )
    without = analyze(client, key, text, requestedAttributes={"OFF_TOPIC": {}})
    on_topic = analyze(
        client,
        key,
        "The salaries must be paid before the talks",
        requestedAttributes={"OFF_TOPIC": {}},
        context={"articleAndParentComment": {"article": {"text": article}}},
    )
    assert summary(without, "OFF_TOPIC") == 0.0
    assert summary(on_topic, "OFF_TOPIC") == 0.0
    # Off-topic is never auto-rejected by the default policy, so it stays below Discourse's 0.85.
    assert REVIEW_ANCHOR < summary(with_article, "OFF_TOPIC") < REJECT_ANCHOR


def test_snake_case_fields_and_experimental_names_are_accepted(
    client: TestClient, key: str
) -> None:
    response = client.post(
        f"{ANALYZE}?key={key}",
        json={
            "comment": {"text": "You are an idiot."},
            "requested_attributes": {"TOXICITY_EXPERIMENTAL": {"score_threshold": 0.1}},
            "client_token": "snake",
            "session_id": "s1",
            "community_id": "c1",
            "unknown_field": True,
        },
    )
    assert response.status_code == 200
    result = response.json()
    assert result["clientToken"] == "snake"
    assert summary(result, "TOXICITY_EXPERIMENTAL") > 0.8


def test_discovery_document_points_at_this_server(client: TestClient) -> None:
    response = client.get("/perspective/$discovery/rest?version=v1alpha1")
    assert response.status_code == 200
    document = response.json()
    assert document["rootUrl"] == "http://testserver/perspective/"
    assert document["name"] == "commentanalyzer"
    assert document["version"] == "v1alpha1"
    methods = document["resources"]["comments"]["methods"]
    assert methods["analyze"]["path"] == "v1alpha1/comments:analyze"
    assert methods["suggestscore"]["request"] == {"$ref": "SuggestCommentScoreRequest"}
    for ref in ("AnalyzeCommentRequest", "AnalyzeCommentResponse", "SuggestCommentScoreResponse"):
        assert ref in document["schemas"]
    service = build_from_document(document, developerKey="k")
    request = service.comments().analyze(body={"comment": {"text": "x"}})
    assert request.uri.startswith("http://testserver/perspective/v1alpha1/comments:analyze?")
    assert request.method == "POST"


def test_custom_prefix_moves_everything(sessions: sessionmaker[Session], key: str) -> None:
    app, _ = build_app(sessions, config=PerspectiveSettings(prefix="/api/commentanalyzer/"))
    client = TestClient(app)
    document = client.get("/api/commentanalyzer/$discovery/rest?version=v1alpha1").json()
    assert document["rootUrl"] == "http://testserver/api/commentanalyzer/"
    response = client.post(
        f"/api/commentanalyzer/v1alpha1/comments:analyze?key={key}",
        json={"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}},
    )
    assert response.status_code == 200
    assert client.get("/perspective/$discovery/rest").status_code == 404
