"""The batch summary renderers: index.html (roster dashboard) and contracts.xlsx.

Both are pure functions over the plain dicts the batch engine hands over; the data here is built in the test,
including hostile file names, performer names and report links, because a union's archive is not vetted.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import random
import re
import subprocess
import zipfile
from html.parser import HTMLParser

import pytest
from conftest import require_tool, skip_or_fail

from castguard.batch import summary_html
from castguard.classify.taxonomy import GAPS
from castguard.report import DISCLAIMER

render_dashboard = summary_html.render_dashboard
safe_href = summary_html.safe_href

XSS_NAME = "<script>alert(1)</script>.pdf"
CSV_FORMULA = '"=HYPERLINK(""http://x"")'  # the CSV-quoted form, as a name might arrive
FORMULA = '=HYPERLINK("http://x")'
HOSTILE_REASON = "<img src=x onerror=alert(1)> \"quoted\" & 'single'"
HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x.json",
    "/etc/passwd",
    "https://evil.example/r.json",
    "reports\\..\\x.json",
    "C:/reports/x.json",
]

RUN = {
    "tool_version": "0.1.0",
    "model": "clauses-2025.1",
    "generated": "2026-11-26T10:15:00Z",
    "files": 0,
    "contracts": 0,
    "done": 0,
    "failed": 0,
    "duplicates": 0,
    "refused": 0,
}

_WEIGHT = {"high": 22, "medium": 10, "low": 4}
_FAILURES = [
    ("E201", "the PDF has no text layer (3 page(s), 0 characters of text): it is probably a scan; run OCR first"),
    ("E104", "the file is password-protected; ask the sender for an unprotected copy"),
    ("E301", "analysis took longer than 120 s and was stopped"),
]
_PERFORMERS = ["Dana R. Whitcombe", "Ana Ruiz", "Kofi Mensah", "Li Wei", "Marta Nowak", "José Álvarez", None]


def _contract(i: int, rng: random.Random) -> tuple[dict, list[dict]]:
    sha = hashlib.sha256(f"contract {i}".encode()).hexdigest()
    path = f"deals/{2019 + i % 6}/performer-agreement-{i:05d}.{rng.choice(['pdf', 'docx', 'txt'])}"
    names = [path] + [f"copies/dup-{i:05d}-{k}.pdf" for k in range(rng.choice([0, 0, 0, 1, 2]))]
    base = {
        "path": path,
        "names": names,
        "sha256": sha,
        "status": "done",
        "reason": None,
        "error_code": None,
        "format": path.rsplit(".", 1)[1],
        "pages": None,
        "clauses": None,
        "in_scope": None,
        "risk_score": None,
        "high": 0,
        "medium": 0,
        "low": 0,
        "findings": 0,
        "performer": None,
        "report": None,
        "seconds": None,
    }
    if i % 29 == 3:
        base.update(status="refused", reason="not a contract format castguard reads (.xlsx)", format=None)
        return base, []
    if i % 13 == 4:
        code, reason = rng.choice(_FAILURES)
        base.update(status="failed", reason=reason, error_code=code, seconds=round(rng.uniform(0.1, 120), 2))
        return base, []
    report = f"reports/performer-agreement-{i:05d}-{sha[:6]}.json"
    in_scope = rng.random() > 0.1
    findings = []
    if in_scope:
        for gap in rng.sample(list(GAPS.values()), rng.randint(0, 9)):
            for _ in range(rng.choice([1, 1, 2])):
                findings.append(
                    {
                        "path": path,
                        "sha256": sha,
                        "gap": gap.id,
                        "severity": gap.severity,
                        "kind": "contract" if gap.kind == "contract" else "clause",
                        "clause": None if gap.kind == "contract" else f"{rng.randint(1, 20)}.{rng.randint(1, 9)}",
                        "page": rng.randint(1, 12),
                        "quote": "Performer grants Company the perpetual right to use Performer's likeness in all "
                        "media now known or hereafter devised.",
                        "detector": rng.choice(["rules", "model", "rules+model"]),
                        "report": report,
                    }
                )
    counts = {s: sum(f["severity"] == s for f in findings) for s in _WEIGHT}
    raw = sum(_WEIGHT[f["severity"]] for f in findings)
    base.update(
        pages=rng.randint(1, 40),
        clauses=rng.randint(10, 200),
        in_scope=in_scope,
        risk_score=min(100, round(100 * (1 - 2.718 ** (-raw / 75)))) if findings else 0,
        findings=len(findings),
        performer=rng.choice(_PERFORMERS),
        report=report,
        seconds=round(rng.uniform(0.5, 20), 2),
        **counts,
    )
    return base, findings


def make_run(n: int, seed: int = 7, hostile: bool = True) -> tuple[list[dict], list[dict], dict]:
    rng = random.Random(seed)
    contracts, findings = [], []
    for i in range(n):
        c, fs = _contract(i, rng)
        contracts.append(c)
        findings += fs
    if hostile:
        sha = "f" * 64
        contracts.append(
            {
                **contracts[0],
                "path": XSS_NAME,
                "names": [XSS_NAME, '"><svg onload=alert(1)>.pdf', FORMULA],
                "sha256": sha,
                "status": "done",
                "in_scope": True,
                "risk_score": 99,
                "high": 1,
                "medium": 0,
                "low": 0,
                "findings": 1,
                "performer": CSV_FORMULA,
                "report": "javascript:alert(1)",
            }
        )
        findings.append(
            {
                "path": XSS_NAME,
                "sha256": sha,
                "gap": "ai_training_grant",
                "severity": "high",
                "kind": "clause",
                "clause": "=1+1",
                "page": 2,
                "quote": "</script><script>alert(1)</script> @SUM(A1:A9)",
                "detector": "-rules",
                "report": "javascript:alert(1)",
            }
        )
        contracts.append(
            {
                **contracts[0],
                "path": FORMULA,
                "names": [FORMULA],
                "sha256": "e" * 64,
                "status": "failed",
                "reason": HOSTILE_REASON,
                "error_code": "E201",
                "pages": None,
                "clauses": None,
                "in_scope": None,
                "risk_score": None,
                "high": 0,
                "medium": 0,
                "low": 0,
                "findings": 0,
                "performer": "-2+3",
                "report": None,
            }
        )
        for k, link in enumerate(HOSTILE_LINKS):
            contracts.append(
                {**contracts[0], "path": f"hostile-link-{k}.pdf", "sha256": f"{k:064x}", "report": link, "names": []}
            )
    status = [c["status"] for c in contracts]
    run = {
        **RUN,
        "files": sum(len(c["names"]) or 1 for c in contracts),
        "contracts": len(contracts),
        "done": status.count("done"),
        "failed": status.count("failed"),
        "refused": status.count("refused"),
        "duplicates": sum(max(0, len(c["names"]) - 1) for c in contracts),
    }
    return contracts, findings, run


class Page(HTMLParser):
    """The parsed page: every start tag with its attributes, the text (also per element), and the tables."""

    _VOID = {"meta", "br", "input", "rect", "line", "link", "img", "hr"}

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.by_id: dict[str, int] = {}  # id -> index in self.tags
        self.tables: list[tuple[dict, list[list[str]]]] = []  # (attributes, rows of cell texts)
        self._inner: dict[int, list[str]] = {}
        self._open: list[int] = []  # indexes in self.tags of the elements still open
        self._in_cell = False
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        index = len(self.tags) - 1
        if "id" in a:
            self.by_id[a["id"]] = index
        if tag == "table":
            self.tables.append((a, []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1][1]:
            self.tables[-1][1][-1].append("")
            self._in_cell = True
        if tag not in self._VOID:
            self._open.append(index)
            self._inner[index] = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in_cell = False
        while self._open:
            if self.tags[self._open.pop()][0] == tag:
                break

    def handle_data(self, data):
        if self._open and self.tags[self._open[-1]][0] == "script":
            self.scripts.append(data)
            return
        self.text.append(data)
        for i in self._open:
            self._inner[i].append(data)
        if self._in_cell:
            self.tables[-1][1][-1][-1] += data

    def find(self, tag: str, **attrs) -> list[tuple[int, dict]]:
        return [
            (i, a) for i, (t, a) in enumerate(self.tags) if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def inner(self, index: int) -> str:
        return " ".join("".join(self._inner.get(index, [])).split())

    def table(self, **attrs) -> list[list[str]]:
        (rows,) = [rows for a, rows in self.tables if all(a.get(k) == v for k, v in attrs.items())]
        return [[" ".join(cell.split()) for cell in row] for row in rows]

    @property
    def all_text(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def data():
    return make_run(60)


@pytest.fixture(scope="module")
def page_source(data):
    return render_dashboard(*data)


@pytest.fixture(scope="module")
def page(page_source):
    return Page(page_source)


# --------------------------------------------------------------------------- dashboard


def test_modules_import_as_package():
    assert importlib.import_module("castguard.batch.summary_html").render_dashboard
    assert importlib.import_module("castguard.batch.summary_xlsx").write_xlsx


def test_page_has_one_h1_landmarks_lang_and_disclaimer(page, data):
    contracts, findings, run = data
    assert page.find("html")[0][1].get("lang") == "en"
    assert len(page.find("h1")) == 1
    assert len(page.find("h2")) >= 4
    levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and set(levels) == {1, 2}
    for landmark in ("header", "main", "footer"):
        assert len(page.find(landmark)) == 1, landmark
    header = page.inner(page.find("header")[0][0])
    assert DISCLAIMER in header and "Not legal advice." in header
    facts = {page.inner(i): page.inner(i + 1) for i, _ in page.find("dt")}
    assert facts == {
        "Files": str(run["files"]),
        "Distinct contracts": str(run["contracts"]),
        "Done": str(run["done"]),
        "Failed": str(run["failed"]),
        "Duplicates": str(run["duplicates"]),
        "Refused": str(run["refused"]),
        "Findings": str(len(findings)),
        "Model": run["model"],
        "castguard version": run["tool_version"],
        "Generated": run["generated"],
    }


def test_hostile_strings_appear_only_as_text(page, page_source):
    assert len(page.find("script")) == 1  # the renderer's own, and nothing from the data
    assert not page.find("img") and not page.find("iframe")
    assert "<script>alert" not in page_source and "<svg onload" not in page_source
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    for hostile in (XSS_NAME, CSV_FORMULA, HOSTILE_REASON, '"><svg onload=alert(1)>.pdf'):
        assert hostile in page.all_text, hostile


def _roster(page: Page) -> dict[str, list[str]]:
    """Roster rows by the contract's path (the sort value of the row header)."""
    rows = {}
    for i, attrs in page.find("th", scope="row"):
        rows[attrs["data-v"]] = i
    return rows


