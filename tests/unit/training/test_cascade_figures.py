"""The cross-validated cascade figures follow the analyzer's blend rule."""

from __future__ import annotations

import numpy as np
from tiny_model import turkish_offence_records

from rostra.training import labels as L
from rostra.training.train import cascade_figures, label_matrix

OFF = L.HEADS.index(L.OFFENSIVE)


def test_cascade_blends_only_uncertain_rows_with_the_given_weight() -> None:
    records = turkish_offence_records(8)
    _, mask = label_matrix(records)
    fast = np.full((8, len(L.HEADS)), np.nan)
    enc = np.full((8, len(L.HEADS)), np.nan)
    # rows 0-3 confident (0.1 clean / 0.95 offensive, all right); rows 4-7 uncertain and wrong
    # for the fast tier, right for the encoder
    fast[:, OFF] = [0.1, 0.95, 0.1, 0.95, 0.6, 0.4, 0.6, 0.4]
    enc[:, OFF] = [0.9, 0.0, 0.9, 0.0, 0.0, 1.0, 0.0, 1.0]
    alone = cascade_figures(records, fast, enc, mask, 0.0)
    assert alone["uncertain_share"] == 0.5
    assert alone["targets"]["offenseval2020-tr"]["macro_f1"] == 0.5
    # weight 0.5 fixes every uncertain row (0.3 / 0.7) and cannot touch the confident ones,
    # though the encoder is wrong on all of them
    half = cascade_figures(records, fast, enc, mask, 0.5)
    assert half["targets"]["offenseval2020-tr"]["macro_f1"] == 1.0
    # outside the band nothing is blended at all
    wide = cascade_figures(records, fast, enc, mask, 0.5, band=(0.99, 1.0))
    assert wide["uncertain_share"] == 0.0
    assert wide["targets"]["offenseval2020-tr"]["macro_f1"] == 0.5


def test_a_figure_weighed_to_a_mix_equals_it_on_data_with_that_mix() -> None:
    from rostra.training.metrics import binary_report
    from rostra.training.train import figures, positive_shares

    rng = np.random.default_rng(0)
    records = turkish_offence_records(40)  # half offensive, as the encoder's sample
    _, mask = label_matrix(records)
    proba = np.full((40, len(L.HEADS)), np.nan)
    proba[:, OFF] = rng.uniform(size=40)
    assert positive_shares(records) == {"offenseval2020-tr": 0.5}
    # positives a fifth of the weight == every clean record four times over
    weighed = figures(records, proba, mask, mix={"offenseval2020-tr": 0.2})
    y = np.array([bool(r.labels) for r in records])
    repeat = np.where(y, 1, 4)
    expanded = binary_report(np.repeat(y, repeat), np.repeat(proba[:, OFF], repeat))
    got = weighed["targets"]["offenseval2020-tr"]
    for key in ("macro_f1", "f1", "precision", "recall", "roc_auc", "pr_auc"):
        assert got[key] == expanded[key], key
    assert got["n"] == 40  # counts stay counts of rows
    assert got["positives"] == 20
    as_sampled = figures(records, proba, mask)["targets"]["offenseval2020-tr"]
    assert as_sampled["precision"] != got["precision"]
    # the cascade table passes the mix through
    cascade = cascade_figures(records, proba, proba, mask, 0.5, mix={"offenseval2020-tr": 0.2})
    assert cascade["targets"]["offenseval2020-tr"]["macro_f1"] == got["macro_f1"]
