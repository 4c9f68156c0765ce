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


def _wide_encoding(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a byte-order mark, told by where the zero bytes fall: text in these encodings
    that is mostly Latin script has a zero in (nearly) every high byte. None if the pattern is not there."""
    sample = data[:8192]
    n = len(sample)
    if n < 8 or b"\x00" not in sample:  # no zero byte: no share of them to count
        return None

    def zero_share(offsets: tuple[int, ...], step: int) -> float:
        positions = [i for i in range(0, n - n % step, step)]
        if not positions:
            return 0.0
        hits = sum(1 for i in positions if all(sample[i + k] == 0 for k in offsets))
        return hits / len(positions)

    if n % 4 == 0 or n >= 64:
        if zero_share((1, 2, 3), 4) > 0.9:
            return "utf-32-le"
        if zero_share((0, 1, 2), 4) > 0.9:
            return "utf-32-be"
    if zero_share((1,), 2) > 0.6 and zero_share((0,), 2) < 0.05:
        return "utf-16-le"
    if zero_share((0,), 2) > 0.6 and zero_share((1,), 2) < 0.05:
        return "utf-16-be"
    return None


_ICONV = {"utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}


def decode_text(data: bytes, source: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    wide = None
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        text = data.decode("utf-32", errors="replace")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = data.decode("utf-16", errors="replace")
    elif (wide := _wide_encoding(data)) is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            raise UnsupportedFormat(
                f"looks like {_ICONV[wide]} text without a byte-order mark, but it does not decode as that; "
                f"convert it to UTF-8 (iconv -f {_ICONV[wide]} -t UTF-8 FILE > FILE-utf8.txt) and give the result",
                path=source,
            ) from None
        warnings.append(f"{source}: no byte-order mark; read as {_ICONV[wide]} (from the pattern of its bytes)")
    else:
        if data[:8192].count(b"\x00") > 8:
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
