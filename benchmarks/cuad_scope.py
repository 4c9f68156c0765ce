"""Scope and precision over every CUAD contract: which are called in scope, and which out-of-scope ones get findings.

    python benchmarks/cuad_scope.py [--corpus ../shared/corpus] [--jobs 2] [--json out.json]

A contract labelled in data/real_gold.json is judged by its label; the rest of CUAD (read by the labellers'
screening as engaging no person: supply, pharma, hosting, franchise ...) counts as out of scope. The target of
issue 13: at most 1 in 100 out-of-scope contracts with any finding. Reference in the same run: the plain keyword
spotter of ``castguard evaluate`` (in scope when a likeness word occurs anywhere).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _one(path: str) -> dict:
    from castguard.errors import CastguardError
    from castguard.evaluate import keyword_contract
    from castguard.scan import scan

    try:
        r = scan(path)
    except CastguardError as exc:
        return {"file": Path(path).name, "error": str(exc)}
    kw_scope, kw_gaps = keyword_contract(r.document.text)
    return {
        "file": Path(path).name,
        "document_type": r.document_type,
        "in_scope": r.in_scope,
        "scope_reason": r.scope_reason,
        "gaps": sorted({f.gap for f in r.findings}),
        "keyword_in_scope": kw_scope,
        "keyword_gaps": sorted(kw_gaps),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    files = sorted(str(p) for p in (args.corpus / "cuad").glob("*.txt"))
    if not files:
        print(f"no CUAD texts under {args.corpus / 'cuad'}", file=sys.stderr)
        return 2
    gold = {
        d["file"].split("/", 1)[1]: d["in_scope"]
        for d in json.loads((ROOT / "data" / "real_gold.json").read_text(encoding="utf-8"))["documents"]
        if d["file"].startswith("cuad/")
    }
    t = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(_one, files, chunksize=4))
    seconds = time.perf_counter() - t
    errors = [r for r in rows if "error" in r]
    ok = [r for r in rows if "error" not in r]
    out_of_scope = [r for r in ok if not gold.get(r["file"], False)]
    labelled_in = [r for r in ok if gold.get(r["file"], False)]
    with_findings = [r for r in out_of_scope if r["gaps"]]
    called_in = [r for r in out_of_scope if r["in_scope"]]
    kw_with = [r for r in out_of_scope if r["keyword_gaps"]]
    print(f"CUAD: {len(files)} contracts in {seconds:.0f} s ({args.jobs} processes); {len(errors)} unreadable")
    print(
        f"labelled in scope: {len(labelled_in)}, called in scope {sum(r['in_scope'] for r in labelled_in)} "
        f"(missed: {', '.join(r['file'] for r in labelled_in if not r['in_scope']) or 'none'})"
    )
    print(
        f"out of scope (labelled or unlabelled): {len(out_of_scope)}; called in scope {len(called_in)}; "
        f"with any finding {len(with_findings)} ({100 * len(with_findings) / max(1, len(out_of_scope)):.1f} per 100); "
        f"keyword spotter: {len(kw_with)} ({100 * len(kw_with) / max(1, len(out_of_scope)):.1f} per 100)"
    )
    for r in with_findings:
        print(f"  out of scope with findings: {r['file']}: {', '.join(r['gaps'])} ({r['scope_reason']})")
    for r in called_in:
        if not r["gaps"]:
            print(f"  called in scope, no findings: {r['file']} ({r['scope_reason']})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
