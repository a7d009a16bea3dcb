"""Mixed load (issue 5 §1): 80% thread reads, 15% posts, 5% moderation, open loop at a fixed
rate, against real ``rostra serve`` processes with the default screen and default rate limits.

    .venv/bin/python -m bench.load.mixed --database sqlite --seconds 600
    .venv/bin/python -m bench.load.mixed --database postgresql --processes 2 --seconds 600

SQLite runs one server process; PostgreSQL runs ``--processes`` servers sharing rate limits
through Redis, with requests spread round-robin. Every 10 s it records throughput, p50/p99 per
kind of request, every status, and each server's RSS; the run is written to
bench/results/load-<database>.json. Requests are scheduled at ``start + i / rate`` whatever
happened before (no coordinated omission): latency counts from the scheduled time.

Clients come from 200 simulated networks (X-Forwarded-For) and 2,000 author names, so the
default per-network and per-author limits apply as they would to a real crowd: a 429 is an
intended answer and counted apart from errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
from bench.load.common import PG_URL, Cluster, summary

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ("erbil-anbar-drone-attacks", "ckb-erbil-drone-defence", "ar-anbar-base-attack")
TEXTS = (
    "Thank you for the clear report on the drone attacks near Erbil airport.",
    "Were any soldiers hurt at Ain al-Asad? The article does not say.",
    "سوپاس بۆ ئەم ڕاپۆرتە، هیوادارم ئاسایش بگەڕێتەوە.",
    "شكرا على هذا التقرير، نتمنى الأمان لأهل أربيل والأنبار.",
    "The federal government must explain why the air defences failed again.",
    "My cousin lives near the base; the night was terrifying for the families.",
)
#: Words that make every post's letters differ: a real crowd does not repeat one text, and the
#: site-wide per-text limit (``rate_limit_per_text``) would otherwise answer most posts 429.
WORDS = (
    "today", "again", "really", "sadly", "honestly", "truly", "still", "surely", "maybe",
    "please", "finally", "clearly", "quietly", "openly", "bravely", "calmly", "kindly",
    "wisely", "slowly", "gladly", "boldly", "fairly", "simply", "deeply", "rightly",
    "warmly", "firmly", "plainly", "gently", "nearly", "mostly", "partly",
)  # fmt: skip
WINDOW = 10.0


def text_for(i: int) -> str:
    """Post ``i``'s text: one of TEXTS plus three words spelling ``i`` in base ``len(WORDS)``."""
    n, words, rest = len(WORDS), [], i
    for _ in range(3):
        rest, digit = divmod(rest, n)
        words.append(WORDS[digit])
    return f"{TEXTS[i % len(TEXTS)]} {' '.join(words)}"


def _seed(cluster: Cluster, approved_per_article: int) -> None:
    base = cluster.bases[0]
    headers = {"Authorization": f"Bearer {cluster.admin_token}"}
    with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
        for article in ARTICLES:
            for i in range(approved_per_article):
                posted = client.post(
                    f"/api/v1/articles/{article}/comments",
                    json={"text": f"{text_for(i)} seed", "author_name": f"s{i}"},
                    headers={"X-Forwarded-For": f"10.250.{i % 250}.1"},
                )
                posted.raise_for_status()
                client.post(
                    f"/api/v1/moderation/comments/{posted.json()['id']}/decisions",
                    json={"decision": "approve"},
                ).raise_for_status()


