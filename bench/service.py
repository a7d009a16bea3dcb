"""The service benchmark of issue 2 §10, run on SQLite and PostgreSQL, written into
docs/benchmarks.md ("Service") and bench/results/service.json.

    .venv/bin/python -m bench.service                 # SQLite + local PostgreSQL, both screens
    .venv/bin/python -m bench.service --no-postgres   # SQLite only
    PYTHONPATH=<old checkout>/src .venv/bin/python -m bench.service   # a "before" run, then
    .venv/bin/python -m bench.service --before <its service.json>   # after, with a comparison
    .venv/bin/python -m bench.service --workers 2     # only `rostra serve --workers 2`

Server setup, the 200-comment thread and the ``wrk`` runs (closed-loop POST, thread GET) come
from bench/service_load.py (the service engineer's bench). The fixed-rate POST phase uses
bench/load/rawhttp.py instead of its httpx client: httpx's pool burns the client's CPU at
200 requests/s (the server sat idle), which measured the client, not rostra. Requests are
scheduled at ``start + i / rate`` and latency counts from the scheduled time.
Rate limits are raised through settings (``ROSTRA_RATE_LIMIT_PER_IP``,
``ROSTRA_RATE_LIMIT_PER_AUTHOR`` and ``ROSTRA_RATE_LIMIT_PER_TEXT`` = 10,000,000) so the
benchmark measures throughput, not the flood guard.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import service_load
from bench.load import rawhttp
from bench.load.common import percentile

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "service.json"
DOC = ROOT / "docs" / "benchmarks.md"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BEGIN, END = "<!-- service:begin -->", "<!-- service:end -->"

#: Issue 2 §10 on a 2-core machine.
TARGET_POST_RATE = 200
TARGET_POST_P99_MS = 50.0
TARGET_THREAD_READS = 500.0


def _stat_fields(pid: int) -> list[str]:
    # Fields after the command name, which may itself hold spaces and parentheses.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (``serve --workers N`` runs its workers as children)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents.setdefault(int(_stat_fields(int(entry.name))[1]), []).append(
                    int(entry.name)
                )
            except (OSError, IndexError):
                continue  # exited while we looked
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += parents.get(current, [])
    return found


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its children (cost per request)."""
    total = 0
    for process in _descendants(pid):
        try:
            fields = _stat_fields(process)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _fixed_rate(base: str, rate: float, seconds: float) -> dict[str, Any]:
    texts = service_load.TEXTS

    def request(i: int) -> rawhttp.Request:
        body = {"text": f"{texts[i % len(texts)]} ({i})", "author_name": f"reader {i % 97}"}
        return rawhttp.Request(
            "POST", f"/api/v1/articles/{service_load.ARTICLE}/comments", body, kind="post"
        )

    total = int(rate * seconds)
    outcomes, elapsed = asyncio.run(
        rawhttp.run([base], request, total=total, rate=rate, connections=64)
    )
    latencies = [o.latency_ms for o in outcomes]
    return {
        "requests": total,
        "offered_rate": rate,
        "achieved_rate": round(total / elapsed, 1),
        "statuses": rawhttp.statuses(outcomes),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p90_ms": round(percentile(latencies, 90), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
    }


