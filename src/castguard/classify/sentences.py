"""Reading one sentence: the concepts in it, whether it is negated, and whether it can grant anything.

:class:`Sentence` is a sentence of a clause with the concept hits inside it; ``sentences_of`` walks every
sentence of a contract. ``polarity`` tells a grant from a prohibition ("shall not", "in no event", "No ...
shall") or from a prohibition hollowed out by an exception that does not ask for consent ("except to improve
Company's products"); "only with separate written consent" is protective too. ``lead_ins`` and
``prohibited_list_item`` read a list item together with the line that introduces it. The sentence shapes
that never grant (headings, bullet lists of forbidden conduct, the user's own duties, reservations) are here
too, for the clause rules, the protections and the contract-level gaps alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Document
from ..prefilter import prefilter_module, rx
from ..vocabulary import COMPANY_ROLES, alternation
from .concepts import Concepts, Hit

__all__ = [
    "BULLET", "HEADING", "RESERVES", "USER_DUTY", "Sentence", "lead_ins", "polarity", "prohibited_list_item",
    "sentences_of",
]  # fmt: skip

_DEFINITION_LEAD = re.compile(
    r"[\"“][^\"”]{1,60}[\"”]\s+(?:(?:as\s+)?(?:used|stated|defined)\s+(?:herein|in this agreement)\s+)?"
    r"(?:shall\s+)?(?:means?|refers?\s+to|has\s+the\s+meaning)\b",
    re.I,
)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    hits: list[Hit]
    by: dict[str, list[Hit]] = field(default_factory=dict)

    def __post_init__(self):
        for h in self.hits:
            self.by.setdefault(h.concept, []).append(h)

    def has(self, *concepts: str) -> bool:
        return any(c in self.by for c in concepts)

    def get(self, *concepts: str) -> list[Hit]:
        return sorted((h for c in concepts for h in self.by.get(c, ())), key=lambda h: h.start)

    def texts(self, *concepts: str, limit: int = 3) -> list[str]:
        seen: list[str] = []
        for h in self.get(*concepts):
            t = h.text.lower()
            if t not in seen:
                seen.append(t)
        return seen[:limit]

    @property
    def is_pointer(self) -> bool:
        """'Any use of a Digital Replica is governed by the Rider.': refers elsewhere, grants nothing itself."""
        return bool(
            rx.search(r"\bgoverned by\b|\bsubject to the terms of\b|\bas set (?:out|forth) in\b", self.text, re.I)
        ) and not rx.search(
            r"\bmay\b|\bhereby\b|\bgrants?\b|\bshall have\b|\bright to\b|\bshall own\b|\bconsents?\b|"
            r"\bagrees?\b|\bauthori[sz]",
            self.text,
            re.I,
        )

    @property
    def is_definition(self) -> bool:
        m = _DEFINITION_LEAD.search(self.text[:200])
        # "By Sensitive Content, we mean any video that ...": a definition in the second person
        return bool(m) or bool(rx.match(r"\W*by [^,]{1,60}, we mean\b", self.text, re.I))

    def person(self, strong_only: bool = False) -> bool:
        if self.has("PERSON_STRONG"):
            return True
        return not strong_only and self.has("PERSON_WEAK", "RESULTS") and self.has("ROLE", "PARTY_PERSON")


def sentences_of(doc: Document, clauses, concepts: Concepts):
    """(clause, Sentence) for every sentence of every clause, with the concepts inside it."""
    for clause in clauses:
        for s0, s1 in clause.sentences or ((clause.start, clause.end),):
            yield clause, Sentence(s0, s1, doc.text[s0:s1], concepts.within(s0, s1))



def _between(text: str, a: int, b: int) -> str:
    return text[a:b] if a < b else ""


# what an exception must open to hollow out a prohibition: a purpose or a free hand for the company,
# not a narrowing of its object ("any product other than the Products")
_HOLLOWING = re.compile(
    r"purpose|improv|develop|research|internal|business|promot|market|commercial|analytic|any use|quality|"
    r"as (?:\w+ ){0,2}(?:deems?|determines?|sees? fit|requires?)|(?:" + alternation(COMPANY_ROLES) + r") (?:may|shall be entitled)|to the extent|reasonably necessary|its (?:own )?(?:products|services)|"
    r"anonymi[sz]|aggregat|de-identif|derived|affiliates|licensees|partners|distributors|vendors"
)


def polarity(sent: Sentence, key: list[Hit], doc_text: str) -> str:
    """'grant', 'protect' or 'hollow' for the key concept hits of a sentence."""
    if not key:
        return "grant"
    first = key[0]
    for neg in sent.get("NEG"):
        if neg.start >= first.start:
            continue
        if rx.match(r"prohibited by (?:applicable |any )?(?:law|statute)", doc_text[neg.start : neg.end + 30], re.I):
            continue  # "Except as prohibited by law, you hereby waive ...": the law's limit, not a negated grant
        gap = _between(doc_text, neg.end, first.start)
        if ";" in gap or len(gap) > 260 or rx.search(r"\bbut\b|\bprovided\b|\bexcept\b", gap):
            continue
        # "will not be compensated for the use ... to train", "shall not be prevented from": the negation
        # governs another predicate, not the grant
        if rx.match(
            r"\s*(?:be\s+)?(?:\w+\s+){0,2}?(?:compensat|paid|pay|liable|responsible|required|obligat|entitled|affect|"
            r"restrict|limit|prevent|prejudice|unreasonabl)",
            gap,
            re.I,
        ):
            continue
        # exception after the prohibition that does not ask for consent: the protection is hollow
        for exc in sent.get("EXCEPT"):
            if exc.start > neg.start:
                tail = doc_text[exc.end : min(sent.end, exc.end + 160)].lower()
                if _HOLLOWING.search(tail) and not rx.search(
                    r"consent|approv|authori[sz]|permission|agree|rider|separate|signed|writing", tail
                ):
                    return "hollow"
        return "protect"
    if rx.search(r"provided(?:,)? (?:however,? )?that (?:none|no)\b|none of which is\b", sent.text, re.I):
        return "protect"
    if sent.has("SEPARATE_CONSENT") and not sent.has("NO_CONSENT_NEEDED"):
        for sc in sent.get("SEPARATE_CONSENT"):
            low = sc.text.lower()
            before = doc_text[max(sent.start, sc.start - 40) : sc.start].lower()
            if rx.search(
                r"not require|no need|need for no|without (?:the )?need|not (?:be )?required|dispens|instead of", before
            ):
                continue  # "does not require any separate consent": the protection is waived, not given
            if (
                low.startswith(("without", "only", "solely"))
                or "separate" in low
                or "specific" in low
                or "informed" in low
                or "opt" in low
                or "express" in low
                or "explicit" in low
            ):
                return "protect"
    return "grant"


HEADING = re.compile(r"^\W*(?:\*\*[^*]{1,120}\*\*|#+\s[^\n]{1,120})\W*$")
RESERVES = re.compile(
    r"\b(?:shall|will|does|is to)?\s*remains? the (?:sole |exclusive |sole and exclusive )?owners?\b|"
    r"\bretains? (?:all|sole|full|exclusive|its|his|her|their)\b[^.;]{0,40}\b(?:right|title|ownership|interest)",
    re.I,
)
BULLET = re.compile(r"(?:^|\s)[*•]\s+\S")
USER_DUTY = re.compile(
    r"\byou (?:will|shall|may|must|agree) not\b[^.;]{0,60}\b(?:use|modify|alter|copy|create|reproduce|post|upload|"
    r"decompile|access|distribute|scrape|sell)\b|\byou agree not to\b|\byou are not (?:allowed|permitted) to\b|"
    r"\byou (?:will|shall|may|must) not (?:do|engage in) (?:any of )?the following\b|"
    r"^\W*(?:also,?\s+)?(?:don['’]t|do not|never)\s+(?:use|post|upload|share|impersonate|host|copy|reproduce|modify|"
    r"distribute|sell|exploit|publish|translate)\b",
    re.I,
)
# an item of a numbered, lettered or bulleted list ("10.  collect, aggregate, mine, scrape or otherwise use ...")
_LIST_ITEM = re.compile(r"^\s*(?:\(?[0-9]{1,2}[.)]|\(?[a-z]\)|\(?[ivx]{1,4}\)|[*•])\s+[A-Za-z]")
# its lead-in: "You agree that you will not use the Services to:"; "you may not:"
PROHIBITING_LEAD = re.compile(
    r"\b(?:not|never|prohibited|forbidden|refrain from|won['’]t|don['’]t)\b[^.;:]{0,120}:\s*$", re.I
)


def lead_ins(s: "Sentence", text: str) -> list[tuple[int, int, str]]:
    """The lead-in lines ("... the following purposes, namely:") governing a list item, innermost first;
    empty when the sentence is not a list item. Nested lists are followed up to three levels."""
    # only the 12 characters before the sentence can hold its marker: a bounded look, or a contract flattened onto
    # one line would be searched back to its start for every sentence
    nl = text.rfind("\n", max(0, s.start - 13), s.start)
    if nl < 0 and s.start > 12:
        return []
    line_start = nl + 1
    if not _LIST_ITEM.match(text[line_start : s.start + 20]):
        return []
    leads: list[tuple[int, int, str]] = []
    indent = _indent(text, line_start)
    siblings = 0
    while len(leads) < 3:
        base = max(0, line_start - 6000)
        window = text[base:line_start]
        lead = None
        for m in rx.finditer(r"[^\n]*:[ \t]*\n", window):
            lead = m
        if lead is None:
            break
        # every line between the lead-in and the item is itself a list item (or blank): the item is in that list
        if any(ln.strip() and not _LIST_ITEM.match(ln) for ln in window[lead.end() :].split("\n")):
            break
        lead_line = lead.group(0).strip()
        if _LIST_ITEM.match(lead_line) and _indent(text, base + lead.start()) == indent and siblings < 40:
            # an earlier item of the same list that opens a list of its own ("3. Any threat, including:"): a
            # sibling, not the lead-in; the list's lead-in is above it
            siblings += 1
            line_start = base + lead.start()
            continue
        leads.append((base + lead.start(), base + lead.end(), lead_line))
        if not _LIST_ITEM.match(lead_line):
            break
        line_start = base + lead.start()  # a nested list: look at its own lead-in
        indent = _indent(text, line_start)
    return leads


def _indent(text: str, line_start: int) -> int:
    """The width of the blank at the start of the line that starts at ``line_start``."""
    end = line_start
    while end < len(text) and text[end] in " \t":
        end += 1
    return end - line_start


def prohibited_list_item(s: "Sentence", text: str) -> bool:
    """A list item governed by a prohibiting lead-in: the user's conduct, not a grant to the company
    ("You must not: ... (d) use the Services to do any of the following: ... 10. collect ... NoAI Content")."""
    return any(PROHIBITING_LEAD.search(lead) for _, _, lead in lead_ins(s, text))


prefilter_module(globals())  # each pattern above skips a text lacking every word it needs (castguard.prefilter)
