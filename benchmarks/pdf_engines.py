"""pdfium (what castguard reads PDFs with) against pdfplumber, both checked against poppler's pdftotext.

    python benchmarks/pdf_engines.py [--show] [--markdown FILE] [PDF ...]

Default PDFs: every PDF of ../shared/corpus (top level), tests/corpus and sample_contracts. For each page, the text of
each engine (pdfium: ``PdfTextPage.get_text_range``, as ``ingest/pdf.py`` reads it; pdfplumber:
``Page.extract_text()`` with its defaults) is compared word by word with ``pdftotext`` (reading order, not
``-layout``), the reference:

- **content**: the share of words the two texts have in common (multiset F1): is the text there at all;
- **order**: of the words they have in common, the share that come in the same order (the longest common
  subsequence over the common words): 1.0 when the engine reads the page in the reference's order; a page under
  0.98 is counted as read out of order (a paragraph, a list item or a table row away from its place).

Pages are put in bands, so the figures answer the question the dependency was kept for:

- **table**: a page where pdfplumber's own ``find_tables`` finds a table of at least 2 rows and 2 columns; the words
  inside the table's cells are also scored alone (the cells' words in each engine's order against the reference's);
- **two-column**: a page where most lines that have words on both halves leave a gutter at the middle that no word
  crosses (tables' rows excluded);
- **header/footer band**: the words in the top and bottom 8% of the page, scored alone: is the running head read
  where the reference reads it, and kept off the body text;
- **plain**: every other page.

Then each PDF is scanned end to end three times, the text of its pages coming from pdfium, from pdfplumber and from
pdftotext (the rest of castguard's reading the same: running heads, hyphenation, hidden text), and the findings
(gap id and the page and quote of its evidence) are compared. Also the time each engine takes.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")
BAND = 0.08  # top and bottom share of the page height that holds running heads
OUT_OF_ORDER = 0.98  # a page whose order score is below this has text read away from its place (a paragraph, a row)


def default_pdfs() -> list[Path]:
    shared = ROOT.parent / "shared" / "corpus"
    if not shared.is_dir():
        shared = Path("/work/shared/corpus")
    seen: dict[str, Path] = {}
    for p in sorted(shared.glob("*.pdf")) + sorted((ROOT / "tests" / "corpus").glob("*.pdf")):
        seen.setdefault(p.name, p)  # tests/corpus holds copies of some of ../shared's
    return list(seen.values()) + sorted((ROOT / "sample_contracts").glob("*.pdf"))


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def content(ref: list[str], got: list[str]) -> float:
    if not ref and not got:
        return 1.0
    common = sum((Counter(ref) & Counter(got)).values())
    return 2 * common / (len(ref) + len(got))


def order(ref: list[str], got: list[str]) -> float:
    """Of the words both have, the share in the same order (LCS over the common words)."""
    both = Counter(ref) & Counter(got)
    if not both:
        return 1.0
    a, b = sub_sequence(ref, both), sub_sequence(got, both)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lcs = sum(m.size for m in sm.get_matching_blocks())
    return lcs / len(a)


def sub_sequence(seq: list[str], vocab: Counter) -> list[str]:
    """The words of ``seq`` that belong to ``vocab`` (a region's words), in ``seq``'s order, as many as the region has."""
    left = Counter(vocab)
    out = []
    for w in seq:
        if left[w] > 0:
            left[w] -= 1
            out.append(w)
    return out


def pdftotext_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    pages = out.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdfium_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def plumber_pages(path: Path) -> tuple[list[str], list[dict]]:
    """Each page's text, and what the page holds: its tables' words, its band words, whether it has two columns."""
    import pdfplumber

    texts, info = [], []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            ws = page.extract_words()
            tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
            boxes = [t.bbox for t in tables]

            def in_box(w, boxes=boxes):
                return any(x0 - 1 <= w["x0"] and w["x1"] <= x1 + 1 and top - 1 <= w["top"] and w["bottom"] <= bottom + 1
                           for x0, top, x1, bottom in boxes)

            table_words = Counter(t for w in ws if in_box(w) for t in words(w["text"]))
            h = float(page.height)
            band_words = Counter(
                t for w in ws if w["bottom"] <= h * BAND or w["top"] >= h * (1 - BAND) for t in words(w["text"])
            )
            mid = float(page.width) / 2
            lines: dict[int, list] = {}
            for w in ws:
                if not in_box(w):
                    lines.setdefault(round(w["top"] / 3), []).append(w)
            both = split = 0
            for ln in lines.values():
                left = [w for w in ln if w["x1"] < mid]
                right = [w for w in ln if w["x0"] > mid]
                if left and right:
                    both += 1
                    crossing = any(w["x0"] <= mid + 6 and w["x1"] >= mid - 6 for w in ln)
                    gap = min(w["x0"] for w in right) - max(w["x1"] for w in left)
                    if not crossing and gap > 12:
                        split += 1
            info.append({
                "tables": len(tables),
                "table_words": table_words,
                "band_words": band_words,
                "two_column": both >= 10 and split >= 0.6 * both,
            })
    return texts, info


def _plumber_text_only(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


class _PageTexts:
    """While active, pdfium's ``get_text_range`` returns the given page texts in turn: castguard then reads another
    engine's text through its own PDF reader (running heads, hyphenation, hidden text, page offsets)."""

    def __init__(self, pages: list[str] | None):
        self.pages = pages

    @contextlib.contextmanager
    def active(self):
        import pypdfium2 as pdfium

        if self.pages is None:
            yield
            return
        queue = list(self.pages)
        original = pdfium.PdfTextPage.get_text_range

        def replaced(tp, *a, **k):
            return queue.pop(0)

        pdfium.PdfTextPage.get_text_range = replaced
        try:
            yield
        finally:
            pdfium.PdfTextPage.get_text_range = original
        if queue:
            raise RuntimeError(f"{len(queue)} page texts not read")


def findings(path: Path, pages: list[str] | None, detector) -> tuple[set, int, bool]:
    from castguard.scan import scan

    with _PageTexts(pages).active():
        report = scan(path, detector=detector)
    out = set()
    for f in report.findings:
        for e in f.evidence or [None]:
            quote = " ".join(words(e.quote))[:80] if e else ""
            out.add((f.gap, e.page if e else None, quote))
    return out, len(report.clauses), report.in_scope


def timed(fn, path: Path):
    t = time.perf_counter()
    out = fn(path)
    return out, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--show", action="store_true", help="print the words of each table as each engine orders them")
    ap.add_argument("--markdown", type=Path, help="also write the per-file table as Markdown")
    ap.add_argument("--no-scan", action="store_true", help="text comparison only")
    args = ap.parse_args(argv)
    if not shutil.which("pdftotext"):
        print("pdftotext not found: apt-get install poppler-utils", file=sys.stderr)
        return 2
    pdfs = args.pdfs or default_pdfs()
    detector = None
    if not args.no_scan:
        from castguard.scan import default_detector

        detector = default_detector()

    bands: dict[str, dict[str, list[float]]] = {}

    def score(band, engine, ref, got, weight):
        b = bands.setdefault(band, {})
        b.setdefault(engine + " content", []).append((content(ref, got), weight))
        b.setdefault(engine + " order", []).append((order(ref, got), weight))

    rows = []
    times = Counter()
    for path in pdfs:
        ref_pages, t_ref = timed(pdftotext_pages, path)
        ium_pages, t_ium = timed(pdfium_pages, path)
        (plb_pages, info), t_plb = timed(plumber_pages, path)
        times.update({"pdftotext": t_ref, "pdfium": t_ium, "pdfplumber (text + page analysis)": t_plb})
        _, t_plb_text = timed(_plumber_text_only, path)
        times["pdfplumber (extract_text only)"] += t_plb_text
        n = min(len(ref_pages), len(ium_pages), len(plb_pages))
        kinds = Counter()
        per = {"pdfium": [], "pdfplumber": []}
        for i in range(n):
            ref = words(ref_pages[i])
            page_kind = "table" if info[i]["tables"] else "two-column" if info[i]["two_column"] else "plain"
            kinds[page_kind] += 1
            for engine, pages in (("pdfium", ium_pages), ("pdfplumber", plb_pages)):
                got = words(pages[i])
                per[engine].append((content(ref, got), order(ref, got), len(ref)))
                score(page_kind + " pages", engine, ref, got, len(ref))
                score("all pages", engine, ref, got, len(ref))
                for region, vocab in (("table cells", info[i]["table_words"]), ("header/footer band", info[i]["band_words"])):
                    if sum(vocab.values()) >= 3:
                        r, g = sub_sequence(ref, vocab), sub_sequence(got, vocab)
                        score(region, engine, r, g, len(r))
                        if args.show and region == "table cells":
                            print(f"--- {path.name} p{i + 1} {region} [{engine}]: {' '.join(g)}")
            if args.show and info[i]["tables"]:
                print(f"--- {path.name} p{i + 1} table cells [pdftotext]: {' '.join(sub_sequence(ref, info[i]['table_words']))}")
        row = {
            "file": path.name,
            "pages": n,
            "kinds": ", ".join(f"{c} {k}" for k, c in sorted(kinds.items())),
        }
        for engine in per:
            row[engine + " pages out of order"] = sum(1 for x in per[engine] if x[1] < OUT_OF_ORDER)
        for engine in per:
            w = sum(x[2] for x in per[engine]) or 1
            row[engine + " content"] = sum(x[0] * x[2] for x in per[engine]) / w
            row[engine + " order"] = sum(x[1] * x[2] for x in per[engine]) / w
        if detector is not None:
            f_ref, c_ref, s_ref = findings(path, ref_pages, detector)
            f_ium, c_ium, s_ium = findings(path, None, detector)
            f_plb, c_plb, s_plb = findings(path, plb_pages, detector)
            row["findings pdftotext/pdfium/pdfplumber"] = f"{len(f_ref)}/{len(f_ium)}/{len(f_plb)}"
            row["clauses"] = f"{c_ref}/{c_ium}/{c_plb}"
            row["pdfium = pdftotext"] = "yes" if f_ium == f_ref else f"{len(f_ium ^ f_ref)} differ"
            row["pdfplumber = pdftotext"] = "yes" if f_plb == f_ref else f"{len(f_plb ^ f_ref)} differ"
            for name, got in (("pdfium", f_ium), ("pdfplumber", f_plb)):
                for item in sorted(got ^ f_ref, key=str):
                    side = f"with {name}, not with pdftotext" if item in got else f"with pdftotext, not with {name}"
                    print(f"  {path.name}: finding {side}: {item}", file=sys.stderr)
        rows.append(row)

    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols) + " |")
    lines += ["", "| band (words weighted) | pdfium content | pdfium order | pdfplumber content | pdfplumber order |",
              "|---|---|---|---|---|"]
    for band in ("all pages", "plain pages", "table pages", "two-column pages", "table cells", "header/footer band"):
        if band not in bands:
            lines.append(f"| {band} | none in these PDFs | | | |")
            continue
        b = bands[band]
        cells = []
        for key in ("pdfium content", "pdfium order", "pdfplumber content", "pdfplumber order"):
            vals = b[key]
            w = sum(v[1] for v in vals) or 1
            cells.append(f"{sum(v[0] * v[1] for v in vals) / w:.3f}")
        n_units = len(b["pdfium content"])
        lines.append(f"| {band} ({n_units}) | " + " | ".join(cells) + " |")
    total_pages = sum(r["pages"] for r in rows)
    lines += ["", f"time for {len(rows)} PDFs, {total_pages} pages: "
              + ", ".join(f"{k} {v:.2f} s ({1000 * v / total_pages:.0f} ms/page)" for k, v in times.items())]
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
