"""Step 4: findings and contract-level gaps, from the clause labels and the contract's facts.

Order matters and follows ``taxonomy.md``:

1. ``in_scope`` is decided first; an out-of-scope contract gets no findings (``classify.analyze``).
2. Clause-level labels become clause findings, unless the contract itself
   protects against that gap elsewhere (a signed AI rider with a use schedule,
   an approval right for the person, a revocation right: :class:`~.protections.ContractFacts`).
3. Silent (contract-level) gaps are decided from what the contract contains
   and does not contain; their evidence is the grant that makes the silence matter.
4. Severity rises one level when the performer is a minor.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

from ..model import Clause, Document, Evidence, Finding
from ..playbooks.rulepatterns import patterns_of
from .clause_rules import ClauseHit, unpaid_likeness_grant
from .concepts import Concepts
from .evidence import clause_ref, evidence_of, quote
from .lexicon import BROAD_PURPOSE
from .protections import ContractFacts, Span
from .sentences import Sentence, polarity
from .taxonomy import GAPS, SEVERITY_ORDER, Gap, raise_severity

if TYPE_CHECKING:
    from ..playbooks import Playbook

__all__ = ["build_findings"]

# the gaps of the playbook in use while build_findings runs (severity, remedy, enabled); the default's otherwise
_BOOK: ContextVar[dict[str, Gap]] = ContextVar("castguard_playbook_gaps", default=GAPS)
P = patterns_of("contract")  # the rule patterns: playbooks/patterns/contract.toml
S = patterns_of("sentences")  # the sentence shapes that never grant: playbooks/patterns/sentences.toml
SC = patterns_of("scope")  # STRONG: the attributes that are always a person's (playbooks/patterns/scope.toml)


_BROAD_PURPOSE: set[str] = set(BROAD_PURPOSE)


def _broad_qualifier(s: Sentence) -> bool:
    if P.NOT_A_GRANT.search(s.text) or s.is_definition or S.RESERVES.search(s.text):
        return False
    if P.TERMINATION_RIGHT.search(s.text) and not P.LICENCE_WORD.search(s.text):
        return False  # "shall have the right ... at any time thereafter to terminate this Agreement" ends, not widens
    if s.has("PERPETUAL", "ALL_MEDIA", "RESULTS"):
        return True
    if any(h.text.lower() in _BROAD_PURPOSE for h in s.get("ANY_PURPOSE")):
        return True
    if s.has("IRREVOCABLE") and P.PERMISSION_WORD.search(s.text):
        return True
    # ownership of what was produced is broad unless its use is confined ("solely as outlined in Paragraph 9")
    return bool(P.OWN_PRODUCED.search(s.text)) and not P.CONFINED_USE.search(s.text)


def _broad_grants(doc: Document, clauses, concepts: Concepts) -> list[Span]:
    """Each grant of the person's name, likeness, voice or performance that is perpetual, all-media,
    any-purpose or all-results-and-proceeds: the first such sentence of each clause that makes one (at most five),
    in document order. The grant and its breadth may sit in different sentences of the same clause ("Talent
    grants ... her name and likeness. Company shall own all materials produced")."""
    found: list[Span] = []
    for clause in clauses:
        if len(found) >= 5:
            break
        sents = [
            Sentence(a, b, doc.text[a:b], concepts.within(a, b))
            for a, b in clause.sentences or ((clause.start, clause.end),)
        ]
        granting = [
            i
            for i, s in enumerate(sents)
            if s.has("GRANT")
            and not S.USER_DUTY.search(s.text)
            and not S.GRANTS_THE_USER.search(s.text)  # conditions on a licence to the user
            and len(S.BULLET.findall(s.text)) < 3  # "* Use the Service in any manner that could ..." grants nothing
            and not s.is_definition
            and not P.NOT_A_GRANT.search(s.text)
            and (
                [h for h in s.get("PERSON_STRONG") if h.defined or SC.STRONG.search(h.text)]
                or (s.has("PERSON_WEAK", "RESULTS") and (s.has("PARTY_PERSON") or P.WHO_STRICT.search(s.text)))
            )
            and polarity(s, s.get("PERSON_STRONG", "PERSON_WEAK"), doc.text) != "protect"
        ]
        if not granting:
            continue
        # the breadth must sit in the grant or right beside it, not anywhere in a long flattened clause
        # (a further clause counts only when the grant itself is broad: it is cited beside the first, not instead)
        near = {j for i in granting for j in (i - 1, i, i + 1)} if not found else set(granting)
        for k, s in enumerate(sents):
            if k not in near:
                continue
            if (
                _broad_qualifier(s)
                and not S.USER_DUTY.search(s.text)
                and not P.USER_DO_LEAD.match(s.text)
                and len(S.BULLET.findall(s.text)) < 3
                and polarity(s, s.get("PERPETUAL", "ALL_MEDIA", "RESULTS", "ANY_PURPOSE", "IRREVOCABLE"), doc.text)
                != "protect"
            ):
                found.append(Span(clause.id, s.start, s.end))
                break
    if found:
        return _with_breadth_stated_apart(doc, clauses, concepts, found)
    # materials kept and used without limit of time ("preserved indefinitely ... so that future researchers can use it")
    for clause in clauses:
        for a, b in clause.sentences or ((clause.start, clause.end),):
            s = Sentence(a, b, doc.text[a:b], concepts.within(a, b))
            if (
                s.has("PERPETUAL")
                and s.has("DATA_OBJECT", "PERSON_WEAK")
                and P.USE_WORD.search(s.text)
                and not P.NOT_A_GRANT.search(s.text)
            ):
                return [Span(clause.id, s.start, s.end)]
    return []


def _with_breadth_stated_apart(doc: Document, clauses, concepts: Concepts, found: list[Span]) -> list[Span]:
    """``found`` and, in document order, the clauses that state the breadth of a licence already granted in a
    sentence of their own ("The license which you grant to us under 10(b) above is perpetual, ... sublicensable"):
    the grant and what makes it broad are then both cited (at most five clauses in all)."""
    cited = {sp.clause_id for sp in found}
    more: list[Span] = []
    for clause in clauses:
        if len(found) + len(more) >= 5:
            break
        if clause.id in cited:
            continue
        for a, b in clause.sentences or ((clause.start, clause.end),):
            s = Sentence(a, b, doc.text[a:b], concepts.within(a, b))
            if (
                P.THE_LICENCE_GRANTED.match(s.text)
                and _broad_qualifier(s)
                and not S.USER_DUTY.search(s.text)
                and polarity(s, s.get("PERPETUAL", "ALL_MEDIA", "ANY_PURPOSE", "IRREVOCABLE"), doc.text) != "protect"
            ):
                more.append(Span(clause.id, s.start, s.end))
                break
    return sorted(found + more, key=lambda sp: sp.start) if more else found


def build_findings(
    doc: Document,
    clauses: tuple[Clause, ...],
    concepts: Concepts,
    hits: list[ClauseHit],
    facts: ContractFacts,
    detector: str,
    document_type: str = "contract",
    playbook: Playbook | None = None,
) -> tuple[Finding, ...]:
    """Findings for an in-scope contract, from its clause labels (``hits``) and what the whole contract contains
    (``facts``, from :func:`~.protections.read_contract`).

    ``playbook`` sets each gap's severity and remedy and which gaps are raised at all (default: the built-in
    playbook); a gap switched off is decided as usual (another gap may depend on it) but not reported."""
    token = _BOOK.set(playbook.gaps if playbook is not None else GAPS)
    try:
        findings = _build_findings(doc, clauses, concepts, hits, facts, detector, document_type)
    finally:
        _BOOK.reset(token)
    if playbook is not None:
        findings = tuple(f for f in findings if playbook.enabled(f.gap))
    return findings


def _build_findings(
    doc: Document,
    clauses: tuple[Clause, ...],
    concepts: Concepts,
    hits: list[ClauseHit],
    facts: ContractFacts,
    detector: str,
    document_type: str,
) -> tuple[Finding, ...]:
    by_id = {c.id: c for c in clauses}
    rule_protections = [h for h in hits if h.label.startswith("protective:") and h.detector.startswith("rules")]
    protected = {h.label.split(":", 1)[1] for h in rule_protections}
    # contract-wide protections that defeat a gap wherever it is raised
    if facts.person_approval or facts.excluded_categories:
        protected.add("objectionable_depiction")
    if facts.revocable:
        protected.add("no_revocation_or_suspension")
    if facts.use_schedule:
        protected.add("replica_use_unspecified")
        if facts.ai_term_limited:
            # the taxonomy's protective counterpart: a fixed term, listed media and territory for AI/replica uses
            protected.add("unbounded_term_scope")

    # a likeness licence that ends with the agreement is not unbounded for its "all media" or "worldwide" alone
    # (taxonomy: endorsement licences limited to the term)
    use_ends = any(h.label == "protective:unbounded_term_scope" and h.note == "use ends" for h in hits)
    grouped: dict[str, list[ClauseHit]] = {}
    for h in hits:
        if h.label.startswith("protective:"):
            continue
        if (
            h.label in ("no_revocation_or_suspension", "unbounded_term_scope")
            and not any(P.UNBOUNDED_CUE.search(c) for c in h.cues)
            and P.FORBIDS_AFTER.search(doc.text[h.start : h.end])
        ):
            # "following termination ..., Company shall not advertise ... in connection with ... the Duval
            # Identification": what happens after the term is forbidden, not kept alive
            continue
        if (
            h.label == "unbounded_term_scope"
            and use_ends
            and not any(P.UNBOUNDED_OR_SURVIVING_CUE.search(c) for c in h.cues)
        ):
            continue
        if (
            h.label == "objectionable_depiction"
            and facts.person_approval
            and not facts.excluded_categories
            and not facts.approval_covers_ai
            and Sentence(h.start, h.end, doc.text[h.start : h.end], concepts.within(h.start, h.end)).has(
                "REPLICA_STRONG", "AI", "SYNTHETIC"
            )
        ):
            grouped.setdefault(h.label, []).append(h)  # an approval of photographs does not reach the voice model
            continue
        if h.label in protected and not h.note:  # a hollowed protection never protects
            # a protection elsewhere only cancels a grant of the same gap when no other clause grants it plainly
            if h.label in {
                "objectionable_depiction",
                "no_revocation_or_suspension",
                "replica_use_unspecified",
                "unbounded_term_scope",
            }:
                continue
        grouped.setdefault(h.label, []).append(h)

    # protections for a gap within the same clause cancel that clause's grant of it
    clause_protect = {(h.clause_id, h.label.split(":", 1)[1]) for h in rule_protections}
    for gap in list(grouped):
        kept = [h for h in grouped[gap] if (h.clause_id, gap) not in clause_protect or h.note]
        if kept:
            grouped[gap] = kept
        else:
            del grouped[gap]

    # the taxonomy's decision rule: a replica grant whose uses are not specifically described
    if "replica_creation_grant" in grouped and "replica_use_unspecified" not in grouped and not facts.use_schedule:
        src = grouped["replica_creation_grant"]
        if not any(
            _specific_uses(Sentence(h.start, h.end, doc.text[h.start : h.end], concepts.within(h.start, h.end)))
            for h in src
        ):
            grouped["replica_use_unspecified"] = [
                ClauseHit(
                    h.clause_id,
                    "replica_use_unspecified",
                    min(h.score, 0.7),
                    h.start,
                    h.end,
                    h.cues,
                    "replica uses are not specifically described",
                )
                for h in src
            ]

    # taxonomy: replica_compensation_missing needs replica, simulation, AI or reuse rights granted; a royalty-free
    # licence to host and show the content, with none of those, leaves no such use unpaid
    # (the person's likeness granted to be exploited and expressly unpaid is itself unpaid reuse: kept)
    if "replica_compensation_missing" in grouped and not grouped.keys() & _PAID_USES:
        unpaid = [
            h
            for h in grouped["replica_compensation_missing"]
            if unpaid_likeness_grant(Sentence(h.start, h.end, doc.text[h.start : h.end], concepts.within(h.start, h.end)))
        ]
        if unpaid:
            grouped["replica_compensation_missing"] = unpaid
        else:
            del grouped["replica_compensation_missing"]

    # consent to replica/AI uses that sits in the body of the contract, not in a separately signed rider
    ai_grants = [
        h for g in ("replica_creation_grant", "ai_training_grant", "synthetic_substitution") for h in grouped.get(g, [])
    ]
    # (a release or consent form that stands alone is itself the separate consent)
    if (
        ai_grants
        and "consent_buried_or_bundled" not in grouped
        and not facts.separate_rider
        and document_type != "release_or_consent"
    ):
        grouped["consent_buried_or_bundled"] = [
            ClauseHit(
                h.clause_id,
                "consent_buried_or_bundled",
                0.6,
                h.start,
                h.end,
                h.cues,
                "the consent is part of the main agreement, not a separately signed rider",
            )
            for h in ai_grants[:3]
        ]

    findings: list[Finding] = []
    minor = facts.minor is not None
    for gap, ghits in grouped.items():
        findings.append(_clause_finding(doc, by_id, gap, ghits, detector, minor))

    broad_grants = _broad_grants(doc, clauses, concepts)
    contract_findings = _contract_gaps(doc, by_id, facts, broad_grants, grouped, detector, minor)
    findings.extend(contract_findings)
    findings.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.gap))
    return tuple(findings)