def test_links_are_relative_paths_only(page, data):
    contracts, _, _ = data
    hrefs = [a["href"] for _, a in page.find("a")]
    assert set(hrefs) == {c["report"] for c in contracts if c["report"] and c["report"].startswith("reports/")}
    for href in hrefs:
        assert href.startswith("reports/"), href
    # a refused link leaves the name as plain text in its row
    rows = _roster(page)
    for k in range(len(HOSTILE_LINKS)):
        index = rows[f"hostile-link-{k}.pdf"]
        assert page.tags[index + 1][0] != "a"
    assert page.tags[rows[contracts[0]["path"]] + 1] == ("a", {"href": contracts[0]["report"]})


@pytest.mark.parametrize(
    "link, expected",
    [
        ("reports/deal-3f2a1c.json", "reports/deal-3f2a1c.json"),
        ("reports/deal #2 (final).json", "reports/deal%20%232%20(final).json"),
        ("../reports/a.json", "../reports/a.json"),
        ("reports/a:b.json", "reports/a%3Ab.json"),
        ("reports/100%.json", "reports/100%25.json"),
        *[(link, None) for link in HOSTILE_LINKS],
        ("", None),
        (None, None),
        ("reports/a\nb.json", None),
        ("reports/\x00.json", None),
    ],
)
def test_safe_href(link, expected):
    assert safe_href(link) == expected


