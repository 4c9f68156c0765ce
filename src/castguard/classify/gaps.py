"""Clause labels -> findings, with the contract-level decisions of the taxonomy.

Order matters and follows ``taxonomy.md``:

1. ``in_scope`` is decided first; an out-of-scope contract gets no findings.
2. Clause-level labels become clause findings, unless the contract itself
   protects against that gap elsewhere (a signed AI rider with a use schedule,
   an approval right for the person, a revocation right).
3. Silent (contract-level) gaps are decided from what the contract contains
   and does not contain; their evidence is the grant that makes the silence matter.
4. Severity rises one level when the performer is a minor.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Clause, Document, Evidence, Finding, Protection
from .lexicon import BROAD_PURPOSE
from .rules import (
    _BULLET,
    _HEADING,
    _RESERVES,
    _USER_DUTY,
    HOLLOWED,
    ClauseHit,
    Concepts,
    Sentence,
    deemed_window_is_short,
    polarity,
    prohibited_list_item,
)
from .rules import sentences_of as _sentences
from .scope import _STRONG
from .taxonomy import GAPS, SEVERITY_ORDER, Gap, raise_severity

if TYPE_CHECKING:
    from ..playbooks import Playbook

__all__ = ["build_findings", "build_protections"]

# the gaps of the playbook in use while build_findings runs (severity, remedy, enabled); the default's otherwise
_BOOK: ContextVar[dict[str, Gap]] = ContextVar("castguard_playbook_gaps", default=GAPS)


_WHO_STRICT = re.compile(
    r"\b(?:[Pp]erformers?|[Aa]rtists?|[Tt]alent|[Aa]ctor|[Aa]ctress|Models?|[Aa]thletes?|[Mm]usicians?|[Vv]ocalists?|"
    r"[Ss]ingers?|[Dd]ancers?|[Pp]articipants?|[Ii]nfluencers?|[Cc]reators?|[Ee]ndorsers?|[Cc]elebrity|"
    r"[Ss]pokesperson|[Nn]arrator|[Vv]oice [Aa]ctor|[Yy]ou|[Yy]our|me|[Mm]y|the undersigned|lab members?|[Cc]oach|"
    r"[Gg]olfer|depicted individuals?)\b|\bI\b"
)


def _quote(text: str, start: int, end: int, limit: int = 300) -> tuple[str, int, int]:
    q = text[start:end]
    if len(q) > limit:
        q = q[: limit - 1].rsplit(" ", 1)[0] + "…"
    return " ".join(q.split()), start, end


@dataclass
class _Facts:
    """What the whole contract says, gathered once from every sentence."""

    mentions_ai: bool = False  # any clause that deals with AI / replicas / synthesis, granting or prohibiting
    # a clause that deals with AI by name (not a "recommender algorithm", "don't impersonate", "avatars")
    deals_with_ai: bool = False
    ai_uses: bool = False  # AI / replica / synthetic uses granted or contemplated (not only prohibited)
    notice: bool = False
    data_security: bool = False
    counsel: bool = False
    union: bool = False
    minor: tuple[int, int] | None = None
    person_approval: bool = False
    excluded_categories: bool = False  # sexual, political, derogatory uses are excluded
    approval_covers_ai: bool = False  # the approval right reaches replica / AI output too
    revocable: bool = False
    use_schedule: bool = False
    ai_term_limited: bool = False  # AI/replica uses confined to a fixed term
    separate_rider: bool = False
    replica_pay: bool = False
    protections: list = field(default_factory=list)  # ClauseHit("protective:<gap>") for each protective sentence
    broad_grant: tuple[str, int, int] | None = None  # clause id and span of a broad legacy grant
    data_collection: tuple[str, int, int] | None = None  # recordings/scans collected as data

    def protect(self, clause: Clause, s: Sentence, gap: str) -> None:
        self.protections.append(
            ClauseHit(clause.id, f"protective:{gap}", 0.8, s.start, s.end, (), "contract protection")
        )


_UNDER_18 = r"(?:1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen)"
# an age floor below majority: "at least 13 years old", "if you are 13 years or older", "over the age of 16"
_AGE_FLOOR_UNDER_18 = re.compile(
    r"\b(?:at least|over|older than)\s+(?:the age of|age)\s+" + _UNDER_18 + r"\b(?!\s*(?:-|to)\s*\d)|"
    r"\b(?:at least|over|older than)\s+" + _UNDER_18 + r"(?:\s*\(\d+\))?\s+years?\s+(?:of age|old)\b|"
    r"\b" + _UNDER_18 + r"(?:\s*\(\d+\))?\s+years?\s+(?:of age\s+|old\s+)?or (?:older|over)\b",
    re.I,
)


def _gather(doc: Document, clauses, concepts: Concepts, hits: list[ClauseHit]) -> _Facts:
    f = _Facts()
    grant_labels = {h.label for h in hits if not h.label.startswith("protective:")}
    f.ai_uses = bool(
        grant_labels
        & {"ai_training_grant", "replica_creation_grant", "synthetic_substitution", "replica_use_unspecified"}
    )
    for clause, s in _sentences(doc, clauses, concepts):
        ai_here = s.has("AI", "REPLICA_STRONG", "SYNTHETIC") or (s.has("REPLICA_WEAK") and s.has("PERSON_STRONG"))
        if ai_here and _EXPRESS_AI.search(s.text):
            f.deals_with_ai = True
        if ai_here:
            f.mentions_ai = True
            if s.has("NOTICE"):
                f.notice = True
                f.protect(clause, s, "ai_disclosure_missing")
            if (
                s.has("RESTRICT")
                and s.has("REPLICA_STRONG", "SYNTHETIC", "AI")
                and not any(h.text.lower() in _BROAD_PURPOSE for h in s.get("ANY_PURPOSE"))
                and re.search(
                    r"permitted uses?|schedule of|uses? (?:listed|set out|set forth|described)|only the uses|"
                    r"new (?:separate )?(?:written )?consent",
                    s.text,
                    re.I,
                )
            ):
                f.use_schedule = True
                f.protect(clause, s, "replica_use_unspecified")
            if (
                _SEPARATE_RIDER.search(s.text)
                and polarity(s, s.get("AI", "REPLICA_STRONG", "SYNTHETIC"), doc.text) != "protect"
            ):
                f.separate_rider = True
                f.protect(clause, s, "consent_buried_or_bundled")
            if s.has("PAY_SPECIFIC") and not s.has("NO_COMP"):
                f.replica_pay = True
                f.protect(clause, s, "replica_compensation_missing")
            if (
                re.search(
                    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:\(\d+\)\s*)?[- ]?(?:years?|months?)\b",
                    s.text,
                    re.I,
                )
                and re.search(r"\bterm\b|\bperiod\b|\bexpir|\blimited\b|\bend", s.text, re.I)
                and not s.has("PERPETUAL")
            ):
                f.ai_term_limited = True
                f.protect(clause, s, "unbounded_term_scope")
        if s.has("REUSE") and s.has("PAY_SPECIFIC") and not s.has("NO_COMP"):
            f.replica_pay = True
            f.protect(clause, s, "replica_compensation_missing")
        if re.search(
            r"usage reports?|\blabel(?:l)?(?:ed|ing)?\b.*\b(?:synthetic|ai|generated|replica)|watermark", s.text, re.I
        ):
            f.notice = True
            f.protect(clause, s, "ai_disclosure_missing")
        if (
            s.has("DATA_SEC")
            and (s.has("DATA_OBJECT", "REPLICA_STRONG", "PERSON_STRONG", "AI"))
            and not re.search(r"confidential information", s.text, re.I)
        ):
            if s.has("DATA_OBJECT", "REPLICA_STRONG", "AI") or re.search(
                r"delet|destr|eras|purg|retention|encrypt|secur", s.text, re.I
            ):
                f.data_security = True
                f.protect(clause, s, "data_security_deletion_missing")
        if s.has("COUNSEL") and polarity(s, s.get("COUNSEL"), doc.text) == "grant":
            f.counsel = True
            f.protect(clause, s, "representation_or_minor_gap")
        if (
            s.has("UNION")
            and not re.search(r"european union|credit union", s.text, re.I)
            and polarity(s, s.get("UNION"), doc.text) == "grant"
            and not re.search(r"(?:not|no|neither)\b[^.;]{0,60}\b(?:union|guild|collective|sag|equity)", s.text, re.I)
        ):
            f.union = True
            f.protect(clause, s, "representation_or_minor_gap")
        if (
            s.has("MINOR")
            and f.minor is None
            and not _HEADING.match(s.text)  # a heading names a topic; the sentence under it is the evidence
            and re.search(
                r"\bminor\b|guardian|under (?:the age of )?(?:18|eighteen)|child|coogan|\b1[0-7] years of age",
                s.text,
                re.I,
            )
            and not re.search(
                r"\bminor (?:changes|modifications|edits|adjustments|amendments|variations|defects|deviations|corrections|"
                r"(?:negative |positive )?(?:impacts?|effects?)|issues?|breach(?:es)?|errors?|repairs?|discrepanc\w*|"
                r"inaccurac\w*|details?|matters?|parts?|roles?)|"
                r"not (?:targeted|intended|directed|permitted|allowed|available)|must be (?:at least|over)|"
                r"(?:do not|don['’]t) (?:attempt to )?(?:register|sign up|use)|not knowingly collect|"
                r"harm minors|child (?:pornography|sexual)|sexual exploitation|coppa|children['’]s online privacy",
                s.text,
                re.I,
            )
        ):
            f.minor = (s.start, s.end)
        if (
            f.minor is None
            and not _HEADING.match(s.text)
            and _AGE_FLOOR_UNDER_18.search(s.text)
            and not re.search(r"not knowingly collect|coppa|children['’]s online privacy", s.text, re.I)
        ):
            # "You can only use the Platform if you are 13 years or older": users of 13 to 17 are minors
            f.minor = (s.start, s.end)
        if (
            s.has("APPROVAL")
            and s.has("ROLE", "PARTY_PERSON")
            and (not s.has("DEEMED") or not deemed_window_is_short(s.text))
        ):
            persons = [h for h in s.get("ROLE", "PARTY_PERSON") if h.text.lower() not in {"i", "me", "you"}]
            approvals = [m.start() + s.start for m in re.finditer(r"approv", s.text, re.I)]
            near = any(0 < a - p.end < 60 for p in persons for a in approvals)
            if near and not re.search(r"without\s+(?:\w+\s+){0,3}approv|waive|not subject to", s.text, re.I):
                f.person_approval = True
                f.protect(clause, s, "objectionable_depiction")
                if s.has("REPLICA_STRONG", "AI", "SYNTHETIC"):
                    f.approval_covers_ai = True
            elif not re.search(r"without\s+(?:\w+\s+){0,3}approv|waive", s.text, re.I) and re.search(
                r"(?:performer|talent|artist|model|athlete|player|influencer|actor|musician|vocalist|"
                r"endorser|his|her|their|your|my)['’]?s?\s+(?:\w+\s+){0,3}approv|approv\w*\s+(?:\w+\s+){0,3}by\s+(?:the\s+)?"
                r"(?:performer|talent|artist|model|athlete|player|influencer|actor|musician|vocalist)|"
                r"(?:performer|talent|artist|model|athlete|player|influencer|actor|musician|vocalist)\s+"
                r"(?:shall|will|may)\s+have\s+(?:the\s+)?(?:right|opportunity)\s+to\s+(?:\w+\s+){0,3}approv",
                s.text,
                re.I,
            ):
                f.person_approval = True
                f.protect(clause, s, "objectionable_depiction")
        if (
            s.has("NEG", "SEPARATE_CONSENT")
            and re.search(
                r"\bnude|sexual|pornograph|political|religious|derogatory|"
                r"defamatory|disparag|obscene",
                s.text,
                re.I,
            )
            and (s.has("PERSON_STRONG", "REPLICA_STRONG") or s.has("ROLE", "PARTY_PERSON"))
            # what users may not post ("* is patently offensive ... * exploits people ...") limits the users, not
            # the company's use of the person
            and not _USER_DUTY.search(s.text)
            and not re.search(r"\bgrants? you\b", s.text, re.I)  # conditions on a licence to the user
            and len(_BULLET.findall(s.text)) < 3
            and not prohibited_list_item(s, doc.text)
        ):
            f.excluded_categories = True
            f.protect(clause, s, "objectionable_depiction")
        if (
            s.has("REVOKE_OK")
            and s.has("ROLE", "PARTY_PERSON", "PERSON_STRONG")
            and re.search(r"consent|licen[cs]e|permission|use|authori", s.text, re.I)
            and not s.has("IRREVOCABLE")
        ):
            if (
                re.search(r"revo|withdraw|opt[- ]out|suspen", s.text, re.I)
                and not re.search(r"(?:not|no)\s+(?:\w+\s+){0,2}(?:revo|withdraw)", s.text, re.I)
                and not _COMPANY_REVOKES.search(s.text)
                and not (_ACCOUNT_ENDS.search(s.text) and not re.search(r"licen[cs]e|consent", s.text, re.I))
                and _PERSON_REVOKES.search(s.text)
                # an opt-out of one feature ("opt out of translation") does not end the licence or the AI uses
                and (not re.search(r"opt[- ]out", s.text, re.I) or _OPT_OUT_REACHES.search(s.text))
            ):
                f.revocable = True
                f.protect(clause, s, "no_revocation_or_suspension")
        if f.data_collection is None and (
            s.has("REPLICA_STRONG")
            or (s.has("AI") and s.has("DATA_OBJECT", "PERSON_STRONG"))
            or re.search(r"biometric|\bscans?\b.*\b(?:body|face|likeness)|voice data", s.text, re.I)
        ):
            f.data_collection = (clause.id, s.start, s.end)
    if f.broad_grant is None:
        f.broad_grant = _broad_grant(doc, clauses, concepts)
    return f


# the revocation must be the person's: "you may withdraw your consent", "Performer may revoke"; a revocable licence
# the company grants the user, or the company's right to suspend access, protects no one
_PERSON_REVOKES = re.compile(
    r"\b(?:you|performer|talent|artist|participant|creator|model|athlete|player|influencer|i|he|she|lab member)\b"
    r"[^.;]{0,50}\b(?:may|can|have the right to|has the right to|are entitled to|is entitled to|at any time)\b[^.;]{0,40}"
    r"\b(?:revoke|withdraw|opt[- ]out|cancel|suspend|terminate)|\b(?:consent|permission|authori[sz]ation|licen[cs]e)\b"
    r"[^.;]{0,40}\b(?:may|can) be (?:revoked|withdrawn|cancelled)|\brevocable (?:by|at the (?:option|request) of) "
    r"(?:you|the (?:performer|talent|artist|participant))",
    re.I,
)
# "Streamable may remove that Content, suspend or terminate the account of the user", "Epic may also terminate or
# suspend any or all of the Services": an account or a service ends; the licence in the person's content does not
_ACCOUNT_ENDS = re.compile(
    r"\b(?:suspend|terminat|delet|clos|disabl)\w*\b[^.;]{0,40}?\b(?:accounts?|services|access|subscriptions?)\b",
    re.I,
)
_OPT_OUT_REACHES = re.compile(
    r"\btrain|\bartificial intelligence\b|\bAI\b|machine[- ]learning|\bmodels?\b|\blicen[cs]e|\bconsent|\bpermission|"
    r"\buse of (?:your|the) (?:content|data|recordings|voice|likeness|image)",
    re.I,
)
_COMPANY_REVOKES = re.compile(
    r"\bgrants? you\b|\bwe (?:may|can|reserve)\b|\bwe (?:have|retain) the right to\b|\bsuspend (?:access|your)|\b(?:our|its) (?:sole )?discretion\b|"
    r"\bis free to (?:terminate|suspend)",
    re.I,
)
_SEPARATE_RIDER = re.compile(
    r"\brider\b|separately (?:signed|executed|initial(?:l)?ed)|separate (?:signed )?(?:rider|schedule|addendum|agreement|"
    r"instrument|consent form)|signed separately|initial(?:s|ed|led)? (?:here|below|each)|clear and conspicuous|"
    r"separate(?:ly)? signature",
    re.I,
)
_BROAD_PURPOSE: set[str] = set(BROAD_PURPOSE)
_OWN_PRODUCED = re.compile(
    r"(?:sole|exclusive)\s+(?:and\s+exclusive\s+)?owners?|property of|right,? title and interest|"
    r"all (?:related )?rights\b.*\b(?:produced|created|made|recorded|taken)|"
    r"(?:produced|created|made|recorded|taken)\b.*\b(?:sole|exclusive)\s+owner",
    re.I,
)
_NOT_A_GRANT = re.compile(r"indemnif|hold harmless|confidential|warrant|^\W*(?:witnesseth\W*)?whereas\b|\bimitations?\b", re.I)


# taxonomy: "no clause that expressly deals with AI, machine learning, digital replicas, voice synthesis or synthetic
# performers" -- a recommender algorithm, a ban on impersonating others or an avatar picture is not such a clause
_EXPRESS_AI = re.compile(
    r"artificial intelligence|\bA\.?I\.?\b|machine[- ]learning|\bdeep[- ]?fakes?\b|\bneural\b|\bgenerative\b|"
    r"\btrain(?:s|ed|ing)?\b[^.;]{0,60}\b(?:models?|algorithms?|systems?|AI)\b|\bmodels?\b[^.;]{0,30}\btrain|"
    r"digital (?:replicas?|doubles?|twins?|likeness|recreations?|simulations?)|\breplicas?\b|voice (?:synthesis|clon\w*|models?)|"
    r"\bsynthe(?:tic|si[sz]\w*)\b|computer[- ]generated|\bsimulat\w*|\bclon(?:e|ed|es|ing)\b|\bre-?creat\w* (?:of )?(?:the |his |her )?(?:likeness|voice|image)"
)


def _broad_qualifier(s: Sentence) -> bool:
    if _NOT_A_GRANT.search(s.text) or s.is_definition or _RESERVES.search(s.text):
        return False
    if re.search(r"\b(?:right to|may)\b[^.;]{0,160}\bterminat", s.text, re.I) and not re.search(
        r"\blicen[cs]e|\bgrants?\b", s.text, re.I
    ):
        return False  # "shall have the right ... at any time thereafter to terminate this Agreement" ends, not widens
    if s.has("PERPETUAL", "ALL_MEDIA", "RESULTS"):
        return True
    if any(h.text.lower() in _BROAD_PURPOSE for h in s.get("ANY_PURPOSE")):
        return True
    if s.has("IRREVOCABLE") and re.search(r"licen[cs]e|grant|right|consent|permission", s.text, re.I):
        return True
    # ownership of what was produced is broad unless its use is confined ("solely as outlined in Paragraph 9")
    return bool(_OWN_PRODUCED.search(s.text)) and not re.search(r"\bsolely\b|\bonly (?:as|for|in)\b", s.text, re.I)


def _broad_grant(doc: Document, clauses, concepts: Concepts) -> tuple[str, int, int] | None:
    """A grant of the person's name, likeness, voice or performance that is perpetual, all-media,
    any-purpose or all-results-and-proceeds. The grant and its breadth may sit in different sentences
    of the same clause ("Talent grants ... her name and likeness. Company shall own all materials produced")."""
    for clause in clauses:
        sents = [
            Sentence(a, b, doc.text[a:b], concepts.within(a, b))
            for a, b in clause.sentences or ((clause.start, clause.end),)
        ]
        granting = [
            i
            for i, s in enumerate(sents)
            if s.has("GRANT")
            and not _USER_DUTY.search(s.text)
            and not re.search(r"\bgrants? you\b", s.text, re.I)  # conditions on a licence to the user
            and len(_BULLET.findall(s.text)) < 3  # "* Use the Service in any manner that could ..." grants nothing
            and not s.is_definition
            and not _NOT_A_GRANT.search(s.text)
            and (
                [h for h in s.get("PERSON_STRONG") if h.defined or _STRONG.search(h.text)]
                or (s.has("PERSON_WEAK", "RESULTS") and (s.has("PARTY_PERSON") or _WHO_STRICT.search(s.text)))
            )
            and polarity(s, s.get("PERSON_STRONG", "PERSON_WEAK"), doc.text) != "protect"
        ]
        if not granting:
            continue
        # the breadth must sit in the grant or right beside it, not anywhere in a long flattened clause
        near = {j for i in granting for j in (i - 1, i, i + 1)}
        for k, s in enumerate(sents):
            if k not in near:
                continue
            if (
                _broad_qualifier(s)
                and not _USER_DUTY.search(s.text)
                and not re.match(r"^\W*(?:use|do|don.t|post|upload|impersonate|attempt)\b", s.text, re.I)
                and len(_BULLET.findall(s.text)) < 3
                and polarity(s, s.get("PERPETUAL", "ALL_MEDIA", "RESULTS", "ANY_PURPOSE", "IRREVOCABLE"), doc.text)
                != "protect"
            ):
                return clause.id, s.start, s.end
    # materials kept and used without limit of time ("preserved indefinitely ... so that future researchers can use it")
    for clause in clauses:
        for a, b in clause.sentences or ((clause.start, clause.end),):
            s = Sentence(a, b, doc.text[a:b], concepts.within(a, b))
            if (
                s.has("PERPETUAL")
                and s.has("DATA_OBJECT", "PERSON_WEAK")
                and re.search(r"\buse", s.text, re.I)
                and not _NOT_A_GRANT.search(s.text)
            ):
                return clause.id, s.start, s.end
    return None


def build_findings(
    doc: Document,
    clauses: tuple[Clause, ...],
    concepts: Concepts,
    hits: list[ClauseHit],
    detector: str,
    document_type: str = "contract",
    playbook: Playbook | None = None,
) -> tuple[tuple[Finding, ...], list[ClauseHit]]:
    """Findings for an in-scope contract, and the protective sentences found on the way (as clause labels).

    ``playbook`` sets each gap's severity and remedy and which gaps are raised at all (default: the built-in
    playbook); a gap switched off is decided as usual (another gap may depend on it) but not reported."""
    token = _BOOK.set(playbook.gaps if playbook is not None else GAPS)
    try:
        findings, protections = _build_findings(doc, clauses, concepts, hits, detector, document_type)
    finally:
        _BOOK.reset(token)
    if playbook is not None:
        findings = tuple(f for f in findings if playbook.enabled(f.gap))
    return findings, protections


def _build_findings(
    doc: Document,
    clauses: tuple[Clause, ...],
    concepts: Concepts,
    hits: list[ClauseHit],
    detector: str,
    document_type: str,
) -> tuple[tuple[Finding, ...], list[ClauseHit]]:
    by_id = {c.id: c for c in clauses}
    facts = _gather(doc, clauses, concepts, hits)
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
            and not any(re.search(r"perpetu|irrevoc|forever|hereafter|universe", c, re.I) for c in h.cues)
            and _FORBIDS_AFTER.search(doc.text[h.start : h.end])
        ):
            # "following termination ..., Company shall not advertise ... in connection with ... the Duval
            # Identification": what happens after the term is forbidden, not kept alive
            continue
        if (
            h.label == "unbounded_term_scope"
            and use_ends
            and not any(re.search(r"perpetu|irrevoc|forever|surviv|hereafter|universe", c, re.I) for c in h.cues)
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
    if "replica_compensation_missing" in grouped and not grouped.keys() & _PAID_USES:
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

    contract_findings = _contract_gaps(doc, by_id, facts, grouped, detector, minor)
    findings.extend(contract_findings)
    findings.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.gap))
    return tuple(findings), facts.protections


_FORBIDS_AFTER = re.compile(
    r"\b(?:following|after|upon|from and after) (?:the )?(?:termination|expiration|expiry)\b[^.;]{0,80}\b(?:shall|will|may) not\b|"
    r"\b(?:shall|will|may) not\b[^.;]{0,80}\b(?:following|after) (?:the )?(?:termination|expiration|expiry)\b",
    re.I,
)
_PAID_USES = {
    "replica_creation_grant", "ai_training_grant", "synthetic_substitution", "replica_use_unspecified",
    "reuse_other_projects",
}  # fmt: skip
_PROJECT = re.compile(
    r"\b(?:in|for|during)\s+(?:use\s+in\s+)?(?:the|its|this)\s+(?:[A-Z][\w-]*|online catalogue|campaign)"
)


def _specific_uses(s: Sentence) -> bool:
    """The replica's uses are tied to a named project or a listed purpose, and not opened up again."""
    if (
        any(
            h.text.lower() in _BROAD_PURPOSE or h.text.lower() in {"without limitation", "unlimited"}
            for h in s.get("ANY_PURPOSE")
        )
        or s.has("ALL_MEDIA", "PERPETUAL")
        or re.search(r"\b(?:and|or) otherwise\b", s.text)
    ):
        return False
    return s.has("RESTRICT") or bool(_PROJECT.search(s.text))


