"""Build the real-document data from the labellers' files (data/labels/*.json).

    python data/build_real.py [--corpus ../shared/corpus]

Writes
- ``data/real_gold.json``: contract-level gold for every labelled real document (scope, document type, gap ids
  with strength required/arguable and a verbatim quote, protections), read by ``castguard evaluate``;
- the ``provenance: "real"`` rows of ``data/clauses.jsonl``: every clause of every labelled in-scope document and
  of the out-of-scope AI-era texts, as castguard segments it. A clause of an in-scope document takes the
  exhaustive clause-level labels of ``labels/clauses/`` (every clause read and labelled, with ``arguable`` labels
  apart; the second pass where it exists); a clause of an out-of-scope document is ``none``. A document without
  clause-level labels falls back to the evidence spans (a clause gets a label when a span carrying it overlaps
  the clause).

The labels are the team's; the texts come from ``../shared/corpus`` (CUAD: CC BY 4.0; Open Terms Archive:
ODC-BY 1.0; Microsoft verbal statement: MIT; attribution in data/README.md). Re-running it gives the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from castguard.ingest import read_document  # noqa: E402
from castguard.segment import segment  # noqa: E402
from castguard.segment.sentences import parse  # noqa: E402


# earlier corpus rows of the same contracts (tests/corpus copies of cuad/ files) now labelled from cuad/: one copy
# only, or cross-validation would see a contract on both sides
SUPERSEDED = {
    "cuad_endorsement_bizzingo_joetheismann.pdf",
    "cuad_endorsement_berkshirebank_genoauriemma.pdf",
    "cuad_endorsement_teardropgolf_brettogle.txt",
    "cuad_contentlicense_playboy_efashion.txt",
}


def _labels() -> dict[str, dict]:
    """The final labels: the second pass where it exists, else the first."""
    docs: dict[str, dict] = {}
    for tier in ("pass1", "pass2"):
        for path in sorted((HERE / "labels" / tier).glob("*.json")):
            for d in json.loads(path.read_text(encoding="utf-8"))["documents"]:
                docs[d["file"]] = {**d, "pass": tier}
    return docs


def clause_sha(text: str) -> str:
    """The fingerprint of a clause's text, kept beside its clause-level label: a clause whose text changed (the
    segmenter moved a boundary) no longer matches its label, and the build says so instead of mislabelling."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _clause_labels() -> dict[str, dict]:
    """The exhaustive clause-level labels by clause id: the second pass where it exists, else the first."""
    out: dict[str, dict] = {}
    for tier in ("pass1", "pass2"):
        for path in sorted((HERE / "labels" / "clauses" / tier).glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    out[row["id"]] = {**row, "pass": tier}
    return out


def _norm_index(text: str) -> tuple[str, list[int]]:
    """Whitespace runs collapsed to one space, with each character's offset in ``text``."""
    out, idx, prev_space = [], [], False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        idx.append(i)
    return "".join(out), idx


def _find(text_norm: str, idx: list[int], quote: str) -> list[tuple[int, int]]:
    q = " ".join(quote.split())
    spans = []
    for m in re.finditer(re.escape(q), text_norm):
        spans.append((idx[m.start()], idx[m.end() - 1] + 1))
    return spans


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    labels = _labels()
    clause_labels = _clause_labels()
    stale: list[str] = []
    gold = []
    rows = []
    missing_quotes = 0
    for name in sorted(labels):
        d = labels[name]
        gold.append(
            {
                "file": name,
                "document_type": d["document_type"],
                "in_scope": d["in_scope"],
                "scope_note": d["scope_note"],
                "person": d.get("person"),
                "gaps": {g: {k: v for k, v in e.items() if k in ("strength", "quote", "why")} for g, e in sorted(d.get("gaps", {}).items())},
                "protections": {
                    g: {k: v for k, v in e.items() if k in ("quote", "hollowed", "why")}
                    for g, e in sorted(d.get("protections", {}).items())
                },
                "notes": d.get("notes", ""),
                "labelled_in": d["pass"],
            }
        )
        # clause rows: in-scope documents, and the AI-era texts that are out of scope (hard negatives)
        if not (d["in_scope"] or name.startswith("ai_era/")):
            continue
        path = args.corpus / name
        if not path.exists():
            print(f"skip {name}: not found under {args.corpus}", file=sys.stderr)
            continue
        doc = read_document(path)
        clauses = segment(doc, sdoc=parse(doc.text))
        text_norm, idx = _norm_index(doc.text)
        per_clause: dict[str, set[str]] = {c.id: set() for c in clauses}
        for span in d.get("spans", []):
            found = _find(text_norm, idx, span["quote"])
            if not found:
                missing_quotes += 1
                continue
            a, b = found[0]
            labs = set(span.get("labels", [])) | {f"protective:{p}" for p in span.get("protective", [])}
            for c in clauses:
                if c.start < b and a < c.end:
                    per_clause[c.id] |= labs
        exhaustive = d["in_scope"] and any(k.startswith(name + "#") for k in clause_labels)
        for c in clauses:
            if len(c.text.split()) < 3:
                continue
            cid = f"{name}#{c.id}"
            row = {"id": cid, "text": c.text, "labels": sorted(per_clause[c.id]) or ["none"]}
            if exhaustive:
                lab = clause_labels.get(cid)
                if lab is None or lab["sha"] != clause_sha(c.text):
                    stale.append(cid)
                    continue
                row["labels"] = sorted(lab["labels"]) or ["none"]
                if lab.get("arguable"):
                    row["arguable"] = sorted(lab["arguable"])
            elif not d["in_scope"]:
                row["labels"] = ["none"]
            rows.append({**row, "doc": name, "provenance": "real", "source": name, "clause": c.id})
    if stale:
        print(
            f"{len(stale)} clauses have no clause-level label for their current text (the segmenter changed them), "
            f"e.g. {stale[0]}: re-label them in data/labels/clauses/ before building",
            file=sys.stderr,
        )
        return 1
    (HERE / "real_gold.json").write_text(
        json.dumps(
            {
                "taxonomy_version": "v1.1",
                "labelled_by": "castguard team: a first pass and a second, independent review (data/labels/)",
                "documents": gold,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    clauses_path = HERE / "clauses.jsonl"
    kept = [
        line
        for line in clauses_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        and json.loads(line)["provenance"] != "real"
        and json.loads(line)["doc"] not in SUPERSEDED
    ]
    with clauses_path.open("w", encoding="utf-8") as fh:
        for line in kept:
            fh.write(line + "\n")
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    positives = sum(1 for r in rows if r["labels"] != ["none"])
    print(
        f"{len(gold)} documents in real_gold.json; {len(rows)} real clauses ({positives} labelled) in clauses.jsonl; "
        f"{missing_quotes} span quotes not found"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
