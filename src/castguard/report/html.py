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
"""

from __future__ import annotations

from pathlib import Path

from .._version import __version__
from ..classify.taxonomy import GAPS, SEVERITY_ORDER
from ..escape.html import file_name
from ..escape.html import text as escape_text
from ..model import Finding, Report
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
from .table import DOCUMENT_TYPE_LABEL, STATUS_SYMBOL, not_applicable_text, protections_apply

__all__ = ["render_html"]

SYMBOL = {"high": "\u25b2", "medium": "\u25c6", "low": "\u25cf"}  # ▲ ◆ ●
LABEL = {"high": "High", "medium": "Medium", "low": "Low"}
# text colours reach 4.5:1 on white and on their tint; fills are decorative and always carry a label
COLOUR = {"high": "#a4161a", "medium": "#8a4b00", "low": "#1d4e89"}
TINT = {"high": "#fdecea", "medium": "#fff4e0", "low": "#e8f0fb"}
STATUS_WORD = {"raised": "Raised", "protected": "Protected", "not_raised": "Not raised", "off": "Off (playbook)"}

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 Georgia,'Times New Roman',serif;color:#1a1a1a;background:#ffffff;overflow-wrap:anywhere}
svg{max-width:100%;height:auto}
a{color:#0b4f8a}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#ffffff;padding:.5rem;z-index:2}
header,nav,main,footer{max-width:72rem;margin:0 auto;padding:1rem 1.25rem}
header{border-bottom:2px solid #1a1a1a}
.tool{font:14px/1.4 system-ui,sans-serif;color:#444444;margin:0}
h1{font-size:1.7rem;line-height:1.25;margin:.4rem 0 .8rem}
h2{font-size:1.3rem;margin:1.6rem 0 .6rem;break-after:avoid}
h3{font-size:1.05rem;margin:0 0 .4rem;break-after:avoid}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 1rem}
dl.facts dt{font-weight:bold}dl.facts dd{margin:0}
dl.facts dd.absent{font-style:italic;color:#444444}
q.evidence{font-size:.92rem;font-style:italic;color:#333333}
.hidden-note{border-left:4px solid #a4161a;padding:.2rem .6rem;background:#fdf2f2;color:#1a1a1a}
.deal-facts h2{margin-top:.6rem}.deal-facts .note{font:.9rem/1.4 system-ui,sans-serif;color:#444444;margin:.2rem 0 .6rem}
.risk{display:flex;flex-wrap:wrap;gap:1.25rem;align-items:center}
.score{font:700 2.2rem/1 system-ui,sans-serif}
.score small{font-size:1rem;font-weight:400}
.summary{font-size:1.05rem;background:#f4f4f4;color:#1a1a1a;padding:.8rem 1rem;border-left:4px solid #1a1a1a}
nav ol{padding-left:1.4rem}nav li{margin:.25rem 0}
.sev{font:700 .85rem/1.2 system-ui,sans-serif;white-space:nowrap}
.sev-high .sev,.sev.high{color:#a4161a}.sev-medium .sev,.sev.medium{color:#8a4b00}.sev-low .sev,.sev.low{color:#1d4e89}
.clause{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.25rem;padding:.5rem 0;
  border-top:1px solid #dddddd}
.clause.plain{grid-template-columns:minmax(0,1fr)}
.clause .text{white-space:pre-wrap;overflow-wrap:anywhere}
.clause .num{font:700 .95rem system-ui,sans-serif;color:#1a1a1a;margin-right:.4rem}
.clause.flagged .text{padding-left:.6rem;border-left:6px solid #a4161a}
.clause.flagged.worst-medium .text{border-left:6px dashed #8a4b00}
.clause.flagged.worst-low .text{border-left:6px dotted #1d4e89}
mark{color:#1a1a1a;padding:0 .1rem}
mark.high{background:#fdecea;border-bottom:2px solid #a4161a}
mark.medium{background:#fff4e0;border-bottom:2px dashed #8a4b00}
mark.low{background:#e8f0fb;border-bottom:2px dotted #1d4e89}
.finding{border:1px solid #999999;border-left-width:6px;padding:.7rem .9rem;margin:0 0 .8rem;background:#ffffff;
  color:#1a1a1a;break-inside:avoid}
.finding.sev-high{border-left-color:#a4161a}.finding.sev-medium{border-left-color:#8a4b00;border-left-style:dashed}
.finding.sev-low{border-left-color:#1d4e89;border-left-style:dotted}
.finding p{margin:.35rem 0}
.finding .anchors{font-size:.9rem}
.language{font-size:.92rem;background:#f7f7f7;color:#1a1a1a;padding:.2rem .8rem;margin-top:.5rem}
.language h4,.language h5{font-size:.95rem;margin:.5rem 0 .2rem}
details summary{cursor:pointer;font:600 .9rem system-ui,sans-serif}
.prot{font:700 .85rem/1.2 system-ui,sans-serif;white-space:nowrap;color:#1b5e20}
.prot.hollowed{color:#a4161a}
.protection{border:1px solid #999999;border-left:6px double #1b5e20;padding:.7rem .9rem;margin:0 0 .8rem;
  background:#f1f8f1;color:#1a1a1a;break-inside:avoid}
.protection.hollowed{border-left-color:#a4161a;background:#ffffff;color:#1a1a1a}
.protection p{margin:.35rem 0}
.protection figure{margin:.5rem 0}
.protection blockquote{margin:0;padding:.1rem .8rem;border-left:3px solid #1b5e20;font-style:italic}
.protection.hollowed blockquote{border-left:3px dashed #a4161a}
.protection figcaption{font:.9rem/1.4 system-ui,sans-serif;margin:.2rem 0 0 .8rem}
table.checklist{border-collapse:collapse;width:100%;font-size:.95rem}
table.checklist caption{text-align:left;margin:0 0 .4rem}
table.checklist th,table.checklist td{border-bottom:1px solid #dddddd;padding:.35rem .5rem;text-align:left;
  vertical-align:top}
table.checklist thead th{border-bottom:2px solid #1a1a1a;font-family:system-ui,sans-serif}
table.checklist tbody th{font-weight:normal}
table.checklist tr{break-inside:avoid}
.st{font:700 .85rem/1.2 system-ui,sans-serif;white-space:nowrap}
.st.raised{color:#a4161a}.st.protected{color:#1b5e20}.st.not_raised{color:#444444}.st.off{color:#444444}
.gapid{font-size:.85rem;color:#444444}
.pmark{display:block;font:600 .85rem/1.4 system-ui,sans-serif;color:#1a1a1a;margin:0 0 .25rem;white-space:normal}
.scope-no{font-weight:bold}
footer{font-size:.9rem;color:#333333;border-top:1px solid #999999;margin-top:2rem}
@media (max-width:760px){.clause{grid-template-columns:minmax(0,1fr)}h1{font-size:1.4rem}
  header,nav,main,footer{padding:.75rem}}
@media print{body{font-size:11pt}.skip{display:none}header,nav,main,footer{max-width:none;padding:0}
  .clause{grid-template-columns:minmax(0,1fr);break-inside:auto}.finding{break-inside:avoid}
  nav{break-after:page}a{color:#1a1a1a;text-decoration:none}details>summary{display:none}}
"""


