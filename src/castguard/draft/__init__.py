"""Findings + deal facts -> the addendum that answers them (Jinja2 over ``templates/``).

:func:`build_addendum` is quiet and returns data: the addendum as the templates' Markdown, and per gap its
section number, body and the one sentence the redline's comment quotes to say what the section provides.
Writers in :mod:`castguard.draft.writers` turn the Markdown into Markdown, HTML or a Word document. The
addendum is a document for the other side: it names no tool and no internal id, and carries no disclaimer
(the not-legal-advice notice stays in the CLI output and the review report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..classify.taxonomy import GAPS, SEVERITY_ORDER
from ..errors import DraftError
from ..escape.terminal import strip_controls
from ..facts.where import clause_where
from ..model import Fact, Report
from .deal import CONTRACT_FIELDS, Deal, contract_facts, load_deal, resolve_deal
from .markup import parse_markdown, plain_text
from .templates import TemplateSet, load_templates

__all__ = [
    "Addendum",
    "Deal",
    "Section",
    "build_addendum",
    "check_draftable",
    "contract_facts",
    "deal_and_sources",
    "deal_for",
    "deal_notes",
    "load_deal",
    "load_templates",
    "resolve_deal",
]

FIRST_SECTION = 2  # section 1 of the addendum is Definitions


@dataclass(frozen=True)
class Section:
    n: int
    gap: str
    remedy: str
    severity: str
    body: str  # Markdown
    carve_out: str  # plain text: what the section provides, for the redline's comment on a clause it answers


@dataclass(frozen=True)
class Addendum:
    markdown: str
    sections: tuple[Section, ...]
    deal: Deal
    title: str

    def section_for(self, gap: str) -> Section | None:
        return next((s for s in self.sections if s.gap == gap), None)


def deal_for(report: Report, deal_file=None, options: dict | None = None) -> Deal:
    """The deal facts for one report: the contract's own statements, then the deal file, then CLI options."""
    return deal_and_sources(report, deal_file, options)[0]


def deal_and_sources(report: Report, deal_file=None, options: dict | None = None) -> tuple[Deal, list[Fact]]:
    """The deal, and for each fact the contract could give, where its value came from: a :class:`Fact` with
    ``source`` contract (its clause and words), deal_file or option. A user-given value always wins."""
    facts = contract_facts(report.facts)
    overrides = load_deal(deal_file) if deal_file else {}
    options = {k: v for k, v in (options or {}).items() if v is not None}
    deal = resolve_deal(facts, overrides, options, source=report.document.source)
    used: list[Fact] = []
    for field_name, fact_name in CONTRACT_FIELDS.items():
        value = getattr(deal, field_name)
        if field_name in options:
            used.append(Fact(field_name, value, source="option"))
        elif field_name in overrides:
            used.append(Fact(field_name, value, source="deal_file"))
        elif field_name in facts:
            fact = report.fact(fact_name)
            assert fact is not None  # contract_facts read it from these same facts
            used.append(replace(fact, name=field_name, value=value, code=fact.code))
    return deal, used


_OPTION = {
    "performer": "--performer",
    "company": "--company",
    "agreement_title": "--agreement-title",
    "agreement_date": "--agreement-date",
    "jurisdiction": "--jurisdiction",
    "union": "--union",
    "minor": "--adult",
}
_LABEL = {"agreement_title": "agreement", "agreement_date": "date"}


def _where(report: Report, clause_id: str | None) -> str:
    """Where a clause is, in a reader's words: "clause 14 (Governing Law), p. 6", "the opening, p. 1"."""
    return clause_where(report.clauses, clause_id) or "the contract"


def deal_notes(report: Report, used: list[Fact], deal_file=None) -> list[str]:
    """One line per deal fact saying where its value came from, for stderr:
    "jurisdiction NY from clause 14 (Governing Law): the State of New York (NY); override with --jurisdiction"."""
    lines = []
    for f in used:
        label = _LABEL.get(f.name, f.name)
        value = ("yes" if f.value else "no") if isinstance(f.value, bool) else f.value
        if f.source == "option":
            option = _OPTION[f.name] if f.name != "minor" else ("--minor" if f.value else "--adult")
            lines.append(f"{label} {value} from {option}")
        elif f.source == "deal_file":
            lines.append(f"{label} {value} from the deal file" + (f" {deal_file}" if deal_file else ""))
        else:
            where = _where(report, f.clause_id)
            if f.name == "jurisdiction":
                law = report.fact("governing_law")
                stated = f" (governing law: {law.value}, {law.code})" if law is not None else ""
                lines.append(f"{label} {value}{stated} from {where}; override with {_OPTION[f.name]}")
            else:
                lines.append(f"{label} {value} from {where}; override with {_OPTION[f.name]}")
    return lines


