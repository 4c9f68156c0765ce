"""A batch run -> ``contracts.xlsx``: a worklist a union rep can filter, sort, print and tick off.

Owns the workbook (the rows are decided by :mod:`castguard.batch.roster`, the same as roster.csv, findings.csv
and skipped_and_failed.csv):

* "Roster": one row per reviewed contract, individual deals first and then terms of service, each riskiest
  first: the contract, the deal facts it states, the risk score and counts, one column per gap id showing its
  severity there, the top finding in words, a link to the contract's review page (relative to the workbook,
  so the output folder can be moved or zipped), the renegotiation status, and the path and sha256 at the far
  right. Frozen header and first column, an autofilter, landscape fit-to-width printing with the header
  repeated on every page.
* "Findings": one row per finding (contract, severity, gap, clause, page, quote, the review page's path: a
  plain path, not a link, so that 50,000 findings stay quick to write; the Roster links each contract).
* "Skipped and failed": every file not on the roster, with the reason and what to do.
* "About": run facts, the renegotiation pipeline, the not-legal-advice line, the gap ids.

Every sheet prints the disclaimer in its footer.

Written in openpyxl's write-only mode, so rows stream to disk (a run may have 50,000 findings). The same input
gives the same bytes: workbook dates and zip member times come from ``run["generated"]``, not the clock.

Spreadsheet formula injection: file names, performer names and quotes come from contracts nobody vetted. Every
string is stored as a string cell (never a formula, never an error value), and one that a spreadsheet would read
as a formula if retyped (leading ``=``, ``+``, ``-``, ``@``, tab, CR or LF) also gets the cell's quotePrefix
flag: Excel and LibreOffice show the text exactly, with no apostrophe added to the value, and keep it text
when the cell is edited. Characters XML cannot hold become U+FFFD; text longer than a cell holds is cut.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import shutil
import zipfile

from ..classify.taxonomy import GAPS
from ..escape.spreadsheet import is_formula_like, xml_safe
from ..report import DISCLAIMER
from .roster import (
    FINDING_COLUMNS,
    PRINTED_ROSTER_COLUMNS,
    ROSTER_COLUMNS,
    SKIPPED_COLUMNS,
    TRACK_STATUSES,
    Roster,
    build_roster,
)
from .summary_html import safe_href

__all__ = ["write_xlsx"]

_MAX_CELL = 32767  # characters an Excel cell holds
_EPOCH = _dt.datetime(1980, 1, 1)  # the earliest time a zip member can carry


def _stamp(generated: object) -> _dt.datetime:
    """The run's time as a naive UTC datetime (what openpyxl and zip want); 1980-01-01 if it does not parse."""
    text = str(generated or "").strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError:
        return _EPOCH
    if when.tzinfo is not None:
        when = when.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return max(when.replace(microsecond=0), _EPOCH)


def _text(value: object) -> str:
    text = xml_safe(str(value))
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


# severity cells: the dashboard's colours (each pair at least 4.5:1)
_SEVERITY_STYLE = {"high": ("8A0016", "FDE7EA"), "medium": ("6B3D00", "FFF0D9"), "low": ("0B3D75", "E3EEFB")}