def _severity(gap: str, minor: bool, strong_subject: bool = True) -> str:
    g = _BOOK.get()[gap]
    sev = g.severity
    if g.severity_likeness and strong_subject:  # unbounded_term_scope in the default playbook: high
        sev = g.severity_likeness
    return raise_severity(sev) if minor else sev


def _clause_finding(doc, by_id, gap, ghits: list[ClauseHit], detector, minor) -> Finding:
    g = _BOOK.get()[gap]
    evidence, clause_ids, cues = _evidence(doc, ghits, key=lambda h: (-h.score, h.start))
    evidence = sorted(evidence[:5], key=lambda e: e.start)
    notes = sorted({h.note for h in ghits if h.note})
    strong = any(
        re.search(r"likeness|voice|persona|replica|vocal|face|biometric", " ".join(h.cues), re.I) for h in ghits
    )
    where = ", ".join(_clause_ref(by_id[c]) for c in clause_ids[:4])
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


def _evidence(doc: Document, hits: list[ClauseHit], *, key, limit: int | None = None):
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
        quote, a, b = _quote(doc.text, h.start, h.end)
        evidence.append(Evidence(h.clause_id, quote, a, b, doc.page_at(a)))
        if h.clause_id not in clause_ids:
            clause_ids.append(h.clause_id)
        cues.extend(c for c in h.cues if c not in cues)
    return evidence, clause_ids, cues


