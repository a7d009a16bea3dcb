"""The widget on a publisher's page on another origin, under the publisher's own strict CSP.

The server fixture lists one publisher origin in ``ROSTRA_WIDGET_ORIGINS``; this module serves
an article page there (another port on 127.0.0.1 is another origin) whose Content-Security-Policy
allows nothing but the rostra origin for scripts, styles and connections, as docs/widget.md
tells a publisher to write it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import _free_port
from .support import (
    CKB_ARTICLE,
    PageWatch,
    Server,
    approve,
    new_article,
    widget,
)

pytestmark = pytest.mark.e2e


def publisher_csp(rostra: str) -> str:
    return (
        f"default-src 'none'; script-src {rostra}; style-src {rostra}; connect-src {rostra}; "
        "img-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


def article_page(rostra: str, article_id: str, lang: str | None) -> bytes:
    """A publisher's article: one container, one script tag, nothing else from rostra."""
    lang_attr = f' data-rostra-lang="{lang}"' if lang else ""
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8"><title>News of the day</title></head>\n'
        "<body><article><h1>News of the day</h1><p>The article's text.</p></article>\n"
        '<div id="rostra-comments"></div>\n'
        f'<script src="{rostra}/embed.js" data-rostra-article="{article_id}"{lang_attr} async>'
        "</script>\n</body></html>\n"
    ).encode()


def serve_publisher(port: int, rostra: str) -> Callable[[], None]:
    """Serve ``/article?id=ID[&lang=xx]`` on 127.0.0.1:``port``; returns the stop function."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/article":
                self.send_error(404)
                return
            query = parse_qs(url.query)
            body = article_page(rostra, query["id"][0], query.get("lang", [None])[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", publisher_csp(rostra))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)

    return stop


@pytest.fixture(scope="module")
def publisher(server: Server) -> Iterator[str]:
    """The allowed publisher origin, serving article pages."""
    port = int(server.publisher_origin.rsplit(":", 1)[1])
    stop = serve_publisher(port, server.base_url)
    yield server.publisher_origin
    stop()


@pytest.fixture
def stranger(server: Server) -> Iterator[str]:
    """Another origin with the same page, not in ROSTRA_WIDGET_ORIGINS."""
    port = _free_port()
    stop = serve_publisher(port, server.base_url)
    yield f"http://127.0.0.1:{port}"
    stop()


def test_widget_on_a_publisher_page_on_another_origin_under_a_strict_csp(
    server: Server, publisher: str, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    assert publisher != server.base_url
    article = new_article(server, "en", prefix="xorigin", body="Paragraph one.")
    tag = uuid.uuid4().hex[:8]
    approve(server, server.post_comment(article, f"Already published {tag}", "Hana")["id"])

    reader = new_page()
    response = reader.goto(f"{publisher}/article?id={article}")
    assert response is not None
    assert response.headers["content-security-policy"] == publisher_csp(server.base_url)
    widget(reader, ".thread .comment").filter(has_text=f"Already published {tag}").wait_for()
    assert "1 comment" in widget(reader, "h2").inner_text()
    shoot(reader, "widget-cross-origin-thread")

    text = f"Posted from the publisher's own site {tag}"
    widget(reader, "#rostra-name").fill("Dilan")
    widget(reader, "#rostra-text").fill(text)
    widget(reader, "button[type=submit]").click()
    own = widget(reader, ".mine-list li.own").filter(has_text=text)
    own.wait_for()
    assert own.get_attribute("data-status") == "pending"
    assert "Awaiting moderation" in own.inner_text()
    assert "awaiting moderation" in widget(reader, ".form-msg.ok").inner_text()
    shoot(reader, "widget-cross-origin-awaiting-moderation")

    # The author token travels in X-Author-Token (a preflighted header) across origins too.
    approve(server, int(own.get_attribute("data-id")))
    reader.reload()
    widget(reader, ".mine-list li.own[data-status=approved]").filter(has_text=text).wait_for()
    widget(reader, ".thread .comment").filter(has_text=text).wait_for()

    assert watch.csp_violations == []
    assert watch.errors == []
    assert watch.dialogs == []
    foreign = [
        u for u in watch.requests if not u.startswith((publisher + "/", server.base_url + "/"))
    ]
    assert foreign == []
    assert any(u.startswith(server.base_url + "/api/v1/") for u in watch.requests)


def test_article_language_comes_from_rostra_across_origins(
    server: Server, publisher: str, new_page: Any, watch: PageWatch
) -> None:
    # No data-rostra-lang on an English host page: the widget asks rostra for the article.
    reader = new_page()
    reader.goto(f"{publisher}/article?id={CKB_ARTICLE}")
    shell = widget(reader, "section.rostra")
    shell.wait_for()
    assert shell.get_attribute("lang") == "ckb"
    assert shell.get_attribute("dir") == "rtl"
    assert widget(reader, "label[for=rostra-text]").inner_text() == "لێدوانەکەت"
    assert watch.csp_violations == []
    assert watch.errors == []


def test_an_origin_not_listed_sees_a_clear_message_not_a_blank(
    server: Server, stranger: str, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    reader = new_page()
    reader.goto(f"{stranger}/article?id={CKB_ARTICLE}&lang=ckb")
    alert = widget(reader, ".load-error[role=alert]")
    alert.wait_for()
    # No strings could be fetched (CORS refused them): the English fallback.
    assert "The comments could not be loaded." in alert.inner_text()
    assert widget(reader, ".load-error button").inner_text() == "Try again"
    assert widget(reader, "form.form").count() == 0
    shoot(reader, "widget-cross-origin-refused")
    assert watch.errors == []


def test_a_failure_once_the_strings_loaded_is_shown_in_the_readers_language(
    server: Server, publisher: str, new_page: Any, watch: PageWatch
) -> None:
    reader = new_page()
    reader.route("**/api/v1/articles/*/comments*", lambda route: route.abort())
    reader.goto(f"{publisher}/article?id={CKB_ARTICLE}&lang=ckb")
    failed = widget(reader, ".load-error")
    failed.wait_for()
    assert "The comments could not be loaded" not in failed.inner_text()
    assert widget(reader, "section.rostra").get_attribute("lang") == "ckb"
    assert watch.errors == []


def test_broken_strings_still_give_the_english_message(
    server: Server, publisher: str, new_page: Any, watch: PageWatch
) -> None:
    reader = new_page()
    reader.route(
        "**/widget/i18n/*.json",
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": publisher},
            body="null",
        ),
    )
    reader.goto(f"{publisher}/article?id={CKB_ARTICLE}&lang=ckb")
    alert = widget(reader, ".load-error[role=alert]")
    alert.wait_for()
    assert "The comments could not be loaded." in alert.inner_text()
    assert watch.errors == []


def test_the_retry_button_starts_the_widget_once_the_strings_arrive(
    server: Server, publisher: str, new_page: Any, watch: PageWatch
) -> None:
    reader = new_page()
    reader.route("**/widget/i18n/*.json", lambda route: route.abort())
    reader.goto(f"{publisher}/article?id={CKB_ARTICLE}&lang=ckb")
    widget(reader, ".load-error[role=alert]").wait_for()
    reader.unroute("**/widget/i18n/*.json")
    widget(reader, ".load-error button").click()
    widget(reader, "form.form").wait_for()
    assert widget(reader, "section.rostra").get_attribute("lang") == "ckb"
    assert watch.errors == []
