"""Could Kurdish comments be auto-approved below a stricter cut? (docs/quality.md §0)

    OMP_NUM_THREADS=1 .venv/bin/python bench/kurdish_approval.py tests/fixtures/tune/ckb.jsonl \\
        tests/fixtures/tune/kmr.jsonl

Screens each labelled comment with the default screen and, for several cuts *t*, counts the
clean comments and the violations that "approve when the screen does not reject and no
category scores *t* or more" would approve. Run it on tuning data, never on the held-out
suites: it is meant to choose a rule.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rostra.screening import Policy, Recommendation, Screen, ScreenContext, Verdict

CUTS = (0.02, 0.05, 0.1, 0.2, 0.35)


def approved_below(verdicts: list[Verdict], cut: float) -> int:
    """How many the rule would approve: not rejected, and no category scored ``cut`` or more."""
    return sum(
        1
        for v in verdicts
        if v.recommendation is not Recommendation.REJECT
        and max(v.scores.values(), default=0.0) < cut
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    screen = Screen.from_policy(Policy.default())
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        verdicts = [screen.screen(r["text"], ScreenContext(lang_hint=r.get("lang"))) for r in rows]
        clean = [v for r, v in zip(rows, verdicts, strict=True) if not r["labels"]]
        violating = [v for r, v in zip(rows, verdicts, strict=True) if r["labels"]]
        print(f"{path.name}: {len(clean)} clean, {len(violating)} violating")
        for cut in CUTS:
            a, b = approved_below(clean, cut), approved_below(violating, cut)
            print(
                f"  t={cut:<5} clean approved {a}/{len(clean)} ({a / max(len(clean), 1):.0%}),"
                f" violations approved {b}/{len(violating)} ({b / max(len(violating), 1):.0%})"
            )


if __name__ == "__main__":
    main()
