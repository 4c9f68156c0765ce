"""Wall time of `castguard scan` on a 10-page text contract, process start to exit.

    .venv/bin/python benchmarks/scan_startup.py [--runs 7] [--src DIR]

Builds a ~10-page plain-text contract (about 5,000 words, 500 words a page) from the sample contracts
in a temporary folder, runs `castguard` on it several times -- ``python -m castguard`` with this checkout's
``src`` (or ``--src DIR``, another checkout's) first on PYTHONPATH, so the code measured is the code of the
checkout, whatever the environment has installed -- and reports the
median and worst wall time and the median CPU time (user + system, of the process itself). Beside it, in
the same run and with the same interpreter, it times `python -c pass` (starting Python alone),
`python -c "import spacy"` (the one import a scan cannot do without) and `castguard --version` (Python
and click), so a figure taken while other jobs share the machine can be read against them: the runs of
all four commands are interleaved, and the ratios to `import spacy` are printed too. One untimed run of each
comes first; PYTHONDONTWRITEBYTECODE is dropped for the commands, so that run leaves the bytecode cache an
installed castguard has (pip compiles it at install time) and no run pays for compiling castguard's source.
Target (issue 15): `castguard scan` median <= 1.0 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.0


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
            from castguard.ingest import read_document

            parts.append(read_document(path).text)
        else:
            parts.append(path.read_text(encoding="utf-8"))
    text = "\n\n".join(parts).split(" ")
    return " ".join(text[:words])


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def use_source(src: Path) -> None:
    """Run the castguard of ``src`` (a checkout's ``src`` folder): first on PYTHONPATH, here and in the commands."""
    ENV["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), os.environ.get("PYTHONPATH", "")) if p)
    sys.path.insert(0, str(src))


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``cmd``, its output discarded."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited with status {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def timed(commands: dict[str, list[str]], runs: int) -> dict[str, list[tuple[float, float]]]:
    """Each command ``runs`` times, interleaved (a, b, c, a, b, c, ...) so a busy spell hits all of them alike;
    one untimed run of each first warms the file and bytecode caches."""
    for cmd in commands.values():
        run_once(cmd)
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            out[name].append(run_once(cmd))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the castguard source folder to run")
    args = ap.parse_args(argv)
    src = args.src.resolve()
    if not (src / "castguard" / "__main__.py").exists():
        print(f"{src}: no castguard package here (--src names a checkout's src folder)", file=sys.stderr)
        return 2
    use_source(src)
    exe = [sys.executable, "-m", "castguard"]
    print(f"castguard from {src}")
    with tempfile.TemporaryDirectory() as tmp:
        contract = Path(tmp) / "ten_pages.txt"
        text = build_contract()
        contract.write_text(text, encoding="utf-8")
        words = len(text.split())
        results = timed(
            {
                "python -c pass": [sys.executable, "-c", "pass"],
                'python -c "import spacy"': [sys.executable, "-c", "import spacy"],
                "castguard --version": [*exe, "--version"],
                "castguard scan": [*exe, "scan", str(contract)],
            },
            args.runs,
        )
    spacy_wall = statistics.median(w for w, _ in results['python -c "import spacy"'])
    spacy_cpu = statistics.median(c for _, c in results['python -c "import spacy"'])
    print(f"10-page text contract: {words} words, {len(text)} characters; {args.runs} runs each, interleaved")
    print(f"  {'':26}  {'wall median':>11}  {'worst':>6}  {'CPU median':>10}  {'/ import spacy (wall, CPU)':>26}")
    for name, got in results.items():
        wall = [w for w, _ in got]
        cpu = [c for _, c in got]
        ratio = f"{statistics.median(wall) / spacy_wall:.2f}x, {statistics.median(cpu) / spacy_cpu:.2f}x"
        print(
            f"  {name:26}  {statistics.median(wall):10.2f}s  {max(wall):5.2f}s  {statistics.median(cpu):9.2f}s"
            f"  {ratio:>26}"
        )
    scan = statistics.median(w for w, _ in results["castguard scan"])
    print(f"castguard scan: median {scan:.2f}s (target <= {TARGET:.1f}s: {'met' if scan <= TARGET else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
