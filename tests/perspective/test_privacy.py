"""doNotStore keeps text out of storage and logs; keys never reach the access log;
suggestscore is kept as labelled feedback per site."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from rostra.perspective.models import PerspectiveFeedback
from rostra.perspective.redact import REDACTED, RedactKeyFilter, redact_keys
from rostra.screening.analyzers.duplicates import DuplicatesAnalyzer
from rostra.screening.embedding import Embedder, get_embedder

from .conftest import RunningServer, build_app

ANALYZE = "/perspective/v1alpha1/comments:analyze"
SUGGEST = "/perspective/v1alpha1/comments:suggestscore"


def database_bytes(engine: Engine) -> bytes:
    """Everything SQLite has written for this database: the file and its write-ahead log."""
    database = engine.url.database
    assert database
    return b"".join(
        Path(database + suffix).read_bytes()
        for suffix in ("", "-wal")
        if Path(database + suffix).exists()
    )


def test_analyze_with_do_not_store_leaves_no_trace(
    app: FastAPI,
    engine: Engine,
    sessions: sessionmaker[Session],
    key: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """On rostra's full app: nothing of the text in the database files or in any log."""
    marker = "zanzibar-quokka-7731 you idiot"
    caplog.set_level(logging.DEBUG)
    with sessions() as session:
        before = session.scalar(select(func.count()).select_from(PerspectiveFeedback))
    response = TestClient(app).post(
        f"{ANALYZE}?key={key}",
        json={
            "comment": {"text": marker},
            "doNotStore": True,
            "context": {"articleAndParentComment": {"article": {"text": marker + " article"}}},
            "requestedAttributes": {"TOXICITY": {}},
        },
    )
    assert response.status_code == 200
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PerspectiveFeedback)) == before
    assert marker.encode() not in database_bytes(engine)
    assert all(marker not in record.getMessage() for record in caplog.records)


def cached_texts(app: FastAPI) -> dict[str, list[str]]:
    """Every text the shipped screen keeps in memory between comments: the shared sentence
    encoder's vectors (keyed by text) and the duplicates analyzer's shingles (keyed by text)."""
    screener = app.state.rostra.screener
    embedders: list[Embedder] = [get_embedder()]
    embedders += [
        a.embedder for a in screener.analyzers if isinstance(getattr(a, "embedder", None), Embedder)
    ]
    duplicates = [a for a in screener.analyzers if isinstance(a, DuplicatesAnalyzer)]
    assert duplicates, "the shipped screen has no duplicates analyzer any more"
    return {
        "encoder": [text for embedder in embedders for _, text in list(embedder._cache)],
        "duplicates": [text for analyzer in duplicates for text in list(analyzer._cache)],
    }


@pytest.mark.parametrize("do_not_store", [True, False])
def test_analyze_with_do_not_store_keeps_no_text_in_the_screens_caches(
    shipped_app: FastAPI, shipped_key: str, do_not_store: bool
) -> None:
    """Perspective's doNotStore covers the comment and its context: with the shipped screen,
    none of them may stay in the encoder's LRU cache or the duplicates analyzer's cache.
    Without doNotStore they do (which shows this test can see them)."""
    marker = f"quokka{uuid.uuid4().hex[:8]}"
    body = {
        "comment": {
            "text": f"The {marker} council should publish the budget figures for every district."
        },
        "doNotStore": do_not_store,
        "requestedAttributes": {"TOXICITY": {}, "OFF_TOPIC": {}},
        "context": {
            "articleAndParentComment": {
                "article": {
                    "text": f"Budget of the {marker} council\nThe council published its "
                    "budget for the districts of the province on Monday."
                },
                "parentComment": {"text": f"What did the {marker} council spend on roads?"},
            },
            "entries": [{"text": f"An earlier {marker} comment on the council budget."}],
        },
    }
    response = TestClient(shipped_app).post(f"{ANALYZE}?key={shipped_key}", json=body)
    assert response.status_code == 200, response.text
    assert "OFF_TOPIC" in response.json()["attributeScores"]
    kept = {
        cache: [t for t in texts if marker in t]
        for cache, texts in cached_texts(shipped_app).items()
    }
    if do_not_store:
        assert kept == {"encoder": [], "duplicates": []}
    else:
        assert kept["encoder"], "the encoder cached nothing: the test no longer exercises it"
        assert kept["duplicates"], "the duplicates cache is empty: the test no longer sees it"