_PAID_USES = {
    "replica_creation_grant", "ai_training_grant", "synthetic_substitution", "replica_use_unspecified",
    "reuse_other_projects",
}  # fmt: skip


def _specific_uses(s: Sentence) -> bool:
    """The replica's uses are tied to a named project or a listed purpose, and not opened up again."""
    if (
        any(
            h.text.lower() in _BROAD_PURPOSE or h.text.lower() in {"without limitation", "unlimited"}
            for h in s.get("ANY_PURPOSE")
        )
        or s.has("ALL_MEDIA", "PERPETUAL")
        or P.AND_OTHERWISE.search(s.text)
    ):
        return False
    return s.has("RESTRICT") or bool(P.PROJECT.search(s.text))


def _severity(gap: str, minor: bool, strong_subject: bool = True) -> str:
    g = _BOOK.get()[gap]
    sev = g.severity
    if g.severity_likeness and strong_subject:  # unbounded_term_scope in the default playbook: high
        sev = g.severity_likeness
    return raise_severity(sev) if minor else sev


def _clause_finding(doc, by_id, gap, ghits: list[ClauseHit], detector, minor) -> Finding:
    g = _BOOK.get()[gap]
    evidence, clause_ids, cues = evidence_of(doc, ghits, key=lambda h: (-h.score, h.start))
    evidence = sorted(evidence[:5], key=lambda e: e.start)
    notes = sorted({h.note for h in ghits if h.note})
    strong = any(P.LIKENESS_CUE.search(" ".join(h.cues)) for h in ghits)
    where = ", ".join(clause_ref(by_id[c]) for c in clause_ids[:4])
    # quotation marks only around words the document contains; a cue the detector wrote itself ("learned
    # classifier, p=0.97") is named without them
    low = doc.text.lower()
    shown = [f"“{c}”" if c.lower() in low else c for c in cues[:6]]
    explanation = f"{g.title}. {g.why} Found in {where}: " + ", ".join(shown) + "."
    if notes:
        explanation += " Note: " + "; ".join(notes) + "."
    detectors = sorted({h.detector for h in ghits}, key=lambda d: (not d.startswith("rules"), d))
    return Finding(
        gap=gap,
        kind="clause",
        severity=_severity(gap, minor, strong),
        clause_ids=tuple(clause_ids),
        evidence=tuple(evidence),
        explanation=explanation,
        anchors=g.anchors,
        remedy=g.remedy,
        confidence=max(h.score for h in ghits),
        detector="+".join(detectors),
    )


