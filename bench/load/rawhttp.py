"""A lean open-loop HTTP/1.1 load generator on raw asyncio sockets.

httpx's connection pool spends O(queued²) time assigning requests when thousands are
in flight (measured: at 200 POST/s it saturated the client's CPU while the server sat idle),
so it cannot drive the rates the benchmarks need on a 2-core machine. This sends pre-built
requests over ``connections`` keep-alive sockets. Request ``i`` is scheduled at
``start + i / rate``; a free connection takes the next one, waits until its time and sends it;
latency is measured from the scheduled time, so a server that falls behind is charged for the
queue it causes (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "request"

    def encode(self, host: str) -> bytes:
        payload = b"" if self.body is None else json.dumps(self.body).encode()
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
        if self.body is not None:
            lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(payload)}")
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


@dataclass
class Outcome:
    kind: str
    status: str
    scheduled: float  # seconds from start
    latency_ms: float
    body: bytes = b""


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).strip(), 16)
        chunk = await reader.readexactly(size + 2)
        if size == 0:
            return status, body
        body += chunk[:-2]


async def run(
    bases: Sequence[str],
    requests: Callable[[int], Request],
    *,
    total: int,
    rate: float,
    connections: int = 64,
    keep_body: Callable[[Request, int], bool] | None = None,
    timeout: float = 30.0,
) -> tuple[list[Outcome], float]:
    """Send ``total`` requests at ``rate``/s spread over ``bases``; returns outcomes and secs."""
    outcomes: list[Outcome] = []
    next_index = 0
    start = time.perf_counter() + 0.3

    async def connection(worker: int) -> None:
        nonlocal next_index
        base = urlsplit(bases[worker % len(bases)])
        host = base.netloc
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        while True:
            i = next_index
            if i >= total:
                break
            next_index += 1
            request = requests(i)
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(base.hostname, base.port)
                assert reader is not None
                writer.write(request.encode(host))
                status, body = await asyncio.wait_for(_read_response(reader), timeout)
                key = str(status)
                if keep_body is None or not keep_body(request, status):
                    body = b""
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                key, body = type(exc).__name__, b""
                if writer is not None:
                    writer.close()
                reader = writer = None
            outcomes.append(
                Outcome(
                    request.kind,
                    key,
                    scheduled - start,
                    (time.perf_counter() - scheduled) * 1000,
                    body,
                )
            )
        if writer is not None:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection(w) for w in range(connections)))
    return outcomes, time.perf_counter() - began


def statuses(outcomes: Sequence[Outcome]) -> dict[str, int]:
    return dict(Counter(f"{o.kind}:{o.status}" for o in outcomes))
