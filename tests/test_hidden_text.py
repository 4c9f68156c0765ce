"""Hidden and peripheral text (issue 18, item 6): a grant a reader of the document does not see — white, under
2 pt, vanished, off the page, invisible — or that sits in a header, footer, footnote, endnote, comment or text
box is found, and every report view says where it is and that it is hidden. Real files: DOCX made with
python-docx (XML edited where it has no API), PDFs written by hand and by LibreOffice, a hard-wrapped text file."""

from __future__ import annotations

import html
import json
import zipfile
from pathlib import Path

import docx
import jsonschema
import pytest
from click.testing import CliRunner
from conftest import require_tool
from hidden_docs import GRANT, HIDDEN_PART, build_docx, build_pdf, build_text

from castguard.cli import cli
from castguard.ingest import read_document
from castguard.ingest.text import join_line_break_hyphens
from castguard.report import SCHEMA_PATH, report_to_dict
from castguard.report.html import render_html
from castguard.report.markdown import render_markdown
from castguard.report.table import render_table
from castguard.scan import scan

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
GAP = "ai_training_grant"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

HIDDEN = "This clause is hidden in the document ({})."
WHERE = {
    "header": "This clause is in the document's header, not its body.",
    "footer": "This clause is in the document's footer, not its body.",
    "footnote": "This clause is in a footnote, not the document's body.",
    "endnote": "This clause is in an endnote, not the document's body.",
    "comment": "This clause is in a comment on the document, not in the contract's own text.",
    "text box": "This clause is in a text box, outside the document's main text.",
}

