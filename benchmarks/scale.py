"""castguard batch at archive scale: 10,000 files, mixed formats, 2% broken; time, memory, run store, summaries.

    .venv/bin/python benchmarks/scale.py [--files 10000] [--jobs 2] [--keep]

The archive: the real contracts of ../shared/corpus (its top level, cuad/ and ai_era/), tests/corpus and the
sample contracts, copied until there are ``--files`` files, each copy made distinct (text: a first line; PDF: a
comment after %%EOF; DOCX: a core property), so the batch analyses every one instead of skipping duplicates.
Formats are interleaved in every block of 20 files: 3 PDF, 2 DOCX, 2 Markdown, 13 plain text. Every 50th file
(2%) is broken, the kinds in turn: a truncated PDF, a DOCX whose zip is corrupt, binary junk named .txt, a PDF
encrypted with a password (when qpdf is installed), an empty (or whitespace-only) file.

The run is ``castguard batch ARCHIVE -o OUT --jobs 2`` as a user runs it (a fresh process, a fresh output
folder). Its process tree is sampled every 0.5 s (psutil) for the resident memory of the client and of each
worker; the run store (SQLite, WAL, read-only here) is polled for the number of files finished, and the peak
RSS of every process so far is noted at 1,000 / 2,500 / 5,000 / 10,000 files finished (at smaller runs: at
10%, 25%, 50% and 100% of the files). Then, on the finished folder: the run store's size, every file's status
(each broken file must be failed with a reason; every file accounted for), the time to write the summaries
alone, timed in a fresh process from the run store as ``castguard batch`` writes them (roster, CSV files,
contracts.xlsx, index.html, each timed separately), ``castguard batch --summary OUT`` (the command that
rewrites them), and a ``--resume`` re-run (nothing analysed again).

Targets (issue 16), the exit status is 1 if one fails:
  * memory flat: every process's peak RSS at the last checkpoint <= 1.15x its peak at the first (1,000 files;
    a worker replaced during the run is compared from its own first checkpoint), client and workers;
  * every file accounted for: as many rows in the run store as files in the archive, none pending or running,
    every broken file failed with a reason, every good file done;
  * the --resume re-run analyses nothing and fails nothing new.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from batch import distinct_copy  # benchmarks/batch.py: the same distinct copies as the batch benchmark

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
FORMATS = (".pdf", ".docx", ".txt", ".md")
# the formats of each block of 20 files
PATTERN = [".pdf"] * 3 + [".docx"] * 2 + [".md"] * 2 + [".txt"] * 13
BROKEN_EVERY = 50  # 2%
BROKEN_KINDS = ("truncated-pdf", "corrupt-docx", "junk-txt", "encrypted-pdf", "empty")
FLAT = 1.15  # peak RSS at the last checkpoint / at the first, per process


def castguard_cmd() -> list[str]:
    """The castguard of this checkout: ``python -m castguard`` with this checkout's src first on the path."""
    return [sys.executable, "-m", "castguard"]


def castguard_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def base_files() -> dict[str, list[Path]]:
    """The real contracts by format (each name once)."""
    folders = [SHARED, SHARED / "cuad", SHARED / "ai_era", ROOT / "tests" / "corpus", ROOT / "sample_contracts"]
    seen: set[str] = set()
    pools: dict[str, list[Path]] = {ext: [] for ext in FORMATS}
    for folder in folders:
        if not folder.exists():
            continue
        for p in sorted(folder.iterdir()):
            if p.suffix in FORMATS and p.is_file() and p.name not in ("README.md", "NOTICE.md", "SOURCES.md"):
                if p.name not in seen:
                    seen.add(p.name)
                    pools[p.suffix].append(p)
    for ext, pool in pools.items():
        if not pool:
            raise SystemExit(f"no {ext} contract found in {', '.join(map(str, folders))}")
    return pools


