"""Deal facts as every view shows them: the terminal table of ``castguard facts``, and the facts block that
heads the scan report's table, Markdown and HTML views. Each fact: its value, where the contract states it
(clause and page) and the contract's own words; a fact the contract does not state clearly is shown as
"not stated", never filled in."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from .._version import __version__
from ..facts import facts_to_dict
from ..facts.where import opening_clauses, where_text
from ..model import FACT_NAMES, Clause, Fact
from . import DISCLAIMER

__all__ = [
    "FACT_LABELS",
    "NOT_STATED",
    "FactRow",
    "fact_rows",
    "facts_json",
    "facts_table_lines",
    "render_facts_table",
]

FACT_LABELS = {
    "performer": "Performer",
    "performer_entity": "Performer's company",
    "company": "Company",
    "agreement_title": "Agreement",
    "agreement_date": "Date",
    "governing_law": "Governing law",
    "union": "Union",
    "minor": "Minor",
}
NOT_STATED = "not stated"
INTRO = (
    'What the contract itself states, with where and in its own words. "not stated" means the contract does '
    "not state it clearly; castguard never guesses it."
)


@dataclass(frozen=True)
class FactRow:
    name: str
    label: str
    value: str  # "" when not stated
    where: str  # "clause 14 (Governing Law), p. 6", "" when not stated
    quote: str  # the contract's words, one line
    confidence: float | None
    clause_id: str | None


def _value_text(f: Fact) -> str:
    if isinstance(f.value, bool):
        return "yes" if f.value else "no (an adult)"
    value = " ".join(str(f.value).split())
    if f.name == "governing_law" and f.code:
        value += f" ({f.code})"
    return value


def fact_rows(facts: Sequence[Fact], clauses: Sequence[Clause]) -> list[FactRow]:
    """One row per fact name, in the schema's order; absent facts have an empty value."""
    by_name = {f.name: f for f in facts}
    by_id = {c.id: c for c in clauses}
    opening = opening_clauses(clauses)
    rows = []
    for name in FACT_NAMES:
        f = by_name.get(name)
        if f is None:
            rows.append(FactRow(name, FACT_LABELS[name], "", "", "", None, None))
            continue
        clause = by_id.get(f.clause_id) if f.clause_id else None
        rows.append(
            FactRow(
                name,
                FACT_LABELS[name],
                _value_text(f),
                where_text(clause, f.clause_id in opening, clauses),
                " ".join((f.quote or "").split()),
                f.confidence,
                f.clause_id,
            )
        )
    return rows


def facts_table_lines(rows: list[FactRow], width: int = 100, quotes: bool = False) -> list[str]:
    """The facts as plain text lines: "  Performer      Dana R. Whitcombe — the opening, p. 1"."""
    label_w = max(len(r.label) for r in rows) + 2
    lines = []
    wrap = textwrap.TextWrapper(width=width, initial_indent=" " * (label_w + 2), subsequent_indent=" " * (label_w + 2))
    for r in rows:
        if not r.value:
            lines.append(f"  {r.label:<{label_w}}{NOT_STATED}")
            continue
        text = f"{r.value} — {r.where}" if r.where else r.value
        head = textwrap.wrap(text, width=width - label_w - 2) or [""]
        lines.append(f"  {r.label:<{label_w}}{head[0]}")
        lines += [" " * (label_w + 2) + h for h in head[1:]]
        if quotes and r.quote:
            quote = r.quote if len(r.quote) <= 240 else r.quote[:239] + "…"
            lines += wrap.wrap(f"“{quote}”")
    return lines


def render_facts_table(sheet, width: int | None = None) -> str:
    """``castguard facts`` for a person at a terminal: each fact, where the contract states it, its words."""
    import shutil

    width = width or min(120, max(72, shutil.get_terminal_size((100, 24)).columns))
    doc = sheet.document
    pages = f", {doc.pages} page(s)" if doc.pages else ""
    lines = [
        f"castguard {__version__} — deal facts of {doc.source} ({doc.format}{pages}, {len(sheet.clauses)} clauses)"
    ]
    lines += [f"Warning: {w}" for w in doc.warnings]
    lines += ["", *textwrap.wrap(INTRO, width=width), ""]
    lines += facts_table_lines(fact_rows(sheet.facts, sheet.clauses), width=width, quotes=True)
    lines += ["", *textwrap.wrap(f"Not legal advice. {DISCLAIMER}", width=width)]
    return "\n".join(lines)


def facts_json(sheet) -> dict:
    """``castguard facts --format json``: the document and its facts (the report schema's ``facts`` object)."""
    doc = sheet.document
    return {
        "tool": {"name": "castguard", "version": __version__},
        "disclaimer": DISCLAIMER,
        "document": {"source": doc.source, "sha256": doc.sha256, "format": doc.format, "pages": doc.pages},
        "facts": facts_to_dict(sheet.facts),
        "warnings": list(doc.warnings),
    }
