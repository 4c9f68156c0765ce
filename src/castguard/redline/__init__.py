"""The contract back as a Word redline: native tracked changes a lawyer can send to the other side.

For a DOCX contract the original document is edited in a copy (its styles, numbering, headers, footers and
untouched runs stay as they were; a run is split only where an edit lands). A PDF or text contract is first
rebuilt as a clean DOCX, one paragraph per paragraph of the source, clause numbers and headings kept, and the
same edits are applied to it.

The redline touches AI terms only. By default it inserts and never deletes: fees, term, exclusivity,
ownership of the work product, territory and every other commercial term stay word for word. Each flagged
clause gets at most one carve-out, covering every gap the clause raises, at the end of its operative paragraph
(:mod:`.placement` decides where; never in a heading, a table header, a recital, a definition, the signature
block, a statement to be read aloud or a list introduction), making the clause subject to the sections of the
Addendum that answer it (:mod:`.wording`). The Addendum is appended after a page break as one inserted block,
so every section a carve-out cites is in the document. Each flagged clause gets one comment, in a neutral
voice, signed by the author; ``internal=True`` adds gap ids and confidences for the team.

``narrow_grants=True`` also narrows the grant's own words where the clause is about the person's name,
likeness, voice or performance (:mod:`.narrowing`).

Existing revisions in the input are resolved first (accepted, or rejected with ``on_revisions="reject"``), so
"reject all" gives back exactly the text castguard analysed.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..draft import Addendum
from ..draft.markup import parse_markdown
from ..draft.writers import add_blocks_to_docx, clear_properties
from ..errors import DraftError
from ..model import Report
from . import wording
from .narrowing import likeness_terms, narrowing_edits
from .placement import REASONS, Para, Structure, insertion, paras_for_docx
from .revisions import Revisions, qn

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = ["DEFAULT_AUTHOR", "Change", "RedlineResult", "redline", "resolve_revisions"]

DEFAULT_AUTHOR = "Reviewer"

# contract-level gaps whose evidence is itself the clause to carve out (the broad grant that is silent on AI)
CLAUSE_LEVEL = {"silent_broad_legacy_grant"}


@dataclass
class Change:
    """What the redline did for one clause (or several clauses sharing one operative paragraph)."""

    clause_ids: list[str]
    gaps: list[str]
    sections: list[int]
    paragraph: int  # index among the contract paragraphs the redline mapped (see Structure)
    form: str | None  # "proviso", "sentence", or None when no carve-out was placed
    inserted: str  # the carve-out text ("" when none)
    reason: str | None  # why no carve-out (what the passage is), when none
    narrowed: list[tuple[str, str]] = field(default_factory=list)
    comment: str = ""
    original: str = ""  # the paragraph's text before the redline


@dataclass
class RedlineResult:
    data: bytes
    insertions: int
    deletions: int
    comments: int
    amended_paragraphs: int
    notes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def carve_outs(self) -> int:
        return sum(1 for c in self.changes if c.form)


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


def _open_docx(path: Path, mode: str) -> tuple[DocxDocument, list]:
    import docx

    document = docx.Document(str(path))
    resolve_revisions(document.element.body, mode)
    paragraphs = list(document.element.body.iter(qn("p")))
    return document, paragraphs


# a line that starts its own paragraph even after a long line: a list item, a Markdown heading, quote or table
_OPENS_BLOCK = re.compile(r"(?:[-*+\u2022]\s|#|>|\||\d{1,3}[.)]\s|\(?[a-zA-Z0-9]{1,4}\)\s|\*\*|__)")


def _rebuild(report: Report) -> tuple[DocxDocument, list[Para]]:
    """A clean DOCX of a PDF or text contract, one paragraph per paragraph of the source, and its Paras."""
    import docx
    from docx.shared import Inches, Pt

    doc = report.document
    document = docx.Document()
    document.styles["Normal"].font.name = "Times New Roman"
    document.styles["Normal"].font.size = Pt(11)
    clause_starts = {c.start: c for c in report.clauses}
    lengths = sorted(b.end - b.start for b in doc.blocks if b.end > b.start)
    wide = lengths[int(len(lengths) * 0.8)] if lengths else 80
    paras: list[Para] = []
    current: Para | None = None  # the paragraph being filled
    last_len = 0
    level = 0
    for b in doc.blocks:
        text = doc.text[b.start : b.end]
        if not text.strip():
            current = None
            continue
        lead = len(text) - len(text.lstrip())
        body = text.strip()
        start = b.start + lead
        clause = clause_starts.get(start) or clause_starts.get(b.start)
        if (
            current is not None
            and clause is None
            and last_len >= wide * 0.7
            and not b.heading_hint
            and b.in_table == current.in_table
            and not _OPENS_BLOCK.match(body)
            and not current.text.rstrip().endswith(":")
            # a text file's line that ends a sentence ends its paragraph; a PDF's may just be wrapped there
            and (doc.format == "pdf" or not re.search(r"[.;!?][\"”’')\]]*$", current.text.rstrip()))
        ):
            # a wrapped line of the same paragraph (PDF lines, hard-wrapped text)
            from docx.text.paragraph import Paragraph

            Paragraph(current.p, document).add_run(" " + body)
            current.segments.append((start, start + len(body), len(current.text) + 1))
            current.text += " " + body
            current.end = start + len(body)
            last_len = len(text)
            continue
        if clause is not None:
            level = clause.level
        p = document.add_paragraph()
        run = p.add_run(body)
        heading = bool(clause is not None and clause.heading and body == clause.heading.strip())
        bold = heading or b.heading_hint or (body.isupper() and len(body) < 100)
        if bold:
            run.bold = True
        if level:
            p.paragraph_format.left_indent = Inches(0.3 * min(level, 4))
        current = Para(
            p._p, body, start, start + len(body), [(start, start + len(body), 0)], True, None, bold, b.in_table,
            rebuilt=True,
        )  # fmt: skip
        paras.append(current)
        last_len = len(text)
    return document, paras


# --------------------------------------------------------------------------- deciding the changes


@dataclass
class _Group:
    clause_ids: list[str]
    gaps: dict[str, float]  # gap -> best confidence
    starts: list[int]  # evidence starts (Document.text offsets)
    index: int  # paragraph of the carve-out, or of the comment when none
    doc_end: int | None  # where the clause ends in that paragraph (None: no carve-out)
    reason: str | None = None
    evidence_index: int | None = None  # the first paragraph holding evidence: the comment's place if no carve-out


def _outside_body(report: Report) -> list[str]:
    """A note for each place outside the body (header, footer, footnote, comment) that holds a finding's words:
    the redline edits only the body's paragraphs, so the addendum alone answers those."""
    names = {"header": "the document's header", "footer": "the document's footer", "footnote": "a footnote",
             "endnote": "an endnote", "comment": "a comment"}  # fmt: skip
    where = sorted({e.location for f in report.findings for e in f.evidence if e.location in names})
    return [f"a flagged clause is in {names[loc]}: the redline does not edit it; the addendum covers its gaps" for loc in where]