def _tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _raised(report: Report) -> list[tuple[str, str, list]]:
    """(gap, severity, findings) for every gap the report raised, most severe first, then taxonomy order."""
    order = list(GAPS)
    by_gap: dict[str, list] = {}
    for f in report.findings:
        by_gap.setdefault(f.gap, []).append(f)
    rows = []
    for gap, found in by_gap.items():
        severity = max((f.severity for f in found), key=SEVERITY_ORDER.__getitem__)
        rows.append((gap, severity, found))
    rows.sort(key=lambda r: (-SEVERITY_ORDER[r[1]], order.index(r[0])))
    return rows


def _finding_facts(report: Report, findings: list) -> list[dict]:
    clauses = {c.id: c for c in report.clauses}
    out = []
    for f in findings:
        for ev in f.evidence:
            clause = clauses.get(ev.clause_id)
            out.append(
                {
                    "clause": (clause.number or "") if clause else "",
                    "heading": (clause.heading or "") if clause else "",
                    "quote": ev.quote,
                    "page": ev.page,
                    "explanation": f.explanation,
                }
            )
    return out


def check_draftable(report: Report) -> None:
    """DraftError when the addendum and the redline cannot be drafted from this report: a contract in another
    language than English (the wording castguard drafts is English, and English terms are not sent into a
    French contract)."""
    if report.language != "English":
        raise DraftError(
            f"the contract is written in {report.language}, and the addendum and redline wording is English: "
            "English terms would not match the contract. Draft them in its language from the findings that "
            "`castguard scan` lists",
            path=report.document.source,
        )


def build_addendum(report: Report, deal: Deal, templates: TemplateSet | None = None) -> Addendum:
    """Render the addendum for the gaps ``report`` raised. Raises DraftError when there is nothing to answer."""
    check_draftable(report)
    if not report.in_scope:
        raise DraftError(
            "the contract is out of scope (it engages no performer's likeness, voice or performance); "
            "there is nothing to renegotiate",
            path=report.document.source,
        )
    raised = _raised(report)
    if not raised:
        raise DraftError(
            "castguard found no gaps in this contract, so there is no addendum to draft; "
            "`castguard scan` shows the protections it recognised",
            path=report.document.source,
        )
    templates = templates or load_templates()
    base: dict[str, Any] = {
        "deal": deal.to_context(),
        "law": templates.law(deal.jurisdiction),
        # a file name may hold controls a Word document cannot (Linux allows any byte but "/" and NUL)
        "source": strip_controls(report.document.source.replace("\\", "/").rsplit("/", 1)[-1]),
    }
    sections: list[Section] = []
    for n, (gap_id, severity, found) in enumerate(raised, FIRST_SECTION):
        gap = GAPS[gap_id]
        remedy = found[0].remedy or gap.remedy  # the playbook's choice, recorded on the finding
        context = dict(base)
        context.update(
            n=n,
            gap={
                "id": gap.id,
                "title": gap.title,
                "severity": severity,
                "why": gap.why,
                "protection": gap.protection,
                "anchors": list(gap.anchors),
                "remedy": remedy,
                "kind": gap.kind,
            },
            findings=_finding_facts(report, found),
            contract_gap=all(f.kind == "contract" for f in found),
        )
        name = f"remedies/{remedy}.md.j2"
        if remedy != gap.remedy and not templates.has(name):
            raise DraftError(
                f"the playbook's remedy template {remedy!r} is not in the template set; load the set with the "
                "playbook (load_templates(playbook=...); on the command line give --playbook FILE)",
                path=report.document.source,
            )
        body = _tidy(templates.render_block(name, "section", context))
        carve = " ".join(
            plain_text(b.runs) for b in parse_markdown(templates.render_block(name, "carve_out", context))
        ).strip()
        sections.append(Section(n, gap_id, remedy, severity, body, carve))
    frame = dict(base)
    frame["sections"] = [
        {"n": s.n, "gap": s.gap, "remedy": s.remedy, "severity": s.severity, "body": templates.passthrough(s.body)}
        for s in sections
    ]
    markdown = _tidy(templates.render("addendum.md.j2", frame))
    title_block = next((b for b in parse_markdown(markdown) if b.kind == "title"), None)
    title = plain_text(title_block.runs) if title_block else "Addendum"
    return Addendum(markdown, tuple(sections), deal, title)