def _contract_finding(doc, by_id, gap, spans, detector, minor, missing: str, confidence: float) -> Finding:
    """A gap of what the contract does not say; its evidence is each passage that makes the silence matter (the
    first in each clause, at most five, in document order)."""
    g = _BOOK.get()[gap]
    if isinstance(spans, Span):
        spans = [spans]
    first: dict[str, Span] = {}
    for span in spans:
        if span.clause_id not in first or span.start < first[span.clause_id].start:
            first[span.clause_id] = span
    chosen = sorted(first.values(), key=lambda sp: sp.start)[:5]
    evidence = []
    for cid, s, e in chosen:
        said, s, e = quote(doc.text, s, e)
        evidence.append(Evidence(cid, said, s, e, doc.page_at(s)))
    where = ", ".join(clause_ref(by_id[sp.clause_id]) for sp in chosen[:4])
    explanation = f"{g.title}. {g.why} Missing: {missing} Context: {where}."
    return Finding(
        gap=gap,
        kind="contract",
        severity=_severity(gap, minor),
        clause_ids=tuple(sp.clause_id for sp in chosen),
        evidence=tuple(evidence),
        explanation=explanation,
        anchors=g.anchors,
        remedy=g.remedy,
        confidence=confidence,
        detector=detector,
    )


