"""castguard batch: throughput (1 vs 2 jobs), end-to-end PDF pages/s against pdftotext, memory, and scale.

    .venv/bin/python benchmarks/batch.py [--files 500] [--scale 100,500,1000] [--jobs 2]

The corpus: the real contracts of ../shared/corpus (when present) and tests/corpus, and the sample contracts,
repeated until there are enough files, each copy made distinct (text: a first line; PDF: a comment after
%%EOF; DOCX: a core property), so the batch analyses every one instead of skipping duplicates. Every run is
``castguard batch`` as a user runs it (a fresh process, a fresh output folder); its process tree is sampled
every 0.2 s for the resident memory of the client and of each worker.

Targets (issue 5): 2 jobs >= 1.7x the throughput of 1 job; end-to-end PDF pages/s >= 1/4 of pdftotext's on
the same PDFs; peak memory of client and workers flat from 100 to 1,000 files; time linear in files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASTGUARD = ROOT / ".venv" / "bin" / "castguard"


def base_files() -> list[Path]:
    shared = ROOT.parent / "shared" / "corpus"
    files = []
    for folder in (shared, ROOT / "tests" / "corpus", ROOT / "sample_contracts"):
        if folder.exists():
            files += [p for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".docx", ".txt", ".md")]
    files = [p for p in files if p.name != "README.md" and p.name != "NOTICE.md"]
    seen, out = set(), []
    for p in files:  # the same contract in two folders counts once
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out


def make_corpus(dest: Path, n: int) -> list[Path]:
    import docx

    dest.mkdir(parents=True, exist_ok=True)
    bases = base_files()
    made = []
    for i in range(n):
        src = bases[i % len(bases)]
        out = dest / f"{i:05d}-{src.name}"
        if src.suffix == ".pdf":
            out.write_bytes(src.read_bytes() + f"\n% castguard benchmark copy {i}\n".encode())
        elif src.suffix == ".docx":
            d = docx.Document(str(src))
            d.core_properties.comments = f"castguard benchmark copy {i}"
            d.save(str(out))
        else:
            out.write_text(f"Copy {i}\n" + src.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
        made.append(out)
    return made


def _tree(pid: int):
    import psutil

    try:
        p = psutil.Process(pid)
        return p, p.children(recursive=True)
    except psutil.NoSuchProcess:
        return None, []


def run_batch(inputs: Path, jobs: int) -> dict:
    """One `castguard batch` run; wall time, files done, peak RSS (MB) of the client and of any worker."""
    import psutil

    out = Path(tempfile.mkdtemp(prefix="castguard-bench-out-"))
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(CASTGUARD), "batch", str(inputs), "-o", str(out / "run"), "--jobs", str(jobs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    client_peak = worker_peak = 0.0
    while proc.poll() is None:
        parent, children = _tree(proc.pid)
        try:
            if parent:
                client_peak = max(client_peak, parent.memory_info().rss / 2**20)
            for c in children:
                worker_peak = max(worker_peak, c.memory_info().rss / 2**20)
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    err = proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed: {err[-500:]}")
    import sqlite3

    with sqlite3.connect(str(out / "run" / "castguard-run.sqlite")) as con:
        done = con.execute("SELECT count(*) FROM files WHERE status = 'done'").fetchone()[0]
        failed = con.execute("SELECT count(*) FROM files WHERE status = 'failed'").fetchone()[0]
        pages = con.execute("SELECT coalesce(sum(pages), 0) FROM contracts WHERE format = 'pdf'").fetchone()[0]
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": seconds, "done": done, "failed": failed, "client_mb": client_peak, "worker_mb": worker_peak,
            "pdf_pages": pages}  # fmt: skip


def pdftotext_rate(pdfs: list[Path]) -> tuple[float, int]:
    exe = shutil.which("pdftotext")
    if not exe:
        raise SystemExit("pdftotext not found: apt-get install poppler-utils")
    import pypdfium2

    pages = sum(len(pypdfium2.PdfDocument(str(p))) for p in pdfs)
    started = time.perf_counter()
    for p in pdfs:
        subprocess.run([exe, str(p), "/dev/null"], check=True, capture_output=True)
    return pages / (time.perf_counter() - started), pages


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=500, help="corpus size for the 1-vs-2-jobs comparison")
    ap.add_argument("--scale", default="100,500,1000", help="corpus sizes for the scale and memory points")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    if not CASTGUARD.exists():
        print("run `make demo` first (it creates .venv)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="castguard-bench-"))
    try:
        sizes = sorted({args.files, *(int(s) for s in args.scale.split(",") if s)})
        corpus = work / "corpus"
        make_corpus(corpus, max(sizes))
        all_files = sorted(corpus.iterdir())
        print(f"corpus: {len(base_files())} distinct contracts repeated to {len(all_files)} files "
              f"({sum(p.suffix == '.pdf' for p in all_files)} PDF, {sum(p.suffix == '.docx' for p in all_files)} DOCX, "
              f"{sum(p.suffix in ('.txt', '.md') for p in all_files)} text)")  # fmt: skip
        subsets = {}
        for n in sizes:
            d = work / f"n{n}"
            d.mkdir()
            for p in all_files[:n]:
                os.link(p, d / p.name)
            subsets[n] = d

        print(f"\nthroughput, {args.files} files")
        one = run_batch(subsets[args.files], 1)
        two = run_batch(subsets[args.files], args.jobs)
        for label, r in ((" 1 job ", one), (f" {args.jobs} jobs", two)):
            print(f"  {label}: {r['seconds']:7.1f} s  {r['done'] / r['seconds'] * 60:7.1f} contracts/min  "
                  f"({r['done']} done, {r['failed']} failed)")  # fmt: skip
        print(f"  speed-up: {one['seconds'] / two['seconds']:.2f}x (target >= 1.7x)")

        pdfs = [p for p in subsets[args.files].iterdir() if p.suffix == ".pdf"]
        pdf_dir = work / "pdfs"
        pdf_dir.mkdir()
        for p in pdfs:
            os.link(p, pdf_dir / p.name)
        ref_rate, ref_pages = pdftotext_rate(pdfs)
        r = run_batch(pdf_dir, args.jobs)
        rate = r["pdf_pages"] / r["seconds"]
        print(f"\nPDF end to end, {len(pdfs)} PDFs, {ref_pages} pages")
        print(f"  pdftotext (one process per file, sequential): {ref_rate:7.1f} pages/s")
        print(f"  castguard batch --jobs {args.jobs} (full analysis):    {rate:7.1f} pages/s  "
              f"= {rate / ref_rate:.2f} of pdftotext (target >= 0.25)")  # fmt: skip

        print(f"\nscale and memory, --jobs {args.jobs}")
        print(f"  {'files':>6} {'seconds':>8} {'s/file':>7} {'client MB':>10} {'worker MB':>10}")
        for n in sizes:
            r = two if n == args.files else run_batch(subsets[n], args.jobs)
            print(
                f"  {n:>6} {r['seconds']:>8.1f} {r['seconds'] / n:>7.3f} {r['client_mb']:>10.0f} {r['worker_mb']:>10.0f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
