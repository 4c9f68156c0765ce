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

The markup is ``dashboard.html.j2`` with its style sheet and script (:mod:`castguard.templating.html`, which
escapes every value); this module prepares what it shows: the counts, the charts' geometry and the roster rows.
"""

from __future__ import annotations

import heapq
import re
from urllib.parse import quote

from ..classify.taxonomy import GAPS
from ..escape.html import clean
from ..escape.terminal import visible
from ..model import not_read
from ..report import DISCLAIMER
from ..templating.html import render, source_hash

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
    ("not-read", "Not read (a language castguard does not read)"),
    ("not-analysed", "Not analysed (failed or refused)"),
)
_WORST_LABEL = dict(_WORST)
_WORST_WORD = {key: key.replace("-", " ") for key in _WORST_LABEL}  # the roster's word: "high" ... "not analysed"
_WORST_RANK = {"high": 6, "medium": 5, "low": 4, "none": 3, "out-of-scope": 2, "not-read": 1, "not-analysed": 0}
_STATUSES = ("done", "failed", "refused")

# controls, lone surrogates and bidi marks: never part of a link the dashboard makes
_UNSAFE_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_URL_SAFE = "/-._~!$&'()*+,;=@"  # kept as-is by quote(); everything else (space, '#', '?', '%', ':' ...) is encoded


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
    if not_read(contract.get("reason")):
        return "not-read"
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
) -> dict:
    """A horizontal bar chart; ``bars`` are (label, value, text after the bar, fill colour)."""
    width, right, row_h, pad = 760, 150, 26, 6
    span = width - label_width - right
    rows = []
    for i, (label, value, after, fill) in enumerate(bars):
        length = span * value / scale_max if scale_max > 0 else 0.0
        rows.append({"label": label, "y": pad + i * row_h, "length": f"{length:.1f}", "fill": fill,
                     "after_x": f"{label_width + length + 6:.1f}", "after": after})  # fmt: skip
    return {
        "ident": ident,
        "title": title,
        "desc": desc,
        "width": width,
        "height": pad * 2 + row_h * max(1, len(bars)),
        "pad": pad,
        "label_width": label_width,
        "empty": empty,
        "bars": rows,
    }


def _gap_section(contracts_by_gap: dict[str, set], findings_by_gap: dict[str, int], analysed: int) -> dict:
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
            {"gap": g, "title": gap.title if gap else "not in the taxonomy", "severity": sev, "contracts": n,
             "share": share, "findings": findings_by_gap.get(g, 0)}
        )  # fmt: skip
    most = max(ids, key=lambda g: counts[g]) if top else None
    desc = (
        f"One horizontal bar per gap id, all {len(GAPS)} ids in taxonomy order, showing how many contracts raise "
        "each one; the number is printed after each bar. "
        + (f"The most common is {most} ({top} contracts)." if most else "No contract raised any gap.")
    )
    chart = _bar_chart(
        "chart-gaps", "Contracts raising each gap", desc, bars, label_width=300, scale_max=top, empty="No gaps."
    )
    return {"chart": chart, "rows": rows}


def _severity_section(worst_counts: dict[str, int], finding_counts: dict[str, int]) -> dict:
    top = max(worst_counts.values(), default=0)
    colour = {"high": "high", "medium": "medium", "low": "low"}
    bars = [
        (label, worst_counts[key], f"{worst_counts[key]}", BAR_COLOURS[colour.get(key, "none")])
        for key, label in _WORST
    ]
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
    return {
        "chart": chart,
        "rows": [(label, worst_counts[key]) for key, label in _WORST],
        "total": sum(finding_counts.values()),
        "findings": [(s, finding_counts[s]) for s in _SEVERITIES],
    }


def _risk_section(top10: list[dict]) -> dict:
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
        rows.append({**_contract_name(c), "performer": c.get("performer") or "", "score": score,
                     "worst_word": _WORST_WORD[sev]})  # fmt: skip
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
    return {"chart": chart, "rows": rows}


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


def _contract_name(c: dict) -> dict:
    """The contract's name as shown (controls visible) and its report link, when the link is safe."""
    return {"name": _name(c.get("path") or c.get("sha256") or "(unnamed)"), "href": safe_href(c.get("report"))}


def _roster_row(c: dict) -> dict:
    status: str = c["status"] if c.get("status") in _STATUSES else "failed"
    worst = _worst(c)
    path = _name(c.get("path") or "")
    others = [_name(n) for n in c.get("names") or []]
    if path in others:
        others.remove(path)
    reason = ""
    if status != "done" or c.get("reason"):  # a done contract has a reason only when it was not read
        reason = _name(" ".join(str(x) for x in (c.get("error_code"), c.get("reason")) if x))
    unread = status == "done" and not_read(c.get("reason"))
    return {
        **_contract_name(c),
        "status": status,
        "worst": worst,
        "worst_word": _WORST_WORD[worst],
        "rank": _WORST_RANK[worst],
        "path": path,
        "also": others[:3],
        "more": f" and {len(others) - 3} more" if len(others) > 3 else "",
        "reason": reason,
        "performer": c.get("performer") or "",
        "in_scope": "not read" if unread else _yes_no(c.get("in_scope")),
        "risk": _int(c.get("risk_score")),
        "counts": [_int(c.get(s)) if status == "done" else None for s in _SEVERITIES],
        "pages": _int(c.get("pages")),
    }


def _roster_key(c: dict) -> tuple:
    risk = _int(c.get("risk_score"))
    return (risk is None, -(risk or 0), str(c.get("path") or ""), str(c.get("sha256") or ""))


# --------------------------------------------------------------------------- page


def render_dashboard(contracts: list[dict], findings: list[dict], run: dict) -> str:
    """The whole ``index.html`` as one string (write it as UTF-8). Linear in contracts + findings.

    Files the batch did not read on purpose (status ``skipped``) are listed apart, below the roster."""
    skipped = [c for c in contracts if c.get("status") == "skipped"]
    contracts = [c for c in contracts if c.get("status") != "skipped"]
    contracts_by_gap: dict[str, set] = {}
    findings_by_gap: dict[str, int] = {}
    finding_counts = dict.fromkeys(_SEVERITIES, 0)
    for f in findings:
        gap = clean(f.get("gap"))
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
    facts = [
        ("Files", run.get("files")),
        ("Distinct contracts", run.get("contracts")),
        ("Done", run.get("done")),
        ("Failed", run.get("failed")),
        ("Duplicates", run.get("duplicates")),
        ("Refused", run.get("refused")),
        *([("Not read (skipped)", run.get("skipped") or len(skipped))] if (run.get("skipped") or skipped) else []),
        ("Findings", len(findings)),
        ("Model", run.get("model")),
        ("castguard version", run.get("tool_version")),
    ]
    return render(
        "dashboard.html.j2",
        script_hash=source_hash("dashboard.js"),
        t=TEXT_COLOURS,
        generated=run.get("generated"),
        disclaimer=DISCLAIMER,
        facts=facts,
        analysed=analysed,
        gaps=_gap_section(contracts_by_gap, findings_by_gap, analysed),
        severity=_severity_section(worst_counts, finding_counts),
        risk=_risk_section(top10),
        statuses=_STATUSES,
        worst_words=[(key, _WORST_WORD[key]) for key, _ in _WORST],
        columns=_COLUMNS,
        default_sort=_DEFAULT_SORT,
        roster=[_roster_row(c) for c in sorted(contracts, key=_roster_key)],
        skipped=[{"path": _name(c.get("path")), "reason": _name(c.get("reason") or "")} for c in skipped],
        tool_version=run.get("tool_version"),
        model=run.get("model"),
    )
