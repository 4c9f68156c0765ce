"""A batch run -> ``contracts.xlsx``: the roster and every finding as sheets a rep can filter in Excel.

Owns the workbook: "Contracts" (one row per distinct contract, the columns of contracts.csv), "Findings" (one
row per finding, the columns of findings.csv) and "About" (run facts, the not-legal-advice line, the gap ids).
Each data sheet has a bold, frozen header row and an autofilter; every sheet prints the disclaimer in its footer.

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

__all__ = ["CONTRACT_COLUMNS", "FINDING_COLUMNS", "write_xlsx"]

# (column, width in characters); the order is that of contracts.csv / findings.csv
_CONTRACTS = (
    ("path", 40), ("names", 40), ("sha256", 18), ("status", 9), ("reason", 44), ("error_code", 11),
    ("format", 8), ("pages", 7), ("clauses", 8), ("in_scope", 9), ("risk_score", 11), ("high", 7),
    ("medium", 8), ("low", 7), ("findings", 9), ("performer", 28), ("report", 36), ("seconds", 9),
)  # fmt: skip
_FINDINGS = (
    ("path", 40), ("sha256", 18), ("gap", 30), ("severity", 9), ("kind", 9), ("clause", 10), ("page", 6),
    ("quote", 90), ("note", 40), ("detector", 14), ("report", 36),
)  # fmt: skip
CONTRACT_COLUMNS = [name for name, _ in _CONTRACTS]
FINDING_COLUMNS = [name for name, _ in _FINDINGS]

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


class _Cells:
    """Turns plain values into what a write-only row accepts, neutralising strings a spreadsheet would run."""

    def __init__(self, ws):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        self._ws = ws
        self._cell = WriteOnlyCell
        self._bold = Font(bold=True)
        self._fill = PatternFill("solid", fgColor="F2F2F2")

    def value(self, value: object):
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            return round(value, 3) if isinstance(value, float) else value
        if isinstance(value, (list, tuple)):
            value = "; ".join(str(v) for v in value)
        text = _text(value)
        if not text:
            return None
        if not is_formula_like(text):
            return text  # openpyxl stores it as a plain string
        cell = self._cell(self._ws, value=text)
        cell.data_type = "s"  # openpyxl made "=..." a formula and "#N/A" an error; force text
        cell.quotePrefix = True
        return cell

    def header(self, names) -> list:
        cells = []
        for name in names:
            cell = self._cell(self._ws, value=name)
            cell.font = self._bold
            cell.fill = self._fill
            cells.append(cell)
        return cells


def _data_sheet(wb, title: str, columns, rows: list[dict]) -> None:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    for i, (name, width) in enumerate(columns, 1):  # widths and views must be set before the first row
        ws.column_dimensions[get_column_letter(i)].width = max(width, len(name) + 3)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    ws.oddFooter.center.text = DISCLAIMER
    cells = _Cells(ws)
    names = [name for name, _ in columns]
    ws.append(cells.header(names))
    for row in rows:
        ws.append([cells.value(row.get(name)) for name in names])


def _about_sheet(wb, findings: list[dict], run: dict) -> None:
    ws = wb.create_sheet("About")
    for letter, width in (("A", 30), ("B", 100), ("C", 12)):
        ws.column_dimensions[letter].width = width
    ws.oddFooter.center.text = DISCLAIMER
    cells = _Cells(ws)
    facts = [
        ("Not legal advice", DISCLAIMER),
        ("castguard version", run.get("tool_version")),
        ("Model", run.get("model")),
        ("Generated", run.get("generated")),
        ("Files", run.get("files")),
        ("Distinct contracts", run.get("contracts")),
        ("Done", run.get("done")),
        ("Failed", run.get("failed")),
        ("Duplicates", run.get("duplicates")),
        ("Refused", run.get("refused")),
        ("Not read (skipped)", run.get("skipped")),
        ("Findings", len(findings)),
    ]
    ws.append(cells.header(["castguard batch run", "Value"]))
    for label, value in facts:
        ws.append([label, cells.value(value)])
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


def write_xlsx(path, contracts: list[dict], findings: list[dict], run: dict) -> None:
    """Write the workbook to ``path`` (str or PathLike; the caller makes the write atomic)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    when = _stamp(run.get("generated"))
    wb = Workbook(write_only=True)
    props = wb.properties
    props.created = props.modified = when
    props.creator = props.lastModifiedBy = f"castguard {_text(run.get('tool_version') or '')}".strip()
    props.title = "castguard batch run"
    props.description = DISCLAIMER

    _data_sheet(wb, "Contracts", _CONTRACTS, contracts)
    _data_sheet(wb, "Findings", _FINDINGS, findings)
    _about_sheet(wb, findings, run)

    # ExcelWriter rather than wb.save(): save() stamps the workbook with the clock and zip members with the
    # current time, which would make every run's bytes differ.
    with _StampedZip(os.fspath(path), when) as archive:
        ExcelWriter(wb, archive).save()
