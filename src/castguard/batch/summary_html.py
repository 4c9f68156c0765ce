"""A batch run -> the roster dashboard (``index.html``) a union rep opens from disk.

Owns the one-page summary of a run: run facts and the not-legal-advice line, three inline SVG charts (contracts
raising each gap id, contracts by worst severity, the riskiest contracts) each with a table of the same numbers,
and a roster of every contract that an inline script sorts and filters. The page works with no network, and
with JavaScript off it is still complete (the controls are simply hidden).

Pure: plain dicts in (the shapes the batch engine documents), one ``str`` out, the same for the same input.
Individual findings are not embedded (a run may have 50,000); they are counted in the charts and reached
through each contract's report link.

Safety, because file names, performer names and reasons come from contracts nobody vetted:
every value is HTML-escaped; control characters and lone surrogates become U+FFFD (so the result always
encodes as UTF-8); report links pass :func:`safe_href`, which keeps only relative paths; and a
Content-Security-Policy lets the page run its own script (by hash) and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import re
from collections.abc import Sequence
from urllib.parse import quote

from ..classify.taxonomy import GAPS
from ..escape.html import clean
from ..escape.html import text as escape_text
from ..escape.terminal import visible
from ..report import DISCLAIMER

__all__ = ["render_dashboard", "safe_href"]

# Text/background pairs; every pair is at least 4.5:1 (tests/test_batch_summary.py checks the ratios).
TEXT_COLOURS = {
    "text": ("#1b1b1b", "#ffffff"),
    "muted": ("#4a4a4a", "#ffffff"),
    "link": ("#0645ad", "#ffffff"),
    "note": ("#1b1b1b", "#fff4d6"),
    "high": ("#8a0016", "#fde7ea"),
    "medium": ("#6b3d00", "#fff0d9"),
    "low": ("#0b3d75", "#e3eefb"),
    "none": ("#1b1b1b", "#ececec"),
    "failed": ("#8a0016", "#ffffff"),
    "head": ("#1b1b1b", "#f2f2f2"),
}
# Bar fills (graphics need 3:1 against white); every bar also carries its number and severity as text.
BAR_COLOURS = {
    "high": "#b0001e",
    "medium": "#9c5700",
    "low": "#1f5fa8",
    "none": "#6b6b6b",
    "risk": "#5b2a86",
}

_SEVERITIES = ("high", "medium", "low")
# A contract's worst severity, as the roster filter and the severity chart name it, from worst to least.
_WORST = (
    ("high", "High"),
    ("medium", "Medium"),
    ("low", "Low"),
    ("none", "No gaps found"),
    ("out-of-scope", "Out of scope"),
    ("not-analysed", "Not analysed (failed or refused)"),
)
_WORST_LABEL = dict(_WORST)
_WORST_WORD = {key: key.replace("-", " ") for key in _WORST_LABEL}  # the roster's word: "high" ... "not analysed"
_WORST_RANK = {"high": 5, "medium": 4, "low": 3, "none": 2, "out-of-scope": 1, "not-analysed": 0}
_STATUSES = ("done", "failed", "refused")

# controls, lone surrogates and bidi marks: never part of a link the dashboard makes
_UNSAFE_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_URL_SAFE = "/-._~!$&'()*+,;=@"  # kept as-is by quote(); everything else (space, '#', '?', '%', ':' ...) is encoded


def _clean(value: object) -> str:
    """A value as plain text: controls that HTML cannot carry become U+FFFD (:mod:`castguard.escape.html`)."""
    return clean(value)


def _e(value: object) -> str:
    """Escape for element text and double-quoted attribute values."""
    return escape_text(value)


def _name(value: object) -> str:
    """A file name as plain text: controls and bidi marks shown as visible escapes (``\\u202e``)."""
    return visible(value)


def _int(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut in the middle: file names differ at the end, folders at the start."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head) :]


def safe_href(link: object) -> str | None:
    """A report link as an ``href`` value, or None when it is not a plain relative path.

    Accepted: a relative file path such as ``reports/deal-3f2a1c.json`` (not URL-encoded; it is encoded here).
    Refused: anything with a ':' before the first '/' (``javascript:``, ``data:``, ``http:``, ``C:``), an absolute
    or protocol-relative path (leading '/'), any backslash (browsers read it as '/'), and any control character
    or whitespace other than a space (browsers strip tabs and newlines, so ``java\\tscript:`` would become
    ``javascript:``). The result still has to be HTML-escaped where it is used.
    """
    if not isinstance(link, str) or not link or link != link.strip():
        return None
    if link.startswith("/") or "\\" in link or _UNSAFE_CHARS.search(link) or re.search(r"[^\S ]", link):
        return None
    if ":" in link.split("/", 1)[0]:
        return None
    return quote(link, safe=_URL_SAFE)


def _worst(contract: dict) -> str:
    if contract.get("status") != "done":
        return "not-analysed"
    for sev in _SEVERITIES:
        if (_int(contract.get(sev)) or 0) > 0:
            return sev
    return "out-of-scope" if contract.get("in_scope") is False else "none"


def _yes_no(value: object) -> str:
    return "yes" if value is True else "no" if value is False else "n/a"


# --------------------------------------------------------------------------- charts


def _bar_chart(
    ident: str,
    title: str,
    desc: str,
    bars: list[tuple[str, int, str, str]],
    *,
    label_width: int,
    scale_max: int,
    empty: str,
) -> str:
    """A horizontal bar chart; ``bars`` are (label, value, text after the bar, fill colour)."""
    width, right, row_h, pad = 760, 150, 26, 6
    span = width - label_width - right
    rows = max(1, len(bars))
    height = pad * 2 + row_h * rows
    out = [
        f'<svg class="chart" role="img" aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}-t">{_e(title)}</title>'
        f'<desc id="{ident}-d">{_e(desc)}</desc>'
    ]
    if not bars:
        out.append(f'<text x="{label_width}" y="{pad + 17}">{_e(empty)}</text>')
    for i, (label, value, after, fill) in enumerate(bars):
        y = pad + i * row_h
        length = span * value / scale_max if scale_max > 0 else 0.0
        out.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{_e(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="18" fill="{fill}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}">{_e(after)}</text>'
        )
    out.append(f'<line x1="{label_width}" y1="{pad}" x2="{label_width}" y2="{height - pad}" class="axis"/></svg>')
    return "".join(out)


def _data_table(
    ident: str, caption: str, head: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, escaped: bool = False
) -> str:
    """The numbers behind a chart, in a closed <details> (its text alternative); cells are escaped unless told."""
    cell = (lambda v: v) if escaped else _e
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in rows)
    if not rows:
        body = f'<tr><td colspan="{len(head)}">None.</td></tr>'
    return (
        "<details><summary>The numbers behind this chart</summary>"
        f'<table class="data" id="{ident}"><caption>{_e(caption)}</caption><thead><tr>'
        + "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
        + f"</tr></thead><tbody>{body}</tbody></table></details>"
    )


def _gap_section(contracts_by_gap: dict[str, set], findings_by_gap: dict[str, int], analysed: int) -> str:
    ids = list(GAPS) + sorted(g for g in contracts_by_gap if g not in GAPS)
    counts = {g: len(contracts_by_gap.get(g, ())) for g in ids}
    top = max(counts.values(), default=0)
    bars, rows = [], []
    for g in ids:
        gap = GAPS.get(g)
        sev = gap.severity if gap else "unknown"
        n = counts[g]
        bars.append((f"{_clip(g, 34)} ({sev})", n, f"{n}", BAR_COLOURS.get(sev, BAR_COLOURS["none"])))
        share = f"{100 * n / analysed:.0f}%" if analysed else "n/a"
        rows.append(
            (g, gap.title if gap else "not in the taxonomy", sev, str(n), share, str(findings_by_gap.get(g, 0)))
        )
    most = max(ids, key=lambda g: counts[g]) if top else None
    desc = (
        f"One horizontal bar per gap id, all {len(GAPS)} ids in taxonomy order, showing how many contracts raise "
        "each one; the number is printed after each bar. "
        + (f"The most common is {most} ({top} contracts)." if most else "No contract raised any gap.")
    )
    chart = _bar_chart(
        "chart-gaps", "Contracts raising each gap", desc, bars, label_width=300, scale_max=top, empty="No gaps."
    )
    table = _data_table(
        "chart-gaps-data",
        "Contracts raising each gap id (a contract counts once per gap), with the total findings",
        ("Gap id", "Gap", "Severity", "Contracts", "Share of analysed contracts", "Findings"),
        rows,
    )
    return (
        '<section aria-labelledby="h-gaps"><h2 id="h-gaps">Gaps across the roster</h2>'
        f"<p>How many of the {analysed} analysed contracts raise each gap id at least once. The bar label gives "
        f"the gap's severity.</p><figure>{chart}</figure>{table}</section>"
    )


def _severity_section(worst_counts: dict[str, int], finding_counts: dict[str, int]) -> str:
    top = max(worst_counts.values(), default=0)
    colour = {"high": "high", "medium": "medium", "low": "low"}
    bars = [
        (label, worst_counts[key], f"{worst_counts[key]}", BAR_COLOURS[colour.get(key, "none")])
        for key, label in _WORST
    ]
    total = sum(finding_counts.values())
    findings_text = ", ".join(f"{finding_counts[s]} {s}" for s in _SEVERITIES)
    desc = (
        "Each contract counted once, under the most severe gap it raised: "
        + "; ".join(f"{label}: {worst_counts[key]}" for key, label in _WORST)
        + "."
    )
    chart = _bar_chart(
        "chart-severity",
        "Contracts by their worst severity",
        desc,
        bars,
        label_width=250,
        scale_max=top,
        empty="No contracts.",
    )
    table = _data_table(
        "chart-severity-data",
        "Contracts by their worst severity",
        ("Worst severity", "Contracts"),
        [(label, str(worst_counts[key])) for key, label in _WORST],
    )
    return (
        '<section aria-labelledby="h-severity"><h2 id="h-severity">Contracts by worst severity</h2>'
        "<p>Each contract is counted once, under the most severe gap it raised.</p>"
        f"<figure>{chart}</figure>{table}"
        f"<p>Findings by severity (every finding, a contract may have many): {total} in all: {findings_text}.</p>"
        "</section>"
    )


def _risk_section(top10: list[dict]) -> str:
    bars, rows = [], []
    for i, c in enumerate(top10, 1):
        score = _int(c.get("risk_score")) or 0
        sev = _worst(c)
        bars.append(
            (
                f"{i}. {_clip(_name(c.get('path')), 36)}",
                score,
                f"{score}/100 ({_WORST_WORD[sev]})",
                BAR_COLOURS["risk"],
            )
        )
        rows.append((str(i), _name_html(c), _e(c.get("performer") or ""), str(score), _WORST_WORD[sev]))
    desc = (
        "The ten contracts with the highest risk score (0 to 100), highest first; each bar is labelled with the "
        "contract's file name, its score and its worst severity."
        if top10
        else "No contract has a risk score above 0."
    )
    chart = _bar_chart(
        "chart-risk",
        "Riskiest contracts by risk score",
        desc,
        bars,
        label_width=330,
        scale_max=100,
        empty="No contract has a risk score above 0.",
    )
    table = _data_table(
        "chart-risk-data",
        "The riskiest contracts",
        ("Rank", "Contract", "Performer", "Risk score", "Worst severity"),
        rows,
        escaped=True,
    )
    return (
        '<section aria-labelledby="h-risk"><h2 id="h-risk">Riskiest contracts</h2>'
        f"<p>The top {len(top10)} by risk score (0-100; severity-weighted findings).</p>"
        f"<figure>{chart}</figure>{table}</section>"
    )


# --------------------------------------------------------------------------- roster

_COLUMNS = (  # header, sort type
    ("Contract", "text"),
    ("Performer", "text"),
    ("Status", "text"),
    ("In scope", "text"),
    ("Risk score", "num"),
    ("Worst severity", "num"),
    ("High", "num"),
    ("Medium", "num"),
    ("Low", "num"),
    ("Pages", "num"),
)
_DEFAULT_SORT = "Risk score"


def _name_html(c: dict) -> str:
    name = _e(_name(c.get("path") or c.get("sha256") or "(unnamed)"))
    href = safe_href(c.get("report"))
    return f'<a href="{_e(href)}">{name}</a>' if href else name


def _num_cell(value: object) -> str:
    n = _int(value)
    return '<td data-v="">n/a</td>' if n is None else f"<td>{n}</td>"


def _roster_row(c: dict) -> str:
    status: str = c["status"] if c.get("status") in _STATUSES else "failed"
    worst = _worst(c)
    path = _name(c.get("path") or "")
    others = [_name(n) for n in c.get("names") or []]
    if path in others:
        others.remove(path)
    also = ""
    if others:
        shown = "; ".join(others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        also = f"<br><small>also: {_e(shown)}{more}</small>"
    status_html = status
    if status != "done":
        detail = " ".join(str(x) for x in (c.get("error_code"), c.get("reason")) if x)
        if detail:
            status_html += f'<br><small class="reason">{_e(_name(detail))}</small>'
    return (
        f'<tr data-status="{status}" data-severity="{worst}">'
        f'<th scope="row" data-v="{_e(path)}">{_name_html(c)}{also}</th>'
        f"<td>{_e(c.get('performer') or '')}</td>"
        f'<td data-v="{status}" class="st-{status}">{status_html}</td>'
        f"<td>{_yes_no(c.get('in_scope'))}</td>"
        + _num_cell(c.get("risk_score"))
        + f'<td data-v="{_WORST_RANK[worst]}"><span class="sev sev-{worst}">{_WORST_WORD[worst]}</span></td>'
        + "".join(_num_cell(c.get(s) if status == "done" else None) for s in _SEVERITIES)
        + _num_cell(c.get("pages"))
        + "</tr>"
    )


def _roster_key(c: dict) -> tuple:
    risk = _int(c.get("risk_score"))
    return (risk is None, -(risk or 0), str(c.get("path") or ""), str(c.get("sha256") or ""))


def _roster_section(contracts: list[dict]) -> str:
    heads = []
    for name, kind in _COLUMNS:
        sort = ' aria-sort="descending"' if name == _DEFAULT_SORT else ""
        heads.append(f'<th scope="col" data-type="{kind}"{sort}><button type="button">{name}</button></th>')
    rows = [_roster_row(c) for c in sorted(contracts, key=_roster_key)]
    if not rows:
        rows = [f'<tr><td colspan="{len(_COLUMNS)}">No contracts in this run.</td></tr>']
    status_opts = "".join(f'<option value="{s}">{s}</option>' for s in _STATUSES)
    sev_opts = "".join(f'<option value="{k}">{_WORST_WORD[k]}</option>' for k, _ in _WORST)
    return (
        '<section aria-labelledby="h-roster"><h2 id="h-roster">Contracts</h2>'
        '<div id="roster-controls" class="controls" hidden>'
        '<label for="filter-text">Search</label> <input id="filter-text" type="search" '
        'placeholder="file, performer, reason">'
        '<label for="filter-status">Status</label> <select id="filter-status"><option value="">any</option>'
        f"{status_opts}</select>"
        '<label for="filter-severity">Worst severity</label> <select id="filter-severity">'
        f'<option value="">any</option>{sev_opts}</select></div>'
        f'<p id="filter-count" role="status">{len(contracts)} contracts</p>'
        '<div class="scroll"><table id="roster"><caption>Every contract in the run, riskiest first. Failed and '
        "refused rows give the reason; a name links to the contract's report when there is one.</caption>"
        f"<thead><tr>{''.join(heads)}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


# --------------------------------------------------------------------------- page

_SCRIPT = """
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.remove("nojs");
  var table = doc.getElementById("roster");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-status]"));
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = doc.getElementById("filter-text");
  var status = doc.getElementById("filter-status");
  var severity = doc.getElementById("filter-severity");
  var count = doc.getElementById("filter-count");
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  var sorted = "";
  rows.forEach(function (r, i) { r._i = i; });
  doc.getElementById("roster-controls").hidden = false;

  function apply() {
    var t = text.value.trim().toLowerCase(), s = status.value, v = severity.value, shown = 0;
    rows.forEach(function (r) {
      if (r._text === undefined) { r._text = r.textContent.toLowerCase(); }
      var ok = (!s || r.getAttribute("data-status") === s) && (!v || r.getAttribute("data-severity") === v) &&
        (!t || r._text.indexOf(t) !== -1);
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " contracts" + sorted;
  }

  function key(r, col, numeric) {
    var cell = r.cells[col], raw = cell.getAttribute("data-v");
    if (raw === null) { raw = cell.textContent.trim(); }
    if (raw === "") { return null; }
    return numeric ? Number(raw) : raw;
  }

  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var current = th.getAttribute("aria-sort");
      // a new column starts riskiest/largest first for numbers, A-Z for text; a second click reverses
      var dir = current ? (current === "ascending" ? "descending" : "ascending")
        : (numeric ? "descending" : "ascending");
      var sign = dir === "ascending" ? 1 : -1;
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var keyed = rows.map(function (r) { return {r: r, k: key(r, col, numeric)}; });
      keyed.sort(function (a, b) {
        if (a.k === null || b.k === null) {
          return a.k === b.k ? a.r._i - b.r._i : (a.k === null ? 1 : -1);
        }
        var c = numeric ? a.k - b.k : collator.compare(a.k, b.k);
        return c ? c * sign : a.r._i - b.r._i;
      });
      var frag = doc.createDocumentFragment();
      keyed.forEach(function (x) { frag.appendChild(x.r); });
      body.appendChild(frag);
      sorted = ", sorted by " + button.textContent + " (" + dir + ")";
      apply();
    });
  });

  [text, status, severity].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
