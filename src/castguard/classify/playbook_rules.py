"""A user playbook's ``[[rules]]``: extra patterns that raise a gap, or keep one from being raised.

A raising rule reads each sentence of the contract like the built-in rules do: a sentence that matches (its
phrases or regex, with every named concept present) labels its clause with the gap, as the rule detector's
own hit with the sentence as evidence. Negation is read the same way, so "Company shall not make a body
scan" is a protection, not a grant; definitions, headings and pointers ("as set out in the Rider") grant
nothing. A suppressing rule drops the gap where its sentence matches (``scope = "sentence"``) or from a
contract that matches anywhere (``scope = "contract"``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..model import Clause, Document, Finding
from ..playbooks.rulepatterns import patterns_of
from .clause_rules import DETECTOR_ID, HOLLOWED, ClauseHit
from .concepts import Concepts, Hit
from .sentences import polarity, sentences_of

if TYPE_CHECKING:
    from ..playbooks import Playbook, PlaybookRule

__all__ = ["apply_rules", "finish_findings"]

S = patterns_of("sentences")  # HEADING: playbooks/patterns/sentences.toml

SCORE = 0.8


def _span_matches(rule: PlaybookRule, doc: Document, concepts: Concepts, start: int, end: int) -> bool:
    present = {h.concept for h in concepts.within(start, end)}
    return rule.matches(doc.text[start:end], present.__contains__) is not None


def _contract_has(rule: PlaybookRule, doc: Document, concepts: Concepts) -> bool:
    present = {h.concept for h in concepts.hits}
    return rule.matches(doc.text, present.__contains__) is not None


def apply_rules(
    playbook: Playbook, doc: Document, clauses: tuple[Clause, ...], concepts: Concepts, hits: list[ClauseHit]
) -> list[ClauseHit]:
    """``hits`` with the playbook's raising rules added and its suppressed gaps taken out."""
    raising = [r for r in playbook.rules if not r.suppress]
    suppressing = [r for r in playbook.rules if r.suppress and r.scope == "sentence"]
    whole = {r.gap for r in playbook.rules if r.suppress and r.scope == "contract" and _contract_has(r, doc, concepts)}
    out = [h for h in hits if h.label not in whole]
    if suppressing:
        out = [
            h
            for h in out
            if not any(r.gap == h.label and _span_matches(r, doc, concepts, h.start, h.end) for r in suppressing)
        ]
    if not raising:
        return out
    for clause, s in sentences_of(doc, clauses, concepts):
        if s.is_definition or s.is_pointer or S.HEADING.match(s.text):
            continue
        for rule in raising:
            if rule.gap in whole:
                continue
            m = rule.matches(s.text, s.has)
            if m is None:
                continue
            if rule.pattern is not None:
                key = [Hit("PLAYBOOK", s.start + m.start(), s.start + m.end(), m.group(0))]
            else:  # concepts only: the first concept's words are the key the negation must govern
                key = s.get(rule.concepts[0])
            cue = key[0].text.lower()
            if any(r.gap == rule.gap and r.matches(s.text, s.has) for r in suppressing):
                continue
            pol = polarity(s, key, doc.text)
            if pol == "protect":
                out.append(ClauseHit(clause.id, f"protective:{rule.gap}", SCORE, s.start, s.end, (cue,),
                                     "prohibited or conditioned on separate consent", DETECTOR_ID))  # fmt: skip
            else:
                note = HOLLOWED if pol == "hollow" else ""
                out.append(ClauseHit(clause.id, rule.gap, SCORE, s.start, s.end, (cue,), note, DETECTOR_ID))
    return out


def finish_findings(
    playbook: Playbook, doc: Document, concepts: Concepts, findings: tuple[Finding, ...]
) -> tuple[Finding, ...]:
    """The findings after the playbook's suppressing rules (a finding whose every quote matches one is dropped;
    one quote that matches is left out), each raised by a playbook rule saying so with the rule's ``why``."""
    out: list[Finding] = []
    for f in findings:
        rules = [r for r in playbook.rules if r.suppress and r.gap == f.gap]
        if any(r.scope == "contract" and _contract_has(r, doc, concepts) for r in rules):
            continue
        sentence_rules = [r for r in rules if r.scope == "sentence"]
        if sentence_rules and f.evidence:
            kept = tuple(
                e
                for e in f.evidence
                if not any(_span_matches(r, doc, concepts, e.start, e.end) for r in sentence_rules)
            )
            if not kept:
                continue
            if len(kept) != len(f.evidence):
                f = replace(f, evidence=kept)
        whys = []
        for r in playbook.rules:
            if r.suppress or r.gap != f.gap:
                continue
            if any(_span_matches(r, doc, concepts, e.start, e.end) for e in f.evidence) and r.why not in whys:
                whys.append(r.why)
        if whys:
            said = " ".join(w.rstrip(".") + "." for w in whys if w)
            f = replace(f, explanation=f"{f.explanation} Playbook “{playbook.name}”: {said or 'raised by its rule.'}")
        out.append(f)
    return tuple(out)
