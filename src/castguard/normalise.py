r"""Unicode normalisation for detection, with every offset mapped back to the original text.

Hidden characters must not hide a grant: "tra\u200bin", "arti\u00adficial" or "mоdels" with a Cyrillic "о"
read as ordinary words to a person but not to a pattern. Detection therefore runs on a normalised copy of the
text, and everything it reports (offsets, quotes, clause text) is mapped back to the original, so every quote
stays verbatim from the document.

``normalise(text)`` returns ``(norm, origin)``: ``origin[i]`` is the offset in ``text`` of the character that
produced ``norm[i]``, and ``origin[len(norm)] == len(text)``. The steps:

1. zero-width and other invisible format characters and the soft hyphen are removed;
2. every other character is NFKC-normalised on its own (a ligature "ﬁ" becomes "fi", both characters mapping
   to the ligature; full-width letters, mathematical letters and non-breaking spaces become plain ones);
3. Cyrillic and Greek look-alikes of Latin letters are folded to Latin, but only inside a word that also has
   Latin letters, or in words made only of look-alikes whose neighbouring words are Latin (or, on one side,
   absent): a Russian or Greek paragraph is left as it is.

``scan_document`` uses :func:`normalised_document` and :func:`map_back`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from .lazyre import LazyPattern

__all__ = ["map_back", "normalise", "normalised_document", "to_normalised", "to_original"]

# invisible characters: zero-width space / non-joiner / joiner, word joiner and the invisible operators,
# ZERO WIDTH NO-BREAK SPACE (a BOM inside the text), Mongolian vowel separator, combining grapheme joiner, the
# directional marks, embeddings and isolates, variation selectors and tag characters (all as invisible as a
# zero-width space), and the soft hyphen. The readers drop some of them already (ingest/_assemble.py); a
# Document made by a caller may still have them.
_REMOVE = frozenset(
    "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0000, 0xE0080)))
)
_REMOVE_RE = re.compile("[" + "".join(sorted(_REMOVE)) + "]")

# Cyrillic and Greek letters that look like Latin ones
LOOKALIKES = {
    # Cyrillic small
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    # Cyrillic capital
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "У": "Y", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    # Greek capital
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small
    "ο": "o", "ν": "v", "ι": "i", "α": "a", "ρ": "p", "υ": "u", "ϳ": "j",
}
_FOLD_TABLE = str.maketrans(LOOKALIKES)
_LOOKALIKE_CLASS = "".join(sorted(LOOKALIKES))
_LOOKALIKE_RE = LazyPattern(f"[{_LOOKALIKE_CLASS}]")
_LATIN_CLASS = "A-Za-zªºÀ-ÖØ-öø-ɏḀ-ỿ"
_LATIN_RE = re.compile(f"[{_LATIN_CLASS}]")
# a letter that is neither Latin nor a look-alike: the word is genuinely in another script
_OTHER_RE = re.compile(f"[^\\W\\d_{_LATIN_CLASS}{_LOOKALIKE_CLASS}]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_LETTER, _NON_LETTER = r"[^\W\d_]", r"[\W\d_]"
# a look-alike with a Latin letter after or before it (charset first, so the regex engine skips ahead fast)
_MIXED_SEED_RE = LazyPattern(f"[{_LOOKALIKE_CLASS}](?:(?=[{_LATIN_CLASS}])|(?<=[{_LATIN_CLASS}][{_LOOKALIKE_CLASS}]))")
# whole words made only of look-alikes, and the non-letters between them
_LOOKALIKE_RUN_RE = LazyPattern(
    f"[{_LOOKALIKE_CLASS}](?<!{_LETTER}[{_LOOKALIKE_CLASS}])[{_LOOKALIKE_CLASS}]*"
    f"(?:{_NON_LETTER}+[{_LOOKALIKE_CLASS}]+)*(?!{_LETTER})"
)
# a whole word of Latin letters and look-alikes with at least one of each
_MIXED_WORD_RE = LazyPattern(
    f"(?<!{_LETTER})(?={_LETTER}*?[{_LOOKALIKE_CLASS}])(?={_LETTER}*?[{_LATIN_CLASS}])"
    f"[{_LATIN_CLASS}{_LOOKALIKE_CLASS}]+(?!{_LETTER})"
)
_NEAREST_WORD_RE = re.compile(f"{_NON_LETTER}*({_LETTER}+)")

# NFKC results longer than this are not applied: a single "﷽" is 18 characters, and a hostile file made of
# them must not multiply the text the pipeline reads (ligatures, "…" and "(a)" are three at most)
_MAX_EXPANSION = 3


@functools.lru_cache(maxsize=4096)
def _replacement(ch: str) -> str:
    if ch in _REMOVE:
        return ""
    out = unicodedata.normalize("NFKC", ch)
    if len(out) > _MAX_EXPANSION or (len(out) > 1 and out[0] == " "):
        # too long to be worth it, or a spacing accent ("´" -> space + combining acute) that would split a word
        return ch
    return out


def _identity(n: int) -> range:
    return range(n + 1)


def normalise(text: str) -> tuple[str, Sequence[int]]:
    """``(norm, origin)``: the text as detection should read it and, for each of its characters, the offset in
    ``text`` it came from (plus the sentinel ``origin[len(norm)] == len(text)``).

    When nothing changes, ``norm is text`` and ``origin`` is the identity, as a ``range`` (no list is built).
    """
    if text.isascii():
        return text, _identity(len(text))
    norm, origin = text, None
    if _REMOVE_RE.search(text) or not unicodedata.is_normalized("NFKC", text):
        norm, origin = _strip_and_nfkc(text)
    if _LOOKALIKE_RE.search(norm):
        norm = _fold_lookalikes(norm)  # one character for one: origin is unchanged
    if norm == text:
        return text, _identity(len(text))
    return norm, origin if origin is not None else _identity(len(text))


def _strip_and_nfkc(text: str) -> tuple[str, list[int] | None]:
    table = {}
    for ch in set(text):
        if ch > "\x7f":
            rep = _replacement(ch)
            if rep != ch:
                table[ord(ch)] = rep
    if not table:
        return text, None
    reps = "".join(table.values())
    if any(chr(c) in reps for c in table):
        norm = text.translate(table)
    else:  # one C-speed pass per distinct character beats translate's per-character lookups
        norm = text
        for c, rep in table.items():
            norm = norm.replace(chr(c), rep)
    resized = {c: len(rep) for c, rep in table.items() if len(rep) != 1}
    if not resized:
        return norm, None  # one character for one: the identity still maps
    import numpy as np  # spaCy's and scikit-learn's dependency: the mapping is built without a Python loop

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = np.ones(len(text), dtype=np.intp)
    for c, k in resized.items():
        counts[codes == c] = k
    origin = np.repeat(np.arange(len(text), dtype=np.intp), counts).tolist()
    origin.append(len(text))
    return norm, origin


def _kind(word: str) -> str:
    if _OTHER_RE.search(word):
        return "other"
    return "latin" if _LATIN_RE.search(word) else "lookalike"


def _fold_lookalikes(text: str, few: int = 2000) -> str:
    """Look-alikes folded in the words that read as Latin; ``text`` itself when there are none."""
    n = len(text)
    rev = text[::-1]
    # a word of Latin letters and look-alikes has a look-alike next to a Latin letter: with few of those, each
    # word is found from there; with many (a whole document disguised), one pass over every word is faster
    seeds = list(itertools.islice(_MIXED_SEED_RE.finditer(text), few))
    if len(seeds) < few:
        spans = []
        prev_end = 0
        for m in seeds:
            i = m.start()
            if i < prev_end:
                continue
            back, ahead = _WORD_RE.match(rev, n - 1 - i), _WORD_RE.match(text, i)
            assert back is not None and ahead is not None  # the seed is a letter
            start = n - back.end()
            end = ahead.end()
            prev_end = end
            if not _OTHER_RE.search(text, start, end):
                spans.append((start, end))
    else:
        spans = [m.span() for m in _MIXED_WORD_RE.finditer(text)]
    # runs of words made only of look-alikes: folded when the words either side are Latin
    for m in _LOOKALIKE_RUN_RE.finditer(text):
        start, end = m.span()
        before = _NEAREST_WORD_RE.match(rev, n - start)
        after = _NEAREST_WORD_RE.match(text, end)
        kinds = {_kind(w.group(1)) for w in (before, after) if w}
        if kinds and "other" not in kinds:
            spans.append((start, end))
    if not spans:
        return text
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(text[start:end].translate(_FOLD_TABLE))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def to_original(origin: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The span of the original text that produced ``norm[start:end]`` (half-open)."""
    ostart = origin[start]
    return (ostart, origin[end - 1] + 1) if end > start else (ostart, ostart)


