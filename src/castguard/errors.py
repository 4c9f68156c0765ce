"""The one exception tree of castguard.

Every error a user can cause (a bad file, a missing tool, a wrong option) is a
``CastguardError``; the CLI catches the base once and prints ``error: <message>``
with exit status 2. Each message names the file, says what is wrong and what to do.

    CastguardError
     +-- InputError              the file cannot be read at all (missing, empty, unreadable)
     |    +-- UnsupportedFormat  a format castguard does not read (.doc, .rtf, images, ...)
     |    +-- EncryptedDocument  a password-protected PDF or DOCX
     |    +-- LimitExceeded      bigger or slower than a resource limit allows (castguard.limits)
     +-- ExtractionError         the format is right but no usable text comes out
     |    +-- NoTextLayer        a scanned PDF with no text layer (needs OCR)
     |    +-- GarbledText        text that is font-encoding garbage, e.g. "(cid:12)"
     +-- SchemaError             a report that does not satisfy report.schema.json
     +-- DraftError              the addendum or redline cannot be written
          +-- DealError          a deal fact is missing or invalid (names the fact and where to give it)
          +-- TemplateError      a template set is incomplete, or a template fails to render
     +-- OutputError             an output cannot be written
     |    +-- DiskFull           no space left (or over the file-size quota) while writing
     +-- BusyError               another castguard run holds the output folder
     +-- PlaybookError           a playbook file (--playbook) is not valid: names the file, the line and what is wrong
     +-- TrackError              castguard track: the file is not one the batch run recorded (or matches several)
"""

from __future__ import annotations

__all__ = [
    "CODES",
    "WORKER_CODES",
    "INTERNAL_ERROR",
    "CastguardError",
    "DealError",
    "BusyError",
    "DiskFull",
    "DraftError",
    "EncryptedDocument",
    "ExtractionError",
    "GarbledText",
    "InputError",
    "LimitExceeded",
    "NoTextLayer",
    "OutputError",
    "PlaybookError",
    "SchemaError",
    "TemplateError",
    "TrackError",
    "UnsupportedFormat",
]


class CastguardError(Exception):
    """Base of every error castguard raises on purpose."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class InputError(CastguardError):
    code = "E100"


class UnsupportedFormat(InputError):
    code = "E101"


class EncryptedDocument(InputError):
    code = "E102"


class LimitExceeded(InputError):
    code = "E103"


class ExtractionError(CastguardError):
    code = "E200"


class NoTextLayer(ExtractionError):
    code = "E201"


class GarbledText(ExtractionError):
    code = "E202"


class SchemaError(CastguardError):
    code = "E300"


class DraftError(CastguardError):
    code = "E400"


class DealError(DraftError):
    code = "E401"


class TemplateError(DraftError):
    code = "E402"


class OutputError(CastguardError):
    code = "E500"


class DiskFull(OutputError):
    """No space left on the device (ENOSPC), over a disk quota (EDQUOT) or over the file-size limit (EFBIG)."""

    code = "E501"


class BusyError(CastguardError):
    code = "E600"


class PlaybookError(CastguardError):
    code = "E700"


class TrackError(CastguardError):
    code = "E800"


_FULL = {28: "no space left on the disk", 122: "over the disk quota", 27: "larger than the system allows a file to be"}


def full_disk_error(exc: BaseException, path: str | None) -> DiskFull | None:
    """A :class:`DiskFull` for an OSError (or SQLite error) that means the disk is full, else None."""
    import errno
    import sqlite3

    if isinstance(exc, DiskFull):
        return exc
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what = _FULL.get(exc.errno, exc.strerror)
    elif isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc).lower():
        what = "no space left on the disk"
    else:
        return None
    return DiskFull(
        f"cannot write: {what}; free some space (or write to another disk) and run the command "
        "again; nothing was half-written",
        path=path,
    )


INTERNAL_ERROR = "E999"

# codes of a file a worker could not finish (castguard batch and castguard serve): not raised as exceptions, recorded
# as the file's outcome (the run store, skipped_and_failed.csv, the serve error page)
WORKER_CODES = {
    "E900": "the file needed more memory than one file may use (--memory-mb); check it is what it claims to be, or "
    "raise the limit",
    "E901": "the file is nested too deeply to read; re-save it from the program that made it",
    "E902": "the worker ran out of time (--time-limit) or died while reading the file; run again, and report it "
    "with the file if it fails again",
    "E903": "the Dask task failed (the cluster lost the worker or raised); run the batch again with --resume",
}

# every code a user can see, with what to do: the README's table is this one
CODES = {
    "E000": "a usage problem (a wrong option or value); the line says which",
    "E100": "the file cannot be read (missing, empty, a folder, a device or pipe, no permission); check the path",
    "E101": "a format castguard does not read; convert it to PDF, DOCX or plain text as the line says",
    "E102": "a password-protected PDF or Word file; remove the password as the line says",
    "E103": "over a resource limit (size, pages, characters, clauses, time); the line says how to raise it",
    "E200": "the format is right but no usable text comes out; re-export the file",
    "E201": "a scanned PDF with no text layer; make it searchable with OCR first",
    "E202": "text that is font-encoding garbage; re-export the PDF or use OCR",
    "E300": "a report that does not satisfy the report schema (a bug; please report it)",
    "E400": "the addendum or redline cannot be written; the line says why",
    "E401": "a deal fact is missing or invalid; give it as the line says (--deal or an option)",
    "E402": "a template set is incomplete or a template fails to render; fix the template the line names",
    "E500": "an output cannot be written; choose another -o path",
    "E501": "the disk is full (or over its quota); free space, then run again (a batch: --resume)",
    "E600": "another castguard batch is using the output folder; wait, add --wait, or choose another folder",
    "E700": "a playbook file (--playbook) is not valid; fix what the line names (castguard playbook check FILE)",
    "E800": "castguard track: the file is not one the batch run recorded, or matches several; give its path as "
    "in contracts.csv (or relative to the folder given to the batch), or run the batch on it first",
    **WORKER_CODES,
    INTERNAL_ERROR: "a bug in castguard (exit status 3): report it with the traceback file the line names",
}