def test_suggestscore_keeps_labelled_feedback_for_the_site(
    sessions: sessionmaker[Session], key: str
) -> None:
    app, _ = build_app(sessions)
    client = TestClient(app)
    cases = [
        ({"TOXICITY": 0}, "approved"),
        ({"TOXICITY": 1}, "rejected"),
        ({"APPROVED": 1}, "approved"),
        ({"DELETED": 1}, "rejected"),
        ({"INSULT": 0.2, "THREAT": 0.9}, "rejected"),
        ({"SOMETHING_ELSE": 1}, None),
    ]
    for index, (scores, label) in enumerate(cases):
        token = f"feedback-{index}"
        body = {
            "comment": {"text": f"comment number {index}"},
            "attributeScores": {n: {"summaryScore": {"value": v}} for n, v in scores.items()},
            "clientToken": token,
            "languages": ["EN"],
        }
        response = client.post(f"{SUGGEST}?key={key}", json=body)
        assert response.status_code == 200
        assert response.json() == {
            "clientToken": token,
            "detectedLanguages": ["en"],
            "requestedLanguages": ["EN"],
        }
        with sessions() as session:
            row = session.scalars(
                select(PerspectiveFeedback).where(PerspectiveFeedback.client_token == token)
            ).one()
        assert row.label == label, scores
        assert row.site_id == "default"
        assert row.text == f"comment number {index}"
        assert row.attribute_scores == {n: float(v) for n, v in scores.items()}
        assert row.api_token_id is not None


def test_suggestscore_with_do_not_store_keeps_the_label_only(
    engine: Engine, sessions: sessionmaker[Session], key: str
) -> None:
    marker = "papaya-heron-5512"
    app, _ = build_app(sessions)
    response = TestClient(app).post(
        f"{SUGGEST}?key={key}",
        json={
            "comment": {"text": f"{marker} is rubbish"},
            "context": {"entries": [{"text": f"{marker} context"}]},
            "attributeScores": {"DELETED": {"summaryScore": {"value": 1}}},
            "clientToken": "dns-1",
            "doNotStore": True,
        },
    )
    assert response.status_code == 200
    with sessions() as session:
        row = session.scalars(
            select(PerspectiveFeedback).where(PerspectiveFeedback.client_token == "dns-1")
        ).one()
    assert row.label == "rejected"
    assert row.text is None
    assert row.context is None
    assert marker.encode() not in database_bytes(engine)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "/perspective/v1alpha1/comments:analyze?key=rostra_abc-DEF_123",
            f"/perspective/v1alpha1/comments:analyze?key={REDACTED}",
        ),
        (
            "/p?alt=json&key=s3cr3t&prettyPrint=false",
            f"/p?alt=json&key={REDACTED}&prettyPrint=false",
        ),
        ("/p?KEY=s3cr3t", f"/p?KEY={REDACTED}"),
        ("/p?monkey=banana&api_key=x", "/p?monkey=banana&api_key=x"),
    ],
)
def test_redact_keys(line: str, expected: str) -> None:
    assert redact_keys(line) == expected


def test_access_log_never_shows_the_key(
    sessions: sessionmaker[Session], key: str, caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = build_app(sessions)
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    with RunningServer(app, access_log=True) as server:
        response = httpx.post(
            f"{server.url}{ANALYZE}?key={key}",
            json={"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}},
        )
        assert response.status_code == 200
    access = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("analyze" in line for line in access)
    assert all(key not in line for line in access)
    assert any(f"key={REDACTED}" in line for line in access)


def test_filter_rewrites_uvicorn_access_record() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/perspective/v1alpha1/comments:analyze?key=abc", "1.1", 200),
        None,
    )
    assert RedactKeyFilter().filter(record)
    assert "key=abc" not in record.getMessage()
    assert f"key={REDACTED}" in record.getMessage()
