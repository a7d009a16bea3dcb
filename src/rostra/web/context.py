"""What the web pages share: settings, a database session factory and the Jinja environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker

WEB_DIR = Path(__file__).parent
RTL_LANGUAGES = frozenset({"ar", "ckb", "fa"})
WIDGET_LANGUAGES = ("en", "ar", "ckb", "kmr", "tr", "fa")


@cache
def widget_strings(lang: str) -> dict[str, Any]:
    """The widget's strings for ``lang`` (falls back to English): one source for both UIs."""
    code = lang if lang in WIDGET_LANGUAGES else "en"
    path = WEB_DIR / "widget" / "i18n" / f"{code}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def text_direction(lang: str | None) -> str:
    return "rtl" if (lang or "") in RTL_LANGUAGES else "ltr"


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader([WEB_DIR / "templates", WEB_DIR / "dashboard" / "templates"]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["text_direction"] = text_direction
    return env


@dataclass
class WebContext:
    settings: Any
    _own_sessions: sessionmaker[Session] | None = None
    app: FastAPI | None = None
    templates: Environment = field(default_factory=_templates)

    @classmethod
    def for_app(cls, app: FastAPI, settings: Any) -> WebContext:
        if settings is None:
            from rostra.config import Settings

            settings = Settings()
        return cls(settings=settings, app=app)

    def session_factory(self) -> sessionmaker[Session]:
        """The service's session factory when it publishes one on ``app.state``, else our own."""
        if self.app is not None:
            runtime = getattr(self.app.state, "rostra", None)
            found = getattr(runtime, "sessions", None)
            if isinstance(found, sessionmaker):
                return found
        if self._own_sessions is None:
            from rostra.store.db import make_engine, make_session_factory

            engine = make_engine(
                self.settings.database_url,
                schema=getattr(self.settings, "database_schema", None),
            )
            self._own_sessions = make_session_factory(engine)
        return self._own_sessions

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.session_factory()() as session:
            yield session

    @property
    def site_id(self) -> str:
        return str(getattr(self.settings, "site_id", "default"))


def web_context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.rostra_web
    return ctx
