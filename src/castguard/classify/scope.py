"""Is this document in scope: does it engage or license a natural person's performance, name, likeness or voice?

Decided after the document type and before any finding (taxonomy v1.1):

- a contract, release or consent is in scope when a sentence GRANTS (licenses, permits, consents to) the use of
  a personal attribute — likeness, voice, biography, autograph; or a name, photograph, image or recording with
  the person it belongs to — of a natural person: a party who is an individual, a role such as Talent or
  Athlete, a named individual ("Theismann's name"), or the first person of a release ("my image");
- terms of service are in scope when the people who accept them put their own performances, recordings, voice,
  image or likeness in and license them to the service; a general AI tool's or a software service's terms that
  license prompts, code or documents are not.

Sentences that cannot carry a grant never decide it (taxonomy v1.1): recitals ("WHEREAS ... likeness has
commercial value"), definitions, representations and warranties, duties to police "imitations by others",
prohibitions ("no rights to members' names or likenesses are granted"), and a company's trade names and logos.

The reason names the person and the grant in words a reader understands: "licenses Theismann's name, likeness
and voice".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Clause, Document
from ..prefilter import prefilter_module
from ..vocabulary import COMPANY_WORDS, alternation, owner_roles_pattern
from .concepts import DEFINITION_END, Concepts
from .sentences import Sentence
from .sentences import sentences_of as _sentences

__all__ = ["STRONG", "ScopeDecision", "decide_scope"]


@dataclass(frozen=True)
class ScopeDecision:
    in_scope: bool
    reason: str
    evidence: tuple[int, int] | None = None  # the sentence that decided it


STRONG = re.compile(
    r"likeness|voice|vocal|persona\b|autograph|biograph|biometric|facial|face\b|voiceprint|faceprint|mannerism|"
    r"physical (?:characteristics|features)|indicia|identifying characteristics|caricature|visage|timbre",
    re.I,
)
_WEAK = re.compile(
    r"^(?:names?|nicknames?|images?|photo(?:graph)?s?|pictures?|portraits?|signatures?|performances?|"
    r"recordings?|footage|videos?|audio recordings|video recordings)$",
    re.I,
)
# sentences that never grant anything, whatever words they contain
_NO_GRANT = re.compile(
    r"^\W*(?:witnesseth\W*)?(?:whereas|recitals?)\b|\bhas (?:obtained|or will obtain)\b|\bwill obtain\b|"
    r"\b(?:obtain|obtained|secure|secured|procure|procured) all (?:rights|releases|consents|clearances)\b|\brepresents?(?:,)? (?:and|&) warrants?\b|\bwarrants? (?:and represents )?that\b|"
    r"\bimitations?\b|\bcounterfeit|\binfring|\bindemnif|\bhold harmless\b|\bpassing off\b",
    re.I,
)
_GRANT_VERB = re.compile(
    r"\bgrants?\b|\bgranted\b|\blicen[cs]es?\b|\blicen[cs]ed\b|\bhereby\b|\bright to (?:use|reproduce|publish|exploit|"
    r"display|broadcast|record|photograph)|\bpermission\b|\bpermits?\b|\bauthori[sz]e|\bconsents? to\b|"
    r"\b(?:may|shall|will) (?:be (?:entitled|permitted) to )?(?:use|utili[sz]e|exploit|reproduce|publish)\b|"
    r"\bmak(?:e|es|ing) available\b|\b(?:will|may) be used\b|\bassigns?\b|\bgives? (?:all )?(?:consents?|permission)\b|\bgives? (?:\w+ ){0,2}the right to\b|\b(?:may|shall|will) (?:make|take) (?:\w+,? ){0,4}(?:recordings|pictures|photographs|"
    r"videos?|footage)\b|\bconsent to having\b|\bapprove of\b[^.;]{0,40}\bbeing used\b|\ballow\w*\b[^.;]{0,80}\bto be used\b|\ballow\w* [^.;]{0,60}\bto use\b",
    re.I,
)
_MARKS = re.compile(r"trade ?marks?|service marks?|trade ?names?|\blogos?\b|\bmarks\b|domain names?|trade dress", re.I)
_ROLE_OWNER = re.compile(r"\b(?:" + owner_roles_pattern() + r")\b", re.I)
_PRONOUN_OWNER = re.compile(r"\b(?:his|her|his or her|her or his|my|me|I)\b")
_NOT_THE_GRANT = re.compile(r"\bcease|\bterminat|\bexpir|\bretains?\b|\breserve", re.I)
_YOU_OWNER = re.compile(r"\b(?:your|you|yourself)\b|\bof (?:the participant|this (?:study|session|interview))\b", re.I)
# the operative part starts here; sentences before it are recitals ("Berkshire desires to obtain the right to use ...")
_OPERATIVE = re.compile(
    r"now,? therefore|agree[sd]? as follows|hereby agree|in consideration of the (?:mutual )?(?:promises|covenants)", re.I
)
_NAMED_OWNER = re.compile(
    r"\b(?:[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-zA-Z'’\-]+['’]s\b|"
    # "Dr. Murray's name", "the Dr. C. Everett Koop name": a title makes one word (or no possessive) enough
    r"(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+(?:[A-Z]\.\s+)?(?:[A-Z][a-z]+\s+)?[A-Z][a-zA-Z'’\-]+(?:['’]s\b|(?=\s+(?:name|likeness|image|voice)\b)))"
)
# a prohibition is not a grant: "nothing herein grants ... any right to use", "shall not use ... name"
_PROHIBITS = re.compile(
    r"\bnothing (?:herein|in this)\b|\bno (?:rights?|licen[cs]es?)\b[^.;]{0,80}\b(?:grant|confer|give)|"
    r"\b(?:shall|will|may|does|do) not\b[^.;]{0,60}\b(?:use|grant|licen[cs]e)\b|\bis not granted\b|\bare not granted\b",
    re.I,
)
_UNLESS_APPROVED = re.compile(
    r"\b(?:unless|without|except (?:with|upon|as))\b[^.;]{0,80}\b(?:consent|approv\w*|permission|written acknowledgement)", re.I
)
_COMPANY_WORD = re.compile(r"\b(?:" + alternation(COMPANY_WORDS) + r")\b", re.I)

# terms of service: the users' own material
_OWN_MEDIA = re.compile(
    r"\b(?:photos?|photographs?|videos?|audio|sound recordings?|recordings?|music|songs?|tracks?|livestreams?|"
    r"live ?streams?|podcasts?|voice|likeness|images?|streams?|streaming|broadcasts?|performances?|"
    r"selfies?|avatars?|3D (?:scans?|models?))\b",
    re.I,
)
_USER_CONTENT = re.compile(
    r"\b(?:your|user|member|creator|customer)\s+(?:content|submissions?|uploads?|materials?|posts?|videos?|photos?|music|"
    r"recordings?|voice|likeness|name)\b|\bcontent (?:that )?you\b|\b(?:name|likeness|voice|image)s?,? (?:and |or )?"
    r"(?:your )?(?:likeness|voice|image|profile picture)\b",
    re.I,
)
_OWN_PERSON_GRANT = re.compile(
    r"\byour (?:name,?\s+(?:and |or )?(?:image|likeness|voice|profile picture)|likeness|voice|image and likeness)\b|"
    r"\bname,? (?:image,? )?(?:voice,? )?(?:and |or )?likeness\b|"
    # "the right to use your name and trademarks", "to use the name that you provide" (a developer's "name, logo"
    # is a company's mark); "uploading it to create a Sora cameo" (a cameo is a user's digital likeness)
    r"\bto use (?:your name|the name (?:that )?you provide)\b(?![^.;]{0,12}\blogo)|\bcameos?\b",
    re.I,
)
# the users' content is defined to hold their recordings: "input (e.g., text, audio, images, video ...)"
_CONTENT_HOLDS_RECORDINGS = re.compile(
    r"\b(?:input|content)s?\b[^.]{0,40}\((?:e\.g\.|i\.e\.|including|such as)[^)]{0,150}\b(?:audio|voice|videos?)\b", re.I
)


_TITLED = r"\b(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+(?:[A-Z]\.\s+)?(?:[A-Z][a-z]+\s+)?[A-Z][a-zA-Z'’\-]+"


def _owner(s: Sentence, attr_start: int, second_person: bool = False) -> tuple[int, str] | None:
    """Whose attribute this is, and how sure: a party who is an individual (3), a named person (3), a role (2),
    a personal pronoun (1)."""
    rel = attr_start - s.start
    window = s.text[max(0, rel - 80) : rel + 80]
    parties = sorted(s.get("PARTY_PERSON"), key=lambda h: abs(h.start - attr_start))  # "Theismann hereby grants ..."
    if parties:
        return 3, re.sub(r"['’]s$", "", parties[0].text)
    m = _NAMED_OWNER.search(window)
    if m and not _COMPANY_WORD.search(m.group(0)):
        return 3, re.sub(r"['’]s(?:\s+\w+)?$", "", m.group(0)).strip()
    # "the name and/or likeness of Dr. C. Everett Koop"
    m = re.match(r"[\w/]*(?:,?\s+(?:and/or|and|or)\s+[\w/]+){0,3}\s+of\s+(" + _TITLED + r")", s.text[rel : rel + 90])
    if m and not _COMPANY_WORD.search(m.group(1)):
        return 3, m.group(1)
    m = _ROLE_OWNER.search(window)
    if m:
        return 2, m.group(0)
    if second_person and _YOU_OWNER.search(window):
        return 2, "the signer"
    m = _PRONOUN_OWNER.search(window)
    if m and second_person and m.group(0).lower() in {"my", "me", "i"}:
        return 2, "the signer"  # "I give permission to share any videos where I am recorded"
    if m:
        return 1, "the person" if m.group(0).lower() not in {"my", "me", "i"} else "the signer"
    return None


def _definition_owner(text: str, term: str) -> tuple[int, str] | None:
    """Whose likeness a defined term carries, read from its definition: "Licensed Intellectual Property" means
    ... the name, image, and likeness of the T&B Personality -> (2, "T&B Personality")."""
    d = re.search(r"[\"“]" + re.escape(term) + r"[\"”]\s+(?:shall\s+)?(?:means?|includes?|refers?\s+to)\b", text)
    if not d:
        return None
    body = text[d.end() : d.end() + 1200]
    end = DEFINITION_END.search(body)
    body = body[: end.start()] if end else body[:400]
    for a in STRONG.finditer(body):
        after = body[a.end() : a.end() + 80]
        m = re.match(r"[^.;]{0,40}?\bof\s+(?:the\s+)?((?:[A-Z][\w&.'’-]*\s+){0,3}?" + r"(?:" + _ROLE_OWNER.pattern + r")|"
                     r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z'’-]+)+)", after, re.I)
        if m and not _COMPANY_WORD.search(m.group(1)):
            return (2 if _ROLE_OWNER.search(m.group(1)) else 3), m.group(1).strip()
        before = body[max(0, a.start() - 80) : a.start()]
        n = _NAMED_OWNER.search(before)
        if n and not _COMPANY_WORD.search(n.group(0)):
            return 3, re.sub(r"['’]s(?:\s+\w+)?$", "", n.group(0)).strip()
    return None


def _tightly_owned(s: Sentence, h) -> bool:
    """A name, photograph or recording that plainly belongs to the person: "Talent's name", "name of Talent",
    "his photograph", "photographs of the Artist", "your image"."""
    a, b = h.start - s.start, h.end - s.start
    before, after = s.text[max(0, a - 50) : a], s.text[b : b + 50]
    who = r"(?:{}|[A-Z][a-z]+(?:\s+[A-Z][a-zA-Z'’\-]+)?)".format(_ROLE_OWNER.pattern)
    if re.search(who + r"['’]s?\s+(?:[\w-]+,?\s+(?:and\s+|or\s+)?){0,6}$", before) and not _COMPANY_WORD.search(before[-40:]):
        return True
    if re.search(r"\b(?:his|her|their|your|my)\s+(?:[\w-]+,?\s+(?:and\s+|or\s+)?){0,6}$", before, re.I):
        return True
    if re.match(r"(?:,?\s*(?:and|or)?\s*[\w-]+){0,6}?\s*of\s+(?:you|yourself|the participant|this (?:study|session|interview))\b", after):
        return True
    if re.match(r"\s*(?:where|in which|that)\s+(?:I|you|he|she|he/she)\b[^.;]{0,20}\b(?:recorded|filmed|photographed|shown|featured|depicted|appear)", after):
        return True
    m = re.match(r"(?:,?\s*(?:and|or)?\s*[\w-]+){0,6}?\s*(?:of|by|featuring)\s+(?:the\s+|each\s+|any\s+)?(" + who + ")", after)
    return m is not None and not _COMPANY_WORD.search(m.group(1))


_NOT_A_FIRST_NAME = {
    "The", "This", "That", "Each", "Such", "Said", "Any", "A", "An", "No", "If", "All", "Every", "Where", "When",
    "Mr", "Ms", "Mrs", "Dr", "Coach", "Player", "Talent", "By", "To", "For", "Of", "And", "Or", "With", "From",
}
_PERSON_NAME = re.compile(
    r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?(?:[ \t]+[A-Z][a-zA-Z'’\-]+){1,2}|[A-Z]{2,}(?:[ \t]+[A-Z]\.)?(?:[ \t]+[A-Z]{2,}){1,2})\b"
)
_ADDRESS_WORD = re.compile(
    r"\b(?:street|st|road|rd|avenue|ave|drive|dr|circle|lane|ln|boulevard|blvd|way|court|ct|place|suite|floor|"
    r"parkway|highway|square|plaza|terrace|trail|box|hill|yard|flat|unit|row|green|close|gardens|park|mews|crescent)\b\.?",
    re.I,
)


def _named(text: str, who: str) -> str:
    """The person behind a defined name, in full: "Theismann" -> "Joseph Theismann"; a role defined as a
    person's name reads as both: Dana R. Whitcombe (“Performer”). Never an address or a company."""
    # "The term "T&B Personality" shall mean Tarek El Moussa."
    d = re.search(
        r"[\"“]" + re.escape(who) + r"[\"”]\s+(?:shall\s+)?means?\s+((?:(?:Dr|Mr|Mrs|Ms)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)?"
        r"(?:\s+[A-Z][a-zA-Z'’\-]+){1,3})\s*[.;,]",
        text[:60000],
    )
    if d and not _COMPANY_WORD.search(d.group(1)) and not _ADDRESS_WORD.search(d.group(1)):
        return f"{d.group(1)} (“{who}”)"
    if not re.fullmatch(r"[A-Z][a-z]+", who) or who in {"You", "Your"}:
        return who
    head = text[:20000]
    if not _ROLE_OWNER.fullmatch(who):
        for full in re.finditer(r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?)\s+" + re.escape(who) + r"\b", head):
            first = full.group(1).split()[0]
            if first in _NOT_A_FIRST_NAME or _ADDRESS_WORD.search(full.group(0)) or _COMPANY_WORD.search(first):
                continue
            return f"{full.group(1)} {who}"
    # the party block that ends in ("Performer"): its first line that reads as a person's name
    for d in re.finditer(r"\(\s*(?:the\s+|hereinafter\s+)?(?:\w+\s+){0,3}[\"“]" + re.escape(who) + r"[\"”]", head):
        block = head[max(0, d.start() - 300) : d.start()]
        block = re.split(r"[\"”]\)|\n\s*and\s*\n|\band\b\s*$", block)[-1]
        for line in block.splitlines():
            # "(2) OWEN TREMLETT of:" keeps the name; "Flat 3, 19 Carrow Hill" loses the address after its number
            line = re.split(r"\d", re.sub(r"^\W*\(?\d+\)?[.)]?\s*", "", line))[0]
            for m in _PERSON_NAME.finditer(line):
                name = m.group(1)
                if name.isupper():
                    name = " ".join(w.capitalize() if len(w) > 2 else w for w in name.split())
                if (
                    name.split()[0] in _NOT_A_FIRST_NAME
                    or _COMPANY_WORD.search(name)
                    or _ADDRESS_WORD.search(name)
                    or re.search(r"\b(?:Attn|Partners|Agency|Management|Talent|Studios?|Pictures|Productions|Records)\b", name)
                ):
                    continue
                return f"{name} (“{who}”)"
        break
    return who


