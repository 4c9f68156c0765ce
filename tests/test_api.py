"""The public API: a sorted __all__ that matches what the package exports, and the one error base."""

from __future__ import annotations

import castguard
from castguard import errors


def test_all_is_sorted_and_exported():
    assert castguard.__all__ == sorted(castguard.__all__)
    for name in castguard.__all__:
        assert hasattr(castguard, name), name


def test_every_error_derives_from_the_base():
    names = [n for n in errors.__all__ if n not in ("CODES", "WORKER_CODES", "INTERNAL_ERROR")]  # the code tables, the bug code
    for name in names:
        cls = getattr(errors, name)
        assert isinstance(cls, type) and issubclass(cls, errors.CastguardError)
        assert cls.code.startswith("E") and cls.code in errors.CODES


def test_error_message_names_the_file():
    exc = errors.NoTextLayer("no text layer; run OCR", path="scan.pdf")
    assert str(exc) == "scan.pdf: no text layer; run OCR" and exc.path == "scan.pdf"
