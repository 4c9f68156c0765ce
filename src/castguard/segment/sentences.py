"""Sentences inside clauses, with spaCy.

No pretrained pipeline is loaded (none can be downloaded here, and none is needed):
``spacy.blank("en")`` gives the English tokenizer, its rule-based ``sentencizer``
splits on sentence punctuation, and a small component also breaks at blank lines
so a heading is never glued to the next paragraph. The same parsed Doc is reused
by the detector's matchers, so a contract is tokenised once.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["parse", "pipeline", "sentence_spans"]


@lru_cache(maxsize=1)
def pipeline():
    import spacy
    from spacy.language import Language

    if "castguard_paragraph_breaks" not in Language.factories:

        @Language.component("castguard_paragraph_breaks")
        def _paragraph_breaks(doc):
            from spacy.attrs import SENT_START

            # one array write, not Token.is_sent_start per break (each of those rescans the whole Doc)
            starts = doc.to_array([SENT_START]).reshape(len(doc), 1)
            changed = False
            for i, tok in enumerate(doc[:-1]):
                if (
                    tok.is_space
                    and "\n" in tok.text
                    and (tok.text.count("\n") >= 2 or i == 0 or doc[i - 1].text in (":",))
                ):
                    starts[i + 1, 0] = 1
                    changed = True
            if changed:
                doc.from_array([SENT_START], starts)
            return doc

    nlp = spacy.blank("en")
    nlp.max_length = 5_000_000
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("castguard_paragraph_breaks")
    return nlp


def parse(text: str):
    return pipeline()(text)


def sentence_spans(text: str, *, nlp=None, sdoc=None) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (pass ``sdoc`` to reuse a parsed Doc)."""
    if sdoc is None:
        sdoc = (nlp or pipeline())(text)
    return [(s.start_char, s.end_char) for s in sdoc.sents]
