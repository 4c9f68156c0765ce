"""Where a carve-out may go: the contract's paragraphs read the way a lawyer reads them.

The redline adds at most one carve-out per clause, at the end of the clause's operative paragraph. This module
decides, from the document's structure and text, which paragraphs are operative and which are not — a heading,
a table's header row, a recital, a definition, the signature block, a statement to be read aloud, a question,
or the introduction of a list ("a licence to:") — and, for every piece of evidence, which paragraph ends the
sentence it belongs to (the last item of a list whose introduction or earlier items hold the evidence).

Nothing here edits the document; :mod:`castguard.redline` applies the decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..ingest._assemble import normalise
from .revisions import paragraph_text, qn

if TYPE_CHECKING:
    from docx.oxml.text.paragraph import CT_P

__all__ = ["Para", "Structure", "Target", "paras_for_docx"]


@dataclass
class Para:
    """One paragraph of the output document and the stretch of ``Document.text`` it shows."""

    p: CT_P  # the w:p element
    text: str  # its visible text before any edit
    start: int  # Document.text offsets of its text (after a Word list label)
    end: int
    segments: list[tuple[int, int, int]] = field(default_factory=list)  # (doc start, doc end, offset in text)
    exact: bool = True  # the text maps character for character onto Document.text
    label: str | None = None  # Word list numbering shown before the text
    heading: bool = False  # heading style, Title, all bold, or a Markdown heading
    in_table: bool = False
    header_row: bool = False  # a table's header row (repeated header, or the first of several rows)
    rebuilt: bool = False  # made by castguard from a PDF or text contract
    outer_start: int | None = None  # where the block starts in Document.text, Word list label included

    def offset(self, doc_offset: int) -> int | None:
        """Position in ``text`` of a Document.text offset (None when it is not in this paragraph)."""
        if not self.exact:
            return len(self.text.rstrip()) if doc_offset >= self.end else None
        for s, e, off in self.segments:
            if s <= doc_offset <= e:
                return off + (doc_offset - s)
        return None

    def doc_offset(self, text_offset: int) -> int:
        """The Document.text offset of a position in ``text`` (the paragraph start when it cannot be mapped)."""
        if not self.exact:
            return self.start
        best = self.start
        for s, e, off in self.segments:
            if off <= text_offset:
                best = min(s + (text_offset - off), e)
        return best

    @property
    def shown(self) -> str:
        """The text as a reader sees it, with the Word list label."""
        return f"{self.label} {self.text.strip()}" if self.label else self.text.strip()


# --------------------------------------------------------------------------- building the paragraph list


def _table_facts(p) -> tuple[bool, bool]:
    """(in a table, in its header row) for a w:p."""
    tr = next((a for a in p.iterancestors() if a.tag == qn("tr")), None)
    if tr is None:
        return False, False
    trpr = tr.find(qn("trPr"))
    if trpr is not None and trpr.find(qn("tblHeader")) is not None:
        return True, True
    tbl = tr.getparent()
    rows = [r for r in tbl if r.tag == qn("tr")]
    return True, len(rows) > 1 and rows[0] is tr


def paras_for_docx(document, blocks, text: str, paragraphs: list) -> list[Para]:
    """The DOCX contract's own paragraphs, each mapped onto the blocks castguard read from it."""
    out: list[Para] = []
    styles = {}
    try:
        for s in document.styles.element.findall(qn("style")):
            name = s.find(qn("name"))
            styles[s.get(qn("styleId"))] = (name.get(qn("val")) if name is not None else "") or ""
    except Exception:  # pragma: no cover - a document without a styles part
        styles = {}
    for b in blocks:
        if b.paragraph_index is None or b.paragraph_index >= len(paragraphs):
            continue
        p = paragraphs[b.paragraph_index]
        raw = paragraph_text(p)
        start = b.start + (len(b.label) + 1 if b.label else 0)
        body = text[start : b.end]
        lead = len(raw) - len(raw.lstrip())
        exact = normalise(raw.strip()) == body and len(raw.strip()) == len(body)
        in_table, header = _table_facts(p)
        ppr = p.find(qn("pPr"))
        style_el = ppr.find(qn("pStyle")) if ppr is not None else None
        style = styles.get(style_el.get(qn("val")), style_el.get(qn("val"))) if style_el is not None else ""
        heading = b.heading_hint or style.lower().startswith(("heading", "title", "subtitle"))
        out.append(
            Para(p, raw, start, b.end, [(start, b.end, lead)], exact, b.label, heading, in_table, header,
                 outer_start=b.start)
        )  # fmt: skip
    return out


