"""Fit and measure the off-topic calibration of ``rostra.relevance.v1``.

    .venv/bin/python bench/relevance_calibration.py            # fit on tune, report on test
    .venv/bin/python bench/relevance_calibration.py --write    # ... and store the fitted numbers

The fit reads only ``tests/fixtures/relevance/tune.json``; ``test.json`` (written separately,
other articles and comments) is only scored, never fitted on. ``--write`` replaces the
``CALIBRATION = Calibration(...)`` block in ``src/rostra/screening/analyzers/relevance.py``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

from rostra.screening.analyzers.relevance import (
    CALIBRATION,
    Calibration,
    RelevanceAnalyzer,
    RelevanceFeatures,
    is_exempt_length,
    write_prototype_vectors,
)
from rostra.screening.langid import identify
from rostra.screening.types import ArticleContext

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "relevance"
MODULE = ROOT / "src" / "rostra" / "screening" / "analyzers" / "relevance.py"
#: The default policy's off_topic review threshold (default_policy.toml).
REVIEW_THRESHOLD = 0.75


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    off_topic: int
    article: ArticleContext
    exempt: bool
    features: RelevanceFeatures


def load(path: Path, analyzer: RelevanceAnalyzer) -> list[Example]:
    data = json.loads(path.read_text("utf-8"))
    examples: list[Example] = []
    for article in data["articles"]:
        context = ArticleContext(article["title"], article["body"], article["language"])
        for comment in article["comments"]:
            text = comment["text"]
            examples.append(
                Example(
                    text=text,
                    lang=comment["lang"],
                    off_topic=int(comment["off_topic"]),
                    article=context,
                    exempt=is_exempt_length(text, analyzer.min_words, analyzer.min_letters),
                    # Same language path as the analyzer: the comment's language is identified.
                    features=analyzer.features(text, identify(text).lang, context),
                )
            )
    return examples


def load_suites(analyzer: RelevanceAnalyzer) -> list[Example]:
    """The team's held-out functional suites: every case that has an article.

    Written by other engineers for the whole screen; an off_topic label marks off-topic cases,
    everything else (abuse included) is on-topic for this purpose. Scored only, never fitted.
    """
    examples: list[Example] = []
    for path in sorted((ROOT / "tests" / "suites").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            article = case.get("article")
            if not article:
                continue
            context = ArticleContext(
                article.get("title", ""), article.get("body", ""), article.get("language")
            )
            text = case["text"]
            examples.append(
                Example(
                    text=text,
                    lang=case.get("lang", path.stem),
                    off_topic=int("off_topic" in case.get("labels", [])),
                    article=context,
                    exempt=is_exempt_length(text, analyzer.min_words, analyzer.min_letters),
                    features=analyzer.features(text, identify(text).lang, context),
                )
            )
    return examples


def matrix(examples: list[Example]) -> np.ndarray:
    return np.array(
        [[e.features.similarity, e.features.same_language, e.features.generic] for e in examples]
    )


def fit(examples: list[Example]) -> Calibration:
    x = matrix(examples)
    y = np.array([e.off_topic for e in examples])
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    model = LogisticRegression(C=1.0).fit((x - mean) / std, y)
    weights = model.coef_[0] / std
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / std))
    return Calibration(
        intercept=round(intercept, 4),
        similarity=round(float(weights[0]), 4),
        same_language=round(float(weights[1]), 4),
        generic=round(float(weights[2]), 4),
        fitted_on=f"tests/fixtures/relevance/tune.json ({len(examples)} comments)",
    )


def scores(examples: list[Example], calibration: Calibration) -> np.ndarray:
    # Exempt comments get no signal, i.e. an off_topic score of 0 in the verdict.
    return np.array([0.0 if e.exempt else calibration.probability(e.features) for e in examples])


def report(examples: list[Example], calibration: Calibration) -> dict[str, Any]:
    y = np.array([e.off_topic for e in examples])
    p = scores(examples, calibration)
    out: dict[str, Any] = {
        "comments": len(examples),
        "off_topic": int(y.sum()),
        "exempt_by_length": sum(e.exempt for e in examples),
        "roc_auc": round(float(roc_auc_score(y, p)), 3),
        "pr_auc": round(float(average_precision_score(y, p)), 3),
        "brier": round(float(np.mean((p - y) ** 2)), 3),
        "ece_5_bins": round(expected_calibration_error(y, p, bins=5), 3),
    }
    for threshold in (0.5, REVIEW_THRESHOLD):
        predicted = p >= threshold
        tp = int(np.sum(predicted & (y == 1)))
        fp = int(np.sum(predicted & (y == 0)))
        fn = int(np.sum(~predicted & (y == 1)))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[f"at_{threshold}"] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "on_topic_flagged": fp,
        }
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for example, score in zip(examples, p, strict=True):
        correct = (score >= REVIEW_THRESHOLD) == bool(example.off_topic)
        by_lang[example.lang][0] += int(correct)
        by_lang[example.lang][1] += 1
    out["accuracy_at_review_threshold_by_comment_language"] = {
        lang: f"{ok}/{n}" for lang, (ok, n) in sorted(by_lang.items())
    }
    return out


def expected_calibration_error(y: np.ndarray, p: np.ndarray, *, bins: int) -> float:
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (p >= low) & ((p < high) if high < 1.0 else (p <= high))
        if inside.any():
            total += inside.sum() / len(p) * abs(p[inside].mean() - y[inside].mean())
    return float(total)


def write(calibration: Calibration) -> None:
    source = MODULE.read_text("utf-8")
    block = (
        "CALIBRATION = Calibration(\n"
        f"    intercept={calibration.intercept!r},\n"
        f"    similarity={calibration.similarity!r},\n"
        f"    same_language={calibration.same_language!r},\n"
        f"    generic={calibration.generic!r},\n"
        f"    fitted_on={json.dumps(calibration.fitted_on)},\n"
        ")"
    )
    updated, count = re.subn(r"CALIBRATION = Calibration\(\n.*?\n\)", block, source, flags=re.S)
    if count != 1:
        raise SystemExit("could not find the CALIBRATION block to replace")
    MODULE.write_text(updated, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="store the fitted numbers")
    parser.add_argument("--tune-only", action="store_true", help="do not score the test set")
    parser.add_argument(
        "--suites", action="store_true", help="also score the cases in tests/suites with an article"
    )
    args = parser.parse_args()
    analyzer = RelevanceAnalyzer()
    tune = load(FIXTURES / "tune.json", analyzer)
    fitted = fit([e for e in tune if not e.exempt])
    # Without --write the figures are those of the shipped numbers (what the screen runs); a
    # refit can differ slightly when language ID has changed since they were fitted.
    calibration = fitted if args.write else CALIBRATION
    print("fitted now:", fitted)
    print("scored with:", calibration)
    print("tune (fitted on):", json.dumps(report(tune, calibration), indent=2))
    if not args.tune_only:
        test = load(FIXTURES / "test.json", analyzer)
        print("test (held out):", json.dumps(report(test, calibration), indent=2))
    if args.suites:
        suites = load_suites(analyzer)
        print("tests/suites (held out):", json.dumps(report(suites, calibration), indent=2))
    if args.write:
        write(fitted)
        shipped = write_prototype_vectors()
        print(f"wrote {MODULE.relative_to(ROOT)} and {shipped.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
