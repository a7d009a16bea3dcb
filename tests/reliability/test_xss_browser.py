"""The XSS corpus (xss_payloads.txt, 270+ payloads) posted through the API and rendered in the
widget and the dashboard in real headless Chromium, with zero executions (issue 5 §3).

Every payload calls ``alert``/``__xss(n)`` or sets ``window.__pwned`` when it runs; an init
script hooks all of them before any page script. After rendering, the test asserts: nothing
ran, no dialog opened, no Content-Security-Policy violation was reported (a violation would
mean markup got into the page and only the CSP stopped it), no element a payload could
create exists inside the rendered comments, and every payload is shown as the text it was.
Payloads carrying bidi overrides (LRO/RLO) are refused at the API (422 forbidden_characters):
shown harmlessly by never being stored; isolates and embeddings are stored and shown inside
each comment's bidi isolation.

The browser runs in a worker thread with its own Playwright: the e2e suite's session-scoped
browser may be live in the main thread of the same xdist worker, and Playwright's sync API
refuses to start twice in one thread.
"""

from __future__ import annotations

import json
import re
import urllib.error
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, _watch_page
from e2e.support import SHADOW, PageWatch, Server, login

pytestmark = pytest.mark.e2e

CORPUS = Path(__file__).with_name("xss_payloads.txt")
PER_COMMENT = 12
SEPARATOR = " ¦ "

HOOKS = """
window.__pwned = [];
window.__xss = (n) => window.__pwned.push('xss:' + n);
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => window.__pwned.push(name + ':' + args.join(','));
}
"""

#: Elements no comment rendering may contain, and attributes no element may carry.
INJECTED = """root => {
  const scopes = [document];
  const host = document.querySelector('#rostra-comments');
  if (host && host.shadowRoot) scopes.push(host.shadowRoot);
  const bad = [];
  const tags = 'script,img,svg,iframe,frame,frameset,object,embed,math,template,style,link,' +
    'meta,base,marquee,video,audio,source,picture,x-foo,dialog,isindex,keygen,xml';
  for (const scope of scopes) {
    for (const el of scope.querySelectorAll(root)) {
      for (const found of el.querySelectorAll(tags)) bad.push(found.outerHTML.slice(0, 80));
      for (const found of el.querySelectorAll('*')) {
        for (const attr of found.attributes) {
          const value = attr.value.trim().toLowerCase();
          if (attr.name.startsWith('on') || /^(javascript|vbscript|data):/.test(value) ||
              attr.name === 'srcdoc' || attr.name === 'style' && value.includes('url(')) {
            bad.push(found.outerHTML.slice(0, 80));
          }
        }
      }
    }
  }
  return bad;
}"""


def load_corpus() -> list[str]:
    # split("\n"), not splitlines(): some payloads contain U+2028/U+2029 on purpose.
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


def _post(server: Server, article_id: str, text: str, author: str) -> int | None:
    """The comment id, or None when the API refused it as forbidden characters."""
    refused: tuple[int, Any] = (0, None)
    try:
        return int(server.post_comment(article_id, text, author)["id"])
    except urllib.error.HTTPError as exc:
        body = json.loads(exc.read() or b"{}")
        refused = (exc.code, body.get("code"))
    assert refused == (422, "forbidden_characters"), refused
    return None


