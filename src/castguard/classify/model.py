"""The learned clause classifier: load the artefact in ``models/`` and label clauses with it.

The artefact is two files with the same stem (``clauses-v1``):

- ``.json``: id, labels, per-label thresholds and Platt calibration, vocabulary, training-data hash, metrics;
- ``.npz``: IDF weights, coefficients (float16) and intercepts of one linear model per label.

No pickle is loaded (a model file cannot execute code), and inference is numpy only, so ``castguard scan``
pays for reading two files, not for importing scikit-learn. Training lives in ``classify.train``.

:class:`ModelDetector` turns the model's clause labels into ``ClauseHit``s; :class:`CombinedDetector` puts it
beside the rules: the rules decide wherever they have spoken (they are precise and they read negation), the
model adds the labels the rules missed (recall), and every hit says which detector produced it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CastguardError
from ..model import Clause, Document
from .clause_rules import ClauseHit, RuleDetector
from .concepts import Concepts
from .features import _WORD, _normalise
from .sentences import Sentence

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DEFAULT_MODEL", "ClauseModel", "CombinedDetector", "ModelDetector", "load_model", "models_dir"]

DEFAULT_MODEL = "clauses-v1"


def models_dir() -> Path:
    """``models/`` of the source tree, or the copy installed inside the package."""
    import importlib.resources

    packaged = Path(str(importlib.resources.files("castguard"))) / "models"  # inside the installed wheel
    checkout = Path(__file__).resolve().parents[3] / "models"  # the source folder, in a checkout
    for candidate in (packaged, checkout):
        if (candidate / f"{DEFAULT_MODEL}.json").exists():
            return candidate
    return packaged


class _RowBuilder:
    """TF-IDF rows of many texts, as :func:`castguard.classify.features.transform_one` makes them one at a time.

    ``transform_one`` builds every feature as a string ("w:voice", "c: voi", ...), counts the strings, looks each
    one up in the 60,000-term vocabulary and weights it in Python. Here each distinct word is analysed once per
    process -- its vocabulary index as a word and the indices of its character n-grams, kept in a bounded cache
    -- so a text's row is a count of small integers in the order ``analyze`` would have produced the terms
    (word unigrams, bigrams, then each distinct word in sorted order, its 3-, 4- and 5-grams by position), and
    its weights are computed with numpy, elementwise, with the same operations: ``1 + log(count)`` from a table
    made with ``math.log``, times the IDF, divided by the same ``math.fsum`` norm.
    """

    _MAX_WORDS = 50_000  # cached words before the cache is emptied (about 15 MB when full)

    def __init__(self, vocab: dict[str, int], idf):
        import numpy as np

        self.vocab = vocab
        self.idf = np.asarray(idf, dtype=np.float64)
        self.words: dict[str, int] = {}  # word -> index of "w:word" (-1: not in the vocabulary)
        self.grams: dict[str, tuple[int, ...]] = {}  # word -> indices of its in-vocabulary character n-grams
        self.tf = np.array([0.0, 1.0])  # tf[c] = 1 + log(c), made with math.log

    def _word(self, w: str) -> None:
        self.words[w] = self.vocab.get(f"w:{w}", -1)
        get = self.vocab.get
        padded = f" {w} "
        found = []
        for n in (3, 4, 5):
            for a in range(len(padded) - n + 1):
                j = get(f"c:{padded[a : a + n]}")
                if j is not None:
                    found.append(j)
        self.grams[w] = tuple(found)

    def _tf(self, top: int):
        import numpy as np

        if top >= len(self.tf):
            self.tf = np.array([0.0] + [1.0 + math.log(c) for c in range(1, 2 * top + 1)])
        return self.tf

    def rows(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(indices int64, weights float32) of each text, indices in ``transform_one``'s order."""
        import numpy as np

        words_of, grams_of, get = self.words, self.grams, self.vocab.get
        out = []
        for text in texts:
            words = _WORD.findall(_normalise(text))
            if len(words_of) + len(words) > self._MAX_WORDS:
                words_of.clear()
                grams_of.clear()
            for w in set(words).difference(words_of):
                self._word(w)
            # the terms in analyze's order: words, bigrams, then each distinct word's n-grams (-1, None: not in
            # the vocabulary, dropped after counting)
            seq: list[int | None] = list(map(words_of.__getitem__, words))
            seq += [get(f"w:{a} {b}") for a, b in zip(words, words[1:])]
            counts = Counter(words)
            for w in sorted(counts):
                seq += grams_of[w] * counts[w]
            terms = Counter(seq)  # first occurrence order, as Counter(analyze(text)) has it
            terms.pop(-1, None)
            terms.pop(None, None)
            if not terms:
                out.append((np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)))
                continue
            idx = np.fromiter(terms.keys(), dtype=np.int64, count=len(terms))
            cnt = np.fromiter(terms.values(), dtype=np.int64, count=len(terms))
            v = self._tf(int(cnt.max()))[cnt] * self.idf[idx]
            norm = math.sqrt(math.fsum((v * v).tolist())) or 1.0
            out.append((idx, (v / norm).astype(np.float32)))
        return out


