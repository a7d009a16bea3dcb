"""Service commands: ``serve``, ``migrate``, ``moderator add``, ``token create``."""

from __future__ import annotations

import copy
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import click
from sqlalchemy import Engine

from rostra.cli import main
from rostra.config import Settings

if TYPE_CHECKING:
    from rostra.demo import DemoCredentials


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _engine(settings: Settings) -> Engine:
    from rostra.store.db import make_engine

    return make_engine(settings.database_url, schema=settings.database_schema)


def _migrate(settings: Settings) -> None:
    from rostra.store.migrate import upgrade

    upgrade(_engine(settings), schema=settings.database_schema)


#: uvicorn's access line without ``%(client_addr)s``: method, path and status only.
ACCESS_LOG_FORMAT = '%(levelprefix)s "%(request_line)s" %(status_code)s'


class HideClientAddress(logging.Filter):
    """Blank the client address (``ip:port``) of uvicorn's access records.

    IP addresses are anonymized before they are stored (ADR 0003); a log file is stored too.
    The access format above leaves the address out, and this filter removes it from the
    record itself, so a handler or format added later (``%(message)s``, JSON logs) cannot
    print it either. Other arguments (the path, already stripped of Perspective keys by
    :class:`rostra.perspective.redact.RedactKeyFilter`) are left as they are.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 5:
            record.args = ("-", *record.args[1:])
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default logging config with client addresses kept out of the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["access"]["fmt"] = ACCESS_LOG_FORMAT
    config.setdefault("filters", {})["hide_client_address"] = {"()": HideClientAddress}
    config["loggers"]["uvicorn.access"]["filters"] = ["hide_client_address"]
    return config


@main.command()
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.option("--down", "down_to", default=None, help="Downgrade to this revision instead.")
def migrate(revision: str, down_to: str | None) -> None:
    """Apply the database migrations (or roll back with --down)."""
    from rostra.store.migrate import current, downgrade, upgrade

    settings = _settings()
    engine = _engine(settings)
    if down_to is not None:
        downgrade(engine, down_to, schema=settings.database_schema)
    else:
        upgrade(engine, revision, schema=settings.database_schema)
    click.echo(f"database at revision {current(engine) or 'base'}")


class ServeOptions(TypedDict):
    """What ``serve`` passes to ``uvicorn.run`` in one process or several."""

    host: str
    port: int
    log_level: str
    log_config: dict[str, Any]
    access_log: bool


@main.command()
@click.option("--demo", is_flag=True, help="Create the demo site, articles, login and token.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-migrate", is_flag=True, help="Do not apply migrations first.")
@click.option("--no-access-log", is_flag=True, help="Do not log every request (benchmarks).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    envvar="ROSTRA_WORKERS",
    help="Server processes sharing the port (env ROSTRA_WORKERS); one per core is typical.",
)
def serve(
    demo: bool, host: str, port: int, no_migrate: bool, no_access_log: bool, workers: int
) -> None:
    """Run the rostra service (applies migrations first)."""
    import uvicorn

    from rostra.api.app import create_app

    settings = _settings()
    if not no_migrate or demo:
        _migrate(settings)
    if demo and settings.environment != "development":
        raise click.ClickException("--demo is for ROSTRA_ENVIRONMENT=development only")
    if demo:
        from rostra.demo import prepare_demo
        from rostra.store.db import make_session_factory

        sessions = make_session_factory(_engine(settings))
        with sessions() as session:
            credentials = prepare_demo(session=session, settings=settings)
            session.commit()
        click.echo(demo_banner(f"http://{host}:{port}", credentials, settings.var_dir))
    served = ServeOptions(
        host=host,
        port=port,
        log_level="info",
        log_config=uvicorn_log_config(),
        access_log=not no_access_log,
    )
    if workers > 1:
        # Each worker is a fresh process that builds (and warms) its own app from the same
        # environment; uvicorn restarts one that dies.
        click.echo(f"starting {workers} worker processes")
        sys.stdout.flush()
        uvicorn.run("rostra.api.app:create_warm_app", factory=True, workers=workers, **served)
        return
    app = create_app(settings)
    from rostra.services.screener import warm_up

    seconds = warm_up(app.state.rostra.screener)
    click.echo(f"screen ready ({seconds:.1f}s warm-up)")
    sys.stdout.flush()
    uvicorn.run(app, **served)


def demo_banner(base: str, credentials: DemoCredentials, var_dir: Path) -> str:
    """What ``serve --demo`` prints: where to read, post and moderate, and how to sign in."""
    from rostra.demo import ARTICLES
    from rostra.web import dashboard_url, demo_urls

    first = ARTICLES[0].id
    comments_url = f"{base}/api/v1/articles/{first}/comments"
    pages = demo_urls(base, [article.id for article in ARTICLES])
    width = max(len(article.language) for article in ARTICLES)
    lines = [
        "",
        f"rostra demo (development only; saved in {var_dir / 'demo-credentials.json'})",
        "  demo articles (post a comment under one, then moderate it in the dashboard):",
        *(
            f"    {article.language:<{width}}  {url}"
            for article, url in zip(ARTICLES, pages, strict=True)
        ),
        f"  dashboard:       {dashboard_url(base)}",
        f"  moderator login: {credentials.username} / {credentials.password}",
        f"  admin API token: {credentials.admin_token}",
        f"  API docs:        {base}/docs",
        "",
        "  or with curl:",
        f"    curl -s -X POST {comments_url} "
        "-H 'Content-Type: application/json' "
        '-d \'{"text": "Thank you for the clear report.", "author_name": "Reader"}\'',
        f"    curl -s {base}/api/v1/moderation/queue "
        f"-H 'Authorization: Bearer {credentials.admin_token}'",
        "",
    ]
    return "\n".join(lines)


@main.group()
def moderator() -> None:
    """Manage moderator accounts."""


@moderator.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["moderator", "admin"]), default="moderator")
@click.option("--display-name", default=None)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
def moderator_add(username: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create a moderator account (asks for the password)."""
    from rostra import errors
    from rostra.services import accounts
    from rostra.store.db import make_session_factory

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    settings = _settings()
    sessions = make_session_factory(_engine(settings))
    with sessions() as session:
        try:
            created = accounts.create_moderator(
                session=session,
                username=username,
                password=password,
                role=role,
                display_name=display_name,
                actor="cli",
            )
        except errors.RostraError as exc:
            raise click.ClickException(exc.message) from None
        session.commit()
        click.echo(f"created {created.role} {created.username} (id {created.id})")


@main.group()
def token() -> None:
    """Manage API tokens."""


@token.command("create")
@click.option("--role", type=click.Choice(["admin", "moderator", "perspective"]), required=True)
@click.option("--name", required=True, help="What the token is for.")
@click.option(
    "--expires-in",
    default=None,
    help="Refuse the token after this long: 90d, 12h, 30m, 3600s (default: until revoked).",
)
def token_create(role: str, name: str, expires_in: str | None) -> None:
    """Create an API token; the token is the last line of the output."""
    from rostra import errors
    from rostra.services import accounts
    from rostra.store.db import make_session_factory

    settings = _settings()
    sessions = make_session_factory(_engine(settings))
    with sessions() as session:
        try:
            lifetime = accounts.parse_duration(expires_in) if expires_in else None
            row, secret = accounts.create_api_token(
                session=session, name=name, role=role, actor="cli", expires_in=lifetime
            )
        except errors.RostraError as exc:
            raise click.ClickException(exc.message) from None
        session.commit()
        until = f", expires {row.expires_at:%Y-%m-%d %H:%M} UTC" if row.expires_at else ""
        click.echo(f"created {role} token {row.id} ({name}{until}); it is shown only once:")
        click.echo(secret)
