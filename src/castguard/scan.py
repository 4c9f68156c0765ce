"""The whole pipeline for one contract: file -> Document -> clauses -> findings -> Report."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace

from ._version import __version__
from .classify import analyze
from .classify.evidence import quote as _quote  # the same quoting the findings were made with
from .classify.model import CombinedDetector, default_model
from .classify.taxonomy import GAPS
from .errors import LimitExceeded
from .facts import extract_facts, map_facts
from .ingest import load_readers, read_document
from .limits import current_limits, deadline
from .model import Label, Report
from .normalise import normalised_document, to_original
from .playbooks import default_playbook
from .provenance import annotate
from .segment import segment
from .segment.sentences import load_pipeline, parse

__all__ = ["scan", "scan_document"]


def default_detector():
    """The rules and the learned classifier beside them (the model ships inside the package; a missing model is
    an error, not a silent fall back to the rules alone)."""
    return CombinedDetector(default_model())


def scan_document(doc, *, detector=None, playbook=None) -> Report:
    """``playbook``: a :class:`castguard.playbooks.Playbook` (default: the built-in one)."""
    detector = detector or default_detector()
    playbook = playbook or default_playbook()
    # detection reads Unicode-normalised text (hidden characters, look-alike letters); when that differs, the
    # report is mapped back below, so every offset, quote and clause text is the original document's
    original = doc
    doc, origin = normalised_document(doc)
    sdoc = parse(doc.text)
    clauses = segment(doc, sdoc=sdoc)
    limits = current_limits()
    if len(clauses) > limits.clauses:
        raise LimitExceeded(
            f"{len(clauses):,} clauses, over the {limits.clauses:,}-clause limit; " + limits.how_to_raise("clauses"),
            path=doc.source,
        )
    analysed_doc, analysed, analysed_sdoc = _without_comments(doc, clauses, sdoc)
    analysis = analyze(analysed_doc, analysed, analysed_sdoc, detector=detector, playbook=playbook)
    report = Report(
        document=doc,
        in_scope=analysis.scope.in_scope,
        scope_reason=analysis.scope.reason,
        scope_evidence=analysis.scope.evidence,
        clauses=clauses,
        labels={**{c.id: (Label("none", 1.0),) for c in clauses}, **analysis.labels},
        findings=analysis.findings,
        protections=analysis.protections,
        document_type=analysis.document_type.value,
        document_type_reason=analysis.document_type.reason,
        facts=extract_facts(analysed_doc, analysed),
        tool_version=__version__,
        model=analysis.detector,
        errors=(),
        playbook=(playbook.name, playbook.sha256),
        gaps_off=tuple(g for g, v in playbook.gaps.items() if not v.enabled),
        gaps_unchecked=analysis.unchecked,
        language=analysis.document_type.language,
    )
    report = report if doc is original else map_back(report, original, origin)
    if analysis.warnings:
        report = replace(report, document=replace(report.document, warnings=report.document.warnings + analysis.warnings))
    return annotate(report)  # where each clause and quote sits, and whether the document shows it


def _without_comments(doc, clauses, sdoc):
    """The document, clauses and parse the analysis reads: all of them but a Word document's comments.

    Comments are read (after everything else, so every offset before them is the same) and shown in the
    report as clauses of their own, but a comment is not a term of the agreement: a question ("may we train
    AI on the recordings?") must not raise a gap, a reassurance must not count as a protection, and a name in
    one is no deal fact.
    """
    cut = next((b.start for b in doc.blocks if b.location == "comment"), None)
    if cut is None:
        return doc, clauses, sdoc
    text = doc.text[:cut].rstrip("\n")
    kept = []
    for c in clauses:
        if c.start >= cut:
            continue
        if c.end > len(text):
            end = len(text.rstrip())
            c = replace(
                c, end=end, text=doc.text[c.start : end], sentences=tuple(s for s in c.sentences if s[1] <= end)
            )
        kept.append(c)
    trimmed = replace(doc, text=text, blocks=tuple(b for b in doc.blocks if b.start < cut), hidden=tuple(
        h for h in doc.hidden if h[0] < len(text)
    ))  # fmt: skip
    return trimmed, tuple(kept), parse(text)


def _load_readers(path: str | os.PathLike | None = None) -> None:
    """Import what reading ``path`` will need (:func:`castguard.ingest.load_readers`) and build the spaCy
    pipeline: a scan does its imports before its time limit starts, as an alarm must never interrupt one."""
    load_readers(path)
    load_pipeline()


def scan(
    path: str | os.PathLike, *, source: str | None = None, detector=None, on_revisions: str = "accept", playbook=None
) -> Report:
    """Analyse one contract file. Raises CastguardError for unreadable input.

    ``on_revisions``: a DOCX carrying tracked changes is read as if they were all accepted (default) or rejected.
    ``playbook``: a :class:`castguard.playbooks.Playbook` (:func:`castguard.playbooks.load_playbook`); default
    the built-in one.
    """
    detector = detector or default_detector()
    _load_readers(path)  # imports happen outside the deadline: an alarm must never interrupt an import
    with deadline(current_limits().seconds, source or str(path)):
        return scan_document(
            read_document(path, source=source, on_revisions=on_revisions), detector=detector, playbook=playbook
        )


# --------------------------------------------------------------------------- the report, mapped back to the original text


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
