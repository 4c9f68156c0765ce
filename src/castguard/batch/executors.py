"""Where the contracts of a batch are analysed: local worker processes, or a Dask cluster.

Both executors take tasks ``(key, name, data, suffix)`` — the bytes of one contract, read by the client —
and yield ``(key, result)`` as results arrive; :func:`analyse_bytes` is the work itself, the same on both.

:class:`LocalPool` keeps ``jobs`` long-lived worker processes (spawned, so they share nothing with the
client and load the model once). Each worker may grow by at most ``memory_mb`` beyond its loaded size (an
address-space limit set after the model is loaded), and the
client kills a worker whose file takes longer than ``time_limit`` seconds; a worker that dies for any reason
(the limit, a crash, a kill from outside) costs only the file it held, which is recorded as failed with the
reason, and a fresh worker takes its place.

:class:`DaskPool` submits the same function to a ``dask.distributed`` scheduler (an existing cluster, or a
LocalCluster in the tests) with as many tasks in flight as the cluster has threads, so a deadline counted
from submission is a deadline on the work. The run store stays with the client.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator

from ..errors import CastguardError
from ..model import not_read
from ..report import evidence_notes, report_to_dict
from ..report.html import render_html
from ..scan import _load_readers, scan

__all__ = ["DaskPool", "LocalPool", "analyse_bytes", "failure_of", "limit_memory", "outcome_of"]

DEFAULT_TIME_LIMIT = 120.0
DEFAULT_MEMORY_MB = 2048
# a worker is replaced by a fresh one after this many files: spaCy keeps every new word it meets for the life of the
# process (160 different CUAD contracts took one from 124 to 162 MB), so over an archive of thousands of different
# contracts a long-lived worker would grow without end, and into its --memory-mb limit
RECYCLE_AFTER = 1000
_WARM_UP = (
    b"PERFORMER AGREEMENT\n1. Grant. Performer, an individual, grants Company the right to use Performer's "
    b"name, likeness and voice in perpetuity, and to create a digital replica of Performer.\n"
)
# spaCy's shared vocabulary and matchers are not thread-safe: one analysis at a time per process (a Dask
# worker with several threads then runs them in turn; give Dask workers one thread each, more processes)
_ANALYSIS_LOCK = threading.Lock()


_OUT_OF_MEMORY = "needed more memory than one file may use (--memory-mb); the file may be hostile or huge"


def analyse_bytes(name: str, data: bytes, suffix: str, playbook=None) -> dict:
    """Analyse one contract given as bytes; returns a plain, picklable result (never raises).
    ``playbook``: a :class:`castguard.playbooks.Playbook`, None for the default."""
    started = time.perf_counter()
    tmpdir = tempfile.mkdtemp(prefix="castguard-")
    path = os.path.join(tmpdir, "contract" + (suffix if suffix.startswith(".") and len(suffix) <= 10 else ""))
    try:
        with open(path, "wb") as fh:
            fh.write(data)
        with _ANALYSIS_LOCK:
            report = scan(path, source=name, playbook=playbook)
        return outcome_of(report, started)
    except Exception as exc:  # a bug on one file must not stop the batch; the reason says what to report
        return failure_of(exc, started)
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        try:
            os.rmdir(tmpdir)
        except OSError:
            pass


def failure_of(exc: Exception, started: float) -> dict:
    """The outcome of a contract that could not be analysed: a CastguardError's message and code as the CLI prints
    them; memory spent (E900), nesting too deep (E901), or a bug (E999) with what to report."""
    if isinstance(exc, CastguardError):
        return {
            "status": "failed",
            "reason": exc.message,
            "error_code": exc.code,
            "seconds": round(time.perf_counter() - started, 3),
        }
    if isinstance(exc, MemoryError) or (
        isinstance(exc, OSError) and ("map" in str(exc) or "allocate memory" in str(exc))
    ):
        return {"status": "failed", "reason": _OUT_OF_MEMORY, "error_code": "E900"}
    if isinstance(exc, RecursionError):
        return {"status": "failed", "reason": "the file is nested too deeply to read", "error_code": "E901"}
    return {
        "status": "failed",
        "reason": f"internal error ({type(exc).__name__}: {exc}); please report it",
        "error_code": "E999",
    }


def outcome_of(report, started: float) -> dict:
    """What the run store records of one analysed contract (plain and picklable): the JSON report, the review
    page, the counts, the deal facts and the findings. ``castguard serve`` records its uploads with it too."""
    doc = report_to_dict(report)
    severities = [f.severity for f in report.findings]
    performer = report.fact("performer")
    return {
        "status": "done",
        "report_dict": doc,
        "report_html": render_html(report),
        "format": report.document.format,
        "pages": report.document.pages,
        "clauses": len(report.clauses),
        "in_scope": report.in_scope,
        # "not read: the text is in French ...": the roster must say so, not just "in scope: no"
        "reason": report.scope_reason if not_read(report.scope_reason) else None,
        "risk_score": doc.get("summary", {}).get("risk_score"),
        "high": severities.count("high"),
        "medium": severities.count("medium"),
        "low": severities.count("low"),
        "performer": performer.value if performer is not None else None,
        **_roster_facts(report),
        "model": report.model,
        "playbook": doc["tool"]["playbook"],
        "findings": [
            {
                "gap": f["gap"],
                "severity": f["severity"],
                "kind": f["kind"],
                "clause": _clause_number(doc, f),
                "page": f["evidence"][0]["page"] if f["evidence"] else None,
                "quote": f["evidence"][0]["quote"] if f["evidence"] else "",
                # "This clause is hidden in the document (white text)." / "... in the document's footer ..."
                "note": " ".join(dict.fromkeys(n for _, n in evidence_notes(finding.evidence))) or None,
                "detector": f.get("detector"),
            }
            for f, finding in zip(doc["findings"], report.findings)
        ],
        "seconds": round(time.perf_counter() - started, 3),
        "warnings": list(report.document.warnings),
    }


def _roster_facts(report) -> dict:
    """What the roster shows of a contract besides its findings: the deal facts the contract states (blank when
    it does not state them; never guessed), its document type and why, and why it is in scope or not."""
    out = {}
    for name in ("company", "agreement_date", "governing_law"):
        fact = report.fact(name)
        out[name] = str(fact.value) if fact is not None and fact.value not in (None, "") else None
    law = report.fact("governing_law")
    out["governing_law_code"] = law.code if law is not None else None
    out["document_type"] = report.document_type
    out["document_type_reason"] = report.document_type_reason or None
    out["scope_reason"] = report.scope_reason or None
    return out


def _clause_number(doc: dict, finding: dict) -> str | None:
    if not finding["clause_ids"]:
        return None
    wanted = finding["clause_ids"][0]
    for c in doc.get("clauses", ()):
        if c.get("id") == wanted:
            return c.get("number") or c.get("heading")
    return None


# --------------------------------------------------------------------------- local worker processes


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def limit_memory(memory_mb: int) -> None:
    """Let this (loaded, warmed-up) worker process grow by at most ``memory_mb`` from now on: an address-space
    limit, so a hostile file fails alone (MemoryError) instead of taking the machine's memory."""
    import resource

    base = _address_space()
    if memory_mb and base:
        limit = base + memory_mb * 1024 * 1024
        try:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(
                resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
            )
        except (ValueError, OSError):
            pass


