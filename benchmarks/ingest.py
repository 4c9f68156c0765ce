"""PDF ingest speed: castguard versus poppler's pdftotext on the same PDFs, in one run, on one core.

    .venv/bin/python benchmarks/ingest.py [--repeat 5] [PDF ...]

Reports pages per second for each and the ratio. Both are pinned to CPU 0. pdftotext is timed as the
command a user would run (process start included, output to /dev/null); castguard is timed in-process
(``read_document``: pdfium text, running-head removal, hyphenation repair, page offsets), after one
warm-up call that pays for the imports. Target (issue 2): castguard >= 1/3 of pdftotext's pages/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from castguard.ingest import read_document  # noqa: E402


def default_pdfs() -> list[Path]:
    return sorted((ROOT / "tests" / "corpus").glob("*.pdf")) + sorted((ROOT / "sample_contracts").glob("*.pdf"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    pdfs = args.pdfs or default_pdfs()
    exe = shutil.which("pdftotext")
    if not exe:
        print("pdftotext not found: apt-get install poppler-utils", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    taskset = ["taskset", "-c", "0"] if shutil.which("taskset") else []

    pages = 0
    for p in pdfs:
        pages += read_document(p).pages or 0  # warm-up and page count
    ours = theirs = 0.0
    for _ in range(args.repeat):
        t = time.perf_counter()
        for p in pdfs:
            read_document(p)
        ours += time.perf_counter() - t
        t = time.perf_counter()
        for p in pdfs:
            subprocess.run(taskset + [exe, "-q", str(p), os.devnull], check=True)
        theirs += time.perf_counter() - t
    # pdftotext's process start-up, measured with -v, subtracted for a per-page comparison that flatters it
    t = time.perf_counter()
    for _ in range(args.repeat * len(pdfs)):
        subprocess.run(taskset + [exe, "-v"], check=True, capture_output=True)
    startup = (time.perf_counter() - t) / (args.repeat * len(pdfs))
    total = pages * args.repeat
    ours_pps, theirs_pps = total / ours, total / theirs
    net_pps = total / max(theirs - startup * args.repeat * len(pdfs), 1e-9)
    print(f"{len(pdfs)} PDFs, {pages} pages, {args.repeat} rounds, pinned to one core")
    print(f"  castguard ingest : {ours_pps:8.1f} pages/s")
    print(f"  pdftotext        : {theirs_pps:8.1f} pages/s")
    print(f"  ratio            : {ours_pps / theirs_pps:8.2f}x of pdftotext (target >= 0.33)")
    print(
        f"  pdftotext without its {startup * 1000:.1f} ms process start: {net_pps:8.1f} pages/s "
        f"-> ratio {ours_pps / net_pps:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
