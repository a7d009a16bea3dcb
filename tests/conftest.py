"""Shared fixtures: a fresh, migrated database per test and the app built on it.

SQLite by default (a migrated template file copied per test). When
``ROSTRA_TEST_DATABASE_URL`` is set, PostgreSQL instead: one schema per xdist worker, migrated
once per session and truncated between tests, so ``pytest -n 2`` runs in parallel.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from rostra.config import Settings
from rostra.screening import Recommendation, ScreenContext, Verdict
from rostra.store import migrate
from rostra.store.db import make_engine

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
PG_URL = os.environ.get("ROSTRA_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("ROSTRA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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


@dataclass
class ScriptedScreener:
    """A tiny deterministic screen for tests, driven by markers in the comment text.

    ``[reject:<category>]`` rejects for that category, ``[approve]`` approves, ``[slow]``
    sleeps past any budget, ``[boom]`` raises; anything else is sent to review.
    """

    sleep_seconds: float = 3.0
    seen: list[tuple[str, ScreenContext]] = field(default_factory=list)

    def screen(self, text: str, context: ScreenContext) -> Verdict:
        self.seen.append((text, context))
        if "[boom]" in text:
            raise RuntimeError("scripted screen failure")
        if "[slow]" in text:
            time.sleep(self.sleep_seconds)
        recommendation, reasons = Recommendation.REVIEW, ()
        if "[approve]" in text:
            recommendation = Recommendation.APPROVE
        for token in text.split():
            if token.startswith("[reject:") and token.endswith("]"):
                recommendation, reasons = Recommendation.REJECT, (token[8:-1],)
        scores = dict.fromkeys(reasons, 0.99)
        return Verdict(
            language=context.lang_hint or "en",
            language_confidence=0.9,
            scores=scores,
            evidence=(),
            recommendation=recommendation,
            reasons=reasons,
            model_version="scripted",
            policy_version="test",
        )


@pytest.fixture
def screener() -> ScriptedScreener:
    return ScriptedScreener()
