"""Tests of the test tooling itself: tools.a11y (static checks) and tools.browser (real headless Chromium).

The browser tests need Chromium (require_tool: skipped on a user's machine without it, a failure under CI)
and the playwright package; the a11y tests need neither.
"""

from __future__ import annotations

import struct
import subprocess
import time
from pathlib import Path

import pytest
from conftest import require_tool, skip_or_fail
from tools.a11y import Problem, check_file, check_html, contrast, parse_color

GOOD = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contract review: Performer Agreement</title>
<style>
:root { --ink: #1b1b1b; --paper: #ffffff; --muted: #555555; }
@media (prefers-color-scheme: dark) { :root { --ink: #eeeeee; --paper: #121212; --muted: #b0b0b0; } }
body { color: var(--ink); background: var(--paper); font: 16px/1.5 sans-serif; margin: 0 auto; max-width: 60rem; }
.muted { color: var(--muted); background: var(--paper); }
.high { color: #ffffff; background-color: rgb(165, 0, 0); }
.wide { max-width: 100%; overflow-x: auto; }
/* .ignored { color: #eee; background: #fff } */
/*EXTRA-CSS*/
</style>
</head>
<body>
<header><h1>Contract review</h1><p class="muted">Not legal advice.</p></header>
<nav aria-label="Contents"><ul><li><a href="#findings">Findings</a></li><li><a href="#terms">Terms</a></li></ul></nav>
<main>
<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
<p><span class="high">High</span> The studio may train AI models on the performer's voice.</p>
<h3>Digital replica</h3>
<p>A digital replica may be made without further consent.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt="">
<svg role="img" aria-labelledby="chart-title" width="40" height="10"><title id="chart-title">Two high findings</title><rect width="40" height="10"/></svg>
<svg aria-hidden="true" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>
<!--EXTRA-BODY-->
</section>
<section id="terms">
<h2>Terms</h2>
<form><label for="q">Filter</label> <input id="q" type="search">
<label><input type="checkbox" name="only-high"> Only high</label>
<select aria-label="Severity"><option>High</option><option>Low</option></select>
<button type="button">Expand all</button></form>
<p><a href="#findings">Back to findings</a></p>
</section>
</main>
<footer><p>castguard</p></footer>
<script>document.body.dataset.js = "on";</script>
</body>
</html>
"""


def page(body: str = "", css: str = "") -> str:
    """The good page with extra markup in the findings section and extra CSS rules."""
    return GOOD.replace("<!--EXTRA-BODY-->", body).replace("/*EXTRA-CSS*/", css)


def kinds(problems: list[Problem]) -> set[str]:
    return {p.kind for p in problems}


# --------------------------------------------------------------------------- a11y


def test_good_page_has_no_problems(tmp_path):
    assert check_html(GOOD) == []
    assert check_html(GOOD, color_only_rules=True) == []
    path = tmp_path / "good.html"
    path.write_text(GOOD, encoding="utf-8")
    assert check_file(path) == []


@pytest.mark.parametrize(
    "kind, body, css",
    [
        ("heading-order", "<h5>Skipped a level</h5>", ""),  # after the h3
        ("img-alt", '<img src="chart.png">', ""),
        ("duplicate-id", '<p id="terms">again</p>', ""),
        ("broken-link", '<a href="#nowhere">See below</a>', ""),
        ("contrast", '<p class="faint">faint</p>', ".faint { color: #aaaaaa; background: #ffffff; }"),
        ("form-label", '<input type="text" name="q2">', ""),
        ("svg-name", '<svg role="img" width="5" height="5"><rect width="5" height="5"/></svg>', ""),
        ("svg-role", '<svg aria-label="chart" width="5" height="5"></svg>', ""),
        ("link-name", '<a href="/elsewhere"><img src="x.png" alt=""></a>', ""),
        ("button-name", "<button></button>", ""),
        ("h1-count", "<h1>Second title</h1>", ""),
        ("heading-empty", "<h3> </h3>", ""),
    ],
)
def test_each_problem_is_detected_alone(kind, body, css):
    problems = check_html(page(body, css))
    assert kinds(problems) == {kind}, problems
    assert all(isinstance(p, str) and p.startswith(f"[{kind}] ") for p in problems)


def test_document_level_problems():
    no_lang = GOOD.replace('<html lang="en">', "<html>")
    assert kinds(check_html(no_lang)) == {"lang"}
    no_title = GOOD.replace("<title>Contract review: Performer Agreement</title>", "")
    assert kinds(check_html(no_title)) == {"title"}
    two_mains = GOOD.replace("<footer>", "<main><p>x</p></main><footer>")
    assert kinds(check_html(two_mains)) == {"main"}
    no_main = GOOD.replace("<main>", "<div>").replace("</main>", "</div>")
    assert kinds(check_html(no_main)) == {"main"}
    no_header = GOOD.replace("<header>", "<div>").replace("</header>", "</div>")
    assert kinds(check_html(no_header)) == {"banner"}
    assert check_html(no_header, require_banner=False) == []
    # a <header> inside an <article> is no banner
    article_header = no_header.replace(
        '<section id="terms">', '<section id="terms"><article><header>x</header></article>'
    )
    assert kinds(check_html(article_header)) == {"banner"}
    no_nav = GOOD.replace('<nav aria-label="Contents">', "<div>").replace("</nav>", "</div>")
    assert kinds(check_html(no_nav)) == {"nav"}
    # one in-page link is not a table of contents: no <nav> needed
    one_link = no_nav.replace('<li><a href="#terms">Terms</a></li>', "").replace(
        '<p><a href="#findings">Back to findings</a></p>', ""
    )
    assert check_html(one_link) == []


def test_heading_rules():
    starts_at_h2 = GOOD.replace("<h1>Contract review</h1>", "<p>Contract review</p>")
    assert kinds(check_html(starts_at_h2)) == {"heading-order", "h1-count"}
    # going back up any number of levels is fine
    assert check_html(page("<h3>a</h3><h4>b</h4><h5>c</h5><h2>d</h2>")) == []
    message = next(p for p in check_html(page("<h5>Detail</h5>")) if p.kind == "heading-order")
    assert "<h3>" in message and "<h5>" in message and "Detail" in message and "line " in message


def test_labels_and_names_in_their_accepted_forms():
    fine = (
        '<label for="a1">A</label><input id="a1">'
        "<label>B <textarea></textarea></label>"
        '<input aria-label="C">'
        '<span id="d-label">D</span><input aria-labelledby="d-label">'
        '<input type="hidden" name="h"><input type="submit" value="Go">'
        '<button aria-label="Close"><svg aria-hidden="true"></svg></button>'
        '<a href="/x" aria-label="Home"></a><a href="/y"><img src="y.png" alt="Why"></a>'
        '<a href="/z"><svg role="img"><title>Zed</title></svg></a>'
        '<a href="#top">Top</a><a name="old"></a><a href="#old">Old anchor</a>'
        "<template><img src='t.png'><h5>not rendered</h5><input></template>"
    )
    assert check_html(page(fine)) == []
    # aria-labelledby pointing at nothing is no name
    assert kinds(check_html(page('<input aria-labelledby="missing">'))) == {"form-label"}


def test_contrast_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#fff", "#000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # ... and the just-passes one
    assert contrast("#123456", "#123456") == pytest.approx(1.0)
    assert contrast("rgb(0, 0, 0)", "white") == pytest.approx(21.0)
    assert contrast("rgba(0,0,0,0.5)", "#fff") == pytest.approx(contrast("#808080", "#fff"), abs=0.05)
    assert parse_color("#abc") == (170, 187, 204, 1.0)
    assert parse_color("rgb(10 20 30 / 50%)") == (10, 20, 30, 0.5)
    assert parse_color("inherit") is None
    with pytest.raises(ValueError):
        contrast("currentColor", "#fff")


def test_contrast_reads_variables_media_blocks_inline_styles_and_the_page_pair():
    # a dark theme that swaps variables to a low-contrast pair
    dark = GOOD.replace("--muted: #b0b0b0;", "--muted: #3a3a3a;")
    problems = check_html(dark)
    assert kinds(problems) == {"contrast"} and len(problems) == 1
    assert ".muted under @media (prefers-color-scheme: dark)" in problems[0] and "#3a3a3a on #121212" in problems[0]
    # the page's own text colour on its background
    grey_page = GOOD.replace("--ink: #1b1b1b;", "--ink: #999999;")
    assert any(p.startswith("[contrast] page text #999999 on page background #ffffff") for p in check_html(grey_page))
    # a style attribute, a print block, a var() fallback, an rgba foreground
    for body, css in [
        ('<p style="color: #bbbbbb; background-color: #ffffff">x</p>', ""),
        ("", "@media print { .p { color: #cccccc; background: #fff; } }"),
        ("", ".v { color: var(--nope, #c0c0c0); background: var(--paper); }"),
        ("", ".a { color: rgba(0, 0, 0, 0.3); background: #fff; }"),
        ("", ".s { color: #eee; background: #fff url(paper.png) no-repeat; }"),
    ]:
        assert kinds(check_html(page(body, css))) == {"contrast"}, (body, css)
    # backgrounds whose colour cannot be known are skipped; so are comments and colour-only rules by default
    assert check_html(page("", ".g { color: #eee; background: linear-gradient(#fff, #000); }")) == []
    assert check_html(page("", ".c { color: #eeeeee; }")) == []
    assert kinds(check_html(page("", ".c { color: #eeeeee; }"), color_only_rules=True)) == {"contrast"}


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser():
    require_tool("chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        skip_or_fail("playwright not installed: pip install playwright (the test extra; it drives the system Chromium)")
    from tools import browser

    return browser


def write(tmp_path: Path, html: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def _live_processes_mentioning(needle: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in cmdline and state != "Z":
            found.append(f"{proc.name} {state} {cmdline[:120]}")
    return found


def test_open_page_loads_a_clean_page_and_closes_everything(browser, tmp_path):
    path = write(tmp_path, GOOD)
    with browser.open_page(path) as session:
        assert session.launch_seconds < 10
        assert session.problems() == []
        assert session.page.evaluate("document.body.dataset.js") == "on"  # JavaScript runs
        assert session.page.title() == "Contract review: Performer Agreement"
        assert browser.visible(session.page, "main") == 1
        assert browser.visible(session.page, "nav a") == 2
        assert browser.visible(session.page, "svg[aria-hidden=true]") == 1
        session.page.evaluate("document.querySelector('nav').hidden = true")
        assert browser.visible(session.page, "nav a") == 0
        assert browser.visible(session.page, ".no-such-thing") == 0
        profile = session.profile
    assert profile and not Path(profile).exists()
    deadline = time.monotonic() + 5
    while _live_processes_mentioning(profile) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _live_processes_mentioning(profile) == []


def test_open_page_records_console_errors_and_uncaught_exceptions(browser, tmp_path):
    script = """<script>
console.log("just a log");
console.error("boom: something broke");
console.warn("careful");
throw new Error("kaboom from inline script");
</script>"""
    with browser.open_page(write(tmp_path, page(script))) as session:
        messages = [(m.type, m.text) for m in session.console]
        assert ("error", "boom: something broke") in messages
        assert ("warning", "careful") in messages
        assert not any("just a log" in text for _, text in messages)
        assert len(session.page_errors) == 1 and "kaboom from inline script" in session.page_errors[0]
        assert session.failed_requests == []
        assert any("kaboom" in line for line in session.problems())


def test_open_page_blocks_and_records_network_requests(browser, tmp_path):
    body = """<img id="remote" src="http://example.com/pixel.png" alt="remote">
<script>
window.fetched = fetch("http://example.com/data.json").then(r => "loaded " + r.status, e => "blocked");
</script>"""
    (tmp_path / "local.css").write_text("p { margin: 0 }", encoding="utf-8")
    html = page(body).replace("</head>", '<link rel="stylesheet" href="local.css"></head>')
    with browser.open_page(write(tmp_path, html)) as session:
        assert session.page.evaluate("window.fetched") == "blocked"
        assert session.page.evaluate("document.getElementById('remote').naturalWidth") == 0
        assert "http://example.com/pixel.png" in session.failed_requests
        assert "http://example.com/data.json" in session.failed_requests
        assert all(u.startswith("http://example.com/") for u in session.failed_requests)
        assert session.missing_files == []  # local.css exists and loaded
        assert session.page.evaluate("getComputedStyle(document.querySelector('p')).marginTop") == "0px"


def test_screenshot_writes_a_png(browser, tmp_path):
    png = browser.screenshot(write(tmp_path, GOOD), tmp_path / "shot.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 1024
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    assert (width, height) == (1280, 900)
    tall = page('<div style="height: 3000px">tall</div>')
    full = browser.screenshot(write(tmp_path, tall, "tall.html"), tmp_path / "full.png", width=800, full_page=True)
    width, height = struct.unpack(">II", full.read_bytes()[16:24])
    assert width == 800 and height > 3000


def test_print_pdf_contains_the_text(browser, tmp_path):
    pdftotext = require_tool("pdftotext")
    pdf = browser.print_pdf(write(tmp_path, GOOD), tmp_path / "page.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "The studio may train AI models on the performer's voice." in " ".join(text.split())
    # A4 is 595.28 x 841.89 pt; Chromium's comes out as 595.92 x 842.88 (Playwright's 8.27 x 11.7 in, rounded to px)
    assert _page_size(pdf) == (pytest.approx(595.3, abs=2), pytest.approx(841.9, abs=2))
    # prefer_css_page_size: the page's own @page size wins over A4
    letter = page(css="@page { size: letter; margin: 1cm; }")
    pdf = browser.print_pdf(write(tmp_path, letter, "letter.html"), tmp_path / "letter.pdf")
    assert _page_size(pdf) == (pytest.approx(612, abs=2), pytest.approx(792, abs=2))


def _page_size(pdf: Path) -> tuple[float, float]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return tuple(doc[0].get_size())
    finally:
        doc.close()


def test_overflows_horizontally(browser, tmp_path):
    assert browser.overflows_horizontally(write(tmp_path, GOOD)) is False
    wide = page('<div style="width: 2000px">a very wide table</div>')
    assert browser.overflows_horizontally(write(tmp_path, wide, "wide.html")) is True
    contained = page('<div class="wide"><div style="width: 2000px">scrolls inside its box</div></div>')
    assert browser.overflows_horizontally(write(tmp_path, contained, "contained.html")) is False


def test_open_page_rejects_a_missing_file(browser, tmp_path):
    with pytest.raises(FileNotFoundError):
        with browser.open_page(tmp_path / "nope.html"):
            pass
