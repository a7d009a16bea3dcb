"""Run the Alembic migrations shipped in ``rostra/store/migrations`` from code or the CLI."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def alembic_config(engine: Engine, *, schema: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "rostra.store:migrations")
    config.attributes["engine"] = engine
    config.attributes["schema"] = schema
    return config


def upgrade(engine: Engine, revision: str = "head", *, schema: str | None = None) -> None:
    """Bring the database at ``engine`` up to ``revision`` (default: the newest)."""
    if schema and engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    command.upgrade(alembic_config(engine, schema=schema), revision)


def downgrade(engine: Engine, revision: str = "base", *, schema: str | None = None) -> None:
    command.downgrade(alembic_config(engine, schema=schema), revision)


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
