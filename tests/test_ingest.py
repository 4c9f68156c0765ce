"""file -> Document: text, provenance, numbering, pages, headers and footers."""

from __future__ import annotations

import subprocess

import pytest
from conftest import CORPUS, SAMPLES, require_tool

from castguard.ingest import read_document
from castguard.ingest.pdf import _join_hyphenated, _strip_running_heads, _undouble


def test_text_file_keeps_every_line_with_offsets():
    doc = read_document(CORPUS / "cuad_endorsement_teardropgolf_brettogle.txt")
    assert doc.format == "txt" and doc.pages is None
    assert doc.text.startswith("EXHIBIT 10.12")
    assert "\r" not in doc.text
    for block in doc.blocks[:50]:
        assert doc.text[block.start : block.end] == doc.text.split("\n")[doc.text[: block.start].count("\n")]
    assert len(doc.sha256) == 64


def test_markdown_is_md_format_and_headings_are_hints():
    doc = read_document(SAMPLES / "model_release_lumen.md")
    assert doc.format == "md"
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.heading_hint]
    assert "## Release" in headings and "## Signatures" in headings


def test_docx_word_numbering_is_computed_from_numbering_xml():
    doc = read_document(SAMPLES / "voiceover_brightwave.docx")
    labels = [b.label for b in doc.blocks if b.label]
    # the numbers a reader sees, which python-docx's paragraph.text does not contain
    assert labels[:3] == ["1.", "1.1", "(a)"]
    assert "5.3" in labels and "10.5" in labels
    assert "\n1.1 In this Agreement the following definitions apply:" in doc.text
    assert "\n(b) use any Voice Model and Synthetic Output for any purpose" in doc.text


def test_docx_reads_header_footer_after_the_body_and_keeps_tables_and_paragraph_indexes():
    import docx  # python-docx: independent view of the same file

    path = SAMPLES / "voiceover_brightwave.docx"
    doc = read_document(path)
    word = docx.Document(str(path))
    header = " ".join(p.text for s in word.sections for p in s.header.paragraphs if p.text.strip())
    footer = " ".join(p.text for s in word.sections for p in s.footer.paragraphs if p.text.strip())
    # the header and footer are read after the body, marked with where they are and with no body paragraph
    outside = [b for b in doc.blocks if b.location != "body"]
    assert [b.location for b in outside] == ["header", "footer"]
    assert doc.text[outside[0].start : outside[0].end] == header
    # the footer as Word shows it, page number fields included (python-docx's text leaves their values out)
    assert doc.text[outside[1].start : outside[1].end] == footer.replace("Page  of ", "Page 1 of 1")
    assert all(b.paragraph_index is None for b in outside) and outside[0].start > doc.blocks[-3].start
    cells = [b for b in doc.blocks if b.in_table]
    assert cells and any("Audiobook narration" in doc.text[b.start : b.end] for b in cells)
    indexes = [b.paragraph_index for b in doc.blocks if b.location == "body"]
    assert indexes == sorted(indexes) and len(set(indexes)) == len(indexes)
    body_paragraphs = list(word.element.body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"))
    for block in doc.blocks[:40]:
        p = body_paragraphs[block.paragraph_index]
        text = "".join(t.text or "" for t in p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
        assert text.strip() and text.strip()[:20] in doc.text[block.start : block.end]


def test_pdf_pages_and_running_heads_removed():
    doc = read_document(SAMPLES / "film_actor_harborlight.pdf")
    assert doc.format == "pdf" and doc.pages == 4
    assert len(doc.page_starts) == 4 and doc.page_starts[0] == 0
    assert "CONFIDENTIAL" not in doc.text.replace("Confidential", "")  # the running header
    assert "Page 2 of 4" not in doc.text
    # section 5.3 runs across a page break and reads as one paragraph once the heads are gone
    assert doc.page_at(doc.text.index("Section 6.2")) == 3


def test_pdf_text_agrees_with_pdftotext():
    """Every word pdftotext finds in the body is in castguard's text (checks that nothing is lost)."""
    exe = require_tool("pdftotext")
    path = CORPUS / "cuad_endorsement_bizzingo_joetheismann.pdf"
    ref = subprocess.run([exe, str(path), "-"], capture_output=True, text=True, check=True).stdout
    doc = read_document(path)
    ours = set(doc.text.split())
    words = [w for w in ref.split() if w.isalpha() and len(w) > 3]
    missing = [w for w in words if w not in ours]
    assert len(missing) / len(words) < 0.02, missing[:20]


def test_pdf_page_numbers_recorded_for_corpus_pdf():
    doc = read_document(CORPUS / "cuad_endorsement_berkshirebank_genoauriemma.pdf")
    assert doc.pages == 12
    assert doc.page_at(0) == 1 and doc.page_at(len(doc.text) - 1) >= 9


def test_undouble_fake_bold():
    assert _undouble("GGRRAANNTT  OOFF  RRIIGGHHTTSS") == "GRANT OF RIGHTS"
    assert _undouble("the TTeerrmm of this") == "the Term of this"
    assert _undouble("Bookkeeper committee") == "Bookkeeper committee"


def test_hyphenation_repaired_only_before_lower_case():
    assert _join_hyphenated(["the per-", "formance of Artist"]) == ["the performance", "of Artist"]
    assert _join_hyphenated(["Self-", "Employed status"]) == ["Self-", "Employed status"]


def test_running_heads_need_to_repeat():
    pages = [
        ["ACME CONFIDENTIAL", "Clause one text", "Page 1 of 3"],
        ["ACME CONFIDENTIAL", "Clause two text", "Page 2 of 3"],
        ["ACME CONFIDENTIAL", "Clause three text", "Page 3 of 3"],
    ]
    assert _strip_running_heads(pages) == [["Clause one text"], ["Clause two text"], ["Clause three text"]]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_fall_back_with_a_warning(tmp_path, encoding):
    dash = "–" if encoding == "cp1252" else "-"
    text = f"1. GRANT. Zoë Brontë grants Company the right to use her likeness {dash} in perpetuity.\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert "Zoë Brontë" in doc.text
    assert doc.warnings and "not valid UTF-8" in doc.warnings[0] and "legacy.txt" in doc.warnings[0]


def test_bom_and_crlf_are_normalised(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff1. Grant.\r\n2. Term.\r\n".encode("utf-8"))
    doc = read_document(path)
    assert doc.text == "1. Grant.\n2. Term.\n" and not doc.warnings


def test_input_file_is_never_modified(tmp_path):
    src = SAMPLES / "voiceover_brightwave.docx"
    copy = tmp_path / "v.docx"
    copy.write_bytes(src.read_bytes())
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    read_document(copy)
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before
