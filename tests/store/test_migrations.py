"""Migrations: up, down and up again on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from rostra.store import migrate
from rostra.store.base import Base
from rostra.store.db import make_engine
from testkit import PG_URL

CORE_TABLES = {
    "site", "article", "author", "comment", "verdict", "decision", "ban", "moderator",
    "api_token", "audit_event", "report", "rate_counter", "login_throttle", "moderator_session",
}  # fmt: skip


def _engines(tmp_path: Path) -> Iterator[tuple[Engine, str | None]]:
    yield make_engine(f"sqlite:///{tmp_path / 'm.db'}"), None
    if PG_URL:
        schema = f"rostra_migrations_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        engine = make_engine(PG_URL, schema=schema)
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        yield engine, schema


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[list[tuple[Engine, str | None]]]:
    built = list(_engines(tmp_path))
    yield built
    for engine, schema in built:
        if schema:
            with engine.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_migrations_up_down_up(engines: list[tuple[Engine, str | None]]) -> None:
    for engine, schema in engines:
        migrate.upgrade(engine, schema=schema)
        assert _tables(engine) >= CORE_TABLES, engine.dialect.name
        migrate.downgrade(engine, "base", schema=schema)
        assert _tables(engine) == set(), engine.dialect.name
        assert migrate.current(engine) is None
        migrate.upgrade(engine, schema=schema)
        assert _tables(engine) >= CORE_TABLES


def test_models_match_the_migrations(engines: list[tuple[Engine, str | None]]) -> None:
    """Autogenerate finds nothing to do: the models and the migrations describe one schema."""
    for engine, schema in engines:
        migrate.upgrade(engine, schema=schema)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        core = [d for d in diff if _table_of(d) in CORE_TABLES]
        assert core == [], (engine.dialect.name, core)


def _table_of(diff: Any) -> str:
    item = diff[0] if isinstance(diff, list) else diff
    kind = item[0]
    if kind in ("add_table", "remove_table"):
        return str(item[1].name)
    if kind.startswith(("add_", "remove_")) and hasattr(item[1], "table"):
        return str(item[1].table.name)
    return str(item[2])  # (kind, schema, table, ...)


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_sessions_revision_goes_down_and_up(engines: list[tuple[Engine, str | None]]) -> None:
    """0002 adds the session table and token expiry; its downgrade removes exactly those."""
    for engine, schema in engines:
        migrate.upgrade(engine, "0002", schema=schema)
        assert "moderator_session" in _tables(engine)
        assert "expires_at" in {c["name"] for c in inspect(engine).get_columns("api_token")}
        migrate.downgrade(engine, "perspective_0001", schema=schema)
        assert migrate.current(engine) == "perspective_0001"
        assert "moderator_session" not in _tables(engine)
        assert "expires_at" not in {c["name"] for c in inspect(engine).get_columns("api_token")}
        assert _tables(engine) >= CORE_TABLES - {"moderator_session"}
        migrate.upgrade(engine, schema=schema)
        assert "moderator_session" in _tables(engine), engine.dialect.name
