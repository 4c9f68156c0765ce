"""Real contract files with a grant where a reader does not see it: DOCX made with python-docx (XML edited where
python-docx has no API), PDFs written by hand (text drawn white, at 1 pt, off the page), plain text hyphenated
across a line break. Shared by test_hidden_text.py."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GRANT = (
    "The Performer grants the Company the right to use the Performer's voice and likeness to train artificial "
    "intelligence models."
)
VISIBLE_PART = "The Performer grants the Company the right to use the Performer's voice and likeness"
HIDDEN_PART = " to train artificial intelligence models."

CLAUSES = [
    ("PERFORMER AGREEMENT", None),
    (
        'This Performer Agreement is made on 3 March 2025 between Northwind Pictures LLC (the "Company") and '
        'Jordan Avery (the "Performer").',
        None,
    ),
    (
        '1. Engagement. The Company engages the Performer to render acting services as the role of "Mara" in '
        'the television series "Northwind", and the Performer accepts the engagement.',
        None,
    ),
    ("2. Compensation. The Company shall pay the Performer a fee of USD 5,000 per episode.", None),
    ("3. Term. This Agreement starts on the date above and ends when principal photography is complete.", None),
]
CLOSING = [
    "5. Governing Law. This Agreement is governed by the laws of the State of New York.",
    "IN WITNESS WHEREOF the parties have signed this Agreement.",
    "Name: Jordan Avery",
]


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _rpr(run):
    rpr = run._r.find(_q("rPr"))
    if rpr is None:
        from docx.oxml import OxmlElement

        rpr = OxmlElement("w:rPr")
        run._r.insert(0, rpr)
    return rpr


def _set(run, tag: str, **attrs) -> None:
    from docx.oxml import OxmlElement

    el = OxmlElement(f"w:{tag}")
    for k, v in attrs.items():
        el.set(_q(k), v)
    _rpr(run).append(el)


def build_docx(path: Path, how: str) -> Path:
    """A short performer agreement with ``GRANT`` placed as ``how`` says:

    body, white, vanish, tiny, background (dark text on dark shading), white_on_dark (white on navy: visible),
    white_in_dark_cell (white in a table cell with solid navy shading: visible),
    partial_white (only the words "to train ..." white), style_vanish (hidden through a character style),
    header, footer, footnote, endnote, comment, text_box, none (no grant; header "CONFIDENTIAL" only).
    """
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    for text, _ in CLAUSES:
        document.add_paragraph(text)
    section = document.sections[0]
    section.header.paragraphs[0].text = "CONFIDENTIAL"
    section.footer.paragraphs[0].text = "Northwind Pictures LLC — Performer Agreement"
    lead = "4. Use of Materials. "
    if how in ("body", "white", "vanish", "tiny", "background", "white_on_dark", "style_vanish"):
        p = document.add_paragraph(lead)
        run = p.add_run(GRANT)
        if how == "white":
            _set(run, "color", val="FFFFFF")
        elif how == "vanish":
            _set(run, "vanish")
        elif how == "tiny":
            _set(run, "sz", val="2")
        elif how in ("background", "white_on_dark"):
            from docx.oxml import OxmlElement

            shd = OxmlElement("w:shd")
            shd.set(_q("val"), "clear")
            shd.set(_q("fill"), "1F3864")
            p._p.get_or_add_pPr().append(shd)
            _set(run, "color", val="1F3A62" if how == "background" else "FFFFFF")
        elif how == "style_vanish":
            style = document.styles.add_style("Fine Print", WD_STYLE_TYPE.CHARACTER)
            style.font.hidden = True
            run.style = style
    elif how == "white_in_dark_cell":  # a table heading row: white on navy, solid pattern shading
        from docx.oxml import OxmlElement

        cell = document.add_table(rows=1, cols=1).rows[0].cells[0]
        run = cell.paragraphs[0].add_run(lead + GRANT)
        _set(run, "color", val="FFFFFF")
        shd = OxmlElement("w:shd")
        shd.set(_q("val"), "solid")
        shd.set(_q("color"), "1F3864")
        shd.set(_q("fill"), "FFFFFF")
        cell._tc.get_or_add_tcPr().append(shd)
    elif how == "partial_white":
        p = document.add_paragraph(lead + VISIBLE_PART)
        run = p.add_run(HIDDEN_PART)
        _set(run, "color", val="FFFFFF")
    elif how == "header":
        section.header.add_paragraph(GRANT)
    elif how == "footer":
        section.footer.add_paragraph(GRANT)
    elif how == "comment":
        p = document.add_paragraph("4. Credit. The Performer shall receive credit in the end titles.")
        document.add_comment(p.runs, text=GRANT, author="Company counsel", initials="CC")
    elif how == "text_box":
        p = document.add_paragraph("4. Schedule. Dates are set out in the call sheet.")
        p._p.append(_text_box(GRANT))
    elif how in ("footnote", "endnote"):
        p = document.add_paragraph("4. Credit. The Performer shall receive credit in the end titles.")
        run = p.add_run()
        from docx.oxml import OxmlElement

        ref = OxmlElement(f"w:{how}Reference")
        ref.set(_q("id"), "1")
        run._r.append(ref)
    for text in CLOSING:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    data = buf.getvalue()
    if how in ("footnote", "endnote"):
        data = _add_notes(data, how, GRANT)
    path.write_bytes(data)
    return path


def _text_box(text: str):
    """A VML text box (w:pict) holding one paragraph: what older Word and LibreOffice write."""
    from lxml import etree

    xml = (
        f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        '<v:shape style="position:absolute;margin-left:300pt;margin-top:0;width:150pt;height:80pt" type="#_x0000_t202">'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox>"
        "</v:shape></w:pict></w:r>"
    )
    return etree.fromstring(xml)


def _add_notes(data: bytes, kind: str, text: str) -> bytes:
    """Adds word/{kind}s.xml (Word's two separator notes and note 1 holding ``text``) to a saved DOCX."""
    part = f"{kind}s"
    notes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{part} xmlns:w="{W}">'
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:id="1"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
        f"</w:{kind}></w:{part}>"
    )
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            raw = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                raw = raw.replace(
                    b"</Types>",
                    f'<Override PartName="/word/{part}.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                    f'wordprocessingml.{part}+xml"/></Types>'.encode(),
                )
            elif info.filename == "word/_rels/document.xml.rels":
                raw = raw.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rIdNotes9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/{part}" Target="{part}.xml"/></Relationships>'.encode(),
                )
            z.writestr(copy.copy(info), raw)
        z.writestr(f"word/{part}.xml", notes)
    return out.getvalue()


