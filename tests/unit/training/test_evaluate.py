from __future__ import annotations

import json
from pathlib import Path

import pytest
from tiny_model import CLEAN, INSULT, SPAM

from rostra.screening.analyzers.classifier import ClassifierAnalyzer
from rostra.screening.policy import Policy
from rostra.screening.screen import Screen
from rostra.screening.types import Recommendation
from rostra.training.evaluate import EvalInputError, EvalItem, evaluate, read_jsonl


@pytest.fixture(scope="module")
def screen(tiny_model_dir: Path) -> Screen:
    analyzer = ClassifierAnalyzer(model_dir=str(tiny_model_dir), encoder="off")
    return Screen(Policy.default(), [analyzer])


def _items() -> list[EvalItem]:
    items = [EvalItem(t, frozenset(), "en") for t in CLEAN]
    items += [EvalItem(t, frozenset({"personal_attack"}), "en") for t in INSULT]
    items += [EvalItem(t, frozenset({"promotion"}), "en") for t in SPAM]
    # a labelled violation the tiny model cannot know about: must count as a leak if approved
    items.append(EvalItem("the roads were repaired in the north", frozenset({"threat"}), "en"))
    return items


def test_evaluate_rates_match_the_verdicts(screen: Screen) -> None:
    items = _items()
    report = evaluate(items, screen)
    verdicts = [screen.screen(it.text) for it in items]
    bad = [bool(it.labels) for it in items]
    approved = [v.recommendation is Recommendation.APPROVE for v in verdicts]
    rejected = [v.recommendation is Recommendation.REJECT for v in verdicts]
    d = report["overall"]["decisions"]
    assert d["n"] == len(items)
    assert d["violating"] == sum(bad)
    assert d["approve"] == sum(approved)
    assert d["reject"] == sum(rejected)
    leaks = sum(a and b for a, b in zip(approved, bad, strict=True))
    assert d["leak_rate"] == round(leaks / sum(bad), 4)
    false_rej = sum(r and not b for r, b in zip(rejected, bad, strict=True))
    assert d["false_rejection_rate"] == round(false_rej / (len(items) - sum(bad)), 4)
    assert d["automation_rate"] == round((d["approve"] + d["reject"]) / len(items), 4)


def test_evaluate_reports_categories_and_languages(screen: Screen) -> None:
    report = evaluate(_items(), screen)
    cats = report["overall"]["categories"]
    assert cats["personal_attack"]["positives"] == len(INSULT)
    assert cats["personal_attack"]["roc_auc"] > 0.9
    assert cats["promotion"]["roc_auc"] > 0.9
    assert set(cats["personal_attack"]["at_reject"]) == {"precision", "recall", "f1"}
    assert report["overall"]["any_violation"]["roc_auc"] is not None
    assert set(report["per_language"]) == {v.language for v in map(screen.screen, CLEAN)} | {
        screen.screen(t).language for t in INSULT + SPAM + ["the roads were repaired in the north"]
    }


def test_evaluate_read_jsonl_validates_lines(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps({"text": "hi", "labels": ["threat"], "lang": "en", "article": {"title": "T"}})
        + "\n\n",
        encoding="utf-8",
    )
    (item,) = list(read_jsonl(good))
    assert item.labels == {"threat"}
    assert item.article is not None
    assert item.article.title == "T"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": 5, "labels": []}\n', encoding="utf-8")
    with pytest.raises(EvalInputError, match=r"bad\.jsonl:1"):
        list(read_jsonl(bad))
