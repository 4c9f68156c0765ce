"""Step 2: label clauses. The rule detector (``rules.v1``): explainable patterns over concepts, sentence by sentence.

Each sentence is tested against one rule per clause-level gap. A rule names the concepts that must co-occur
(e.g. a training verb + an AI term + the person's material) and the ``key`` concept that a negation must
govern; :func:`~castguard.classify.sentences.polarity` turns a negated or separately-consented sentence into
a *protection* (``protective:<gap>``), or notes a prohibition hollowed out by an exception.

The detector is deliberately small behind :class:`RuleDetector.label`, so a learned model can be put beside
it (see ``classify.Detector``). Its output, a list of frozen :class:`ClauseHit`, is the seam to the next steps
(:mod:`.protections`, :mod:`.contract`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Clause, Document
from ..playbooks.rulepatterns import patterns_of
from .concepts import Concepts, Hit
from .sentences import Sentence, conditional_list_item, lead_ins, polarity, prohibited_list_item

__all__ = ["DETECTOR_ID", "HOLLOWED", "ClauseHit", "RuleDetector", "deemed_window_is_short"]

DETECTOR_ID = "rules.v1"

P = patterns_of("clause_rules")  # playbooks/patterns/clause_rules.toml
S = patterns_of("sentences")  # the sentence shapes that never grant (headings, bullet lists, the user's duties)


@dataclass(frozen=True)
class ClauseHit:
    """One label on one clause, with the sentence that shows it."""

    clause_id: str
    label: str  # gap id or protective:<gap id>
    score: float
    start: int
    end: int
    cues: tuple[str, ...]
    note: str = ""
    detector: str = DETECTOR_ID  # which detector produced it


HOLLOWED = "a protection hollowed out by an exception"


class RuleDetector:
    """Labels clauses with gap ids and protections using ``lexicon`` concepts."""

    name = DETECTOR_ID

    def label(self, doc: Document, clauses: tuple[Clause, ...], concepts: Concepts) -> list[ClauseHit]:
        out: list[ClauseHit] = []
        for clause in clauses:
            spans = clause.sentences or ((clause.start, clause.end),)
            for s0, s1 in spans:
                sent = Sentence(s0, s1, doc.text[s0:s1], concepts.within(s0, s1))
                if not sent.hits or sent.is_definition or sent.is_pointer or S.CHANGE_LOG_ENTRY.match(sent.text):
                    continue  # (a dated change-log entry reports an edit of the terms: "August 8, 2014: Modified ...")
                found = self._sentence(clause, sent, doc.text)
                out.extend(found)
                if sent.has("AI") and not any(h.label.endswith("ai_training_grant") for h in found):
                    out.extend(self._listed_purpose(clause, sent, doc.text, concepts))
        out.extend(_surviving_licence(doc, clauses, out))
        out.extend(_unpaid_said_next(doc, clauses, concepts, out))
        return out

    def _listed_purpose(self, clause: Clause, s: Sentence, text: str, concepts: Concepts) -> list[ClauseHit]:
        """An AI use listed under a lead-in that grants the use: "Dailymotion may further Process ... Your Content
        ... for purposes ..., namely: ... * Research and development, including fostering AI development." The
        item and its lead-in are read together; the evidence is the item."""
        leads = lead_ins(s, text)
        if not leads or any(S.PROHIBITING_LEAD.search(lead) for _, _, lead in leads):
            return []
        a, b, lead = leads[0]
        if not P.PERMITS.search(lead):
            return []
        merged = Sentence(s.start, s.end, lead + " " + s.text, concepts.within(a, b) + s.hits)
        r = _ai_training(merged)
        if not r or polarity(s, r[1], text) != "grant" or P.NOT_NEVER_NO.search(s.text):
            return []
        gap, key, cues, score = r
        return [ClauseHit(clause.id, gap, min(score, 0.7), s.start, s.end, tuple(cues), "")]

    # each rule returns (gap, key hits, cues, score) or None
    def _sentence(self, clause: Clause, s: Sentence, text: str):
        results: list[ClauseHit] = []
        if P.NOT_OPERATIVE.search(s.text) or S.HEADING.match(s.text) or S.USER_DUTY.search(s.text):
            # taxonomy v1.1: recitals, warranties, indemnities and duties to police "imitations by others" grant
            # nothing; headings name a topic; "you will not copy or alter our materials" binds the user, not the
            # company
            return results
        if prohibited_list_item(s, text):
            # "You agree that you will not use the Services to: ... 10. collect, ... or otherwise use NoAI Content
            # in datasets utilized by Generative AI Programs": a duty of the user, not a grant to the company
            return results
        if S.LICENCE_TO_THE_USER.search(s.text) and not P.PERSON_GRANTS.search(s.text):
            # "Quora gives you a worldwide, royalty-free, revocable ... license to re-post a small portion of any
            # answer": the platform's licence to the user grants nothing of the person's, and protects nothing
            return results
        if conditional_list_item(s, text):
            # "the licence granted will continue after you have removed your content if: * you have allowed other
            # users of the Platform to use or reuse your content": a condition of the lead-in, which is read itself
            return results
        if P.FEEDBACK.search(s.text) and not s.has("PERSON_STRONG"):
            # "an irrevocable license in and to any feedback": the user's suggestions, not their performance
            return results
        if len(S.BULLET.findall(s.text)) >= 3:
            # a list of forbidden conduct read as one sentence ("* do anything illegal; * ...") grants nothing
            return results
        if S.RESERVES.search(s.text):
            # "T&B shall remain the owner of all right, title and interest in ... the Derivative Works": the
            # owner keeps what it had; a reservation grants nothing
            return results
        if (
            P.ENDS_USE.search(s.text)
            and not s.has("PERPETUAL", "IRREVOCABLE")
            and not P.USER_STOPS.search(s.text)
            and not _continuing(s)  # "will automatically terminate, but will not be revoked with respect to ..."
        ):
            # "all rights of Company to use the Identification shall cease absolutely": the licence ends with the term
            return [
                ClauseHit(clause.id, "protective:unbounded_term_scope", 0.8, s.start, s.end, ("cease",), "use ends")
            ]
        if P.REVERTS.search(s.text) and not P.DOES_NOT_REVERT.search(s.text):
            # "upon expiration all rights revert to Talent": the term and the company's rights end there
            return [
                ClauseHit(clause.id, f"protective:{gap}", 0.8, s.start, s.end, ("revert",), "rights revert to the person")
                for gap in ("unbounded_term_scope", "no_revocation_or_suspension", "assignment_sublicensing")
            ]
        if P.NO_SUBSTANTIVE_CHANGES.search(s.text):
            # "is not intended to give Tumblr a right to make substantive editorial changes or derivations"
            return [
                ClauseHit(
                    clause.id, "protective:digital_alteration", 0.8, s.start, s.end, ("no substantive changes",),
                    "no substantive changes",
                )
            ]
        if P.PERSON_RIGHT.search(s.text) or P.COMPANY_DUTY.search(s.text) and not P.GRANT_MODAL.search(s.text):
            # a right the performer holds, or a duty the company owes, is not a grant to the company
            return results
        if s.has("NOT_CONDITION") and P.REFUSES.search(s.text):
            return results  # "refusal to consent shall not affect the engagement": the protection itself
        for rule in _RULES:
            r = rule(s)
            if not r:
                continue
            gap, key, cues, score = r
            pol = polarity(s, key, text)
            if (
                pol == "grant"
                and gap in ("replica_creation_grant", "replica_use_unspecified")
                and s.has("RESTRICT")
                and (
                    s.has("NOTICE", "PAY_SPECIFIC", "SEPARATE_CONSENT")
                    or P.NOTICE_PAID_SESSION.search(s.text)
                )
                and not any(
                    h.text.lower() in {"any and all purposes", "any purpose", "all purposes"}
                    for h in s.get("ANY_PURPOSE")
                )
            ):
                # creation only for the named project, on notice, at a paid session: the protective counterpart
                pol = "protect"
            if pol == "protect" and S.PERSON_RESTRICTED.search(s.text):
                # "You must not assign or sublicense this Agreement without our consent": the user is restricted,
                # the person is protected from nothing
                continue
            if pol == "protect":
                results.append(
                    ClauseHit(
                        clause.id,
                        f"protective:{gap}",
                        score,
                        s.start,
                        s.end,
                        tuple(cues),
                        "prohibited or conditioned on separate consent",
                    )
                )
            else:
                note = HOLLOWED if pol == "hollow" else ""
                results.append(ClauseHit(clause.id, gap, score, s.start, s.end, tuple(cues), note))
        return results


def _unpaid_said_next(doc: Document, clauses: tuple[Clause, ...], concepts: Concepts, found: list[ClauseHit]):
    """A grant of the likeness followed by the sentence that says it is unpaid ("You grant us broad rights to use and
    exploit ... your name, persona and likeness ... You will not be entitled to compensation or attribution even if
    we or others profit from such use."): the two sentences are read together and both are the evidence."""
    paid = {h.clause_id for h in found if h.label == "replica_compensation_missing"}
    out: list[ClauseHit] = []
    for clause in clauses:
        spans = clause.sentences or ()
        if clause.id in paid or len(spans) < 2:
            continue
        for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
            said = doc.text[b0:b1]
            if not P.UNPAID_TO_PERSON.search(said) or P.NOT_OPERATIVE.search(said) or S.USER_DUTY.search(said):
                continue
            grant = doc.text[a0:a1]
            if P.NOT_OPERATIVE.search(grant) or S.USER_DUTY.search(grant) or S.HEADING.match(grant):
                continue
            both = Sentence(a0, b1, doc.text[a0:b1], concepts.within(a0, b1))
            if unpaid_likeness_grant(both, explicit_only=True) and polarity(both, both.get("PERSON_STRONG"), doc.text) == "grant":
                cues = tuple(both.texts("PERSON_STRONG"))
                out.append(ClauseHit(clause.id, "replica_compensation_missing", 0.7, a0, b1, cues, ""))
                break
    return out


# --------------------------------------------------------------------------- rules


def _ai_training(s: Sentence):
    material = s.person() or s.has("PERSON_STRONG", "DATA_OBJECT", "ROLE", "PARTY_PERSON", "RESULTS")
    train_cues = s.texts("TRAIN_STRONG", limit=20)
    if (
        train_cues
        and all(t.lower() == "machine learning" for t in train_cues)
        and not s.has("PERSON_STRONG", "PERSON_WEAK", "DATA_OBJECT", "RESULTS")
        and not P.TRAINING_WORD.search(s.text)
    ):
        # "we use artificial intelligence and machine learning to provide you with simultaneous translations": the
        # service's own tools, used on nobody's material; "you" alone is not the material a model learns from
        material = False
    if s.has("TRAIN_STRONG") and s.has("AI", "TECH_OBJECT") and material:
        return (
            "ai_training_grant",
            s.get("TRAIN_STRONG", "AI"),
            s.texts("TRAIN_STRONG") + s.texts("AI", "TECH_OBJECT"),
            0.9,
        )
    if s.has("AI") and s.has("TRAIN_WEAK", "TRAIN_STRONG") and material:
        return "ai_training_grant", s.get("AI", "TRAIN_WEAK"), s.texts("TRAIN_WEAK") + s.texts("AI"), 0.85
    if s.has("AI") and P.AS_DATA.search(s.text) and material:
        return "ai_training_grant", s.get("AI"), s.texts("AI"), 0.8
    if (
        s.has("REPLICA_STRONG")
        and P.VOICE_REPLICA_CUE.search(" ".join(s.texts("REPLICA_STRONG", limit=6)))
        and P.FROM_RECORDINGS.search(s.text)
        and P.PERMITS.search(s.text)
    ) or (
        # "recordings of my voice will be used by [the company] to create and use a synthetic version of my voice"
        s.has("REPLICA_STRONG")
        and P.VOICE_WORD.search(s.text)
        and P.RECORDINGS_USED_TO_CREATE.search(s.text)
    ):
        return "ai_training_grant", s.get("REPLICA_STRONG"), s.texts("REPLICA_STRONG") + ["built from recordings"], 0.7
    # "to develop ... future products and services", "improve the platform": product development, not training;
    # developing or improving models, algorithms or technology from the person's material is
    learning_tech = [t for t in s.texts("TECH_OBJECT", limit=20) if t.lower() in _LEARNING_TECH]
    if (
        s.has("TRAIN_WEAK")
        and learning_tech
        and (
            s.has("PERSON_STRONG")
            or (
                s.has("PERSON_WEAK")
                and P.DEVELOPS.search(s.text)
            )
        )
        and s.has("GRANT")
    ):
        return (
            "ai_training_grant",
            s.get("TRAIN_WEAK"),
            s.texts("TRAIN_WEAK") + s.texts("TECH_OBJECT") + s.texts("PERSON_STRONG"),
            0.55,
        )
    return None


_LEARNING_TECH = {"model", "models", "algorithms", "neural", "engine", "engines", "technology", "technologies"}


def _replica_creation(s: Sentence):
    if P.TITLE_MARK.match(s.text) or s.text.isupper():  # a title, not a grant
        return None
    if (s.has("NO_COMP") and not P.GRANTS_TOO.search(s.text)) or (
        P.TERMINATES_OR_EXPIRES.search(s.text) and not P.MAY_LOWER.search(s.text)
    ):
        return None  # a pay term or the end of a licence, judged by its own rules
    person = s.has("ROLE", "PARTY_PERSON", "PERSON_STRONG") or any(
        h.text[:1].isupper() for h in s.get("REPLICA_STRONG")
    )
    if s.has("REPLICA_STRONG") and person and P.PERMITS.search(s.text):
        return "replica_creation_grant", s.get("REPLICA_STRONG"), s.texts("REPLICA_STRONG"), 0.9
    if not P.PERMITS.search(s.text):
        return None
    if s.has("REPLICA_WEAK") and (s.has("PERSON_STRONG") or (s.has("PERSON_WEAK") and s.has("ROLE", "PARTY_PERSON"))):
        return (
            "replica_creation_grant",
            s.get("REPLICA_WEAK"),
            s.texts("REPLICA_WEAK") + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.75,
        )
    if (
        s.has("AI")
        and P.MAKING_WORD.search(s.text)
        and s.has("PERSON_STRONG")
        and s.has("GRANT")
    ):
        return "replica_creation_grant", s.get("AI"), s.texts("AI") + s.texts("PERSON_STRONG"), 0.7
    return None


def _replica_use(s: Sentence):
    if s.has("NO_COMP") and not P.GRANTS_TOO.search(s.text):
        return None
    replica = s.has("REPLICA_STRONG", "SYNTHETIC") or (
        s.has("REPLICA_WEAK") and s.has("PERSON_STRONG", "ROLE", "PARTY_PERSON")
    )
    if replica and s.has("ANY_PURPOSE", "ALL_MEDIA", "PERPETUAL") and not s.has("RESTRICT"):
        return (
            "replica_use_unspecified",
            s.get("REPLICA_STRONG", "REPLICA_WEAK", "SYNTHETIC"),
            s.texts("REPLICA_STRONG", "REPLICA_WEAK", "SYNTHETIC") + s.texts("ANY_PURPOSE", "ALL_MEDIA", "PERPETUAL"),
            0.85,
        )
    return None


def _unbounded(s: Sentence):
    if P.CONFIDENTIAL_OR_INDEMNITY.search(s.text):
        return None
    if s.has("PERPETUAL") and s.has("DATA_OBJECT") and P.USE_WORD.search(s.text):
        return "unbounded_term_scope", s.get("PERPETUAL"), s.texts("PERPETUAL") + s.texts("DATA_OBJECT"), 0.7
    subject = (
        s.person()
        or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG")
        # "The license which you grant to us under sub-section 10(b) above is perpetual": the user's own licence
        or P.LICENCE_YOU_GRANT.search(s.text)
        # "any file or content you upload ..., you grant Imgur a ... perpetual, irrevocable worldwide license"
        or (s.has("ROLE") and P.YOU_UPLOAD.search(s.text))
        # "You grant Zoom a perpetual, worldwide ... license ... for the Permitted Uses": what a person grants a
        # platform is their own content
        or (s.has("ROLE") and P.YOU_GRANT.search(s.text))
    )
    if not subject or not s.has("GRANT"):
        return None
    cont = _continuing(s)
    if cont:
        if not P.AFTER_OR_END.search(cont.group(0)):
            # "will automatically terminate, but will not be revoked with respect to ... already copied": the
            # no-revocation rule's case; read here, "not ... revoked" would pass for a protection
            return None
        hit = Hit("PERPETUAL", s.start + cont.start(), s.start + cont.end(), cont.group(0))
        return "unbounded_term_scope", [hit], [cont.group(0).lower()[:60]], 0.7
    # "release and forever waive any claims": how long a waiver of claims lasts, not a licence
    waivers = [(m.start() + s.start, m.end() + s.start) for m in P.FOREVER_WAIVES.finditer(s.text)]
    lasting_terms = [h for h in s.get("PERPETUAL", "IRREVOCABLE") if not any(a <= h.start < b for a, b in waivers)]
    if lasting_terms:
        return (
            "unbounded_term_scope",
            lasting_terms,
            list(dict.fromkeys(h.text.lower() for h in lasting_terms))[:3] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.85,
        )
    open_ended = P.AS_LONG_AS_IT_WISHES.search(s.text)
    if open_ended and (subject or s.has("ROLE", "PARTY_PERSON")):
        hit = Hit("PERPETUAL", s.start + open_ended.start(), s.start + open_ended.end(), open_ended.group(0))
        return "unbounded_term_scope", [hit], [open_ended.group(0).lower()], 0.75
    lasting = [h for h in s.get("SURVIVE") if h.text.lower() != "thereafter"]
    if (
        lasting
        and P.LICENCE_RIGHTS_USE.search(s.text)
        and not P.FOR_A_PERIOD_SELL_OFF_OR_DEATH.search(s.text)
    ):
        return (
            "unbounded_term_scope",
            lasting,
            [h.text.lower() for h in lasting][:2] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.65,
        )
    wide = [h for h in s.get("ALL_MEDIA", "UNIVERSE") if h.concept == "ALL_MEDIA" or "universe" in h.text.lower()]
    if wide and not s.has("TERM_LIMIT"):
        return (
            "unbounded_term_scope",
            wide,
            [h.text.lower() for h in wide][:2] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.7,
        )
    return None


def _reuse(s: Sentence):
    subject = (
        s.person()
        or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG")
        or (
            s.has("ROLE", "PARTY_PERSON")
            and P.MATERIAL_WORD.search(s.text)
        )
    )
    wide = P.ANY_BUSINESS_USE.search(s.text)
    if wide and P.NAMED_BUSINESS.search(wide.group(0)):
        wide = None  # "in connection with the Playboy Commerce Business": a defined business is a named purpose
    if (
        wide
        and subject
        and P.GRANT_WORD.search(s.text)
        and not P.SOLELY_OR_ONLY.search(s.text)
    ):
        # a content licence for any purpose, for the company's business, or to syndicate to partners: the
        # person's recordings and likeness may go into anything the company or its partners make
        hit = Hit("REUSE", s.start + wide.start(), s.start + wide.end(), wide.group(0))
        return "reuse_other_projects", [hit], [wide.group(0).lower()[:60]], 0.65
    cues = [h for h in s.get("REUSE") if h.text.lower() != "other products" or P.IN_OTHER_PRODUCTS.search(s.text)]
    if cues and all(P.DERIVATIVE_WORKS.fullmatch(h.text) for h in cues) and P.COPYRIGHT_LIST.search(s.text):
        return None  # the standard copyright list of a content licence: adaptation, not reuse in other projects
    if cues and subject and s.has("GRANT"):
        return "reuse_other_projects", cues, s.texts("REUSE") + s.texts("PERSON_STRONG", "PERSON_WEAK"), 0.75
    return None


def _alteration(s: Sentence):
    subject = s.has("PERSON_STRONG", "PERSON_WEAK", "RESULTS", "REPLICA_STRONG") or (
        s.has("ROLE", "PARTY_PERSON")
        and P.SPOKEN_WORDS.search(s.text)
    )
    # what the user does ("labels ... that you add to those photos") alters nothing of theirs
    alters = [h for h in s.get("ALTER") if not P.USER_ALTERS.search(s.text[: h.start - s.start])]
    if P.AS_AN_ORDER_REQUIRES.search(s.text):
        return None  # "format, manipulate or otherwise modify photos as may be required to satisfy a particular order"
    alters = [
        h for h in alters
        if not P.OF_MARKS.match(s.text[h.end - s.start : h.end - s.start + 80])
    ]  # "manipulation and adaptation of the Playboy Marks": a brand's mark, not a performance
    alters = [h for h in alters if not _alters_other_things(s, h)]
    if P.MODERATES.search(s.text) and P.AGAINST_RULES.search(s.text) and not s.has("PERSON_STRONG"):
        return None  # "remove, block, or modify your Content if we believe it violates these Terms": moderation
    if P.CHANGES_SERVICE.search(s.text) and not s.has("PERSON_STRONG"):
        return None  # "we may make modifications or changes (to all or part of the Service)": the service changes
    if alters and subject and not s.has("CUSTOMARY"):
        return "digital_alteration", alters, s.texts("ALTER") + s.texts("PERSON_STRONG", "PERSON_WEAK"), 0.75
    return None


def _alters_other_things(s: Sentence, h) -> bool:
    """The word of alteration ``h`` acts on a thing that is no performance (settings, comments, a time stamp)."""
    after = s.text[h.end - s.start : h.end - s.start + 120]
    before = s.text[max(0, h.start - s.start - 80) : h.start - s.start]
    if P.OTHER_THING_BEFORE.search(before):
        return True
    m = P.OTHER_THING_AFTER.match(after)
    if m is None:
        return False
    # nothing of the performance named before the other thing ("modify your Content and its tags" alters content)
    return not P.PERFORMANCE_WORD.search(m.group(0))


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "ten": 10,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}


