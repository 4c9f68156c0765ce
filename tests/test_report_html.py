"""The HTML review report: its structure, escaping and accessibility basics, and the page in a real browser
(headless Chromium through Playwright): no console errors, no network, highlighted clauses and finding panels
visible, a phone-width layout without sideways scrolling, a screenshot, and a printed PDF that carries the
findings."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, require_tool

from castguard.classify.taxonomy import GAPS
from castguard.cli import cli
from castguard.report import DISCLAIMER
from castguard.report.html import render_html
from castguard.scan import scan

HOSTILE = (
    "PERFORMER AGREEMENT\n"
    'between Studio Inc. ("Company") and Jo <script>alert(1)</script> Bloggs, an individual ("Performer").\n'
    "1. Grant. Performer grants Company the right to create a digital replica of Performer's voice and likeness "
    'for any purpose in perpetuity. "><img src=x onerror=alert(2)> </textarea><style>body{display:none}</style>\n'
)


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Tree:
    t = _Tree()
    t.feed(page)
    return t


@pytest.fixture(scope="module")
def film(tmp_path_factory):
    report = scan(SAMPLES / "film_actor_harborlight.pdf")
    path = tmp_path_factory.mktemp("html") / "film.html"
    path.write_text(render_html(report), encoding="utf-8")
    return report, path


# --------------------------------------------------------------------------- structure


def test_header_toc_clauses_and_panels(film):
    report, path = film
    page = path.read_text(encoding="utf-8")
    tree = _parse(page)
    text = " ".join(tree.text)
    assert [t for t, _ in tree.tags].count("h1") == 1
    assert "Performer Agreement" in text and "Dana R. Whitcombe" in text and "March 4, 2024" in text
    flat = " ".join(text.split())
    assert "PDF, 4 page(s)" in flat and "Yes —" in flat and f"{report_score(report)}" in flat
    # a table of contents entry, a panel and a highlighted clause for every finding
    ids = {a.get("id") for _, a in tree.tags}
    nav = _parse(page.split("<nav", 1)[1].split("</nav>", 1)[0])
    links = [a["href"] for t, a in nav.tags if t == "a" and a.get("href", "").startswith("#finding-")]
    assert len(links) == len(report.findings) and all(link[1:] in ids for link in links)
    flagged = {c for f in report.findings if f.kind == "clause" for c in f.clause_ids}
    for cid in flagged:
        assert f"clause-{cid}" in ids
    classes = [a.get("class", "") for _, a in tree.tags]
    assert sum("clause flagged" in c for c in classes) == len(flagged)
    panels = sum(c.startswith("finding sev-") for c in classes)
    assert panels == sum(len(set(f.clause_ids)) if f.kind == "clause" else 1 for f in report.findings)
    # every clause of the contract, in order
    clause_ids = [a["id"][len("clause-") :] for _, a in tree.tags if a.get("id", "").startswith("clause-")]
    assert clause_ids == [c.id for c in report.clauses]
    # each gap: plain words, why, anchors, and the proposed addendum language once
    for f in report.findings:
        gap = GAPS[f.gap]
        assert gap.title in text and gap.why in text and gap.anchors[0] in text
    assert page.count("Proposed language (Addendum Section") == len({f.gap for f in report.findings})
    assert DISCLAIMER in text


def report_score(report) -> int:
    from castguard.report import risk_score

    return risk_score(report)


def test_silent_gaps_have_their_own_section(film):
    report, path = film
    page = path.read_text(encoding="utf-8")
    silent = [f for f in report.findings if f.kind == "contract"]
    assert silent
    section = page.split('<section id="silent"', 1)[1].split('<section id="contract"', 1)[0]
    text = " ".join(_parse(section).text)
    for f in silent:
        assert GAPS[f.gap].title in text
    assert "What the contract does not say" in text


def test_severity_is_never_colour_alone(film):
    report, path = film
    page = path.read_text(encoding="utf-8")
    for sev, word in (("high", "High"), ("medium", "Medium")):
        if any(f.severity == sev for f in report.findings):
            assert re.search(rf'<span class="sev {sev}">[▲◆●] {word}</span>', page)
    assert '<svg role="img" aria-labelledby="chart-t chart-d"' in page and '<title id="chart-t">' in page


def test_self_contained_no_script_no_network(film):
    _, path = film
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    assert "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page


def test_contract_text_and_deal_values_are_escaped(tmp_path):
    contract = tmp_path / "hostile.txt"
    contract.write_text(HOSTILE, encoding="utf-8")
    page = render_html(scan(contract))
    tree = _parse(page)
    tags = [t for t, _ in tree.tags]
    assert "script" not in tags and "img" not in tags and "textarea" not in tags
    assert tags.count("style") == 1  # ours, in <head>
    text = "".join(tree.text)
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert not any("onerror" in a for _, attrs in tree.tags for a in attrs)


def test_out_of_scope_contract(tmp_path):
    page = render_html(scan(SAMPLES / "control_software_license.txt"))
    assert ">No</span>" in page and "No findings." in page and "Proposed language" not in page


def test_accessibility_basics(film, tmp_path):
    from tools.a11y import check_file

    _, path = film
    assert check_file(path) == []
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    page = tmp_path / "hostile.html"
    page.write_text(render_html(scan(hostile)), encoding="utf-8")
    assert check_file(page) == []


@pytest.mark.parametrize(
    "name", ["voiceover_brightwave.docx", "videogame_performer_ironpeak.txt", "model_release_lumen.md"]
)
def test_cli_writes_the_report_for_every_format(tmp_path, name):
    from tools.a11y import check_file

    out = tmp_path / "review.html"
    result = CliRunner().invoke(cli, ["scan", str(SAMPLES / name), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert check_file(out) == []


# --------------------------------------------------------------------------- in a real browser


def test_in_chromium_visible_clean_and_offline(film):
    require_tool("chromium")
    from tools.browser import open_page, visible

    report, path = film
    flagged = {c for f in report.findings if f.kind == "clause" for c in f.clause_ids}
    with open_page(path) as session:
        page = session.page
        assert session.problems() == []  # no console errors, no uncaught exceptions, no network
        assert visible(page, ".clause.flagged") == len(flagged)
        panels = sum(len(set(f.clause_ids)) if f.kind == "clause" else 1 for f in report.findings)
        assert visible(page, "section.finding") == panels
        assert visible(page, "mark") > 0
        # keyboard: the first tab stop is the skip link, and the table of contents jumps to the panel
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Skip to the contract"
        first = page.locator("nav a").first
        target = first.get_attribute("href")
        first.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == target
        box = page.locator(target).bounding_box()
        assert box is not None and -2 <= box["y"] < 900  # scrolled into view (to the pixel)


def test_phone_width_does_not_scroll_sideways(film):
    require_tool("chromium")
    from tools.browser import overflows_horizontally

    _, path = film
    assert not overflows_horizontally(path, width=390)


def test_screenshot_and_printed_pdf_carry_the_findings(film, tmp_path):
    require_tool("chromium")
    pdftotext = require_tool("pdftotext")
    from tools.browser import print_pdf, screenshot

    report, path = film
    png = screenshot(path, tmp_path / "shot.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    pdf = print_pdf(path, tmp_path / "report.pdf")
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for f in report.findings:
        assert GAPS[f.gap].title in flat, f.gap
    assert "not legal advice" in flat
    pages = subprocess.run([pdftotext, "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Risk" in pages  # the header and its risk summary open the printout


def test_readme_shows_a_report_screenshot():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"!\[[^\]]+\]\((docs/[^)]+\.png)\)", readme)
    assert m and (ROOT / m.group(1)).stat().st_size > 20_000
    assert Path(ROOT / "docs" / "make_screenshot.py").exists()
