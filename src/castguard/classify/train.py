"""Train and evaluate the clause classifier (``castguard train`` / ``castguard evaluate``).

Method: TF-IDF over word 1-2-grams and character 3-5-grams (``features``), one L2 logistic regression per
label with balanced class weights (liblinear, deterministic), Platt calibration and a per-label threshold
fitted on out-of-fold scores of a document-grouped split, so that no contract contributes clauses to both
sides. Same data, same code -> the same artefact, byte for byte.

Evaluation compares, on held-out documents (grouped k-fold), the keyword baseline, the rules, the model and
the combination the scanner uses, per label and as micro/macro averages, and then the contract-level gap
sets on whole labelled contracts. Everything here imports scikit-learn; scanning never does.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import CastguardError
from ..ingest.text import read_text
from ..metrics import score
from ..model import Document
from ..output import write_atomic
from ..segment import segment
from ..segment.sentences import parse
from .clause_rules import RuleDetector
from .concepts import find_concepts
from .contract import build_findings
from .features import analyze, build_vocabulary, idf_weights, transform_matrix
from .model import MIN_PROBABILITY, ClauseModel
from .protections import read_contract
from .taxonomy import GAPS

__all__ = ["KEYWORDS", "Example", "evaluate", "load_examples", "train"]

MODEL_ID = "clauses-v1"
MIN_POSITIVES = 8  # a label with fewer positive clauses is left to the rules
FOLDS = 5
CLAUSE_KIND = [g for g, v in GAPS.items() if v.kind != "contract"]

# The plain keyword baseline: a label fires when any of its words occurs (no negation, no context).
KEYWORDS = {
    "ai_training_grant": ["train", "machine learning", "artificial intelligence", "dataset", "data set"],
    "replica_creation_grant": ["replica", "digital double", "avatar", "voice model", "clone", "synthesize", "scan"],
    "replica_use_unspecified": ["replica", "digital double", "avatar", "voice model"],
    "unbounded_term_scope": ["perpetuity", "perpetual", "universe", "hereafter devised", "irrevocabl"],
    "reuse_other_projects": ["sequel", "derivative work", "other production", "library", "any project"],
    "digital_alteration": ["alter", "modify", "dub", "edit", "manipulat"],
    "objectionable_depiction": ["any manner", "any purpose", "without approval", "any context"],
    "replica_compensation_missing": [
        "no additional compensation",
        "without further compensation",
        "buyout",
        "full consideration",
    ],
    "consent_buried_or_bundled": ["by signing", "hereby consent", "deemed to consent"],
    "consent_conditioned_or_waived": ["waive", "release", "condition of"],
    "no_revocation_or_suspension": ["irrevocabl", "survive"],
    "assignment_sublicensing": ["assign", "sublicens", "transfer"],
    "post_mortem_use": ["death", "deceased", "posthumous", "estate"],
    "synthetic_substitution": ["synthetic", "in the style of", "sound-alike", "ai-generated"],
    "data_security_deletion_missing": ["recordings", "scan", "biometric", "voice data"],
    "ai_disclosure_missing": ["replica", "artificial intelligence", "synthetic", "ai "],
    "silent_broad_legacy_grant": ["in perpetuity", "all media", "hereafter devised", "results and proceeds"],
    "representation_or_minor_gap": ["minor", "guardian", "under 18"],
}


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[str]  # gap ids and protective:<gap id>; empty for none
    doc: str  # the contract (or group of written clauses) it belongs to
    provenance: str  # corpus | written | real
    # labels a reviewer judged arguable for this clause: neither taught nor scored, either way
    arguable: frozenset[str] = frozenset()


MAX_DATA_BYTES = 200 * 2**20


def load_examples(path: Path) -> list[Example]:
    if not path.exists():
        raise CastguardError(
            "labelled data not found; it ships in the repository as data/clauses.jsonl", path=str(path)
        )
    if path.is_dir() or path.stat().st_size > MAX_DATA_BYTES:
        raise CastguardError(
            f"labelled data must be a JSONL file of at most {MAX_DATA_BYTES // 2**20} MB", path=str(path)
        )
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise CastguardError("labelled data is not UTF-8 text (JSONL); see data/README.md", path=str(path)) from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            labels = frozenset(lab for lab in row["labels"] if lab != "none")
            arguable = frozenset(row.get("arguable", ())) - labels
            if not isinstance(row["text"], str) or not isinstance(row["doc"], str):
                raise TypeError("text and doc must be strings")
            out.append(Example(row["text"], labels, row["doc"], row["provenance"], arguable))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CastguardError(
                f"line {n} is not a labelled clause ({exc}); see data/README.md", path=str(path)
            ) from None
    return out


def _labels_to_train(examples: list[Example]) -> list[str]:
    wanted = list(GAPS) + [f"protective:{g}" for g in GAPS]
    counts = {lab: sum(lab in e.labels for e in examples) for lab in wanted}
    return [lab for lab in wanted if counts[lab] >= MIN_POSITIVES]


def _group_folds(docs: list[str], k: int) -> list[list[int]]:
    """Deterministic document-grouped folds: documents sorted by a hash, dealt round-robin."""
    order = sorted(set(docs), key=lambda d: hashlib.sha256(d.encode()).hexdigest())
    fold_of = {d: i % k for i, d in enumerate(order)}
    folds: list[list[int]] = [[] for _ in range(k)]
    for i, d in enumerate(docs):
        folds[fold_of[d]].append(i)
    return folds


def _fit_lr(X, y):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(
        C=16.0, tol=1e-3, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=0
    )
    clf.fit(X, y)
    return clf


def _platt(scores: list[float], y: list[int]) -> tuple[float, float]:
    """Sigmoid calibration p = 1 / (1 + exp(-(a*s + b))) fitted by logistic regression on one feature."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=2000)
    lr.fit(np.asarray(scores).reshape(-1, 1), y)
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def _best_threshold(probs: list[float], y: list[int]) -> float:
    best, best_f = 0.5, -1.0
    for t in [i / 100 for i in range(15, 91, 5)]:
        tp = sum(1 for p, t_ in zip(probs, y) if p >= t and t_)
        fp = sum(1 for p, t_ in zip(probs, y) if p >= t and not t_)
        fn = sum(1 for p, t_ in zip(probs, y) if p < t and t_)
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f > best_f + 1e-9:
            best, best_f = t, f
    return best


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


