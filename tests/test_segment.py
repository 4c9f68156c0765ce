"""Document -> clause tree: golden trees per format, and the numbering schemes one by one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from castguard.ingest import read_document
from castguard.ingest.text import read_text
from castguard.model import Document
from castguard.segment import segment

sys.path.insert(0, str(ROOT / "tests" / "golden"))
from regen import GOLDEN, golden_path, tree  # noqa: E402


@pytest.mark.parametrize("rel", GOLDEN, ids=[Path(g).name for g in GOLDEN])
def test_golden_clause_tree(rel):
    expected = json.loads(golden_path(rel).read_text(encoding="utf-8"))
    assert tree(ROOT / rel) == expected


def _doc(text: str) -> Document:
    fields = read_text(text.encode("utf-8"), "t.txt")
    return Document(source="t.txt", sha256="0" * 64, format="txt", text=fields["text"], blocks=fields["blocks"])


def _clauses(text: str):
    return [(c.number, c.heading, c.parent) for c in segment(_doc(text))]


def test_articles_sections_and_headings_on_their_own_line():
    text = (
        "ARTICLE IV\nGRANT OF RIGHTS\nSection 4.1 Likeness. Talent grants Company the right to use her name.\n"
        "Section 4.2 Voice. Company may record Talent's voice.\nARTICLE V\nTERM\n5.1 The term is one year.\n"
    )
    got = [(n, h) for n, h, _ in _clauses(text)]
    assert got == [
        ("ARTICLE IV", "GRANT OF RIGHTS"),
        ("Section 4.1", "Likeness"),
        ("Section 4.2", "Voice"),
        ("ARTICLE V", "TERM"),
        ("5.1", None),
    ]
    clauses = segment(_doc(text))
    assert clauses[1].parent == clauses[0].id and clauses[4].parent == clauses[3].id


def test_decimal_depths_nest():
    text = "5. Rights.\n5.2 Company may use the recordings.\n5.2.1 Including in trailers.\n5.2.2 And in advertising.\n6. Term.\n"
    clauses = segment(_doc(text))
    by_number = {c.number: c for c in clauses}
    assert by_number["5.2"].parent == by_number["5."].id
    assert by_number["5.2.1"].parent == by_number["5.2"].id
    assert by_number["5.2.2"].parent == by_number["5.2"].id
    assert by_number["6."].parent is None


def test_roman_versus_letter_is_resolved_by_sequence():
    letters = "1. Items.\n(a) one\n(b) two\n(c) three\n(d) four\n(e) five\n(f) six\n(g) seven\n(h) eight\n(i) nine\n"
    got = segment(_doc(letters))
    i_clause = got[-1]
    assert i_clause.number == "(i)" and i_clause.level == got[-2].level  # "(i)" after "(h)" is the letter i
    romans = "1. Items.\n(a) first:\n(i) sub one\n(ii) sub two\n(iii) sub three\n(b) second\n"
    got = segment(_doc(romans))
    numbers = [(c.number, c.level) for c in got]
    assert numbers == [("1.", 0), ("(a)", 1), ("(i)", 2), ("(ii)", 2), ("(iii)", 2), ("(b)", 1)]


def test_right_paren_numbers_and_letter_dots():
    text = "RECITALS\nA. Company makes films.\nB. Artist sings.\n1) Artist shall record.\n2) Company shall pay.\n"
    assert [n for n, _, _ in _clauses(text)] == [None, "A.", "B.", "1)", "2)"]


def test_cross_references_and_addresses_are_not_clause_starts():
    text = (
        "1. Grant. Company may use the Likeness as provided pursuant to Section\n3.1 of this Agreement and "
        "Section 4 hereof.\n2. Notices. Notices go to:\nCompany Inc.\n1200 Main Street\nSuite 5\n"
        "Los Angeles, CA 90028\n3. Term. The term is one year, subject to 2.1 above.\n"
    )
    assert [n for n, _, _ in _clauses(text)] == ["1.", "2.", "3."]


def test_flattened_text_splits_inline_numbering():
    text = (
        "1. Sponsorship.   (a) During the term the Sponsor will be a sponsor:   (i) first benefit.   "
        "(ii) second benefit.   (b) Sponsor pays.   2. Term. One year."
    )
    got = [(n, h) for n, h, _ in _clauses(text)]
    assert got == [("1.", "Sponsorship"), ("(a)", None), ("(i)", None), ("(ii)", None), ("(b)", None), ("2.", "Term")]


def test_definitions_section_makes_a_clause_per_term():
    text = (
        'DEFINITIONS\n"Digital Replica" means a computer-generated representation of Performer.\n'
        '"Picture" means the film currently entitled Salt Line.\nGRANT OF RIGHTS\n1. Company may use the Picture.\n'
    )
    got = _clauses(text)
    assert [h for _, h, _ in got] == ["DEFINITIONS", "Digital Replica", "Picture", "GRANT OF RIGHTS", None]


def test_offsets_pages_and_sentences_are_consistent():
    doc = read_document(ROOT / "sample_contracts" / "film_actor_harborlight.pdf")
    clauses = segment(doc)
    ids = {c.id for c in clauses}
    for c in clauses:
        assert doc.text[c.start : c.end] == c.text
        assert c.parent is None or c.parent in ids
        assert c.page == doc.page_at(c.start)
        for s0, s1 in c.sentences:
            assert c.start <= s0 < s1 <= c.end
    assert [c.start for c in clauses] == sorted(c.start for c in clauses)
    sec = next(c for c in clauses if c.number == "Section 6.2")
    assert len(sec.sentences) >= 1 and doc.text[sec.sentences[0][0] :].startswith("Section 6.2")


def test_flattened_single_spaced_decimals_and_inline_headings():
    text = (
        'the following meanings: 2.1 "Commercial Rights" means rights of a commercial nature. 2.2 "Term" means one '
        "year. 3. Term of this Agreement. This Agreement runs one year.   Independent Contractor. Nothing herein "
        "creates a partnership with Mr. Smith. 4. Fees. Company pays."
    )
    got = [(n, h) for n, h, _ in _clauses(text)]
    assert got == [
        (None, None),
        ("2.1", None),
        ("2.2", None),
        ("3.", "Term of this Agreement"),
        (None, "Independent Contractor"),
        ("4.", "Fees"),
    ]
