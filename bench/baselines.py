"""rostra against the off-the-shelf baselines, on the same held-out data.

    .venv/bin/pip install -e '.[bench]'                        # alt-profanity-check (MIT)
    .venv/bin/python bench/baselines.py --setup-arabic-toxic   # its own venv, see below
    .venv/bin/python bench/baselines.py --data ../shared/datasets --json bench/results/base.json

Systems, each judged on "is this comment offensive?" (binary):

``rostra``
    ``Screen.from_policy()`` with the default policy, the data set's language as the hint and no
    article. Offensive = the highest score among the offence categories (profanity, vulgarity,
    threat, personal_attack, sexism, racism, homophobia, xenophobia) is at least 0.5 (the scores
    are calibrated probabilities). Also reported: offensive = the policy does not approve
    (review or reject), i.e. what a moderator would be shown.
``alt-profanity-check`` (English, MIT)
    ``profanity_check.predict_prob(text) >= 0.5``.
``arabic-toxic`` (Arabic, MIT, weights bundled: loads offline)
    ``classify(text)["is_toxic"]`` (its own tuned per-label thresholds); the ROC-AUC uses
    ``1 - P(NOT)``. Its model is a scikit-learn 1.8.0 pickle and the package declares
    ``scikit-learn<1.8``, while rostra pins scikit-learn 1.9.1, under which the pickle does not
    load (``ModuleNotFoundError: _loss``). So it runs in a separate virtualenv
    (``var/bench-arabic-toxic``, scikit-learn 1.8.0, created by ``--setup-arabic-toxic``) and is
    called through a subprocess. It is never installed into rostra's environment.

Data (held out from training; the same split as ``rostra eval --dataset``:
``rostra.training.data.load_records(..., sources=[name])`` then ``split(seed=0, fraction=0.2)``):

* English: ``olid-offenseval2019-en`` (OFF vs NOT, subtask A);
* Arabic: ``osact2020-ar-offensive`` (OFF vs NOT_OFF);
* the team's functional suites ``tests/suites/en.jsonl`` and ``ar.jsonl`` (offensive = any offence
  category among the case's labels; promotion and off-topic cases count as not offensive).

Reported per data set: n, positives, macro-F1 (the mean of the F1 of both classes, as in
OffensEval), positive-class precision/recall and ROC-AUC.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
ARABIC_TOXIC_VENV = ROOT / "var" / "bench-arabic-toxic"
OFFENCE = frozenset(
    {
        "profanity",
        "vulgarity",
        "threat",
        "personal_attack",
        "sexism",
        "racism",
        "homophobia",
        "xenophobia",
    }
)
DATASETS = {"en": "olid-offenseval2019-en", "ar": "osact2020-ar-offensive"}


@dataclass(frozen=True)
class Item:
    text: str
    lang: str
    offensive: bool


@dataclass(frozen=True)
class Prediction:
    score: float
    flagged: bool


# -- data ------------------------------------------------------------------------------------


def dataset_held_out(data: Path, name: str, lang: str, limit: int | None) -> list[Item]:
    from rostra.training.data import load_records, split

    _, held_out = split(load_records(data, sources=[name]), seed=0, fraction=0.2)
    items = [Item(r.text, lang, bool(r.labels)) for r in held_out]
    return items[:limit] if limit else items


def suite(lang: str, limit: int | None) -> list[Item]:
    path = ROOT / "tests" / "suites" / f"{lang}.jsonl"
    if not path.is_file():
        return []
    items = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            items.append(Item(case["text"], lang, bool(OFFENCE & set(case.get("labels", [])))))
    return items[:limit] if limit else items


# -- systems -----------------------------------------------------------------------------------


def rostra_system() -> tuple[Callable[[Sequence[Item]], list[Prediction]], Callable[..., Any]]:
    from rostra.screening import Recommendation, Screen, ScreenContext

    screen = Screen.from_policy()

    def verdicts(items: Sequence[Item]) -> list[Any]:
        return [screen.screen(it.text, ScreenContext(lang_hint=it.lang)) for it in items]

    def by_score(items: Sequence[Item]) -> list[Prediction]:
        out = []
        for verdict in verdicts(items):
            score = max((v for k, v in verdict.scores.items() if k in OFFENCE), default=0.0)
            flagged = verdict.recommendation is not Recommendation.APPROVE
            out.append(Prediction(score, flagged))
        return out

    return by_score, lambda: screen.model_version


def profanity_check_system(items: Sequence[Item]) -> list[Prediction]:
    from profanity_check import predict_prob

    probs = predict_prob([it.text for it in items])
    return [Prediction(float(p), float(p) >= 0.5) for p in probs]


ARABIC_TOXIC_RUNNER = """
import json, sys
from arabic_toxic import classify
for line in sys.stdin:
    result = classify(json.loads(line))
    not_toxic = result["scores"].get("NOT", 0.0) / 100.0
    print(json.dumps({"score": 1.0 - not_toxic, "flagged": bool(result["is_toxic"])}))
