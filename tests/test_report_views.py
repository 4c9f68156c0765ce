"""The human views (terminal table, Markdown, HTML review report) show the document type, what the contract
already protects and the per-gap checklist; an out-of-scope document gets neither section."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest
from conftest import SAMPLES

from castguard.classify.taxonomy import GAPS
from castguard.model import Evidence, Protection
from castguard.report import DISCLAIMER, clause_ref, gap_checklist
from castguard.report.html import render_html
from castguard.report.markdown import render_markdown
from castguard.report.table import render_table
from castguard.scan import scan

HEADING = "What the contract already protects"
TRAINING = GAPS["ai_training_grant"].title


class _Text(HTMLParser):
    """The page's text (entities decoded) and its tags with their attributes."""

    def __init__(self, page: str):
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _section(page: str, ident: str) -> str:
    """The HTML of <section id=ident> up to the next top-level section of the main column."""
    start = page.index(f'<section id="{ident}"')
    ends = [page.find(f'<section id="{n}"', start + 1) for n in ("protections", "checklist", "contract")]
    return page[start : min(e for e in ends if e > 0)]


@pytest.fixture(scope="module")
def film():
    return scan(SAMPLES / "film_actor_harborlight.pdf")


@pytest.fixture(scope="module")
def control():
    return scan(SAMPLES / "control_software_license.txt")


@pytest.fixture(scope="module")
def training(film):
    """The film sample's protection against AI training (Section 6.3 No Training) and the clause it cites."""
    p = next(p for p in film.protections if p.gap == "ai_training_grant")
    assert not p.hollowed
    clause = next(c for c in film.clauses if c.id == p.clause_ids[0])
    assert clause_ref(clause) == "Section 6.3 No Training (p. 3)"
    return p, clause


def test_the_film_sample_is_what_these_tests_assume(film):
    rows = {r["gap"]: r for r in gap_checklist(film)}
    assert film.in_scope and film.document_type == "contract"
    assert rows["ai_training_grant"]["status"] == "protected"
    assert any(r["status"] == "raised" for r in rows.values())


# --------------------------------------------------------------------------- terminal table


def test_table_shows_document_type_protections_and_checklist(film, training):
    p, _ = training
    out = render_table(film, width=100)
    lines = out.splitlines()
    assert lines[1].startswith("Document type: contract")
    assert HEADING in lines and "Checklist (every gap castguard checks)" in lines
    section = out[out.index(HEADING) : out.index("Checklist (every gap")]
    flat = " ".join(section.split())
    assert f"✓ Protects against: {TRAINING} — Section 6.3 No Training (p. 3)" in flat
    assert " ".join(p.evidence[0].quote.split()) in flat  # the verbatim quote (it is short enough to show whole)
    # one checklist line per gap, each with a symbol and a word
    checklist = lines[lines.index("Checklist (every gap castguard checks)") + 2 :][: len(GAPS)]
    assert len(checklist) == len(GAPS)
    assert all(re.match(r"  [✗✓○] (raised|protected|not raised) ", line) for line in checklist)
    assert any(line.split() == ["✓", "protected", *TRAINING.split()] for line in checklist)
    # the protections come after the findings, and the not-legal-advice line is still last
    assert out.index(HEADING) > out.index(film.findings[-1].gap)
    assert "Not legal advice" in out.split("Checklist (every gap")[1]
    assert max(len(line) for line in lines) <= 140


def test_table_marks_a_hollowed_protection():
    report = scan(SAMPLES / "influencer_glowup.txt")
    hollowed = [p for p in report.protections if p.hollowed]
    assert hollowed
    out = " ".join(render_table(report, width=100).split())
    assert f"✗ Protection against: {GAPS[hollowed[0].gap].title}" in out
    assert "(hollowed out: does not count)" in out


def test_table_out_of_scope_has_no_protections_or_checklist(control):
    out = render_table(control, width=100)
    assert "Document type: contract" in out and "In scope: no" in out
    assert HEADING not in out and "Checklist" not in out
    assert "Protections and gap checklist: not applicable (the document is out of scope)." in out
    assert "Not legal advice" in out


