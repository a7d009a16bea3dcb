"""Helpers: a tiny classifier artifact trained for real (in a second) on synthetic comments.

The shipped artifact is large and is rebuilt by ``rostra train``; the contract tests need a
model whose behaviour they can predict, so they train one on texts whose labels are obvious.
"""

from __future__ import annotations

import numpy as np

from rostra.training import artifact as art
from rostra.training.data import Record
from rostra.training.estimator import MaskedHeads
from rostra.training.features import Hasher, HasherConfig
from rostra.training.labels import HEADS, OFFENSIVE

CLEAN = [
    "the budget debate in parliament was long",
    "thanks for the clear report on the election",
    "the minister spoke about roads and schools",
    "good article about the new water project",
    "i disagree with the policy but the reporting is fair",
    "the weather in erbil was warm today",
    "the football match ended in a draw",
    "the council will meet again next week",
]
INSULT = [
    "you are a stupid idiot",
    "shut up you idiot",
    "what a stupid moron you are",
    "idiot reporter, you are stupid",
    "you moron, nobody reads your stupid posts",
    "stupid idiot go away",
]
SPAM = [
    "buy cheap followers now at my shop",
    "subscribe to my channel for free money",
    "call now to win a free prize, visit my shop",
    "free money, subscribe to my channel now",
]


def synthetic_corpus() -> tuple[list[str], np.ndarray, np.ndarray]:
    texts: list[str] = []
    rows: list[set[str]] = []
    for i in range(6):  # repeat with a suffix so every fold has every class
        texts += [f"{t} {i}" for t in CLEAN]
        rows += [set() for _ in CLEAN]
        texts += [f"{t} {i}" for t in INSULT]
        rows += [{"personal_attack", OFFENSIVE} for _ in INSULT]
        texts += [f"{t} {i}" for t in SPAM]
        rows += [{"promotion"} for _ in SPAM]
    Y = np.array([[h in r for h in HEADS] for r in rows])
    M = np.ones_like(Y, dtype=bool)
    return texts, Y, M


def train_tiny(seed: int = 0, n_features: int = 2**12) -> art.Artifact:
    texts, Y, M = synthetic_corpus()
    hasher = Hasher(HasherConfig(n_features=n_features))
    X = hasher.transform(texts)
    folds = np.arange(len(texts)) % 3
    heads = MaskedHeads(kind="sgd", alpha=1e-4, cv=3, random_state=seed).fit(X, Y, M, folds, HEADS)
    return art.Artifact(
        heads=HEADS,
        hasher=hasher.config,
        fast=art.LinearTier(heads.coef_.astype(np.float16), heads.intercept_, heads.platt_),
        manifest={"model_version": f"tiny-s{seed}"},
    )


def turkish_offence_records(n: int) -> list[Record]:
    """``n`` OffensEval-TR-like records, alternately clean and offensive (figures tests)."""
    heads = frozenset({OFFENSIVE})
    return [
        Record(
            f"t{i}",
            "tr",
            frozenset({OFFENSIVE}) if i % 2 else frozenset(),
            "offenseval2020-tr",
            f"g{i}",
            heads,
        )
        for i in range(n)
    ]
