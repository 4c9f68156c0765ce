"""Report -> plain text for a person at a terminal (no colours, no dependencies)."""

from __future__ import annotations

import shutil
import textwrap

from ..classify.taxonomy import GAPS
from ..model import Report
from . import DISCLAIMER, clause_ref, risk_score, severity_counts, summary_text


def render_table(report: Report, width: int | None = None) -> str:
    width = width or min(120, max(72, shutil.get_terminal_size((100, 24)).columns))
    doc = report.document
    clauses = {c.id: c for c in report.clauses}
    counts = severity_counts(report)
    pages = f", {doc.pages} page(s)" if doc.pages else ""
    lines = [
        f"castguard {report.tool_version} — {doc.source} ({doc.format}{pages}, {len(report.clauses)} clauses)",
        f"In scope: {'yes' if report.in_scope else 'no'} — {report.scope_reason}",
        f"Risk score: {risk_score(report)}/100   high {counts['high']} · medium {counts['medium']} · low {counts['low']}",
    ]
    for w in doc.warnings:
        lines.append(f"Warning: {w}")
    lines.append("")
    wrap = textwrap.TextWrapper(width=width, initial_indent="    ", subsequent_indent="    ")
    if report.findings:
        head = f"{'SEVERITY':<9} {'GAP':<31} CLAUSE"
        lines += [head, "-" * min(width, 100)]
        for f in report.findings:
            ref = clause_ref(clauses[f.clause_ids[0]]) if f.clause_ids else "-"
            if len(f.clause_ids) > 1:
                ref += f" (+{len(f.clause_ids) - 1} more)"
            lines.append(f"{f.severity.upper():<9} {f.gap:<31} {ref}")
            quote = f.evidence[0].quote if f.evidence else ""
            if len(quote) > 220:
                quote = quote[:219] + "…"
            lines += wrap.wrap(f"“{quote}”")
            lines += wrap.wrap(f"Why: {GAPS[f.gap].why}")
            lines += wrap.wrap(f"Anchors: {'; '.join(f.anchors)}")
            lines.append("")
    lines += textwrap.wrap(summary_text(report), width=width)
    lines += ["", *textwrap.wrap(f"Not legal advice. {DISCLAIMER}", width=width)]
    return "\n".join(lines)
