"""Sentences inside clauses, with spaCy.

No pretrained pipeline is loaded (none can be downloaded here, and none is needed):
``spacy.blank("en")`` gives the English tokenizer, its rule-based ``sentencizer``
splits on sentence punctuation, and a small component also breaks at blank lines
so a heading is never glued to the next paragraph. The same parsed Doc is reused
by the detector's matchers, so a contract is tokenised once.
"""

from __future__ import annotations

import sys
import types
from functools import lru_cache

__all__ = ["import_spacy", "load_pipeline", "parse", "pipeline", "sentence_spans"]


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


def load_pipeline() -> None:
    """Import spaCy (without its command line) and build the pipeline with its lazily imported parts."""
    import_spacy()
    parse("")


def import_spacy() -> None:
    """Import spaCy without its command line.

    ``import spacy`` imports the whole of ``spacy.cli`` for one name, ``spacy.info`` (and with it typer,
    weasel, httpx, requests, rich, jinja2...): a fifth of the time of a ``castguard scan``, for nothing castguard
    uses. Here spaCy's package is imported with a stand-in for ``spacy.cli.info``, whose ``info`` imports the
    real one when it is called; the stand-ins are then removed, so a later ``import spacy.cli`` gets the real
    package. Everything castguard uses (tokenizer, sentencizer, matchers) is spaCy's own and the same. Should a
    spaCy version import more of ``spacy.cli`` than ``info``, the stand-in fails and spaCy is imported the
    ordinary way.
    """
    if "spacy" in sys.modules:
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package with no submodules but the stand-in below
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy  # noqa: F401
    except Exception:  # noqa: BLE001 - imported the ordinary way below, which raises a real error again
        pass
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        loaded = sys.modules.get("spacy")
        if loaded is not None and getattr(loaded, "cli", None) is cli:
            del loaded.cli
    import spacy  # noqa: F401, F811


def _spacy_info(*args, **kwargs):
    """``spacy.info``, imported when it is called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)