def test_charts_are_images_with_titles_and_text_alternatives(page):
    svgs = page.find("svg")
    assert [a["aria-labelledby"] for _, a in svgs] == [
        "chart-gaps-t chart-gaps-d",
        "chart-severity-t chart-severity-d",
        "chart-risk-t chart-risk-d",
    ]
    for _, attrs in svgs:
        assert attrs.get("role") == "img"
        title_id, desc_id = attrs["aria-labelledby"].split()
        assert page.tags[page.by_id[title_id]][0] == "title" and page.inner(page.by_id[title_id])
        assert page.tags[page.by_id[desc_id]][0] == "desc" and page.inner(page.by_id[desc_id])
    for ident in ("chart-gaps-data", "chart-severity-data", "chart-risk-data"):
        assert page.table(id=ident)  # the same numbers as a table, inside a <details>
    assert len(page.find("details")) == 3


def _chart_labels(page: Page, ident: str) -> list[str]:
    start = next(i for i, a in page.find("svg") if a["aria-labelledby"].startswith(ident))
    labels = []
    for i in range(start + 1, len(page.tags)):
        tag, attrs = page.tags[i]
        if tag in ("svg", "details"):
            break
        if tag == "text" and attrs.get("text-anchor") == "end":
            labels.append(page.inner(i))
    return labels


