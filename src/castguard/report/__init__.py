"""Report -> JSON (the schema in report.schema.json), Markdown, and the terminal table.

Every rendering carries ``DISCLAIMER`` and cites the anchors of each finding.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..classify.taxonomy import GAPS, SEVERITY_ORDER, TAXONOMY_VERSION  # noqa: F401 (SEVERITY_ORDER re-exported)
from ..model import NOT_READ, Clause, Evidence, Report, not_read
from ..playbooks import default_playbook
from ..provenance import notice

__all__ = [
    "DISCLAIMER",
    "SCHEMA_ID",
    "evidence_notes",
    "SCHEMA_PATH",
    "gap_checklist",
    "playbook_line",
    "playbook_ref",
    "report_to_dict",
    "risk_score",
    "summary_text",
]

SCHEMA_ID = "castguard.report/1"
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
DISCLAIMER = (
    "castguard reports facts for analysis; it is not legal advice. "
    "Have a qualified lawyer or your union review any contract before you rely on it."
)
_WEIGHT = {"high": 22, "medium": 10, "low": 4}


def risk_score(report: Report) -> int:
    """0-100: severity-weighted findings scaled by confidence, saturating (0 for an out-of-scope contract).

    One high finding scores about 25, four about 70; the curve flattens so that a contract with fifteen gaps
    still differs from one with eight.
    """
    if not report.in_scope or not report.findings:
        return 0
    raw = sum(_WEIGHT[f.severity] * (0.5 + 0.5 * f.confidence) for f in report.findings)
    return max(1, min(100, round(100 * (1 - math.exp(-raw / 75)))))


def severity_counts(report: Report) -> dict[str, int]:
    c = Counter(f.severity for f in report.findings)
    return {s: c.get(s, 0) for s in ("high", "medium", "low")}


def gap_checklist(report: Report) -> list[dict]:
    """Every gap id of the taxonomy with what the contract does about it: ``raised``, ``protected`` (a clause
    already protects against it and it is not raised) or ``not_raised``, so a reader sees why a gap is absent.

    A gap the playbook in use switched off has the status ``off``; one the reading in use does not decide (the
    French rules check fewer gaps) ``not_checked``. Each row: ``gap``, ``title``, ``status``,
    and the ids of the clauses that decided it.
    """
    raised = {f.gap: f for f in report.findings}
    protected: dict[str, list[str]] = {}
    for p in report.protections:
        if not p.hollowed:
            protected.setdefault(p.gap, []).extend(c for c in p.clause_ids if c not in protected.get(p.gap, []))
    rows = []
    for gap, g in GAPS.items():
        clause_ids: list[str]
        if gap in report.gaps_off:
            status, clause_ids = "off", []  # the playbook in use switched it off
        elif not report.in_scope:
            status, clause_ids = "not_raised", []
        elif gap in raised:
            status, clause_ids = "raised", list(raised[gap].clause_ids)
        elif gap in protected:
            status, clause_ids = "protected", protected[gap]
        elif gap in report.gaps_unchecked:
            status, clause_ids = "not_checked", []  # the reading in use does not decide it (a French text)
        else:
            status, clause_ids = "not_raised", []
        rows.append({"gap": gap, "title": g.title, "status": status, "clause_ids": clause_ids})
    return rows


def summary_text(report: Report) -> str:
    """The one paragraph a busy agent reads first."""
    doc = report.document
    if not_read(report.scope_reason):
        return (
            f"{doc.source} was not read ({report.scope_reason.removeprefix(NOT_READ)}): neither its scope nor "
            "its AI-exposure gaps were assessed. Have a person read it."
        )
    if not report.in_scope:
        return (
            f"{doc.source} does not appear to engage or license a person's performance, name, likeness or "
            f"voice ({report.scope_reason}), so no AI-exposure findings apply."
        )
    if not report.findings:
        return (
            f"{doc.source} engages a performer ({report.scope_reason}) and no AI-exposure gaps were found; "
            "its protections were recognised. Review it anyway: castguard can miss wording it does not know."
        )
    counts = severity_counts(report)
    top = [GAPS[f.gap].title.lower() for f in report.findings if f.severity == "high"][:3]
    parts = [
        f"{doc.source} engages a performer and leaves them exposed to AI uses: "
        f"{counts['high']} high, {counts['medium']} medium and {counts['low']} low-severity gap(s)"
    ]
    if top:
        parts.append("; most serious: " + "; ".join(top))
    return "".join(parts) + f". Risk score {risk_score(report)}/100."


def clause_ref(c: Clause) -> str:
    bits = [b for b in (c.number, c.heading) if b]
    if c.location != "body":  # "footer", "comment": where it is says more than an id
        ref = f"{' '.join(bits)} ({c.location})" if bits else c.location
    else:
        ref = " ".join(bits) if bits else ("preamble" if c.id == "c0" else c.id)
    return f"{ref} (p. {c.page})" if c.page else ref


def evidence_notes(evidence: Sequence[Evidence]) -> list[tuple[Evidence, str]]:
    """``(evidence, sentence)`` for each piece of evidence that is hidden in the document or outside its body,
    the sentence every view prints beside it ("This clause is hidden in the document (white text).")."""
    return [(e, n) for e in evidence if (n := notice(e))]


def _scope_evidence(report: Report) -> dict | None:
    if report.scope_evidence is None:
        return None
    start, end = report.scope_evidence
    quote = " ".join(report.document.text[start:end].split())
    return {"quote": quote[:300], "start": start, "end": end, "page": report.document.page_at(start)}


def report_to_dict(report: Report) -> dict:
    doc = report.document
    by_gap = Counter(f.gap for f in report.findings)
    return {
        "schema": SCHEMA_ID,
        "tool": {
            "name": "castguard",
            "version": report.tool_version,
            "model": report.model,
            "taxonomy": TAXONOMY_VERSION,
            "playbook": playbook_ref(report),
        },
        "disclaimer": DISCLAIMER,
        "document": {
            "source": doc.source,
            "sha256": doc.sha256,
            "format": doc.format,
            "pages": doc.pages,
            "characters": len(doc.text),
        },
        "facts": {f.name: f.to_dict() for f in report.facts},
        "document_type": {"value": report.document_type, "reason": report.document_type_reason},
        "in_scope": report.in_scope,
        "scope_reason": report.scope_reason,
        "scope_evidence": _scope_evidence(report),
        "clauses": [
            {
                "id": c.id,
                "number": c.number,
                "heading": c.heading,
                "text": c.text,
                "page": c.page,
                "start": c.start,
                "end": c.end,
                "parent": c.parent,
                "level": c.level,
                "paragraph_index": c.paragraph_index,
                **({"location": c.location} if c.location != "body" else {}),
                "labels": [{"label": lab.label, "score": lab.score} for lab in report.labels.get(c.id, ())],
            }
            for c in report.clauses
        ],
        "findings": [f.to_dict() for f in report.findings],
        "protections": [p.to_dict() for p in report.protections],
        "checklist": gap_checklist(report),
        "summary": {
            "risk_score": risk_score(report),
            "gaps": dict(sorted(by_gap.items())),
            "severity": severity_counts(report),
            "text": summary_text(report),
        },
        "warnings": list(doc.warnings),
        "errors": list(report.errors),
    }


def playbook_ref(report: Report) -> dict[str, str]:
    """The playbook that produced ``report``: its name and the sha256 of its effective rules."""
    if report.playbook is not None:
        name, sha256 = report.playbook
        return {"name": name, "sha256": sha256}
    return default_playbook().ref()


def playbook_line(report: Report) -> str:
    """The footer line every review report carries: "Playbook: default (sha256 2b05b9b4cccb)"."""
    ref = playbook_ref(report)
    return f"Playbook: {ref['name']} (sha256 {ref['sha256'][:12]})"


def worst_severity(report: Report) -> str | None:
    if not report.findings:
        return None
    return max((f.severity for f in report.findings), key=SEVERITY_ORDER.__getitem__)
