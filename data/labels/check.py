#!/usr/bin/env python3
"""Check a label file: python3 /work/labels/check.py FILE.json
Verifies the JSON shape and that every quote is verbatim in its document (whitespace runs may differ)."""
import json, re, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpus"
IDS = """ai_training_grant replica_creation_grant replica_use_unspecified unbounded_term_scope reuse_other_projects
digital_alteration objectionable_depiction replica_compensation_missing consent_buried_or_bundled
consent_conditioned_or_waived no_revocation_or_suspension assignment_sublicensing post_mortem_use
synthetic_substitution data_security_deletion_missing ai_disclosure_missing silent_broad_legacy_grant
representation_or_minor_gap""".split()
TYPES = {"contract", "terms_of_service", "release_or_consent", "not_a_contract"}
def norm(s): return re.sub(r"\s+", " ", s).strip()
def main(p):
    data = json.loads(Path(p).read_text())
    errs = []; n = 0
    for d in data["documents"]:
        f = d.get("file"); path = ROOT / f
        if not path.exists(): errs.append(f"{f}: no such file under {ROOT}"); continue
        text = norm(path.read_text(encoding="utf-8", errors="replace")) if path.suffix in (".txt", ".md") else None
        if d.get("document_type") not in TYPES: errs.append(f"{f}: document_type must be one of {sorted(TYPES)}")
        if not isinstance(d.get("in_scope"), bool): errs.append(f"{f}: in_scope must be true/false")
        if not d.get("scope_note"): errs.append(f"{f}: scope_note missing")
        def q(where, quote):
            if not quote or not isinstance(quote, str): errs.append(f"{f}: {where}: empty quote"); return
            if text is not None and norm(quote) not in text: errs.append(f"{f}: {where}: quote not verbatim in file: {quote[:90]!r}")
        for gid, g in d.get("gaps", {}).items():
            if gid not in IDS: errs.append(f"{f}: unknown gap id {gid}")
            if g.get("strength") not in ("required", "arguable"): errs.append(f"{f}: {gid}: strength must be required/arguable")
            q(f"gaps.{gid}", g.get("quote"))
        for gid, g in d.get("protections", {}).items():
            if gid not in IDS: errs.append(f"{f}: unknown protection id {gid}")
            if not isinstance(g.get("hollowed"), bool): errs.append(f"{f}: protections.{gid}: hollowed must be true/false")
            q(f"protections.{gid}", g.get("quote"))
        if not d["in_scope"] and d.get("gaps"): errs.append(f"{f}: out of scope but has gaps")
        for i, s in enumerate(d.get("spans", [])):
            n += 1
            for lab in s.get("labels", []) + s.get("protective", []):
                if lab not in IDS: errs.append(f"{f}: spans[{i}]: unknown id {lab}")
            if not s.get("labels") and not s.get("protective"): errs.append(f"{f}: spans[{i}]: no labels and no protective ids")
            q(f"spans[{i}]", s.get("quote"))
        if d["in_scope"] and d.get("gaps") and not d.get("spans"): errs.append(f"{f}: in scope with gaps but no spans")
    for e in errs: print("ERROR", e)
    print(f"{len(data['documents'])} documents, {n} spans, {len(errs)} errors")
    return 1 if errs else 0
if __name__ == "__main__": sys.exit(main(sys.argv[1]))