def _e(text) -> str:
    return escape_text(text)


def _sev(severity: str) -> str:
    return f'<span class="sev {severity}">{SYMBOL[severity]} {LABEL[severity]}</span>'


def _chart(counts: dict[str, int]) -> str:
    """A horizontal bar chart of findings by severity (SVG with a title; the numbers are in the text too)."""
    total = sum(counts.values())
    width, bar_h = 320, 22
    rows = []
    biggest = max(counts.values()) or 1
    for i, sev in enumerate(("high", "medium", "low")):
        n = counts.get(sev, 0)
        w = 0 if not n else max(4, int((width - 150) * n / biggest))
        y = 6 + i * (bar_h + 8)
        rows.append(
            f'<text x="0" y="{y + 16}" font-size="14" fill="#1a1a1a">{SYMBOL[sev]} {LABEL[sev]}</text>'
            f'<rect x="90" y="{y}" width="{w}" height="{bar_h}" fill="{COLOUR[sev]}"></rect>'
            f'<text x="{96 + w}" y="{y + 16}" font-size="14" fill="#1a1a1a">{n}</text>'
        )
    height = 6 + 3 * (bar_h + 8)
    desc = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low"))
    return (
        f'<svg role="img" aria-labelledby="chart-t chart-d" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-t">Findings by severity ({total} in all)</title><desc id="chart-d">{_e(desc)}</desc>'
        + "".join(rows)
        + "</svg>"
    )


