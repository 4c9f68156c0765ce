"""The review report for one deal: the contract itself with its gaps marked, in one self-contained HTML file.

For an agent reviewing a single contract: a header with the facts (the document type among them) and the risk,
a table of contents of the findings, what the contract does not say (contract-level gaps), what it already
protects (each protection with its quote, linked to its clause), a checklist of every gap of the taxonomy
(raised, protected or not raised), then the whole contract in clause order with
each flagged clause highlighted by severity and, beside it, each finding: the gap in plain words, why it
matters, the anchors, and the proposed addendum language for it (the same templates ``castguard draft``
uses). Inline CSS and SVG only: no script, no font or image from the network; it works when emailed and
opened offline, reflows on a phone, and prints with sensible page breaks. Severity is never shown by colour
alone (a symbol and a word go with it), nor is a protection or a checklist status. Everything taken from the
contract or the deal is escaped.

The markup is ``review.html.j2`` (:mod:`castguard.templating.html`, which escapes every value); this module
prepares what the template shows: the findings in table-of-contents order, which panel carries each gap's
proposed language, the clause text cut into marked and unmarked runs.
"""

from __future__ import annotations

from pathlib import Path

from .._version import __version__
from ..classify.taxonomy import GAPS, SEVERITY_ORDER
from ..draft import build_addendum, contract_facts, resolve_deal
from ..draft.writers import html_blocks
from ..errors import DealError
from ..model import Finding, Report
from ..templating.html import render
from . import (
    DISCLAIMER,
    clause_ref,
    evidence_notes,
    gap_checklist,
    playbook_line,
    risk_score,
    severity_counts,
    summary_text,
)
from .facts import INTRO, NOT_STATED, fact_rows
from .table import DOCUMENT_TYPE_LABEL, STATUS_SYMBOL, not_applicable_text, protections_apply

__all__ = ["render_html"]

SYMBOL = {"high": "\u25b2", "medium": "\u25c6", "low": "\u25cf"}  # ▲ ◆ ●
LABEL = {"high": "High", "medium": "Medium", "low": "Low"}
# text colours reach 4.5:1 on white and on their tint; fills are decorative and always carry a label
COLOUR = {"high": "#a4161a", "medium": "#8a4b00", "low": "#1d4e89"}
TINT = {"high": "#fdecea", "medium": "#fff4e0", "low": "#e8f0fb"}
STATUS_WORD = {
    "raised": "Raised",
    "protected": "Protected",
    "not_raised": "Not raised",
    "off": "Off (playbook)",
    "not_checked": "Not checked (French rules)",
}


def _chart(counts: dict[str, int]) -> dict:
    """The bar chart of findings by severity (an SVG with a title; the numbers are in the text too)."""
    width, bar_h = 320, 22
    biggest = max(counts.values()) or 1
    bars = []
    for i, sev in enumerate(("high", "medium", "low")):
        n = counts.get(sev, 0)
        w = 0 if not n else max(4, int((width - 150) * n / biggest))
        bars.append({"severity": sev, "n": n, "width": w, "y": 6 + i * (bar_h + 8)})
    return {
        "width": width,
        "bar_height": bar_h,
        "height": 6 + 3 * (bar_h + 8),
        "total": sum(counts.values()),
        "desc": ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low")),
        "bars": bars,
    }


def _marked(text: str, base: int, spans: list[tuple[int, int, str]]) -> list[tuple[str | None, str]]:
    """The clause text as runs of (severity or None, text): evidence spans are marked, overlaps take the worst."""
    if not spans:
        return [(None, text)]
    n = len(text)
    level = [0] * n
    for start, end, sev in spans:
        for i in range(max(0, start - base), min(n, end - base)):
            level[i] = max(level[i], SEVERITY_ORDER[sev])
    name = {v: k for k, v in SEVERITY_ORDER.items()}
    out, i = [], 0
    while i < n:
        j = i
        while j < n and level[j] == level[i]:
            j += 1
        out.append((name[level[i]] if level[i] else None, text[i:j]))
        i = j
    return out


def _language_once(addendum, gap: str, idx: int, shown: dict) -> dict | None:
    """The proposed language with the first finding of a gap (its section's blocks); later findings of the same
    gap link to that first one (``first``)."""
    section = addendum.section_for(gap) if addendum is not None else None
    if gap in shown:
        return None if section is None else {"n": section.n, "first": shown[gap]}
    shown[gap] = idx
    if section is None:
        return None
    return {"n": section.n, "first": None, "blocks": html_blocks(section.body, heading_base=3)}  # "## n." is h4