def _worker_main(conn, memory_mb: int, playbook=None) -> None:  # pragma: no cover - runs in the child process
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the client's to handle
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one process per core already: no thread pools on top
    # load everything once, before the first file: the model, every reader (a scan imports only the one its file
    # needs), and what the first analysis imports lazily
    _load_readers()
    analyse_bytes("warm-up", _WARM_UP, ".txt", playbook)
    limit_memory(memory_mb)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        key, name, data, suffix = task
        conn.send((key, analyse_bytes(name, data, suffix, playbook)))


class WorkerProcess:
    """A spawned worker process and the client's end of its pipe (the batch's workers and castguard serve's).

    The process runs ``target(conn, *args)``; it takes tasks from the pipe until it receives None."""

    def __init__(self, ctx, target, *args):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(child, *args), daemon=True)
        self.process.start()
        child.close()
        self.pid = self.process.pid
        self.ready = False
        self.done = 0  # files analysed

    def retire(self, wait: float = 5.0) -> None:
        """Let an idle worker finish (it exits when told there is no more work), or kill it if it does not."""
        try:
            self.conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self.process.join(wait)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()

    def kill(self) -> None:
        try:
            self.process.kill()
        except Exception:
            pass
        self.process.join(5)
        self.conn.close()


class _Worker(WorkerProcess):
    def __init__(self, ctx, memory_mb: int, playbook=None):
        super().__init__(ctx, _worker_main, memory_mb, playbook)
        self.task: tuple | None = None  # the task in flight: (key, ...)
        self.deadline = 0.0


