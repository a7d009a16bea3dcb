"""Real clients against a real server (rostra's ``create_app`` under uvicorn, as ``make run``
serves it): Google's Python client, and Coral's and Comentario's requests replayed byte for
byte as their source code builds them.

Coral (coral-server/src/core/server/services/perspective): analyze body
``{comment: {text}, doNotStore, requestedAttributes: {[model]: {}}, languages: [language]}``
posted to ``path.join(endpoint.pathname, "/comments:analyze")`` with ``?key=``; it reads
``data.attributeScores[model].summaryScore.value`` and holds the comment when it is
``> threshold`` (0.80 by default). Moderation feedback goes to ``{endpoint}/comments:suggestscore``
with ``attributeScores: {APPROVED|DELETED: {summaryScore: {value: 1}}}``, ``languages: ["EN"]``,
``communityId: "Coral:<tenant url>"``, ``clientToken: "comment:<id>"``, and Coral checks that the
response echoes the clientToken.

Comentario (internal/svc/perlustration_svc.go): ``{comment: {text}, requestedAttributes:
{TOXICITY: {}, SEVERE_TOXICITY: {}, ...}}`` with no languages, and compares each
``attributeScores.X.summaryScore.value`` with its threshold using ``>``.
"""

from __future__ import annotations

import json
import posixpath
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from googleapiclient.discovery import build, build_from_document
from googleapiclient.errors import HttpError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rostra.perspective.attributes import PRODUCTION_ATTRIBUTES
from rostra.perspective.models import PerspectiveFeedback

from .conftest import SAMPLES, RunningServer

CORAL_THRESHOLD = 0.80
COMENTARIO_THRESHOLD = 0.5


