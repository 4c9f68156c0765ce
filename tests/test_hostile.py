"""Hostile input: files built here by the tests themselves, each with its expected outcome asserted, through
every command that reads a contract (scan, draft, redline, batch), plus the resource limits."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, require_tool

from castguard.cli import cli
from castguard.errors import CastguardError, LimitExceeded
from castguard.ingest import read_document
from castguard.limits import ENV, Limits, current_limits

W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PLAIN_DOCX = SAMPLES / "athlete_endorsement_kestrel.docx"


def _docx_with_body(path: Path, document_xml: bytes) -> Path:
    """A real DOCX (python-docx's own package) whose word/document.xml is replaced."""
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("PERFORMER AGREEMENT")
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, document_xml if item.filename == "word/document.xml" else src.read(item.filename))
    return path


def _body(paragraphs: bytes, doctype: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype + b"<w:document " + W + b"><w:body>"
        + paragraphs + b"</w:body></w:document>"
    )  # fmt: skip


def _para(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def build(kind: str, folder: Path) -> Path:
    """One hostile file of each kind, made here with real tools."""
    if kind == "empty":
        (p := folder / "empty.pdf").write_bytes(b"")
    elif kind == "random":
        (p := folder / "random.txt").write_bytes(bytes(range(256)) * 40)
    elif kind == "truncated_pdf":
        (p := folder / "truncated.pdf").write_bytes((SAMPLES / "film_actor_harborlight.pdf").read_bytes()[:3000])
    elif kind == "pdf_named_docx":
        (p := folder / "really-a-pdf.docx").write_bytes((SAMPLES / "film_actor_harborlight.pdf").read_bytes())
    elif kind == "docx_named_pdf":
        (p := folder / "really-a-docx.pdf").write_bytes(PLAIN_DOCX.read_bytes())
    elif kind == "legacy_doc":
        # an OLE2 compound file header, as Word 97-2003 writes
        (p := folder / "old.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4088)
    elif kind == "zip_bomb_docx":
        para = _para(b"Performer grants Company the right to use Performer's likeness.")
        p = _docx_with_body(folder / "bomb.docx", _body(para * (80 * 2**20 // len(para))))
    elif kind == "entity_bomb_docx":
        lol = b'<!DOCTYPE w:document [<!ENTITY a "lollollollollollollollollollol">'
        for i in range(1, 10):
            prev = chr(ord("a") + i - 1).encode()
            lol += b"<!ENTITY " + chr(ord("a") + i).encode() + b' "' + (b"&" + prev + b";") * 10 + b'">'
        lol += b"]>"
        p = _docx_with_body(folder / "laughs.docx", _body(_para(b"Performer agrees. &j;"), lol))
    elif kind == "external_entity_docx":
        xxe = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        p = _docx_with_body(folder / "xxe.docx", _body(_para(b"Performer agrees. &x;"), xxe))
    elif kind == "encrypted_pdf":
        p = folder / "locked.pdf"
        subprocess.run(
            [require_tool("qpdf"), "--encrypt", "userpw", "ownerpw", "256", "--",
             str(SAMPLES / "film_actor_harborlight.pdf"), str(p)],
            check=True, capture_output=True,
        )  # fmt: skip
    elif kind == "image_only_pdf":
        import pypdfium2 as pdfium

        # a "scan": page 1 rasterised by poppler to a JPEG, placed alone on a PDF page by pdfium
        subprocess.run(
            [require_tool("pdftoppm"), "-jpeg", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
             str(SAMPLES / "film_actor_harborlight.pdf"), str(folder / "page")],
            check=True, capture_output=True,
        )  # fmt: skip
        pdf = pdfium.PdfDocument.new()
        page = pdf.new_page(595.28, 841.89)
        image = pdfium.PdfImage.new(pdf)
        with open(folder / "page.jpg", "rb") as fh:
            image.load_jpeg(fh, inline=True)
        image.set_matrix(pdfium.PdfMatrix().scale(595.28, 841.89))
        page.insert_obj(image)
        page.gen_content()
        p = folder / "scan.pdf"
        pdf.save(str(p))
        pdf.close()
        (folder / "page.jpg").unlink()
    elif kind == "utf16":
        text = (SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8")
        (p := folder / "utf16.txt").write_bytes(text.encode("utf-16"))
    elif kind == "cp1252":
        text = "PERFORMER AGREEMENT\n1. Grant. Performer grants Company the right to use Performer’s “likeness” — forever.\n"
        (p := folder / "cp1252.txt").write_bytes(text.encode("cp1252"))
    else:
        raise ValueError(kind)
    return p


# kind -> (expected exception type name or "ok", a phrase the message or the text must contain)
EXPECTED = {
    "empty": ("InputError", "empty"),
    "random": ("UnsupportedFormat", "binary"),
    "truncated_pdf": ("InputError", "damaged"),
    "pdf_named_docx": ("ok", "named .docx but the content is a PDF"),
    "docx_named_pdf": ("ok", "named .pdf but the content is a Word DOCX"),
    "legacy_doc": ("UnsupportedFormat", ".doc"),
    "zip_bomb_docx": ("LimitExceeded", "zip bomb"),
    "encrypted_pdf": ("EncryptedDocument", "password"),
    "image_only_pdf": ("NoTextLayer", "OCR"),
    "entity_bomb_docx": ("InputError", "entity bomb"),
    "external_entity_docx": ("ok", "Performer agrees."),
    "utf16": ("ok", "Skylar Delacroix"),
    "cp1252": ("ok", "Performer’s “likeness” — forever"),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_hostile_file_has_its_expected_outcome(tmp_path, kind):
    path = build(kind, tmp_path)
    before = path.read_bytes()
    outcome, phrase = EXPECTED[kind]
    started = time.monotonic()
    if outcome == "ok":
        doc = read_document(path)
        assert phrase in doc.text or any(phrase in w for w in doc.warnings), kind
        if kind == "external_entity_docx":
            assert "lollol" not in doc.text and "root:" not in doc.text  # never expanded, never fetched
            assert len(doc.text) < 1000
    else:
        with pytest.raises(CastguardError) as err:
            read_document(path)
        assert type(err.value).__name__ == outcome and phrase in str(err.value) and str(path) in str(err.value)
    assert time.monotonic() - started < 10
    assert path.read_bytes() == before  # inputs are never modified


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    import resource

    path = build("zip_bomb_docx", tmp_path)
    assert path.stat().st_size < 2**20  # 80 MB of XML in well under 1 MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LimitExceeded, match="zip bomb"):
        read_document(path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # kB: nothing was inflated


@pytest.mark.parametrize("kind", ["random", "zip_bomb_docx", "truncated_pdf", "legacy_doc"])
@pytest.mark.parametrize("command", ["scan", "draft", "redline"])
def test_every_command_refuses_with_one_line_and_exit_2(tmp_path, kind, command):
    path = build(kind, tmp_path)
    args = [command, str(path)]
    if command != "scan":
        args += ["-o", str(tmp_path / ("out.docx" if command == "redline" else "out.md")), "--jurisdiction", "CA"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and str(path) in lines[0]
    assert not list(tmp_path.glob("out.*"))


def test_batch_records_every_hostile_file_and_finishes(tmp_path):
    from castguard.batch import run_batch

    inbox = tmp_path / "in"
    inbox.mkdir()
    for kind in EXPECTED:
        build(kind, inbox)
    result = run_batch([inbox], tmp_path / "out", jobs=2)
    assert result.files == len(EXPECTED)
    import sqlite3

    with sqlite3.connect(str(tmp_path / "out" / "castguard-run.sqlite")) as con:
        rows = dict(con.execute("SELECT name, status FROM files").fetchall())
    assert rows[str(inbox / "bomb.docx")] == "failed" and rows[str(inbox / "utf16.txt")] == "done"
    assert set(rows.values()) <= {"done", "failed", "duplicate"}


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize(
    "name,value,path,phrase",
    [
        ("file_mb", "0.01", "film_actor_harborlight.pdf", "file-size limit"),
        ("pages", "2", "film_actor_harborlight.pdf", "2-page limit"),
        ("chars", "1000", "influencer_glowup.txt", "1,000-character limit"),
        ("clauses", "5", "influencer_glowup.txt", "5-clause limit"),
        ("unzipped_mb", "0.01", "voiceover_brightwave.docx", "inflate"),
        ("seconds", "0.05", "film_actor_harborlight.pdf", "0.05 s limit"),
    ],
)
def test_limits_are_clear_errors_that_say_how_to_raise_them(monkeypatch, name, value, path, phrase):
    monkeypatch.setenv(ENV[name], value)
    result = CliRunner().invoke(cli, ["scan", str(SAMPLES / path)])
    assert result.exit_code == 2
    assert phrase in result.output and ENV[name] in result.output and str(SAMPLES / path) in result.output


def test_global_option_sets_the_limit_for_the_command_and_its_workers(tmp_path):
    env = {**os.environ}
    env.pop(ENV["pages"], None)
    proc = subprocess.run(
        [sys.executable, "-m", "castguard", "--max-pages", "2", "batch", str(SAMPLES / "film_actor_harborlight.pdf"),
         "-o", str(tmp_path / "o")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "2-page limit" in (tmp_path / "o" / "contracts.csv").read_text(encoding="utf-8")


def test_limits_read_from_the_environment(monkeypatch):
    assert current_limits() == Limits()
    monkeypatch.setenv(ENV["pages"], "10")
    monkeypatch.setenv(ENV["chars"], "not a number")  # ignored, not trusted
    assert current_limits().pages == 10 and current_limits().chars == Limits().chars


def test_report_file_names_are_sanitised_and_cannot_collide():
    from castguard.batch import report_file_name

    names = {
        report_file_name("../../etc/passwd", "a" * 64),
        report_file_name("archive.zip!../../x/<script>.pdf", "b" * 64),
        report_file_name("C:\\Users\\me\\deal.pdf", "c" * 64),
        report_file_name("deal.pdf", "d" * 64),
        report_file_name("other/deal.pdf", "e" * 64),  # same base name, other content: another file
        report_file_name("\u202edlo\u200b.pdf", "f" * 64),
    }
    assert len(names) == 6
    for n in names:
        assert "/" not in n and "\\" not in n and ".." not in n and n.endswith(".json")
        assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in n)


@pytest.mark.parametrize(
    "content,phrase",
    [
        (bytes(range(256)) * 10, "not UTF-8"),
        (b'{"text": 1, "labels": ["none"], "doc": "d", "provenance": "written"}\n', "line 1"),
        (b'{"text": "x", "labels": 5, "doc": "d", "provenance": "written"}\n', "line 1"),
        (b"[1, 2, 3]\n", "line 1"),
    ],
)
@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_train_and_evaluate_refuse_hostile_data(tmp_path, command, content, phrase):
    data = tmp_path / "clauses.jsonl"
    data.write_bytes(content)
    args = [command, "--data", str(data)] + (["--out", str(tmp_path / "m")] if command == "train" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and phrase in result.output and str(data) in result.output
    assert not (tmp_path / "m").exists()


def test_a_deadline_a_library_turns_into_its_own_error_is_still_the_limit():
    """The alarm's exception can be caught by a parser and raised again as its own error: that was an internal
    error (exit 3) once, under load in CI; it is the time limit, with the message that says how to raise it."""
    from castguard.errors import LimitExceeded
    from castguard.limits import deadline

    with pytest.raises(LimitExceeded, match="0.01 s limit"):
        with deadline(0.01, "slow.pdf"):
            try:
                time.sleep(2)  # the alarm fires here
            except LimitExceeded as exc:
                raise ValueError("the parser's own error") from exc
