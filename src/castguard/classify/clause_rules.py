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

import re
from dataclasses import dataclass

from ..model import Clause, Document
from ..prefilter import prefilter_module, rx
from ..vocabulary import ASSIGNING_ROLES, REVERSION_ROLES, RIGHT_HOLDER_ROLES, alternation
from .concepts import Concepts, Hit
from .sentences import (
    BULLET,
    HEADING,
    PROHIBITING_LEAD,
    RESERVES,
    USER_DUTY,
    Sentence,
    lead_ins,
    polarity,
    prohibited_list_item,
)

__all__ = ["DETECTOR_ID", "HOLLOWED", "ClauseHit", "RuleDetector", "deemed_window_is_short"]

DETECTOR_ID = "rules.v1"


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

_PERSON_RIGHT = re.compile(
    r"\b(?:" + alternation(RIGHT_HOLDER_ROLES) + r"|you|I)\s+"
    r"(?:(?:may|shall have the right to|has the right to|is entitled to|can)\s+(?:at any time\s+)?"
    r"(?:revoke|withdraw|approve|object|refuse|decline|opt[- ]out|require|terminate|withhold|veto)|retains?\b)",
    re.I,
)
# "Company shall label ...", "Studio shall delete ...": duties owed to the performer
_OBLIGATION = re.compile(
    r"\b(?:shall|will|must|agrees to)\s+(?:promptly\s+|clearly\s+)?(?:label|notify|send|disclose|report|"
    r"delete|destroy|store|encrypt|inform)\b",
    re.I,
)
_GRANT_MODAL = re.compile(r"\bmay\b|\bhereby\b|\bgrants?\b|\bright to\b|\bentitled\b", re.I)


HOLLOWED = "a protection hollowed out by an exception"

_NOT_OPERATIVE = re.compile(
    r"^\W*(?:witnesseth\W*)?(?:whereas|recitals?)\b|\brepresents?(?:,)? (?:and|&) warrants?\b|\bwarrants? (?:and represents )?that\b|"
    r"\bimitations?\b|\bcounterfeit|\binfring|\bpassing off\b|\bshall indemnify\b|\bagrees? to (?:defend,? (?:and )?)?indemnify\b|"
    r"\bindemnify,? (?:defend,? )?and hold\b[^.;]{0,80}\bharmless\b|\bconfirms? that (?:you|it|he|she|they) (?:own|ha(?:s|ve) obtained)\b|"
    r"\b(?:is|are) (?:solely )?responsible for\b[^.;]{0,60}\bcompliance with\b",
    re.I,
)


_ENDS_USE = re.compile(
    r"\b(?:shall|will|must) (?:immediately |absolutely |automatically )?(?:cease|terminate|end)\b[^.;]{0,80}\b(?:use|rights?|licen[cs]e)|"
    r"\b(?:rights?|licen[cs]e|use)\b[^.;]{0,120}\b(?:shall|will) (?:immediately |automatically )?(?:cease|terminate|end|expire)\b|"
    r"\bshall not thereafter use\b|\bcease (?:all |any )?(?:further )?use\b",
    re.I,
)
# the user stops using the service: "you will immediately cease all use of the Site" ends nothing the company holds
_USER_STOPS = re.compile(
    r"\byou (?:shall|will|must) (?:immediately )?(?:cease|stop)\b|"
    r"\byour (?:licen[cs]e|rights?|access)\b(?:[^.;]{0,20}\bto (?:use|access)\b)?[^.;]{0,60}\b(?:cease|terminate|end)|"
    r"\b(?:terminate|end)\w*\b[^.;]{0,60}\byour (?:licen[cs]e|rights?|access) to (?:use|access)\b|"
    r"\b(?:cease|stop) (?:all |any )?use of (?:the )?(?:[A-Z]\w+ ){0,2}(?:site|services?|platform|apps?|software|tools?)\b",
    re.I,
)
_FEEDBACK = re.compile(r"\b(?:feedback|suggestions? (?:for|about|regarding)|ideas for improv\w*)\b", re.I)
_REVERTS = re.compile(
    r"\brevert\w*\b[^.;]{0,80}\bto\s+(?:the\s+)?(?:" + alternation(REVERSION_ROLES) + r"|you|him|her|[A-Z][\w&.'’\-]*)",
)


