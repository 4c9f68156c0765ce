"""Quoting the contract: the evidence a finding or a protection shows, and how a clause is named to the reader."""

from __future__ import annotations

from ..model import Clause, Document, Evidence
from .clause_rules import ClauseHit

__all__ = ["clause_ref", "evidence_of", "quote"]


def quote(text: str, start: int, end: int, limit: int = 300) -> tuple[str, int, int]:
    q = text[start:end]
    if len(q) > limit:
        q = q[: limit - 1].rsplit(" ", 1)[0] + "…"
    return " ".join(q.split()), start, end

def evidence_of(doc: Document, hits: list[ClauseHit], *, key, limit: int | None = None):
    """Quotes (one per distinct sentence, in ``key`` order, at most ``limit``), the clauses they sit in and the
    cue words, for a finding or a protection."""
    seen: set[tuple[int, int]] = set()
    evidence: list[Evidence] = []
    clause_ids: list[str] = []
    cues: list[str] = []
    for h in sorted(hits, key=key):
        if (h.start, h.end) in seen or (limit is not None and len(evidence) >= limit):
            continue
        seen.add((h.start, h.end))
        said, a, b = quote(doc.text, h.start, h.end)
        evidence.append(Evidence(h.clause_id, said, a, b, doc.page_at(a)))
        if h.clause_id not in clause_ids:
            clause_ids.append(h.clause_id)
        cues.extend(c for c in h.cues if c not in cues)
    return evidence, clause_ids, cues


def clause_ref(c: Clause) -> str:
    if c.number and c.heading:
        return f"{c.number} {c.heading}"
    if c.number:
        return c.number
    if c.heading:
        return f"“{c.heading}”"
    return "the preamble" if c.id == "c0" else c.id

