"""Report -> JSON (validated against the shared schema), Markdown and the terminal table."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import SAMPLES, SCHEMA, require_shared

from castguard.report import DISCLAIMER, report_to_dict, risk_score
from castguard.report.markdown import render_markdown
from castguard.report.table import render_table
from castguard.scan import scan


@pytest.fixture(scope="module")
def film():
    return scan(SAMPLES / "film_actor_harborlight.pdf")


def test_packaged_schema_is_the_shared_contract():
    shared = require_shared("design/report.schema.json")  # beside the repository; under CI it must be there
    assert json.loads(shared.read_text()) == json.loads(SCHEMA.read_text())


@pytest.mark.parametrize(
    "name",
    [
        "film_actor_harborlight.pdf",
        "voiceover_brightwave.docx",
        "model_release_lumen.md",
        "control_software_license.txt",
    ],
)
def test_json_report_satisfies_schema(name):
    data = report_to_dict(scan(SAMPLES / name))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    json.dumps(data)  # serialisable as is


def test_json_report_content(film):
    data = report_to_dict(film)
    assert data["schema"] == "castguard.report/1" and data["tool"]["name"] == "castguard"
    assert data["tool"]["model"] == "rules.v1+model:clauses-v1" and DISCLAIMER == data["disclaimer"]
    assert data["document"]["format"] == "pdf" and data["document"]["pages"] == 4
    ev = data["scope_evidence"]
    assert ev["quote"] and ev["page"] in (1, 2, 3, 4) and "Performer" in ev["quote"]
    clause_ids = {c["id"] for c in data["clauses"]}
    for f in data["findings"]:
        assert set(f["clause_ids"]) <= clause_ids and f["anchors"]
        for e in f["evidence"]:
            assert e["page"] in (1, 2, 3, 4)
    assert data["summary"]["gaps"] == {g: 1 for g in sorted({f["gap"] for f in data["findings"]})}
    assert 0 < data["summary"]["risk_score"] <= 100
    labelled = [c for c in data["clauses"] if any(lab["label"] != "none" for lab in c["labels"])]
    assert labelled


def test_out_of_scope_report_is_empty_and_zero_risk():
    report = scan(SAMPLES / "control_software_license.txt")
    assert risk_score(report) == 0
    data = report_to_dict(report)
    assert data["in_scope"] is False and data["findings"] == []


def test_markdown_has_disclaimer_findings_and_anchors(film):
    md = render_markdown(film)
    assert md.startswith("# castguard report: ")
    assert md.count(DISCLAIMER) == 2
    for f in film.findings:
        assert f"`{f.gap}`" in md and f.anchors[0] in md
    assert "| Severity | Gap | Clause | Evidence |" in md


def test_table_shows_each_finding_with_clause_and_quote(film):
    out = render_table(film, width=100)
    assert "Not legal advice" in out
    for f in film.findings:
        assert f.gap in out
    assert "Section 6.2 Creation and Use (p. 3)" in out
    assert max(len(line) for line in out.splitlines()) <= 140