def _groups(report: Report, structure: Structure) -> list[_Group]:
    """One group per flagged clause — clauses whose carve-out lands at the same place share one group."""
    by_clause: dict[str, list[tuple[str, float, int, int]]] = {}
    raises: set[str] = set()  # clauses that raise a gap themselves
    for f in report.findings:
        for ev in f.evidence:
            by_clause.setdefault(ev.clause_id, []).append((f.gap, f.confidence, ev.start, ev.end))
            if f.kind == "clause" or f.gap in CLAUSE_LEVEL:
                raises.add(ev.clause_id)
    # a gap of the contract as a whole (no data-security terms, no AI disclosure, ...) quotes the clauses where
    # it shows; it joins the carve-out of a clause that raises a gap itself, and changes no clause on its own
    by_clause = {c: ev for c, ev in by_clause.items() if c in raises}
    placed: dict[tuple[int, int], _Group] = {}
    unplaced: dict[int, _Group] = {}
    for clause_id, evidence in by_clause.items():
        candidates: list[tuple[int, int]] = []
        first_index = None
        reason = None
        for _gap, _conf, s, e in evidence:
            i = structure.index_at(s)
            if i is None:
                continue
            last = structure.index_at(max(s, e - 1))
            last = i if last is None or last < i else last
            first_index = last if first_index is None else min(first_index, last)
            j = structure.sentence_end(last)
            if structure.reason[j] is not None:
                reason = reason or structure.reason[last] or structure.reason[j]
                continue
            anchor = max(s, e - 1) if j == last else structure.paras[j].start
            leaf = structure.leaf_clause(anchor)
            doc_end = structure.paras[j].end if leaf is None else min(structure.paras[j].end, leaf.end)
            candidates.append((j, doc_end))
        if first_index is None:
            continue
        gaps: dict[str, float] = {}
        for gap, conf, _s, _e in evidence:
            gaps[gap] = max(conf, gaps.get(gap, 0.0))
        starts = [s for _g, _c, s, _e in evidence]
        if candidates:
            key = max(candidates)
            group = placed.get(key)
            if group is None:
                placed[key] = _Group([clause_id], gaps, starts, key[0], key[1], evidence_index=first_index)
            else:
                group.clause_ids.append(clause_id)
                for g, c in gaps.items():
                    group.gaps[g] = max(c, group.gaps.get(g, 0.0))
                group.starts += starts
        else:
            group = unplaced.get(first_index)
            if group is None:
                unplaced[first_index] = _Group([clause_id], gaps, starts, first_index, None, reason, first_index)
            else:
                group.clause_ids.append(clause_id)
                for g, c in gaps.items():
                    group.gaps[g] = max(c, group.gaps.get(g, 0.0))
    return sorted([*placed.values(), *unplaced.values()], key=lambda g: (g.index, g.doc_end or 0))


