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

from dataclasses import dataclass

from ..model import Clause, Document
from ..playbooks.rulepatterns import patterns_of
from .concepts import Concepts
from .sentences import Sentence
from .sentences import sentences_of as _sentences

__all__ = ["ScopeDecision", "decide_scope"]


@dataclass(frozen=True)
class ScopeDecision:
    in_scope: bool
    reason: str
    evidence: tuple[int, int] | None = None  # the sentence that decided it


# the rule patterns: playbooks/patterns/scope.toml (STRONG, the attributes that are always a person's, is read by
# classify/contract.py too)
P = patterns_of("scope")
CN = patterns_of("concepts")  # DEFINITION_END: where a definition's sentence ends (playbooks/patterns/concepts.toml)
S = patterns_of("sentences")  # USER_DUTY: what the user may not do with the service (playbooks/patterns/sentences.toml)


def _owner(s: Sentence, attr_start: int, second_person: bool = False) -> tuple[int, str] | None:
    """Whose attribute this is, and how sure: a party who is an individual (3), a named person (3), a role (2),
    a personal pronoun (1)."""
    rel = attr_start - s.start
    window = s.text[max(0, rel - 80) : rel + 80]
    parties = sorted(s.get("PARTY_PERSON"), key=lambda h: abs(h.start - attr_start))  # "Theismann hereby grants ..."
    if parties:
        return 3, P.POSSESSIVE_END.sub("", parties[0].text)
    m = P.NAMED_OWNER.search(window)
    if m and not P.COMPANY_WORD.search(m.group(0)):
        return 3, P.POSSESSIVE_TAIL.sub("", m.group(0)).strip()
    # "the name and/or likeness of Dr. C. Everett Koop"
    m = P.OF_TITLED_PERSON.match(s.text[rel : rel + 90])
    if m and not P.COMPANY_WORD.search(m.group(1)):
        return 3, m.group(1)
    m = P.ROLE_OWNER.search(window)
    if m:
        return 2, m.group(0)
    if second_person and P.YOU_OWNER.search(window):
        return 2, "the signer"
    m = P.PRONOUN_OWNER.search(window)
    if m and second_person and m.group(0).lower() in {"my", "me", "i"}:
        return 2, "the signer"  # "I give permission to share any videos where I am recorded"
    if m:
        return 1, "the person" if m.group(0).lower() not in {"my", "me", "i"} else "the signer"
    return None


def _definition_owner(text: str, term: str) -> tuple[int, str] | None:
    """Whose likeness a defined term carries, read from its definition: "Licensed Intellectual Property" means
    ... the name, image, and likeness of the T&B Personality -> (2, "T&B Personality")."""
    d = _after_quoted(text, term, P.DEFINITION_VERB)
    if not d:
        return None
    body = text[d.end() : d.end() + 1200]
    end = CN.DEFINITION_END.search(body)
    body = body[: end.start()] if end else body[:400]
    for a in P.STRONG.finditer(body):
        after = body[a.end() : a.end() + 80]
        m = P.OF_OWNER_AFTER.match(after)
        if m and not P.COMPANY_WORD.search(m.group(1)):
            return (2 if P.ROLE_OWNER.search(m.group(1)) else 3), m.group(1).strip()
        before = body[max(0, a.start() - 80) : a.start()]
        n = P.NAMED_OWNER.search(before)
        if n and not P.COMPANY_WORD.search(n.group(0)):
            return 3, P.POSSESSIVE_TAIL.sub("", n.group(0)).strip()
    return None


def _tightly_owned(s: Sentence, h) -> bool:
    """A name, photograph or recording that plainly belongs to the person: "Talent's name", "name of Talent",
    "his photograph", "photographs of the Artist", "your image"."""
    a, b = h.start - s.start, h.end - s.start
    before, after = s.text[max(0, a - 50) : a], s.text[b : b + 50]
    if P.OWNER_POSSESSIVE_BEFORE.search(before) and not P.COMPANY_WORD.search(before[-40:]):
        return True
    if P.PRONOUN_BEFORE.search(before):
        return True
    if P.OF_YOU_AFTER.match(after):
        return True
    if P.WHERE_RECORDED_AFTER.match(after):
        return True
    m = P.OF_OWNER_NAMED_AFTER.match(after)
    return m is not None and not P.COMPANY_WORD.search(m.group(1))


_NOT_A_FIRST_NAME = {
    "The", "This", "That", "Each", "Such", "Said", "Any", "A", "An", "No", "If", "All", "Every", "Where", "When",
    "Mr", "Ms", "Mrs", "Dr", "Coach", "Player", "Talent", "By", "To", "For", "Of", "And", "Or", "With", "From",
}


