"""Where a clause is, in a reader's words: "clause 14 (Governing Law), p. 6", "clause 8.1(a)", "the opening,
p. 1". The deal facts say where the contract states each of them with it, and the addendum's notes where a
deal fact came from."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Clause

__all__ = ["clause_where", "opening_clauses", "where_text"]


def where_text(clause: Clause | None, first: bool = False, clauses: Sequence[Clause] = ()) -> str:
    """A clause as a reader finds it: "clause 14 (Governing Law), p. 6", "clause 8.1(a)", "the opening, p. 1"."""
    if clause is None:
        return ""
    page = f", p. {clause.page}" if clause.page else ""
    if first:
        return f"the opening{page}"
    number = (clause.number or "").strip().rstrip(".")
    heading = " ".join((clause.heading or "").split()).rstrip(".:")
    if number.startswith("(") and clause.parent:  # "(a)" of 8.1 is 8.1(a)
        by_id = {c.id: c for c in clauses}
        parent = by_id.get(clause.parent)
        while parent is not None and number.startswith("("):
            if parent.number:
                number = parent.number.strip().rstrip(".") + number
            parent = by_id.get(parent.parent) if parent.parent else None
    if number and not re.match(r"[A-Za-z]{3,}", number):
        number = f"clause {number}"  # "clause 14"; "Section 12.2" and "ARTICLE IV" say what they are
    if number and heading:
        return f"{number} ({heading}){page}"
    if number:
        return f"{number}{page}"
    if heading:
        return f"“{heading}”{page}"
    return f"“{' '.join(clause.text.split()[:5])}…”{page}"


_BODY_START = re.compile(r"(?:(?:ARTICLE|Article|SECTION|Section|Clause|CLAUSE)\s+)?(?:1|I|ONE)(?:\.0)?\.?$")


def opening_clauses(clauses: Sequence[Clause]) -> set[str]:
    """The parts before the body's first clause ("1.", "ARTICLE I"): the title, the parties, the recitals."""
    opening = set()
    for c in clauses:
        number = (c.number or "").strip()
        if number and (_BODY_START.match(number) or not number.startswith("(") and not re.match(r"[A-Z]\.?$", number)):
            break
        opening.add(c.id)
    return opening


def clause_where(clauses: Sequence[Clause], clause_id: str | None) -> str:
    """Where a clause is, in a reader's words ("" when unknown)."""
    clause = next((c for c in clauses if c.id == clause_id), None)
    return where_text(clause, clause_id in opening_clauses(clauses), clauses) if clause else ""
