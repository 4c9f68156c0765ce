"""Opt-in narrowing of a grant's own words (``castguard redline --narrow-grants``).

By default the redline only inserts. Asked to narrow, it also replaces "in perpetuity" / "perpetual" /
"forever" with the deal's term, strikes "or hereafter devised", and strikes "irrevocable" — but only in a
sentence whose subject is the person's name, likeness, voice, image or performance (named in the sentence or
through a defined term whose definition names them), never in a sentence about owning the work product
(ownership, title, copyright, work made for hire, assignment) and never in a waiver (a moral-rights waiver's
"irrevocably" stays).
"""

from __future__ import annotations

import re

__all__ = ["NARROWING_GAPS", "likeness_terms", "narrowing_edits"]

_PERSON = re.compile(
    r"\b(?:names?|nicknames?|likeness(?:es)?|voices?|images?|photographs?|photos?|portraits?|personas?|"
    r"biograph\w*|performances?|appearances?|signatures?|autographs?|identity|indicia|endorsement|"
    r"recordings? of (?:the )?(?:performer|artist|talent|athlete|model|you)\b)",
    re.I,
)
_WORK_PRODUCT = re.compile(
    r"\b(?:own|owns|owned|owner|ownership|title|copyrights?|works? (?:made )?for hire|work[- ]product|"
    r"results and proceeds|(?:sole|exclusive) property|vest\w*|moral rights?|droit moral|waive[sd]?|waiver|"
    r"waiving|assigns?|assigned|assignment|intellectual property)\b",
    re.I,
)
_DEFINED = re.compile(
    r"[\"“]([A-Z][\w'’ -]{1,40})[\"”]\s*\)?\s*(?:,?\s*as (?:stated|used) herein,?\s*)?(?:shall\s+)?means?\b"
    r"([^\n]{0,400})"
)

_PERPETUAL = [
    (re.compile(r"\bin perpetuity\b", re.I), "for {term}"),
    (re.compile(r"\bforever\b|\bfor all time\b", re.I), "for {term}"),
    (re.compile(r"\bperpetual(?=[\s,])", re.I), "{years}-year"),
    (re.compile(r"\bwithout (?:any )?limit(?:ation)? (?:of|as to) time\b", re.I), "for {term}"),
]
_HEREAFTER = re.compile(
    r",?\s+(?:whether\s+)?(?:or|and|and/or)\s+(?:hereafter|hereinafter|later|subsequently|in the future)\s+"
    r"(?:devised|developed|invented|created|known|existing)\b",
    re.I,
)
# "non-exclusive and irrevocable right", "perpetual, irrevocable licence": the joining word goes with it
_IRREVOCABLE_JOINED = re.compile(r"(?:,\s*|\s+(?:and|&)\s+)irrevocabl[ey]\b(?=[\s,])", re.I)
_IRREVOCABLE = re.compile(r"\birrevocabl[ey]\b(?:,\s*|\s+and\s+|\s+)", re.I)

# a clause raising one of these may have its grant's words narrowed
NARROWING_GAPS = {"unbounded_term_scope", "silent_broad_legacy_grant", "no_revocation_or_suspension"}


def likeness_terms(text: str) -> set[str]:
    """Defined terms of the contract whose definition names the person's likeness, voice or performance."""
    out = set()
    for m in _DEFINED.finditer(text):
        if _PERSON.search(m.group(2)) and not _WORK_PRODUCT.search(m.group(2)[:120]):
            out.add(m.group(1).strip())
    return out


def _number_words(n: int) -> str:
    words = "zero one two three four five six seven eight nine ten".split()
    return f"{words[n]} ({n})" if n < len(words) else str(n)


_BOILERPLATE = re.compile(r"\b(?:heirs,\s*)?successors,?\s+(?:and|or)\s+(?:permitted\s+)?assigns\b", re.I)


def about_the_person(sentence: str, terms: set[str]) -> bool:
    if _WORK_PRODUCT.search(_BOILERPLATE.sub("", sentence)):
        return False
    return bool(_PERSON.search(sentence)) or any(re.search(rf"\b{re.escape(t)}\b", sentence) for t in terms)


def narrowing_edits(sentence: str, gaps: set[str], years: int, terms: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) edits in one sentence, non-overlapping, in order; [] when it is not a grant
    about the person or the clause raised nothing narrowing answers."""
    if not gaps & NARROWING_GAPS or not about_the_person(sentence, terms):
        return []
    edits: list[tuple[int, int, str]] = []
    term = f"a term of {_number_words(years)} years"
    if gaps & {"unbounded_term_scope", "silent_broad_legacy_grant"}:
        for pattern, repl in _PERPETUAL:
            for m in pattern.finditer(sentence):
                edits.append((m.start(), m.end(), repl.format(term=term, years=years)))
        for m in _HEREAFTER.finditer(sentence):
            edits.append((m.start(), m.end(), ""))
    if gaps & {"no_revocation_or_suspension", "unbounded_term_scope"}:
        joined = list(_IRREVOCABLE_JOINED.finditer(sentence))
        for m in joined:
            edits.append((m.start(), m.end(), ""))
        for m in _IRREVOCABLE.finditer(sentence):
            if not any(j.start() <= m.start() < j.end() for j in joined):
                edits.append((m.start(), m.end(), ""))
    edits.sort()
    chosen: list[tuple[int, int, str]] = []
    for e in edits:
        if not chosen or e[0] >= chosen[-1][1]:
            chosen.append(e)
    return chosen
