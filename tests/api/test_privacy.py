"""Personal data never reaches the store in the clear."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from api.conftest import Api


def test_stored_comment_has_no_raw_ip_or_email(make_api: Callable[..., Api]) -> None:
    api = make_api(client_ip="203.0.113.77")
    api.create_article()
    api.post_comment("hello", author_email="ann@example.org")
    engine = api.client.app.state.rostra.engine
    with engine.connect() as connection:
        rows = [
            " ".join(str(v) for v in row)
            for table in ("comment", "author", "audit_event", "rate_counter")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        ]
    dump = "\n".join(rows)
    assert "203.0.113" not in dump
    assert "ann@example.org" not in dump
