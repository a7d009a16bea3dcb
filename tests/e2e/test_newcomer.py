"""A newcomer's first minute, using only what ``rostra serve --demo`` printed.

The banner is read from the server's own output: the demo article addresses, the dashboard
address and the moderator login. The flow runs in Sorani (right to left) here; the English one
is in test_moderation_flow.py.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from .support import AR_ARTICLE, CKB_ARTICLE, EN_ARTICLE, PageWatch, Server

pytestmark = pytest.mark.e2e

SHADOW = "#rostra-comments"


def printed_banner(server: Server) -> dict[str, Any]:
    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    articles = dict(re.findall(r"^\s+(en|ckb|ar)\s+(http://\S+/demo/articles/\S+)$", log, re.M))
    dashboard = re.search(r"^\s+dashboard:\s+(http://\S+)$", log, re.M)
    login = re.search(r"^\s+moderator login:\s+(\S+) / (\S+)$", log, re.M)
    assert dashboard, f"no dashboard address in the banner:\n{log}"
    assert login, f"no moderator login in the banner:\n{log}"
    return {
        "articles": articles,
        "dashboard": dashboard.group(1),
        "username": login.group(1),
        "password": login.group(2),
    }


def test_banner_prints_every_demo_article_the_dashboard_and_the_login(server: Server) -> None:
    banner = printed_banner(server)
    assert banner["articles"] == {
        "en": server.url(f"/demo/articles/{EN_ARTICLE}"),
        "ckb": server.url(f"/demo/articles/{CKB_ARTICLE}"),
        "ar": server.url(f"/demo/articles/{AR_ARTICLE}"),
    }
    assert banner["dashboard"] == server.url("/moderate")
    assert (banner["username"], banner["password"]) == (server.username, server.password)


def test_newcomer_posts_moderates_and_sees_it_published_in_sorani(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    banner = printed_banner(server)
    text = f"سوپاس بۆ ئەم ڕاپۆرتە ڕوونە دەربارەی بەرگری ئاسمانی {uuid.uuid4().hex[:6]}"

    reader = new_page()
    reader.goto(banner["articles"]["ckb"])
    reader.locator(f"{SHADOW} form.form").wait_for()
    assert reader.locator(f"{SHADOW} .rostra").get_attribute("dir") == "rtl"
    reader.locator(f"{SHADOW} #rostra-name").fill("دیلان")
    reader.locator(f"{SHADOW} #rostra-text").fill(text)
    reader.locator(f"{SHADOW} button[type=submit]").click()
    own = reader.locator(f"{SHADOW} .mine-list li.own").filter(has_text=text)
    own.wait_for()
    assert own.get_attribute("data-status") == "pending"
    shoot(reader, "newcomer-ckb-awaiting")

    moderator = new_page()
    moderator.goto(banner["dashboard"])
    moderator.fill("#username", banner["username"])
    moderator.fill("#password", banner["password"])
    moderator.click("button[type=submit]")
    moderator.wait_for_url("**/moderate/**")
    if "/moderate/queue" not in moderator.url:
        moderator.goto(server.url("/moderate/queue"))
    item = moderator.locator(".queue > .item").filter(
        has=moderator.locator(":scope > p.text", has_text=text)
    )
    item.wait_for()
    target = item.get_attribute("id")
    for _ in range(moderator.locator(".queue > .item").count()):
        if moderator.locator(".queue > .item.current").get_attribute("id") == target:
            break
        moderator.keyboard.press("j")
    moderator.keyboard.press("a")
    item.locator(".outcome").wait_for(state="visible")
    shoot(moderator, "newcomer-ckb-approved")

    reader.reload()
    reader.locator(f"{SHADOW} .thread .comment").filter(has_text=text).wait_for()
    own = reader.locator(f"{SHADOW} .mine-list li.own").filter(has_text=text)
    own.wait_for()
    assert own.get_attribute("data-status") == "approved"
    shoot(reader, "newcomer-ckb-published")
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.csp_violations == []
