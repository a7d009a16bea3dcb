"""The dashboard's script speaks the page's language: Arabic plural forms chosen in the browser."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from rostra.web.dashboard.i18n import translator

from .support import EN_ARTICLE, PageWatch, Server, login

pytestmark = pytest.mark.e2e


def test_arabic_selection_counts_use_every_plural_form(
    server: Server, new_page: Any, watch: PageWatch, shoot: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    for i in range(11):
        server.post_comment(EN_ARTICLE, f"Arabic plural check {tag} {i}", "Plural")
    ar = translator("ar")
    moderator = new_page()
    login(moderator, server, lang="ar")
    moderator.goto(server.url(f"/moderate/queue?q={tag}"))
    assert moderator.locator("html").get_attribute("lang") == "ar"
    items = moderator.locator(".queue > .item")
    assert items.count() == 11
    count = moderator.locator(".bulk .selcount")
    seen = {}
    for n in range(1, 12):
        moderator.keyboard.press("x")
        moderator.keyboard.press("j")
        if n in (1, 2, 3, 11):
            seen[n] = count.inner_text()
            assert seen[n] == ar("selected", n=n), n
    # one, two (no digit), few, many: four different forms, none of them "two" past 2.
    assert seen[1] == "تعليق واحد محدد"
    assert seen[2] == "تعليقان محددان"
    assert seen[3] == "3 تعليقات محددة"
    assert seen[11] == "11 تعليقًا محددًا"
    shoot(moderator, "dashboard-ar-eleven-selected")

    # The bulk decision's message too; then undo inside the window so nothing is recorded.
    moderator.keyboard.press("a")
    toast = moderator.locator("#toast")
    toast.wait_for()
    assert ar("done_bulk", n=11) in toast.inner_text()
    assert "حُسم 11 تعليقًا." in toast.inner_text()
    moderator.keyboard.press("u")
    moderator.wait_for_function(
        "() => [...document.querySelectorAll('.queue > .item')].every(e => !e.hidden)"
    )
    assert watch.errors == []