def _panel(f: Finding, idx: int, addendum, clauses: dict, shown: dict, seen: dict) -> dict:
    """One finding's panel. A finding that spans several clauses has a panel beside each; the first carries
    the id the table of contents links to, the others a numbered one (ids stay unique)."""
    seen[idx] = seen.get(idx, 0) + 1
    where = []
    for ev in f.evidence:
        c = clauses.get(ev.clause_id)
        where.append({"clause_id": ev.clause_id, "label": (c.number or c.heading or "clause") if c else "clause",
                      "page": ev.page})  # fmt: skip
    return {
        "finding": f,
        "gap": GAPS[f.gap],
        "id": f"finding-{idx}" if seen[idx] == 1 else f"finding-{idx}-{seen[idx]}",
        "notes": _notes(f.evidence),
        "where": where if f.kind == "contract" else [],
        "language": _language_once(addendum, f.gap, idx, shown),
    }


def _notes(evidence) -> list[str]:
    """The hidden / not-in-the-body sentences of the evidence, each once."""
    return list(dict.fromkeys(n for _, n in evidence_notes(evidence)))


def _link(clauses: dict, clause_id: str) -> dict:
    """A link to a clause, named as a reader finds it."""
    c = clauses.get(clause_id)
    return {"clause_id": clause_id, "text": clause_ref(c) if c else clause_id}


def _protections(report: Report, clauses: dict, first_finding: dict[str, int]) -> list[dict]:
    """What the contract already protects: each protection with its quotes, each quote linked to its clause."""
    return [
        {
            "protection": p,
            "title": GAPS[p.gap].title,
            "quotes": [{"quote": ev.quote, "link": _link(clauses, ev.clause_id)} for ev in p.evidence],
            "notes": _notes(p.evidence),
            "finding": first_finding.get(p.gap),
        }
        for p in report.protections
    ]


def _checklist(report: Report, clauses: dict, first_finding: dict[str, int]) -> list[dict]:
    """Every gap of the taxonomy with its status and links to the finding or protection and the clauses that
    decided it."""
    first_protection: dict[str, int] = {}
    for i, p in enumerate(report.protections):
        if not p.hollowed:
            first_protection.setdefault(p.gap, i)
    severity: dict[str, str] = {}
    for f in report.findings:
        if f.gap not in severity or SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[severity[f.gap]]:
            severity[f.gap] = f.severity
    rows = []
    for row in gap_checklist(report):
        gap, status = row["gap"], row["status"]
        rows.append(
            {
                "gap": gap,
                "title": row["title"],
                "status": status,
                "finding": first_finding.get(gap) if status == "raised" else None,
                "severity": severity.get(gap),
                "protection": first_protection.get(gap) if status == "protected" else None,
                "links": [_link(clauses, c) for c in row["clause_ids"]],
            }
        )
    return rows


def _addendum_for(report: Report, deal_options: dict | None):
    """The addendum (for its per-gap language) with the contract's own facts and neutral fallbacks."""
    if not report.in_scope or not report.findings or report.language != "English":
        return None  # (the addendum's wording is English: none is proposed for a French contract)
    facts = {k: v for k, v in contract_facts(report.facts).items() if v}
    fallback = {
        "performer": "the Performer",
        "company": "the Company",
        "agreement_title": "Agreement",
        "agreement_date": "the date stated in it",
        "jurisdiction": "OTHER",
    }
    try:
        deal = resolve_deal({**fallback, **facts}, deal_options or {}, {}, source=report.document.source)
        return build_addendum(report, deal)
    except DealError:  # facts the contract gives that no addendum can use: the report stands without language
        return None  # (a template set that cannot load is an error, raised, never a silent loss of the panels)


def _facts(report: Report) -> list[dict]:
    """The deal facts that head the review: each fact with where the contract states it and its words."""
    rows = []
    for r in fact_rows(report.facts, report.clauses):
        quote = r.quote if len(r.quote) <= 300 else r.quote[:299] + "…"
        rows.append({"row": r, "quote": quote, "link": bool(r.clause_id and r.where)})
    return rows