# --------------------------------------------------------------------------- Markdown


def test_markdown_shows_document_type_protections_and_checklist(film, training):
    p, _ = training
    md = render_markdown(film)
    assert "- **Document type:** contract — " in md
    assert f"## {HEADING}" in md and "## Checklist" in md and "| Gap | Status | Clauses |" in md
    section = md.split(f"## {HEADING}", 1)[1].split("## Checklist", 1)[0]
    assert f"- ✓ **{TRAINING}** (`ai_training_grant`)" in section
    assert f"  - **Section 6.3 No Training (p. 3):** “{p.evidence[0].quote}”" in section  # nothing to escape in it
    row = next(line for line in md.splitlines() if line.startswith(f"| {TRAINING} (`ai_training_grant`) |"))
    assert row == f"| {TRAINING} (`ai_training_grant`) | ✓ protected | Section 6.3 No Training (p. 3) |"
    table = md.split("| Gap | Status | Clauses |", 1)[1].split("\n\n", 1)[0].strip().splitlines()[1:]
    assert len(table) == len(GAPS) and all(line.count(" | ") == 2 for line in table)
    assert md.count(DISCLAIMER) == 2 and md.rstrip().endswith(f"*{DISCLAIMER}*")


def test_markdown_escapes_contract_text_in_the_new_sections(film):
    """A quote or a clause heading with Markdown in it stays literal text on one line and one table row."""
    hostile = "a | b <img src=x onerror=alert(1)> **bold** [link](http://x)\n# heading"
    clause = dataclasses.replace(film.clauses[5], number="7.", heading="Pay | *Fees*")
    clauses = tuple(clause if c.id == clause.id else c for c in film.clauses)
    prot = Protection(
        gap="post_mortem_use",
        clause_ids=(clause.id,),
        evidence=(Evidence(clause.id, hostile, clause.start, clause.end, clause.page),),
        explanation=f"Ends at death. ({hostile})",
        detector="rules.v1",
    )
    report = dataclasses.replace(film, clauses=clauses, protections=(*film.protections, prot))
    md = render_markdown(report)
    assert not re.search(r"(?<!\\)<img", md) and "**bold**" not in md and "[link](" not in md
    assert "\n# heading" not in md
    # only what would be markup is escaped; the pipe only where the text sits in a table cell
    assert r"a | b \<img src=x onerror=alert(1)> \*\*bold\*\* [link\](http://x) # heading" in md
    row = next(line for line in md.splitlines() if "(`post_mortem_use`) |" in line)
    assert "✓ protected" in row and r"7. Pay \| \*Fees\*" in row
    assert row.count(" | ") == 2  # the escaped pipe does not open a fourth column
    # a real CommonMark renderer shows every piece of it as text: no tag, no link, no emphasis, no stray "\"
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    rendered = _Text(page)
    assert {tag for tag, _ in rendered.tags} <= {
        "h1", "h2", "h3", "p", "ul", "li", "strong", "em", "code", "blockquote", "table", "thead", "tbody", "tr",
        "th", "td", "hr",
    }  # fmt: skip
    text = " ".join("".join(rendered.parts).split())
    assert " ".join(hostile.split()) in text and "\\" not in text
    assert "7. Pay | *Fees*" in text


def test_markdown_out_of_scope_has_no_protections_or_checklist(control):
    md = render_markdown(control)
    assert "- **Document type:** contract" in md and "- **In scope:** no" in md
    assert HEADING not in md and "## Checklist" not in md
    assert "*Protections and gap checklist: not applicable (the document is out of scope).*" in md


# --------------------------------------------------------------------------- HTML review report


