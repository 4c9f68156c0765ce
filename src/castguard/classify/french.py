"""Reading a contract or terms of service written in French: scope, clause labels, findings and protections.

The lexicon, the learned model and most rules read English. A French text is read instead by the rules of
``playbooks/patterns/french.toml``, sentence by sentence, for the gaps in :data:`CHECKED`; the others (a replica's
uses described, data security, AI notice, counsel and minors) need readings these rules do not make, so the report
names them as not checked rather than as absent. Every quote is the French sentence itself; the explanations are
in English and put in quotation marks only the French words the document contains.

A sentence counts when it concerns the person's own attribute (``votre image``, ``la voix de l'Artiste``) or
material (``votre contenu``, ``vos enregistrements``) and the other side gets something (``vous nous accordez une
licence``, ``le Producteur pourra utiliser``). A negated sentence grants nothing; when it binds the company (``nous
n'utilisons pas vos contenus pour entraîner ...``) or keeps the person's consent, it is a protection. The user's
own duties (``vous ne devez pas ...``) are neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Clause, Document, Finding, Protection
from ..playbooks.rulepatterns import patterns_of
from .clause_rules import ClauseHit
from .contract import _clause_finding, _contract_finding
from .protections import Span, build_protections
from .scope import ScopeDecision
from .taxonomy import GAPS

__all__ = ["CHECKED", "DETECTOR_ID", "FrenchReading", "read_french"]

DETECTOR_ID = "rules.fr.v1"
P = patterns_of("french")  # playbooks/patterns/french.toml
S = patterns_of("sentences")  # BULLET: a list of conduct is not a grant

# the gaps the French rules decide; the report calls the others "not checked"
CHECKED = (
    "ai_training_grant",
    "replica_creation_grant",
    "unbounded_term_scope",
    "reuse_other_projects",
    "digital_alteration",
    "objectionable_depiction",
    "replica_compensation_missing",
    "consent_buried_or_bundled",
    "consent_conditioned_or_waived",
    "no_revocation_or_suspension",
    "assignment_sublicensing",
    "post_mortem_use",
    "synthetic_substitution",
    "silent_broad_legacy_grant",
)


@dataclass(frozen=True)
class FrenchReading:
    scope: ScopeDecision
    hits: tuple[ClauseHit, ...]
    findings: tuple[Finding, ...]
    protections: tuple[Protection, ...]
    unchecked: tuple[str, ...]


def read_french(doc: Document, clauses: tuple[Clause, ...], document_type: str) -> FrenchReading:
    """Scope, clause labels, findings and protections of a French document (``document_type`` decided before)."""
    unchecked = tuple(g for g in GAPS if g not in CHECKED)
    sentences = [(c, a, b, doc.text[a:b]) for c in clauses for a, b in (c.sentences or ((c.start, c.end),))]
    grant = _scope_grant(sentences)
    if grant is None:
        reason = (
            "read in French: no sentence grants or licenses a person's image, voice, name, performances or own "
            "content"
        )
        return FrenchReading(ScopeDecision(False, reason), (), (), (), unchecked)
    _clause, a, b, text, what = grant
    if not P.PERSON_ATTRIBUTE.search(text) and not P.MEDIA.search(text):
        # only 'votre contenu' is licensed: the terms of a general AI tool, unless they are about people's media
        ai = sum(1 for _c, _a, _b, t in sentences if P.AI_TERM.search(t))
        media = sum(1 for _c, _a, _b, t in sentences if P.MEDIA.search(t))
        if ai >= 3 and ai > 3 * media:
            reason = (
                "read in French: terms of a general AI or software tool: users license their prompts, inputs and "
                "outputs, not their own recordings, voice or likeness"
            )
            return FrenchReading(ScopeDecision(False, reason), (), (), (), unchecked)
    scope = ScopeDecision(True, f"read in French: {what}", (a, b))
    hits: list[ClauseHit] = []
    for c, s0, s1, t in sentences:
        hits.extend(_sentence_hits(c, s0, s1, t))
    statement = P.FIRST_PERSON_STATEMENT.search(doc.text)
    if statement and any(h.label in ("ai_training_grant", "replica_creation_grant") for h in hits):
        # 'Je, [nom et prénom], déclare être informé que ...': the document is the person's own, separate consent
        for c, s0, s1, _t in sentences:
            if s0 <= statement.start() < s1:
                hits.append(
                    ClauseHit(c.id, "protective:consent_buried_or_bundled", 0.8, s0, s1, (statement.group(0),),
                              detector=DETECTOR_ID)
                )
                break
    findings = _findings(doc, clauses, sentences, hits, document_type)
    return FrenchReading(scope, tuple(hits), findings, build_protections(doc, clauses, hits), unchecked)


def _gives(text: str) -> bool:
    """The other side gets something in this sentence, and it is not a duty of the person's or a ban."""
    if P.USER_DUTY.search(text) or len(S.BULLET.findall(text)) >= 3:
        return False
    return bool(P.GRANT.search(text) or P.PERMISSION.search(text)) and not P.NEGATED.search(text)


