"""Report -> plain text for a person at a terminal (no colours, no dependencies)."""

from __future__ import annotations

import shutil
import textwrap

from ..classify.taxonomy import GAPS
from ..model import Report, not_read
from . import DISCLAIMER, clause_ref, evidence_notes, gap_checklist, risk_score, severity_counts, summary_text
from .facts import fact_rows, facts_table_lines

# shared with the Markdown and HTML views: plain words for the document type and the checklist status,
# and a symbol that goes with every status word (never a symbol or a colour alone)
DOCUMENT_TYPE_LABEL = {
    "contract": "contract",
    "terms_of_service": "terms of service",
    "release_or_consent": "release or consent form",
    "not_a_contract": "not a contract",
}
STATUS_SYMBOL = {"raised": "\u2717", "protected": "\u2713", "not_raised": "\u25cb", "off": "\u2013", "not_checked": "?"}  # ✗ ✓ ○ – ?
# "off": the playbook in use switched the gap off
STATUS_LABEL = {
    "raised": "raised",
    "protected": "protected",
    "not_raised": "not raised",
    "off": "off",
    "not_checked": "not checked",  # the French rules do not decide it
}
HOLLOWED_NOTE = "hollowed out: does not count"


def document_type_text(report: Report) -> str:
    """ "contract — an agreement between parties (...)": the type in words and, when known, why."""
    label = DOCUMENT_TYPE_LABEL.get(report.document_type, report.document_type.replace("_", " "))
    return f"{label} — {report.document_type_reason}" if report.document_type_reason else label


def protections_apply(report: Report) -> bool:
    """Protections and the gap checklist mean something only for an in-scope contract, release or terms."""
    return report.in_scope and report.document_type != "not_a_contract"


def not_applicable_text(report: Report) -> str:
    why = (
        "the document is not a contract" if report.document_type == "not_a_contract"
        else "the document was not read" if not_read(report.scope_reason)
        else "the document is out of scope"
    )
    return f"Protections and gap checklist: not applicable ({why})."


def render_table(report: Report, width: int | None = None) -> str:
    width = width or min(120, max(72, shutil.get_terminal_size((100, 24)).columns))
    doc = report.document
    clauses = {c.id: c for c in report.clauses}
    counts = severity_counts(report)
    pages = f", {doc.pages} page(s)" if doc.pages else ""
    lines = [
        f"castguard {report.tool_version} — {doc.source} ({doc.format}{pages}, {len(report.clauses)} clauses)",
        "Deal facts (as the contract states them; \"not stated\" when it does not state them clearly):",
        *facts_table_lines(fact_rows(report.facts, report.clauses), width=width),
        f"Document type: {document_type_text(report)}",
        f"In scope: {'yes' if report.in_scope else 'no'} — {report.scope_reason}",
        f"Risk score: {risk_score(report)}/100   high {counts['high']} · medium {counts['medium']} · low {counts['low']}",
    ]
    for w in doc.warnings:
        lines.append(f"Warning: {w}")
    lines.append("")
    wrap = textwrap.TextWrapper(width=width, initial_indent="    ", subsequent_indent="    ")
    rule = "-" * min(width, 100)

    def ref_of(clause_ids) -> str:
        ref = clause_ref(clauses[clause_ids[0]]) if clause_ids and clause_ids[0] in clauses else "-"
        if len(clause_ids) > 1:
            ref += f" (+{len(clause_ids) - 1} more)"
        return ref

    def quoted(quote: str) -> str:
        return f"“{quote[:219]}…”" if len(quote) > 220 else f"“{quote}”"

    def notes(evidence) -> list[str]:
        """The hidden / not-in-the-body sentence of each quote, after the quote it is about (the first is shown)."""
        out = []
        for e, note in evidence_notes(evidence):
            if e is not evidence[0]:
                out += wrap.wrap(quoted(e.quote))
            out += wrap.wrap(f"Note: {note}")
        return out

    if report.findings:
        head = f"{'SEVERITY':<9} {'GAP':<31} CLAUSE"
        lines += [head, rule]
        for f in report.findings:
            lines.append(f"{f.severity.upper():<9} {f.gap:<31} {ref_of(f.clause_ids)}")
            lines += wrap.wrap(quoted(f.evidence[0].quote if f.evidence else ""))
            lines += notes(f.evidence)
            lines += wrap.wrap(f"Why: {GAPS[f.gap].why}")
            lines += wrap.wrap(f"Anchors: {'; '.join(f.anchors)}")
            lines.append("")
    if protections_apply(report):
        raised = {f.gap for f in report.findings}
        lines += ["What the contract already protects", rule]
        if not report.protections:
            lines += ["No clause was recognised as protecting against a gap.", ""]
        head_wrap = textwrap.TextWrapper(width=width, subsequent_indent="  ")
        for p in report.protections:
            symbol = STATUS_SYMBOL["raised"] if p.hollowed else STATUS_SYMBOL["protected"]
            note = ""
            if p.hollowed:
                note = f" ({HOLLOWED_NOTE})"
            elif p.gap in raised:
                note = " (the gap is still raised by other clauses: see the findings)"
            what = "Protection against" if p.hollowed else "Protects against"
            lines += head_wrap.wrap(f"{symbol} {what}: {GAPS[p.gap].title} — {ref_of(p.clause_ids)}{note}")
            lines += wrap.wrap(quoted(p.evidence[0].quote if p.evidence else ""))
            lines += notes(p.evidence)
            lines.append("")
        lines += ["Checklist (every gap castguard checks)", rule]
        for row in gap_checklist(report):
            status = row["status"]
            lines.append(f"  {STATUS_SYMBOL[status]} {STATUS_LABEL[status]:<11} {row['title']}")
        lines.append("")
    else:
        lines += [not_applicable_text(report), ""]
    lines += textwrap.wrap(summary_text(report), width=width)
    lines += ["", *textwrap.wrap(f"Not legal advice. {DISCLAIMER}", width=width)]
    return "\n".join(lines)
