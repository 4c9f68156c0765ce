"""One batch per output folder: an exclusive lock held for the whole run.

Two ``castguard batch`` runs on the same OUTDIR would both plan and analyse every file (the check for an
existing run store is a check-then-act race), and two ``--resume`` runs would fight over the same rows. The
first run takes an exclusive lock on ``OUTDIR/.castguard-batch.lock`` before it reads the store and holds it
until it ends; a second run is told which process holds it and stops (exit 2), or with ``--wait`` queues
behind it. The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so it is
released when the holder exits for any reason, even ``kill -9``; the file itself is left in place (deleting a
lock file is its own race) and only says who holds it.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import socket
import sys
import time
from pathlib import Path

from ..errors import BusyError

__all__ = ["LOCK_NAME", "FolderLock"]

LOCK_NAME = ".castguard-batch.lock"

if sys.platform != "win32":  # POSIX
    import fcntl

    def _try_lock(fd: int, wait: bool) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # pragma: no cover - Windows
    import msvcrt
    import time

    def _try_lock(fd: int, wait: bool) -> bool:
        while True:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                if not wait:
                    return False
                time.sleep(0.5)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


class FolderLock:
    """``with FolderLock(outdir, wait=False, on_wait=None):`` holds the folder's batch lock."""

    def __init__(self, outdir: Path, *, wait: bool = False, on_wait=None):
        self.outdir = Path(outdir)
        self.path = self.outdir / LOCK_NAME
        self.wait = wait
        self.on_wait = on_wait
        self.fd: int | None = None

    def holder(self) -> str:
        """Who holds the lock, as the holder wrote it: "process 1234 on host, started 2026-12-04T19:00Z". A holder
        that took the lock an instant ago may not have written it yet: asked again for up to half a second."""
        info: object = {}
        for _ in range(10):
            try:
                with open(self.path, encoding="utf-8") as fh:
                    info = json.loads(fh.read(4096) or "{}")
            except (OSError, ValueError):
                info = {}
            if isinstance(info, dict) and "pid" in info:
                break
            time.sleep(0.05)
        if not isinstance(info, dict) or "pid" not in info:
            return "another process"
        return f"process {info.get('pid')} on {info.get('host', '?')}, started {info.get('started', '?')}"

    def __enter__(self) -> FolderLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            if not _try_lock(fd, False):
                who = self.holder()
                if not self.wait:
                    raise BusyError(
                        f"another castguard batch ({who}) is using this output folder; wait for it to finish, "
                        "add --wait to start when it does, or choose another folder",
                        path=str(self.outdir),
                    )
                if self.on_wait:
                    self.on_wait(who)
                _try_lock(fd, True)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": stamp}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(info).encode("utf-8"))
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            try:
                _unlock(self.fd)
            finally:
                os.close(self.fd)
                self.fd = None
