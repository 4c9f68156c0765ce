"""HTML: contract text, file names and reasons as element text or double-quoted attribute values.

Controls that HTML cannot carry are replaced by U+FFFD; ``<``, ``>``, ``&`` and both quotes are escaped. This is
castguard's one HTML escaper: the HTML templates (:mod:`castguard.templating.html`) pass every value through
:func:`text`. File names are shown with :func:`castguard.escape.terminal.visible` first (the templates'
``visible`` filter), so a right-to-left override cannot make ``evil\\u202efdp.exe`` look like ``evilexe.pdf``.
"""

from __future__ import annotations

import html as _html
import re

__all__ = ["clean", "text"]

_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(value: object) -> str:
    return _UNSAFE.sub("\ufffd", "" if value is None else str(value))


def text(value: object) -> str:
    """Escaped for element text and double-quoted attribute values."""
    return _html.escape(clean(value), quote=True)
