"""Detection accuracy against hand labels: contract-level gap sets and clause-level cases.

    python benchmarks/accuracy.py            # all three sets, summary tables
    python benchmarks/accuracy.py -v         # also each contract's false positives / negatives

Sets:
- data/corpus_gold.json: the real public contracts of the development corpus (../shared/corpus), labelled
  by the team at contract level (in scope? which gap ids?). Files are read from --corpus.
- sample_contracts/EXPECTED.json: the fictional sample contracts.
- data/clause_cases.jsonl: single clauses written by the team (blunt, paraphrased, negated, carved-out).
- benchmarks/heldout/GOLD.json: 10 fictional contracts written and labelled independently of the detector,
  in other drafting styles; the rules were never tuned on them (measured once, reported as is).

These are development sets (the rules were written while looking at them); the held-out
evaluation of issue 3 is the number to trust for unseen contracts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from castguard.classify.taxonomy import GAPS  # noqa: E402
from castguard.metrics import score  # noqa: E402
from castguard.scan import scan  # noqa: E402

CLAUSE_KIND = {g for g, v in GAPS.items() if v.kind != "contract"}


def score_pairs(pairs: list[tuple[str, set[str], set[str]]], labels) -> dict:
    """:func:`castguard.metrics.score` of (name, gold, predicted) triples, labels in sorted order."""
    return score([(gold, pred) for _, gold, pred in pairs], sorted(labels))


def contract_eval(items, base: Path, verbose: bool):
    pairs, scope_ok, n = [], 0, 0
    for it in items:
        path = base / it["file"]
        if not path.exists():
            print(f"  missing {path}", file=sys.stderr)
            continue
        report = scan(path)
        pred = {f.gap for f in report.findings}
        gold = set(it["gaps"])
        n += 1
        scope_ok += report.in_scope == it["in_scope"]
        pairs.append((it["file"], gold, pred))
        if verbose and (pred != gold or report.in_scope != it["in_scope"]):
            print(f"  {it['file']}: scope {report.in_scope} (gold {it['in_scope']})")
            if pred - gold:
                print(f"      FP: {sorted(pred - gold)}")
            if gold - pred:
                print(f"      FN: {sorted(gold - pred)}")
    return pairs, scope_ok, n


def clause_eval(path: Path, verbose: bool):
    from castguard.classify.train import rules_labels

    pairs = []
    prot_ok = prot_n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        labels = rules_labels(case["text"])
        pred = {lab for lab in labels if lab in CLAUSE_KIND}
        gold = set(case["labels"]) & CLAUSE_KIND
        pairs.append((case["text"][:80], gold, pred))
        for p in case.get("protective", []):
            prot_n += 1
            prot_ok += f"protective:{p}" in labels and p not in pred
        if verbose and pred != gold:
            print(f"  FP {sorted(pred - gold)} FN {sorted(gold - pred)} :: {case['text'][:150]}")
    return pairs, prot_ok, prot_n


def print_table(title: str, res: dict) -> None:
    print(f"\n{title}")
    print(f"  {'label':<32} {'tp':>3} {'fp':>3} {'fn':>3}  {'P':>5} {'R':>5} {'F1':>5}")
    for lab, v in res["per_label"].items():
        if v["tp"] + v["fp"] + v["fn"]:
            print(f"  {lab:<32} {v['tp']:>3} {v['fp']:>3} {v['fn']:>3}  {v['p']:5.2f} {v['r']:5.2f} {v['f']:5.2f}")
    tp, fp, fn = (sum(v[k] for v in res["per_label"].values()) for k in ("tp", "fp", "fn"))
    m = res["micro"]
    print(f"  {'micro':<32} {tp:>3} {fp:>3} {fn:>3}  {m['p']:5.2f} {m['r']:5.2f} {m['f']:5.2f}")
    print(f"  {'macro F1':<32} {'':>11}  {'':>5} {'':>5} {res['macro']['f']:5.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    all_gaps = set(GAPS)

    gold = json.loads((ROOT / "data" / "corpus_gold.json").read_text())
    if args.corpus.exists():
        pairs, ok, n = contract_eval(gold["contracts"], args.corpus, args.verbose)
        print_table(f"Real corpus, contract level ({n} contracts, scope correct {ok}/{n})", score_pairs(pairs, all_gaps))
    else:
        print(f"(corpus folder {args.corpus} not found; skipping the real-contract set)")

    samples = json.loads((ROOT / "sample_contracts" / "EXPECTED.json").read_text())
    pairs, ok, n = contract_eval(samples, ROOT / "sample_contracts", args.verbose)
    print_table(
        f"Sample contracts, contract level ({n} contracts, scope correct {ok}/{n})", score_pairs(pairs, all_gaps)
    )

    heldout = json.loads((ROOT / "benchmarks" / "heldout" / "GOLD.json").read_text())
    pairs, ok, n = contract_eval(heldout["contracts"], ROOT / "benchmarks" / "heldout", args.verbose)
    print_table(
        f"Held-out contracts, contract level ({n} contracts, scope correct {ok}/{n}; never used to tune the rules)",
        score_pairs(pairs, all_gaps),
    )

    pairs, pok, pn = clause_eval(ROOT / "data" / "clause_cases.jsonl", args.verbose)
    print_table(
        f"Clause cases ({len(pairs)} clauses; protections recognised {pok}/{pn})", score_pairs(pairs, CLAUSE_KIND)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
