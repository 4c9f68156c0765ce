"""A bounded load test of `castguard serve`: 20 concurrent uploads of real contracts against 127.0.0.1.

    .venv/bin/python benchmarks/serve_load.py [--uploads 20] [--jobs 2]

Starts `castguard serve --port 0 --jobs N` (this checkout's src/), waits until its workers are warm, then
starts ``--uploads`` clients at once, each with a session of its own, each uploading a different contract of
../shared/corpus (PDF, DOCX and text, sorted by name) and following the redirect to its report page. Every
upload must be answered: the report page (200), or for a file castguard cannot read, the error page with its
code. Reported: latency per upload (upload start to report page received) as median, p95 and max; the wall
time of the whole burst; and the peak resident memory of the server and its workers together (summed RSS of
the process tree, sampled every 20 ms) and of the largest single process. Not a test: nothing is asserted
about time; the exit status is 1 only if an upload went unanswered.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import ROOT, Server, session

CORPUS = ROOT.parent / "shared" / "corpus"


def contracts(n: int) -> list[Path]:
    files = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix in (".pdf", ".docx", ".txt"))
    files += sorted(p for p in (CORPUS / "ai_era").glob("*.txt"))
    if len(files) < n:
        raise SystemExit(f"{CORPUS}: {len(files)} contracts, {n} wanted")
    return files[:n]


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_total = 0
        self.peak_one = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = [self.pid]
            i = 0
            while i < len(pids):
                pids += _children(pids[i])
                i += 1
            sizes = [_rss(p) for p in pids]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_one = max(self.peak_one, max(sizes))
            time.sleep(0.02)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--uploads", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    files = contracts(args.uploads)
    server = Server("--jobs", str(args.jobs))
    sampler = RssSampler(server.proc.pid)
    sampler.start()
    idle_total = 0
    results: dict[str, tuple[float, int, str]] = {}
    try:
        time.sleep(0.2)
        idle_total = sampler.peak_total
        clients = [session(server.url) for _ in files]
        barrier = threading.Barrier(len(files))

        def one(i: int, path: Path) -> None:
            client, csrf = clients[i]
            data = path.read_bytes()
            barrier.wait()
            t = time.perf_counter()
            try:
                r = client.post("/upload", data={"csrf": csrf}, files={"contract": (path.name, data)},
                                follow_redirects=True)  # fmt: skip
                outcome = "report" if "/r/" in str(r.url) else "error page"
                if outcome == "error page":
                    import re

                    code = re.search(r'id="error-code">(E\d+)<', r.text)
                    outcome = f"error page {code.group(1) if code else '(no code)'}"
                results[path.name] = (time.perf_counter() - t, r.status_code, outcome)
            except Exception as exc:  # unanswered
                results[path.name] = (time.perf_counter() - t, 0, f"no answer: {exc}")

        threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(files)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        sampler.stop.set()
        sampler.join()
        server.stop()
    lat = sorted(v[0] for v in results.values())
    p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
    answered = [n for n, v in results.items() if v[1]]
    print(f"castguard serve --jobs {args.jobs}: {len(files)} concurrent uploads of corpus contracts")
    for name in sorted(results):
        secs, status, outcome = results[name]
        print(f"  {secs * 1000:7.0f} ms  {status}  {outcome:<16} {name}")
    print(f"answered {len(answered)}/{len(files)}; latency median {statistics.median(lat) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms; burst wall time {wall:.1f} s")  # fmt: skip
    print(f"peak RSS: server + workers {sampler.peak_total / 2**20:.0f} MB (idle {idle_total / 2**20:.0f} MB), "
          f"largest process {sampler.peak_one / 2**20:.0f} MB")  # fmt: skip
    return 0 if len(answered) == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