class RuleDetector:
    """Labels clauses with gap ids and protections using ``lexicon`` concepts."""

    name = DETECTOR_ID

    def label(self, doc: Document, clauses: tuple[Clause, ...], concepts: Concepts) -> list[ClauseHit]:
        out: list[ClauseHit] = []
        for clause in clauses:
            spans = clause.sentences or ((clause.start, clause.end),)
            for s0, s1 in spans:
                sent = Sentence(s0, s1, doc.text[s0:s1], concepts.within(s0, s1))
                if not sent.hits or sent.is_definition or sent.is_pointer:
                    continue
                found = self._sentence(clause, sent, doc.text)
                out.extend(found)
                if sent.has("AI") and not any(h.label.endswith("ai_training_grant") for h in found):
                    out.extend(self._listed_purpose(clause, sent, doc.text, concepts))
        out.extend(_surviving_licence(doc, clauses, out))
        return out

    def _listed_purpose(self, clause: Clause, s: Sentence, text: str, concepts: Concepts) -> list[ClauseHit]:
        """An AI use listed under a lead-in that grants the use: "Dailymotion may further Process ... Your Content
        ... for purposes ..., namely: ... * Research and development, including fostering AI development." The
        item and its lead-in are read together; the evidence is the item."""
        leads = lead_ins(s, text)
        if not leads or any(PROHIBITING_LEAD.search(lead) for _, _, lead in leads):
            return []
        a, b, lead = leads[0]
        if not _PERMITS.search(lead):
            return []
        merged = Sentence(s.start, s.end, lead + " " + s.text, concepts.within(a, b) + s.hits)
        r = _ai_training(merged)
        if not r or polarity(s, r[1], text) != "grant" or rx.search(r"\b(?:not|never|no)\b", s.text, re.I):
            return []
        gap, key, cues, score = r
        return [ClauseHit(clause.id, gap, min(score, 0.7), s.start, s.end, tuple(cues), "")]

    # each rule returns (gap, key hits, cues, score) or None
    def _sentence(self, clause: Clause, s: Sentence, text: str):
        results: list[ClauseHit] = []
        if _NOT_OPERATIVE.search(s.text) or HEADING.match(s.text) or USER_DUTY.search(s.text):
            # taxonomy v1.1: recitals, warranties, indemnities and duties to police "imitations by others" grant
            # nothing; headings name a topic; "you will not copy or alter our materials" binds the user, not the
            # company
            return results
        if prohibited_list_item(s, text):
            # "You agree that you will not use the Services to: ... 10. collect, ... or otherwise use NoAI Content
            # in datasets utilized by Generative AI Programs": a duty of the user, not a grant to the company
            return results
        if _FEEDBACK.search(s.text) and not s.has("PERSON_STRONG"):
            # "an irrevocable license in and to any feedback": the user's suggestions, not their performance
            return results
        if len(BULLET.findall(s.text)) >= 3:
            # a list of forbidden conduct read as one sentence ("* do anything illegal; * ...") grants nothing
            return results
        if RESERVES.search(s.text):
            # "T&B shall remain the owner of all right, title and interest in ... the Derivative Works": the
            # owner keeps what it had; a reservation grants nothing
            return results
        if (
            _ENDS_USE.search(s.text)
            and not s.has("PERPETUAL", "IRREVOCABLE")
            and not _USER_STOPS.search(s.text)
            and not _continuing(s)  # "will automatically terminate, but will not be revoked with respect to ..."
        ):
            # "all rights of Company to use the Identification shall cease absolutely": the licence ends with the term
            return [
                ClauseHit(clause.id, "protective:unbounded_term_scope", 0.8, s.start, s.end, ("cease",), "use ends")
            ]
        if _REVERTS.search(s.text) and not rx.search(r"\b(?:not|never|no|nor)\b[^.;]{0,25}\brevert", s.text, re.I):
            # "upon expiration all rights revert to Talent": the term and the company's rights end there
            return [
                ClauseHit(clause.id, f"protective:{gap}", 0.8, s.start, s.end, ("revert",), "rights revert to the person")
                for gap in ("unbounded_term_scope", "no_revocation_or_suspension", "assignment_sublicensing")
            ]
        if _NO_SUBSTANTIVE_CHANGES.search(s.text):
            # "is not intended to give Tumblr a right to make substantive editorial changes or derivations"
            return [
                ClauseHit(
                    clause.id, "protective:digital_alteration", 0.8, s.start, s.end, ("no substantive changes",),
                    "no substantive changes",
                )
            ]
        if _PERSON_RIGHT.search(s.text) or _OBLIGATION.search(s.text) and not _GRANT_MODAL.search(s.text):
            # a right the performer holds, or a duty the company owes, is not a grant to the company
            return results
        if s.has("NOT_CONDITION") and rx.search(r"refus|declin|withhold", s.text, re.I):
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
                    or rx.search(r"notice|paid|session|purpose", s.text, re.I)
                )
                and not any(
                    h.text.lower() in {"any and all purposes", "any purpose", "all purposes"}
                    for h in s.get("ANY_PURPOSE")
                )
            ):
                # creation only for the named project, on notice, at a paid session: the protective counterpart
                pol = "protect"
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


# --------------------------------------------------------------------------- rules