_CSP = (
    f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _css() -> str:
    t = TEXT_COLOURS
    return (
        f"body{{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:{t['text'][0]};"
        f"background:{t['text'][1]};margin:0}}"
        "header,main,footer{max-width:72rem;margin:0 auto;padding:1rem 1.25rem}"
        "h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:2rem 0 .5rem}"
        f"a{{color:{t['link'][0]}}}a:focus,button:focus,input:focus,select:focus,summary:focus"
        "{outline:3px solid #1f5fa8;outline-offset:2px}"
        ".facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.25rem 1rem;margin:0}"
        f".facts div{{padding:.25rem 0}}.facts dt{{color:{t['muted'][0]};font-size:.85rem}}"
        ".facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}"
        f".disclaimer{{background:{t['note'][1]};color:{t['note'][0]};border-left:5px solid #9c5700;"
        "padding:.6rem .9rem;margin:1rem 0}"
        f".chart{{width:100%;max-width:760px;height:auto;font-size:13px;fill:{t['text'][0]}}}"
        ".chart .axis{stroke:#4a4a4a;stroke-width:1}figure{margin:.5rem 0}"
        "details{margin:.5rem 0 1rem}summary{cursor:pointer}"
        "table{border-collapse:collapse}caption{text-align:left;font-weight:600;padding:.25rem 0}"
        "th,td{border:1px solid #8c8c8c;padding:.3rem .5rem;text-align:left;vertical-align:top}"
        f"thead th{{background:{t['head'][1]};color:{t['head'][0]};position:sticky;top:0}}"
        "tbody th{font-weight:400;overflow-wrap:break-word;min-width:14rem;max-width:28rem}"
        "td{font-variant-numeric:tabular-nums}small{font-size:.85em}"
        f".reason{{color:{t['failed'][0]}}}.st-failed,.st-refused{{font-weight:600}}"
        "th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer;"
        "text-align:left}"
        ".nojs th button{cursor:default}"
        "th[aria-sort=ascending] button::after{content:' \\25B2'}"
        "th[aria-sort=descending] button::after{content:' \\25BC'}"
        ".sev{display:inline-block;padding:0 .4rem;border-radius:.25rem}"
        f".sev-high{{background:{t['high'][1]};color:{t['high'][0]};font-weight:700}}"
        f".sev-medium{{background:{t['medium'][1]};color:{t['medium'][0]};font-weight:600}}"
        f".sev-low{{background:{t['low'][1]};color:{t['low'][0]}}}"
        f".sev-none,.sev-out-of-scope,.sev-not-analysed{{background:{t['none'][1]};color:{t['none'][0]}}}"
        ".controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}"
        ".controls input,.controls select{font:inherit;padding:.2rem .4rem;border:1px solid #4a4a4a}"
        ".scroll{overflow-x:auto}"
        f"footer{{color:{t['muted'][0]};border-top:1px solid #8c8c8c;margin-top:2rem}}"
        "@media print{.controls,details summary{display:none}thead th{position:static}}"
    )


def _fact(label: str, value: object) -> str:
    return f"<div><dt>{label}</dt><dd>{_e(value)}</dd></div>"


def _skipped_section(skipped: list[dict]) -> str:
    """Files and folders not read on purpose, each with the reason (nothing in an archive goes unaccounted for)."""
    if not skipped:
        return ""
    rows = "".join(
        f'<tr><th scope="row">{_e(_name(c.get("path")))}</th><td>{_e(_name(c.get("reason") or ""))}</td></tr>'
        for c in skipped
    )
    return (
        '\n<section aria-labelledby="skipped-h"><h2 id="skipped-h">Files not read</h2>\n'
        f"<details><summary>{len(skipped)} file(s) or folder(s) were not read: links that leave the input "
        "folder, hidden files and files that are not contracts</summary>\n"
        '<table class="data"><thead><tr><th scope="col">File</th><th scope="col">Why it was not read</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></details>\n</section>"
    )


def render_dashboard(contracts: list[dict], findings: list[dict], run: dict) -> str:
    """The whole ``index.html`` as one string (write it as UTF-8). Linear in contracts + findings.

    Files the batch did not read on purpose (status ``skipped``) are listed apart, below the roster."""
    skipped = [c for c in contracts if c.get("status") == "skipped"]
    contracts = [c for c in contracts if c.get("status") != "skipped"]
    contracts_by_gap: dict[str, set] = {}
    findings_by_gap: dict[str, int] = {}
    finding_counts = dict.fromkeys(_SEVERITIES, 0)
    for f in findings:
        gap = _clean(f.get("gap"))
        contracts_by_gap.setdefault(gap, set()).add(f.get("sha256") or f.get("path"))
        findings_by_gap[gap] = findings_by_gap.get(gap, 0) + 1
        if f.get("severity") in finding_counts:
            finding_counts[f["severity"]] += 1

    worst_counts = dict.fromkeys(_WORST_LABEL, 0)
    for c in contracts:
        worst_counts[_worst(c)] += 1
    analysed = sum(1 for c in contracts if c.get("status") == "done")
    scored = (c for c in contracts if (_int(c.get("risk_score")) or 0) > 0)
    top10 = heapq.nsmallest(10, scored, key=_roster_key)

    generated = _e(run.get("generated"))
    facts = "".join(
        [
            _fact("Files", run.get("files")),
            _fact("Distinct contracts", run.get("contracts")),
            _fact("Done", run.get("done")),
            _fact("Failed", run.get("failed")),
            _fact("Duplicates", run.get("duplicates")),
            _fact("Refused", run.get("refused")),
            _fact("Not read (skipped)", run.get("skipped") or len(skipped)) if (run.get("skipped") or skipped) else "",
            _fact("Findings", len(findings)),
            _fact("Model", run.get("model")),
            _fact("castguard version", run.get("tool_version")),
            f'<div><dt>Generated</dt><dd><time datetime="{generated}">{generated}</time></dd></div>',
        ]
    )
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en" class="nojs">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>castguard batch summary: {len(contracts)} contracts, {generated}</title>\n",
            f"<style>{_css()}</style>\n</head>\n<body>\n",
            "<header>\n<h1>castguard batch summary</h1>\n",
            f'<p class="disclaimer" role="note"><strong>Not legal advice.</strong> {_e(DISCLAIMER)}</p>\n',
            f'<dl class="facts">{facts}</dl>\n</header>\n<main>\n',
            _gap_section(contracts_by_gap, findings_by_gap, analysed),
            "\n",
            _severity_section(worst_counts, finding_counts),
            "\n",
            _risk_section(top10),
            "\n",
            _roster_section(contracts),
            _skipped_section(skipped),
            "\n</main>\n<footer>\n",
            f"<p>castguard {_e(run.get('tool_version'))}, model {_e(run.get('model'))}, generated {generated}. "
            "Findings are listed in each contract's report. castguard reports facts for analysis; it is not legal "
            "advice.</p>\n</footer>\n",
            f"<script>{_SCRIPT}</script>\n</body>\n</html>\n",
        ]
    )