def deemed_window_is_short(text: str) -> bool:
    """'deemed approved if no response within 48 hours' is a hollow approval; after 14 days it is a real one."""
    m = P.SHORT_WINDOW.search(text)
    if not m:
        return True
    n = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1).lower()]
    unit = m.group(3).lower()
    if unit.startswith("hour"):
        return n <= 96
    if unit.startswith("day"):
        return n <= 3
    return False


def _depiction(s: Sentence):
    if P.INDEMNITY_OR_RETAINS.search(s.text):
        return None
    if P.NO_ABILITY_OR_OBLIGATION.search(s.text):
        return None  # "has no ability to control the Content ... no obligation to monitor it for any purpose"
    if P.MODERATION_RIGHT.search(s.text) and not P.COMMERCIAL_WORD.search(s.text):
        return None  # moderation "at our sole discretion" is about taking content down, not how the person is shown
    subject = s.has("PERSON_STRONG", "REPLICA_STRONG") or (s.has("PERSON_WEAK") and s.has("ROLE", "PARTY_PERSON"))
    if subject and s.has("NO_CONSENT_NEEDED") and P.APPROVAL_WORD.search(s.text) and s.has("GRANT"):
        return (
            "objectionable_depiction",
            s.get("NO_CONSENT_NEEDED"),
            s.texts("NO_CONSENT_NEEDED") + s.texts("DEPICT_ANY"),
            0.75,
        )
    if (
        (subject or s.has("ROLE", "PARTY_PERSON"))
        and s.has("WAIVE")
        and P.INSPECT_OR_APPROVE.search(s.text)
    ):
        return "objectionable_depiction", s.get("WAIVE"), s.texts("WAIVE") + ["right to approve"], 0.8
    wide = P.ANY_CONTEXT.search(s.text)
    if wide and subject and s.has("GRANT") and not s.has("DEPICT_ANY"):
        hit = Hit("DEPICT_ANY", s.start + wide.start(), s.start + wide.end(), wide.group(0))
        if not (
            s.has("APPROVAL") and not P.WITHOUT_APPROVAL_OR_NOT_SUBJECT.search(s.text)
        ):
            return (
                "objectionable_depiction",
                [hit],
                [wide.group(0).lower()] + s.texts("PERSON_STRONG", "REPLICA_STRONG"),
                0.7,
            )
    if s.has("DEPICT_ANY") and subject and s.has("GRANT"):
        if s.has("APPROVAL") and not s.has("DEEMED"):
            # "without approval" is itself the problem; "subject to Talent's approval" is not
            if not P.WITHOUT_APPROVAL.search(s.text):
                return None
        return (
            "objectionable_depiction",
            s.get("DEPICT_ANY"),
            s.texts("DEPICT_ANY") + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.7,
        )
    ads = P.BESIDE_ADS.search(s.text)
    if (
        ads
        and (s.has("PERSON_STRONG") or (s.has("ROLE") and P.PROFILE_WORD.search(s.text)))
        and P.MAY_SHOW.search(s.text)
        and not s.has("APPROVAL")
    ):
        # "permission to show your username, profile picture ... next to or in connection with ... ads, offers, and
        # other sponsored content", "associating you with commercial, sponsored or related content"
        hit = Hit("DEPICT_ANY", s.start + ads.start(), s.start + ads.end(), ads.group(0))
        return "objectionable_depiction", [hit], [ads.group(0).lower()[:60]], 0.7
    if (
        s.has("DEEMED")
        and P.APPROVAL_WORD.search(s.text)
        and deemed_window_is_short(s.text)
        and (s.person() or s.has("PERSON_WEAK", "ROLE", "PARTY_PERSON"))
    ):
        return "objectionable_depiction", s.get("DEEMED"), s.texts("DEEMED") + s.texts("APPROVAL"), 0.7
    return None


