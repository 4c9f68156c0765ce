"""castguard batch: throughput (1 vs 2 jobs), end-to-end PDF pages/s against pdftotext and pypdfium2, memory, scale.

    .venv/bin/python benchmarks/batch.py [--files 500] [--scale 100,500,1000] [--jobs 2] [--pdfs 120]
    .venv/bin/python benchmarks/batch.py --pdf-only          # the PDF section alone (about 1-2 minutes)
    .venv/bin/python benchmarks/batch.py --src ../main/src   # another checkout's code, same corpus and machine

The corpus: the real contracts of ../shared/corpus (when present) and tests/corpus, and the sample contracts,
repeated until there are enough files, each copy made distinct (text: a first line; PDF: a comment after
%%EOF; DOCX: a core property), so the batch analyses every one instead of skipping duplicates. Every run is
``castguard batch`` as a user runs it (a fresh process, ``python -m castguard`` with this checkout's ``src``
first on PYTHONPATH, a fresh output folder); its process tree is sampled every 0.2 s for the resident memory
of the client and of each worker.

The PDF set (``--pdfs``, default 120): the 8 distinct PDFs of those folders (the 7 of ../shared/corpus -- the
tests/corpus ones are the same files -- and sample_contracts/film_actor_harborlight.pdf; 77 pages) repeated in
turn as distinct copies (a comment after %%EOF) to 120 files, 1,155 pages. On it, in one run: ``pdftotext``
(poppler, one process per file, sequential, text to /dev/null), raw pypdfium2 text extraction (in this process:
open each file, every page's text page and its text, close; no start-up), then ``castguard batch --jobs 1``
and ``--jobs N`` with the full analysis (JSON and HTML report per contract, the run store, dashboard and XLSX),
timed end to end from process start to exit. The two references are timed before and after the castguard runs
and their pages/s averaged, so a busy spell on a shared machine weighs on both sides alike.

Targets: issue 5 -- 2 jobs >= 1.7x the throughput of 1 job on the mixed corpus; peak memory of client and
workers flat from 100 to 1,000 files; time linear in files. Issue 16 (the PDF set) -- 1 job >= 1.0x the
pages/s of pdftotext, 1 job >= 1/4 of raw pypdfium2, N jobs >= 1.8x of 1 job.
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
SRC = ROOT / "src"  # --src: another checkout's code


def castguard_command() -> tuple[list[str], dict[str, str]]:
    """``python -m castguard`` with ``SRC`` first on the path: the code of this checkout (or of --src), whatever
    is installed in the interpreter's environment. The batch's worker processes inherit the environment."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p)
    return [sys.executable, "-m", "castguard"], env


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


