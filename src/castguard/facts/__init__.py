"""Deal facts with evidence: who, which agreement, when, under which law, union, minor.

:func:`extract_facts` reads a segmented document (its clauses carry ids) and returns one :class:`Fact` per fact
the document states clearly: its value, the clause it is in, the document's own words that state it (a verbatim
quote) and a confidence. A fact the document does not state clearly is absent: never guessed, never filled
from a default here. Facts: ``performer`` (the natural person), ``performer_entity`` (a loan-out company that
furnishes them), ``company`` (the party that receives the rights), ``agreement_title``, ``agreement_date``,
``governing_law`` (as stated, with a code: NY, UK, EU-DE, ...; see :mod:`castguard.facts.places`), ``union``
(when the contract says the performer's services are covered) and ``minor``.

The scan pipeline stores them on the report (``Report.facts``); ``castguard facts`` prints them; ``draft`` and
``redline`` take them as the deal's defaults, a deal file or an option always winning.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..ingest import load_readers, read_document
from ..lazyre import LazyPattern
from ..limits import current_limits, deadline
from ..model import FACT_NAMES, Clause, Document, Fact
from ..normalise import normalised_document, to_original
from ..segment import segment
from ..segment.sentences import load_pipeline
from ..vocabulary import PERFORMER_ROLES
from .dates import DATE, parse_date
from .law import find_governing_law
from .parties import find_parties
from .places import jurisdiction_for
from .text import sentence_around, title_case

__all__ = [
    "FACT_NAMES",
    "Fact",
    "FactSheet",
    "extract_facts",
    "facts_of_document",
    "facts_to_dict",
    "jurisdiction_for",
    "map_facts",
    "parse_date",
    "read_facts",
]

MAX_QUOTE = 400


class _Where:
    """Offsets -> clause ids and pages."""

    def __init__(self, doc: Document, clauses: Sequence[Clause]):
        self.doc = doc
        self.clauses = sorted(clauses, key=lambda c: c.start)
        self.starts = [c.start for c in self.clauses]

    def clause_id(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return self.clauses[0].id if self.clauses else None
        return self.clauses[i].id

    def fact(self, name: str, value, start: int, end: int, confidence: float, code: str | None = None) -> Fact:
        text = self.doc.text
        if end - start > MAX_QUOTE:  # keep the words that state the fact, cut at a word boundary
            cut = text.rfind(" ", start, start + MAX_QUOTE)
            end = cut if cut > start + MAX_QUOTE // 2 else start + MAX_QUOTE
        while end > start and text[end - 1].isspace():
            end -= 1
        return Fact(
            name=name,
            value=value,
            source="contract",
            clause_id=self.clause_id(start),
            quote=text[start:end],
            start=start,
            end=end,
            page=self.doc.page_at(start),
            confidence=round(confidence, 3),
            code=code,
        )


# --------------------------------------------------------------------------- title and date

_TITLE_WORDS = re.compile(
    r"\b(?:AGREEMENT|CONTRACT|RELEASE|LICEN[CS]E|TERMS|DEAL\s+MEMO|MEMORANDUM|ADDENDUM|RIDER|AMENDMENT|CONSENT|"
    r"WAIVER|ENGAGEMENT\s+LETTER)\b",
    re.I,
)
_NOT_TITLE = re.compile(
    r"fictional|sample|confidential|omitted|exhibit\s+[\w.()-]+\s*$|^exhibit\b|securities|commission|"
    r"^page\b|table\s+of\s+contents|\bthis\b|\bherein|redact|request|pursuant|^execution\s+copy|^portions",
    re.I,
)
_THIS_TITLE = re.compile(
    r"\b[Tt][Hh][Ii][Ss]\s+(?P<t>(?:(?:[A-Z][\w&'’/.-]*|and|of|for|the|to|in|on|&|AND|OF|FOR|THE)[ \t]+){1,12}?"
    r"(?:Agreement|AGREEMENT|Contract|CONTRACT|Release|RELEASE|License|LICENSE|Licence|LICENCE|Memorandum|"
    r"MEMORANDUM|Addendum|ADDENDUM|Amendment|AMENDMENT|Rider|RIDER|Deal\s+Memo|DEAL\s+MEMO))\b"
)


def _title(text: str, where: _Where) -> Fact | None:
    head_end = min(len(text), 2500)
    # the document's title: a short heading line near the top that names the kind of agreement
    lines = 0
    for m in re.finditer(r"[^\n]+", text[:head_end]):
        lines += 1
        if lines > 20:
            break
        spaced = re.fullmatch(r"\s*((?:[A-Z] ){2,}[A-Z](?:\s{2,}(?:[A-Z] ){1,}[A-Z])*)\s*", m.group(0))
        if spaced:  # letter-spaced capitals: the words are the runs of single-spaced letters
            words = [w.replace(" ", "") for w in re.split(r"\s{2,}", spaced.group(1))]
            core = " ".join(words)
            if _TITLE_WORDS.search(core) and not _NOT_TITLE.search(core):
                s = m.start() + spaced.start(1)
                return where.fact("agreement_title", title_case(core), s, m.start() + spaced.end(1), 0.85)
            continue
        for part in re.finditer(r"\S(?:.*?\S)?(?=\s{3,}|$)", m.group(0)):
            raw = part.group(0)
            s = m.start() + part.start()
            # strip Markdown and an exhibit label: "# Title", "**TITLE**", "Exhibit 10.16 ENDORSEMENT AGREEMENT"
            lead = re.match(r"[#*_>\s|-]*(?:exhibit\s+[\w.()-]+\s+)?", raw, re.I)
            assert lead is not None  # the pattern matches the empty string
            s += lead.end()
            core = raw[lead.end() :]
            core = re.sub(r"[*_#|\s:]+$", "", core)
            core = re.split(r"\s+(?:BETWEEN|between|by\s+and\s+between|BY\s+AND\s+BETWEEN)\s", core)[0]
            # "PACIFICAP ENTERTAINMENT Agreement with THE HENRY FILM AND ENTERTAINMENT CORPORATION": a party
            core = re.split(
                r"\s+(?:with|WITH)\s+(?=[^,]*\b(?:INC|Inc|LLC|CORPORATION|Corporation|LTD|Ltd|CORP|Corp)\b)", core
            )[0]
            # "Re: "CEDAR FALLS COUNTY" -- Series Regular Agreement", "Lumen Studio LLC: Adult Model Release",
            # "EQUIPMENT RENTAL AGREEMENT -- Rental Order No. 3318": the part that names the kind of agreement
            core = re.sub(r"^(?:Re|RE|Subject)\s*:\s*", "", core)
            s = m.start() + part.start() + lead.end() + (raw[lead.end() :].find(core) if core in raw else 0)
            depth, cuts = 0, [0]
            for i, ch in enumerate(core):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0 and (core.startswith(" -- ", i) or core.startswith(" — ", i) or core.startswith(": ", i)):
                    cuts.append(i)
            if len(cuts) > 1:
                pieces = []
                for a, b in zip(cuts, [*cuts[1:], len(core)]):
                    piece = core[a:b]
                    sep = re.match(r"(?:\s*(?:--|—|:)\s*)?", piece)
                    assert sep is not None  # the pattern matches the empty string
                    lead_len = len(sep.group(0)) if a else 0
                    pieces.append((a + lead_len, piece[lead_len:].strip()))
                named = [(a, p) for a, p in pieces if _TITLE_WORDS.search(p)]
                if named:
                    a, core = named[0]
                    s += a
            if not (4 <= len(core) <= 120) or not _TITLE_WORDS.search(core) or _NOT_TITLE.search(core):
                continue
            if re.search(r"[.;]\s+\w", core) or core.endswith(".") and not core.isupper():
                continue  # a sentence, not a title
            if core[:1].islower() or len(core.split()) > 14 or re.search(r"_{2,}|\[[^\]]*\]", core):
                continue
            value = title_case(" ".join(core.split()))
            return where.fact("agreement_title", value, s, s + len(core), 0.9)
    this_title = _THIS_TITLE.search(text, 0, min(len(text), 8000))
    if this_title and len(this_title.group("t").split()) >= 2 and not _TITLE_WORDS.match(this_title.group("t")):
        t = this_title.group("t")
        return where.fact(
            "agreement_title", title_case(" ".join(t.split())), this_title.start("t"), this_title.end("t"), 0.85
        )
    return None


_NOUN = (
    r"(?:AGREEMENT|Agreement|CONTRACT|Contract|AMENDMENT|Amendment|ADDENDUM|Addendum|SCHEDULE|Schedule|RELEASE|"
    r"Release|LICEN[CS]E|Licen[cs]e|MEMORANDUM|Memorandum|RIDER|Rider|DEAL\s+MEMO|Deal\s+Memo|SUPPLEMENT|"
    r"Supplement|TERMS|Terms|INDENTURE|Indenture|ORDER|Order)"
)
# "This Amendment No. 3 to the Supply Agreement", "THIS ENDORSEMENT AGREEMENT", "This Agreement": the document itself
_NOUN_LOWER = r"(?:agreement|contract|amendment|addendum|release|licen[cs]e|memorandum|rider|deal\s+memo)"
# the words of a title between "This" and its noun: capitalised, or the small words of a title
_TITLE_WORD = r"(?:[A-Z0-9][\w&'’/#.-]*|and|of|for|the|to|in|on|&|AND|OF|FOR|THE)"
_THIS_LOWER = re.compile(rf"\b(?:THIS|This|this)\s+(?:{_TITLE_WORD},?\s+){{0,8}}?(?:{_NOUN}|{_NOUN_LOWER})\b")
_THIS_DOC = re.compile(
    rf"\b(?:THIS|This)\s+(?:{_TITLE_WORD},?\s+){{0,12}}?{_NOUN}\b(?:\s+(?:No\.?|NO\.?|Number|#)\s*[\w.-]+)?"
    rf"(?:\s+(?:to|TO)\s+(?:the\s+|THE\s+|that\s+certain\s+)?(?:[\w&'’/,.-]+\s+){{0,10}}?{_NOUN}\b)?"
)
_MAIN_VERB = re.compile(
    r"\b(?:is|are|was|were|shall\s+be|will\s+be|has\s+been|have\s+been|hereby|being)\s+(?:hereby\s+)?"
    r"(?:made|entered\s+into|executed|dated|effective|signed|concluded|made\s+and\s+entered\s+into)\b"
    r"|\b(?:made|entered\s+into)\s+(?:and\s+entered\s+into\s+)?(?:as\s+of\s+)?(?:this|the)\b",
    re.I,
)
_TRIGGER = re.compile(
    r"\b(?:dated|made|entered\s+into|executed|effective|signed|concluded|as\s+of)\b"
    r"|\bthis\s+(?=(?:the\s+)?\d|first|second|third|[a-z]+(?:-[a-z]+)?\s+\(\d)",
    re.I,
)
_MADE = re.compile(r"dated|made|entered|executed|signed|concluded|this", re.I)
_DATE_RE = re.compile(DATE, re.I)
_DATE_LABEL = LazyPattern(
    r"(?im)^[\s*|#>-]*(?:\d{1,2}\.\s*)?(?P<label>date|dated|effective\s+date|agreement\s+date|date\s+of\s+(?:this\s+)?agreement|"
    r"execution\s+date|date\s+of\s+execution|(?:amendment|addendum|schedule)\s+effective\s+date|shoot\s+date|"
    r"session\s+date|date\s+of\s+(?:the\s+)?(?:shoot|session|recording|engagement))[\s*]*[:|]?[\s*|]*(?:as\s+of\s+)?"
    r"(?P<date>" + DATE + r")"
)
# a title line followed by its date: "AMENDMENT NO. 1 Dated as of November 11, 2005", "AGENCY AGREEMENT May 14, 2014"
_NOUN_CAPS = r"(?:AGREEMENT|CONTRACT|AMENDMENT|ADDENDUM|SCHEDULE|RELEASE|LICEN[CS]E|MEMORANDUM|RIDER|DEAL\s+MEMO)"
_TITLE_DATED = LazyPattern(
    rf"(?:^|\n|\s{{2,}}|\.\s+)[ \t#*]*(?:[A-Z][A-Z0-9&'’,/.-]*\s+){{0,10}}{_NOUN_CAPS}(?:\s+(?:NO\.?|NUMBER|#)\s*[\w.-]+)?"
    rf"[ \t,]*(?:\n[ \t]*){{0,2}}(?P<trig>(?i:(?:dated|effective|made)(?:\s+as\s+of)?|as\s+of))?[ \t:]*(?P<date>(?i:{DATE}))"
)
_PARENS = re.compile(r"\([^()]*\)")
_OPENING_STOP = re.compile(
    r"\bWHEREAS\b|\bWhereas\b|W\s?I\s?T\s?N\s?E\s?S\s?S\s?E\s?T\s?H|\bRECITALS?\b|(?m:^\s*Recitals?\s*$)|"
    r"\bBACKGROUND\b|\bNOW,?\s+THEREFORE\b|\bNow,?\s+[Tt]herefore\b|\bagree(?:s|d)?\s+as\s+follows\b|"
    r"(?m:^\s*(?:ARTICLE|Article|Section|SECTION)\s+(?:1|I|ONE)\b)|(?m:^\s*1[.)]\s+[A-Z])|\s{2,}1\.\s+[A-Z]"
)


_LETTER_DATE = LazyPattern(r"(?m)^[ \t]*(?P<date>" + DATE + r")[ \t]*$")
# in the statement of the parties, only words that date this agreement: "on this 28th day of ...", "made on ..."
# ("..., dated November 5, 2010" there can be the date of the agreement a schedule belongs to)
_STATEMENT_DATE = LazyPattern(r"\b(?:(?:on\s+)?this|made\s+on)\s+(?:the\s+)?(?P<date>" + DATE + r")", re.I)
_DATED_SENTENCE = LazyPattern(r"(?:^|[.]\s+)(?P<label>Dated)\s*:?\s+(?:as\s+of\s+)?(?P<date>" + DATE + r")")


def _date(text: str, where: _Where, statement: tuple[int, int] | None = None) -> Fact | None:
    """The date of the agreement itself, from the sentence that makes it ("This Agreement is made as of
    March 14, 2012"), its title line ("AMENDMENT NO. 1 Dated as of ..."), or a "Date:" label on its cover.
    A date that belongs to another agreement ("to the Supply Agreement dated April 1, 2017") is never taken;
    when the agreement is both made and effective on stated dates, the date it is made wins."""
    search_to = min(len(text), 12000)
    found: list[tuple[int, int, int, str, float]] = []  # (rank, start, end, value, confidence)
    anchors = sorted(
        [*_THIS_DOC.finditer(text, 0, search_to), *_THIS_LOWER.finditer(text, 0, min(len(text), 3000))],
        key=lambda a: a.start(),
    )  # "This agreement", "this Consulting Agreement" count only near the top: later they are the body's words
    for anchor in anchors:
        window_end = min(len(text), anchor.end() + 900)
        stop = _OPENING_STOP.search(text, anchor.end(), window_end)
        hi = stop.start() if stop else window_end
        for t in _TRIGGER.finditer(text, anchor.end(), hi):
            m = _DATE_RE.search(text, t.end(), min(len(text), t.end() + 90))
            if not m or m.start() > hi + 40:
                continue
            between = text[t.end() : m.start()]
            if re.search(r"[.;:]\s+[A-Z(]|\bbetween\b|\band\b(?!\s+entered)", between, re.I):
                continue
            if re.search(_NOUN + r"\b|\b(?:dated|made|entered)\b", between):
                continue  # "as of the effective date stated above, the following contract(s): Service Agreement dated"
            if t.group(0).lower().startswith("this") and between.strip(" the"):
                continue
            before = _PARENS.sub(" ", text[anchor.end() : t.start()])
            main = bool(_MAIN_VERB.search(text, max(anchor.end(), t.start() - 30), t.end() + 12))
            if not main and re.search(_NOUN + r"\b", before):
                continue  # "... to the Supply Agreement dated April 1, 2017": another agreement's date
            value = " ".join(m.group(0).split())
            if parse_date(value) is None:
                continue
            rank = 0 if _MADE.match(t.group(0)) else 1
            # the quote: from "This Agreement" to the date when that is short, else the words that date it
            qs = anchor.start() if m.end() - anchor.start() <= 300 else t.start()
            found.append((rank, qs, m.end(), value, 0.9))
        if found:
            break
    if not found:
        m = _TITLE_DATED.search(text, 0, min(len(text), 2500))
        if m and not re.search(
            r"that\s+certain|to\s+the|under\s+the|[Rr]eference", text[max(0, m.start() - 30) : m.start()]
        ):
            value = " ".join(m.group("date").split())
            if parse_date(value) is not None:
                lead = re.match(r"[.:\s#*]*", m.group(0))
                assert lead is not None  # the pattern matches the empty string
                s = m.start() + len(lead.group(0))
                found.append((0, s, m.end("date"), value, 0.85))
    if found:
        rank, s, e, value, confidence = min(found, key=lambda f: (f[0], f[1]))
        return where.fact("agreement_date", value, s, e, confidence)
    if statement is not None:
        # "Greystone Theatre ... and Marisol Quintero-Blake ... agree as follows on this 28th day of November, 2016";
        # "... ("the Artiste's Agent"). Dated 2 June 2025."
        lo, hi = statement
        for m in (
            _STATEMENT_DATE.search(text, lo, min(len(text), hi + 80)),
            _DATED_SENTENCE.search(text, lo, min(len(text), hi + 80)),
        ):
            if (
                m
                and parse_date(m.group("date")) is not None
                and not re.search(_NOUN + r"\s*$", text[max(lo, m.start() - 40) : m.start()])
            ):
                qs = m.start("label") if "label" in m.groupdict() else m.start()
                return where.fact("agreement_date", " ".join(m.group("date").split()), qs, m.end("date"), 0.85)
    dear = re.search(r"(?m)^\s*Dear\s", text[: min(len(text), 3000)])
    if dear:  # a letter agreement's own date, on its line above "Dear ..."
        letter = None
        for letter in _LETTER_DATE.finditer(text, 0, dear.start()):
            break
        if letter is not None and parse_date(letter.group("date")) is not None:
            return where.fact(
                "agreement_date", " ".join(letter.group("date").split()), letter.start("date"), letter.end("date"), 0.8
            )
    m = _DATE_LABEL.search(text, 0, min(len(text), 1500))  # a cover's label, never a signature block's
    if m:
        value = " ".join(m.group("date").split())
        if parse_date(value) is not None:
            confidence = 0.85 if m.group("label").lower() not in ("shoot date", "session date") else 0.7
            return where.fact("agreement_date", value, m.start("label"), m.end("date"), confidence)
    return _signed(text, where)


_WITNESS = LazyPattern(
    r"IN\s+(?:WITNESS|EVIDENCE)\s+WHEREOF[^.]{0,200}?\b(?:this|as\s+of|on|dated)\s+(?:the\s+)?(?P<date>" + DATE + r")",
    re.I,
)
_SIGNED_DATE = LazyPattern(
    r"(?im)(?<![A-Za-z] )\bDate(?:d)?\s*[:.]?\s*(?P<date>" + DATE + r")"  # "Date: 5/14/12", not "Open Date: ..."
    # the date written on the line above "Date": "5/17/12   GENO AURIEMMA" / "Date"
    r"|(?<!dated )(?<!of )(?P<above>" + DATE + r")[^\n]{0,60}\n(?:[ \t]*\n)?(?:[ \t]*Date\b|[^\n]{0,60}\bDate[ \t]*$)"
)
_SIGNATURE_WORDS = re.compile(r"/s/|\bBy\s*:|\bName\s*:|\bTitle\s*:|\bIts\s*:|\bSignature\b", re.I)


def _signed(text: str, where: _Where) -> Fact | None:
    """When the opening states no date, the date the agreement was signed: the witness clause's ("IN WITNESS
    WHEREOF ... executed this 14th day of February 2020") or the signature block's "Date:" lines, the latest of
    them (the agreement is made when the last party signs)."""
    witness = text.rfind("WITNESS WHEREOF")
    tail_start = witness - 20 if witness >= 0 else max(0, len(text) - 6000)
    m = _WITNESS.search(text, max(0, tail_start))
    if m:
        value = " ".join(m.group("date").split())
        if parse_date(value) is not None:
            return where.fact("agreement_date", value, m.start(), m.end("date"), 0.8)
    lo = max(0, tail_start)
    hi = min(len(text), lo + 3000) if witness >= 0 else len(text)
    dates = []
    for d in _SIGNED_DATE.finditer(text, lo, hi):
        if not _SIGNATURE_WORDS.search(text, max(lo, d.start() - 400), min(len(text), d.end() + 400)):
            continue
        group = "date" if d.group("date") else "above"
        when = parse_date(d.group(group))
        if when is not None:
            dates.append((when, d, group))
    if not dates:
        return None
    when, last, group = max(dates, key=lambda t: (t[0], t[1].start()))
    value = " ".join(last.group(group).split())
    first = min(d.start(g) for _, d, g in dates)
    return where.fact("agreement_date", value, first, max(d.end(g) for _, d, g in dates), 0.7)


# --------------------------------------------------------------------------- union, minor

_UNIONS = (
    ("SAG-AFTRA", r"SAG[-‐–\s]?AFTRA\b"),
    ("SAG", r"\bSAG\b|Screen\s+Actors\s+Guild"),
    ("AFTRA", r"\bAFTRA\b|American\s+Federation\s+of\s+Television\s+and\s+Radio\s+Artists"),
    ("Equity", r"Actors['’]?\s+Equity(?:\s+Association)?|British\s+Equity|\bUK\s+Equity|(?<=member of )Equity\b|"
               r"(?<=member in good standing of )Equity\b|\bEquity['’]s\s+(?:recommended\s+)?(?:terms|rates|agreement)|"
               r"(?<!stockholders['’] )(?<!shareholders['’] )(?<!private )\bEquity\b(?=\s+(?:agreement|contract|"
               r"rules?|minimum|member|union|production|agreements)\b)"),
    ("AFM", r"\bAFM\b|American\s+Federation\s+of\s+Musicians"),
    ("ACTRA", r"\bACTRA\b"),
    ("MEAA", r"\bMEAA\b|Media,\s+Entertainment\s+(?:&|and)\s+Arts\s+Alliance"),
    ("Musicians' Union", r"Musicians['’]\s+Union"),
    ("WGA", r"\bWGA\b|Writers\s+Guild\s+of\s+America"),
    ("DGA", r"\bDGA\b|Directors\s+Guild\s+of\s+America"),
)  # fmt: skip
_UNION_RE = re.compile("|".join(f"(?P<u{i}>{p})" for i, (_, p) in enumerate(_UNIONS)))
_COVERED = re.compile(
    r"(?:subject\s+to|governed\s+by|covered\s+by|under|pursuant\s+to|in\s+accordance\s+with|member\s+"
    r"(?:in\s+good\s+standing\s+)?of|rendered\s+under|signatory\s+to|terms\s+of|applicable|provisions\s+of|"
    r"minimums?\s+(?:under|of)|scale\s+(?:under|of))[^.;]{0,60}$",
    re.I,
)
_NEGATED = re.compile(
    r"\bnot\s+(?:a\s+|be\s+|been\s+)?(?:member|subject|covered|governed|rendered|signatory|party|under)|"
    r"\bnon-?union\b|\bno\s+(?:union|collective)|\bneither\b|\bnor\b|\bwithout\s+(?:regard|reference)\s+to\b",
    re.I,
)
_PERSON_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(PERFORMER_ROLES, key=len, reverse=True)) + r"|services|engagement|employment|I|my)\b",
    re.I,
)


# every alternative of _UNION_RE contains one of these words, in this case: a text with none of them names no union
# (a check at C speed; the expression itself costs half a microsecond a character)
_UNION_WORDS = ("SAG", "AFTRA", "Screen", "Equity", "AFM", "American", "ACTRA", "MEAA", "Media", "Musicians", "WGA",
                "Writers", "DGA", "Directors")  # fmt: skip


# the first character of every alternative of _UNION_RE (each begins with one of these capitals; what comes before
# it -- \b, a look-behind -- takes no character)
_UNION_START = re.compile("[SABUEMWD]")


def _union_matches(text: str):
    """``_UNION_RE.finditer(text)``, the expression tried only where a match can begin: the same matches in the
    same order (``match`` at a position sees the text before it, as the search does), at a tenth of the cost."""
    pos = 0
    while True:
        start = _UNION_START.search(text, pos)
        if start is None:
            return
        m = _UNION_RE.match(text, start.start())
        if m is None:
            pos = start.start() + 1
            continue
        yield m
        pos = m.end()  # no alternative matches the empty string


def _union(text: str, where: _Where) -> Fact | None:
    if not any(w in text for w in _UNION_WORDS):
        return None
    for m in _union_matches(text):
        s, e = sentence_around(text, m.start(), m.end())
        before = text[s : m.start()]
        if not _COVERED.search(before[-120:]):
            continue
        sentence = text[s:e]
        if _NEGATED.search(before) or not _PERSON_WORDS.search(sentence):
            continue
        name = next(_UNIONS[i][0] for i in range(len(_UNIONS)) if m.group(f"u{i}"))
        return where.fact("union", name, s, e, 0.85)
    return None


_ADULT = re.compile(
    r"\b(?:I\s+am|(?:Performer|Model|Artist|Talent|Creator|Athlete|Participant|Vocalist|Actor|Releasor)\s+"
    r"(?:is|represents\s+(?:and\s+warrants\s+)?that\s+(?:he|she|they|it)\s+(?:is|are)|confirms\s+that\s+"
    r"(?:he|she|they)\s+(?:is|are)))\s+(?:over|at\s+least|older\s+than|of\s+the\s+age\s+of)\s+"
    r"(?:the\s+age\s+of\s+)?(?:18|eighteen|twenty-one|21)\b",
    re.I,
)


def _adult(text: str, where: _Where) -> Fact | None:
    m = _ADULT.search(text)
    if not m:
        return None
    s, e = sentence_around(text, m.start(), m.end())
    return where.fact("minor", False, s, e, 0.8)


# --------------------------------------------------------------------------- all facts


def extract_facts(doc: Document, clauses: Sequence[Clause]) -> tuple[Fact, ...]:
    """Every deal fact ``doc`` states clearly, each with its clause, verbatim quote and confidence."""
    text = doc.text
    if not text.strip():
        return ()
    where = _Where(doc, clauses)
    facts: dict[str, Fact] = {}
    parties = find_parties(text)
    for name in ("performer", "performer_entity", "company"):
        got = getattr(parties, name)
        if got is not None:
            value, _s, _e, qs, qe, confidence = got
            facts[name] = where.fact(name, value, qs, qe, confidence)
    title = _title(text, where)
    if title is not None:
        facts["agreement_title"] = title
    date = _date(text, where, parties.statement)
    if date is not None:
        facts["agreement_date"] = date
    law = find_governing_law(text, where.clauses)
    if law is not None:
        facts["governing_law"] = where.fact("governing_law", law.value, law.start, law.end, law.confidence, law.code)
    union = _union(text, where)
    if union is not None:
        facts["union"] = union
    if parties.minor is not None:
        _v, qs, qe, confidence = parties.minor
        facts["minor"] = where.fact("minor", True, qs, qe, confidence)
    else:
        adult = _adult(text, where)
        if adult is not None:
            facts["minor"] = adult
    return tuple(facts[n] for n in FACT_NAMES if n in facts)


def map_facts(facts: Sequence[Fact], original: Document, origin) -> tuple[Fact, ...]:
    """Facts read from the normalised text, with offsets, pages and quotes taken from ``original``."""
    out = []
    for f in facts:
        if f.start is None or f.end is None:
            out.append(f)
            continue
        s, e = to_original(origin, f.start, f.end)
        out.append(replace(f, start=s, end=e, quote=original.text[s:e], page=original.page_at(s)))
    return tuple(out)


def _read(doc: Document) -> tuple[tuple[Clause, ...], tuple[Fact, ...]]:
    ndoc, origin = normalised_document(doc)
    clauses = segment(ndoc)
    facts = extract_facts(ndoc, clauses)
    return clauses, facts if ndoc is doc else map_facts(facts, doc, origin)


def facts_of_document(doc: Document) -> tuple[Fact, ...]:
    """The facts of a document read without the full analysis (the benchmark): the same normalising and
    segmentation as a scan, so clause ids match the scan's report."""
    return _read(doc)[1]


@dataclass(frozen=True)
class FactSheet:
    """What ``castguard facts`` prints: the document, its clauses (for where each fact is) and its facts."""

    document: Document
    clauses: tuple[Clause, ...]
    facts: tuple[Fact, ...]


def read_facts(path, *, source: str | None = None, on_revisions: str = "accept") -> FactSheet:
    """Read one contract file and its deal facts (the same reading, limits and time limit as a scan, without
    the gap analysis). Raises CastguardError for unreadable input."""
    load_readers(path)  # imports happen outside the deadline, as in a scan
    load_pipeline()
    with deadline(current_limits().seconds, source or str(path)):
        doc = read_document(path, source=source, on_revisions=on_revisions)
        clauses, facts = _read(doc)
    return FactSheet(doc, clauses, facts)


def facts_to_dict(facts: Sequence[Fact]) -> dict:
    """``facts`` as the report schema's ``facts`` object (absent facts are absent keys)."""
    return {f.name: f.to_dict() for f in facts}