# how the grant is placed -> (hidden reason, location) the evidence must carry
DOCX_CASES = {
    "white": ("white text", "body"),
    "vanish": ("text formatted as hidden", "body"),
    "style_vanish": ("text formatted as hidden", "body"),
    "tiny": ("text under 2 pt", "body"),
    "background": ("text the same colour as its background", "body"),
    "header": (None, "header"),
    "footer": (None, "footer"),
    "footnote": (None, "footnote"),
    "endnote": (None, "endnote"),
    "text_box": (None, "text box"),
}
PDF_CASES = {
    "white": "white text",
    "tiny": "text under 2 pt",
    "off_page": "text placed off the page",
    "invisible": "invisible text",
}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Builds each file once per module."""
    folder = tmp_path_factory.mktemp("hidden")
    cache: dict[tuple[str, str], Path] = {}

    def get(kind: str, how: str) -> Path:
        if (kind, how) not in cache:
            path = folder / f"{how}.{kind}"
            if kind == "docx":
                build_docx(path, how)
            elif kind == "pdf":
                build_pdf(path, how)
            else:
                build_text(path)
            cache[kind, how] = path
        return cache[kind, how]

    return get


def _grant_evidence(report) -> dict:
    data = report_to_dict(report)
    jsonschema.validate(data, SCHEMA)  # the optional evidence fields keep the shared contract valid
    finding = next((f for f in data["findings"] if f["gap"] == GAP), None)
    assert finding is not None, [f["gap"] for f in data["findings"]]
    return next(e for e in finding["evidence"] if "artificial intelligence" in e["quote"])


def _views(report) -> dict[str, str]:
    """The three text views, whitespace collapsed (the terminal table wraps its lines)."""
    return {
        "table": " ".join(render_table(report, width=100).split()),
        "markdown": " ".join(render_markdown(report).split()),
        "html": render_html(report),
    }


def _says(report, sentence: str) -> None:
    for name, text in _views(report).items():
        want = html.escape(sentence) if name == "html" else sentence
        assert want in text, (name, sentence)


def test_the_grant_in_plain_body_text_is_flagged_with_no_notice(made):
    report = scan(made("docx", "body"))
    evidence = _grant_evidence(report)
    assert "hidden" not in evidence and "location" not in evidence
    for name, text in _views(report).items():
        assert "hidden in the document" not in text and "not its body" not in text, name


@pytest.mark.parametrize("how", sorted(DOCX_CASES))
def test_docx_hidden_or_peripheral_grant_is_flagged_and_every_view_says_so(made, how):
    hidden, location = DOCX_CASES[how]
    report = scan(made("docx", how))
    evidence = _grant_evidence(report)
    assert evidence.get("hidden") == hidden and evidence.get("location", "body") == location
    assert GRANT[:60] in evidence["quote"]
    if hidden:
        _says(report, HIDDEN.format(hidden))
        assert any(hidden in w for w in report.document.warnings)
    else:
        _says(report, WHERE[location])
        clause = next(c for c in report_to_dict(report)["clauses"] if c["id"] == evidence["clause_id"])
        # a clause of its own (with the rest of its header or footer), never the tail of the body's last clause
        assert clause["location"] == location and GRANT in clause["text"] and "IN WITNESS" not in clause["text"]


def test_a_comment_is_read_and_shown_but_is_not_a_term_of_the_agreement(made):
    """A grant written in a Word comment is read (a clause of its own, marked "comment", in every view that
    lists clauses) but raises no gap: a comment is not part of the agreement (a question, a proposal, or
    the redline's own notes)."""
    report = scan(made("docx", "comment"))
    data = report_to_dict(report)
    jsonschema.validate(data, SCHEMA)
    [clause] = [c for c in data["clauses"] if c.get("location") == "comment"]
    assert clause["text"] == GRANT and clause["labels"] == [{"label": "none", "score": 1.0}]
    assert not any(GRANT[:40] in e["quote"] for f in data["findings"] for e in f["evidence"])
    assert any("comments" in w and "not analysed" in w for w in data["warnings"])
    assert "(comment)" in render_html(report)
    # the same words in the body are a finding: the comment alone is what keeps them out
    assert _grant_evidence(scan(made("docx", "body")))


def test_only_the_hidden_words_of_a_partly_white_sentence_are_named(made):
    report = scan(made("docx", "partial_white"))
    evidence = _grant_evidence(report)
    assert evidence["hidden"] == "white text" and evidence["hidden_part"] == HIDDEN_PART.strip()
    _says(report, f"Part of this clause is hidden in the document (white text): “{HIDDEN_PART.strip()}”")


@pytest.mark.parametrize("how", ["white_on_dark", "white_in_dark_cell"])
def test_white_text_on_dark_shading_is_visible_and_not_flagged_as_hidden(made, how):
    """White on a navy paragraph shading; white in a table cell shaded with a solid navy pattern."""
    report = scan(made("docx", how))
    evidence = _grant_evidence(report)
    assert "hidden" not in evidence and not report.document.hidden


def test_a_confidential_header_and_a_title_footer_produce_nothing(made):
    report = scan(made("docx", "none"))
    assert report.findings == ()
    header = [b for b in report.document.blocks if b.location == "header"]
    assert [report.document.text[b.start : b.end] for b in header] == ["CONFIDENTIAL"]


def test_a_header_repeated_in_every_section_is_read_once(tmp_path):
    document = docx.Document()
    for n in range(3):
        if n:
            document.add_section()
            document.sections[n].header.is_linked_to_previous = False  # its own header part, same words
        document.sections[n].header.paragraphs[0].text = "CONFIDENTIAL"
        document.add_paragraph(f"{n + 1}. Clause {n + 1}. The Company shall pay the Performer on time.")
    path = tmp_path / "sections.docx"
    document.save(path)
    with zipfile.ZipFile(path) as z:
        assert sum(n.startswith("word/header") for n in z.namelist()) == 3
    doc = read_document(path)
    assert doc.text.count("CONFIDENTIAL") == 1


def test_footnote_separators_are_skipped(made):
    doc = read_document(made("docx", "footnote"))
    notes = [doc.text[b.start : b.end] for b in doc.blocks if b.location == "footnote"]
    assert notes == [GRANT]


@pytest.mark.parametrize("how", sorted(PDF_CASES))
def test_pdf_hidden_grant_is_flagged_and_every_view_says_so(made, how):
    report = scan(made("pdf", how))
    evidence = _grant_evidence(report)
    assert evidence.get("hidden") == PDF_CASES[how] and "location" not in evidence
    _says(report, HIDDEN.format(PDF_CASES[how]))


@pytest.mark.parametrize("how", ["body", "white_on_dark", "scaled", "ocr"])
def test_pdf_text_a_reader_sees_is_not_called_hidden(made, how):
    """Plain text; white on a navy box; 11 pt made of a 1 pt font and a scaling text matrix; an OCR layer
    (invisible text over the page's scanned image)."""
    doc = read_document(made("pdf", how))
    assert GRANT[:40] in doc.text and doc.hidden == ()


def test_pdf_hidden_words_found_in_a_libreoffice_export(made, tmp_path):
    """A real producer's PDF: LibreOffice draws the paragraph shading as a box and the white run in place."""
    import subprocess

    require_tool("soffice")
    for how in ("partial_white", "white_on_dark"):
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(made("docx", how))],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    doc = read_document(tmp_path / "partial_white.pdf")
    assert [(doc.text[a:b], r) for a, b, r in doc.hidden] == [(HIDDEN_PART.strip(), "white text")]
    assert read_document(tmp_path / "white_on_dark.pdf").hidden == ()


def test_text_file_word_hyphenated_across_a_line_break_is_joined_and_flagged(made):
    path = made("txt", "hyphen")
    assert "tr-\nain" in path.read_text(encoding="utf-8")
    report = scan(path)
    assert "likeness to train\nartificial intelligence models." in report.document.text
    evidence = _grant_evidence(report)
    assert "train" in evidence["quote"] and "hidden" not in evidence