def distinct_copy(src: Path, out: Path, i: int) -> None:
    """A copy of ``src`` whose bytes differ from every other copy (so the batch analyses it instead of skipping a
    duplicate): text gets a first line, a PDF a comment after %%EOF, a DOCX a core property."""
    if src.suffix == ".pdf":
        out.write_bytes(src.read_bytes() + f"\n% castguard benchmark copy {i}\n".encode())
    elif src.suffix == ".docx":
        import docx

        d = docx.Document(str(src))
        d.core_properties.comments = f"castguard benchmark copy {i}"
        d.save(str(out))
    else:
        out.write_text(f"Copy {i}\n" + src.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")


def make_corpus(dest: Path, n: int) -> list[Path]:

    dest.mkdir(parents=True, exist_ok=True)
    bases = base_files()
    made = []
    for i in range(n):
        src = bases[i % len(bases)]
        out = dest / f"{i:05d}-{src.name}"
        distinct_copy(src, out, i)
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
    cmd, env = castguard_command()
    proc = subprocess.Popen(
        [*cmd, "batch", str(inputs), "-o", str(out / "run"), "--jobs", str(jobs)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
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


def pdf_corpus(dest: Path, n: int) -> list[Path]:
    """The distinct PDFs of the corpus folders repeated in turn to ``n`` files, each copy distinct."""
    dest.mkdir(parents=True, exist_ok=True)
    bases = [p for p in base_files() if p.suffix == ".pdf"]
    made = []
    for i in range(n):
        src = bases[i % len(bases)]
        out = dest / f"{i:05d}-{src.name}"
        out.write_bytes(src.read_bytes() + f"\n% castguard benchmark copy {i}\n".encode())
        made.append(out)
    return made


def pdf_pages(pdfs: list[Path]) -> int:
    import pypdfium2

    total = 0
    for p in pdfs:
        pdf = pypdfium2.PdfDocument(str(p))
        total += len(pdf)
        pdf.close()
    return total


def pdftotext_seconds(pdfs: list[Path]) -> float:
    """``pdftotext FILE /dev/null``, one process per file, one after the other."""
    exe = shutil.which("pdftotext")
    if not exe:
        raise SystemExit("pdftotext not found: apt-get install poppler-utils")
    started = time.perf_counter()
    for p in pdfs:
        subprocess.run([exe, str(p), "/dev/null"], check=True, capture_output=True)
    return time.perf_counter() - started


def pypdfium2_seconds(pdfs: list[Path]) -> float:
    """Raw pypdfium2 text extraction in this process: every page's text, nothing else (no process start-up)."""
    import pypdfium2

    started = time.perf_counter()
    for p in pdfs:
        pdf = pypdfium2.PdfDocument(str(p))
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        pdf.close()
    return time.perf_counter() - started


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def pdf_section(work: Path, n: int, jobs: int) -> None:
    """The PDF set end to end: castguard batch with 1 and ``jobs`` jobs against pdftotext and raw pypdfium2."""
    pdf_dir = work / "pdfs"
    pdfs = pdf_corpus(pdf_dir, n)
    pages = pdf_pages(pdfs)
    distinct = len([p for p in base_files() if p.suffix == ".pdf"])
    print(f"\nPDF end to end: {len(pdfs)} PDFs ({distinct} distinct, repeated as distinct copies), {pages} pages")
    ref_a = (pdftotext_seconds(pdfs), pypdfium2_seconds(pdfs))
    one = run_batch(pdf_dir, 1)
    many = run_batch(pdf_dir, jobs)
    ref_b = (pdftotext_seconds(pdfs), pypdfium2_seconds(pdfs))
    for r in (one, many):
        if r["done"] != len(pdfs) or r["pdf_pages"] != pages:
            raise SystemExit(f"batch analysed {r['done']} of {len(pdfs)} PDFs, {r['pdf_pages']} of {pages} pages")
    poppler = pages / ((ref_a[0] + ref_b[0]) / 2)
    pdfium = pages / ((ref_a[1] + ref_b[1]) / 2)
    rate1 = pages / one["seconds"]
    rate_n = pages / many["seconds"]
    print(
        f"  pdftotext (one process per file, sequential):  {poppler:7.1f} pages/s  "
        f"(before {pages / ref_a[0]:.1f}, after {pages / ref_b[0]:.1f})"
    )
    print(
        f"  raw pypdfium2 text extraction (in-process):     {pdfium:7.1f} pages/s  "
        f"(before {pages / ref_a[1]:.1f}, after {pages / ref_b[1]:.1f})"
    )
    print(f"  castguard batch --jobs 1 (full analysis):       {rate1:7.1f} pages/s  ({one['seconds']:.1f} s)")
    print(f"  castguard batch --jobs {jobs} (full analysis):       {rate_n:7.1f} pages/s  ({many['seconds']:.1f} s)")
    print(f"  1 job / pdftotext:     {rate1 / poppler:5.2f}  (target >= 1.00: {_verdict(rate1 >= poppler)})")
    print(f"  1 job / pypdfium2:     {rate1 / pdfium:5.2f}  (target >= 0.25: {_verdict(rate1 >= pdfium / 4)})")
    print(f"  {jobs} jobs / 1 job:      {rate_n / rate1:5.2f}  (target >= 1.80: {_verdict(rate_n >= 1.8 * rate1)})")
    print(f"  {jobs} jobs / pdftotext:   {rate_n / poppler:5.2f}")


def main(argv=None) -> int:
    global SRC
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=500, help="corpus size for the 1-vs-2-jobs comparison")
    ap.add_argument("--scale", default="100,500,1000", help="corpus sizes for the scale and memory points")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--pdfs", type=int, default=120, help="size of the PDF set (distinct copies)")
    ap.add_argument("--pdf-only", action="store_true", help="run the PDF section alone")
    ap.add_argument(
        "--src", type=Path, default=SRC, help="the castguard source folder to run (default: this checkout's)"
    )
    args = ap.parse_args(argv)
    SRC = args.src.resolve()
    if not (SRC / "castguard" / "__init__.py").exists():
        print(f"{SRC}: no castguard package here (--src names a checkout's src folder)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="castguard-bench-"))
    try:
        print(f"castguard from {SRC}, python {sys.executable}")
        if args.pdf_only:
            pdf_section(work, args.pdfs, args.jobs)
            return 0
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

        pdf_section(work, args.pdfs, args.jobs)

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
