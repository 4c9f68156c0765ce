"""Output follows the file name: the extension of -o chooses the format for every command, a --format that
contradicts it is an error, .pdf goes through LibreOffice, and Markdown carries no stray escapes."""

from __future__ import annotations

import json
import subprocess
import tempfile
import zipfile
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from conftest import CORPUS, SAMPLES, require_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from castguard.cli import cli
from castguard.draft.markup import md_escape, parse_markdown, plain_text
from castguard.errors import CastguardError
from castguard.outputs import resolve_format

GLOWUP = SAMPLES / "influencer_glowup.txt"
DEAL = ["--jurisdiction", "CA"]


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


# --------------------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    "command,name,fmt,expected",
    [
        ("scan", None, None, "table"),
        ("scan", None, "json", "json"),
        ("scan", "r.txt", None, "table"),
        ("scan", "r.json", None, "json"),
        ("scan", "r.md", None, "markdown"),
        ("scan", "r.markdown", "markdown", "markdown"),
        ("scan", "R.HTML", None, "html"),
        ("scan", "r.htm", "html", "html"),
        ("scan", "report", "json", "json"),  # no extension: --format says
        ("draft", "a.docx", None, "docx"),
        ("draft", "a.md", None, "markdown"),
        ("draft", "a.html", "html", "html"),
        ("redline", "x.docx", None, "docx"),
        ("evaluate", "m.json", None, "json"),
        ("evaluate", "m.txt", None, "table"),
        ("facts", "f.json", None, "json"),
        ("facts", None, None, "table"),
    ],
)
def test_the_extension_chooses(command, name, fmt, expected):
    assert resolve_format(command, name, fmt) == expected


@pytest.mark.parametrize(
    "command,name,fmt,words",
    [
        ("scan", "review.html", "table", ["--format table", ".html", "HTML"]),
        ("scan", "r.json", "markdown", ["--format markdown", ".json"]),
        ("draft", "x.docx", "html", ["--format html", ".docx"]),
        ("scan", "review.xlsx", None, [".xlsx", ".txt", ".json", ".md", ".html", ".pdf"]),
        ("draft", "x.txt", None, [".txt", ".docx", ".md", ".html", ".pdf"]),
        ("draft", "addendum", None, ["without an extension", ".docx"]),
        ("redline", "x.odt", None, [".odt", ".docx or .pdf"]),
        ("facts", "f.html", None, [".html", ".txt", ".json"]),
        ("scan", None, "pdf", ["-o NAME.pdf"]),
        ("draft", None, "docx", ["-o NAME.docx"]),
    ],
)
def test_a_contradiction_or_an_unknown_extension_is_one_clear_error(command, name, fmt, words):
    with pytest.raises(CastguardError) as err:
        resolve_format(command, name, fmt)
    message = str(err.value)
    assert "\n" not in message and all(w in message for w in words), message


# --------------------------------------------------------------------------- the commands


