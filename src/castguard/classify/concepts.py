"""Step 1 of a scan's reading: where each concept of the lexicon occurs in the contract.

``find_concepts`` runs spaCy's PhraseMatcher and Matcher once over the whole contract and records where each
concept (``lexicon.CONCEPTS``) occurs. Defined terms are expanded: if “Talent Attributes” is defined as the
talent's name, likeness and voice, every later “Talent Attributes” counts as likeness; a party described as
"an individual" counts as the person (``_person_parties``).

The result, :class:`Concepts`, is what every later step reads (scope, clause rules, protections, contract gaps).

Two party readers: ``_person_parties`` here and :func:`castguard.facts.parties.find_parties`. They answer
different questions and are kept apart on purpose: ``find_parties`` reads the statement of the parties (and
a cover sheet or the recitals) and returns at most one performer, with its role and full name, for the
report's facts; ``_person_parties`` marks every word that stands for a natural person anywhere in the
contract -- a defined surname ("Ogle"), a role term in quotation marks ("Talent"), and a possessive before a
likeness or voice anywhere in the text ("Theismann's name, likeness and voice") -- so the clause rules can
tell the person's material from the company's. One cannot stand in for the other: over the 545 text documents
of the corpus the names and roles ``find_parties`` gives for natural persons differ from this set in 44
(``find_parties`` knows no person in the Civitai terms' "Creator", and this reader misses the surname of a
party it has no role term or possessive for: "Dr. Murray", "Cabrera"). They share their vocabulary
(:mod:`castguard.vocabulary`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..playbooks.rulepatterns import patterns_of
from ..prefilter import folded
from ..vocabulary import DEFINED_PERSON_ROLES, NOT_A_PERSON
from .lexicon import matchers

__all__ = ["Concepts", "Hit", "find_concepts"]


@dataclass(frozen=True)
class Hit:
    concept: str
    start: int
    end: int
    text: str
    defined: bool = False  # a defined term standing for the concept ("the Athlete Endorsement")


# concepts whose hits are dropped where a longer, more specific concept covers them
_SUPPRESSED_BY = {
    "PERSON_STRONG": ("VOICE_TELECOM",),
    "PERSON_WEAK": ("VOICE_TELECOM",),
    "ROLE": ("VOICE_TELECOM",),  # "model number", "product model"
    "REVOKE_OK": ("IRREVOCABLE",),
    "PAY_SPECIFIC": ("NO_COMP",),
    "APPROVAL": ("DEEMED",),
    "NEG": ("NO_COMP", "IRREVOCABLE", "NOT_CONDITION", "SEPARATE_CONSENT", "WAIVE", "CONDITION"),
    "TRAIN_WEAK": ("ALL_MEDIA",),
    "TECH_OBJECT": ("ALL_MEDIA",),
    "CONSENT_WORD": ("SEPARATE_CONSENT",),
}

P = patterns_of("concepts")  # the rule patterns: playbooks/patterns/concepts.toml


def _words(text: str, word: str, any_case: bool = False, possessive: bool = False) -> Iterator[tuple[int, int]]:
    """Where ``word`` (not empty) stands as a whole word in ``text``, in order and not overlapping, as (start, end):
    what the pattern ``\\b`` + the word + ``\\b`` finds (``any_case``: in any case, as the pattern does with
    re.IGNORECASE; ``possessive``: with "'s" or "’s" after it when there is one). A term or a name is known only
    at run time, so it is looked up as text, its edges checked with WORD_EDGE."""
    hay, needle = (folded(text), word.lower()) if any_case else (text, word)
    n = len(needle)
    i = hay.find(needle)
    while i >= 0:
        if P.WORD_EDGE.match(text, i):
            end = i + n
            if possessive and text[end : end + 2] in ("'s", "’s") and P.WORD_EDGE.match(text, end + 2):
                yield i, end + 2
                i = hay.find(needle, end + 2)
                continue
            if P.WORD_EDGE.match(text, end):
                yield i, end
                i = hay.find(needle, end)
                continue
        i = hay.find(needle, i + 1)


def _has_word(text: str, word: str) -> bool:
    """``word`` stands as a whole word in ``text``, in this case."""
    return next(_words(text, word), None) is not None


@dataclass(frozen=True, init=False)
class Concepts:
    """All concept hits of one contract, sorted by position (the seam from this step to every later one)."""

    hits: tuple[Hit, ...]
    _starts: tuple[int, ...] = field(repr=False, compare=False)

    def __init__(self, hits: Iterable[Hit]):
        ordered = tuple(sorted(hits, key=lambda h: (h.start, -h.end, h.concept, h.text)))
        object.__setattr__(self, "hits", ordered)
        object.__setattr__(self, "_starts", tuple(h.start for h in ordered))

    def within(self, start: int, end: int) -> list[Hit]:
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.hits) and self.hits[i].start < end:
            if self.hits[i].end <= end:
                out.append(self.hits[i])
            i += 1
        return out


def _suppress(hits: list[Hit]) -> list[Hit]:
    """Drop each hit that lies inside a hit of a concept that blocks it (``_SUPPRESSED_BY``)."""
    # per concept: its hits' starts in order and the furthest end reached by any hit starting there or before,
    # so "some blocker starts at or before h and ends at or after it" is one bisection, not a scan of every
    # blocker hit for every hit (quadratic in the length of a long contract)
    reach: dict[str, tuple[list[int], list[int]]] = {}
    for h in sorted(hits, key=lambda h: h.start):
        starts, ends = reach.setdefault(h.concept, ([], []))
        starts.append(h.start)
        ends.append(max(h.end, ends[-1]) if ends else h.end)
    out = []
    for h in hits:
        blocked = False
        for c in _SUPPRESSED_BY.get(h.concept, ()):
            if c in reach:
                starts, ends = reach[c]
                i = bisect_right(starts, h.start)
                if i and ends[i - 1] >= h.end:
                    blocked = True
                    break
        if not blocked:
            out.append(h)
    return out


def _person_parties(text: str) -> set[str]:
    """Defined names of parties who are natural persons: '... Joseph Theismann, an individual ... (“Theismann”)'."""
    names = set()
    head = text[:6000]
    for m in P.PARTY_DEFINED_NAME.finditer(head):
        before = head[max(0, m.start() - 220) : m.start()]
        # only the text since the previous party definition belongs to this one
        before = P.DEFINITION_CLOSE.split(before)[-1]
        if P.AN_INDIVIDUAL.search(before) and not P.CORPORATE.search(before[-60:]):
            names.add(m.group(1).strip())
    # "Brett Ogle (hereinafter referred to as "Ogle")", "GENO AURIEMMA (“Auriemma”)": a surname defined as a party
    for m in P.SURNAME_DEFINED.finditer(head):
        first, last, between, term = m.groups()
        # a surname is never written in lower case; "Agreement", "Sponsor" or "Network" are
        if (
            term.lower() == last.lower()
            and not P.CORPORATE.search(between)
            and not P.CORPORATE.search(last)
            and not _has_word(text, term.lower())
        ):
            names.add(term)
    # "Theismann's name, likeness and voice": whoever has a likeness or a voice is a person
    for m in P.POSSESSIVE_ATTRIBUTE.finditer(text):
        if (
            not P.CORPORATE.search(m.group(1))
            and not _has_word(text, m.group(1).lower())
            and m.group(1).lower() not in NOT_A_PERSON
        ):
            names.add(m.group(1))
    for m in P.QUOTED_WORD.finditer(head):
        term = m.group(1)
        if term.lower() in DEFINED_PERSON_ROLES:
            names.add(term)
    return names


def _defined_terms(text: str, hits: list[Hit]) -> dict[str, set[str]]:
    """Defined terms whose definition carries a concept we care about -> those concepts."""
    wanted = {"PERSON_STRONG", "REPLICA_STRONG", "AI"}
    starts = sorted((h.start, h.concept) for h in hits if h.concept in wanted)
    pos_list = [s for s, _ in starts]
    out: dict[str, set[str]] = {}
    for m in P.DEFINED_TERM.finditer(text):
        term = m.group(1).strip()
        if len(term) < 3 or term.lower() in {"agreement", "effective date", "term", "territory", "company"}:
            continue
        after = text[m.end() : m.end() + 30]
        after = text[m.end() : m.end() + 60]
        if P.DEFINITION_VERB.match(after):
            # to the end of the definition's sentence: "... and (b) the name, image, and likeness of the T&B
            # Personality. 1.9." ends 700 characters in
            lo, hi = m.end(), min(len(text), m.end() + 400)
            end_line = text.find(".\n", lo, hi)
            hi = end_line if end_line > 0 else hi
            end_sent = P.DEFINITION_END.search(text, lo, min(len(text), lo + 1200))
            hi = max(hi, end_sent.start()) if end_sent else hi
        elif (
            text[max(0, m.start() - 40) : m.start()].rstrip().endswith(("(", "collectively,", "collectively", "the"))
            or "(" in text[max(0, m.start() - 25) : m.start()]
        ):
            lo, hi = max(0, m.start() - 300), m.start()
            cut = max(
                text.rfind(". ", lo, hi), text.rfind(".\n", lo, hi), text.rfind("”)", lo, hi), text.rfind('")', lo, hi)
            )
            lo = cut + 2 if cut >= 0 else lo
        else:
            continue
        i = bisect_left(pos_list, lo)
        found = set()
        while i < len(pos_list) and pos_list[i] < hi:
            found.add(starts[i][1])
            i += 1
        if found:
            out.setdefault(term, set()).update(found)
    return out


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect_left(starts, pos + 1) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def find_concepts(text: str, sdoc, playbook=None) -> Concepts:
    """Every concept hit of a contract, with the lexicon of ``playbook`` (default: the built-in one)."""
    phrase, token = matchers(playbook)
    vocab = sdoc.vocab
    hits: list[Hit] = []
    for match_id, s, e in phrase(sdoc):
        span = sdoc[s:e]
        hits.append(Hit(vocab.strings[match_id], span.start_char, span.end_char, span.text))
    for match_id, s, e in token(sdoc):
        span = sdoc[s:e]
        hits.append(Hit(vocab.strings[match_id].split("#")[0], span.start_char, span.end_char, span.text))
    hits = _suppress(hits)
    # words inside a web address ("cdn-cgi/l/email-protection") are not the contract's words
    urls = [(m.start(), m.end()) for m in P.URL.finditer(text)]
    if urls:
        starts = [a for a, _ in urls]
        hits = [h for h in hits if not _inside(urls, starts, h.start)]
    extra: list[Hit] = []
    done: set[tuple[str, str]] = set()
    for _ in range(2):  # twice: “Materials” may be defined through “Athlete Endorsement”
        for term, concepts in _defined_terms(text, hits + extra).items():
            for c in sorted(concepts):
                if (term, c) in done:
                    continue
                done.add((term, c))
                # a term defined in capitals ("AURIEMMA IDENTIFICATION") is used in title case too
                for a, b in _words(text, term, any_case=term.isupper()):
                    extra.append(Hit(c, a, b, text[a:b], defined=True))
    for name in sorted(_person_parties(text)):
        for a, b in _words(text, name, possessive=True):
            extra.append(Hit("ROLE", a, b, text[a:b]))
            extra.append(Hit("PARTY_PERSON", a, b, text[a:b]))
    return Concepts(hits + extra)