def to_normalised(origin: Sequence[int], offset: int) -> int:
    """The offset in the normalised text of the first character produced at or after original ``offset``."""
    return bisect.bisect_left(origin, offset)


# --------------------------------------------------------------------------- documents and reports


def normalised_document(doc):
    """``(ndoc, origin)``: ``doc`` with normalised text, its blocks and page starts moved to match; ``ndoc is
    doc`` when normalising changes nothing."""
    norm, origin = normalise(doc.text)
    if norm is doc.text:
        return doc, origin
    fwd = functools.partial(to_normalised, origin)
    blocks = tuple(replace(b, start=fwd(b.start), end=fwd(b.end)) for b in doc.blocks)
    return replace(doc, text=norm, blocks=blocks, page_starts=tuple(fwd(p) for p in doc.page_starts)), origin


_CURLY = re.compile(r"“([^“”]*)”")


class _Quotes:
    """Quotation marks in explanations, kept only around words the original contains.

    A quote is unquoted when it occurs in the normalised text but not in the original: it was taken from
    what normalising made (a cue "train" where the document has "trаin" with a Cyrillic "а"). Other quotes
    are left as scanning ordinary text leaves them. Cue words are quoted in lower case, so case is ignored,
    and runs of whitespace compare as one space.
    """

    def __init__(self, original: str, norm: str, keep: frozenset[str]):
        self.texts = {"original": original, "norm": norm}
        self.folded: dict[str, str] = {}
        self.keep = keep

    def _in(self, which: str, q: str) -> bool:
        if q in self.texts[which]:
            return True
        if which not in self.folded:
            self.folded[which] = " ".join(self.texts[which].split()).lower()
        return " ".join(q.removesuffix("…").split()).lower() in self.folded[which]  # "…": a clipped quote

    def verbatim(self, q: str) -> bool:
        return q in self.keep or self._in("original", q) or not self._in("norm", q)

    def fix(self, explanation: str) -> str:
        if "“" not in explanation:
            return explanation
        return _CURLY.sub(lambda m: m.group(0) if self.verbatim(m.group(1)) else m.group(1), explanation)


