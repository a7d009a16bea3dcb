"""``rostra train``: rebuild the shipped classifier from ``../shared/datasets``, reproducibly.

Steps (all deterministic for a given ``seed``):

1. load and map every non-GPL set (:mod:`rostra.training.data`, :mod:`rostra.training.labels`);
2. hold out 20% by group (:func:`rostra.training.data.split`); the held-out part is never
   trained or tuned on, and ``rostra eval --dataset NAME`` reports on it;
3. fast tier: hashed n-grams -> masked SGD heads -> Platt on out-of-fold scores (``--cv`` folds);
4. encoder tier: a stratified sample per set (``--per-source``), embedded with the cache, ->
   masked logistic heads -> Platt on out-of-fold scores; the analyzer's cascade (fast and
   encoder blended where the fast tier is uncertain) is scored out of fold on the same sample
   for several blend weights, which is what the policy's ``encoder_weight`` is chosen from;
5. figures: out-of-fold (cross-validated) and held-out, per head and per data set;
6. write the artifact (safetensors + manifest) and the model card.
"""

from __future__ import annotations

import hashlib
import json
import platform
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rostra.training import artifact as art
from rostra.training import labels as L
from rostra.training.data import Record, fold_of, load_records, split, stratified_sample
from rostra.training.encoder import EmbeddingCache, EmbedFn, encoder_version
from rostra.training.estimator import MaskedHeads
from rostra.training.features import Hasher, HasherConfig
from rostra.training.metrics import binary_report

Log = Callable[[str], None]

#: Binary offence sets: the issue's targets are macro-F1 of "offensive" on these.
BINARY_TARGETS: dict[str, tuple[str, float]] = {
    "olid-offenseval2019-en": (L.OFFENSIVE, 0.80),
    "edos": ("sexism", 0.83),
    "offenseval2020-tr": (L.OFFENSIVE, 0.79),
    "osact2020-ar-offensive": (L.OFFENSIVE, 0.86),
    "parsoffensive-fa": (L.OFFENSIVE, 0.80),
}
#: Promotion target: F1 of the promotion head on the two spam sets together.
PROMOTION_SOURCES = ("youtube-spam-collection", "sms-spam-collection")
PROMOTION_TARGET = 0.93
PROMOTION_NAME = "promotion (youtube+sms)"
#: Encoder blend weights whose cross-validated cascade figures go into the manifest.
ENCODER_WEIGHTS = (0.0, 0.1, 0.25, 0.4, 0.5, 0.75)
#: The analyzer's default ``uncertain_band`` (the cascade blends only inside it).
UNCERTAIN_BAND = (0.3, 0.85)


#: The heads whose out-of-fold macro-F1 and ROC-AUC naive-Bayes scaling improved (`python -m
#: rostra.training.tune --nb-heads none all`); not the default (see ``TrainConfig.nb_heads``).
NB_HEADS = ("profanity", "personal_attack", "sexism", "promotion", "offensive")


@dataclass(frozen=True)
class TrainConfig:
    data: Path
    out: Path
    cache: Path = Path("var/cache")
    seed: int = 0
    cv: int = 3
    held_out: float = 0.2
    #: 35,188 texts, the plan since the first artifact; shipped since 2026-12-07 (800 per set,
    #: 12,000 texts, before: embedding on a loaded machine was too slow; docs/quality.md §0).
    per_source: int = 2500
    #: Train the encoder tier only on texts already in the cache (no embedding at all).
    cached_only: bool = False
    encoder: bool = True
    sources: tuple[str, ...] | None = None
    n_features: int = 2**20
    #: Chosen by ``python -m rostra.training.tune`` on cross-validated figures (docs/quality.md).
    alpha: float = 1e-6
    #: None since 2026-12-07: better cross-validated than "balanced" (docs/quality.md §1).
    class_weight: str | None = None
    #: Fast-tier heads fitted on naive-Bayes-scaled features. None: NB_HEADS improved the
    #: out-of-fold figures but lowered ROC-AUC on every tuning set of newsroom comments
    #: (docs/quality.md §0, "Naive-Bayes feature scaling: measured, not shipped").
    nb_heads: tuple[str, ...] = ()
    encoder_C: float = 1.0
    #: Encoder-tier heads with at least this many positives in the sample also get a
    #: one-hidden-layer MLP, used where the encoder is blended with the fast tier (None: none).
    #: 5000 picks `offensive` (~14,500 positives); the MLPs of profanity and sexism (~2,100 and
    #: ~2,700) moved no cross-validated figure and ranked the tuning sets' comments worse
    #: (docs/quality.md §0, "Encoder tier: MLP heads").
    encoder_mlp_min_positives: int | None = 5000