def unpaid_likeness_grant(s: Sentence, explicit_only: bool = False) -> bool:
    """The person's likeness, voice or persona granted to be exploited, sublicensed or used for any purpose, and
    the person told they get nothing for it ("irrevocably grant us the sublicensable right to use and exploit your
    name, persona, likeness ... without any obligation or remuneration to you"), or the grant perpetual or
    irrevocable and royalty-free: unpaid reuse of the likeness (data/README.md, 'Royalty-free platform
    licences': an explicit 'no compensation' for the name and likeness is required)."""
    if not (s.has("PERSON_STRONG") and s.has("GRANT") and P.EXPLOIT_RIGHTS.search(s.text)):
        return False
    if P.UNPAID_TO_PERSON.search(s.text):
        return True
    return not explicit_only and s.has("NO_COMP") and s.has("PERPETUAL", "IRREVOCABLE")


def _compensation(s: Sentence):
    if (
        s.has("NO_COMP")
        and P.ALL_RIGHTS_OR_USES.search(s.text)
        and s.has("REPLICA_STRONG", "REPLICA_WEAK", "AI", "SYNTHETIC", "REUSE", "PERPETUAL", "IRREVOCABLE")
    ):
        return "replica_compensation_missing", s.get("NO_COMP"), s.texts("NO_COMP"), 0.75
    if s.has("NO_COMP") and (
        s.has("REPLICA_STRONG", "SYNTHETIC", "AI", "REUSE") or (s.has("REPLICA_WEAK") and s.person())
    ):
        return (
            "replica_compensation_missing",
            s.get("NO_COMP"),
            s.texts("NO_COMP") + s.texts("REPLICA_STRONG", "AI", "REUSE", "SYNTHETIC"),
            0.85,
        )
    if unpaid_likeness_grant(s):
        return (
            "replica_compensation_missing",
            s.get("PERSON_STRONG"),
            s.texts("NO_COMP") + s.texts("PERSON_STRONG"),
            0.7,
        )
    return None


