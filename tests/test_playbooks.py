"""Playbooks: the default rules as data, and an organisation's own line over them (README: "Playbooks").

Real contracts (sample_contracts/, tests/corpus/), real playbook files (examples/union-playbook/ and small ones
written here), the real CLI through click's runner.
"""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from click.testing import CliRunner
from conftest import CORPUS, ROOT, SAMPLES, SCHEMA

from castguard.cli import cli
from castguard.errors import PlaybookError
from castguard.playbooks import COMPILED_JSON, compile_default, default_playbook, load_playbook
from castguard.report import report_to_dict
from castguard.scan import scan

UNION = ROOT / "examples" / "union-playbook" / "playbook.toml"
BLUEFINCH = SAMPLES / "music_session_bluefinch.txt"
GOLF = CORPUS / "cuad_endorsement_teardropgolf_brettogle.txt"  # CUAD (CC BY 4.0), see tests/corpus/NOTICE.md
RIDER = SAMPLES / "voice_actor_protective_rider.md"


def _write(tmp_path, text: str, name: str = "playbook.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _gaps(report) -> dict[str, str]:
    return {f.gap: f.severity for f in report.findings}


@pytest.fixture(scope="module")
def bluefinch():
    return scan(BLUEFINCH, source=BLUEFINCH.name)


@pytest.fixture(scope="module")
def strict(tmp_path_factory, bluefinch):
    """One playbook that raises a severity, switches a gap off and narrows another, and its report (one scan)."""
    alteration = next(f for f in bluefinch.findings if f.gap == "digital_alteration")
    words = " ".join(alteration.evidence[0].quote.split()[:4])  # a phrase of the sentence that raised it
    path = _write(
        tmp_path_factory.mktemp("strict"),
        f"""[playbook]
name = "strict notice"

[gaps.ai_disclosure_missing]
severity = "high"

[gaps.data_security_deletion_missing]
enabled = false

[[rules]]
gap = "digital_alteration"
suppress = true
phrases = ["{words}"]
""",
    )
    book = load_playbook(path)
    return book, scan(BLUEFINCH, source=BLUEFINCH.name, playbook=book), words


# --------------------------------------------------------------------------- the default playbook


def test_the_compiled_default_is_current():
    """default.compiled.json is what `python -m castguard.playbooks` writes for the current default.toml (else
    every start parses the TOML: tens of milliseconds)."""
    on_disk = json.loads(COMPILED_JSON.read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(compile_default())), "run: python -m castguard.playbooks"


def test_the_default_loads_in_a_few_milliseconds():
    default_playbook.cache_clear()
    started = time.perf_counter()
    book = default_playbook()
    elapsed = time.perf_counter() - started
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms"
    assert book.is_default and book.name == "default" and len(book.sha256) == 64
    assert len(book.gaps) == 18 and book.gaps["unbounded_term_scope"].severity_likeness == "high"
    from castguard.classify import lexicon, taxonomy

    assert taxonomy.GAPS == book.gaps
    assert lexicon.BROAD_PURPOSE[0] == "any and all purposes" and "any and all purposes" in lexicon.CONCEPTS["ANY_PURPOSE"]


def test_the_report_records_the_playbook(bluefinch):
    import jsonschema

    doc = report_to_dict(bluefinch)
    assert doc["tool"]["playbook"] == {"name": "default", "sha256": default_playbook().sha256}
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    from castguard.report.html import render_html
    from castguard.report.markdown import render_markdown

    line = f"Playbook: default (sha256 {default_playbook().sha256[:12]})"
    assert line in render_markdown(bluefinch) and line in render_html(bluefinch)


# --------------------------------------------------------------------------- a user playbook changes the report


def test_a_raised_severity_changes_the_report(strict, bluefinch):
    book, report, _ = strict
    assert _gaps(bluefinch)["ai_disclosure_missing"] == "low"
    assert _gaps(report)["ai_disclosure_missing"] == "high"
    doc = report_to_dict(report)
    assert doc["tool"]["playbook"] == {"name": "strict notice", "sha256": book.sha256}
    assert doc["summary"]["severity"]["high"] == report_to_dict(bluefinch)["summary"]["severity"]["high"] + 1


def test_an_added_pattern_raises_a_gap_on_a_contract_that_had_none(tmp_path):
    """A golf endorsement (CUAD) with no finding at all; the playbook's rule reads its photo-shoot clause as reuse."""
    assert not scan(GOLF, source=GOLF.name).findings
    path = _write(
        tmp_path,
        """[playbook]
name = "photo reuse"

[[rules]]
gap = "reuse_other_projects"
phrases = ["advertising and promotional materials"]
why = "Photographs taken for advertising may not be reused beyond the campaign without fresh consent and pay."
""",
    )
    report = scan(GOLF, source=GOLF.name, playbook=load_playbook(path))
    found = [f for f in report.findings if f.gap == "reuse_other_projects"]
    assert found, [f.gap for f in report.findings]
    f = found[0]
    assert f.detector == "rules.v1" and any("photographs for the preparation" in e.quote for e in f.evidence)
    assert "Playbook “photo reuse”: Photographs taken for advertising" in f.explanation


def test_a_rule_reads_negation_like_the_built_in_rules(tmp_path):
    """"Studio shall not use ... to train, fine-tune ...": a prohibition the rule's phrase sits in is a protection."""
    path = _write(tmp_path, '[playbook]\nname = "tuning"\n[[rules]]\ngap = "ai_training_grant"\nphrases = ["fine-tune"]\n')
    report = scan(RIDER, source=RIDER.name, playbook=load_playbook(path))
    assert "ai_training_grant" not in _gaps(report)
    assert "ai_training_grant" in {p.gap for p in report.protections}


def test_a_disabled_gap_disappears(strict, bluefinch):
    _, report, _ = strict
    assert "data_security_deletion_missing" in _gaps(bluefinch)
    assert "data_security_deletion_missing" not in _gaps(report)
    doc = report_to_dict(report)
    row = next(r for r in doc["checklist"] if r["gap"] == "data_security_deletion_missing")
    assert row["status"] == "off"
    assert not any("data_security" in lab["label"] for c in doc["clauses"] for lab in c["labels"])


def test_a_suppressing_rule_narrows_a_gap(strict):
    _, report, words = strict
    narrowed = next((f for f in report.findings if f.gap == "digital_alteration"), None)
    assert narrowed is None or all(words not in " ".join(e.quote.split()) for e in narrowed.evidence)


def test_the_union_playbook_uses_its_own_remedy_template_in_the_addendum(tmp_path):
    out = tmp_path / "addendum.md"
    result = CliRunner().invoke(cli, ["draft", str(BLUEFINCH), "--playbook", str(UNION), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "playbook: union-replica-line" in result.output
    text = out.read_text(encoding="utf-8")
    assert "Permitted uses of a Digital Replica (union consent form)" in text
    assert "minimum day rate of the applicable collective agreement" in text
    # a document for the other side: no tool name, no internal ids, no playbook name
    low = text.lower()
    assert "castguard" not in low and "union-replica-line" not in low
    assert "replica_use_unspecified" not in text and "union_replica_schedule" not in text
    # the gap the union switched off has no section; the default's use-schedule wording is not there
    assert "Notice, reports" not in text and "**Use schedule.**" not in text


# --------------------------------------------------------------------------- malformed playbooks: one clear line


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('[playbook]\nname = "x"\n[gaps.ai_training_grant]\nseverity = "high\n', 4, "not valid TOML"),
        ('[playbook]\nname = "x"\n\n[gaps.ai_training]\nseverity = "high"\n', 4, "unknown gap id 'ai_training'; did you mean ai_training_grant?"),
        ('[playbook]\nname = "x"\n[gaps.ai_training_grant]\nseverity = "severe"\n', 4, "must be one of low, medium, high"),
        ('[playbook]\nname = "x"\n[gaps.ai_training_grant]\nseverty = "high"\n', 4, "unknown key 'severty'"),
        ('[playbook]\nname = "x"\n\n[[rules]]\ngap = "digital_alteration"\nregex = "(unclosed"\n', 6, "regex does not compile"),
        ('[playbook]\nname = "x"\n[concepts.remove]\nPERSON_STRONG = ["not a phrase"]\n', 4, "is not a phrase of PERSON_STRONG"),
        ('[playbook]\nname = "x"\n[gaps.replica_use_unspecified]\nremedy = "ours"\n', 4, "ours.md.j2 does not exist"),
        ('[gaps.ai_training_grant]\nseverity = "high"\n', 0, "starts with a [playbook] table"),
    ],
)
def test_a_malformed_playbook_gets_one_clear_error_line(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and words in message and "\n" not in message
    if line:
        assert f": line {line}" in message
    result = CliRunner().invoke(cli, ["playbook", "check", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: [E700] {message}"]


def test_a_missing_playbook_stops_scan_before_any_work(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(BLUEFINCH), "--playbook", str(tmp_path / "none.toml")])
    assert result.exit_code == 2 and "[E700]" in result.output and "does not exist" in result.output


# --------------------------------------------------------------------------- check and show


def test_playbook_check_and_show():
    runner = CliRunner()
    ok = runner.invoke(cli, ["playbook", "check", str(UNION)])
    assert ok.exit_code == 0 and ok.output.startswith(f"ok: union-replica-line, sha256 {load_playbook(UNION).sha256}")
    shown = runner.invoke(cli, ["playbook", "show", "--playbook", str(UNION)])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "replica_compensation_missing: severity medium -> high" in out
    assert "ai_disclosure_missing: enabled on -> off" in out
    assert "union_replica_schedule [" in out and "raises replica_creation_grant" in out
    default = runner.invoke(cli, ["playbook", "show"])
    assert default.exit_code == 0 and "playbook: default" in default.output and "extra rules: none" in default.output


def test_the_hash_covers_the_effective_rules_not_the_layout(tmp_path):
    a = _write(tmp_path, '[playbook]\nname = "x"\n[gaps.ai_training_grant]\nseverity = "medium"\n', "a.toml")
    b = _write(tmp_path, '# a comment\n[playbook]\nname="x"\n\n[gaps.ai_training_grant]\nseverity="medium"  # lower\n', "b.toml")
    c = _write(tmp_path, '[playbook]\nname = "x"\n[gaps.ai_training_grant]\nseverity = "low"\n', "c.toml")
    assert load_playbook(a).sha256 == load_playbook(b).sha256 != load_playbook(c).sha256


# --------------------------------------------------------------------------- the run store


def test_the_batch_store_records_the_playbook(tmp_path):
    from castguard.batch import run_batch

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / BLUEFINCH.name).write_bytes(BLUEFINCH.read_bytes())
    path = _write(tmp_path, '[playbook]\nname = "batch line"\n[gaps.ai_disclosure_missing]\nseverity = "high"\n')
    book = load_playbook(path)
    out = tmp_path / "out"
    result = run_batch([inbox], out, jobs=1, playbook=book)
    assert result.done == 1
    db = sqlite3.connect(out / "castguard-run.sqlite")
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["playbook"] == "batch line" and meta["playbook_sha256"] == book.sha256
    assert f"playbook batch line {book.sha256[:12]}" in meta["model"]
    assert db.execute("SELECT playbook, playbook_sha256 FROM contracts").fetchall() == [("batch line", book.sha256)]
    assert db.execute("SELECT severity FROM findings WHERE gap = 'ai_disclosure_missing'").fetchall() == [("high",)]
    report = json.loads(next((out / "reports").glob("*.json")).read_text(encoding="utf-8"))
    assert report["tool"]["playbook"] == book.ref()


def test_a_store_from_before_playbooks_still_opens(tmp_path):
    from castguard.batch.store import RunStore

    path = tmp_path / "castguard-run.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE contracts (sha256 TEXT NOT NULL, model TEXT NOT NULL, status TEXT NOT NULL, name TEXT NOT NULL,
            reason TEXT, error_code TEXT, report TEXT, format TEXT, pages INTEGER, clauses INTEGER, in_scope INTEGER,
            risk_score INTEGER, high INTEGER NOT NULL DEFAULT 0, medium INTEGER NOT NULL DEFAULT 0,
            low INTEGER NOT NULL DEFAULT 0, findings INTEGER NOT NULL DEFAULT 0, performer TEXT, seconds REAL,
            attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, updated TEXT NOT NULL, PRIMARY KEY (sha256, model));
        INSERT INTO contracts (sha256, model, status, name, updated) VALUES ('abc', 'm', 'done', 'old.txt', 'x');"""
    )
    db.commit()
    db.close()
    store = RunStore(path)
    try:
        columns = {r["name"] for r in store.db.execute("PRAGMA table_info(contracts)")}
        assert {"playbook", "playbook_sha256"} <= columns
        assert store.contract("abc", "m")["status"] == "done"
    finally:
        store.close()
