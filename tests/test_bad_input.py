"""Every bad or awkward file in tests/fixtures (made by real tools, see its README): the expected outcome, asserted.

Errors must be a CastguardError of the right kind whose message names the file and says what to do; the
CLI turns them into one line on stderr and exit status 2.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from castguard import errors
from castguard.cli import cli
from castguard.ingest import read_document

EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
ERRORS = sorted(k for k, v in EXPECTED.items() if v["outcome"] == "error")
READS = sorted(k for k, v in EXPECTED.items() if v["outcome"] == "read")

# what each message must tell the user to do
ADVICE = {
    "NoTextLayer": "ocrmypdf",
    "GarbledText": "OCR",
    "EncryptedDocument": "password",
    "UnsupportedFormat": "",
    "InputError": "",
}


@pytest.mark.parametrize("name", ERRORS)
def test_bad_file_raises_the_right_error(name):
    exp = EXPECTED[name]
    with pytest.raises(errors.CastguardError) as info:
        read_document(FIXTURES / name)
    exc = info.value
    assert type(exc).__name__ == exp["error"] and exc.code == exp["code"]
    assert name in str(exc)
    assert ADVICE[exp["error"]] in str(exc)


@pytest.mark.parametrize("name", ERRORS)
def test_bad_file_through_the_cli_is_one_line_and_exit_2(name):
    result = CliRunner().invoke(cli, ["scan", str(FIXTURES / name)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and name in lines[0]
    assert "Traceback" not in result.output


def test_unsupported_formats_say_what_to_convert_to():
    for name in ("legacy_word97.doc", "rich_text.rtf", "opendocument.odt"):
        with pytest.raises(errors.UnsupportedFormat, match="docx"):
            read_document(FIXTURES / name)
    with pytest.raises(errors.UnsupportedFormat, match="OCR"):
        read_document(FIXTURES / "photo.png")


@pytest.mark.parametrize("name", READS)
def test_awkward_file_is_read(name):
    exp = EXPECTED[name]
    doc = read_document(FIXTURES / name)
    assert doc.format == exp["format"]
    assert bool(doc.warnings) == exp["warns"], doc.warnings
    if "text" in exp:
        assert doc.text.rstrip("\n") == exp["text"].replace("\r\n", "\n").rstrip("\n")
    for sub in exp.get("expected_substrings", []):
        assert sub in doc.text
    for bad in exp.get("must_not_contain", []):
        assert bad not in doc.text
    # "must not appear in the body": a header, footer or comment is read after the body, marked where it is
    body = "\n".join(doc.text[b.start : b.end] for b in doc.blocks if b.location == "body")
    for bad in exp.get("must_not_appear", []):
        assert bad not in body
    for part in ("header", "footer", "comment"):
        if part in exp:
            [block] = [b for b in doc.blocks if doc.text[b.start : b.end] == exp[part]]
            assert block.location == part and block.paragraph_index is None


def test_mislabelled_files_warn_about_the_name():
    doc = read_document(FIXTURES / "pdf_named_as.docx")
    assert doc.format == "pdf" and "content is a PDF" in doc.warnings[0]
    doc = read_document(FIXTURES / "docx_named_as.pdf")
    assert doc.format == "docx" and "Word DOCX" in doc.warnings[0]


def test_tracked_changes_read_as_accepted_without_header_footer_comment():
    exp = EXPECTED["tracked_changes.docx"]
    doc = read_document(FIXTURES / "tracked_changes.docx")
    assert exp["changed_paragraph_accepted"] in doc.text
    assert "tracked changes" in doc.warnings[0]


def test_word_numbering_with_restart_and_table():
    exp = EXPECTED["numbered_multilevel.docx"]
    doc = read_document(FIXTURES / "numbered_multilevel.docx")
    got = [(b.label, doc.text[b.start : b.end][len(b.label) + 1 :]) for b in doc.blocks if b.label]
    assert got == [(p["label"], p["text"]) for p in exp["numbered_paragraphs"]]
    cells = [doc.text[b.start : b.end] for b in doc.blocks if b.in_table]
    assert cells == [c for row in exp["table"] for c in row]


def test_hyphenation_and_fake_bold_are_repaired():
    doc = read_document(FIXTURES / "hyphenated_fakebold.pdf")
    assert "GRANT OF RIGHTS" in doc.text
    for word in EXPECTED["hyphenated_fakebold.pdf"]["expected_words"]:
        assert word in doc.text.split()


def test_cid_codes_are_reported_not_passed_on_as_text():
    with pytest.raises(errors.GarbledText, match=r"\(cid:N\)"):
        read_document(FIXTURES / "cid_codes_as_text.pdf")


def test_one_garbled_page_is_left_out_with_a_warning(tmp_path):
    """A readable PDF with one page whose font has no Unicode map: that page is dropped, the rest analysed."""
    import pypdfium2 as pdfium
    from conftest import SAMPLES

    merged = pdfium.PdfDocument.new()
    merged.import_pages(pdfium.PdfDocument(str(SAMPLES / "film_actor_harborlight.pdf")))
    merged.import_pages(pdfium.PdfDocument(str(FIXTURES / "cid_garbage.pdf")))
    path = tmp_path / "partly_garbled.pdf"
    merged.save(str(path))
    doc = read_document(path)
    assert doc.pages == 5
    assert "Section 6.2" in doc.text and "\x07" not in doc.text
    assert any("page(s) 5 have an unreadable text layer" in w for w in doc.warnings)
