"""A contract flattened onto one line (text exports lose their line breaks): linear work, same findings.

No timings here (benchmarks/one_line.py times it): the segmenter's regular-expression work is counted, in
characters read, and must grow in proportion to the length of the line.
"""

from __future__ import annotations

import random
import re
import types

import pytest
from conftest import CORPUS

from castguard.ingest import read_document
from castguard.model import Document
from castguard.scan import scan, scan_document

SOURCE = CORPUS / "cuad_endorsement_bizzingo_joetheismann.pdf"  # the Joe Theismann endorsement (CUAD)


def _one_line(text: str, size: int | None = None) -> str:
    """Line breaks as spaces (a blank line becomes two), repeated to ``size`` characters: an exported archive."""
    flat = text.replace("\n", " ")
    if size is None:
        return flat
    return ((flat + " ") * (size // (len(flat) + 1) + 1))[:size]


def _doc(text: str) -> Document:
    return Document(source="flat.txt", sha256="0" * 64, format="txt", text=text, blocks=())


class _Counted:
    """A compiled pattern that adds up the characters its calls read (a failed search reads its whole range)."""

    def __init__(self, pattern: re.Pattern, tally: list[int]):
        self._p, self._tally = pattern, tally

    @staticmethod
    def _range(string, pos=0, endpos=None):
        end = len(string) if endpos is None else min(endpos, len(string))
        return max(pos, 0), end

    def match(self, string, *args):
        pos, end = self._range(string, *args)
        m = self._p.match(string, *args)
        self._tally[0] += (m.end() - pos if m else 0) + 1
        return m

    def fullmatch(self, string, *args):
        pos, end = self._range(string, *args)
        self._tally[0] += end - pos + 1
        return self._p.fullmatch(string, *args)

    def search(self, string, *args):
        pos, end = self._range(string, *args)
        m = self._p.search(string, *args)
        self._tally[0] += (m.end() if m else end) - pos + 1
        return m

    def findall(self, string, *args):
        pos, end = self._range(string, *args)
        self._tally[0] += end - pos + 1
        return self._p.findall(string, *args)

    def sub(self, repl, string, count=0):
        self._tally[0] += len(string) + 1
        return self._p.sub(repl, string, count)

    def finditer(self, string, *args):
        pos, end = self._range(string, *args)
        last = pos
        self._tally[0] += 1
        for m in self._p.finditer(string, *args):
            self._tally[0] += m.end() - last
            last = m.end()
            yield m
        self._tally[0] += end - last  # read to the end only when the caller reads every match

    def __getattr__(self, name):
        return getattr(self._p, name)


def _count_regex_work(monkeypatch, modules) -> list[int]:
    """Count every compiled pattern and every ``re.match``/``re.findall``/... call of ``modules``."""
    tally = [0]
    for mod in modules:
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(mod, name, _Counted(value, tally))
        facade = types.SimpleNamespace(**{k: getattr(re, k) for k in dir(re) if not k.startswith("__")})
        for fn in ("match", "search", "findall", "fullmatch", "sub", "finditer"):
            setattr(
                facade,
                fn,
                lambda pattern, *a, _fn=fn, **kw: getattr(_Counted(re.compile(pattern), tally), _fn)(*a, **kw),
            )
        monkeypatch.setattr(mod, "re", facade)
    return tally


def test_segmenting_one_line_reads_it_in_linear_work(monkeypatch):
    """Regression (issue 18): the inline-heading check read the rest of the line after every clause number,
    and the cross-reference check the whole line before it: 44 s for 1 M characters, refused at 5 M."""
    import castguard.segment as seg
    import castguard.segment.numbering as numbering

    text = read_document(SOURCE).text
    small, large = _one_line(text, 40_000), _one_line(text, 160_000)
    tally = _count_regex_work(monkeypatch, [seg, numbering])
    work = []
    starts = []
    for sample in (small, large):
        tally[0] = 0
        starts.append(len(seg._find_starts(_doc(sample))))
        work.append(tally[0])
    assert starts[0] >= 20 and starts[1] >= 3.5 * starts[0]  # the clause numbers are found all along the line
    # 4x the text, 4x the work: 3.1 characters read per character at both sizes (before the fix, rescanning
    # the line for every number: 20 and 73 per character, 14.8x the work for 4x the text)
    assert work[1] <= 4.4 * work[0], work
    assert work[1] / len(large) < 10, work


def test_flattened_contract_keeps_its_clauses_and_findings(tmp_path):
    original = scan(SOURCE)
    path = tmp_path / "flat.txt"
    path.write_text(_one_line(original.document.text), encoding="utf-8")
    flat = scan(path)
    assert "\n" not in flat.document.text
    assert flat.in_scope == original.in_scope is True
    assert (
        sorted(f.gap for f in flat.findings)
        == sorted(f.gap for f in original.findings)
        == [
            "assignment_sublicensing",
            "silent_broad_legacy_grant",
        ]
    )
    numbers = [c.number for c in flat.clauses if c.number]
    assert len(flat.clauses) >= 10 and {"1.", "2.", "3.", "4."} <= set(numbers), numbers
    # every clause is a piece of the line, in order, and they tile it
    assert all(a.end <= b.start for a, b in zip(flat.clauses, flat.clauses[1:]))
    assert all(flat.document.text[c.start : c.end] == c.text for c in flat.clauses)


def test_flattened_archive_is_scanned_whole(tmp_path):
    """The same contract four times on one line (an archive exported as text): every copy's clauses."""
    text = read_document(SOURCE).text
    one = scan_document(_doc(_one_line(text)))
    four = scan_document(_doc(_one_line(text, 4 * (len(text) + 1))))
    assert len(four.clauses) >= 4 * len(one.clauses) - 3
    assert sorted({f.gap for f in four.findings}) == sorted({f.gap for f in one.findings})


# --- the faster code reads less, and answers exactly as the whole-line code did --------------------------


def _inline_heading_whole_line(text, body, line_end):
    """castguard 0.x's inline-heading check, which read to the end of the line: the reference."""
    from castguard.segment import _HEADING_INLINE, _is_caps_heading, _is_title_case

    rest = text[body:line_end]
    lead = len(rest) - len(rest.lstrip(" \t*_"))
    body += lead
    rest = rest[lead:].replace("**", "").replace("__", "")
    m = _HEADING_INLINE.match(rest)
    if m:
        cand = m.group(1).strip()
        if cand and (_is_caps_heading(cand) or _is_title_case(cand)) and len(cand.split()) <= 8:
            return cand, body + m.end()
    stripped = rest.strip().strip("*_").strip()
    if (
        stripped
        and (_is_caps_heading(stripped) or (_is_title_case(stripped) and not stripped.endswith(".")))
        and len(stripped.split()) <= 8
    ):
        return stripped.rstrip(":."), line_end
    return None, None


_PIECES = (
    "A", "GRANT", "OF", "RIGHTS", "Rights", "Term", "the", "and", "*", "**", "__", "_", " ", " ", " ", "  ", "\t",
    ".", ":", "-", "—", "\xa0", "a", "1", "(a)", ",", ";", "x" * 30, "Definitions", "’", "sections", "to",
    "pursuant", "SUBSECTIONS", "hereof", "ſee", "Section 5",
)  # fmt: skip


@pytest.mark.parametrize("seed", [0, 1])
def test_inline_heading_and_xref_checks_answer_as_whole_line_reads(seed):
    from castguard.segment import _XREF_LEAD, _blank, _ends_with_xref_lead, _inline_heading

    rnd = random.Random(seed)
    found = 0
    for _ in range(6000):
        s = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 140)))
        body = rnd.randint(0, min(3, len(s)))
        expected = _inline_heading_whole_line(s, body, len(s))
        assert _inline_heading(s, body, len(s)) == expected, (s, body)
        found += expected[0] is not None
        e = rnd.randint(0, len(s))
        assert _ends_with_xref_lead(s, e) == bool(_XREF_LEAD.search(s[:e])), (s, e)
        a, b = rnd.randint(0, len(s)), rnd.randint(0, len(s))
        assert _blank(s, a, b) == (not s[a:b].strip())
    assert found > 100  # the strings do exercise headings


