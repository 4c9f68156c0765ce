"""Rebuild the generated sample contracts (DOCX and PDF) from their text sources.

Run from the repository root:

    python sample_contracts/src/build_samples.py            # DOCX and PDF
    python sample_contracts/src/build_samples.py --no-pdf   # skip the LibreOffice step

Outputs (written to sample_contracts/):
    voiceover_brightwave.docx        automatic multi-level Word numbering, header, footer, table
    athlete_endorsement_kestrel.docx typed (manual) numbering, header, footer
    film_actor_harborlight.pdf       DOCX built in a temporary folder, converted by LibreOffice
                                     (`soffice --headless --convert-to pdf`); the DOCX is discarded

The .txt and .md samples are hand-written and are not generated.

Requires python-docx; the PDF step also requires LibreOffice (`soffice`) on PATH.
DOCX output is byte-for-byte reproducible (fixed core properties and zip timestamps); the PDF
is not, because LibreOffice stamps a creation date and document id into it.

Source markup (files `src/*.txt.in`), one block per line, blank lines ignored:
    % text          comment, ignored
    # text          title line (centred, bold)
    ^ text          centred plain line
    ! text          notice (bold, italic), used for the "FICTIONAL SAMPLE" line
    ## text         unnumbered heading (Word style "Heading 2")
    | text          "tight" line with no space after it (address and signature blocks);
                    consecutive | lines form one block
    [1] text        automatically numbered heading, level 0, shown as "1." (style "Heading 1")
    [2] text        automatically numbered clause, level 1, shown as "1.1"
    [3] text        automatically numbered sub-clause, level 2, shown as "(a)"
    [table] ... [/table]
                    table; one row per line, cells separated by "|", first row is the header
    [signatures] ... [/signatures]
                    side-by-side signature blocks: a borderless table, cells separated by "|"
    anything else   a body paragraph
Inside any line, **text** is bold (used for defined terms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

try:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Inches, Mm, Pt, RGBColor
except ImportError:  # pragma: no cover - environment problem, reported plainly
    sys.exit(
        "build_samples: python-docx is not installed. "
        "Install it with `.venv/bin/pip install python-docx` and re-run."
    )

SRC_DIR = Path(__file__).resolve().parent
OUT_DIR = SRC_DIR.parent

FIXED_TIME = dt.datetime(2024, 11, 1, 12, 0, 0)
ZIP_TIME = (2024, 11, 1, 12, 0, 0)
BODY_FONT = "Times New Roman"  # LibreOffice substitutes the metric-compatible Liberation Serif


# --------------------------------------------------------------------------- source parsing


@dataclass
class Block:
    kind: str  # title | center | notice | heading | tight | para | num | table | signatures
    text: str = ""
    level: int = 0
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def parse_source(path: Path) -> list[Block]:
    blocks: list[Block] = []
    in_table: Block | None = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        if in_table is not None:
            if line.strip() == f"[/{in_table.kind}]":
                blocks.append(in_table)
                in_table = None
            elif line.strip():
                in_table.rows.append([c.strip() for c in line.split("|")])
            continue
        if not line.strip() or line.startswith("%"):
            if blocks and blocks[-1].kind == "tight" and not line.startswith("%"):
                blocks.append(Block("break"))  # a blank line ends a tight block
            continue
        if line.strip() in ("[table]", "[signatures]"):
            in_table = Block(line.strip()[1:-1])
            continue
        m = re.match(r"^\[(\d)\] (.*)$", line)
        if m:
            blocks.append(Block("num", m.group(2), level=int(m.group(1)) - 1))
        elif line.startswith("## "):
            blocks.append(Block("heading", line[3:]))
        elif line.startswith("# "):
            blocks.append(Block("title", line[2:]))
        elif line.startswith("^ "):
            blocks.append(Block("center", line[2:]))
        elif line.startswith("! "):
            blocks.append(Block("notice", line[2:]))
        elif line.startswith("| ") or line == "|":
            text = line[2:]
            if blocks and blocks[-1].kind == "tight":
                blocks[-1].lines.append(text)
            else:
                blocks.append(Block("tight", lines=[text]))
        else:
            blocks.append(Block("para", line))
    if in_table is not None:
        raise SystemExit(f"build_samples: {path}: [{in_table.kind}] opened but never closed")
    return [b for b in blocks if b.kind != "break"]


# --------------------------------------------------------------------------- docx helpers


def add_runs(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None):
    """Add text to a paragraph, turning **x** into bold runs."""
    for i, part in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        if not part:
            continue
        run = paragraph.add_run(part)
        # None (not False) lets the paragraph style decide, so Heading styles stay bold.
        run.bold = True if (bold or i % 2 == 1) else None
        run.italic = True if italic else None
        if size:
            run.font.size = Pt(size)


def add_field(paragraph, instr: str, placeholder: str = "1", size: float | None = None) -> None:
    """Append a simple field (w:fldSimple), e.g. PAGE or NUMPAGES, to a paragraph."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    if size:
        rpr = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        rpr.append(sz)
        run.append(rpr)
    t = OxmlElement("w:t")
    t.text = placeholder
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def set_style_font(style, name: str, size: float, bold: bool | None = None) -> None:
    """Give a style a fixed font, removing theme-font attributes that would override it."""
    style.font.name = name
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:eastAsia"), name)
        rfonts.set(qn("w:cs"), name)