# --------------------------------------------------------------------------- what a paragraph is

_TERMINAL = re.compile(r"[.!?;][\"”’'»)\]]*\s*$")
_CONTINUES = re.compile(r"(?:[:;,\u2014\u2013-]|\b(?:and|or|and/or|to|including|the right to))\s*$", re.I)
# an item of a list inside a sentence: (a), (iv), (1), a., bullets — not a numbered section ("1.", "5.2")
_LIST_ITEM = re.compile(
    r"^\s*(?:\(?[a-zA-Z]{1,2}\)|\(?[ivxlcIVXLC]{1,6}\)|\(\d{1,2}\)|\d{1,2}\)|[a-z]\.(?=\s)|"
    r"\d{1,2}\.\s+(?=[a-z])|[\u2022\u25cf\u25e6\u25aa\u2023\u2043*\u2013-]\s)",
)
_DEFINITION = re.compile(
    r"^\s*(?:\(?[a-z0-9]{1,4}[.)]\s*)?(?:\d+(?:\.\d+)*\.?\s+)?[\"“][^\"”]{1,80}[\"”]\s*(?:\([^)]{0,80}\)\s*)?"
    r"(?:,?\s*as (?:stated|used) (?:herein|in this \w+),?\s*)?(?:shall\s+|will\s+)?"
    r"(?:means?|include[s]?|refers? to|has the meaning|is defined)\b",
    re.I,
)
# "By Sensitive Content, we mean ...", "Territory means ...": a definition without quotation marks
_DEFINITION_PLAIN = re.compile(
    r"^\s*(?:By\s+)?(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,5},?\s+(?:we\s+mean|means|shall\s+mean)\b"
)
_SIGNATURE = re.compile(
    r"^\s*(?:IN WITNESS WHEREOF|(?:By|Name|Title|Its|Date|Dated|Signed|Signature|Print(?:ed)? Name|Witness|"
    r"Address|Email|Phone)\s*[:_]|_{3,}|(?:AGREED|ACCEPTED)(?: AND (?:AGREED|ACCEPTED))?(?: TO)?\s*(?:BY)?\s*:?\s*$|"
    r"Signature of\b|Signed by\b|SIGNATURE\b|PRINTED NAME\b|DATE\s*$)",
    re.I,
)
_WITNESS = re.compile(r"^\s*IN WITNESS WHEREOF\b", re.I)
_AFTER_SIGNATURES = re.compile(r"^\s*(?:#+\s*)?(?:EXHIBIT|SCHEDULE|ANNEX|APPENDIX|ATTACHMENT|ADDENDUM|RIDER)\b", re.I)
_RECITAL_HEAD = re.compile(r"^\s*(?:#+\s*)?(?:RECITALS?|BACKGROUND|PRELIMINARY STATEMENTS?|WITNESSETH)\b\W*$", re.I)
_OPERATIVE_START = re.compile(
    r"\bNOW,? THEREFORE\b|\bagree[sd]? as follows\b|\bIT IS (?:HEREBY )?AGREED\b|^\s*(?:#+\s*)?(?:AGREED TERMS|"
    r"OPERATIVE PROVISIONS|TERMS AND CONDITIONS)\s*$",
    re.I,
)
_SCRIPT_INTRO = re.compile(
    r"\b(?:script|spoken to|read aloud|read out|read the following|say the following|recite|verbal statement|"
    r"statement to be (?:read|recorded|spoken))\b",
    re.I,
)
_QUOTED = re.compile(r"^\s*[\"“„«][^\n]*[\"”»][.!?]?\s*$|^\s*[\"“„«][^\"”»]*$")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Inc|Ltd|Co|Corp|LLC|L\.L\.C|No|Nos|etc|Jr|Sr|Mr|Mrs|Ms|Dr|St|S\.A|U\.S|U\.K|P\.C|L\.P|plc|N\.A|"
    r"Art|Sec|approx|e\.g|i\.e|v|vs)|\b[A-Z])\.$"
)

_MARKUP = re.compile(r"\*{1,3}|(?<!_)__(?!_)|\\(?=[^\w\s])")  # Markdown emphasis and escapes in a text contract
# a Markdown line that is all bold: "**Your Content.**", "*   **Ensuring access to our Service.**", "12. **Fees:**"
_BOLD_LINE = re.compile(r"^\s*(?:[-*+]\s+|\d{1,3}\.\s+|#+\s*)?(?:\*\*|__)[^*_]{1,200}(?:\*\*|__)\W{0,2}\s*$")

