"""Regenerate docs/redline-before.png and docs/redline-after.png, the README's before/after of a redlined clause.

.venv/bin/python docs/make_redline_picture.py [--contract tests/corpus/cuad_endorsement_bizzingo_joetheismann.pdf]

A real contract (CUAD, CC BY 4.0: Bizzingo's endorsement agreement with Joe Theismann) is redlined as a user
would; LibreOffice prints the redline (its tracked changes shown the way Word and LibreOffice show them) and the
same document with every change rejected (the contract as it was) to PDF; poppler finds the first clause that
got a carve-out on the printed page and crops that clause, before and after, to PNG. Needs LibreOffice
(soffice) and poppler-utils (pdftotext, pdftoppm).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from castguard.draft import build_addendum, deal_for  # noqa: E402
from castguard.draft.deal import facts_from_contract  # noqa: E402
from castguard.redline import redline, resolve_revisions  # noqa: E402
from castguard.scan import scan  # noqa: E402

CONTRACT = ROOT / "tests" / "corpus" / "cuad_endorsement_bizzingo_joetheismann.pdf"
DPI = 110
PLACEHOLDERS = {"performer": "the Performer", "company": "the Company", "agreement_title": "Agreement",
                "agreement_date": "the date stated in it", "jurisdiction": "US"}  # fmt: skip


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        sys.exit(f"{tool} not found: install LibreOffice (soffice) and poppler-utils (pdftotext, pdftoppm)")
    return path


def _to_pdf(docx_path: Path, outdir: Path) -> Path:
    subprocess.run(
        [_need("soffice"), f"-env:UserInstallation=file://{outdir / 'lo-profile'}", "--headless", "--convert-to",
         "pdf", "--outdir", str(outdir), str(docx_path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return outdir / (docx_path.stem + ".pdf")


def _lines(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, text) of every printed line, from pdftotext -bbox-layout."""
    from lxml import etree

    xhtml = subprocess.run([_need("pdftotext"), "-bbox-layout", str(pdf), "-"], capture_output=True,
                           check=True).stdout  # fmt: skip
    root = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    out = []
    for n, page in enumerate(root.iter("{*}page"), 1):
        for line in page.iter("{*}line"):
            words = [w.text or "" for w in line.iter("{*}word")]
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            out.append((n, *box, " ".join(words)))
    return out


def _span(lines, first: str, last: str):
    """The page and box of the printed lines from the one starting the clause to the one ending ``last``."""
    norm = lambda t: " ".join(t.split())  # noqa: E731
    start = next(i for i, ln in enumerate(lines) if norm(ln[5]).startswith(norm(first)[:40]))
    tail = norm(last)[-30:]
    text, end = "", None
    for i in range(start, len(lines)):
        text = norm(text + " " + lines[i][5])
        if tail in text:
            end = i
            break
    if end is None or lines[end][0] != lines[start][0]:
        raise SystemExit("the clause is not on one printed page; choose another contract with --contract")
    box = lines[start : end + 1]
    return box[0][0], min(b[1] for b in box), box[0][2], max(b[3] for b in box), box[-1][4]


def _crop(pdf: Path, page: int, box, out: Path) -> None:
    x0, y0, x1, y1 = box
    scale = DPI / 72
    pad = 10
    x, y = int((x0 - pad) * scale), int((y0 - pad) * scale)
    w, h = int((x1 - x0 + 2 * pad) * scale), int((y1 - y0 + 2 * pad) * scale)
    stem = out.with_suffix("")
    subprocess.run(
        [_need("pdftoppm"), "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-x", str(x), "-y", str(y),
         "-W", str(w), "-H", str(h), "-singlefile", str(pdf), str(stem)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--contract", type=Path, default=CONTRACT)
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    report = scan(args.contract, source=args.contract.name)
    facts = facts_from_contract(report.document.text)
    deal = deal_for(report, None, {k: v for k, v in PLACEHOLDERS.items() if not facts.get(k)})
    result = redline(report, build_addendum(report, deal), args.contract, author="Counsel for the Performer",
                     date="2026-01-15T09:00:00Z")  # fmt: skip
    change = next(c for c in result.changes if c.form)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        after_docx = tmp / "after.docx"
        after_docx.write_bytes(result.data)
        import docx

        before = docx.Document(io.BytesIO(result.data))
        resolve_revisions(before.element.body, "reject")  # the contract as it was, laid out the same way
        before_docx = tmp / "before.docx"
        before.save(str(before_docx))
        after_pdf, before_pdf = _to_pdf(after_docx, tmp), _to_pdf(before_docx, tmp)
        # the clause: from its first printed line to the end of the carve-out (after) / of its text (before)
        original = change.original
        first = re.sub(r"\s+", " ", original)[:60]
        page, *box_after = _span(_lines(after_pdf), first, change.inserted.rstrip("."))
        page_b, *box_before = _span(_lines(before_pdf), first, original.rstrip())
        args.out.mkdir(parents=True, exist_ok=True)
        _crop(before_pdf, page_b, box_before, args.out / "redline-before.png")
        _crop(after_pdf, page, box_after, args.out / "redline-after.png")
    for name in ("redline-before.png", "redline-after.png"):
        print("wrote", (args.out / name).relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out / name)


if __name__ == "__main__":
    main()
