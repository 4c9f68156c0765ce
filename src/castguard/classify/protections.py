"""Step 3: decide protections. What the whole contract contains, read once from every sentence.

``read_contract`` walks the contract's sentences once, after the clauses are labelled, and returns a frozen
:class:`ContractFacts`: the protections the contract gives outside any single grant (an approval right for
the person, a revocation right, a signed AI rider, a use schedule, notice and labelling, data security,
counsel or a union, pay for replica uses) -- each with the sentence that gives it, as a
``protective:<gap>`` :class:`~castguard.classify.clause_rules.ClauseHit` -- and the few contract-wide facts
the contract-level gaps need (a clause that deals with AI, a minor, recordings collected as data).

``build_protections`` turns every protective clause label (the rules', the model's, a playbook's and these)
into the report's ``protections``: one entry per gap, quoting the sentences that protect against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import NamedTuple

from ..model import Clause, Document, Protection
from ..playbooks.rulepatterns import patterns_of
from .clause_rules import HOLLOWED, ClauseHit, deemed_window_is_short
from .concepts import Concepts
from .evidence import clause_ref, evidence_of
from .lexicon import BROAD_PURPOSE
from .sentences import Sentence, polarity, prohibited_list_item, sentences_of
from .taxonomy import GAPS

__all__ = ["ContractFacts", "Span", "build_protections", "read_contract"]

P = patterns_of("protections")  # playbooks/patterns/protections.toml
S = patterns_of("sentences")  # the sentence shapes that never grant: playbooks/patterns/sentences.toml

_BROAD_PURPOSE: set[str] = set(BROAD_PURPOSE)


class Span(NamedTuple):
    """A sentence of the contract: the clause it sits in and its offsets."""

    clause_id: str
    start: int
    end: int


@dataclass(frozen=True)
class ContractFacts:
    """What the whole contract says, gathered once from every sentence (the seam to :mod:`.contract`)."""

    mentions_ai: bool = False  # any clause that deals with AI / replicas / synthesis, granting or prohibiting
    # a clause that deals with AI by name (not a "recommender algorithm", "don't impersonate", "avatars")
    deals_with_ai: bool = False
    ai_uses: bool = False  # AI / replica / synthetic uses granted or contemplated (not only prohibited)
    notice: bool = False
    data_security: bool = False
    counsel: bool = False
    union: bool = False
    minor: tuple[int, int] | None = None  # the sentence that says the performer is (or may be) a minor
    # the same said again in other clauses (a second regional version of the terms, a summary): up to four
    minor_more: tuple[tuple[int, int], ...] = ()
    person_approval: bool = False
    excluded_categories: bool = False  # sexual, political, derogatory uses are excluded
    approval_covers_ai: bool = False  # the approval right reaches replica / AI output too
    revocable: bool = False
    use_schedule: bool = False
    ai_term_limited: bool = False  # AI/replica uses confined to a fixed term
    separate_rider: bool = False
    replica_pay: bool = False
    protections: tuple[ClauseHit, ...] = ()  # ClauseHit("protective:<gap>") for each protective sentence
    data_collection: Span | None = None  # recordings/scans collected as data


@dataclass
class _Reading:
    """:class:`ContractFacts` while the sentences are read."""

    mentions_ai: bool = False
    deals_with_ai: bool = False
    ai_uses: bool = False
    notice: bool = False
    data_security: bool = False
    counsel: bool = False
    union: bool = False
    minor: tuple[int, int] | None = None
    minor_more: list[tuple[int, int]] = field(default_factory=list)
    minor_clauses: set[str] = field(default_factory=set)
    person_approval: bool = False
    excluded_categories: bool = False
    approval_covers_ai: bool = False
    revocable: bool = False
    use_schedule: bool = False
    ai_term_limited: bool = False
    separate_rider: bool = False
    replica_pay: bool = False
    protections: list[ClauseHit] = field(default_factory=list)
    data_collection: Span | None = None

    def protect(self, clause: Clause, s: Sentence, gap: str) -> None:
        self.protections.append(
            ClauseHit(clause.id, f"protective:{gap}", 0.8, s.start, s.end, (), "contract protection")
        )

    def says_minor(self, clause: Clause, s: Sentence) -> None:
        """The first sentence that says the person is (or may be) a minor is the evidence; the first such
        sentence of up to four other clauses is kept beside it."""
        if self.minor is None:
            self.minor = (s.start, s.end)
        elif clause.id not in self.minor_clauses and len(self.minor_more) < 4 and P.ADMITS_MINORS.search(s.text):
            self.minor_more.append((s.start, s.end))
        self.minor_clauses.add(clause.id)

    def done(self) -> ContractFacts:
        values = {f.name: getattr(self, f.name) for f in fields(ContractFacts)}
        values["protections"] = tuple(self.protections)
        values["minor_more"] = tuple(self.minor_more)
        return ContractFacts(**values)


def _data_security_terms(s: Sentence) -> bool:
    """The sentence speaks of the security, retention or deletion of data (not of a data protection law, not of the
    company's right to delete, and not of the reader's own duty to delete what was licensed to them)."""
    terms = [h for h in s.get("DATA_SEC") if not P.NAMES_A_LAW.match(s.text[h.end - s.start :])]
    if not terms:
        return False
    if P.PERSON_MUST_DELETE.search(s.text):
        return False  # "Upon termination, you must permanently delete the Licensed Materials": the user's duty
    return not (P.COMPANY_MAY_DELETE.search(s.text) and not P.DUTY_TO_DELETE.search(s.text))


def read_contract(doc: Document, clauses, concepts: Concepts, hits: list[ClauseHit]) -> ContractFacts:
    """The protections and contract-wide facts of an in-scope contract, from its sentences and its clause labels."""
    f = _Reading()
    grant_labels = {h.label for h in hits if not h.label.startswith("protective:")}
    f.ai_uses = bool(
        grant_labels
        & {"ai_training_grant", "replica_creation_grant", "synthetic_substitution", "replica_use_unspecified"}
    )
    for clause, s in sentences_of(doc, clauses, concepts):
        ai_here = s.has("AI", "REPLICA_STRONG", "SYNTHETIC") or (s.has("REPLICA_WEAK") and s.has("PERSON_STRONG"))
        if ai_here and P.EXPRESS_AI.search(s.text):
            f.deals_with_ai = True
        # no protection in: a list read as one sentence ("* spamming; * scraping; ...", Myspace's prohibited activity,
        # 6,000 characters), which forbids the users things and in which no reader could find the words; a
        # disclaimer of liability ("IN NO EVENT SHALL MYSPACE BE LIABLE ... DAMAGE FROM ANY SECURITY BREACH")
        listy = (
            len(S.BULLET.findall(s.text)) >= 3
            or prohibited_list_item(s, doc.text)
            or bool(P.DISCLAIMS_LIABILITY.search(s.text))
            # the user's own duties ("You agree that you will not, and will not permit any End Users to: (i) ...")
            or bool(S.PERSON_RESTRICTED.search(s.text))
            or bool(S.GRANTS_THE_USER.search(s.text))  # a licence to the user limits the user
        )
        if ai_here:
            f.mentions_ai = True
        if ai_here and not listy:
            if s.has("NOTICE"):
                f.notice = True
                f.protect(clause, s, "ai_disclosure_missing")
            if (
                s.has("RESTRICT")
                and s.has("REPLICA_STRONG", "SYNTHETIC", "AI")
                and not any(h.text.lower() in _BROAD_PURPOSE for h in s.get("ANY_PURPOSE"))
                and P.USE_SCHEDULE.search(s.text)
            ):
                f.use_schedule = True
                f.protect(clause, s, "replica_use_unspecified")
            if (
                P.SEPARATE_RIDER.search(s.text)
                and polarity(s, s.get("AI", "REPLICA_STRONG", "SYNTHETIC"), doc.text) != "protect"
            ):
                f.separate_rider = True
                f.protect(clause, s, "consent_buried_or_bundled")
            if s.has("PAY_SPECIFIC") and not s.has("NO_COMP"):
                f.replica_pay = True
                f.protect(clause, s, "replica_compensation_missing")
            if P.FIXED_DURATION.search(s.text) and P.TERM_WORD.search(s.text) and not s.has("PERPETUAL"):
                f.ai_term_limited = True
                f.protect(clause, s, "unbounded_term_scope")
        if not listy and s.has("REUSE") and s.has("PAY_SPECIFIC") and not s.has("NO_COMP"):
            f.replica_pay = True
            f.protect(clause, s, "replica_compensation_missing")
        if not listy and P.USAGE_REPORT_OR_LABEL.search(s.text):
            f.notice = True
            f.protect(clause, s, "ai_disclosure_missing")
        if (
            not listy
            and _data_security_terms(s)
            and (s.has("DATA_OBJECT", "REPLICA_STRONG", "PERSON_STRONG", "AI"))
            and not P.CONFIDENTIAL_INFORMATION.search(s.text)
        ):
            if s.has("DATA_OBJECT", "REPLICA_STRONG", "AI") or P.DATA_HANDLING_WORD.search(s.text):
                f.data_security = True
                f.protect(clause, s, "data_security_deletion_missing")
        if (
            not listy
            and s.has("GRANT")
            and s.has("PERSON_STRONG", "PERSON_WEAK", "RESULTS")
            and P.LICENSING_WORD.search(s.text)
            and not P.FOR_USERS.search(s.text)
            and P.NAMED_PURPOSE.search(s.text)
            and not P.OTHERWISE.search(s.text)
            and not s.has("REUSE")
            and not any(h.text.lower() in _BROAD_PURPOSE for h in s.get("ANY_PURPOSE"))
            and polarity(s, s.get("GRANT"), doc.text) == "grant"
        ):
            # taxonomy v1.1: a use limited to a named purpose ("solely in connection with the advertisement and
            # promotion of Company's Products") protects against reuse in other projects, for that use
            f.protect(clause, s, "reuse_other_projects")
        if (
            not listy
            and s.has("COUNSEL")
            and polarity(s, s.get("COUNSEL"), doc.text) == "grant"
            # "all parties to the arbitration will have the right ... to be represented by an attorney": counsel in a
            # dispute, not counsel who negotiated these terms
            and not P.DISPUTE_CONTEXT.search(s.text)
        ):
            f.counsel = True
            f.protect(clause, s, "representation_or_minor_gap")
        if (
            not listy
            and s.has("UNION")
            and not P.OTHER_UNIONS.search(s.text)
            and polarity(s, s.get("UNION"), doc.text) == "grant"
            and not P.NO_UNION.search(s.text)
        ):
            f.union = True
            f.protect(clause, s, "representation_or_minor_gap")
        if (
            s.has("MINOR")
            and not S.HEADING.match(s.text)  # a heading names a topic; the sentence under it is the evidence
            and P.MINOR_WORD.search(s.text)
            and not P.NOT_ABOUT_A_MINOR_PERFORMER.search(s.text)
        ):
            f.says_minor(clause, s)
        elif (
            not S.HEADING.match(s.text)
            and P.AGE_FLOOR_UNDER_18.search(s.text)
            and not P.CHILD_PRIVACY_LAW.search(s.text)
        ):
            # "You can only use the Platform if you are 13 years or older": users of 13 to 17 are minors
            f.says_minor(clause, s)
        if (
            not listy
            and s.has("APPROVAL")
            and s.has("ROLE", "PARTY_PERSON")
            and (not s.has("DEEMED") or not deemed_window_is_short(s.text))
        ):
            persons = [h for h in s.get("ROLE", "PARTY_PERSON") if h.text.lower() not in {"i", "me", "you"}]
            approvals = [m.start() + s.start for m in P.APPROV_WORD.finditer(s.text)]
            near = any(0 < a - p.end < 60 for p in persons for a in approvals)
            company_only = P.COMPANY_APPROVES.search(s.text) and not P.PERSON_APPROVES.search(s.text)
            if near and not P.APPROVAL_WAIVED_OR_EXEMPT.search(s.text) and not company_only:
                f.person_approval = True
                f.protect(clause, s, "objectionable_depiction")
                if s.has("REPLICA_STRONG", "AI", "SYNTHETIC"):
                    f.approval_covers_ai = True
            elif not P.APPROVAL_WAIVED.search(s.text) and P.PERSON_APPROVES.search(s.text):
                f.person_approval = True
                f.protect(clause, s, "objectionable_depiction")
        if (
            not listy
            and s.has("NEG", "SEPARATE_CONSENT")
            and P.EXCLUDED_CATEGORY.search(s.text)
            and (s.has("PERSON_STRONG", "REPLICA_STRONG") or s.has("ROLE", "PARTY_PERSON"))
            # what users may not post ("* is patently offensive ... * exploits people ...") limits the users, not
            # the company's use of the person
            and not S.USER_DUTY.search(s.text)
            and not S.GRANTS_THE_USER.search(s.text)  # conditions on a licence to the user
            and len(S.BULLET.findall(s.text)) < 3
            and not prohibited_list_item(s, doc.text)
        ):
            f.excluded_categories = True
            f.protect(clause, s, "objectionable_depiction")
        if (
            not listy
            and s.has("REVOKE_OK")
            and s.has("ROLE", "PARTY_PERSON", "PERSON_STRONG")
            and P.PERMISSION_OR_USE_WORD.search(s.text)
            and not s.has("IRREVOCABLE")
        ):
            if (
                P.REVOKE_WORD.search(s.text)
                and not P.NOT_REVOCABLE.search(s.text)
                and not P.COMPANY_REVOKES.search(s.text)
                and not (P.ACCOUNT_ENDS.search(s.text) and not P.LICENCE_OR_CONSENT.search(s.text))
                and P.PERSON_REVOKES.search(s.text)
                # an opt-out of one feature ("opt out of translation") does not end the licence or the AI uses
                and (not P.OPT_OUT.search(s.text) or P.OPT_OUT_REACHES.search(s.text))
            ):
                f.revocable = True
                f.protect(clause, s, "no_revocation_or_suspension")
        if f.data_collection is None and (
            s.has("REPLICA_STRONG")
            or (s.has("AI") and s.has("DATA_OBJECT", "PERSON_STRONG"))
            or P.BIOMETRIC_DATA.search(s.text)
        ):
            f.data_collection = Span(clause.id, s.start, s.end)
    return f.done()


def build_protections(doc: Document, clauses: tuple[Clause, ...], hits: list[ClauseHit]) -> tuple[Protection, ...]:
    """The report's ``protections``: one entry per gap, quoting the sentences that protect against it.

    A grant hollowed out by an exception ("we will not train on your content except to improve our services")
    is listed as a hollowed protection, so the reader sees why it did not count.
    """
    by_id = {c.id: c for c in clauses}
    grouped: dict[tuple[str, bool], list[ClauseHit]] = {}
    for h in hits:
        if h.label.startswith("protective:"):
            grouped.setdefault((h.label.split(":", 1)[1], False), []).append(h)
        elif h.note == HOLLOWED:
            grouped.setdefault((h.label, True), []).append(h)
    out = []
    for (gap, hollowed), ghits in grouped.items():
        if gap not in GAPS:
            continue
        evidence, clause_ids, _cues = evidence_of(doc, ghits, key=lambda h: h.start, limit=3)
        where = ", ".join(clause_ref(by_id[c]) for c in clause_ids[:4])
        g = GAPS[gap]
        if hollowed:
            explanation = (
                f"{where} sets a limit, but an exception carves the limit out, so the gap stays raised: {g.title}."
            )
        else:
            explanation = f"{g.protects} ({where})"
        detectors = sorted({h.detector for h in ghits})
        out.append(Protection(gap, tuple(clause_ids), tuple(evidence), explanation, hollowed, "+".join(detectors)))
    out.sort(key=lambda p: (list(GAPS).index(p.gap), p.hollowed))
    return tuple(out)