def label_matrix(records: Sequence[Record]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(Y, mask), both (n_records, n_heads) in :data:`rostra.training.labels.HEADS` order."""
    Y = np.array([[h in r.labels for h in L.HEADS] for r in records], dtype=bool).reshape(
        -1, len(L.HEADS)
    )
    M = np.array([[h in r.heads for h in L.HEADS] for r in records], dtype=bool).reshape(
        -1, len(L.HEADS)
    )
    return Y, M


def _target_rows(
    records: Sequence[Record], mask: npt.NDArray[np.bool_]
) -> Iterator[tuple[str, str, float, npt.NDArray[np.bool_]]]:
    """(target name, head, target figure, rows labelled for it) for every issue-3 target."""
    for source, (head, target) in BINARY_TARGETS.items():
        j = L.HEADS.index(head)
        yield source, head, target, np.array([source in r.sources for r in records]) & mask[:, j]
    yield (
        PROMOTION_NAME,
        "promotion",
        PROMOTION_TARGET,
        np.array([bool(set(PROMOTION_SOURCES) & set(r.sources)) for r in records], dtype=bool),
    )


def positive_shares(records: Sequence[Record]) -> dict[str, float]:
    """Each target's share of positives among its labelled records (a set's natural mix)."""
    Y, M = label_matrix(records)
    out: dict[str, float] = {}
    for name, head, _, rows in _target_rows(records, M):
        if rows.any():
            out[name] = round(float(Y[rows, L.HEADS.index(head)].mean()), 4)
    return out


def _mix_weights(y: npt.NDArray[Any], share: float | None) -> npt.NDArray[np.float64] | None:
    """Row weights that give the positives ``share`` of the total weight (None: as sampled)."""
    sampled = float(np.mean(y)) if len(y) else 0.0
    if share is None or not 0.0 < sampled < 1.0:
        return None
    return np.where(y, share / sampled, (1.0 - share) / (1.0 - sampled))


def figures(
    records: Sequence[Record],
    proba: npt.NDArray[Any],
    mask: npt.NDArray[np.bool_],
    *,
    mix: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Per-head figures, per-source target figures, at threshold 0.5, on rows with a label.

    ``mix`` (target name -> positive share, from :func:`positive_shares`) weighs each target's
    rows back to that share: the encoder tier's sample holds up to half positives per set, and
    a figure at a 0.5 cut depends on the mix (per-head figures stay as sampled).
    """
    Y, _ = label_matrix(records)
    out: dict[str, Any] = {"per_head": {}, "targets": {}}
    for j, head in enumerate(L.HEADS):
        rows = mask[:, j] & ~np.isnan(proba[:, j])
        if rows.any():
            out["per_head"][head] = binary_report(Y[rows, j], proba[rows, j])
    for name, head, target, labelled in _target_rows(records, mask):
        j = L.HEADS.index(head)
        rows = labelled & ~np.isnan(proba[:, j])
        if not rows.any():
            continue
        y = Y[rows, j]
        weights = _mix_weights(y, None if mix is None else mix.get(name))
        report = binary_report(y, proba[rows, j], sample_weight=weights)
        metric = "f1" if head == "promotion" else "macro_f1"
        report.update(head=head, target=target, met=(report[metric] or 0) >= target)
        out["targets"][name] = report
    return out


def encoder_mlp_heads(
    Y: npt.NDArray[np.bool_], mask: npt.NDArray[np.bool_], min_positives: int | None
) -> tuple[str, ...]:
    """The heads with at least ``min_positives`` annotated positives (none when None)."""
    if min_positives is None:
        return ()
    positives = (Y & mask).sum(axis=0)
    return tuple(h for h, n in zip(L.HEADS, positives, strict=True) if int(n) >= min_positives)


