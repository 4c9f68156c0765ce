"""castguard draft: the addendum from templates — golden files, template-set validation, the sandbox,
escaping of hostile deal values in every format, deal facts and their errors, and a real Word document."""

from __future__ import annotations

import html.parser
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, require_tool

from castguard.classify.taxonomy import GAPS, SEVERITY_ORDER
from castguard.cli import cli
from castguard.draft import build_addendum, deal_for, load_templates
from castguard.draft.deal import Deal, contract_facts, load_deal, resolve_deal
from castguard.draft.templates import templates_dir
from castguard.draft.writers import render
from castguard.errors import DealError, DraftError, TemplateError
from castguard.scan import scan

sys.path.insert(0, str(ROOT / "tests" / "golden"))
from regen_addenda import cases  # noqa: E402
from regen_addenda import render as render_golden

HOSTILE = ["{{ 7*7 }}", "<w:t>", "</script>", "**bold** _x_ [link](http://x) # h"]
DEAL = {"jurisdiction": "CA", "addendum_date": "2026-11-26"}


@pytest.fixture(scope="module")
def glowup():
    return scan(SAMPLES / "influencer_glowup.txt")


# --------------------------------------------------------------------------- golden addenda


@pytest.mark.parametrize("contract,deal,golden", cases(), ids=lambda v: Path(v).stem if isinstance(v, Path) else v)
def test_golden_addendum(contract, deal, golden):
    assert golden.exists(), f"run tests/golden/regen_addenda.py to create {golden.name}"
    assert render_golden(contract, deal) == golden.read_text(encoding="utf-8")


def test_golden_set_covers_every_remedy_and_jurisdiction_variant():
    text = "".join(g.read_text(encoding="utf-8") for _, _, g in cases())
    remedies = {g.remedy for g in GAPS.values()}
    seen = set()
    for contract, deal, _ in cases():
        report = scan(contract)
        seen |= {f.remedy for f in report.findings}
    assert seen == remedies  # the goldens between them render every remedy template
    assert "Labor Code" in text and "5-302" in text and "ELVIS" in text and "Art. 50" in text


# --------------------------------------------------------------------------- what the addendum addresses


def test_only_raised_gaps_in_severity_order(glowup):
    addendum = build_addendum(glowup, resolve_deal(contract_facts(glowup.facts), DEAL))
    raised = {f.gap for f in glowup.findings}
    assert {s.gap for s in addendum.sections} == raised
    ranks = [SEVERITY_ORDER[s.severity] for s in addendum.sections]
    assert ranks == sorted(ranks, reverse=True)
    assert [s.n for s in addendum.sections] == list(range(2, 2 + len(raised)))
    for s in addendum.sections:
        assert s.body.startswith(f"## {s.n}. ")
        # the sentence the redline's comment quotes: what the section provides, plain, one sentence
        assert s.carve_out.endswith(".") and "Notwithstanding" not in s.carve_out and "castguard" not in s.carve_out
        assert any(a.split(" (")[0][:20] in s.body for a in GAPS[s.gap].anchors), s.gap  # cites its anchors


def test_frame_has_parties_date_definitions_and_signatures(glowup):
    md = build_addendum(glowup, resolve_deal(contract_facts(glowup.facts), DEAL)).markdown
    for needle in ("Skylar Delacroix", "GlowUp Beauty Co.", "Influencer Content Agreement", "October 1, 2024",
                   "Digital Replica", "AI Training", "Synthetic Performer", "|---"):  # fmt: skip
        assert needle in md, needle
    assert "severab" in md.lower()


@pytest.mark.parametrize(
    "code,cites",
    [("CA", "Labor Code"), ("NY", "5-302"), ("IL", "103-0830"), ("TN", "ELVIS"), ("EU", "2024/1689"), ("UK", "1988")],
)
def test_wording_follows_the_jurisdiction(tmp_path, code, cites):
    report = scan(SAMPLES / "film_actor_harborlight.pdf")  # raises post-mortem, replica and disclosure gaps
    deal = resolve_deal(contract_facts(report.facts), {"jurisdiction": code})
    assert cites in build_addendum(report, deal).markdown