class _Page(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.tags: list[str] = []
        self.parts: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def test_scan_writes_what_the_extension_says(tmp_path):
    outputs = {ext: tmp_path / f"review{ext}" for ext in (".json", ".html", ".md", ".txt")}
    for path in outputs.values():
        result = run("scan", GLOWUP, "-o", path)
        assert result.exit_code == 0, result.output
    assert json.loads(outputs[".json"].read_text(encoding="utf-8"))["findings"]
    assert outputs[".html"].read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    assert outputs[".md"].read_text(encoding="utf-8").startswith("# castguard report: ")
    table = outputs[".txt"].read_text(encoding="utf-8")
    assert "Risk score:" in table and "HIGH" in table and not table.lstrip().startswith(("{", "<", "#"))


@pytest.mark.parametrize(
    "args,name,words",
    [
        (["scan", GLOWUP, "--format", "table"], "review.html", ["--format table", ".html"]),
        (["scan", GLOWUP], "review.xlsx", [".xlsx", ".html", ".pdf"]),
        (["draft", GLOWUP, *DEAL, "--format", "markdown"], "addendum.docx", ["--format markdown", ".docx"]),
        (["draft", GLOWUP, *DEAL], "addendum.txt", [".txt", ".docx"]),
        (["redline", GLOWUP, *DEAL], "deal.odt", [".odt", ".docx or .pdf"]),
        (["evaluate", "--format", "table"], "metrics.json", ["--format table", ".json"]),
        (["evaluate"], "metrics.csv", [".csv", ".txt", ".json"]),
        (["batch", GLOWUP], "review.html", ["folder", ".html"]),
    ],
)
def test_cli_refuses_before_any_work_and_writes_nothing(tmp_path, args, name, words):
    out = tmp_path / name
    result = run(*args, "-o", out)
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert line.startswith("error: ") and "\n" not in line and all(w in line for w in words), line
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file


def test_draft_writes_what_the_extension_says(tmp_path):
    for name in ("a.docx", "a.md", "a.html"):
        result = run("draft", GLOWUP, *DEAL, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        assert "word/document.xml" in z.namelist()
    assert (tmp_path / "a.md").read_text(encoding="utf-8").startswith("# Addendum")
    assert (tmp_path / "a.html").read_text(encoding="utf-8").lower().startswith("<!doctype html>")


def test_pdf_without_libreoffice_names_what_to_install(tmp_path):
    """A PATH without soffice: the error says what to install, before the contract is read; nothing written."""
    result = run("scan", GLOWUP, "-o", tmp_path / "review.pdf", env={"PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert "LibreOffice" in result.output and "apt-get install libreoffice-writer" in result.output
    result = run("draft", GLOWUP, *DEAL, "-o", tmp_path / "addendum.pdf", env={"PATH": str(tmp_path)})
    assert result.exit_code == 2 and "install LibreOffice" in result.output
    assert list(tmp_path.iterdir()) == []


def _pdf_text(path) -> str:
    pdftotext = require_tool("pdftotext")
    out = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_scan_to_pdf_is_the_review_report(tmp_path):
    require_tool("soffice")
    out = tmp_path / "review.pdf"
    result = run("scan", SAMPLES / "film_actor_harborlight.pdf", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    text = _pdf_text(out)
    assert "Performer Agreement" in text and "Findings" in text and "not legal advice" in text
    # every finding keeps its heading and its first paragraph (LibreOffice's HTML import loses them when a
    # table or heading carries an id: html_for_libreoffice removes ids)
    assert text.count("What it means:") >= 12 and "▲ High Company may create a digital replica" in text
    assert "Producer may create one or more Digital Doubles of Performer" in text  # the contract itself
    assert list(tmp_path.iterdir()) == [out]


def test_draft_and_redline_to_pdf(tmp_path):
    require_tool("soffice")
    addendum = tmp_path / "addendum.pdf"
    result = run("draft", SAMPLES / "voiceover_brightwave.docx", *DEAL, "-o", addendum)
    assert result.exit_code == 0, result.output
    assert addendum.read_bytes().startswith(b"%PDF")
    assert "Addendum on Digital Replicas, AI Training and Synthetic Performers" in _pdf_text(addendum)
    red = tmp_path / "redline.pdf"
    result = run("redline", SAMPLES / "voiceover_brightwave.docx", *DEAL, "-o", red)
    assert result.exit_code == 0, result.output
    text = _pdf_text(red)
    assert "VOICE-OVER SERVICES AGREEMENT" in text and "Addendum" in text  # the contract and its changes
    import pypdfium2
    import pypdfium2.raw as pdfium

    pdf = pypdfium2.PdfDocument(str(red))
    assert sum(pdfium.FPDFPage_GetAnnotCount(page) for page in pdf) > 0  # the comments, as PDF notes
    pdf.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["addendum.pdf", "redline.pdf"]


def test_libreoffice_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    """CASTGUARD_PDF_SECONDS bounds the conversion: soffice and its children are stopped, nothing is written,
    and its private profile folder is gone."""
    require_tool("soffice")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where castguard's temporary folder goes
    out = tmp_path / "out"
    out.mkdir()
    result = run("scan", GLOWUP, "-o", out / "review.pdf", env={"CASTGUARD_PDF_SECONDS": "0.05"})
    assert result.exit_code == 2 and "did not finish the PDF within 0.05 s" in result.output
    assert list(out.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # the temporary folder and profile removed
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(tmp_path) not in ps  # no soffice left running with that profile


# --------------------------------------------------------------------------- Markdown without stray escapes

_MARKDOWN_TAGS = {
    "h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "code", "blockquote", "table", "thead", "tbody",
    "tr", "th", "td", "hr",
}  # fmt: skip


def _commonmark(md: str) -> _Page:
    from markdown_it import MarkdownIt

    return _Page(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md))


@pytest.mark.parametrize(
    "contract",
    [
        CORPUS / "cuad_endorsement_bizzingo_joetheismann.pdf",  # CUAD: "1. Term", "Section 2.1", "[***]"
        CORPUS / "18f_consent_research_participant_2016.docx",
        SAMPLES / "influencer_glowup.txt",
    ],
    ids=lambda p: p.name,
)
def test_markdown_report_of_a_real_contract_has_no_stray_escapes(tmp_path, contract):
    out = tmp_path / "review.md"
    result = run("scan", contract, "-o", out)
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    assert "\\" not in md  # these contracts hold no Markdown, so nothing needs escaping ("12\\." did)
    page = _commonmark(md)
    assert set(page.tags) <= _MARKDOWN_TAGS
    report = json.loads(run("scan", contract, "--format", "json").stdout)
    for finding in report["findings"]:
        quote = " ".join(finding["evidence"][0]["quote"].split())
        assert quote[:139] in page.text  # verbatim, as the contract says it


def test_addendum_markdown_of_a_real_contract_has_no_stray_escapes(tmp_path):
    out = tmp_path / "addendum.md"
    result = run("draft", SAMPLES / "music_session_bluefinch.txt", "--jurisdiction", "TN", "-o", out)
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    assert "\\" not in md  # "Clause 5\\.4", "> 7\\.1 Company may..." and "castguard 0\\.1.0" were stray
    assert "Clause 5.4 of the Agreement" in md and "> 7.1 Company may assign" in md


@pytest.mark.parametrize(
    "value",
    ["Section 5.4 Waiver", "0.1.0", "first_name", "Name: ________", "[Name]", "[***]", "AT&T", "x < 5 > 3",
     "C:\\Users", "5 * 3", "-5%", "#1 priority", "1.5 million", "Ana Ruiz (“Performer”)",
     "approval as provided&sbsp;herein"],  # CUAD (Mossimo): not an entity CommonMark decodes
)  # fmt: skip
def test_ordinary_text_is_not_escaped(value):
    assert md_escape(value, table=False, line_start=False, isolated=True) == value
    assert md_escape(value, table=True, line_start=True, isolated=True) == value


HOSTILE = [
    "<img src=x onerror=alert(1)>", "</script>", "[link](javascript:alert(1))", "![i](http://x/i.png)",
    "<http://x>", "**bold** and *it* and __u__ and ~~s~~", "`code`", "&amp; &#42; &nbsp;", "a | b", "# heading",
    "> quote", "- item", "12. item", "---", "[x]: http://x", "~~~", "[***] and [***]", "\\*",
]  # fmt: skip


def _contexts(value: str):
    """The places castguard's Markdown puts contract text, each with what its own markup must stay."""
    cell = md_escape(value, table=True, line_start=False, isolated=True)
    alone = md_escape(value, table=False, line_start=True, isolated=True)
    inline = md_escape(value, table=False, line_start=False)
    conservative = md_escape(value)  # a template value: anywhere
    yield f"| A | B |\n|---|---|\n| x | “{cell}” |\n", {}
    yield alone + "\n", {}
    yield f"> **Ref:** “{md_escape(value, table=False, line_start=False, isolated=True)}”\n", {"strong": 1}
    yield f"- **Label:** {inline} *tail*\n", {"strong": 1, "em": 1}
    yield f"{conservative}\n\n> {conservative}\n\n| a |\n|---|\n| {conservative} |\n", {}


def _check(value: str) -> None:
    want = " ".join(value.split())
    for md, own in _contexts(value):
        page = _commonmark(md)
        assert set(page.tags) <= _MARKDOWN_TAGS, (value, md)
        assert want in page.text, (value, md, page.text)
        for tag in ("strong", "em", "del", "s", "a", "img", "code", "h1", "h2", "ol", "hr", "pre"):
            assert page.tags.count(tag) == own.get(tag, 0), (value, md, tag)
    # the addendum's own reader (Word and HTML writers) gets the same text back, unstyled
    blocks = parse_markdown("Text " + md_escape(value) + " end")
    assert plain_text(blocks[0].runs) == f"Text {want} end"
    assert not any(r.bold or r.italic for r in blocks[0].runs)


@pytest.mark.parametrize("value", HOSTILE)
def test_contract_text_is_literal_in_every_place(value):
    _check(value)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab1 *_~`[]()<>!#&|\\-+=.:;\"'/“”—") + ["12. ", "&amp;", "~~~", "***"]),
                min_size=1, max_size=14).map("".join).filter(str.strip))  # fmt: skip
def test_any_text_is_literal_in_every_place(value):
    _check(value)
