"""Patterns that skip a text lacking every word they need (castguard.prefilter) find exactly what they found.

The claims the skip rests on are checked here over every Unicode character, and every wrapped pattern of the
package is run both ways -- the pattern alone and behind its filter -- over the sentences of the sample
contracts and tests/corpus, and over the same sentences with their letters swapped for the characters that
``re.IGNORECASE`` also accepts ("İ", "ı", "ſ", "K", capitals).
"""

from __future__ import annotations

import importlib
import re
import string

import pytest
from conftest import CORPUS, SAMPLES

from castguard.playbooks import default_playbook
from castguard.playbooks.rulepatterns import patterns_of
from castguard.prefilter import _FOLD, Prefiltered, folded, required_words

MODULES = (
    "castguard.classify.clause_rules",
    "castguard.classify.sentences",
    "castguard.classify.scope",
    "castguard.classify.protections",
    "castguard.classify.contract",
)


def test_folding_keeps_every_character_in_place_and_lowers_what_ignorecase_matches():
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    assert len(every.translate(_FOLD).lower()) == len(every)
    for c in string.printable:
        for m in re.finditer(re.escape(c), every, re.I):
            assert folded(m.group(0)) == c.lower(), (c, m.group(0))


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\bwarrants? (?:and represents )?that\b|\bindemnif", ("indemnif", "warrant")),
        (r"\bmay\b|\bhereby\b", ("hereby", "may")),
        (r"\bno\b|\bhereby\b", None),  # "no" is too short to look for: never skipped
        (r"(?-i:such Content)|\bYour Content\b", ("such content", "your content")),
        (r"(?<=member of )Equity\b", ("equity",)),
        (r"[a-z]+ing\b", ("ing",)),
        (r"[a-z]+in\b", None),
        (r"(?:fee|fees)?\s*paid", ("paid",)),
    ],
)
def test_the_words_a_pattern_needs(pattern, words):
    assert required_words(pattern, re.I) == words


def _texts() -> list[str]:
    from castguard.ingest import read_document
    from castguard.segment import segment

    out = []
    for path in sorted(SAMPLES.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:4]:
        doc = read_document(path)
        for clause in segment(doc):
            out += [doc.text[s:e] for s, e in clause.sentences] or [clause.text]
    return out


_LOOKALIKE = str.maketrans({"i": "İ", "s": "ſ", "k": "K", "I": "ı", "e": "E", "a": "A"})


def test_every_wrapped_pattern_finds_what_it_finds_alone():
    wrapped = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, Prefiltered):
                wrapped[f"{name}.{attr}"] = value
    # the rule modules' named patterns (playbooks/patterns/<module>.toml), as the rules read them
    named_patterns = {}
    for module, table in default_playbook().patterns.items():
        named = patterns_of(module)
        named_patterns |= {f"patterns/{module}.{n}": getattr(named, n) for n, p in table.items() if not p.fragment}
    assert len(wrapped) + len(named_patterns) > 250
    texts = _texts()
    texts += [t.translate(_LOOKALIKE) for t in texts[::4]] + [t.upper() for t in texts[::8]]
    # the named patterns on every sixth text, cut to 300 characters; the two that scope.py only ever matches at
    # the start of the 50 characters after a word ("photographs of the Artist") are matched there, as they are
    # used: searched through a whole clause, their run of up to six words backtracks for minutes
    short = [t[:300] for t in texts[::6]]
    after_only = {"patterns/scope.OF_YOU_AFTER", "patterns/scope.OF_OWNER_NAMED_AFTER"}
    for label in after_only:
        p = named_patterns.pop(label)
        for t in texts[::4]:
            for start in range(0, min(len(t), 150), 25):
                window = t[start : start + 50]
                got, alone = p.match(window), p.compiled.match(window)
                assert (got and got.span()) == (alone and alone.span()), (label, window)
    skipped = 0
    cases = [(label, p, texts) for label, p in wrapped.items()]
    cases += [(label, p, short) for label, p in named_patterns.items()]
    for label, p, sample in cases:
        for t in sample:
            got, alone = p.search(t), p.compiled.search(t)
            assert (got and got.span()) == (alone and alone.span()), (label, t[:80])
            assert [m.span() for m in p.finditer(t)] == [m.span() for m in p.compiled.finditer(t)], label
            skipped += not p._may_match(t)
    assert skipped > len(texts)  # the filter does skip texts (else it is only a cost)


