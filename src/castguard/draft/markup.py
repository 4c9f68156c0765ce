"""The small Markdown subset the addendum templates write, parsed into blocks every writer shares.

Templates write Markdown (see ``templates/README.md``); this module turns it into a list of blocks —
headings, paragraphs, bullets, quotes, tables — each holding inline runs (text, bold, italic). The Markdown
writer emits the template output as is; the HTML and Word writers walk the blocks. Deal values reach the
Markdown already escaped by :func:`md_escape`, and the parser undoes exactly those escapes, so a value such
as ``**x**`` or ``<w:t>`` is text in every format and never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Block", "Run", "md_escape", "parse_markdown", "plain_text"]

# CommonMark lets any ASCII punctuation be backslash-escaped; the parser below undoes exactly those escapes
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|([A-Za-z][A-Za-z0-9]{1,31}));")
_BREAK = re.compile(r"(?:([-*_=])\s*)(?:\1\s*){2,}|=+\s*|-+\s*")  # a rule, or a setext underline


def _is_entity(value: str, i: int) -> bool:
    """A character reference CommonMark would decode at ``value[i]`` ("&amp;", "&#42;"; not "&sbsp;")."""
    from html.entities import html5

    m = _ENTITY.match(value, i)
    return bool(m) and (m.group(1) is None or m.group(1) + ";" in html5)


def _punct(ch: str | None) -> bool:
    import unicodedata

    return ch is None or ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS"


def _space(ch: str | None) -> bool:
    return ch is not None and ch.isspace()


def _flanking(before: str | None, after: str | None) -> tuple[bool, bool]:
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
        left, right = _flanking(before, after)
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
    value = " ".join(str(value).split())  # a value never opens a new block
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
            or (ch == "\\" and (after is None or after in _ASCII_PUNCT))
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


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    kind: str  # title | heading | subheading | paragraph | bullet | quote | table | rule
    runs: tuple[Run, ...] = ()
    rows: tuple[tuple[tuple[Run, ...], ...], ...] = ()  # table cells


def _inline(text: str) -> tuple[Run, ...]:
    """Runs of one line: **bold**, *italic*, backslash escapes; anything else is text (a ``*`` run that
    CommonMark would not read as emphasis, such as "5 * 3", included)."""
    runs: list[Run] = []
    buf: list[str] = []
    bold = italic = False

    def flush():
        if buf:
            runs.append(Run("".join(buf), bold, italic))
            buf.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and _ESCAPED.match(text, i):
            buf.append(text[i + 1])
            i += 2
            continue
        if ch == "*":
            j = i
            while j < len(text) and text[j] == "*":
                j += 1
            if not any(_flanking(text[i - 1] if i else " ", text[j] if j < len(text) else " ")):
                buf.append(text[i:j])  # "5 * 3": a run neither left- nor right-flanking is text, as in CommonMark
                i = j
                continue
            flush()
            if text.startswith("**", i):
                bold = not bold
                i += 2
            else:
                italic = not italic
                i += 1
            continue
        buf.append(ch)
        i += 1
    flush()
    # merge neighbours with the same style (an escape splits nothing visible)
    merged: list[Run] = []
    for r in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic)
        elif r.text:
            merged.append(r)
    return tuple(merged)


def _cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


def parse_markdown(text: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []

    def flush_para():
        if para:
            blocks.append(Block("paragraph", _inline(" ".join(s.strip() for s in para))))
            para.clear()

    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            flush_para()
        elif stripped.startswith("|") and i + 1 < len(lines) and re.match(r"^\s*\|?\s*:?-{3,}", lines[i + 1]):
            flush_para()
            rows = [tuple(_inline(c) for c in _cells(stripped))]
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(tuple(_inline(c) for c in _cells(lines[i])))
                i += 1
            blocks.append(Block("table", rows=tuple(rows)))
            continue
        elif m := re.match(r"^(#{1,3})\s+(.*)$", stripped):
            flush_para()
            kind = {1: "title", 2: "heading", 3: "subheading"}[len(m.group(1))]
            blocks.append(Block(kind, _inline(m.group(2).strip())))
        elif stripped.startswith("> ") or stripped == ">":
            flush_para()
            quote = [stripped[1:].strip()]
            while i + 1 < len(lines) and lines[i + 1].strip().startswith(">"):
                i += 1
                quote.append(lines[i].strip()[1:].strip())
            blocks.append(Block("quote", _inline(" ".join(q for q in quote if q))))
        elif re.match(r"^[-*]\s+", stripped) and not stripped.startswith("**"):
            flush_para()
            blocks.append(Block("bullet", _inline(re.sub(r"^[-*]\s+", "", stripped))))
        elif re.fullmatch(r"-{3,}|\*{3,}", stripped):
            flush_para()
            blocks.append(Block("rule"))
        else:
            para.append(stripped)
        i += 1
    flush_para()
    return blocks


def plain_text(runs: tuple[Run, ...]) -> str:
    return "".join(r.text for r in runs)
