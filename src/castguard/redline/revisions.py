"""WordprocessingML revision markup, written as the edits are made (not a text diff).

The primitives work on one paragraph (``w:p``) of a real document: find the runs that carry a stretch of
visible text, split a run only where an edit lands (its ``w:rPr`` copied to both halves, so formatting
survives), wrap deleted runs in ``w:del`` (their ``w:t`` become ``w:delText``), add inserted runs in ``w:ins``,
and mark whole inserted paragraphs and table rows (paragraph mark / row in ``w:ins`` too, so rejecting the
change removes them rather than leaving empty lines). Every revision gets a unique ``w:id``, the author and an
ISO 8601 date.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element

__all__ = ["W", "Revisions", "paragraph_text", "qn", "visible_runs"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def qn(tag: str) -> str:
    return f"{{{W}}}{tag}"


_HIDDEN_ANCESTORS = {qn("del"), qn("moveFrom"), qn("p"), f"{{{MC}}}Fallback"}
_ATOM_TEXT = {qn("tab"): "\t", qn("br"): " ", qn("cr"): " ", qn("noBreakHyphen"): "-", qn("softHyphen"): ""}
_UNSPLITTABLE = {qn("fldChar"), qn("instrText"), qn("drawing"), qn("object"), qn("pict"), qn("footnoteReference")}


def _visible(run, p) -> bool:
    anc = run.getparent()
    while anc is not None and anc is not p:
        if anc.tag in _HIDDEN_ANCESTORS:
            return False
        anc = anc.getparent()
    return True


def _atoms(run) -> list[tuple[object, str]]:
    out = []
    for child in run:
        if child.tag == qn("t"):
            out.append((child, child.text or ""))
        elif child.tag in _ATOM_TEXT:
            out.append((child, _ATOM_TEXT[child.tag]))
    return out


def _run_text(run) -> str:
    return "".join(t for _, t in _atoms(run))


def visible_runs(p) -> list[tuple[_Element, int, int]]:
    """(run, start, end) of every visible run of the paragraph, offsets into :func:`paragraph_text`."""
    out, pos = [], 0
    for run in p.iter(qn("r")):
        if not _visible(run, p):
            continue
        text = _run_text(run)
        out.append((run, pos, pos + len(text)))
        pos += len(text)
    return out


def paragraph_text(p) -> str:
    return "".join(_run_text(r) for r, _, _ in visible_runs(p))


def _split(run, offset: int):
    """Split ``run`` so its first ``offset`` characters stay and the rest move to a new run after it."""
    text = _run_text(run)
    if offset <= 0 or offset >= len(text):
        return run
    if any(child.tag in _UNSPLITTABLE for child in run):
        return None
    twin = copy.deepcopy(run)
    run.addnext(twin)
    pos = 0
    kids, twin_kids = list(run), list(twin)
    for child, twin_child in zip(kids, twin_kids):
        if child.tag == qn("rPr"):
            continue
        if child.tag == qn("t"):
            t = child.text or ""
            if pos + len(t) <= offset:
                run_keeps, twin_keeps = t, None
            elif pos >= offset:
                run_keeps, twin_keeps = None, t
            else:
                run_keeps, twin_keeps = t[: offset - pos], t[offset - pos :]
            pos += len(t)
        elif child.tag in _ATOM_TEXT:
            t = _ATOM_TEXT[child.tag]
            run_keeps, twin_keeps = (t, None) if pos < offset else (None, t)
            pos += len(t)
        else:
            run_keeps, twin_keeps = (True, None) if pos < offset else (None, True)
        if run_keeps is None:
            run.remove(child)
        elif child.tag == qn("t"):
            child.text = run_keeps
            child.set(XML_SPACE, "preserve")
        if twin_keeps is None:
            twin.remove(twin_child)
        elif twin_child.tag == qn("t"):
            twin_child.text = twin_keeps
            twin_child.set(XML_SPACE, "preserve")
    return twin


def _shown(rpr) -> None:
    """Makes copied run properties visible: an edit placed beside hidden words (vanished, coloured like the
    page, under 2 pt) must not be hidden with them. A white colour goes back to automatic (black, or white on
    dark shading), a vanish is turned off explicitly (it may come from a style), a tiny size goes."""
    from lxml import etree

    for tag in ("vanish", "specVanish"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    for el in rpr.findall(qn("color")):
        value = (el.get(qn("val")) or "").upper()
        pale = len(value) == 6 and all(c in "EF" for c in value[0::2])  # every channel 0xE0 or more
        if pale or (el.get(qn("themeColor")) or "").lower() in ("background1", "light1"):
            rpr.remove(el)
    for tag in ("sz", "szCs"):
        for el in rpr.findall(qn(tag)):
            if (el.get(qn("val")) or "").isdigit() and int(el.get(qn("val"))) < 4:
                rpr.remove(el)
    if rpr.find(qn("rStyle")) is not None:
        off = etree.Element(qn("vanish"))
        off.set(qn("val"), "0")
        # w:vanish has its place in the schema's sequence of run properties (Word refuses a file otherwise)
        later = next((el for el in rpr if isinstance(el.tag, str) and el.tag.split("}")[-1] in _AFTER_VANISH), None)
        if later is None:
            rpr.append(off)
        else:
            later.addprevious(off)


_AFTER_VANISH = {
    "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
    "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange",
}  # fmt: skip


class Revisions:
    """Makes revision elements for one author and time, with ids unique in the document."""

    def __init__(self, root, author: str, date: str | None = None):
        self.author = author
        self.date = date or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        ids = (el.get(qn("id")) for el in root.iter())
        used = [int(v) for v in ids if v and re.fullmatch(r"-?\d+", v)]
        self._next = max(used, default=0) + 1
        self.counts = {"ins": 0, "del": 0}

    def next_id(self) -> str:
        n = self._next
        self._next += 1
        return str(n)

    def _mark(self, tag: str):
        from lxml import etree

        el = etree.Element(qn(tag))
        el.set(qn("id"), self.next_id())
        el.set(qn("author"), self.author)
        el.set(qn("date"), self.date)
        return el

    # ----------------------------------------------------------------- runs

    def isolate(self, p, start: int, end: int) -> list | None:
        """Split runs so that [start, end) of the paragraph text is covered by whole runs; return them."""
        for cut in (start, end):
            for run, s, e in visible_runs(p):
                if s < cut < e:
                    if _split(run, cut - s) is None:
                        return None
                    break
        return [run for run, s, e in visible_runs(p) if start <= s and e <= end and e > s]

    def delete(self, p, start: int, end: int) -> list | None:
        """Mark [start, end) of the paragraph as deleted; returns the w:del elements (None if not possible)."""
        runs = self.isolate(p, start, end)
        if not runs:
            return None
        dels = []
        group: list = []
        for run in runs + [None]:
            if group and (run is None or run.getprevious() is not group[-1]):
                d = self._mark("del")
                group[0].addprevious(d)
                for r in group:
                    d.append(r)
                    for t in r.iter(qn("t")):
                        t.tag = qn("delText")
                    for t in r.iter(qn("instrText")):
                        t.tag = qn("delInstrText")
                dels.append(d)
                self.counts["del"] += 1
                group = []
            if run is not None:
                group.append(run)
        return dels

    def _new_run(self, text: str, like=None):
        """A run of ``text`` formatted like the run ``like``, but always shown (see :func:`_shown`)."""
        from lxml import etree

        run = etree.Element(qn("r"))
        if like is not None:
            rpr = like.find(qn("rPr"))
            if rpr is not None:
                rpr = copy.deepcopy(rpr)
                for el in rpr.findall(qn("rStyle")):
                    if (el.get(qn("val")) or "").lower().startswith("comment"):
                        rpr.remove(el)
                _shown(rpr)
                run.append(rpr)
        t = etree.SubElement(run, qn("t"))
        t.text = text
        t.set(XML_SPACE, "preserve")
        return run

    def insert_after(self, anchor, text: str, like=None):
        """A w:ins with one run of ``text`` placed right after ``anchor`` (a run, w:del or w:ins)."""
        ins = self._mark("ins")
        ins.append(self._new_run(text, like))
        anchor.addnext(ins)
        self.counts["ins"] += 1
        return ins

    def replace(self, p, start: int, end: int, text: str):
        """Tracked replacement: [start, end) deleted and ``text`` inserted after it."""
        dels = self.delete(p, start, end)
        if not dels:
            return None
        like = dels[-1].find(qn("r"))
        if text:
            return self.insert_after(dels[-1], text, like)
        return dels[-1]

    def insert_at(self, p, offset: int, text: str):
        """Tracked insertion of ``text`` at ``offset`` of the paragraph text, formatted like the run before it.

        Returns the w:ins, or None when the run at ``offset`` cannot be split (a field, a drawing)."""
        runs = [(r, s, e) for r, s, e in visible_runs(p) if e > s]
        if not runs or offset >= runs[-1][2]:
            return self.append(p, text)
        if offset <= 0:
            first = runs[0][0]
            ins = self._mark("ins")
            ins.append(self._new_run(text, first))
            first.addprevious(ins)
            self.counts["ins"] += 1
            return ins
        for run, s, e in runs:
            if s < offset < e:
                if _split(run, offset - s) is None:
                    return None
                break
        before = next(r for r, s, e in reversed([x for x in visible_runs(p) if x[2] > x[1]]) if e <= offset)
        anchor = before
        while (parent := anchor.getparent()) is not p:
            assert parent is not None  # every run of visible_runs(p) is inside p
            # never inside a simple field or another insertion; out of a hyperlink or content control it ends
            if parent.tag in (qn("fldSimple"), qn("ins")) or anchor.getnext() is None:
                anchor = parent
            else:
                break
        return self.insert_after(anchor, text, before)

    def append(self, p, text: str):
        """Tracked insertion of ``text`` at the end of the paragraph, formatted like its last run."""
        runs = visible_runs(p)
        like = runs[-1][0] if runs else None
        ins = self._mark("ins")
        ins.append(self._new_run(text, like))
        if runs:
            last = runs[-1][0]
            anchor = last
            while (parent := anchor.getparent()) is not p:  # a run inside a hyperlink or an earlier insertion
                assert parent is not None  # every run of visible_runs(p) is inside p
                anchor = parent
            anchor.addnext(ins)
        else:
            p.append(ins)
        self.counts["ins"] += 1
        return ins

    # ----------------------------------------------------------------- whole blocks

    def mark_inserted_paragraph(self, p) -> None:
        """Make a new paragraph a tracked insertion: its runs in w:ins, and its paragraph mark too."""
        from lxml import etree

        for run in [r for r in p if r.tag == qn("r")]:
            ins = self._mark("ins")
            run.addprevious(ins)
            ins.append(run)
            self.counts["ins"] += 1
        ppr = p.find(qn("pPr"))
        if ppr is None:
            ppr = etree.Element(qn("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(qn("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, qn("rPr"))
        rpr.insert(0, self._mark("ins"))

    def mark_inserted_table(self, tbl) -> None:
        from lxml import etree

        for tr in tbl.iter(qn("tr")):
            trpr = tr.find(qn("trPr"))
            if trpr is None:
                trpr = etree.Element(qn("trPr"))
                tc = tr.find(qn("tc"))
                (tc.addprevious(trpr) if tc is not None else tr.append(trpr))
            trpr.append(self._mark("ins"))
            for p in tr.iter(qn("p")):
                self.mark_inserted_paragraph(p)
