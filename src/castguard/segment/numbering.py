"""Clause markers: recognising "ARTICLE IV", "Section 5.2", "5.2.1", "(a)", "(iv)", "1)", "A." ...

A marker is only a candidate; whether it starts a clause depends on where it
stands (line start, or after a sentence end and a wide gap in flattened text),
on what follows it (a cross-reference such as "Section 3.1 of this Agreement"
does not start a clause), and on the sequence it continues: "(i)" after "(h)"
is the letter i, "(i)" anywhere else opens a roman list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..numerals import int_to_roman, roman_to_int

__all__ = ["Marker", "MarkerSequencer", "int_to_roman", "match_marker", "roman_to_int"]

@dataclass(frozen=True)
class Marker:
    """A recognised clause number at some position."""

    kind: str  # article | decimal | paren | rparen | dot
    token: str  # the raw label without decoration, e.g. "iv", "5.2", "B"
    printed: str  # as it stands in the text, e.g. "(iv)", "Section 5.2", "ARTICLE IV"
    length: int  # characters the marker occupies (to where the clause body starts)
    depth: int = 1  # decimal depth: 5 -> 1, 5.2 -> 2


_ARTICLE = re.compile(r"(?:ARTICLE|Article)\s+([IVXLC]{1,6}|\d{1,2})\b[.:]?")
_SECTION = re.compile(r"(?:SECTION|Section|§)\s*(\d{1,2}(?:\.\d{1,2}){0,3})\b\.?")
_DECIMAL = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,3})(\.?)(?=[ \t]+\S)")
_PAREN = re.compile(r"\(([a-z]{1,4}|[A-Z]{1,4}|\d{1,2})\)\.?(?=\s+\S)")
_RPAREN = re.compile(r"([a-z]|[ivx]{1,4}|\d{1,2})\)(?=\s+\S)")
_DOT_ALPHA = re.compile(r"([A-Za-z])\.(?=[ \t]+[A-Z\"“(])")
_DOT_ROMAN = re.compile(r"([IVX]{1,5}|[ivx]{1,5})\.(?=[ \t]+[A-Z\"“(])")

# what may follow a number that is a cross-reference, not a clause start
_XREF_FOLLOW = re.compile(
    r"\s*(?:of\b|hereof\b|herein\b|above\b|below\b|hereto\b|thereof\b|and\b|or\b|through\b|to\b|in\b|shall\b|is\b|"
    r"are\b|was\b|will\b|,|;|\)|%|percent\b|days?\b|months?\b|years?\b|hours?\b|weeks?\b|dollars?\b|million\b|"
    r"thousand\b|inches\b|feet\b|am\b|pm\b|a\.m\.|p\.m\.)",
)  # case-sensitive: a cross-reference runs on in lower case ("Section 3.1 of"), a clause starts "3.1 In addition"


def match_marker(text: str, pos: int, *, line_start: bool) -> Marker | None:
    """Return the marker that starts at ``text[pos]``, if any."""
    m = _ARTICLE.match(text, pos)
    if m:
        if _XREF_FOLLOW.match(text, m.end()) and text[m.end() : m.end() + 1] not in "\n":
            return None
        return Marker("article", m.group(1), m.group(0).rstrip(".:"), m.end() - pos)
    if line_start:
        m = _SECTION.match(text, pos)
        if m:
            if _XREF_FOLLOW.match(text, m.end()):
                return None
            num = m.group(1)
            return Marker("decimal", num, m.group(0).rstrip("."), m.end() - pos, depth=num.count(".") + 1)
    m = _DECIMAL.match(text, pos)
    if m:
        num, dot = m.group(1), m.group(2)
        after = text[m.end() : m.end() + 40].lstrip(" \t")
        depth = num.count(".") + 1
        if depth == 1 and not dot:
            return None  # "5 Company" is not a clause number; "5." is
        if _XREF_FOLLOW.match(text, m.end()):
            return None
        # the body must start like a sentence or heading, not like an amount or a date
        if not after or not (after[0].isupper() or after[0] in "\"“(‘'*_" or after[:1].isdigit() and depth > 1):
            return None
        return Marker("decimal", num, num + dot, m.end() - pos, depth=depth)
    m = _PAREN.match(text, pos)
    if m:
        if _XREF_FOLLOW.match(text, m.end()) and not line_start:
            return None
        return Marker("paren", m.group(1), m.group(0).rstrip("."), m.end() - pos)
    if line_start:
        m = _RPAREN.match(text, pos)
        if m:
            return Marker("rparen", m.group(1), m.group(0), m.end() - pos)
        m = _DOT_ROMAN.match(text, pos) or _DOT_ALPHA.match(text, pos)
        if m:
            # "i." is resolved against the letter and roman lists like "(i)"
            return Marker("dot", m.group(1), m.group(0), m.end() - pos)
    return None


class MarkerSequencer:
    """Decides which candidate markers continue a list, and their scheme.

    Keeps the last value seen for each scheme. A scheme key is the marker kind
    plus its alphabet (letter / roman / digit and case), so "(a)" and "(A)" are
    different lists and "(i)" is resolved against both the letter and the roman list.
    """

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.last_decimal: list[int] = []  # components of the last accepted decimal number

    @staticmethod
    def _alpha_value(tok: str) -> int | None:
        if len(tok) == 1 and tok.isalpha():
            return ord(tok.lower()) - ord("a") + 1
        if len(tok) > 1 and len(set(tok)) == 1 and tok.isalpha():  # aa, bb: Word's letters after z
            return 26 * (len(tok) - 1) + ord(tok[0].lower()) - ord("a") + 1
        return None

    def resolve(self, marker: Marker, *, strict: bool) -> tuple[str, int] | None:
        """Return (scheme key, value) if ``marker`` plausibly continues or starts a list, else None.

        ``strict`` (inline markers in flattened text) accepts only a start at 1 or an exact continuation.
        """
        kind, tok = marker.kind, marker.token
        if kind == "decimal":
            return self._resolve_decimal(tok, strict)
        if kind == "article":
            value = int(tok) if tok.isdigit() else roman_to_int(tok)
            return ("article", value) if value else None
        if tok.isdigit():
            return self._check(f"{kind}:digit", int(tok), strict)
        case = "upper" if tok.isupper() else "lower"
        roman = roman_to_int(tok)
        alpha = self._alpha_value(tok)
        rkey, akey = f"{kind}:roman:{case}", f"{kind}:alpha:{case}"
        # an exact continuation wins; a roman list in progress beats a fresh letter list
        if roman is not None and self.last.get(rkey) == roman - 1:
            return rkey, roman
        if alpha is not None and self.last.get(akey) == alpha - 1:
            return akey, alpha
        if roman == 1 and self.last.get(akey) != 8:  # "(i)" not after "(h)"
            return rkey, 1
        if alpha == 1:
            return akey, 1
        if strict:
            return None
        if roman is not None and rkey in self.last and 0 < roman - self.last[rkey] <= 2:
            return rkey, roman
        if alpha is not None and akey in self.last and 0 < alpha - self.last[akey] <= 2:
            return akey, alpha
        return None

    def _check(self, key: str, value: int, strict: bool) -> tuple[str, int] | None:
        prev = self.last.get(key)
        if value == 1 or prev == value - 1:
            return key, value
        if not strict and prev is not None and 0 < value - prev <= 2:
            return key, value
        return None

    def _resolve_decimal(self, tok: str, strict: bool) -> tuple[str, int] | None:
        parts = [int(p) for p in tok.split(".")]
        key = f"decimal:{len(parts)}"
        prev = self.last_decimal
        if len(parts) == 1:
            top = prev[0] if prev else 0
            if parts[0] == 1 or parts[0] == top + 1 or (not strict and (0 < parts[0] - top <= 2 or not prev)):
                return key, parts[0]
            return None
        parent = parts[:-1]
        last = parts[-1]
        if prev[: len(parent)] == parent:
            sibling = prev[len(parent)] if len(prev) > len(parent) else 0
            if last == sibling + 1 or last == 1 or (not strict and 0 < last - sibling <= 2):
                return key, last
            return None
        # a new parent: "6.1" right after 5.x
        if prev and len(parent) >= 1 and parent[0] in (prev[0], prev[0] + 1) and last in (0, 1):
            return key, last
        if not prev and last == 1 or not prev and not strict and last == 0:
            return key, last
        return None

    def accept(self, marker: Marker, key: str, value: int) -> None:
        self.last[key] = value
        if marker.kind == "decimal":
            self.last_decimal = [int(p) for p in marker.token.split(".")]
            # a new higher-level number restarts the lower lists
            for k in list(self.last):
                if not k.startswith("decimal") and not k.startswith("article"):
                    del self.last[k]
        elif marker.kind == "article":
            self.last_decimal = []
            for k in list(self.last):
                if k != "article":
                    del self.last[k]
