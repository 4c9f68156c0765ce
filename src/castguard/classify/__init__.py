"""Clauses -> labels -> findings.

The detector is kept behind one small interface so a learned classifier can be
put beside the rules (or replace them) without touching the rest::

    class Detector(Protocol):
        name: str
        def label(self, doc, clauses, concepts) -> list[ClauseHit]: ...

``analyze`` decides scope first, runs the detector, and turns its clause labels
into findings with the contract-level rules of the taxonomy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..model import Clause, Document, Finding, Label, Protection
from .doctype import DocumentType, decide_document_type
from .gaps import build_findings, build_protections
from .rules import ClauseHit, Concepts, Hit, RuleDetector, find_concepts
from .scope import ScopeDecision, decide_scope
from .taxonomy import GAPS, TAXONOMY_VERSION

__all__ = ["Analysis", "Detector", "GAPS", "RuleDetector", "TAXONOMY_VERSION", "analyze"]


class Detector(Protocol):
    name: str

    def label(self, doc: Document, clauses: tuple[Clause, ...], concepts: Concepts) -> list[ClauseHit]: ...


@dataclass(frozen=True)
class Analysis:
    scope: ScopeDecision
    labels: dict[str, tuple[Label, ...]]
    findings: tuple[Finding, ...]
    detector: str
    protections: tuple[Protection, ...] = ()
    document_type: DocumentType = DocumentType("contract", "")


def analyze(doc: Document, clauses: tuple[Clause, ...], sdoc, detector: Detector | None = None) -> Analysis:
    detector = detector or RuleDetector()
    concepts = find_concepts(doc.text, sdoc)
    doctype = decide_document_type(doc, clauses)
    if doctype.value == "not_a_contract":
        scope = ScopeDecision(False, f"not a contract: {doctype.reason}")
    else:
        scope = decide_scope(doc, clauses, concepts, doctype.value)
    if doctype.value == "terms_of_service" and scope.in_scope:
        # in platform terms that are in scope, the users' own content is their performance (taxonomy v1.1)
        concepts = Concepts(concepts.hits + user_content_hits(doc.text))
    hits = detector.label(doc, clauses, concepts)
    findings: tuple[Finding, ...] = ()
    protections: tuple[Protection, ...] = ()
    if scope.in_scope:
        findings, contract_protections = build_findings(
            doc, clauses, concepts, hits, RuleDetector.name, document_type=doctype.value
        )
        hits = hits + contract_protections
        # every protection is reported, also for a gap still raised elsewhere (an approval of photographs that
        # does not reach the voice model): the checklist says which gaps they actually kept out
        protections = build_protections(doc, clauses, hits)
    labels: dict[str, dict[str, float]] = {c.id: {} for c in clauses}
    for h in hits:
        cur = labels[h.clause_id].get(h.label, 0.0)
        labels[h.clause_id][h.label] = max(cur, h.score)
    label_tuples = {
        cid: tuple(Label(k, round(v, 3)) for k, v in sorted(d.items())) or (Label("none", 1.0),)
        for cid, d in labels.items()
    }
    return Analysis(
        scope=scope, labels=label_tuples, findings=findings,
        detector=detector.name,
        protections=protections,
        document_type=doctype,
    )


_USER_CONTENT = re.compile(
    r"\b(?:your|user|member|creator)\s+content\b|"
    # "In choosing to submit, input, create, generate, post, or display Content ..., you grant us"
    r"\b(?:submit|input|post|upload|share|display|provid)\w*,? (?:(?:or |and )?\w+,? ){0,6}(?-i:Content)\b|"
    r"\b(?-i:such Content)\b|\bcontent (?:that )?you (?:post|upload|submit|share|provide|create)\w*\b|"
    r"\byour (?:posts|videos|photos|uploads|submissions|recordings|music|livestreams)\b",
    re.I,
)


def user_content_hits(text: str) -> list[Hit]:
    """'Your Content', 'User Content', 'content you upload' as the person's own material, for the rules."""
    return [Hit("PERSON_WEAK", m.start(), m.end(), m.group(0)) for m in _USER_CONTENT.finditer(text)]