# --------------------------------------------------------------------------- PDF


def _pdf(pages: list[bytes]) -> bytes:
    """A PDF of US Letter pages, each drawn by its content stream, in Helvetica; /Im1 is a 1x1 grey image."""
    objects: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    font, image = 3 + 2 * n, 4 + 2 * n
    for i, content in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {font} 0 R >> "
            f"/XObject << /Im1 {image} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length 1 >>\nstream\n\xc0\nendstream"
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _line(
    x: float, y: float, text: str, size: float = 11, colour: str = "0 0 0", mode: int = 0, scale: float = 1
) -> bytes:
    """One line of text; with ``scale`` the font is set at size/scale and the text matrix scales it back."""
    esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    place = f"{scale:g} 0 0 {scale:g} {x:g} {y:g} Tm" if scale != 1 else f"{x:g} {y:g} Td"
    return f"BT {colour} rg {mode} Tr /F1 {size / scale:g} Tf {place} ({esc}) Tj ET\n".encode("cp1252")


def build_pdf(path: Path, how: str) -> Path:
    """The agreement as a one-page PDF with ``GRANT`` drawn as ``how`` says: body, white, tiny (1 pt),
    off_page (placed left of the page), invisible (text render mode 3), white_on_dark (white on a navy box:
    visible), scaled (11 pt made of a 1 pt font and a text matrix: visible), ocr (every line invisible over a
    page-sized image, as OCR software writes a scan's text layer: visible)."""
    lines = [t for t, _ in CLAUSES] + ["4. Use of Materials."]
    y = 740.0
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n" if how == "ocr" else b""
    body_mode = 3 if how == "ocr" else 0
    for text in lines:
        while text:  # wrap at ~95 characters
            cut = text if len(text) <= 95 else text[: text.rfind(" ", 0, 95)]
            content += _line(72, y, cut, mode=body_mode)
            text = text[len(cut) :].lstrip()
            y -= 16
    grant_lines = [GRANT[:95][: GRANT[:95].rfind(" ")], GRANT[GRANT[:95].rfind(" ") + 1 :]]
    for g in grant_lines:
        if how == "body":
            content += _line(72, y, g)
        elif how == "scaled":
            content += _line(72, y, g, scale=11)
        elif how == "ocr":
            content += _line(72, y, g, mode=3)
        elif how == "white":
            content += _line(72, y, g, colour="1 1 1")
        elif how == "tiny":
            content += _line(72, y, g, size=1)
        elif how == "off_page":
            content += _line(-900, y, g)
        elif how == "invisible":
            content += _line(72, y, g, mode=3)
        elif how == "white_on_dark":
            content = b"0.12 0.22 0.39 rg 60 %g 520 18 re f\n" % (y - 5) + content
            content += _line(72, y, g, colour="1 1 1")
        y -= 16
    for text in CLOSING:
        content += _line(72, y, text, mode=body_mode)
        y -= 16
    path.write_bytes(_pdf([content]))
    return path


# --------------------------------------------------------------------------- text


def build_text(path: Path) -> Path:
    """The agreement as hard-wrapped text with "train" hyphenated across a line break ("tr-" / "ain")."""
    lines = [t for t, _ in CLAUSES]
    lines += [
        "4. Use of Materials. The Performer grants the Company the right to use the Performer's voice and likeness to tr-",
        "ain artificial intelligence models. The Company may also use non-",
        "exclusive licensees. This is a well-",
        "known practice.",
    ]
    lines += CLOSING
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
