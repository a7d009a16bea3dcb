"""Fixtures: a migrated SQLite database, real API tokens, and a screen with a known analyzer.

The screen is rostra's real :class:`Screen` (real normalization, language identification and
policy) running one deterministic word-list analyzer, so tests can assert exact categories and
spans whatever the shipped analyzers currently score.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from rostra.api.app import create_app
from rostra.config import Settings
from rostra.perspective import PerspectiveSettings, mount
from rostra.perspective.router import PerspectiveEndpoint
from rostra.screening import Policy, Screen, ScreenDoc, Signal, Span
from rostra.services.accounts import create_api_token
from rostra.services.ratelimit import RateLimiter
from rostra.services.screener import Screener
from rostra.store import migrate
from rostra.store.db import make_engine

#: word -> (category, score). One clear word per language, plus an identity attack and spam.
WORDS: Mapping[str, tuple[str, float]] = {
    "idiot": ("personal_attack", 0.95),
    "fuck": ("profanity", 0.97),
    "vermin": ("racism", 0.93),
    "whatsapp": ("promotion", 0.9),
    "حمار": ("personal_attack", 0.9),
    "گەمژە": ("personal_attack", 0.95),
    "bêaqil": ("personal_attack", 0.95),
    "aptal": ("personal_attack", 0.9),
    "احمق": ("personal_attack", 0.9),
    "borderline": ("vulgarity", 0.5),
    "kill you": ("threat", 0.96),
}

#: One abusive and one clean comment per rostra language (distinctive letters so that
#: rostra's language identification can tell them apart).
SAMPLES: Mapping[str, tuple[str, str]] = {
    "en": (
        "You are an idiot and your article is garbage.",
        "A fair point about the budget, thank you for the report.",
    ),
    "ar": (
        "أنت حمار ولا تفهم شيئا في السياسة",
        "شكرا على هذا التقرير المفيد عن الميزانية",
    ),
    "ckb": (
        "ئەم نووسەرە گەمژەیە و هیچ نازانێت",
        "سوپاس بۆ ئەم ڕاپۆرتە باشە دەربارەی بودجە",
    ),
    "kmr": (
        "Tu bêaqil î, tiştekî nizanî.",
        "Spas ji bo vê nûçeyê, ez bi te re me.",
    ),
    "tr": (
        "Sen tam bir aptalsın, hiçbir şey bilmiyorsun.",
        "Bütçe hakkında güzel bir haber, teşekkürler.",
    ),
    "fa": (
        "تو یک احمق هستی و هیچ چیز نمی‌فهمی",
        "ممنون برای این گزارش خوب درباره بودجه",
    ),
}


class WordListAnalyzer:
    """Flags each listed word where it occurs in the original text (case-insensitive)."""

    name = "tests.wordlist.v1"

    def __init__(self, words: Mapping[str, tuple[str, float]]) -> None:
        self.words = dict(words)

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        lowered = doc.text.lower()
        signals: list[Signal] = []
        for word, (category, score) in self.words.items():
            start = lowered.find(word)
            if start >= 0:
                end = start + len(word)
                span = Span(start, end, doc.text[start:end])
                signals.append(Signal(category, score, self.name, (span,)))
        return signals


class ArticleOverlapAnalyzer:
    """Off-topic when an article is given and the comment shares none of its longer words."""

    name = "tests.overlap.v1"

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        article = doc.context.article
        if article is None:
            return []
        article_text = (article.title + " " + article.body).lower()
        article_words = {w for w in article_text.split() if len(w) > 4}
        comment_words = {w.strip(".,!?") for w in doc.text.lower().split()}
        if article_words & comment_words:
            return []
        return [Signal("off_topic", 0.97, self.name)]


class BrokenAnalyzer:
    name = "tests.broken.v1"

    def analyze(self, doc: ScreenDoc) -> list[Signal]:
        raise RuntimeError("model file missing")


def make_screen(*analyzers: object) -> Screen:
    chosen = analyzers or (WordListAnalyzer(WORDS), ArticleOverlapAnalyzer())
    return Screen(Policy.default(), chosen)  # type: ignore[arg-type]


def _app_on_a_new_database(
    tmp_path_factory: pytest.TempPathFactory, name: str, *, screener: Screener | None
) -> FastAPI:
    """rostra's app on a freshly migrated SQLite database; ``screener`` None is the shipped one."""
    folder = Path(tmp_path_factory.mktemp(name))
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{folder / 'rostra.db'}",
        secret_key="perspective-tests-secret-0123456789",
        var_dir=folder / "var",
    )
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    engine.dispose()
    return create_app(settings, screener=screener)


@pytest.fixture(scope="module")
def rostra_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """rostra's own app (what ``make run`` serves) on a migrated SQLite database."""
    app = _app_on_a_new_database(tmp_path_factory, "perspective", screener=make_screen())
    yield app
    app.state.rostra.engine.dispose()


@pytest.fixture(scope="module")
def engine(rostra_app: FastAPI) -> Engine:
    engine: Engine = rostra_app.state.rostra.engine
    return engine


@pytest.fixture(scope="module")
def sessions(rostra_app: FastAPI) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = rostra_app.state.rostra.sessions
    return sessions


def new_token(sessions: sessionmaker[Session], role: str = "perspective") -> str:
    with sessions() as session:
        _row, token = create_api_token(session=session, name="coral", role=role, actor="test")
        session.commit()
    return token


@pytest.fixture
def key(sessions: sessionmaker[Session]) -> str:
    """A fresh perspective-role token (fresh, so each test has its own rate-limit window)."""
    return new_token(sessions)


def build_app(
    sessions: sessionmaker[Session],
    *,
    screen: Screen | None = None,
    config: PerspectiveSettings | None = None,
    limiter: RateLimiter | None = None,
) -> tuple[FastAPI, PerspectiveEndpoint]:
    app = FastAPI()
    endpoint = mount(
        app,
        None,
        screen=screen or make_screen(),
        sessions=sessions,
        limiter=limiter,
        config=config or PerspectiveSettings(rate_limit=1000),
    )
    assert endpoint is not None
    return app, endpoint


@pytest.fixture(scope="module")
def app(rostra_app: FastAPI) -> FastAPI:
    return rostra_app


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """rostra's app with its shipped screen (default policy, every analyzer), not the test word
    list: what ``make run`` serves."""
    app = _app_on_a_new_database(tmp_path_factory, "shipped-screen", screener=None)
    assert isinstance(app.state.rostra.screener, Screen)
    yield app
    app.state.rostra.engine.dispose()


@pytest.fixture(scope="module")
def shipped_key(shipped_app: FastAPI) -> str:
    """A perspective-role token on :func:`shipped_app`."""
    return new_token(shipped_app.state.rostra.sessions)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningServer:
    """A real uvicorn server on localhost in a background thread."""

    def __init__(self, app: FastAPI, *, access_log: bool = False) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            access_log=access_log,
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[RunningServer]:
    with RunningServer(app) as running:
        yield running


@pytest.fixture(scope="module")
def shipped_server(shipped_app: FastAPI) -> Iterator[RunningServer]:
    with RunningServer(shipped_app) as running:
        yield running
