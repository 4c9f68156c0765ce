"""Concepts the rule detector looks for, as phrase lists and token patterns.

A concept is a family of wordings that mean the same thing to a reviewer
("in perpetuity", "forever", "for the full period of copyright"). The rules in
``clause_rules.py`` are written over concepts, not words, so a new paraphrase is one
phrase in the default playbook (``castguard/playbooks/default.toml``, ``[concepts.*]``
and ``[[token_patterns]]``), where the lexicon lives. Phrases are matched
case-insensitively on spaCy tokens (PhraseMatcher on LOWER); token patterns cover
what a list cannot (a "no" that opens a sentence, "voice" that is not telephony).

``CONCEPTS``, ``BROAD_PURPOSE`` and ``TOKEN_PATTERNS`` are the default playbook's, read when first used.
:func:`matchers` builds the matchers of a playbook (the default when none is given), once per lexicon.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..playbooks import default_playbook
from ..segment.sentences import pipeline

if TYPE_CHECKING:
    from ..playbooks import Playbook

__all__ = ["BROAD_PURPOSE", "CONCEPTS", "TOKEN_PATTERNS", "matchers"]  # noqa: F822 (module __getattr__)


def __getattr__(name: str) -> Any:
    book = default_playbook()
    if name == "CONCEPTS":
        return {c: list(p) for c, p in book.concepts.items()}
    if name == "BROAD_PURPOSE":
        # uses "for any purpose": a grant open to every use (also what makes a legacy grant "broad")
        return list(book.concept_parts["ANY_PURPOSE"]["broad"])
    if name == "TOKEN_PATTERNS":
        return [(c, p) for c, p in book.token_patterns]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MATCHERS: dict[str, tuple[Any, Any]] = {}


def matchers(playbook: Playbook | None = None) -> tuple[Any, Any]:
    """(PhraseMatcher, Matcher) built over the shared blank English pipeline, for ``playbook``'s lexicon."""
    book = playbook or default_playbook()
    key = book.matcher_key
    if key not in _MATCHERS:
        _MATCHERS[key] = _build(book)
    return _MATCHERS[key]


def _build(book: Playbook) -> tuple[Any, Any]:
    from spacy.matcher import Matcher, PhraseMatcher

    nlp = pipeline()
    phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
    for concept, phrases in book.concepts.items():
        phrase.add(concept, [nlp.make_doc(p) for p in sorted(set(phrases))])
    token = Matcher(nlp.vocab)
    for i, (concept, pattern) in enumerate(book.token_patterns):
        token.add(f"{concept}#{i}", [pattern])
    return phrase, token
