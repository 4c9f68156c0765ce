"""An independent accept-all / reject-all of WordprocessingML tracked changes, for the tests.

Written from the OOXML rules (ECMA-376 Part 1, 17.13.5), not from castguard's code: accepting keeps inserted
content and drops deleted content; rejecting drops inserted content — whole paragraphs whose mark was
inserted, table rows marked inserted — and restores deleted content (w:delText becomes w:t).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _unwrap(el) -> None:
    parent = el.getparent()
    index = parent.index(el)
    for child in list(el):
        parent.insert(index, child)
        index += 1
    parent.remove(el)


def resolve(root, mode: str) -> None:
    if mode == "accept":
        for d in list(root.iter(_q("del"))):
            parent = d.getparent()
            if parent.tag == _q("rPr"):  # a deleted paragraph mark: the paragraph merges with the next
                p = parent.getparent().getparent()
                nxt = p.getnext()
                if nxt is not None and nxt.tag == _q("p"):
                    for child in [c for c in p if c.tag != _q("pPr")]:
                        nxt.insert(len(nxt.findall(_q("pPr"))), child)
                p.getparent().remove(p)
            else:
                parent.remove(d)
        for i in list(root.iter(_q("ins"))):
            if i.getparent().tag in (_q("rPr"), _q("trPr")):
                i.getparent().remove(i)
            else:
                _unwrap(i)
    else:
        for tr in list(root.iter(_q("tr"))):
            if tr.find(f"{_q('trPr')}/{_q('ins')}") is not None:
                tr.getparent().remove(tr)
        for tbl in list(root.iter(_q("tbl"))):
            if tbl.find(_q("tr")) is None:
                tbl.getparent().remove(tbl)
        for p in list(root.iter(_q("p"))):
            if p.find(f"{_q('pPr')}/{_q('rPr')}/{_q('ins')}") is not None and p.getparent() is not None:
                p.getparent().remove(p)
        for i in list(root.iter(_q("ins"))):
            i.getparent().remove(i)
        for d in list(root.iter(_q("del"))):
            if d.getparent().tag == _q("rPr"):
                d.getparent().remove(d)
            else:
                _unwrap(d)
        for t in root.iter(_q("delText")):
            t.tag = _q("t")


def transform(data: bytes, mode: str) -> bytes:
    """The .docx bytes with every tracked change accepted (mode="accept") or rejected ("reject")."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            raw = src.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(raw)
                resolve(root, mode)
                raw = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item, raw)
    return out.getvalue()