REASONS = {
    "heading": "heading",
    "table-heading": "table heading",
    "table": "table entry",
    "recital": "recital",
    "definition": "definition",
    "signature": "signature block",
    "script": "statement to be read aloud",
    "question": "question",
    "list-introduction": "introduction to a list",
    "fragment": "passage",
}


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z\u00C0-\uFFFF]{2,}", text))


def sentence_like(text: str) -> bool:
    return _words(text) >= 6 and bool(_TERMINAL.search(text.rstrip()))


def is_list_item(para: Para) -> bool:
    return bool(_LIST_ITEM.match(para.shown))


def continues(text: str) -> bool:
    """The paragraph's sentence goes on in the next paragraph (it ends with ':', ';', '; and', ',' ...), unless
    it is the words that open the operative part ("the parties agree as follows:")."""
    t = text.rstrip()
    return not t.endswith((".", "!", "?")) and bool(_CONTINUES.search(t)) and not _OPERATIVE_START.search(t)


class Structure:
    """The paragraphs of one contract with, for each, why no carve-out may be placed there (or None)."""

    def __init__(self, paras: list[Para], clauses=()):
        self.paras = paras
        self.clauses = sorted(clauses, key=lambda c: (c.start, -c.end))
        self.reason: list[str | None] = [self._own_reason(i) for i in range(len(paras))]
        self._sections()

    # ------------------------------------------------------------------ one paragraph on its own

    def _own_reason(self, i: int) -> str | None:
        para = self.paras[i]
        text = para.text.strip()
        shown = para.shown
        if _words(text) == 0:
            return "fragment"
        bare = _MARKUP.sub("", text.lstrip("#")).strip()
        if _BOLD_LINE.match(text):
            return "heading"
        if para.in_table:
            if para.header_row:
                return "table-heading"
            if para.rebuilt or not sentence_like(text):
                return "table"
        if text.startswith("#") or (para.heading and (_words(bare) <= 15 or not _TERMINAL.search(bare))):
            return "heading"
        if not _TERMINAL.search(bare) and not continues(bare) and _words(bare) <= 12:
            return "heading"
        text = _MARKUP.sub("", text).strip()
        if _SIGNATURE.match(text):
            return "signature"
        if _DEFINITION.match(shown) or _DEFINITION.match(text) or _DEFINITION_PLAIN.match(text):
            return "definition"
        if re.match(r"^\s*WHEREAS\b", text, re.I):
            return "recital"
        if _QUOTED.match(text) or re.search(r"\[(?:state|say|insert) your\b", text, re.I):
            return "script"
        if text.endswith("?"):
            return "question"
        if re.search(r"[:\u2014\u2013]\s*-?\s*$", text) or (continues(text) and not text.endswith(";")):
            return "list-introduction"
        if _words(text) < 5:
            return "fragment"
        return None

    # ------------------------------------------------------------------ what a paragraph's section makes it

    def _sections(self) -> None:
        paras, reason = self.paras, self.reason
        # recitals: after a RECITALS / BACKGROUND heading, or WHEREAS paragraphs, until the operative part begins
        operative = next((i for i, p in enumerate(paras) if _OPERATIVE_START.search(p.text)), None)
        recital_head = next((i for i, p in enumerate(paras) if _RECITAL_HEAD.match(p.text)), None)
        if recital_head is not None:
            stop = operative if operative is not None and operative > recital_head else None
            if stop is None:  # no marker: the recitals end at the first numbered clause
                stop = next(
                    (
                        i
                        for i in range(recital_head + 1, len(paras))
                        if re.match(r"^\s*(?:1\.|1\s|ARTICLE\s+(?:1|I)\b|Section\s+1\b)", paras[i].shown, re.I)
                    ),
                    recital_head + 1,
                )
            for i in range(recital_head + 1, stop):
                if reason[i] is None:
                    reason[i] = "recital"
        # the signature block: from IN WITNESS WHEREOF to the next exhibit or schedule
        for i, p in enumerate(paras):
            if _WITNESS.match(p.text):
                j = i
                while j < len(paras) and not (j > i and _AFTER_SIGNATURES.match(paras[j].text)):
                    reason[j] = "signature"
                    j += 1
        # a script: under a heading such as "Assent Script" / "Spoken to child by Experimenter:", every paragraph
        # until the next heading; after a sentence introducing one ("read the following statement aloud:",
        # "[... USE THE FOLLOWING SCRIPT]"), the next paragraph and any quoted ones after it
        in_script = None
        for i, p in enumerate(paras):
            own = reason[i]
            if own == "heading":
                in_script = "heading" if _SCRIPT_INTRO.search(p.text) else None
                continue
            if _SCRIPT_INTRO.search(p.text) and (own == "list-introduction" or p.text.strip()[:1] == "["):
                # a short "Spoken to child by Experimenter:" line acts as a heading
                short = own == "list-introduction" and _words(p.text) <= 8
                in_script = "heading" if in_script == "heading" or short else "paragraph"
                if own is None:
                    reason[i] = "script"
                continue
            if in_script == "paragraph":
                if own is None:
                    reason[i] = "script"
                in_script = "paragraph" if own == "script" else None
            elif in_script == "heading" and own is None:
                reason[i] = "script"

    # ------------------------------------------------------------------ targets

    def index_at(self, doc_offset: int) -> int | None:
        for i, p in enumerate(self.paras):
            start = p.start if p.outer_start is None else p.outer_start
            if start <= doc_offset < max(p.end, p.start + 1):
                return i
        return None

    def sentence_end(self, i: int) -> int:
        """The paragraph that ends the sentence paragraph ``i`` belongs to (the last item of its list)."""
        j = i
        while (
            j + 1 < len(self.paras)
            and continues(self.paras[j].text)
            and is_list_item(self.paras[j + 1])
            and self.reason[j + 1] not in ("heading", "signature")
            and j - i < 60
        ):
            j += 1
        return j

    def sentence_start(self, j: int) -> int:
        """The first paragraph of the sentence that paragraph ``j`` ends (its list introduction)."""
        i = j
        while i > 0 and continues(self.paras[i - 1].text) and is_list_item(self.paras[i]) and j - i < 60:
            i -= 1
        return i

    def leaf_clause(self, doc_offset: int):
        best = None
        for c in self.clauses:
            if c.start <= doc_offset < c.end and (best is None or c.end - c.start <= best.end - best.start):
                best = c
        return best