def _ai_training(s: Sentence):
    material = s.person() or s.has("PERSON_STRONG", "DATA_OBJECT", "ROLE", "PARTY_PERSON", "RESULTS")
    train_cues = s.texts("TRAIN_STRONG", limit=20)
    if (
        train_cues
        and all(t.lower() == "machine learning" for t in train_cues)
        and not s.has("PERSON_STRONG", "PERSON_WEAK", "DATA_OBJECT", "RESULTS")
        and not rx.search(r"\b(?:train|training|trained|dataset|data set)\b", s.text, re.I)
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
    if s.has("AI") and rx.search(r"\bdata\s?sets?\b|\btraining data\b|\bas data\b", s.text, re.I) and material:
        return "ai_training_grant", s.get("AI"), s.texts("AI"), 0.8
    if (
        s.has("REPLICA_STRONG")
        and rx.search(r"voice|vocal|clone|likeness model", " ".join(s.texts("REPLICA_STRONG", limit=6)))
        and rx.search(
            r"\b(?:from|on|using)\s+(?:the\s+|his\s+|her\s+|their\s+|[A-Z]\w+['’]s\s+)?(?:recordings|performances|sessions|vocals|"
            r"stems|audio|voice data|catalog|catalogue|masters|session materials)",
            s.text,
        )
        and _PERMITS.search(s.text)
    ) or (
        # "recordings of my voice will be used by [the company] to create and use a synthetic version of my voice"
        s.has("REPLICA_STRONG")
        and rx.search(r"\bvoice|\bvocal|\bclone", s.text, re.I)
        and rx.search(
            r"\brecordings?\b[^.;]{0,60}\b(?:will|shall|may) be used\b[^.;]{0,60}\bto (?:create|build|train|make|develop)",
            s.text,
            re.I,
        )
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
                and rx.search(r"research and development|development of|to (?:develop|improve|train)", s.text, re.I)
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

_PERMITS = re.compile(
    r"\b[Mm]ay\b|\b[Rr]ight to|\b[Hh]ereby\b|\b[Gg]rants?\b|\b[Aa]uthori[sz]|\b[Cc]onsents?\b|"
    r"\b[Ee]ntitled\b|\b[Ll]icen[cs]e(?:s|d)?\b|\bpermi(?:ts?|tted|ssion)\b|"
    r"\b(?:will|shall) (?:create|make|produce|scan|capture|generate|build|develop)\b|\b[Aa]grees? (?:that|to)\b|"
    r"\b(?:will|shall|may) be used (?:by [^.;]{1,60} )?to (?:create|make|produce|generate|build|develop|train)\b"
)


# a pay term that is also the grant: "Company may create ... replicas ..., and no additional compensation ..."
_GRANTS_TOO = re.compile(
    r"\b[Mm]ay (?:\w+, )*(?:\w+ )?(?:create|make|use|generate|produce|develop|build)\b|\b[Hh]ereby grants?\b"
)


def _replica_creation(s: Sentence):
    if rx.match(r"\s*#", s.text) or s.text.isupper():  # a title, not a grant
        return None
    if (s.has("NO_COMP") and not _GRANTS_TOO.search(s.text)) or (
        rx.search(r"\bterminates?\b|\bexpires?\b|\bshall cease\b", s.text, re.I) and not rx.search(r"\bmay\b", s.text)
    ):
        return None  # a pay term or the end of a licence, judged by its own rules
    person = s.has("ROLE", "PARTY_PERSON", "PERSON_STRONG") or any(
        h.text[:1].isupper() for h in s.get("REPLICA_STRONG")
    )
    if s.has("REPLICA_STRONG") and person and _PERMITS.search(s.text):
        return "replica_creation_grant", s.get("REPLICA_STRONG"), s.texts("REPLICA_STRONG"), 0.9
    if not _PERMITS.search(s.text):
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
        and rx.search(r"\b(generat|creat|produc|mak)\w*\b", s.text, re.I)
        and s.has("PERSON_STRONG")
        and s.has("GRANT")
    ):
        return "replica_creation_grant", s.get("AI"), s.texts("AI") + s.texts("PERSON_STRONG"), 0.7
    return None


def _replica_use(s: Sentence):
    if s.has("NO_COMP") and not _GRANTS_TOO.search(s.text):
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
    if rx.search(r"confidential|indemnif|hold harmless", s.text, re.I):
        return None
    if s.has("PERPETUAL") and s.has("DATA_OBJECT") and rx.search(r"\buse", s.text, re.I):
        return "unbounded_term_scope", s.get("PERPETUAL"), s.texts("PERPETUAL") + s.texts("DATA_OBJECT"), 0.7
    subject = (
        s.person()
        or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG")
        # "The license which you grant to us under sub-section 10(b) above is perpetual": the user's own licence
        or rx.search(r"\blicen[cs]es? (?:which |that )?you (?:grant|give)", s.text, re.I)
        # "any file or content you upload ..., you grant Imgur a ... perpetual, irrevocable worldwide license"
        or (s.has("ROLE") and rx.search(r"\byou (?:upload|post|submit|share|provide)\b", s.text, re.I))
        # "You grant Zoom a perpetual, worldwide ... license ... for the Permitted Uses": what a person grants a
        # platform is their own content
        or (s.has("ROLE") and rx.search(r"\b[Yy]ou (?:hereby )?grant\b", s.text))
    )
    if not subject or not s.has("GRANT"):
        return None
    cont = _continuing(s)
    if cont:
        if not rx.search(r"\bafter\b|\bends?\b|\bexpir", cont.group(0), re.I):
            # "will automatically terminate, but will not be revoked with respect to ... already copied": the
            # no-revocation rule's case; read here, "not ... revoked" would pass for a protection
            return None
        hit = Hit("PERPETUAL", s.start + cont.start(), s.start + cont.end(), cont.group(0))
        return "unbounded_term_scope", [hit], [cont.group(0).lower()[:60]], 0.7
    if s.has("PERPETUAL", "IRREVOCABLE"):
        return (
            "unbounded_term_scope",
            s.get("PERPETUAL", "IRREVOCABLE"),
            s.texts("PERPETUAL", "IRREVOCABLE") + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.85,
        )
    open_ended = rx.search(
        r"as long as (?:\w+ ){1,2}(?:wishes|desires|chooses|sees fit|determines|likes)", s.text, re.I
    )
    if open_ended and (subject or s.has("ROLE", "PARTY_PERSON")):
        hit = Hit("PERPETUAL", s.start + open_ended.start(), s.start + open_ended.end(), open_ended.group(0))
        return "unbounded_term_scope", [hit], [open_ended.group(0).lower()], 0.75
    lasting = [h for h in s.get("SURVIVE") if h.text.lower() != "thereafter"]
    if (
        lasting
        and rx.search(r"\blicen[cs]e|\brights?\b|\buse\b", s.text, re.I)
        and not rx.search(
            r"\b(?:for a period of|days|months|sell[- ]off)\b|surviv\w*\s+(?:\w+\s+){0,3}death", s.text, re.I
        )
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


# "other products" is reuse only when the person's material is what goes into them ("use your Content in our other
# products"), not where a tool runs ("we use Safety Tools on Epic's other products") or what a buyer orders
_IN_OTHER_PRODUCTS = re.compile(
    r"\b(?:use|include|incorporat|feature|exploit|integrat)\w*\b[^.;]{0,80}?"
    r"\b(?:content|likeness|name|image|voice|recordings?|photos?|videos?|performances?|materials?)\b[^.;]{0,40}?"
    r"\b(?:in|on|for|across|into|within)\s+(?:\w+['’]s\s+|our\s+|its\s+|any\s+|the\s+|their\s+)?(?:\w+\s+)?"
    r"other products",
    re.I,
)


_ANY_BUSINESS_USE = re.compile(
    r"\bfor any purpose\b(?! (?:reasonably |directly )?(?:related|relating|necessary|connected|in connection))|\bfor (?:our|its|their) (?:own )?(?:business|commercial)(?: and marketing)? purposes\b|"
    r"\bin connection with\b[^.;]{0,80}\bbusiness\b|\bsyndicat\w*|"
    r"\bavailable to other (?:companies|organi[sz]ations|businesses)\b",
    re.I,
)


def _reuse(s: Sentence):
    subject = (
        s.person()
        or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG")
        or (
            s.has("ROLE", "PARTY_PERSON")
            and rx.search(r"material|\bdata\b|captur|footage|recording|content", s.text, re.I)
        )
    )
    wide = _ANY_BUSINESS_USE.search(s.text)
    if wide and rx.search(r"\b(?-i:[A-Z][\w&'’-]*\s+)+(?-i:Business)\b", wide.group(0)):
        wide = None  # "in connection with the Playboy Commerce Business": a defined business is a named purpose
    if (
        wide
        and subject
        and rx.search(r"\bgrants?\b|\blicen[cs]e\b|\bright to\b|\bhereby\b", s.text, re.I)
        and not rx.search(r"\b(?:solely|only)\b", s.text, re.I)
    ):
        # a content licence for any purpose, for the company's business, or to syndicate to partners: the
        # person's recordings and likeness may go into anything the company or its partners make
        hit = Hit("REUSE", s.start + wide.start(), s.start + wide.end(), wide.group(0))
        return "reuse_other_projects", [hit], [wide.group(0).lower()[:60]], 0.65
    cues = [h for h in s.get("REUSE") if h.text.lower() != "other products" or _IN_OTHER_PRODUCTS.search(s.text)]
    if cues and all(rx.fullmatch(r"derivative works?", h.text, re.I) for h in cues) and rx.search(
        r"\breproduce\b|\bdistribut|\bdisplay", s.text, re.I
    ):
        return None  # the standard copyright list of a content licence: adaptation, not reuse in other projects
    if cues and subject and s.has("GRANT"):
        return "reuse_other_projects", cues, s.texts("REUSE") + s.texts("PERSON_STRONG", "PERSON_WEAK"), 0.75
    return None


_NO_SUBSTANTIVE_CHANGES = re.compile(
    r"\bnot\b[^.;]{0,80}\b(?:right|licen[cs]e|permission)\b[^.;]{0,30}\b(?:to make )?(?:any )?(?:substantive|material)\s+"
    r"(?:editorial\s+)?(?:changes|alterations|modifications|edits)",
    re.I,
)


_MODERATES = re.compile(r"\b(?:remov|block|reject|refus|delet|disabl|take\s+down)\w*", re.I)
_AGAINST_RULES = re.compile(
    r"\bviolat\w*|\bbreach\w*|inappropriate|offensive|objectionable|unlawful|\bpolic(?:y|ies)\b|guidelines", re.I
)
_CHANGES_SERVICE = re.compile(
    r"\b(?:modif\w+|chang\w+|alter)\s+(?:or\s+\w+\s+)?\(?(?:to\s+(?:all\s+or\s+part\s+of\s+)?)?(?:the|our)\s+"
    r"(?:Service|Services|Site|Platform)\b|\buser\s?names?\b",
    re.I,
)


def _alteration(s: Sentence):
    subject = s.has("PERSON_STRONG", "PERSON_WEAK", "RESULTS", "REPLICA_STRONG") or (
        s.has("ROLE", "PARTY_PERSON")
        and rx.search(r"\bwords\b|dialog|\blines\b|spoken|\blip|phrases|vocals?", s.text, re.I)
    )
    # what the user does ("labels ... that you add to those photos") alters nothing of theirs
    alters = [h for h in s.get("ALTER") if not rx.search(r"\b(?:you|users?|I)\s+(?:\w+\s+)?$", s.text[: h.start - s.start])]
    if rx.search(
        r"\bas (?:may be |is )?(?:reasonably )?(?:required|necessary) (?:to|for) (?:satisfy|fulfil|fulfill|complete|process)\w* "
        r"(?:a|an|the|your|each) (?:particular )?(?:order|purchase|request)",
        s.text,
        re.I,
    ):
        return None  # "format, manipulate or otherwise modify photos as may be required to satisfy a particular order"
    alters = [
        h for h in alters
        if not rx.match(r"(?:\s+(?:and|or)\s+[\w-]+)?\s+of\s+(?:the\s+)?(?:[A-Z][\w&'’-]*\s+)*(?:marks|trademarks|logos?)\b",
                        s.text[h.end - s.start : h.end - s.start + 80], re.I)
    ]  # "manipulation and adaptation of the Playboy Marks": a brand's mark, not a performance
    alters = [h for h in alters if not _alters_other_things(s, h)]
    if _MODERATES.search(s.text) and _AGAINST_RULES.search(s.text) and not s.has("PERSON_STRONG"):
        return None  # "remove, block, or modify your Content if we believe it violates these Terms": moderation
    if _CHANGES_SERVICE.search(s.text) and not s.has("PERSON_STRONG"):
        return None  # "we may make modifications or changes (to all or part of the Service)": the service changes
    if alters and subject and not s.has("CUSTOMARY"):
        return "digital_alteration", alters, s.texts("ALTER") + s.texts("PERSON_STRONG", "PERSON_WEAK"), 0.75
    return None


# what is changed is not a performance: "may change, alter, or modify the settings or configurations on your Device",
# "edit ... all or part of the descriptions, comments and/or annotations", "a time stamp ... can be modified"
_OTHER_THINGS = r"settings?|configurations?|descriptions?|comments?|annotations?|time ?stamps?|timestamps?|metadata|tags?"
_OBJECT_AFTER = re.compile(
    r"(?:[\s,]+(?:and/or|and|or|otherwise|to)?\s*(?:[a-z-]+(?:\s+|,\s*)){0,8}?)?"
    r"(?:all or (?:any )?part of\s+)?(?:the|your|any|such)\s+(?:" + _OTHER_THINGS + r")\b",
    re.I,
)
_OBJECT_BEFORE = re.compile(r"\b(?:" + _OTHER_THINGS + r")\b[^.;]{0,50}\b(?:is|are|be|been)\s+$", re.I)


def _alters_other_things(s: Sentence, h) -> bool:
    """The word of alteration ``h`` acts on a thing that is no performance (settings, comments, a time stamp)."""
    after = s.text[h.end - s.start : h.end - s.start + 120]
    before = s.text[max(0, h.start - s.start - 80) : h.start - s.start]
    if _OBJECT_BEFORE.search(before):
        return True
    m = _OBJECT_AFTER.match(after)
    if m is None:
        return False
    # nothing of the performance named before the other thing ("modify your Content and its tags" alters content)
    return not rx.search(r"\bcontent\b|recording|performance|voice|likeness|image|photo|video|footage", m.group(0), re.I)


_SHORT_WINDOW = re.compile(
    r"(\d+|one|two|three|four|five|six|seven|ten|twelve|fourteen|fifteen|twenty|thirty)\s*\)?\s*"
    r"(?:\(\d+\)\s*)?(business\s+|working\s+|calendar\s+)?(hours?|days?|weeks?|months?)",
    re.I,
)
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
    m = _SHORT_WINDOW.search(text)
    if not m:
        return True
    n = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1).lower()]
    unit = m.group(3).lower()
    if unit.startswith("hour"):
        return n <= 96
    if unit.startswith("day"):
        return n <= 3
    return False


