"""What the load and spam-wave scripts share: server processes, RSS sampling, percentiles.

Servers are real ``rostra serve`` processes with the default screen. Many clients are
simulated from one machine with ``X-Forwarded-For`` (uvicorn trusts it from 127.0.0.1 by
default), so per-network rate limits see the addresses a real crowd would have.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/14"
SECRET = "load-bench-secret-key-0123456789abcdef"
DEMO_ARTICLE = "erbil-anbar-drone-attacks"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn may fork), in MB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


@dataclass
class Cluster:
    """``count`` server processes on one database (and Redis when several share limits)."""

    workdir: Path
    database_url: str
    count: int = 1
    schema: str | None = None
    redis: bool = False
    settings: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    admin_token: str = ""
    #: Instead of ``python -m rostra``: e.g. ``["-m", "bench.load.traced", "--out", D, "--"]``.
    launcher: list[str] = field(default_factory=lambda: ["-m", "rostra"])

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ROSTRA_")}
        env.update(
            ROSTRA_ENVIRONMENT="development",
            ROSTRA_DATABASE_URL=self.database_url,
            ROSTRA_VAR_DIR=str(self.workdir / "var"),
            ROSTRA_SECRET_KEY=SECRET,
        )
        if self.schema:
            env["ROSTRA_DATABASE_SCHEMA"] = self.schema
        if self.redis:
            env["ROSTRA_REDIS_URL"] = REDIS_URL
            env["ROSTRA_REDIS_KEY_PREFIX"] = self.redis_prefix
        # The servers run in a temporary directory; bench.* launchers must still import.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")) if p
        )
        env.update(self.settings)
        return env

    def start(self) -> Cluster:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for index in range(self.count):
            port = free_port()
            # The first process migrates and prepares the demo; the others only serve.
            args = ["serve", "--demo", "--port", str(port)]
            if index:
                args = ["serve", "--no-migrate", "--port", str(port)]
            log = (self.workdir / f"serve-{index}.log").open("ab")
            process = subprocess.Popen(
                [sys.executable, *self.launcher, *args],
                cwd=self.workdir,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes.append(process)
            self.ports.append(port)
            self._wait(process, port, index)
        creds = json.loads((self.workdir / "var" / "demo-credentials.json").read_text())
        self.admin_token = creds["admin_token"]
        return self

    def _wait(self, process: subprocess.Popen[bytes], port: int, index: int) -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log = (self.workdir / f"serve-{index}.log").read_text(errors="replace")
                raise RuntimeError(f"rostra serve exited:\n{log[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("rostra serve did not start")

    @property
    def redis_prefix(self) -> str:
        return f"rostra-load-{os.getpid()}:"

    def redis_rate_keys(self) -> int:
        """Rate-limit counters the servers hold in Redis now (proof the limits are shared)."""
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        try:
            return sum(1 for _ in client.scan_iter(match=f"{self.redis_prefix}rl:*", count=500))
        finally:
            client.close()

    @property
    def bases(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def rss(self) -> list[float]:
        return [rss_mb(p.pid) for p in self.processes]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.schema:
            from sqlalchemy import create_engine

            engine = create_engine(self.database_url)
            with engine.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            engine.dispose()


def admin_client(base: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"})


def summary(latencies: list[float]) -> dict[str, Any]:
    return {
        "count": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies), 1) if latencies else None,
    }
