"""Plain text and Markdown -> Document fields.

Decoding order: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8; otherwise
Windows-1252 and then Latin-1, each with a warning, because a wrong guess changes quotes
and dashes but never loses the clause structure. Binary data is refused.
"""

from __future__ import annotations

import codecs
import re

from ..errors import UnsupportedFormat
from ._assemble import Piece, assemble

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_MD_UNDERLINE = re.compile(r"^\s{0,3}(=+|-{3,})\s*$")


def decode_text(data: bytes, source: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data[:8192]:
            raise UnsupportedFormat(
                "unsupported format: binary data, not text (it contains NUL bytes); "
                "if it is a document, save it as PDF, DOCX or plain text",
                path=source,
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                warnings.append(f"{source}: not valid UTF-8; read as Windows-1252 (check quotes and accents)")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                warnings.append(f"{source}: not valid UTF-8 or Windows-1252; read as Latin-1 (check accents)")
    text = text.lstrip("\ufeff")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:20000]) // 100):
        raise UnsupportedFormat(
            "unsupported format: binary data, not text (too many control characters); "
            "if it is a document, save it as PDF, DOCX or plain text",
            path=source,
        )
    return text, warnings


_BROKEN_END = re.compile(r"(?<![A-Za-z-])([a-z]+|[A-Z][a-z]*)-$")  # "... to tr-": a word fragment, then a hyphen
_BROKEN_START = re.compile(r"([a-z][a-z'’]+|[a-z](?![.)]))(?![A-Za-z0-9])")  # "ain models": the word's rest
_KEEP_HYPHEN = ("non", "self")  # "non-\nexclusive" stays "non-exclusive"


def join_line_break_hyphens(lines: list[str]) -> list[str]:
    """Rejoin words hyphenated across a line break: "to tr-" + "ain models" -> "to train" + "models".

    Only a word fragment ending the line with a hyphen, followed by a lower-case word starting the next one.
    The hyphen goes unless the hyphenated form is written elsewhere in the text ("well-known") or the
    fragment is "non" or "self"; the rest of the next line stays on its line, so the line structure holds.
    """
    if not any(ln.endswith("-") for ln in lines):
        return lines
    whole = "\n".join(lines).lower()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while i + 1 < len(lines):
            m = _BROKEN_END.search(line.rstrip())
            n = _BROKEN_START.match(lines[i + 1])
            if not m or not n:
                break
            left, right = m.group(1), n.group(1)
            hyphenated = f"{left}-{right}".lower()
            keep = left.lower() in _KEEP_HYPHEN or whole.count(hyphenated) > 0
            token, _, rest = lines[i + 1].partition(" ")  # the word with its punctuation ("pany.")
            line = line.rstrip()[: -1 if not keep else None] + token
            rest = rest.lstrip()
            if rest:
                lines[i + 1] = rest
                break
            i += 1  # the next line was only the rest of the word
        out.append(line)
        i += 1
    return out


def read_text(data: bytes, source: str) -> dict:
    text, warnings = decode_text(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\u2028", "\n")
    text = text.replace("\u00a0", " ")
    lines = join_line_break_hyphens(text.split("\n"))
    pieces: list[Piece] = []
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        heading = bool(_MD_HEADING.match(stripped))
        if i + 1 < len(lines) and stripped.strip() and _MD_UNDERLINE.match(lines[i + 1]):
            heading = True
        pieces.append(Piece(text=stripped, heading_hint=heading))
    fields = assemble(pieces)
    fields["warnings"] = warnings
    return fields