def _marked(text: str, base: int, spans: list[tuple[int, int, str]]) -> str:
    """The clause text with evidence spans wrapped in <mark class=severity> (overlaps take the worst)."""
    if not spans:
        return _e(text)
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
        chunk = _e(text[i:j])
        out.append(f'<mark class="{name[level[i]]}">{chunk}</mark>' if level[i] else chunk)
        i = j
    return "".join(out)


def _language(addendum, gap: str) -> str:
    if addendum is None:
        return ""
    section = addendum.section_for(gap)
    if section is None:
        return ""
    from ..draft.writers import blocks_to_html

    body = blocks_to_html(section.body, heading_base=3)  # "## n. Title" becomes h4
    return (
        f'<details class="language" open><summary>Proposed language (Addendum Section {section.n})</summary>'
        f"{body}</details>"
    )


def _language_once(addendum, gap: str, idx: int, shown: dict) -> str:
    """The proposed language with the first finding of a gap; later findings of the same gap link to it."""
    if gap in shown:
        section = addendum.section_for(gap) if addendum else None
        if section is None:
            return ""
        return (
            f'<p><strong>Proposed language:</strong> <a href="#finding-{shown[gap]}">Addendum Section {section.n}, '
            "shown with the first finding of this gap</a></p>"
        )
    shown[gap] = idx
    return _language(addendum, gap)


def _finding_panel(f, idx: int, addendum, clauses: dict, shown: dict, seen: dict) -> str:
    """One finding's panel. A finding that spans several clauses has a panel beside each; the first carries
    the id the table of contents links to, the others a numbered one (ids stay unique)."""
    gap = GAPS[f.gap]
    seen[idx] = seen.get(idx, 0) + 1
    pid = f"finding-{idx}" if seen[idx] == 1 else f"finding-{idx}-{seen[idx]}"
    where = []
    for ev in f.evidence:
        c = clauses.get(ev.clause_id)
        label = (c.number or c.heading or "clause") if c else "clause"
        page = f", p. {ev.page}" if ev.page else ""
        where.append(f'<a href="#clause-{_e(ev.clause_id)}">{_e(label)}{page}</a>')
    anchors = "; ".join(_e(a) for a in f.anchors)
    return (
        f'<section class="finding sev-{f.severity}" id="{pid}" aria-labelledby="{pid}-h">'
        f'<h3 id="{pid}-h">{_sev(f.severity)} {_e(gap.title)}</h3>'
        f"<p><strong>What it means:</strong> {_e(gap.why)}</p>"
        f"<p><strong>Here:</strong> {_e(f.explanation)}</p>"
        + _notes_html(f.evidence)
        + (f"<p><strong>Where:</strong> {', '.join(where)}</p>" if f.kind == "contract" and where else "")
        + f"<p><strong>What to ask for:</strong> {_e(gap.protection)}</p>"
        f'<p class="anchors"><strong>Anchors:</strong> {anchors} <span class="gapid">({_e(f.gap)}, found by '
        f"{_e(f.detector)})</span></p>" + _language_once(addendum, f.gap, idx, shown) + "</section>"
    )


def _notes_html(evidence) -> str:
    """The hidden / not-in-the-body sentences of the evidence, each once."""
    notes = dict.fromkeys(n for _, n in evidence_notes(evidence))
    return "".join(f'<p class="hidden-note"><strong>Note:</strong> {_e(n)}</p>' for n in notes)


