"""The shipped classifier as the screen runs it (fast tier + encoder cascade), held out.

    OMP_NUM_THREADS=1 .venv/bin/python bench/classifier_cascade.py --data ../shared/datasets

``rostra train`` reports the fast tier alone on the held-out split; the analyzer blends in the
encoder tier (weight ``--weight``, the policy's 0.5) wherever the strongest fast score falls
in the uncertain band (0.3–0.85) for en/ar/tr/fa. This scores that cascade on the same
held-out split (``split(seed=0)``), with the same figures as ``rostra train``: macro-F1 of the
target head at 0.5 per offence set, F1 of promotion on the spam sets. Only the uncertain rows
are embedded (cached under ``--cache``).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np

from rostra.screening.analyzers.classifier import default_model_dir
from rostra.screening.embedding import clip_text
from rostra.training import artifact as art
from rostra.training.data import load_records, split
from rostra.training.encoder import EmbeddingCache
from rostra.training.features import Hasher
from rostra.training.train import UNCERTAIN_BAND, figures, label_matrix


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--model", type=Path, default=None, help="artifact folder")
    parser.add_argument("--cache", type=Path, default=Path("var/cache"))
    parser.add_argument("--weight", type=float, default=0.5)
    parser.add_argument(
        "--query-chars",
        type=int,
        default=None,
        help="cut each comment to this many characters (at a word) before the embedder, which "
        "itself reads at most rostra.screening.embedding.QUERY_INPUT_CHARS",
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=RuntimeWarning)

    artifact = art.load(args.model or default_model_dir())
    assert artifact.encoder is not None, "the artifact has no encoder tier"
    _, held_out = split(load_records(args.data), seed=0, fraction=0.2)
    _, mask = label_matrix(held_out)
    X = Hasher(artifact.hasher).transform([r.text for r in held_out])
    fast = artifact.fast.proba_sparse(X)
    strongest = fast.max(axis=1)
    uncertain = (strongest >= UNCERTAIN_BAND[0]) & (strongest < UNCERTAIN_BAND[1])
    rows = np.flatnonzero(uncertain)
    print(f"{artifact.version}: {len(held_out)} held-out records, {rows.size} in the band")
    texts = [held_out[i].text for i in rows]
    if args.query_chars is not None:
        texts = [clip_text(text, args.query_chars) for text in texts]
        longer = sum(len(held_out[i].text) > args.query_chars for i in rows)
        print(f"comments cut to {args.query_chars} characters: {longer} of {rows.size} longer")
    vectors = EmbeddingCache(args.cache).embed(texts)
    blended = fast.copy()
    encoder = artifact.encoder.proba_dense(vectors, mlp=True)  # blended: the MLP heads score
    blended[rows] = (1 - args.weight) * fast[rows] + args.weight * encoder
    alone, cascade = figures(held_out, fast, mask), figures(held_out, blended, mask)
    for name, report in cascade["targets"].items():
        metric = "f1" if name.startswith("promotion") else "macro_f1"
        before = alone["targets"][name][metric]
        print(f"  {name:32s} {metric:8s} fast {before:.4f}  cascade {report[metric]:.4f}")


if __name__ == "__main__":
    main()