def _attrs_text(hits) -> str:
    # a defined term keeps its capitals and quotation marks: licenses Auriemma’s “Auriemma Identification”
    names = list(dict.fromkeys((f"“{h.text}”" if h.defined else h.text.lower()) for h in hits))[:4]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _possessive(who: str) -> str:
    if who in {"the person", "the signer"}:
        return f"{who}'s"
    return f"{who}’s" if not who.endswith("s") else f"{who}’"


def decide_scope(
    doc: Document, clauses: tuple[Clause, ...], concepts: Concepts, document_type: str = "contract"
) -> ScopeDecision:
    if document_type == "terms_of_service":
        return _decide_terms(doc, clauses, concepts)
    best: tuple[int, tuple[int, int], str] | None = None
    operative = _OPERATIVE.search(doc.text, 0, min(6000, max(2000, len(doc.text) // 6)))
    recitals_end = operative.start() if operative else 0
    # a release or a participant agreement speaks to the person: "your image", "recordings of this study"
    second_person = document_type == "release_or_consent" or bool(
        re.search(r"\b(?:participant|the undersigned)\b", doc.text[:5000], re.I)
    )
    for _clause, s in _sentences(doc, clauses, concepts):
        if s.end <= recitals_end:
            continue
        if s.is_definition or _NO_GRANT.search(s.text) or not _GRANT_VERB.search(s.text):
            continue
        strong = [h for h in s.get("PERSON_STRONG") if (h.defined or STRONG.search(h.text))]
        strong = [h for h in strong if not re.search(r"voice (?:mail|over ip|processing|recognition|service)", s.text[h.start - s.start : h.end - s.start + 20], re.I)]
        weak = [h for h in s.get("PERSON_WEAK") if _WEAK.match(h.text)]
        if not strong and not weak:
            continue
        conditional = False
        if _PROHIBITS.search(s.text):
            # "shall not use Dr. Murray's name or likeness unless specifically approved by Dr. Murray": a use
            # conditioned on approval is a grant that needs a consent; "no rights ... are granted" is not
            if not (strong and _UNLESS_APPROVED.search(s.text)):
                continue
            conditional = True
        attrs = strong or weak
        owner = max((o for h in attrs if (o := _owner(s, h.start, second_person))), default=None)
        if not strong and _MARKS.search(s.text) and not (owner and owner[0] == 3 and _NAMED_OWNER.search(s.text)):
            continue  # a company's name and logo (beside them, "the Dr. C. Everett Koop name" is a person's)
        if owner is None:  # "grants ... the Licensed Intellectual Property", defined as the likeness of a person
            owned = [(o, h) for h in strong if h.defined and (o := _definition_owner(doc.text, h.text))]
            defined = [h for _, h in owned]
            owner = max((o for o, _ in owned), default=None)
            if owner is not None:
                strong, weak, attrs = defined, [], defined
        if owner is None:
            continue
        # "the Dr. C. Everett Koop name": a titled person's name right before it
        titled = any(re.search(_TITLED + r"\s+$", s.text[max(0, h.start - s.start - 60) : h.start - s.start]) for h in weak)
        if not strong and not titled and not any(_tightly_owned(s, h) for h in weak):
            continue  # "in the name of the Company": a role nearby does not make the name theirs
        kinds = {re.sub(r"s$", "", h.text.lower()) for h in weak}
        if not strong and not titled and kinds <= {"signature", "name"}:
            continue  # "my signature below", "name (please print)": a signature block, not a licence
        if not strong and not titled and (owner[0] < 2 or (len(kinds) < 2 and not s.has("PARTY_PERSON") and owner[0] != 2)):
            continue  # "World Book's name" alone is a company's name
        score = owner[0] * 2 + 2 * len(strong) + len(weak) + (2 if re.search(r"\bgrants?\b|\blicen[cs]e|\bhereby", s.text, re.I) else 0)
        if conditional:
            score -= 1
        if _NOT_THE_GRANT.search(s.text):
            score -= 3  # the end of a licence or a reservation proves the grant, but is not the sentence to show
        if best is None or score > best[0]:
            what = _attrs_text(strong + weak)
            verb = "licenses" if document_type == "contract" else "gives consent to use"
            who = _named(doc.text, owner[1])
            whose = f"the {what} of {who}" if "(" in who else f"{_possessive(who)} {what}"
            best = (score, (s.start, s.end), f"{verb} {whose}")
    if best and best[0] >= (5 if second_person else 6):
        return ScopeDecision(True, best[2], best[1])
    if document_type == "contract":
        decided = _models_photographed(doc, clauses, concepts, recitals_end) or _endorser_without_grant(doc)
        if decided:
            return decided
    return ScopeDecision(
        False,
        "no clause grants the use of a natural person's name, likeness, voice or performance"
        + (" (a company's names and marks, recitals and warranties do not count)" if best is None else ""),
    )


# a contract that has models photographed for it and obtains their releases: the photographs are of people
_MODELS_ENGAGED = re.compile(
    r"\bmodels?\b[^.;]{0,80}\b(?:depicted|photographed)\b|\bmodel (?:and photographer )?releases?\b|"
    r"\bpayments? to models\b",
    re.I,
)
_PHOTOGRAPHS = re.compile(r"\b(?:photo(?:graph)?s|pictures|images|footage)\b", re.I)


def _models_photographed(doc: Document, clauses, concepts: Concepts, recitals_end: int) -> ScopeDecision | None:
    """"EFS shall secure model and photographer releases ... Client hereby grants to EFS a ... perpetual right and
    license to use such photographs": the models are the people whose likeness the photographs carry, though the
    grant names no one."""
    engaged = _MODELS_ENGAGED.search(doc.text)
    if not engaged:
        return None
    for _clause, s in _sentences(doc, clauses, concepts):
        if s.end <= recitals_end or not engaged.start() - 200 <= s.start <= engaged.end() + 3000:
            continue
        if s.is_definition or _NO_GRANT.search(s.text) or _PROHIBITS.search(s.text) or _NOT_THE_GRANT.search(s.text):
            continue
        if _PHOTOGRAPHS.search(s.text) and re.search(r"\bgrants?\b|\blicen[cs]e\b|\bhereby\b", s.text, re.I):
            return ScopeDecision(
                True, "licenses photographs of the models it has photographed (it obtains their model releases)",
                (s.start, s.end),
            )
    return None


_ENDORSER = re.compile(r"\b[Tt]he (Professional|Athlete|Golfer|Endorser|Celebrity|Personality|Spokesperson)\b")


def _endorser_without_grant(doc: Document) -> ScopeDecision | None:
    """An endorsement agreement with an individual professional whose filed text lacks the grant itself (a signature
    page and an exhibit): an endorsement lends the endorser's name and likeness, so it is in scope, and the reason
    says the grant is not in the text."""
    if not re.search(r"\bendorsement agreement\b", doc.text, re.I):
        return None
    party = re.search(r"\b([A-Z][A-Za-z.'’-]+(?:[ \t]+[A-Z][A-Za-z.'’-]+){1,3}),\s+an individual\b", doc.text)
    role = _ENDORSER.search(doc.text)
    if not party or not role or _COMPANY_WORD.search(party.group(1)) or _ADDRESS_WORD.search(party.group(1)):
        return None
    name = party.group(1)
    if name.isupper():
        name = " ".join(w.capitalize() for w in name.split())
    return ScopeDecision(
        True,
        f"an endorsement agreement with {name}, an individual (“{role.group(0)[4:]}”): an endorsement lends the "
        "endorser's name and likeness, though the grant itself is not in this text",
        (party.start(), party.end()),
    )


def _decide_terms(doc: Document, clauses: tuple[Clause, ...], concepts: Concepts) -> ScopeDecision:
    """Platform terms: in scope when users put their own recordings, photos, voice or likeness in and license them.

    Two counts tell a video, music or photo platform from a general AI tool: sentences about users and their
    media (photos, videos, music, voice ...) and sentences about prompts, inputs and generated outputs. A tool
    whose terms talk mostly about prompts and outputs licenses no one's performance, even if it mentions images.
    """
    media_sentences = ai_sentences = 0
    holds_recordings = False
    grant: tuple[int, tuple[int, int], bool] | None = None
    for _clause, s in _sentences(doc, clauses, concepts):
        holds_recordings = holds_recordings or bool(_CONTENT_HOLDS_RECORDINGS.search(s.text))
        ai_talk = _AI_TOOL.search(s.text)
        if ai_talk:
            ai_sentences += 1
        elif _OWN_MEDIA.search(s.text) and _USERS.search(s.text) and _PUTS_IN.search(s.text) and not _NO_GRANT.search(s.text):
            media_sentences += 1
        if not _GRANT_VERB.search(s.text) or _NO_GRANT.search(s.text) or s.is_definition:
            continue
        if not re.search(r"\b(?:you|your)\b", s.text, re.I) or _PROHIBITS.search(s.text):
            continue
        person = _OWN_PERSON_GRANT.search(s.text)
        content = _USER_CONTENT.search(s.text)
        if not (person or content):
            continue
        score = (4 if person else 0) + (2 if content else 0) + (2 if re.search(r"\blicen[cs]e\b|\bgrant", s.text, re.I) else 0)
        if grant is None or score > grant[0]:
            grant = (score, (s.start, s.end), bool(person))
    if grant is None:
        return ScopeDecision(False, "terms of a service under which users license none of their own recordings, voice or likeness")
    own_media = (media_sentences >= 2 and ai_sentences <= 3 * media_sentences) or (
        media_sentences >= 1 and ai_sentences <= 1
    )
    # a licence of the users' own name, likeness, voice or cameo, or of content defined to hold their audio and
    # video, decides it whatever else the terms talk about: an AI service that takes its users' voices is in scope
    if own_media or grant[2] or holds_recordings:
        what = "their own name, likeness or voice" if grant[2] else "their own photos, videos, recordings and other content"
        return ScopeDecision(True, f"terms under which users put in {what} and license it to the service", grant[1])
    if ai_sentences >= 3 and ai_sentences > 3 * media_sentences:
        return ScopeDecision(
            False,
            "terms of a general AI or software tool: users license prompts, inputs and outputs, not their own "
            "recordings, voice or likeness",
        )
    return ScopeDecision(
        False, "terms of a service whose users license text or other content, not their own recordings, voice or likeness"
    )


_AI_TOOL = re.compile(r"\b(?:prompts?|outputs?|inputs?|generat\w+|completions?|chatbots?)\b", re.I)
# users putting their media in, not listening to it ("content that you can stream" is a listener's)
_PUTS_IN = re.compile(r"\b(?:upload|post|submit|share|record|provid|creat|store|publish|broadcast|livestream|distribut)\w*", re.I)
_USERS = re.compile(r"\b(?:you|your|users?|creators?)\b", re.I)


prefilter_module(globals())  # each pattern above skips a text lacking every word it needs (castguard.prefilter)