def _first_span(grouped, gaps) -> Span | None:
    for gap in gaps:
        if gap in grouped:
            h = min(grouped[gap], key=lambda h: h.start)
            return Span(h.clause_id, h.start, h.end)
    return None


def _all_spans(grouped, gaps) -> list[Span]:
    """Every clause that raises one of ``gaps``: the first span in each, the clause of ``_first_span`` first."""
    lead = _first_span(grouped, gaps)
    if lead is None:
        return []
    rest = sorted(
        (Span(h.clause_id, h.start, h.end) for gap in gaps for h in grouped.get(gap, ())), key=lambda sp: sp.start
    )
    return [lead] + [sp for sp in rest if sp.clause_id != lead.clause_id]


def _contract_gaps(
    doc, by_id, facts: ContractFacts, broad_grants: list[Span], grouped, detector, minor
) -> list[Finding]:
    out: list[Finding] = []
    ai_spans = _all_spans(
        grouped, ("replica_creation_grant", "ai_training_grant", "synthetic_substitution", "replica_use_unspecified")
    )
    uses_ai = bool(ai_spans)

    if broad_grants and not facts.deals_with_ai:
        out.append(
            _contract_finding(
                doc,
                by_id,
                "silent_broad_legacy_grant",
                broad_grants,
                detector,
                minor,
                "the grant is broad and the contract says nothing about AI, machine learning, digital replicas, voice "
                "synthesis or synthetic performers, so nothing stops it being read as covering them.",
                0.8,
            )
        )

    if uses_ai and not facts.data_security:
        out.append(
            _contract_finding(
                doc,
                by_id,
                "data_security_deletion_missing",
                ai_spans,
                detector,
                minor,
                "no clause covers how recordings, scans or voice data are stored, secured, retained or deleted.",
                0.75,
            )
        )
    elif facts.data_collection and not facts.data_security and facts.mentions_ai and facts.ai_uses:
        out.append(
            _contract_finding(
                doc,
                by_id,
                "data_security_deletion_missing",
                facts.data_collection,
                detector,
                minor,
                "no clause covers how the collected data are stored, secured, retained or deleted.",
                0.6,
            )
        )

    if uses_ai and not facts.notice:
        out.append(
            _contract_finding(
                doc,
                by_id,
                "ai_disclosure_missing",
                ai_spans,
                detector,
                minor,
                "nothing requires notice to the performer of AI or replica uses, usage reports, or labelling of synthetic output.",
                0.7,
            )
        )

    rights_spans = ai_spans or _all_spans(grouped, ("reuse_other_projects",))
    if rights_spans and "replica_compensation_missing" not in grouped and not facts.replica_pay:
        out.append(
            _contract_finding(
                doc,
                by_id,
                "replica_compensation_missing",
                rights_spans,
                detector,
                minor,
                "no payment term reaches the replica, AI or reuse rights granted here.",
                0.65,
            )
        )

    if facts.minor is not None:
        said = [facts.minor, *facts.minor_more]
        minor_spans = [Span(_clause_at(by_id, a), a, b) for a, b in said]
        missing = (
            "the performer is (or may be) a minor: a minor's AI or likeness licence should end at majority or "
            "within 5 years, with court or guardian approval."
        )
        if uses_ai and not (facts.counsel or facts.union):
            missing += " Replica or AI rights are also granted, with neither counsel nor union coverage shown for them."
            minor_spans = minor_spans[:3] + [
                sp for sp in ai_spans if sp.clause_id not in {m.clause_id for m in minor_spans}
            ]
        out.append(
            _contract_finding(doc, by_id, "representation_or_minor_gap", minor_spans, detector, minor, missing, 0.8)
        )
    elif uses_ai and not (facts.counsel or facts.union):
        out.append(
            _contract_finding(
                doc,
                by_id,
                "representation_or_minor_gap",
                ai_spans,
                detector,
                minor,
                "replica or AI rights are granted and the contract shows neither counsel nor union coverage for them.",
                0.7,
            )
        )
    return out


def _clause_at(by_id: dict[str, Clause], offset: int) -> str:
    best = None
    for c in by_id.values():
        if c.start <= offset < max(c.end, c.start + 1):
            if best is None or c.start >= best.start:
                best = c
    return (best or next(iter(by_id.values()))).id
