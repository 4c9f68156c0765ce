"""The whole pipeline for one contract: file -> Document -> clauses -> findings -> Report."""

from __future__ import annotations

import os

from . import __version__
from .classify import analyze
from .ingest import read_document
from .model import Report
from .segment import segment
from .segment.sentences import parse

__all__ = ["scan", "scan_document"]


def default_detector():
    """The rules and, when the trained artefact is present in models/, the learned classifier beside them."""
    from .classify.model import CombinedDetector, default_model
    from .classify.rules import RuleDetector

    model = default_model()
    return CombinedDetector(model) if model is not None else RuleDetector()


def scan_document(doc, *, detector=None) -> Report:
    detector = detector or default_detector()
    sdoc = parse(doc.text)
    clauses = segment(doc, sdoc=sdoc)
    analysis = analyze(doc, clauses, sdoc, detector=detector)
    return Report(
        document=doc,
        in_scope=analysis.scope.in_scope,
        scope_reason=analysis.scope.reason,
        scope_evidence=analysis.scope.evidence,
        clauses=clauses,
        labels=analysis.labels,
        findings=analysis.findings,
        tool_version=__version__,
        model=analysis.detector,
        errors=(),
    )


def scan(path: str | os.PathLike, *, source: str | None = None, detector=None, on_revisions: str = "accept") -> Report:
    """Analyse one contract file. Raises CastguardError for unreadable input.

    ``on_revisions``: a DOCX carrying tracked changes is read as if they were all accepted (default) or rejected.
    """
    return scan_document(read_document(path, source=source, on_revisions=on_revisions), detector=detector)
