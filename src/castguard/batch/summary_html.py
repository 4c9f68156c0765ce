"""A batch run -> the roster dashboard (``index.html``) a union rep opens from disk.

Owns the one-page summary of a run: run facts and the not-legal-advice line, the renegotiation pipeline (how
many contracts are to send, sent, countered, signed, declined), three inline SVG charts (contracts raising each
gap, split by the severity the gap has in them; contracts by worst severity; the riskiest individual deals)
each with a table of the same numbers, the roster (:mod:`castguard.batch.roster`: individual deals and terms of
service in their own groups) that an inline script sorts and filters by gap, worst severity, renegotiation
status and performer, and every file that failed or was skipped, with the reason and what to do. The page
works with no network, and with JavaScript off it is still complete (the controls are simply hidden).

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

import re
from urllib.parse import quote

from ..classify.taxonomy import GAPS
from ..escape.terminal import visible
from ..report import DISCLAIMER
from ..templating.html import render, source_hash
from .roster import CHANGED, TRACK_STATUSES, Roster, build_roster

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
# A roster contract's worst severity, as the roster filter and the severity chart name it, from worst to least.
_WORST = (
    ("high", "High"),
    ("medium", "Medium"),
    ("low", "Low"),
    ("none", "No gaps found"),
    ("out-of-scope", "Out of scope"),
)
_WORST_LABEL = dict(_WORST)
_WORST_WORD = {key: key.replace("-", " ") for key in _WORST_LABEL}  # the roster's word: "high" ... "out of scope"
_WORST_RANK = {"high": 4, "medium": 3, "low": 2, "none": 1, "out-of-scope": 0}

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


# --------------------------------------------------------------------------- charts


def _bar_chart(
    ident: str,
    title: str,
    desc: str,
    bars: list[tuple[str, list[tuple[int, str]], str]],
    *,
    label_width: int,
    scale_max: int,
    empty: str,
) -> dict:
    """A horizontal bar chart; ``bars`` are (label, segments (value, fill colour), text after the bar)."""
    width, right, row_h, pad = 760, 170, 26, 6
    span = width - label_width - right
    rows = []
    for i, (label, segments, after) in enumerate(bars):
        x, parts = float(label_width), []
        for value, fill in segments:
            length = span * value / scale_max if scale_max > 0 else 0.0
            if length > 0:
                parts.append({"x": f"{x:.1f}", "length": f"{length:.1f}", "fill": fill})
            x += length
        rows.append({"label": label, "y": pad + i * row_h, "segments": parts, "after_x": f"{x + 6:.1f}",
                     "after": after})  # fmt: skip
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


def _split(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[s]} {s}" for s in _SEVERITIES if counts.get(s))


def _gap_section(roster: list[dict], findings_by_gap: dict[str, int]) -> dict:
    """Contracts raising each gap, each counted under the most severe finding of that gap it has: a segment
    (and the words after the bar) labelled with a severity counts contracts where the gap has that severity."""
    by_gap: dict[str, dict[str, int]] = {}
    for r in roster:
        for g, sev in r["gaps"].items():
            split = by_gap.setdefault(g, dict.fromkeys(_SEVERITIES, 0))
            split[sev] = split.get(sev, 0) + 1
    ids = list(GAPS) + sorted(g for g in by_gap if g not in GAPS)
    totals = {g: sum(by_gap.get(g, {}).values()) for g in ids}
    top = max(totals.values(), default=0)
    analysed = len(roster)
    bars, rows = [], []
    for g in ids:
        gap = GAPS.get(g)
        split = by_gap.get(g, dict.fromkeys(_SEVERITIES, 0))
        n = totals[g]
        words = _split(split)
        bars.append((_clip(gap.title if gap else g, 46), [(split.get(s, 0), BAR_COLOURS[s]) for s in _SEVERITIES],
                     f"{n}" + (f" ({words})" if words else "")))  # fmt: skip
        share = f"{100 * n / analysed:.0f}%" if analysed else "n/a"
        rows.append({"gap": g, "title": gap.title if gap else "not in the taxonomy", "contracts": n,
                     "split": [split.get(s, 0) for s in _SEVERITIES], "share": share,
                     "findings": findings_by_gap.get(g, 0)})  # fmt: skip
    most = max(ids, key=lambda g: totals[g]) if top else None
    desc = (
        f"One horizontal bar per gap, all {len(GAPS)} in taxonomy order, showing how many contracts raise each "
        "one, split by the severity the gap has in each contract (high, medium, low); the numbers are printed "
        "after each bar. "
        + (f"The most common is {most} ({top} contracts)." if most else "No contract raised any gap.")
    )
    chart = _bar_chart(
        "chart-gaps", "Contracts raising each gap", desc, bars, label_width=330, scale_max=top, empty="No gaps."
    )
    return {"chart": chart, "rows": rows}


def _severity_section(roster: list[dict], finding_counts: dict[str, int]) -> dict:
    worst_counts = dict.fromkeys(_WORST_LABEL, 0)
    for r in roster:
        worst_counts[r["worst"]] += 1
    top = max(worst_counts.values(), default=0)
    bars = [
        (label, [(worst_counts[key], BAR_COLOURS.get(key, BAR_COLOURS["none"]))], f"{worst_counts[key]}")
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


def _risk_section(deals: list[dict]) -> dict:
    top10 = [r for r in deals if (r["risk"] or 0) > 0][:10]  # the roster is riskiest first
    bars, rows = [], []
    for i, r in enumerate(top10, 1):
        score = r["risk"] or 0
        who = f"{r['performer']} ({r['contract']})" if r["performer"] else r["contract"]
        bars.append((f"{i}. {_clip(_name(who), 40)}", [(score, BAR_COLOURS["risk"])],
                     f"{score}/100 ({_WORST_WORD[r['worst']]})"))  # fmt: skip
        rows.append({**_contract_name(r), "performer": _name(r["performer"]), "score": score,
                     "worst_word": _WORST_WORD[r["worst"]]})  # fmt: skip
    desc = (
        "The individual deals with the highest risk score (0 to 100), highest first; each bar is labelled with the "
        "performer (when the contract names one) and the file name, its score and its worst severity."
        if top10
        else "No individual deal has a risk score above 0."
    )
    chart = _bar_chart(
        "chart-risk",
        "Riskiest individual deals by risk score",
        desc,
        bars,
        label_width=360,
        scale_max=100,
        empty="No individual deal has a risk score above 0.",
    )
    return {"chart": chart, "rows": rows}


# --------------------------------------------------------------------------- roster

_COLUMNS = (  # header, sort type
    ("Contract", "text"),
    ("Performer", "text"),
    ("Company", "text"),
    ("Date", "text"),
    ("Governing law", "text"),
    ("Risk score", "num"),
    ("Worst severity", "num"),
    ("High", "num"),
    ("Medium", "num"),
    ("Low", "num"),
    ("Top finding", "text"),
    ("Status", "text"),
)
_DEFAULT_SORT = "Risk score"
_GROUPS = (("deal", "Individual deals"), ("terms", "Terms of service"))


def _contract_name(r: dict) -> dict:
    """The contract's name as shown (controls visible) and its report link, when the link is safe."""
    return {"name": _name(r.get("contract") or r.get("sha256") or "(unnamed)"), "href": safe_href(r.get("report"))}