def google_client(server: RunningServer, key: str):  # type: ignore[no-untyped-def]
    return build(
        "commentanalyzer",
        "v1alpha1",
        discoveryServiceUrl=f"{server.url}/perspective/$discovery/rest?version={{apiVersion}}",
        developerKey=key,
        static_discovery=False,
        cache_discovery=False,
    )


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_google_python_client_analyzes_each_language(
    server: RunningServer, key: str, lang: str
) -> None:
    client = google_client(server, key)
    abusive, clean = SAMPLES[lang]
    results = {}
    for text in (abusive, clean):
        body = {
            "comment": {"text": text},
            "requestedAttributes": {name: {} for name in PRODUCTION_ATTRIBUTES},
            "clientToken": f"{lang}-sample",
        }
        results[text] = client.comments().analyze(body=body).execute()
    for response in results.values():
        assert response["detectedLanguages"] == [lang]
        assert response["clientToken"] == f"{lang}-sample"
        assert set(response["attributeScores"]) == set(PRODUCTION_ATTRIBUTES)
        for scores in response["attributeScores"].values():
            assert scores["summaryScore"]["type"] == "PROBABILITY"
            assert 0.0 <= scores["summaryScore"]["value"] <= 1.0
    toxic = results[abusive]["attributeScores"]
    assert toxic["TOXICITY"]["summaryScore"]["value"] > CORAL_THRESHOLD
    assert toxic["INSULT"]["summaryScore"]["value"] > CORAL_THRESHOLD
    assert results[clean]["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == 0.0


def test_google_python_client_from_fetched_document(server: RunningServer, key: str) -> None:
    document = httpx.get(f"{server.url}/perspective/$discovery/rest?version=v1alpha1").text
    client = build_from_document(document, developerKey=key)
    response = (
        client.comments()
        .suggestscore(
            body={
                "comment": {"text": "You idiot."},
                "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
                "clientToken": "from-document",
            }
        )
        .execute()
    )
    assert response["clientToken"] == "from-document"
    assert response["detectedLanguages"] == ["en"]


def test_google_python_client_sees_google_errors(server: RunningServer, key: str) -> None:
    client = google_client(server, key)
    with pytest.raises(HttpError) as raised:
        client.comments().analyze(
            body={"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}
        ).execute()
    assert raised.value.status_code == 400
    details = json.loads(raised.value.content)["error"]["details"]
    assert details[0]["errorType"] == "COMMENT_EMPTY"


def coral_url(endpoint: str, operation: str, key: str) -> str:
    """What Coral's sendToPerspective builds: path.join(pathname, "/<operation>") + ?key=."""
    parts = urlsplit(endpoint.strip())
    path = posixpath.join(parts.path, f"/{operation}".lstrip("/"))
    return urlunsplit((parts.scheme, parts.netloc, path, f"key={key.strip()}", ""))


@pytest.mark.parametrize(
    ("model", "text", "held"),
    [
        ("TOXICITY", "You are an idiot and your article is garbage.", True),
        ("TOXICITY", "A fair point about the budget.", False),
        ("SEVERE_TOXICITY", "I will kill you.", True),
        ("SEVERE_TOXICITY", "A fair point about the budget.", False),
    ],
)
def test_coral_analyze_request_replayed(
    server: RunningServer, key: str, model: str, text: str, held: bool
) -> None:
    # The Coral admin enters "<rostra>/perspective/v1alpha1" as the custom endpoint.
    endpoint = f"{server.url}/perspective/v1alpha1"
    body = {
        "comment": {"text": text},
        "doNotStore": True,
        "requestedAttributes": {model: {}},
        "languages": ["en"],
    }
    response = httpx.post(
        coral_url(endpoint, "comments:analyze", key),
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
        timeout=0.8,  # Coral's default perspective_timeout
    )
    assert response.status_code == 200
    score = response.json()["attributeScores"][model]["summaryScore"]["value"]
    assert isinstance(score, float)
    assert (score > CORAL_THRESHOLD) is held


def test_coral_sends_en_for_a_sorani_site(server: RunningServer, key: str) -> None:
    endpoint = f"{server.url}/perspective/v1alpha1"
    abusive = SAMPLES["ckb"][0]
    body = {
        "comment": {"text": abusive},
        "doNotStore": True,
        "requestedAttributes": {"TOXICITY": {}},
        "languages": ["en"],
    }
    response = httpx.post(coral_url(endpoint, "comments:analyze", key), json=body)
    assert response.status_code == 200
    data = response.json()
    assert data["detectedLanguages"] == ["ckb"]
    assert data["languages"] == ["ckb"]
    assert data["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > CORAL_THRESHOLD


@pytest.mark.parametrize(("status", "label"), [("APPROVED", "approved"), ("DELETED", "rejected")])
def test_coral_suggestscore_replayed(
    server: RunningServer,
    key: str,
    sessions: sessionmaker[Session],
    status: str,
    label: str,
) -> None:
    endpoint = f"{server.url}/perspective/v1alpha1"
    comment_id = f"c-{status.lower()}"
    client_token = f"comment:{comment_id}"
    body = {
        "comment": {"text": "You are an idiot."},
        "context": {
            "entries": [
                {
                    "text": json.dumps(
                        {
                            "url": f"https://news.example/story?commentID={comment_id}",
                            "reply_to_id_Coral_comment_id": None,
                            "Coral_comment_id": comment_id,
                        }
                    )
                }
            ]
        },
        "attributeScores": {status: {"summaryScore": {"value": 1}}},
        "languages": ["EN"],
        "communityId": "Coral:https://news.example/",
        "clientToken": client_token,
    }
    # Coral's notifyPerspectiveModerationDecision: `${endpoint}/${method}?key=${apiKey}`,
    # JSON.stringify(body, null, 2).
    response = httpx.post(
        f"{endpoint}/comments:suggestscore?key={key}",
        content=json.dumps(body, indent=2),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["clientToken"] == client_token
    with sessions() as session:
        row = session.scalars(
            select(PerspectiveFeedback).where(PerspectiveFeedback.client_token == client_token)
        ).one()
    assert row.label == label
    assert row.text == "You are an idiot."
    assert row.community_id == "Coral:https://news.example/"
    assert row.attribute_scores == {status: 1.0}
    assert row.context is not None
    assert comment_id in json.dumps(row.context)


def test_comentario_request_replayed(server: RunningServer, key: str) -> None:
    attrs = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")
    body = {
        "comment": {"text": "Those people are vermin, you fucking idiot."},
        "requestedAttributes": {name: {} for name in attrs},
    }
    response = httpx.post(
        f"{server.url}/perspective/v1alpha1/comments:analyze?key={key}",
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    scores = response.json()["attributeScores"]
    values = {name: scores[name]["summaryScore"]["value"] for name in attrs}
    assert all(isinstance(v, float) for v in values.values())
    for name in ("TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY"):
        assert values[name] > COMENTARIO_THRESHOLD, name
    assert values["THREAT"] <= COMENTARIO_THRESHOLD


def test_google_python_client_with_the_real_screen_in_six_languages(
    shipped_server: RunningServer, shipped_key: str
) -> None:
    """rostra's shipped screen (default policy, every analyzer), not the test word list:
    each language is detected, and Comentario's 0.5 separates the abusive sample from the
    clean one."""
    client = google_client(shipped_server, shipped_key)
    for lang, (abusive, clean) in SAMPLES.items():
        scores = {}
        for text in (abusive, clean):
            body = {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}}
            response = client.comments().analyze(body=body).execute()
            assert response["detectedLanguages"] == [lang], (lang, text)
            scores[text] = response["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
        assert scores[abusive] > COMENTARIO_THRESHOLD > scores[clean], (lang, scores)


#: Comments in rostra's other languages, as a Coral site with no Coral language of its own
#: sends them (``languages: ["en"]``). The starred ones rostra's language identification reads
#: as English when "en" is passed to it as a hint (``identify(text, hint="en")``); a hint must
#: never outweigh rostra's own detection.
CORAL_NOT_ENGLISH: list[tuple[str, str]] = [
    ("kmr", "Ez te dikujim"),  # *
    ("kmr", "Tu bêaqil î, tiştekî nizanî."),
    ("tr", "Yine mi zam geldi"),  # *
    ("tr", "Allah yağmur versin"),  # *
    ("fa", "تو یک احمق هستی"),
    ("fa", "kheili bade vali chi kar konim"),  # Finglish
    ("ckb", "ئەم نووسەرە گەمژەیە"),
    ("ar", "أنت حمار"),
    ("ar", "wallah 7aram 3alekom"),  # Arabizi
]


@pytest.mark.parametrize(("lang", "text"), CORAL_NOT_ENGLISH, ids=lambda v: str(v))
def test_coral_en_never_overrides_rostras_detection(
    shipped_server: RunningServer, shipped_key: str, lang: str, text: str
) -> None:
    """Coral's exact analyze body, on the shipped screen: the language rostra detects wins."""
    body = {
        "comment": {"text": text},
        "doNotStore": True,
        "requestedAttributes": {"TOXICITY": {}},
        "languages": ["en"],
    }
    response = httpx.post(
        coral_url(f"{shipped_server.url}/perspective/v1alpha1", "comments:analyze", shipped_key),
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["detectedLanguages"] == [lang]
    assert data["languages"] == [lang]
    assert isinstance(data["attributeScores"]["TOXICITY"]["summaryScore"]["value"], float)
