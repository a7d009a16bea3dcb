"""The calibration report counts what clients would do at their thresholds."""

from __future__ import annotations

import json
from pathlib import Path

from rostra.perspective.calibration import Example, Report, markdown, measure, read_suites, truth

from .conftest import make_screen


def test_truth_per_attribute() -> None:
    assert truth("TOXICITY", frozenset({"personal_attack"}))
    assert truth("TOXICITY", frozenset({"offensive"}))
    assert not truth("TOXICITY", frozenset({"promotion"}))
    assert truth("LIKELY_TO_REJECT", frozenset({"promotion"}))
    assert not truth("LIKELY_TO_REJECT", frozenset())


def test_measure_counts_client_decisions() -> None:
    examples = [
        Example("You are an idiot.", "en", frozenset({"personal_attack"}), "t"),
        Example("A fair point about the budget.", "en", frozenset(), "t"),
        Example("Call me on whatsapp for visas", "en", frozenset({"promotion"}), "t"),
        Example("   ", "en", frozenset(), "t"),  # empty: COMMENT_EMPTY, not scored
    ]
    report = measure(examples, make_screen(), Report(["tests.wordlist.v1"], []))
    assert report.errors == 1
    coral = report.tallies["TOXICITY"][0.8]["all"]
    assert (coral.tp, coral.fp, coral.fn, coral.tn) == (1, 0, 0, 2)
    likely = report.tallies["LIKELY_TO_REJECT"][0.5]["en"]
    assert (likely.tp, likely.fp, likely.fn, likely.tn) == (2, 0, 0, 1)
    assert "| TOXICITY | 0.8 | all | 3 | 1 | 1.0 | 1.0 | 0.0 |" in markdown(report)


def test_read_suites(tmp_path: Path) -> None:
    suite = tmp_path / "en.jsonl"
    case = {
        "id": "en-1",
        "text": "off topic bread",
        "labels": ["off_topic"],
        "lang": "en",
        "article": {"title": "Salaries", "body": "Talks ended."},
    }
    suite.write_text(json.dumps(case) + "\n\n", "utf-8")
    (example,) = read_suites([suite])
    assert example.labels == frozenset({"off_topic"})
    assert example.article == "Salaries\nTalks ended."


def test_read_suites_samples_evenly(tmp_path: Path) -> None:
    suite = tmp_path / "tr.jsonl"
    lines = [
        json.dumps({"id": f"tr-{i}", "text": f"yorum {i}", "labels": [], "lang": "tr"})
        for i in range(10)
    ]
    suite.write_text("\n".join(lines) + "\n", "utf-8")
    sampled = [e.text for e in read_suites([suite], per_suite=5)]
    assert sampled == ["yorum 0", "yorum 2", "yorum 4", "yorum 6", "yorum 8"]
    assert len(list(read_suites([suite], per_suite=50))) == 10
