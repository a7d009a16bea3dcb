"""Latency of rostra's Perspective endpoint, as Coral sees it (its timeout is 800 ms).

Against a running server::

    .venv/bin/python bench/perspective_latency.py \\
        --url http://127.0.0.1:8000/perspective/v1alpha1 --key "$KEY"

or self-contained (a temporary database, a perspective token, and rostra's app in a subprocess
with every analyzer that can be built today, stopped at the end)::

    .venv/bin/python bench/perspective_latency.py --spawn

Each request is the body Coral sends (``comment``, ``doNotStore``, ``requestedAttributes``,
``languages: ["en"]``) with comments in the six rostra languages; ``--all-attributes`` asks for
all nine attributes and ``--article`` adds the article as context (runs the relevance model).
Prints p50/p90/p99/max in milliseconds, errors, and throughput.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

CORAL_TIMEOUT_MS = 800.0

#: Short and long comments in each language, clean and abusive (what a comment section gets).
COMMENTS: tuple[str, ...] = (
    "Thank you for this report, the budget numbers are finally clear.",
    "You are an idiot and your article is garbage.",
    "The government has failed the public sector employees again, two months without salaries "
    "and no plan at all. Erbil and Baghdad keep blaming each other while families cannot pay "
    "rent. Where is the oil money going? We deserve answers, not more promises.",
    "شكرا على هذا التقرير المفيد عن الميزانية",
    "أنت حمار ولا تفهم شيئا في السياسة",
    "سوپاس بۆ ئەم ڕاپۆرتە باشە دەربارەی بودجە",
    "ئەم نووسەرە گەمژەیە و هیچ نازانێت",
    "Spas ji bo vê nûçeyê, ez bi te re me.",
    "Tu bêaqil î, tiştekî nizanî.",
    "Bütçe hakkında güzel bir haber, teşekkürler.",
    "Sen tam bir aptalsın, hiçbir şey bilmiyorsun.",
    "ممنون برای این گزارش خوب درباره بودجه",
    "تو یک احمق هستی و هیچ چیز نمی‌فهمی",
    "Call 0750 123 4567 on WhatsApp for cheap visas to Europe!!!",
)
ATTRIBUTES = (
    "TOXICITY",
    "SEVERE_TOXICITY",
    "INSULT",
    "PROFANITY",
    "THREAT",
    "IDENTITY_ATTACK",
    "SPAM",
    "OFF_TOPIC",
    "LIKELY_TO_REJECT",
)


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(q / 100 * len(sorted_values) + 0.4999))
    return sorted_values[min(rank, len(sorted_values)) - 1]


ARTICLE = (
    "Erbil and Baghdad still without a deal on salaries and oil revenue\n"
    "Talks between the Kurdistan Regional Government and the federal government in Baghdad "
    "ended on Sunday without agreement on the Region's share of the federal budget. Public "
    "sector employees in the Kurdistan Region have not received their salaries for two months."
)


def run(
    url: str,
    key: str,
    *,
    requests: int,
    concurrency: int,
    all_attributes: bool,
    article: bool = False,
) -> dict:
    wanted = ATTRIBUTES if all_attributes else ("TOXICITY",)
    analyze = f"{url.rstrip('/')}/comments:analyze?key={key}"
    statuses: dict[int, int] = {}
    first_error: dict[str, object] = {}

    def one(index: int, client: httpx.Client) -> float:
        body = {
            # Every comment is new in real traffic: a counter defeats the screen's caches.
            "comment": {"text": f"{COMMENTS[index % len(COMMENTS)]} ({index})"},
            "doNotStore": True,
            "requestedAttributes": {name: {} for name in wanted},
            "languages": ["en"],
        }
        if article:
            body["context"] = {"articleAndParentComment": {"article": {"text": ARTICLE}}}
        started = time.perf_counter()
        response = client.post(
            analyze, content=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        elapsed = (time.perf_counter() - started) * 1000
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code != 200 and not first_error:
            first_error.update(status=response.status_code, body=response.text[:300])
        return elapsed

    with httpx.Client(timeout=30) as client:
        for i in range(min(20, requests)):  # warm-up: models loaded, connections open
            one(i, client)
        statuses.clear()
        started = time.perf_counter()
        if concurrency <= 1:
            latencies = [one(i, client) for i in range(requests)]
        else:
            with ThreadPoolExecutor(concurrency) as pool:
                latencies = list(pool.map(lambda i: one(i, client), range(requests)))
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": requests,
        "concurrency": concurrency,
        "attributes": len(wanted),
        "article_context": article,
        "statuses": statuses,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p90_ms": round(percentile(latencies, 90), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(latencies[-1], 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "requests_per_second": round(requests / wall, 1),
        "under_coral_timeout": sum(1 for v in latencies if v < CORAL_TIMEOUT_MS) / requests,
        "first_error": first_error or None,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_only(port: int, only: list[str] | None) -> None:
    """Run rostra's app with the analyzers available today (the --spawn subprocess)."""
    import uvicorn

    from rostra.api.app import create_app
    from rostra.config import Settings
    from rostra.perspective.calibration import available_screen

    screen, used, missing = available_screen(only=only)
    print(json.dumps({"analyzers": used, "missing": missing}), flush=True)
    uvicorn.run(
        create_app(Settings(), screener=screen),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )


