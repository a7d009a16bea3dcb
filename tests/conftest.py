"""Shared fixtures: a fresh, migrated database per test and the app built on it.

SQLite by default (a migrated template file copied per test). When
``ROSTRA_TEST_DATABASE_URL`` is set, PostgreSQL instead: one schema per xdist worker, migrated
once per session and truncated between tests, so ``pytest -n 2`` runs in parallel.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from rostra.config import Settings
from rostra.store import migrate
from rostra.store.db import make_engine
from testkit import PG_URL, TEST_SECRET, ScriptedScreener


def _worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@dataclass
class DatabaseForTests:
    """Where this session's tests keep their data."""

    url_for: Callable[[Path], str]
    schema: str | None
    reset: Callable[[], None]
    backend: str = "sqlite"


@pytest.fixture(scope="session")
def test_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseForTests]:
    if PG_URL:
        schema = f"rostra_test_{_worker_id()}"
        engine = make_engine(PG_URL, schema=schema)
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        migrate.upgrade(engine, schema=schema)
        with engine.connect() as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = :schema "
                        "AND tablename <> 'alembic_version'"
                    ),
                    {"schema": schema},
                )
            ]

        def reset_pg() -> None:
            with engine.begin() as connection:
                names = ", ".join(f'"{schema}"."{t}"' for t in tables)
                connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")

        yield DatabaseForTests(lambda _: PG_URL, schema, reset_pg, backend="postgresql")
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()
        return

    template = tmp_path_factory.mktemp("template") / "rostra.db"
    engine = make_engine(f"sqlite:///{template}")
    migrate.upgrade(engine)
    engine.dispose()

    def url_for(tmp_path: Path) -> str:
        target = tmp_path / "rostra.db"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"

    yield DatabaseForTests(url_for, None, lambda: None)


@pytest.fixture
def make_settings(test_database: DatabaseForTests, tmp_path: Path) -> Callable[..., Settings]:
    """Build settings on a fresh database; keyword arguments override any setting."""
    url = test_database.url_for(tmp_path)
    test_database.reset()

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "environment": "test",
            "database_url": url,
            "database_schema": test_database.schema,
            "secret_key": TEST_SECRET,
            "var_dir": tmp_path / "var",
            "rate_limit_per_author": 1000,
            "rate_limit_per_ip": 1000,
            # The scripted screen is instant; a generous budget keeps busy CI machines from flaking.
            "screen_time_budget": 10.0,
        }
        values.update(overrides)
        return Settings(**values)

    return build


@pytest.fixture
def settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings()


@pytest.fixture
def screener() -> ScriptedScreener:
    return ScriptedScreener()
