"""Regular expressions that skip a text quickly when it cannot match: a word the pattern needs is not in it.

Python's ``re`` has no fast scan for a pattern that starts with ``\\b`` or an alternation: it tries the pattern at
every position, about 50 ns a character for each alternative. Most of the rules' patterns are searched in every
sentence of a contract and match in few. :func:`prefiltered` wraps a compiled pattern: on first use it reads the
pattern's parse tree for the literal words one of which every match must contain (for ``\\bwarrants? that\\b|
\\bindemnif``: "warrant" or "indemnif"); a text that contains none of them, compared without case, cannot match,
and the pattern is not run on it. Otherwise the pattern runs as before, so every result is the pattern's own.

Compared without case safely: a character that ``re.IGNORECASE`` lets match an ASCII character of the pattern
lowers to that character in the folded text (``str.lower``, after the four characters whose simple and full
lower cases differ or that ``re`` adds to the ASCII letters: "İ", "ı", "ſ", "K"), and folding keeps every
character in its place. Only ASCII words of at least three characters are used; a pattern with an alternative
that has none is never skipped. ``tests/test_prefilter.py`` checks both claims over every Unicode character.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

__all__ = ["Prefiltered", "folded", "prefilter_module", "prefiltered", "required_words", "rx"]

_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_MIN = 3
_cache: dict[str, str] = {}


def folded(text: str) -> str:
    """``text`` lowered for containment tests, every character in its place (see the module's note)."""
    got = _cache.get(text)
    if got is None:
        if len(_cache) > 256:
            _cache.clear()
        special = not text.isascii() and any(c in text for c in "\u0130\u0131\u017f\u212a")
        got = _cache[text] = text.translate(_FOLD).lower() if special else text.lower()
    return got


def required_words(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case ASCII words one of which every match of ``pattern`` contains; None when there are none."""
    from re import _parser  # type: ignore[attr-defined]

    if flags & re.LOCALE:
        return None
    try:
        tree = _parser.parse(pattern, flags)
    except re.error:
        return None
    words = _sequence(list(tree))
    return tuple(sorted(words)) if words else None


def _sequence(items: list) -> set[str] | None:
    """Words one of which a match of this sequence of parse items contains (the best candidate), or None."""
    from re import _constants as c  # type: ignore[attr-defined]

    candidates: list[set[str]] = []
    run: list[str] = []

    def close() -> None:
        if len(run) >= _MIN:
            candidates.append({"".join(run).lower()})
        run.clear()

    for op, av in items:
        if op is c.LITERAL and av < 128:
            run.append(chr(av))
            continue
        close()
        if op is c.SUBPATTERN:
            inner = _sequence(list(av[-1]))
            if inner:
                candidates.append(inner)
        elif op is c.BRANCH:
            alternatives = [_sequence(list(alt)) for alt in av[1]]
            if all(alternatives):
                candidates.append(set().union(*alternatives))  # type: ignore[arg-type]
    close()
    if not candidates:
        return None
    # the candidate whose shortest word is longest (the rarest words), then the one with fewest words
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


class Prefiltered:
    """A compiled pattern that is not run on a text lacking every word it needs (see the module's note).

    Made from a compiled pattern, or with :meth:`lazy` from its text: then it is compiled only when a text first
    passes the word test, and the words may come precomputed (the default playbook stores them), so a pattern
    that no text of a run can match costs neither a compile nor a parse."""

    __slots__ = ("_compiled", "_flags", "_pattern", "_words")

    def __init__(self, compiled: re.Pattern[str]):
        self._compiled: re.Pattern[str] | None = compiled
        self._pattern = compiled.pattern
        self._flags = compiled.flags
        self._words: tuple[str, ...] | None | bool = False  # False: not read yet

    @classmethod
    def lazy(cls, pattern: str, flags: int = 0, words: tuple[str, ...] | None | bool = False) -> Prefiltered:
        """``pattern`` compiled on first need; ``words`` as :func:`required_words` gives them (False: read them
        from the pattern on first use)."""
        self = cls.__new__(cls)
        self._compiled = None
        self._pattern = pattern
        self._flags = flags
        self._words = words
        return self

    @property
    def compiled(self) -> re.Pattern[str]:
        got = self._compiled
        if got is None:
            got = self._compiled = re.compile(self._pattern, self._flags)
        return got

    def _may_match(self, string: str) -> bool:
        words = self._words
        if words is False:
            words = self._words = required_words(self._pattern, self._flags)
        if not words:
            return True
        text = folded(string)
        return any(w in text for w in words)  # type: ignore[union-attr]

    @property
    def pattern(self) -> str:
        return self._pattern

    @property
    def flags(self) -> int:
        return self.compiled.flags

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos) if self._may_match(string) else None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos) if self._may_match(string) else None

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos) if self._may_match(string) else None

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos) if self._may_match(string) else iter(())

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list:
        return self.compiled.findall(string, pos, endpos) if self._may_match(string) else []

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)  # sub, split, groupindex...: the pattern's own, unfiltered

    def __repr__(self) -> str:
        return f"Prefiltered({self.compiled!r})"


def prefiltered(compiled: re.Pattern[str]) -> Prefiltered:
    return Prefiltered(compiled)


class _Functions:
    """``re.search(pattern, string, flags)`` and its siblings, with the pattern prefiltered (compiled once)."""

    def __init__(self) -> None:
        self._patterns: dict[tuple[str, int], Prefiltered] = {}

    def _get(self, pattern: str, flags: int) -> Prefiltered:
        got = self._patterns.get((pattern, flags))
        if got is None:
            if len(self._patterns) >= 1000:  # meant for the literal patterns of the rules, but bounded all the same
                self._patterns.clear()
            got = self._patterns[(pattern, flags)] = Prefiltered(re.compile(pattern, flags))
        return got

    def search(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self._get(pattern, flags).search(string)

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self._get(pattern, flags).match(string)

    def fullmatch(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self._get(pattern, flags).fullmatch(string)

    def finditer(self, pattern: str, string: str, flags: int = 0) -> Iterator[re.Match[str]]:
        return self._get(pattern, flags).finditer(string)

    def findall(self, pattern: str, string: str, flags: int = 0) -> list:
        return self._get(pattern, flags).findall(string)


rx = _Functions()  # rx.search(r"\bindemnif", text, re.I): re.search, skipping texts without "indemnif"


def prefilter_module(namespace: dict) -> None:
    """Wrap every compiled pattern a module holds at top level (call it last, with ``globals()``): the
    module's functions, and the modules that import its patterns, then use the wrapped ones."""
    for name, value in list(namespace.items()):
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
            namespace[name] = Prefiltered(value)
