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

import re
from dataclasses import dataclass, field, fields
from typing import NamedTuple

from ..model import Clause, Document, Protection
from ..playbooks.rulepatterns import patterns_of
from ..prefilter import prefilter_module, rx
from ..vocabulary import APPROVING_ROLES, REVOKING_ROLES, alternation
from .clause_rules import HOLLOWED, ClauseHit, deemed_window_is_short
from .concepts import Concepts
from .evidence import clause_ref, evidence_of
from .lexicon import BROAD_PURPOSE
from .sentences import Sentence, polarity, prohibited_list_item, sentences_of
from .taxonomy import GAPS

__all__ = ["ContractFacts", "Span", "build_protections", "read_contract"]

S = patterns_of("sentences")  # the sentence shapes that never grant: playbooks/patterns/sentences.toml


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
        elif clause.id not in self.minor_clauses and len(self.minor_more) < 4 and _ADMITS_MINORS.search(s.text):
            self.minor_more.append((s.start, s.end))
        self.minor_clauses.add(clause.id)

    def done(self) -> ContractFacts:
        values = {f.name: getattr(self, f.name) for f in fields(ContractFacts)}
        values["protections"] = tuple(self.protections)
        values["minor_more"] = tuple(self.minor_more)
        return ContractFacts(**values)


_UNDER_18 = r"(?:1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen)"
# an age floor below majority: "at least 13 years old", "if you are 13 years or older", "over the age of 16"
_AGE_FLOOR_UNDER_18 = re.compile(
    r"\b(?:at least|over|older than)\s+(?:the age of|age)\s+" + _UNDER_18 + r"\b(?!\s*(?:-|to)\s*\d)|"
    r"\b(?:at least|over|older than)\s+" + _UNDER_18 + r"(?:\s*\(\d+\))?\s+years?\s+(?:of age|old)\b|"
    r"\b" + _UNDER_18 + r"(?:\s*\(\d+\))?\s+years?\s+(?:of age\s+|old\s+)?or (?:older|over)\b",
    re.I,
)


# the further sentences cited beside the first: only those that plainly let a minor in (an age floor under 18, a
# guardian's permission, "if you are under ..."), never a ban on content about children or a passing mention
_ADMITS_MINORS = re.compile(
    r"(?!.*\b(?:sexual|exploit|abus|harm|danger|audience)\w*)"
    r"(?:" + _AGE_FLOOR_UNDER_18.pattern + r"|"
    r"\b(?:parent|guardian)s?['’]?s?\b[^.;]{0,80}\b(?:permission|consent|agree|review|approv)|"
    r"\bif you are (?:a minor|under (?:the age of )?(?:18|eighteen|the age of majority)))",
    re.I | re.S,
)


_DISCLAIMS = re.compile(
    r"\bin no event\b|\b(?:shall|will|is|are) not (?:be )?(?:held )?(?:liable|responsible)\b|\bdisclaims?\b|"
    r"\bwithout (?:any )?liability\b|\blimitation of liability\b",
    re.I,
)
# "the European Data Protection Laws" names a law, not a security measure
_NAMES_A_LAW = re.compile(r"\W*(?:laws?|legislation|regulations?|acts?|authorit\w*|directive|rules?)\b", re.I)
# "Myspace also retains the right to delete your profile ... if it remains inactive": the company's right to delete
# protects no one's data; a duty to delete ("will delete", "shall destroy") does
_MAY_DELETE = re.compile(
    r"\b(?:may|can|(?:reserves?|retains?) the right to|(?:is|are) entitled to)\s+(?:\w+\s+){0,3}?"
    r"(?:delete|remove|purge|erase|destroy)",
    re.I,
)
_MUST_DELETE = re.compile(
    r"\b(?:shall|will|must|agrees? to|undertakes? to)\s+(?:\w+\s+){0,3}?(?:delete|destroy|erase|purge|securely)", re.I
)


