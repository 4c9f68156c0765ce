"""Word DOCX -> Document fields.

Reads the main body only (headers, footers, comments and footnotes live in other
parts and are left out), paragraphs and table cells in reading order. Word's
automatic list numbering is not part of a paragraph's text, so it is computed
here from numbering.xml the way Word renders it ("1.", "1.1", "(a)") and kept as
the block's label. Tracked changes are read as accepted by default.

``paragraph_index`` is the position of the paragraph among all ``w:p`` elements
of the body in document order (``body.iter(w:p)``), the handle the redline stage uses.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..errors import InputError
from ..segment.numbering import int_to_roman
from ._assemble import Piece, assemble

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(_q(tag))
    return None if child is None else child.get(_q("val"))


# --------------------------------------------------------------------------- numbering


def _letter(n: int) -> str:
    # Word repeats the letter after z: aa, bb, ...
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter",):
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return int_to_roman(n)
    if fmt == "upperRoman":
        return int_to_roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


class Numbering:
    """Computes the list label Word shows for each numbered paragraph."""

    def __init__(self, numbering_root, styles_root):
        self.levels: dict[str, dict[int, dict]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started_nums: set[str] = set()
        if numbering_root is not None:
            self._load_numbering(numbering_root)
        if styles_root is not None:
            self._load_styles(styles_root)

    def _load_numbering(self, root) -> None:
        for absn in root.findall(_q("abstractNum")):
            aid = absn.get(_q("abstractNumId"))
            levels = {}
            for lvl in absn.findall(_q("lvl")):
                ilvl = int(lvl.get(_q("ilvl"), "0"))
                levels[ilvl] = {
                    "start": int(_val(lvl, "start") or 1),
                    "fmt": _val(lvl, "numFmt") or "decimal",
                    "text": _val(lvl, "lvlText") or "",
                    "legal": lvl.find(_q("isLgl")) is not None,
                }
            self.levels[aid] = levels
        for num in root.findall(_q("num")):
            nid = num.get(_q("numId"))
            aid = _val(num, "abstractNumId")
            overrides = {}
            for ov in num.findall(_q("lvlOverride")):
                start = ov.find(_q("startOverride"))
                if start is not None:
                    overrides[int(ov.get(_q("ilvl"), "0"))] = int(start.get(_q("val"), "1"))
            self.nums[nid] = (aid, overrides)

    def _load_styles(self, root) -> None:
        raw: dict[str, tuple[str | None, int | None, str | None]] = {}
        for style in root.findall(_q("style")):
            sid = style.get(_q("styleId"))
            ppr = style.find(_q("pPr"))
            numpr = ppr.find(_q("numPr")) if ppr is not None else None
            num_id = _val(numpr, "numId") if numpr is not None else None
            ilvl = _val(numpr, "ilvl") if numpr is not None else None
            raw[sid] = (num_id, int(ilvl) if ilvl is not None else None, _val(style, "basedOn"))
        for sid in raw:
            seen, cur = set(), sid
            num_id, ilvl = None, None
            while cur in raw and cur not in seen:
                seen.add(cur)
                n, lv, based = raw[cur]
                num_id = num_id or n
                ilvl = ilvl if ilvl is not None else lv
                cur = based
            if num_id:
                self.style_numpr[sid] = (num_id, ilvl)

    def label_for(self, p) -> str | None:
        ppr = p.find(_q("pPr"))
        num_id, ilvl = None, None
        if ppr is not None:
            numpr = ppr.find(_q("numPr"))
            if numpr is not None:
                num_id = _val(numpr, "numId")
                lv = _val(numpr, "ilvl")
                ilvl = int(lv) if lv is not None else None
            style_id = _val(ppr, "pStyle")
            if style_id in self.style_numpr:
                s_num, s_lvl = self.style_numpr[style_id]
                num_id = num_id or s_num
                ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        ilvl = ilvl or 0
        aid, overrides = self.nums[num_id]
        levels = self.levels.get(aid, {})
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.started_nums:
            self.started_nums.add(num_id)
            for lv, start in overrides.items():
                counters[lv] = start - 1
        lvl = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, lvl["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if lvl["fmt"] == "bullet":
            return None
        fmt_legal = lvl["legal"]

        def repl(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            level = levels.get(k, {"start": 1, "fmt": "decimal"})
            value = counters.get(k, level["start"])
            return format_number(value, "decimal" if fmt_legal else level["fmt"])

        label = re.sub(r"%(\d)", repl, lvl["text"]).strip()
        return label or None


# --------------------------------------------------------------------------- text


def _paragraph_text(p, reject: bool = False) -> str:
    """Visible text of one paragraph with tracked changes accepted (insertions kept, deletions dropped), or
    with ``reject`` the text before them (insertions dropped, deleted text kept)."""
    out: list[str] = []
    hidden = (_q("p"), _q("ins"), _q("moveTo")) if reject else (_q("p"), _q("del"), _q("moveFrom"))
    tags = (_q("t"), _q("tab"), _q("br"), _q("cr"), _q("noBreakHyphen"), _q("softHyphen"))
    if reject:
        tags += (_q("delText"),)
    for el in p.iter(*tags):
        # skip text that belongs to a nested paragraph (text box) or to a deleted/moved-away run
        anc = el.getparent()
        skip = False
        while anc is not None and anc is not p:
            tag = anc.tag
            if tag in hidden or tag == f"{{{MC}}}Fallback":
                skip = True
                break
            anc = anc.getparent()
        if skip:
            continue
        tag = el.tag
        if tag in (_q("t"), _q("delText")):
            out.append(el.text or "")
        elif tag == _q("tab"):
            out.append("\t")
        elif tag in (_q("br"), _q("cr")):
            out.append(" ")
        elif tag == _q("noBreakHyphen"):
            out.append("-")
    return "".join(out).replace("\u00a0", " ")


def _is_heading(p, text: str, styles: dict[str, str]) -> bool:
    style_id = _val(p.find(_q("pPr")), "pStyle") or ""
    name = styles.get(style_id, style_id).lower()
    if name.startswith("heading") or name == "title" or name.startswith("subtitle"):
        return True
    if not text.strip() or len(text) > 120:
        return False
    runs = [r for r in p.findall(_q("r")) if "".join(t.text or "" for t in r.findall(_q("t"))).strip()]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(_q("rPr"))
        b = rpr.find(_q("b")) if rpr is not None else None
        if b is None or b.get(_q("val")) in ("0", "false"):
            return False
    return True


def read_docx(data: bytes, source: str, *, on_revisions: str = "accept") -> dict:
    from lxml import etree

    def parse_part(zf: zipfile.ZipFile, name: str):
        try:
            raw = zf.read(name)
        except KeyError:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
        return etree.fromstring(raw, parser)

    document = numbering_root = styles_root = None
    try:
        import docx  # python-docx opens the package and parses with entities disabled

        wdoc = docx.Document(io.BytesIO(data))
        document = wdoc.element
        styles_root = wdoc.styles.element
        try:
            numbering_root = wdoc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            numbering_root = None
    except Exception:  # python-docx refuses some valid variants (e.g. macro-enabled); read the XML directly
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                document = parse_part(zf, "word/document.xml")
                numbering_root = parse_part(zf, "word/numbering.xml")
                styles_root = parse_part(zf, "word/styles.xml")
        except etree.XMLSyntaxError as exc:
            if "entit" in str(exc).lower() or "amplification" in str(exc).lower():
                raise InputError(
                    "the Word document declares XML entities that would expand enormously (an entity bomb); "
                    "refused without expanding them",
                    path=source,
                ) from None
            raise InputError(
                f"the Word document is damaged and cannot be read ({exc}); re-save it from Word or LibreOffice",
                path=source,
            ) from None
        except (zipfile.BadZipFile, OSError, ValueError, zlib.error) as exc:  # zlib: a corrupt deflate stream
            raise InputError(
                f"the Word document is damaged and cannot be read ({exc}); re-save it from Word or LibreOffice",
                path=source,
            ) from None
    if document is None:
        raise InputError("the Word document has no main body (word/document.xml)", path=source)
    body = document.find(_q("body"))
    if body is None:
        raise InputError("the Word document has an empty body; nothing to analyse", path=source)

    style_names: dict[str, str] = {}
    if styles_root is not None:
        for style in styles_root.findall(_q("style")):
            style_names[style.get(_q("styleId"))] = _val(style, "name") or ""
    numbering = Numbering(numbering_root, styles_root)

    warnings: list[str] = []
    reject = on_revisions == "reject"
    if body.find(f".//{_q('ins')}") is not None or body.find(f".//{_q('del')}") is not None:
        how = (
            "rejected (--on-revisions reject)"
            if reject
            else "accepted (--on-revisions reject reads the text before them)"
        )
        warnings.append(f"{source}: contains tracked changes; read as if all were {how}")
    if body.find(f".//{_q('commentRangeStart')}") is not None or body.find(f".//{_q('commentReference')}") is not None:
        warnings.append(f"{source}: contains comments; they are not part of the contract text and were ignored")

    pieces: list[Piece] = []
    for index, p in enumerate(body.iter(_q("p"))):
        if any(a.tag == f"{{{MC}}}Fallback" for a in p.iterancestors()):
            continue
        text = _paragraph_text(p, reject).strip()
        label = numbering.label_for(p)
        if not text:
            continue
        in_table = any(a.tag == _q("tc") for a in p.iterancestors())
        pieces.append(
            Piece(
                text=text,
                paragraph_index=index,
                label=label,
                heading_hint=_is_heading(p, text, style_names),
                in_table=in_table,
            )
        )
    fields = assemble(pieces)
    fields["warnings"] = warnings
    fields["pages"] = None
    return fields
