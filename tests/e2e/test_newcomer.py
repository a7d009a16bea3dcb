"""A newcomer's first minute, using only what ``rostra serve --demo`` printed.

The banner is read from the server's own output: the demo article addresses, the dashboard
address and the moderator login. The flow runs in Sorani (right to left) on both pages here,
the dashboard switched to Sorani with its own language link; the English one is in
test_moderation_flow.py.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from .support import AR_ARTICLE, CKB_ARTICLE, EN_ARTICLE, PageWatch, Server, wait_recorded

pytestmark = pytest.mark.e2e

SHADOW = "#rostra-comments"
WEB = Path(__file__).resolve().parents[2] / "src" / "rostra" / "web"
CKB_WIDGET = json.loads((WEB / "widget" / "i18n" / "ckb.json").read_text(encoding="utf-8"))
CKB_DASHBOARD = json.loads(
    (WEB / "dashboard" / "i18n_data" / "ckb.json").read_text(encoding="utf-8")
)


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

    moderator = sorani_dashboard(new_page, server, banner)
    item = focus_item(moderator, text)
    moderator.keyboard.press("a")
    item.wait_for(state="hidden")
    assert CKB_DASHBOARD["done_approve"] in moderator.locator("#toast").inner_text()
    shoot(moderator, "newcomer-ckb-approved")
    wait_recorded(moderator, item)

    reader.reload()
    reader.locator(f"{SHADOW} .thread .comment").filter(has_text=text).wait_for()
    own = reader.locator(f"{SHADOW} .mine-list li.own").filter(has_text=text)
    own.wait_for()
    assert own.get_attribute("data-status") == "approved"
    shoot(reader, "newcomer-ckb-published")
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.csp_violations == []


def sorani_dashboard(new_page: Any, server: Server, banner: dict[str, Any]) -> Any:
    """Sign in with the printed login, then switch the dashboard to Sorani by its link."""
    moderator = new_page()
    moderator.goto(banner["dashboard"])
    moderator.fill("#username", banner["username"])
    moderator.fill("#password", banner["password"])
    moderator.click("button[type=submit]")
    moderator.wait_for_url("**/moderate/**")
    if "/moderate/queue" not in moderator.url:
        moderator.goto(server.url("/moderate/queue"))
    moderator.locator(".langs a[lang=ckb]").click()
    moderator.wait_for_function("() => document.documentElement.lang === 'ckb'")
    assert moderator.locator("html").get_attribute("dir") == "rtl"
    assert (
        moderator.locator(".tabs a[aria-current]")
        .inner_text()
        .startswith(CKB_DASHBOARD["queue_pending"])
    )
    return moderator


def focus_item(moderator: Any, text: str) -> Any:
    item = moderator.locator(".queue > .item").filter(
        has=moderator.locator(":scope > p.text", has_text=text)
    )
    item.wait_for()
    target = item.get_attribute("id")
    for _ in range(moderator.locator(".queue > .item").count()):
        if moderator.locator(".queue > .item.current").get_attribute("id") == target:
            return item
        moderator.keyboard.press("j")
    raise AssertionError(f"could not reach {text!r} with j")


def test_a_sorani_author_is_told_the_broken_guideline_in_sorani(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    banner = printed_banner(server)
    text = f"فۆلۆوەری هەرزان بکڕە، لە واتسئاپ نامەم بۆ بنێرە {uuid.uuid4().hex[:6]}"
    reader = new_page()
    reader.goto(banner["articles"]["ckb"])
    reader.locator(f"{SHADOW} #rostra-name").fill("فرۆشیار")
    reader.locator(f"{SHADOW} #rostra-text").fill(text)
    reader.locator(f"{SHADOW} button[type=submit]").click()
    own = reader.locator(f"{SHADOW} .mine-list li.own").filter(has_text=text)
    own.wait_for()

    moderator = sorani_dashboard(new_page, server, banner)
    item = focus_item(moderator, text)
    moderator.keyboard.press("r")
    picker = item.locator(".picker")
    picker.wait_for(state="visible")
    promotion = picker.locator("button[data-reason=promotion]")
    assert CKB_WIDGET["categories"]["promotion"] in promotion.inner_text()
    shoot(moderator, "newcomer-ckb-reason-picker")
    moderator.keyboard.press(str(promotion.get_attribute("data-key")))
    item.wait_for(state="hidden")
    wait_recorded(moderator, item)

    # The author's widget learns it by polling, and says which guideline, in Sorani.
    own.locator(".reason").wait_for(timeout=20_000)
    assert own.get_attribute("data-status") == "rejected"
    assert CKB_WIDGET["status_rejected"] in own.locator(".badge").inner_text()
    expected = CKB_WIDGET["rejected_because"].replace(
        "{reasons}", CKB_WIDGET["categories"]["promotion"]
    )
    assert own.locator(".reason").inner_text() == expected
    assert own.locator(".reason").evaluate("e => getComputedStyle(e).direction") == "rtl"
    shoot(reader, "newcomer-ckb-rejected")
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.csp_violations == []
