"""Where a clause's words sit in the source, and whether a reader of the source can see them.

The readers record two things besides the text: each block's ``location`` (body, header, footer, footnote,
endnote, comment, text box) and ``Document.hidden``, the stretches of text the source does not show (white or
background-coloured, under 2 pt, vanished, off the page, invisible). The analysis reads all of it, because a
grant nobody sees still binds whoever signs; :func:`annotate` then marks each piece of evidence and each clause
with where its words are and whether they are hidden, and :func:`notice` says so in one plain sentence that
every report view prints beside the evidence.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from .model import Document, Evidence, Report

__all__ = ["annotate", "hidden_in", "location_at", "notice"]

_LOCATION_SENTENCE = {
    "header": "This clause is in the document's header, not its body.",
    "footer": "This clause is in the document's footer, not its body.",
    "footnote": "This clause is in a footnote, not the document's body.",
    "endnote": "This clause is in an endnote, not the document's body.",
    "comment": "This clause is in a comment on the document, not in the contract's own text.",
    "text box": "This clause is in a text box, outside the document's main text.",
}
_FULLY = 0.9  # share of the quote's letters and digits that must be hidden for the whole clause to count as hidden
_MIN_HIDDEN = 3  # fewer hidden letters and digits than this (a white full stop) say nothing


def location_at(doc: Document, start: int, end: int | None = None, starts: list[int] | None = None) -> str:
    """The location of the block holding the first non-space character of ``text[start:end]`` (``starts``:
    the blocks' start offsets, when the caller has them)."""
    if not doc.blocks:
        return "body"
    text = doc.text
    stop = len(text) if end is None else end
    while start < stop and text[start].isspace():
        start += 1
    starts = starts if starts is not None else [b.start for b in doc.blocks]
    i = bisect.bisect_right(starts, start) - 1
    return doc.blocks[i].location if i >= 0 else "body"


def hidden_in(doc: Document, start: int, end: int) -> tuple[str | None, str | None]:
    """``(reason, part)`` for ``text[start:end]``: reason None when nothing that matters is hidden; ``part`` the
    hidden words when only part of the stretch is hidden (None when all of it is)."""
    if not doc.hidden or end <= start:
        return None, None
    text = doc.text
    by_reason: dict[str, int] = {}
    pieces: list[str] = []
    for hs, he, reason in doc.hidden:
        a, b = max(hs, start), min(he, end)
        if a >= b:
            continue
        n = sum(1 for c in text[a:b] if c.isalnum())
        if n:
            by_reason[reason] = by_reason.get(reason, 0) + n
            pieces.append("".join(c for c in " ".join(text[a:b].split()) if c.isprintable()))  # no control codes
    hidden = sum(by_reason.values())
    if hidden < _MIN_HIDDEN:
        return None, None
    total = sum(1 for c in text[start:end] if c.isalnum())
    reason = max(by_reason, key=by_reason.__getitem__)
    if hidden >= _FULLY * total:
        return reason, None
    part = " … ".join(p for p in pieces if p)
    return reason, part if len(part) <= 160 else part[:159] + "…"


def _evidence(doc: Document, e: Evidence, starts: list[int]) -> Evidence:
    location = location_at(doc, e.start, e.end, starts)
    hidden, part = hidden_in(doc, e.start, e.end)
    if location == e.location and hidden == e.hidden and part == e.hidden_part:
        return e
    return replace(e, location=location, hidden=hidden, hidden_part=part)


def annotate(report: Report) -> Report:
    """``report`` with every clause's location and every evidence's location and hidden reason filled in from
    its document (the same report when the whole document is visible body text)."""
    doc = report.document
    if not doc.hidden and all(b.location == "body" for b in doc.blocks):
        return report
    starts = [b.start for b in doc.blocks]
    clauses = tuple(
        c if (loc := location_at(doc, c.start, c.end, starts)) == c.location else replace(c, location=loc)
        for c in report.clauses
    )
    findings = tuple(replace(f, evidence=tuple(_evidence(doc, e, starts) for e in f.evidence)) for f in report.findings)
    protections = tuple(
        replace(p, evidence=tuple(_evidence(doc, e, starts) for e in p.evidence)) for p in report.protections
    )
    return replace(report, clauses=clauses, findings=findings, protections=protections)


def notice(e: Evidence) -> str | None:
    """The plain sentence a report shows beside evidence that is hidden or outside the body, or None."""
    parts = []
    if e.hidden and e.hidden_part:
        stop = "" if e.hidden_part.endswith((".", "!", "?", "…")) else "."
        parts.append(f"Part of this clause is hidden in the document ({e.hidden}): “{e.hidden_part}”{stop}")
    elif e.hidden:
        parts.append(f"This clause is hidden in the document ({e.hidden}).")
    if e.location != "body":
        parts.append(_LOCATION_SENTENCE.get(e.location, f"This clause is in the document's {e.location}."))
    return " ".join(parts) or None
