"""The classifier's per-document path gives, to the last bit, what scoring one clause at a time gives.

A scan scores all the clauses of a document in one pass (``ClauseModel.predict_proba_many``: cached word
analyses, integer counts, numpy weights). The reference here is the one-text path the model was trained and
evaluated with, written out plainly: :func:`castguard.classify.features.transform_one` (the training code's
features and weights) and one float32 matrix-vector product. Any difference -- a term missing, a weight off by
one unit in the last place, terms in another order (which changes the float32 sum) -- fails, because a label
at its threshold or a score rounded for the report could then change.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import CORPUS, SAMPLES

from castguard.classify.features import _WORD, _normalise, transform_one
from castguard.classify.model import ModelDetector, _RowBuilder, load_model
from castguard.ingest import read_document
from castguard.segment import segment


def one_at_a_time(model, text: str, rule_labels=frozenset()) -> list[float]:
    """The per-clause path: a {term index: weight} row, the rule features after it, one product."""
    idf = np.asarray(model.idf, dtype=np.float64).tolist()
    row = transform_one(text, model.vocab, idf)
    base = len(model.vocab)
    for j, lab in enumerate(model.rule_features):
        if lab in rule_labels:
            row[base + j] = model.rule_weight
    if row:
        idx = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
        val = np.fromiter(row.values(), dtype=np.float32, count=len(row))
        scores = model.coef[:, idx].astype(np.float32) @ val + model.intercept
    else:
        scores = model.intercept.copy()
    out = []
    for s, (a, b) in zip(scores.tolist(), model.platt):
        z = a * s + b
        out.append(1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0)
    return out


@pytest.fixture(scope="module")
def model():
    return load_model()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every clause and every sentence of the real contracts of tests/corpus and of the samples, with edge cases."""
    out = ["", "   ", "(a)", "5.2", "Voice", "the the the the", "Don’t train AI on my voice. Don't!", "x" * 60]
    paths = sorted(CORPUS.glob("*.txt"))[:8] + sorted(CORPUS.glob("*.pdf"))[:2] + sorted(SAMPLES.glob("*.txt"))
    for path in paths:
        doc = read_document(path)
        for clause in segment(doc):
            out.append(clause.text)
            out += [doc.text[s:e] for s, e in clause.sentences]
    assert len(out) > 1500
    return out


def test_rows_are_the_training_codes_rows_term_for_term_in_order(model, texts):
    rows = _RowBuilder(model.vocab, model.idf).rows(texts)
    idf = np.asarray(model.idf, dtype=np.float64).tolist()
    for text, (idx, val) in zip(texts, rows):
        expected = transform_one(text, model.vocab, idf)
        assert idx.tolist() == list(expected), text[:80]
        assert val.tobytes() == np.fromiter(expected.values(), dtype=np.float32, count=len(expected)).tobytes()


def test_probabilities_of_a_whole_document_equal_one_clause_at_a_time(model, texts):
    rng = np.random.default_rng(16)
    rules = [{lab for lab in model.rule_features if rng.random() < 0.2} if i % 3 else set() for i in range(len(texts))]
    many = model.predict_proba_many(texts, rules)
    assert len(many) == len(texts)
    for text, labels, got in zip(texts, rules, many):
        assert got == one_at_a_time(model, text, labels), text[:80]  # exact: floats compared bit for bit
    # one text alone, and a text read again once its words are cached, give the same numbers
    assert model.predict_proba(texts[100]) == one_at_a_time(model, texts[100])
    assert model.predict_proba_many([texts[100]] * 2) == [one_at_a_time(model, texts[100])] * 2


def test_a_full_word_cache_is_emptied_and_the_rows_stay_the_same(model, texts, monkeypatch):
    monkeypatch.setattr(_RowBuilder, "_MAX_WORDS", 50)
    builder = _RowBuilder(model.vocab, model.idf)
    small = builder.rows(texts[:300])
    longest = max(len(set(_WORD.findall(_normalise(t)))) for t in texts[:300])
    assert len(builder.words) <= 50 + longest  # emptied on the way
    full = _RowBuilder(model.vocab, model.idf).rows(texts[:300])
    assert all(a[0].tolist() == b[0].tolist() and a[1].tobytes() == b[1].tobytes() for a, b in zip(small, full))


def test_the_detector_labels_a_contract_as_one_clause_at_a_time_would(model):
    """ModelDetector.label scores the document's clauses at once; its labels are those of the one-text path."""
    from castguard.classify.concepts import find_concepts
    from castguard.segment.sentences import parse

    doc = read_document(SAMPLES / "videogame_performer_ironpeak.txt")
    clauses = segment(doc)
    hits = ModelDetector(model).label(doc, clauses, find_concepts(doc.text, parse(doc.text)))
    got = {(h.clause_id, h.label, h.score) for h in hits}
    expected = set()
    for c in clauses:
        if len(c.text) < 20:
            continue
        probs = one_at_a_time(model, c.text)
        expected |= {(c.id, lab, p) for lab, p, t in zip(model.labels, probs, model.thresholds) if p >= t}
    # a label on a definition sentence is dropped by the detector; every label it keeps is one the path gives
    assert got and got <= expected
