"""Word DOCX -> Document fields.

Reads the main body, paragraphs, table cells and text boxes in reading order, then the
other parts a reader of the document may see: headers, footers, footnotes, endnotes and
comments, each block marked with its ``location`` (a header repeated in several sections
is read once). Text Word does not show — vanished, white or the colour of its background,
under 2 pt — is read like any other and recorded in ``hidden`` with the reason, so the
report can say that a clause is hidden. Word's
automatic list numbering is not part of a paragraph's text, so it is computed
here from numbering.xml the way Word renders it ("1.", "1.1", "(a)") and kept as
the block's label. Tracked changes are read as accepted by default.

``paragraph_index`` is the position of the paragraph among all ``w:p`` elements
of the body in document order (``body.iter(w:p)``), the handle the redline stage uses.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from typing import TYPE_CHECKING

from ..errors import InputError
from ..numerals import int_to_roman
from ._assemble import Piece, assemble

if TYPE_CHECKING:
    from lxml.etree import _Element

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


_W = f"{{{W}}}"
_VAL = f"{{{W}}}val"


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
        # ids are None where the document leaves the attribute out
        self.levels: dict[str | None, dict[int, dict]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str | None, tuple[str | None, dict[int, int]]] = {}  # numId -> (abstractNumId, overrides)
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str | None, dict[int, int]] = {}
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
            style_num = _val(numpr, "numId") if numpr is not None else None
            style_ilvl = _val(numpr, "ilvl") if numpr is not None else None
            raw[sid] = (style_num, int(style_ilvl) if style_ilvl is not None else None, _val(style, "basedOn"))
        for sid in raw:
            seen = set()
            cur: str | None = sid
            num_id: str | None = None
            ilvl: int | None = None
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
        num_id: str | None = None
        ilvl: int | None = None
        if ppr is not None:
            numpr = ppr.find(_q("numPr"))
            if numpr is not None:
                num_id = _val(numpr, "numId")
                raw_ilvl = _val(numpr, "ilvl")
                ilvl = int(raw_ilvl) if raw_ilvl is not None else None
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


def _paragraph_text(p, reject: bool = False, look: "_Look | None" = None) -> tuple[str, list[tuple[int, int, str]]]:
    """Visible text of one paragraph with tracked changes accepted (insertions kept, deletions dropped), or
    with ``reject`` the text before them (insertions dropped, deleted text kept); and, with ``look``, the
    stretches of that text Word does not show a reader, as ``(start, end, reason)``."""
    out: list[str] = []
    hidden: list[tuple[int, int, str]] = []
    pos = 0
    reasons: dict[int, str | None] = {}
    skip_tags = (_q("p"), _q("ins"), _q("moveTo")) if reject else (_q("p"), _q("del"), _q("moveFrom"))
    tags: tuple[str, ...] = (_q("t"), _q("tab"), _q("br"), _q("cr"), _q("noBreakHyphen"), _q("softHyphen"))
    if reject:
        tags += (_q("delText"),)
    for el in p.iter(*tags):
        # skip text that belongs to a nested paragraph (text box) or to a deleted/moved-away run
        anc = el.getparent()
        skip = False
        while anc is not None and anc is not p:
            tag = anc.tag
            if tag in skip_tags or tag == f"{{{MC}}}Fallback":
                skip = True
                break
            anc = anc.getparent()
        if skip:
            continue
        tag = el.tag
        if tag in (_q("t"), _q("delText")):
            piece = el.text or ""
        elif tag == _q("tab"):
            piece = "\t"
        elif tag in (_q("br"), _q("cr")):
            piece = " "
        elif tag == _q("noBreakHyphen"):
            piece = "-"
        else:
            continue
        out.append(piece)
        if look is not None and piece:
            run = el.getparent()
            key = id(run)
            if key not in reasons:
                reasons[key] = look.reason(run, p) if run is not None and run.tag == _q("r") else None
            reason = reasons[key]
            if reason:
                if hidden and hidden[-1][1] == pos and hidden[-1][2] == reason:
                    hidden[-1] = (hidden[-1][0], pos + len(piece), reason)
                else:
                    hidden.append((pos, pos + len(piece), reason))
        pos += len(piece)
    return "".join(out).replace("\u00a0", " "), hidden


def _stripped(text: str, hidden: list[tuple[int, int, str]]) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """``text.strip()`` with its hidden ranges moved and clipped to match."""
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    moved = []
    for s, e, reason in hidden:
        s, e = max(0, s - lead), min(len(body), e - lead)
        if e > s:
            moved.append((s, e, reason))
    return body, tuple(moved)


# --------------------------------------------------------------------------- what Word does not show

_OFF = ("0", "false", "off", "none")
_VANISHED = "text formatted as hidden"
_TINY = "text under 2 pt"
_WHITE = "white text"
_SAME = "text the same colour as its background"
_HIGHLIGHT = {  # w:highlight names -> RGB
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF", "red": "FF0000",
    "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
    "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip


def _rgb(value: str | None) -> tuple[int, int, int] | None:
    if not value or len(value) != 6:
        return None
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return None


def _close(a: tuple[int, int, int], b: tuple[int, int, int], within: int = 24) -> bool:
    return all(abs(x - y) <= within for x, y in zip(a, b))


def _shading(shd) -> str | None:
    """The colour a w:shd paints behind text: its fill, or its pattern colour when the pattern is solid."""
    if shd is None:
        return None
    if (shd.get(_q("val")) or "").lower() == "solid":
        colour = (shd.get(_q("color")) or "auto").upper()
        return "000000" if colour == "AUTO" else colour
    fill = (shd.get(_q("fill")) or "auto").upper()
    return None if fill == "AUTO" else fill


def _on(el) -> bool:
    return el is not None and (el.get(_q("val")) or "true").lower() not in _OFF


class _Look:
    """What a run looks like in Word, enough to tell whether a reader sees it: vanished, font size, colour and
    the background behind it, from direct formatting, the run's character style, the paragraph's style (each
    with what it is based on) and the document defaults. Word's toggle semantics for styles are not modelled."""

    def __init__(self, styles_root, page_colour: str | None = None):
        self.elements: dict[str, _Element] = {}  # style id -> w:style, read when a run or paragraph uses it
        self.cache: dict[str, dict] = {}
        self._para: tuple[object, dict] | None = None  # the paragraph last asked about, and its look
        self.defaults: dict = {}
        self.page = _rgb(page_colour) or (255, 255, 255)
        if styles_root is not None:
            self.elements = {st.get(_q("styleId")): st for st in styles_root.iterchildren(_q("style"))}
            rpr = styles_root.find(f"{_q('docDefaults')}/{_q('rPrDefault')}/{_q('rPr')}")
            self.defaults = self._props(rpr)

    @staticmethod
    def _props(rpr, ppr=None) -> dict:
        """The properties that decide visibility, read in one pass over the run properties' children."""
        out: dict = {}
        if rpr is not None:
            for el in rpr:
                tag = el.tag
                if not isinstance(tag, str) or not tag.startswith(_W):
                    continue
                name = tag[len(_W) :]
                if name in ("vanish", "specVanish"):
                    out["vanish"] = _on(el)
                elif name == "sz":
                    val = el.get(_VAL) or ""
                    if val.isdigit():
                        out["sz"] = int(val)
                elif name == "color":
                    theme = (el.get(_q("themeColor")) or "").lower()
                    out["color"] = "FFFFFF" if theme in ("background1", "light1") else (el.get(_VAL) or "").upper()
                elif name == "shd":
                    shading = _shading(el)
                    if shading and "highlight" not in out:
                        out["bg"] = shading
                elif name == "highlight" and el.get(_VAL) in _HIGHLIGHT:
                    out["bg"] = _HIGHLIGHT[el.get(_VAL)]
                    out["highlight"] = True
            out.pop("highlight", None)
        if ppr is not None:
            shading = _shading(ppr.find(_q("shd")))
            if shading:
                out["pbg"] = shading
        return out

    def style(self, sid: str | None) -> dict:
        """The visibility properties a style gives, with those of the styles it is based on (cached)."""
        if not sid or sid not in self.elements:
            return {}
        if sid not in self.cache:
            self.cache[sid] = {}  # a style based on itself stops here
            chain: list[_Element] = []
            cur: str | None = sid
            seen = set()
            while cur in self.elements and cur not in seen:
                seen.add(cur)
                chain.append(self.elements[cur])
                cur = _val(self.elements[cur], "basedOn")
            merged: dict = {}
            for style in reversed(chain):
                merged.update(self._props(style.find(_q("rPr")), style.find(_q("pPr"))))
            self.cache[sid] = merged
        return self.cache[sid]

    def reason(self, run, p) -> str | None:
        if self._para is None or self._para[0] is not p:  # what the paragraph gives all its runs, once
            ppr = p.find(_q("pPr"))
            base = dict(self.defaults)
            base.update(self.style(_val(ppr, "pStyle")))
            base.update(self._props(None, ppr))
            self._para = (p, base)
        look = self._para[1]
        rpr = run.find(_q("rPr"))
        if rpr is not None:
            look = dict(look)
            look.update(self.style(_val(rpr, "rStyle")))
            look.update(self._props(rpr))
        if look.get("vanish"):
            return _VANISHED
        if look.get("sz") is not None and look["sz"] < 4:  # half-points
            return _TINY
        colour = _rgb(look.get("color"))
        if colour is None:
            return None
        background = _rgb(look.get("bg") or look.get("pbg") or self._cell_fill(p)) or self.page
        if not _close(colour, background):
            return None
        return _WHITE if min(colour) >= 0xF0 else _SAME

    @staticmethod
    def _cell_fill(p) -> str | None:
        for anc in p.iterancestors(_q("tc")):
            return _shading(anc.find(f"{_q('tcPr')}/{_q('shd')}"))
        return None


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
    main_part = "word/document.xml"
    try:
        import docx  # python-docx opens the package and parses with entities disabled

        wdoc = docx.Document(io.BytesIO(data))
        main_part = str(wdoc.part.partname).lstrip("/")
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
    background = document.find(_q("background"))
    look = _Look(styles_root, background.get(_q("color")) if background is not None else None)

    pieces: list[Piece] = []
    boxes: dict[int, str] = {}  # id of a w:txbxContent -> its name among the document's text boxes
    for index, p in enumerate(body.iter(_q("p"))):
        if any(a.tag == f"{{{MC}}}Fallback" for a in p.iterancestors()):
            continue
        text, hidden = _stripped(*_paragraph_text(p, reject, look))
        label = numbering.label_for(p)
        if not text:
            continue
        in_table = any(a.tag == _q("tc") for a in p.iterancestors())
        box = next(p.iterancestors(_q("txbxContent")), None)
        pieces.append(
            Piece(
                text=text,
                paragraph_index=index,
                label=label,
                heading_hint=_is_heading(p, text, style_names),
                in_table=in_table,
                location="text box" if box is not None else "body",
                part=boxes.setdefault(id(box), f"text box {len(boxes) + 1}") if box is not None else None,
                hidden=hidden,
            )
        )
    pieces += _other_parts(data, main_part, parse_part, reject, look, numbering, style_names, source, warnings)
    if any(pc.location == "comment" for pc in pieces):
        warnings.append(
            f"{source}: contains comments; they are shown after the contract's text but not analysed (a comment "
            "is not a term of the agreement)"
        )
    reasons = sorted({r for pc in pieces for _, _, r in pc.hidden})
    if reasons:
        warnings.append(
            f"{source}: contains text Word does not show ({', '.join(reasons)}); it was read like the rest, "
            "and a finding in it says that the clause is hidden"
        )
    fields = assemble(pieces)
    fields["warnings"] = warnings
    fields["pages"] = None
    return fields


