"""The redline's promises checked over every DOCX, PDF and text contract of the corpus, and the samples.

    python benchmarks/redline_check.py [--corpus ../shared/corpus] [--jobs 2] [--libreoffice] [--json out.json]
                                       [--narrow-grants] [--keep DIR]

For every contract castguard finds in scope with gaps, the redline is made (deal facts the contract does not
state are filled with neutral placeholders) and audited by ``tests/tools/redline_audit.py``: no deletion; every
insertion a carve-out citing sections the appended rider has and terms it defines; at most one carve-out per
paragraph; none in a heading, table header row, recital, definition, signature block, quoted statement or
question, or after a list introduction; reject all gives the original text, accept all the original plus the
carve-outs plus the rider. The redline's own record is checked too: at most one carve-out per clause.
``--libreoffice`` also has LibreOffice open each redline and Accept All / Reject All through UNO
(``tests/tools/lo_revisions.py``, needs python3-uno): rejecting must give the original words and accepting
must keep every carve-out. Prints counts; exits 1 when any redline has a problem.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

SUFFIXES = {".docx", ".pdf", ".txt", ".md"}
PLACEHOLDERS = {
    "performer": "the Performer",
    "company": "the Company",
    "agreement_title": "Agreement",
    "agreement_date": "the date stated in it",
    "jurisdiction": "US",
}


def _deal(report):
    from castguard.draft import deal_for
    from castguard.draft.deal import facts_from_contract

    facts = facts_from_contract(report.document.text)
    return deal_for(report, None, {k: v for k, v in PLACEHOLDERS.items() if not facts.get(k)})


def _lo(path: Path) -> dict | str:
    proc = subprocess.run(
        ["/usr/bin/python3", str(ROOT / "tests" / "tools" / "lo_revisions.py"), str(path), "--timeout", "240"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if proc.returncode != 0:
        return f"LibreOffice failed: {proc.stderr.strip()[:200]}"
    return json.loads(proc.stdout)


def _libreoffice(path: Path, original: str | Path, carve_outs: list[str]) -> str | None:
    """None when LibreOffice opens, accepts and rejects as it should, else what went wrong. ``original`` is
    the text castguard read, or a DOCX contract, which LibreOffice then reads itself (its text export shows
    footnote marks and field results that castguard's reader leaves out)."""
    if isinstance(original, Path):
        mine = _lo(original)
        if isinstance(mine, str):
            return mine
        original = mine["accepted_text"]
    result = _lo(path)
    if isinstance(result, str):
        return result
    bullets = {"\u2022", "\u25e6", "\u25aa", "\uf0b7"}
    words = lambda t: [w for w in t.split() if w not in bullets]  # noqa: E731
    if words(result["rejected_text"]) != words(original):
        return "LibreOffice's Reject All does not give the original text"
    accepted = " ".join(words(result["accepted_text"]))
    for text in carve_outs:
        if " ".join(text.split()) not in accepted:
            return "LibreOffice's Accept All lost a carve-out"
    return None


def one(path: str, libreoffice: bool = False, narrow: bool = False, keep: str | None = None) -> dict:
    from tools.redline_audit import audit

    from castguard.draft import build_addendum
    from castguard.errors import CastguardError
    from castguard.ingest import read_document
    from castguard.redline import redline
    from castguard.scan import scan

    name = str(Path(path))
    start = time.perf_counter()
    try:
        report = scan(path)
    except CastguardError as exc:
        return {"file": name, "status": "unreadable", "error": str(exc)[:200]}
    if not report.in_scope or not report.findings:
        return {"file": name, "status": "nothing to redline"}
    try:
        addendum = build_addendum(report, _deal(report))
        result = redline(report, addendum, path, author="Benchmark", date="2026-01-01T00:00:00Z",
                         narrow_grants=narrow)  # fmt: skip
    except CastguardError as exc:
        return {"file": name, "status": "error", "error": str(exc)[:200]}
    problems, counts = audit(result.data, path, allow_deletions=narrow)
    per_clause = Counter(c for ch in result.changes if ch.form for c in ch.clause_ids)
    problems += [f"clause {c} has {n} carve-outs" for c, n in per_clause.items() if n > 1]
    row = {
        "file": name,
        "status": "redlined",
        "format": report.document.format,
        "clauses_flagged": len(result.changes),
        "carve_outs": result.carve_outs,
        "commented_only": Counter(ch.reason for ch in result.changes if not ch.form),
        "deletions": result.deletions,
        "comments": result.comments,
        "problems": problems,
        "seconds": round(time.perf_counter() - start, 2),
    }
    if keep:
        Path(keep, Path(path).name + ".redline.docx").write_bytes(result.data)
    if libreoffice:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "redline.docx"
            out.write_bytes(result.data)
            inserted = [ch.inserted for ch in result.changes if ch.form]
            original = Path(path) if report.document.format == "docx" else read_document(path).text
            failure = _libreoffice(out, original, inserted)
        row["libreoffice"] = failure or "ok"
        if failure:
            row["problems"].append(failure)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--libreoffice", action="store_true", help="also round-trip every redline through LibreOffice")
    ap.add_argument("--narrow-grants", action="store_true", help="redline with --narrow-grants (deletions allowed)")
    ap.add_argument("--keep", type=Path, default=None, help="write every redline into this folder")
    ap.add_argument("--json", type=Path, default=None, help="write every row here")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; give --corpus DIR", file=sys.stderr)
        return 2
    files = sorted(p for p in args.corpus.rglob("*") if p.suffix.lower() in SUFFIXES and p.name != "SOURCES.md")
    files += sorted(p for p in (ROOT / "sample_contracts").iterdir() if p.suffix.lower() in SUFFIXES
                    and p.name != "README.md")  # fmt: skip
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(one, map(str, files), [args.libreoffice] * len(files), [args.narrow_grants] * len(files),
                             [str(args.keep) if args.keep else None] * len(files), chunksize=4))  # fmt: skip
    redlined = [r for r in rows if r["status"] == "redlined"]
    bad = [r for r in rows if r.get("problems") or r["status"] in ("error",)]
    reasons = Counter()
    for r in redlined:
        reasons.update(r["commented_only"])
    print(f"files: {len(rows)} ({Counter(Path(r['file']).suffix.lower() for r in rows)})")
    print(f"status: {dict(Counter(r['status'] for r in rows))}")
    print(f"redlined: {len(redlined)} ({dict(Counter(r['format'] for r in redlined))})")
    carved = sum(r["carve_outs"] for r in redlined)
    print(f"flagged clauses: {sum(r['clauses_flagged'] for r in redlined)}; carve-outs: {carved}; "
          f"commented only: {sum(reasons.values())} {dict(reasons)}")  # fmt: skip
    print(f"deletions: {sum(r['deletions'] for r in redlined)}; comments: {sum(r['comments'] for r in redlined)}")
    if args.libreoffice:
        print(f"LibreOffice open/accept/reject ok: {sum(r.get('libreoffice') == 'ok' for r in redlined)}"
              f"/{len(redlined)}")  # fmt: skip
    problems = Counter(p.split(":")[0] if p.startswith("paragraph") is False else p.split(":")[1].strip()[:40]
                       for r in redlined for p in r["problems"])  # fmt: skip
    print(f"redlines with a problem: {len(bad)}; problems by kind: {dict(problems)}")
    for r in bad:
        print(f"  {r['file']}: {r.get('error') or '; '.join(r['problems'])[:400]}")
    print(f"{time.perf_counter() - started:.0f} s on {args.jobs} process(es)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=dict), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
