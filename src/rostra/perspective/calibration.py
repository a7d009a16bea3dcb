"""Measure what the clients' thresholds mean on labelled data rostra is not tuned on.

Runs each labelled comment through the same :func:`analyze_comment` the endpoint uses and
reports, per attribute and per client threshold (Comentario 0.5, Coral 0.80, Discourse 0.85 and
0.90), precision, recall and false-positive rate, per language, plus a reliability table (the
share of violations among comments in each score band)::

    python -m rostra.perspective.calibration tests/suites/*.jsonl
    python -m rostra.perspective.calibration --datasets /work/shared/datasets --per-source 300

Suites (``tests/suites``) are held out by construction. ``--datasets`` uses the training
code's own held-out split (:func:`rostra.training.data.is_held_out`, seed 0) of the sets that
annotate generic offence, so a clean row there is really clean. Nothing here changes a score:
the curves are fixed by the policy's thresholds (:mod:`rostra.perspective.attributes`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rostra.perspective.analyze import PolicyScreener, analyze_comment
from rostra.perspective.attributes import ATTRIBUTES
from rostra.perspective.errors import PerspectiveError
from rostra.perspective.wire import AnalyzeCommentRequest
from rostra.screening import Policy, Screen, registry

#: Client thresholds: Comentario's 0.5, Coral's 0.80, Discourse's 0.85 and 0.90.
CLIENT_THRESHOLDS: tuple[float, ...] = (0.5, 0.8, 0.85, 0.9)
REPORTED = ("TOXICITY", "SEVERE_TOXICITY", "LIKELY_TO_REJECT")
BANDS: tuple[tuple[float, float], ...] = (
    (0.0, 0.2),
    (0.2, 0.5),
    (0.5, 0.8),
    (0.8, 0.9),
    (0.9, 1.01),
)
#: Generic offence label of the training sets (rostra.training.labels.OFFENSIVE).
OFFENSIVE = "offensive"


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    lang: str
    labels: frozenset[str]
    source: str
    article: str | None = None


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    def row(self) -> dict[str, float | int | None]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "n": self.tp + self.fp + self.fn + self.tn,
            "positives": self.tp + self.fn,
            "precision": ratio(self.tp, self.tp + self.fp),
            "recall": ratio(self.tp, self.tp + self.fn),
            "fpr": ratio(self.fp, self.fp + self.tn),
        }


@dataclass
class Report:
    analyzers: list[str]
    missing: list[str]
    errors: int = 0
    seconds: float = 0.0
    # attribute -> threshold -> language ("all" too) -> tally
    tallies: dict[str, dict[float, dict[str, Tally]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(Tally)))
    )
    # attribute -> band -> [violations, total]
    bands: dict[str, dict[tuple[float, float], list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0]))
    )

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyzers": self.analyzers,
            "missing_analyzers": self.missing,
            "errors": self.errors,
            "seconds": round(self.seconds, 1),
            "thresholds": {
                attr: {
                    str(t): {lang: tally.row() for lang, tally in sorted(by_lang.items())}
                    for t, by_lang in sorted(by_t.items())
                }
                for attr, by_t in self.tallies.items()
            },
            "reliability": {
                attr: {
                    f"{lo:.1f}-{min(hi, 1.0):.1f}": {
                        "n": total,
                        "violating": round(bad / total, 3) if total else None,
                    }
                    for (lo, hi), (bad, total) in sorted(by_band.items())
                }
                for attr, by_band in self.bands.items()
            },
        }


def truth(attribute: str, labels: frozenset[str]) -> bool:
    """Whether ``labels`` make a violation for ``attribute`` (generic offence counts as toxic)."""
    if attribute == "LIKELY_TO_REJECT":
        return bool(labels)
    if labels & set(ATTRIBUTES[attribute].categories):
        return True
    return OFFENSIVE in labels and attribute in ("TOXICITY", "SEVERE_TOXICITY")


def available_screen(
    policy: Policy | None = None, only: Sequence[str] | None = None
) -> tuple[Screen, list[str], list[str]]:
    """The policy's screen with the analyzers that can be built today (and those that cannot).

    ``only`` keeps just the analyzers whose factory id contains one of these strings.
    """
    policy = policy or Policy.default()
    analyzers: list[registry.Analyzer] = []
    used: list[str] = []
    missing: list[str] = []
    for spec in policy.analyzers:
        if only is not None and not any(part in spec.factory for part in only):
            continue
        try:
            analyzers.append(registry.create(spec.factory, spec.settings()))
        except Exception as exc:  # not registered yet, or its model not trained yet
            missing.append(f"{spec.factory} ({type(exc).__name__})")
        else:
            used.append(spec.factory)
    return Screen(policy, analyzers), used, missing


def read_suites(paths: Iterable[Path], per_suite: int | None = None) -> Iterator[Example]:
    """Every case of each suite, or ``per_suite`` evenly spaced ones (deterministic)."""
    for path in paths:
        lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
        if per_suite is not None and per_suite < len(lines):
            step = len(lines) / per_suite
            lines = [lines[int(i * step)] for i in range(per_suite)]
        for line in lines:
            if line:
                case = json.loads(line)
                article = case.get("article")
                article_text = None
                if article:
                    article_text = f"{article.get('title', '')}\n{article.get('body', '')}"
                yield Example(
                    case["text"],
                    case["lang"],
                    frozenset(case["labels"]),
                    f"suite:{path.stem}",
                    article_text,
                )


def read_datasets(folder: Path, per_source: int) -> Iterator[Example]:
    """Held-out rows of the sets that annotate generic offence, at most ``per_source`` each."""
    from rostra.training import data
    from rostra.training.labels import ANNOTATED

    sources = [s for s, heads in ANNOTATED.items() if OFFENSIVE in heads]
    records = data.load_records(folder, sources=sources, include_gpl=True)
    taken: dict[str, int] = defaultdict(int)
    for record in sorted(records, key=lambda r: (r.source, data.dedupe_key(r.text))):
        if not data.is_held_out(record) or taken[record.source] >= per_source:
            continue
        taken[record.source] += 1
        yield Example(record.text, record.lang, record.labels, record.source)


def measure(examples: Iterable[Example], screen: PolicyScreener, report: Report) -> Report:
    started = time.perf_counter()
    wanted: dict[str, dict[str, Any]] = {name: {} for name in REPORTED}
    for example in examples:
        body: dict[str, Any] = {"comment": {"text": example.text}, "requestedAttributes": wanted}
        if example.article:
            body["context"] = {"articleAndParentComment": {"article": {"text": example.article}}}
        try:
            result = analyze_comment(AnalyzeCommentRequest.model_validate(body), screen)
        except PerspectiveError:
            report.errors += 1
            continue
        for attribute in REPORTED:
            score = result["attributeScores"][attribute]["summaryScore"]["value"]
            actual = truth(attribute, example.labels)
            for threshold in CLIENT_THRESHOLDS:
                for lang in ("all", example.lang):
                    report.tallies[attribute][threshold][lang].add(score > threshold, actual)
            for band in BANDS:
                if band[0] <= score < band[1]:
                    report.bands[attribute][band][0] += int(actual)
                    report.bands[attribute][band][1] += 1
    report.seconds += time.perf_counter() - started
    return report


def markdown(report: Report) -> str:
    data = report.to_dict()
    lines = [
        f"analyzers: {', '.join(report.analyzers) or 'none'}; "
        f"missing: {', '.join(report.missing) or 'none'}; errors: {report.errors}; "
        f"{data['seconds']} s",
        "",
        "| attribute | client threshold (score >) | lang | n | violations | precision | recall "
        "| FPR |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for attribute, by_t in data["thresholds"].items():
        for threshold, by_lang in by_t.items():
            for lang, row in by_lang.items():
                lines.append(
                    f"| {attribute} | {threshold} | {lang} | {row['n']} | {row['positives']} | "
                    f"{row['precision']} | {row['recall']} | {row['fpr']} |"
                )
    lines += ["", "| attribute | score band | n | share violating |", "|---|---|---|---|"]
    for attribute, by_band in data["reliability"].items():
        for band, row in by_band.items():
            lines.append(f"| {attribute} | {band} | {row['n']} | {row['violating']} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", type=Path, help="held-out suite JSONL files")
    parser.add_argument("--datasets", type=Path, help="the shared datasets folder")
    parser.add_argument("--per-source", type=int, default=300)
    parser.add_argument("--per-suite", type=int, help="evenly spaced cases per suite (default all)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    screen, used, missing = available_screen()
    reports = []
    if args.suites:
        reports.append(
            (
                "held-out suites",
                measure(read_suites(args.suites, args.per_suite), screen, Report(used, missing)),
            )
        )
    if args.datasets:
        reports.append(
            (
                "held-out dataset rows",
                measure(
                    read_datasets(args.datasets, args.per_source), screen, Report(used, missing)
                ),
            )
        )
    if not reports:
        parser.error("give suite files and/or --datasets")
    for title, report in reports:
        sys.stdout.write(f"## {title}\n\n{markdown(report)}\n\n")
    if args.json:
        args.json.write_text(
            json.dumps({title: r.to_dict() for title, r in reports}, indent=2), "utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
