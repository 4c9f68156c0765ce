"""clauses -> findings: the samples, the real corpus, and the hard cases of taxonomy.md one by one."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import CORPUS, ROOT, SAMPLES, scan_clause

from castguard.classify.taxonomy import GAPS
from castguard.scan import scan

sys.path.insert(0, str(ROOT / "benchmarks"))
import accuracy  # noqa: E402


def gaps_for(tmp_path, clause: str) -> set[str]:
    report = scan_clause(tmp_path, clause)
    assert report.in_scope
    return {f.gap for f in report.findings}


def labels_for(tmp_path, clause: str) -> set[str]:
    report = scan_clause(tmp_path, clause)
    return {lab.label for labels in report.labels.values() for lab in labels}


def test_every_taxonomy_id_is_known():
    assert len(GAPS) == 18
    for gap in GAPS.values():
        assert gap.anchors and gap.remedy and gap.why and gap.severity in ("high", "medium", "low")


@pytest.mark.parametrize(
    "name",
    [
        p.name
        for p in sorted(SAMPLES.iterdir())
        if p.suffix in (".pdf", ".docx", ".txt", ".md") and p.name != "README.md"
    ],
)
def test_sample_contract_findings_match_the_team_labels(name, sample_expected):
    expected = next(e for e in sample_expected if e["file"] == name)
    report = scan(SAMPLES / name)
    assert report.in_scope == expected["in_scope"]
    found = {f.gap for f in report.findings}
    assert found == set(expected["gaps"]), (
        f"extra {found - set(expected['gaps'])}, missing {set(expected['gaps']) - found}"
    )
    assert not found & set(expected.get("not_gaps", []))


def test_samples_exercise_every_taxonomy_id(sample_expected):
    covered = set().union(*(set(e["gaps"]) for e in sample_expected))
    assert covered == set(GAPS)


def test_every_finding_cites_evidence_anchor_and_remedy():
    report = scan(SAMPLES / "videogame_performer_ironpeak.txt")
    clause_ids = {c.id for c in report.clauses}
    for f in report.findings:
        assert f.anchors == GAPS[f.gap].anchors and f.remedy == GAPS[f.gap].remedy
        assert f.evidence and set(f.clause_ids) <= clause_ids
        for e in f.evidence:
            assert " ".join(report.document.text[e.start : e.end].split()).startswith(e.quote.rstrip("…")[:40])
        assert f.explanation.startswith(GAPS[f.gap].title)


def test_minor_raises_severity():
    report = scan(SAMPLES / "videogame_performer_ironpeak.txt")  # the performer is a minor
    sev = {f.gap: f.severity for f in report.findings}
    assert sev["digital_alteration"] == "high"  # medium by default, one level up for a minor
    assert sev["ai_disclosure_missing"] == "medium"  # low by default


# --- the decision rules of taxonomy.md, one at a time -------------------------------------------------------


def test_prohibition_is_a_protection_not_a_grant(tmp_path):
    clause = "Company shall not use Performer's voice to train any artificial intelligence."
    assert "ai_training_grant" not in gaps_for(tmp_path, clause)
    assert "protective:ai_training_grant" in labels_for(tmp_path, clause)


def test_hollowed_protection_is_still_a_grant(tmp_path):
    clause = (
        "Company shall not use Performer's voice to train any artificial intelligence, except for the purpose "
        "of improving Company's products and services."
    )
    assert "ai_training_grant" in gaps_for(tmp_path, clause)


def test_conditioned_on_separate_consent_is_a_protection(tmp_path):
    clause = "Company shall not create any digital replica of Performer without Performer's separate written consent."
    found = gaps_for(tmp_path, clause)
    assert "replica_creation_grant" not in found and "replica_use_unspecified" not in found


def test_paraphrase_without_the_obvious_keywords(tmp_path):
    clause = (
        "Company may use the Recordings, and any voice data derived from them, to train, fine-tune and evaluate "
        "machine-learning models."
    )
    assert "ai_training_grant" in gaps_for(tmp_path, clause)
    clause = "Licensee may use reproductions or simulations of Performer's name, likeness and voice in any game."
    assert "replica_creation_grant" in gaps_for(tmp_path, clause)


def test_deemed_approval_after_short_silence_is_no_approval(tmp_path):
    short = (
        "Company will submit each use of Performer's likeness to Performer, and any use not objected to in "
        "writing within 48 hours is deemed approved."
    )
    long = (
        "Company will submit each use of Performer's likeness to Performer, and any use not objected to in "
        "writing within fourteen (14) days is deemed approved."
    )
    assert "objectionable_depiction" in gaps_for(tmp_path, short)
    assert "objectionable_depiction" not in gaps_for(tmp_path, long)


def test_boilerplate_successors_clause_is_neither_post_mortem_nor_assignment(tmp_path):
    clause = "This Agreement shall be binding upon and inure to the benefit of the parties' heirs, executors, successors and assigns."
    found = gaps_for(tmp_path, clause)
    assert "post_mortem_use" not in found and "assignment_sublicensing" not in found


def test_uses_after_death(tmp_path):
    clause = "Company's rights in Performer's likeness are perpetual and shall survive Performer's death."
    assert {"post_mortem_use", "unbounded_term_scope"} <= gaps_for(tmp_path, clause)


def test_endorsement_limited_to_term_is_not_unbounded(tmp_path):
    clause = "During the Term, Company may use Performer's likeness throughout the world in all media now known or hereafter devised."
    assert "unbounded_term_scope" not in gaps_for(tmp_path, clause)


def test_waiver_of_publicity_and_privacy(tmp_path):
    clause = "Performer waives any right of publicity and releases Company from all claims for invasion of privacy."
    assert "consent_conditioned_or_waived" in gaps_for(tmp_path, clause)


def test_broad_grant_silent_on_ai_is_a_legacy_grant(tmp_path):
    clause = "Performer grants Company the right to use Performer's voice and likeness in perpetuity in all media now known or hereafter devised."
    found = gaps_for(tmp_path, clause)
    assert "silent_broad_legacy_grant" in found and "unbounded_term_scope" in found
    assert "ai_disclosure_missing" not in found  # a contract that never contemplates AI


def test_contract_that_mentions_ai_is_not_silent(tmp_path):
    clause = (
        "Performer grants Company the right to use Performer's voice and likeness in perpetuity in all media. "
        "Company shall not use Performer's voice to train any artificial intelligence."
    )
    assert "silent_broad_legacy_grant" not in gaps_for(tmp_path, clause)


def test_voice_in_the_telephony_sense_is_not_a_person(tmp_path):
    path = tmp_path / "telecom.txt"
    path.write_text(
        "SERVICES AGREEMENT\n1. Services. Provider grants Customer a licence to use the voice processing "
        "software and voice mail services in perpetuity, including any replica of the product model.\n",
        encoding="utf-8",
    )
    report = scan(path)
    assert not report.in_scope and report.findings == ()


@pytest.mark.parametrize(
    "name",
    [
        "negctrl_cuad_software_license_sfgfinancial.pdf",
        "negctrl_cuad_splitdollar_prudentialbancorp.txt",
        "negctrl_cuad_distributor_limeenergy.txt",
        "cuad_endorsement_holidayrv_affinitygroup_corporate.txt",
    ],
)
def test_out_of_scope_contracts_get_no_findings(name):
    report = scan(CORPUS / name)
    assert not report.in_scope and report.findings == ()


# --- measured quality, pinned with floors (the numbers themselves are in the README) -------------------------


def test_real_corpus_contract_level_floor():
    gold = json.loads((ROOT / "data" / "corpus_gold.json").read_text(encoding="utf-8"))
    items = [c for c in gold["contracts"] if (CORPUS / c["file"]).exists()]
    assert len(items) >= 20
    pairs, scope_ok, n = accuracy.contract_eval(items, CORPUS, verbose=False)
    assert scope_ok >= n - 1  # known miss: the Playboy e-commerce deal, whose models appear only in passing
    p, r, f = accuracy.score_pairs(pairs, GAPS)["micro"].values()
    assert p >= 0.9 and r >= 0.55 and f >= 0.7, (p, r, f)


def test_written_clause_cases_floor():
    pairs, prot_ok, prot_n = accuracy.clause_eval(ROOT / "data" / "clause_cases.jsonl", verbose=False)
    p, r, f = accuracy.score_pairs(pairs, accuracy.CLAUSE_KIND)["micro"].values()
    assert len(pairs) >= 200 and f >= 0.8, (p, r, f)


def test_held_out_contracts_floor():
    """Fictional contracts written and labelled independently of the rules; a floor, not a tuning target."""
    gold = json.loads((ROOT / "benchmarks" / "heldout" / "GOLD.json").read_text(encoding="utf-8"))
    pairs, scope_ok, n = accuracy.contract_eval(gold["contracts"], ROOT / "benchmarks" / "heldout", verbose=False)
    assert n == 10 and scope_ok == n
    p, r, f = accuracy.score_pairs(pairs, GAPS)["micro"].values()
    assert p >= 0.8 and r >= 0.8, (p, r, f)


def test_consent_given_by_signing_is_bundled(tmp_path):
    clause = (
        "Company may create a digital replica of Performer's voice. Performer's consent to the digital replica "
        "is given by signing this Agreement and does not require any separate consent form."
    )
    assert "consent_buried_or_bundled" in gaps_for(tmp_path, clause)


def test_new_voices_derived_from_the_performer_are_synthetic(tmp_path):
    clause = "Publisher may use the voice model of Performer to narrate other titles and may derive new narrator voices from it."
    assert "synthetic_substitution" in gaps_for(tmp_path, clause)