def _clauses(report: Report, ordered, addendum, clauses: dict, shown: dict, seen: dict, applies: bool) -> list[dict]:
    """The contract clause by clause: its text in marked runs, its findings' panels, its protections' marks."""
    doc = report.document
    marks: dict[str, list[dict]] = {}  # clause id -> its "protected" markers
    if applies:
        for i, p in enumerate(report.protections):
            for cid in dict.fromkeys([*p.clause_ids, *(ev.clause_id for ev in p.evidence)]):
                marks.setdefault(cid, []).append({"index": i, "protection": p, "title": GAPS[p.gap].title})
    by_clause: dict[str, list[tuple[int, Finding]]] = {}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for i, f in ordered:
        if f.kind == "clause":
            for cid in dict.fromkeys(f.clause_ids):
                by_clause.setdefault(cid, []).append((i, f))
        for ev in f.evidence:
            spans.setdefault(ev.clause_id, []).append((ev.start, ev.end, f.severity))
    rows = []
    for c in report.clauses:
        text = doc.text[c.start : c.end]
        if doc.format == "pdf":  # a PDF's line ends are where the page wrapped, not the author's breaks
            text = text.replace("\n", " ")
        found = by_clause.get(c.id, [])
        worst = max((f.severity for _, f in found), key=SEVERITY_ORDER.__getitem__) if found else None
        rows.append(
            {
                "clause": c,
                "worst": worst,
                "name": c.number or c.heading or c.id,
                "marks": marks.get(c.id, []),
                "number": c.number if c.number and not text.lstrip().startswith(c.number) else None,
                "runs": _marked(text, c.start, spans.get(c.id, [])),
                "panels": [_panel(f, i, addendum, clauses, shown, seen) for i, f in found],
            }
        )
    return rows


def render_html(
    report: Report, *, deal_options: dict | None = None, template: str = "review.html.j2", **extra
) -> str:
    """The review report of ``report``. ``template``: another page that extends ``review.html.j2`` (its blocks
    ``csp``, ``head``, ``top`` and ``bottom``; ``castguard serve`` adds its navigation and the facts form),
    given ``extra`` besides the report's own context."""
    doc = report.document
    addendum = _addendum_for(report, deal_options)
    clauses = {c.id: c for c in report.clauses}
    counts = severity_counts(report)
    ordered = sorted(
        enumerate(report.findings), key=lambda t: (-SEVERITY_ORDER[t[1].severity], list(GAPS).index(t[1].gap))
    )
    title_fact = report.fact("agreement_title")
    doc_type = DOCUMENT_TYPE_LABEL.get(report.document_type, report.document_type.replace("_", " "))
    toc = []
    for idx, f in ordered:
        clause = clauses.get(f.clause_ids[0]) if f.clause_ids else None
        where = (clause.number or clause.heading or "") if clause and f.kind == "clause" else ""
        toc.append({"index": idx, "finding": f, "title": GAPS[f.gap].title, "where": where})
    first_finding: dict[str, int] = {}  # gap -> its first finding in table-of-contents order
    for i, f in ordered:
        first_finding.setdefault(f.gap, i)
    applies = protections_apply(report)
    shown: dict[str, int] = {}  # gap -> the finding whose panel carries the proposed language
    seen: dict[int, int] = {}  # finding -> panels written so far
    # panels are made in the order the page shows them: what the contract does not say, then clause by clause
    silent = [_panel(f, i, addendum, clauses, shown, seen) for i, f in ordered if f.kind == "contract"]
    by_clause = _clauses(report, ordered, addendum, clauses, shown, seen, applies)
    return render(
        template,
        **extra,
        version=__version__,
        report=report,
        doc=doc,
        title=str(title_fact.value) if title_fact is not None else Path(doc.source).name,
        file_name=Path(doc.source).name,
        facts=_facts(report),
        intro=INTRO,
        not_stated=NOT_STATED,
        doc_type=doc_type[:1].upper() + doc_type[1:],
        score=risk_score(report),
        counts=counts,
        chart=_chart(counts),
        summary=summary_text(report),
        toc=toc,
        applies=applies,
        not_applicable=not_applicable_text(report) if not applies else "",
        silent=silent,
        protections=_protections(report, clauses, first_finding) if applies else [],
        checklist=_checklist(report, clauses, first_finding) if applies else [],
        clauses=by_clause,
        disclaimer=DISCLAIMER,
        playbook=playbook_line(report),
        symbol=SYMBOL,
        label=LABEL,
        colour=COLOUR,
        status_symbol=STATUS_SYMBOL,
        status_word=STATUS_WORD,
    )
