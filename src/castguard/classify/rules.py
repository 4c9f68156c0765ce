"""The names ``classify.rules`` used to hold, for code that still imports them from here.

The rule detector now lives in the modules of the steps a scan goes through, in order:
:mod:`.concepts` (find concepts), :mod:`.sentences` (read a sentence: concepts, negation, list lead-ins),
:mod:`.clause_rules` (label clauses: ``RuleDetector``), :mod:`.protections` (what the whole contract
protects) and :mod:`.contract` (findings and contract-level gaps). Import from those.
"""

from .clause_rules import DETECTOR_ID, HOLLOWED, ClauseHit, RuleDetector
from .concepts import Concepts, Hit, find_concepts
from .sentences import Sentence, polarity, sentences_of

__all__ = [
    "DETECTOR_ID", "HOLLOWED", "ClauseHit", "Concepts", "Hit", "RuleDetector", "Sentence", "find_concepts", "polarity",
    "sentences_of",
]  # fmt: skip