def _bundled(s: Sentence):
    cue = P.BUNDLING.search(s.text)
    if cue and s.has("ROLE", "PARTY_PERSON"):
        hit = Hit("CONSENT_BUNDLED", s.start + cue.start(), s.start + cue.end(), cue.group(0))
        return "consent_buried_or_bundled", [hit], [cue.group(0).lower()[:60]], 0.75
    if (
        s.has("CONSENT_BUNDLED")
        and s.has("REPLICA_STRONG", "AI", "SYNTHETIC")
        and P.CONSENT_BY_SIGNING.search(s.text)
    ):
        return (
            "consent_buried_or_bundled",
            s.get("CONSENT_BUNDLED"),
            s.texts("CONSENT_BUNDLED") + s.texts("REPLICA_STRONG", "AI", "SYNTHETIC"),
            0.85,
        )
    return None


def _waiver(s: Sentence):
    if P.DISPUTE_WAIVER.search(s.text):
        return None  # "EACH PARTY WAIVES ITS RIGHT TO GO TO COURT, TO A TRIAL BY JURY ...": how disputes are heard
    if P.INDEMNIFY.search(s.text) and P.THIRD_PARTY_CLAIMS.search(s.text):
        return None  # "release, indemnify, and defend Quora from all third-party claims": an indemnity, not a waiver
    if P.INDEMNITY_OR_DEFENCE.search(s.text) and not P.WAIVES_OR_RELEASES.search(s.text):
        return None
    # "press releases" and "news releases" release nothing
    waives = [h for h in s.get("WAIVE") if not P.PRESS_OR_NEWS_BEFORE.search(s.text[: h.start - s.start])]
    if waives and s.has("WAIVE_OBJ"):
        return "consent_conditioned_or_waived", waives, [h.text for h in waives] + s.texts("WAIVE_OBJ"), 0.85
    claims = [h for h in waives if P.CLAIM_WORD.search(h.text)]
    if (
        claims
        and (s.has("PERSON_STRONG") or (s.has("PERSON_WEAK") and s.has("ROLE", "PARTY_PERSON", "ALTER")))
        and not P.LIABILITY_WORD.search(s.text)
        and P.ARISING_FROM.search(s.text)
        and P.USE_OR_DISTORTION.search(s.text)
    ):
        return (
            "consent_conditioned_or_waived",
            claims,
            [h.text.lower() for h in claims][:2] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.7,
        )
    if (
        s.has("CONDITION")
        and (s.has("REPLICA_STRONG", "AI", "SYNTHETIC") or (s.has("CONSENT_WORD") and s.has("PERSON_STRONG")))
        and not s.has("NOT_CONDITION")
        and not P.SUBJECT_TO_APPROVAL.search(s.text)
    ):
        return (
            "consent_conditioned_or_waived",
            s.get("CONDITION"),
            s.texts("CONDITION") + s.texts("REPLICA_STRONG", "AI"),
            0.75,
        )
    return None


