"""A real ``rostra serve`` in a subprocess, for the fault tests (kill, restart, full disk)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PG_URL = os.environ.get(
    "ROSTRA_RELIABILITY_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NO_ANALYZERS = 'version = "reliability-no-analyzers"\nmode = "auto"\nanalyzers = []\n'
SECRET = "reliability-secret-key-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except Exception:
        return False


def drop_pg_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@dataclass
class Serve:
    """``rostra serve --demo`` on a port, with its own database, restartable."""

    workdir: Path
    database_url: str
    schema: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    admin_token: str = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        policy = self.workdir / "no-analyzers.toml"
        policy.write_text(NO_ANALYZERS)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ROSTRA_")}
        env.update(
            ROSTRA_ENVIRONMENT="development",
            ROSTRA_DATABASE_URL=self.database_url,
            ROSTRA_VAR_DIR=str(self.workdir / "var"),
            ROSTRA_SECRET_KEY=SECRET,
            ROSTRA_POLICY_FILE=str(policy),
            ROSTRA_RATE_LIMIT_PER_IP="1000000",
            ROSTRA_RATE_LIMIT_PER_AUTHOR="1000000",
        )
        if self.schema:
            env["ROSTRA_DATABASE_SCHEMA"] = self.schema
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 120) -> Serve:
        log = (self.workdir / "serve.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rostra", "serve", "--demo", "--port", str(self.port)],
            cwd=self.workdir,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"rostra serve exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError(f"rostra serve did not start:\n{self.log()}") from None
                time.sleep(0.2)
        creds = json.loads((self.workdir / "var" / "demo-credentials.json").read_text())
        self.admin_token = creds["admin_token"]
        return self

    def log(self) -> str:
        return (self.workdir / "serve.log").read_text(errors="replace")[-4000:]

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def request(
        self, method: str, path: str, body: Any = None, *, admin: bool = False, timeout: float = 10
    ) -> tuple[int, dict[str, str], Any]:
        headers = {"Content-Type": "application/json"}
        if admin:
            headers["Authorization"] = f"Bearer {self.admin_token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return (
                    response.status,
                    dict(response.headers),
                    json.loads(response.read() or b"null"),
                )
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                payload = json.loads(raw or b"null")
            except ValueError:
                payload = raw.decode(errors="replace")
            return exc.code, _lower(exc.headers), payload


def _lower(headers: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}
