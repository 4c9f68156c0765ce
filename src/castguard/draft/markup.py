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

from ..escape.markdown import ESCAPED as _ESCAPED
from ..escape.markdown import flanking as _flanking
from ..escape.markdown import md_escape

__all__ = ["Block", "Run", "md_escape", "parse_markdown", "plain_text"]

_SPECIAL = re.compile(r"[\\*]")



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
        # plain text up to the next backslash or asterisk, appended at once (as one character at a time would)
        nxt = _SPECIAL.search(text, i + 1)
        end = nxt.start() if nxt else len(text)
        buf.append(text[i:end])
        i = end
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
