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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CastguardError
from ..model import Clause, Document
from .clause_rules import ClauseHit, RuleDetector
from .concepts import Concepts
from .features import transform_one
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
    def _idf_values(self) -> list[float]:
        # the IDF weights as Python floats for features._weights: the same doubles, without a numpy scalar
        # made for every feature of every clause
        import numpy as np

        return np.asarray(self.idf, dtype=np.float64).tolist()

    def predict_proba(self, text: str, rule_labels: set[str] | frozenset[str] = frozenset()) -> list[float]:
        import numpy as np

        row = transform_one(text, self.vocab, self._idf_values)
        base = len(self.vocab)
        for j, lab in enumerate(self.rule_features):
            if lab in rule_labels:
                row[base + j] = self.rule_weight
        if row:
            idx = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
            val = np.fromiter(row.values(), dtype=np.float32, count=len(row))
            scores = self.coef[:, idx].astype(np.float32) @ val + self.intercept
        else:
            scores = self.intercept.copy()
        out = []
        for s, (a, b) in zip(scores.tolist(), self.platt):
            z = a * s + b
            out.append(1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0)
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
    vocab = {t: i for i, t in enumerate(meta["vocabulary"])}
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
        cache[clause.id] = [model.predict_proba(doc.text[s:e]) for s, e in spans]
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
        for clause in clauses:
            if len(clause.text) < 20:
                continue
            for label, p in self.model.predict(clause.text, by_clause.get(clause.id, set())).items():
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
