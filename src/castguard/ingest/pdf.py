"""PDF -> Document fields, with page numbers.

Text comes from pdfium (pypdfium2, which pdfplumber ships with): it is about as fast
as poppler's pdftotext, where pdfplumber's own ``extract_text`` is ~100x slower.
On top of the raw text this module:

- removes running headers and footers (lines near the top or bottom of a page that
  recur on many pages once digits are ignored) and bare page numbers;
- repairs words hyphenated across line ends;
- undoes "fake bold" (each glyph drawn twice, extracted as "TThhee");
- refuses a PDF without a text layer (suggesting OCR) and one whose text is
  font-encoding garbage such as ``(cid:12)``;
- reports an encrypted PDF it cannot open as such.
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import EncryptedDocument, GarbledText, InputError, LimitExceeded, NoTextLayer
from ._assemble import Piece, assemble, normalise
from .pdf_hidden import locate, page_hidden

_EDGE_LINES = 3  # how many lines at the top and bottom of a page may be running heads
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.IGNORECASE,
)
_PAGE_OF = re.compile(r"\bpage\s+\d{1,4}\s*(?:of|/)\s*\d{1,4}\b", re.IGNORECASE)
_CID = re.compile(r"\(cid:\d+\)")
# unmapped glyphs: U+FFFD, private-use characters, control characters but tab and newline
_JUNK = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b-\x1f]")
_SOFT_HYPHEN_WORD = re.compile(r"([a-z])\ufffe([a-z])")
_HYPHEN_END = re.compile(r"([A-Za-z]{2,})[-\u00ad\x02]$")


# a run of letters whose first four are two doubled letters: the only runs _undouble can change
_DOUBLED_START = re.compile(r"(?<![A-Za-z])([A-Za-z])\1([A-Za-z])\2")


def _visible(text: str) -> int:
    """Characters that are not white space (str.split splits on exactly the characters str.isspace names)."""
    return sum(map(len, text.split()))


def _undouble(line: str) -> str:
    """Collapse fake-bold doubling: 'TThhee  AAggrreeeemmeenntt' -> 'The Agreement'."""
    s = line.strip()
    if len(s) >= 4 and len(s) % 2 == 0 and s[0::2] == s[1::2] and any(c.isalpha() for c in s):
        return s[0::2]

    if not _DOUBLED_START.search(line):
        return line  # no word starts "aabb...": re.sub below would change nothing

    def fix(m: re.Match) -> str:
        w = m.group(0)
        return w[0::2] if len(w) % 2 == 0 and w[0::2] == w[1::2] else w

    return re.sub(r"[A-Za-z]{4,}", fix, line)


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _strip_running_heads(pages: list[list[str]]) -> list[list[str]]:
    n = len(pages)
    counts: Counter[str] = Counter()
    for lines in pages:
        nonblank = [ln for ln in lines if ln.strip()]
        edge = set(_edge_key(ln) for ln in nonblank[:_EDGE_LINES] + nonblank[-_EDGE_LINES:])
        counts.update(edge)
    threshold = max(2, (n + 1) // 2) if n >= 2 else 10**9
    running = {k for k, c in counts.items() if c >= threshold and k}
    cleaned: list[list[str]] = []
    for lines in pages:
        nonblank_idx = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(nonblank_idx[:_EDGE_LINES] + nonblank_idx[-_EDGE_LINES:])
        out = []
        for i, ln in enumerate(lines):
            if i in edge_idx and (_edge_key(ln) in running or _PAGE_NUMBER.match(ln) or _PAGE_OF.fullmatch(ln.strip())):
                continue
            out.append(ln)
        cleaned.append(out)
    return cleaned


def _join_hyphenated(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while i + 1 < len(lines):
            m = _HYPHEN_END.search(line.rstrip())
            nxt = lines[i + 1].lstrip()
            if m and nxt[:1].islower():
                word, _, rest = nxt.partition(" ")
                line = line.rstrip()[:-1] + word
                lines[i + 1] = rest
                if not rest.strip():
                    i += 1
                    continue
            break
        out.append(line)
        i += 1
    return out


def _garbage(text: str) -> tuple[int, int]:
    """('(cid:N)' codes, unmapped glyphs) in ``text``: U+FFFD, private-use characters, control characters."""
    return len(_CID.findall(text)), len(_JUNK.findall(text))


def _hidden_ranges(fields: dict, hidden_pages: dict[int, list[tuple[str, str]]]) -> tuple:
    """The hidden words of each page found in that page's stretch of the assembled text, in text offsets."""
    if not hidden_pages:
        return ()
    text, starts = fields["text"], list(fields["page_starts"])
    out = []
    for number, words in sorted(hidden_pages.items()):
        if number > len(starts):
            continue
        a = starts[number - 1]
        b = starts[number] if number < len(starts) else len(text)
        out += [(a + s, a + e, r) for s, e, r in locate(text[a:b], words)]
    return tuple(out)