def _narrowing(report: Report, structure: Structure, group: _Group, years: int, terms: set[str]):
    """{paragraph index: [(start, end, replacement)]} for the clause's grant sentences about the person."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    clauses = {c.id: c for c in report.clauses}
    text = report.document.text
    for clause_id in group.clause_ids:
        clause = clauses.get(clause_id)
        if clause is None:
            continue
        spans = clause.sentences or ((clause.start, clause.end),)
        for s, e in spans:
            for a, b, repl in narrowing_edits(text[s:e], set(group.gaps), years, terms):
                i = structure.index_at(s + a)
                if i is None or structure.reason[i] is not None or structure.index_at(s + b - 1) != i:
                    continue
                para = structure.paras[i]
                pa, pb = para.offset(s + a), para.offset(s + b)
                if pa is None or pb is None or not para.exact or para.text[pa:pb] != text[s + a : s + b]:
                    continue
                out.setdefault(i, []).append((pa, pb, repl))
    return out


def _initials(author: str) -> str:
    words = re.findall(r"[^\W\d_]+", re.sub(r"\(.*?\)", "", author))
    return "".join(w[0].upper() for w in words[:3]) or author[:2]


def _anchor_runs(p, document):
    """The paragraph's own runs (not ones the redline inserted or deleted) a comment can span."""
    import docx.text.run
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(p, document)

    runs = []
    for r in p.iter(qn("r")):
        anc, skip = r.getparent(), False
        while anc is not None and anc is not p:
            if anc.tag in (qn("ins"), qn("del"), qn("p")):
                skip = True
                break
            anc = anc.getparent()
        if not skip and (r.find(qn("t")) is not None or r.find(qn("tab")) is not None):
            runs.append(docx.text.run.Run(r, paragraph))
    return runs


