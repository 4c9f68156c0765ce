"""Builds Document text and blocks from paragraph-like pieces (shared by every reader)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Block


@dataclass
class Piece:
    text: str
    page: int | None = None
    paragraph_index: int | None = None
    label: str | None = None
    heading_hint: bool = False
    in_table: bool = False
    location: str = "body"  # see castguard.model.LOCATIONS
    part: str | None = None  # which header, footer, note, comment or text box, when not the body
    hidden: tuple[tuple[int, int, str], ...] = ()  # (start, end, reason) in ``text``: what the source does not show


# look-alike characters that PDF and Word exports produce, mapped to what a reader sees
_LOOKALIKES = str.maketrans(
    {
        "\u037e": ";",  # Greek question mark, rendered as a semicolon
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)


# characters XML 1.0 cannot hold (C0 controls but tab and line feed, U+FFFE, U+FFFF), C1 controls and DEL:
# each becomes one space, so no contract can stop a Word writer and every offset after it stays where it was
_UNSAFE: dict[int, str | None] = {
    c: " " for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]
}
# lone surrogates (a PDF's broken text layer, a file name decoded with surrogateescape)
_UNSAFE.update({c: "\ufffd" for c in range(0xD800, 0xE000)})
_LOOKALIKES.update(str.maketrans(_UNSAFE))


def normalise(text: str) -> str:
    """What a reader sees: look-alike characters mapped, invisible ones removed, and characters that are not
    text (controls, lone surrogates) replaced one for one."""
    return text.translate(_LOOKALIKES)


def assemble(pieces: list[Piece], *, paged: bool = False) -> dict:
    """Join pieces with newlines; return text, blocks and page_starts.

    A numbered piece's label is written before its text, as a reader sees it.
    """
    parts: list[str] = []
    blocks: list[Block] = []
    page_starts: list[int] = []
    hidden: list[tuple[int, int, str]] = []
    pos = 0
    last_page = 0
    for piece in pieces:
        line = normalise(f"{piece.label} {piece.text}" if piece.label else piece.text)
        if piece.hidden:
            line = _hidden_ranges(piece, pos, hidden)
        if paged and piece.page is not None:
            while last_page < piece.page:
                page_starts.append(pos)
                last_page += 1
        parts.append(line)
        blocks.append(
            Block(
                start=pos,
                end=pos + len(line),
                page=piece.page,
                paragraph_index=piece.paragraph_index,
                label=piece.label,
                heading_hint=piece.heading_hint,
                in_table=piece.in_table,
                location=piece.location,
                part=piece.part,
            )
        )
        pos += len(line) + 1
    return {
        "text": "\n".join(parts),
        "blocks": tuple(blocks),
        "page_starts": tuple(page_starts),
        "hidden": tuple(hidden),
    }


def _hidden_ranges(piece: Piece, pos: int, out: list[tuple[int, int, str]]) -> str:
    """The piece's line, normalised stretch by stretch so that its hidden ranges (appended to ``out``, in
    document offsets) still cover exactly the characters they covered before normalising."""
    head = f"{piece.label} " if piece.label else ""
    cuts = sorted({0, len(piece.text), *(x for s, e, _ in piece.hidden for x in (s, e))})
    line = normalise(head)
    at: dict[int, int] = {}
    for a, b in zip(cuts, cuts[1:]):
        at[a] = len(line)
        line += normalise(piece.text[a:b])
    at[cuts[-1]] = len(line)
    for s, e, reason in piece.hidden:
        if at.get(e, 0) > at.get(s, 0):
            out.append((pos + at[s], pos + at[e], reason))
    return line
