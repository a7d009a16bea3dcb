"""Right-to-left layout in Sorani, hostile comment text kept inert, errors that keep the text."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from .support import (
    CKB_ARTICLE,
    EN_ARTICLE,
    PageWatch,
    Server,
    login,
    seed_comment,
    widget,
)

pytestmark = pytest.mark.e2e

HOSTILE = [
    "<script>alert('script')</script>",
    "<img src=x onerror=\"alert('img')\">",
    "<a href=\"javascript:alert('link')\">click me</a>",
    "\"><svg onload=alert('svg')>",
    "<iframe src=\"javascript:alert('frame')\"></iframe>",
]
# Right-to-left override + left-to-right override: reorders what follows unless isolated.
BIDI = "price \u202eevil\u202c and \u202dltr\u202c then \u2067isolate"


def injected_elements(page: Any, root: str) -> dict[str, int]:
    """Elements a successful injection would have created under ``root``."""
    return page.evaluate(
        """root => {
            const scopes = [];
            const host = document.querySelector('#rostra-comments');
            if (host && host.shadowRoot) scopes.push(host.shadowRoot);
            scopes.push(document);
            const count = sel => scopes.reduce(
                (n, s) => n + [...s.querySelectorAll(root + ' ' + sel)].length, 0);
            return {
                script: count('script'), img: count('img'), svg: count('svg'),
                iframe: count('iframe'), jslink: count('a[href^="javascript"]'),
                handler: count('[onerror],[onload],[onclick],[onmouseover]'),
            };
        }""",
        root,
    )


def test_hostile_text_is_inert_in_the_widget_and_the_dashboard(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    ids = []
    for i, payload in enumerate(HOSTILE):
        text = f"{payload} hostile-{tag}-{i}"
        author = f"<b onmouseover=alert('name')>Mallory{i}</b>"
        ids.append(server.post_comment(EN_ARTICLE, text, author)["id"])
    # Evidence offsets over markup: the highlighted text must be built as text too.
    evidence_text = f"<script>alert('ev')</script> you idiot hostile-{tag}-ev"
    ids.append(
        seed_comment(
            server,
            EN_ARTICLE,
            evidence_text,
            "<img src=x onerror=alert('author')>",
            evidence=[
                (0, len("<script>"), "personal_attack"),
                (evidence_text.index("idiot"), evidence_text.index("idiot") + 5, "personal_attack"),
            ],
        )
    )
    moderator = new_page()
    login(moderator, server)
    moderator.goto(server.url(f"/moderate/queue?q=hostile-{tag}"))
    assert moderator.locator(".queue > .item").count() == len(ids)
    # The seeded comment's evidence, highlighted in place (the real screen may mark the others).
    seeded = moderator.locator(".queue > .item").filter(
        has=moderator.locator(":scope > p.text", has_text=f"hostile-{tag}-ev")
    )
    marks = seeded.locator(".text mark.ev")
    assert marks.count() == 2
    assert marks.nth(0).inner_text() == "<script>"
    assert marks.nth(1).inner_text() == "idiot"
    assert injected_elements(moderator, ".queue") == {
        "script": 0,
        "img": 0,
        "svg": 0,
        "iframe": 0,
        "jslink": 0,
        "handler": 0,
    }
    body = moderator.locator(".queue").inner_text()
    for payload in HOSTILE:
        assert payload in body
    shoot(moderator, "dashboard-hostile-pending")

    for comment_id in ids:
        server.api(
            "POST",
            f"/api/v1/moderation/comments/{comment_id}/decisions",
            {"decision": "approve", "reasons": []},
        )
    reader = new_page()
    reader.goto(server.url(f"/demo/articles/{EN_ARTICLE}"))
    thread = widget(reader, ".thread")
    widget(reader, ".thread .comment").filter(has_text=f"hostile-{tag}-0").wait_for()
    text = thread.inner_text()
    for payload in HOSTILE:
        assert payload in text
    assert "<b onmouseover=alert('name')>Mallory0</b>" in text
    assert injected_elements(reader, ".thread") == {
        "script": 0,
        "img": 0,
        "svg": 0,
        "iframe": 0,
        "jslink": 0,
        "handler": 0,
    }
    shoot(reader, "widget-hostile-published")
    # Hover and click everything that might have become live.
    for comment in widget(reader, ".thread .comment .text").all()[:6]:
        comment.hover()
        comment.click()
    moderator.goto(server.url(f"/moderate/comments/{ids[-1]}"))
    assert injected_elements(moderator, "main") == {
        "script": 0,
        "img": 0,
        "svg": 0,
        "iframe": 0,
        "jslink": 0,
        "handler": 0,
    }
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.csp_violations == []


def test_bidi_overrides_stay_inside_their_comment(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    comment_id = seed_comment(server, EN_ARTICLE, f"{BIDI} bidi-{tag}", f"\u202eRLO-{tag}")
    server.api(
        "POST",
        f"/api/v1/moderation/comments/{comment_id}/decisions",
        {"decision": "approve", "reasons": []},
    )
    reader = new_page()
    reader.goto(server.url(f"/demo/articles/{EN_ARTICLE}"))
    item = widget(reader, ".thread .comment").filter(has_text=f"bidi-{tag}")
    item.wait_for()
    styles = item.evaluate(
        """li => {
            const text = li.querySelector('.text'), author = li.querySelector('.author');
            return {text: getComputedStyle(text).unicodeBidi, dir: text.getAttribute('dir'),
                    author: getComputedStyle(author).unicodeBidi,
                    next: li.nextElementSibling ? getComputedStyle(li.nextElementSibling).direction
                          : 'ltr'};
        }"""
    )
    assert styles["text"] == "isolate"
    assert styles["dir"] == "auto"
    assert styles["author"] == "isolate"
    assert styles["next"] == "ltr"
    # The override did not leak: the time stamp after the author name still reads left to right.
    shoot(reader, "widget-bidi-isolated")

    moderator = new_page()
    login(moderator, server)
    moderator.goto(server.url(f"/moderate/queue?queue=approved&q=bidi-{tag}"))
    text = moderator.locator(".queue > .item .text").first
    assert text.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    assert watch.dialogs == []
    assert watch.errors == []


def test_sorani_widget_and_dashboard_are_right_to_left(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    reader = new_page()
    reader.goto(server.url(f"/demo/articles/{CKB_ARTICLE}"))
    shell = widget(reader, "section.rostra")
    shell.wait_for()
    assert shell.get_attribute("dir") == "rtl"
    assert shell.get_attribute("lang") == "ckb"
    assert reader.locator("html").get_attribute("dir") == "rtl"
    # Mirrored: the guidelines sit on the left of the form in RTL, on the right in LTR.
    form_box = widget(reader, "form.form").bounding_box()
    aside_box = widget(reader, "aside.guidelines").bounding_box()
    assert aside_box["x"] < form_box["x"]
    assert "ڕێنمایی" in widget(reader, "aside.guidelines h3").inner_text()
    assert widget(reader, "label[for=rostra-text]").inner_text() == "لێدوانەکەت"
    widget(reader, "#rostra-name").fill("ئاراس")
    widget(reader, "#rostra-text").fill(f"سوپاس بۆ ئەم هەواڵە، Erbil airport {tag}")
    widget(reader, "button[type=submit]").click()
    own = widget(reader, ".mine-list li.own").filter(has_text=tag)
    own.wait_for()
    assert "چاوەڕێی پێداچوونەوە" in own.inner_text()
    shoot(reader, "widget-ckb-awaiting-moderation")

    moderator = new_page()
    login(moderator, server, lang="ckb")
    assert moderator.locator("html").get_attribute("dir") == "rtl"
    assert moderator.locator("html").get_attribute("lang") == "ckb"
    item = moderator.locator(".queue > .item").filter(
        has=moderator.locator(":scope > p.text", has_text=tag)
    )
    item.wait_for()
    # Logical properties: the accent border of the current item is on the right in RTL.
    sides = item.evaluate(
        "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]"
    )
    assert float(sides[0].rstrip("px")) > float(sides[1].rstrip("px"))
    shoot(moderator, "dashboard-ckb-queue")
    moderator.goto(server.url("/moderate/stats"))
    assert moderator.locator("svg.chart").count() >= 2
    shoot(moderator, "dashboard-ckb-stats")
    assert watch.errors == []
    assert watch.csp_violations == []


def test_text_stays_in_the_box_on_a_refused_post_and_on_a_network_error(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    reader = new_page()
    reader.goto(server.url(f"/demo/articles/{EN_ARTICLE}"))
    widget(reader, "form.form").wait_for()
    refused = "Look \u202eevil\u202c at this"
    widget(reader, "#rostra-name").fill("Tester")
    widget(reader, "#rostra-text").fill(refused)
    widget(reader, "button[type=submit]").click()
    message = widget(reader, ".form-msg.error")
    message.wait_for()
    assert "still in the box" in message.inner_text()
    assert widget(reader, "#rostra-text").input_value() == refused
    shoot(reader, "widget-en-refused")

    kept = f"A thoughtful comment that must not be lost {uuid.uuid4().hex[:6]}"
    widget(reader, "#rostra-text").fill(kept)
    reader.route("**/api/v1/articles/*/comments", lambda route: route.abort())
    widget(reader, "button[type=submit]").click()
    widget(reader, ".form-msg.error").filter(has_text="could not reach").wait_for()
    assert widget(reader, "#rostra-text").input_value() == kept
    shoot(reader, "widget-en-network-error")
    reader.unroute("**/api/v1/articles/*/comments")
    widget(reader, "button[type=submit]").click()
    widget(reader, ".mine-list li.own").filter(has_text=kept).wait_for()
    assert widget(reader, "#rostra-text").input_value() == ""
    assert watch.errors == []


def test_widget_makes_no_third_party_requests(
    server: Server, new_page: Any, watch: PageWatch
) -> None:
    reader = new_page()
    reader.goto(server.url(f"/demo/articles/{EN_ARTICLE}"))
    widget(reader, "form.form").wait_for()
    reader.wait_for_load_state("networkidle")
    assert watch.requests
    foreign = [u for u in watch.requests if not u.startswith(server.base_url)]
    assert foreign == []