def prepare_styles(doc) -> None:
    normal = doc.styles["Normal"]
    set_style_font(normal, BODY_FONT, 10.5)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.0
    for name, size in (("Heading 1", 11), ("Heading 2", 10.5)):
        st = doc.styles[name]
        set_style_font(st, BODY_FONT, size, bold=True)
        st.font.italic = False
        st.paragraph_format.space_before = Pt(8)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    set_style_font(title, BODY_FONT, 15, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(2)
    ppr = title.element.pPr
    if ppr is not None:  # the default template draws a rule under Title; a contract does not
        for bdr in ppr.findall(qn("w:pBdr")):
            ppr.remove(bdr)


def add_multilevel_numbering(doc) -> int:
    """Define a legal-style multi-level list ("1." / "1.1" / "(a)") and return its w:numId."""
    numbering = doc.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=-1) + 1
    num_id = max(num_ids, default=0) + 1
    levels = [
        # ilvl, format, text, left indent, hanging (twips)
        (0, "decimal", "%1.", 567, 567),
        (1, "decimal", "%1.%2", 567, 567),
        (2, "lowerLetter", "(%3)", 1134, 567),
    ]
    lvl_xml = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
        f'<w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        for ilvl, fmt, text, left, hanging in levels
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvl_xml}</w:abstractNum>'
    )
    # Schema order: every w:abstractNum must precede the first w:num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    numbering.append(num)
    return num_id


def set_numbering(paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def add_table(doc, rows: list[list[str]], *, signatures: bool = False) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    if not signatures:
        table.style = doc.styles["Table Grid"]
    for r, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise SystemExit(f"build_samples: table row {r + 1} has {len(row)} cells, expected {len(rows[0])}")
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0 if signatures else 2)
            add_runs(para, text, bold=(r == 0 and not signatures), size=None if signatures else 10)
    if not signatures:
        doc.add_paragraph()  # breathing room after the table


@dataclass
class DocSpec:
    source: str
    title: str
    header: str
    footer_prefix: str
    with_numpages: bool
    page: str  # "letter" or "a4"


