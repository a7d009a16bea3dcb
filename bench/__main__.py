"""``make bench`` (``python -m bench``): the long benchmarks, each writing its own figures.

    .venv/bin/python -m bench                 # everything below, in order
    .venv/bin/python -m bench service load    # only these

- ``service``: issue 2 §10, POST throughput/latency and 200-comment thread reads on SQLite and
  PostgreSQL (bench/service.py → docs/benchmarks.md "Service", bench/results/service.json).
- ``load``: issue 5 §1, the mixed workload for ``ROSTRA_LOAD_SECONDS`` (default 600) on SQLite
  and on PostgreSQL with three processes and Redis (bench/results/load-*.json).
- ``spam``: issue 5 §5, the 5,000-comment spam wave on SQLite and PostgreSQL
  (bench/results/spam-wave-*.json).
- ``faults``: issue 5 §2, the slow fault tests (SIGKILL on both databases, PostgreSQL outage,
  SQLite disk full) through pytest.

- ``screen``, ``perspective``: the other areas' long benchmarks, run as their authors document
  them (bench/screen_latency.py, bench/screen_speed.py, bench/perspective_latency.py --spawn).

docs/reliability.md quotes the figures of the last full run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from bench import service
from bench.load import mixed, spam_wave


def _service() -> None:
    service.main([])


def _load() -> None:
    seconds = os.environ.get("ROSTRA_LOAD_SECONDS", "600")
    mixed.main(["--database", "sqlite", "--seconds", seconds])
    mixed.main(["--database", "postgresql", "--processes", "3", "--seconds", seconds])


def _spam() -> None:
    results = [spam_wave.main(["--database", db]) for db in ("sqlite", "postgresql")]
    if not all(result["contained"] for result in results):
        raise SystemExit("a spam wave was not contained (see NOT CONTAINED above)")


def _faults() -> None:
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-m", "slow", "tests/reliability"]
    subprocess.run(command, check=True)


def _script(*args: str) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([sys.executable, *args], check=True)

    return run


def _screen() -> None:
    _script("bench/screen_latency.py", "--json", "bench/results/screen.json")()
    _script("bench/screen_speed.py")()


STEPS: dict[str, Callable[[], None]] = {
    "service": _service,
    "load": _load,
    "spam": _spam,
    "faults": _faults,
    "screen": _screen,
    "perspective": _script("bench/perspective_latency.py", "--spawn"),
}


def main(argv: list[str]) -> None:
    chosen = argv or list(STEPS)
    unknown = [name for name in chosen if name not in STEPS]
    if unknown:
        sys.exit(f"unknown benchmark {unknown}; choose from {list(STEPS)}")
    for name in chosen:
        print(f"== bench {name}", flush=True)
        STEPS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
