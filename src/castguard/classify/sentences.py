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
from ..playbooks.rulepatterns import patterns_of
from .concepts import Concepts, Hit

__all__ = ["Sentence", "conditional_list_item", "lead_ins", "polarity", "prohibited_list_item", "sentences_of"]

# playbooks/patterns/sentences.toml; the clause rules, the protections and the contract-level gaps read the
# sentence shapes that never grant (HEADING, BULLET, USER_DUTY, RESERVES, PROHIBITING_LEAD) from it too
P = patterns_of("sentences")


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
        return bool(P.POINTER.search(self.text)) and not P.OPERATIVE_WORD.search(self.text)

    @property
    def is_definition(self) -> bool:
        m = P.DEFINITION_LEAD.search(self.text[:200])
        # "By Sensitive Content, we mean any video that ...": a definition in the second person
        return bool(m) or bool(P.WE_MEAN.match(self.text))

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


def polarity(sent: Sentence, key: list[Hit], doc_text: str) -> str:
    """'grant', 'protect' or 'hollow' for the key concept hits of a sentence."""
    if not key:
        return "grant"
    first = key[0]
    for neg in sent.get("NEG"):
        if neg.start >= first.start:
            continue
        if P.PROHIBITED_BY_LAW.match(doc_text[neg.start : neg.end + 30]):
            continue  # "Except as prohibited by law, you hereby waive ...": the law's limit, not a negated grant
        gap = _between(doc_text, neg.end, first.start)
        if ";" in gap or len(gap) > 260 or P.BUT_PROVIDED_EXCEPT.search(gap):
            continue
        # "will not be compensated for the use ... to train", "shall not be prevented from": the negation
        # governs another predicate, not the grant
        if P.NEGATES_ANOTHER_VERB.match(gap):
            continue
        # exception after the prohibition that does not ask for consent: the protection is hollow
        for exc in sent.get("EXCEPT"):
            if exc.start > neg.start:
                tail = doc_text[exc.end : min(sent.end, exc.end + 160)].lower()
                if P.HOLLOWING_EXCEPTION.search(tail) and not P.ASKS_CONSENT.search(tail):
                    return "hollow"
        return "protect"
    if P.NONE_OF_WHICH.search(sent.text):
        return "protect"
    if sent.has("SEPARATE_CONSENT") and not sent.has("NO_CONSENT_NEEDED"):
        for sc in sent.get("SEPARATE_CONSENT"):
            low = sc.text.lower()
            before = doc_text[max(sent.start, sc.start - 40) : sc.start].lower()
            if P.CONSENT_WAIVED_BEFORE.search(before):
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


# the lead-ins found for the sentences of the text last read (and the playbook's patterns it was read with): the
# clause rules ask them of one list item several times (prohibited? a condition? an AI purpose?)
_LEADS: tuple[str, object, dict[int, list[tuple[int, int, str]]]] | None = None


def lead_ins(s: "Sentence", text: str) -> list[tuple[int, int, str]]:
    """The lead-in lines ("... the following purposes, namely:") governing a list item, innermost first;
    empty when the sentence is not a list item. Nested lists are followed up to three levels."""
    global _LEADS
    memo = _LEADS
    rules = P.LIST_ITEM
    if memo is None or memo[0] is not text or memo[1] is not rules:
        memo = _LEADS = (text, rules, {})
    got = memo[2].get(s.start)
    if got is None:
        got = memo[2][s.start] = _lead_ins(s.start, text)
    return got


def _lead_ins(start: int, text: str) -> list[tuple[int, int, str]]:
    # only the 12 characters before the sentence can hold its marker: a bounded look, or a contract flattened onto
    # one line would be searched back to its start for every sentence
    nl = text.rfind("\n", max(0, start - 13), start)
    if nl < 0 and start > 12:
        return []
    line_start = nl + 1
    if not P.LIST_ITEM.match(text[line_start : start + 20]):
        return []
    leads: list[tuple[int, int, str]] = []
    indent = _indent(text, line_start)
    siblings = 0
    while len(leads) < 3:
        base = max(0, line_start - 6000)
        window = text[base:line_start]
        lead = _last_line_ending_in_colon(window)
        if lead is None:
            break
        # every line between the lead-in and the item is itself a list item (or blank): the item is in that list
        if any(ln.strip() and not P.LIST_ITEM.match(ln) for ln in window[lead.end() :].split("\n")):
            break
        lead_line = lead.group(0).strip()
        if (
            P.LIST_ITEM.match(lead_line)
            and _indent(text, base + lead.start()) == indent
            and _marker_kind(lead_line) == _marker_kind(text[line_start : line_start + 12])
            and siblings < 40
        ):
            # an earlier item of the same list that opens a list of its own ("3. Any threat, including:"): a
            # sibling, not the lead-in; the list's lead-in is above it
            siblings += 1
            line_start = base + lead.start()
            continue
        leads.append((base + lead.start(), base + lead.end(), lead_line))
        if not P.LIST_ITEM.match(lead_line):
            break
        line_start = base + lead.start()  # a nested list: look at its own lead-in
        indent = _indent(text, line_start)
    return leads


def _last_line_ending_in_colon(window: str) -> re.Match[str] | None:
    """The last line of ``window`` that ends with a colon, as ``LINE_ENDING_IN_COLON.finditer`` would find it
    last: the lines are tried from the end, each from its start, so a long window costs one pass and not a failed
    search from every position of every line."""
    line = P.LINE_ENDING_IN_COLON
    end = len(window)
    while end > 0:
        start = window.rfind("\n", 0, end - 1) + 1
        m = line.match(window, start)
        if m is not None:
            return m
        end = start
    return None


def _marker_kind(line: str) -> str:
    """The kind of list marker a line starts with: "*" (a bullet), "1" (a number) or "a" (a letter or a roman
    numeral: "(h)" and "(i)" may be one list). An item is the sibling of an earlier line only when both are of one
    kind: "2. Grant. Company may:" over "* use ..." is the bullets' lead-in, not their sibling."""
    first = line.lstrip(" \t(")[:1]
    if first in "*•":
        return "*"
    return "1" if first.isdigit() else "a"


def _indent(text: str, line_start: int) -> int:
    """The width of the blank at the start of the line that starts at ``line_start``."""
    end = line_start
    while end < len(text) and text[end] in " \t":
        end += 1
    return end - line_start


def conditional_list_item(s: "Sentence", text: str) -> bool:
    """A list item whose lead-in states conditions ("the licence granted will continue after you have removed your
    content if: * you have allowed other users ... to use or reuse your content"): the item is a condition of what
    the lead-in says, not a grant of its own."""
    leads = lead_ins(s, text)
    return bool(leads) and bool(P.CONDITION_LEAD.search(leads[0][2]))


def prohibited_list_item(s: "Sentence", text: str) -> bool:
    """A list item governed by a prohibiting lead-in: the user's conduct, not a grant to the company
    ("You must not: ... (d) use the Services to do any of the following: ... 10. collect ... NoAI Content")."""
    return any(P.PROHIBITING_LEAD.search(lead) for _, _, lead in lead_ins(s, text))
