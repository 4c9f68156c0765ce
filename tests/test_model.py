"""The learned clause classifier: artefact, determinism, combination with the rules, measured floors."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import ROOT, scan_clause

from castguard.classify.model import CombinedDetector, load_model, models_dir
from castguard.classify.train import (
    CLAUSE_KIND,
    FOLDS,
    _group_folds,
    as_model,
    code_fingerprint,
    combine,
    fit,
    load_examples,
    rules_labels,
    score,
)
from castguard.cli import cli
from castguard.report import report_to_dict
from castguard.scan import scan

DATA = ROOT / "data" / "clauses.jsonl"


def test_shipped_artefact_is_small_versioned_and_loads():
    meta = json.loads((models_dir() / "clauses-v1.json").read_text())
    assert meta["id"] == "clauses-v1" and meta["format"] == "castguard.clause-model/1"
    size = sum((models_dir() / f"clauses-v1.{ext}").stat().st_size for ext in ("json", "npz"))
    assert size < 20 * 1024 * 1024
    model = load_model()
    assert set(model.labels) >= {"ai_training_grant", "replica_creation_grant", "unbounded_term_scope"}


def test_shipped_model_was_trained_by_this_code_from_this_data():
    """The committed model's metadata names the data and the code it came from; both must be today's.

    A change to the labelled data or to the code that decides the model (features, rules, lexicon, training)
    needs ``castguard train``. The full rebuild with a byte comparison is ``make check-model`` (run by CI)."""
    meta = json.loads((models_dir() / "clauses-v1.json").read_text())
    assert meta["training_data"]["sha256"] == hashlib.sha256(DATA.read_bytes()).hexdigest(), "run: castguard train"
    assert meta["code_sha256"] == code_fingerprint(), "the model's code changed since training; run: castguard train"


def test_training_is_deterministic(tmp_path):
    """Same data -> byte-identical artefact (on a tenth of the documents, for speed)."""
    lines = DATA.read_text(encoding="utf-8").splitlines()
    docs = sorted({json.loads(line)["doc"] for line in lines})
    keep = set(docs[::10])
    subset = tmp_path / "subset.jsonl"
    subset.write_text("\n".join(line for line in lines if json.loads(line)["doc"] in keep) + "\n", encoding="utf-8")
    for out in ("a", "b"):
        result = CliRunner().invoke(cli, ["train", "--data", str(subset), "--out", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    for ext in ("json", "npz"):
        assert (tmp_path / "a" / f"clauses-v1.{ext}").read_bytes() == (tmp_path / "b" / f"clauses-v1.{ext}").read_bytes()


def test_report_names_the_model_and_findings_name_their_detector():
    data = report_to_dict(scan(ROOT / "sample_contracts" / "videogame_performer_ironpeak.txt"))
    assert data["tool"]["model"] == "rules.v1+model:clauses-v1"
    assert all(f["detector"] for f in data["findings"])
    assert {f["detector"] for f in data["findings"]} <= {"rules.v1", "model:clauses-v1", "rules.v1+model:clauses-v1"}


def _gaps(tmp_path, clause: str) -> dict[str, str]:
    return {f.gap: f.detector for f in scan_clause(tmp_path, clause).findings}


def test_negation_and_protective_rider_are_not_flagged(tmp_path):
    found = _gaps(
        tmp_path,
        "Company shall not use Performer's voice or recordings to train, fine-tune or improve any "
        "artificial intelligence or machine-learning system.",
    )
    assert "ai_training_grant" not in found
    found = _gaps(
        tmp_path,
        "Company shall not create any digital replica of Performer except with Performer's separate "
        "written consent, given in a signed rider that describes each intended use.",
    )
    assert "replica_creation_grant" not in found


def test_carve_out_that_hollows_a_protection_is_flagged(tmp_path):
    found = _gaps(
        tmp_path,
        "Company shall not use the Recordings to train any artificial intelligence, except for the "
        "purpose of improving Company's own products and services.",
    )
    assert "ai_training_grant" in found


def test_clause_level_floor_on_a_frozen_document_split():
    """Train without one fixed fifth of the documents and measure on it: a floor, not a target.

    The floor is on the clause-kind ids, so only those are trained here (a third of the labels: a faster test).
    Since issue 13 the data hold 2,705 real clauses of platform terms and legacy endorsements, which are harder
    than the written ones: the floor was re-measured on this data (P 0.76 / F1 0.63 on this split) and set just
    below it.
    """
    examples = load_examples(DATA)
    test_idx = set(_group_folds([e.doc for e in examples], FOLDS)[0])
    train = [
        replace(e, labels=frozenset(lab for lab in e.labels if lab in CLAUSE_KIND))
        for i, e in enumerate(examples)
        if i not in test_idx
    ]
    model = as_model(fit(train))
    pairs = []
    for i in sorted(test_idx):
        text = examples[i].text
        pairs.append((set(examples[i].labels), combine(rules_labels(text), model.predict(text))))
    res = score(pairs, CLAUSE_KIND)
    assert res["micro"]["p"] >= FLOOR_P and res["micro"]["f"] >= FLOOR_F, res["micro"]


FLOOR_P, FLOOR_F = 0.72, 0.60


def test_evaluate_command_runs_on_small_data(tmp_path):
    lines = DATA.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(lines[-400:]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", "--data", str(small), "--folds", "2", "--no-contracts"])
    assert result.exit_code == 0, result.output
    assert "baseline" in result.output and "combined" in result.output and "macro" in result.output
    out = CliRunner().invoke(
        cli, ["evaluate", "--data", str(small), "--folds", "2", "--no-contracts", "--format", "json"]
    )
    metrics = json.loads(out.stdout)
    assert set(metrics["clause_level"]["systems"]) == {"baseline", "rules", "model", "combined"}


def test_bad_training_data_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--data", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "line 1 is not a labelled clause" in result.stderr


@pytest.mark.parametrize("cls", [CombinedDetector])
def test_combined_detector_is_named(cls):
    det = cls(load_model())
    assert det.name == "rules.v1+model:clauses-v1"


def test_clause_level_in_context_scores_what_the_report_cites(tmp_path):
    """``castguard evaluate``'s in-context clause level: a real document scanned whole, each labelled clause given
    the gap ids of the findings that cite it. A clause labelled with what the report says is a true positive; the
    same label marked arguable on another cited clause counts neither way; a clause cut by an earlier segmenter
    takes the labels of the clauses it overlaps; a text no longer in the document is left out and counted."""
    from castguard.evaluate import _locator, _report_clause_labels, clause_in_context

    source = "tests/corpus/regress_tos_member_name_artstation.txt"
    report = scan(ROOT / source)
    said = _report_clause_labels(report)
    cited = sorted((cid, gap) for cid, gaps in said.items() for gap in gaps if not gap.startswith("protective:"))
    (cid, gap), (other, other_gap) = cited[0], next(c for c in cited if c[0] != cited[0][0])
    by_id = {c.id: c for c in report.clauses}
    doc = "regress_tos_member_name_artstation.txt"

    def row(clause_id, text, labels, **extra):
        return {"id": f"{doc}#{clause_id}", "text": text, "labels": labels, "doc": doc, "provenance": "corpus",
                "source": source, "clause": clause_id, **extra}  # fmt: skip

    rows = [
        row(cid, by_id[cid].text, sorted(g for g in said[cid] if not g.startswith("protective:"))),
        row(other, by_id[other].text, ["none"], arguable=sorted(said[other])),
        row("c9999", "words this document does not contain anywhere", ["none"]),
    ]
    data = tmp_path / "clauses.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = clause_in_context(ROOT, data, {})
    assert result["clauses"] == 2 and result["clauses_changed_since_labelled"] == 1
    castguard = result["systems"]["castguard"]["all_gaps"]["per_label"]
    assert castguard[gap]["tp"] >= 1 and castguard[gap]["fn"] == 0
    assert castguard[other_gap]["fp"] == 0  # arguable on the other clause: no false finding
    # a clause an earlier segmenter cut in two still finds the clause that holds it
    from castguard.ingest import read_document

    locate = _locator(read_document(ROOT / source).text, report.clauses)
    whole = by_id[cid].text
    assert locate("c9998", whole[: len(whole) // 2]) == [cid]
    assert locate("c0", "words this document does not contain anywhere") is None


def test_the_real_contract_level_scores_the_protections_a_report_shows(tmp_path):
    """``castguard evaluate`` scores the protections a report lists against the labelled ones (a false protection
    hides a gap from the reader): a real platform's terms with one protection labelled and one false one left out."""
    import json
    import shutil

    from conftest import CORPUS

    from castguard.evaluate import _protection_lines, real_contract_eval

    (tmp_path / "data").mkdir()
    (tmp_path / "corpus" / "ai_era").mkdir(parents=True)
    shutil.copy(CORPUS / "regress_tos_onlyfans.txt", tmp_path / "corpus" / "ai_era" / "onlyfans.txt")
    gold = {"documents": [{
        "file": "ai_era/onlyfans.txt", "in_scope": True, "gaps": {"assignment_sublicensing": {"strength": "required"}},
        "protections": {"reuse_other_projects": {"hollowed": False}, "unbounded_term_scope": {"hollowed": True}},
    }]}  # fmt: skip
    (tmp_path / "data" / "real_gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = real_contract_eval(tmp_path, tmp_path / "corpus")
    res = result["real: AI-era terms and consents"]
    rules = res["rules only"]["protections"]["per_label"]
    assert rules["reuse_other_projects"]["tp"] + rules["reuse_other_projects"]["fn"] == 1
    assert rules["unbounded_term_scope"]["fn"] == 0  # a hollowed labelled protection is no positive
    assert res["keyword baseline"]["protections"]["micro"]["r"] == 0.0
    lines = _protection_lines(result)
    assert lines[1].startswith("Protections, real in-scope documents")
    assert any(line.split()[:6] == ["real:", "AI-era", "terms", "and", "consents", "castguard"] for line in lines)
