"""rostra's store: SQLAlchemy 2.0 models, keyword-only queries and Alembic migrations.

Knows nothing of HTTP. ``rostra.store.queries`` is the API the service and the dashboard use.
"""