def run_one(
    url: str | None,
    screen: str,
    *,
    seconds: float,
    wrk_seconds: int,
    work: Path,
    workers: int = 1,
) -> dict[str, Any]:
    env = {
        **os.environ,
        "ROSTRA_ENVIRONMENT": "test",
        "ROSTRA_SECRET_KEY": service_load.SECRET,
        "ROSTRA_RATE_LIMIT_PER_AUTHOR": "10000000",
        "ROSTRA_RATE_LIMIT_PER_IP": "10000000",
        "ROSTRA_RATE_LIMIT_PER_TEXT": "10000000",
        "ROSTRA_SCREEN_TIME_BUDGET": "5",
    }
    env.pop("ROSTRA_REDIS_URL", None)
    env.pop("ROSTRA_POLICY_FILE", None)
    if screen == "none":
        policy = work / "no-analyzers.toml"
        policy.write_text(service_load.NO_ANALYZERS)
        env["ROSTRA_POLICY_FILE"] = str(policy)
    schema = None
    if url:
        schema = f"rostra_bench_service_{os.getpid()}"
        env.update(ROSTRA_DATABASE_URL=url, ROSTRA_DATABASE_SCHEMA=schema)
    else:
        env["ROSTRA_DATABASE_URL"] = f"sqlite:///{work / f'service-{screen}-{workers}.db'}"
    token = service_load.migrate_and_create_token(env)
    backend = "postgresql" if url else "sqlite"
    result: dict[str, Any] = {"database": backend, "screen": screen, "workers": workers}
    log = work / f"serve-{backend}-{screen}-{workers}.log"
    args = ["--workers", str(workers)]
    try:
        with service_load.Server(env, service_load._free_port(), log, args) as server:
            service_load._prepare(server.base, token)
            rate = TARGET_POST_RATE if screen == "none" else 20
            assert server.process is not None
            pid = server.process.pid
            cpu = _cpu_seconds(pid)
            result["post_fixed_rate"] = _fixed_rate(server.base, rate, seconds)
            done = result["post_fixed_rate"]["requests"]
            result["post_cpu_ms_per_request"] = round((_cpu_seconds(pid) - cpu) * 1000 / done, 2)
            script = work / "post.lua"
            script.write_text(service_load.WRK_POST.replace("%s", service_load.ARTICLE))
            result["post_wrk"] = service_load._wrk(
                server.base, connections=16, seconds=wrk_seconds, script=script
            )
            cpu = _cpu_seconds(pid)
            result["thread_get_wrk"] = service_load._wrk(
                f"{server.base}/api/v1/articles/thread-200/comments?limit=20",
                connections=8,
                seconds=wrk_seconds,
                script=None,
            )
            reads = result["thread_get_wrk"]["requests_per_second"] * wrk_seconds
            result["thread_get_cpu_ms_per_request"] = round(
                (_cpu_seconds(pid) - cpu) * 1000 / max(reads, 1), 2
            )
    finally:
        if schema and url:
            from sqlalchemy import create_engine

            engine = create_engine(url)
            with engine.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            engine.dispose()
    return result


def run(
    *,
    postgres: bool,
    seconds: float,
    wrk_seconds: int,
    screens: str,
    sqlite: bool = True,
    workers: str = "1",
) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory(prefix="rostra-bench-service-") as tmp:
        for url in ([None] if sqlite else []) + ([PG_URL] if postgres else []):
            for screen in screens.split(","):
                for processes in (int(n) for n in workers.split(",")):
                    began = time.time()
                    result = run_one(
                        url,
                        screen,
                        seconds=seconds,
                        wrk_seconds=wrk_seconds,
                        work=Path(tmp),
                        workers=processes,
                    )
                    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
                    result["wall_seconds"] = round(time.time() - began, 1)
                    print(json.dumps(result), flush=True)
                    results.append(result)
    return results


def _verdict(ok: bool) -> str:
    return "meets" if ok else "**misses**"


