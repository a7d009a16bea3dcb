"""Throughput of the screen without the encoder tier, on one core.

    .venv/bin/python bench/screen_speed.py                  # 6,000 comments, 3 rounds
    .venv/bin/python bench/screen_speed.py --n 20000 --rounds 5 --recent 20

Builds ``Screen.from_policy()`` from the default policy minus the analyzers that need the
multilingual encoder (``rostra.relevance.v1``; the classifier too unless ``--with-classifier``,
which keeps it with ``encoder = "off"``, its fast tier),
pins the process to one CPU, and screens synthetic comments of 20–400 characters in all six
languages, built from the sentences below (the team's own writing: clean remarks, harsh
criticism, abuse, threats and spam, with obfuscations). Reports comments per second (best
round, wall clock), comments per CPU-second of the process (what the screen costs, also when
other work shares the core) and per-comment CPU-time percentiles per language.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict

from rostra.screening import Policy, Screen, ScreenContext
from rostra.screening.policy import AnalyzerSpec

ENCODER_ANALYZERS = {"rostra.relevance.v1"}

SENTENCES: dict[str, list[str]] = {
    "en": [
        "This is a thoughtful article about the budget.",
        "I don't agree with the minister, but the reporting is fair.",
        "Why did the government wait so long to respond?",
        "You are a f u c k i n g idiot and everyone knows it.",
        "I will kill you if you write this again.",
        "Subscribe to my channel https://youtube.com/c/mychannel for more!",
        "Call 0750 123 4567 on WhatsApp for a cheap visa.",
        "The militia threatened to strike again, according to the ministry.",
        "See the full statement at https://www.rudaw.net/english/kurdistan/1",
    ],
    "ar": [
        "هذا المقال رائع جدا وشكرا للكاتب على هذا الجهد",
        "الحكومة لم تفعل شيئا للشعب منذ سنوات",
        "يا ابن الكلب يا حقير",
        "والله راح اقتلك",
        "للتواصل واتساب ٠٧٥٠١٢٣٤٥٦٧ عرض خاص",
        "هدد المسلحون بقتل الرهائن حسب البيان",
    ],
    "fa": [
        "این مقاله خیلی خوب بود، ممنون از نویسنده",
        "دولت هیچ کاری برای مردم نکرده است",
        "خفه شو کس‌کش",
        "میکشمت حرومزاده",
        "عضو کانال شوید، لینک در بیو",
    ],
    "ckb": [
        "ئەمە هەواڵێکی زۆر باشە بۆ خەڵکی کوردستان",
        "حکومەت هیچ کارێکی بۆ خەڵک نەکردووە",
        "دەتکوژم سەگباب",
        "سەبسکرایبی کەناڵەکەم بکەن تکایە",
        "تۆ گەمژەیت، ئەم هەواڵە درۆیە",
    ],
    "kmr": [
        "Ez ji vê gotarê pir hez dikim, spas ji bo vê nûçeyê",
        "Hikûmetê tu tişt ji bo gel nekiriye",
        "Ez ê te bikujim kero",
        "Li kanala min binêrin û abone bibin",
        "Çekdaran gef xwar ku ew ê gund bişewitînin",
    ],
    "tr": [
        "Bu makale çok güzel olmuş, teşekkürler",
        "Hükümet halk için hiçbir şey yapmadı",
        "Seni öldüreceğim orospu çocuğu",
        "Kanalıma abone olun arkadaşlar",
        "Sık sık buraya geliyorum, gotik yapıyı götürdüler",
    ],
}


def make_comments(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (language, text) pairs of 20–400 characters."""
    rng = random.Random(seed)
    languages = sorted(SENTENCES)
    out: list[tuple[str, str]] = []
    while len(out) < n:
        lang = languages[len(out) % len(languages)]
        target = rng.randint(20, 400)
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < target:
            parts.append(rng.choice(SENTENCES[lang]))
        text = " ".join(parts)[:400]
        if len(text) >= 20:
            out.append((lang, text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--recent", type=int, default=0, help="recent_texts per comment")
    parser.add_argument("--with-classifier", action="store_true")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    skip = set(ENCODER_ANALYZERS)
    if not args.with_classifier:
        skip.add("rostra.classifier.v1")
    policy = Policy.default()
    analyzers = []
    for spec in policy.analyzers:
        if spec.factory in skip:
            continue
        if spec.factory == "rostra.classifier.v1":  # its fast tier only: no encoder
            spec = AnalyzerSpec.model_validate({**spec.model_dump(), "encoder": "off"})
        analyzers.append(spec)
    policy = policy.model_copy(update={"analyzers": tuple(analyzers)})
    started = time.perf_counter()
    screen = Screen.from_policy(policy)
    build_seconds = time.perf_counter() - started

    comments = make_comments(args.n, args.seed)
    contexts = [
        ScreenContext(recent_texts=tuple(t for _, t in comments[max(0, i - args.recent) : i]))
        for i in range(len(comments))
    ]
    screen.screen("warm up the caches", contexts[0])
    best = float("inf")
    best_cpu = float("inf")
    latencies: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        round_started = time.perf_counter()
        cpu_started = time.process_time()
        for (lang, text), context in zip(comments, contexts, strict=True):
            t0 = time.thread_time()
            screen.screen(text, context)
            latencies[lang].append(time.thread_time() - t0)
        best = min(best, time.perf_counter() - round_started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
    figures = {
        "analyzers": [a.name for a in screen.analyzers],
        "comments": len(comments),
        "mean_chars": round(statistics.mean(len(t) for _, t in comments), 1),
        "recent_texts": args.recent,
        "build_seconds": round(build_seconds, 2),
        "comments_per_second": round(len(comments) / best),
        "comments_per_cpu_second": round(len(comments) / best_cpu),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "latency_cpu_ms": {
            lang: {
                "p50": round(statistics.median(values) * 1000, 3),
                "p99": round(sorted(values)[int(len(values) * 0.99) - 1] * 1000, 3),
            }
            for lang, values in sorted(latencies.items())
        },
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"analyzers: {', '.join(figures['analyzers'])} (built in {build_seconds:.2f}s)")
    print(
        f"{figures['comments']} comments, mean {figures['mean_chars']} chars, "
        f"recent_texts {args.recent}: {figures['comments_per_second']:,} comments/s on one core"
    )
    print(
        f"  {figures['comments_per_cpu_second']:,} comments per CPU-second "
        f"(load average {figures['load_average']}: wall-clock figures suffer on a busy machine)"
    )
    for lang, lat in figures["latency_cpu_ms"].items():
        print(f"  {lang:>4}: p50 {lat['p50']:.3f} ms  p99 {lat['p99']:.3f} ms")


if __name__ == "__main__":
    sys.exit(main())
