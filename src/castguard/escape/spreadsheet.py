"""Spreadsheets (CSV and xlsx): a cell a spreadsheet would run as a formula is written as text.

Excel, LibreOffice and Google Sheets evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and treat a
leading tab, carriage return or line feed as whitespace before one), so a quote such as ``=HYPERLINK(...)`` from a
contract would become a live formula. Such a cell gets a leading apostrophe in CSV (the convention every
spreadsheet shows as text) and is stored as a quoted string in xlsx.
"""

from __future__ import annotations

import re

__all__ = ["ERROR_VALUES", "FORMULA_START", "csv_cell", "is_formula_like"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula or an error value."""
    return text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START) or text in ERROR_VALUES


def csv_cell(value: object) -> str:
    """A value as a CSV cell every spreadsheet shows as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = _XML_ILLEGAL.sub("\ufffd", str(value))
    return "'" + text if text and is_formula_like(text) else text


def xml_safe(text: str) -> str:
    """``text`` with the characters an XML cell cannot hold replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)