def _roster_row(r: dict) -> dict:
    others = [_name(n) for n in r["names"]]
    return {
        **_contract_name(r),
        "path": _name(r["path"]),
        "also": others[:3],
        "more": f" and {len(others) - 3} more" if len(others) > 3 else "",
        "performer": _name(r["performer"]),
        "company": _name(r["company"]),
        "date": _name(r["date"]),
        "law": _name(r["jurisdiction"]),
        "kind": r["kind"],
        "risk": r["risk"],
        "worst": r["worst"],
        "worst_word": _WORST_WORD[r["worst"]],
        "rank": _WORST_RANK[r["worst"]],
        "counts": [r[s] for s in _SEVERITIES],
        "top": _name(r["top_finding"]),
        "gaps": " ".join(sorted(r["gaps"])),
        "status": r["status"],
        "status_key": r["status"] or "none",
        "status_date": _name(r["status_date"]),
        "status_note": _name(r["status_note"]),
        "changed": r["changed"],
    }


# --------------------------------------------------------------------------- page


def render_dashboard(contracts, findings, run: dict, *, tracking: dict | None = None,
                     roster: Roster | None = None) -> str:  # fmt: skip
    """The whole ``index.html`` as one string (write it as UTF-8). Linear in contracts + findings.

    ``contracts``, ``findings``: the run store's rows; ``tracking``: ``RunStore.latest_tracking()``; or the
    :class:`Roster` already built from them (then ``contracts`` and ``findings`` are not read)."""
    if roster is None:
        roster = build_roster(contracts, findings, tracking)
    findings_by_gap: dict[str, int] = {}
    finding_counts = dict.fromkeys(_SEVERITIES, 0)
    for f in roster.findings:
        findings_by_gap[f["gap"]] = findings_by_gap.get(f["gap"], 0) + 1
        if f.get("severity") in finding_counts:
            finding_counts[f["severity"]] += 1
    outcomes: dict[str, int] = {}
    for s in roster.skipped:
        outcomes[s["outcome"]] = outcomes.get(s["outcome"], 0) + 1
    facts = [
        ("Files", run.get("files")),
        ("Distinct contracts", run.get("contracts")),
        ("Individual deals", len(roster.deals)),
        ("Terms of service", len(roster.terms)),
        ("Skipped and failed", len(roster.skipped)),
        ("Duplicates", run.get("duplicates")),
        ("Findings", len(roster.findings)),
        ("Model", run.get("model")),
        ("castguard version", run.get("tool_version")),
    ]
    pipeline = [(s, roster.pipeline.get(s, 0)) for s in (*TRACK_STATUSES, "no status")]
    pipeline += [(s, n) for s, n in roster.pipeline.items() if s not in TRACK_STATUSES and s not in ("no status", CHANGED)]
    rows = [_roster_row(r) for r in roster.roster]
    return render(
        "dashboard.html.j2",
        script_hash=source_hash("dashboard.js"),
        t=TEXT_COLOURS,
        generated=run.get("generated"),
        disclaimer=DISCLAIMER,
        facts=facts,
        analysed=len(roster.roster),
        pipeline=pipeline,
        changed=roster.pipeline.get(CHANGED, 0),
        gaps=_gap_section(roster.roster, findings_by_gap),
        severity=_severity_section(roster.roster, finding_counts),
        risk=_risk_section(roster.deals),
        track_statuses=TRACK_STATUSES,
        changed_word=CHANGED,
        worst_words=[(key, _WORST_WORD[key]) for key, _ in _WORST],
        gap_options=[(g.id, g.title) for g in GAPS.values()],
        columns=_COLUMNS,
        default_sort=_DEFAULT_SORT,
        n_rows=len(rows),
        groups=[(key, title, [r for r, src in zip(rows, roster.roster) if src["group"] == key]) for key, title in _GROUPS],
        skipped=[{"name": _name(s["contract"]), "path": _name(s["path"]), "outcome": s["outcome"],
                  "reason": _name(s["reason"]), "todo": s["todo"]} for s in roster.skipped],  # fmt: skip
        outcomes=sorted(outcomes.items()),
        tool_version=run.get("tool_version"),
        model=run.get("model"),
    )