def _compare(results: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[str]:
    """Before/after rows for the configurations measured both ways (ratios survive noise)."""
    earlier = {(r["database"], r["screen"], r.get("workers", 1)): r for r in before}
    lines = [
        "",
        "Before → after, run back to back on the same machine (before: the previous commit's "
        "`src/` on `PYTHONPATH`, given with `--before`):",
        "",
        "| database | screen | workers | fixed-rate POST achieved /s | p99 ms "
        "| server CPU ms / POST | wrk POST req/s | wrk GET thread req/s | server CPU ms / GET |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        b = earlier.get((r["database"], r["screen"], r.get("workers", 1)))
        if b is None:
            continue

        def pair(get: Any, b: dict[str, Any] = b, r: dict[str, Any] = r) -> str:
            return f"{get(b)} → {get(r)}"

        lines.append(
            f"| {r['database']} | {r['screen']} | {r.get('workers', 1)} | "
            f"{pair(lambda x: x['post_fixed_rate']['achieved_rate'])} | "
            f"{pair(lambda x: x['post_fixed_rate']['p99_ms'])} | "
            f"{pair(lambda x: x.get('post_cpu_ms_per_request'))} | "
            f"{pair(lambda x: x['post_wrk'].get('requests_per_second'))} | "
            f"{pair(lambda x: x['thread_get_wrk'].get('requests_per_second'))} | "
            f"{pair(lambda x: x.get('thread_get_cpu_ms_per_request'))} |"
        )
    return lines


def render(
    results: list[dict[str, Any]], command: str, before: list[dict[str, Any]] | None = None
) -> str:
    lines = [
        "## Service",
        "",
        f"Command: `{command}` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores shared with other work, Python {platform.python_version()}).",
        "Load generators: bench/load/rawhttp.py (open loop at a fixed rate on 64 keep-alive "
        "sockets, latency from the scheduled send time) and `wrk` 4.1 (closed loop, POST with "
        "a Lua script, 16 connections; thread GET, 8 connections). Rate limits raised through "
        "`ROSTRA_RATE_LIMIT_PER_IP`/`_PER_AUTHOR`/`_PER_TEXT=10000000`. Screen `none` is "
        "a policy without analyzers (the service's own cost); `default` is the shipped policy. "
        "Workers: `rostra serve --workers N` processes sharing the port (server CPU is summed "
        "over them).",
        "",
        "| database | screen | workers | fixed-rate POST: offered → achieved /s | p50 ms "
        "| p99 ms | statuses | server CPU ms / POST | wrk POST req/s (p50, p99) "
        "| wrk GET 200-comment thread req/s (p50, p99) | server CPU ms / GET |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        fixed, post, get = r["post_fixed_rate"], r["post_wrk"], r["thread_get_wrk"]
        lines.append(
            f"| {r['database']} | {r['screen']} | {r.get('workers', 1)} | "
            f"{fixed['offered_rate']:g} → "
            f"{fixed['achieved_rate']:g} | {fixed['p50_ms']} | {fixed['p99_ms']} | "
            f"{fixed['statuses']} | {r.get('post_cpu_ms_per_request')} | "
            f"{post.get('requests_per_second')} ({post.get('p50')}, "
            f"{post.get('p99')}) | {get.get('requests_per_second')} ({get.get('p50')}, "
            f"{get.get('p99')}) | {r.get('thread_get_cpu_ms_per_request')} |"
        )
    lines += ["", "Targets (issue 2 §10, 2-core machine):", ""]
    for r in results:
        if r["screen"] != "none":
            continue
        fixed, get = r["post_fixed_rate"], r["thread_get_wrk"]
        p99_ok = fixed["p99_ms"] <= TARGET_POST_P99_MS
        reads = float(get.get("requests_per_second") or 0)
        processes = r.get("workers", 1)
        lines.append(
            f"- {r['database']}, {processes} worker{'s' if processes > 1 else ''}: "
            f"p99 {fixed['p99_ms']} ms at {fixed['offered_rate']:g} posts/s "
            f"{_verdict(p99_ok)} the ≤ {TARGET_POST_P99_MS:g} ms target; thread reads "
            f"{reads:g}/s {_verdict(reads >= TARGET_THREAD_READS)} the ≥ "
            f"{TARGET_THREAD_READS:g}/s target. Server CPU per request: "
            f"{r.get('post_cpu_ms_per_request')} ms a POST, "
            f"{r.get('thread_get_cpu_ms_per_request')} ms a thread GET."
        )
    lines += [
        "",
        "The default-screen rows are offered 20 posts/s: the shipped analyzers (language ID, "
        "lexicons, classifier, relevance embedding) cost far more than the service itself, so "
        "the 200 posts/s target applies to the service path. Raw figures: "
        "bench/results/service.json.",
    ]
    if before:
        lines += _compare(results, before)
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    """Replace only the Service section of docs/benchmarks.md (others own the rest)."""
    block = f"{BEGIN}\n{section}{END}\n"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    if BEGIN in text and END in text:
        text = re.sub(
            re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda _m: block, text, flags=re.S
        )
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--merge",
        type=Path,
        default=None,
        help="JSON lines of earlier runs (e.g. SQLite) to put in the same table",
    )
    parser.add_argument("--only-postgres", action="store_true")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--screens", default="none,default")
    parser.add_argument(
        "--workers",
        default="1,2",
        help="comma-separated `rostra serve --workers` counts to measure each configuration with",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        help="service.json of an earlier run (e.g. the previous commit) to compare against",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="do not measure: render --merge (and --before) into docs/benchmarks.md",
    )
    args = parser.parse_args(argv)
    earlier = []
    if args.merge:
        earlier = [json.loads(line) for line in args.merge.read_text().splitlines() if line]
    results = earlier
    if not args.render_only:
        results = earlier + run(
            postgres=not args.no_postgres,
            seconds=args.seconds,
            wrk_seconds=args.wrk_seconds,
            screens=args.screens,
            sqlite=not args.only_postgres,
            workers=args.workers,
        )
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    before = json.loads(args.before.read_text()) if args.before else None
    command = ".venv/bin/python -m bench.service" + (" --no-postgres" if args.no_postgres else "")
    write_section(render(results, command, before))


if __name__ == "__main__":
    main()
