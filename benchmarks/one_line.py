"""A real contract flattened onto one line: scan time against the length of the line (issue 18).

    .venv/bin/python benchmarks/one_line.py [--sizes 0.25,0.5,1,2,5] [--markdown table.md] [--pin]

Text exports often lose every line break. The sample is real: four performer agreements of tests/corpus
(the Joe Theismann endorsement, the Brett Ogle endorsement, the Logan's Roadhouse driver-likeness
sponsorship and the Dr. Koop sponsorship; CUAD v1, CC BY 4.0), each read as ``castguard scan`` reads it,
its line breaks turned into spaces (a blank line becomes two spaces, as in such exports), then joined and
repeated - an archive exported as one line - and cut to exactly the size asked for (5 M is the default
``--max-chars`` limit, 5,000,000 characters, so that point is scanned within the default limits too).

Each size is written to a temporary .txt file and scanned in-process with ``castguard.scan.scan`` as the CLI
runs it: the default limits (characters and the 300 s deadline) and the trained classifier. The reference,
timed in the same run on the same text just before and just after the scan, is a plain linear pass: a
regular-expression word tokeniser and a word count. Time is linear in the length when both the seconds per M characters and the ratio to the
reference stay flat from 0.25 M to 5 M; the ratio does not depend on how fast the machine is. Times are the
process's CPU time (``time.process_time``), which other work on a shared machine does not inflate; the wall
time of the scan, the one the 300 s deadline limits, is shown beside it. ``segment`` is the segmenter alone
(clause starts, inline headings, sentence spans), timed separately on the already-parsed text.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SOURCES = (
    "cuad_endorsement_bizzingo_joetheismann.pdf",
    "cuad_endorsement_teardropgolf_brettogle.txt",
    "regress_inscope_driver_likeness_logans.txt",
    "regress_facts_sponsor_drkoop.txt",
)
_TOKEN = re.compile(r"\w+|[^\w\s]")


def flattened(size: int, sources: tuple[str, ...] = SOURCES) -> str:
    """Exactly ``size`` characters: the real contracts with their line breaks as spaces, repeated."""
    from castguard.ingest import read_document

    one = " ".join(read_document(ROOT / "tests" / "corpus" / name).text.replace("\n", " ") for name in sources)
    return ((one + " ") * (size // (len(one) + 1) + 1))[:size]


def reference(text: str, at_least: float = 1.0) -> float:
    """CPU seconds of a plain linear pass over ``text`` (tokenise with a regular expression, count the words),
    averaged over as many passes as fill ``at_least`` seconds, so a busy moment weighs little."""
    passes, start = 0, time.process_time()
    while True:
        Counter(_TOKEN.findall(text.lower()))
        passes += 1
        spent = time.process_time() - start
        if spent >= at_least:
            return spent / passes


def run(sizes: list[float]) -> list[dict]:
    from castguard.scan import _load_readers, default_detector, scan
    from castguard.segment import segment
    from castguard.segment.sentences import parse

    detector = default_detector()
    _load_readers()
    scan(ROOT / "tests" / "corpus" / SOURCES[1], detector=detector)  # warm-up: imports, matchers, model
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for m in sizes:
            n = round(m * 1_000_000)
            text = flattened(n)
            path = Path(tmp) / f"one_line_{n}.txt"
            path.write_text(text, encoding="utf-8")
            before = reference(text)
            wall, cpu = time.perf_counter(), time.process_time()
            report = scan(path, detector=detector)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            ref = (before + reference(text)) / 2  # the reference's passes before and after the scan
            doc = report.document
            sdoc = parse(doc.text)
            t = time.process_time()
            segment(doc, sdoc=sdoc)
            seg = time.process_time() - t
            del sdoc
            rows.append(
                {
                    "chars": len(text),
                    "wall": wall,
                    "seconds": cpu,
                    "per_m": cpu / (len(text) / 1e6),
                    "segment": seg,
                    "reference": ref,
                    "ratio": cpu / ref,
                    "clauses": len(report.clauses),
                    "findings": len(report.findings),
                }
            )
            print(_line(rows[-1]), flush=True)
    return rows


_HEAD = (
    "characters",
    "scan wall s",
    "scan CPU s",
    "CPU s per M chars",
    "segment CPU s",
    "reference CPU s",
    "scan / reference",
    "clauses",
    "findings",
)


def _cells(r: dict) -> list[str]:
    return [
        f"{r['chars']:,}",
        f"{r['wall']:.1f}",
        f"{r['seconds']:.1f}",
        f"{r['per_m']:.1f}",
        f"{r['segment']:.2f}",
        f"{r['reference']:.3f}",
        f"{r['ratio']:.0f}",
        f"{r['clauses']:,}",
        f"{r['findings']}",
    ]


def _line(r: dict) -> str:
    return "  ".join(c.rjust(len(h)) for c, h in zip(_cells(r), _HEAD))


def markdown(rows: list[dict]) -> str:
    out = ["| " + " | ".join(_HEAD) + " |", "|" + "---:|" * len(_HEAD)]
    out += ["| " + " | ".join(_cells(r)) + " |" for r in rows]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.25,0.5,1,2,5", help="millions of characters, comma-separated")
    ap.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    ap.add_argument("--pin", action="store_true", help="pin the process to CPU 0")
    args = ap.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    if args.pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    print("a real contract flattened onto one line, scanned in-process (default limits, rules + classifier)")
    print("  ".join(_HEAD))
    rows = run(sizes)
    per_m = [r["per_m"] for r in rows]
    ratios = [r["ratio"] for r in rows]
    print(
        f"CPU s per M chars {min(per_m):.1f}-{max(per_m):.1f}; scan / reference {min(ratios):.0f}-{max(ratios):.0f} "
        f"(flat = linear; largest / smallest: {max(ratios) / min(ratios):.2f})"
    )
    if args.markdown:
        from castguard.output import write_atomic

        write_atomic(args.markdown, markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
