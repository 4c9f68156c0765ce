"""Markdown: contract-derived text as literal CommonMark text (report, addendum, deal values).

Only what could be markup where the text stands is escaped, so ordinary contract language reads as written.
The addendum's parser (:mod:`castguard.draft.markup`) undoes exactly these escapes.
"""

from __future__ import annotations

import re

from .terminal import visible

__all__ = ["ASCII_PUNCT", "ESCAPED", "flanking", "md_escape"]

# CommonMark lets any ASCII punctuation be backslash-escaped; the parser below undoes exactly those escapes
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|([A-Za-z][A-Za-z0-9]{1,31}));")
_BREAK = re.compile(r"(?:([-*_=])\s*)(?:\1\s*){2,}|=+\s*|-+\s*")  # a rule, or a setext underline


def _is_entity(value: str, i: int) -> bool:
    """A character reference CommonMark would decode at ``value[i]`` ("&amp;", "&#42;"; not "&sbsp;")."""
    from html.entities import html5

    m = _ENTITY.match(value, i)
    return m is not None and (m.group(1) is None or m.group(1) + ";" in html5)


def _punct(ch: str | None) -> bool:
    import unicodedata

    return ch is None or ch in ASCII_PUNCT or unicodedata.category(ch)[0] in "PS"


def _space(ch: str | None) -> bool:
    return ch is not None and ch.isspace()


def flanking(before: str | None, after: str | None) -> tuple[bool, bool]:
    """CommonMark's left- and right-flanking test for a delimiter run between ``before`` and ``after``.
    ``None`` is text outside the value, which can be anything: it counts as punctuation, the choice
    that makes a run flanking in the most cases (so an escape is never missing)."""
    left = not _space(after) and (not _punct(after) or _space(before) or _punct(before))
    right = not _space(before) and (not _punct(before) or _space(after) or _punct(after))
    return left, right


def _delimiter_runs(value: str, isolated: bool) -> dict[int, tuple[int, bool]]:
    """Each run of ``*``, ``_`` or ``~`` in ``value``: start -> (end, whether it must be escaped).

    A run is escaped when CommonMark could read it as an emphasis (or GFM strikethrough) delimiter. With
    ``isolated`` the text around the value has no such delimiters, so a run matters only if the value
    itself holds a partner for it (an opener before a closer of the same character)."""
    runs = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch not in "*_~":
            i += 1
            continue
        j = i
        while j < n and value[j] == ch:
            j += 1
        before = value[i - 1] if i else None
        after = value[j] if j < n else None
        left, right = flanking(before, after)
        if ch == "_":  # an underscore inside a word is never emphasis
            opens, closes = left and (not right or _punct(before)), right and (not left or _punct(after))
        else:
            opens, closes = left, right
        runs.append((i, j, ch, opens, closes))
        i = j
    result = {}
    for k, (i, j, ch, opens, closes) in enumerate(runs):
        if isolated:
            escape = (opens and any(c == ch and cl for _, _, c, _, cl in runs[k + 1 :])) or (
                closes and any(c == ch and op for _, _, c, op, _ in runs[:k])
            )
        else:
            escape = opens or closes
        result[i] = (j, escape)
    return result


def md_escape(value: str, *, table: bool = True, line_start: bool = True, isolated: bool = False) -> str:
    """A deal value or contract quote as literal Markdown text on one line.

    Only what could be markup where it stands is escaped, so ordinary text reads as written ("Section 5.4",
    "first_name", "[Name]", "AT&T", "x < 5"): raw HTML and autolinks (``<`` before a letter, ``/``, ``!``
    or ``?``), character references (``&amp;``), code spans (`````), link and image syntax (``](``), runs
    of ``*``, ``_`` and ``~`` that CommonMark could read as emphasis or strikethrough, a backslash that
    would escape what follows, and a closing ``#`` run. ``table``: the value may sit in a table cell
    (``|`` escaped). ``line_start``: the value may begin a line (a heading, quote, list item, rule or link
    definition at its start is escaped). ``isolated``: the text around the value on its line has no
    ``*``, ``_`` or ``~`` (a run is then escaped only when the value holds a partner for it, so a lone
    "Name: ______" or "[***]" stays as written).
    """
    value = " ".join(visible(value).split())  # a value never opens a new block
    runs = _delimiter_runs(value, isolated)
    out: list[str] = []
    n = len(value)
    i = 0
    while i < n:
        ch = value[i]
        before = value[i - 1] if i else None
        if i in runs:
            j, escape = runs[i]
            out.append("".join("\\" + c for c in value[i:j]) if escape else value[i:j])
            i = j
            continue
        after = value[i + 1] if i + 1 < n else None
        if (
            ch == "`"
            or (ch == "\\" and (after is None or after in ASCII_PUNCT))
            or (ch == "<" and (after is None or after.isascii() and (after.isalpha() or after in "/!?")))
            or (ch == "]" and after is not None and after in "([")  # "[text](url)"; "[Name]" stays
            or (ch == "&" and _is_entity(value, i))
            or (ch == "|" and table)
            or (ch == "#" and (before is None or before.isspace()) and not value[i:].strip("#"))  # closes a heading
        ):
            out.append("\\" + ch)
        else:
            out.append(ch)
        i += 1
    text = "".join(out)
    if line_start and text and text[0] != "\\":
        if (
            _BREAK.fullmatch(value)
            or re.match(r"(?:#{1,6}|[-+*])(?:\s|$)|~{3,}", value)  # a heading, a list item, a code fence
            or value[0] in ">|"
            or re.match(r"\[[^\]]*\]:", value)  # a link reference definition
        ):
            text = "\\" + text
        elif m := re.match(r"(\d{1,9})[.)](?=\s|$)", value):  # "12. The Company" (not "5.4 Waiver" or "0.1.0")
            text = m.group(1) + "\\" + text[len(m.group(1)) :]
    return text