_LICENCE_READINGS = frozenset(
    {"unbounded_term_scope", "no_revocation_or_suspension", "reuse_other_projects", "digital_alteration",
     "replica_compensation_missing"}
)


def _section_numbers(clause: Clause, by_id: dict[str, Clause], doc_text: str = "", order: tuple[Clause, ...] = ()) -> set[str]:
    """The numbers a clause can be cited by: its own ("4.1") and those of the sections it sits in ("4"), read
    from the number, else from a heading such as "##### **5\\. Your Content**". A clause the segmenter gave no
    parent sits in the nearest numbered clause before it that is indented less ("6.  Proprietary Rights" over
    "    1.  Myspace does not claim ...")."""
    out: set[str] = set()
    c: Clause | None = clause
    while c is not None:
        for text in (c.number or "", c.heading or "", c.text[:40]):
            m = P.TOP_NUMBER.match(text)
            if m:
                out.add(m.group(1))
                break
        if c.parent:
            c = by_id.get(c.parent)
        else:
            c = _enclosing_by_indent(c, doc_text, order) if doc_text and order else None
    return out


def _indent_of(text: str, at: int) -> int:
    """The indentation of the line a clause starting at ``at`` begins; -1 when it begins in mid-line."""
    line = text.rfind("\n", 0, at) + 1
    end = line
    while end < len(text) and text[end] in " \t":
        end += 1
    return end - line if end >= at else -1


