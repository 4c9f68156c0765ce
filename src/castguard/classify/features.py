"""Clause text -> TF-IDF features, implemented once for training and for scanning.

Word 1-2-grams and character 3-5-grams inside word boundaries (like scikit-learn's ``char_wb``),
sublinear term frequency, smoothed IDF, L2 normalisation. Training builds a scipy CSR matrix for
scikit-learn; scanning uses :func:`transform_one`, plain Python and numpy, so ``castguard scan``
never imports scikit-learn or scipy (they take about a second to import).
"""

from __future__ import annotations

import math
import re
from collections import Counter

__all__ = ["analyze", "build_vocabulary", "idf_weights", "transform_matrix", "transform_one"]

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_NUMBER = re.compile(r"\d")


def _normalise(text: str) -> str:
    text = text.lower()
    # numbers carry no meaning for these labels; "(a)" or "5.2" only add noise
    return _NUMBER.sub("0", text)


def analyze(text: str) -> list[str]:
    """Features of one text: 'w:' word unigrams and bigrams, 'c:' character n-grams inside words."""
    text = _normalise(text)
    words = _WORD.findall(text)
    feats = [f"w:{w}" for w in words]
    feats += [f"w:{a} {b}" for a, b in zip(words, words[1:])]
    # counted once (``words.count(w)`` per distinct word was quadratic in the length of a clause)
    counts = Counter(words)
    for w in sorted(counts):
        padded = f" {w} "
        count = counts[w]
        for n in (3, 4, 5):
            if len(padded) < n:
                continue
            grams = [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
            feats += grams * count
    return feats


def build_vocabulary(docs: list[list[str]], *, min_df: int = 2, max_features: int = 60000) -> dict[str, int]:
    """Terms in at least ``min_df`` documents, the most frequent ``max_features`` of them, sorted for determinism."""
    df: Counter[str] = Counter()
    for feats in docs:
        df.update(set(feats))
    kept = [t for t, c in df.items() if c >= min_df]
    kept.sort(key=lambda t: (-df[t], t))
    kept = sorted(kept[:max_features])
    return {t: i for i, t in enumerate(kept)}


def idf_weights(docs: list[list[str]], vocab: dict[str, int]) -> list[float]:
    n = len(docs)
    df = [0] * len(vocab)
    for feats in docs:
        for t in set(feats):
            i = vocab.get(t)
            if i is not None:
                df[i] += 1
    return [math.log((1 + n) / (1 + d)) + 1.0 for d in df]


def _weights(feats: list[str], vocab: dict[str, int], idf) -> dict[int, float]:
    row: dict[int, float] = {}
    get = vocab.get
    # counted at C speed (a Counter of strings); each term keeps the place of its first occurrence
    for t, c in Counter(feats).items():
        i = get(t)
        if i is not None:
            row[i] = (1.0 + math.log(c)) * idf[i]
    norm = math.sqrt(math.fsum(v * v for v in row.values())) or 1.0  # fsum: exact whatever the order
    return {i: v / norm for i, v in row.items()}


def transform_one(text: str, vocab: dict[str, int], idf) -> dict[int, float]:
    """Sparse TF-IDF row of one text as {feature index: weight}."""
    return _weights(analyze(text), vocab, idf)


def transform_matrix(docs: list[list[str]], vocab: dict[str, int], idf):
    """CSR matrix of analysed documents (training only: imports scipy)."""
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for feats in docs:
        row = _weights(feats, vocab, idf)
        for i in sorted(row):
            indices.append(i)
            data.append(row[i])
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(docs), len(vocab)))