def _clause_link(clauses: dict, clause_id: str) -> str:
    c = clauses.get(clause_id)
    return f'<a href="#clause-{_e(clause_id)}">{_e(clause_ref(c) if c else clause_id)}</a>'


def _status(status: str) -> str:
    return f'<span class="st {status}">{STATUS_SYMBOL[status]} {STATUS_WORD[status]}</span>'


def _protection_mark(p) -> str:
    if p.hollowed:
        return f'<span class="prot hollowed">{STATUS_SYMBOL["raised"]} Hollowed out</span>'
    return f'<span class="prot">{STATUS_SYMBOL["protected"]} Protected</span>'


def _protections_html(report: Report, clauses: dict, first_finding: dict[str, int]) -> str:
    """What the contract already protects: each protection with its quotes, each quote linked to its clause."""
    panels = []
    for i, p in enumerate(report.protections):
        pid = f"protection-{i}"
        quotes = "".join(
            f"<figure><blockquote>“{_e(ev.quote)}”</blockquote>"
            f"<figcaption>{_clause_link(clauses, ev.clause_id)}</figcaption></figure>"
            for ev in p.evidence
        ) + _notes_html(p.evidence)
        finding = first_finding.get(p.gap)
        see = (
            f' See <a href="#finding-{finding}">the “{_e(GAPS[p.gap].title)}” finding</a>.' if finding is not None else ""
        )
        if p.hollowed:
            note = (
                "<p><strong>Does not count:</strong> the protection is itself carved out (hollowed out), so the "
                f"gap stays raised.{see}</p>"
            )
        elif finding is not None:
            note = f"<p><strong>Still raised:</strong> other clauses leave the person exposed to this gap.{see}</p>"
        else:
            note = ""
        panels.append(
            f'<section class="protection{" hollowed" if p.hollowed else ""}" id="{pid}" aria-labelledby="{pid}-h">'
            f'<h3 id="{pid}-h">{_protection_mark(p)}{" protection" if p.hollowed else ""} against: '
            f"{_e(GAPS[p.gap].title)}</h3>"
            f"<p><strong>Here:</strong> {_e(p.explanation)}</p>{quotes}{note}"
            f'<p class="gapid">({_e(p.gap)}, found by {_e(p.detector or "castguard")})</p></section>'
        )
    body = "".join(panels) or "<p>No clause was recognised as protecting against a gap.</p>"
    return (
        '<section id="protections" aria-labelledby="protections-h">'
        '<h2 id="protections-h">What the contract already protects</h2>'
        "<p>Clauses that already protect the person against a gap; a protection that is itself carved out "
        "is shown as hollowed out and does not count.</p>" + body + "</section>"
    )


def _checklist_html(report: Report, clauses: dict, first_finding: dict[str, int]) -> str:
    """Every gap of the taxonomy with its status (symbol and word) and links to the clauses that decided it."""
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
        cell = _status(status)
        if status == "raised" and gap in first_finding:
            cell = f'<a href="#finding-{first_finding[gap]}">{cell}</a> {_sev(severity[gap])}'
        elif status == "protected" and gap in first_protection:
            cell = f'<a href="#protection-{first_protection[gap]}">{cell}</a>'
        links = ", ".join(_clause_link(clauses, c) for c in row["clause_ids"]) or "—"
        rows.append(
            f'<tr><th scope="row">{_e(row["title"])} <span class="gapid">({_e(gap)})</span></th>'
            f"<td>{cell}</td><td>{links}</td></tr>"
        )
    return (
        '<section id="checklist" aria-labelledby="checklist-h"><h2 id="checklist-h">Checklist of every gap</h2>'
        '<table class="checklist"><caption>Each gap castguard checks: raised (a finding above), protected (a '
        "clause already protects against it) or not raised.</caption>"
        '<thead><tr><th scope="col">Gap</th><th scope="col">Status</th><th scope="col">Clauses</th></tr></thead>'
        "<tbody>" + "".join(rows) + "</tbody></table></section>"
    )


def _addendum_for(report: Report, deal_options: dict | None):
    """The addendum (for its per-gap language) with the contract's own facts and neutral fallbacks."""
    if not report.in_scope or not report.findings:
        return None
    from ..draft import build_addendum, contract_facts, resolve_deal
    from ..errors import DealError

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


