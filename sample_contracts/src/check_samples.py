"""Consistency checks for sample_contracts/ and its EXPECTED.json.

Run from the repository root after build_samples.py:

    python sample_contracts/src/check_samples.py

Checks:
  * EXPECTED.json lists exactly the sample files in sample_contracts/ (not src/);
  * every sample carries the "FICTIONAL SAMPLE" notice;
  * gap ids are taxonomy v1 ids, gaps and not_gaps are disjoint, notes cover every gap,
    out-of-scope files have no gaps, and the performer samples exercise all 18 ids;
  * every double-quoted passage in notes / not_gap_reasons occurs in the file's text
    (quotes are evidence, so they must be verbatim; " ... " marks an elision);
  * the voice-over DOCX uses automatic numbering (w:numPr, numbers absent from the text);
  * every PDF page has the running header and a "Page N of M" footer.

Needs python-docx, and pdftotext (poppler-utils) for the PDF.
Exits 1 and lists the problems if any check fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parent.parent

# Taxonomy v1 ids (shared/design/taxonomy.md). Keep in step with the analyzer's taxonomy.
TAXONOMY_IDS = {
    "ai_training_grant", "replica_creation_grant", "replica_use_unspecified", "unbounded_term_scope",
    "reuse_other_projects", "digital_alteration", "objectionable_depiction", "replica_compensation_missing",
    "consent_buried_or_bundled", "consent_conditioned_or_waived", "no_revocation_or_suspension",
    "assignment_sublicensing", "post_mortem_use", "synthetic_substitution", "data_security_deletion_missing",
    "ai_disclosure_missing", "silent_broad_legacy_grant", "representation_or_minor_gap",
}
SAMPLE_SUFFIXES = {".pdf", ".docx", ".txt", ".md"}
NOT_SAMPLES = {"README.md"}
FICTION_NOTICE = "FICTIONAL SAMPLE written by the castguard team for demonstration and testing."
PDF_HEADER = "Harbor Light Pictures \u2014 Performer Agreement \u2014 CONFIDENTIAL"


def pdf_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    pages = out.stdout.split("\f")
    return [p for p in pages if p.strip()]


def file_text(path: Path) -> str:
    if path.suffix == ".pdf":
        # Drop the running header and footer, as the analyzer's ingest should: a clause that
        # crosses a page break must read as one passage.
        lines = "\n".join(pdf_pages(path)).splitlines()
        return "\n".join(
            ln for ln in lines
            if ln.strip() != PDF_HEADER and not re.fullmatch(r"\s*Page \d+ of \d+\s*", ln)
        )
    if path.suffix == ".docx":
        doc = Document(path)
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)
    return path.read_text(encoding="utf-8").replace("**", "")


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_docx_numbering(path: Path, problems: list[str]) -> None:
    doc = Document(path)
    numbered = [p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    if len(numbered) < 20:
        problems.append(f"{path.name}: expected automatic numbering, found {len(numbered)} numbered paragraphs")
    typed = [p.text for p in numbered if re.match(r"^\s*(\d+(\.\d+)*\.?|\([a-z]\))\s", p.text)]
    if typed:
        problems.append(f"{path.name}: numbered paragraphs also carry typed numbers: {typed[:3]}")
    if not doc.tables:
        problems.append(f"{path.name}: expected a table")
    section = doc.sections[0]
    if not any(p.text.strip() for p in section.header.paragraphs):
        problems.append(f"{path.name}: expected a header")
    if "PAGE" not in section.footer._element.xml:
        problems.append(f"{path.name}: expected a PAGE field in the footer")


def check_pdf_pages(path: Path, problems: list[str]) -> None:
    pages = pdf_pages(path)
    if len(pages) < 3:
        problems.append(f"{path.name}: expected at least 3 pages, found {len(pages)}")
    for n, page in enumerate(pages, start=1):
        if PDF_HEADER not in page:
            problems.append(f"{path.name}: page {n} lacks the running header")
        if f"Page {n} of {len(pages)}" not in page:
            problems.append(f"{path.name}: page {n} lacks the footer 'Page {n} of {len(pages)}'")


def main() -> int:
    problems: list[str] = []
    expected = json.loads((ROOT / "EXPECTED.json").read_text(encoding="utf-8"))
    listed = {e["file"] for e in expected}
    present = {p.name for p in ROOT.iterdir() if p.suffix in SAMPLE_SUFFIXES and p.name not in NOT_SAMPLES}
    for name in sorted(present - listed):
        problems.append(f"{name}: present but not in EXPECTED.json")
    for name in sorted(listed - present):
        problems.append(f"{name}: in EXPECTED.json but missing")

    exercised: set[str] = set()
    for entry in expected:
        path = ROOT / entry["file"]
        if not path.exists():
            continue
        name = entry["file"]
        gaps, not_gaps = set(entry["gaps"]), set(entry["not_gaps"])
        if entry["gaps"] != sorted(entry["gaps"]):
            problems.append(f"{name}: gaps are not sorted")
        for bad in (gaps | not_gaps) - TAXONOMY_IDS:
            problems.append(f"{name}: unknown gap id {bad!r}")
        if gaps & not_gaps:
            problems.append(f"{name}: ids in both gaps and not_gaps: {sorted(gaps & not_gaps)}")
        if set(entry["notes"]) != gaps:
            problems.append(f"{name}: notes keys differ from gaps")
        if set(entry["not_gap_reasons"]) != not_gaps:
            problems.append(f"{name}: not_gap_reasons keys differ from not_gaps")
        if not entry["in_scope"] and gaps:
            problems.append(f"{name}: out of scope but has gaps")
        if entry["in_scope"]:
            exercised |= gaps

        raw = file_text(path)
        if FICTION_NOTICE not in normalize(raw):
            problems.append(f"{name}: missing the FICTIONAL SAMPLE notice")
        body = normalize(raw)
        for field in ("notes", "not_gap_reasons"):
            for gap_id, note in entry[field].items():
                if note.count('"') % 2:
                    problems.append(f"{name}: {field}[{gap_id}] has unbalanced double quotes")
                    continue
                for quoted in note.split('"')[1::2]:
                    for piece in quoted.split(" ... "):
                        piece = normalize(piece)
                        if len(piece) >= 12 and piece not in body:
                            problems.append(f"{name}: {field}[{gap_id}] quote not found in text: {piece!r}")

        if path.suffix == ".pdf":
            check_pdf_pages(path, problems)
        if name == "voiceover_brightwave.docx":
            check_docx_numbering(path, problems)

    for missing in sorted(TAXONOMY_IDS - exercised):
        problems.append(f"no in-scope sample exercises {missing}")

    for p in problems:
        print(p)
    print(f"{len(expected)} samples checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