def test_out_of_scope_and_gap_free_contracts_are_refused_clearly():
    deal = Deal("A", "B", "T", "D", "CA")
    with pytest.raises(DraftError, match="out of scope"):
        build_addendum(scan(SAMPLES / "control_software_license.txt"), deal)
    with pytest.raises(DraftError, match="no gaps"):
        build_addendum(scan(SAMPLES / "voice_actor_protective_rider.md"), deal)


# --------------------------------------------------------------------------- deal facts


def test_facts_from_the_samples():
    got = contract_facts(scan(SAMPLES / "voiceover_brightwave.docx").facts)
    assert {k: got[k] for k in ("agreement_title", "agreement_date", "performer", "company")} == {
        "agreement_title": "Voice-over Services Agreement",
        "agreement_date": "17 June 2024",
        "performer": "Owen Tremlett",
        "company": "Brightwave Audio Ltd",
    }
    got = contract_facts(scan(SAMPLES / "film_actor_harborlight.pdf").facts)
    assert (got["performer"], got["company"]) == ("Dana R. Whitcombe", "Harbor Light Pictures, LLC")


def test_missing_fact_is_an_error_naming_it(tmp_path):
    contract = tmp_path / "bare.txt"
    contract.write_text(
        "1. The performer grants the company the right to create a digital replica of the performer's voice "
        "and likeness for any purpose in perpetuity.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["draft", str(contract), "-o", str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert "missing deal fact(s)" in result.output and "performer" in result.output and "--performer" in result.output
    assert "jurisdiction" in result.output and not (tmp_path / "a.md").exists()


@pytest.mark.parametrize(
    "toml,message",
    [
        ('performer = "A"\nnonsense = 1\n', "unknown key 'nonsense'"),
        ("term_years = 'ten'\n", "term_years"),
        ("term_years = 1000\n", "term_years"),
        ("minor = 'yes'\n", "minor"),
        ('jurisdiction = "Mars"\n', "jurisdiction"),
        ("performer = [1, 2]\n", "performer"),
        ('performer = "A\\nB"\n', "line break"),
        ("[fees]\nbribe = '1'\n", "unknown key(s) in [fees]"),
        ("performer = \n", "not valid TOML"),
        ('addendum_date = "yesterday"\n', "ISO date"),
    ],
)
def test_hostile_or_wrong_deal_files_are_rejected(tmp_path, toml, message):
    path = tmp_path / "deal.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(DealError, match=re.escape(message)) as err:
        load_deal(path)
    assert str(path) in str(err.value)


def test_oversized_and_binary_deal_files(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text("performer = '" + "a" * 70000 + "'\n", encoding="utf-8")
    with pytest.raises(DealError, match="at most"):
        load_deal(big)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DealError, match="UTF-8"):
        load_deal(binary)


def test_layers_contract_then_file_then_options(tmp_path, glowup):
    deal_file = tmp_path / "deal.toml"
    deal_file.write_text('[deal]\njurisdiction = "NY"\ncompany = "From File Inc."\n[fees]\nper_use = "USD 900"\n')
    deal = deal_for(glowup, deal_file, {"company": "From Options LLC"})
    assert deal.performer == "Skylar Delacroix"  # the contract
    assert deal.jurisdiction == "NY" and deal.fees.per_use == "USD 900"  # the file
    assert deal.company == "From Options LLC"  # the options win


# --------------------------------------------------------------------------- escaping, every format


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.parts.append(data)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_deal_value_appears_literally_in_every_format(glowup, value):
    from markdown_it import MarkdownIt

    deal = resolve_deal(contract_facts(glowup.facts), {**DEAL, "performer": value})
    addendum = build_addendum(glowup, deal)
    # Markdown: a real CommonMark renderer shows the value as text, not markup
    rendered = MarkdownIt("commonmark").enable("table").render(addendum.markdown)
    parser = _Text()
    parser.feed(rendered)
    assert value in "".join(parser.parts)
    assert "script" not in parser.tags and "w:t" not in parser.tags
    # HTML
    page = render(addendum.markdown, addendum.title, "html").decode()
    parser = _Text()
    parser.feed(page)
    assert value in "".join(parser.parts)
    assert parser.tags.count("script") == 0
    # DOCX: python-docx reads the text back; the XML stays well-formed
    import docx

    document = docx.Document(io.BytesIO(render(addendum.markdown, addendum.title, "docx")))
    text = "\n".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert value in text  # "{{ 7*7 }}" evaluated would have become "49"


# --------------------------------------------------------------------------- template sets


def _copy_set(tmp_path) -> Path:
    dst = tmp_path / "house"
    shutil.copytree(templates_dir(), dst)
    return dst


def test_default_set_is_complete():
    ts = load_templates()
    assert set(ts.jurisdictions) == {"CA", "NY", "IL", "TN", "US", "EU", "UK", "OTHER"}


def test_user_set_missing_a_remedy_is_refused(tmp_path):
    house = _copy_set(tmp_path)
    (house / "remedies" / "estate_consent.md.j2").unlink()
    with pytest.raises(TemplateError, match="estate_consent"):
        load_templates(house)


def test_user_set_missing_a_block_or_broken_syntax_is_refused(tmp_path):
    house = _copy_set(tmp_path)
    (house / "remedies" / "replica_pay.md.j2").write_text("{% block section %}## {{ n }}. Pay{% endblock %}")
    with pytest.raises(TemplateError, match="carve_out"):
        load_templates(house)
    (house / "remedies" / "replica_pay.md.j2").write_text("{% block section %}{% if %}{% endblock %}")
    with pytest.raises(TemplateError, match="replica_pay.md.j2, line 1"):
        load_templates(house)


def test_user_set_missing_jurisdiction_key_is_refused(tmp_path):
    house = _copy_set(tmp_path)
    toml = (house / "jurisdictions.toml").read_text(encoding="utf-8")
    (house / "jurisdictions.toml").write_text(toml.replace("[TN]", "[TENNESSEE]"), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"\[TN\]"):
        load_templates(house)


@pytest.mark.parametrize(
    "body,message",
    [
        ("{{ deal.performr }}", "performr"),  # StrictUndefined: a typo is an error, not a blank
        ("{{ deal.__class__.__mro__ }}", "render"),  # the sandbox: no Python internals
        ("{{ ''.__class__.__subclasses__() }}", "render"),
        ("{{ cycler.__init__.__globals__ }}", "render"),
        ("{% include '../../../../etc/passwd' %}", "render"),  # no files outside the set
        ("{{ findings.append(1) }}", "render"),  # immutable: the data given cannot be changed
    ],
)
def test_hostile_user_template_cannot_escape_the_sandbox(tmp_path, glowup, body, message):
    house = _copy_set(tmp_path)
    target = house / "remedies" / "training_opt_in.md.j2"
    target.write_text(
        "{% block section %}## {{ n }}. X\n\n" + body + "\n{% endblock %}{% block carve_out %}{% endblock %}"
    )
    ts = load_templates(house)
    deal = resolve_deal(contract_facts(glowup.facts), DEAL)
    with pytest.raises(TemplateError, match=message) as err:
        build_addendum(glowup, deal, ts)
    assert "training_opt_in" in str(err.value)
    assert "root:" not in str(err.value)


def test_union_house_style_is_used(tmp_path, glowup):
    house = _copy_set(tmp_path)
    frame = house / "addendum.md.j2"
    frame.write_text(
        "# Equity House Rider for {{ deal.performer }}\n\n" + frame.read_text(encoding="utf-8").split("\n", 1)[1]
    )
    result = CliRunner().invoke(
        cli,
        ["draft", str(SAMPLES / "influencer_glowup.txt"), "--templates", str(house), "--jurisdiction", "UK",
         "-o", str(tmp_path / "a.md")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.md").read_text(encoding="utf-8").startswith("# Equity House Rider for Skylar Delacroix")


# --------------------------------------------------------------------------- the CLI and real files


@pytest.mark.parametrize("suffix,fmt", [(".md", "markdown"), (".html", "html"), (".docx", "docx")])
def test_cli_writes_each_format(tmp_path, suffix, fmt):
    out = tmp_path / f"addendum{suffix}"
    result = CliRunner().invoke(
        cli, ["draft", str(SAMPLES / "music_session_bluefinch.txt"), "--jurisdiction", "TN", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "docx":
        assert data[:2] == b"PK"
    elif fmt == "html":
        assert data.startswith(b"<!DOCTYPE html>") and b"http" not in data.split(b"<main>")[0]
    else:
        assert data.startswith(b"# ")
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_docx_addendum_is_a_real_word_document(tmp_path):
    """Styles, numbered headings and a signature table, and LibreOffice opens it and reads the same text."""
    import docx

    soffice = require_tool("soffice")
    out = tmp_path / "addendum.docx"
    result = CliRunner().invoke(
        cli, ["draft", str(SAMPLES / "film_actor_harborlight.pdf"), "--jurisdiction", "CA", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    styles = [p.style.name for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Title" in styles and headings[0].startswith("1. ") and headings[1].startswith("2. ")
    assert len(document.tables) == 1
    assert "Performer" in " ".join(c.text for c in document.tables[0].rows[0].cells)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "txt:Text (encoded):UTF8",
         "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (tmp_path / "addendum.txt").read_text(encoding="utf-8-sig")
    assert headings[1] in text and "Dana R. Whitcombe" in text


GAP_OR_CLAUSE_ID = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\bc\d+\b")


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_the_addendum_is_ready_to_send(tmp_path, suffix):
    """A document for the other side: no tool name, no gap or clause id, no disclaimer, in any format and any
    part of the Word package (body, footer, core and app properties). The notice stays on the terminal."""
    import zipfile

    out = tmp_path / f"addendum{suffix}"
    result = CliRunner().invoke(
        cli, ["draft", str(SAMPLES / "voiceover_brightwave.docx"), "--jurisdiction", "UK", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "not legal advice" in result.stderr
    if suffix == ".docx":
        with zipfile.ZipFile(out) as z:
            parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}
        texts = [" ".join(re.findall(r">([^<>]+)<", x)) for x in parts.values()]
        assert not [n for n, x in parts.items() if "castguard" in x.lower() or "python-docx" in x.lower()]
    else:
        texts = [out.read_text(encoding="utf-8")]
    for text in texts:
        assert "castguard" not in text.lower() and "legal advice" not in text.lower()
        assert "Drafted with" not in text and not GAP_OR_CLAUSE_ID.search(text), GAP_OR_CLAUSE_ID.search(text)


def test_draft_help_has_examples():
    for command in ("draft", "redline"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output and "legal advice" in result.output


def test_draft_never_touches_its_input(tmp_path):
    """Drafting reads the contract, never writes it."""
    contract = tmp_path / "deal.txt"
    shutil.copy(SAMPLES / "influencer_glowup.txt", contract)
    before = contract.read_bytes()
    result = CliRunner().invoke(cli, ["draft", str(contract), "--jurisdiction", "NY", "-o", str(tmp_path / "a.md")])
    assert result.exit_code == 0 and contract.read_bytes() == before
    result = CliRunner().invoke(cli, ["draft", str(contract), "--jurisdiction", "NY", "-o", str(contract)])
    assert result.exit_code == 2 and contract.read_bytes() == before


def test_a_minor_performer_is_recognised_and_can_be_overridden():
    report = scan(SAMPLES / "videogame_performer_ironpeak.txt")
    assert contract_facts(report.facts)["minor"] is True
    assert deal_for(report, None, {"jurisdiction": "US"}).minor is True
    assert deal_for(report, None, {"jurisdiction": "US", "minor": False}).minor is False
    assert "minor" not in contract_facts(scan(SAMPLES / "influencer_glowup.txt").facts)