def test_gap_chart_shows_all_ids_in_taxonomy_order_with_contract_counts(page, data):
    contracts, findings, _ = data
    labels = _chart_labels(page, "chart-gaps")
    assert [label.split(" ")[0] for label in labels] == list(GAPS)
    assert labels == [f"{g.id} ({g.severity})" for g in GAPS.values()]  # severity as a word, not only colour
    rows = page.table(id="chart-gaps-data")
    assert rows[0] == ["Gap id", "Gap", "Severity", "Contracts", "Share of analysed contracts", "Findings"]
    for gap, row in zip(GAPS.values(), rows[1:], strict=True):
        raising = {f["sha256"] for f in findings if f["gap"] == gap.id}
        assert row[:4] == [gap.id, gap.title, gap.severity, str(len(raising))]
        assert row[5] == str(sum(f["gap"] == gap.id for f in findings))


def test_severity_chart_counts_contracts_by_worst_severity(page, data):
    contracts, findings, _ = data
    assert _chart_labels(page, "chart-severity")[:3] == ["High", "Medium", "Low"]
    done = [c for c in contracts if c["status"] == "done"]
    expected = {
        "High": sum(c["high"] > 0 for c in done),
        "Medium": sum(c["high"] == 0 and c["medium"] > 0 for c in done),
        "Low": sum(c["high"] == 0 and c["medium"] == 0 and c["low"] > 0 for c in done),
        "Not analysed (failed or refused)": len(contracts) - len(done),
    }
    rows = dict(page.table(id="chart-severity-data")[1:])
    assert {k: rows[k] for k in expected} == {k: str(v) for k, v in expected.items()}
    assert sum(int(v) for v in rows.values()) == len(contracts)
    high_findings = sum(f["severity"] == "high" for f in findings)
    assert f"Findings by severity (every finding, a contract may have many): {len(findings)} in all: " in page.all_text
    assert f"{high_findings} high" in page.all_text


def test_riskiest_chart_names_top_ten(page, data):
    contracts, _, _ = data
    labels = _chart_labels(page, "chart-risk")
    assert len(labels) == 10
    assert labels[0] == "1. " + XSS_NAME  # risk 99, the highest; the name is text, not markup
    rows = page.table(id="chart-risk-data")[1:]
    top = sorted((c for c in contracts if c["risk_score"]), key=lambda c: (-c["risk_score"], c["path"]))[:10]
    assert [r[1] for r in rows] == [c["path"] for c in top]
    assert [r[3] for r in rows] == [str(c["risk_score"]) for c in top]


def test_roster_has_every_contract_sortable_and_filterable(page, data):
    contracts, _, _ = data
    roster = page.table(id="roster")
    assert roster[0] == [
        "Contract", "Performer", "Status", "In scope", "Risk score", "Worst severity", "High", "Medium", "Low", "Pages",
    ]  # fmt: skip
    assert len(roster) - 1 == len(contracts)
    assert set(_roster(page)) == {c["path"] for c in contracts}
    table_index = page.by_id["roster"]
    assert page.tags[table_index + 1][0] == "caption"
    heads = [(i, a) for i, a in page.find("th", scope="col") if "data-type" in a]
    assert len(heads) == 10 and all(page.tags[i + 1][0] == "button" for i, _ in heads)
    assert [a.get("aria-sort") for _, a in heads] == [None] * 4 + ["descending"] + [None] * 5
    # the filters: a labelled search box and two labelled selects whose options cover every row's value
    assert {"filter-text", "filter-status", "filter-severity"} <= {a.get("for") for _, a in page.find("label")}
    options = {a["value"] for _, a in page.find("option")}
    rows = [a for _, a in page.find("tr") if "data-status" in a]
    assert {a["data-severity"] for a in rows} | {a["data-status"] for a in rows} <= options
    # the controls need JavaScript, so they start hidden; the table alone works without it
    assert "hidden" in page.tags[page.by_id["roster-controls"]][1]