def _enclosing_by_indent(clause: Clause, text: str, order: tuple[Clause, ...]) -> Clause | None:
    """The nearest numbered clause before ``clause`` (at most 60 back) whose first line is indented less."""
    mine = _indent_of(text, clause.start)
    if mine <= 0:
        return None
    at = next((i for i, c in enumerate(order) if c.id == clause.id), None)
    if at is None:
        return None
    for prev in reversed(order[max(0, at - 60) : at]):
        theirs = _indent_of(text, prev.start)
        if prev.number and 0 <= theirs < mine:
            return prev
    return None


def _refs(text: str) -> set[str]:
    """The section numbers a survival sentence lists, ranges expanded ("11 - 22", "6.1 through 6.10")."""
    refs: set[str] = set()
    for m in P.SECTION_REF.finditer(text):
        a, b = m.group(1), m.group(2)
        refs.add(a)
        if b:
            ha, _, la = a.rpartition(".")
            hb, _, lb = b.rpartition(".")
            if ha == hb and int(lb) >= int(la):
                refs |= {f"{ha}.{n}" if ha else str(n) for n in range(int(la), min(int(lb), int(la) + 60) + 1)}
    return refs


def _cited(numbers: set[str], refs: set[str]) -> bool:
    """A reference to "4" cites 4 and 4.1; a reference to "4.2" cites 4.2, not 4 or 4.1."""
    return any(n == r or n.startswith(r + ".") for n in numbers for r in refs)


