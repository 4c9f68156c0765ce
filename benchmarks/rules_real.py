"""The rule detector alone on the real labelled documents (data/real_gold.json), contract level.

    python benchmarks/rules_real.py [--corpus ../shared/corpus]

Per set (CUAD in scope, AI-era terms): precision / recall / F1 of the gap ids the rules raise, over the documents
labelled in scope; required gaps are the positives, arguable ones count neither way (as in ``castguard evaluate``).
The rules are not trained, so no folds are needed; the full held-out figures of the rules plus the learned model are
``castguard evaluate``'s. Needs ../shared/corpus beside the checkout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from castguard.classify.clause_rules import RuleDetector  # noqa: E402
from castguard.classify.taxonomy import GAPS  # noqa: E402
from castguard.evaluate import real_sets  # noqa: E402
from castguard.metrics import score  # noqa: E402
from castguard.scan import scan  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: {args.corpus}: no corpus folder here; pass --corpus DIR", file=sys.stderr)
        return 2
    for name, folder, items in real_sets(ROOT, args.corpus):
        pairs = []
        for item in items:
            if not item["in_scope"]:
                continue
            required = {g for g, e in item["gaps"].items() if e["strength"] == "required"}
            arguable = set(item["gaps"]) - required
            report = scan(folder / item["file"], detector=RuleDetector())
            pairs.append((required, {f.gap for f in report.findings} - arguable))
        if not pairs:
            continue
        result = score(pairs, list(GAPS))
        tp, fp, fn = (sum(v[k] for v in result["per_label"].values()) for k in ("tp", "fp", "fn"))
        m = result["micro"]
        print(f"{name}: {len(pairs)} in scope; tp {tp} fp {fp} fn {fn}; P {m['p']:.2f} R {m['r']:.2f} F1 {m['f']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
