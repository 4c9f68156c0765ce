"""A batch run -> the roster a union rep works from: what ``roster.csv``, ``contracts.xlsx`` and ``index.html``
all show, decided once here.

:func:`build_roster` takes the run store's rows (contracts, findings, the renegotiation tracking) and returns

* ``roster``: one row per contract that was reviewed, individual deals first and then terms of service (a
  platform's terms are not negotiated performer by performer), each group riskiest first. A row carries the
  deal facts the contract states (performer, company, date, governing law: blank when the contract does not
  state them, never guessed), the risk score and the counts per severity, the severity of each gap id, the
  top finding in words, the report link and the renegotiation status.
* ``findings``: one row per finding, in roster order (most severe first within a contract).
* ``skipped``: every file that is not on the roster, with the reason and what to do: files that failed or
  were refused, documents that are not contracts (README files, notes, letters: not scored, not ranked),
  contracts in a language castguard does not read, and files not read on purpose (hidden, links, formats).
* ``pipeline``: how many roster contracts are in each renegotiation status.

Pure: plain dicts in, plain dicts out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..classify.taxonomy import GAPS
from ..model import not_read

__all__ = [
    "FINDING_COLUMNS",
    "ROSTER_COLUMNS",
    "SKIPPED_COLUMNS",
    "TRACK_STATUSES",
    "Roster",
    "build_roster",
    "what_to_do",
]

TRACK_STATUSES = ("to-send", "sent", "countered", "signed", "declined")
CHANGED = "changed since sent"
SEVERITIES = ("high", "medium", "low")
_RANK = {"high": 3, "medium": 2, "low": 1}
KINDS = {
    "contract": "deal",
    "release_or_consent": "release or consent",
    "terms_of_service": "terms of service",
}

# (key, header, width in characters); the xlsx sheet and the CSV file of the same name share these columns
ROSTER_COLUMNS = (
    ("contract", "Contract", 24),
    ("performer", "Performer", 16),
    ("company", "Company", 17),
    ("date", "Date", 11),
    ("jurisdiction", "Governing law", 14),
    ("kind", "Kind", 9),
    ("risk", "Risk score", 5.5),
    ("high", "High", 4.5),
    ("medium", "Medium", 4.5),
    ("low", "Low", 4.5),
    *((f"gap:{g}", g, 3.3) for g in GAPS),
    ("top_finding", "Top finding", 34),
    ("report", "Report", 7),
    ("status", "Status", 9),
    ("status_date", "Status date", 10),
    ("status_note", "Status note", 16),
    ("path", "Path", 40),
    ("sha256", "sha256", 20),
)  # fmt: skip
# the roster's last printed column: the path and sha256 are for finding the file, not for the printed worklist
PRINTED_ROSTER_COLUMNS = len(ROSTER_COLUMNS) - 2
FINDING_COLUMNS = (
    ("contract", "Contract", 30),
    ("performer", "Performer", 22),
    ("severity", "Severity", 9),
    ("gap", "Gap", 26),
    ("gap_title", "What it means", 36),
    ("clause", "Clause", 9),
    ("page", "Page", 6),
    ("quote", "Quote", 90),
    ("note", "Note", 30),
    ("report", "Report", 12),
    ("path", "Path", 40),
    ("sha256", "sha256", 20),
)  # fmt: skip
SKIPPED_COLUMNS = (
    ("contract", "File", 34),
    ("outcome", "Outcome", 16),
    ("reason", "Reason", 60),
    ("todo", "What to do", 60),
    ("path", "Path", 40),
    ("sha256", "sha256", 20),
)  # fmt: skip

# what a rep can do about a file that failed, by error code (castguard.errors.CODES says what each means)
_TODO = {
    "E100": "check that the file is there and can be opened, then run the batch again",
    "E101": "save it as PDF, DOCX or plain text, then run the batch again",
    "E102": "ask the sender for a copy without the password (or remove it), then run the batch again",
    "E103": "raise the limit the reason names, or split the file, then run the batch again",
    "E200": "re-export the file (print to PDF, or save as DOCX), then run the batch again",
    "E201": "it is a scan: make it searchable with OCR, then run the batch again",
    "E202": "re-export the PDF from the original, or run OCR on it, then run the batch again",
    "E900": "check the file is what it claims to be; if it is, raise --memory-mb",
    "E901": "re-save the file from the program that made it, then run the batch again",
    "E902": "run the batch again; if it fails again, report it with the file if you can share it",
    "E903": "run the batch again with --resume; if the Dask cluster keeps failing, run it with the local executor",
    "E999": "a bug in castguard: report it (with the file, if you can share it)",
}
_OUTCOMES = ("failed", "refused", "not read", "not a contract", "skipped")  # the order of the sheet


def what_to_do(outcome: str, code: str | None, reason: str | None) -> str:
    """One line saying what a rep can do about a file that is not on the roster."""
    reason = reason or ""
    if outcome == "not a contract":
        return "nothing, if it is not an agreement; if it is one, check that the file holds the agreement's text"
    if outcome == "not read":
        return "have it read by someone who reads the language, or ask for an English version"
    if outcome == "skipped":
        if "link" in reason:
            return "if it is a contract, copy the file itself into the folder, then run the batch again"
        return "nothing, if it is not a contract; if it is one, save it as PDF, DOCX or text and run the batch again"
    if "time limit" in reason:
        return "run it alone with a higher --time-limit, or split the file"
    if code == "E100" and "empty" in reason:
        return "the file is empty: ask whoever sent it for the real file"
    if code == "E100" and ("damaged" in reason or "corrupt" in reason):
        return "get an undamaged copy, or re-export it from the original, then run the batch again"
    if code in _TODO:
        return _TODO[code]
    if outcome == "refused":
        if "outside" in reason or "link" in reason or "zip bomb" in reason:
            return "nothing: the archive entry was refused for safety; extract it by hand if you trust it"
        return "check the file (is it a contract?), save it as PDF, DOCX or text, then run the batch again"
    return "run the batch again; if it fails again, report it with the reason"


def _common_folder(paths: list[str]) -> str:
    """The folder every path starts with ("/home/rep/archive/"), so the roster can name each contract by the rest
    ("2019/deal.pdf", "studio.zip!a.pdf"): short, and still telling apart two deal.pdf in different folders."""
    parts = [p.split("/")[:-1] for p in paths if p]
    if not parts:
        return ""
    common = parts[0]
    for folders in parts[1:]:
        n = 0
        while n < min(len(common), len(folders)) and common[n] == folders[n]:
            n += 1
        common = common[:n]
        if not common:
            return ""
    return "/".join(common) + "/"


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class Roster:
    roster: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    pipeline: dict[str, int] = field(default_factory=dict)

    @property
    def deals(self) -> list[dict]:
        return [r for r in self.roster if r["group"] == "deal"]

    @property
    def terms(self) -> list[dict]:
        return [r for r in self.roster if r["group"] == "terms"]


def _outcome(c: dict) -> str | None:
    """Why a contract row is not on the roster (its outcome word), or None when it is."""
    status = c.get("status")
    if status in ("failed", "refused", "skipped"):
        return status
    if status != "done":
        return "failed"
    if c.get("document_type") == "not_a_contract":
        return "not a contract"
    if not_read(c.get("reason")):
        return "not read"
    return None


def _where(f: dict) -> str:
    """Where a finding is, in words: "(clause 4.2)", "(clause (c))", "(under “Content”)", "(the whole contract)"."""
    clause = " ".join(str(f.get("clause") or "").split())
    if not clause:
        return " (the contract as a whole)" if f.get("kind") == "contract" else ""
    if re.fullmatch(r"\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,5})(?:\.(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,5}))*\.?\)?", clause):
        clause = clause.rstrip(".")
        if clause.endswith(")") and not clause.startswith("("):
            clause = "(" + clause
        return f" (clause {clause})"
    if re.fullmatch(r"(?i:section|clause|article|paragraph|schedule|exhibit)\s+[\w.()-]{1,12}", clause):
        return f" ({clause})"
    return f" (under “{clause if len(clause) <= 40 else clause[:39] + '…'}”)"


def _top_finding(rows: list[dict], c: dict) -> str:
    if rows:
        f = rows[0]
        gap = GAPS.get(f["gap"])
        return f"{str(f['severity']).capitalize()}: {gap.title if gap else f['gap']}{_where(f)}"
    if c.get("in_scope") is False:
        why = " ".join(str(c.get("scope_reason") or "").split())
        if len(why) > 90:  # the whole reason is in the report
            why = why[: why.rfind(" ", 0, 89)].rstrip(",;:") + "…"
        return f"Out of scope: {why}" if why else "Out of scope"
    return "No gaps found"


_GAP_ORDER = {g: i for i, g in enumerate(GAPS)}


def _finding_order(f: dict) -> tuple:
    """Most severe first; then in taxonomy order (training and replicas before the rest); then by page."""
    page = f.get("page")
    return (-_RANK.get(str(f.get("severity")), 0), _GAP_ORDER.get(str(f.get("gap")), len(_GAP_ORDER)), str(f.get("gap")),
            page if isinstance(page, int) else 1 << 30, str(f.get("clause") or ""), str(f.get("quote") or ""))  # fmt: skip


def _tracking_for(c: dict, tracking: dict[str, dict]) -> dict | None:
    for name in [c.get("path"), *(c.get("names") or [])]:
        if name in tracking:
            return tracking[name]
    return None


def build_roster(
    contracts, findings, tracking: dict[str, dict] | None = None, current: set[str] | None = None
) -> Roster:
    """``contracts``: the run store's contract rows (``RunStore.contract_rows``); ``findings``: its finding rows;
    ``tracking``: ``RunStore.latest_tracking()``; ``current``: the sha256 of every file the run still holds (a
    contract whose file has since changed is then left out, its newer content being on the roster)."""
    tracking = tracking or {}
    by_sha: dict[str, list[dict]] = {}
    for f in findings:
        by_sha.setdefault(f.get("sha256") or "", []).append(f)
    out = Roster()
    contracts = list(contracts)
    folder = _common_folder([str(c.get("path") or "") for c in contracts])

    def _base(path: object) -> str:
        text = str(path or "")
        return text[len(folder):] if folder and text.startswith(folder) else text

    for c in contracts:
        outcome = _outcome(c)
        sha = c.get("sha256") or ""
        if outcome is None and current is not None and sha not in current:
            continue  # an earlier content of a file that has changed since
        if outcome is not None:
            reason = c.get("reason") or ""
            if outcome == "not a contract":
                reason = c.get("document_type_reason") or "it does not read as an agreement"
            elif outcome == "not read":
                reason = reason[len("not read: "):] if reason.startswith("not read: ") else reason
            if c.get("error_code") and outcome == "failed":
                reason = f"{reason} [{c['error_code']}]"
            out.skipped.append({
                "contract": _base(c.get("path")), "outcome": outcome, "reason": reason,
                "todo": what_to_do(outcome, c.get("error_code"), c.get("reason")),
                "path": c.get("path") or "", "sha256": sha,
            })  # fmt: skip
            continue
        own = sorted(by_sha.get(sha, ()), key=_finding_order)
        gaps: dict[str, str] = {}
        for f in own:
            if _RANK.get(str(f.get("severity")), 0) > _RANK.get(gaps.get(f["gap"], ""), 0):
                gaps[f["gap"]] = f["severity"]
        law, code = c.get("governing_law"), c.get("governing_law_code")
        track = _tracking_for(c, tracking) or {}
        changed = bool(track.get("changed"))
        note = "; ".join(x for x in (CHANGED if changed else "", track.get("note") or "") if x)
        worst = next((s for s in SEVERITIES if (_int(c.get(s)) or 0) > 0), None)
        row = {
            "contract": _base(c.get("path")),
            "performer": c.get("performer") or "",
            "company": c.get("company") or "",
            "date": c.get("agreement_date") or "",
            "jurisdiction": (f"{law} ({code})" if code and code not in law else law) if law else "",
            "kind": KINDS.get(c.get("document_type") or "", ""),
            "risk": _int(c.get("risk_score")),
            "high": _int(c.get("high")) or 0,
            "medium": _int(c.get("medium")) or 0,
            "low": _int(c.get("low")) or 0,
            **{f"gap:{g}": gaps.get(g, "") for g in GAPS},
            "top_finding": _top_finding(own, c),
            "report": c.get("report") or "",
            "status": track.get("status") or "",
            "status_date": track.get("date") or "",
            "status_note": note,
            "path": c.get("path") or "",
            "sha256": sha,
            # not columns: what the dashboard filters on
            "group": "terms" if c.get("document_type") == "terms_of_service" else "deal",
            "gaps": gaps,
            "worst": worst or ("out-of-scope" if c.get("in_scope") is False else "none"),
            "changed": changed,
            "names": [n for n in (c.get("names") or []) if n != c.get("path")],
            "_findings": own,
        }
        out.roster.append(row)
    out.roster.sort(key=lambda r: (r["group"] != "deal", r["risk"] is None, -(r["risk"] or 0), -r["high"],
                                   -r["medium"], -r["low"], r["contract"].lower(), r["path"], r["sha256"]))  # fmt: skip
    for r in out.roster:
        for f in r.pop("_findings"):
            gap = GAPS.get(f["gap"])
            out.findings.append({
                "contract": r["contract"], "performer": r["performer"], "severity": f.get("severity"),
                "gap": f["gap"], "gap_title": gap.title if gap else "", "clause": f.get("clause"),
                "page": f.get("page"), "quote": f.get("quote"), "note": f.get("note"), "report": r["report"],
                "path": r["path"], "sha256": r["sha256"],
            })  # fmt: skip
    out.skipped.sort(key=lambda s: (_OUTCOMES.index(s["outcome"]), s["path"]))
    pipeline = dict.fromkeys(TRACK_STATUSES, 0)
    for r in out.roster:
        if r["status"]:
            pipeline[r["status"]] = pipeline.get(r["status"], 0) + 1
    pipeline["no status"] = sum(1 for r in out.roster if not r["status"])
    pipeline[CHANGED] = sum(1 for r in out.roster if r["changed"])
    out.pipeline = pipeline
    return out