def _surviving_licence(doc: Document, clauses: tuple[Clause, ...], hits: list[ClauseHit]) -> list[ClauseHit]:
    """A survival clause that keeps a perpetual licence in the person's material alive after termination (or after
    the account is deleted) is ``no_revocation_or_suspension`` and ``unbounded_term_scope``: the whole terms
    survive, the list names the licence ("5 (Your Content)"), or it lists the section that holds the grant. Only
    in a document whose rules found such a licence (a grant read as unbounded, irrevocable, reusable or alterable)."""
    by_id = {c.id: c for c in clauses}
    licence = {h.clause_id for h in hits if h.label in _LICENCE_READINGS}
    if not licence:
        return []
    sections = set().union(*(_section_numbers(by_id[c], by_id, doc.text, clauses) for c in licence if c in by_id))
    out: list[ClauseHit] = []
    for clause in clauses:
        for s0, s1 in clause.sentences or ((clause.start, clause.end),):
            text = doc.text[s0:s1]
            found = P.SURVIVES.search(text)
            if (
                not found
                or P.NOT_SURVIVING.search(text)
                or S.HEADING.match(text)
                or not P.ENDING_EVENT.search(text)
                or P.BOUNDED_SURVIVAL.search(text)
            ):
                continue
            listed = P.EXCLUDED_SECTIONS.sub(" ", text)
            why = ""
            if P.SURVIVING_LICENCE.search(listed):
                why = "the licence survives"
            elif P.WHOLE_TERMS_SURVIVE.search(listed) and not P.BY_THEIR_NATURE.search(listed):
                why = "the whole terms survive"
            elif P.SECTIONS_OR_COLON.search(listed) and _cited(sections, _refs(listed)):
                why = "the section holding the licence survives"
            if why:
                out += [
                    ClauseHit(clause.id, gap, 0.7, s0, s1, (found.group(0).lower(),), why)
                    for gap in ("no_revocation_or_suspension", "unbounded_term_scope")
                ]
                break
    return out


def _continuing(s: Sentence):
    """The words by which a licence outlives deletion or the agreement (a match of ``P.CONTINUES``), or None;
    a licence that continues only in the cases listed next ("... will continue after you have removed your content
    if:") does not count."""
    cont = P.CONTINUES.search(s.text)
    if cont and P.ONLY_IN_CASES_LISTED.search(s.text[cont.end() :]):
        return None
    return cont


def _irrevocable(s: Sentence):
    subject = s.person() or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG", "ROLE", "PARTY_PERSON")
    cont = _continuing(s)
    if cont and not P.NOT_CONTINUE.search(s.text) and (
        subject or P.TERMS_WORD.search(cont.group(0))
    ):
        hit = Hit("IRREVOCABLE", s.start + cont.start(), s.start + cont.end(), cont.group(0))
        return "no_revocation_or_suspension", [hit], [cont.group(0).lower()[:60]], 0.7
    if (
        s.has("IRREVOCABLE")
        and subject
        and (s.has("GRANT") or P.CONSENT_LICENCE_WORD.search(s.text))
        and not P.DISPUTE_WAIVER.search(s.text)  # "YOU IRREVOCABLY WAIVE ANY RIGHT TO A TRIAL BY JURY"
    ):
        return (
            "no_revocation_or_suspension",
            s.get("IRREVOCABLE"),
            s.texts("IRREVOCABLE") + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.85,
        )
    if (
        s.has("SURVIVE")
        and not P.NO_GUARANTEE.search(s.text)  # "does not guarantee ... available after"
        and s.has("PERSON_STRONG", "REPLICA_STRONG", "PERSON_WEAK")
        and P.LICENCE_CONSENT_RIGHT_USE.search(s.text)
        and not P.FOR_A_PERIOD_OR_DEATH.search(s.text)
    ):
        hits = [h for h in s.get("SURVIVE") if h.text.lower() != "thereafter"]
        if hits:
            return (
                "no_revocation_or_suspension",
                hits,
                [h.text.lower() for h in hits][:2] + s.texts("PERSON_STRONG"),
                0.65,
            )
    return None


