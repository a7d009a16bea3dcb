"""Store tests: sessions on a fresh, migrated database (SQLite, or PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from rostra.config import Settings
from rostra.store.db import make_engine, make_session_factory


@pytest.fixture
def sessions(make_settings: Callable[..., Settings]) -> Iterator[sessionmaker[Session]]:
    settings = make_settings()
    engine: Engine = make_engine(settings.database_url, schema=settings.database_schema)
    yield make_session_factory(engine)
    engine.dispose()