RULE_FEATURES = list(GAPS) + [f"protective:{g}" for g in GAPS]


def rule_matrix(rule_labels: list[set[str]]):
    """One column per rule label (1.0 when the rules gave the clause that label): the rules as features."""
    from scipy.sparse import csr_matrix

    col = {lab: j for j, lab in enumerate(RULE_FEATURES)}
    rows, cols = [], []
    for i, labs in enumerate(rule_labels):
        for lab in sorted(labs):
            if lab in col:
                rows.append(i)
                cols.append(col[lab])
    return csr_matrix(([RULE_WEIGHT] * len(rows), (rows, cols)), shape=(len(rule_labels), len(RULE_FEATURES)))


RULE_WEIGHT = 1.0


def fit(examples: list[Example], *, inner_folds: int = 2, rule_labels: list[set[str]] | None = None) -> dict:
    """Fit vocabulary, one calibrated linear model per label and thresholds. Returns the artefact as a dict.

    ``rule_labels`` (the rule detector's labels for each example) are appended as features, so the model
    learns where the rules are right and adds what the words say beyond them.
    """
    import numpy as np
    from scipy.sparse import hstack

    labels = _labels_to_train(examples)
    analysed = [analyze(e.text) for e in examples]
    vocab = build_vocabulary(analysed)
    idf = idf_weights(analysed, vocab)
    if rule_labels is None:
        rule_labels = [rule_hit_labels(e.text) for e in examples]
    X = hstack([transform_matrix(analysed, vocab, idf), rule_matrix(rule_labels)]).tocsr()
    docs = [e.doc for e in examples]
    folds = _group_folds(docs, inner_folds)
    coef = np.zeros((len(labels), X.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(labels), dtype=np.float32)
    platt, thresholds = [], []
    for k, lab in enumerate(labels):
        y = np.array([1 if lab in e.labels else 0 for e in examples])
        # a clause whose label is arguable teaches this label nothing, either way
        keep = np.array([i for i, e in enumerate(examples) if lab not in e.arguable])
        oof = np.zeros(len(examples))
        for test in folds:
            train_idx = np.setdiff1d(keep, test)
            if y[train_idx].sum() == 0:
                oof[test] = -10.0
                continue
            oof[test] = _fit_lr(X[train_idx], y[train_idx]).decision_function(X[test])
        a, b = _platt(oof[keep].tolist(), y[keep].tolist())
        probs = [_sigmoid(a * s + b) for s in oof[keep]]
        thresholds.append(_best_threshold(probs, y[keep].tolist()))
        platt.append((round(a, 6), round(b, 6)))
        final = _fit_lr(X[keep], y[keep])
        coef[k] = final.coef_[0]
        intercept[k] = final.intercept_[0]
    return {
        "labels": labels,
        "rule_features": RULE_FEATURES,
        "rule_weight": RULE_WEIGHT,
        "vocabulary": sorted(vocab, key=vocab.__getitem__),
        "idf": np.asarray(idf, dtype=np.float32),
        "coef": coef.astype(np.float16),
        "intercept": intercept,
        "platt": platt,
        "thresholds": thresholds,
    }


# the modules whose code decides the artefact's bytes (features, rule features, labels, training itself)
CODE_FILES = (
    "classify/train.py", "classify/features.py", "classify/concepts.py", "classify/sentences.py",
    "classify/clause_rules.py", "classify/lexicon.py", "classify/taxonomy.py", "segment/sentences.py", "vocabulary.py",
    "playbooks/default.toml",  # the lexicon and the gaps the rules read
)  # fmt: skip
CODE_GLOBS = ("playbooks/patterns/*.toml",)  # the rules' regular expressions


def code_fingerprint() -> str:
    """SHA-256 of the code that decides the model's bytes (:data:`CODE_FILES` and the files of
    :data:`CODE_GLOBS`, line ends normalised).

    Written into the model's metadata, so a test can tell in milliseconds that the shipped model was trained
    by this code from this data (``castguard train`` after a change to any of these files); the full rebuild
    and byte comparison is ``make check-model``."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    names = [*CODE_FILES, *(p.relative_to(root).as_posix() for g in CODE_GLOBS for p in sorted(root.glob(g)))]
    for name in names:
        h.update(name.encode() + b"\0" + (root / name).read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def train(data: Path, out_dir: Path) -> dict:
    """Rebuild ``models/clauses-v1.{json,npz}`` from the labelled data; returns the metadata written."""
    import io

    import numpy as np
    from threadpoolctl import threadpool_limits

    examples = load_examples(data)
    with threadpool_limits(limits=1):  # one BLAS thread: the same sums in the same order, the same bytes
        art = fit(examples)
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    meta = {
        "id": MODEL_ID,
        "format": "castguard.clause-model/1",
        "method": "TF-IDF (word 1-2-grams + char_wb 3-5-grams, sublinear tf) -> L2 logistic regression per label "
        "(balanced, liblinear, C=16), Platt-calibrated on document-grouped out-of-fold scores, per-label threshold",
        "training_data": {
            "path": "data/clauses.jsonl",
            "sha256": digest,
            "clauses": len(examples),
            "documents": len({e.doc for e in examples}),
        },
        "code_sha256": code_fingerprint(),
        "labels": art["labels"],
        "rule_features": art["rule_features"],
        "rule_weight": art["rule_weight"],
        "thresholds": art["thresholds"],
        "platt": art["platt"],
        "vocabulary": art["vocabulary"],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    # np.savez writes zip entries with a fixed date, so the same arrays give the same bytes; stored, not deflated:
    # 4.6 MB instead of 3 MB, and every scan reads it in 2 ms instead of 26 (the wheel compresses it anyway)
    np.savez(buf, coef=art["coef"], intercept=art["intercept"], idf=art["idf"])
    write_atomic(out_dir / f"{MODEL_ID}.npz", buf.getvalue())
    write_atomic(out_dir / f"{MODEL_ID}.json", (json.dumps(meta, indent=1, ensure_ascii=False) + "\n").encode())
    return {k: v for k, v in meta.items() if k != "vocabulary"}


# --------------------------------------------------------------------------- evaluation


def keyword_baseline(text: str) -> set[str]:
    low = text.lower()
    return {g for g, words in KEYWORDS.items() if any(w in low for w in words)}


def _as_contract(text: str):
    """One clause standing alone as a tiny document: (doc, clauses, concepts), ready for the rules."""
    fields = read_text(text.encode("utf-8"), "clause")
    doc = Document(source="clause", sha256="0" * 64, format="txt", text=fields["text"], blocks=fields["blocks"])
    sdoc = parse(doc.text)
    return doc, segment(doc, sdoc=sdoc), find_concepts(doc.text, sdoc)


def rule_hit_labels(text: str) -> set[str]:
    """The rule detector's raw clause labels for one clause on its own (the model's rule features)."""
    return set(_rule_hit_labels(text))


@lru_cache(maxsize=20000)
def _rule_hit_labels(text: str) -> frozenset[str]:
    # the same clause is read again by every fold of an evaluation and by each training in one process
    doc, clauses, concepts = _as_contract(text)
    return frozenset(h.label for h in RuleDetector().label(doc, clauses, concepts))


def rules_labels(text: str) -> set[str]:
    """What the rules say about one clause standing alone, judged as part of an in-scope performer contract:
    the clause-kind gaps they would report (including the decision-rule consequences, e.g. an unspecified
    replica grant) and every protection they recognise."""
    doc, clauses, concepts = _as_contract(text)
    hits = RuleDetector().label(doc, clauses, concepts)
    facts = read_contract(doc, clauses, concepts, hits)
    findings = build_findings(doc, clauses, concepts, hits, facts, RuleDetector.name)
    protections = list(facts.protections)
    direct = {h.label for h in hits}
    gaps = {f.gap for f in findings if f.kind == "clause"}
    # "consent sits in the main agreement" needs the whole contract; a lone clause only shows it when it says so
    if "consent_buried_or_bundled" not in direct:
        gaps.discard("consent_buried_or_bundled")
    return gaps | {h.label for h in hits + protections if h.label.startswith("protective:")}


def as_model(art: dict, model_id: str = MODEL_ID):
    """An in-memory artefact as the ClauseModel the scanner uses (same inference code)."""
    import numpy as np

    return ClauseModel(
        id=model_id,
        labels=art["labels"],
        thresholds=art["thresholds"],
        platt=[tuple(p) for p in art["platt"]],
        vocab={t: i for i, t in enumerate(art["vocabulary"])},
        rule_features=art["rule_features"],
        rule_weight=art["rule_weight"],
        idf=np.asarray(art["idf"], dtype=np.float64),
        coef=art["coef"],
        intercept=np.asarray(art["intercept"], dtype=np.float32),
        meta={},
    )


def combine(rules: set[str], model: dict[str, float], min_probability: float | None = None) -> set[str]:
    """The scanner's combination at clause level: rules stand; confident model labels fill what they left open."""
    floor = MIN_PROBABILITY if min_probability is None else min_probability
    spoken = {lab.split(":", 1)[-1] for lab in rules}
    return set(rules) | {lab for lab, p in model.items() if p >= floor and lab.split(":", 1)[-1] not in spoken}


