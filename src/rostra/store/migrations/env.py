"""Alembic environment: the engine comes from rostra (``rostra.store.migrate``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from rostra.store import models  # noqa: F401 - registers the tables on the metadata
from rostra.store.base import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through rostra.store.migrate (rostra migrate)")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
