"""Precision, recall and F1 of predicted label sets against gold ones: the one definition every measurement uses
(``castguard train`` and ``evaluate``, ``benchmarks/accuracy.py``, ``benchmarks/rules_real.py``).

A label with no prediction has precision 1.0 when there was nothing to find and 0.0 when there was (it missed
all of it); recall with nothing to find is 1.0; F1 is 0.0 when precision and recall are both 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["prf", "score"]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """(precision, recall, F1) from the counts of true positives, false positives and false negatives."""
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pairs: Sequence[tuple[set[str], set[str]]], labels: Iterable[str]) -> dict:
    """Per-label and averaged precision / recall / F1 for (gold, predicted) label sets.

    ``per_label``: {label: {tp, fp, fn, support, p, r, f}}; ``micro``: {p, r, f} over the summed counts;
    ``macro``: {p, r, f} averaged over the labels with support (gold occurrences), 0.0 when none has any.
    """
    per = {}
    TP = FP = FN = 0
    for lab in labels:
        tp = sum(1 for g, p in pairs if lab in g and lab in p)
        fp = sum(1 for g, p in pairs if lab not in g and lab in p)
        fn = sum(1 for g, p in pairs if lab in g and lab not in p)
        per[lab] = {"tp": tp, "fp": fp, "fn": fn, "support": tp + fn, **dict(zip("prf", prf(tp, fp, fn)))}
        TP, FP, FN = TP + tp, FP + fp, FN + fn
    supported = [v for v in per.values() if v["support"]]
    micro = dict(zip("prf", prf(TP, FP, FN)))
    macro = {k: (sum(v[k] for v in supported) / len(supported) if supported else 0.0) for k in "prf"}
    return {"per_label": per, "micro": micro, "macro": macro}
