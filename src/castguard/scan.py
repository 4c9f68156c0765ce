"""The whole pipeline for one contract: file -> Document -> clauses -> findings -> Report."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import types
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


def _load_readers(path: str | os.PathLike | None = None) -> None:
    """Import what reading ``path`` will need (all the readers without a path), and build the spaCy pipeline.

    The readers are imported by the file's first bytes, as :func:`castguard.ingest.sniff_format` will decide:
    a text contract does not pay for python-docx, lxml and pdfium. A file that cannot be peeked at gets all
    of them (reading it will fail with its own error).
    """
    kind = _peek_kind(path) if path is not None else None
    if kind in (None, "pdf"):
        import pypdfium2  # noqa: F401

        from .ingest import pdf as _pdf  # noqa: F401
    if kind in (None, "docx"):
        import docx  # noqa: F401

        from .ingest import docx as _docx  # noqa: F401
    from .ingest import text as _text  # noqa: F401

    import_spacy()
    parse("")  # the spaCy pipeline and its lazily imported parts


def import_spacy() -> None:
    """Import spaCy without its command line.

    ``import spacy`` imports the whole of ``spacy.cli`` for one name, ``spacy.info`` (and with it typer,
    weasel, httpx, requests, rich, jinja2...): a fifth of the time of a ``castguard scan``, for nothing castguard
    uses. Here spaCy's package is imported with a stand-in for ``spacy.cli.info``, whose ``info`` imports the
    real one when it is called; the stand-ins are then removed, so a later ``import spacy.cli`` gets the real
    package. Everything castguard uses (tokenizer, sentencizer, matchers) is spaCy's own and the same. Should a
    spaCy version import more of ``spacy.cli`` than ``info``, the stand-in fails and spaCy is imported the
    ordinary way.
    """
    if "spacy" in sys.modules:
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package with no submodules but the stand-in below
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy  # noqa: F401
    except Exception:  # noqa: BLE001 - imported the ordinary way below, which raises a real error again
        pass
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        loaded = sys.modules.get("spacy")
        if loaded is not None and getattr(loaded, "cli", None) is cli:
            del loaded.cli
    import spacy  # noqa: F401, F811


def _spacy_info(*args, **kwargs):
    """``spacy.info``, imported when it is called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _peek_kind(path: str | os.PathLike) -> str | None:
    """'pdf', 'docx' or 'text' by the first 2 KB of a regular file (no blocking open of a pipe or device);
    None when the file cannot be peeked at."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            head = os.read(fd, 2048)
        finally:
            os.close(fd)
    except (OSError, ValueError):
        return None
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    return "text"


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