async def _run(cluster: Cluster, rate: float, seconds: float, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    total = int(rate * seconds)
    plan = rng.choices(["read", "post", "moderate"], weights=[80, 15, 5], k=total)
    pending: list[int] = []
    windows: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"latency": defaultdict(list), "status": Counter()}
    )
    rss: list[dict[str, Any]] = []
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=200)
    bases = cluster.bases
    auth = {"Authorization": f"Bearer {cluster.admin_token}"}
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        start = time.perf_counter() + 0.5

        async def one(i: int, kind: str) -> None:
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            base = bases[i % len(bases)]
            article = ARTICLES[i % len(ARTICLES)]
            network = f"10.{i % 200 // 100}.{i % 100}.{7 + i % 5}"
            try:
                if kind == "read":
                    response = await client.get(
                        f"{base}/api/v1/articles/{article}/comments", params={"limit": 50}
                    )
                elif kind == "post":
                    body = {
                        "text": text_for(i),
                        "author_name": f"reader{rng.randrange(2000)}",
                    }
                    response = await client.post(
                        f"{base}/api/v1/articles/{article}/comments",
                        json=body,
                        headers={"X-Forwarded-For": network},
                    )
                    if response.status_code == 202 and response.json()["status"] == "pending":
                        pending.append(int(response.json()["id"]))
                elif pending and i % 2:
                    comment_id = pending.pop(0)
                    response = await client.post(
                        f"{base}/api/v1/moderation/comments/{comment_id}/decisions",
                        json={"decision": "approve"},
                        headers=auth,
                    )
                else:
                    response = await client.get(
                        f"{base}/api/v1/moderation/queue", params={"limit": 20}, headers=auth
                    )
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            window = windows[int((scheduled - start) // WINDOW)]
            window["latency"][kind].append((time.perf_counter() - scheduled) * 1000)
            window["status"][f"{kind}:{status}"] += 1

        async def sample_rss() -> None:
            while True:
                rss.append({"t": round(time.perf_counter() - start, 1), "rss_mb": cluster.rss()})
                await asyncio.sleep(WINDOW)

        sampler = asyncio.create_task(sample_rss())
        await asyncio.gather(*(one(i, kind) for i, kind in enumerate(plan)))
        sampler.cancel()
        rss.append({"t": round(time.perf_counter() - start, 1), "rss_mb": cluster.rss()})
        elapsed = time.perf_counter() - start

    timeline = []
    everything: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    for index in sorted(windows):
        window = windows[index]
        done = sum(window["status"].values())
        timeline.append(
            {
                "t": index * WINDOW,
                "throughput": round(done / WINDOW, 1),
                "by_kind": {k: summary(v) for k, v in window["latency"].items()},
                "statuses": dict(window["status"]),
            }
        )
        for kind, values in window["latency"].items():
            everything[kind].extend(values)
        statuses.update(window["status"])
    errors = sum(n for key, n in statuses.items() if not key.split(":")[1].startswith(("2", "429")))
    return {
        "offered_rate": rate,
        "seconds": seconds,
        "requests": total,
        "achieved_throughput": round(total / elapsed, 1),
        "overall": {k: summary(v) for k, v in everything.items()},
        "statuses": dict(statuses),
        "error_rate": round(errors / total, 5),
        "rate_limited": sum(n for key, n in statuses.items() if key.endswith(":429")),
        "rss_mb": rss,
        "timeline": timeline,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--processes", type=int, default=None, help="servers (PG default 3)")
    parser.add_argument("--rate", type=float, default=20, help="requests per second, all kinds")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed-comments", type=int, default=60, help="approved per article")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--tracemalloc",
        type=Path,
        default=None,
        help="run the servers under tracemalloc, heap snapshots in DIR/<pid> (see traced.py)",
    )
    parser.add_argument("--snapshot-every", type=float, default=120, help="seconds")
    args = parser.parse_args(argv)
    processes = args.processes or (3 if args.database == "postgresql" else 1)
    with tempfile.TemporaryDirectory(prefix="rostra-load-") as tmp:
        work = Path(tmp)
        if args.database == "sqlite":
            cluster = Cluster(work, f"sqlite:///{work / 'rostra.db'}", count=processes)
        else:
            schema = f"rostra_load_{uuid.uuid4().hex[:6]}"
            cluster = Cluster(work, PG_URL, count=processes, schema=schema, redis=True)
        if args.tracemalloc:
            out = args.tracemalloc.resolve()
            every = str(args.snapshot_every)
            cluster.launcher = ["-m", "bench.load.traced", "--out", str(out), "--every", every]
        try:
            cluster.start()
            _seed(cluster, args.seed_comments)
            result = asyncio.run(_run(cluster, args.rate, args.seconds, seed=5))
            if cluster.redis:
                result["redis_rate_keys_at_end"] = cluster.redis_rate_keys()
        finally:
            cluster.stop()
    result.update(database=args.database, processes=processes, redis=args.database != "sqlite")
    out = args.json or ROOT / "bench" / "results" / f"load-{args.database}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    brief = {k: v for k, v in result.items() if k not in ("timeline", "rss_mb")}
    brief["rss_mb_first_last"] = [result["rss_mb"][0], result["rss_mb"][-1]]
    print(json.dumps(brief, indent=2))
    return result


if __name__ == "__main__":
    main()
