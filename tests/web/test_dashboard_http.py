"""The dashboard over HTTP: sign-in, CSRF on writes, escaping, filters, ordering, stats."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from rostra.store import queries
from rostra.store.models import ApiToken, Verdict
from rostra.web import STRICT_CSP
from rostra.web.dashboard import data

from .conftest import Web


def test_dashboard_pages_redirect_to_login_when_signed_out(web: Web) -> None:
    paths = ("/moderate/queue", "/moderate/stats", "/moderate/comments/1", "/moderate/authors/1")
    for path in paths:
        response = web.client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/moderate/login?next=")


def test_login_refuses_a_wrong_password_and_accepts_the_right_one(web: Web) -> None:
    wrong = web.login(password="not the password")
    assert wrong.status_code == 401
    assert "Wrong username or password" in wrong.text
    assert "rostra_session" not in web.client.cookies
    right = web.login()
    assert right.status_code == 303
    assert right.headers["location"] == "/moderate/queue"
    assert web.client.cookies.get("rostra_session")
    assert web.client.get("/moderate/queue").status_code == 200


def test_login_never_redirects_off_site(web: Web) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/api/v1/articles"):
        response = web.client.post(
            "/moderate/login",
            data={"username": web.username, "password": "correct horse battery", "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/moderate/queue"


def test_pages_carry_a_strict_csp_and_no_inline_code(signed_in: Web) -> None:
    signed_in.post("Hello")
    for path in ("/moderate/queue", "/moderate/stats", "/moderate/login"):
        response = signed_in.client.get(path)
        assert response.headers["content-security-policy"] == STRICT_CSP
        assert "unsafe-inline" not in STRICT_CSP
        scripts = re.findall(r"<script([^>]*)>", response.text)
        assert all("src=" in attrs or "application/json" in attrs for attrs in scripts)
        assert " style=" not in response.text
        assert not re.search(r"\son[a-z]+=", response.text)


def test_comment_text_is_escaped_in_the_queue(signed_in: Web) -> None:
    signed_in.post("<script>alert(1)</script> & <img src=x onerror=alert(2)>", author="<b>x</b>")
    page = signed_in.client.get("/moderate/queue").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_cookie_write_needs_the_csrf_token(signed_in: Web) -> None:
    comment_id = signed_in.post("Fine comment")
    refused = signed_in.client.post(
        f"/moderate/api/comments/{comment_id}/decisions",
        json={"decision": "approve", "reasons": []},
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    wrong = signed_in.client.post(
        f"/moderate/api/comments/{comment_id}/decisions",
        json={"decision": "approve", "reasons": []},
        headers={"X-CSRF-Token": "forged"},
    )
    assert wrong.status_code == 403
    assert signed_in.decide(comment_id, "approve").status_code == 201
    published = signed_in.client.get(f"/api/v1/comments/{comment_id}")
    assert published.status_code == 200
    assert published.json()["status"] == "approved"


def test_writes_refuse_anonymous_callers(web: Web) -> None:
    comment_id = web.post("Fine comment")
    response = web.client.post(
        f"/moderate/api/comments/{comment_id}/decisions",
        json={"decision": "approve", "reasons": []},
    )
    assert response.status_code == 401


def test_rejection_needs_a_policy_category_and_is_recorded_with_history(signed_in: Web) -> None:
    comment_id = signed_in.post("Buy followers now")
    assert signed_in.decide(comment_id, "reject").status_code == 422
    assert signed_in.decide(comment_id, "reject", ["not_a_category"]).status_code == 422
    assert signed_in.decide(comment_id, "approve").status_code == 201
    assert signed_in.decide(comment_id, "reject", ["promotion"]).status_code == 201
    page = signed_in.client.get(f"/moderate/comments/{comment_id}").text
    rows = re.findall(r'<tr class="(superseded|current)">', page)
    assert rows == ["current", "superseded"]
    assert "Mod One" in page
    own = signed_in.client.get(f"/api/v1/comments/{comment_id}")
    assert own.status_code == 404  # rejected: no longer public


def test_bulk_decision_is_all_or_nothing(signed_in: Web) -> None:
    ids = [signed_in.post(f"Spam {i}") for i in range(3)]
    bad = signed_in.client.post(
        "/moderate/api/decisions",
        json={"decision": "reject", "reasons": ["promotion"], "comment_ids": [*ids, 99999]},
        headers=signed_in.csrf(),
    )
    assert bad.status_code == 404
    assert signed_in.client.get("/moderate/queue").text.count('class="item status-pending"') == 3
    ok = signed_in.client.post(
        "/moderate/api/decisions",
        json={"decision": "reject", "reasons": ["promotion"], "comment_ids": ids},
        headers=signed_in.csrf(),
    )
    assert ok.status_code == 201
    assert ok.json() == {"decided": 3}
    assert "Spam 1" in signed_in.client.get("/moderate/queue?queue=rejected").text


def test_queue_counts_filters_and_search(signed_in: Web) -> None:
    first = signed_in.post("Erbil airport was calm today", author="A")
    signed_in.post("100% sure this is about Anbar", author="B")
    signed_in.post("Sorani comment", author="C", article_id="ckb-article")
    signed_in.decide(first, "approve")
    page = signed_in.client.get("/moderate/queue").text
    assert re.search(r"Pending review <span class=\"count\">2</span>", page)
    assert re.search(r"Approved <span class=\"count\">1</span>", page)
    only_ckb = signed_in.client.get("/moderate/queue?article=ckb-article").text
    assert "Sorani comment" in only_ckb
    assert "100% sure" not in only_ckb
    # A literal % is searched for, not used as a wildcard.
    percent = signed_in.client.get("/moderate/queue?q=100%25").text
    assert "100% sure" in percent
    assert "Sorani comment" not in percent
    none = signed_in.client.get("/moderate/queue?q=%25%25%25").text
    assert 'class="empty"' in none


def test_highest_risk_first_orders_by_the_screens_top_score(signed_in: Web) -> None:
    signed_in.post("A calm comment", author="Calm")
    signed_in.post("An angry comment [reject:threat]", author="Angry")
    oldest = signed_in.client.get("/moderate/queue?sort=oldest").text
    risky = signed_in.client.get("/moderate/queue?sort=risk").text
    assert oldest.index("A calm comment") < oldest.index("An angry comment")
    assert risky.index("An angry comment") < risky.index("A calm comment")
    threat_only = signed_in.client.get("/moderate/queue?category=threat").text
    assert "An angry comment" in threat_only
    assert "A calm comment" not in threat_only


def test_dashboard_speaks_arabic_and_sorani_right_to_left(signed_in: Web) -> None:
    for lang, word in (("ar", "قبول"), ("ckb", "پەسەندکردن")):
        signed_in.post(f"comment for {lang}")
        page = signed_in.client.get(f"/moderate/queue?lang={lang}").text
        assert f'<html lang="{lang}" dir="rtl">' in page
        assert word in page
    # The choice sticks (cookie) and English is one click away.
    assert 'dir="rtl"' in signed_in.client.get("/moderate/stats").text
    back = signed_in.client.get("/moderate/lang?set=en&next=/moderate/queue", follow_redirects=True)
    assert '<html lang="en" dir="ltr">' in back.text


def test_author_ban_and_notes(signed_in: Web) -> None:
    comment_id = signed_in.post("I will be banned", author="Banned Bob")
    with signed_in.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        author_id = queries.get_comment(session=session, comment_id=comment_id).author_id
    note = signed_in.client.post(
        f"/moderate/api/authors/{author_id}/notes",
        json={"note": "<i>warned</i> once"},
        headers=signed_in.csrf(),
    )
    assert note.status_code == 201
    empty = signed_in.client.post(
        f"/moderate/api/authors/{author_id}/notes", json={"note": "   "}, headers=signed_in.csrf()
    )
    assert empty.status_code == 422
    for too_short in (1e-9, 0.04, 0):  # under an hour: a ban that has ended before it starts
        short = signed_in.client.post(
            f"/moderate/api/authors/{author_id}/bans",
            json={"days": too_short},
            headers=signed_in.csrf(),
        )
        assert short.status_code == 422, (too_short, short.text)
    ban = signed_in.client.post(
        f"/moderate/api/authors/{author_id}/bans",
        json={"days": 7, "note": "attacks"},
        headers=signed_in.csrf(),
    )
    assert ban.status_code == 201
    assert ban.json()["until"]
    page = signed_in.client.get(f"/moderate/authors/{author_id}").text
    assert "&lt;i&gt;warned&lt;/i&gt; once" in page
    assert "Banned until" in page
    assert "I will be banned" in page
    refused = signed_in.client.post(
        "/api/v1/articles/erbil-drones/comments",
        json={"text": "again", "author_name": "Banned Bob"},
    )
    assert refused.status_code == 403
    lifted = signed_in.client.delete(
        f"/moderate/api/authors/{author_id}/bans", headers=signed_in.csrf()
    )
    assert lifted.json() == {"lifted": 1}


def test_stats_count_who_decided_rejections_and_agreement(signed_in: Web) -> None:
    agree = signed_in.post("Spam [reject:promotion]")
    disagree = signed_in.post("Looks bad [reject:threat]")
    signed_in.post("Still pending")
    signed_in.decide(agree, "reject", ["promotion"])
    signed_in.decide(disagree, "approve")
    with signed_in.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        figures = data.stats(session=session, site_id=signed_in.settings.site_id)
    assert figures.total == 3
    assert figures.decided_by == {"screen": 0, "moderator": 2, "pending": 1}
    assert figures.rejections_by_category == [("promotion", 1)]
    assert figures.agreement == 0.5
    assert figures.agreement_n == 2
    assert figures.median_hours_people is not None
    assert sum(n for _, n in figures.days) == 3
    page = signed_in.client.get("/moderate/stats").text
    assert page.count("<svg") >= 3
    assert "50 %" in page


def test_demo_article_page_embeds_the_widget_with_one_script_tag(web: Web) -> None:
    response = web.client.get("/demo/articles/ckb-article")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == STRICT_CSP
    assert '<html lang="ckb" dir="rtl">' in response.text
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert scripts == [
        '<script src="/embed.js" data-rostra-article="ckb-article" data-rostra-lang="ckb" async>'
    ]
    assert "Second &lt;b&gt;paragraph&lt;/b&gt;." in response.text
    assert web.client.get("/demo/articles/nope").status_code == 404
    index = web.client.get("/demo/")
    assert "/demo/articles/ckb-article" in index.text


def test_widget_assets_are_served(web: Web) -> None:
    script = web.client.get("/embed.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert web.client.get("/widget/widget.css").status_code == 200
    strings = web.client.get("/widget/i18n/ckb.json").json()
    assert strings["dir"] == "rtl"


def test_root_leads_a_newcomer_to_the_demo_only_in_development(
    make_settings: Any, screener: Any
) -> None:
    from fastapi.testclient import TestClient

    from rostra.api.app import create_app

    for environment, expected in (("development", 307), ("test", 404)):
        app = create_app(make_settings(environment=environment), screener=screener)
        with TestClient(app) as client:
            response = client.get("/", follow_redirects=False)
            assert response.status_code == expected
            if expected == 307:
                assert response.headers["location"] == "/demo/"
        app.state.rostra.engine.dispose()


def test_sign_out_needs_the_form_token(signed_in: Web) -> None:
    forged = signed_in.client.post(
        "/moderate/logout", data={"csrf": "nope"}, follow_redirects=False
    )
    assert forged.status_code == 403
    token = signed_in.client.cookies.get("rostra_csrf") or ""
    done = signed_in.client.post("/moderate/logout", data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 303
    signed_in.client.cookies.clear()
    assert signed_in.client.get("/moderate/queue", follow_redirects=False).status_code == 303


def test_queue_item_shows_the_authors_recent_comments(signed_in: Web) -> None:
    for i in range(5):
        signed_in.post(f"Older comment {i} <u>x</u>", author="Regular")
    signed_in.post("The newest one", author="Regular")
    page = signed_in.client.get("/moderate/queue?sort=newest").text
    first_item = page.split('<li class="item ')[1]
    assert "Recent comments (3)" in first_item
    assert "Older comment 4 &lt;u&gt;x&lt;/u&gt;" in first_item
    assert "Older comment 1" not in first_item


def test_missing_comment_or_author_is_an_html_404(signed_in: Web) -> None:
    for path in ("/moderate/comments/987654", "/moderate/authors/987654"):
        response = signed_in.client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "Not found" in response.text


def test_queue_links_the_article_page_and_only_web_publisher_urls(signed_in: Web) -> None:
    # The API refuses such a URL; an imported article might still carry one.
    with signed_in.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        queries.create_article(
            session=session,
            site_id=signed_in.settings.site_id,
            article_id="odd-url",
            url="javascript:alert(1)",
            title="Odd",
            body="x",
            language="en",
            actor="test",
        )
        session.commit()
    signed_in.post("On the normal article", author="N")
    signed_in.post("On the odd article", author="O", article_id="odd-url")
    page = signed_in.client.get("/moderate/queue").text
    assert 'href="https://news.example/erbil-drones"' in page
    assert 'href="/demo/articles/odd-url"' in page
    assert "javascript:" not in page


def test_history_names_an_api_token_decision_by_its_actor(signed_in: Web) -> None:
    comment_id = signed_in.post("Decided by a script")
    with signed_in.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        token_id = session.scalars(select(ApiToken.id)).one()
    decided = signed_in.client.post(
        f"/api/v1/moderation/comments/{comment_id}/decisions",
        json={"decision": "approve", "reasons": []},
        headers=signed_in.admin,
    )
    assert decided.status_code in (200, 201), decided.text
    assert signed_in.decide(comment_id, "reject", ["promotion"]).status_code == 201
    page = signed_in.client.get(f"/moderate/comments/{comment_id}").text
    who = re.findall(
        r'<tr class="(?:superseded|current)">\s*<td>.*?</td>\s*<td dir="auto">(.*?)</td>',
        page,
        re.S,
    )
    assert who == ["Mod One", f"token:{token_id}"]
    assert ">None<" not in page


def _meters(page: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'(\w+)="([^"]*)"', attrs)) for attrs in re.findall(r"<meter([^>]*)>", page)
    ]


def test_score_meters_show_a_high_risk_as_bad_not_green(signed_in: Web) -> None:
    signed_in.post("Clearly a threat [reject:threat]")
    meters = _meters(signed_in.client.get("/moderate/queue").text)
    assert len(meters) == 1
    meter = meters[0]
    # optimum in the low band: under ``low`` is good, over ``high`` is bad (red in browsers).
    assert float(meter["optimum"]) == 0.0
    low, high, value = float(meter["low"]), float(meter["high"]), float(meter["value"])
    assert 0 < low < high < 1
    assert value > high
    # The bands are the policy's review and reject thresholds.
    assert low == 0.45
    assert abs(high - 0.85) < 0.001


def test_overlapping_evidence_of_one_category_is_listed_once(signed_in: Web) -> None:
    text = "Well, You are an idiot, damn it"
    comment_id = signed_in.post(text)
    spans = [
        ("personal_attack", text.index("idiot"), text.index("idiot") + 5),  # the lexicon's
        ("personal_attack", text.index("You"), text.index("idiot") + 5),  # the classifier's
        ("profanity", text.index("damn"), text.index("damn") + 4),
    ]
    with signed_in.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        session.add(
            Verdict(
                comment_id=comment_id,
                recommendation="review",
                language="en",
                language_confidence=0.9,
                scores={"personal_attack": 0.7, "profanity": 0.5},
                reasons=["personal_attack"],
                evidence=[
                    {"category": c, "start": a, "end": b, "text": text[a:b]} for c, a, b in spans
                ],
                errors=[],
                model_version="t",
                policy_version="t",
                elapsed_ms=0.0,
            )
        )
        session.commit()
    for path in ("/moderate/queue", f"/moderate/comments/{comment_id}"):
        page = signed_in.client.get(path).text
        listed = re.search(r'<p class="evidence">(.*?)</p>', page, re.S)
        assert listed is not None
        words = re.findall(r"<mark[^>]*>(.*?)</mark>", listed.group(1))
        assert words == ["You are an idiot", "damn"], path
        in_place = re.search(r'<p class="text" dir="auto">(.*?)</p>', page, re.S)
        assert in_place is not None
        marks = re.findall(
            r'<mark class="ev" data-categories="([^"]*)">(.*?)</mark>', in_place.group(1)
        )
        assert marks == [("personal_attack", "You are an idiot"), ("profanity", "damn")], path


def test_category_filter_in_decided_queues_follows_the_current_decision(signed_in: Web) -> None:
    screen_threat_rejected_promotion = signed_in.post("Screen saw a threat [reject:threat]")
    screen_nothing_rejected_threat = signed_in.post("Screen saw nothing, people saw a threat")
    approved_despite_threat = signed_in.post("Screen saw a threat, people approved [reject:threat]")
    signed_in.post("Still pending threat [reject:threat]")
    changed_mind = signed_in.post("Rejected for threat, then for promotion")
    for comment_id, decision, reasons in (
        (screen_threat_rejected_promotion, "reject", ["promotion"]),
        (screen_nothing_rejected_threat, "reject", ["threat"]),
        (approved_despite_threat, "approve", []),
        (changed_mind, "reject", ["threat"]),
        (changed_mind, "reject", ["promotion"]),
    ):
        assert signed_in.decide(comment_id, decision, reasons).status_code == 201

    def listed(query: str) -> set[str]:
        page = signed_in.client.get(f"/moderate/queue?{query}").text
        return set(re.findall(r'<p class="text" dir="auto">(.*?)</p>', page, re.S))

    assert listed("queue=rejected&category=threat") == {"Screen saw nothing, people saw a threat"}
    assert listed("queue=rejected&category=promotion") == {
        "Screen saw a threat [reject:threat]",
        "Rejected for threat, then for promotion",
    }
    assert listed("queue=approved&category=threat") == {
        "Screen saw a threat, people approved [reject:threat]"
    }
    assert listed("queue=pending&category=threat") == {"Still pending threat [reject:threat]"}
    assert listed("queue=pending&category=promotion") == set()


def _seed_scored(web: Web, scores: list[dict[str, float]]) -> list[int]:
    """Pending comments with a screen verdict of these scores, oldest first (store only)."""
    ids = []
    with web.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        author = queries.posting_author(
            session=session, site_id=web.settings.site_id, kind="guest", identity_key="x", name="X"
        )
        for i, score in enumerate(scores):
            comment_id = queries.insert_comment(
                session=session,
                site_id=web.settings.site_id,
                article_id="erbil-drones",
                author_id=author.id,
                text=f"Seeded {i:04d}",
                parent=None,
                ip_hash=None,
                author_token_hash="0" * 64,
            )
            session.add(
                Verdict(
                    comment_id=comment_id,
                    recommendation="review",
                    language="en",
                    language_confidence=0.9,
                    scores=score,
                    reasons=[],
                    evidence=[],
                    errors=[],
                    model_version="t",
                    policy_version="t",
                    elapsed_ms=0.0,
                )
            )
            ids.append(comment_id)
        session.commit()
    return ids


def test_highest_risk_first_ranks_the_whole_queue_not_only_the_oldest(signed_in: Web) -> None:
    # 600 calm comments, then the riskiest ones last: a window of the oldest would miss them.
    calm = [{"off_topic": 0.1 + (i % 7) / 100} for i in range(600)]
    _seed_scored(signed_in, [*calm, {"threat": 0.97, "profanity": 0.2}, {"promotion": 0.9}])
    signed_in.post("Never screened")  # the scripted screen's verdict has no scores: risk 0

    def texts(page: int) -> list[str]:
        html = signed_in.client.get(f"/moderate/queue?sort=risk&page={page}").text
        return re.findall(r'<p class="text" dir="auto">(.*?)</p>', html, re.S)

    first = texts(1)
    assert first[:2] == ["Seeded 0600", "Seeded 0601"]
    assert len(first) == 25
    # Then by score, ties oldest first, across pages; the unscored comment comes last.
    assert first[2:4] == ["Seeded 0006", "Seeded 0013"]
    last = texts(25)
    assert last[-1] == "Never screened"
    assert "Seeded 0600" not in texts(2)


def test_stats_chart_agreement_and_time_to_decision_per_day(signed_in: Web) -> None:
    agree = signed_in.post("Spam [reject:promotion]")
    disagree = signed_in.post("Looks bad [reject:threat]")
    signed_in.decide(agree, "reject", ["promotion"])
    signed_in.decide(disagree, "approve")
    with signed_in.client.app.state.rostra.sessions() as session:  # type: ignore[attr-defined]
        figures = data.stats(session=session, site_id=signed_in.settings.site_id, days=7)
    today = figures.days[-1][0]
    assert figures.agreement_days[-1] == (today, 0.5)
    assert all(v is None for _, v in figures.agreement_days[:-1])
    assert figures.median_hours_people_days[-1][0] == today
    assert figures.median_hours_people_days[-1][1] is not None
    page = signed_in.client.get("/moderate/stats?days=7").text
    charts = dict(re.findall(r'<svg class="chart"[^>]*aria-label="([^"]*)"[^>]*>(.*?)</svg>', page))
    agreement = charts["Agreement with the screen per day (%)"]
    assert re.findall(r"<title>[^<]*: ([^<]*)</title></rect>", agreement) == ["50 %"]
    median = charts["Median time to a moderator's decision per day"]
    bars = re.findall(r"<title>[^<]*: ([^<]*)</title></rect>", median)
    assert len(bars) == 1
    assert bars[0].endswith(" s")  # decided within seconds
    assert len(charts) >= 6


def test_stats_durations_are_in_the_dashboards_language(signed_in: Web) -> None:
    comment_id = signed_in.post("Decide me")
    signed_in.decide(comment_id, "approve")
    for lang, unit in (("ar", "ثانية"), ("ckb", "چرکە"), ("en", " s")):
        page = signed_in.client.get(f"/moderate/stats?lang={lang}").text
        figure = re.search(r'<p class="big" dir="auto">([^<]*)</p>', page)
        assert figure is not None
        assert figure.group(1).endswith(unit), (lang, figure.group(1))
        median = re.findall(r'<td dir="auto">([^<]*)</td>', page)
        assert any(cell.endswith(unit) for cell in median), lang