def _shown(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _assert_inert(page: Any, root: str, watch: PageWatch, where: str) -> None:
    # The hooks are live (a payload that ran would have been recorded), then look.
    probe = page.evaluate("() => { alert('probe'); return window.__pwned.splice(0); }")
    assert probe == ["alert:probe"], f"{where}: the hooks are not installed"
    pwned = page.evaluate("() => window.__pwned")
    assert pwned == [], f"{where}: payloads ran: {pwned}"
    assert page.evaluate(INJECTED, root) == [], f"{where}: injected markup"
    assert watch.dialogs == [], f"{where}: dialogs {watch.dialogs}"
    assert watch.csp_violations == [], f"{where}: CSP had to block {watch.csp_violations[:3]}"


def test_corpus_is_large_and_varied() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 200
    assert len(set(corpus)) == len(corpus)
    for family in ("<script", "onerror", "<svg", "javascript:", "&#", "{{", "\u202e", "\u200b"):
        assert any(family in p for p in corpus), family


def test_no_payload_executes_in_the_widget_or_the_dashboard(server: Server, shoot: Any) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make browser`")
    playwright_api = pytest.importorskip("playwright.sync_api")

    def in_own_thread() -> None:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                _scenario(server, browser, PageWatch(), shoot)
            finally:
                browser.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(in_own_thread).result()


def _scenario(server: Server, browser: Any, watch: PageWatch, shoot: Any) -> None:
    def new_page() -> Any:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        _watch_page(page, watch)
        return page

    corpus = load_corpus()
    tag = uuid.uuid4().hex[:8]
    article_id = f"xss-corpus-{tag}"
    server.api(
        "POST",
        "/api/v1/articles",
        {
            "id": article_id,
            "url": f"https://news.example/{article_id}",
            "title": "XSS corpus",
            "body": "An article that collects hostile comments.",
            "language": "en",
        },
    )
    shown: list[str] = []
    refused: list[str] = []
    ids: list[int] = []
    for start in range(0, len(corpus), PER_COMMENT):
        chunk = corpus[start : start + PER_COMMENT]
        author = chunk[0][:80]
        text = f"xss-{tag}-{start}{SEPARATOR}" + SEPARATOR.join(chunk)
        comment_id = _post(server, article_id, text, author)
        if comment_id is not None:
            ids.append(comment_id)
            shown.extend(chunk)
            continue
        for offset, payload in enumerate(chunk):  # find the refused ones
            single = _post(server, article_id, f"xss-{tag}-{start}-{offset} {payload}", "Mallory")
            if single is None:
                refused.append(payload)
            else:
                ids.append(single)
                shown.append(payload)
    assert len(shown) >= 200, f"only {len(shown)} payloads were stored; refused: {refused}"
    assert all(re.search("[\u202d\u202e]", p) for p in refused), refused  # overrides only

    moderator = new_page()
    moderator.add_init_script(HOOKS)
    login(moderator, server)
    seen = ""
    for page_number in range(1, 1 + (len(ids) + 24) // 25 + 1):
        moderator.goto(server.url(f"/moderate/queue?q=xss-{tag}&page={page_number}"))
        if moderator.locator(".queue > .item").count() == 0:
            break
        for item in moderator.locator(".queue > .item .text").all()[:3]:
            item.hover()
        _assert_inert(moderator, ".queue", watch, f"dashboard queue page {page_number}")
        seen += " " + moderator.locator(".queue").inner_text()
    shoot(moderator, "xss-corpus-dashboard")
    missing = [p for p in shown if _shown(p) not in _shown(seen)]
    assert not missing, f"dashboard does not show {len(missing)} payloads as text: {missing[:5]}"
    moderator.goto(server.url(f"/moderate/comments/{ids[0]}"))
    _assert_inert(moderator, "main", watch, "dashboard comment page")

    for comment_id in ids:
        server.api(
            "POST",
            f"/api/v1/moderation/comments/{comment_id}/decisions",
            {"decision": "approve", "reasons": []},
        )
    reader = new_page()
    reader.add_init_script(HOOKS)
    reader.goto(server.url(f"/demo/articles/{article_id}"))
    comments = reader.locator(f"{SHADOW} .thread .comment")
    comments.first.wait_for()
    more = reader.locator(f"{SHADOW} button.more")
    for _ in range(len(ids)):
        if comments.count() >= len(ids) or not more.is_visible():
            break
        before = comments.count()
        more.click()
        reader.wait_for_function(
            "([sel, n]) => document.querySelector('#rostra-comments').shadowRoot"
            ".querySelectorAll(sel).length > n",
            arg=[".thread .comment", before],
        )
    assert comments.count() == len(ids)
    for text in reader.locator(f"{SHADOW} .thread .comment .text").all()[:5]:
        text.hover()
        text.click()
    _assert_inert(reader, ".thread", watch, "widget")
    thread = reader.locator(f"{SHADOW} .thread").inner_text()
    missing = [p for p in shown if _shown(p) not in _shown(thread)]
    assert not missing, f"widget does not show {len(missing)} payloads as text: {missing[:5]}"
    shoot(reader, "xss-corpus-widget")
