"""How the screen's fast path (lexicon, promotion, duplicates) decides on labelled public data.

    .venv/bin/python bench/lexicon_rates.py --data ../shared/datasets [--top 15]

For each set: the share of clean comments auto-rejected (false rejections) and sent to review,
and the share of offensive comments rejected and reviewed, plus the evidence texts that most
often reject clean comments (what to curate next). The sets are read from ``--data`` and never
copied. No model is involved: this measures the lexicons and the policy alone, so recall on
offence without slurs is expected to be low (the trained classifier covers that).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rostra.screening import Policy, Recommendation, Screen, ScreenContext

ENCODER_ANALYZERS = {"rostra.relevance.v1", "rostra.classifier.v1"}
csv.field_size_limit(sys.maxsize)


def olid(root: Path) -> Iterator[tuple[str, bool]]:
    with (root / "olid-offenseval2019-en" / "olid-training-v1.0.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            yield row["tweet"], row["subtask_a"] == "OFF"


def offenseval_tr(root: Path) -> Iterator[tuple[str, bool]]:
    path = root / "offenseval2020-tr" / "offenseval-tr-training-v1.tsv"
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[2] in {"OFF", "NOT"}:
                yield parts[1], parts[2] == "OFF"


def osact_ar(root: Path) -> Iterator[tuple[str, bool]]:
    path = root / "osact2020-ar-offensive" / "OSACT2020-sharedTask-train.txt"
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                yield parts[0].replace("<LF>", "\n"), parts[1] == "OFF"


def parsoffensive(root: Path) -> Iterator[tuple[str, bool]]:
    with (root / "parsoffensive-fa" / "ParsOffensive.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["comment"], row["label"] == "Offensive"


def sorani(root: Path) -> Iterator[tuple[str, bool]]:
    # Silver sentiment only: treated as clean text, which most of it is.
    path = root / "kurdish-sorani-sentiment-hrazhan" / "silver_data.csv"
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["tweet"], False


SETS = {
    "en": olid,
    "tr": offenseval_tr,
    "ar": osact_ar,
    "fa": parsoffensive,
    "ckb": sorani,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--limit", type=int, default=0, help="at most this many rows per set")
    parser.add_argument("--only", default="", help="comma-separated language codes")
    args = parser.parse_args()
    policy = Policy.default()
    policy = policy.model_copy(
        update={
            "analyzers": tuple(a for a in policy.analyzers if a.factory not in ENCODER_ANALYZERS)
        }
    )
    screen = Screen.from_policy(policy)
    only = {c for c in args.only.split(",") if c}
    for lang, reader in SETS.items():
        if only and lang not in only:
            continue
        counts: Counter[tuple[bool, str]] = Counter()
        culprits: Counter[str] = Counter()
        for n, (text, offensive) in enumerate(reader(args.data)):
            if args.limit and n >= args.limit:
                break
            verdict = screen.screen(text, ScreenContext(lang_hint=lang))
            counts[(offensive, verdict.recommendation.value)] += 1
            if not offensive and verdict.recommendation is Recommendation.REJECT:
                culprits.update(f"{e.category}:{e.text.casefold()}" for e in verdict.evidence)
        clean = sum(v for (off, _), v in counts.items() if not off)
        bad = sum(v for (off, _), v in counts.items() if off)
        print(f"== {lang}: {clean} clean, {bad} offensive")
        if clean:
            print(
                f"  clean rejected {counts[(False, 'reject')] / clean:.2%}, "
                f"reviewed {counts[(False, 'review')] / clean:.2%}"
            )
        if bad:
            print(
                f"  offensive rejected {counts[(True, 'reject')] / bad:.2%}, "
                f"reviewed {counts[(True, 'review')] / bad:.2%}"
            )
        for culprit, count in culprits.most_common(args.top):
            print(f"    {count:5d}  {culprit}")


if __name__ == "__main__":
    main()
