"""What the first comment on an article costs when the article was encoded elsewhere.

    .venv/bin/python -m bench.article_vectors                        # this checkout
    PYTHONPATH=<old checkout>/src .venv/bin/python -m bench.article_vectors   # a "before" run

A real ``rostra serve --workers 2`` on a fresh SQLite database with the shipped screen:

1. ``--articles`` articles are registered (the worker that takes each one encodes it in the
   background), then, after a pause for that, **one comment per article**: with two workers
   about half of these land on the worker that did not encode the article.
2. The server is restarted and **one more comment per article** is posted: every worker
   starts with an empty cache.

Each POST is timed from the client (sequential requests, so this is latency, not load). Before
article vectors were kept on the article's row, a worker that had not encoded the article paid
for it in the comment's request; with them, it reads the vector with the article.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from bench import service_load
from bench.load.common import percentile

BODY = (
    "Armed drones were launched at a base near {place} overnight, the regional security "
    "council said. Air defences intercepted two of them; a third hit a storage building and "
    "caused a fire that was put out by morning. No group has claimed the attack. Officials "
    "in Baghdad and Erbil said an investigation had begun, and residents described hearing "
    "three explosions shortly after midnight. Report number {n}."
)
PLACES = ("Erbil", "Duhok", "Sulaymaniyah", "Kirkuk", "Anbar", "Mosul", "Halabja", "Zakho")
COMMENT = "How many drones were there, and why did the air defences miss the third one? ({n})"


def _articles(count: int) -> list[dict[str, str]]:
    return [
        {
            "id": f"vectors-{n}",
            "url": f"https://bench.example/vectors/{n}",
            "title": f"Drone attack near {PLACES[n % len(PLACES)]}, report {n}",
            "body": BODY.format(place=PLACES[n % len(PLACES)], n=n),
            "language": "en",
        }
        for n in range(count)
    ]


def _post_each(base: str, articles: list[dict[str, str]], round_: int) -> list[float]:
    timings: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for article in articles:
            body = {"text": COMMENT.format(n=f"{round_}-{article['id']}"), "author_name": "bench"}
            started = time.perf_counter()
            client.post(f"/api/v1/articles/{article['id']}/comments", json=body).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(timings: list[float]) -> dict[str, float]:
    return {
        "n": len(timings),
        "p50_ms": round(percentile(timings, 50), 1),
        "p90_ms": round(percentile(timings, 90), 1),
        "max_ms": round(max(timings), 1),
        "over_60_ms": sum(1 for t in timings if t > 60),
    }


def run(articles: int, workers: int, work: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "ROSTRA_ENVIRONMENT": "test",
        "ROSTRA_SECRET_KEY": service_load.SECRET,
        "ROSTRA_DATABASE_URL": f"sqlite:///{work / 'vectors.db'}",
        "ROSTRA_RATE_LIMIT_PER_AUTHOR": "10000000",
        "ROSTRA_RATE_LIMIT_PER_IP": "10000000",
        "ROSTRA_RATE_LIMIT_PER_TEXT": "10000000",
        "ROSTRA_SCREEN_TIME_BUDGET": "5",
    }
    for name in ("ROSTRA_REDIS_URL", "ROSTRA_POLICY_FILE", "ROSTRA_DATABASE_SCHEMA"):
        env.pop(name, None)
    token = service_load.migrate_and_create_token(env)
    listed = _articles(articles)
    args = ["--workers", str(workers)]
    log = work / "serve.log"
    with service_load.Server(env, service_load._free_port(), log, args) as server:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.base, timeout=30, headers=headers) as client:
            for article in listed:
                client.post("/api/v1/articles", json=article).raise_for_status()
        time.sleep(max(5.0, 0.3 * articles))  # the background encodings finish
        first = _post_each(server.base, listed, 1)
    with service_load.Server(env, service_load._free_port(), log, args) as server:
        after_restart = _post_each(server.base, listed, 2)
    return {
        "workers": workers,
        "articles": articles,
        "first_comment": _summary(first),
        "first_comment_after_restart": _summary(after_restart),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rostra-bench-vectors-") as tmp:
        result = run(args.articles, args.workers, Path(tmp))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
