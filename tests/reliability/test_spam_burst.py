"""A fast, in-process version of the spam wave (issue 5 §5; the full 5,000-comment wave is
bench/load/spam_wave.py): a burst of near-duplicate promotional comments from many authors in
auto mode is never published, and a normal reader's comment in the same burst is accepted
promptly. Runs the real promotion and near-duplicate analyzers (no models to load)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from rostra.config import Settings
from rostra.screening.policy import Policy
from rostra.services.screener import build_screener

from .conftest import ARTICLE, build_world

POLICY = """
version = "spam-burst-test"
mode = "auto"
categories = ["promotion", "personal_attack"]

[thresholds.default]
reject = 0.85
review = 0.45

[[analyzers]]
factory = "rostra.promotion.v1"

[[analyzers]]
factory = "rostra.duplicates.v1"
"""


def spam(n: int) -> str:
    return (
        f"EARN $500 A DAY from home!!! Visit cash-fast{n % 7}.example/join or WhatsApp "
        f"+964 750 {1000 + n % 9000} now, limited offer, only today ({n % 50})"
    )


def test_a_burst_of_promotional_near_duplicates_is_never_published(
    make_settings: Callable[..., Settings],
) -> None:
    screener = build_screener(Policy.from_toml(POLICY))
    # The site-wide text limit would refuse all but 10 copies before the screen; this test is
    # about the screen's own containment, so it lets every copy through to it.
    world = build_world(make_settings(rate_limit_per_text=100_000), screener)
    try:
        mode = world.client.patch(
            "/api/v1/admin/site", json={"moderation_mode": "auto"}, headers=world.admin
        )
        assert mode.status_code == 200, mode.text
        url = f"/api/v1/articles/{ARTICLE['id']}/comments"

        def post(n: int) -> str:
            response = world.client.post(url, json={"text": spam(n), "author_name": f"p{n}"})
            assert response.status_code == 202, response.text
            return str(response.json()["status"])

        with ThreadPoolExecutor(8) as pool:
            burst = [pool.submit(post, n) for n in range(120)]
            time.sleep(0.2)  # the burst is in flight
            began = time.monotonic()
            reader = world.client.post(
                url,
                json={"text": "Were civilians warned before the strikes?", "author_name": "R"},
            )
            reader_seconds = time.monotonic() - began
            still_running = sum(not f.done() for f in burst)
            outcomes = Counter(f.result() for f in burst)
        assert still_running > 0, "the reader posted after the burst, not during it"
        assert outcomes["approved"] == 0, outcomes
        assert outcomes["rejected"] + outcomes["pending"] == 120
        assert outcomes["rejected"] > 0, outcomes
        thread = world.client.get(f"{url}?limit=100").json()
        assert not any("cash-fast" in c["text"] for c in thread["data"])
        assert reader.status_code == 202, reader.text
        assert reader.json()["status"] != "rejected"
        assert reader_seconds < 5, reader_seconds
    finally:
        world.client.close()
        world.app.state.rostra.engine.dispose()
