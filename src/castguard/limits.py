"""Resource limits for untrusted contracts: every file is bounded in size, work and output.

The defaults fit any real contract with a wide margin; a user who needs more raises one with an environment
variable or the matching global option (``castguard --max-pages 5000 scan big.pdf``), which also reaches the
batch's worker processes because they inherit the environment. Exceeding a limit is a
:class:`~castguard.errors.LimitExceeded` error (exit 2) that names the file, the limit and how to raise it.

    limit            default   environment variable         what it bounds
    file_mb          100       CASTGUARD_MAX_FILE_MB        size of the file on disk, checked before reading
    pages            2000      CASTGUARD_MAX_PAGES          pages of a PDF, checked before any page is read
    chars            5000000   CASTGUARD_MAX_CHARS          characters of text extracted from one contract
    clauses          20000     CASTGUARD_MAX_CLAUSES        clauses segmented from one contract
    unzipped_mb      300       CASTGUARD_MAX_UNZIPPED_MB    total uncompressed size of a DOCX, from its directory
    zip_ratio        200       CASTGUARD_MAX_ZIP_RATIO      compression ratio of any DOCX part over 1 MB
    seconds          300       CASTGUARD_MAX_SECONDS        wall time of reading and analysing one contract
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from dataclasses import dataclass, fields
from typing import Any

from .errors import LimitExceeded

__all__ = ["ENV", "Limits", "current_limits", "deadline"]

ENV = {
    "file_mb": "CASTGUARD_MAX_FILE_MB",
    "pages": "CASTGUARD_MAX_PAGES",
    "chars": "CASTGUARD_MAX_CHARS",
    "clauses": "CASTGUARD_MAX_CLAUSES",
    "unzipped_mb": "CASTGUARD_MAX_UNZIPPED_MB",
    "zip_ratio": "CASTGUARD_MAX_ZIP_RATIO",
    "seconds": "CASTGUARD_MAX_SECONDS",
}
OPTION = {name: "--max-" + name.replace("_", "-") for name in ENV}


@dataclass(frozen=True)
class Limits:
    file_mb: float = 100
    pages: int = 2000
    chars: int = 5_000_000
    clauses: int = 20_000
    unzipped_mb: float = 300
    zip_ratio: float = 200
    seconds: float = 300

    def how_to_raise(self, name: str) -> str:
        return f"raise it with {OPTION[name]} or {ENV[name]} if the file is genuine"


def current_limits() -> Limits:
    """The limits in force: the defaults, overridden by CASTGUARD_MAX_* environment variables."""
    values: dict[str, Any] = {}
    for f in fields(Limits):
        raw = os.environ.get(ENV[f.name])
        if raw is None or not raw.strip():
            continue
        try:
            value = float(raw)
        except ValueError:
            continue  # a malformed override is ignored rather than trusted; the default stays
        if value > 0:
            values[f.name] = int(value) if f.type in ("int", int) else value
    return Limits(**values)


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
    except LimitExceeded:
        raise
    except BaseException as exc:
        if fired:  # the alarm's exception was turned into another by a library's error handling: still too slow
            raise too_slow() from exc
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # the alarm's exception was swallowed by a library's own error handling: still too slow
        raise too_slow()
