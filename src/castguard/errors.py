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
"""

from __future__ import annotations

__all__ = [
    "CastguardError",
    "DealError",
    "DraftError",
    "EncryptedDocument",
    "ExtractionError",
    "GarbledText",
    "InputError",
    "LimitExceeded",
    "NoTextLayer",
    "SchemaError",
    "TemplateError",
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
