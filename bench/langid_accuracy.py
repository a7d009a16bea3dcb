"""Language identification accuracy on real comments from the public data sets.

    .venv/bin/python bench/langid_accuracy.py --data ../shared/datasets [--limit 3000]

Each set is in one language (OLID en, OffensEval tr, OSACT ar, ParsOffensive fa, the Sorani
sentiment tweets ckb), so the share identified as that language is the accuracy; the rest is
broken down by what it was taken for, with the mean confidence. No Kurmanji set exists; the
unit tests hold the team's own Kurmanji sentences. Tweets are short and noisy (@USER, URL,
emoji), so this is a hard test. Reads the training side of ``split(seed=0)`` (as
``lexicon_rates.py`` does), with mentions masked as ``@user`` by the loaders.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lexicon_rates import SETS, rows

from rostra.screening.langid import identify


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=3000)
    args = parser.parse_args()
    for lang, source in SETS.items():
        found: Counter[str] = Counter()
        confidence = 0.0
        n = 0
        for n, (text, _) in enumerate(rows(args.data, source, "train"), start=1):
            guess = identify(text)
            found[guess.lang] += 1
            confidence += guess.confidence if guess.lang == lang else 0.0
            if n >= args.limit:
                break
        right = found[lang]
        print(
            f"{lang:>4}: {right / n:.1%} of {n} identified as {lang} "
            f"(mean confidence when right {confidence / max(right, 1):.2f}); "
            f"others: {dict(found.most_common(4))}"
        )


if __name__ == "__main__":
    main()