def test_line_break_hyphenation_rules():
    lines = [
        "to tr-", "ain models. The non-", "exclusive use. A well-", "known fact; well-known.", "the com-", "pany.",
        "Sub-", "Section 3.", "at-", "    indented", "list a-", "b. item", "multi-", "ple",
    ]  # fmt: skip
    assert join_line_break_hyphens(lines) == [
        "to train", "models. The non-exclusive", "use. A well-known", "fact; well-known.", "the company.",
        "Sub-", "Section 3.", "at-", "    indented", "list a-", "b. item", "multiple",
    ]  # fmt: skip


def test_cli_white_grant_in_the_pdf_report(made, tmp_path):
    """The review report as PDF (the HTML through LibreOffice) carries the notice too."""
    require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    import subprocess

    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["scan", str(made("docx", "white")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Note: " + HIDDEN.format("white text") in " ".join(text.split())


def test_cli_footer_grant_in_every_format(tmp_path):
    """The command line end to end: JSON, table, Markdown and HTML all say the clause is in the footer."""
    path = build_docx(tmp_path / "footer.docx", "footer")
    outputs = {}
    for fmt in ("json", "table", "markdown", "html"):
        result = CliRunner().invoke(cli, ["scan", str(path), "--format", fmt])
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout
    data = json.loads(outputs["json"])
    jsonschema.validate(data, SCHEMA)
    finding = next(f for f in data["findings"] if f["gap"] == GAP)
    assert any(e.get("location") == "footer" for e in finding["evidence"])
    assert WHERE["footer"] in " ".join(outputs["table"].split())
    assert WHERE["footer"] in " ".join(outputs["markdown"].split())
    assert html.escape(WHERE["footer"]) in outputs["html"]


def _redline(src, out):
    """``castguard redline`` of a made document with every deal fact given (no prompts, a fixed date)."""
    return CliRunner().invoke(
        cli,
        ["redline", str(src), "-o", str(out), "--date", "2026-11-26T10:00:00Z", "--jurisdiction", "CA",
         "--performer", "Jordan Avery", "--company", "Northwind Pictures LLC",
         "--agreement-title", "Performer Agreement", "--agreement-date", "3 March 2025"],
    )  # fmt: skip


def test_redline_leaves_a_footer_grant_alone_and_says_so(made, tmp_path):
    """The redline edits body paragraphs only: a grant in the footer gets no carve-out (the footer repeats on
    every page and is not one of the body's paragraphs); the addendum covers it and the command says so."""
    src = made("docx", "footer")
    out = tmp_path / "footer-redline.docx"
    result = _redline(src, out)
    assert result.exit_code == 0, result.output
    assert "flagged clause is in the document's footer: the redline does not edit it" in result.stderr
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        footers = [n for n in a.namelist() if n.startswith("word/footer")]
        assert footers and all(a.read(n) == b.read(n) for n in footers)  # the footer untouched
        body = b.read("word/document.xml").decode("utf-8")
    assert "provided, however" not in body and "Addendum" in body  # no carve-out; the rider is there


def test_redline_carve_out_beside_white_words_is_visible_and_its_comment_says_why(made, tmp_path):
    from lxml import etree

    src = made("docx", "white")
    out = tmp_path / "white-redline.docx"
    result = _redline(src, out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        comments = z.read("word/comments.xml").decode("utf-8")
    carve = next(
        r for ins in body.iter(f"{W}ins") for r in ins.iter(f"{W}r")
        if "provided, however" in "".join(t.text or "" for t in r.iter(f"{W}t"))
    )  # fmt: skip
    colours = [c.get(f"{W}val") for c in carve.iter(f"{W}color")]
    assert "FFFFFF" not in colours and carve.find(f".//{W}vanish") is None
    assert "does not show when the document is displayed or printed (white text)" in comments


def test_batch_findings_csv_and_workbook_carry_the_notice(made, tmp_path):
    """The batch run's per-finding rows (findings.csv, the workbook's Findings sheet) say it too."""
    import csv
    import shutil

    import openpyxl

    from castguard.batch import run_batch

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(made("docx", "footer"), inbox / "footer.docx")
    shutil.copy(made("pdf", "white"), inbox / "white.pdf")
    out = tmp_path / "review"
    result = run_batch([inbox], out, jobs=1, time_limit=120)
    assert result.done == 2
    with open(out / "findings.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Gap"] == GAP]  # the Findings sheet's columns
    notes = {Path(r["Path"]).name: r["Note"] for r in rows}
    assert notes == {"footer.docx": WHERE["footer"], "white.pdf": HIDDEN.format("white text")}
    sheet = openpyxl.load_workbook(out / "contracts.xlsx", read_only=True)["Findings"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    column = values[0].index("Note")
    assert WHERE["footer"] in {row[column] for row in values[1:]}
