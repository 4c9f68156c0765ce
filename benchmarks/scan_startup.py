"""Wall time of `castguard scan` on a 10-page text contract, process start to exit.

    .venv/bin/python benchmarks/scan_startup.py [--runs 7]

Builds a ~10-page plain-text contract (about 5,000 words, 500 words a page) from the sample contracts
in a temporary folder, runs the installed `castguard` command on it several times, and reports the
median and worst wall time; `castguard --version` is timed too, to show the cost of starting Python and
click alone. Target (issue 2): under 2 seconds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_contract(words: int = 5000) -> str:
    parts = []
    for name in (
        "film_actor_harborlight.pdf",
        "videogame_performer_ironpeak.txt",
        "music_session_bluefinch.txt",
        "influencer_glowup.txt",
        "model_release_lumen.md",
    ):
        path = ROOT / "sample_contracts" / name
        if path.suffix == ".pdf":
            sys.path.insert(0, str(ROOT / "src"))
            from castguard.ingest import read_document

            parts.append(read_document(path).text)
        else:
            parts.append(path.read_text(encoding="utf-8"))
    text = "\n\n".join(parts).split(" ")
    return " ".join(text[:words])


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - t)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    exe = shutil.which("castguard", path=str(Path(sys.executable).parent)) or shutil.which("castguard")
    if not exe:
        print("castguard is not installed in this environment (make demo installs it)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        contract = Path(tmp) / "ten_pages.txt"
        text = build_contract()
        contract.write_text(text, encoding="utf-8")
        words = len(text.split())
        version = timed([exe, "--version"], args.runs)
        scan = timed([exe, "scan", str(contract)], args.runs)
    print(f"10-page text contract: {words} words, {len(text)} characters; {args.runs} runs each")
    print(f"  castguard --version : median {statistics.median(version):.2f}s")
    print(f"  castguard scan      : median {statistics.median(scan):.2f}s, worst {max(scan):.2f}s (target < 2s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