def _scope_grant(sentences) -> tuple[Clause, int, int, str, str] | None:
    """The sentence in which the person grants rights in their own attribute (or else, the first in which they
    grant rights in their own material, or a replica is made from it), and what it grants, in words that quote the
    French: 'Claire Montel (“L'Artiste”) grants rights in “son image”: “L'Artiste autorise le Producteur ...”'."""
    best = None
    named = None
    for _c, _a, _b, t in sentences[:20]:
        if named := P.NAMED_PERSON.search(t):
            break
    for c, a, b, t in sentences:
        replica = P.REPLICA.search(t) or P.SYNTHETIC.search(t)
        if not (_gives(t) and P.GRANT.search(t)) and not (replica and P.PERSON_MATERIAL.search(t)):
            continue
        attr = P.PERSON_ATTRIBUTE.search(t)
        found = attr or P.PERSON_MATERIAL.search(t)
        if found is None:
            continue
        who = P.WHO.search(t)
        if named and who and _same(named.group(2), who.group(0)):
            person = f"{named.group(1)} (“{who.group(0)}”)"
        else:
            person = "the person" if who is None else f"the person (“{who.group(0)}”)"
        if replica and not P.GRANT.search(t):
            what = f"a “{replica.group(0)}” is made from the material of {person}: {_short(t)}"
        else:
            what = f"{person} grants rights in “{found.group(0)}”: {_short(t)}"
        if attr is not None:
            return c, a, b, t, what
        if best is None:
            best = (c, a, b, t, what)
    return best


def _same(a: str, b: str) -> bool:
    """'l’Artiste' and 'L'Artiste' name the same role."""
    return a.replace("’", "'").lower() == b.replace("’", "'").lower()


def _short(text: str, limit: int = 160) -> str:
    """The sentence in quotation marks, cut at a word when long (the ellipsis outside the marks: it is not the
    document's)."""
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1].rsplit(' ', 1)[0]}”…"


