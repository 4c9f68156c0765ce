"""The whole pipeline for one contract: file -> Document -> clauses -> findings -> Report."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from dataclasses import replace

from . import __version__
from .classify import analyze
from .errors import LimitExceeded
from .ingest import read_document
from .limits import current_limits
from .model import Label, Report
from .normalise import map_back, normalised_document
from .provenance import annotate
from .segment import segment
from .segment.sentences import parse

__all__ = ["scan", "scan_document"]


def default_detector():
    """The rules and the learned classifier beside them (the model ships inside the package; a missing model is
    an error, not a silent fall back to the rules alone)."""
    from .classify.model import CombinedDetector, default_model

    return CombinedDetector(default_model())


def scan_document(doc, *, detector=None, playbook=None) -> Report:
    """``playbook``: a :class:`castguard.playbooks.Playbook` (default: the built-in one)."""
    from .playbooks import default_playbook

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
    from .facts import extract_facts

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
    )
    report = report if doc is original else map_back(report, original, origin)
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


def scan(
    path: str | os.PathLike, *, source: str | None = None, detector=None, on_revisions: str = "accept", playbook=None
) -> Report:
    """Analyse one contract file. Raises CastguardError for unreadable input.

    ``on_revisions``: a DOCX carrying tracked changes is read as if they were all accepted (default) or rejected.
    ``playbook``: a :class:`castguard.playbooks.Playbook` (:func:`castguard.playbooks.load_playbook`); default
    the built-in one.
    """
    detector = detector or default_detector()
    _load_readers()  # imports happen outside the deadline: an alarm must never interrupt an import
    with deadline(current_limits().seconds, source or str(path)):
        return scan_document(
            read_document(path, source=source, on_revisions=on_revisions), detector=detector, playbook=playbook
        )


def _load_readers() -> None:
    import docx  # noqa: F401
    import pypdfium2  # noqa: F401

    from .ingest import docx as _docx  # noqa: F401
    from .ingest import pdf as _pdf  # noqa: F401
    from .ingest import text as _text  # noqa: F401

    parse("")  # the spaCy pipeline and its lazily imported parts


@contextlib.contextmanager
def deadline(seconds: float, source: str):
    """Stop reading and analysing one contract after ``seconds`` (a PDF that makes the parser spin).

    A real-time alarm, so it works only in the main thread on POSIX; elsewhere (a Dask worker thread) the
    caller's own time limit applies.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or not seconds:
        yield
        return

    fired = []

    def too_slow() -> LimitExceeded:
        return LimitExceeded(
            f"reading and analysing took longer than the {seconds:g} s limit; the file may be hostile; raise it "
            "with --max-seconds or CASTGUARD_MAX_SECONDS if the file is genuine",
            path=source,
        )

    def expired(signum, frame):
        fired.append(True)
        raise too_slow()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # the alarm's exception was swallowed by a library's own error handling: still too slow
        raise too_slow()
