"""Post through the widget, moderate by keyboard in the dashboard, see the result as the author."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .support import (
    EN_ARTICLE,
    PageWatch,
    Server,
    login,
    moderation_comment,
    wait_recorded,
    widget,
)

pytestmark = pytest.mark.e2e

SHADOW = "#rostra-comments"


def open_article(page: Any, server: Server, article_id: str) -> None:
    page.goto(server.url(f"/demo/articles/{article_id}"))
    widget(page, "form.form").wait_for()


def post(page: Any, name: str, text: str) -> None:
    widget(page, "#rostra-name").fill(name)
    widget(page, "#rostra-text").fill(text)
    widget(page, "button[type=submit]").click()


def queue_item(page: Any, text: str) -> Any:
    """The queue item whose own comment text (not its author's history) contains ``text``."""
    return page.locator(".queue > .item").filter(has=page.locator(":scope > p.text", has_text=text))


def focus_item(page: Any, text: str) -> Any:
    """Move the dashboard's current item to the one with ``text`` using j only."""
    items = page.locator(".queue > .item")
    target = queue_item(page, text).get_attribute("id")
    for _ in range(items.count()):
        current = page.locator(".queue > .item.current").get_attribute("id")
        if current == target:
            return queue_item(page, text)
        page.keyboard.press("j")
    raise AssertionError(f"could not reach {text!r} with j")


def test_post_approve_by_keyboard_and_see_it_published(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    text = f"The air defences did well tonight, thanks for the report {uuid.uuid4().hex[:8]}"
    reader = new_page()
    open_article(reader, server, EN_ARTICLE)
    shoot(reader, "widget-en-empty")
    post(reader, "Dilan", text)

    own = widget(
        reader,
        ".mine-list li.own",
    ).filter(has_text=text)
    own.wait_for()
    assert own.get_attribute("data-status") == "pending"
    assert "Awaiting moderation" in own.inner_text()
    assert widget(reader, "#rostra-text").input_value() == ""
    shoot(reader, "widget-en-awaiting-moderation")

    # Kept across reloads through the author token in localStorage.
    reader.reload()
    own = widget(reader, ".mine-list li.own").filter(has_text=text)
    own.wait_for()
    assert own.get_attribute("data-status") == "pending"
    # Not public yet.
    assert widget(reader, ".thread").filter(has_text=text).count() == 0

    moderator = new_page()
    login(moderator, server)
    item = queue_item(moderator, text)
    item.wait_for()
    shoot(moderator, "dashboard-en-queue")
    focus_item(moderator, text)
    moderator.keyboard.press("a")
    # The item leaves the list at once; the decision waits out the undo window, then is sent.
    item.wait_for(state="hidden")
    assert "decided-approve" in (item.get_attribute("class") or "")
    toast = moderator.locator("#toast")
    assert toast.is_visible()
    assert "Approved" in toast.inner_text()
    assert "u" in toast.locator("kbd").inner_text()
    shoot(moderator, "dashboard-en-approved")
    wait_recorded(moderator, item)
    assert toast.is_hidden()

    reader.reload()
    published = widget(reader, ".thread .comment").filter(has_text=text)
    published.wait_for()
    own = widget(reader, ".mine-list li.own").filter(has_text=text)
    own.wait_for()
    assert own.get_attribute("data-status") == "approved"
    shoot(reader, "widget-en-published")
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.csp_violations == []


def test_reject_with_reason_tells_the_author_which_guideline(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    text = f"Buy cheap followers now, message me on WhatsApp {uuid.uuid4().hex[:8]}"
    reader = new_page()
    open_article(reader, server, EN_ARTICLE)
    post(reader, "Seller", text)
    widget(reader, ".mine-list li.own").filter(has_text=text).wait_for()

    moderator = new_page()
    login(moderator, server)
    item = focus_item(moderator, text)
    moderator.keyboard.press("r")
    picker = item.locator(".picker")
    picker.wait_for(state="visible")
    shoot(moderator, "dashboard-en-reason-picker")
    key = picker.locator("button[data-reason=promotion]").get_attribute("data-key")
    moderator.keyboard.press(str(key))
    item.wait_for(state="hidden")
    assert "decided-reject" in (item.get_attribute("class") or "")
    assert "Rejected" in moderator.locator("#toast").inner_text()
    wait_recorded(moderator, item)

    # The author's widget learns it without a reload (it polls its pending comments).
    own = widget(reader, ".mine-list li.own").filter(has_text=text)
    own.locator(".reason").wait_for(timeout=20_000)
    assert own.get_attribute("data-status") == "rejected"
    assert "commercial or personal promotion" in own.locator(".reason").inner_text()
    shoot(reader, "widget-en-rejected")

    # The decision history shows who decided and why.
    moderator.goto(server.url(f"/moderate/comments/{item.get_attribute('data-id')}"))
    first_row = moderator.locator("table.history tbody tr").first
    cells = first_row.locator("td")
    assert "promotion" in cells.nth(3).inner_text()
    # "Who" names the signed-in moderator, as the header does.
    assert cells.nth(1).inner_text().strip() in moderator.locator(".who").inner_text()
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.csp_violations == []


def test_undo_after_the_window_reopens_and_a_new_decision_supersedes(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    text = f"Undo me please {uuid.uuid4().hex[:8]}"
    server.post_comment(EN_ARTICLE, text, "Undo")
    moderator = new_page()
    login(moderator, server)
    item = focus_item(moderator, text)
    moderator.keyboard.press("a")
    item.wait_for(state="hidden")
    wait_recorded(moderator, item)
    # Recorded: u now reopens the comment for a new decision (undo is a new decision).
    moderator.keyboard.press("u")
    item.wait_for(state="visible")
    assert "decided-" not in (item.get_attribute("class") or "")
    assert "current" in (item.get_attribute("class") or "")
    assert "Reopened" in item.locator(".outcome").inner_text()
    moderator.keyboard.press("r")
    key = item.locator(".picker button[data-reason=off_topic]").get_attribute("data-key")
    moderator.keyboard.press(str(key))
    item.wait_for(state="hidden")
    assert "decided-reject" in (item.get_attribute("class") or "")
    wait_recorded(moderator, item)
    moderator.goto(server.url(f"/moderate/comments/{item.get_attribute('data-id')}"))
    rows = moderator.locator("table.history tbody tr")
    shoot(moderator, "dashboard-en-decision-history")
    assert rows.count() == 2
    assert "superseded" in (rows.nth(1).get_attribute("class") or "")
    assert watch.errors == []


def test_undo_inside_the_window_records_nothing(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    text = f"Approved by mistake {uuid.uuid4().hex[:8]}"
    comment = server.post_comment(EN_ARTICLE, text, "Mistake")
    moderator = new_page()
    login(moderator, server)
    item = focus_item(moderator, text)
    moderator.keyboard.press("a")
    item.wait_for(state="hidden")
    shoot(moderator, "dashboard-en-undo-window")
    moderator.keyboard.press("u")
    item.wait_for(state="visible")
    assert "decided-" not in (item.get_attribute("class") or "")
    assert "current" in (item.get_attribute("class") or "")
    assert "nothing was recorded" in item.locator(".outcome").inner_text()
    assert item.locator(".tag.state").inner_text() == "pending"
    assert moderator.locator("#toast").is_hidden()
    # Past the window nothing is sent either, nor when the page goes away.
    moderator.wait_for_timeout(6_000)
    assert item.get_attribute("data-state") == "cancelled"
    moderator.goto(server.url("/moderate/stats"))
    moderator.wait_for_timeout(500)

    found = moderation_comment(server, comment["id"])
    assert found["status"] == "pending"
    assert found["decisions"] == []
    reader = new_page()
    reader.goto(server.url(f"/demo/articles/{EN_ARTICLE}"))
    widget(reader, "form.form").wait_for()
    reader.wait_for_load_state("networkidle")
    assert widget(reader, ".thread").filter(has_text=text).count() == 0
    # And the comment is still waiting in the queue.
    moderator.goto(server.url("/moderate/queue"))
    queue_item(moderator, text).wait_for()
    assert watch.errors == []


def test_a_waiting_decision_is_sent_by_the_next_one_or_when_the_page_goes(
    server: Server, new_page: Any, watch: PageWatch
) -> None:
    tag = uuid.uuid4().hex[:8]
    first = server.post_comment(EN_ARTICLE, f"First of two {tag}", "Two")
    second = server.post_comment(EN_ARTICLE, f"Second of two {tag}", "Two")
    moderator = new_page()
    login(moderator, server)
    moderator.goto(server.url(f"/moderate/queue?q={tag}"))
    items = moderator.locator(".queue > .item")
    assert items.count() == 2
    moderator.keyboard.press("a")
    items.nth(0).wait_for(state="hidden")
    assert "current" in (items.nth(1).get_attribute("class") or "")
    # Another decision sends the waiting one at once (well inside its 5 s window).
    moderator.keyboard.press("a")
    wait_recorded(moderator, items.nth(0), timeout=2_000)
    assert items.nth(1).get_attribute("data-state") == "waiting"
    assert moderation_comment(server, first["id"])["status"] == "approved"
    # Leaving the page sends the waiting one too (fetch keepalive on pagehide).
    moderator.goto(server.url("/moderate/stats"))
    for _ in range(50):
        if moderation_comment(server, second["id"])["status"] == "approved":
            break
        moderator.wait_for_timeout(100)
    assert moderation_comment(server, second["id"])["status"] == "approved"
    assert watch.errors == []


def test_bulk_select_and_reject(server: Server, new_page: Any, watch: PageWatch) -> None:
    tag = uuid.uuid4().hex[:8]
    texts = [f"Bulk spam {tag} number {i}" for i in range(3)]
    for t in texts:
        server.post_comment(EN_ARTICLE, t, "Bulk")
    moderator = new_page()
    login(moderator, server)
    moderator.goto(server.url(f"/moderate/queue?q={tag}"))
    assert moderator.locator(".queue > .item").count() == 3
    for _ in texts:
        moderator.keyboard.press("x")
        moderator.keyboard.press("j")
    assert moderator.locator(".bulk").is_visible()
    moderator.keyboard.press("r")
    key = moderator.locator(".picker:visible button[data-reason=promotion]").get_attribute(
        "data-key"
    )
    moderator.keyboard.press(str(key))
    moderator.wait_for_function(
        "() => document.querySelectorAll('.queue > .item.decided-reject').length === 3"
    )
    assert "3 comments decided" in moderator.locator("#toast").inner_text()
    assert moderator.locator(".page-done").is_visible()
    moderator.wait_for_function(
        "() => document.querySelectorAll('.queue > .item[data-state=sent]').length === 3",
        timeout=15_000,
    )
    moderator.goto(server.url(f"/moderate/queue?queue=rejected&q={tag}"))
    assert moderator.locator(".queue > .item").count() == 3
    assert watch.errors == []


def test_open_author_note_and_ban_then_the_author_is_told(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    name = f"Troll {tag}"
    reader = new_page()
    open_article(reader, server, EN_ARTICLE)
    post(reader, name, f"First comment by a future troll {tag}")
    widget(reader, ".mine-list li.own").first.wait_for()

    moderator = new_page()
    login(moderator, server)
    focus_item(moderator, tag)
    moderator.keyboard.press("o")
    moderator.wait_for_url("**/moderate/authors/**")
    assert name in moderator.locator("h1").inner_text()
    assert tag in moderator.locator(".recent").inner_text()

    moderator.fill("#note-text", "Warned by e-mail about personal attacks.")
    moderator.click(".note-form button[type=submit]")
    moderator.locator(".notes li", has_text="Warned by e-mail").wait_for()
    moderator.select_option("#ban-days", "7")
    moderator.fill("#ban-note", "Repeated attacks on other readers")
    moderator.click(".ban-form button[type=submit]")
    moderator.locator("[data-unban]").wait_for()
    assert "Repeated attacks" in moderator.locator("#h-bans + *").inner_text() or (
        "Repeated attacks" in moderator.locator("main").inner_text()
    )
    shoot(moderator, "dashboard-en-author-banned")

    text = f"Second comment while banned {tag}"
    widget(reader, "#rostra-text").fill(text)
    widget(reader, "button[type=submit]").click()
    message = widget(reader, ".form-msg.error")
    message.wait_for()
    assert "banned" in message.inner_text().lower()
    assert widget(reader, "#rostra-text").input_value() == text
    shoot(reader, "widget-en-banned")

    moderator.click("[data-unban]")
    moderator.locator(".ban-form").wait_for()
    assert watch.errors == []
    assert watch.dialogs == []


def test_a_reader_report_reaches_the_reported_queue(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    text = f"A published comment someone dislikes {uuid.uuid4().hex[:8]}"
    comment = server.post_comment(EN_ARTICLE, text, "Published")
    server.api(
        "POST",
        f"/api/v1/moderation/comments/{comment['id']}/decisions",
        {"decision": "approve", "reasons": []},
    )
    reader = new_page()
    open_article(reader, server, EN_ARTICLE)
    item = widget(reader, ".thread .comment").filter(has_text=text)
    item.wait_for()
    item.get_by_role("button", name="Report").click()
    item.get_by_text("A moderator will look at this comment").wait_for()

    moderator = new_page()
    login(moderator, server)
    moderator.goto(server.url("/moderate/queue?queue=reported"))
    reported = queue_item(moderator, text)
    reported.wait_for()
    assert "1 open report" in reported.inner_text()
    shoot(moderator, "dashboard-en-reported")
    assert watch.errors == []
