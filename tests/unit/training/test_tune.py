"""``rostra.training.tune``: the per-language calibration report."""

from __future__ import annotations

import numpy as np
from tiny_model import turkish_offence_records

from rostra.training import labels as L
from rostra.training.estimator import MaskedHeads
from rostra.training.tune import per_language_calibration

OFF = L.HEADS.index(L.OFFENSIVE)


def test_per_language_calibration_is_fitted_on_other_folds_of_the_same_language() -> None:
    records = turkish_offence_records(90)
    fitted = MaskedHeads()
    fitted.oof_scores_ = np.full((len(records), len(L.HEADS)), np.nan, dtype=np.float32)
    # Turkish scores separate perfectly at 0.5, but the pooled calibration (fitted on other
    # languages' scores) puts the cut at 2.0: every Turkish comment looks clean to it.
    fitted.oof_scores_[:, OFF] = [1.0 if i % 2 else 0.0 for i in range(len(records))]
    fitted.platt_ = np.zeros((len(L.HEADS), 2), dtype=np.float32)
    fitted.platt_[OFF] = (1.0, -2.0)

    report = per_language_calibration(records, fitted, cv=3, seed=0)["offenseval2020-tr"]

    assert report["language"] == "tr"
    assert report["pooled"] < 0.5  # all predicted clean
    assert report["per_language"] == 1.0
    assert report["best_cut_in_hindsight"] == 1.0


def test_nb_heads_choices_reach_the_fitted_heads() -> None:
    from rostra.training.features import HasherConfig
    from rostra.training.train import NB_HEADS, TrainConfig
    from rostra.training.tune import NB_CHOICES, fast_oof

    assert NB_CHOICES["none"] == ()
    assert set(NB_CHOICES["all"]) == set(L.HEADS)
    assert NB_CHOICES["chosen"] == NB_HEADS
    assert TrainConfig.nb_heads == ()  # measured and not shipped (docs/quality.md §0)
    records = turkish_offence_records(60)
    heads, _ = fast_oof(
        records,
        HasherConfig(n_features=2**12),
        alpha=1e-4,
        class_weight=None,
        cv=3,
        seed=0,
        nb_heads=NB_CHOICES["chosen"],
    )
    assert heads.nb_heads == frozenset(NB_HEADS)