def _broken(kind: str, i: int, pools: dict[str, list[Path]], dest: Path, rng: random.Random) -> Path:
    """One broken file, distinct from every other (its bytes depend on i)."""
    if kind == "truncated-pdf":
        src = pools[".pdf"][i % len(pools[".pdf"])]
        data = src.read_bytes()
        out = dest / f"{i:05d}-broken-truncated-{src.name}"
        out.write_bytes(data[: len(data) * rng.randint(20, 60) // 100] + f"\n% copy {i}\n".encode())
    elif kind == "corrupt-docx":
        src = pools[".docx"][i % len(pools[".docx"])]
        data = bytearray(src.read_bytes())
        out = dest / f"{i:05d}-broken-corrupt-{src.name}"
        if i % 2:  # the zip cut short: no central directory (and i after it: distinct)
            data = data[: len(data) // 2] + str(i).encode()
        else:  # the central directory there, the members overwritten
            at = len(data) // 4
            data[at : at + 2048] = rng.randbytes(2048)
            data[:4] = b"PK\x03\x04"
        out.write_bytes(bytes(data))
    elif kind == "junk-txt":
        out = dest / f"{i:05d}-broken-junk.txt"
        out.write_bytes(rng.randbytes(rng.randint(2000, 20000)) + b"\x00" + str(i).encode())
    elif kind == "encrypted-pdf":
        src = pools[".pdf"][i % len(pools[".pdf"])]
        out = dest / f"{i:05d}-broken-encrypted-{src.name}"
        plain = dest / f".plain-{i}.pdf"
        plain.write_bytes(src.read_bytes() + f"\n% castguard benchmark copy {i}\n".encode())
        subprocess.run(["qpdf", "--encrypt", f"user{i}", f"owner{i}", "256", "--", str(plain), str(out)], check=True)
        plain.unlink()
    else:  # empty: the first one zero bytes, the others whitespace only (distinct, so not duplicates)
        ext = (".txt", ".md", ".pdf", ".docx")[(i // BROKEN_EVERY) % 4]
        out = dest / f"{i:05d}-broken-empty{ext}"
        out.write_bytes(b"" if i < BROKEN_EVERY * len(BROKEN_KINDS) else b" " * (i // BROKEN_EVERY) + b"\n")
    return out


def make_archive(dest: Path, n: int, seed: int = 16) -> tuple[list[Path], dict[str, str], int]:
    """``n`` files in ``dest``; returns them, the broken ones (name -> kind) and how many files it takes until
    every real contract has been copied once (the memory baseline: by then each has been analysed)."""
    dest.mkdir(parents=True, exist_ok=True)
    pools = base_files()
    kinds = [k for k in BROKEN_KINDS if k != "encrypted-pdf" or shutil.which("qpdf")]
    rng = random.Random(seed)
    used = {ext: 0 for ext in FORMATS}
    made, broken = [], {}
    first_use: dict[Path, int] = {}
    for i in range(n):
        if i % BROKEN_EVERY == BROKEN_EVERY // 2:
            kind = kinds[(i // BROKEN_EVERY) % len(kinds)]
            out = _broken(kind, i, pools, dest, rng)
            broken[out.name] = kind
        else:
            ext = PATTERN[i % len(PATTERN)]
            pool = pools[ext]
            src = pool[used[ext] % len(pool)]
            used[ext] += 1
            first_use.setdefault(src, i + 1)
            out = dest / f"{i:05d}-{src.name}"
            distinct_copy(src, out, i)
        made.append(out)
    cycle = max(first_use.values()) if len(first_use) == sum(len(p) for p in pools.values()) else n + 1
    return made, broken, cycle


# --------------------------------------------------------------------------- the run


def checkpoints_for(n: int) -> list[int]:
    if n >= 10_000:
        return [1_000, 2_500, 5_000, 10_000] + ([n] if n > 10_000 else [])
    return sorted({max(1, n // 10), max(1, n // 4), max(1, n // 2), n})


class Sampler:
    """The process tree of one command: peak RSS per process, and the files finished, every 0.5 s."""

    def __init__(self, pid: int, store: Path, checkpoints: list[int]):
        self.pid, self.store, self.checkpoints = pid, store, list(checkpoints)
        self.peak: dict[int, float] = {}  # pid -> MB
        self.role: dict[int, str] = {}
        self.cpu: dict[int, float] = {}  # pid -> user + system seconds, last seen
        self.at: dict[int, dict] = {}  # checkpoint -> {"seconds", "peak": {pid: MB}, "rss": {pid: MB}}
        self.finished = 0
        self.started = time.perf_counter()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _finished(self, con) -> int:
        return con.execute("SELECT count(*) FROM files WHERE status NOT IN ('pending', 'running')").fetchone()[0]

    def _run(self) -> None:
        import psutil

        con = None
        last_poll = 0.0
        while not self.stop.is_set():
            rss: dict[int, float] = {}
            try:
                root = psutil.Process(self.pid)
                procs = [root] + root.children(recursive=True)
            except psutil.NoSuchProcess:
                procs = []
            for p in procs:
                try:
                    mb = p.memory_info().rss / 2**20
                    times = p.cpu_times()
                    self.cpu[p.pid] = times.user + times.system
                    if p.pid not in self.role:
                        cmd = " ".join(p.cmdline())
                        self.role[p.pid] = (
                            "client" if p.pid == self.pid
                            else "resource tracker" if "resource_tracker" in cmd
                            else "worker"
                        )  # fmt: skip
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss[p.pid] = mb
                self.peak[p.pid] = max(self.peak.get(p.pid, 0.0), mb)
            now = time.perf_counter()
            if now - last_poll >= 1.0 and self.store.exists():
                last_poll = now
                try:
                    if con is None:
                        con = sqlite3.connect(f"file:{self.store}?mode=ro", uri=True, timeout=5)
                    self.finished = self._finished(con)
                except sqlite3.Error:
                    con = None
                for c in [c for c in self.checkpoints if c not in self.at and self.finished >= c]:
                    self.at[c] = {"seconds": now - self.started, "peak": dict(self.peak), "rss": rss}
            self.stop.wait(0.5)
        if con is not None:
            con.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def run_batch(archive: Path, out: Path, jobs: int, checkpoints: list[int], extra: list[str] = (),
              quiet: bool = False) -> dict:
    import psutil  # noqa: F401 - fail early if missing

    log = out.parent / (out.name + ".log")
    started = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            castguard_cmd() + ["batch", str(archive), "-o", str(out), "--jobs", str(jobs), *extra],
            stdout=fh, stderr=subprocess.STDOUT, env=castguard_env(),
        )  # fmt: skip
        sampler = Sampler(proc.pid, out / "castguard-run.sqlite", checkpoints)
        sampler.thread.start()
        last = 0
        shown: set[int] = set()
        while proc.poll() is None:
            time.sleep(2)
            for c in sorted(set(sampler.at) - shown) if not quiet else ():  # as it goes, so a run stopped early still tells
                shown.add(c)
                at = sampler.at[c]
                peaks = ", ".join(f"{sampler.role.get(p, '?')} {mb:.0f}" for p, mb in sorted(at["peak"].items())
                                  if sampler.role.get(p) != "resource tracker")  # fmt: skip
                print(f"  checkpoint {c:,} files at {at['seconds']:.0f} s: peak RSS MB {peaks}", flush=True)
            if not quiet and sampler.finished - last >= max(100, checkpoints[-1] // 20):
                last = sampler.finished
                el = time.perf_counter() - started
                print(f"  ... {last} files finished in {el:.0f} s ({last / el:.2f} files/s)", flush=True)
        seconds = time.perf_counter() - started
        sampler.close()
    if proc.returncode != 0:
        raise SystemExit(f"castguard batch failed (exit {proc.returncode}); see {log}:\n{log.read_text()[-2000:]}")
    return {"seconds": seconds, "sampler": sampler, "log": log}


_SUMMARIES = r"""
import json, sys, time, tempfile
from pathlib import Path
from castguard.batch import write_summaries, model_version
from castguard.batch.store import RunStore, STORE_NAME
from castguard.batch.roster import build_roster
from castguard.batch.summary_xlsx import write_xlsx
from castguard.batch.summary_html import render_dashboard
import resource

out = Path(sys.argv[1])
t = {}
store = RunStore(out / STORE_NAME)
model = store.meta("model")
counts = store.counts()
run = {"tool_version": store.meta("tool_version"), "model": model, "generated": store.meta("finished") or "",
       "files": sum(counts.values()) - counts.get("skipped", 0), "contracts": 0, "done": counts.get("done", 0),
       "failed": counts.get("failed", 0), "duplicates": counts.get("duplicate", 0),
       "refused": counts.get("refused", 0), "skipped": counts.get("skipped", 0)}
s = time.perf_counter()
roster = build_roster(store.contract_rows(model), store.finding_rows(model), store.latest_tracking(),
                      set(store.names_by_sha()))
t["roster"] = time.perf_counter() - s
tmp = Path(tempfile.mkdtemp(prefix="castguard-summaries-"))
s = time.perf_counter()
write_xlsx(tmp / "contracts.xlsx", (), (), run, roster=roster)
t["xlsx"] = time.perf_counter() - s
s = time.perf_counter()
html = render_dashboard((), (), run, roster=roster)
(tmp / "index.html").write_text(html, encoding="utf-8")
t["dashboard"] = time.perf_counter() - s
t["xlsx_mb"] = (tmp / "contracts.xlsx").stat().st_size / 2**20
t["dashboard_mb"] = (tmp / "index.html").stat().st_size / 2**20
store.close()
s = time.perf_counter()
write_summaries(out)
t["all"] = time.perf_counter() - s
t["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
import shutil; shutil.rmtree(tmp)
print(json.dumps(t))
"""


def time_summaries(out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _SUMMARIES, str(out)], capture_output=True, text=True,
                          env=castguard_env())  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"timing the summaries failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def account(out: Path, made: list[Path], broken: dict[str, str]) -> tuple[dict, list[str]]:
    """Every file's outcome from the run store; the problems (a file missing, pending, a broken file not failed)."""
    problems = []
    with sqlite3.connect(str(out / "castguard-run.sqlite")) as con:
        rows = {
            Path(name).name: (status, reason, code)
            for name, status, reason, code in con.execute(
                "SELECT f.name, f.status, coalesce(f.reason, c.reason), c.error_code FROM files f "
                "LEFT JOIN contracts c ON c.sha256 = f.sha256"
            )
        }
        sql = "SELECT count(*) FROM contracts WHERE status = 'done' AND in_scope = 0"
        not_contract = con.execute(sql).fetchone()[0]
    counts: dict[str, int] = {}
    for status, _, _ in rows.values():
        counts[status] = counts.get(status, 0) + 1
    counts["done, not a contract"] = not_contract
    missing = [p.name for p in made if p.name not in rows]
    if missing:
        problems.append(f"{len(missing)} file(s) not in the run store, e.g. {missing[:3]}")
    if len(rows) != len(made):
        problems.append(f"{len(rows)} rows in the run store for {len(made)} files")
    codes: dict[str, dict[str, int]] = {}
    for name, kind in broken.items():
        status, reason, code = rows.get(name, (None, None, None))
        if status not in ("failed", "refused") or not reason:
            problems.append(f"broken file {name} ({kind}): {status}, {reason!r} (expected failed, with a reason)")
        codes.setdefault(kind, {})
        codes[kind][code or status or "?"] = codes[kind].get(code or status or "?", 0) + 1
    good_not_done = [(n, s, r) for n, (s, r, _) in rows.items() if n not in broken and s != "done"]
    for n, s, r in good_not_done[:10]:
        problems.append(f"good file {n}: {s} ({r})")
    if len(good_not_done) > 10:
        problems.append(f"... and {len(good_not_done) - 10} more good files not done")
    return {"counts": counts, "broken_codes": codes}, problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=10_000, help="files in the archive (default 10,000)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the archive and the output folder")
    ap.add_argument("--workdir", type=Path, help="where to build the archive (default: a temporary folder)")
    args = ap.parse_args(argv)
    try:
        import psutil  # noqa: F401
    except ImportError:
        print("psutil is needed (pip install psutil; it is in the test extra)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="castguard-scale-", dir=args.workdir))
    failures: list[str] = []
    try:
        s = time.perf_counter()
        made, broken, cycle = make_archive(work / "archive", args.files)
        by_ext = {ext: sum(p.suffix == ext for p in made) for ext in FORMATS}
        size = sum(p.stat().st_size for p in made) / 2**20
        print(f"archive: {len(made)} files, {size:.0f} MB ({', '.join(f'{v} {k[1:]}' for k, v in by_ext.items())}); "
              f"{len(broken)} broken ({', '.join(sorted(set(broken.values())))}); built in "
              f"{time.perf_counter() - s:.0f} s in {work}", flush=True)  # fmt: skip
        checkpoints = checkpoints_for(args.files)
        out = work / "out"
        print(f"castguard batch ARCHIVE -o OUT --jobs {args.jobs} (checkpoints at {checkpoints} files)", flush=True)
        r = run_batch(work / "archive", out, args.jobs, checkpoints)
        sampler = r["sampler"]
        seconds = r["seconds"]
        store_mb = sum(p.stat().st_size for p in out.glob("castguard-run.sqlite*")) / 2**20
        reports_mb = sum(p.stat().st_size for p in (out / "reports").iterdir()) / 2**20
        acc, problems = account(out, made, broken)
        failures += problems

        print(f"\nscale: {len(made)} files, --jobs {args.jobs}")
        print(f"  wall time         {seconds:9.1f} s   ({seconds / 60:.1f} min)")
        print(f"  throughput        {len(made) / seconds:9.2f} files/s ({len(made) / seconds * 60:.0f}/min)")
        print(f"  run store         {store_mb:9.1f} MB  (castguard-run.sqlite*; reports/: {reports_mb:.0f} MB)")
        print("  outcomes          " + ", ".join(f"{k} {v}" for k, v in sorted(acc["counts"].items())))
        print("  broken files      " + "; ".join(
            f"{kind}: " + ", ".join(f"{c} x{n}" for c, n in sorted(codes.items()))
            for kind, codes in sorted(acc["broken_codes"].items())))  # fmt: skip

        # memory: the peak RSS of each process up to each checkpoint
        reached = [c for c in checkpoints if c in sampler.at]
        if len(reached) < len(checkpoints):
            failures.append(f"checkpoints not seen while running: {sorted(set(checkpoints) - set(reached))}")
        judged = [c for c in reached if c >= cycle]  # every real contract analysed once before the baseline
        pids = [p for p in sampler.peak if sampler.role.get(p) != "resource tracker"]
        pids.sort(key=lambda p: (sampler.role.get(p) != "client", p))
        print(f"\n  peak RSS (MB) of each process so far, by files finished; flat: the peak at {reached[-1]:,} <= "
              f"{FLAT}x the peak at {judged[0] if judged else cycle:,}, when every real contract has been analysed "
              f"once (the first {cycle:,} files); 'end' includes writing the summaries")  # fmt: skip
        print("  " + f"{'process':<18}" + "".join(f"{c:>9,}" for c in reached) + f"{'end':>9}{'ratio':>8}")
        print("  " + f"{'(seconds)':<18}" + "".join(f"{sampler.at[c]['seconds']:>9.0f}" for c in reached)
              + f"{seconds:>9.0f}")  # fmt: skip
        for pid in pids:
            cells = [sampler.at[c]["peak"].get(pid) for c in reached]
            base = [sampler.at[c]["peak"].get(pid) for c in judged]
            base = [v for v in base if v is not None]
            ratio = cells[-1] / base[0] if len(base) >= 2 and cells[-1] is not None else None
            label = f"{sampler.role.get(pid, '?')} {pid}"
            print("  " + f"{label:<18}" + "".join(f"{v:>9.0f}" if v is not None else f"{'-':>9}" for v in cells)
                  + f"{sampler.peak[pid]:>9.0f}" + (f"{ratio:>8.2f}" if ratio else f"{'-':>8}"))  # fmt: skip
            if ratio is not None and ratio > FLAT:
                failures.append(f"{label}: peak RSS {cells[-1]:.0f} MB at {reached[-1]:,} files, {ratio:.2f}x its "
                                f"{base[0]:.0f} MB at {judged[0]:,} (limit {FLAT}x)")  # fmt: skip
        if len(judged) < 2:
            print(f"  (flatness not judged: it needs two checkpoints after the first {cycle:,} files; --files 10000)")
        workers = [p for p in pids if sampler.role.get(p) == "worker"]
        print(f"  {len(workers)} worker process(es) seen" + (" (some replaced)" if len(workers) > args.jobs else ""))
        cpu = sum(sampler.cpu.values())
        quiet = cpu / max(1, min(args.jobs, os.cpu_count() or 1))
        print(f"  CPU time, all processes: {cpu:.0f} s ({cpu / len(made):.3f} s/file); on {args.jobs} idle cores "
              f"this run would take about {quiet / 60:.1f} min, 10,000 files about "
              f"{quiet / len(made) * 10_000 / 60:.0f} min (load average now {os.getloadavg()[0]:.1f})")  # fmt: skip

        t = time_summaries(out)
        print(f"\n  summaries from the run store ({acc['counts'].get('done', 0)} done), in a fresh process:")
        print(f"    roster (rows, findings)  {t['roster']:7.1f} s")
        print(f"    contracts.xlsx           {t['xlsx']:7.1f} s  ({t['xlsx_mb']:.1f} MB)")
        print(f"    index.html (dashboard)   {t['dashboard']:7.1f} s  ({t['dashboard_mb']:.1f} MB)")
        print(f"    write_summaries, all     {t['all']:7.1f} s  (also the CSV files; peak RSS {t['peak_mb']:.0f} MB)")

        s = time.perf_counter()
        proc = subprocess.run(castguard_cmd() + ["batch", "--summary", str(out)], capture_output=True, text=True,
                              env=castguard_env())  # fmt: skip
        if proc.returncode != 0:
            failures.append(f"castguard batch --summary failed: {proc.stderr[-500:]}")
        print(f"    castguard batch --summary {time.perf_counter() - s:6.1f} s  (a fresh process, as a user rewrites them)")
        s = time.perf_counter()
        again = run_batch(work / "archive", out, args.jobs, [len(made)], ["--resume"], quiet=True)
        text = again["log"].read_text(encoding="utf-8", errors="replace")
        print(f"    castguard batch --resume {time.perf_counter() - s:7.1f} s  (hash every file, nothing to analyse, "
              "summaries rewritten)")  # fmt: skip
        if " 0 analysed" not in text:
            failures.append("--resume analysed files again: " + next(
                (line for line in text.splitlines() if "analysed" in line), text[-300:]))  # fmt: skip
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    if failures:
        print("FAILED:")
        for f in failures:
            print(f"  - {f}")
        return 1
    print("all targets met: memory flat, every file accounted for, --resume analysed nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