def build_docx(spec: DocSpec, out_path: Path) -> None:
    blocks = parse_source(SRC_DIR / spec.source)
    doc = Document()
    prepare_styles(doc)

    section = doc.sections[0]
    if spec.page == "a4":
        section.page_width, section.page_height = Mm(210), Mm(297)
    else:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.9))
    section.header_distance = section.footer_distance = Inches(0.45)

    header_p = section.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_runs(header_p, spec.header, size=9)
    footer_p = section.footer.paragraphs[0]
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_runs(footer_p, spec.footer_prefix + "Page ", size=9)
    add_field(footer_p, "PAGE", size=9)
    if spec.with_numpages:
        add_runs(footer_p, " of ", size=9)
        add_field(footer_p, "NUMPAGES", size=9)

    num_id = add_multilevel_numbering(doc) if any(b.kind == "num" for b in blocks) else None

    for b in blocks:
        if b.kind == "title":
            p = doc.add_paragraph(style="Title")
            add_runs(p, b.text)
        elif b.kind == "center":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_runs(p, b.text)
        elif b.kind == "notice":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.space_after = Pt(10)
            add_runs(p, b.text, bold=True, italic=True, size=10)
        elif b.kind == "heading":
            p = doc.add_paragraph(style="Heading 2")
            add_runs(p, b.text)
        elif b.kind == "num":
            style = "Heading 1" if b.level == 0 else "Normal"
            p = doc.add_paragraph(style=style)
            set_numbering(p, num_id, b.level)
            if b.level:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            add_runs(p, b.text)
        elif b.kind == "tight":
            for i, line in enumerate(b.lines):
                p = doc.add_paragraph()
                p.paragraph_format.space_after = Pt(0) if i < len(b.lines) - 1 else Pt(8)
                p.paragraph_format.keep_with_next = i < len(b.lines) - 1
                add_runs(p, line)
        elif b.kind in ("table", "signatures"):
            add_table(doc, b.rows, signatures=(b.kind == "signatures"))
        elif b.kind == "para":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            add_runs(p, b.text)
        else:  # pragma: no cover - parse_source only emits the kinds above
            raise AssertionError(b.kind)

    props = doc.core_properties
    props.title = spec.title
    props.author = props.last_modified_by = "castguard team"
    props.comments = "FICTIONAL SAMPLE for demonstration and testing. Not a real agreement. Not legal advice."
    props.created = props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    doc.save(out_path)
    normalize_zip(out_path)


def normalize_zip(path: Path) -> None:
    """Rewrite a DOCX with fixed member timestamps so rebuilding gives identical bytes."""
    with zipfile.ZipFile(path) as zin:
        members = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    tmp.replace(path)


def docx_to_pdf(docx_path: Path, out_pdf: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit(
            "build_samples: LibreOffice (soffice) is not on PATH, so the PDF sample cannot be built. "
            "Install it (apt-get install libreoffice-writer) or re-run with --no-pdf."
        )
    with tempfile.TemporaryDirectory(prefix="castguard_lo_") as tmp:
        profile = Path(tmp, "profile").as_uri()
        cmd = [
            soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", tmp, str(docx_path),
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        produced = Path(tmp, docx_path.stem + ".pdf")
        if result.returncode != 0 or not produced.exists():
            raise SystemExit(
                f"build_samples: LibreOffice failed to convert {docx_path.name} "
                f"(exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
            )
        shutil.move(str(produced), out_pdf)


# --------------------------------------------------------------------------- the samples

VOICEOVER = DocSpec(
    source="voiceover_brightwave.txt.in",
    title="Voice-Over Services Agreement (fictional sample)",
    header="BrightWave Audio Ltd \u2014 Voice-Over Services Agreement \u2014 Ref. BW-VO-2024-117",
    footer_prefix="Confidential | BrightWave Audio Ltd, registered in England and Wales no. 10473829 | ",
    with_numpages=True,
    page="a4",
)
ATHLETE = DocSpec(
    source="athlete_endorsement_kestrel.txt.in",
    title="Endorsement Agreement (fictional sample)",
    header="KESTREL ATHLETICS, INC. \u2014 ENDORSEMENT AGREEMENT \u2014 T. ODUYA",
    footer_prefix="Kestrel Confidential \u2014 ",
    with_numpages=False,
    page="letter",
)
FILM = DocSpec(
    source="film_actor_harborlight.txt.in",
    title="Performer Agreement (fictional sample)",
    header="Harbor Light Pictures \u2014 Performer Agreement \u2014 CONFIDENTIAL",
    footer_prefix="",
    with_numpages=True,
    page="letter",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice PDF conversion")
    args = parser.parse_args(argv)

    build_docx(VOICEOVER, OUT_DIR / "voiceover_brightwave.docx")
    print(f"wrote {OUT_DIR / 'voiceover_brightwave.docx'}")
    build_docx(ATHLETE, OUT_DIR / "athlete_endorsement_kestrel.docx")
    print(f"wrote {OUT_DIR / 'athlete_endorsement_kestrel.docx'}")
    if not args.no_pdf:
        with tempfile.TemporaryDirectory(prefix="castguard_film_") as tmp:
            docx_path = Path(tmp, "film_actor_harborlight.docx")
            build_docx(FILM, docx_path)
            docx_to_pdf(docx_path, OUT_DIR / "film_actor_harborlight.pdf")
        print(f"wrote {OUT_DIR / 'film_actor_harborlight.pdf'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
