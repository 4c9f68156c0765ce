"""Document -> clause tree.

A clause starts at a numbered marker (see ``numbering``), at a heading line
(ALL CAPS, Title Case after a break, or a Word/Markdown heading), or at a
defined-term paragraph inside a definitions section. Text before the first
clause is the preamble. Each clause runs to the start of the next one, keeps
its number, heading, offsets and page, and points to its parent: the nearest
enclosing clause of a higher-level scheme.

Flattened text (EDGAR exhibits with numbering inline and line breaks lost) is
handled by also accepting markers inside a line when a sentence has just ended
and a wide gap follows, and only when they continue a list exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Clause, Document
from .numbering import Marker, MarkerSequencer, match_marker
from .sentences import sentence_spans

__all__ = ["segment"]

_LINE_DECOR = re.compile(r"[ \t>#*_]*")
_INLINE_DECIMAL = re.compile(r"[.:;][\"”’)]?[ \t](\d{1,2}\.(?:\d{1,2}(?:\.\d{1,2})?\.?)?[ \t]+[\"“A-Z])")
_INLINE_TITLE = re.compile(
    r"([A-Z][\w'’&/-]+(?:,? (?:[A-Z][\w'’&/-]*|of|and|or|the|to|for|in|on|by)){0,6})\.[ \t]+(?=[A-Z\"“(])"
)
_CONNECTOR = re.compile(
    r"(?:The|This|These|That|Such|Each|Any|All|No|If|In|Upon|For|Notwithstanding|Except|Subject|"
    r"Company|Licensee|Licensor|Sponsor)\b"
)
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Inc|Co|Corp|Ltd|No|St|Jr|Sr|Esq|Ave|Blvd|Ste|Nos|Vol|Pp)$")
_INLINE_GAP = re.compile(r"(?:(?<=[.:;])|(?<=[.:;][\"”’)]))[ \t]{2,}(?=[(\w§])|[ \t]{3,}(?=\()")
_PAGE_NOISE = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|page\b[^\n]{0,60}?\d[^\n]{0,60}|"
    r"[^\n]{0,60}\|\s*page\s*\d+[^\n]{0,20})\s*$",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"[\"“]([A-Z][^\"”\n]{0,60})[\"”]\s+(?:shall\s+)?(?:means?|has\s+the\s+meaning|refers?\s+to|includes?)\b"
)
_HEADING_INLINE = re.compile(r"[ \t]*([A-Z][A-Za-z0-9'’&/,;()\- ]{1,80}?)\s*(?:[.:]|[ \t]*[-–—])(?=\s|$)")
_XREF_LEAD = re.compile(
    r"\b(?:sections?|articles?|clauses?|paragraphs?|subsections?|schedules?|exhibits?|to|in|of|under|with|"
    r"and|or|per|see|pursuant|hereof|this)\s*$",
    re.IGNORECASE,
)
_SMALL_WORDS = {
    "this",
    "its",
    "their",
    "such",
    "per",
    "under",
    "into",
    "between",
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "from",
    "upon",
}


@dataclass
class _Start:
    pos: int  # where the clause starts in the document text
    body: int  # where its text after the marker starts
    marker: Marker | None
    scheme: str  # stacking key: "heading", "article", "decimal:2", "paren:alpha:lower", "definition"
    heading: str | None = None
    heading_end: int | None = None


def _is_caps_heading(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and len(s) <= 90


def _is_title_case(s: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", s)
    if not words or len(words) > 10:
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(significant) and all(w[0].isupper() for w in significant) and words[0][0].isupper()


def _heading_line(line: str, *, hint: bool, prev_blank_or_end: bool, next_line: str = "") -> bool:
    s = line.strip().strip("*_#").strip()
    if not s or len(s) > 90 or len(s.split()) > 12:
        return False
    if "___" in s or s.endswith((",", ";")) or sum(c.isdigit() for c in s) >= 3:
        return False
    if re.match(
        r"^(by|name|title|date|its|signature|address|tel|phone|email|fax|attn|attention)\s*:", s, re.IGNORECASE
    ):
        return False
    if re.fullmatch(
        r"(?:printed |print )?name|signature|signed|date|dated|witness|title|by|initials?|address",
        s.rstrip(":"),
        re.IGNORECASE,
    ):
        return False  # a signature-block field, not a heading
    if hint:
        return True
    if _is_caps_heading(s):
        return True
    # Title Case needs a paragraph after it: a run of short lines is an address or signature block
    nxt = next_line.strip()
    body_follows = len(nxt) > 60 or bool(re.match(r"\d{1,2}(?:\.\d{1,2})*[.)]?\s|\(\w{1,4}\)\s|[A-Za-z][.)]\s", nxt))
    if any(c.isdigit() for c in s):
        return False
    return prev_blank_or_end and body_follows and _is_title_case(s.rstrip(":.")) and not s.endswith(".")


def _inline_heading(text: str, body: int, line_end: int) -> tuple[str | None, int | None]:
    """A short heading right after a marker: '1. GRANT OF RIGHTS. Talent grants ...' -> 'GRANT OF RIGHTS'.

    Reads only the first words after the marker (a heading is at most 80 characters), never the rest of a
    long line: a contract flattened onto one line has a marker every few hundred characters, and reading
    to the end of the line after each one made segmentation quadratic in the length of the line.
    """
    cut = _heading_window(text, body, line_end)
    rest = text[body:cut]
    lead = len(rest) - len(rest.lstrip(" \t*_"))
    body += lead
    rest = rest[lead:].replace("**", "").replace("__", "")
    m = _HEADING_INLINE.match(rest)
    if m:
        cand = m.group(1).strip()
        if cand and (_is_caps_heading(cand) or _is_title_case(cand)) and len(cand.split()) <= 8:
            return cand, body + m.end()
    if cut < line_end:
        return None, None  # the line runs on for more than 8 words: it is not a heading on its own
    stripped = rest.strip().strip("*_").strip()
    if (
        stripped
        and (_is_caps_heading(stripped) or (_is_title_case(stripped) and not stripped.endswith(".")))
        and len(stripped.split()) <= 8
    ):
        return stripped.rstrip(":."), line_end
    return None, None


_WORD_RUN = re.compile(r"\S+")
_HEADING_WINDOW = 120  # characters: more than a heading (at most 81) and the punctuation after it


def _heading_window(text: str, body: int, line_end: int) -> int:
    r"""Where the inline-heading checks may stop reading ``text[body:line_end]``: ``line_end`` or a cut.

    The cut is the end of the first word after which at least 9 words have been read (a word: a run of
    non-space characters that is not only ``*`` and ``_``; the checks strip those, never the others) and the
    text read is still at least :data:`_HEADING_WINDOW` characters long once its lead and its ``**``/``__``
    are removed as the checks remove them. Nothing the checks would see is lost: the cut falls just before
    whitespace, so the heading pattern's ``(?=\s|$)`` is true at the cut exactly when it is in the whole
    line, and the pattern reads at most 82 characters plus one run of spaces before it would have to reach
    the cut; and a line of 9 words or more is never a heading on its own (at most 8).
    """
    words = checked = 0
    for m in _WORD_RUN.finditer(text, body, line_end):
        if not m.group().strip("*_"):
            continue  # stripped by the checks; the cut is never after one (the text read ends in a word)
        words += 1
        # measure the stripped text only as the read part doubles: linear even for a line of "** ** **"
        if words >= 9 and m.end() - body >= max(_HEADING_WINDOW, 2 * checked):
            checked = m.end() - body
            head = text[body : m.end()].lstrip(" \t*_").replace("**", "").replace("__", "")
            if len(head) >= _HEADING_WINDOW:
                return m.end()
    return line_end


def _noise_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _running_lines(lines: list[str]) -> set[str]:
    """Short lines that recur three or more times: running headers and footers left in text files."""
    counts: dict[str, int] = {}
    for ln in lines:
        if ln.strip() and len(ln.split()) <= 10:
            key = _noise_key(ln)
            counts[key] = counts.get(key, 0) + 1
    return {k for k, c in counts.items() if c >= 3 and not re.match(r"^[(#]", k) and len(k) > 3}


_NON_SPACE = re.compile(r"\S")
# the longest word _XREF_LEAD ends with ("subsections") plus the character before it that \b looks at
_XREF_LEAD_REACH = 13


def _blank(text: str, start: int, end: int) -> bool:
    """``not text[start:end].strip()``, reading only up to the first non-space character."""
    return start >= end or _NON_SPACE.search(text, start, end) is None


def _ends_with_xref_lead(line: str, end: int) -> bool:
    r"""``_XREF_LEAD.search(line[:end])``, reading only the last word before ``end`` and the spaces after it.

    The pattern ends with ``\s*$``, so a match ends with a word that stops where the trailing spaces begin;
    searching from a little before that word gives the same answer without rescanning the line from its
    start for every number on it (quadratic in a contract flattened onto one line).
    """
    k = end
    while k > 0 and line[k - 1].isspace():
        k -= 1
    return _XREF_LEAD.search(line, max(0, k - _XREF_LEAD_REACH), end) is not None


def _find_starts(doc: Document) -> list[_Start]:
    text = doc.text
    seq = MarkerSequencer()
    starts: list[_Start] = []
    hints = {b.start: b for b in doc.blocks}
    in_definitions = False
    prev_end_char = "."
    prev_blank = True
    pos = 0
    lines = text.split("\n")
    running = _running_lines(lines)
    prev_line, prev_was_start = "", False
    where: tuple[str, str | None] = ("body", None)  # the part of the source being read (header, footnote ...)
    for li, raw in enumerate(lines):
        line_start, line_end = pos, pos + len(raw)
        pos = line_end + 1
        if not raw.strip() or _PAGE_NOISE.match(raw) or _noise_key(raw) in running:
            prev_blank = prev_blank or not raw.strip()
            continue
        block = hints.get(line_start)
        decor = _LINE_DECOR.match(raw)
        assert decor is not None  # the pattern matches the empty string
        lead = decor.end()
        at = line_start + lead
        candidates: list[tuple[int, bool]] = [(at, True)]
        for m in _INLINE_GAP.finditer(raw):
            if m.end() > lead:
                candidates.append((line_start + m.end(), False))
        seen = set(candidates)
        # flattened text with single spaces: "... the following meanings: 2.1 "Commercial Rights" means ..."
        # only a multi-level number that continues the list exactly (the sequencer is strict inline)
        for m in _INLINE_DECIMAL.finditer(raw):
            if _ends_with_xref_lead(raw, m.start()):
                continue  # "... pursuant to Section 5.2. The ..." ends with a cross-reference
            if m.start(1) > lead and (line_start + m.start(1), False) not in seen:
                candidates.append((line_start + m.start(1), False))
                seen.add(candidates[-1])
        candidates.sort()
        accepted_here = False
        for cpos, at_line_start in candidates:
            marker = match_marker(text, cpos, line_start=at_line_start)
            if marker is None and not at_line_start:
                # flattened text: "...hereby acknowledged.   Independent Contractor. Nothing contained herein ..."
                h = _INLINE_TITLE.match(text, cpos)
                right_after_marker = bool(starts) and _blank(text, starts[-1].body, cpos)
                if (
                    h
                    and not right_after_marker
                    and len(h.group(1)) >= 4
                    and _is_title_case(h.group(1))
                    and not _CONNECTOR.match(h.group(1))
                    and not _ABBREVIATION.search(h.group(1))
                ):
                    starts.append(_Start(cpos, cpos, None, "heading", h.group(1), cpos + len(h.group(1)) + 1))
                    accepted_here = True
                continue
            if marker is None:
                if at_line_start and cpos == at and not accepted_here:
                    d = _DEFINITION.match(text, cpos)
                    if d and in_definitions:
                        starts.append(_Start(cpos, cpos, None, "definition", d.group(1), None))
                        accepted_here = True
                        continue
                    # a bold table header inside a numbered clause is part of that clause; a form laid out
                    # as a table (no numbering at all) still has its headings
                    in_numbered_table = bool(block and block.in_table and any(st.marker for st in starts))
                    heading_ok = not in_numbered_table and _heading_line(
                        raw,
                        hint=bool(block and block.heading_hint),
                        prev_blank_or_end=prev_blank or prev_end_char in ".:;",
                        next_line=next((ln for ln in lines[li + 1 : li + 4] if ln.strip()), ""),
                    )
                    if heading_ok:
                        title = raw.strip().strip("*_#").strip().rstrip(":.")
                        # a heading line right after a bare marker ("ARTICLE IV" / "GRANT OF RIGHTS") names that clause
                        if starts and starts[-1].heading is None and _blank(text, starts[-1].body, line_start):
                            starts[-1].heading = title
                            starts[-1].heading_end = line_end
                        else:
                            starts.append(_Start(line_start, line_start, None, "heading", title, line_end))
                        in_definitions = "definition" in title.lower()
                        accepted_here = True
                continue
            # a line-start number right after "... pursuant to Section" is a wrapped cross-reference
            if (
                at_line_start
                and not prev_blank
                and not prev_was_start
                and marker.kind in ("decimal", "article")
                and not (block and block.label)
                and _XREF_LEAD.search(prev_line)
            ):
                continue
            resolved = seq.resolve(marker, strict=not at_line_start)
            if resolved is None:
                continue
            key, value = resolved
            seq.accept(marker, key, value)
            body = cpos + marker.length
            heading, heading_end = _inline_heading(text, body, line_end)
            if heading is None and block and block.heading_hint and at_line_start:
                heading, heading_end = text[body:line_end].strip().rstrip(":.") or None, line_end
            scheme = "article" if marker.kind == "article" else key
            starts.append(_Start(cpos, body, marker, scheme, heading, heading_end))
            if heading:
                in_definitions = "definition" in heading.lower()
            elif marker.kind in ("decimal", "article"):
                in_definitions = False
            accepted_here = True
        if block is not None and (block.location, block.part) != where:
            # a header, footer, note, comment or text box is a clause of its own, never the end of the last one
            where = (block.location, block.part)
            k = len(starts)
            while k and starts[k - 1].pos >= line_start:
                k -= 1
            if k == len(starts) or text[line_start : starts[k].pos].strip():
                starts.insert(k, _Start(line_start, line_start, None, "heading", None, None))
                accepted_here = True
        stripped = raw.rstrip()
        prev_end_char = stripped[-1] if stripped else prev_end_char
        prev_blank = False
        prev_line = stripped
        prev_was_start = accepted_here
    return starts


def _cut_at(spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = 0
    for start, end in spans:
        while i < len(cuts) and cuts[i] <= start:
            i += 1
        j = i
        while j < len(cuts) and cuts[j] < end:
            out.append((start, cuts[j]))
            start = cuts[j]
            j += 1
        out.append((start, end))
    return out


def _rank(scheme: str) -> tuple[int, int]:
    """Lower ranks enclose higher ones when both are open."""
    if scheme == "heading":
        return (0, 0)
    if scheme == "article":
        return (1, 0)
    if scheme.startswith("decimal:"):
        return (2, int(scheme.split(":")[1]))
    return (3, 0)


def segment(doc: Document, *, sdoc=None) -> tuple[Clause, ...]:
    """Split ``doc`` into clauses with a parent tree and sentence spans.

    ``sdoc`` is the spaCy Doc of ``doc.text`` if the caller already parsed it.
    """
    text = doc.text
    starts = _find_starts(doc)
    if not starts or text[: starts[0].pos].strip():
        starts.insert(0, _Start(0, 0, None, "preamble", None, None))
        first_line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
        if first_line and len(first_line) <= 90:
            starts[0].heading = first_line.strip("#*_ ").rstrip(":.")

    headings_with_body = set()
    for n, st in enumerate(starts):
        if st.scheme == "heading":
            nxt = starts[n + 1].pos if n + 1 < len(starts) else len(text)
            if text[st.heading_end or st.body : nxt].strip():
                headings_with_body.add(f"c{n}")
    sentences = sentence_spans(text, sdoc=sdoc)
    if doc.format == "docx":
        # a Word paragraph (or table cell) always ends a sentence, even without a full stop
        sentences = _cut_at(sentences, [b.start for b in doc.blocks])
    clauses: list[Clause] = []
    stack: list[tuple[str, str]] = []  # (scheme, clause id)
    first_child: dict[str, str] = {}  # clause id -> scheme of its first child
    si = 0
    block_starts = [(b.start, b.paragraph_index) for b in doc.blocks]
    bi = 0
    for n, st in enumerate(starts):
        end = starts[n + 1].pos if n + 1 < len(starts) else len(text)
        # trim trailing whitespace so offsets point at text
        while end > st.pos and text[end - 1].isspace():
            end -= 1
        start = st.pos
        cid = f"c{n}"
        scheme = st.scheme
        if scheme == "preamble":
            parent, level = None, 0
            stack = []
        else:
            # close open lists that this one is not nested in
            if scheme in (s for s, _ in stack):
                while stack and stack[-1][0] != scheme:
                    stack.pop()
                stack.pop()
            elif scheme in ("heading", "article") or scheme.startswith("decimal:"):
                while stack and _rank(stack[-1][0]) >= _rank(scheme):
                    stack.pop()
                # "RECITALS" encloses its "A.", "B." but not the "ARTICLE I" that follows them
                if (
                    stack
                    and stack[-1][0] == "heading"
                    and scheme != "heading"
                    and first_child.get(stack[-1][1], scheme) != scheme
                ):
                    stack.pop()
                # a heading with its own body text (WITNESSETH + recitals, a table caption) does not
                # enclose the numbered clauses that follow it
                if stack and stack[-1][0] == "heading" and stack[-1][1] in headings_with_body and scheme != "heading":
                    stack.pop()
            parent = stack[-1][1] if stack else None
            if parent is not None:
                first_child.setdefault(parent, scheme)
            level = len(stack)
            stack.append((scheme, cid))
        # sentences inside [start, end)
        while si < len(sentences) and sentences[si][1] <= start:
            si += 1
        spans = []
        j = si
        while j < len(sentences) and sentences[j][0] < end:
            s0, s1 = max(sentences[j][0], start), min(sentences[j][1], end)
            seg = text[s0:s1]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            if s1 - trail > s0 + lead:
                spans.append((s0 + lead, s1 - trail))
            j += 1
        while bi + 1 < len(block_starts) and block_starts[bi + 1][0] <= start:
            bi += 1
        para = block_starts[bi][1] if block_starts else None
        number = st.marker.printed if st.marker else None
        clauses.append(
            Clause(
                id=cid,
                number=number,
                # "-8-    9": page numbers at the top of a filed page are no heading
                heading=st.heading if st.heading and any(ch.isalpha() for ch in st.heading) else None,
                start=start,
                end=max(end, start),
                text=text[start : max(end, start)],
                page=doc.page_at(start),
                parent=parent,
                level=level,
                sentences=tuple(spans),
                paragraph_index=para,
            )
        )
    return tuple(clauses)
