"""``castguard evaluate``: clause-level and contract-level quality, as data and as a printable table.

Clause level comes from :func:`castguard.classify.train.evaluate` (document-grouped cross-validation).
Contract level scans the labelled whole contracts twice, with the rules alone and with the combined
detector; a contract whose clauses are in the training data is scanned with the fold model that never saw
it, the others (the held-out set, the Databrary files) with the shipped model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .classify.clause_rules import RuleDetector
from .classify.model import CombinedDetector, default_model, models_dir
from .classify.taxonomy import GAPS
from .classify.train import CLAUSE_KIND, evaluate, keyword_baseline
from .ingest import read_document
from .metrics import score
from .scan import scan

__all__ = [
    "HIGH",
    "clause_in_context",
    "contract_sets",
    "evaluate_all",
    "keyword_contract",
    "real_contract_eval",
    "real_sets",
    "render_evaluation",
]

HIGH = [g for g, v in GAPS.items() if v.severity == "high"]


def contract_sets(root: Path) -> list[tuple[str, Path, list[dict]]]:
    """(name, folder, labelled contracts) for every set of whole contracts that exists here."""
    sets = []
    gold = json.loads((root / "data" / "corpus_gold.json").read_text(encoding="utf-8"))
    shared = root.parent / "shared" / "corpus"
    local = [c for c in gold["contracts"] if (root / "tests" / "corpus" / c["file"]).exists()]
    sets.append(("real corpus (CC BY, in repo)", root / "tests" / "corpus", local))
    if shared.exists():
        extra = [c for c in gold["contracts"] if c not in local and (shared / c["file"]).exists()]
        if extra:
            sets.append(("real corpus (Databrary, read from ../shared)", shared, extra))
    samples = json.loads((root / "sample_contracts" / "EXPECTED.json").read_text(encoding="utf-8"))
    sets.append(("sample contracts", root / "sample_contracts", samples))
    held = root / "benchmarks" / "heldout" / "GOLD.json"
    if held.exists():
        sets.append(("held-out contracts", held.parent, json.loads(held.read_text(encoding="utf-8"))["contracts"]))
    return sets


def real_sets(root: Path, corpus: Path | None = None) -> list[tuple[str, Path, list[dict]]]:
    """The real labelled documents of data/real_gold.json, grouped as the issue reports them; their texts are
    read from the shared corpus folder (``../shared/corpus`` beside a checkout, or ``corpus``)."""
    gold_path = root / "data" / "real_gold.json"
    corpus = corpus or root.parent / "shared" / "corpus"
    if not gold_path.exists() or not corpus.exists():
        return []
    docs = [d for d in json.loads(gold_path.read_text(encoding="utf-8"))["documents"] if (corpus / d["file"]).exists()]
    groups = [
        ("real: CUAD contracts in scope", [d for d in docs if d["file"].startswith("cuad/") and d["in_scope"]]),
        ("real: CUAD contracts out of scope", [d for d in docs if d["file"].startswith("cuad/") and not d["in_scope"]]),
        ("real: AI-era terms and consents", [d for d in docs if d["file"].startswith("ai_era/")]),
    ]
    return [(name, corpus, items) for name, items in groups if items]


def keyword_contract(text: str) -> tuple[bool, set[str]]:
    """The plain keyword spotter at contract level: in scope when a likeness word occurs anywhere, and then
    every gap one of whose words occurs anywhere (no negation, no context)."""
    in_scope = bool(re.search(r"likeness|voice|photograph|\bimages?\b|\bvideos?\b|\brecordings?\b", text, re.I))
    return in_scope, (keyword_baseline(text) if in_scope else set())


def real_contract_eval(
    root: Path, corpus: Path | None = None, *, fold_models: dict | None = None, progress=None
) -> dict:
    """Contract-level quality on the real labelled documents: castguard (rules + the learned model; with
    ``fold_models``, the fold model that never saw the document's clauses, so the figure is held out), the rules
    alone, and the keyword baseline. A gap labelled ``arguable`` counts neither for nor against a system;
    ``required`` gaps are the positives."""
    shipped = default_model()
    fold_models = fold_models or {}
    out = {}
    for name, folder, items in real_sets(root, corpus):
        res = {}
        # (item, in scope, predicted gaps, required gaps, arguable gaps) per document
        per_system: dict[str, list[tuple[dict, bool, set[str], set[str], set[str]]]] = {
            "castguard": [],
            "rules only": [],
            "keyword baseline": [],
        }
        # (labelled protections, reported protections) per in-scope document: the gaps the contract already
        # protects against, hollowed ones left out on both sides (the keyword spotter reports none)
        protected: dict[str, list[tuple[set[str], set[str]]]] = {system: [] for system in per_system}
        for item in items:
            if progress:
                progress(f"{name}: {item['file']}")
            required = {g for g, e in item["gaps"].items() if e["strength"] == "required"}
            arguable = {g for g, e in item["gaps"].items() if e["strength"] != "required"}
            model = fold_models.get(item["file"], shipped)
            det = CombinedDetector(model) if model is not None else RuleDetector()
            report = scan(folder / item["file"], detector=det)
            pred = {f.gap for f in report.findings}
            per_system["castguard"].append((item, report.in_scope, pred, required, arguable))
            rules = scan(folder / item["file"], detector=RuleDetector())
            per_system["rules only"].append((item, rules.in_scope, {f.gap for f in rules.findings}, required, arguable))
            if item["in_scope"]:
                labelled = {g for g, e in (item.get("protections") or {}).items() if not e.get("hollowed")}
                for system, said in (("castguard", report), ("rules only", rules)):
                    protected[system].append((labelled, {p.gap for p in said.protections if not p.hollowed}))
                protected["keyword baseline"].append((labelled, set()))
            kw_scope, kw_gaps = keyword_contract(read_document(folder / item["file"]).text)
            per_system["keyword baseline"].append((item, kw_scope, kw_gaps, required, arguable))
        for system, rows in per_system.items():
            pairs = [(req, pred - arg) for item, sc, pred, req, arg in rows if item["in_scope"]]
            out_rows = [(item, pred) for item, sc, pred, req, arg in rows if not item["in_scope"]]
            res[system] = {
                "documents": len(rows),
                "in_scope_labelled": sum(1 for r in rows if r[0]["in_scope"]),
                "scope_correct": sum(1 for item, sc, *_ in rows if sc == item["in_scope"]),
                "scope_missed": [item["file"] for item, sc, *_ in rows if item["in_scope"] and not sc],
                "scope_false": [item["file"] for item, sc, *_ in rows if sc and not item["in_scope"]],
                "out_of_scope_with_findings": [item["file"] for item, pred in out_rows if pred],
                "findings_per_out_of_scope": (
                    sum(len(pred) for _, pred in out_rows) / len(out_rows) if out_rows else 0.0
                ),
                "all": score(pairs, list(GAPS)),
                "high": score(pairs, HIGH),
                "protections": score(protected[system], list(GAPS)),
            }
        out[name] = res
    return out


def _protection_lines(real: dict) -> list[str]:
    """The protections table of the real in-scope documents (what a report says the contract already protects
    against, against the labelled protections); empty for results written before it was measured."""
    rows = []
    for name, res in real.items():
        for system, r in res.items():
            prot = r.get("protections")
            if not prot or not r["in_scope_labelled"]:
                continue
            tp, fp, fn = (sum(v[k] for v in prot["per_label"].values()) for k in ("tp", "fp", "fn"))
            m = prot["micro"]
            rows.append(f"  {name:<36} {system:<17} {m['p']:5.2f} {m['r']:5.2f} {m['f']:5.2f}  {tp}/{fp}/{fn}")
    if not rows:
        return []
    return [
        "",
        "Protections, real in-scope documents: the gaps a report says the contract already protects against, against "
        "the labelled protections (hollowed ones left out on both sides)",
        f"  {'set':<36} {'system':<17} {'P':>5} {'R':>5} {'F1':>5}  tp/fp/fn",
        *rows,
    ]


def _contract_eval(root: Path, fold_models: dict) -> dict:
    shipped = default_model()
    out = {}
    for name, folder, items in contract_sets(root):
        result = {}
        for system in ("rules", "combined"):
            pairs, scope_ok, out_of_scope_findings = [], 0, 0
            for item in items:
                det: RuleDetector | CombinedDetector
                if system == "rules" or shipped is None:
                    det = RuleDetector()
                else:
                    det = CombinedDetector(fold_models.get(item["file"], shipped))
                report = scan(folder / item["file"], detector=det)
                pred = {f.gap for f in report.findings}
                pairs.append((set(item["gaps"]), pred))
                scope_ok += report.in_scope == item["in_scope"]
                if not item["in_scope"]:
                    out_of_scope_findings += len(report.findings)
            result[system] = {
                "contracts": len(items),
                "scope_correct": scope_ok,
                "findings_on_out_of_scope": out_of_scope_findings,
                "all": score(pairs, list(GAPS)),
                "high": score(pairs, HIGH),
            }
        out[name] = result
    return out


def _report_clause_labels(report) -> dict[str, set[str]]:
    """What a report says of each clause: the gap of every finding whose evidence cites it, and
    ``protective:<gap>`` for every protection (not hollowed) that rests on it."""
    out: dict[str, set[str]] = {}
    for f in report.findings:
        for cid in set(f.clause_ids) | {e.clause_id for e in f.evidence}:
            out.setdefault(cid, set()).add(f.gap)
    for p in report.protections:
        if p.hollowed:
            continue
        for cid in set(p.clause_ids) | {e.clause_id for e in p.evidence}:
            out.setdefault(cid, set()).add(f"protective:{p.gap}")
    return out


def _locator(text: str, clauses):
    """``locate(clause id, clause text)`` -> the ids of the scan's clauses that a labelled clause covers: its own
    id when the text is the same, else the clauses overlapping where its text occurs in the document (a
    labelled clause segmented by an earlier version); None when the text is not in the document."""
    by_id = {c.id: c for c in clauses}
    flat: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if flat and flat[-1] == " ":
                continue
            flat.append(" ")
        else:
            flat.append(ch)
        index.append(i)
    joined = "".join(flat)

    def locate(cid: str, clause_text: str) -> list[str] | None:
        own = by_id.get(cid)
        if own is not None and own.text == clause_text:
            return [cid]
        at = joined.find(" ".join(clause_text.split()))
        if at < 0:
            return None
        a, b = index[at], index[at + len(" ".join(clause_text.split())) - 1] + 1
        return [c.id for c in clauses if c.start < b and a < c.end]

    return locate


def clause_in_context(root: Path, data: Path, fold_models: dict, corpus: Path | None = None, progress=None) -> dict:
    """Clause level as a reader meets it: each real labelled document scanned whole (scope, document type,
    lead-ins and protections applied) with the fold model that never saw it, and every clause given the gap ids
    of the findings and protections that cite it. Scored against the clause labels (arguable labels count
    neither way), beside the rules alone and the keyword spotter (its clause words, in the documents its
    likeness words call in scope). A labelled clause that an earlier segmenter cut differently takes the labels
    of the scan's clauses it overlaps; one whose text is no longer in the document is left out and counted."""
    corpus = corpus or root.parent / "shared" / "corpus"
    shipped = default_model()
    rows_by_doc: dict[str, list[dict]] = {}
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["provenance"] in ("real", "corpus"):
                rows_by_doc.setdefault(row["doc"], []).append(row)
    names = ("baseline", "rules", "castguard")
    pairs: dict[str, list[tuple[set[str], set[str]]]] = {n: [] for n in names}
    skipped_docs, stale = [], 0
    for doc, rows in sorted(rows_by_doc.items()):
        path = corpus / doc if rows[0]["provenance"] == "real" else root / rows[0]["source"]
        if not path.exists():
            skipped_docs.append(doc)
            continue
        if progress:
            progress(f"clauses in context: {doc}")
        model = fold_models.get(doc, shipped)
        reports = {
            "castguard": scan(path, detector=CombinedDetector(model) if model is not None else RuleDetector()),
            "rules": scan(path, detector=RuleDetector()),
        }
        said = {n: _report_clause_labels(r) for n, r in reports.items()}
        text = read_document(path).text
        locate = _locator(text, reports["rules"].clauses)
        kw_scope = keyword_contract(text)[0]
        for row in rows:
            cited = locate(row["clause"], row["text"])
            if cited is None:
                stale += 1
                continue
            gold = {lab for lab in row["labels"] if lab != "none"}
            arguable = set(row.get("arguable", ()))
            preds = {
                "baseline": keyword_baseline(row["text"]) if kw_scope else set(),
                **{n: set().union(*(said[n].get(cid, set()) for cid in cited)) for n in ("rules", "castguard")},
            }
            for n in names:
                pairs[n].append((gold, preds[n] - arguable))
    protective = [f"protective:{g}" for g in GAPS]
    return {
        "clauses": len(pairs["castguard"]),
        "documents": len(rows_by_doc) - len(skipped_docs),
        "documents_not_found": skipped_docs,
        "clauses_changed_since_labelled": stale,
        "systems": {
            n: {"all_gaps": score(p, list(GAPS)), "protective": score(p, protective)} for n, p in pairs.items()
        },
    }


def evaluate_all(data: Path, *, folds: int = 5, contracts: bool = True, progress=None) -> dict:
    fold_models: dict = {}
    result = {"clause_level": evaluate(data, folds=folds, progress=progress, fold_models=fold_models)}
    if contracts:
        if progress:
            progress("contract level: scanning the labelled whole contracts")
        result["contract_level"] = _contract_eval(models_dir().parent, fold_models)
        if progress:
            progress("contract level: scanning the real labelled documents (data/real_gold.json)")
        result["real_contract_level"] = real_contract_eval(models_dir().parent, fold_models=fold_models)
        if progress:
            progress("clause level in context: scanning the real labelled documents whole")
        result["clause_in_context"] = clause_in_context(models_dir().parent, data, fold_models, progress=progress)
    return result


MIN_REAL_POSITIVES = 10  # the clause-level target averages over the ids with at least this many real positives


def _row(name: str, m: dict) -> str:
    return f"  {name:<44} {m['p']:5.2f} {m['r']:5.2f} {m['f']:5.2f}"


def _per_label_table(systems: dict) -> list[str]:
    """Per-label P / R / F1 with the positives, and the macro F1 over the gap ids with enough real positives."""
    names = list(systems)
    lines = [f"  {'label':<40} {'pos':>4} " + " ".join(f"{n:>16}" for n in names)]
    supported = []
    for lab in list(GAPS) + [f"protective:{g}" for g in GAPS]:
        group = "protective" if lab.startswith("protective:") else "all_gaps"
        per = {n: systems[n][group]["per_label"][lab] for n in names}
        sup = per[names[0]]["support"]
        if not sup:
            continue
        if sup >= MIN_REAL_POSITIVES and not lab.startswith("protective:"):
            supported.append(lab)
        lines.append(
            f"  {lab:<40} {sup:>4} "
            + " ".join(f"{per[n]['p']:.2f}/{per[n]['r']:.2f}/{per[n]['f']:.2f}".rjust(16) for n in names)
        )
    if supported:
        lines.append(
            f"  {'macro F1, gap ids with >= %d positives (%d)' % (MIN_REAL_POSITIVES, len(supported)):<45}"
            + " ".join(
                f"{sum(systems[n]['all_gaps']['per_label'][lab]['f'] for lab in supported) / len(supported):>16.2f}"
                for n in names
            )
        )
    return lines


def render_evaluation(result: dict) -> str:
    cl = result["clause_level"]
    systems = cl["systems"]
    names = list(systems)
    lines = [
        f"Clause level: {cl['clauses']} clauses from {cl['documents']} documents, {cl['folds']}-fold "
        "cross-validation grouped by document (no contract on both sides)",
        "",
        "F1 per taxonomy id (clause-kind ids; support = positive clauses)",
        f"  {'label':<32} {'support':>7} " + " ".join(f"{n:>9}" for n in names),
    ]
    for lab in CLAUSE_KIND:
        sup = systems[names[0]]["clause_kind"]["per_label"][lab]["support"]
        lines.append(
            f"  {lab:<32} {sup:>7} "
            + " ".join(f"{systems[n]['clause_kind']['per_label'][lab]['f']:>9.2f}" for n in names)
        )
    for avg in ("micro", "macro"):
        lines.append(
            f"  {avg + ' (clause-kind ids)':<40} "
            + " ".join(f"{systems[n]['clause_kind'][avg]['f']:>9.2f}" for n in names)
        )
    for avg in ("micro", "macro"):
        lines.append(
            f"  {avg + ' (all 18 ids)':<40} " + " ".join(f"{systems[n]['all_gaps'][avg]['f']:>9.2f}" for n in names)
        )
    lines.append(
        f"  {'macro (protective labels)':<40} "
        + " ".join(f"{systems[n]['protective']['macro']['f']:>9.2f}" for n in names)
    )
    lines.append("")
    lines.append("Precision / recall / F1, clause-kind ids, micro")
    for n in names:
        lines.append(_row(n, systems[n]["clause_kind"]["micro"]))
    if "contract_level" in result:
        lines += [
            "",
            "Contract level: the gap ids each report raises, against the labels of whole contracts",
            f"  {'set':<44} {'system':<9} {'scope':>6} {'P':>5} {'R':>5} {'F1':>5}   high-severity P / R   "
            "findings on out-of-scope",
        ]
        for name, res in result["contract_level"].items():
            for system, r in res.items():
                lines.append(
                    f"  {name:<44} {system:<9} {r['scope_correct']:>3}/{r['contracts']:<2} {r['all']['micro']['p']:5.2f} "
                    f"{r['all']['micro']['r']:5.2f} {r['all']['micro']['f']:5.2f}   "
                    f"{r['high']['micro']['p']:5.2f} / {r['high']['micro']['r']:4.2f}          {r['findings_on_out_of_scope']}"
                )
    for kind, sub in cl.get("by_provenance", {}).items():
        lines += [
            "",
            f"Clause level, {kind} documents only: {sub['clauses']} clauses from {sub['documents']} documents "
            "(held-out folds; each clause read alone); per-label P / R / F1 and positives",
        ]
        lines += _per_label_table(sub["systems"])
    ctx = result.get("clause_in_context")
    if ctx:
        lines += [
            "",
            f"Clause level, real documents in context: {ctx['clauses']} clauses of {ctx['documents']} documents, each "
            "document scanned whole with the fold model that never saw it; a clause's labels are the findings and "
            "protections that cite it (what the report shows a reader)",
        ]
        if ctx["clauses_changed_since_labelled"] or ctx["documents_not_found"]:
            lines.append(
                f"  left out: {ctx['clauses_changed_since_labelled']} labelled clauses whose text is no longer found; "
                f"{len(ctx['documents_not_found'])} documents not found"
            )
        lines += _per_label_table(ctx["systems"])
    if result.get("real_contract_level"):
        lines += [
            "",
            "Contract level, real documents (data/real_gold.json): required gaps are positives; arguable ones count "
            "neither way",
            f"  {'set':<36} {'system':<17} {'scope':>7} {'P':>5} {'R':>5} {'F1':>5}  high P / R   out-of-scope with findings",
        ]
        for name, res in result["real_contract_level"].items():
            for system, r in res.items():
                lines.append(
                    f"  {name:<36} {system:<17} {r['scope_correct']:>3}/{r['documents']:<3} {r['all']['micro']['p']:5.2f} "
                    f"{r['all']['micro']['r']:5.2f} {r['all']['micro']['f']:5.2f}  {r['high']['micro']['p']:4.2f} / "
                    f"{r['high']['micro']['r']:4.2f}   {len(r['out_of_scope_with_findings'])}"
                )
        for name, res in result["real_contract_level"].items():
            r = res["castguard"]
            if r["scope_missed"] or r["scope_false"] or r["out_of_scope_with_findings"]:
                lines.append(f"  {name}:")
                for what, key in (
                    ("called out of scope, labelled in", "scope_missed"),
                    ("called in scope, labelled out", "scope_false"),
                    ("out of scope with findings", "out_of_scope_with_findings"),
                ):
                    for f in r[key]:
                        lines.append(f"    {what}: {f}")
            per = r["all"]["per_label"]
            rows = [f"{g} {v['tp']}/{v['fp']}/{v['fn']}" for g, v in per.items() if v["tp"] or v["fp"] or v["fn"]]
            if rows:
                lines.append(f"  {name}, castguard per gap (tp/fp/fn): " + "; ".join(rows))
        lines += _protection_lines(result["real_contract_level"])
    lines += ["", "Not legal advice: these figures describe a detector, not the law."]
    return "\n".join(lines)
