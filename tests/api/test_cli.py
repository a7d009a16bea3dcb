"""The service commands, run as a user runs them (real subprocesses on a fresh database)."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from rostra.config import Settings
from rostra.demo import ARTICLES, DEMO_USERNAME, prepare_demo
from rostra.services import accounts
from rostra.store import migrate as store_migrate
from rostra.store.db import make_engine, make_session_factory
from rostra.store.models import ApiToken, Article
from testkit import TEST_SECRET

ROSTRA = str(Path(sys.executable).with_name("rostra"))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ROSTRA_ENVIRONMENT": "test",
        "ROSTRA_SECRET_KEY": TEST_SECRET,
        "ROSTRA_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
    }


def _run(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ROSTRA, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_migrate_token_create_and_moderator_add(env: dict[str, str]) -> None:
    migrated = _run(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    head = ScriptDirectory.from_config(
        store_migrate.alembic_config(make_engine(env["ROSTRA_DATABASE_URL"]))
    )
    assert migrated.stdout.strip() == f"database at revision {head.get_current_head()}"
    created = _run(env, "token", "create", "--role", "moderator", "--name", "ci")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    engine = make_engine(env["ROSTRA_DATABASE_URL"])
    with make_session_factory(engine)() as session:
        row = accounts.authenticate_token(session=session, token=token)
        assert row is not None
        assert (row.role, row.name) == ("moderator", "ci")
        assert session.query(ApiToken).count() == 1
        assert row.expires_at is None
    expiring = _run(env, "token", "create", "--role", "perspective", "--name", "partner",
                    "--expires-in", "90d")  # fmt: skip
    assert expiring.returncode == 0, expiring.stderr
    assert "expires" in expiring.stdout
    with make_session_factory(engine)() as session:
        row = accounts.authenticate_token(
            session=session, token=expiring.stdout.strip().splitlines()[-1]
        )
        assert row is not None
        assert row.expires_at is not None
        assert row.expires_at - row.created_at == timedelta(days=90)
    vague = _run(env, "token", "create", "--role", "moderator", "--name", "x",
                 "--expires-in", "soon")  # fmt: skip
    assert vague.returncode != 0
    assert "not a duration" in vague.stderr
    added = _run(env, "moderator", "add", "maria", "--role", "admin", "--password-stdin",
                 stdin="a long enough password\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    short = _run(env, "moderator", "add", "omar", "--password-stdin", stdin="short\n")
    assert short.returncode != 0
    assert "at least 10" in short.stderr
    bad_role = _run(env, "token", "create", "--role", "root", "--name", "x")
    assert bad_role.returncode != 0
    down = _run(env, "migrate", "--down", "base")
    assert down.returncode == 0, down.stderr
    assert "base" in down.stdout
    assert "comment" not in inspect(engine).get_table_names()
    engine.dispose()


def test_default_secret_is_refused_outside_development(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ROSTRA_SECRET_KEY", raising=False)
    env = {**env, "ROSTRA_ENVIRONMENT": "production"}
    env.pop("ROSTRA_SECRET_KEY")
    result = _run(env, "migrate")
    assert result.returncode != 0
    assert "ROSTRA_SECRET_KEY" in result.stderr
    with pytest.raises(ValueError, match="development default"):
        Settings(environment="production", _env_file=None)  # type: ignore[call-arg]


def test_demo_is_idempotent_and_keeps_its_credentials(tmp_path: Path) -> None:
    settings = Settings(
        environment="development",
        database_url=f"sqlite:///{tmp_path / 'demo.db'}",
        var_dir=tmp_path / "var",
    )
    engine = make_engine(settings.database_url)
    store_migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    runs = []
    for _ in range(2):
        with sessions() as session:
            runs.append(prepare_demo(session=session, settings=settings))
            session.commit()
    assert runs[0] == runs[1]
    with sessions() as session:
        articles = session.query(Article).order_by(Article.id).all()
        assert {a.language for a in articles} == {"en", "ckb", "ar"}
        assert len(articles) == len(ARTICLES) == 3
        assert all(a.body.count("\n\n") >= 3 for a in articles)
        english = next(a for a in articles if a.language == "en")
        assert "Erbil" in english.body
        assert "Anbar" in english.body
        assert accounts.authenticate_token(session=session, token=runs[0].admin_token) is not None
        assert session.query(ApiToken).count() == 1
    credentials_file = tmp_path / "var" / "demo-credentials.json"
    assert oct(credentials_file.stat().st_mode & 0o777) == "0o600"
    # Lost file: new, working credentials, same account.
    credentials_file.unlink()
    with sessions() as session:
        fresh = prepare_demo(session=session, settings=settings)
        session.commit()
    assert fresh.username == DEMO_USERNAME
    assert fresh.password != runs[0].password
    engine.dispose()


def _uvicorn_access_record(client_addr: str, path: str, status: int) -> logging.LogRecord:
    """The record uvicorn's HTTP protocols log for a request (``h11_impl``/``httptools_impl``)."""
    return logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        0,
        '%s - "%s %s HTTP/%s" %d',
        (client_addr, "POST", path, "1.1", status),
        None,
    )


def test_serve_log_config_keeps_client_addresses_out_of_the_access_log() -> None:
    """IP addresses are anonymized before they are stored: an access log is stored too."""
    from uvicorn.logging import AccessFormatter

    from rostra.cli.service import uvicorn_log_config
    from rostra.perspective.redact import RedactKeyFilter

    config = uvicorn_log_config()
    access = config["formatters"]["access"]
    assert "client_addr" not in access["fmt"]
    [filter_name] = config["loggers"]["uvicorn.access"]["filters"]
    hide = config["filters"][filter_name]["()"]()
    formatters = [
        AccessFormatter(fmt=access["fmt"], use_colors=False),  # what `rostra serve` prints
        logging.Formatter("%(message)s"),  # what a handler added later would print
    ]
    for formatter in formatters:
        record = _uvicorn_access_record(
            "203.0.113.9:51234", "/perspective/v1alpha1/comments:analyze?key=AIzaSecret1", 200
        )
        for log_filter in (RedactKeyFilter(), hide):  # both sit on the uvicorn.access logger
            assert log_filter.filter(record)
        line = formatter.format(record)
        assert "203.0.113.9" not in line
        assert "51234" not in line
        assert "AIzaSecret1" not in line
        assert "POST /perspective/v1alpha1/comments:analyze?key=[redacted] HTTP/1.1" in line
        assert "200" in line


def test_rostra_serve_access_log_has_method_path_and_status_but_no_address(
    tmp_path: Path,
) -> None:
    from reliability.serve import Serve

    server = Serve(tmp_path, f"sqlite:///{tmp_path / 'serve.db'}").start()
    try:
        status, _, _ = server.request(
            "GET", "/api/v1/articles/erbil-anbar-drone-attacks/comments?key=AIzaSecret2"
        )
        assert status == 200
    finally:
        server.kill(signal.SIGTERM)
    access = [line for line in server.log().splitlines() if "HTTP/1.1" in line]
    assert any(
        '"GET /api/v1/articles/erbil-anbar-drone-attacks/comments?key=[redacted] HTTP/1.1" 200'
        in line
        for line in access
    ), access
    for line in access:
        assert "127.0.0.1" not in line, line
        assert not re.search(r"\d+\.\d+\.\d+\.\d+:\d+|\[?::1\]?:\d+", line), line
        assert "AIzaSecret2" not in line
