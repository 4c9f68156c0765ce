"""The governing law, read from the clause that chooses it: "This Agreement shall be governed by and
construed in accordance with the laws of the State of New York" -> "the State of New York", code NY.

Only a sentence that chooses the law of the agreement counts: it must say the agreement (or a dispute under
it) is governed, construed or interpreted by a place's law. "a Delaware corporation", "organized under the
laws of the State of Nevada", "comply with all applicable laws of the United States" and a forum clause
("the courts of New York") are not a choice of law.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .places import US_STATES, adjective_code, place_code, place_pattern
from .text import sentence_around

__all__ = ["LawFinding", "find_governing_law"]

_HEADING = re.compile(
    r"govern|applicable\s+laws?|choice\s+of\s+laws?|proper\s+law|\blaws?\b.*\b(?:jurisdiction|venue|forum)|"
    r"^\s*laws?\s*$|controlling\s+law|construction",
    re.I,
)
_VERB = re.compile(
    r"\b(?:govern(?:ed|s|ing)?|constru(?:ed|e|ction)|interpret(?:ed|ation)?|enforced|determined|decided|"
    r"regulated|subject\s+to\s+(?:and\s+governed\s+by\s+)?the\s+(?:internal\s+|substantive\s+)?laws?|"
    r"in\s+accordance\s+with\s+(?:the\s+)?(?:internal\s+|substantive\s+)?laws?|under\s+the\s+laws?|"
    r"applicable\s+law\s+(?:shall|will)\s+be|(?:shall|will)\s+apply)\b",
    re.I,
)
_ABOUT_AGREEMENT = re.compile(
    r"\b(?:agreement|amendment|addendum|contract|terms|release|memo|hereunder|hereto|herein|hereof|this\s+deal|"
    r"dispute|claim|rider|license|licence|consent|waiver)\b",
    re.I,
)
# "organized/incorporated/existing under the laws of": a party's description, not a choice of law
_CORPORATE = re.compile(
    r"(?:organi[sz]ed|incorporated|existing|formed|registered|chartered|constituted|established|duly|"
    r"validly|organi[sz]ation|incorporation|formation|charter|good\s+standing)\b[^.;]{0,60}$",
    re.I,
)
_NOT_CHOICE = re.compile(
    r"(?:comply|compliance|violat|export|import|tax|securities\s+laws|rules\s+of\s+arbitration|patent|copyright|"
    r"trademark|intellectual\s+property|infring|"
    r"enforceab|conflicts?\s+of\s+laws?\s+(?:rule|principle|provision)s?\s+of)\w*[^.;]{0,40}$",
    re.I,
)


@dataclass(frozen=True)
class LawFinding:
    value: str  # as stated: "the State of New York", "England and Wales", "New York"
    code: str
    start: int  # the quote: the sentence that chooses the law
    end: int
    value_start: int
    value_end: int
    confidence: float


_PLACE = None
_LAWS_OF = None
_LAWS_HEAD = (
    r"\blaws?\s+(?:and\s+(?:judicial\s+)?(?:decisions|regulations|rules|statutes|court\s+decisions)\s+)?"
    r"(?:(?:in\s+force|in\s+effect|applicable|prevailing)\s+in\s+|of\s+)"
)
_ADJ_LAW = re.compile(
    r"\b(?:(?:the\s+)?(?:internal|substantive|domestic)\s+)?(?P<adj>(?:[A-Z][A-Za-z.]+|PRC)(?:\s+[A-Z][a-z]+)?)"
    r"\s+[Ll]aws?\b(?!\s+of\b)"
)


def _patterns():
    global _PLACE, _LAWS_OF
    if _LAWS_OF is None:
        _PLACE = place_pattern()
        _LAWS_OF = re.compile(_LAWS_HEAD + _PLACE, re.I)
    return _LAWS_OF


def _candidates(text: str, lo: int, hi: int):
    """(place start, place end, name as stated, code) for every "laws of <place>" / "<place> law" in text."""
    laws_of = _patterns()
    for m in laws_of.finditer(text, lo, hi):
        code = place_code(m.group("place"))
        if code:
            # the value as stated: from after "laws of " to the end of the place name
            head = re.match(_LAWS_HEAD, m.group(0), re.I)
            assert head is not None  # the match starts with these words
            vs = m.start() + head.end()
            yield vs, m.end(), text[vs : m.end()], code, m.start()
    for m in _ADJ_LAW.finditer(text, lo, hi):
        adj = m.group("adj")
        code = adjective_code(adj) or adjective_code(adj.split()[0])
        if code:
            # the value as stated: "Irish law", "New York law"
            yield m.start("adj"), m.end(), text[m.start("adj") : m.end()], code, m.start()


_STRONG = re.compile(r"\b(?:govern\w*|constru\w*|interpret\w*)\b", re.I)
_INLINE_HEADING = re.compile(
    r"(?:governing|applicable|choice\s+of|proper)\s+laws?\b|\blaw\s+and\s+(?:jurisdiction|venue)", re.I
)
_US_STATE_CODES = None


def _state_after(text: str, pos: int, end: int):
    """ "the laws of the United States and the State of Florida": the state named after the United States."""
    global _US_STATE_CODES
    if _US_STATE_CODES is None:
        _US_STATE_CODES = set(US_STATES.values())
    for m in re.finditer(place_pattern(), text[pos:end], re.I):
        code = place_code(m.group("place"))
        if code in _US_STATE_CODES:
            return pos + m.start(), pos + m.end(), code
    return None


def find_governing_law(text: str, clauses) -> LawFinding | None:
    """The law the agreement chooses, from the clause that chooses it; None when none is chosen clearly.

    A sentence that says the agreement "shall be governed by / construed in accordance with" a place's law is
    a strong choice; in a clause headed "Governing Law" (or after those words inline) it is the strongest.
    Two strong choices of different places that nothing tells apart (an exhibit with its own clause, a
    split choice): none is given, because a wrong jurisdiction is worse than none.
    """
    found: list[tuple[float, int, LawFinding]] = []
    for c in clauses:
        headed = bool(c.heading and _HEADING.search(c.heading))
        body = text[c.start : c.end]
        if not re.search(r"\blaws?\b", body, re.I):
            continue
        seen_sentences = set()
        for vs, ve, stated, code, at in _candidates(text, c.start, c.end):
            before = text[max(c.start, at - 80) : at]
            if _CORPORATE.search(before) or _NOT_CHOICE.search(before):
                continue
            s, e = sentence_around(text, at, ve, c.start, c.end)
            if s in seen_sentences:
                continue  # the first place a sentence names is the one it chooses
            sentence = text[s:e]
            if not _VERB.search(sentence) or not (headed or _ABOUT_AGREEMENT.search(sentence)):
                continue
            if re.search(r"\b(?:not|never)\s+(?:be\s+)?governed\b", sentence, re.I):
                continue
            seen_sentences.add(s)
            inline = bool(_INLINE_HEADING.search(text[max(c.start, s - 80) : s] + " " + sentence[:60]))
            strong = bool(_STRONG.search(sentence))
            if strong:
                confidence = 0.95 if headed or inline else 0.9
            else:
                confidence = 0.8 if headed or inline else 0.6
            if code == "US":
                state = _state_after(text, ve, min(e, ve + 160))
                if state is not None:
                    vs, ve, code = state
                    stated = text[vs:ve]
            stated = " ".join(stated.split())
            if re.match(
                r"the\s+(?!(?:State|Commonwealth|Province|Republic|Kingdom|Federal|Grand|Territory|Special|"
                r"Emirate|Canton|People|United|Netherlands|UK|Czech|Russian)\b)",
                stated,
                re.I,
            ):
                stated = stated[4:]  # "the laws of the Illinois"
            found.append((confidence, s, LawFinding(stated, code, s, e, vs, ve, confidence)))
    if not found:
        return None
    strong_choices = [f for f in found if f[0] >= 0.9]
    pool = strong_choices or [f for f in found if f[0] >= 0.8]
    if not pool:
        return None  # only passing mentions ("a corporation subject to the laws of ..."): no choice of law
    best = max(f[0] for f in pool)
    codes = {f[2].code for f in pool}
    if len(codes) > 1:
        top_codes = {f[2].code for f in pool if f[0] == best}
        if len(top_codes) > 1:
            return None
        pool = [f for f in pool if f[0] == best]
    return min(pool, key=lambda f: (-f[0], f[1]))[2]
