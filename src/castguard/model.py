"""The data passed between stages: document -> clauses -> findings -> report.

Everything here is a frozen dataclass. Each stage returns new objects and never
mutates its input, and every object carries provenance (character offsets into
``Document.text``, page numbers, DOCX paragraph indexes) because citations and
the redline stage depend on it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

__all__ = [
    "HIDDEN_REASONS", "LOCATIONS", "NOT_READ", "Block", "Clause", "Document", "Evidence", "Fact", "Finding", "Label",
    "Protection", "Report", "not_read",
]  # fmt: skip


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of the source, as it sits in ``Document.text``.

    ``label`` is list numbering that the source renders but does not store in
    the paragraph text (Word's automatic numbering); it is already prefixed to
    the block's text in ``Document.text`` so a reader sees what Word shows.
    """

    start: int
    end: int
    page: int | None = None
    paragraph_index: int | None = None  # index among the DOCX body's w:p elements
    label: str | None = None
    heading_hint: bool = False  # Heading style, Title style or all-bold paragraph
    in_table: bool = False
    location: str = "body"  # one of LOCATIONS: where in the source the text sits
    part: str | None = None  # which header, footer, note, comment or text box (a new one starts a new clause)


@dataclass(frozen=True)
class Document:
    """A contract's text with where each part came from."""

    source: str  # file name as given
    sha256: str
    format: str  # pdf | docx | txt | md
    text: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    page_starts: tuple[int, ...] = ()  # offset in text where each page begins
    warnings: tuple[str, ...] = ()
    # stretches of ``text`` the source does not show a reader: (start, end, reason), reason one of HIDDEN_REASONS
    hidden: tuple[tuple[int, int, str], ...] = ()

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)


@dataclass(frozen=True)
class Clause:
    id: str  # stable within one report: c0, c1, ...
    number: str | None  # as printed: "7", "7.2", "(b)", "ARTICLE IV"
    heading: str | None
    start: int
    end: int
    text: str
    page: int | None
    parent: str | None
    level: int
    sentences: tuple[tuple[int, int], ...] = ()  # absolute offsets
    paragraph_index: int | None = None
    location: str = "body"  # where its first line sits in the source (one of LOCATIONS)


@dataclass(frozen=True)
class Label:
    label: str  # a gap id, "protective:<gap id>" or "none"
    score: float


@dataclass(frozen=True)
class Evidence:
    clause_id: str
    quote: str
    start: int
    end: int
    page: int | None
    location: str = "body"  # one of LOCATIONS
    hidden: str | None = None  # why a reader of the source does not see it (one of HIDDEN_REASONS), or None
    hidden_part: str | None = None  # the hidden words when only part of the quote is hidden

    def to_dict(self) -> dict:
        """The evidence object of the report schema; ``location`` and ``hidden`` only when they say something."""
        out = {
            "clause_id": self.clause_id,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "page": self.page,
        }
        if self.location != "body":
            out["location"] = self.location
        if self.hidden:
            out["hidden"] = self.hidden
            if self.hidden_part:
                out["hidden_part"] = self.hidden_part
        return out


# where text can sit in a source document, besides its body
LOCATIONS = ("body", "header", "footer", "footnote", "endnote", "comment", "text box")
HIDDEN_REASONS = (
    "white text",
    "text the same colour as its background",
    "text under 2 pt",
    "text formatted as hidden",
    "text placed off the page",
    "invisible text",
)


@dataclass(frozen=True)
class Finding:
    gap: str
    kind: str  # clause | contract
    severity: str  # high | medium | low
    clause_ids: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    explanation: str
    anchors: tuple[str, ...]
    remedy: str
    confidence: float
    detector: str  # which detector produced it, e.g. "rules.v1"

    def to_dict(self) -> dict:
        return {
            "gap": self.gap,
            "kind": self.kind,
            "severity": self.severity,
            "confidence": round(self.confidence, 3),
            "clause_ids": list(self.clause_ids),
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "anchors": list(self.anchors),
            "remedy": self.remedy,
            "detector": self.detector,
        }


@dataclass(frozen=True)
class Protection:
    """A clause that already protects the person against a gap (report schema revision 1.1).

    ``hollowed`` is true when the protection is itself carved out ("except to improve our services"): the
    gap then stays raised, and the report shows why the protection did not count.
    """

    gap: str
    clause_ids: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    explanation: str
    hollowed: bool = False
    detector: str = ""

    def to_dict(self) -> dict:
        return {
            "gap": self.gap,
            "clause_ids": list(self.clause_ids),
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "hollowed": self.hollowed,
            "detector": self.detector,
        }


FACT_NAMES = (
    "performer", "performer_entity", "company", "agreement_title", "agreement_date", "governing_law", "union", "minor",
)  # fmt: skip
FACT_SOURCES = ("contract", "deal_file", "option", "default")


@dataclass(frozen=True)
class Fact:
    """One deal fact with its evidence (report schema revision 1.1, ``facts``).

    ``source`` is where the value came from: the contract (then ``clause_id``, ``quote`` — the document's own
    words — and ``start``/``end`` say where), or the user (a deal file or an option), or a default. ``code`` is
    the governing law's code (NY, UK, EU-DE, ...). A fact the contract does not state clearly has no Fact.
    """

    name: str  # one of FACT_NAMES
    value: str | bool
    source: str = "contract"
    clause_id: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None
    confidence: float = 1.0
    code: str | None = None

    def to_dict(self) -> dict:
        out = {
            "value": self.value,
            "source": self.source,
            "clause_id": self.clause_id,
            "quote": self.quote,
            "confidence": round(self.confidence, 3),
        }
        if self.name == "governing_law":
            out["code"] = self.code
        return out


DOCUMENT_TYPES = ("contract", "terms_of_service", "release_or_consent", "not_a_contract")

# how a scope reason starts when the document was not read (its language is not one castguard reads)
NOT_READ = "not read: "


def not_read(scope_reason: str | None) -> bool:
    """Whether a scope reason (a report's, or a batch row's ``reason``) says the document was not read."""
    return bool(scope_reason) and str(scope_reason).startswith(NOT_READ)


@dataclass(frozen=True)
class Report:
    document: Document
    in_scope: bool
    scope_reason: str
    clauses: tuple[Clause, ...]
    labels: dict[str, tuple[Label, ...]]  # clause id -> labels
    findings: tuple[Finding, ...]
    tool_version: str
    model: str
    errors: tuple[str, ...] = field(default=())
    scope_evidence: tuple[int, int] | None = None  # the sentence that decided in_scope
    protections: tuple[Protection, ...] = ()
    document_type: str = "contract"  # one of DOCUMENT_TYPES, decided before scope
    document_type_reason: str = ""
    facts: tuple[Fact, ...] = ()  # deal facts the contract states, each with its evidence
    playbook: tuple[str, str] | None = None  # (name, sha256) of the playbook that produced it; None: the default
    gaps_off: tuple[str, ...] = ()  # gaps that playbook switched off (not raised, "off" in the checklist)
    gaps_unchecked: tuple[str, ...] = ()  # gaps the reading could not decide (a French text's): "not checked"
    language: str = "English"  # the document's main language (classify.language); French is read by its own rules

    def fact(self, name: str) -> Fact | None:
        return next((f for f in self.facts if f.name == name), None)