# --------------------------------------------------------------------------- the other parts a reader sees

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_PART_TYPES = ("header", "footer", "footnotes", "endnotes", "comments")  # in the order they are read
_NOTE_TYPES = {
    "footnotes": ("footnote", "footnote"),
    "endnotes": ("endnote", "endnote"),
    "comments": ("comment", "comment"),
}


def _natural(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


def _related_parts(zf: zipfile.ZipFile, parse_part, main_part: str) -> list[tuple[str, str]]:
    """``(kind, part name)`` of the headers, footers, footnotes, endnotes and comments the main part refers to."""
    folder, name = posixpath.split(main_part)
    rels = parse_part(zf, posixpath.join(folder, "_rels", name + ".rels"))
    if rels is None:
        return []
    found = []
    for rel in rels.iter(f"{{{_REL_NS}}}Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind not in _PART_TYPES or rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((kind, path))
    found = sorted(set(found), key=lambda kp: (_PART_TYPES.index(kp[0]), _natural(kp[1])))
    return found


def _other_parts(data, main_part, parse_part, reject, look, numbering, style_names, source, warnings) -> list[Piece]:
    """Pieces for the headers, footers, footnotes, endnotes and comments, after the body. A header or footer
    paragraph already read from another section's part is not read again; Word's separator notes are skipped."""
    from lxml import etree

    pieces: list[Piece] = []
    seen: set[tuple[str, str]] = set()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return pieces
    with zf:
        try:
            parts = _related_parts(zf, parse_part, main_part)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, zlib.error):
            return pieces
        for kind, name in parts:
            try:
                root = parse_part(zf, name)
            except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, zlib.error) as exc:
                warnings.append(f"{source}: its {kind} part {name} is damaged and was left out ({exc})")
                continue
            if root is None:
                continue
            if kind in _NOTE_TYPES:
                location, tag = _NOTE_TYPES[kind]
                units = [
                    (f"{name}#{note.get(_q('id'))}", note)
                    for note in root.iter(_q(tag))
                    if (note.get(_q("type")) or "normal") == "normal"
                ]
            else:
                location = kind
                units = [(name, root)]
            for part, unit in units:
                for p in unit.iter(_q("p")):
                    if any(a.tag == f"{{{MC}}}Fallback" for a in p.iterancestors()):
                        continue
                    text, hidden = _stripped(*_paragraph_text(p, reject, look))
                    if not text:
                        continue
                    if location in ("header", "footer"):
                        if (location, text) in seen:
                            continue
                        seen.add((location, text))
                    pieces.append(
                        Piece(
                            text=text,
                            label=numbering.label_for(p),
                            heading_hint=_is_heading(p, text, style_names),
                            in_table=any(a.tag == _q("tc") for a in p.iterancestors()),
                            location=location,
                            part=part,
                            hidden=hidden,
                        )
                    )
    return pieces
