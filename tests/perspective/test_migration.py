"""The feedback table's migration matches its model, and goes up and down, on SQLite and on
PostgreSQL (``ROSTRA_TEST_DATABASE_URL``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from rostra.perspective.models import PerspectiveFeedback
from rostra.store import migrate
from rostra.store.base import Base
from rostra.store.db import make_engine

TABLE = PerspectiveFeedback.__tablename__
PG_URL = os.environ.get("ROSTRA_TEST_DATABASE_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, str | None]]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine, None
        engine.dispose()
        return
    if not PG_URL:
        pytest.skip("set ROSTRA_TEST_DATABASE_URL to run against PostgreSQL")
    schema = f"rostra_perspective_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    engine = make_engine(PG_URL, schema=schema)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    yield engine, schema
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


def _mentions_table(diff: Any) -> bool:
    return TABLE in repr(diff)


def test_feedback_model_matches_its_migration(engine: tuple[Engine, str | None]) -> None:
    db, schema = engine
    migrate.upgrade(db, schema=schema)
    with db.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert [d for d in diff if _mentions_table(d)] == []


def test_feedback_migration_up_down_up(engine: tuple[Engine, str | None]) -> None:
    db, schema = engine
    migrate.upgrade(db, schema=schema)
    assert TABLE in inspect(db).get_table_names()
    migrate.downgrade(db, "0001", schema=schema)
    assert TABLE not in inspect(db).get_table_names()
    assert "api_token" in inspect(db).get_table_names()
    migrate.upgrade(db, schema=schema)
    assert TABLE in inspect(db).get_table_names()