def test_roster_is_riskiest_first_and_failed_rows_show_reason(page, data):
    contracts, _, _ = data
    roster = page.table(id="roster")[1:]
    assert roster[0][0].startswith(XSS_NAME)
    assert "also: " in roster[0][0] and FORMULA in roster[0][0]  # duplicates are named
    scores = [int(r[4]) for r in roster if r[4] != "n/a"]
    assert scores == sorted(scores, reverse=True)
    (failed,) = [r for r in roster if r[0] == FORMULA]
    assert failed[1] == "-2+3"
    assert failed[2] == f"failedE201 {HOSTILE_REASON}"
    assert failed[4:6] == ["n/a", "not analysed"]  # severity as a word, not only a colour
    assert any(r[2].startswith("refused") and "not a contract format" in r[2] for r in roster)


def test_csp_allows_exactly_the_inline_script(page):
    csp = page.find("meta", **{"http-equiv": "Content-Security-Policy"})[0][1]["content"]
    (script,) = page.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "http" not in csp  # nothing from the network


def test_no_external_resources(page_source, page):
    for tag, attrs in page.tags:
        assert "src" not in attrs and tag != "link", tag
    assert "@import" not in page_source and "url(" not in page_source


def test_empty_input_renders():
    page = Page(render_dashboard([], [], dict(RUN)))
    assert len(page.find("h1")) == 1
    assert len(page.find("svg", role="img")) == 3
    assert page.table(id="roster")[1:] == [["No contracts in this run."]]
    assert DISCLAIMER in page.all_text


def test_missing_and_odd_values_render():
    odd = {"path": "x.pdf", "names": [], "sha256": "a", "status": "done", "risk_score": None, "high": None}
    page = Page(render_dashboard([odd], [{"gap": "not_a_gap", "sha256": "a"}], {"generated": ""}))
    assert "x.pdf" in _roster(page)
    assert _chart_labels(page, "chart-gaps")[-1] == "not_a_gap (unknown)"  # shown after the taxonomy, not dropped


def test_output_is_deterministic_and_independent_of_input_order(data, page_source):
    contracts, findings, run = data
    assert render_dashboard(contracts, findings, run) == page_source
    rng = random.Random(1)
    shuffled_c, shuffled_f = contracts[:], findings[:]
    rng.shuffle(shuffled_c)
    rng.shuffle(shuffled_f)
    assert render_dashboard(shuffled_c, shuffled_f, run) == page_source


def test_lone_surrogates_and_control_characters_still_encode():
    contracts, findings, run = make_run(3, hostile=False)
    contracts[0]["path"] = "bad-\udcff-name\x00.pdf"  # os.fsdecode of a non-UTF-8 name gives a lone surrogate
    source = render_dashboard(contracts, findings, run)
    source.encode("utf-8")
    # shown as visible escapes of the byte and the control, never raw
    assert "bad-\\xff-name\\x00.pdf" in Page(source).all_text


def test_two_thousand_contracts_stay_small():
    contracts, findings, run = make_run(2000)
    assert len(findings) > 5000
    source = render_dashboard(contracts, findings, run)
    assert len(source.encode("utf-8")) < 3_000_000
    assert source.count('<tr data-status="') == len(contracts)
    assert "hereafter devised" not in source  # findings' quotes are not embedded


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_have_enough_contrast(page_source):
    for name, (fg, bg) in summary_html.TEXT_COLOURS.items():
        assert _contrast(fg, bg) >= 4.5, name
        assert fg in page_source
    for name, fill in summary_html.BAR_COLOURS.items():
        assert _contrast(fill, "#ffffff") >= 3, name  # non-text graphics; every bar also has its number as text


def test_chromium_runs_the_script(tmp_path):
    """The script runs in a real browser under the page's CSP (it unhides the filters and counts the rows)."""
    browser = require_tool("chromium")
    contracts, findings, run = make_run(40)
    page_file = tmp_path / "index.html"
    page_file.write_text(render_dashboard(contracts, findings, run), encoding="utf-8")
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", page_file.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert "<html" in dom, "Chromium produced no DOM"
    assert 'class="nojs"' not in dom
    assert f"Showing {len(contracts)} of {len(contracts)} contracts" in dom
    assert '<div id="roster-controls" class="controls">' in dom


# --------------------------------------------------------------------------- workbook


@pytest.fixture(scope="module")
def openpyxl():
    import openpyxl

    return openpyxl


@pytest.fixture(scope="module")
def summary_xlsx(openpyxl):
    return importlib.import_module("castguard.batch.summary_xlsx")


