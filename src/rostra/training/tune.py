"""Choose the fast tier's settings by cross-validated figures (never by held-out ones).

``python -m rostra.training.tune --data ../shared/datasets`` fits the fast tier on the training
side of the split (the same split and folds as ``rostra train``) once per candidate setting and
prints, for each, the out-of-fold figures of the issue's targets and the mean out-of-fold
macro-F1 over every head. The held-out part is not even loaded into features: it cannot leak
into the choice. The chosen values are ``TrainConfig``'s defaults; the figures that chose them
are in ``docs/quality.md`` §2.

``--per-language-calibration`` also prints, for each offence target set, the out-of-fold
macro-F1 with the pooled Platt calibration, with one fitted on that language's out-of-fold
scores (nested: fitted on the other folds), and the best any cut could do with hindsight.

``--encoder-weights`` additionally scores the cascade (fast and encoder out-of-fold
probabilities blended with each weight, on the encoder tier's sample) from the embedding cache,
so the blend weight is chosen the same way. ``--encoder-head logreg`` blends logistic heads
only; ``mlp`` (shipped) blends a one-hidden-layer MLP for the heads with at least
``--mlp-min-positives`` positives in the sample (docs/quality.md §0).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rostra.training import labels as L
from rostra.training.data import Record, fold_of, load_records, split, stratified_sample
from rostra.training.estimator import MaskedHeads
from rostra.training.features import Hasher, HasherConfig
from rostra.training.train import (
    NB_HEADS,
    TrainConfig,
    cascade_figures,
    encoder_mlp_heads,
    figures,
    label_matrix,
    positive_shares,
)

#: The settings `rostra train` ships with (the defaults of every option here).
SHIPPED = TrainConfig(data=Path("."), out=Path("."))


def summary(fig: dict[str, Any]) -> dict[str, Any]:
    """Target figures plus the mean macro-F1 and ROC-AUC over every head (one line each)."""
    targets = {
        name: report["f1" if name.startswith("promotion") else "macro_f1"]
        for name, report in fig["targets"].items()
    }
    heads = fig["per_head"].values()
    return {
        "targets": targets,
        "mean_target": round(float(np.mean(list(targets.values()))), 4),
        "mean_head_macro_f1": round(float(np.mean([h["macro_f1"] for h in heads])), 4),
        "mean_head_roc_auc": round(float(np.mean([h["roc_auc"] for h in heads])), 4),
    }


#: ``--nb-heads`` choices: none, every head, or the shipped choice.
NB_CHOICES: dict[str, tuple[str, ...]] = {"none": (), "all": tuple(L.HEADS), "chosen": NB_HEADS}


def fast_oof(
    records: Sequence[Record],
    hasher: HasherConfig,
    *,
    alpha: float,
    class_weight: str | None,
    cv: int,
    seed: int,
    nb_heads: Sequence[str] = (),
) -> tuple[MaskedHeads, dict[str, Any]]:
    """The fast tier fitted with these settings, and its out-of-fold figures."""
    X = Hasher(hasher).transform([r.text for r in records])
    Y, M = label_matrix(records)
    folds = np.array([fold_of(r, cv, seed=seed) for r in records], dtype=np.int64)
    heads = MaskedHeads(
        kind="sgd",
        alpha=alpha,
        class_weight=class_weight,
        nb_heads=nb_heads,
        cv=cv,
        random_state=seed,
    )
    heads.fit(X, Y, M, folds, L.HEADS)
    return heads, figures(records, heads.oof_proba(), M)


def per_language_calibration(
    records: Sequence[Record], heads: MaskedHeads, cv: int, seed: int
) -> dict[str, dict[str, float]]:
    """Out-of-fold macro-F1 per offence target set: pooled Platt, per-language Platt, best cut.

    The per-language Platt of fold ``k`` is fitted on the out-of-fold scores of the other folds'
    records in the set's language, so no record's own score calibrates it.
    """
    from rostra.training.artifact import sigmoid
    from rostra.training.estimator import fit_platt
    from rostra.training.metrics import binary_report
    from rostra.training.train import BINARY_TARGETS

    Y, M = label_matrix(records)
    folds = np.array([fold_of(r, cv, seed=seed) for r in records], dtype=np.int64)
    langs = np.array([r.lang for r in records])
    scores = heads.oof_scores_
    out: dict[str, dict[str, float]] = {}
    for source, (head, _target) in BINARY_TARGETS.items():
        j = L.HEADS.index(head)
        known = M[:, j] & ~np.isnan(scores[:, j])
        rows = np.flatnonzero(known & np.array([source in r.sources for r in records]))
        if rows.size == 0:
            continue
        lang = records[rows[0]].lang
        y = Y[rows, j]
        pooled = heads.calibrate(scores[rows])[:, j]
        per_lang = np.empty(rows.size)
        for k in range(cv):
            fit = known & (langs == lang) & (folds != k)
            a, b = fit_platt(scores[fit, j], Y[fit, j])
            here = folds[rows] == k
            per_lang[here] = sigmoid(scores[rows[here], j] * a + b)
        cuts = np.arange(0.05, 0.96, 0.05)
        best = max(binary_report(y, (pooled >= c).astype(float))["macro_f1"] or 0 for c in cuts)
        out[source] = {
            "language": lang,
            "pooled": binary_report(y, pooled)["macro_f1"],
            "per_language": binary_report(y, per_lang)["macro_f1"],
            "best_cut_in_hindsight": round(float(best), 4),
        }
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cv", type=int, default=3)
    # Defaults are the shipped settings (TrainConfig), so a run without options measures
    # what `rostra train` builds.
    parser.add_argument("--alpha", type=float, nargs="+", default=[SHIPPED.alpha])
    parser.add_argument(
        "--class-weight",
        choices=("balanced", "none"),
        nargs="+",
        default=[SHIPPED.class_weight or "none"],
    )
    parser.add_argument(
        "--nb-heads",
        choices=sorted(NB_CHOICES),
        nargs="+",
        default=["none"],
        help="heads fitted on naive-Bayes-scaled features (shipped: none)",
    )
    parser.add_argument("--n-features", type=int, nargs="+", default=[2**20])
    parser.add_argument("--char-max", type=int, nargs="+", default=[5])
    parser.add_argument("--encoder-weights", type=float, nargs="*", default=[])
    parser.add_argument("--per-language-calibration", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path("var/cache"))
    parser.add_argument("--per-source", type=int, default=SHIPPED.per_source)
    parser.add_argument("--encoder-C", type=float, default=SHIPPED.encoder_C)
    parser.add_argument("--band", type=float, nargs=2, default=[0.3, 0.85])
    parser.add_argument(
        "--encoder-head",
        choices=["logreg", "mlp"],
        default="mlp" if SHIPPED.encoder_mlp_min_positives is not None else "logreg",
    )
    parser.add_argument(
        "--mlp-min-positives", type=int, default=SHIPPED.encoder_mlp_min_positives or 2000
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    records = load_records(args.data)
    train_records, _ = split(records, seed=args.seed, fraction=0.2)
    del records
    for n_features in args.n_features:
        for char_max in args.char_max:
            hasher = replace(HasherConfig(), n_features=n_features, char_max=char_max)
            for alpha, cw, nb in itertools.product(args.alpha, args.class_weight, args.nb_heads):
                started = time.time()
                heads, fig = fast_oof(
                    train_records,
                    hasher,
                    alpha=alpha,
                    class_weight=None if cw == "none" else cw,
                    cv=args.cv,
                    seed=args.seed,
                    nb_heads=NB_CHOICES[nb],
                )
                setting = {
                    "n_features": n_features,
                    "char_max": char_max,
                    "alpha": alpha,
                    "class_weight": cw,
                    "nb_heads": nb,
                    "seconds": round(time.time() - started),
                }
                print(json.dumps({**setting, **summary(fig)}), flush=True)
                if args.per_language_calibration:
                    calibration = per_language_calibration(train_records, heads, args.cv, args.seed)
                    print(json.dumps({"per_language_calibration": calibration}), flush=True)
                if args.encoder_weights:
                    cascade(args, train_records, heads.oof_proba())


def cascade(
    args: argparse.Namespace, train_records: Sequence[Record], fast_proba: npt.NDArray[np.float64]
) -> None:
    """Out-of-fold figures of fast/encoder blends on the encoder tier's sample."""
    from rostra.training.encoder import EmbeddingCache

    cache = EmbeddingCache(args.cache)
    sample = stratified_sample(train_records, per_source=args.per_source, seed=args.seed)
    sample = [r for r in sample if r.text in cache]
    position = {id(r): i for i, r in enumerate(train_records)}
    rows = np.array([position[id(r)] for r in sample], dtype=np.int64)
    E = cache.embed([r.text for r in sample])
    Ye, Me = label_matrix(sample)
    folds = np.array([fold_of(r, args.cv, seed=args.seed) for r in sample], dtype=np.int64)
    min_positives = args.mlp_min_positives if args.encoder_head == "mlp" else None
    enc = MaskedHeads(
        kind="logreg",
        C=args.encoder_C,
        cv=args.cv,
        random_state=args.seed,
        mlp_heads=encoder_mlp_heads(Ye, Me, min_positives),
    )
    enc.fit(E, Ye, Me, folds, L.HEADS)
    enc_proba = enc.oof_proba(mlp=True)
    fast_s = fast_proba[rows]
    mix = positive_shares(train_records)  # as rostra train: figures at each set's own mix
    for w in args.encoder_weights:
        fig = cascade_figures(sample, fast_s, enc_proba, Me, w, band=tuple(args.band), mix=mix)
        record = {"encoder_weight": w, "encoder_head": args.encoder_head, "sample": len(sample)}
        print(json.dumps({**record, "uncertain_share": fig["uncertain_share"], **summary(fig)}))


if __name__ == "__main__":
    main()
