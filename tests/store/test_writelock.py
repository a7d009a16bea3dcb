"""The SQLite writer queue: one writer at a time, across threads and across processes.

These tests make their own SQLite files: the queue exists for SQLite only (PostgreSQL gets a
no-op, checked at the end), so they mean the same on either test run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import nullcontext
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from rostra.store.db import make_engine
from rostra.store.writelock import lock_file_path, write_lock

#: A second process that takes the queue on the same database, says so, and holds it until
#: told to let go (a line on stdin) or killed.
HOLDER = textwrap.dedent(
    """
    import sys
    from rostra.store.db import make_engine
    from rostra.store.writelock import write_lock

    engine = make_engine(sys.argv[1])
    with write_lock(engine):
        print("holding", flush=True)
        sys.stdin.readline()
    print("released", flush=True)
    """
)


def _holder(url: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "holding"
    return process


def _acquire_in_thread(url: str) -> tuple[threading.Thread, threading.Event]:
    """Take the queue from a thread of this process; the event is set once it has it."""
    acquired = threading.Event()
    engine = make_engine(url)

    def take() -> None:
        with write_lock(engine):
            acquired.set()

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    return thread, acquired


def test_a_writer_in_another_process_waits_for_the_holder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    holder = _holder(url)
    try:
        thread, acquired = _acquire_in_thread(url)
        # Still queued while the other process holds it (any wait would do; this one is
        # long enough for an unqueued lock to have been taken many times over).
        assert not acquired.wait(0.5)
        assert holder.stdin is not None
        assert holder.stdout is not None
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        assert acquired.wait(10), "the waiting writer never got the database"
        thread.join(10)
    finally:
        holder.kill()
        holder.wait(10)


def test_a_killed_holder_does_not_leave_the_database_locked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    holder = _holder(url)
    thread, acquired = _acquire_in_thread(url)
    assert not acquired.wait(0.2)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    assert acquired.wait(10), "a SIGKILLed holder kept the lock"
    thread.join(10)


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    inside = 0
    most_inside = 0
    guard = threading.Lock()

    def write() -> None:
        nonlocal inside, most_inside
        for _ in range(20):
            with write_lock(engine):
                with guard:
                    inside += 1
                    most_inside = max(most_inside, inside)
                time.sleep(0.0005)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert most_inside == 1


def test_lock_file_sits_beside_the_database_and_memory_databases_have_none(
    tmp_path: Path,
) -> None:
    database = tmp_path / "site.db"
    engine = make_engine(f"sqlite:///{database}")
    assert lock_file_path(engine) == Path(f"{database}-writer.lock")
    with write_lock(engine):
        assert Path(f"{database}-writer.lock").exists()
    memory = make_engine("sqlite://")  # an in-memory engine takes no pool sizes
    assert lock_file_path(memory) is None
    with write_lock(memory), memory.connect() as connection:
        # the in-process lock alone, on a database with rostra's pragmas
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_postgresql_engines_get_no_queue() -> None:
    pytest.importorskip("psycopg")
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert lock_file_path(engine) is None
    # A no-op: entering it would fail if it tried to reach the server (the URL points nowhere).
    assert isinstance(write_lock(engine), nullcontext)
    with write_lock(engine):
        pass