class _Cells:
    """Turns plain values into what a write-only row accepts, neutralising strings a spreadsheet would run."""

    def __init__(self, ws):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        self._ws = ws
        self._cell = WriteOnlyCell
        self._bold = Font(bold=True)
        self._fill = PatternFill("solid", fgColor="F2F2F2")
        self._head = Alignment(wrap_text=True, vertical="bottom")
        self._rotated = Alignment(text_rotation=90, horizontal="center", vertical="bottom")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        # every cell sits at the top of its row: a number beside wrapped text stays on the row's first line
        self._top = Alignment(vertical="top")
        self._link = Font(color="0645AD", underline="single")
        self._severity = {
            s: (Font(color=fg, bold=s == "high"), PatternFill("solid", fgColor=bg), Alignment(horizontal="center", vertical="top"))
            for s, (fg, bg) in _SEVERITY_STYLE.items()
        }
        self._styles: dict = {}

    def _styled(self, value: str | float, key: str, **style):
        """A cell with a style; the style is registered with the workbook once per key (registering it for every
        cell is what makes openpyxl slow: 50,000 findings took minutes)."""
        from copy import copy

        cell = self._cell(self._ws, value=value)
        known = self._styles.get(key)
        if known is None:
            for name, v in style.items():
                setattr(cell, name, v)
            self._styles[key] = copy(cell._style)  # type: ignore[attr-defined]  # openpyxl's shared style array
        else:
            cell._style = copy(known)  # type: ignore[attr-defined]
        return cell

    def value(self, value: object, *, wrap: bool = False):
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            return self._styled(round(value, 3) if isinstance(value, float) else value, "top", alignment=self._top)
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v) for v in value)
        text = _text(value)
        if not text:
            return None
        if not is_formula_like(text):
            if not wrap:
                return self._styled(text, "top", alignment=self._top)
            return self._styled(text, "wrap", alignment=self.wrap)
        if wrap:
            cell = self._styled(text, "quoted wrap", quotePrefix=True, alignment=self.wrap)
        else:
            cell = self._styled(text, "quoted", quotePrefix=True)
        cell.data_type = "s"  # openpyxl made "=..." a formula and "#N/A" an error; force text
        return cell

    def severity(self, value: str, *, short: bool = False):
        if value not in self._severity:
            return self.value(value)
        font, fill, alignment = self._severity[value]
        return self._styled(value[0].upper() if short else value, value, font=font, fill=fill, alignment=alignment)

    def link(self, target: str, text: str = "open report"):
        """A hyperlink to a file beside the workbook (a relative path), or None when the path is not safe."""
        href = safe_href(target) if target else None
        if href is None:
            return self.value(target)
        cell = self._styled(text, "link", font=self._link, alignment=self._top)
        cell.hyperlink = href
        return cell

    def header(self, names, rotated=()) -> list:
        cells = []
        for name in names:
            cell = self._cell(self._ws, value=name)
            cell.font = self._bold
            cell.fill = self._fill
            cell.alignment = self._rotated if name in rotated else self._head
            cells.append(cell)
        return cells


def _sheet(wb, title: str, columns, n_rows: int, *, freeze: str = "A2"):
    """A data sheet with its widths, frozen header, autofilter and print set-up (before the first row)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws = wb.create_sheet(title)
    for i, (_, name, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = freeze
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{n_rows + 1}"
    ws.oddFooter.center.text = DISCLAIMER
    ws.oddFooter.center.size = 8
    ws.oddHeader.right.text = "&P / &N"
    ws.oddHeader.right.size = 8
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    return ws


def _roster_sheet(wb, roster: Roster) -> None:
    from openpyxl.utils import get_column_letter

    gap_headers = {name for key, name, _ in ROSTER_COLUMNS if key.startswith("gap:")}
    ws = _sheet(wb, "Roster", ROSTER_COLUMNS, len(roster.roster), freeze="B2")
    ws.row_dimensions[1].height = 150  # the gap ids stand upright
    ws.print_area = f"A1:{get_column_letter(PRINTED_ROSTER_COLUMNS)}{len(roster.roster) + 1}"
    cells = _Cells(ws)
    ws.append(cells.header([name for _, name, _ in ROSTER_COLUMNS], rotated=gap_headers))
    widths = {key: width for key, _, width in ROSTER_COLUMNS}
    for i, r in enumerate(roster.roster, 2):
        _fit_height(ws, i, ((r[k], widths[k]) for k in _WRAPPED))
        row = []
        for key, _, _ in ROSTER_COLUMNS:
            if key.startswith("gap:"):  # a narrow column: H, M or L in the severity's colours
                row.append(cells.severity(r[key], short=True) if r[key] else None)
            elif key == "report":
                row.append(cells.link(r["report"], "open"))
            elif key in _WRAPPED:
                row.append(cells.value(r[key], wrap=True))
            else:
                row.append(cells.value(r[key]))
        ws.append(row)


def _lines(text: object, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a conservative estimate:
    spreadsheets size a row to its wrapped text only when they are asked to, so the workbook says)."""
    if text is None or text == "":
        return 1
    per_line = max(1, int(width * 1.1))
    lines = 0
    for para in str(text).split("\n"):
        used = 0
        lines += 1
        for word in para.split(" "):
            n = len(word)
            if used and used + 1 + n > per_line:
                lines += 1
                used = 0
            while n > per_line:  # a long word (a file name) breaks anywhere
                lines += 1
                n -= per_line
            used += n + (1 if used else 0)
    return lines


