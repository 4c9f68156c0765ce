"""castguard batch on a Dask cluster gives exactly what it gives locally: the same 500 files, both executors.

    .venv/bin/python benchmarks/dask_identity.py [--files 500] [--keep]

Builds the archive of benchmarks/scale.py (distinct copies of the real corpus, mixed formats, 2% broken), starts
a real Dask cluster on 127.0.0.1 (``dask scheduler`` and two ``dask worker --nthreads 1`` processes on free
ports, each in its own process group, torn down at the end whatever happens), and runs

    castguard batch ARCHIVE -o OUT-local --jobs 2
    castguard batch ARCHIVE -o OUT-dask --executor dask --scheduler tcp://127.0.0.1:PORT

then compares the two output folders: every file's status and reason, every contract's row in the run store
(error code, format, pages, clauses, scope, risk score, counts, facts, document type; not its timing, worker
or attempt count), every finding, every JSON report and review page, and the roster, findings, skipped-and-failed
and contracts CSV files (less the seconds column). Any difference is listed and the exit status is 1.

tests/test_batch_dask.py runs the same comparison on a smaller set (tests import :func:`dask_cluster`,
:func:`snapshot` and :func:`differences` from here).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# what varies from run to run and not with the analysis: how long it took, on which worker, at what time
VOLATILE_COLUMNS = {"seconds", "worker", "updated", "attempts"}


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM to each process group we started, then SIGKILL to what is left."""
    for p in procs:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)  # the group: a worker's nanny and its child alike
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(5)


@contextlib.contextmanager
def dask_cluster(workdir: Path, workers: int = 2, timeout: float = 120) -> Iterator[str]:
    """A real Dask cluster on 127.0.0.1: ``dask scheduler`` and ``workers`` ``dask worker --nthreads 1``
    processes, with this checkout's castguard on their path; yields the scheduler's address once every worker has
    registered. Everything started here is stopped on leaving, on failure too."""
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        raise RuntimeError(f"{dask} not found: install the test extra (pip install -e '.[test]')")
    workdir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    logs = []

    def start(name: str, args: list[str]) -> None:
        log = open(workdir / f"{name}.log", "w")  # noqa: SIM115 - closed on leaving
        logs.append((name, log))
        procs.append(
            subprocess.Popen(
                [str(dask), *args], stdout=log, stderr=subprocess.STDOUT, env=_env(), cwd=workdir,
                start_new_session=True,
            )  # fmt: skip
        )

    try:
        start("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])
        for i in range(workers):
            start(
                f"worker-{i}",
                ["worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard", "--name", f"worker-{i}",
                 "--host", "127.0.0.1", "--local-directory", str(workdir / f"worker-{i}"), "--death-timeout", "60"],
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:  # every worker says it registered with the scheduler
            texts = {name: (workdir / f"{name}.log").read_text(errors="replace") for name, _ in logs}
            if all("Registered to" in texts[f"worker-{i}"] for i in range(workers)):
                break
            dead = [name for (name, _), p in zip(logs, procs) if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                why = f"{', '.join(dead)} exited" if dead else f"not ready after {timeout:g} s"
                raise RuntimeError(f"the Dask cluster did not start ({why}):\n" + "\n".join(
                    f"--- {n}\n{t[-1500:]}" for n, t in texts.items()))  # fmt: skip
            time.sleep(0.3)
        yield address
    finally:
        _stop(procs)
        for _, log in logs:
            log.close()


def run(archive: Path, out: Path, *args: str, timeout: float = 7200) -> float:
    """``castguard batch ARCHIVE -o OUT ARGS`` in a fresh process; its wall time."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "castguard", "batch", str(archive), "-o", str(out), *args],
        capture_output=True, text=True, env=_env(), timeout=timeout,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"castguard batch {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return time.perf_counter() - started


def _csv(path: Path) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        for col in VOLATILE_COLUMNS:
            row.pop(col, None)
    return rows


def snapshot(out: Path) -> dict:
    """What a batch produced, less timings: by file name (the same inputs give the same names)."""
    snap: dict = {}
    con = sqlite3.connect(f"file:{out / 'castguard-run.sqlite'}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        snap["files"] = {r["name"]: (r["status"], r["reason"], r["sha256"]) for r in con.execute("SELECT * FROM files")}
        snap["contracts"] = {
            r["name"]: {k: r[k] for k in r.keys() if k not in VOLATILE_COLUMNS}
            for r in con.execute("SELECT * FROM contracts")
        }
        findings: dict[str, list] = {}
        for r in con.execute(
            "SELECT c.name AS contract, f.* FROM findings f JOIN contracts c USING (sha256, model) ORDER BY f.n"
        ):
            findings.setdefault(r["contract"], []).append({k: r[k] for k in r.keys() if k not in ("contract",)})
        snap["findings"] = findings
    finally:
        con.close()
    snap["reports"] = {}
    for p in sorted((out / "reports").iterdir()):
        text = p.read_text(encoding="utf-8")
        snap["reports"][p.name] = json.loads(text) if p.suffix == ".json" else text
    for name in ("roster.csv", "findings.csv", "skipped_and_failed.csv", "contracts.csv"):
        snap[name] = _csv(out / name)
    return snap


def _diff(a, b, where: str, out: list[str], limit: int) -> None:
    if len(out) >= limit or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append(f"{where}/{k}: only in {'the second' if k not in a else 'the first'}")
            else:
                _diff(a[k], b[k], f"{where}/{k}", out, limit)
            if len(out) >= limit:
                return
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _diff(x, y, f"{where}[{i}]", out, limit)
    else:
        out.append(f"{where}: {str(a)[:300]!r} != {str(b)[:300]!r}")


def differences(a: dict, b: dict, limit: int = 40) -> list[str]:
    """The places where two snapshots differ (at most ``limit``), as readable paths; [] when identical."""
    out: list[str] = []
    _diff(a, b, "", out, limit)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--keep", action="store_true", help="keep the archive, the outputs and the cluster's logs")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    from scale import make_archive

    work = Path(tempfile.mkdtemp(prefix="castguard-dask-identity-"))
    try:
        made, broken, _ = make_archive(work / "archive", args.files)
        print(f"archive: {len(made)} files ({len(broken)} broken) in {work}", flush=True)
        local = run(work / "archive", work / "local", "--jobs", "2")
        print(f"  local executor, --jobs 2:                {local:7.1f} s", flush=True)
        with dask_cluster(work / "cluster") as address:
            remote = run(work / "archive", work / "dask", "--executor", "dask", "--scheduler", address)
        print(f"  dask executor, scheduler + 2 workers x 1 thread: {remote:7.1f} s  ({address})")
        a, b = snapshot(work / "local"), snapshot(work / "dask")
        status = {}
        for s, _, _ in a["files"].values():
            status[s] = status.get(s, 0) + 1
        n_findings = sum(len(v) for v in a["findings"].values())
        print(f"  compared: {len(a['files'])} files ({', '.join(f'{k} {v}' for k, v in sorted(status.items()))}), "
              f"{len(a['contracts'])} contracts, {n_findings} findings, {len(a['reports'])} report files, 4 CSV files")
        diffs = differences(a, b)
        if diffs:
            print("DIFFERENT (local, then dask):")
            for d in diffs:
                print(f"  {d}")
            return 1
        print("identical: every status, reason, score, finding, report and CSV row")
        return 0
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