@dataclass
class ClauseModel:
    id: str
    labels: list[str]
    thresholds: list[float]
    platt: list[tuple[float, float]]
    vocab: dict[str, int]
    rule_features: list[str]  # the rules' clause labels, appended to the text features
    rule_weight: float
    idf: np.ndarray
    coef: np.ndarray  # labels x features
    intercept: np.ndarray
    meta: dict

    @cached_property
    def _rows(self) -> _RowBuilder:
        return _RowBuilder(self.vocab, self.idf)

    def predict_proba(self, text: str, rule_labels: set[str] | frozenset[str] = frozenset()) -> list[float]:
        return self.predict_proba_many([text], [rule_labels])[0]

    def predict_proba_many(
        self, texts: Sequence[str], rule_labels: Sequence[set[str] | frozenset[str]] | None = None
    ) -> list[list[float]]:
        """Calibrated probabilities of every label for each of ``texts`` (the clauses of one document at once).

        The same numbers, to the last bit, as :func:`castguard.classify.features.transform_one` and one
        matrix-vector product per text give (``tests/test_model_rows.py``): each row's terms in the same order,
        weighted with the same floating-point operations, and each text's scores the same float32 product of
        the same coefficients and weights, so a label or a rounded score can never differ from the one-text path.
        """
        import numpy as np

        rows = self._rows.rows(texts)
        base = len(self.vocab)
        # each clause's columns converted to float32 (converting the whole float16 matrix once would cost a
        # one-contract scan 25 ms, more than all its clauses' slices)
        coef, intercept, platt = self.coef, self.intercept, self.platt
        extra = [(base + j, lab) for j, lab in enumerate(self.rule_features)]
        weight = np.float32(self.rule_weight)
        out = []
        for k, (idx, val) in enumerate(rows):
            labels = rule_labels[k] if rule_labels is not None else ()
            if labels:
                more = [i for i, lab in extra if lab in labels]
                if more:
                    idx = np.concatenate([idx, np.asarray(more, dtype=np.int64)])
                    val = np.concatenate([val, np.full(len(more), weight, dtype=np.float32)])
            if len(idx):
                scores = coef[:, idx].astype(np.float32) @ val + intercept
            else:
                scores = intercept.copy()
            probs = []
            for s, (a, b) in zip(scores.tolist(), platt):
                z = a * s + b
                probs.append(1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0)
            out.append(probs)
        return out

    def predict(self, text: str, rule_labels: set[str] | frozenset[str] = frozenset()) -> dict[str, float]:
        """Labels at or above their threshold, with calibrated probabilities."""
        probs = self.predict_proba(text, rule_labels)
        return {lab: p for lab, p, t in zip(self.labels, probs, self.thresholds) if p >= t}


def load_model(path: str | Path | None = None) -> ClauseModel:
    """Load ``models/clauses-v1`` (or the artefact whose .json path is given)."""
    import numpy as np

    meta_path = Path(path) if path else models_dir() / f"{DEFAULT_MODEL}.json"
    if meta_path.suffix != ".json":
        meta_path = meta_path.with_suffix(".json")
    arrays_path = meta_path.with_suffix(".npz")
    if not meta_path.exists() or not arrays_path.exists():
        raise CastguardError(
            "the classifier artefact is missing; rebuild it with `castguard train` (it reads data/clauses.jsonl)",
            path=str(meta_path),
        )
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    with np.load(arrays_path, allow_pickle=False) as arrays:
        coef, intercept, idf = arrays["coef"], arrays["intercept"], arrays["idf"]
    vocab = dict(zip(meta["vocabulary"], range(len(meta["vocabulary"]))))
    return ClauseModel(
        id=meta["id"],
        labels=meta["labels"],
        thresholds=meta["thresholds"],
        platt=[tuple(p) for p in meta["platt"]],
        vocab=vocab,
        rule_features=meta.get("rule_features", []),
        rule_weight=meta.get("rule_weight", 1.0),
        idf=idf.astype(np.float64),
        coef=coef,
        intercept=intercept.astype(np.float32),
        meta={k: v for k, v in meta.items() if k != "vocabulary"},
    )


