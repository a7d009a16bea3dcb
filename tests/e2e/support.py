"""What the browser tests share besides fixtures: the server handle, page watch and helpers."""

from __future__ import annotations

import json
import subprocess
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
EN_ARTICLE = "erbil-anbar-drone-attacks"
CKB_ARTICLE = "ckb-erbil-drone-defence"
AR_ARTICLE = "ar-anbar-base-attack"
SHADOW = "#rostra-comments"


@dataclass
class Server:
    base_url: str
    username: str
    password: str
    admin_token: str
    process: subprocess.Popen[bytes]
    log_path: Path
    database_url: str = ""
    #: The one other origin the server lets embed the widget (ROSTRA_WIDGET_ORIGINS).
    publisher_origin: str = ""

    def url(self, path: str) -> str:
        return self.base_url + path

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call the JSON API with the admin token (seeding and checks, not the UI)."""
        request = urllib.request.Request(
            self.url(path),
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Authorization": f"Bearer {self.admin_token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def post_comment(self, article_id: str, text: str, author: str) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url(f"/api/v1/articles/{article_id}/comments"),
            method="POST",
            data=json.dumps({"text": text, "author_name": author}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result


@dataclass
class PageWatch:
    """What a page did that it should not: dialogs, CSP violations, script errors."""

    dialogs: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def seed_comment(
    server: Server,
    article_id: str,
    text: str,
    author: str,
    *,
    evidence: list[tuple[int, int, str]] = (),  # type: ignore[assignment]
    recommendation: str = "review",
) -> int:
    """Write a pending comment (and a verdict with evidence spans) straight into the store.

    This is how an imported or legacy comment arrives: it never went through the API's
    input checks, so the pages must stay safe with whatever it holds (bidi overrides too).
    """
    from rostra.store import queries
    from rostra.store.db import make_engine, make_session_factory
    from rostra.store.models import Verdict

    engine = make_engine(server.database_url)
    try:
        with make_session_factory(engine)() as session:
            author_row = queries.posting_author(
                session=session,
                site_id="default",
                kind="guest",
                identity_key=f"e2e:{author}",
                name=author,
            )
            comment_id = queries.insert_comment(
                session=session,
                site_id="default",
                article_id=article_id,
                author_id=author_row.id,
                text=text,
                parent=None,
                ip_hash=None,
                author_token_hash="0" * 64,
            )
            if evidence:
                categories = sorted({category for _, _, category in evidence})
                session.add(
                    Verdict(
                        comment_id=comment_id,
                        recommendation=recommendation,
                        language="en",
                        language_confidence=0.9,
                        scores=dict.fromkeys(categories, 0.8),
                        reasons=categories,
                        evidence=[
                            {
                                "category": c,
                                "start": a,
                                "end": b,
                                "text": text[a:b],
                                "analyzer": "e2e",
                            }
                            for a, b, c in evidence
                        ],
                        errors=[],
                        model_version="e2e",
                        policy_version="e2e",
                        elapsed_ms=0.0,
                    )
                )
            session.commit()
            return comment_id
    finally:
        engine.dispose()


def login(page: Any, server: Server, lang: str | None = None) -> None:
    suffix = f"&lang={lang}" if lang else ""
    page.goto(server.url(f"/moderate/login?next=/moderate/queue{suffix}"))
    page.fill("#username", server.username)
    page.fill("#password", server.password)
    page.click("button[type=submit]")
    page.wait_for_url("**/moderate/queue**")


def axe_scan(page: Any) -> list[dict[str, Any]]:
    """Run axe-core in the page; returns the serious and critical violations."""
    if not AXE.exists():
        pytest.skip("axe-core is missing: run `make browser` (npm install in tests/e2e)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(
                    n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def wait_recorded(page: Any, item: Any, timeout: float = 15_000) -> None:
    """Wait until the dashboard has sent an item's decision and the server recorded it.

    A decision waits out its undo window (``UNDO_MS`` in dashboard.js, 5 s) before it is sent.
    """
    page.locator(f"#{item.get_attribute('id')}[data-state=sent]").wait_for(
        state="attached", timeout=timeout
    )


def moderation_comment(server: Server, comment_id: int | str) -> dict[str, Any]:
    """The comment as the moderation API reports it (status and decision history)."""
    found: dict[str, Any] = server.api("GET", f"/api/v1/moderation/comments/{comment_id}")
    return found


def widget(page: Any, selector: str) -> Any:
    """A locator inside the widget's shadow root (Playwright's CSS pierces open shadow DOM)."""
    return page.locator(f"{SHADOW} {selector}")


def new_article(server: Server, language: str, *, prefix: str = "thread", body: str = "") -> str:
    """A fresh article of ``language`` created through the API; returns its id."""
    article_id = f"{prefix}-{language}-{uuid.uuid4().hex[:8]}"
    server.api(
        "POST",
        "/api/v1/articles",
        {
            "id": article_id,
            "url": f"https://news.example/{article_id}",
            "title": f"{prefix.capitalize()} test ({language})",
            "body": body or "Paragraph one.\n\nParagraph two.",
            "language": language,
        },
    )
    return article_id


def approve(server: Server, comment_id: int) -> None:
    server.api(
        "POST",
        f"/api/v1/moderation/comments/{comment_id}/decisions",
        {"decision": "approve", "reasons": []},
    )