# the person shown beside advertising they never approved: platform terms' sponsored-content licences
_BESIDE_ADS = re.compile(
    r"\bnext to or in connection with\b[^.;]{0,80}\b(?:ads|advertisements|sponsored)\b|"
    r"\bassociat\w* you with\b[^.;]{0,40}\b(?:commercial|sponsored|advertis\w*)\b",
    re.I,
)


def _depiction(s: Sentence):
    if rx.search(r"indemnif|hold harmless|\bretains?\b", s.text, re.I):
        return None
    if rx.search(r"\bno (?:ability|obligation)\b|\bnot (?:have )?(?:any )?(?:ability|obligat)", s.text, re.I):
        return None  # "has no ability to control the Content ... no obligation to monitor it for any purpose"
    if rx.search(
        r"\b(?:may|reserves? the right|right to|discretion to)\b[^.;]{0,40}?"
        r"\b(?:review|screen|remove|take down|moderate|reject|terminate|suspend)\b",
        s.text,
        re.I,
    ) and not rx.search(
        r"\b(?:advertis|promot|endors|sponsor|commercial)", s.text, re.I
    ):
        return None  # moderation "at our sole discretion" is about taking content down, not how the person is shown
    subject = s.has("PERSON_STRONG", "REPLICA_STRONG") or (s.has("PERSON_WEAK") and s.has("ROLE", "PARTY_PERSON"))
    if subject and s.has("NO_CONSENT_NEEDED") and rx.search(r"approv", s.text, re.I) and s.has("GRANT"):
        return (
            "objectionable_depiction",
            s.get("NO_CONSENT_NEEDED"),
            s.texts("NO_CONSENT_NEEDED") + s.texts("DEPICT_ANY"),
            0.75,
        )
    if (
        (subject or s.has("ROLE", "PARTY_PERSON"))
        and s.has("WAIVE")
        and rx.search(
            r"inspect or approve|right (?:to|of) approv|approval right|right to inspect|"
            r"not subject to any (?:right of )?approval",
            s.text,
            re.I,
        )
    ):
        return "objectionable_depiction", s.get("WAIVE"), s.texts("WAIVE") + ["right to approve"], 0.8
    wide = rx.search(
        r"any and all (?:other )?purposes|any (?:other )?purpose|any (?:other )?context|sensitive subjects|"
        r"whatever (?:setting|products?|messaging|context|manner)|"
        r"\bany\b[^.;]{0,60}\bwhatsoever|not subject to any (?:right of )?approval",
        s.text,
        re.I,
    )
    if wide and subject and s.has("GRANT") and not s.has("DEPICT_ANY"):
        hit = Hit("DEPICT_ANY", s.start + wide.start(), s.start + wide.end(), wide.group(0))
        if not (
            s.has("APPROVAL") and not rx.search(r"without\s+(?:[\w'’]+\s+){0,3}approv|not subject to", s.text, re.I)
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
            if not rx.search(r"without\s+(?:[\w'’]+\s+){0,3}approv", s.text, re.I):
                return None
        return (
            "objectionable_depiction",
            s.get("DEPICT_ANY"),
            s.texts("DEPICT_ANY") + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.7,
        )
    ads = _BESIDE_ADS.search(s.text)
    if (
        ads
        and (s.has("PERSON_STRONG") or (s.has("ROLE") and rx.search(r"username|profile|\bname\b|picture|\byou\b", s.text, re.I)))
        and rx.search(r"\bpermission\b|\bmay\b|\bgrants?\b|\bauthori[sz]e|\binclude", s.text, re.I)
        and not s.has("APPROVAL")
    ):
        # "permission to show your username, profile picture ... next to or in connection with ... ads, offers, and
        # other sponsored content", "associating you with commercial, sponsored or related content"
        hit = Hit("DEPICT_ANY", s.start + ads.start(), s.start + ads.end(), ads.group(0))
        return "objectionable_depiction", [hit], [ads.group(0).lower()[:60]], 0.7
    if (
        s.has("DEEMED")
        and rx.search(r"approv", s.text, re.I)
        and deemed_window_is_short(s.text)
        and (s.person() or s.has("PERSON_WEAK", "ROLE", "PARTY_PERSON"))
    ):
        return "objectionable_depiction", s.get("DEEMED"), s.texts("DEEMED") + s.texts("APPROVAL"), 0.7
    return None


def _compensation(s: Sentence):
    if (
        s.has("NO_COMP")
        and rx.search(
            r"\b(?:all|every) (?:rights?|uses?)\b|rights granted|avatar|voice model|"
            r"narrator voice|these terms",
            s.text,
            re.I,
        )
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
    return None


_BUNDLING = re.compile(
    r"(?:consents?|agreement to|approval)\b[^.;]{0,80}\b(?:is|are|shall be)?\s*(?:given|deemed given|treated as given)\s+by\s+"
    r"(?:signing|executing|signature|acceptance|accepting)|signature on this agreement is the only consent|"
    r"rather than (?:in )?a separate (?:rider|consent|agreement)|(?:do|does|shall) not require any separate (?:consent|rider)|"
    r"approval of [^.;]{0,60} (?:shall be )?treated as [^.;]{0,30}approval of all",
    re.I,
)


def _bundled(s: Sentence):
    cue = _BUNDLING.search(s.text)
    if cue and s.has("ROLE", "PARTY_PERSON"):
        hit = Hit("CONSENT_BUNDLED", s.start + cue.start(), s.start + cue.end(), cue.group(0))
        return "consent_buried_or_bundled", [hit], [cue.group(0).lower()[:60]], 0.75
    if (
        s.has("CONSENT_BUNDLED")
        and s.has("REPLICA_STRONG", "AI", "SYNTHETIC")
        and rx.search(
            r"by (?:signing|executing|submitting|participating|accepting)|signature|deemed|execution|constitut\w* consent|"
            r"acceptance|continued participation|further consents|acknowledges that by",
            s.text,
            re.I,
        )
    ):
        return (
            "consent_buried_or_bundled",
            s.get("CONSENT_BUNDLED"),
            s.texts("CONSENT_BUNDLED") + s.texts("REPLICA_STRONG", "AI", "SYNTHETIC"),
            0.85,
        )
    return None


def _waiver(s: Sentence):
    if rx.search(r"indemnif", s.text, re.I) and rx.search(r"third[- ]party claims|claims (?:of|by|from) (?:any )?third", s.text, re.I):
        return None  # "release, indemnify, and defend Quora from all third-party claims": an indemnity, not a waiver
    if rx.search(r"indemnif|hold\s+\w*\s*harmless|defend", s.text, re.I) and not rx.search(
        r"\bwaives?\b|\breleases?\b", s.text, re.I
    ):
        return None
    # "press releases" and "news releases" release nothing
    waives = [h for h in s.get("WAIVE") if not rx.search(r"(?:press|news)\s*$", s.text[: h.start - s.start], re.I)]
    if waives and s.has("WAIVE_OBJ"):
        return "consent_conditioned_or_waived", waives, [h.text for h in waives] + s.texts("WAIVE_OBJ"), 0.85
    claims = [h for h in waives if rx.search(r"claim|sue|release|discharge", h.text, re.I)]
    if (
        claims
        and (s.has("PERSON_STRONG") or (s.has("PERSON_WEAK") and s.has("ROLE", "PARTY_PERSON", "ALTER")))
        and not rx.search(r"\bliabilit|\bnot responsible\b|\bdispute with\b", s.text, re.I)
        and rx.search(r"arising (?:out of|from)|in respect of|in connection with|relating to", s.text, re.I)
        and rx.search(r"\buse|distort|alter|composite|blur|depict|exploit", s.text, re.I)
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
        and not rx.search(r"\bsubject to (?:the )?(?:prior )?(?:written )?approval of\b", s.text, re.I)
    ):
        return (
            "consent_conditioned_or_waived",
            s.get("CONDITION"),
            s.texts("CONDITION") + s.texts("REPLICA_STRONG", "AI"),
            0.75,
        )
    return None


# the licence outlives the user's choice: "the License will continue in full force and effect for all of Your Content,
# including content the Site deletes", "will not be revoked with respect to any file ... already copied", "the licence
# will continue even after your agreement with us ends", "these Terms survive the deactivation of your account"
_CONTINUES = re.compile(
    r"\blicen[cs]e\b[^.;]{0,60}\b(?:will|shall) (?:continue|remain|survive)\b[^.;]{0,60}"
    r"\b(?:delet|remov|ends?\b|terminat|expir|after|even)|"
    r"\b(?:will|shall) not be revoked\b|"
    # the whole terms, not "the terms ... which by their nature are intended to survive" (indemnities, warranties)
    r"\b(?:these|the|all of the) terms\b(?![^.;]{0,40}\b(?:which|that)\b)[^.;]{0,60}\bsurviv\w*\b[^.;]{0,40}\b(?:deactivation|termination|deletion)\b",
    re.I,
)


# "The following sections will survive any termination ...: 5 (Your Content), 7 ...", "Sections 3, 8 and 9 will
# continue to be operative", "these Terms survive the termination of your account"
_SURVIVES = re.compile(
    r"\bsurviv(?:e|es|ing|al)\b|\b(?:continue|remain)s?\s+(?:to\s+be\s+operative|to\s+apply|in\s+(?:full\s+)?(?:force|effect))",
    re.I,
)
_NOT_SURVIVING = re.compile(r"\b(?:not|never|no longer)\s+(?:\w+\s+){0,2}(?:surviv|continue|remain)", re.I)
_WHOLE_TERMS_SURVIVE = re.compile(
    r"\b(?:these|this|the)\s+(?:User\s+)?(?:Terms|Agreement)\s+(?:of\s+\w+\s+)?(?:shall\s+|will\s+)?surviv|"
    r"\ball\s+(?:of\s+)?(?:the\s+)?(?:terms|provisions|sections)\s+of\s+(?:these|this)\s+(?:Terms|Agreement)\b",
    re.I,
)
_LICENCE_READINGS = frozenset(
    {"unbounded_term_scope", "no_revocation_or_suspension", "reuse_other_projects", "digital_alteration",
     "replica_compensation_missing"}
)
_ENDING = re.compile(r"terminat|expir|delet|deactivat|cancel", re.I)
_EXCLUDING = re.compile(r"\((?:excluding|except)[^)]*\)", re.I)
# what a survival list names when it keeps the licence in the person's material: "5 (Your Content)", "license
# rights granted by you to Zoom", "any terms regarding ownership or intellectual property rights"
_SURVIVING_LICENCE = re.compile(
    r"\b(?:your|user)\s+content\b|\blicen[cs]es?\s+(?:rights\s+)?granted\s+by\s+you|\blicen[cs]es?\s+(?:you\s+)?grant|"
    r"\bownership\s+or\s+intellectual\s+property",
    re.I,
)
# a section reference, dotted ("4.2", "10(b)") or a range ("11 - 22", "6.1 through 6.10"); not "30 days"
_SECTION_REF = re.compile(
    r"\b(\d{1,2}(?:\.\d{1,2})*)(?:\s*(?:-|–|to|through)\s*(\d{1,2}(?:\.\d{1,2})*))?\b"
    r"(?!\s*(?:days?|months?|years?|%|hours?|business))",
    re.I,
)
_TOP_NUMBER = re.compile(r"^[\s#*_]*(?:section\s+|article\s+)?(\d{1,2}(?:\.\d{1,2})*)\\?[.)]?(?:\s|\*|$)", re.I)
# a survival for a while ("until all amounts due are paid", "for two years") keeps nothing alive without limit
_BOUNDED_SURVIVAL = re.compile(r"\buntil\b|\bfor\s+(?:a\s+period\s+of\s+)?\w+\s+(?:\(\d+\)\s+)?(?:days|months|years)\b", re.I)
# "all provisions that by their nature should survive": which ones is not said
_BY_THEIR_NATURE = re.compile(r"\bby\s+(?:their|its)\s+nature\b|\bby\s+their\s+terms\b", re.I)


def _section_numbers(clause: Clause, by_id: dict[str, Clause], doc_text: str = "", order: tuple[Clause, ...] = ()) -> set[str]:
    """The numbers a clause can be cited by: its own ("4.1") and those of the sections it sits in ("4"), read
    from the number, else from a heading such as "##### **5\\. Your Content**". A clause the segmenter gave no
    parent sits in the nearest numbered clause before it that is indented less ("6.  Proprietary Rights" over
    "    1.  Myspace does not claim ...")."""
    out: set[str] = set()
    c: Clause | None = clause
    while c is not None:
        for text in (c.number or "", c.heading or "", c.text[:40]):
            m = _TOP_NUMBER.match(text)
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
    for m in _SECTION_REF.finditer(text):
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
            found = _SURVIVES.search(text)
            if (
                not found
                or _NOT_SURVIVING.search(text)
                or HEADING.match(text)
                or not _ENDING.search(text)
                or _BOUNDED_SURVIVAL.search(text)
            ):
                continue
            listed = _EXCLUDING.sub(" ", text)
            why = ""
            if _SURVIVING_LICENCE.search(listed):
                why = "the licence survives"
            elif _WHOLE_TERMS_SURVIVE.search(listed) and not _BY_THEIR_NATURE.search(listed):
                why = "the whole terms survive"
            elif rx.search(r"\bsections?\b|:", listed, re.I) and _cited(sections, _refs(listed)):
                why = "the section holding the licence survives"
            if why:
                out += [
                    ClauseHit(clause.id, gap, 0.7, s0, s1, (found.group(0).lower(),), why)
                    for gap in ("no_revocation_or_suspension", "unbounded_term_scope")
                ]
                break
    return out


def _continuing(s: Sentence):
    """The words by which a licence outlives deletion or the agreement (a match of :data:`_CONTINUES`), or None;
    a licence that continues only in the cases listed next ("... will continue after you have removed your content
    if:") does not count."""
    cont = _CONTINUES.search(s.text)
    if cont and rx.search(r"\b(?:if|only|where)\b[^.;]{0,20}:?\s*$", s.text[cont.end() :]):
        return None
    return cont


def _irrevocable(s: Sentence):
    subject = s.person() or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG", "ROLE", "PARTY_PERSON")
    cont = _continuing(s)
    if cont and not rx.search(r"\b(?:not|no)\b[^.;]{0,20}\b(?:continue|survive)", s.text, re.I) and (
        subject or rx.search(r"\bterms\b", cont.group(0), re.I)
    ):
        hit = Hit("IRREVOCABLE", s.start + cont.start(), s.start + cont.end(), cont.group(0))
        return "no_revocation_or_suspension", [hit], [cont.group(0).lower()[:60]], 0.7
    if (
        s.has("IRREVOCABLE")
        and subject
        and (s.has("GRANT") or rx.search(r"consent|licen[cs]e|permission|release", s.text, re.I))
    ):
        return (
            "no_revocation_or_suspension",
            s.get("IRREVOCABLE"),
            s.texts("IRREVOCABLE") + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.85,
        )
    if (
        s.has("SURVIVE")
        and not rx.search(r"\b(?:not|no) guarantee", s.text, re.I)  # "does not guarantee ... available after"
        and s.has("PERSON_STRONG", "REPLICA_STRONG", "PERSON_WEAK")
        and rx.search(r"licen[cs]e|consent|right|use", s.text, re.I)
        and not rx.search(r"\b(?:for a period of|days|months)\b|surviv\w*\s+(?:\w+\s+){0,3}death", s.text, re.I)
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


_PERSON_ASSIGNS = re.compile(
    r"\b(?:" + alternation(ASSIGNING_ROLES) + r"|i|you|he|she)\s+(?:may|shall have the right to|can|hereby|irrevocably|hereby irrevocably)\s+(?:not\s+)?"
    r"(?:assigns?|transfers?)",
    re.I,
)


_PERSONS_RIGHTS = re.compile(r"(?:" + alternation(RIGHT_HOLDER_ROLES) + r")['’]s rights", re.I)


# the company's own free assignment of its rights (and with them the licence): "We may assign or transfer our
# rights ... to any affiliate", "may be assigned by us without restriction", "can be transferred by TikTok",
# "Myspace may assign its rights ... to any party", "Our rights and obligations can be assigned to others"
_COMPANY_FREE_ASSIGN = re.compile(
    r"\b(?i:we\s+may\s+(?:freely\s+)?(?:transfer|assign))\b|"
    r"\b(?:may|can)\s+be\s+(?:freely\s+)?(?:assigned|transferred)(?:\s+(?:or|and)\s+(?:assigned|transferred))?\s+"
    r"(?:by\s+(?:us\b|(?!you\b)[A-Z][\w&.-]+)|to\s+others\b)|"
    r"\b[A-Z][\w&.-]+\s+may\s+(?:freely\s+)?assign\s+(?:its|all\s+of\s+its|any\s+of\s+its)\s+rights|"
    r"\b(?i:our\s+rights(?:\s+and\s+obligations)?\s+(?:under\s+[^.;]{0,40}?)?(?:may|can)\s+be\s+(?:freely\s+)?"
    r"(?:assigned|transferred))"
)
_ONLY_WITH_CONSENT = re.compile(
    r"\b(?:only\s+)?with\s+(?:your|the\s+(?:other\s+party|user|member)['’]?s?)\s+(?:prior\s+)?(?:written\s+)?consent|"
    r"\bmay\s+not\s+be\s+(?:assigned|transferred)\s+by\s+us",
    re.I,
)


def _assignment(s: Sentence):
    if rx.search(r"\bretains?\b|\breserves?\b", s.text, re.I):  # what the person keeps is not a grant
        return None
    free = _COMPANY_FREE_ASSIGN.search(s.text)
    if free and not s.has("BOTH_PARTIES") and not _ONLY_WITH_CONSENT.search(s.text[free.start() :]):
        hit = Hit("ASSIGN", s.start + free.start(), s.start + free.end(), free.group(0))
        return "assignment_sublicensing", [hit], [free.group(0).lower()[:60]], 0.7
    share = rx.search(
        r"\bshar\w*\b[^.;]{0,80}\bwith\b[^.;]{0,40}\b(?:third part|researchers|partners|affiliates|others|"
        r"any person|licensees|the public)",
        s.text,
        re.I,
    )
    if share and rx.search(r"\b(?:you|users?|I)\s+(?:\w+\s+){0,2}$", s.text[: share.start()], re.I):
        share = None  # "if you already shared your content with others": the person's own act, not a transfer
    if share and (
        s.has("PERSON_STRONG", "PERSON_WEAK") or rx.search(r"recording|material|video|footage", s.text, re.I)
    ):
        hit = Hit("ASSIGN", s.start + share.start(), s.start + share.end(), share.group(0))
        return "assignment_sublicensing", [hit], [share.group(0).lower()[:60]], 0.6
    others = rx.search(
        r"\b(?:permit|authori[sz]e|allow|enable)\s+(?:its\s+|their\s+)?(?:[\w-]+,?\s+(?:and\s+|or\s+)?){0,4}?"
        r"(?:agencies|partners|retailers|licensees|affiliates|others|third parties|sponsors|distributors|clients)\s+to\s+use|"
        r"licen[cs](?:e|es|ed|ing)?\b[^.;]{0,40}?\bto\s+(?:others|third parties|any third party|affiliated|other\s|"
        r"its affiliates|any person)",
        s.text,
        re.I,
    )
    if others and (s.has("PERSON_STRONG", "PERSON_WEAK", "REPLICA_STRONG")):
        hit = Hit("ASSIGN", s.start + others.start(), s.start + others.end(), others.group(0))
        return (
            "assignment_sublicensing",
            [hit],
            [others.group(0).lower()[:60]] + s.texts("PERSON_STRONG", "REPLICA_STRONG"),
            0.75,
        )
    if not s.has("ASSIGN") or s.has("BOTH_PARTIES") or _PERSON_ASSIGNS.search(s.text):
        return None
    if s.has("BINDING") and not rx.search(r"sub-?licen", s.text, re.I):
        return None
    sub = [h for h in s.get("ASSIGN", "ASSIGN_STRONG") if rx.match(r"sub-?licen", h.text, re.I)]
    subject = (
        s.person()
        or s.has("PERSON_WEAK", "RESULTS", "REPLICA_STRONG")
        or rx.search(r"\brights?\b|\bthis agreement\b", s.text, re.I)
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
    passive = rx.search(
        r"\bmay be (?:freely )?(?:assigned|transferred|sublicensed|sub-licensed|licensed)\b[^.;]{0,20}\bto\b",
        s.text,
        re.I,
    )
    if (
        passive
        and (s.has("PERSON_STRONG", "PERSON_WEAK", "REPLICA_STRONG", "RESULTS"))
        and not s.has("SEPARATE_CONSENT")
    ):
        hit = Hit("ASSIGN", s.start + passive.start(), s.start + passive.end(), passive.group(0))
        return "assignment_sublicensing", [hit], [passive.group(0).lower()], 0.7
    if rx.search(
        r"\bonly to\b|\bonly with\b|\bassumes?\b[^.;]{0,60}\bobligations|agrees? in writing to (?:assume|be bound)",
        s.text,
        re.I,
    ):
        return None  # a restricted assignment is the protection, not the gap
    if s.has("COMPANY_MAY") and rx.search(r"\bassign|\btransfer", s.text, re.I):
        verbs = [h for h in s.get("ASSIGN") if rx.match(r"assign|transfer", h.text, re.I)]
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
        if (h.text.lower() != "assigns" or rx.search(r"(?:successors|licensees|heirs|designees|and|or|its|their|permitted),?\s*$",
                                                      s.text[max(0, h.start - s.start - 25) : h.start - s.start], re.I))
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
    persons_rights = _PERSONS_RIGHTS.search(s.text)
    if (
        third
        and s.has("GRANT")
        and (s.person(strong_only=True) or s.has("PERSON_WEAK") or persons_rights)
        and rx.search(r"\bgrant|\bpermi|\bauthori|\blicen[cs](?:e|es|ed|ing)\b|\bsub-?licen|\bassign", s.text, re.I)
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
        and not re.match(r"\s+(?:or|and)\s+(?:personal|bodily)\s+injur", s.text[h.end - s.start :], re.I)
        and not re.search(r"\binjur(?:y|ies)\s+(?:or|and|including)\s+$", s.text[: h.start - s.start], re.I)
    ]
    if not deaths:
        return None
    continues = (
        s.has("SURVIVE", "PERPETUAL", "HEIRS")
        or rx.search(r"\bcontinu|\bremain|\bnot terminate|\bafter\b|\bfollowing\b|\bthereafter\b", s.text, re.I)
        or (
            rx.search(
                r"\b(?:should|if|upon|in the event of)\b[^.;]{0,40}\b(?:die|dies|death|deceased|passing)", s.text, re.I
            )
            and rx.search(r"\bmay\b[^.;]{0,30}\b(?:use|complete|exploit|finish|continue)", s.text, re.I)
        )
    )
    if continues and (s.has("PERSON_STRONG", "PERSON_WEAK", "REPLICA_STRONG", "RESULTS") or s.has("GRANT")):
        if rx.search(r"\bterminat", s.text, re.I) and not rx.search(
            r"\bcontinu|\bsurviv|\bnot terminate|\bremain", s.text, re.I
        ):
            return None
        return (
            "post_mortem_use",
            deaths,
            [h.text.lower() for h in deaths][:2] + s.texts("PERSON_STRONG", "PERSON_WEAK"),
            0.85,
        )
    return None


_NEW_PERFORMERS = re.compile(
    r"derive[sd]? new (?:\w+ )?voices?|new (?:\w+ )?voices?\b|voices? for other|other characters|stock avatars?|"
    r"virtual (?:brand )?ambassador|(?:given|under) a different name|voice[- ]conversion",
    re.I,
)


# the company may make or use something: "may create", "the right to use", "hereby grants ... to produce"; a content
# policy's "whether real or generated using artificial intelligence" or "any video that may offend" grants nothing
_MAY_MAKE = re.compile(
    r"\b(?:may|right to|hereby|grants?|authori[sz]\w*|permit\w*|licen[cs]e\w*|consents? to|agrees? that|will|shall)\s+"
    r"(?:\w+\s+){0,3}(?:use|create|make|produce|generate|develop|exploit|build|employ|substitute|replace|"
    r"synthesi[sz]e|simulate|train)\b|"
    # an item of a granted list ("licence to: ... (b) use any Voice Model and Synthetic Output for any purpose");
    # items under a prohibiting lead-in never reach the rules (prohibited_list_item)
    r"^\W*(?:\(?[a-z0-9]{1,3}[.)]\s*)?(?:use|create|make|produce|generate|develop|exploit|synthesi[sz]e)\b",
    re.I,
)


def _synthetic(s: Sentence):
    novel = _NEW_PERFORMERS.search(s.text)
    if (
        novel
        and (
            s.has("REPLICA_STRONG", "AI", "SYNTHETIC", "DERIVED")
            or rx.search(r"derive|inspired|patterned|modell?ed", s.text, re.I)
        )
        and _PERMITS.search(s.text)
    ):
        hit = Hit("SYNTHETIC", s.start + novel.start(), s.start + novel.end(), novel.group(0))
        return "synthetic_substitution", [hit], [novel.group(0).lower()], 0.7
    person = s.has("ROLE", "PARTY_PERSON", "PERSON_STRONG", "PERSON_WEAK", "DERIVED")
    if s.has("SYNTHETIC") and person and _MAY_MAKE.search(s.text):
        return "synthetic_substitution", s.get("SYNTHETIC"), s.texts("SYNTHETIC") + s.texts("DERIVED"), 0.85
    if (
        s.has("SYNTHETIC_WEAK")
        and s.has("AI", "REPLICA_STRONG")
        and s.has("PERSON_STRONG", "ROLE", "PARTY_PERSON")
        and rx.search(r"\bsubstitut|\breplac|\bin lieu|\binstead of", s.text, re.I)
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
        and rx.search(
            r"characters?\b|performers?\b|vocalists?\b|presenters?\b|personas?\b|humans?\b|influencers?\b|spokes|"
            r"synthetic voices?|new voices?",
            s.text,
            re.I,
        )
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


prefilter_module(globals())  # each pattern above skips a text lacking every word it needs (castguard.prefilter)