def _sentence_hits(c: Clause, a: int, b: int, t: str) -> list[ClauseHit]:
    out: list[ClauseHit] = []

    def hit(label: str, *cues) -> None:
        words = tuple(dict.fromkeys(m.group(0) for m in cues if m is not None))
        out.append(ClauseHit(c.id, label, 0.8, a, b, words, detector=DETECTOR_ID))

    attr = P.PERSON_ATTRIBUTE.search(t)
    person = attr or P.PERSON_MATERIAL.search(t)
    negated = P.NEGATED.search(t)
    duty = P.USER_DUTY.search(t)
    consent = P.WHOSE_CONSENT.search(t)
    binds = P.COMPANY_BOUND.search(t)
    gives = _gives(t)

    # promises and limits, which need no grant in the same sentence
    if (ends := P.LICENCE_ENDS.search(t)) and not duty:
        hit("protective:unbounded_term_scope", ends)
    if (gone := P.DELETION.search(t)) and not duty:
        hit("protective:data_security_deletion_missing", gone)
    if (revoke := P.REVOKE.search(t)) and not negated:
        hit("protective:no_revocation_or_suspension", revoke)
    if (waiver := P.WAIVER.search(t)) and not negated:
        hit("consent_conditioned_or_waived", waiver)
    if not person and not negated and not duty:
        # the grant named as such: 'La totalité de nos droits ... est librement cessible par nous', 'Le Producteur
        # pourra céder tout ou partie des droits ... à tout tiers', 'La présente autorisation est consentie à titre
        # irrévocable'
        if (passes := P.SUBLICENSE.search(t)) and P.RIGHTS.search(t):
            hit("assignment_sublicensing", passes)
        if (fixed := P.IRREVOCABLE.search(t)) and P.THE_GRANT.search(t):
            hit("no_revocation_or_suspension", fixed)

    ai = P.AI_TERM.search(t)
    train = P.TRAIN.search(t) if ai else None
    material = person or (P.PERSON_DATA.search(t) if ai else None)
    if material is None:
        return out
    protects = bool(negated and (binds or consent)) and not duty
    confined = P.NAMED_PURPOSE.search(t)  # 'destinée exclusivement au Projet': the taxonomy's remedy for both
    if confined and not duty:
        hit("protective:reuse_other_projects", confined)
    for label, m in (
        ("ai_training_grant", (train and ai) or P.MADE_FROM_RECORDINGS.search(t)),
        ("replica_creation_grant", P.REPLICA.search(t)),
        ("synthetic_substitution", P.SYNTHETIC.search(t)),
    ):
        if not m:
            continue
        if protects or (consent and not negated and not duty):
            hit(f"protective:{label}", m, consent)
        elif confined and label == "replica_creation_grant" and not duty:
            hit(f"protective:{label}", m, confined)
        elif gives or (P.PERMISSION.search(t) and not negated and not duty):
            hit(label, m, material)
    if person is None or not gives:
        if protects and (passes := P.SUBLICENSE.search(t)) and consent:
            hit("protective:assignment_sublicensing", passes, consent)
        return out
    for label, pattern in (
        ("assignment_sublicensing", P.SUBLICENSE),
        ("digital_alteration", P.ALTERATION),
        ("reuse_other_projects", P.REUSE),
        ("unbounded_term_scope", P.BREADTH),
        ("no_revocation_or_suspension", P.IRREVOCABLE),
        ("post_mortem_use", P.POST_MORTEM),
    ):
        if m := pattern.search(t):
            hit(f"protective:{label}" if consent and label != "unbounded_term_scope" else label, m, person)
    if attr is not None:
        if m := P.ADVERTISING.search(t):
            hit("protective:objectionable_depiction" if consent else "objectionable_depiction", m, attr)
        if m := P.UNPAID.search(t):
            hit("replica_compensation_missing", m, attr)
    return out


def _findings(doc: Document, clauses, sentences, hits: list[ClauseHit], document_type: str) -> tuple[Finding, ...]:
    by_id = {c.id: c for c in clauses}
    protected = {h.label.split(":", 1)[1] for h in hits if h.label.startswith("protective:")}
    grouped: dict[str, list[ClauseHit]] = {}
    for h in hits:
        if not h.label.startswith("protective:") and h.label not in protected:
            grouped.setdefault(h.label, []).append(h)
    findings = [
        _clause_finding(doc, by_id, gap, ghits, DETECTOR_ID, False) for gap, ghits in grouped.items() if gap in GAPS
    ]
    ai_grants = grouped.get("ai_training_grant", []) + grouped.get("replica_creation_grant", [])
    separate = any(P.SEPARATE_CONSENT.search(t) for _c, _a, _b, t in sentences)
    if ai_grants and "consent_buried_or_bundled" not in protected and not separate:
        findings.append(_clause_finding(doc, by_id, "consent_buried_or_bundled", ai_grants, DETECTOR_ID, False))
    if ai_grants and "replica_compensation_missing" not in grouped and not P.PAY.search(doc.text):
        findings.append(
            _contract_finding(
                doc,
                by_id,
                "replica_compensation_missing",
                [Span(h.clause_id, h.start, h.end) for h in ai_grants],
                DETECTOR_ID,
                False,
                "the document states no payment at all for the AI or replica uses it allows.",
                0.7,
            )
        )
    if not any(P.AI_TERM.search(t) for _c, _a, _b, t in sentences):
        broad = [
            Span(c.id, a, b)
            for c, a, b, t in sentences
            if _gives(t)
            and (P.PERSON_ATTRIBUTE.search(t) or (document_type == "terms_of_service" and P.PERSON_MATERIAL.search(t)))
            and (P.BREADTH.search(t) or P.IRREVOCABLE.search(t))
        ]
        if broad:
            findings.append(
                _contract_finding(
                    doc,
                    by_id,
                    "silent_broad_legacy_grant",
                    broad,
                    DETECTOR_ID,
                    False,
                    "the grant of the person's image, voice, name or performances is without limit of time or "
                    "media, and the contract says nothing of artificial intelligence, digital replicas or training.",
                    0.8,
                )
            )
    order = list(GAPS)
    return tuple(sorted(findings, key=lambda f: (order.index(f.gap), f.evidence[0].start if f.evidence else 0)))
