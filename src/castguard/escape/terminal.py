"""The terminal: no contract or file name may drive it.

A contract's text or a file's name can hold ESC/OSC/CSI sequences (set the window title, write the clipboard with
OSC 52, move the cursor, hide what follows) and bidirectional controls that reorder what is shown. Everything
castguard prints passes :func:`visible`: each C0 and C1 control except tab and newline, DEL, and each bidi
embedding/override/isolate mark is shown as a visible escape (``\\x1b``, ``\\u202e``) instead of acting.
"""

from __future__ import annotations

import re

__all__ = ["BIDI", "CONTROLS", "strip_controls", "visible"]

# C0 except tab (\x09) and newline (\x0a), DEL, C1
CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# bidirectional formatting characters: marks, embeddings, overrides, isolates
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ACTIVE = re.compile(f"[{CONTROLS}{BIDI}\ud800-\udfff]")


def _c_escape(m: re.Match) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


def visible(text: object, *, json: bool = False) -> str:
    """``text`` with every control shown as an escape. ``json``: the escapes are JSON's own (``\\u001b``), so a
    JSON document stays valid and decodes to the original characters."""
    s = "" if text is None else str(text)
    return _ACTIVE.sub(_json_escape if json else _c_escape, s)


def strip_controls(text: object) -> str:
    """``text`` with each control (as above) replaced by one space: for places where an escape would mislead."""
    s = "" if text is None else str(text)
    return _ACTIVE.sub(" ", s)
