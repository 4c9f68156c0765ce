"""The review report as a PDF: the HTML report, adapted for LibreOffice's HTML import, converted by LibreOffice.

LibreOffice reads plain HTML well (headings, paragraphs, lists, tables, inline ``style`` attributes) but not
``<mark>``, ``<section>`` styling, compound CSS selectors, grid, flex or SVG. :func:`html_for_libreoffice`
rewrites castguard's own markup into what it does read — each finding and protection a bordered one-cell
table, each flagged clause a bar beside its text, each evidence mark a tinted span — and drops the skip link
and the chart (its numbers are in the text beside it). Contract text in the page is HTML-escaped, so it can
never match the tags rewritten here.
"""

from __future__ import annotations

import re

from ..model import Report
from ..outputs import to_pdf
from .html import COLOUR, TINT, render_html

__all__ = ["html_for_libreoffice", "render_pdf"]

_BOX = "border:1px solid #999999;border-left:6px {style} {colour};padding:4px 10px"
_STATUS_COLOUR = {"raised": "#a4161a", "protected": "#1b5e20", "not_raised": "#444444"}
_TAG = re.compile(r"<(/?)(section|div|details|summary|mark)\b([^>]*)>")


def _table(style: str) -> str:
    return f'<table width="100%" cellspacing="0" cellpadding="6"><tr><td style="{style}">'


def _status_colour(m: re.Match) -> str:
    classes = m.group(1).split()
    colour = _STATUS_COLOUR.get(classes[-1]) if classes[0] == "st" else None
    colour = colour or (COLOUR["high"] if "hollowed" in classes else "#1b5e20")
    return f'<span class="{m.group(1)}" style="color:{colour};font-weight:bold">'


def html_for_libreoffice(page: str) -> str:
    page = re.sub(r'<a class="skip"[^>]*>.*?</a>\n?', "", page, count=1)
    # ids (and so the links inside the page) go: LibreOffice drops the first paragraphs of a table cell that
    # holds or follows an element with an id when the table meets a page break, so a finding would lose
    # its heading; on paper the table of contents names each finding's clause instead
    page = re.sub(r'\s(?:id|aria-labelledby|aria-label)="[^"]*"', "", page)
    page = re.sub(r'<a href="#[^"]*">(.*?)</a>', r"\1", page, flags=re.S)
    page = re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S)
    page = re.sub(
        r'<span class="sev (high|medium|low)">',
        lambda m: f'<span class="sev {m.group(1)}" style="color:{COLOUR[m.group(1)]};font-weight:bold">',
        page,
    )
    page = re.sub(r'<span class="(st (?:raised|protected|not_raised)|prot(?: hollowed)?)">', _status_colour, page)
    # a <dl> leaves LibreOffice's import in a state that drops the first paragraphs of later table cells:
    # the facts become a two-column table
    page = re.sub(r"<dl\b[^>]*>", '<table cellspacing="0" cellpadding="3">', page)
    page = page.replace("</dl>", "</table>")
    page = re.sub(r"<dt>(.*?)</dt><dd>(.*?)</dd>", r'<tr><td valign="top"><b>\1</b></td><td>\2</td></tr>', page)
    page = re.sub(
        r'<p class="score">(.*?)</p>', r'<p class="score" style="font-size:20pt;font-weight:bold">\1</p>', page
    )
    page = page.replace('<th scope="row">', '<th scope="row" align="left" style="font-weight:normal">')
    page = page.replace('<th scope="col">', '<th scope="col" align="left">')
    out: list[str] = []
    closing: list[str] = []  # the close tag each open section/div/details becomes
    pos = 0
    flagged_text = False  # the next <div class="text"> belongs to a flagged clause of this severity
    flagged_sev = ""
    for m in _TAG.finditer(page):
        out.append(page[pos : m.start()])
        pos = m.end()
        close, tag, attrs = m.group(1), m.group(2), m.group(3)
        class_attr = re.search(r'class="([^"]*)"', attrs)
        classes = class_attr.group(1).split() if class_attr else []
        if tag == "mark":
            if close:
                out.append("</span>")
            else:
                sev = next((c for c in classes if c in COLOUR), "high")
                out.append(f'<span style="background-color:{TINT[sev]};border-bottom:2px solid {COLOUR[sev]}">')
            continue
        if tag == "summary":
            out.append("</strong></p>" if close else "<p><strong>")
            continue
        if close:
            out.append(closing.pop() if closing else f"</{tag}>")
            continue
        if tag == "section" and "finding" in classes:
            sev = next((c[4:] for c in classes if c.startswith("sev-")), "high")
            style = "dashed" if sev == "medium" else "dotted" if sev == "low" else "solid"
            out.append(_table(_BOX.format(style=style, colour=COLOUR[sev])))
            closing.append("</td></tr></table>")
        elif tag == "section" and "protection" in classes:
            colour = COLOUR["high"] if "hollowed" in classes else "#1b5e20"
            background = "#ffffff" if "hollowed" in classes else "#f1f8f1"
            out.append(_table(_BOX.format(style="double", colour=colour) + f";background:{background}"))
            closing.append("</td></tr></table>")
        elif tag == "div" and "flagged" in classes:
            flagged_text = True
            flagged_sev = next((c[6:] for c in classes if c.startswith("worst-")), "high")
            out.append(f"<div{attrs}>")
            closing.append("</div>")
        elif tag == "div" and "text" in classes and flagged_text:
            flagged_text = False
            out.append(_table(f"border-left:6px solid {COLOUR[flagged_sev]};padding:2px 10px"))
            closing.append("</td></tr></table>")
        elif tag == "details":
            out.append('<div style="background:#f7f7f7">')
            closing.append("</div>")
        else:
            out.append(f"<div{attrs}>")
            closing.append("</div>")
    out.append(page[pos:])
    return "".join(out)


def render_pdf(report: Report, *, output=None) -> bytes:
    """The review report (the same content as ``--format html``) as PDF bytes, made by LibreOffice."""
    return to_pdf(html_for_libreoffice(render_html(report)).encode("utf-8"), ".html", output=output)
