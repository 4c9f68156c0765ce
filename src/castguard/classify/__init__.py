"""Clauses -> labels -> findings.

The detector is kept behind one small interface so a learned classifier can be
put beside the rules (or replace them) without touching the rest::

    class Detector(Protocol):
        name: str
        def label(self, doc, clauses, concepts) -> list[ClauseHit]: ...

``analyze`` runs each step once, in the order the data goes; a later module may use an earlier one,
never the reverse:

1. :mod:`.concepts` -- ``find_concepts``: where each concept of the lexicon occurs (:class:`Concepts`);
2. :mod:`.doctype`, :mod:`.scope` -- what kind of document it is, and whether it is in scope;
3. :mod:`.clause_rules` -- ``detector.label``: clause labels (frozen :class:`ClauseHit`), read sentence by
   sentence with :mod:`.sentences`; a playbook's own rules (:mod:`.playbook_rules`) add theirs;
4. :mod:`.protections` -- ``read_contract``: what the whole contract protects and says (frozen
   :class:`~.protections.ContractFacts`);
5. :mod:`.contract` -- ``build_findings``: clause findings and contract-level gaps;
6. :mod:`.protections` -- ``build_protections``: the report's protections, from every protective label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..model import NOT_READ, Clause, Document, Finding, Label, Protection
from ..playbooks.rulepatterns import patterns_of, rule_patterns
from .clause_rules import ClauseHit, RuleDetector
from .concepts import Concepts, Hit, find_concepts
from .contract import build_findings
from .doctype import DocumentType, decide_document_type
from .french import DETECTOR_ID as FRENCH_DETECTOR
from .french import read_french
from .playbook_rules import apply_rules, finish_findings
from .protections import build_protections, read_contract
from .scope import ScopeDecision, decide_scope
from .taxonomy import GAPS, TAXONOMY_VERSION

if TYPE_CHECKING:
    from ..playbooks import Playbook

__all__ = ["Analysis", "Detector", "GAPS", "RuleDetector", "TAXONOMY_VERSION", "analyze"]

P = patterns_of("classify")  # the rule patterns: playbooks/patterns/classify.toml


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
    warnings: tuple[str, ...] = ()  # what the reader must know about this analysis (a language it cannot read)
    unchecked: tuple[str, ...] = ()  # gaps this reading did not decide (a French text's, read by fewer rules)


def analyze(
    doc: Document, clauses: tuple[Clause, ...], sdoc, detector: Detector | None = None, playbook: Playbook | None = None
) -> Analysis:
    """Scope, clause labels, findings and protections of one contract. ``playbook`` (default: the built-in one)
    gives the lexicon, the rule patterns, each gap's severity, remedy and whether it is raised, and any extra
    rules."""
    with rule_patterns(playbook):
        return _analyze(doc, clauses, sdoc, detector or RuleDetector(), playbook)


def _analyze(
    doc: Document, clauses: tuple[Clause, ...], sdoc, detector: Detector, playbook: Playbook | None
) -> Analysis:
    concepts = find_concepts(doc.text, sdoc, playbook)
    doctype = decide_document_type(doc, clauses)
    if doctype.language == "French" and doctype.value != "not_a_contract":
        return _analyze_french(doc, clauses, doctype, playbook)
    if doctype.language != "English":
        # the rules, lexicon and model read English (and French, by its own rules): a Spanish contract is not
        # read, and the report says so instead of calling it out of scope on the strength of words it never read
        return Analysis(
            scope=ScopeDecision(False, f"{NOT_READ}the text is in {doctype.language}, and castguard reads English"),
            labels={c.id: (Label("none", 1.0),) for c in clauses},
            findings=(),
            detector=detector.name,
            document_type=doctype,
            warnings=(
                f"{NOT_READ}the text is in {doctype.language}; castguard's rules and model read English (and French, "
                "by rules only), so neither its scope nor its gaps were assessed. Have a person read it, or scan an "
                "English version.",
            ),
        )
    if doctype.value == "not_a_contract":
        scope = ScopeDecision(False, f"not a contract: {doctype.reason}")
    else:
        scope = decide_scope(doc, clauses, concepts, doctype.value)
    if doctype.value == "terms_of_service" and scope.in_scope:
        # in platform terms that are in scope, the users' own content is their performance (taxonomy v1.1)
        concepts = Concepts((*concepts.hits, *user_content_hits(doc.text)))
    hits = detector.label(doc, clauses, concepts)
    if playbook is not None and playbook.rules:
        hits = apply_rules(playbook, doc, clauses, concepts, hits)
    findings: tuple[Finding, ...] = ()
    protections: tuple[Protection, ...] = ()
    if scope.in_scope:
        facts = read_contract(doc, clauses, concepts, hits)
        findings = build_findings(
            doc, clauses, concepts, hits, facts, RuleDetector.name, document_type=doctype.value, playbook=playbook
        )
        hits = hits + list(facts.protections)
        # every protection is reported, also for a gap still raised elsewhere (an approval of photographs that
        # does not reach the voice model): the checklist says which gaps they actually kept out
        protections = build_protections(doc, clauses, hits)
        if playbook is not None and playbook.rules:
            findings = finish_findings(playbook, doc, concepts, findings)
    if playbook is not None and not all(g.enabled for g in playbook.gaps.values()):
        # a gap switched off is not part of this review: no finding, label or protection names it
        off = {g for g, v in playbook.gaps.items() if not v.enabled}
        hits = [h for h in hits if h.label.split(":", 1)[-1] not in off]
        protections = tuple(p for p in protections if p.gap not in off)
    return Analysis(
        scope=scope,
        labels=_clause_labels(clauses, hits),
        findings=findings,
        detector=detector.name,
        protections=protections,
        document_type=doctype,
    )


def _analyze_french(doc: Document, clauses: tuple[Clause, ...], doctype: DocumentType, playbook) -> Analysis:
    """A French text, read by the French rules alone (:mod:`.french`): the report names the gaps they do not
    check, and says the learned model did not read it."""
    reading = read_french(doc, clauses, doctype.value)
    off = {g for g, v in playbook.gaps.items() if not v.enabled} if playbook is not None else set()
    hits = [h for h in reading.hits if h.label.split(":", 1)[-1] not in off]
    unchecked = "; ".join(GAPS[g].title for g in reading.unchecked)
    return Analysis(
        scope=reading.scope,
        labels=_clause_labels(clauses, hits),
        findings=tuple(f for f in reading.findings if f.gap not in off) if reading.scope.in_scope else (),
        detector=FRENCH_DETECTOR,
        protections=tuple(p for p in reading.protections if p.gap not in off) if reading.scope.in_scope else (),
        document_type=doctype,
        warnings=(
            "read in French: castguard's French rules read it, not its learned model, which reads English. They do "
            f"not check these gaps, so the report cannot say they are absent: {unchecked}. Have a person read it "
            "for those. No addendum or redline is drafted: their wording is English.",
        ),
        unchecked=reading.unchecked,
    )


def _clause_labels(clauses: tuple[Clause, ...], hits) -> dict[str, tuple[Label, ...]]:
    """Each clause's labels, the highest score of each, in name order; "none" for a clause without any."""
    labels: dict[str, dict[str, float]] = {c.id: {} for c in clauses}
    for h in hits:
        labels[h.clause_id][h.label] = max(labels[h.clause_id].get(h.label, 0.0), h.score)
    return {
        cid: tuple(Label(k, round(v, 3)) for k, v in sorted(d.items())) or (Label("none", 1.0),)
        for cid, d in labels.items()
    }


def user_content_hits(text: str) -> list[Hit]:
    """'Your Content', 'User Content', 'content you upload' as the person's own material, for the rules."""
    return [Hit("PERSON_WEAK", m.start(), m.end(), m.group(0)) for m in P.USER_CONTENT.finditer(text)]