def test_real_inline_headings_are_read_as_before():
    """Every clause number of a real one-line contract gets the heading the whole-line read gave it."""
    import castguard.segment as seg

    text = _one_line(read_document(SOURCE).text)
    checked = 0
    for st in seg._find_starts(_doc(text)):
        if st.marker is not None:
            assert seg._inline_heading(text, st.body, len(text)) == _inline_heading_whole_line(text, st.body, len(text))
            checked += 1
    assert checked >= 10


def test_suppression_and_features_unchanged_on_a_real_contract():
    """Rule suppression by bisection and the TF-IDF analyser's word counts equal the plain definitions."""
    from castguard.classify import concepts, features
    from castguard.segment.sentences import parse

    text = read_document(SOURCE).text
    sdoc = parse(text)
    phrase, token = concepts.matchers()
    hits = [
        concepts.Hit(sdoc.vocab.strings[i], sdoc[s:e].start_char, sdoc[s:e].end_char, sdoc[s:e].text)
        for i, s, e in phrase(sdoc)
    ]
    hits += [
        concepts.Hit(sdoc.vocab.strings[i].split("#")[0], sdoc[s:e].start_char, sdoc[s:e].end_char, sdoc[s:e].text)
        for i, s, e in token(sdoc)
    ]
    plain = [
        h
        for h in hits
        if not any(
            b.start <= h.start and h.end <= b.end
            for c in concepts._SUPPRESSED_BY.get(h.concept, ())
            for b in hits
            if b.concept == c
        )
    ]
    assert concepts._suppress(hits) == plain and len(plain) < len(hits)  # something was suppressed
    assert features.analyze(text) == _analyze_counting_each_word(text)


def _analyze_counting_each_word(text: str) -> list[str]:
    """The analyser as it was (``words.count(w)`` per distinct word, quadratic in a clause): the reference."""
    from castguard.classify import features

    text = features._normalise(text)
    words = features._WORD.findall(text)
    feats = [f"w:{w}" for w in words]
    feats += [f"w:{a} {b}" for a, b in zip(words, words[1:])]
    for w in sorted(set(words)):
        padded = f" {w} "
        count = words.count(w)
        for n in (3, 4, 5):
            if len(padded) < n:
                continue
            grams = [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
            feats += grams * count
    return feats
