"""Report -> Markdown, for pasting into an email or a ticket."""

from __future__ import annotations

from ..classify.taxonomy import GAPS
from ..model import Report
from . import DISCLAIMER, clause_ref, risk_score, severity_counts, summary_text


def _cell(s: str) -> str:
    return " ".join(s.split()).replace("|", "\\|")


def render_markdown(report: Report) -> str:
    doc = report.document
    clauses = {c.id: c for c in report.clauses}
    counts = severity_counts(report)
    out = [
        f"# castguard report: {doc.source}",
        "",
        f"> {DISCLAIMER}",
        "",
        f"- **Format:** {doc.format}"
        + (f", {doc.pages} page(s)" if doc.pages else "")
        + f", {len(report.clauses)} clauses",
        f"- **In scope:** {'yes' if report.in_scope else 'no'} ({report.scope_reason})",
        f"- **Risk score:** {risk_score(report)}/100 (high {counts['high']}, medium {counts['medium']}, low {counts['low']})",
        f"- **Detector:** {report.model}, castguard {report.tool_version}",
        "",
        "## Summary",
        "",
        summary_text(report),
        "",
    ]
    for w in doc.warnings:
        out.append(f"- Warning: {w}")
    if doc.warnings:
        out.append("")
    if report.findings:
        out += ["## Findings", "", "| Severity | Gap | Clause | Evidence |", "|---|---|---|---|"]
        for f in report.findings:
            ref = clause_ref(clauses[f.clause_ids[0]]) if f.clause_ids else ""
            quote = f.evidence[0].quote if f.evidence else ""
            if len(quote) > 140:
                quote = quote[:139] + "…"
            out.append(f"| {f.severity.upper()} | `{f.gap}` ({f.kind}) | {_cell(ref)} | “{_cell(quote)}” |")
        out.append("")
        out += ["## Details", ""]
        for n, f in enumerate(report.findings, 1):
            g = GAPS[f.gap]
            out += [
                f"### {n}. {g.title} — `{f.gap}` ({f.severity})",
                "",
                f.explanation,
                "",
            ]
            for e in f.evidence:
                ref = clause_ref(clauses[e.clause_id])
                out.append(f"> {ref}: “{e.quote}”")
                out.append("")
            out += [
                f"- **Ask for:** {g.protection} (addendum section `{f.remedy}`)",
                f"- **Anchors:** {'; '.join(f.anchors)}",
                f"- **Confidence:** {f.confidence:.2f} ({f.detector})",
                "",
            ]
    out += ["---", "", f"*{DISCLAIMER}*", ""]
    return "\n".join(out)