@pytest.fixture(scope="module")
def workbook_file(summary_xlsx, data, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "contracts.xlsx"
    summary_xlsx.write_xlsx(path, *data)
    return path


CONTRACT_HEADER = [
    "path", "names", "sha256", "status", "reason", "error_code", "format", "pages", "clauses", "in_scope",
    "risk_score", "high", "medium", "low", "findings", "performer", "report", "seconds",
]  # fmt: skip
FINDING_HEADER = [
    "path", "sha256", "gap", "severity", "kind", "clause", "page", "quote", "note", "detector", "report",
]  # fmt: skip


def test_workbook_sheets_headers_and_rows(openpyxl, summary_xlsx, workbook_file, data):
    contracts, findings, run = data
    assert summary_xlsx.CONTRACT_COLUMNS == CONTRACT_HEADER
    assert summary_xlsx.FINDING_COLUMNS == FINDING_HEADER
    wb = openpyxl.load_workbook(workbook_file)
    assert wb.sheetnames == ["Contracts", "Findings", "About"]
    for title, header, rows in (("Contracts", CONTRACT_HEADER, contracts), ("Findings", FINDING_HEADER, findings)):
        ws = wb[title]
        assert [c.value for c in ws[1]] == header
        assert all(c.font.b for c in ws[1])
        assert ws.max_row == len(rows) + 1
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}"
        assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width >= 6 for i in range(1, 4))
    ws = wb["Contracts"]
    by_sha = {r[2]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    first = contracts[0]
    row = by_sha[first["sha256"]]
    assert row[0] == first["path"] and row[1] == "; ".join(first["names"])
    assert row[CONTRACT_HEADER.index("risk_score")] == first["risk_score"]


def test_workbook_has_no_formulas_and_shows_hostile_values_literally(openpyxl, workbook_file):
    wb = openpyxl.load_workbook(workbook_file)
    values = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    values.add(cell.value)
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
    for hostile in (XSS_NAME, CSV_FORMULA, FORMULA, "-2+3", "=1+1", "-rules", HOSTILE_REASON, "javascript:alert(1)"):
        assert hostile in values, hostile
    with zipfile.ZipFile(workbook_file) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >]", z.read(name)), name


def test_workbook_about_sheet_and_disclaimer(openpyxl, workbook_file, data):
    _, findings, run = data
    wb = openpyxl.load_workbook(workbook_file)
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert about["Not legal advice"] == DISCLAIMER
    assert about["Generated"] == run["generated"]
    assert about["Distinct contracts"] == run["contracts"] and about["Failed"] == run["failed"]
    assert about["Findings"] == len(findings)
    assert set(GAPS) <= set(about)
    assert wb.properties.description == DISCLAIMER
    assert all(ws.oddFooter.center.text == DISCLAIMER for ws in wb.worksheets)


def test_workbook_is_deterministic(openpyxl, summary_xlsx, workbook_file, data, tmp_path):
    again = tmp_path / "again.xlsx"
    summary_xlsx.write_xlsx(again, *data)
    assert again.read_bytes() == workbook_file.read_bytes()
    props = openpyxl.load_workbook(again).properties
    assert props.created.isoformat() == props.modified.isoformat() == "2026-11-26T10:15:00"


def test_workbook_empty_input(openpyxl, summary_xlsx, tmp_path):
    path = tmp_path / "empty.xlsx"
    summary_xlsx.write_xlsx(path, [], [], {**RUN, "generated": "not a date"})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Contracts", "Findings", "About"]
    assert wb["Contracts"].max_row == 1 and wb["Findings"].max_row == 1


def test_workbook_streams_fifty_thousand_findings(summary_xlsx, tmp_path):
    contracts, findings, run = make_run(200, hostile=False)
    findings = (findings * (50_000 // len(findings) + 1))[:50_000]
    path = tmp_path / "big.xlsx"
    summary_xlsx.write_xlsx(path, contracts, findings, run)
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/worksheets/sheet2.xml").count(b"<row ") == 50_001


def test_libreoffice_shows_formulas_as_text(summary_xlsx, data, tmp_path):
    """LibreOffice Calc reads the workbook and shows the hostile values, not their results."""
    soffice = require_tool("soffice")
    path = tmp_path / "wb.xlsx"
    summary_xlsx.write_xlsx(path, *data)
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=180,
    )  # fmt: skip
    out = tmp_path / "wb-Contracts.csv"
    if not out.exists():
        skip_or_fail("LibreOffice Calc could not open the workbook: install libreoffice-calc-nogui")
    text = out.read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://x"")"' in text  # shown literally, not evaluated
    assert ",-2+3," in text  # not 1