def cascade_figures(
    records: Sequence[Record],
    fast: npt.NDArray[np.float64],
    encoder: npt.NDArray[np.float64],
    mask: npt.NDArray[np.bool_],
    weight: float,
    band: tuple[float, float] = UNCERTAIN_BAND,
    *,
    mix: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Figures of the analyzer's "auto" cascade from out-of-fold probabilities of both tiers.

    As in ``ClassifierAnalyzer.cascade``: where the strongest fast score is inside ``band`` the
    two tiers are blended with ``weight`` on the encoder, elsewhere the fast tier stands.
    Out-of-fold scores exist only for the heads a row's set annotated, so "strongest" is over
    those (the analyzer sees every head; this is the nearest honest approximation).
    ``mix`` weighs the target figures as in :func:`figures`.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows with no annotated head
        strongest = np.nanmax(fast, axis=1)
    uncertain = (strongest >= band[0]) & (strongest < band[1])
    blended = np.where(uncertain[:, None], (1.0 - weight) * fast + weight * encoder, fast)
    out = figures(records, blended, mask, mix=mix)
    out["uncertain_share"] = round(float(uncertain.mean()), 4) if len(records) else 0.0
    out["encoder_weight"] = weight
    return out


def data_hashes(data: Path, sources: Sequence[str]) -> dict[str, str]:
    """sha256 over each source folder's files (names and bytes), for the manifest."""
    out: dict[str, str] = {}
    for source in sources:
        digest = hashlib.sha256()
        for path in sorted((data / source).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(data).as_posix().encode())
                digest.update(art.file_sha256(path).encode())
        out[source] = digest.hexdigest()
    return out


def _versions() -> dict[str, str]:
    import safetensors
    import scipy
    import sklearn

    from rostra import __version__

    return {
        "rostra": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "safetensors": safetensors.__version__,
        "encoder": encoder_version(),
    }


def train(
    config: TrainConfig, *, log: Log = print, embed_fn: EmbedFn | None = None
) -> dict[str, Any]:
    """Train both tiers, write the artifact to ``config.out``; returns the manifest."""
    started = time.time()
    warnings.filterwarnings("ignore", category=UserWarning, module="sklearn")
    from sklearn.exceptions import ConvergenceWarning

    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    records = load_records(config.data, sources=config.sources)
    train_records, held_out = split(records, seed=config.seed, fraction=config.held_out)
    sources = sorted({s for r in records for s in r.sources})
    log(
        f"data: {len(records)} records from {len(sources)} sets; "
        f"{len(train_records)} train, {len(held_out)} held out"
    )

    # -- fast tier -------------------------------------------------------------------------------
    hasher = Hasher(HasherConfig(n_features=config.n_features))
    X = hasher.transform([r.text for r in train_records])
    Y, M = label_matrix(train_records)
    folds = np.array(
        [fold_of(r, config.cv, seed=config.seed) for r in train_records], dtype=np.int64
    )
    log(f"fast tier: features {X.shape[0]} x {X.shape[1]} ({time.time() - started:.0f}s)")
    fast = MaskedHeads(
        kind="sgd",
        alpha=config.alpha,
        class_weight=config.class_weight,
        nb_heads=config.nb_heads,
        cv=config.cv,
        random_state=config.seed,
    )
    fast.fit(X, Y, M, folds, L.HEADS)
    fast_cv = figures(train_records, fast.oof_proba(), M)
    Xh = hasher.transform([r.text for r in held_out])
    _, Mh = label_matrix(held_out)
    fast_held = figures(held_out, fast.predict_proba(Xh), Mh)
    log(f"fast tier: trained ({time.time() - started:.0f}s)")
    _log_targets(log, "fast, cross-validated", fast_cv)
    _log_targets(log, "fast, held out", fast_held)

    # -- encoder tier ----------------------------------------------------------------------------
    encoder_tier: art.EncoderTier | None = None
    encoder_info: dict[str, Any] | None = None
    if config.encoder:
        cache = EmbeddingCache(config.cache)
        sample = stratified_sample(train_records, per_source=config.per_source, seed=config.seed)
        if config.cached_only:
            sample = [r for r in sample if r.text in cache]
        log(f"encoder tier: {len(sample)} texts ({len(cache)} cached)")

        def progress(done: int, total: int) -> None:
            if done % 1024 < 64 or done == total:
                log(f"  embedded {done}/{total} ({time.time() - started:.0f}s)")

        E = cache.embed([r.text for r in sample], embed_fn, progress=progress)
        Ye, Me = label_matrix(sample)
        folds_e = np.array(
            [fold_of(r, config.cv, seed=config.seed) for r in sample], dtype=np.int64
        )
        mlp_heads = encoder_mlp_heads(Ye, Me, config.encoder_mlp_min_positives)
        enc = MaskedHeads(
            kind="logreg",
            C=config.encoder_C,
            cv=config.cv,
            random_state=config.seed,
            mlp_heads=mlp_heads,
        )
        enc.fit(E, Ye, Me, folds_e, L.HEADS)
        log(f"encoder tier: MLP heads {', '.join(mlp_heads) or 'none'}")
        # Alone (Kurdish, `other`) the encoder tier scores with its linear heads; blended, with
        # its MLP heads: each set of figures is of the scoring the screen uses there. The
        # sample holds up to half positives per set; target figures are weighed back to each
        # set's mix in the training split, which is what held-out data look like.
        mix = positive_shares(train_records)
        enc_cv = figures(sample, enc.oof_proba(), Me, mix=mix)
        _log_targets(log, "encoder (linear heads), cross-validated", enc_cv)
        enc_blended = enc.oof_proba(mlp=True)  # what the cascade blends
        enc_mlp_cv = figures(sample, enc_blended, Me, mix=mix)
        if mlp_heads:
            _log_targets(log, "encoder (MLP heads), cross-validated", enc_mlp_cv)
        # The sample is a subset of the training records, so the fast tier's out-of-fold
        # probabilities exist for it (same folds): the cascade can be scored out of fold too.
        position = {id(r): i for i, r in enumerate(train_records)}
        fast_sample = fast.oof_proba()[[position[id(r)] for r in sample]]
        cascade_cv = {
            str(w): cascade_figures(sample, fast_sample, enc_blended, Me, w, mix=mix)
            for w in ENCODER_WEIGHTS
        }
        for w, fig in cascade_cv.items():
            _log_targets(log, f"cascade (encoder weight {w}), cross-validated on the sample", fig)
        encoder_tier = art.EncoderTier(enc.coef_, enc.intercept_, enc.platt_, enc.mlp_)
        encoder_info = {
            "samples": len(sample),
            "per_source": config.per_source,
            "C": config.encoder_C,
            "mlp_heads": list(mlp_heads),
            "mlp_hidden": enc.mlp_hidden,
            "mlp_alpha": enc.mlp_alpha,
            "mlp_min_positives": config.encoder_mlp_min_positives,
            "cross_validated": enc_cv,
            "cross_validated_mlp": enc_mlp_cv,
            "cascade_cross_validated": cascade_cv,
            "target_positive_shares": mix,
            "uncertain_band": list(UNCERTAIN_BAND),
            "n_train": {h: enc.n_train_[i].tolist() for i, h in enumerate(L.HEADS)},
        }

    # -- artifact --------------------------------------------------------------------------------
    model_version = f"{time.strftime('%Y.%m.%d', time.gmtime())}-s{config.seed}"
    manifest: dict[str, Any] = {
        "model_version": model_version,
        "seed": config.seed,
        "cv": config.cv,
        "held_out_fraction": config.held_out,
        "split": "rostra.training.data.split(seed, held_out_fraction): sha256(seed:group); "
        "EDOS dev is held out",
        "categories": list(L.CLASSIFIER_CATEGORIES),
        "label_mapping": dict(L.MAPPING_DOC),
        "annotated_heads": {s: sorted(L.ANNOTATED.get(s, ())) for s in sources},
        "sources": {
            s: {
                "licence": L.LICENCES.get(s, "unknown"),
                "records": sum(1 for r in records if s in r.sources),
                "train": sum(1 for r in train_records if s in r.sources),
            }
            for s in sources
        },
        "excluded_gpl": sorted(L.GPL_SOURCES),
        "data_sha256": data_hashes(config.data, sources),
        "versions": _versions(),
        "fast": {
            "estimator": f"SGDClassifier(log_loss, class_weight={config.class_weight})"
            + (
                f"; the heads {', '.join(config.nb_heads)} on features scaled by their "
                "naive-Bayes log-count ratio (NBSVM), folded into the weights"
                if config.nb_heads
                else ""
            ),
            "alpha": config.alpha,
            "class_weight": config.class_weight,
            "nb_heads": list(config.nb_heads),
            "n_train": {h: fast.n_train_[i].tolist() for i, h in enumerate(L.HEADS)},
            "cross_validated": fast_cv,
            "held_out": fast_held,
        },
        "encoder": encoder_info,
        "train_seconds": round(time.time() - started, 1),
    }
    artifact = art.Artifact(
        heads=L.HEADS,
        hasher=hasher.config,
        fast=art.LinearTier(fast.coef_.astype(np.float16), fast.intercept_, fast.platt_),
        encoder=encoder_tier,
        manifest=manifest,
    )
    art.save(artifact, config.out)
    saved = art.load(config.out)
    from rostra.training.card import model_card

    (config.out / art.CARD_FILE).write_text(model_card(saved.manifest), "utf-8")
    log(f"wrote {config.out} ({time.time() - started:.0f}s)")
    return saved.manifest


def _log_targets(log: Log, title: str, fig: dict[str, Any]) -> None:
    log(f"{title}:")
    for name, report in fig["targets"].items():
        metric = "f1" if name.startswith("promotion") else "macro_f1"
        log(
            f"  {name:32s} {report['head']:10s} {metric} {report[metric]}"
            f" (target {report['target']}, {'met' if report['met'] else 'NOT met'})"
            f" roc_auc {report['roc_auc']} n={report['n']}"
        )


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