"""


def arabic_toxic_python() -> Path:
    return ARABIC_TOXIC_VENV / "bin" / "python"


def arabic_toxic_system(items: Sequence[Item]) -> list[Prediction]:
    python = arabic_toxic_python()
    if not python.exists():
        raise SystemExit(f"{python} missing: run bench/baselines.py --setup-arabic-toxic first")
    stdin = "".join(json.dumps(it.text) + "\n" for it in items)
    result = subprocess.run(
        [str(python), "-W", "ignore", "-c", ARABIC_TOXIC_RUNNER],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(rows) != len(items):
        raise RuntimeError(f"arabic-toxic answered {len(rows)} of {len(items)} texts")
    return [Prediction(float(r["score"]), bool(r["flagged"])) for r in rows]


def setup_arabic_toxic() -> None:
    """Create the separate venv: arabic-toxic 0.2.3 with the scikit-learn its pickle needs."""
    subprocess.run([sys.executable, "-m", "venv", str(ARABIC_TOXIC_VENV)], check=True)
    pip = [str(ARABIC_TOXIC_VENV / "bin" / "pip"), "install", "--quiet"]
    subprocess.run([*pip, "scikit-learn==1.8.0", "joblib>=1.2", "numpy>=1.23"], check=True)
    # --no-deps: its metadata asks for scikit-learn<1.8, but the bundled model was pickled with
    # 1.8.0 and only loads there.
    subprocess.run([*pip, "--no-deps", "arabic-toxic==0.2.3"], check=True)
    probe = "from arabic_toxic import classify; print(classify('أنت إنسان محترم')['is_toxic'])"
    subprocess.run([str(arabic_toxic_python()), "-W", "error", "-c", probe], check=True)


# -- metrics -----------------------------------------------------------------------------------


def metrics(items: Sequence[Item], predictions: Sequence[Prediction], *, by: str) -> dict[str, Any]:
    y = np.array([it.offensive for it in items], dtype=int)
    if by == "score":
        predicted = np.array([p.score >= 0.5 for p in predictions], dtype=int)
    else:
        predicted = np.array([p.flagged for p in predictions], dtype=int)
    scores = np.array([p.score for p in predictions])
    both_classes = 0 < y.sum() < len(y)
    return {
        "macro_f1": round(float(f1_score(y, predicted, average="macro", zero_division=0)), 3),
        "precision": round(float(precision_score(y, predicted, zero_division=0)), 3),
        "recall": round(float(recall_score(y, predicted, zero_division=0)), 3),
        "roc_auc": round(float(roc_auc_score(y, scores)), 3) if both_classes else None,
    }


def evaluate(
    name: str,
    items: list[Item],
    systems: dict[str, Callable[[Sequence[Item]], list[Prediction]]],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "data": name,
        "n": len(items),
        "positives": sum(it.offensive for it in items),
        "systems": {},
    }
    for system_name, system in systems.items():
        started = time.perf_counter()
        predictions = system(items)
        seconds = round(time.perf_counter() - started, 1)
        entry: dict[str, Any] = {"seconds": seconds, **metrics(items, predictions, by="score")}
        if system_name == "rostra":
            entry["not_approved"] = metrics(items, predictions, by="flagged")
        elif system_name == "arabic-toxic":
            # Its own decision (per-label tuned thresholds), not score >= 0.5.
            entry.update(metrics(items, predictions, by="flagged"))
        result["systems"][system_name] = entry
        print(f"  {name}: {system_name} done in {seconds}s", file=sys.stderr)
    return result


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| data (held out) | n | offensive | system | macro-F1 | precision | recall | ROC-AUC |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        for system, m in res["systems"].items():
            rows = [(system, m)]
            if "not_approved" in m:
                rows.append((f"{system} (not approved = flagged)", m["not_approved"]))
            for label, values in rows:
                auc = values["roc_auc"] if values["roc_auc"] is not None else "–"
                lines.append(
                    f"| {res['data']} | {res['n']} | {res['positives']} | {label} | "
                    f"{values['macro_f1']:.3f} | {values['precision']:.3f} | "
                    f"{values['recall']:.3f} | {auc} |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--limit", type=int, help="at most this many items per data set")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--setup-arabic-toxic", action="store_true", help="create its venv")
    parser.add_argument("--only", choices=["en", "ar"], help="one language only (default: both)")
    args = parser.parse_args()
    if args.setup_arabic_toxic:
        setup_arabic_toxic()
        return
    rostra, model_version = rostra_system()
    per_lang: dict[str, dict[str, Callable[[Sequence[Item]], list[Prediction]]]] = {
        "en": {"rostra": rostra, "alt-profanity-check": profanity_check_system},
        "ar": {"rostra": rostra, "arabic-toxic": arabic_toxic_system},
    }
    results = []
    for lang in ["en", "ar"] if args.only is None else [args.only]:
        name = DATASETS[lang]
        results.append(
            evaluate(name, dataset_held_out(args.data, name, lang, args.limit), per_lang[lang])
        )
        suite_items = suite(lang, args.limit)
        if suite_items:
            results.append(evaluate(f"tests/suites/{lang}.jsonl", suite_items, per_lang[lang]))
    report = {"rostra_model_version": model_version(), "results": results}
    print(markdown(results))
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