def _data_security_terms(s: Sentence) -> bool:
    """The sentence speaks of the security, retention or deletion of data (not of a data protection law, and not
    of the company's right to delete)."""
    terms = [h for h in s.get("DATA_SEC") if not _NAMES_A_LAW.match(s.text[h.end - s.start :])]
    if not terms:
        return False
    return not (_MAY_DELETE.search(s.text) and not _MUST_DELETE.search(s.text))


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
        if ai_here and _EXPRESS_AI.search(s.text):
            f.deals_with_ai = True
        # no protection in: a list read as one sentence ("* spamming; * scraping; ...", Myspace's prohibited activity,
        # 6,000 characters), which forbids the users things and in which no reader could find the words; a
        # disclaimer of liability ("IN NO EVENT SHALL MYSPACE BE LIABLE ... DAMAGE FROM ANY SECURITY BREACH")
        listy = len(S.BULLET.findall(s.text)) >= 3 or prohibited_list_item(s, doc.text) or bool(_DISCLAIMS.search(s.text))
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
                and rx.search(
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
                rx.search(
                    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:\(\d+\)\s*)?[- ]?(?:years?|months?)\b",
                    s.text,
                    re.I,
                )
                and rx.search(r"\bterm\b|\bperiod\b|\bexpir|\blimited\b|\bend", s.text, re.I)
                and not s.has("PERPETUAL")
            ):
                f.ai_term_limited = True
                f.protect(clause, s, "unbounded_term_scope")
        if not listy and s.has("REUSE") and s.has("PAY_SPECIFIC") and not s.has("NO_COMP"):
            f.replica_pay = True
            f.protect(clause, s, "replica_compensation_missing")
        if not listy and rx.search(
            r"usage reports?|\blabel(?:l)?(?:ed|ing)?\b.*\b(?:synthetic|ai|generated|replica)|watermark", s.text, re.I
        ):
            f.notice = True
            f.protect(clause, s, "ai_disclosure_missing")
        if (
            not listy
            and _data_security_terms(s)
            and (s.has("DATA_OBJECT", "REPLICA_STRONG", "PERSON_STRONG", "AI"))
            and not rx.search(r"confidential information", s.text, re.I)
        ):
            if s.has("DATA_OBJECT", "REPLICA_STRONG", "AI") or rx.search(
                r"delet|destr|eras|purg|retention|encrypt|secur", s.text, re.I
            ):
                f.data_security = True
                f.protect(clause, s, "data_security_deletion_missing")
        if (
            not listy
            and s.has("COUNSEL")
            and polarity(s, s.get("COUNSEL"), doc.text) == "grant"
            # "all parties to the arbitration will have the right ... to be represented by an attorney": counsel in a
            # dispute, not counsel who negotiated these terms
            and not rx.search(r"arbitrat|dispute|litigation|proceeding|lawsuit|\bcourt\b|hearing", s.text, re.I)
        ):
            f.counsel = True
            f.protect(clause, s, "representation_or_minor_gap")
        if (
            not listy
            and s.has("UNION")
            and not rx.search(r"european union|credit union", s.text, re.I)
            and polarity(s, s.get("UNION"), doc.text) == "grant"
            and not rx.search(r"(?:not|no|neither)\b[^.;]{0,60}\b(?:union|guild|collective|sag|equity)", s.text, re.I)
        ):
            f.union = True
            f.protect(clause, s, "representation_or_minor_gap")
        if (
            s.has("MINOR")
            and not S.HEADING.match(s.text)  # a heading names a topic; the sentence under it is the evidence
            and rx.search(
                r"\bminor\b|guardian|under (?:the age of )?(?:18|eighteen)|child|coogan|\b1[0-7] years of age",
                s.text,
                re.I,
            )
            and not rx.search(
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
            f.says_minor(clause, s)
        elif (
            not S.HEADING.match(s.text)
            and _AGE_FLOOR_UNDER_18.search(s.text)
            and not rx.search(r"not knowingly collect|coppa|children['’]s online privacy", s.text, re.I)
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
            approvals = [m.start() + s.start for m in rx.finditer(r"approv", s.text, re.I)]
            near = any(0 < a - p.end < 60 for p in persons for a in approvals)
            if near and not rx.search(r"without\s+(?:\w+\s+){0,3}approv|waive|not subject to", s.text, re.I):
                f.person_approval = True
                f.protect(clause, s, "objectionable_depiction")
                if s.has("REPLICA_STRONG", "AI", "SYNTHETIC"):
                    f.approval_covers_ai = True
            elif not rx.search(r"without\s+(?:\w+\s+){0,3}approv|waive", s.text, re.I) and _PERSON_APPROVES.search(
                s.text
            ):
                f.person_approval = True
                f.protect(clause, s, "objectionable_depiction")
        if (
            not listy
            and s.has("NEG", "SEPARATE_CONSENT")
            and rx.search(
                r"\bnude|sexual|pornograph|political|religious|derogatory|"
                r"defamatory|disparag|obscene",
                s.text,
                re.I,
            )
            and (s.has("PERSON_STRONG", "REPLICA_STRONG") or s.has("ROLE", "PARTY_PERSON"))
            # what users may not post ("* is patently offensive ... * exploits people ...") limits the users, not
            # the company's use of the person
            and not S.USER_DUTY.search(s.text)
            and not rx.search(r"\bgrants? you\b", s.text, re.I)  # conditions on a licence to the user
            and len(S.BULLET.findall(s.text)) < 3
            and not prohibited_list_item(s, doc.text)
        ):
            f.excluded_categories = True
            f.protect(clause, s, "objectionable_depiction")
        if (
            not listy
            and s.has("REVOKE_OK")
            and s.has("ROLE", "PARTY_PERSON", "PERSON_STRONG")
            and rx.search(r"consent|licen[cs]e|permission|use|authori", s.text, re.I)
            and not s.has("IRREVOCABLE")
        ):
            if (
                rx.search(r"revo|withdraw|opt[- ]out|suspen", s.text, re.I)
                and not rx.search(r"(?:not|no)\s+(?:\w+\s+){0,2}(?:revo|withdraw)", s.text, re.I)
                and not _COMPANY_REVOKES.search(s.text)
                and not (_ACCOUNT_ENDS.search(s.text) and not rx.search(r"licen[cs]e|consent", s.text, re.I))
                and _PERSON_REVOKES.search(s.text)
                # an opt-out of one feature ("opt out of translation") does not end the licence or the AI uses
                and (not rx.search(r"opt[- ]out", s.text, re.I) or _OPT_OUT_REACHES.search(s.text))
            ):
                f.revocable = True
                f.protect(clause, s, "no_revocation_or_suspension")
        if f.data_collection is None and (
            s.has("REPLICA_STRONG")
            or (s.has("AI") and s.has("DATA_OBJECT", "PERSON_STRONG"))
            or rx.search(r"biometric|\bscans?\b.*\b(?:body|face|likeness)|voice data", s.text, re.I)
        ):
            f.data_collection = Span(clause.id, s.start, s.end)
    return f.done()




# the person's own approval right: "Talent's prior approval", "approved by the Performer", "Artist shall have the
# right to approve"
_PERSON_APPROVES = re.compile(
    r"(?:" + alternation(APPROVING_ROLES) + r"|"
    r"endorser|his|her|their|your|my)['’]?s?\s+(?:\w+\s+){0,3}approv|approv\w*\s+(?:\w+\s+){0,3}by\s+(?:the\s+)?"
    r"(?:" + alternation(APPROVING_ROLES) + r")|"
    r"(?:" + alternation(APPROVING_ROLES) + r")\s+"
    r"(?:shall|will|may)\s+have\s+(?:the\s+)?(?:right|opportunity)\s+to\s+(?:\w+\s+){0,3}approv",
    re.I,
)
# the revocation must be the person's: "you may withdraw your consent", "Performer may revoke"; a revocable licence
# the company grants the user, or the company's right to suspend access, protects no one
_PERSON_REVOKES = re.compile(
    r"\b(?:you|" + alternation(REVOKING_ROLES) + r"|i|he|she|lab member)\b"
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



# taxonomy: "no clause that expressly deals with AI, machine learning, digital replicas, voice synthesis or synthetic
# performers" -- a recommender algorithm, a ban on impersonating others or an avatar picture is not such a clause
_EXPRESS_AI = re.compile(
    r"artificial intelligence|\bA\.?I\.?\b|machine[- ]learning|\bdeep[- ]?fakes?\b|\bneural\b|\bgenerative\b|"
    r"\btrain(?:s|ed|ing)?\b[^.;]{0,60}\b(?:models?|algorithms?|systems?|AI)\b|\bmodels?\b[^.;]{0,30}\btrain|"
    r"digital (?:replicas?|doubles?|twins?|likeness|recreations?|simulations?)|\breplicas?\b|voice (?:synthesis|clon\w*|models?)|"
    r"\bsynthe(?:tic|si[sz]\w*)\b|computer[- ]generated|\bsimulat\w*|\bclon(?:e|ed|es|ing)\b|\bre-?creat\w* (?:of )?(?:the |his |her )?(?:likeness|voice|image)"
)


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


prefilter_module(globals())  # each pattern above skips a text lacking every word it needs (castguard.prefilter)
