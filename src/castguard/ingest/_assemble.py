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


def assemble(pieces: list[Piece], *, paged: bool = False) -> dict:
    """Join pieces with newlines; return text, blocks and page_starts.

    A numbered piece's label is written before its text, as a reader sees it.
    """
    parts: list[str] = []
    blocks: list[Block] = []
    page_starts: list[int] = []
    pos = 0
    last_page = 0
    for piece in pieces:
        line = f"{piece.label} {piece.text}" if piece.label else piece.text
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
            )
        )
        pos += len(line) + 1
    return {"text": "\n".join(parts), "blocks": tuple(blocks), "page_starts": tuple(page_starts)}
