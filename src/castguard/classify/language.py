"""Which language a document is written in, from its commonest short words: castguard's rules, lexicon and model
read English, so a contract in another language is reported as not read, never as out of scope without a word.

Only the languages a contract archive in this field is likely to hold are told apart (the words below are each
language's articles, pronouns, prepositions and conjunctions); a text in yet another language is named after the
one whose short words it shares most, which is enough to say it is not English.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..playbooks.rulepatterns import patterns_of

__all__ = ["Language", "main_language"]

_WORDS = {
    "English": "the and of to in for with that this is are be by or you your we our shall will any not from",
    "French": "le la les des du et est sont pour avec que qui dans sur une aux vous votre vos nous notre ces ne pas",
    "Spanish": "el los las del y es son para con que en una por usted su sus nosotros nuestro este esta",
    "German": "der die das und ist sind für mit dass nicht auf ein eine den dem sie ihre wir unser oder",
    "Italian": "il lo gli della delle e sono per con che non una nel nella dei voi vostro noi nostro questo",
    "Portuguese": "o os as do da dos das e são para com que não uma em no na você seu sua nós nosso este",
    "Dutch": "de het een en van is zijn voor met dat niet op je jouw wij ons onze deze",
}
_WORD_SETS = {name: set(words.split()) for name, words in _WORDS.items()}
P = patterns_of("language")  # the rule pattern: playbooks/patterns/language.toml


@dataclass(frozen=True)
class Language:
    name: str  # "English", "French", "Spanish", "German", "Italian", "Portuguese" or "Dutch"
    english_share: float  # share of the counted function words that are English ones
    counted: int  # how many function words were counted


def main_language(text: str, sample: int = 200_000) -> Language:
    """The document's main language. Short texts (under 40 function words) count as English: too little to say."""
    # each distinct word counted once (at C speed); the languages enter ``counts`` in the order of their first
    # word in the text, as counting token by token would put them (most_common breaks ties by that order)
    tokens = Counter(map(str.lower, P.TOKEN.findall(text[:sample])))
    counts: Counter[str] = Counter()
    for w, n in tokens.items():
        for name, words in _WORD_SETS.items():
            if w in words:
                counts[name] += n
    total = sum(counts.values())
    if total < 40:
        return Language("English", 1.0, total)
    share = counts["English"] / total
    name, _ = counts.most_common(1)[0]
    if share >= 0.35 or name == "English":
        # a statement printed in many languages, English among them, is read in its English part
        return Language("English", share, total)
    return Language(name, share, total)