def read_pdf(data: bytes, source: str, *, max_pages: int | None = None) -> dict:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise EncryptedDocument(
                "the PDF is encrypted with a password; open it with the password and save or print it "
                "to a new PDF without one (e.g. qpdf --password=PW --decrypt in.pdf out.pdf)",
                path=source,
            ) from None
        raise InputError(
            f"the PDF is damaged and cannot be read ({exc}); re-export it, or repair it with qpdf or Ghostscript",
            path=source,
        ) from None
    try:
        if max_pages is not None and len(pdf) > max_pages:
            raise LimitExceeded(
                f"the PDF has {len(pdf)} pages, over the {max_pages}-page limit; raise it with --max-pages or "
                "CASTGUARD_MAX_PAGES if the file is genuine",
                path=source,
            )
        raw_pages: list[list[str]] = []
        hidden_pages: dict[int, list[tuple[str, str]]] = {}  # page number -> its hidden words (see pdf_hidden)
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            hidden_words = page_hidden(page, textpage)
            if hidden_words:
                hidden_pages[i + 1] = [(normalise(w), r) for w, r in hidden_words]
            textpage.close()
            page.close()
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
            # pdfium marks a hyphen it joined across a line end as U+FFFE: "per\ufffeformance" is one word,
            # "non\ufffeExclusive" a compound that keeps its hyphen
            text = _SOFT_HYPHEN_WORD.sub(r"\1\2", text).replace("\ufffe", "-")
            raw_pages.append([_undouble(ln.rstrip()) for ln in text.split("\n")])
    finally:
        pdf.close()

    n_pages = len(raw_pages)
    if n_pages == 0:
        raise InputError("the PDF has no pages", path=source)
    all_text = "\n".join("\n".join(p) for p in raw_pages)
    visible = _visible(all_text)
    if visible < 40:
        raise NoTextLayer(
            f"the PDF has no text layer ({n_pages} page(s), {visible} characters of text): it is probably a scan; "
            "run OCR first, e.g. `ocrmypdf in.pdf out.pdf`, then scan out.pdf",
            path=source,
        )
    cid, junk = _garbage("\n".join(all_text.split("\n")))
    if cid * 6 + junk > 0.1 * visible:
        raise GarbledText(
            f"the PDF's text layer is unreadable font-encoding garbage ({cid} '(cid:N)' codes, {junk} unmapped "
            "glyphs): its fonts lack a Unicode map; run OCR on it (ocrmypdf --force-ocr in.pdf out.pdf)",
            path=source,
        )
    # a few garbled pages in an otherwise readable PDF are dropped, not passed on as text
    warnings: list[str] = []
    garbled = []
    for number, lines in enumerate(raw_pages, start=1):
        page_text = "\n".join(lines)
        page_cid, page_junk = _garbage(page_text)
        if page_cid * 6 + page_junk > 0.3 * max(1, _visible(page_text)):
            garbled.append(number)
            raw_pages[number - 1] = []
    if garbled:
        warnings.append(
            f"{source}: page(s) {', '.join(map(str, garbled[:10]))} have an unreadable text layer (font encoding "
            "without a Unicode map) and were left out; run OCR (ocrmypdf --force-ocr) to include them"
        )

    pages = _strip_running_heads(raw_pages)
    pieces: list[Piece] = []
    empty_pages = []
    for number, lines in enumerate(pages, start=1):
        lines = _join_hyphenated(list(lines))
        if not any(ln.strip() for ln in lines):
            empty_pages.append(number)
        for ln in lines:
            pieces.append(Piece(text=ln, page=number))
        if not lines:
            pieces.append(Piece(text="", page=number))
    empty_pages = [n for n in empty_pages if n not in garbled]
    if empty_pages and len(empty_pages) < n_pages:
        warnings.append(
            f"{source}: page(s) {', '.join(map(str, empty_pages[:10]))} have no text layer (scanned?); "
            "their content is not analysed — run OCR (ocrmypdf) to include it"
        )
    fields = assemble(pieces, paged=True)
    fields["hidden"] = _hidden_ranges(fields, hidden_pages)
    if fields["hidden"]:
        reasons = ", ".join(sorted({r for _, _, r in fields["hidden"]}))
        warnings.append(
            f"{source}: contains text a reader does not see ({reasons}); it was read like the rest, and a finding "
            "in it says that the clause is hidden"
        )
    fields["pages"] = n_pages
    fields["warnings"] = warnings
    return fields