@lru_cache(maxsize=1)
def default_model() -> ClauseModel:
    """The packaged model. Missing or unreadable, it is an error that says so: castguard never falls back to
    the rules alone without saying it (an installation without its model is a broken installation)."""
    try:
        return load_model()
    except CastguardError as exc:
        raise CastguardError(
            "the trained clause model is missing or unreadable, so this installation of castguard is "
            "incomplete: reinstall it (pip install --force-reinstall castguard), or in a checkout run "
            "`castguard train`",
            path=exc.path,
        ) from None


def _best_sentence(
    clause: Clause, doc: Document, model: ClauseModel, label: str, cache: dict | None = None
) -> tuple[int, int]:
    """The sentence of the clause that the model finds most telling for ``label`` (the evidence to quote).

    ``cache`` keeps each sentence's probabilities for the clause, so several labels score its sentences once.
    """
    spans = clause.sentences or ((clause.start, clause.end),)
    if len(spans) == 1:
        return spans[0]
    if cache is None:
        cache = {}
    if clause.id not in cache:
        cache.clear()  # one clause at a time
        cache[clause.id] = model.predict_proba_many([doc.text[s:e] for s, e in spans])
    k = model.labels.index(label)
    probs = cache[clause.id]
    return spans[max(range(len(spans)), key=lambda i: probs[i][k])]


class ModelDetector:
    """Labels each clause with the learned classifier."""

    def __init__(self, model: ClauseModel):
        self.model = model
        self.name = f"model:{model.id}"

    def label(
        self,
        doc: Document,
        clauses: tuple[Clause, ...],
        concepts: Concepts,
        rule_hits: Sequence[ClauseHit] = (),
        keep: Callable[[str, str, float], bool] | None = None,
    ) -> list[ClauseHit]:
        """``keep(clause id, label, probability)``, when given, says which labels the caller will use: the
        others are dropped before their evidence sentence is looked for (that scores every sentence of the
        clause again)."""
        by_clause: dict[str, set[str]] = {}
        for h in rule_hits:
            by_clause.setdefault(h.clause_id, set()).add(h.label)
        out = []
        cache: dict = {}
        model = self.model
        read = [c for c in clauses if len(c.text) >= 20]
        # every clause of the document at once (one row builder pass); the same numbers as one clause at a time
        probs = model.predict_proba_many([c.text for c in read], [by_clause.get(c.id, set()) for c in read])
        for clause, clause_probs in zip(read, probs):
            predicted = {lab: p for lab, p, t in zip(model.labels, clause_probs, model.thresholds) if p >= t}
            for label, p in predicted.items():
                if keep is not None and not keep(clause.id, label, p):
                    continue
                start, end = _best_sentence(clause, doc, self.model, label, cache)
                sent = Sentence(start, end, doc.text[start:end], concepts.within(start, end))
                if sent.is_definition and not label.startswith("protective:"):
                    continue
                cues = (f"learned classifier, p={p:.2f}",)
                out.append(ClauseHit(clause.id, label, p, start, end, cues, "", self.name))
        return out


# measured (castguard evaluate): below this the model's extra labels cost more precision than they add recall
MIN_PROBABILITY = 0.8

_CONTRACT_KIND = {
    "data_security_deletion_missing",
    "ai_disclosure_missing",
    "silent_broad_legacy_grant",
    "representation_or_minor_gap",
}


class CombinedDetector:
    """Rules for precision, the model for recall.

    Per clause and gap: a rule hit (grant or protection) stands and the model's opposite opinion is dropped;
    where the rules are silent the model's label is added. Contract-kind gaps are left to the contract-level
    rules (a single clause cannot show what a contract does not say).
    """

    def __init__(
        self, model: ClauseModel, rules: RuleDetector | None = None, *, min_probability: float = MIN_PROBABILITY
    ):
        self.rules = rules or RuleDetector()
        self.model = ModelDetector(model)
        self.min_probability = min_probability
        self.name = f"{self.rules.name}+{self.model.name}"

    def label(self, doc: Document, clauses: tuple[Clause, ...], concepts: Concepts) -> list[ClauseHit]:
        hits = self.rules.label(doc, clauses, concepts)
        spoken = {(h.clause_id, h.label.split(":", 1)[-1]) for h in hits}

        def wanted(clause_id: str, label: str, p: float) -> bool:
            gap = label.split(":", 1)[-1]
            if gap in _CONTRACT_KIND and not label.startswith("protective:"):
                return False
            return (clause_id, gap) not in spoken and p >= self.min_probability

        # a model protection is a clause label; only rule protections cancel findings
        hits.extend(self.model.label(doc, clauses, concepts, hits, keep=wanted))
        return hits