def _assignment(s: Sentence):
    if P.RETAINS_OR_RESERVES.search(s.text):  # what the person keeps is not a grant
        return None
    free = P.COMPANY_FREE_ASSIGN.search(s.text)
    if free and not s.has("BOTH_PARTIES") and not P.ONLY_WITH_CONSENT.search(s.text[free.start() :]):
        hit = Hit("ASSIGN", s.start + free.start(), s.start + free.end(), free.group(0))
        return "assignment_sublicensing", [hit], [free.group(0).lower()[:60]], 0.7
    share = P.SHARED_WITH_OTHERS.search(s.text)
    if share and P.USER_SHARED.search(s.text[: share.start()]):
        share = None  # "if you already shared your content with others": the person's own act, not a transfer
    if share and (
        s.has("PERSON_STRONG", "PERSON_WEAK") or P.RECORDING_WORD.search(s.text)
    ):
        hit = Hit("ASSIGN", s.start + share.start(), s.start + share.end(), share.group(0))
        return "assignment_sublicensing", [hit], [share.group(0).lower()[:60]], 0.6
    users = P.LICENCE_TO_OTHER_USERS.search(s.text)
    if users:  # every other user of a platform is a class of third parties (data/README.md, Substack, TikTok)
        hit = Hit("ASSIGN", s.start + users.start(), s.start + users.end(), users.group(0))
        return "assignment_sublicensing", [hit], [users.group(0).lower()[:60]], 0.7
    others = P.OTHERS_MAY_USE.search(s.text)
    if others and (s.has("PERSON_STRONG", "PERSON_WEAK", "REPLICA_STRONG")):
        hit = Hit("ASSIGN", s.start + others.start(), s.start + others.end(), others.group(0))
        return (
            "assignment_sublicensing",
            [hit],
            [others.group(0).lower()[:60]] + s.texts("PERSON_STRONG", "REPLICA_STRONG"),
            0.75,
        )
    if not s.has("ASSIGN") or s.has("BOTH_PARTIES") or P.PERSON_ASSIGNS.search(s.text):
        return None
    if s.has("BINDING") and not P.SUBLICENSE.search(s.text):
        return None
    sub = [h for h in s.get("ASSIGN", "ASSIGN_STRONG") if P.SUBLICENSE.match(h.text)]
    subject = (
        s.person()
        or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG")
        or P.RIGHTS_OR_AGREEMENT.search(s.text)
    )
    if not subject:
        return None
    if sub:
        return (
            "assignment_sublicensing",
            sub,
            [h.text.lower() for h in sub][:2] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.85,
        )
    passive = P.MAY_BE_ASSIGNED_TO.search(s.text)
    if (
        passive
        and (s.has("PERSON_STRONG", "PERSON_WEAK", "REPLICA_STRONG", "RESULTS"))
        and not s.has("SEPARATE_CONSENT")
    ):
        hit = Hit("ASSIGN", s.start + passive.start(), s.start + passive.end(), passive.group(0))
        return "assignment_sublicensing", [hit], [passive.group(0).lower()], 0.7
    if P.RESTRICTED_ASSIGNMENT.search(s.text):
        return None  # a restricted assignment is the protection, not the gap
    if s.has("COMPANY_MAY") and P.ASSIGN_OR_TRANSFER.search(s.text):
        verbs = [h for h in s.get("ASSIGN") if P.ASSIGN_VERB.match(h.text)]
        return (
            "assignment_sublicensing",
            verbs or s.get("ASSIGN"),
            s.texts("COMPANY_MAY") + [h.text.lower() for h in verbs][:2],
            0.75,
        )
    third = [
        h
        for h in s.get("ASSIGN_STRONG")
        # "successors and assigns" is a noun; "EFS hereby assigns to Client" is the verb
        if (h.text.lower() != "assigns" or P.ASSIGNS_AS_NOUN.search(s.text[max(0, h.start - s.start - 25) : h.start - s.start]))
        and h.text.lower()
        in {
            "licensees",
            "designees",
            "assigns",
            "licensees and assigns",
            "third parties",
            "those acting",
            "others",
            "any person",
            "affiliates",
        }
    ]
    persons_rights = P.PERSONS_RIGHTS.search(s.text)
    if (
        third
        and s.has("GRANT")
        and (s.person(strong_only=True) or s.has("PERSON_WEAK") or persons_rights)
        and P.GRANT_OR_ASSIGN_WORD.search(s.text)
    ):
        return (
            "assignment_sublicensing",
            third,
            [h.text.lower() for h in third][:2] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.6,
        )
    return None


def _post_mortem(s: Sentence):
    deaths = [
        h for h in s.get("DEATH")
        if h.text.lower() != "estate"
        # "liability for death or personal injury caused by its negligence": a liability clause, not a use after death
        and not P.OR_PERSONAL_INJURY.match(s.text[h.end - s.start :])
        and not P.INJURY_OR.search(s.text[: h.start - s.start])
    ]
    if not deaths:
        return None
    continues = (
        s.has("SURVIVE", "PERPETUAL", "HEIRS")
        or P.GOES_ON.search(s.text)
        or (
            P.IF_THE_PERSON_DIES.search(s.text)
            and P.MAY_GO_ON_USING.search(s.text)
        )
    )
    if continues and (s.has("PERSON_STRONG", "PERSON_WEAK", "REPLICA_STRONG", "RESULTS") or s.has("GRANT")):
        if P.TERMINATES.search(s.text) and not P.CONTINUES_OR_SURVIVES.search(s.text):
            return None
        return (
            "post_mortem_use",
            deaths,
            [h.text.lower() for h in deaths][:2] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.85,
        )
    return None


def _synthetic(s: Sentence):
    novel = P.NEW_PERFORMERS.search(s.text)
    if (
        novel
        and (
            s.has("REPLICA_STRONG", "AI", "SYNTHETIC", "DERIVED")
            or P.DERIVED_WORD.search(s.text)
        )
        and P.PERMITS.search(s.text)
    ):
        hit = Hit("SYNTHETIC", s.start + novel.start(), s.start + novel.end(), novel.group(0))
        return "synthetic_substitution", [hit], [novel.group(0).lower()], 0.7
    person = s.has("ROLE", "PARTY_PERSON", "PERSON_STRONG", "PERSON_WEAK", "DERIVED")
    if s.has("SYNTHETIC") and person and P.MAY_MAKE.search(s.text):
        return "synthetic_substitution", s.get("SYNTHETIC"), s.texts("SYNTHETIC") + s.texts("DERIVED"), 0.85
    if (
        s.has("SYNTHETIC_WEAK")
        and s.has("AI", "REPLICA_STRONG")
        and s.has("PERSON_STRONG", "ROLE", "PARTY_PERSON")
        and P.SUBSTITUTES.search(s.text)
    ):
        return (
            "synthetic_substitution",
            s.get("SYNTHETIC_WEAK"),
            s.texts("SYNTHETIC_WEAK") + s.texts("AI", "REPLICA_STRONG"),
            0.75,
        )
    derived_from_person = [
        d
        for d in s.get("DERIVED")
        if any(0 <= p.start - d.end <= 40 for p in s.get("PERSON_STRONG", "ROLE", "PARTY_PERSON"))
    ]
    if (
        derived_from_person
        and s.has("AI", "REPLICA_STRONG", "SYNTHETIC")
        and P.SYNTHETIC_PERFORMER.search(s.text)
    ):
        return "synthetic_substitution", s.get("DERIVED"), s.texts("DERIVED") + s.texts("AI", "REPLICA_STRONG"), 0.7
    return None


_RULES = [
    _ai_training,
    _replica_creation,
    _replica_use,
    _unbounded,
    _reuse,
    _alteration,
    _depiction,
    _compensation,
    _bundled,
    _waiver,
    _irrevocable,
    _assignment,
    _post_mortem,
    _synthetic,
]