def test_html_shows_document_type_protections_and_checklist(film, training):
    p, clause = training
    page = render_html(film)
    tree = _Text(page)
    assert "Document type Contract — " in tree.text
    ids = [a.get("id") for _, a in tree.tags if a.get("id")]
    assert "protections" in ids and "checklist" in ids
    assert ids.index("protections") < ids.index("checklist") < ids.index("contract")
    # the protection: symbol and word, its quote, a link to its clause; styled apart from the findings
    section = _section(page, "protections")
    stext = _Text(section)
    assert HEADING in stext.text
    assert f"✓ Protected against: {TRAINING}" in stext.text
    assert " ".join(p.evidence[0].quote.split()) in stext.text
    i = film.protections.index(p)
    panel = _Text(section.split(f'id="protection-{i}"', 1)[1].split("</section>", 1)[0])
    assert ("a", {"href": f"#clause-{clause.id}"}) in panel.tags
    classes = [a.get("class", "") for _, a in stext.tags]
    assert "protection" in classes and not any(c.startswith("finding") for c in classes)
    # the checklist: every gap, a status with symbol and word, links to the clauses
    table = _section(page, "checklist")
    rows = table.split("<tr>")[2:]  # after the header row
    assert len(rows) == len(GAPS)
    row = next(r for r in rows if "(ai_training_grant)" in r)
    assert '<span class="st protected">✓ Protected</span>' in row and f'href="#clause-{clause.id}"' in row
    assert "Section 6.3 No Training (p. 3)" in _Text(row).text
    assert all(re.search(r'<span class="st (raised|protected|not_raised)">[✗✓○] (Raised|Protected|Not raised)</span>', r)
               for r in rows)  # fmt: skip
    # the clause itself carries a "protected" marker linking back to the protection
    clause_html = page.split(f'id="clause-{clause.id}"', 1)[1].split('<div class="clause', 1)[0]
    assert '<span class="pmark"><span class="prot">✓ Protected</span> against:' in clause_html
    assert f'href="#protection-{i}"' in clause_html
    # the table of contents links to both sections
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="#protections"' in nav and 'href="#checklist"' in nav


def test_html_escapes_the_new_sections(film):
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    prot = Protection(
        gap="post_mortem_use",
        clause_ids=(film.clauses[3].id,),
        evidence=(Evidence(film.clauses[3].id, hostile, film.clauses[3].start, film.clauses[3].end, None),),
        explanation=hostile,
        detector=hostile,
    )
    report = dataclasses.replace(
        film, protections=(*film.protections, prot), document_type_reason=hostile
    )
    page = render_html(report)
    tree = _Text(page)
    tags = [t for t, _ in tree.tags]
    assert "script" not in tags and "img" not in tags
    assert hostile in "".join(tree.parts)


def test_html_accessible_with_protections(film, tmp_path):
    from tools.a11y import check_file

    path = tmp_path / "film.html"
    path.write_text(render_html(film), encoding="utf-8")
    assert check_file(path) == []
    influencer = tmp_path / "influencer.html"  # it has a hollowed-out protection
    influencer.write_text(render_html(scan(SAMPLES / "influencer_glowup.txt")), encoding="utf-8")
    assert check_file(influencer) == []
    assert '<span class="prot hollowed">✗ Hollowed out</span> protection against:' in influencer.read_text()


def test_html_out_of_scope_has_no_protections_or_checklist(control):
    page = render_html(control)
    text = _Text(page).text
    assert "Document type Contract" in text and "In scope No" in text
    assert HEADING not in text and 'id="protections"' not in page and 'id="checklist"' not in page
    assert "Protections and gap checklist: not applicable (the document is out of scope)." in text


def test_not_a_contract_gets_no_protections_in_any_view(film):
    report = dataclasses.replace(film, document_type="not_a_contract", document_type_reason="a cover letter")
    note = "Protections and gap checklist: not applicable (the document is not a contract)."
    table = render_table(report, width=100)
    assert "Document type: not a contract — a cover letter" in table
    md = render_markdown(report)
    assert "- **Document type:** not a contract — a cover letter" in md
    page = render_html(report)
    for out in (table, md, _Text(page).text):
        assert HEADING not in out and note in out
    assert "Document type Not a contract — a cover letter" in _Text(page).text
