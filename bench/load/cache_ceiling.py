"""How much memory the screen's per-process caches hold as distinct comments arrive.

The mixed load's RSS rises for its whole 10 minutes. This fills each bounded cache that a
stream of new comments grows (the duplicate analyzer's reduced texts, the encoder's vectors)
with N distinct load-like texts, N past each bound, and prints the traced memory at each N, so
the ceiling each one plateaus at is measured, not guessed. No model is loaded: the encoder runs
on a stand-in backend that returns vectors of the real shape, which is all the cache stores.

    .venv/bin/python -m bench.load.cache_ceiling
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from typing import Any

import numpy as np
from bench.load.mixed import text_for

from rostra.screening.analyzers.duplicates import _CACHE_LIMIT, DuplicatesAnalyzer
from rostra.screening.embedding import DEFAULT_CACHE_SIZE, DIM, Embedder


class _Vectors:
    """Random unit vectors of the encoder's shape (the cache keeps only these)."""

    def __init__(self) -> None:
        self.rng = np.random.default_rng(0)

    def query(self, texts: Any) -> Any:
        return self.rng.standard_normal((len(texts), DIM)).astype(np.float32)

    passage = query


def _measure(fill: Any, steps: list[int]) -> list[dict[str, float]]:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    done, rows = 0, []
    for n in steps:
        fill(done, n)
        done = n
        gc.collect()
        rows.append({"texts": n, "mb": round((tracemalloc.get_traced_memory()[0] - base) / 1e6, 2)})
    tracemalloc.stop()
    return rows


def main() -> dict[str, Any]:
    duplicates = DuplicatesAnalyzer()
    embedder = Embedder(backend=_Vectors())
    dup_steps = [512, 1024, 2048, 3072, 4000, 4096, 5000, 6000, 8192, 12_000]
    emb_steps = [1024, 2048, 4096, 6144, 8192, 10_000, 12_000, 16_384]
    result = {
        "duplicates": {
            "bound_entries": _CACHE_LIMIT,
            "rows": _measure(
                lambda a, b: [duplicates._reduced(text_for(i)) for i in range(a, b)], dup_steps
            ),
        },
        "embedder": {
            "bound_entries": DEFAULT_CACHE_SIZE,
            "rows": _measure(
                lambda a, b: [embedder.embed_query(text_for(i)) for i in range(a, b)], emb_steps
            ),
        },
    }
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
