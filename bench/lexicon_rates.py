"""How the screen's fast path (lexicon, promotion, duplicates) decides on labelled public data.

    .venv/bin/python bench/lexicon_rates.py --data ../shared/datasets [--top 15] [--side train]

For each set: the share of clean comments auto-rejected (false rejections) and sent to review,
and the share of offensive comments rejected and reviewed, plus the evidence texts that most
often reject clean comments (what to curate next). No model is involved: this measures the
lexicons and the policy alone, so recall on offence without slurs is expected to be low (the
trained classifier covers that).

**Which comments.** The sets are the ones ``rostra eval --dataset`` and the classifier's
figures use as held-out data, so this reads only one side of
``rostra.training.data.split(seed=0)``: by default the **training** side (``--side train``),
the only side whose culprit list may be used to curate terms and allow-list entries.
``--side held-out`` reports the held-out side for the record; its culprits must never be used
to choose terms (that would tune the lexicons on the data their quality is measured on). The
sets are read from ``--data`` and never copied.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rostra.screening import Policy, Recommendation, Screen, ScreenContext
from rostra.training.data import load_records, split
from rostra.training.labels import OFFENCE_CATEGORIES, OFFENSIVE

ENCODER_ANALYZERS = {"rostra.relevance.v1", "rostra.classifier.v1"}
_OFFENCE = frozenset(OFFENCE_CATEGORIES) | {OFFENSIVE}

#: language -> the public set read for it
SETS = {
    "en": "olid-offenseval2019-en",
    "tr": "offenseval2020-tr",
    "ar": "osact2020-ar-offensive",
    "fa": "parsoffensive-fa",
    # Silver sentiment only (positive and neutral tweets): treated as clean text.
    "ckb": "kurdish-sorani-sentiment-hrazhan",
}


def rows(data: Path, source: str, side: str) -> Iterator[tuple[str, bool]]:
    """(text, offensive) for one side of the seed-0 split of ``source``."""
    train, held_out = split(load_records(data, sources=[source]), seed=0)
    for record in train if side == "train" else held_out:
        yield record.text, bool(record.labels & _OFFENCE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--limit", type=int, default=0, help="at most this many rows per set")
    parser.add_argument("--only", default="", help="comma-separated language codes")
    parser.add_argument(
        "--side",
        choices=("train", "held-out"),
        default="train",
        help="which side of split(seed=0) to read (only 'train' may guide curation)",
    )
    args = parser.parse_args()
    policy = Policy.default()
    policy = policy.model_copy(
        update={
            "analyzers": tuple(a for a in policy.analyzers if a.factory not in ENCODER_ANALYZERS)
        }
    )
    screen = Screen.from_policy(policy)
    only = {c for c in args.only.split(",") if c}
    print(f"side of split(seed=0): {args.side}")
    for lang, source in SETS.items():
        if only and lang not in only:
            continue
        counts: Counter[tuple[bool, str]] = Counter()
        culprits: Counter[str] = Counter()
        for n, (text, offensive) in enumerate(rows(args.data, source, args.side)):
            if args.limit and n >= args.limit:
                break
            verdict = screen.screen(text, ScreenContext(lang_hint=lang))
            counts[(offensive, verdict.recommendation.value)] += 1
            if not offensive and verdict.recommendation is Recommendation.REJECT:
                culprits.update(f"{e.category}:{e.text.casefold()}" for e in verdict.evidence)
        clean = sum(v for (off, _), v in counts.items() if not off)
        bad = sum(v for (off, _), v in counts.items() if off)
        print(f"== {lang} ({source}, {args.side}): {clean} clean, {bad} offensive")
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
