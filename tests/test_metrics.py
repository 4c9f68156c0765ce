"""The one definition of precision / recall / F1 (castguard.metrics), used by train, evaluate and the benchmarks."""

from castguard.metrics import prf, score


def test_counts_to_precision_recall_f1():
    assert prf(3, 1, 2) == (0.75, 0.6, 2 * 0.75 * 0.6 / 1.35)
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)  # nothing to find, nothing claimed
    assert prf(0, 0, 4) == (0.0, 0.0, 0.0)  # all of it missed: no precision to credit
    assert prf(0, 2, 0) == (0.0, 1.0, 0.0)


def test_score_per_label_micro_and_macro_over_supported_labels():
    pairs = [({"a"}, {"a", "b"}), ({"a", "c"}, {"a"}), (set(), {"b"})]
    res = score(pairs, ["a", "b", "c", "d"])
    assert res["per_label"]["a"] == {"tp": 2, "fp": 0, "fn": 0, "support": 2, "p": 1.0, "r": 1.0, "f": 1.0}
    assert res["per_label"]["b"]["fp"] == 2 and res["per_label"]["c"]["fn"] == 1
    assert res["micro"] == dict(zip("prf", prf(2, 2, 1)))
    # macro: over a and c only (b and d have no gold occurrence)
    assert res["macro"]["f"] == (1.0 + 0.0) / 2