@dataclass
class Target:
    """Where one clause's carve-out goes: paragraph ``index``, at ``offset`` of its text."""

    index: int
    offset: int  # insertion point in Para.text
    form: str  # "proviso" (before the final full stop) or "sentence" (after it)


_SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“(\[]?[A-Z0-9])")


def last_sentence_start(text: str, end: int) -> int:
    """Offset in ``text`` where the last sentence before ``end`` begins (abbreviations are not breaks)."""
    start = 0
    for m in _SENTENCE_BREAK.finditer(text, 0, end):
        head = text[: m.start() + 1]
        if _ABBREVIATION.search(head):
            continue
        start = m.end()
    return start


def insertion(structure: Structure, index: int, doc_end: int, evidence_starts: list[int]) -> Target | None:
    """The carve-out's place in paragraph ``index``: the end of its text up to ``doc_end`` (a clause's end),
    before the final full stop when the evidence is all in the last sentence (a proviso), after it otherwise."""
    para = structure.paras[index]
    end = para.offset(min(doc_end, para.end)) if doc_end < para.end else len(para.text)
    if end is None:
        return None
    tail = para.text[:end].rstrip().rstrip("\u200b\u200e\u200f\ufeff").rstrip()  # invisible marks at the end
    tail = re.sub(r"(?:\*{1,3}|(?<!_)__)$", "", tail).rstrip()  # a closing Markdown emphasis
    # an instruction in brackets after the last sentence ("... library. [IF ORAL ASSENT IS NEEDED, ...]")
    tail = re.sub(r"(?<=[.!?])\s*\[[^\[\]]*\]$", "", tail).rstrip()
    if not tail:
        return None
    end = len(tail)
    first = structure.paras[structure.sentence_start(index)]
    at = last_sentence_start(first.text, end if first is para else len(first.text.rstrip()))
    sentence_doc = first.doc_offset(at) if at else min(first.start, first.outer_start or first.start)
    in_last = all(s >= sentence_doc for s in evidence_starts)
    last = tail[-1]
    if first is not para and last in ";:,":
        return None  # a list whose last item does not end the sentence: no safe place
    if last == ";":
        # the end of a clause that is one item of a list ("7. misuse any ... process;") is not the end of the
        # sentence, and a proviso there would read as one more item
        return None if is_list_item(para) else Target(index, end - 1, "proviso")
    if last == "." and not _ABBREVIATION.search(tail) and in_last:
        return Target(index, end - 1, "proviso")
    if last in ".!?" or (last in "\"”’')]" and re.search(r"[.!?][\"”’')\]]+$", tail)):
        return Target(index, end, "sentence")
    if last in ":,\u2014\u2013-":
        return None
    return Target(index, end, "proviso")
