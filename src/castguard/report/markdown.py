"""Report -> Markdown, for pasting into an email or a ticket."""

from __future__ import annotations

from ..classify.taxonomy import GAPS
from ..escape.markdown import md_escape
from ..model import Report
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
from .table import (
    HOLLOWED_NOTE,
    STATUS_LABEL,
    STATUS_SYMBOL,
    document_type_text,
    not_applicable_text,
    protections_apply,
)


def _cell(s: str) -> str:
    """Text taken from the contract (a quote, a clause heading) for a table cell: one line, ``|`` escaped,
    and whatever else could be markup there (:func:`castguard.escape.markdown.md_escape`). A cell is read on
    its own, so emphasis characters are escaped only when the text itself could pair them."""
    return md_escape(s, table=True, line_start=False, isolated=True)


def _line(s: str, *, line_start: bool = True) -> str:
    """Text from the contract or the file system that is alone on its line (or list item), at its start
    unless ``line_start`` is false."""
    return md_escape(s, table=False, line_start=line_start, isolated=True)


def _inline(s: str) -> str:
    """Text from the contract inside a line that has emphasis of castguard's own (``**Label:**``)."""
    return md_escape(s, table=False, line_start=False, isolated=False)


def _quote(ref: str, quote: str) -> str:
    """``**12. Training:** “quote”``: the clause reference as a bold label, so a numbered heading never
    starts the line (where "12." would open a list) and needs no escape; the quote after it is alone."""
    return f"**{_inline(ref)}:** “{_line(quote, line_start=False)}”"


def render_markdown(report: Report) -> str:
    doc = report.document
    clauses = {c.id: c for c in report.clauses}
    counts = severity_counts(report)

    def ref_of(clause_id: str) -> str:
        return clause_ref(clauses[clause_id]) if clause_id in clauses else clause_id

    out = [
        f"# castguard report: {_line(doc.source, line_start=False)}",
        "",
        f"> {DISCLAIMER}",
        "",
        *_facts(report),
        f"- **Format:** {doc.format}"
        + (f", {doc.pages} page(s)" if doc.pages else "")
        + f", {len(report.clauses)} clauses",
        f"- **Document type:** {_inline(document_type_text(report))}",
        f"- **In scope:** {'yes' if report.in_scope else 'no'} ({_inline(report.scope_reason)})",
        f"- **Risk score:** {risk_score(report)}/100 (high {counts['high']}, medium {counts['medium']}, low {counts['low']})",
        f"- **Detector:** {report.model}, castguard {report.tool_version}",
        "",
        "## Summary",
        "",
        _line(summary_text(report)),  # it names the file
        "",
    ]
    for w in doc.warnings:
        out.append(f"- Warning: {_line(w, line_start=False)}")
    if doc.warnings:
        out.append("")
    if report.findings:
        out += ["## Findings", "", "| Severity | Gap | Clause | Evidence |", "|---|---|---|---|"]
        for f in report.findings:
            ref = ref_of(f.clause_ids[0]) if f.clause_ids else ""
            quote = f.evidence[0].quote if f.evidence else ""
            if len(quote) > 140:
                quote = quote[:139] + "…"
            notes = " ".join(dict.fromkeys(n for _, n in evidence_notes(f.evidence)))
            notes = f" **Note:** {_cell(notes)}" if notes else ""
            out.append(f"| {f.severity.upper()} | `{f.gap}` ({f.kind}) | {_cell(ref)} | “{_cell(quote)}”{notes} |")
        out.append("")
        out += ["## Details", ""]
        for n, f in enumerate(report.findings, 1):
            g = GAPS[f.gap]
            out += [
                f"### {n}. {g.title} — `{f.gap}` ({f.severity})",
                "",
                _line(f.explanation),  # it names the contract's clause headings
                "",
            ]
            note_of = dict(evidence_notes(f.evidence))
            for e in f.evidence:
                out.append(f"> {_quote(ref_of(e.clause_id), e.quote)}")
                if e in note_of:
                    out += [">", f"> **Note:** {_inline(note_of[e])}"]
                out.append("")
            out += [
                f"- **Ask for:** {g.protection} (addendum section `{f.remedy}`)",
                f"- **Anchors:** {'; '.join(f.anchors)}",
                f"- **Confidence:** {f.confidence:.2f} ({f.detector})",
                "",
            ]
    if protections_apply(report):
        out += _protections(report, ref_of)
    else:
        out += [f"*{not_applicable_text(report)}*", ""]
    out += ["---", "", f"{_inline(playbook_line(report))}", "", f"*{DISCLAIMER}*", ""]  # the disclaimer closes it
    return "\n".join(out)


def _facts(report: Report) -> list[str]:
    """The deal facts table that heads the report: each fact, where the contract states it, its words."""
    out = ["## Deal facts", "", _cell(INTRO), "", "| Fact | Value | Where | The contract's words |", "|---|---|---|---|"]
    for r in fact_rows(report.facts, report.clauses):
        if not r.value:
            out.append(f"| {r.label} | *{NOT_STATED}* | | |")
            continue
        quote = r.quote if len(r.quote) <= 200 else r.quote[:199] + "…"
        out.append(f"| {r.label} | {_cell(r.value)} | {_cell(r.where)} | “{_cell(quote)}” |")
    return out + [""]


def _protections(report: Report, ref_of) -> list[str]:
    """The "What the contract already protects" list and the per-gap checklist table."""
    raised = {f.gap for f in report.findings}
    out = ["## What the contract already protects", ""]
    if not report.protections:
        out += ["No clause was recognised as protecting against a gap.", ""]
    for p in report.protections:
        title = f"**{GAPS[p.gap].title}** (`{p.gap}`)"
        if p.hollowed:
            line = f"- {STATUS_SYMBOL['raised']} {title} *({HOLLOWED_NOTE})* — {_inline(p.explanation)}"
        else:
            line = f"- {STATUS_SYMBOL['protected']} {title} — {_inline(p.explanation)}"
            if p.gap in raised:
                line += " *The gap is still raised by other clauses: see the findings.*"
        out.append(line)
        notes = dict(evidence_notes(p.evidence))
        for e in p.evidence:
            out.append(f"  - {_quote(ref_of(e.clause_id), e.quote)}")
            if e in notes:
                out.append(f"    **Note:** {_inline(notes[e])}")
    if report.protections:
        out.append("")
    out += ["## Checklist", "", "| Gap | Status | Clauses |", "|---|---|---|"]
    for row in gap_checklist(report):
        status = row["status"]
        refs = _cell("; ".join(ref_of(c) for c in row["clause_ids"])) or "—"
        out.append(f"| {row['title']} (`{row['gap']}`) | {STATUS_SYMBOL[status]} {STATUS_LABEL[status]} | {refs} |")
    out.append("")
    return out