def test_every_union_the_facts_know_is_named_with_one_of_the_words_looked_for_first():
    """facts._union runs its expression only on a text with one of _UNION_WORDS in it."""
    from castguard.facts import _UNION_RE, _UNION_WORDS, _UNIONS

    mentions = {
        "SAG-AFTRA": ["SAG-AFTRA", "SAG AFTRA"],
        "SAG": ["SAG", "Screen Actors Guild"],
        "AFTRA": ["AFTRA", "American Federation of Television and Radio Artists"],
        "Equity": ["Actors' Equity", "British Equity", "UK Equity", "member of Equity", "Equity's terms",
                   "Equity agreement"],  # fmt: skip
        "AFM": ["AFM", "American Federation of Musicians"],
        "ACTRA": ["ACTRA"],
        "MEAA": ["MEAA", "Media, Entertainment & Arts Alliance"],
        "Musicians' Union": ["Musicians' Union"],
        "WGA": ["WGA", "Writers Guild of America"],
        "DGA": ["DGA", "Directors Guild of America"],
    }
    assert set(mentions) == {name for name, _ in _UNIONS}  # a union added to _UNIONS needs its words here
    for name, texts in mentions.items():
        for text in texts:
            assert _UNION_RE.search(f"a member of {text} rules"), text
            assert any(w in text for w in _UNION_WORDS), text


def test_union_matches_are_the_expressions_matches():
    """facts._union_matches tries _UNION_RE only where a match can begin; it finds what finditer finds."""
    from castguard.facts import _UNION_RE, _union_matches
    from castguard.ingest import read_document

    crafted = (
        "SAG-AFTRA SAG AFTRA xSAG SAGx Screen Actors Guild American Federation of Television and Radio Artists "
        "Actors' Equity British Equity UK Equity member of Equity rules, a member in good standing of Equity. "
        "Equity's terms; private Equity agreement; stockholders’ Equity contract; the Equity agreement; AFM; "
        "American Federation of Musicians; ACTRA, MEAA, Media, Entertainment & Arts Alliance; Musicians' Union; "
        "WGA, Writers Guild of America; DGA and the Directors Guild of America"
    )
    texts = [crafted, crafted.replace(" ", "\n"), crafted.lower(), crafted.upper()]
    texts += [read_document(p).text for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".pdf")]
    found = 0
    for text in texts:
        expected = [(m.span(), m.lastgroup) for m in _UNION_RE.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in _union_matches(text)] == expected
        found += len(expected)
    assert found > 20


def test_the_built_in_patterns_carry_their_words_and_compile_only_when_a_text_may_match():
    # default.compiled.json stores each named pattern's words (computed when it is written), so a scan neither
    # parses a pattern to find them nor compiles one that no sentence can match
    stored = [(module, p) for module, table in default_playbook().patterns.items() for p in table.values()]
    stored = [(module, p) for module, p in stored if not p.fragment]
    assert len(stored) > 250
    for module, p in stored:
        assert p.words is not False, f"{module}.{p.name}: words not stored (run python -m castguard.playbooks)"
        assert p.words == required_words(p.regex, p.flag_bits()), f"{module}.{p.name}"
    lazy = Prefiltered.lazy(r"\bwarrants? that\b|\bindemnif", re.I, ("indemnif", "warrant"))
    assert lazy.search("The Talent shall appear at two events.") is None
    assert lazy._compiled is None  # no text could match yet: never compiled
    m = lazy.search("Talent WARRANTS THAT it owns the rights.")
    assert m is not None and m.group(0) == "WARRANTS THAT" and lazy._compiled is not None
    # words left to be read on first use, as a user's replacement pattern has them
    fresh = Prefiltered.lazy(r"\bwarrants? that\b|\bindemnif", re.I)
    assert fresh.search("no such words") is None and fresh._words == ("indemnif", "warrant")
    assert fresh.pattern == r"\bwarrants? that\b|\bindemnif" and fresh.flags & re.I