class LocalPool:
    name = "local"

    def __init__(
        self, jobs: int = 1, *, time_limit: float = DEFAULT_TIME_LIMIT, memory_mb: int = DEFAULT_MEMORY_MB,
        playbook=None, recycle_after: int = RECYCLE_AFTER,
    ):  # fmt: skip
        import multiprocessing as mp

        self.playbook = playbook  # sent to each worker once, when it starts
        self.ctx = mp.get_context("spawn")
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self.memory_mb = memory_mb
        self.recycle_after = max(1, recycle_after)
        self.workers: list[_Worker] = []

    def worker_pids(self) -> list[int]:
        return [w.pid for w in self.workers]

    def map(self, tasks: Iterable[tuple]) -> Iterator[tuple[str, dict]]:
        from multiprocessing.connection import wait

        source = iter(tasks)
        exhausted = False
        self.workers = [_Worker(self.ctx, self.memory_mb, self.playbook) for _ in range(self.jobs)]
        try:
            while True:
                for w in self.workers:
                    if w.ready and w.task is None and not exhausted:
                        try:
                            task = next(source)
                        except StopIteration:
                            exhausted = True
                            break
                        w.task = task
                        w.deadline = time.monotonic() + self.time_limit
                        w.conn.send(task)
                if exhausted and all(w.task is None for w in self.workers):
                    return
                now = time.monotonic()
                busy = [w.deadline - now for w in self.workers if w.task is not None]
                timeout = max(0.05, min(busy)) if busy else 0.5
                ready = wait([w.conn for w in self.workers] + [w.process.sentinel for w in self.workers], timeout)
                for i, w in enumerate(list(self.workers)):
                    failure = None
                    if w.conn in ready:
                        try:
                            msg = w.conn.recv()
                        except (EOFError, OSError):
                            msg = None
                        if msg is not None and msg[0] == "ready":
                            w.ready = True
                            continue
                        if msg is not None and w.task is not None and msg[0] == w.task[0]:
                            key = w.task[0]
                            w.task = None
                            w.done += 1
                            if msg[1].get("error_code") == "E900":  # its heap is spent: a fresh worker
                                w.kill()
                                self.workers[i] = _Worker(self.ctx, self.memory_mb, self.playbook)
                            elif w.done >= self.recycle_after and not exhausted:
                                w.retire()  # what it has grown by is given back; a fresh worker goes on
                                self.workers[i] = _Worker(self.ctx, self.memory_mb, self.playbook)
                            yield key, msg[1]
                            continue
                    if not w.process.is_alive():
                        code = w.process.exitcode
                        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
                        failure = f"the worker process died ({how}) while analysing this file"
                    elif w.task is not None and time.monotonic() > w.deadline:
                        failure = f"took longer than the time limit of {self.time_limit:g} s (--time-limit)"
                    if failure:
                        lost = w.task
                        w.kill()
                        self.workers[i] = _Worker(self.ctx, self.memory_mb, self.playbook)
                        if lost is not None:
                            yield lost[0], {"status": "failed", "reason": failure, "error_code": "E902"}
                        elif not w.ready:
                            raise RuntimeError(f"a worker process could not start ({failure})")
        finally:
            for w in self.workers:
                try:
                    w.conn.send(None)
                except (OSError, BrokenPipeError):
                    pass
            for w in self.workers:
                w.process.join(2)
                if w.process.is_alive():
                    w.kill()


# --------------------------------------------------------------------------- Dask


class DaskPool:
    name = "dask"

    def __init__(
        self, scheduler: str | None = None, *, time_limit: float = DEFAULT_TIME_LIMIT, client=None, playbook=None
    ):
        self.playbook = playbook  # sent with each task (a worker may be on another machine)
        self.scheduler = scheduler
        self.time_limit = time_limit
        self._client = client

    def _connect(self):
        if self._client is not None:
            return self._client, False
        try:
            from dask.distributed import Client
        except ImportError:
            raise CastguardError(
                "--executor dask needs dask.distributed: pip install 'castguard[dask]' (or dask[distributed])"
            ) from None
        if not self.scheduler:
            raise CastguardError("--executor dask needs --scheduler tcp://HOST:8786 (the Dask scheduler's address)")
        try:
            return Client(self.scheduler, timeout="10s"), True
        except (OSError, TimeoutError) as exc:
            raise CastguardError(
                f"cannot reach the Dask scheduler at {self.scheduler} ({exc}); check the address and that it runs"
            ) from None

    def map(self, tasks: Iterable[tuple]) -> Iterator[tuple[str, dict]]:
        from dask.distributed import as_completed

        client, owned = self._connect()
        try:
            threads = sum(client.nthreads().values()) or 1
            source = iter(tasks)
            pending: dict = {}
            ac = as_completed()

            def submit_one() -> bool:
                try:
                    key, name, data, suffix = next(source)
                except StopIteration:
                    return False
                fut = client.submit(
                    analyse_bytes, name, data, suffix, self.playbook,
                    pure=False, key=f"castguard-{key}-{time.time_ns()}",
                )  # fmt: skip
                pending[fut.key] = (key, time.monotonic() + self.time_limit, fut)
                ac.add(fut)
                return True

            for _ in range(threads):
                if not submit_one():
                    break
            while pending:
                done_any = False
                for fut in ac.next_batch(block=False) if not ac.is_empty() else []:
                    entry = pending.pop(fut.key, None)
                    if entry is None:
                        continue
                    done_any = True
                    try:
                        result = fut.result()
                    except Exception as exc:  # the worker died or the task was lost
                        result = {"status": "failed", "reason": f"the Dask task failed ({exc})", "error_code": "E903"}
                    yield entry[0], result
                    submit_one()
                now = time.monotonic()
                for k, (key, deadline, fut) in list(pending.items()):
                    if now > deadline:
                        fut.cancel()
                        pending.pop(k)
                        yield (
                            key,
                            {
                                "status": "failed",
                                "reason": f"took longer than the time limit of {self.time_limit:g} s (--time-limit)",
                                "error_code": "E902",
                            },
                        )
                        submit_one()
                if not done_any:
                    time.sleep(0.05)
        finally:
            if owned:
                client.close()