def _after_quoted(text: str, term: str, rest):
    """The first match of ``rest`` right after ``term`` in opening quotation marks (``"term`` or ``“term``): what
    the pattern ``["“]`` + the term + ``rest`` finds first, for a term known only at run time."""
    i = text.find(term, 1)
    while i >= 0:
        if text[i - 1] in "\"“":
            m = rest.match(text, i + len(term))
            if m:
                return m
        i = text.find(term, i + 1)
    return None


def _first_names(head: str, who: str):
    """Each capitalised word (with an initial) right before ``who`` ("Joseph Theismann"), in order: group 1 the
    first name, group 0 the whole name. ``who`` is one capitalised word (see :func:`_named`)."""
    pos = 0
    while (m := P.FIRST_NAME_BEFORE.search(head, pos)) is not None:
        if m.group(2) == who:
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _party_role(head: str, who: str):
    """The first bracket that defines ``who`` as a party's role: (the "Performer"), (hereinafter “Talent”)."""
    pos = 0
    while (m := P.PARTY_BLOCK_ROLE.search(head, pos)) is not None:
        if m.group(1) == who:
            return m
        pos = m.start() + 1
    return None


def _named(text: str, who: str) -> str:
    """The person behind a defined name, in full: "Theismann" -> "Joseph Theismann"; a role defined as a
    person's name reads as both: Dana R. Whitcombe (“Performer”). Never an address or a company."""
    # "The term "T&B Personality" shall mean Tarek El Moussa."
    d = _after_quoted(text[:60000], who, P.MEANS_PERSON_NAME)
    if d and not P.COMPANY_WORD.search(d.group(1)) and not P.ADDRESS_WORD.search(d.group(1)):
        return f"{d.group(1)} (“{who}”)"
    if not P.ONE_CAPITALISED_WORD.fullmatch(who) or who in {"You", "Your"}:
        return who
    head = text[:20000]
    if not P.ROLE_OWNER.fullmatch(who):
        for full in _first_names(head, who):
            first = full.group(1).split()[0]
            if first in _NOT_A_FIRST_NAME or P.ADDRESS_WORD.search(full.group(0)) or P.COMPANY_WORD.search(first):
                continue
            return f"{full.group(1)} {who}"
    # the party block that ends in ("Performer"): its first line that reads as a person's name
    d = _party_role(head, who)
    if d is not None:
        block = head[max(0, d.start() - 300) : d.start()]
        block = P.PARTY_BLOCK_END.split(block)[-1]
        for line in block.splitlines():
            # "(2) OWEN TREMLETT of:" keeps the name; "Flat 3, 19 Carrow Hill" loses the address after its number
            line = P.DIGIT.split(P.LINE_NUMBER.sub("", line))[0]
            for m in P.PERSON_NAME.finditer(line):
                name = m.group(1)
                if name.isupper():
                    name = " ".join(w.capitalize() if len(w) > 2 else w for w in name.split())
                if (
                    name.split()[0] in _NOT_A_FIRST_NAME
                    or P.COMPANY_WORD.search(name)
                    or P.ADDRESS_WORD.search(name)
                    or P.NOT_A_PERSON_NAME_WORD.search(name)
                ):
                    continue
                return f"{name} (“{who}”)"
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
    operative = P.OPERATIVE.search(doc.text, 0, min(6000, max(2000, len(doc.text) // 6)))
    recitals_end = operative.start() if operative else 0
    # a release or a participant agreement speaks to the person: "your image", "recordings of this study"
    second_person = document_type == "release_or_consent" or bool(
        P.PARTICIPANT.search(doc.text[:5000])
    )
    for _clause, s in _sentences(doc, clauses, concepts):
        if s.end <= recitals_end:
            continue
        if s.is_definition or P.NO_GRANT.search(s.text) or not P.GRANT_VERB.search(s.text):
            continue
        strong = [h for h in s.get("PERSON_STRONG") if (h.defined or P.STRONG.search(h.text))]
        strong = [h for h in strong if not P.VOICE_SERVICE.search(s.text[h.start - s.start : h.end - s.start + 20])]
        weak = [h for h in s.get("PERSON_WEAK") if P.WEAK.match(h.text)]
        if not strong and not weak:
            continue
        conditional = False
        if P.PROHIBITS.search(s.text):
            # "shall not use Dr. Murray's name or likeness unless specifically approved by Dr. Murray": a use
            # conditioned on approval is a grant that needs a consent; "no rights ... are granted" is not
            if not (strong and P.UNLESS_APPROVED.search(s.text)):
                continue
            conditional = True
        attrs = strong or weak
        owner = max((o for h in attrs if (o := _owner(s, h.start, second_person))), default=None)
        if not strong and P.MARKS.search(s.text) and not (owner and owner[0] == 3 and P.NAMED_OWNER.search(s.text)):
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
        titled = any(P.TITLED_BEFORE.search(s.text[max(0, h.start - s.start - 60) : h.start - s.start]) for h in weak)
        if not strong and not titled and not any(_tightly_owned(s, h) for h in weak):
            continue  # "in the name of the Company": a role nearby does not make the name theirs
        kinds = {P.PLURAL_S.sub("", h.text.lower()) for h in weak}
        if not strong and not titled and kinds <= {"signature", "name"}:
            continue  # "my signature below", "name (please print)": a signature block, not a licence
        if not strong and not titled and (owner[0] < 2 or (len(kinds) < 2 and not s.has("PARTY_PERSON") and owner[0] != 2)):
            continue  # "World Book's name" alone is a company's name
        score = owner[0] * 2 + 2 * len(strong) + len(weak) + (2 if P.GRANT_WORD.search(s.text) else 0)
        if conditional:
            score -= 1
        if P.NOT_THE_GRANT.search(s.text):
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


def _models_photographed(doc: Document, clauses, concepts: Concepts, recitals_end: int) -> ScopeDecision | None:
    """"EFS shall secure model and photographer releases ... Client hereby grants to EFS a ... perpetual right and
    license to use such photographs": the models are the people whose likeness the photographs carry, though the
    grant names no one."""
    engaged = P.MODELS_ENGAGED.search(doc.text)
    if not engaged:
        return None
    for _clause, s in _sentences(doc, clauses, concepts):
        if s.end <= recitals_end or not engaged.start() - 200 <= s.start <= engaged.end() + 3000:
            continue
        if s.is_definition or P.NO_GRANT.search(s.text) or P.PROHIBITS.search(s.text) or P.NOT_THE_GRANT.search(s.text):
            continue
        if P.PHOTOGRAPHS.search(s.text) and P.GRANT_WORD_WHOLE.search(s.text):
            return ScopeDecision(
                True, "licenses photographs of the models it has photographed (it obtains their model releases)",
                (s.start, s.end),
            )
    return None


def _endorser_without_grant(doc: Document) -> ScopeDecision | None:
    """An endorsement agreement with an individual professional whose filed text lacks the grant itself (a signature
    page and an exhibit): an endorsement lends the endorser's name and likeness, so it is in scope, and the reason
    says the grant is not in the text."""
    if not P.ENDORSEMENT_AGREEMENT.search(doc.text):
        return None
    party = P.AN_INDIVIDUAL.search(doc.text)
    role = P.ENDORSER.search(doc.text)
    if not party or not role or P.COMPANY_WORD.search(party.group(1)) or P.ADDRESS_WORD.search(party.group(1)):
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
    media_sentences = ai_sentences = said_of_users = 0
    holds_recordings = False
    grant: tuple[int, tuple[int, int], bool] | None = None
    for _clause, s in _sentences(doc, clauses, concepts):
        holds_recordings = holds_recordings or bool(P.CONTENT_HOLDS_RECORDINGS.search(s.text))
        ai_talk = P.AI_TOOL.search(s.text)
        if ai_talk:
            ai_sentences += 1
        elif P.OWN_MEDIA.search(s.text) and P.USERS.search(s.text) and P.PUTS_IN.search(s.text) and not P.NO_GRANT.search(s.text):
            media_sentences += 1
            # "You will not use, copy, ... stream, broadcast or otherwise exploit the Site": the user's duty, about
            # the service's material, says nothing of media the users put in, and alone never decides
            if not S.USER_DUTY.search(s.text):
                said_of_users += 1
        if not P.GRANT_VERB.search(s.text) or P.NO_GRANT.search(s.text) or s.is_definition:
            continue
        if not P.YOU_WORD.search(s.text) or P.PROHIBITS.search(s.text):
            continue
        if P.YOU_ARE_RESPONSIBLE.search(s.text) and not P.YOU_GRANT_US.search(s.text):
            continue  # "You are responsible for maintaining licenses ... of Your Content": the user's duty
        person = P.OWN_PERSON_GRANT.search(s.text)
        content = P.USER_CONTENT.search(s.text)
        if not (person or content):
            continue
        score = (4 if person else 0) + (2 if content else 0) + (2 if P.LICENCE_OR_GRANT.search(s.text) else 0)
        if grant is None or score > grant[0]:
            grant = (score, (s.start, s.end), bool(person))
    if grant is None:
        return ScopeDecision(False, "terms of a service under which users license none of their own recordings, voice or likeness")
    own_media = (media_sentences >= 2 and ai_sentences <= 3 * media_sentences) or (
        said_of_users >= 1 and ai_sentences <= 1
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