def redline(
    report: Report,
    addendum: Addendum,
    path: str | Path,
    *,
    author: str = DEFAULT_AUTHOR,
    date: str | None = None,
    on_revisions: str = "accept",
    narrow_grants: bool = False,
    internal: bool = False,
) -> RedlineResult:
    """The redlined contract as DOCX bytes, with what was changed where."""
    doc = report.document
    if doc.format == "docx":
        document, paragraphs = _open_docx(Path(path), on_revisions)
        paras = paras_for_docx(document, doc.blocks, doc.text, paragraphs)
    else:
        document, paras = _rebuild(report)
    rev = Revisions(document.element, author, date)
    if doc.format != "docx":
        when = _dt.datetime.fromisoformat(rev.date.replace("Z", "+00:00")).replace(tzinfo=None)
        clear_properties(document, addendum.deal.agreement_title, author, when)
    structure = Structure(paras, report.clauses)
    groups = _groups(report, structure)
    terms = likeness_terms(doc.text) if narrow_grants else set()

    # every edit of every paragraph, planned on the original text, then applied right to left
    edits: dict[int, list[tuple[int, int, str]]] = {}
    changes: list[Change] = []
    notes: list[str] = _outside_body(report)
    for group in groups:
        sections = [s for g in group.gaps if (s := addendum.section_for(g))]
        sections = sorted({s.n: s for s in sections}.values(), key=lambda s: s.n)
        numbers = [s.n for s in sections]
        target = None
        if group.doc_end is not None and numbers:
            target = insertion(structure, group.index, group.doc_end, group.starts)
        if target is None and group.evidence_index is not None:
            group.index = group.evidence_index  # nothing inserted: comment where the clause says it
        change = Change(
            clause_ids=list(group.clause_ids),
            gaps=sorted(group.gaps, key=lambda g: min([s.n for s in sections if s.gap == g] or [99])),
            sections=numbers,
            paragraph=target.index if target else group.index,
            form=target.form if target else None,
            inserted="",
            reason=None if target else REASONS.get(group.reason or "fragment", "passage"),
            original=structure.paras[target.index if target else group.index].text,
        )
        if target is not None:
            change.inserted = wording.carve_out(numbers, group.gaps, target.form)
            edits.setdefault(target.index, []).append((target.offset, target.offset, change.inserted))
        if narrow_grants:
            for i, found in _narrowing(report, structure, group, addendum.deal.term_years, terms).items():
                for a, b, repl in found:
                    edits.setdefault(i, []).append((a, b, repl))
                    change.narrowed.append((structure.paras[i].text[a:b].strip(" ,"), repl))
        changes.append(change)

    amended = 0
    for i, planned in edits.items():
        p = structure.paras[i].p
        planned = sorted(set(planned), key=lambda e: (e[0], e[1]))
        kept: list[tuple[int, int, str]] = []
        for e in planned:  # no two edits over the same words
            if not kept or e[0] >= kept[-1][1] or e[0] == e[1]:
                kept.append(e)
        made = 0
        for a, b, text in sorted(kept, key=lambda e: (e[0], e[1] != e[0]), reverse=True):
            if a == b:
                done = rev.insert_at(p, a, text)
            else:
                done = rev.replace(p, a, b, text)
            if done is None:
                notes.append(f"could not mark an edit in paragraph {i + 1} (a field or drawing where it lands)")
            else:
                made += 1
        amended += made > 0

    comments = 0
    clauses = {c.id: c for c in report.clauses}
    for change, group in zip(changes, groups):
        sections = [s for n in change.sections if (s := next((x for x in addendum.sections if x.n == n), None))]
        extra: list[str] = []
        if internal:
            clause_numbers = [clauses[c].number or c for c in change.clause_ids if c in clauses]
            extra = [f"clause {', '.join(n.strip() for n in clause_numbers)} ({', '.join(change.clause_ids)})"]
            extra += [f"{g} {group.gaps[g]:.2f}" for g in change.gaps]
        hidden = sorted(
            {e.hidden for f in report.findings for e in f.evidence if e.hidden and e.clause_id in change.clause_ids}
        )
        change.comment = wording.comment(
            sections,
            change.gaps,
            placed=change.form,
            reason=change.reason,
            narrowed=change.narrowed,
            internal=extra,
            hidden=hidden,
        )
        runs = _anchor_runs(structure.paras[change.paragraph].p, document)
        if not runs:
            notes.append(f"no comment on paragraph {change.paragraph + 1}: it has no text run to anchor it")
            continue
        try:
            c = document.add_comment(runs, text=change.comment, author=author, initials=_initials(author))
        except (ValueError, KeyError) as exc:  # a run layout python-docx cannot anchor a comment to
            notes.append(f"no comment on one flagged clause ({exc})")
            continue
        c._comment_elm.set(qn("date"), rev.date)
        comments += 1

    # the Addendum, after a page break, as one inserted block
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
        raise DraftError(f"could not write the redline ({exc})", path=doc.source) from None
    return RedlineResult(
        buf.getvalue(), rev.counts["ins"], rev.counts["del"], comments, amended, notes, changes
    )