def spawn_server(
    workdir: Path, port: int, only: list[str] | None
) -> tuple[subprocess.Popen[str], str, str, dict]:
    """Migrate a fresh database, create a perspective token, start rostra's app."""
    rostra = str(Path(sys.executable).with_name("rostra"))
    env = {
        **os.environ,
        "ROSTRA_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "ROSTRA_VAR_DIR": str(workdir / "var"),
        "ROSTRA_PERSPECTIVE_RATE_LIMIT": "100000000",
        # As docs/benchmarks.md measures the screen: one BLAS thread per process.
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"),
    }
    subprocess.run([rostra, "migrate"], env=env, check=True, capture_output=True)
    created = subprocess.run(
        [rostra, "token", "create", "--role", "perspective", "--name", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    key = created.stdout.strip().splitlines()[-1].strip()
    command = [sys.executable, __file__, "--serve-only", "--port", str(port)]
    if only:
        command += ["--analyzers", ",".join(only)]
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    screen = json.loads(server.stdout.readline() or "{}")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, f"{base}/perspective/v1alpha1", key, screen
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise RuntimeError("the rostra server exited before it answered")
        time.sleep(0.25)
    server.terminate()
    raise RuntimeError("the rostra server did not answer /healthz in 300 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", help="the endpoint, e.g. http://127.0.0.1:8000/perspective/v1alpha1"
    )
    parser.add_argument("--key", help="a rostra API token of role perspective")
    parser.add_argument(
        "--spawn", action="store_true", help="start a throwaway rostra app on a temporary database"
    )
    parser.add_argument("--serve-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--analyzers",
        help="--spawn: only these analyzers (comma-separated parts of their ids, e.g. "
        "lexicon,promotion); default every analyzer of the policy that can be built",
    )
    parser.add_argument("--port", type=int, default=0, help="--spawn port (default: a free one)")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--all-attributes", action="store_true")
    parser.add_argument(
        "--article", action="store_true", help="send the article as context (off-topic signal)"
    )
    args = parser.parse_args()
    only = [a.strip() for a in args.analyzers.split(",")] if args.analyzers else None
    if args.serve_only:
        serve_only(args.port, only)
        return 0
    server = None
    screen: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.spawn:
            server, url, key, screen = spawn_server(Path(tmp), args.port or free_port(), only)
        elif args.url and args.key:
            url, key = args.url, args.key
        else:
            parser.error("give --url and --key, or --spawn")
        try:
            result = run(
                url,
                key,
                requests=args.requests,
                concurrency=args.concurrency,
                all_attributes=args.all_attributes,
                article=args.article,
            )
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    if screen:
        result["screen"] = screen
    print(json.dumps(result, indent=2))
    return 0 if set(result["statuses"]) == {200} else 1


if __name__ == "__main__":
    raise SystemExit(main())
