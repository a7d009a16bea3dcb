"""Metrics shared by ``rostra train`` (cross-validated) and ``rostra eval`` (held out)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def binary_report(
    y_true: npt.NDArray[Any],
    scores: npt.NDArray[Any],
    threshold: float = 0.5,
    sample_weight: npt.NDArray[Any] | None = None,
) -> dict[str, Any]:
    """ROC-AUC, PR-AUC, and precision/recall/F1/macro-F1 at ``threshold``.

    ``sample_weight`` weighs rows (e.g. to restore a set's natural class mix in a sample that
    over-represents positives); ``n`` and ``positives`` stay counts of rows.
    """
    y = np.asarray(y_true).astype(np.int64)
    s = np.asarray(scores, dtype=np.float64)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    pred = (s >= threshold).astype(np.int64)
    n_pos = int(y.sum())
    out: dict[str, Any] = {"n": len(y), "positives": n_pos, "threshold": threshold}
    both = 0 < n_pos < len(y)
    out["roc_auc"] = (
        _finite(float(roc_auc_score(y, s, sample_weight=sample_weight))) if both else None
    )
    out["pr_auc"] = (
        _finite(float(average_precision_score(y, s, sample_weight=sample_weight))) if both else None
    )
    tp = float(w[(pred == 1) & (y == 1)].sum())
    fp = float(w[(pred == 1) & (y == 0)].sum())
    fn = float(w[(pred == 0) & (y == 1)].sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out["precision"] = round(precision, 4)
    out["recall"] = round(recall, 4)
    out["f1"] = round(f1, 4)
    out["macro_f1"] = (
        round(
            float(f1_score(y, pred, average="macro", zero_division=0, sample_weight=sample_weight)),
            4,
        )
        if len(y)
        else None
    )
    return out