def _clause_ref(c: Clause) -> str:
    if c.number and c.heading:
        return f"{c.number} {c.heading}"
    if c.number:
        return c.number
    if c.heading:
        return f"“{c.heading}”"
    return "the preamble" if c.id == "c0" else c.id


def _contract_finding(doc, by_id, gap, span, detector, minor, missing: str, confidence: float) -> Finding:
    g = _BOOK.get()[gap]
    cid, s, e = span
    quote, s, e = _quote(doc.text, s, e)
    explanation = f"{g.title}. {g.why} Missing: {missing} Context: {_clause_ref(by_id[cid])}."
    return Finding(
        gap=gap,
        kind="contract",
        severity=_severity(gap, minor),
        clause_ids=(cid,),
        evidence=(Evidence(cid, quote, s, e, doc.page_at(s)),),
        explanation=explanation,
        anchors=g.anchors,
        remedy=g.remedy,
        confidence=confidence,
        detector=detector,
    )


def _first_span(grouped, gaps) -> tuple[str, int, int] | None:
    for gap in gaps:
        if gap in grouped:
            h = min(grouped[gap], key=lambda h: h.start)
            return h.clause_id, h.start, h.end
    return None


def _contract_gaps(doc, by_id, facts: _Facts, grouped, detector, minor) -> list[Finding]:
    out: list[Finding] = []
    ai_span = _first_span(
        grouped, ("replica_creation_grant", "ai_training_grant", "synthetic_substitution", "replica_use_unspecified")
    )
    uses_ai = ai_span is not None

    if facts.broad_grant and not facts.deals_with_ai:
        out.append(
            _contract_finding(
                doc,
                by_id,
                "silent_broad_legacy_grant",
                facts.broad_grant,
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
                ai_span,
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
                ai_span,
                detector,
                minor,
                "nothing requires notice to the performer of AI or replica uses, usage reports, or labelling of synthetic output.",
                0.7,
            )
        )

    rights_span = ai_span or _first_span(grouped, ("reuse_other_projects",))
    if rights_span and "replica_compensation_missing" not in grouped and not facts.replica_pay:
        out.append(
            _contract_finding(
                doc,
                by_id,
                "replica_compensation_missing",
                rights_span,
                detector,
                minor,
                "no payment term reaches the replica, AI or reuse rights granted here.",
                0.65,
            )
        )

    if facts.minor is not None:
        cid = _clause_at(by_id, facts.minor[0])
        out.append(
            _contract_finding(
                doc,
                by_id,
                "representation_or_minor_gap",
                (cid, *facts.minor),
                detector,
                minor,
                "the performer is (or may be) a minor: a minor's AI or likeness licence should end at majority or "
                "within 5 years, with court or guardian approval.",
                0.8,
            )
        )
    elif uses_ai and not (facts.counsel or facts.union):
        out.append(
            _contract_finding(
                doc,
                by_id,
                "representation_or_minor_gap",
                ai_span,
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
        evidence, clause_ids, _cues = _evidence(doc, ghits, key=lambda h: h.start, limit=3)
        where = ", ".join(_clause_ref(by_id[c]) for c in clause_ids[:4])
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
