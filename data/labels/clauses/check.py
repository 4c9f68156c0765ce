"""Check the exhaustive clause-level labels of real documents (data/labels/clauses/) against the data they label.

    python data/labels/clauses/check.py

Every row names a clause of data/clauses.jsonl (``provenance: "real"``) whose text still has the fingerprint it
was labelled with; every label is a taxonomy id or ``protective:<id>``; a contract-kind id sits only in a document
whose contract-level gold (data/real_gold.json) raises it; labels and arguable labels do not overlap. The labellers
ran an equivalent check on their working files (GUIDE.md, REVIEW.md). Prints the problems and exits 1 if any.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1]
CONTRACT_KIND = {
    "silent_broad_legacy_grant", "data_security_deletion_missing", "ai_disclosure_missing", "representation_or_minor_gap",
}  # fmt: skip


def main() -> int:
    sys.path.insert(0, str(DATA.parent / "src"))
    from castguard.classify.taxonomy import GAPS

    allowed = set(GAPS) | {f"protective:{g}" for g in GAPS}
    clauses = {}
    for line in (DATA / "clauses.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["provenance"] == "real":
            clauses[row["id"]] = row
    gold = {d["file"]: d for d in json.loads((DATA / "real_gold.json").read_text(encoding="utf-8"))["documents"]}
    problems = []
    rows = 0
    for path in sorted(HERE.glob("pass*/*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rows += 1
            row = json.loads(line)
            where = f"{path.relative_to(HERE)}:{n} {row['id']}"
            doc = row["id"].split("#")[0]
            clause = clauses.get(row["id"])
            if clause is None:
                problems.append(f"{where}: no such real clause in data/clauses.jsonl")
            elif hashlib.sha1(clause["text"].encode("utf-8")).hexdigest()[:12] != row["sha"]:
                problems.append(f"{where}: the clause's text changed since it was labelled (re-label it)")
            labels = set(row["labels"]) | set(row["arguable"])
            problems += [f"{where}: unknown label {lab!r}" for lab in sorted(labels - allowed)]
            if set(row["labels"]) & set(row["arguable"]):
                problems.append(f"{where}: a label is both firm and arguable")
            raised = set(gold.get(doc, {}).get("gaps", {}))
            problems += [
                f"{where}: {lab} is contract-kind and the document's gold does not raise it"
                for lab in sorted(labels & CONTRACT_KIND - raised)
            ]
    for p in problems:
        print(p)
    print(f"{rows} labelled clauses checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
