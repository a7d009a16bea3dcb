"""One-vs-rest linear heads with masks and Platt calibration on out-of-fold scores.

Each head (a category, or the auxiliary ``offensive``) is a binary linear model trained only on
the records that speak about it (``mask``: see :mod:`rostra.training.labels`). Its raw decision
scores are turned into probabilities by a Platt sigmoid fitted on *out-of-fold* scores, so the
calibration never sees a score from a model that trained on the same record.

sklearn-style: ``__init__`` stores parameters, ``fit`` returns ``self``, fitted state ends in
``_``. The fitted state is plain arrays (``coef_``, ``intercept_``, ``platt_``, and ``mlp_`` for
the heads also fitted as a small MLP), which is what the artifact stores: nothing is pickled.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.neural_network import MLPClassifier

from rostra.training.artifact import MlpHead, sigmoid

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def fit_platt(scores: npt.NDArray[Any], y: npt.NDArray[Any]) -> tuple[float, float]:
    """Platt scaling: ``p = sigmoid(a * score + b)`` fitted by logistic regression.

    ``a`` is forced non-negative so calibration is monotonic (a higher raw score never means
    a lower probability); a head with no signal gets ``a = 0`` and predicts the base rate.
    """
    y = np.asarray(y).astype(np.int64)
    if y.min() == y.max():
        rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
        return 0.0, float(np.log(rate / (1 - rate)))
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(np.asarray(scores, dtype=np.float64).reshape(-1, 1), y)
    a = max(float(lr.coef_[0, 0]), 0.0)
    b = float(lr.intercept_[0])
    if a == 0.0:
        rate = float(np.clip(y.mean(), 1e-3, 1 - 1e-3))
        b = float(np.log(rate / (1 - rate)))
    return a, b


def log_count_ratio(X: Any, y: npt.NDArray[Any], smoothing: float = 1.0) -> npt.NDArray[np.float64]:
    """Per feature, log of (share of positives' feature occurrences) over (share of negatives').

    Occurrence is presence in a row (binarized), with add-``smoothing`` counts so a feature
    seen on one side only gets a finite ratio.
    """
    present = sparse.csr_matrix(X, copy=True)
    present.data[:] = 1.0
    positive = np.asarray(present[y == 1].sum(axis=0)).ravel() + smoothing
    negative = np.asarray(present[y == 0].sum(axis=0)).ravel() + smoothing
    ratio: npt.NDArray[np.float64] = np.log(positive / positive.sum()) - np.log(
        negative / negative.sum()
    )
    return ratio


class MaskedHeads:
    """Independent calibrated binary heads over a shared feature matrix.

    Parameters
    ----------
    kind:
        ``"sgd"`` (log-loss SGD, for the large sparse hashed features) or ``"logreg"``
        (lbfgs logistic regression, for dense embeddings).
    alpha:
        L2 strength for SGD; ``C = 1 / alpha / n`` is *not* used: logreg takes ``C`` directly.
    C:
        Inverse L2 strength for logistic regression.
    cv:
        Folds for the out-of-fold scores the calibration is fitted on.
    random_state:
        Seed for SGD's shuffling; with it, training is deterministic.
    class_weight:
        ``"balanced"`` or ``None``, passed to the estimator (Platt calibration follows either
        way, so this changes the ranking the heads learn, not the meaning of a probability).
    nb_heads:
        Heads whose features are scaled by their naive-Bayes log-count ratio before fitting
        (Wang & Manning 2012, "NBSVM"): how much more often a feature occurs in the head's
        positives than in its negatives, from the rows that head is fitted on (per fold for
        the out-of-fold scores). The ratio is folded into the head's coefficients afterwards,
        so the fitted state, the artifact and scoring are exactly as without it. Sparse
        features only (the fast tier).
    mlp_heads:
        Heads also fitted as a one-hidden-layer ReLU network (``mlp_hidden`` units, L2
        ``mlp_alpha``, early stopping on a tenth of the rows), calibrated on its own
        out-of-fold logits, beside their linear model; dense features only (the encoder tier).
        The networks are in ``mlp_``; ``predict_proba(X, mlp=True)`` and
        ``oof_proba(mlp=True)`` score with them.
    """

    def __init__(
        self,
        *,
        kind: str = "sgd",
        alpha: float = 2e-6,
        C: float = 1.0,
        max_iter: int = 25,
        cv: int = 3,
        random_state: int = 0,
        class_weight: str | None = "balanced",
        nb_heads: Collection[str] = (),
        mlp_heads: Collection[str] = (),
        mlp_hidden: int = 256,
        mlp_alpha: float = 1e-3,
    ) -> None:
        self.kind = kind
        self.nb_heads = frozenset(nb_heads)
        self.mlp_heads = frozenset(mlp_heads)
        if self.mlp_heads and kind == "sgd":
            raise ValueError("MLP heads are for dense features (kind='logreg')")
        self.mlp_hidden = mlp_hidden
        self.mlp_alpha = mlp_alpha
        self.alpha = alpha
        self.C = C
        self.max_iter = max_iter
        self.cv = cv
        self.random_state = random_state
        self.class_weight = class_weight

    def _model(self) -> Any:
        if self.kind == "sgd":
            return SGDClassifier(
                loss="log_loss",
                alpha=self.alpha,
                max_iter=self.max_iter,
                tol=1e-4,
                class_weight=self.class_weight,
                random_state=self.random_state,
            )
        if self.kind == "logreg":
            return LogisticRegression(
                C=self.C, class_weight=self.class_weight, max_iter=2000, solver="lbfgs"
            )
        raise ValueError(f"unknown estimator kind {self.kind!r}")

    def _fit_one(
        self, X: Any, y: npt.NDArray[Any], *, nb: bool = False
    ) -> tuple[FloatArray, float]:
        if y.min() == y.max():
            return np.zeros(X.shape[1], dtype=np.float32), 0.0
        ratio = log_count_ratio(X, y) if nb else None
        model = self._model()
        model.fit(X if ratio is None else X @ sparse.diags(ratio), y)
        coef = np.asarray(model.coef_[0], dtype=np.float64)
        if ratio is not None:
            coef = coef * ratio  # (X · diag(r)) · w  ==  X · (r ⊙ w)
        return coef.astype(np.float32), float(model.intercept_[0])

    def _fit_mlp(self, X: Any, y: npt.NDArray[Any]) -> MlpHead:
        """One head's network, uncalibrated (its ``platt`` is the identity until ``fit``)."""
        model = MLPClassifier(
            hidden_layer_sizes=(self.mlp_hidden,),
            alpha=self.mlp_alpha,
            early_stopping=True,
            random_state=self.random_state,
        )
        model.fit(X, y)
        w1, w2 = model.coefs_
        b1, b2 = model.intercepts_
        return MlpHead(
            w1=np.asarray(w1, dtype=np.float32),
            b1=np.asarray(b1, dtype=np.float32),
            w2=np.asarray(w2, dtype=np.float32).ravel(),
            b2=np.asarray(b2, dtype=np.float32).ravel(),
            platt=np.array([1.0, 0.0], dtype=np.float32),
        )

    def fit(
        self,
        X: Any,
        Y: npt.NDArray[Any],
        mask: BoolArray,
        folds: IntArray,
        heads: Sequence[str],
    ) -> MaskedHeads:
        """Fit every head on its masked rows; calibrate on out-of-fold decision scores.

        ``Y`` and ``mask`` are (n_samples, n_heads); ``folds`` gives each row's CV fold.
        """
        n_heads = Y.shape[1]
        self.heads_ = tuple(heads)
        self.classes_ = np.array([0, 1])
        self.coef_ = np.zeros((X.shape[1], n_heads), dtype=np.float32)
        self.intercept_ = np.zeros(n_heads, dtype=np.float32)
        self.platt_ = np.zeros((n_heads, 2), dtype=np.float32)
        self.oof_scores_ = np.full(Y.shape, np.nan, dtype=np.float32)
        self.n_train_ = np.zeros((n_heads, 2), dtype=np.int64)
        self.mlp_: dict[int, MlpHead] = {}
        self.mlp_oof_scores_ = np.full(Y.shape, np.nan, dtype=np.float32)
        for h in range(n_heads):
            rows = np.flatnonzero(mask[:, h])
            if rows.size == 0:  # no data set speaks about this head: predict "almost never"
                self.platt_[h] = (0.0, float(np.log(1e-3 / (1 - 1e-3))))
                continue
            y = Y[rows, h].astype(np.int64)
            nb = heads[h] in self.nb_heads
            mlp = heads[h] in self.mlp_heads and y.min() != y.max()
            self.n_train_[h] = (int((y == 0).sum()), int((y == 1).sum()))
            Xh = X[rows]
            for k in range(self.cv):
                test = folds[rows] == k
                if not test.any() or test.all():
                    continue
                coef, icpt = self._fit_one(Xh[~test], y[~test], nb=nb)
                self.oof_scores_[rows[test], h] = np.asarray(Xh[test] @ coef).ravel() + icpt
                if mlp:
                    network = self._fit_mlp(Xh[~test], y[~test])
                    self.mlp_oof_scores_[rows[test], h] = network.logit(Xh[test])
            self.platt_[h] = self._platt(self.oof_scores_[rows, h], y)
            coef, icpt = self._fit_one(Xh, y, nb=nb)
            self.coef_[:, h] = coef
            self.intercept_[h] = icpt
            if mlp:
                network = self._fit_mlp(Xh, y)
                platt = np.asarray(self._platt(self.mlp_oof_scores_[rows, h], y), np.float32)
                self.mlp_[h] = replace(network, platt=platt)
        return self

    @staticmethod
    def _platt(oof: npt.NDArray[np.float32], y: npt.NDArray[Any]) -> tuple[float, float]:
        seen = ~np.isnan(oof)
        return fit_platt(oof[seen], y[seen]) if seen.any() else (0.0, 0.0)

    def decision_function(self, X: Any) -> npt.NDArray[np.float32]:
        """The linear heads' scores (the MLP heads' logits are :attr:`mlp_`'s)."""
        return np.asarray(X @ self.coef_, dtype=np.float32) + self.intercept_

    def calibrate(self, scores: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return sigmoid(scores * self.platt_[:, 0] + self.platt_[:, 1])

    def predict_proba(self, X: Any, *, mlp: bool = False) -> npt.NDArray[np.float64]:
        """Calibrated probability per head, shape (n_samples, n_heads); with ``mlp`` the
        heads in :attr:`mlp_` are scored by their network instead of their linear model."""
        out = self.calibrate(self.decision_function(X))
        if mlp:
            for h, head in self.mlp_.items():
                out[:, h] = head.proba(X)
        return out

    def oof_proba(self, *, mlp: bool = False) -> npt.NDArray[np.float64]:
        """Calibrated out-of-fold probabilities (NaN where a row was not an example); with
        ``mlp`` the MLP heads' out-of-fold probabilities in their columns."""
        out = self.calibrate(self.oof_scores_)
        if mlp:
            for h, head in self.mlp_.items():
                out[:, h] = head.calibrate(self.mlp_oof_scores_[:, h])
        return out
