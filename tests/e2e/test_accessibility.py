"""axe-core (from npm, injected by the test) finds no serious or critical violations."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .support import AR_ARTICLE, CKB_ARTICLE, EN_ARTICLE, SHADOW, Server, axe_scan, login

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("article", [EN_ARTICLE, CKB_ARTICLE, AR_ARTICLE])
def test_widget_page_has_no_serious_axe_violations(
    server: Server, new_page: Any, article: str, shoot: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    comment = server.post_comment(article, f"An on-topic reaction {tag}", "Reader")
    server.api(
        "POST",
        f"/api/v1/moderation/comments/{comment['id']}/decisions",
        {"decision": "approve", "reasons": []},
    )
    page = new_page()
    page.goto(server.url(f"/demo/articles/{article}"))
    page.locator(f"{SHADOW} .thread .comment").first.wait_for()
    violations = axe_scan(page)
    assert violations == [], violations
    shoot(page, f"widget-{article}-thread")
    # After posting (the "your comments" list) and after a refused post (error message).
    page.locator(f"{SHADOW} #rostra-name").fill("Reader")
    page.locator(f"{SHADOW} #rostra-text").fill(f"Pending reaction {tag}")
    page.locator(f"{SHADOW} button[type=submit]").click()
    page.locator(f"{SHADOW} .mine-list li.own").first.wait_for()
    page.locator(f"{SHADOW} button[type=submit]").click()
    page.locator(f"{SHADOW} .form-msg.error").wait_for()
    violations = axe_scan(page)
    assert violations == [], violations


@pytest.mark.parametrize("lang", ["en", "ar", "ckb"])
def test_dashboard_pages_have_no_serious_axe_violations(
    server: Server, new_page: Any, lang: str, shoot: Any
) -> None:
    server.post_comment(EN_ARTICLE, f"Something to moderate {uuid.uuid4().hex[:6]}", "Reader")
    page = new_page()
    page.goto(server.url(f"/moderate/login?lang={lang}"))
    assert axe_scan(page) == []
    login(page, server, lang=lang)
    comment = server.post_comment(EN_ARTICLE, f"History page {uuid.uuid4().hex[:6]}", "Reader")
    for path in ("/moderate/queue", "/moderate/stats", f"/moderate/comments/{comment['id']}"):
        page.goto(server.url(path))
        violations = axe_scan(page)
        assert violations == [], (path, violations)
    first = page.goto(server.url("/moderate/queue?queue=approved"))
    assert first is not None
    author = page.locator(".queue > .item .author").first
    if author.count():
        author.click()
        page.wait_for_url("**/moderate/authors/**")
        assert axe_scan(page) == []
        shoot(page, f"dashboard-{lang}-author")
    page.goto(server.url("/moderate/queue"))
    page.keyboard.press("?")
    page.locator("#help").wait_for(state="visible")
    assert axe_scan(page) == []
    shoot(page, f"dashboard-{lang}-help")
