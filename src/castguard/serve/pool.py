"""The worker processes of ``castguard serve``: every contract is parsed in one of them, never in the server.

The approach of the batch's :class:`castguard.batch.executors.LocalPool`, for requests instead of a stream of
files: ``jobs`` long-lived processes (spawned: they share nothing with the server), each loading the model,
the readers and the playbook once and warming up before its first upload, then limited to ``memory_mb`` of
growth (:func:`castguard.batch.executors.limit_memory`). :meth:`WorkerPool.call` hands one task to an idle
worker and waits at most ``time_limit`` seconds; a worker that runs over, runs out of memory or dies is killed
and replaced, and the request gets the batch's message and code for it (E902, E900). A hostile file therefore
costs one worker for at most ``time_limit`` seconds, while the other workers go on serving.

Tasks (plain tuples; their results are plain dicts, the report and the redline pickled across):

    ("scan", path, name, on_revisions)                  -> {"status": "done", "report": Report} or a failure
    ("redline", path, report, addendum, author, on_rev)  -> {"status": "done", "data": bytes, "notes": [...]}
"""

from __future__ import annotations

import os
import queue
import threading
import time

from ..batch.executors import RECYCLE_AFTER, WorkerProcess, failure_of, limit_memory

__all__ = ["WorkerPool"]

_WARM_UP = (
    "PERFORMER AGREEMENT\nThis Performer Agreement is made on March 4, 2024 between Harbor Light Pictures, LLC "
    '("Company") and Dana Whitcombe ("Performer").\n1. Grant. Performer grants Company the right to use '
    "Performer's name, likeness and voice in perpetuity, and to create a digital replica of Performer.\n"
    "2. Governing Law. This Agreement is governed by the laws of the State of California.\n"
)
START_SECONDS = 120.0  # a worker that cannot load the model in this long will not do better later


def _run(task: tuple, playbook) -> dict:
    started = time.perf_counter()
    try:
        if task[0] == "scan":
            from ..scan import scan

            _, path, name, on_revisions = task
            report = scan(path, source=name, on_revisions=on_revisions, playbook=playbook)
            return {"status": "done", "report": report, "seconds": round(time.perf_counter() - started, 3)}
        if task[0] == "redline":
            from ..redline import redline

            _, path, report, addendum, author, on_revisions = task
            result = redline(report, addendum, path, author=author, on_revisions=on_revisions)
            return {
                "status": "done",
                "data": result.data,
                "notes": list(result.notes),
                "insertions": result.insertions,
                "comments": result.comments,
            }
        return {"status": "failed", "reason": f"unknown task {task[0]!r}", "error_code": "E999"}
    except Exception as exc:  # the message and code the CLI gives; a bug is E999 with what to report
        return failure_of(exc, started)


def _warm_up(playbook) -> None:
    """One scan, addendum and redline of a small contract: every import and cache a real upload needs."""
    import tempfile

    from ..draft import build_addendum, deal_and_sources, load_templates

    with tempfile.TemporaryDirectory(prefix="castguard-warm-") as folder:
        path = os.path.join(folder, "warm-up.txt")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_WARM_UP)
        out = _run(("scan", path, "warm-up.txt", "accept"), playbook)
        if out["status"] != "done":
            return
        try:
            deal, _ = deal_and_sources(out["report"], None, {"jurisdiction": "CA"})
            addendum = build_addendum(out["report"], deal, load_templates(None, playbook=playbook))
        except Exception:
            return
        _run(("redline", path, out["report"], addendum, "Reviewer", "accept"), playbook)


def _worker_main(conn, memory_mb: int, playbook=None) -> None:  # pragma: no cover - runs in the child process
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from ..scan import _load_readers

    _load_readers()
    _warm_up(playbook)
    limit_memory(memory_mb)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(_run(task, playbook))


class _Worker(WorkerProcess):
    def __init__(self, ctx, memory_mb: int, playbook):
        super().__init__(ctx, _worker_main, memory_mb, playbook)

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise RuntimeError(f"a castguard serve worker did not start in {timeout:g} s")
        msg = self.conn.recv()
        if not (isinstance(msg, tuple) and msg[0] == "ready"):
            raise RuntimeError(f"a castguard serve worker sent {msg!r} instead of ready")
        self.ready = True

    def died(self) -> str:
        code = self.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        return f"the worker process died ({how}) while reading this file; the file may be hostile"

    def stop(self) -> None:
        self.retire(2)


class WorkerPool:
    """``jobs`` warm worker processes; :meth:`call` is blocking and thread-safe (the server calls it from its
    thread pool, so a slow file holds one thread and one worker, not the event loop)."""

    def __init__(
        self, jobs: int = 1, *, time_limit: float = 60.0, memory_mb: int = 2048, playbook=None,
        recycle_after: int = RECYCLE_AFTER,
    ):  # fmt: skip
        import multiprocessing as mp

        self.ctx = mp.get_context("spawn")
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self.memory_mb = memory_mb
        self.recycle_after = max(1, recycle_after)
        self.playbook = None if playbook is None or playbook.is_default else playbook
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.workers: list[_Worker] = []
        self.lock = threading.Lock()
        self.closed = False

    def start(self) -> None:
        """Start every worker and wait until each has loaded and warmed up (the first upload is then warm)."""
        self.workers = [self._new() for _ in range(self.jobs)]
        for w in self.workers:
            w.wait_ready(START_SECONDS)
            self.idle.put(w)

    def _new(self) -> _Worker:
        return _Worker(self.ctx, self.memory_mb, self.playbook)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self.workers if w.process.pid is not None]

    def _replace(self, old: _Worker) -> _Worker:
        old.kill()
        new = self._new()
        with self.lock:
            self.workers = [new if w is old else w for w in self.workers]
        return new

    def call(self, task: tuple) -> dict:
        if self.closed:
            return {"status": "failed", "reason": "castguard serve is stopping", "error_code": "E999"}
        w = self.idle.get()
        try:
            w.wait_ready(START_SECONDS)
            w.conn.send(task)
            if w.conn.poll(self.time_limit):
                try:
                    result = w.conn.recv()
                except (EOFError, OSError):
                    w.process.join(1)
                    result = {"status": "failed", "reason": w.died(), "error_code": "E902"}
                    w = self._replace(w)
                    return result
                w.done += 1
                if result.get("error_code") == "E900":  # its heap is spent: a fresh worker
                    w = self._replace(w)
                elif w.done >= self.recycle_after:  # what it has grown by (spaCy's words) is given back
                    w = self._replace(w)
                return result
            reason = (
                w.died()
                if not w.process.is_alive()
                else f"took longer than the time limit of {self.time_limit:g} s (--time-limit); the file may be hostile"
            )
            w = self._replace(w)
            return {"status": "failed", "reason": reason, "error_code": "E902"}
        except (BrokenPipeError, OSError) as exc:
            w = self._replace(w)
            return {"status": "failed", "reason": f"the worker process could not take the file ({exc})", "error_code": "E902"}
        finally:
            self.idle.put(w)

    def close(self) -> None:
        self.closed = True
        with self.lock:
            workers = list(self.workers)
        for w in workers:
            w.stop()