def _fit_height(ws, row: int, cells, cap: int = 6) -> None:
    lines = max((_lines(text, width) for text, width in cells), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * min(lines, cap)


_WRAPPED = {"contract", "performer", "company", "date", "jurisdiction", "kind", "top_finding", "status_note"}


def _list_sheet(wb, title: str, columns, rows, wrapped: tuple[str, ...], cap: int = 6) -> None:
    """A sheet of one row per item (a finding, a file skipped or failed): wrapped columns fitted in height,
    severities in their colours."""
    ws = _sheet(wb, title, columns, len(rows))
    cells = _Cells(ws)
    ws.append(cells.header([name for _, name, _ in columns]))
    widths = {key: width for key, _, width in columns}
    for i, r in enumerate(rows, 2):
        _fit_height(ws, i, ((r[k], widths[k]) for k in wrapped), cap=cap)
        ws.append([
            cells.severity(r[k]) if k == "severity" else cells.value(r[k], wrap=k in wrapped) for k, _, _ in columns
        ])  # fmt: skip


def _findings_sheet(wb, roster: Roster) -> None:
    _list_sheet(wb, "Findings", FINDING_COLUMNS, roster.findings, ("quote", "gap_title", "note"), cap=12)


def _skipped_sheet(wb, roster: Roster) -> None:
    _list_sheet(wb, "Skipped and failed", SKIPPED_COLUMNS, roster.skipped, ("reason", "todo"))


def _about_sheet(wb, roster: Roster, run: dict) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws = wb.create_sheet("About")
    for letter, width in (("A", 30), ("B", 100), ("C", 12)):
        ws.column_dimensions[letter].width = width
    ws.oddFooter.center.text = DISCLAIMER
    ws.oddFooter.center.size = 8
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    cells = _Cells(ws)
    facts = [
        ("Not legal advice", DISCLAIMER),
        ("castguard version", run.get("tool_version")),
        ("Model", run.get("model")),
        ("Generated", run.get("generated")),
        ("Files", run.get("files")),
        ("Distinct contracts", run.get("contracts")),
        ("On the roster", len(roster.roster)),
        ("Individual deals", len(roster.deals)),
        ("Terms of service", len(roster.terms)),
        ("Skipped and failed", len(roster.skipped)),
        ("Done", run.get("done")),
        ("Failed", run.get("failed")),
        ("Duplicates", run.get("duplicates")),
        ("Refused", run.get("refused")),
        ("Not read (skipped)", run.get("skipped")),
        ("Findings", len(roster.findings)),
    ]
    ws.append(cells.header(["castguard batch run", "Value"]))
    for label, value in facts:
        ws.append([label, cells.value(value)])
    ws.append([])
    ws.append(cells.header(["Renegotiation", "Contracts"]))
    for status in (*TRACK_STATUSES, *(s for s in roster.pipeline if s not in TRACK_STATUSES)):
        ws.append([status, roster.pipeline.get(status, 0)])
    ws.append([])
    ws.append(["Roster gap columns", "H: the gap is raised at high severity in that contract; M: medium; L: low; "
               "blank: not raised"])
    ws.append([])
    ws.append(cells.header(["Gap id", "What it means", "Severity"]))
    for gap in GAPS.values():
        ws.append([gap.id, gap.title, gap.severity])


class _StampedZip(zipfile.ZipFile):
    """A zip whose members all carry one fixed time, so the same workbook gives the same bytes."""

    def __init__(self, file, when: _dt.datetime):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._date_time = when.timetuple()[:6]

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl streams each write-only sheet from a temporary file: copy it in chunks
        info = self._info(arcname or os.path.basename(filename))
        with open(filename, "rb") as src, self.open(info, "w", force_zip64=True) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


def write_xlsx(path, contracts, findings, run: dict, *, tracking: dict | None = None,
               roster: Roster | None = None) -> None:  # fmt: skip
    """Write the workbook to ``path`` (str or PathLike; the caller makes the write atomic). ``contracts``,
    ``findings``: the run store's rows; ``tracking``: ``RunStore.latest_tracking()``; or the :class:`Roster`
    already built from them (then ``contracts`` and ``findings`` are not read)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    if roster is None:
        roster = build_roster(contracts, findings, tracking)

    when = _stamp(run.get("generated"))
    wb = Workbook(write_only=True)
    props = wb.properties
    props.created = props.modified = when
    props.creator = props.lastModifiedBy = f"castguard {_text(run.get('tool_version') or '')}".strip()
    props.title = "castguard batch run"
    props.description = DISCLAIMER

    _roster_sheet(wb, roster)
    _findings_sheet(wb, roster)
    _skipped_sheet(wb, roster)
    _about_sheet(wb, roster, run)

    # ExcelWriter rather than wb.save(): save() stamps the workbook with the clock and zip members with the
    # current time, which would make every run's bytes differ.
    with _StampedZip(os.fspath(path), when) as archive:
        ExcelWriter(wb, archive).save()