def evaluate(data: Path, *, folds: int = FOLDS, progress=None, fold_models: dict | None = None) -> dict:
    """Cross-validated clause-level evaluation (document-grouped) of baseline, rules, model and combined.

    ``fold_models``, if given, receives {document: the fold model that never saw it} for later use.
    """
    examples = load_examples(data)
    hit_labels = [rule_hit_labels(e.text) for e in examples]
    split = _group_folds([e.doc for e in examples], folds)
    preds: dict[str, list[set[str]]] = {
        name: [set() for _ in examples] for name in ("baseline", "rules", "model", "combined")
    }
    for n, test in enumerate(split, 1):
        if progress:
            progress(f"fold {n}/{folds}: training on {len(examples) - len(test)} clauses, testing on {len(test)}")
        test_set = set(test)
        train_idx = [i for i in range(len(examples)) if i not in test_set]
        fold_model = as_model(fit([examples[i] for i in train_idx], rule_labels=[hit_labels[i] for i in train_idx]))
        if fold_models is not None:
            fold_models.update({examples[i].doc: fold_model for i in test})
        for i in test:
            text = examples[i].text
            rules = rules_labels(text)
            model = fold_model.predict(text, hit_labels[i])
            preds["baseline"][i] = keyword_baseline(text)
            preds["rules"][i] = rules
            preds["model"][i] = set(model)
            preds["combined"][i] = combine(rules, model)
    gold = [set(e.labels) for e in examples]
    # an arguable label counts neither way: a prediction of it is no false finding, its absence no miss
    for name in preds:
        preds[name] = [p - e.arguable for p, e in zip(preds[name], examples)]
    report: dict[str, Any] = {
        "clauses": len(examples), "documents": len({e.doc for e in examples}), "folds": folds, "systems": {}
    }
    protective = [f"protective:{g}" for g in GAPS]
    for name, p in preds.items():
        pairs = list(zip(gold, p))
        report["systems"][name] = {
            "clause_kind": score(pairs, CLAUSE_KIND),
            "all_gaps": score(pairs, list(GAPS)),
            "protective": score(pairs, protective),
        }
    # the same held-out predictions, separately for real documents and for the team's written clauses
    report["by_provenance"] = {}
    for kind, keep in (("real", {"real", "corpus"}), ("written", {"written"})):
        idx = [i for i, e in enumerate(examples) if e.provenance in keep]
        sub: dict[str, Any] = {"clauses": len(idx), "documents": len({examples[i].doc for i in idx}), "systems": {}}
        for name, p in preds.items():
            pairs = [(gold[i], p[i]) for i in idx]
            sub["systems"][name] = {
                "all_gaps": score(pairs, list(GAPS)),
                "protective": score(pairs, protective),
            }
        report["by_provenance"][kind] = sub
    return report
