"""HTML: contract text, file names and reasons as element text or double-quoted attribute values.

Controls that HTML cannot carry are replaced by U+FFFD; ``<``, ``>``, ``&`` and both quotes are escaped. File
names additionally show bidirectional controls as escapes (:func:`file_name`), so a right-to-left override
cannot make ``evil\\u202efdp.exe`` look like ``evilexe.pdf`` on the dashboard.
"""

from __future__ import annotations

import html as _html
import re

from .terminal import visible

__all__ = ["clean", "file_name", "text"]

_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(value: object) -> str:
    return _UNSAFE.sub("\ufffd", "" if value is None else str(value))


def text(value: object) -> str:
    """Escaped for element text and double-quoted attribute values."""
    return _html.escape(clean(value), quote=True)


def file_name(value: object) -> str:
    """A file name as shown to a person: every control and bidi mark as a visible escape, then HTML-escaped."""
    return _html.escape(visible(value), quote=True)
