"""Durability: SIGKILL a real ``rostra serve`` during a stream of posts; every 2xx survives."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from testkit import PG_URL, TEST_SECRET

ROSTRA = str(Path(sys.executable).with_name("rostra"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def service_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        **os.environ,
        "ROSTRA_ENVIRONMENT": "test",
        "ROSTRA_SECRET_KEY": TEST_SECRET,
        "ROSTRA_RATE_LIMIT_PER_AUTHOR": "100000",
        "ROSTRA_RATE_LIMIT_PER_IP": "100000",
        "ROSTRA_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("ROSTRA_REDIS_URL", None)
    schema = None
    if PG_URL:
        schema = f"rostra_durability_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        env["ROSTRA_DATABASE_URL"] = PG_URL
        env["ROSTRA_DATABASE_SCHEMA"] = schema
    else:
        env["ROSTRA_DATABASE_URL"] = f"sqlite:///{tmp_path / 'durable.db'}"
    yield env
    if schema:
        from rostra.store.db import make_engine

        engine = make_engine(PG_URL or "")
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()


def _worker_processes(server_pid: int) -> int:
    """How many of ``rostra serve --workers N``'s worker processes are running."""
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        count += parent == server_pid and b"spawn_main" in command
    return count


def _start(env: dict[str, str], port: int, log: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [ROSTRA, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"rostra serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"rostra serve did not start: {log.read_text()[-2000:]}")


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-workers"])
def test_every_acknowledged_comment_survives_sigkill(
    service_env: dict[str, str], tmp_path: Path, workers: int
) -> None:
    """With two workers, posts from several connections land in both processes at once: on
    SQLite they share the database through the cross-process writer queue."""
    env, log = service_env, tmp_path / "serve.log"
    subprocess.run([ROSTRA, "migrate"], env=env, check=True, capture_output=True)
    created = subprocess.run(
        [ROSTRA, "token", "create", "--role", "admin", "--name", "durability"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    token = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(env, port, log, workers)
    if workers > 1:
        assert _worker_processes(server.pid) == workers
    acknowledged: list[tuple[int, str, str]] = []
    stop = threading.Event()
    try:
        article = {"id": "durable", "url": "https://x.example/d", "title": "D", "language": "en"}
        response = httpx.post(
            f"{base}/api/v1/articles", json=article, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 201, response.text

        def stream(poster: int) -> None:
            with httpx.Client(base_url=base, timeout=5) as client:
                n = 0
                while not stop.is_set():
                    n += 1
                    text = f"durable comment number {n} from poster {poster}"
                    try:
                        reply = client.post(
                            "/api/v1/articles/durable/comments",
                            json={"text": text, "author_name": f"reader {n % 7}"},
                        )
                    except httpx.HTTPError:
                        return  # the server is gone
                    if 200 <= reply.status_code < 300:
                        body = reply.json()
                        acknowledged.append((body["id"], body["author_token"], text))

        posters = [threading.Thread(target=stream, args=(n,)) for n in range(2 * workers)]
        for poster in posters:
            poster.start()
        deadline = time.monotonic() + 60
        while (
            len(acknowledged) < 40
            and time.monotonic() < deadline
            and all(poster.is_alive() for poster in posters)
        ):
            time.sleep(0.01)
        os.killpg(server.pid, signal.SIGKILL)  # mid-stream: requests are in flight
        server.wait(timeout=10)
        stop.set()
        for poster in posters:
            poster.join(timeout=10)
        assert len(acknowledged) >= 40, log.read_text()[-2000:]

        server = _start(env, port, log, workers)
        with httpx.Client(base_url=base, timeout=5) as client:
            for comment_id, author_token, text in acknowledged:
                reply = client.get(
                    f"/api/v1/comments/{comment_id}", headers={"X-Author-Token": author_token}
                )
                assert reply.status_code == 200, (comment_id, reply.text)
                assert reply.json()["text"] == text
    finally:
        stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
