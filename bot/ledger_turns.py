"""Writers take turns on the ledger, so no writer waits seconds while others keep winning.

SQLite's busy handler sleeps and retries (up to 100 ms a sleep); under steady
contention from several processes a few writers lose every retry and wait
seconds, far past Slack's 3-second window, even when the median write is 1 ms
(benchmarks/ledger_writes.py measured a 4.5 s worst case with 8 writers). An OS
``flock`` taken before ``BEGIN IMMEDIATE`` queues writers in the kernel instead:
the next one wakes as soon as the lock is free, and the lock is released if its
process dies, so a crash never leaves the ledger locked.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WriterTurns:
    """One lock file beside the ledger (``<db>.lock``); one descriptor per thread, so threads queue too."""

    def __init__(self, ledger_path: Path):
        self.lock_path = Path(f"{ledger_path}.lock")
        self._local = threading.local()

    @contextmanager
    def turn(self) -> Iterator[None]:
        descriptor = self._descriptor()
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)

    def close(self) -> None:
        if getattr(self._local, "pid", None) == os.getpid():
            os.close(self._local.descriptor)
            self._local.pid = None

    def _descriptor(self) -> int:
        # A descriptor inherited through fork shares its lock with the parent: open a new one per process.
        if getattr(self._local, "pid", None) != os.getpid():
            self._local.descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._local.pid = os.getpid()
        return self._local.descriptor
