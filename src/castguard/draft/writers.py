"""The addendum as Markdown, self-contained HTML, or a Word document.

All three come from the same Markdown the templates wrote; HTML and Word walk the parsed blocks, so text is
escaped once, by the writer of each format (the HTML templates of :mod:`castguard.templating.html`, the same the
review report uses; python-docx/lxml for WordprocessingML).
The addendum goes to the other side of the deal: no format adds a tool name, a disclaimer or a footer note,
and the Word document's properties carry only its title (none of python-docx's defaults).
"""

from __future__ import annotations

import io

from ..templating.html import render as html_template
from .markup import Block, Run, parse_markdown

__all__ = [
    "FORMATS",
    "add_blocks_to_docx",
    "html_blocks",
    "clear_properties",
    "render",
    "to_docx",
    "to_html",
    "to_markdown",
]

FORMATS = ("docx", "markdown", "html")


def to_markdown(markdown: str) -> bytes:
    return markdown.encode("utf-8")


# --------------------------------------------------------------------------- HTML


def html_blocks(markdown: str, *, heading_base: int = 1) -> list[dict]:
    """The addendum Markdown as the blocks ``blocks.html.j2`` writes: headings with their level (``heading_base``
    is the level the title (#) becomes), paragraphs, quotes, rules, bullet runs gathered into lists, tables."""
    items: list[dict] = []
    level = {"title": heading_base, "heading": heading_base + 1, "subheading": heading_base + 2}
    for b in parse_markdown(markdown):
        if b.kind in level:
            items.append({"kind": "heading", "level": min(level[b.kind], 6), "runs": b.runs})
        elif b.kind == "bullet":
            if not items or items[-1]["kind"] != "list":
                items.append({"kind": "list", "entries": []})
            items[-1]["entries"].append(b.runs)
        elif b.kind == "table":
            head, *rows = b.rows
            items.append({"kind": "table", "head": head, "rows": rows})
        elif b.kind in ("paragraph", "quote", "rule"):
            items.append({"kind": b.kind, "runs": b.runs})
    return items


def to_html(markdown: str, title: str) -> bytes:
    return html_template("addendum.html.j2", title=title, items=html_blocks(markdown)).encode("utf-8")


# --------------------------------------------------------------------------- Word


def _add_runs(paragraph, runs: tuple[Run, ...]) -> None:
    for r in runs:
        run = paragraph.add_run(r.text)
        run.bold = r.bold or None
        run.italic = r.italic or None


def _style(document, name: str):
    """The named style when the document has it (a user's contract may not), else None."""
    try:
        return document.styles[name]
    except KeyError:
        return None


def add_blocks_to_docx(document, blocks: list[Block]) -> list:
    """Append the blocks to a python-docx Document; returns the new paragraph and table elements in order.

    Uses the document's Title / Heading / List Bullet / Quote styles where it has them; where it does not
    (a contract made by another tool), the same look comes from direct formatting.
    """
    from docx.shared import Pt

    added = []
    fallback = {"title": Pt(16), "heading": Pt(13), "subheading": Pt(11.5)}
    for b in blocks:
        if b.kind == "table":
            ncols = max(len(r) for r in b.rows)
            table = document.add_table(rows=len(b.rows), cols=ncols)
            if _style(document, "Table Grid") is not None:
                table.style = document.styles["Table Grid"]
            for i, row in enumerate(b.rows):
                for j, cell_runs in enumerate(row):
                    cell = table.cell(i, j)
                    _add_runs(cell.paragraphs[0], cell_runs)
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            added.append(table._tbl)
            continue
        style_name = {
            "title": "Title",
            "heading": "Heading 1",
            "subheading": "Heading 2",
            "bullet": "List Bullet",
            "quote": "Quote",
        }.get(b.kind)
        style = _style(document, style_name) if style_name else None
        p = document.add_paragraph(style=style)
        runs = b.runs
        if b.kind == "bullet" and style is None:
            runs = (Run("\u2022 "),) + runs
        _add_runs(p, runs)
        if style is None and b.kind in fallback:
            for run in p.runs:
                run.bold = True
                run.font.size = fallback[b.kind]
        if b.kind == "quote" and style is None:
            p.paragraph_format.left_indent = Pt(24)
        if b.kind == "rule":
            p.paragraph_format.space_after = Pt(6)
        added.append(p._p)
    return added


def clear_properties(document, title: str, author: str = "", when=None) -> None:
    """Core properties with the document's title and author only: python-docx's template would otherwise
    say "python-docx" as creator and "generated by python-docx" as description, dated 2013. ``when`` (a naive
    UTC datetime) defaults to now."""
    import datetime as _dt

    now = when or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.created = now
    props.modified = now
    props.revision = 1


def to_docx(markdown: str, title: str) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    clear_properties(document, title)
    add_blocks_to_docx(document, parse_markdown(markdown))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def render(markdown: str, title: str, fmt: str) -> bytes:
    if fmt == "markdown":
        return to_markdown(markdown)
    if fmt == "html":
        return to_html(markdown, title)
    return to_docx(markdown, title)
