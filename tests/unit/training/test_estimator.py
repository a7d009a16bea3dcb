from __future__ import annotations

import numpy as np
from tiny_model import synthetic_corpus

from rostra.training.artifact import sigmoid
from rostra.training.estimator import MaskedHeads, fit_platt
from rostra.training.features import Hasher, HasherConfig
from rostra.training.labels import HEADS


def test_estimator_platt_is_monotonic_and_calibrated() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=4000)
    scores = y * 2.0 - 1.0 + rng.normal(scale=1.0, size=y.size)
    a, b = fit_platt(scores, y)
    assert a > 0
    grid = np.linspace(-5, 5, 101)
    p = sigmoid(a * grid + b)
    assert np.all(np.diff(p) > 0)
    # calibrated: among scores predicted ~0.8 about 80% are positive
    prob = sigmoid(a * scores + b)
    band = (prob > 0.75) & (prob < 0.85)
    assert abs(y[band].mean() - 0.8) < 0.06


def test_estimator_platt_never_inverts_and_handles_one_class() -> None:
    y = np.array([1, 1, 1, 0, 0, 0])
    anti = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])  # scores anti-correlated with labels
    a, _ = fit_platt(anti, y)
    assert a == 0.0  # falls back to the base rate rather than inverting
    a, b = fit_platt(np.array([0.1, 0.2]), np.array([0, 0]))
    assert a == 0.0
    assert sigmoid(np.array(b)) < 0.01


def test_estimator_masked_heads_learn_and_respect_mask() -> None:
    texts, Y, M = synthetic_corpus()
    hasher = Hasher(HasherConfig(n_features=2**12))
    X = hasher.transform(texts)
    folds = np.arange(len(texts)) % 3
    # hide every promotion example from the promotion head: it must learn nothing
    M = M.copy()
    promo = HEADS.index("promotion")
    M[Y[:, promo], promo] = False
    model = MaskedHeads(alpha=1e-4, cv=3).fit(X, Y, M, folds, HEADS)
    assert np.all(model.coef_[:, promo] == 0)
    attack = HEADS.index("personal_attack")
    proba = model.predict_proba(hasher.transform(["you stupid idiot", "the budget debate"]))
    assert proba[0, attack] > 0.5 > proba[1, attack]
    oof = model.oof_proba()
    assert not np.isnan(oof[:, attack]).any()
    assert model.n_train_[attack].sum() == len(texts)


def test_estimator_head_without_examples_predicts_almost_never() -> None:
    texts, Y, M = synthetic_corpus()
    hasher = Hasher(HasherConfig(n_features=2**10))
    M = M.copy()
    threat = HEADS.index("threat")
    M[:, threat] = False
    model = MaskedHeads(alpha=1e-4, cv=3).fit(
        hasher.transform(texts), Y, M, np.arange(len(texts)) % 3, HEADS
    )
    proba = model.predict_proba(hasher.transform(["anything at all"]))
    assert proba[0, threat] < 0.01


def test_log_count_ratio_favours_features_of_the_positives() -> None:
    from scipy import sparse

    from rostra.training.estimator import log_count_ratio

    # columns: only in positives, only in negatives, in every row (counted once per row)
    X = sparse.csr_matrix(np.array([[1, 0, 3], [2, 0, 1], [0, 1, 1], [0, 1, 2]], dtype=np.float64))
    y = np.array([1, 1, 0, 0])
    ratio = log_count_ratio(X, y)
    assert ratio[0] > 0 > ratio[1]
    assert ratio[2] == 0.0  # present in every row on both sides: no evidence either way


