"""The widget's thread: load more, sort, replies, and Sorani throughout (incl. relative times)."""

from __future__ import annotations

from typing import Any

import pytest

from .support import (
    PageWatch,
    Server,
    approve,
    new_article,
    widget,
)

pytestmark = pytest.mark.e2e


def test_load_more_sort_and_replies(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    article = new_article(server, "en")
    for i in range(23):
        approve(server, server.post_comment(article, f"Comment number {i:02d}", f"R{i}")["id"])
    page = new_page()
    page.goto(server.url(f"/demo/articles/{article}"))
    top = widget(page, ".thread > .comment")
    top.first.wait_for()
    assert top.count() == 20
    assert "Comment number 22" in top.first.inner_text()  # newest first
    assert "23 comments" in widget(page, "h2").inner_text()
    widget(page, "button.more").click()
    page.wait_for_function(
        "() => document.querySelector('#rostra-comments').shadowRoot"
        ".querySelectorAll('.thread > .comment').length === 23"
    )
    assert widget(page, "button.more").is_hidden()
    widget(page, "#rostra-sort").select_option("oldest")
    page.wait_for_function(
        "() => (document.querySelector('#rostra-comments').shadowRoot"
        ".querySelector('.thread > .comment .text') || {}).textContent === 'Comment number 00'"
    )

    # Reply to the oldest comment, by keyboard: Reply button, type, submit with Enter on it.
    widget(page, "#rostra-name").fill("Replier")
    first = widget(page, ".thread > .comment").first
    first.get_by_role("button", name="Reply").focus()
    page.keyboard.press("Enter")
    assert "Replying to" in widget(page, ".reply-note").inner_text()
    assert (
        page.evaluate(
            "() => document.querySelector('#rostra-comments').shadowRoot.activeElement.id"
        )
        == "rostra-text"
    )
    page.keyboard.type("I agree with you")
    widget(page, "button[type=submit]").focus()
    page.keyboard.press("Enter")
    own = widget(page, ".mine-list li.own").filter(has_text="I agree with you")
    own.wait_for()
    approve(server, int(own.get_attribute("data-id")))
    page.reload()
    widget(page, "#rostra-sort").select_option("oldest")
    reply = widget(page, ".thread > .comment .replies .comment").filter(has_text="I agree")
    reply.wait_for()
    assert "Comment number 00" in widget(page, ".thread > .comment").first.inner_text()
    shoot(page, "widget-en-reply")
    assert watch.errors == []


def test_a_late_answer_for_the_old_sort_does_not_mix_into_the_new_one(
    server: Server, new_page: Any, watch: PageWatch
) -> None:
    """The reader changes the sort while the first page is still loading: the first load's
    answer, arriving last, must be dropped, not appended after the new order's comments."""
    article = new_article(server, "en")
    for i in range(23):
        approve(server, server.post_comment(article, f"Comment number {i:02d}", f"R{i}")["id"])
    page = new_page()
    held: list[Any] = []

    def hold_newest(route: Any) -> None:
        if "sort=newest" in route.request.url and not held:
            held.append(route)  # answered later, after the oldest-first page is shown
        else:
            route.continue_()

    page.route(f"**/api/v1/articles/{article}/comments?*", hold_newest)
    page.goto(server.url(f"/demo/articles/{article}"))
    widget(page, "#rostra-sort").wait_for()
    while not held:
        page.wait_for_timeout(50)
    widget(page, "#rostra-sort").select_option("oldest")
    top = widget(page, ".thread > .comment")
    top.first.wait_for()
    assert "Comment number 00" in top.first.inner_text()
    held[0].continue_()
    page.wait_for_timeout(1000)  # the late answer arrives and must change nothing
    texts = widget(page, ".thread > .comment > article > .text").all_inner_texts()
    assert texts[0] == "Comment number 00"
    assert len(texts) == 20, texts
    assert texts == sorted(texts)
    assert watch.errors == []


def test_sorani_thread_has_sorani_counts_and_times(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    article = new_article(server, "ckb")
    for i in range(2):
        approve(server, server.post_comment(article, f"لێدوانی ژمارە {i}", "هێمن")["id"])
    page = new_page()
    page.goto(server.url(f"/demo/articles/{article}"))
    widget(page, ".thread > .comment").first.wait_for()
    assert "2 لێدوان" in widget(page, "h2").inner_text()
    when = widget(page, ".thread time").first.inner_text()
    assert "ago" not in when
    assert when in ("ئێستا",) or "لەمەوبەر" in when
    assert widget(page, "button.more").is_hidden()
    shoot(page, "widget-ckb-thread")
    assert watch.errors == []


def test_keyboard_focus_is_visible_in_the_widget(server: Server, new_page: Any) -> None:
    article = new_article(server, "en")
    page = new_page()
    page.goto(server.url(f"/demo/articles/{article}"))
    widget(page, "#rostra-name").click()
    outlines = []
    for _ in range(4):  # name → email → comment → submit → sort
        page.keyboard.press("Tab")
        outlines.append(
            page.evaluate(
                """() => {
                    const el = document.querySelector('#rostra-comments').shadowRoot.activeElement;
                    const style = getComputedStyle(el);
                    return [el.id || el.tagName, style.outlineStyle, style.outlineWidth];
                }"""
            )
        )
    assert [o[0] for o in outlines[:3]] == ["rostra-email", "rostra-text", "BUTTON"]
    for _name, style, width in outlines:
        assert style == "solid"
        assert float(width.rstrip("px")) >= 2
