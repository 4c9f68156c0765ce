"""Small text helpers shared by the fact readers: sentence bounds, whitespace, case."""

from __future__ import annotations

import re

__all__ = ["clean", "sentence_around", "title_case"]

_ABBREV = re.compile(
    r"(?:\b(?:Inc|Co|Corp|Ltd|Jr|Sr|No|Nos|St|Mr|Mrs|Ms|Dr|Esq|Ave|Blvd|Ste|Bros|Intl|Assn|Dept|Mfg|vs|v|etc|"
    r"approx|Mt|Ft|Calif|Penn|Mass|Wash|Fla|Ill|Del|Tenn|Tex|Ariz|Colo|Conn|Ga|Md|Mich|Minn|Nev|Okla|Ore|Pa|Va|"
    r"Wis|Ky|La|Mo|Neb|Kan|Vt|Ala|Ark|Ind)|\b[A-Z]|\b(?:[A-Za-z]\.){1,3}[A-Za-z])$"
)
_BOUNDARY = re.compile(
    r"[.!?]['\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])|\n[ \t]*\n|\n(?=[ \t]*(?:\(?\d+\.|\(?[a-z]\)|[A-Z][A-Z ]{3,}\n))"
)


def sentence_around(text: str, start: int, end: int, lo: int = 0, hi: int | None = None, cap: int = 600):
    """(s, e): the sentence of ``text`` holding ``text[start:end]``, inside ``[lo, hi)`` and at most about
    ``cap`` characters (cut around the match when longer). Abbreviations ("Inc.", "U.S.A.") do not end it."""
    hi = len(text) if hi is None else hi
    s = lo
    window_lo = max(lo, start - cap)
    for m in _BOUNDARY.finditer(text, window_lo, start):
        before = text[max(lo, m.start() - 12) : m.start()]
        if m.group(0)[0] == "." and _ABBREV.search(before):
            continue
        s = m.end()
    if s < window_lo:
        s = window_lo
    e = hi
    for m in _BOUNDARY.finditer(text, end, min(hi, end + cap)):
        before = text[max(lo, m.start() - 12) : m.start()]
        if m.group(0)[0] == "." and _ABBREV.search(before):
            continue
        e = m.start() + 1 if m.group(0)[0] in ".!?" else m.start()
        break
    else:
        e = min(hi, end + cap)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def clean(text: str) -> str:
    """One line, single spaces, no surrounding punctuation a name never ends in."""
    return " ".join(text.split()).strip(" ,;:")


_KEEP_UPPER = {
    "LLC", "LLP", "LP", "L.P.", "PLC", "II", "III", "IV", "USA", "U.S.A.", "UK", "U.S.", "NA", "N.A.", "AG", "SA",
    "S.A.", "NV", "N.V.", "BV", "B.V.", "GMBH", "RV", "TV", "PRC", "NFL", "NBA", "MLB", "NHL", "NASCAR", "LMSC",
    "IBM", "HDS", "CEO", "EU", "DC", "D.C.", "N.D.", "M.D.", "PH.D.", "JR.", "SR.", "L.L.C.", "S.P.A.",
}  # fmt: skip
_SHORT_WORDS = {
    "two", "one", "six", "ten", "new", "bay", "sun", "air", "sea", "big", "top", "red", "oak", "key", "art", "pet",
    "car", "web", "net", "com", "box", "hub", "inc", "co", "ltd", "the", "and", "for", "of", "to", "in", "on", "at",
    "by", "de", "du", "la", "le", "van", "von", "corp", "usa", "its", "our", "all", "way", "day", "pro", "go", "my",
    "gas", "oil", "tv", "llc", "plc", "ag", "sa", "lp", "llp", "joe", "bob", "jim", "tom", "ann", "amy",
}  # fmt: skip
_SMALL = {"and", "of", "the", "for", "to", "in", "on", "a", "an", "with", "at", "by", "de", "du", "van", "von"}


def title_case(text: str) -> str:
    """ "GENO AURIEMMA" -> "Geno Auriemma", "MOSSIMO, INC." -> "Mossimo, Inc."; mixed case is left as it is."""
    letters = [c for c in text if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return text
    out = []
    company = bool(re.search(r"\b(?:INC|LLC|LTD|LIMITED|CORP|CORPORATION|CO|COMPANY|PLC|GMBH|AG|SA|LP|LLP)\b", text))
    for i, word in enumerate(text.split(" ")):
        bare = word.strip(',;:()"“”')
        upper = bare.upper()
        if company and 2 <= len(bare) <= 3 and bare.isalpha() and bare.lower() not in _SHORT_WORDS:
            out.append(word)  # "WPP 2005 LIMITED", "UBS AG": a company's acronym stays as it is
        elif upper in _KEEP_UPPER and upper not in {"JR.", "SR.", "PH.D.", "GMBH"} or any(c.isdigit() for c in bare):
            out.append(word)
        elif upper in {"JR.", "SR.", "PH.D.", "GMBH"}:
            out.append(word.replace(bare, {"JR.": "Jr.", "SR.": "Sr.", "PH.D.": "Ph.D.", "GMBH": "GmbH"}[upper]))
        elif re.fullmatch(r"(?:[A-Z]\.){2,}", bare):  # "U.S.", "N.A."
            out.append(word)
        elif i and bare.lower() in _SMALL:
            out.append(word.lower())
        else:
            lowered = word.lower()
            # after a hyphen only in a name of three letters or more ("Achebe-Morrow"), not "Voice-over"
            lowered = re.sub(r"(^|[/(\"“.&])([a-z])", lambda m: m.group(1) + m.group(2).upper(), lowered)
            lowered = re.sub(
                r"-([a-z])(?=[a-z]{2,})(?!ver\b|ut\b|n\b|p\b|ff\b|ased\b|ime\b|ay\b|ide\b|ffice\b)",
                lambda m: "-" + m.group(1).upper(),
                lowered,
            )
            lowered = re.sub(r"\b([Oo]'|[Mm]c)([a-z])", lambda m: m.group(1).capitalize() + m.group(2).upper(), lowered)
            out.append(lowered)
    return " ".join(out)
