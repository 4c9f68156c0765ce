"""castguard redline: native Word revisions, checked at the XML level, by an independent accept/reject
transform, and in LibreOffice itself (its own list of tracked changes, and Accept All / Reject All via UNO)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, require_tool
from lxml import etree
from tools.ooxml_revisions import transform

from castguard.cli import cli
from castguard.ingest import read_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
AUTHOR = "Ana Ruiz (agent)"
DATE = "2026-11-26T10:00:00Z"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _redline(tmp_path: Path, contract: Path, *extra: str) -> tuple[Path, str]:
    out = tmp_path / f"{contract.stem}-redline.docx"
    result = CliRunner().invoke(
        cli,
        ["redline", str(contract), "-o", str(out), "--author", AUTHOR, "--date", DATE, "--jurisdiction", "CA", *extra],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("redlines")


@pytest.fixture(scope="module")
def voiceover(out_dir):
    return _redline(out_dir, SAMPLES / "voiceover_brightwave.docx")


@pytest.fixture(scope="module")
def kestrel(out_dir):
    return _redline(out_dir, SAMPLES / "athlete_endorsement_kestrel.docx")


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _body(path: Path):
    return etree.fromstring(_part(path, "word/document.xml")).find(q("body"))


def _words(text: str) -> list[str]:
    return text.split()


# --------------------------------------------------------------------------- the markup itself


@pytest.mark.parametrize("which", ["voiceover", "kestrel"])
def test_revisions_are_native_unique_and_attributed(which, request):
    path, message = request.getfixturevalue(which)
    body = _body(path)
    ins, dels = list(body.iter(q("ins"))), list(body.iter(q("del")))
    assert ins and dels
    ids = [el.get(q("id")) for el in ins + dels]
    assert len(ids) == len(set(ids)), "every revision has its own w:id"
    for el in ins + dels:
        assert el.get(q("author")) == AUTHOR and el.get(q("date")) == DATE
    for d in dels:
        if d.getparent().tag == q("rPr"):
            continue
        assert not list(d.iter(q("t"))) and list(d.iter(q("delText"))), "deleted runs carry w:delText, not w:t"
    run_level_ins = [i for i in ins if i.getparent().tag not in (q("rPr"), q("trPr"))]
    m = re.search(r"(\d+) insertion\(s\), (\d+) deletion\(s\), (\d+) comment\(s\)", message)
    assert (int(m.group(1)), int(m.group(2))) == (len(run_level_ins), len([d for d in dels]))
    settings = etree.fromstring(_part(path, "word/settings.xml"))
    assert settings.find(q("trackRevisions")) is not None  # further edits in Word are tracked too


def test_perpetuity_becomes_a_term_and_hereafter_devised_is_struck(kestrel):
    path, _ = kestrel
    body = _body(path)
    deleted = ["".join(t.text for t in d.iter(q("delText"))) for d in body.iter(q("del"))]
    inserted = ["".join(t.text or "" for t in i.iter(q("t"))) for i in body.iter(q("ins"))]
    assert any(d.strip().lower() == "in perpetuity" for d in deleted)
    assert any("a term of five (5) years" in i for i in inserted)
    assert any("hereafter devised" in d for d in deleted)
    assert any(i.strip().startswith("Notwithstanding the foregoing,") for i in inserted)


def test_untouched_parts_and_paragraphs_survive(kestrel):
    """Headers, footers, numbering and styles are unchanged in meaning; so is every paragraph no edit touched."""
    path, _ = kestrel
    src = SAMPLES / "athlete_endorsement_kestrel.docx"
    with zipfile.ZipFile(src) as z:
        names = [n for n in z.namelist() if re.match(r"word/(header|footer)\d*\.xml$|word/numbering\.xml$", n)]
    for name in names:
        a = etree.tostring(etree.fromstring(_part(src, name)), method="c14n")
        b = etree.tostring(etree.fromstring(_part(path, name)), method="c14n")
        assert a == b, name
    before = list(_body(src).iter(q("p")))
    after = list(_body(path).iter(q("p")))
    assert len(after) > len(before)
    touched = 0
    for old, new in zip(before, after):
        if next(new.iter(q("ins"), q("del"), q("commentRangeStart")), None) is not None:
            touched += 1
            continue
        assert etree.tostring(old, method="c14n") == etree.tostring(new, method="c14n")
    assert 0 < touched < len(before)


def test_runs_split_only_where_an_edit_lands_and_keep_their_formatting(tmp_path):
    """A bold run with "in perpetuity" in its middle: the halves keep the bold; the other runs are untouched."""
    d = docx.Document()
    d.add_paragraph('PERFORMER AGREEMENT between Studio Inc. ("Company") and Jo Bloggs, an individual ("Performer").')
    p = d.add_paragraph()
    p.add_run("1. Grant. ").italic = True
    p.add_run("Performer grants Company the right to use Performer's likeness and voice in perpetuity throughout "
              "the universe").bold = True  # fmt: skip
    p.add_run(" in all media.")
    src = tmp_path / "deal.docx"
    d.save(str(src))
    out, _ = _redline(tmp_path, src, "--performer", "Jo Bloggs", "--agreement-date", "1 May 2020")
    para = list(_body(out).iter(q("p")))[1]
    runs = [r for r in para.iter(q("r"))]
    texts = ["".join(t.text for t in r.iter(q("t"), q("delText"))) for r in runs]
    assert texts[0] == "1. Grant. " and runs[0].find(f"{q('rPr')}/{q('i')}") is not None
    i = texts.index("in perpetuity")
    assert runs[i].getparent().tag == q("del")
    for k in (i - 1, i, i + 1):  # the split bold run: before, deleted middle, inserted term
        assert runs[k].find(f"{q('rPr')}/{q('b')}") is not None, texts[k]
    assert texts[i - 1].endswith("voice ") and "a term of five (5) years" in texts[i + 1]
    assert " in all media." in texts


def test_comments_explain_each_flagged_clause(voiceover):
    path, message = voiceover
    comments = etree.fromstring(_part(path, "word/comments.xml")).findall(q("comment"))
    n = int(re.search(r"(\d+) comment", message).group(1))
    assert len(comments) == n > 0
    for c in comments:
        text = "".join(t.text or "" for t in c.iter(q("t")))
        assert text.startswith("castguard: ") and "Answered in Section" in text and "not legal advice" in text.lower()
        assert c.get(q("author")) == AUTHOR
    body = _body(path)
    assert len(list(body.iter(q("commentRangeStart")))) == len(comments) == len(list(body.iter(q("commentReference"))))


# --------------------------------------------------------------------------- accept all / reject all


@pytest.mark.parametrize("name", ["voiceover_brightwave.docx", "athlete_endorsement_kestrel.docx"])
def test_reject_all_gives_back_the_original_and_accept_all_the_amended_docx(out_dir, tmp_path, name):
    path, _ = _redline(out_dir, SAMPLES / name)
    data = path.read_bytes()
    rejected, accepted = tmp_path / "rejected.docx", tmp_path / "accepted.docx"
    rejected.write_bytes(transform(data, "reject"))
    accepted.write_bytes(transform(data, "accept"))
    original = read_document(SAMPLES / name).text
    assert read_document(rejected).text == original
    amended = read_document(accepted).text
    contract_part = amended.split("Addendum on")[0] if "Addendum on" in amended else amended[: len(original) + 4000]
    assert "Notwithstanding the foregoing" in contract_part
    assert "ADDENDUM" in amended.upper() and "Section 2 of the Addendum" in amended


@pytest.mark.parametrize("name", ["film_actor_harborlight.pdf", "influencer_glowup.txt", "model_release_lumen.md"])
def test_pdf_and_text_contracts_are_rebuilt_then_redlined(out_dir, tmp_path, name):
    path, _ = _redline(out_dir, SAMPLES / name)
    rejected = tmp_path / "rejected.docx"
    rejected.write_bytes(transform(path.read_bytes(), "reject"))
    original = read_document(SAMPLES / name)
    assert _words(read_document(rejected).text) == _words(original.text)
    # clause numbers and headings kept: each numbered clause starts its own paragraph
    paragraphs = [p.text for p in docx.Document(str(rejected)).paragraphs]
    from castguard.segment import segment

    numbered = [c for c in segment(original) if c.number and c.level == 1][:5]
    for c in numbered:
        assert any(p.startswith(c.number) for p in paragraphs), c.number


# --------------------------------------------------------------------------- a real client: LibreOffice


def test_libreoffice_lists_the_tracked_changes(voiceover, tmp_path):
    soffice = require_tool("soffice")
    path, _ = voiceover
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "odt",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    odt = tmp_path / (path.stem + ".odt")
    content = etree.fromstring(zipfile.ZipFile(odt).read("content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    dc = "http://purl.org/dc/elements/1.1/"
    regions = list(content.iter(f"{{{text_ns}}}changed-region"))
    deletions = [r for r in regions if r.find(f"{{{text_ns}}}deletion") is not None]
    insertions = [r for r in regions if r.find(f"{{{text_ns}}}insertion") is not None]
    body = _body(path)
    ours_del = [d for d in body.iter(q("del")) if d.getparent().tag != q("rPr")]
    inline_ins = [i for i in body.iter(q("ins")) if i.getparent().tag == q("p") and i.getparent().find(
        f"{q('pPr')}/{q('rPr')}/{q('ins')}") is None]  # fmt: skip
    assert len(deletions) == len(ours_del)
    deleted_text = sorted("".join("".join(p.itertext()) for p in r.iter(f"{{{text_ns}}}p")).strip() for r in deletions)
    assert deleted_text == sorted("".join(t.text for t in d.iter(q("delText"))).strip() for d in ours_del)
    assert len(insertions) >= len(inline_ins) + 1  # each inline insertion, plus the appended addendum
    creators = {c.text for c in content.iter(f"{{{dc}}}creator")}
    assert creators == {AUTHOR}
    annotations = list(content.iter("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation"))
    assert len(annotations) == len(list(body.iter(q("commentRangeStart"))))


def _system_python_with_uno() -> str:
    python = "/usr/bin/python3"
    ok = os.path.exists(python) and subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0
    if not ok:
        message = "LibreOffice's python3-uno not found: install python3-uno (apt-get install python3-uno)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: .ci/run installs it)")
        pytest.skip(message)
    return python


def test_libreoffice_accept_all_and_reject_all(kestrel):
    """LibreOffice's own Accept All / Reject All (through UNO): rejecting gives the contract as it was."""
    require_tool("soffice")
    python = _system_python_with_uno()
    path, _ = kestrel
    proc = subprocess.run(
        [python, str(ROOT / "tests" / "tools" / "lo_revisions.py"), str(path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    kinds = {r["type"] for r in result["redlines"]}
    assert {"Insert", "Delete"} <= kinds
    assert {r["author"] for r in result["redlines"]} == {AUTHOR}
    assert all(r["date"].startswith("2026-11-26T10:00") for r in result["redlines"])
    original = read_document(SAMPLES / "athlete_endorsement_kestrel.docx").text
    assert _words(result["rejected_text"]) == _words(original)
    accepted = result["accepted_text"]
    assert "a term of five (5) years" in accepted and "Notwithstanding the foregoing" in accepted
    # LibreOffice's Accept All and the independent OOXML transform agree word for word
    mine = Path(proc.args[-1]).with_name("accepted-by-transform.docx")
    mine.write_bytes(transform(path.read_bytes(), "accept"))
    bullets = {"\u2022", "\u25e6", "\u25aa", "\uf0b7"}  # LibreOffice's text export shows list bullets
    assert [w for w in _words(accepted) if w not in bullets] == _words(read_document(mine).text)
    assert result["comments"] >= 1


# --------------------------------------------------------------------------- input with revisions of its own


def _docx_with_revisions(path: Path) -> None:
    d = docx.Document()
    d.add_paragraph('PERFORMER AGREEMENT between Studio Inc. ("Company") and Jo Bloggs, an individual ("Performer").')
    p = d.add_paragraph(
        "1. Grant. Performer irrevocably grants Company the right to use Performer's likeness in all media "
        "now known or hereafter devised, in perpetuity"
    )
    p_el = p._p
    ins = etree.SubElement(p_el, q("ins"), {q("id"): "901", q("author"): "Studio", q("date"): "2025-01-01T00:00:00Z"})
    r = etree.SubElement(ins, q("r"))
    etree.SubElement(
        r, q("t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    ).text = ", and to create a digital replica of Performer's voice for any purpose"
    dl = etree.SubElement(p_el, q("del"), {q("id"): "902", q("author"): "Studio", q("date"): "2025-01-01T00:00:00Z"})
    r = etree.SubElement(dl, q("r"))
    etree.SubElement(
        r, q("delText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    ).text = " in the Picture only"
    etree.SubElement(etree.SubElement(p_el, q("r")), q("t")).text = "."
    d.save(str(path))


def test_input_revisions_read_accepted_by_default_or_rejected_on_request(tmp_path):
    src = tmp_path / "negotiated.docx"
    _docx_with_revisions(src)
    accepted = read_document(src)
    rejected = read_document(src, on_revisions="reject")
    assert "digital replica" in accepted.text and "in the Picture only" not in accepted.text
    assert "digital replica" not in rejected.text and "in the Picture only" in rejected.text
    assert any("tracked changes" in w for w in accepted.warnings)
    result = CliRunner().invoke(cli, ["scan", str(src), "--format", "json"])
    assert result.exit_code == 0 and "tracked changes" in result.stderr  # the warning reaches the user
    gaps = {f["gap"] for f in json.loads(result.stdout)["findings"]}
    assert "replica_creation_grant" in gaps  # the accepted text grants a replica
    result = CliRunner().invoke(cli, ["scan", str(src), "--format", "json", "--on-revisions", "reject"])
    assert "replica_creation_grant" not in {f["gap"] for f in json.loads(result.stdout)["findings"]}
    for mode in ("accept", "reject"):
        out, _ = _redline(tmp_path, src, "--on-revisions", mode, "--agreement-date", "1 May 2020")
        back = tmp_path / f"back-{mode}.docx"
        back.write_bytes(transform(out.read_bytes(), "reject"))
        # rejecting castguard's changes gives the text castguard read, in the mode asked for
        assert read_document(back).text == read_document(src, on_revisions=mode).text


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    "args,message",
    [
        (["-o", "x.txt"], "ending in .docx or .pdf"),
        (["-o", "x.docx", "--date", "yesterday"], "ISO 8601"),
        (["-o", "x.docx", "--author", "bad\x07name"], "--author"),
    ],
)
def test_cli_errors(tmp_path, args, message):
    args = [a if a not in ("x.txt", "x.docx") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(cli, ["redline", str(SAMPLES / "influencer_glowup.txt"), "--jurisdiction", "NY", *args])
    assert result.exit_code == 2 and message in result.output


def test_redline_never_touches_its_input(tmp_path):
    src = tmp_path / "deal.docx"
    shutil.copy(SAMPLES / "voiceover_brightwave.docx", src)
    before = src.read_bytes()
    _redline(tmp_path, src)
    assert src.read_bytes() == before
    result = CliRunner().invoke(cli, ["redline", str(src), "-o", str(src), "--jurisdiction", "UK"])
    assert result.exit_code == 2 and "never overwrites" in result.output and src.read_bytes() == before
