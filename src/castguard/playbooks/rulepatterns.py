"""The rule modules' regular expressions, read from the playbook in use.

A rule module names its patterns instead of writing them::

    from ..playbooks.rulepatterns import patterns_of

    P = patterns_of("clause_rules")          # playbooks/patterns/clause_rules.toml
    ...
    if P.PERSON_RIGHT.search(sentence): ...

``P.NAME`` is the compiled pattern of the playbook that :func:`rule_patterns` made current (``analyze`` does, for
the playbook given to scan, batch, draft or redline), or of the default playbook. Each is compiled when a text
first passes its prefilter (the words every match needs, stored in ``default.compiled.json`` for the built-in
patterns), once per set of patterns, so a pattern that no sentence of a run can match costs nothing at start-up.
A name the file does not define is a bug in the rule module: ``tests/test_rule_patterns.py`` checks every
``P.NAME`` of the package against the files, and every pattern of the files is used somewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from ..prefilter import Prefiltered
from . import DEFAULT_NAME, default_playbook

if TYPE_CHECKING:
    from . import Playbook

__all__ = ["RulePatterns", "patterns_of", "rule_patterns"]

# the playbook whose patterns differ from the default's, while one is in use; None: the default's
_ACTIVE: ContextVar[Playbook | None] = ContextVar("castguard_rule_patterns", default=None)
# pattern_key -> module -> name -> compiled (and prefiltered: castguard.prefilter)
_COMPILED: dict[str, dict[str, dict[str, Prefiltered]]] = {}


class RulePatterns:
    """The named patterns of one rule module, as attributes (``P.NAME``), compiled on first use and
    prefiltered (:mod:`castguard.prefilter`: a text without any word the pattern needs is not searched)."""

    __slots__ = ("_default", "module")

    def __init__(self, module: str):
        self.module = module
        self._default: dict[str, Prefiltered] = _COMPILED.setdefault(DEFAULT_NAME, {}).setdefault(module, {})

    def __getattr__(self, name: str) -> Prefiltered:
        book = _ACTIVE.get()
        cache = (
            self._default if book is None else _COMPILED.setdefault(book.pattern_key, {}).setdefault(self.module, {})
        )
        try:
            return cache[name]
        except KeyError:
            pass
        table = (book or default_playbook()).patterns.get(self.module, {})
        pattern = table.get(name)
        if pattern is None or pattern.fragment:
            raise AttributeError(
                f"castguard/playbooks/patterns/{self.module}.toml defines no pattern {name!r}"
                + (" (it is a fragment: a part of other patterns)" if pattern is not None else "")
            )
        # compiled when a text first passes the word test: a pattern no sentence of a run can match costs nothing
        compiled = cache[name] = Prefiltered.lazy(pattern.regex, pattern.flag_bits(), pattern.words)
        return compiled

    def __repr__(self) -> str:
        return f"RulePatterns({self.module!r})"


def patterns_of(module: str) -> RulePatterns:
    """The patterns of ``playbooks/patterns/<module>.toml``; an error at import when there is no such file."""
    if module not in default_playbook().patterns:
        raise LookupError(f"castguard/playbooks/patterns/{module}.toml is missing from the package")
    return RulePatterns(module)


@contextmanager
def rule_patterns(book: Playbook | None) -> Iterator[None]:
    """While the block runs (in this thread or task), ``P.NAME`` reads ``book``'s patterns."""
    token = _ACTIVE.set(None if book is None or book.pattern_key == DEFAULT_NAME else book)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
