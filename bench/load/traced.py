"""``rostra serve`` under tracemalloc, writing a heap snapshot every ``--every`` seconds.

Used by ``bench.load.mixed --tracemalloc DIR`` to tell a leak from caches filling to their
bound: diff the snapshots (``python -m bench.load.traced --diff DIR``) and see which lines keep
allocating after warm-up. tracemalloc slows the server and inflates its RSS, so a traced run
measures memory *growth by source line*, never latency or RSS for the docs.

    python -m bench.load.traced --out DIR --every 120 -- serve --port 8000
    python -m bench.load.traced --diff DIR/<pid>
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path

FRAMES = 12


def _dump_forever(out: Path, every: float) -> None:
    index = 0
    while True:
        time.sleep(every)
        index += 1
        tracemalloc.take_snapshot().dump(str(out / f"snapshot-{index:03d}.bin"))


def diff(directory: Path, top: int = 25, group: str = "traceback") -> str:
    """The lines whose traced memory grew most between the 2nd and the last snapshot.

    The first snapshot is skipped as warm-up (the screen's models load on first use).
    """
    files = sorted(directory.glob("snapshot-*.bin"))
    if len(files) < 3:
        return f"need at least 3 snapshots in {directory}, found {len(files)}"
    keep = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap*"),
    ]
    snaps = [tracemalloc.Snapshot.load(str(f)).filter_traces(keep) for f in files]
    lines = [
        "total traced MB per snapshot: "
        + ", ".join(
            f"{sum(s.size for s in snap.statistics('filename')) / 1e6:.1f}" for snap in snaps
        )
    ]
    grown = snaps[-1].compare_to(snaps[1], group)
    lines.append(f"top {top} growth from {files[1].name} to {files[-1].name}:")
    for stat in grown[:top]:
        lines.append(f"{stat.size_diff / 1e3:+10.1f} kB {stat.count_diff:+8d} blocks")
        frames = stat.traceback.format() if group == "traceback" else [str(stat.traceback)]
        lines.extend(f"      {frame}" for frame in frames[-2 * FRAMES :])
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--every", type=float, default=120)
    parser.add_argument("--diff", type=Path)
    parser.add_argument("--group", choices=["traceback", "lineno", "filename"], default="lineno")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.diff:
        print(diff(args.diff, top=args.top, group=args.group))
        return
    out = args.out / str(os.getpid())
    out.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(FRAMES)
    threading.Thread(target=_dump_forever, args=(out, args.every), daemon=True).start()
    from rostra.cli import main as rostra_main

    rest = [a for a in args.rest if a != "--"]
    rostra_main(args=rest, prog_name="rostra")


if __name__ == "__main__":
    main(sys.argv[1:])