def _facts_html(report: Report) -> str:
    """The deal facts that head the review: each fact with where the contract states it and its words."""
    from .facts import INTRO, NOT_STATED, fact_rows

    items = []
    for r in fact_rows(report.facts, report.clauses):
        if not r.value:
            items.append(f'<dt>{_e(r.label)}</dt><dd class="absent">{_e(NOT_STATED)}</dd>')
            continue
        where = (
            f' — <a href="#clause-{_e(r.clause_id)}">{_e(r.where)}</a>' if r.clause_id and r.where else ""
        )
        quote = r.quote if len(r.quote) <= 300 else r.quote[:299] + "…"
        items.append(
            f"<dt>{_e(r.label)}</dt><dd>{_e(r.value)}{where}"
            + (f'<br><q class="evidence">{_e(quote)}</q>' if quote else "")
            + "</dd>"
        )
    return (
        '<section class="deal-facts" aria-labelledby="facts-h"><h2 id="facts-h">Deal facts</h2>'
        f'<p class="note">{_e(INTRO)}</p><dl class="facts">{"".join(items)}</dl></section>'
    )


def render_html(report: Report, *, deal_options: dict | None = None) -> str:
    doc = report.document
    addendum = _addendum_for(report, deal_options)
    clauses = {c.id: c for c in report.clauses}
    counts = severity_counts(report)
    score = risk_score(report)
    ordered = sorted(
        enumerate(report.findings), key=lambda t: (-SEVERITY_ORDER[t[1].severity], list(GAPS).index(t[1].gap))
    )
    title_fact = report.fact("agreement_title")
    title = str(title_fact.value) if title_fact is not None else Path(doc.source).name
    scope = (
        "<span>Yes</span> — " + _e(report.scope_reason)
        if report.in_scope
        else f'<span class="scope-no">No</span> — {_e(report.scope_reason)}; no findings apply'
    )
    pages = f"{doc.pages} page(s), " if doc.pages else ""
    doc_type = DOCUMENT_TYPE_LABEL.get(report.document_type, report.document_type.replace("_", " "))
    doc_type = _e(doc_type[:1].upper() + doc_type[1:]) + (
        f" — {_e(report.document_type_reason)}" if report.document_type_reason else ""
    )
    head = (
        f'<header><p class="tool">castguard {_e(__version__)} · contract review · not legal advice</p>'
        f"<h1>{_e(title)}</h1>"
        + _facts_html(report)
        + '<dl class="facts">'
        f"<dt>File</dt><dd>{file_name(Path(doc.source).name)} ({_e(doc.format.upper())}, {pages}{len(report.clauses)} clauses)</dd>"
        f"<dt>Document type</dt><dd>{doc_type}</dd>"
        f"<dt>In scope</dt><dd>{scope}</dd>"
        "</dl>"
        '<section class="risk" aria-labelledby="risk-h"><h2 id="risk-h">Risk</h2>'
        f'<p class="score">{score}<small>/100</small></p>{_chart(counts)}'
        f"<p>{counts.get('high', 0)} high, {counts.get('medium', 0)} medium, {counts.get('low', 0)} low.</p></section>"
        f'<p class="summary">{_e(summary_text(report))}</p>'
        "</header>"
    )
    toc_items = []
    for idx, f in ordered:
        target = f"finding-{idx}"
        clause = clauses.get(f.clause_ids[0]) if f.clause_ids else None
        where = f" — {_e(clause.number or clause.heading or '')}" if clause and f.kind == "clause" else ""
        where = where if where != " — " else ""
        unsaid = " (what the contract does not say)" if f.kind == "contract" else ""
        toc_items.append(f'<li><a href="#{target}">{_sev(f.severity)} {_e(GAPS[f.gap].title)}{where}{unsaid}</a></li>')
    applies = protections_apply(report)
    nav = (
        '<nav aria-labelledby="toc-h"><h2 id="toc-h">Findings</h2>'
        + (f"<ol>{''.join(toc_items)}</ol>" if toc_items else "<p>No findings.</p>")
        + (
            '<p><a href="#protections">What the contract already protects</a> · '
            '<a href="#checklist">Checklist of every gap</a></p>'
            if applies
            else ""
        )
        + '<p><a href="#contract">The contract, clause by clause</a></p></nav>'
    )
    first_finding: dict[str, int] = {}  # gap -> its first finding in table-of-contents order
    for i, f in ordered:
        first_finding.setdefault(f.gap, i)
    if applies:
        protected_html = _protections_html(report, clauses, first_finding) + _checklist_html(
            report, clauses, first_finding
        )
    else:
        protected_html = f"<p>{_e(not_applicable_text(report))}</p>"
    marks: dict[str, list[str]] = {}  # clause id -> its "protected" markers in the clause-by-clause view
    if applies:
        for i, p in enumerate(report.protections):
            for cid in dict.fromkeys([*p.clause_ids, *(ev.clause_id for ev in p.evidence)]):
                what = " protection (does not count)" if p.hollowed else ""
                marks.setdefault(cid, []).append(
                    f'<span class="pmark">{_protection_mark(p)}{what} against: '
                    f'<a href="#protection-{i}">{_e(GAPS[p.gap].title)}</a></span>'
                )
    shown: dict[str, int] = {}  # gap -> the finding whose panel carries the proposed language
    seen: dict[int, int] = {}  # finding -> panels written so far
    silent = [(i, f) for i, f in ordered if f.kind == "contract"]
    silent_html = ""
    if silent:
        silent_html = (
            '<section id="silent" aria-labelledby="silent-h"><h2 id="silent-h">What the contract does not say</h2>'
            "<p>These gaps come from what is missing; the grant that makes the silence matter is linked.</p>"
            + "".join(_finding_panel(f, i, addendum, clauses, shown, seen) for i, f in silent)
            + "</section>"
        )
    by_clause: dict[str, list[tuple[int, Finding]]] = {}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for i, f in ordered:
        if f.kind != "clause":
            for ev in f.evidence:
                spans.setdefault(ev.clause_id, []).append((ev.start, ev.end, f.severity))
            continue
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
        cls = f"clause flagged worst-{worst}" if found else "clause plain"
        number = (
            f'<span class="num">{_e(c.number)}</span>' if c.number and not text.lstrip().startswith(c.number) else ""
        )
        if c.location != "body":  # a header, footer, note, comment or text box says where it is
            number = f'<span class="num">({_e(c.location)})</span>' + number
        panels = "".join(_finding_panel(f, i, addendum, clauses, shown, seen) for i, f in found)
        label = (
            f' aria-label="Clause {_e(c.number or c.heading or c.id)}, {LABEL[worst].lower()} severity"'
            if worst is not None  # the clause has findings
            else ""
        )
        rows.append(
            f'<div class="{cls}" id="clause-{_e(c.id)}"{label}><div class="text">{"".join(marks.get(c.id, []))}{number}'
            f"{_marked(text, c.start, spans.get(c.id, []))}</div>"
            + (f'<div class="findings">{panels}</div>' if found else "")
            + "</div>"
        )
    contract = (
        '<section id="contract" aria-labelledby="contract-h"><h2 id="contract-h">The contract, clause by clause</h2>'
        + "".join(rows)
        + "</section>"
    )
    warnings = "".join(f"<li>{_e(w)}</li>" for w in doc.warnings)
    foot = (
        f"<footer><p><strong>{_e(DISCLAIMER)}</strong></p>"
        + (f"<p>Reading notes:</p><ul>{warnings}</ul>" if warnings else "")
        + f"<p>castguard {_e(__version__)}, detector {_e(report.model)}; sha256 {_e(doc.sha256)}.</p>"
        + f"<p>{_e(playbook_line(report))}.</p></footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">\n'
        f"<title>castguard review: {_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#contract">Skip to the contract</a>\n'
        + head
        + "\n"
        + nav
        + "\n<main>"
        + silent_html
        + protected_html
        + contract
        + "</main>\n"
        + foot
        + "\n</body>\n</html>\n"
    )
