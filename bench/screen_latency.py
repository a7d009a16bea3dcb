"""Latency, throughput, load time and memory of the default screen.

    OMP_NUM_THREADS=1 .venv/bin/python bench/screen_latency.py            # pinned to one core
    .venv/bin/python bench/screen_latency.py --rounds 3 --json bench/results/screen.json

Measures ``Screen.from_policy()`` (the default policy) in three configurations:

``fast``      the default analyzers without the encoder tier: the classifier with
              ``encoder = "off"`` and no relevance analyzer (it needs the encoder);
``default``   the default policy as shipped, every comment with its article (so the
              relevance analyzer runs) and the classifier's encoder tier in its default mode;
``encoder``   as ``default`` but with the classifier's encoder tier forced on for every
              comment (``encoder = "always"``): the worst case for latency.

Each configuration screens every comment once per round, with the encoder's text cache emptied
before each round, so only what repeats in real traffic (the article passage) is cached.
Every comment carries the previous 20 comments as ``recent_texts`` so the duplicate detector
does its real work. The process is pinned to one CPU (``os.sched_setaffinity``); set
``OMP_NUM_THREADS=1`` as well so the encoder does not spread over more cores.

Load time and memory are measured in a fresh subprocess: seconds from ``import rostra.screening``
to a built default screen that has screened one comment with an article (every model loaded,
including the encoder), and the resident set size (VmRSS) and its peak (VmHWM) after that.

The comments are the team's own writing, 20–400 characters, in all six languages: the relevance
sets in ``tests/fixtures/relevance/`` (183 comments on 11 articles) and the longer comments below.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "relevance"
RECENT = 20

#: Longer comments (200–400 characters), so the mix is not only short remarks. Attached to the
#: first article of the tuning set (the drone attack on the Khor Mor gas field).
LONG_COMMENTS: tuple[str, ...] = (
    "I live twenty kilometres from Khor Mor and every time there is an attack we lose power "
    "for days. The government keeps promising air defences, the federal government keeps "
    "promising an investigation, and nothing happens. Meanwhile families run generators they "
    "cannot afford and shops close early. Someone has to be held accountable this time.",
    "Whoever is behind these drones wants to show that the Region cannot protect its own "
    "infrastructure. Four attacks in one year on the same field is not an accident. The "
    "coalition should share what it knows, and the article should have asked why the second "
    "drone was intercepted but not the first.",
    "الهجمات المتكررة على حقل كورمور تضر بكل العراقيين وليس الإقليم وحده، لأن الغاز يغذي محطات "
    "الكهرباء التي تخدم مدنا كثيرة. على الحكومة الاتحادية أن تكشف نتائج التحقيقات السابقة بدل "
    "إصدار بيانات الإدانة بعد كل هجوم، فالمواطن يريد كهرباء وأمانا لا كلمات.",
    "ئەمە چوارەمین هێرشە بۆ سەر کێڵگەی گازی کۆرمۆر لەم ساڵەدا و هێشتا هیچ کەسێک دەستگیر نەکراوە. "
    "کارەبای ماڵەکانمان بۆ نیوەی ڕۆژ نەماوە و منداڵەکانمان لە گەرمادا ناتوانن بخەون. حکومەتی "
    "هەرێم و حکومەتی فیدراڵ دەبێت پێکەوە کار بکەن بۆ پاراستنی ئەم کێڵگەیە.",
    "Êrişên li ser zeviya gazê ya Kor Morê her carê ceyranê qut dikin û jiyana xelkê dijwar "
    "dikin. Divê hikûmet parastina hewayî xurt bike û encamên lêkolînên berê eşkere bike, ne "
    "ku tenê daxuyaniyan belav bike piştî her êrişê. Xelk êdî ji sozên vala westiyaye.",
    "Kürdistan bölgesindeki doğalgaz sahasına yapılan saldırılar sadece bölgeyi değil, elektrik "
    "üretimine bağlı olan bütün şehirleri etkiliyor. Bu yıl dördüncü saldırı ve hâlâ kimse "
    "sorumlu tutulmadı. Hava savunması güçlendirilmeli ve soruşturmaların sonuçları açıklanmalı.",
    "حمله‌های پی‌درپی به میدان گازی خورمور نشان می‌دهد که زیرساخت‌های انرژی منطقه چقدر آسیب‌پذیر "
    "است. هر بار برق نیمی از مردم قطع می‌شود و هیچ کس پاسخگو نیست. دولت مرکزی و دولت اقلیم باید "
    "نتایج تحقیقات را منتشر کنند و از مردم محافظت کنند.",
)


@dataclass(frozen=True)
class Comment:
    text: str
    article: dict[str, str]


def load_comments() -> list[Comment]:
    comments: list[Comment] = []
    first_article: dict[str, str] | None = None
    for name in ("tune.json", "test.json"):
        data = json.loads((FIXTURES / name).read_text("utf-8"))
        for article in data["articles"]:
            context = {k: article[k] for k in ("title", "body", "language")}
            first_article = first_article or context
            comments.extend(Comment(c["text"], context) for c in article["comments"])
    assert first_article is not None
    comments.extend(Comment(text, first_article) for text in LONG_COMMENTS)
    return comments


def policy_for(config: str) -> Any:
    from rostra.screening.policy import Policy

    data = Policy.default().model_dump(mode="json")
    analyzers: list[dict[str, Any]] = []
    for spec in data["analyzers"]:
        spec = dict(spec)
        if config == "fast" and spec["factory"] == "rostra.relevance.v1":
            continue
        if spec["factory"].startswith("rostra.classifier."):
            if config == "fast":
                spec["encoder"] = "off"
            elif config == "encoder":
                spec["encoder"] = "always"
        analyzers.append(spec)
    data["analyzers"] = analyzers
    return Policy.from_mapping(data)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_config(config: str, comments: list[Comment], rounds: int) -> dict[str, Any]:
    from rostra.screening import ArticleContext, Screen, ScreenContext
    from rostra.screening.embedding import get_embedder

    screen = Screen.from_policy(policy_for(config))
    with_article = config != "fast"
    contexts = []
    for index, comment in enumerate(comments):
        recent = tuple(c.text for c in comments[max(0, index - RECENT) : index])
        article = ArticleContext(**comment.article) if with_article else None
        contexts.append(ScreenContext(article=article, recent_texts=recent))
    # Warm-up on text that is not in the measured set (imports, first-call allocations).
    for text in ("warm-up comment about the weather in Erbil today", "تعليق للتجربة فقط هنا"):
        screen.screen(text, ScreenContext())
    latencies: list[float] = []
    cpu: list[float] = []
    # Per comment: did it pay for its article's vector (first comment on that article)?
    first_on_article: list[bool] = []
    long_comment: list[bool] = []
    errors = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        get_embedder().clear_cache()
        seen_articles: set[str] = set()
        for comment, context in zip(comments, contexts, strict=True):
            t0, c0 = time.perf_counter(), time.process_time()
            verdict = screen.screen(comment.text, context)
            latencies.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            errors += bool(verdict.errors)
            title = comment.article["title"]
            first_on_article.append(with_article and title not in seen_articles)
            seen_articles.add(title)
            long_comment.append(len(comment.text) > 200)
    elapsed = time.perf_counter() - started
    cpu_elapsed = time.process_time() - cpu_started
    warm = [c for c, first in zip(cpu, first_on_article, strict=True) if not first]
    first = [c for c, is_first in zip(cpu, first_on_article, strict=True) if is_first]
    warm_wall = [w for w, first in zip(latencies, first_on_article, strict=True) if not first]
    short = [
        c
        for c, first, long in zip(cpu, first_on_article, long_comment, strict=True)
        if not first and not long
    ]
    return {
        "config": config,
        "analyzers": [getattr(a, "name", "?") for a in screen.analyzers],
        "comments": len(latencies),
        # Wall clock: what a caller waits, inflated when other processes share the core.
        "comments_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p90_ms": round(percentile(latencies, 90), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        # CPU time of this (single-threaded, pinned) process: what the screen itself costs on
        # one core, largely independent of other load (CLOCK_PROCESS_CPUTIME_ID).
        "cpu_comments_per_s": round(len(cpu) / cpu_elapsed, 1) if cpu_elapsed else None,
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p99_ms": round(percentile(cpu, 99), 2),
        # Comments whose article vector was already cached (what `warm_article` gives a
        # service that encodes articles when they are published).
        "article_warm": {
            "comments": len(warm),
            "p50_ms": round(statistics.median(warm_wall), 2),
            "p99_ms": round(percentile(warm_wall, 99), 2),
            "cpu_p50_ms": round(statistics.median(warm), 2),
            "cpu_p99_ms": round(percentile(warm, 99), 2),
        },
        "article_warm_comments_up_to_200_chars": {
            "comments": len(short),
            "cpu_p50_ms": round(statistics.median(short), 2),
            "cpu_p99_ms": round(percentile(short, 99), 2),
        },
        "first_comment_on_article_cpu_p50_ms": (
            round(statistics.median(first), 2) if first else None
        ),
        "verdicts_with_errors": errors,
    }


LOAD_PROBE = """
import json, time
t0 = time.perf_counter()
from rostra.screening import ArticleContext, Screen, ScreenContext
screen = Screen.from_policy()
t1 = time.perf_counter()
article = ArticleContext("Drone attack on gas field", "A drone hit the field.", "en")
screen.screen("The drone attack cut our electricity again.", ScreenContext(article=article))
t2 = time.perf_counter()
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
mb = lambda key: round(int(status[key].split()[0]) / 1024, 1)
print(json.dumps({"build_s": round(t1 - t0, 3), "build_and_first_screen_s": round(t2 - t0, 3),
                  "rss_mb": mb("VmRSS"), "peak_rss_mb": mb("VmHWM"),
                  "analyzers": [a.name for a in screen.analyzers]}))
"""


def measure_load() -> dict[str, Any]:
    env = dict(os.environ)
    result = subprocess.run(
        [sys.executable, "-c", LOAD_PROBE], capture_output=True, text=True, env=env, check=True
    )
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the comments")
    parser.add_argument(
        "--configs", default="fast,default,encoder", help="comma-separated: fast,default,encoder"
    )
    parser.add_argument("--cpu", type=int, default=0, help="CPU to pin to (-1: do not pin)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.cpu >= 0 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    comments = load_comments()
    lengths = [len(c.text) for c in comments]
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "pinned_cpu": args.cpu,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "unset"),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "comment_chars": {
            "min": min(lengths),
            "median": statistics.median(lengths),
            "max": max(lengths),
            "count": len(lengths),
        },
        "load": measure_load(),
        "runs": [],
    }
    for config in args.configs.split(","):
        report["runs"].append(run_config(config.strip(), comments, args.rounds))
    report["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
