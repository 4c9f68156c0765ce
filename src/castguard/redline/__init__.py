"""The contract back as a Word redline: native tracked changes a lawyer can accept or reject.

For a DOCX contract the original document is edited in a copy (its styles, numbering, headers, footers and
untouched runs stay as they were; a run is split only where an edit lands). A PDF or text contract is first
rebuilt as a clean DOCX, one paragraph per paragraph of the source, clause numbers and headings kept, and the
same edits are applied to it.

The edits, each a real revision (``w:ins`` / ``w:del``) by ``author`` at ``date``:

- in a clause that grants rights forever, "in perpetuity" / "perpetual" / "forever" become the deal's term,
  and "or hereafter devised" is struck; "irrevocable" is struck where the finding is that consent cannot be
  revoked;
- every flagged clause gets the carve-out sentence of its addendum section appended;
- a Word comment on every flagged clause says what the gap is, why it matters and where the addendum answers it;
- the addendum itself is appended after a page break as one inserted block.

Existing revisions in the input are resolved first (accepted, or rejected with ``on_revisions="reject"``), so
"reject all" gives back exactly the text castguard analysed and "accept all" gives the amended contract.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..classify.taxonomy import GAPS
from ..draft import Addendum
from ..draft.markup import parse_markdown
from ..draft.writers import add_blocks_to_docx
from ..errors import DraftError
from ..model import Report
from ..report import DISCLAIMER
from .revisions import Revisions, paragraph_text, qn, visible_runs

__all__ = ["RedlineResult", "redline"]


@dataclass
class RedlineResult:
    data: bytes
    insertions: int
    deletions: int
    comments: int
    amended_paragraphs: int
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- resolving earlier revisions


def resolve_revisions(root, mode: str) -> int:
    """Accept (or reject) every tracked change already in the document tree; returns how many there were."""
    accept = mode != "reject"
    keep, drop = (qn("ins"), qn("del")) if accept else (qn("del"), qn("ins"))
    keep_move, drop_move = (qn("moveTo"), qn("moveFrom")) if accept else (qn("moveFrom"), qn("moveTo"))
    n = 0
    for el in list(root.iter(drop, drop_move)):
        parent = el.getparent()
        if parent is None:
            continue
        n += 1
        if parent.tag == qn("rPr") or parent.tag == qn("trPr"):
            parent.remove(el)  # a paragraph-mark or row revision: the paragraph/row stays, unmarked
            continue
        parent.remove(el)
    for el in list(root.iter(keep, keep_move)):
        parent = el.getparent()
        if parent is None:
            continue
        n += 1
        if parent.tag in (qn("rPr"), qn("trPr")):
            parent.remove(el)
            continue
        index = parent.index(el)
        for child in list(el):
            parent.insert(index, child)
            index += 1
        parent.remove(el)
    for t in root.iter(qn("delText")):
        t.tag = qn("t")
    for t in root.iter(qn("delInstrText")):
        t.tag = qn("instrText")
    for tag in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange"):
        for el in list(root.iter(qn(tag))):
            el.getparent().remove(el)
    return n


# --------------------------------------------------------------------------- the document to edit


def _open_docx(path: Path, mode: str):
    import docx

    document = docx.Document(str(path))
    resolve_revisions(document.element.body, mode)
    paragraphs = list(document.element.body.iter(qn("p")))
    return document, paragraphs


def _rebuild(report: Report):
    """A clean DOCX of a PDF or text contract: (document, {block index: w:p}) with one paragraph per paragraph."""
    import docx
    from docx.shared import Inches, Pt

    doc = report.document
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = Path(doc.source).name
    clause_starts = {c.start: c for c in report.clauses}
    lengths = sorted(b.end - b.start for b in doc.blocks if b.end > b.start)
    wide = lengths[int(len(lengths) * 0.8)] if lengths else 80
    block_para: dict[int, object] = {}
    current = None  # the paragraph being filled, and the length of its last line
    last_len = 0
    level = 0
    for i, b in enumerate(doc.blocks):
        text = doc.text[b.start : b.end]
        if not text.strip():
            current = None
            continue
        lead = len(text) - len(text.lstrip())
        clause = clause_starts.get(b.start + lead) or clause_starts.get(b.start)
        if current is not None and clause is None and last_len >= wide * 0.7 and not b.heading_hint:
            # a wrapped line of the same paragraph (PDF lines, hard-wrapped text)
            current.add_run(" " + text.strip())
            block_para[i] = current
            last_len = len(text)
            continue
        if clause is not None:
            level = clause.level
        p = document.add_paragraph()
        run = p.add_run(text.strip())
        heading = clause is not None and clause.heading and text.strip() == clause.heading.strip()
        if heading or b.heading_hint or (text.isupper() and len(text) < 100):
            run.bold = True
        if level:
            p.paragraph_format.left_indent = Inches(0.3 * min(level, 4))
        block_para[i] = p
        current, last_len = p, len(text)
    return document, {i: p._p for i, p in block_para.items()}


def _paragraph_for(report: Report, offset: int, by_block: dict, paragraphs: list | None):
    blocks = report.document.blocks
    for i, b in enumerate(blocks):
        if b.start <= offset < max(b.end, b.start + 1):
            if paragraphs is not None:
                if b.paragraph_index is None or b.paragraph_index >= len(paragraphs):
                    return None
                return paragraphs[b.paragraph_index]
            return by_block.get(i)
    return None


# --------------------------------------------------------------------------- amendments

_PERPETUAL = [
    (re.compile(r"\bin perpetuity\b", re.I), "for {term}"),
    (re.compile(r"\bfor(?: all)? time\b|\bforever\b", re.I), "for {term}"),
    (re.compile(r"\bperpetual(?= )", re.I), "{years}-year"),
    (re.compile(r"\bwithout (?:any )?limit(?:ation)? (?:of|as to) time\b", re.I), "for {term}"),
]
_HEREAFTER = re.compile(
    r",?\s+(?:whether\s+)?(?:or|and|and/or)\s+(?:hereafter|hereinafter|later|subsequently|in the future)\s+"
    r"(?:devised|developed|invented|created|known|existing)\b",
    re.I,
)
_IRREVOCABLE = re.compile(r"\birrevocabl[ey]\b,?\s*(?:and\s+)?", re.I)


def _number_words(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten".split()
    return f"{words[n]} ({n})" if n < len(words) else str(n)


def _amend(rev: Revisions, p, gaps: set[str], years: int) -> int:
    """Tracked term edits in one flagged paragraph; returns how many were made."""
    edits: list[tuple[int, int, str]] = []
    text = paragraph_text(p)
    term = f"a term of {_number_words(years)} years"
    if "unbounded_term_scope" in gaps:
        for pattern, repl in _PERPETUAL:
            for m in pattern.finditer(text):
                edits.append((m.start(), m.end(), repl.format(term=term, years=years)))
        for m in _HEREAFTER.finditer(text):
            edits.append((m.start(), m.end(), ""))
    if "no_revocation_or_suspension" in gaps:
        for m in _IRREVOCABLE.finditer(text):
            edits.append((m.start(), m.end(), ""))
    # keep non-overlapping edits, apply right to left so earlier offsets stay valid
    edits.sort()
    chosen: list[tuple[int, int, str]] = []
    for e in edits:
        if not chosen or e[0] >= chosen[-1][1]:
            chosen.append(e)
    made = 0
    for start, end, repl in reversed(chosen):
        if rev.replace(p, start, end, repl) is not None:
            made += 1
    return made


def _comment_text(gaps: list[str], addendum: Addendum) -> str:
    lines = []
    for gap_id in gaps:
        gap = GAPS[gap_id]
        section = addendum.section_for(gap_id)
        where = f" Answered in Section {section.n} of the Addendum." if section else ""
        lines.append(
            f"castguard: {gap.title} ({gap_id}, {gap.severity}). {gap.why}{where} Anchors: {'; '.join(gap.anchors)}."
        )
    lines.append(DISCLAIMER)
    return "\n".join(lines)


def redline(
    report: Report,
    addendum: Addendum,
    path: str | Path,
    *,
    author: str = "castguard",
    date: str | None = None,
    on_revisions: str = "accept",
) -> RedlineResult:
    """The redlined contract as DOCX bytes, with counts of what was marked."""
    import docx.text.run

    if report.document.format == "docx":
        document, paragraphs = _open_docx(Path(path), on_revisions)
        by_block: dict = {}
    else:
        document, by_block = _rebuild(report)
        paragraphs = None
    rev = Revisions(document.element, author, date)
    flagged: dict[int, tuple[object, list[str]]] = {}
    for f in report.findings:
        for ev in f.evidence:
            p = _paragraph_for(report, ev.start, by_block, paragraphs)
            if p is None:
                continue
            entry = flagged.setdefault(id(p), (p, []))
            if f.gap not in entry[1]:
                entry[1].append(f.gap)
    notes: list[str] = []
    amended = comments = 0
    order = {s.gap: s.n for s in addendum.sections}
    for p, gaps in flagged.values():
        gaps.sort(key=lambda g: order.get(g, 99))
        if not visible_runs(p):
            continue
        amended += _amend(rev, p, set(gaps), addendum.deal.term_years) > 0
        carve = " ".join(dict.fromkeys(s.carve_out for g in gaps if (s := addendum.section_for(g)) and s.carve_out))
        if carve:
            rev.append(p, " " + carve)
        runs = [docx.text.run.Run(r, None) for r, s, e in visible_runs(p) if e > s]
        if runs:
            try:
                document.add_comment(runs, text=_comment_text(gaps, addendum), author=author, initials="CG")
                comments += 1
            except (ValueError, KeyError) as exc:  # a run layout python-docx cannot anchor a comment to
                notes.append(f"no comment on one flagged clause ({exc})")
    # the addendum, after a page break, as one inserted block
    from docx.enum.text import WD_BREAK

    brk = document.add_paragraph()
    brk.add_run().add_break(WD_BREAK.PAGE)
    rev.mark_inserted_paragraph(brk._p)
    for el in add_blocks_to_docx(document, parse_markdown(addendum.markdown)):
        if el.tag == qn("tbl"):
            rev.mark_inserted_table(el)
        else:
            rev.mark_inserted_paragraph(el)
    settings = document.settings.element
    if settings.find(qn("trackRevisions")) is None:
        from lxml import etree

        settings.insert(0, etree.Element(qn("trackRevisions")))
    buf = io.BytesIO()
    try:
        document.save(buf)
    except Exception as exc:  # pragma: no cover - python-docx refusing its own tree would be a bug here
        raise DraftError(f"could not write the redline ({exc})", path=report.document.source) from None
    return RedlineResult(buf.getvalue(), rev.counts["ins"], rev.counts["del"], comments, amended, notes)
