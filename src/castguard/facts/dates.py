"""Dates as contracts write them: "March 14, 2012", "the 11th day of March, 1999", "25 September 2018",
"12-23-2019". A date with a blank in it ("February ____, 2017", "[___], 2020") is no date."""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["DATE", "parse_date"]

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"  # fmt: skip
_ORD = r"(?:\d{1,2}\s?(?:st|nd|rd|th|t\s?h)?)"
_WORD_ORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first|twenty-second|"
    r"twenty-third|twenty-fourth|twenty-fifth|twenty-sixth|twenty-seventh|twenty-eighth|twenty-ninth|thirtieth|"
    r"thirty-first)"
)
_WORD_DAYS = {w: i for i, w in enumerate(_WORD_ORD[3:-1].split("|"), 1)}
_DAY = rf"(?:{_ORD}|{_WORD_ORD}(?:\s*\(\s*{_ORD}\s*\))?)"
_YEAR = r"(?:19|20)\d\d"
DATE = (
    rf"(?:{_MONTH}\.?\s+{_ORD},?\s*,?\s*{_YEAR}"  # March 14, 2012 / Feb 10, 2014 / July 11 , 2006
    rf"|(?:the\s+)?{_DAY}\s+(?:day\s+)?(?:of\s+)?{_MONTH}[.,]?\s*,?\s*(?:in\s+the\s+year\s+)?{_YEAR}"  # 11th day of March, 1999
    r"|\d{4}-\d{2}-\d{2}"  # 2024-06-17
    r"|\d{1,2}[-/]\d{1,2}[-/](?:\d{4}|\d{2})(?![\d/-]))"  # 12-23-2019, 3/14/18
)


def parse_date(text: str) -> _dt.date | None:
    """The calendar date a matched date expression means; None when it is not one (or ambiguous)."""
    t = " ".join(text.replace(",", " ").replace(".", " ").split()).lower()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[-/](\d{1,2})[-/](\d{2}|\d{4})", t)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y + (2000 if y < 50 else 1900) if y < 100 else y
        if a > 12 and b <= 12:  # 29/3/18: day first
            return _safe(y, b, a)
        return _safe(y, a, b)  # US order
    year = re.search(r"(19|20)\d\d", t)
    month = re.search(r"\b(" + "|".join(MONTHS) + r")\b", t)
    if not year or not month:
        return None
    rest = t.replace(year.group(0), " ").replace(month.group(0), " ")
    day = re.search(r"\b(\d{1,2})\s?(?:st|nd|rd|th|t h)?\b", rest)
    if day:
        d = int(day.group(1))
    else:
        word = next((w for w in sorted(_WORD_DAYS, key=len, reverse=True) if w in rest), None)
        if word is None:
            return None
        d = _WORD_DAYS[word]
    return _safe(int(year.group(0)), MONTHS[month.group(1)], d)


def _safe(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None
