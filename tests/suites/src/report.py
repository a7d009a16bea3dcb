"""Score ``rostra screen`` output against the suites, HateCheck style: per functionality.

Usage, from the repository root::

    .venv/bin/rostra screen tests/suites/ckb.jsonl -o /tmp/ckb.screened.jsonl
    .venv/bin/python tests/suites/src/report.py /tmp/ckb.screened.jsonl tests/suites/ckb.jsonl

With no suite paths, all six suites are read and every screened id must belong to one of them.
Each case gets one outcome: ``correct`` (a violation rejected, a clean comment approved),
``review`` (sent to a moderator), ``leak`` (a violation approved) or ``false_reject`` (a clean
comment rejected). Issue 3 item 9 reads two numbers from this: the share of hard negatives
auto-rejected (target at most 2% per language) and, for ckb and kmr, the share of correct
decisions with every other case in review rather than decided wrongly (target at least 85%).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SUITE_DIR = Path(__file__).resolve().parent.parent
OUTCOMES = ("correct", "review", "leak", "false_reject")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def outcome(case: Mapping[str, Any], recommendation: str) -> str:
    """The outcome of one screen recommendation for one suite case."""
    violating = bool(case["labels"])
    if recommendation == "review":
        return "review"
    if recommendation == "reject":
        return "correct" if violating else "false_reject"
    if recommendation == "approve":
        return "leak" if violating else "correct"
    raise ValueError(f"unknown recommendation {recommendation!r} for {case['id']}")


def _rates(counts: Counter[str]) -> dict[str, float | int]:
    n = sum(counts[o] for o in OUTCOMES)
    decided = n - counts["review"]
    row: dict[str, float | int] = {"n": n}
    for name in OUTCOMES:
        row[name] = counts[name]
    row["correct_rate"] = counts["correct"] / n if n else 0.0
    row["review_rate"] = counts["review"] / n if n else 0.0
    row["wrong_rate"] = (counts["leak"] + counts["false_reject"]) / n if n else 0.0
    row["accuracy_when_decided"] = counts["correct"] / decided if decided else 0.0
    row["reason_hits"] = counts["reason_hit"]
    row["errors"] = counts["error"]
    return row


def evaluate(
    cases: Iterable[Mapping[str, Any]], screened: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """Join screen output with suite cases on ``id`` and count outcomes per group.

    Returns a dict with ``by_lang``, ``by_functionality`` (keyed ``lang/functionality``) and
    ``hard_negative`` (per language: hard negatives and how many were auto-rejected).
    ``reason_hits`` counts rejected violations whose reasons name one of their labels;
    ``errors`` counts lines the screen could not process (they are also counted as review).
    """
    by_id = {case["id"]: case for case in cases}
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    by_functionality: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    for line in screened:
        case = by_id.get(line["id"])
        if case is None:
            raise KeyError(f"screened id {line['id']!r} is not in the suites given")
        seen.add(case["id"])
        result = outcome(case, line["recommendation"])
        counts = Counter({result: 1})
        if line.get("error"):
            # An unreadable line or a failing screen is sent to review; count it apart so that
            # a broken run cannot pass for a cautious one.
            counts["error"] = 1
        if (
            result == "correct"
            and case["labels"]
            and set(line.get("reasons", ())) & set(case["labels"])
        ):
            counts["reason_hit"] = 1
        if case["hard_negative"]:
            counts["hard_negative"] = 1
            counts["hard_negative_rejected"] = int(result == "false_reject")
        by_lang[case["lang"]].update(counts)
        by_functionality[f"{case['lang']}/{case['functionality']}"].update(counts)
    missing = sorted(set(by_id) - seen)
    if missing:
        raise KeyError(f"{len(missing)} suite cases have no screen output, e.g. {missing[:3]}")
    hard = {
        lang: {
            "n": c["hard_negative"],
            "auto_rejected": c["hard_negative_rejected"],
            "auto_reject_rate": c["hard_negative_rejected"] / c["hard_negative"]
            if c["hard_negative"]
            else 0.0,
        }
        for lang, c in sorted(by_lang.items())
    }
    return {
        "by_lang": {k: _rates(v) for k, v in sorted(by_lang.items())},
        "by_functionality": {k: _rates(v) for k, v in sorted(by_functionality.items())},
        "hard_negative": hard,
    }


def render(report: Mapping[str, Any]) -> str:
    head = (
        "| group | n | correct | review | leak | false reject | errors "
        "| correct % | review % | wrong % |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|"]
    for section in ("by_lang", "by_functionality"):
        for name, row in report[section].items():
            lines.append(
                f"| {name} | {row['n']} | {row['correct']} | {row['review']} | {row['leak']} "
                f"| {row['false_reject']} | {row['errors']} | {100 * row['correct_rate']:.1f} "
                f"| {100 * row['review_rate']:.1f} | {100 * row['wrong_rate']:.1f} |"
            )
    lines.append("")
    lines.append("| lang | hard negatives | auto-rejected | rate |")
    lines.append("|---|---|---|---|")
    for lang, row in report["hard_negative"].items():
        lines.append(
            f"| {lang} | {row['n']} | {row['auto_rejected']} | "
            f"{100 * row['auto_reject_rate']:.1f}% |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("screened", type=Path, help="rostra screen output (JSONL)")
    parser.add_argument("suites", type=Path, nargs="*", help="suite files (default: all six)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args(argv)
    suite_paths = args.suites or sorted(SUITE_DIR.glob("*.jsonl"))
    cases = [case for path in suite_paths for case in read_jsonl(path)]
    report = evaluate(cases, read_jsonl(args.screened))
    text = json.dumps(report, indent=2) if args.json else render(report)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
