"""``rostra eval``: run the full screen over labelled comments and report how it does.

Input: JSONL lines ``{"text", "labels": [category, ...], "lang"?, "article"?}`` (``labels``
may also contain ``"offensive"``: a violation whose category the data does not say), or a
data set's held-out split (``--dataset NAME --data DIR``), which training never saw.

Reported, overall and per language (the language the screen detected):

* per category: ROC-AUC, PR-AUC, precision / recall / F1 with the policy's *reject* threshold
  for that category and language (``at_reject``) and with its *review* threshold
  (``at_review``: "flagged for a human at least");
* ``any_violation``: the maximum category score against "has any label": ROC-AUC, PR-AUC and
  binary macro-F1 at 0.5 (the issue's measure for the binary offence sets) and at the
  policy's reject threshold;
* decisions: automation rate (share approved or rejected without a human), leak rate
  (violating comments auto-approved), false-rejection rate (clean comments auto-rejected).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rostra.screening.policy import Policy
from rostra.screening.screen import Screen
from rostra.screening.types import ArticleContext, Recommendation, ScreenContext
from rostra.training.labels import OFFENSIVE
from rostra.training.metrics import binary_report


@dataclass(frozen=True)
class EvalItem:
    text: str
    labels: frozenset[str]
    lang: str | None = None
    article: ArticleContext | None = None
    #: Categories this item's labels speak about (None = all).
    annotated: frozenset[str] | None = None


class EvalInputError(ValueError):
    pass


def read_jsonl(path: str | Path) -> Iterator[EvalItem]:
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = row["text"]
                labels = row.get("labels", [])
                if not isinstance(text, str) or not isinstance(labels, list):
                    raise TypeError("text must be a string and labels a list")
            except (ValueError, KeyError, TypeError) as exc:
                raise EvalInputError(f"{path}:{number}: {exc}") from None
            article = row.get("article")
            context = None
            if isinstance(article, dict):
                context = ArticleContext(
                    title=str(article.get("title", "")),
                    body=str(article.get("body", "")),
                    language=article.get("language"),
                )
            elif isinstance(article, str):
                context = ArticleContext(title=article)
            yield EvalItem(text, frozenset(map(str, labels)), row.get("lang"), context)


def _rates(recs: Sequence[Recommendation], violating: np.ndarray[Any, Any]) -> dict[str, Any]:
    decided = np.array([r is not Recommendation.REVIEW for r in recs])
    approved = np.array([r is Recommendation.APPROVE for r in recs])
    rejected = np.array([r is Recommendation.REJECT for r in recs])
    n_bad = int(violating.sum())
    n_clean = len(recs) - n_bad
    return {
        "n": len(recs),
        "violating": n_bad,
        "approve": int(approved.sum()),
        "reject": int(rejected.sum()),
        "review": int((~decided).sum()),
        "automation_rate": round(float(decided.mean()), 4) if len(recs) else None,
        "leak_rate": round(float((approved & violating).sum() / n_bad), 4) if n_bad else None,
        "false_rejection_rate": (
            round(float((rejected & ~violating).sum() / n_clean), 4) if n_clean else None
        ),
        "correct_decision_rate": (
            round(float(((approved & ~violating) | (rejected & violating)).sum() / len(recs)), 4)
            if len(recs)
            else None
        ),
    }


def _block(
    items: Sequence[EvalItem],
    scores: np.ndarray[Any, Any],
    recs: Sequence[Recommendation],
    langs: Sequence[str],
    categories: Sequence[str],
    policy: Policy,
) -> dict[str, Any]:
    violating = np.array([bool(it.labels) for it in items])
    out: dict[str, Any] = {"decisions": _rates(recs, violating), "categories": {}}
    any_score = scores.max(axis=1) if scores.size else np.zeros(len(items))
    reject_at = np.array(
        [min(policy.threshold(c, lg, "reject") for c in categories) for lg in langs]
    )
    any_report = binary_report(violating, any_score, 0.5)
    strict = binary_report(violating, any_score - reject_at + 0.5, 0.5)  # score >= own threshold
    any_report["macro_f1_at_reject"] = strict["macro_f1"]
    any_report["f1_at_reject"] = strict["f1"]
    out["any_violation"] = any_report
    for j, category in enumerate(categories):
        rows = np.array([it.annotated is None or category in it.annotated for it in items])
        y = np.array([category in it.labels for it in items])[rows]
        if not rows.any() or not y.any():
            continue
        s = scores[rows, j]
        lang_rows = [lg for lg, keep in zip(langs, rows, strict=True) if keep]
        rej = np.array([policy.threshold(category, lg, "reject") for lg in lang_rows])
        rev = np.array([policy.threshold(category, lg, "review") for lg in lang_rows])
        report = binary_report(y, s, 0.5)
        at_reject = binary_report(y, s - rej + 0.5, 0.5)
        at_review = binary_report(y, s - rev + 0.5, 0.5)
        out["categories"][category] = {
            "n": report["n"],
            "positives": report["positives"],
            "roc_auc": report["roc_auc"],
            "pr_auc": report["pr_auc"],
            "at_reject": {k: at_reject[k] for k in ("precision", "recall", "f1")},
            "at_review": {k: at_review[k] for k in ("precision", "recall", "f1")},
        }
    return out


def evaluate(
    items: Iterable[EvalItem], screen: Screen | None = None, *, limit: int | None = None
) -> dict[str, Any]:
    """Screen every item and report (see the module docstring)."""
    screen = screen or Screen.from_policy()
    policy = screen.policy
    categories = list(policy.categories)
    kept: list[EvalItem] = []
    rows: list[list[float]] = []
    recs: list[Recommendation] = []
    langs: list[str] = []
    for item in items:
        if limit is not None and len(kept) >= limit:
            break
        context = ScreenContext(article=item.article, lang_hint=item.lang)
        verdict = screen.screen(item.text, context)
        # "offensive" means "some category": it counts as a violation but has no column.
        kept.append(item)
        rows.append([verdict.scores.get(c, 0.0) for c in categories])
        recs.append(verdict.recommendation)
        langs.append(verdict.language)
    scores = np.array(rows, dtype=np.float64).reshape(len(kept), len(categories))
    report: dict[str, Any] = {
        "policy_version": policy.version,
        "model_version": screen.model_version,
        "overall": _block(kept, scores, recs, langs, categories, policy),
        "per_language": {},
    }
    for lang in sorted(set(langs)):
        idx = [i for i, lg in enumerate(langs) if lg == lang]
        report["per_language"][lang] = _block(
            [kept[i] for i in idx],
            scores[idx],
            [recs[i] for i in idx],
            [langs[i] for i in idx],
            categories,
            policy,
        )
    report["labels_seen"] = sorted({lab for it in kept for lab in it.labels} - {OFFENSIVE})
    return report


#: Third-party baselines ``rostra eval --baseline`` can compare against (dev extras only).
BASELINES = ("alt-profanity-check", "arabic-toxic")


def baseline_scores(name: str, texts: Sequence[str]) -> np.ndarray[Any, Any]:
    """A baseline's "is offensive" probability for each text."""
    if name == "alt-profanity-check":
        from profanity_check import predict_prob

        return np.asarray(predict_prob(list(texts)), dtype=np.float64)
    if name == "arabic-toxic":
        from arabic_toxic import predict_proba

        rows = predict_proba(list(texts))
        # percentages over labels incl. "NOT": toxic = 1 - P(NOT)
        return np.array([1.0 - row.get("NOT", 100.0) / 100.0 for row in rows], dtype=np.float64)
    raise ValueError(f"unknown baseline {name!r}; known: {BASELINES}")