def map_back(report, original, origin: Sequence[int]):
    """``report`` (made from the normalised document) with every offset, quote and clause text taken from
    ``original`` instead; quotation marks in explanations are kept only around words ``original`` contains."""
    from .classify.evidence import quote as _quote  # the same quoting the findings were made with
    from .classify.taxonomy import GAPS

    text = original.text
    quotes = _Quotes(text, report.document.text, frozenset(g.title for g in GAPS.values()))

    def span(start: int, end: int) -> tuple[int, int]:
        return to_original(origin, start, end)

    def evidence(e):
        s, t = span(e.start, e.end)
        quote, s, t = _quote(text, s, t)
        return replace(e, quote=quote, start=s, end=t, page=original.page_at(s))

    def clause(c):
        s, t = span(c.start, c.end)
        return replace(
            c,
            start=s,
            end=t,
            text=text[s:t],
            page=original.page_at(s),
            sentences=tuple(span(a, b) for a, b in c.sentences),
            number=_verbatim_part(report.document.text, text, origin, c.number, c.start, c.end),
            heading=_verbatim_part(report.document.text, text, origin, c.heading, c.start, c.end),
        )

    clauses = tuple(clause(c) for c in report.clauses)
    findings = tuple(
        replace(f, evidence=tuple(evidence(e) for e in f.evidence), explanation=quotes.fix(f.explanation))
        for f in report.findings
    )
    protections = tuple(
        replace(p, evidence=tuple(evidence(e) for e in p.evidence), explanation=quotes.fix(p.explanation))
        for p in report.protections
    )
    from .facts import map_facts

    return replace(
        report,
        document=original,
        clauses=clauses,
        facts=map_facts(report.facts, original, origin),
        findings=findings,
        protections=protections,
        scope_evidence=span(*report.scope_evidence) if report.scope_evidence else report.scope_evidence,
        scope_reason=quotes.fix(report.scope_reason),
        document_type_reason=quotes.fix(report.document_type_reason),
    )


def _verbatim_part(norm: str, text: str, origin: Sequence[int], part: str | None, start: int, end: int) -> str | None:
    """A clause's number or heading as the original prints it: found in the clause's normalised text and read
    from the original at the same place (unchanged when it is not found there)."""
    if not part:
        return part
    at = norm.find(part, start, max(end, start + len(part)))
    if at < 0:
        return part
    s, t = to_original(origin, at, at + len(part))
    return text[s:t]
