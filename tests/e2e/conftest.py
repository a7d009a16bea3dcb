"""Browser tests: a real ``rostra serve --demo`` and Debian's headless Chromium (Playwright).

Nothing here downloads a browser: Playwright drives ``/usr/bin/chromium`` (``make browser``
installs it with apt, and axe-core from npm into tests/e2e/node_modules). Screenshots of each
page state go to ``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import PageWatch, Server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ROSTRA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _humans_decide(database_url: str) -> None:
    """Put the demo site in ``pre`` mode: these tests drive the human path of every comment,
    whatever the demo's default mode is and however good the screen has become."""
    from sqlalchemy import update

    from rostra.store.db import make_engine
    from rostra.store.models import Site

    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(update(Site).values(moderation_mode="pre"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make browser`")
    workdir = tmp_path_factory.mktemp("rostra-e2e")
    port = _free_port()
    # A publisher's site on another origin (test_cross_origin.py serves it on this port).
    publisher_origin = f"http://127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "ROSTRA_ENVIRONMENT": "development",
        "ROSTRA_DATABASE_URL": f"sqlite:///{workdir / 'rostra.db'}",
        "ROSTRA_VAR_DIR": str(workdir / "var"),
        # The tests post many comments from one address in a minute.
        "ROSTRA_RATE_LIMIT_PER_IP": "10000",
        "ROSTRA_RATE_LIMIT_PER_AUTHOR": "10000",
        "ROSTRA_WIDGET_ORIGINS": publisher_origin,
    }
    env.pop("ROSTRA_REDIS_URL", None)
    log_path = workdir / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "rostra", "serve", "--demo", "--port", str(port)],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"rostra serve exited:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"rostra serve did not start:\n{log_path.read_text()}") from None
            time.sleep(0.3)
    creds = json.loads((workdir / "var" / "demo-credentials.json").read_text())
    _humans_decide(env["ROSTRA_DATABASE_URL"])
    yield Server(
        base_url=base_url,
        username=creds["username"],
        password=creds["password"],
        admin_token=creds["admin_token"],
        process=process,
        log_path=log_path,
        database_url=env["ROSTRA_DATABASE_URL"],
        publisher_origin=publisher_origin,
    )
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


def _watch_page(page: Any, watch: PageWatch) -> None:
    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            watch.csp_violations.append(text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.on("request", lambda request: watch.requests.append(request.url))


@pytest.fixture
def new_page(browser: Any, watch: PageWatch) -> Iterator[Any]:
    """``new_page(**context_options)``: a page in a fresh context (its own localStorage)."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        _watch_page(page, watch)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shoot() -> Any:
    """``shoot(page, name)`` saves a full-page screenshot into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