def compare_baseline(items: Sequence[EvalItem], report: dict[str, Any], name: str) -> None:
    """Add ``report["baselines"][name]``: the baseline on the same items, any-violation."""
    y = np.array([bool(it.labels) for it in items])
    scores = baseline_scores(name, [it.text for it in items])
    report.setdefault("baselines", {})[name] = binary_report(y, scores, 0.5)


def dataset_items(
    data: str | Path, name: str, *, seed: int = 0, held_out: float = 0.2, limit: int | None = None
) -> list[EvalItem]:
    """The held-out split of data set ``name`` (all of it for GPL sets, never trained on)."""
    from rostra.training import labels as L
    from rostra.training.data import load_records, split

    records = load_records(data, sources=[name], include_gpl=True)
    if name not in L.GPL_SOURCES:
        _, records = split(records, seed=seed, fraction=held_out)
    if limit is not None and len(records) > limit:
        # a seeded hash order keeps the set's own class balance (unlike stratified sampling)
        records = sorted(
            records, key=lambda r: hashlib.sha256(f"eval:{seed}:{r.text}".encode()).digest()
        )[:limit]
    annotated = L.ANNOTATED.get(name, frozenset())
    return [EvalItem(r.text, r.labels, r.lang, None, annotated | r.labels) for r in records]


def format_report(report: dict[str, Any]) -> str:
    """A terminal table of the report."""
    lines = [f"model {report['model_version']}  policy {report['policy_version']}"]

    def block(title: str, b: dict[str, Any]) -> None:
        d = b["decisions"]
        a = b["any_violation"]
        lines.append(
            f"\n== {title}: n={d['n']} violating={d['violating']}  "
            f"approve={d['approve']} reject={d['reject']} review={d['review']}"
        )
        lines.append(
            f"   automation {d['automation_rate']}  leak {d['leak_rate']}  "
            f"false-rejection {d['false_rejection_rate']}  correct {d['correct_decision_rate']}"
        )
        lines.append(
            f"   any violation: ROC-AUC {a['roc_auc']}  PR-AUC {a['pr_auc']}  "
            f"macro-F1@0.5 {a['macro_f1']}  macro-F1@reject {a['macro_f1_at_reject']}"
        )
        if b["categories"]:
            lines.append(
                f"   {'category':16s} {'n':>6s} {'pos':>5s} {'ROC':>6s} {'PR':>6s}  "
                f"{'P@rej':>6s} {'R@rej':>6s} {'F1@rej':>6s}  "
                f"{'P@rev':>6s} {'R@rev':>6s} {'F1@rev':>6s}"
            )
        for c, r in b["categories"].items():
            rj, rv = r["at_reject"], r["at_review"]
            lines.append(
                f"   {c:16s} {r['n']:6d} {r['positives']:5d} "
                f"{r['roc_auc']!s:>6s} {r['pr_auc']!s:>6s}  "
                f"{rj['precision']:6.3f} {rj['recall']:6.3f} {rj['f1']:6.3f}  "
                f"{rv['precision']:6.3f} {rv['recall']:6.3f} {rv['f1']:6.3f}"
            )

    block("overall", report["overall"])
    rostra_any = report["overall"]["any_violation"]
    for name, base in report.get("baselines", {}).items():
        lines.append(
            f"\n== baseline {name} (same comments, any violation): ROC-AUC {base['roc_auc']} "
            f"macro-F1@0.5 {base['macro_f1']}  vs rostra ROC-AUC {rostra_any['roc_auc']} "
            f"macro-F1@0.5 {rostra_any['macro_f1']}"
        )
    for lang, b in report["per_language"].items():
        block(f"language {lang}", b)
    return "\n".join(lines)
