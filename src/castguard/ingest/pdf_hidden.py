"""Text a PDF draws where a reader does not see it: white (or transparent), under 2 pt, outside the page, or in
an invisible text render mode.

pdfium extracts such text with the rest, which is right (the words are in the document); this module says
which words they are, so the report can say that a clause is hidden. It looks at the page's text objects (one
ctypes call per property, a few per object: far fewer than per character) and, only on a page with white text,
at the filled shapes and images behind it: white text on a dark box or over a picture is visible, and so is an
OCR layer (invisible text over the scanned image).

:func:`page_hidden` returns the hidden words of a page; :func:`locate` finds them in the page's text as read.
"""

from __future__ import annotations

import ctypes
import math

__all__ = ["locate", "page_hidden"]

WHITE = "white text"
TINY = "text under 2 pt"
OFF_PAGE = "text placed off the page"
INVISIBLE = "invisible text"
_PALE = 240  # every channel at least this (of 255): white to a reader
_TINY_PT = 2.0
_MIN_ALNUM = 3  # shorter hidden text (a white bullet, a stray digit) is not reported


def _colour(fn, obj) -> tuple[int, int, int, int] | None:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not fn(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return None
    return r.value, g.value, b.value, a.value


def _bounds(raw, obj) -> tuple[float, float, float, float] | None:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not raw.FPDFPageObj_GetBounds(
        obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    ):
        return None
    return left.value, bottom.value, right.value, top.value


def _size(raw, obj) -> float | None:
    """The text's rendered size in points: its font size times the vertical scale of its matrix."""
    size = ctypes.c_float()
    if not raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)):
        return None
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return size.value
    return size.value * math.hypot(m.c, m.d)


def _text(raw, obj, textpage) -> str:
    n = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    if n <= 2:
        return ""
    buf = (ctypes.c_ushort * (n // 2))()
    raw.FPDFTextObj_GetText(obj, textpage, buf, n)
    return bytes(buf)[: n - 2].decode("utf-16-le", errors="replace")


def _inside(box, cover) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return cover[0] <= x <= cover[2] and cover[1] <= y <= cover[3]


def _objects(raw, container, count, get, depth: int = 0):
    """(object, type, in a form XObject) for every object, form XObjects opened up to three levels deep."""
    for i in range(count(container)):
        obj = get(container, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 3:
            yield from _objects(raw, obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, depth + 1)
        else:
            yield obj, kind, depth > 0


def page_hidden(page, textpage) -> list[tuple[str, str]]:
    """``(text, reason)`` for each stretch of the page's text a reader does not see, in content order
    (consecutive hidden text objects with the same reason are joined). ``page`` and ``textpage`` are
    pypdfium2 objects."""
    import pypdfium2.raw as raw

    box = page.get_cropbox()
    # one set of out-parameters for the whole page (each ctypes call costs about a microsecond; allocating
    # and wrapping them again for every object would cost more than the calls)
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    rgba = ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    ltrb = ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    get_mode, get_fill, get_stroke = (
        raw.FPDFTextObj_GetTextRenderMode,
        raw.FPDFPageObj_GetFillColor,
        raw.FPDFPageObj_GetStrokeColor,
    )
    get_bounds = raw.FPDFPageObj_GetBounds
    invisible_modes = (raw.FPDF_TEXTRENDERMODE_INVISIBLE, raw.FPDF_TEXTRENDERMODE_CLIP)
    stroke_modes = (raw.FPDF_TEXTRENDERMODE_STROKE, raw.FPDF_TEXTRENDERMODE_STROKE_CLIP)
    text_kind = raw.FPDF_PAGEOBJ_TEXT
    texts: list[tuple[object, str]] = []  # (text object, reason); (None, "") where a visible object intervenes
    whites = 0
    for obj, kind, nested in _objects(raw, page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject):
        if kind != text_kind:
            continue
        reason = None
        mode = get_mode(obj)
        if mode in invisible_modes:
            reason = INVISIBLE
        elif (get_stroke if mode in stroke_modes else get_fill)(obj, *rgba):
            if a.value == 0:
                reason = INVISIBLE
            elif r.value >= _PALE and g.value >= _PALE and b.value >= _PALE:
                reason = WHITE
                whites += 1
        if reason is None and get_bounds(obj, *ltrb):
            if not nested and (
                right.value < box[0] or left.value > box[2] or top.value < box[1] or bottom.value > box[3]
            ):
                reason = OFF_PAGE
            elif top.value - bottom.value < 2 * _TINY_PT:  # small enough to be worth the exact size
                size = _size(raw, obj)
                if size is not None and 0 < size < _TINY_PT:
                    reason = TINY
        if reason is not None:
            texts.append((obj, reason))
        elif texts and texts[-1][0] is not None:
            texts.append((None, ""))  # a visible object ends a hidden stretch
    if not any(obj is not None for obj, _ in texts):
        return []
    covers = _covers(raw, page) if whites or any(r == INVISIBLE for _, r in texts) else []
    out: list[tuple[str, str]] = []
    last = None
    for obj, reason in texts:
        if obj is None:
            last = None
            continue
        if reason in (WHITE, INVISIBLE) and covers:
            bx = _bounds(raw, obj)
            if bx is not None and any(_inside(bx, c) for c in covers):
                last = None
                continue  # white on a dark box, or an OCR layer over its scan: a reader sees it
        words = _text(raw, obj, textpage.raw)
        if not words.strip():
            continue
        if last == reason and out:
            out[-1] = (out[-1][0] + " " + words, reason)
        else:
            out.append((words, reason))
        last = reason
    return [(t, why) for t, why in out if sum(c.isalnum() for c in t) >= _MIN_ALNUM]


def _covers(raw, page) -> list[tuple[float, float, float, float]]:
    """Bounds of the page's images and of its filled shapes in a colour that is not pale."""
    out = []
    for obj, kind, nested in _objects(raw, page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject):
        if nested:
            continue
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            b = _bounds(raw, obj)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            if not raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) or not fill.value:
                continue
            colour = _colour(raw.FPDFPageObj_GetFillColor, obj)
            if colour is None or min(colour[:3]) >= _PALE or colour[3] == 0:
                continue
            b = _bounds(raw, obj)
        else:
            continue
        if b is not None:
            out.append(b)
    return out


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace and hyphens (line ends and their repair differ between the two readings),
    with the offset of each kept character."""
    keep, where = [], []
    for i, c in enumerate(text):
        if not c.isspace() and c not in "-\u00ad\ufffe\u2010\u2011":
            keep.append(c)
            where.append(i)
    return "".join(keep), where


def locate(page_text: str, hidden: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """``(start, end, reason)`` in ``page_text`` of each hidden stretch, searched in order from the last one
    found (a stretch the text does not contain, e.g. a removed running head, is left out)."""
    squeezed, where = _squeeze(page_text)
    out: list[tuple[int, int, str]] = []
    cursor = 0
    for words, reason in hidden:
        needle, _ = _squeeze(words)
        if not needle:
            continue
        at = squeezed.find(needle, cursor)
        if at < 0:
            at = squeezed.find(needle)
            if at < 0:
                continue
        else:
            cursor = at + len(needle)
        out.append((where[at], where[at + len(needle) - 1] + 1, reason))
    return out