def test_nb_scaling_is_folded_into_the_coefficients_of_the_chosen_heads_only() -> None:
    from scipy import sparse
    from sklearn.linear_model import SGDClassifier

    from rostra.training.estimator import log_count_ratio

    texts, Y, M = synthetic_corpus()
    X = Hasher(HasherConfig(n_features=2**12)).transform(texts)
    folds = np.arange(len(texts)) % 3
    attack, promo = HEADS.index("personal_attack"), HEADS.index("promotion")
    plain = MaskedHeads(alpha=1e-4, cv=3, class_weight=None).fit(X, Y, M, folds, HEADS)
    scaled = MaskedHeads(alpha=1e-4, cv=3, class_weight=None, nb_heads={"personal_attack"}).fit(
        X, Y, M, folds, HEADS
    )
    assert np.array_equal(scaled.coef_[:, promo], plain.coef_[:, promo])
    assert not np.array_equal(scaled.coef_[:, attack], plain.coef_[:, attack])
    # The head is the model fitted on X · diag(r), with r folded into its weights, so
    # scoring the raw features gives that model's scores.
    rows = np.flatnonzero(M[:, attack])
    y = Y[rows, attack].astype(np.int64)
    ratio = log_count_ratio(X[rows], y)
    reference = SGDClassifier(
        loss="log_loss", alpha=1e-4, max_iter=25, tol=1e-4, class_weight=None, random_state=0
    ).fit(X[rows] @ sparse.diags(ratio), y)
    expected = reference.decision_function(X[rows] @ sparse.diags(ratio))
    got = scaled.decision_function(X[rows])[:, attack]
    assert np.allclose(got, expected, atol=1e-4)


def test_mlp_heads_learn_what_a_linear_head_cannot_and_keep_their_linear_twin() -> None:
    import pytest

    # An XOR of two features: no linear head separates it, one hidden layer does.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1200, 6)).astype(np.float32)
    xor = (X[:, 0] > 0) ^ (X[:, 1] > 0)
    Y = np.zeros((len(X), len(HEADS)), dtype=bool)
    M = np.zeros_like(Y)
    attack, promo = HEADS.index("personal_attack"), HEADS.index("promotion")
    Y[:, attack] = Y[:, promo] = xor
    M[:, attack] = M[:, promo] = True
    folds = np.arange(len(X)) % 3
    model = MaskedHeads(kind="logreg", cv=3, mlp_heads={"personal_attack"}, mlp_hidden=32)
    model.fit(X, Y, M, folds, HEADS)
    linear = MaskedHeads(kind="logreg", cv=3).fit(X, Y, M, folds, HEADS)

    assert set(model.mlp_) == {attack}
    # the linear heads are fitted as without MLPs, the MLP head's included
    assert np.array_equal(model.coef_, linear.coef_)
    assert np.array_equal(model.oof_proba(), linear.oof_proba(), equal_nan=True)

    def accuracy(proba: np.ndarray) -> float:
        return float(((proba > 0.5) == xor).mean())

    assert accuracy(model.oof_proba(mlp=True)[:, attack]) > 0.8
    assert accuracy(model.oof_proba()[:, attack]) < 0.65
    assert accuracy(model.oof_proba(mlp=True)[:, promo]) < 0.65  # no MLP for this head
    # the stored network is what scores: its calibrated logit, by hand
    head = model.mlp_[attack]
    logit = np.maximum(X @ head.w1 + head.b1, 0.0) @ head.w2 + head.b2[0]
    expected = 1.0 / (1.0 + np.exp(-(logit * head.platt[0] + head.platt[1])))
    assert np.allclose(model.predict_proba(X, mlp=True)[:, attack], expected, atol=1e-5)
    assert head.platt[0] > 0  # calibrated on its out-of-fold logits, not the identity
    assert tuple(head.platt) != (1.0, 0.0)

    with pytest.raises(ValueError, match="dense"):
        MaskedHeads(kind="sgd", mlp_heads={"personal_attack"})


def test_encoder_mlp_heads_are_the_heads_with_enough_positives() -> None:
    from rostra.training.train import encoder_mlp_heads

    Y = np.zeros((10, len(HEADS)), dtype=bool)
    M = np.ones_like(Y)
    Y[:6, HEADS.index("profanity")] = True
    Y[:3, HEADS.index("threat")] = True
    M[:, HEADS.index("threat")] = False  # positives nobody annotated do not count
    Y[:2, HEADS.index("sexism")] = True
    assert encoder_mlp_heads(Y, M, 2) == ("profanity", "sexism")
    assert encoder_mlp_heads(Y, M, 5) == ("profanity",)
    assert encoder_mlp_heads(Y, M, None) == ()
