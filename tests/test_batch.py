"""castguard batch: the faults it must survive, resume after a crash, the run store, the outputs, and Dask.

Real files throughout: the sample contracts, the hostile fixtures of tests/fixtures, zip archives built here,
real worker processes (killed for real), a real SQLite store and a real Dask LocalCluster.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, FIXTURES, SAMPLES, SCHEMA, docx_memory_bomb

from castguard.batch import run_batch, write_summaries
from castguard.batch.executors import LocalPool
from castguard.batch.roster import FINDING_COLUMNS, ROSTER_COLUMNS, SKIPPED_COLUMNS
from castguard.batch.store import STORE_NAME, RunStore
from castguard.cli import cli

CONTRACTS = sorted(
    p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx", ".txt", ".md") and p.name != "README.md"
)


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(str(db)) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Every sample contract, every hostile fixture, a duplicate under another name, and a zip archive."""
    root = tmp_path_factory.mktemp("archive")
    inbox = root / "inbox"
    inbox.mkdir()
    for p in CONTRACTS:
        shutil.copy(p, inbox / p.name)
    hostile = inbox / "hostile"
    hostile.mkdir()
    for p in FIXTURES.iterdir():
        if p.is_file() and p.suffix not in (".py", ".json") and p.name != "README.md":
            shutil.copy(p, hostile / p.name)
    shutil.copy(SAMPLES / "influencer_glowup.txt", inbox / "glowup COPY (2).txt")  # same content, other name
    (inbox / "notes").mkdir()
    shutil.copy(FIXTURES / "README.md", inbox / "notes" / "README.md")  # not a contract: listed, not scored
    shutil.copy(CORPUS / "regress_tos_silent_broad_bluesky.txt", inbox / "bluesky terms.txt")  # terms of service
    with zipfile.ZipFile(root / "studio.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "2019/lumen release.md", (SAMPLES / "model_release_lumen.md").read_text(encoding="utf-8") + "\nRev. 2\n"
        )
        z.writestr("../../escape.txt", "Performer grants Company all rights in perpetuity.")
        z.writestr("/etc/absolute.txt", "Performer grants Company all rights in perpetuity.")
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = 0o120777 << 16
        z.writestr(link, "/etc/passwd")
        z.writestr("bomb.txt", b"A" * (30 * 1024 * 1024))  # compresses about 1000:1
        inner = root / "inner.zip"
        with zipfile.ZipFile(inner, "w") as zi:
            zi.writestr(
                "bluefinch.txt", (SAMPLES / "music_session_bluefinch.txt").read_text(encoding="utf-8") + "\nv2\n"
            )
        z.write(inner, "nested/inner.zip")
    return root


@pytest.fixture(scope="module")
def batch_run(mixed, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "review"
    result = run_batch([mixed / "inbox", mixed / "studio.zip"], out, jobs=2, time_limit=60)
    return result, out


def test_every_file_is_accounted_for(batch_run, mixed):
    result, out = batch_run
    db = out / STORE_NAME
    statuses = dict(_rows(db, "SELECT name, status FROM files"))
    assert len(statuses) == result.files + result.ignored  # and what was not read on purpose, with the reason
    assert all(
        reason for (reason,) in _rows(db, "SELECT reason FROM files WHERE status = 'skipped'")
    ) and result.ignored == len(_rows(db, "SELECT name FROM files WHERE status = 'skipped'"))
    # the performer contracts are done, the broken files failed with a reason, nothing left pending
    for p in CONTRACTS:
        assert statuses[str(mixed / "inbox" / p.name)] in ("done", "duplicate"), p.name
    failed = dict(_rows(db, "SELECT name, reason FROM files WHERE status = 'failed'"))
    for name in ("encrypted_password.pdf", "scanned_image_only.pdf", "empty.txt", "truncated.pdf", "damaged.docx",
                 "random_bytes.txt", "legacy_word97.doc"):  # fmt: skip
        reason = failed[str(mixed / "inbox" / "hostile" / name)]
        assert reason and len(reason) > 20, name
    assert not {"pending", "running"} & set(statuses.values())
    assert result.done + result.failed == result.analysed


def test_mislabelled_files_are_read_by_content(batch_run, mixed):
    _, out = batch_run
    statuses = dict(_rows(out / STORE_NAME, "SELECT name, status FROM files"))
    for name in ("docx_named_as.pdf", "pdf_named_as.docx"):  # a DOCX named .pdf, a PDF named .docx
        assert (FIXTURES / name).exists()
        assert statuses[str(mixed / "inbox" / "hostile" / name)] == "done", name


def test_duplicate_is_analysed_once_and_both_names_recorded(batch_run, mixed):
    _, out = batch_run
    db = out / STORE_NAME
    rows = _rows(db, "SELECT name, status, reason FROM files WHERE name LIKE '%glowup%'")
    by_name = {r[0]: r for r in rows}
    original, copy = str(mixed / "inbox" / "influencer_glowup.txt"), str(mixed / "inbox" / "glowup COPY (2).txt")
    statuses = {by_name[original][1], by_name[copy][1]}
    assert statuses == {"done", "duplicate"}
    sha = _rows(db, f"SELECT sha256 FROM files WHERE name = '{original}'")[0][0]
    assert _rows(db, f"SELECT count(*), sum(attempts) FROM contracts WHERE sha256 = '{sha}'") == [(1, 1)]
    with open(out / "contracts.csv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["sha256"] == sha)
    assert original in row["names"] and copy in row["names"]


def test_archive_members_are_read_and_hostile_ones_refused(batch_run, mixed):
    _, out = batch_run
    files = dict(_rows(out / STORE_NAME, "SELECT name, status || ': ' || coalesce(reason, '') FROM files"))
    arch = str(mixed / "studio.zip")
    assert files[f"{arch}!2019/lumen release.md"].startswith("done")
    assert files[f"{arch}!nested/inner.zip!bluefinch.txt"].startswith("done")
    assert "outside the output folder" in files[f"{arch}!../../escape.txt"]
    assert "outside the output folder" in files[f"{arch}!/etc/absolute.txt"]
    assert "symbolic link" in files[f"{arch}!link.txt"]
    assert "zip bomb" in files[f"{arch}!bomb.txt"]
    assert not (out.parent / "escape.txt").exists() and not list(out.rglob("escape*"))


def test_outputs(batch_run):
    import jsonschema

    result, out = batch_run
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    reports = sorted((out / "reports").glob("*.json"))
    assert len(reports) == result.done == len(list((out / "reports").glob("*.html")))
    for path in reports:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
    with open(out / "contracts.csv", encoding="utf-8") as fh:
        contracts = list(csv.DictReader(fh))
    with open(out / "findings.csv", encoding="utf-8") as fh:
        findings = list(csv.DictReader(fh))
    assert {c["status"] for c in contracts} >= {"done", "failed", "refused"}
    done = [c for c in contracts if c["status"] == "done"]
    assert len(done) == result.done and all((out / c["report"]).exists() for c in done)
    assert all(c["report"].endswith(".html") for c in done)  # the dashboard links each review page
    assert sum(int(c["findings"]) for c in done) == len(findings) > 0
    assert all(c["reason"] for c in contracts if c["status"] != "done")
    import openpyxl

    wb = openpyxl.load_workbook(out / "contracts.xlsx", read_only=True)
    assert {"Roster", "Findings", "Skipped and failed"} <= set(wb.sheetnames)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "not legal advice" in html.lower()
    assert not re.search(r"(?:src|href|url)\s*[=(]\s*[\"']?https?:", html)  # nothing fetched from the network
    assert not list(out.glob(".*.tmp"))


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_roster_from_facts_with_not_a_contract_and_terms_apart(batch_run, mixed):
    """The worklist of issue 16 on a real run: facts from the contracts, README listed not scored, terms of
    service in their own group, failures with what to do; the CSV files have the sheets' columns."""
    import openpyxl

    result, out = batch_run
    roster = _csv(out / "roster.csv")
    findings = _csv(out / "findings.csv")
    skipped = _csv(out / "skipped_and_failed.csv")
    for name, columns, rows in (("Roster", ROSTER_COLUMNS, roster), ("Findings", FINDING_COLUMNS, findings),
                                ("Skipped and failed", SKIPPED_COLUMNS, skipped)):  # fmt: skip
        with open(out / f"{name.lower().replace(' ', '_')}.csv", encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == [header for _, header, _ in columns], name
    wb = openpyxl.load_workbook(out / "contracts.xlsx")
    assert wb.sheetnames == ["Roster", "Findings", "Skipped and failed", "About"]
    sheet = list(wb["Roster"].iter_rows(values_only=True))
    assert len(sheet) - 1 == len(roster) and [r[0] for r in sheet[1:]] == [r["Contract"] for r in roster]
    assert len(list(wb["Findings"].iter_rows())) - 1 == len(findings)
    # facts as the contracts state them
    film = next(r for r in roster if r["Contract"] == "inbox/film_actor_harborlight.pdf")  # after the common folder
    assert (film["Performer"], film["Company"], film["Date"]) == (
        "Dana R. Whitcombe", "Harbor Light Pictures, LLC", "March 4, 2024"
    )
    assert film["Governing law"] == "the State of California (CA)" and film["Kind"] == "deal"
    assert film["Top finding"].startswith("High: ") and film["ai_training_grant"] in ("high", "medium", "low", "")
    # deals first, terms of service apart, each riskiest first
    kinds = [r["Kind"] for r in roster]
    assert kinds.index("terms of service") == len(kinds) - kinds.count("terms of service")
    (terms,) = [r for r in roster if r["Kind"] == "terms of service"]
    assert terms["Contract"] == "inbox/bluesky terms.txt"
    deals = [int(r["Risk score"]) for r in roster if r["Kind"] != "terms of service"]
    assert deals == sorted(deals, reverse=True) and deals[0] > 50
    # README: analysed, then listed as not a contract with the reason, not on the roster
    readme = next(r for r in skipped if r["File"] == "inbox/notes/README.md")
    assert readme["Outcome"] == "not a contract" and "table or list" in readme["Reason"]
    assert not any("README" in r["Contract"] for r in roster)
    failed = {r["File"].rsplit("/", 1)[-1]: r for r in skipped if r["Outcome"] in ("failed", "refused")}
    assert "OCR" in failed["scanned_image_only.pdf"]["What to do"]
    assert "password" in failed["encrypted_password.pdf"]["What to do"]
    assert all(r["Reason"] and r["What to do"] for r in skipped)
    # every roster link opens the contract's review page, relative to the workbook
    ws = wb["Roster"]
    col = [c.value for c in ws[1]].index("Report") + 1
    targets = [ws.cell(i, col).hyperlink.target for i in range(2, ws.max_row + 1)]
    assert all(t.startswith("reports/") and (out / t).exists() for t in targets) and len(targets) == len(roster)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Terms of service (1)" in html and "scanned_image_only.pdf" in html and "not a contract" in html


def test_renegotiation_status_from_the_tracking_table(batch_run, tmp_path):
    """Rows written into the run store's tracking table (as castguard track writes them) show on the roster,
    the latest per file; a file whose content is not the one the status was recorded for is "changed"."""
    _, src = batch_run
    out = tmp_path / "review"
    shutil.copytree(src, out)
    db = out / STORE_NAME
    film, glowup = (  # the glowup contract is there under two names: a status for either one is the contract's
        _rows(db, f"SELECT name, sha256 FROM files WHERE name LIKE '%{n}' ORDER BY name")[0]
        for n in ("/film_actor_harborlight.pdf", "/influencer_glowup.txt")
    )
    with sqlite3.connect(str(db)) as con:
        con.executemany(
            "INSERT INTO tracking (name, sha256, status, date, note, recorded) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (film[0], film[1], "to-send", "2026-01-02", None, "2026-01-02T10:00:00+00:00"),
                (film[0], film[1], "sent", "2026-01-05", "by email to the agent", "2026-01-05T10:00:00+00:00"),
                (glowup[0], "0" * 64, "countered", "2026-01-09", None, "2026-01-09T10:00:00+00:00"),
            ],
        )
    store = RunStore(db)
    try:
        latest = store.latest_tracking()
    finally:
        store.close()
    assert latest[film[0]] == {"status": "sent", "date": "2026-01-05", "note": "by email to the agent",
                               "sha256": film[1], "changed": False}  # fmt: skip
    assert latest[glowup[0]]["status"] == "countered" and latest[glowup[0]]["changed"] is True
    write_summaries(out)
    roster = {"glowup" if "glowup" in r["Contract"] else r["Contract"].rsplit("/", 1)[-1]: r
              for r in _csv(out / "roster.csv")}  # fmt: skip
    assert (roster["film_actor_harborlight.pdf"]["Status"], roster["film_actor_harborlight.pdf"]["Status date"]) == (
        "sent", "2026-01-05"
    )
    assert roster["glowup"]["Status"] == "countered"
    assert roster["glowup"]["Status note"] == "changed since sent"
    assert sum(1 for r in roster.values() if r["Status"]) == 2
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "1 contract(s) changed since their status was recorded." in html
    import openpyxl

    about = {r[0]: r[1] for r in openpyxl.load_workbook(out / "contracts.xlsx")["About"].iter_rows(values_only=True)
             if r and r[0]}  # fmt: skip
    assert (about["sent"], about["countered"], about["signed"], about["changed since sent"]) == (1, 1, 0, 1)


def test_summary_rerenders_from_the_store_without_analysis(batch_run):
    _, out = batch_run
    before = (out / "contracts.csv").read_bytes()
    for name in ("contracts.csv", "findings.csv", "index.html", "contracts.xlsx"):
        (out / name).unlink()
    reports_before = {p: p.stat().st_mtime_ns for p in (out / "reports").iterdir()}
    result = CliRunner().invoke(cli, ["batch", "--summary", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "contracts.csv").read_bytes() == before
    assert (out / "index.html").exists() and (out / "contracts.xlsx").exists()
    assert {p: p.stat().st_mtime_ns for p in (out / "reports").iterdir()} == reports_before


def test_rerun_without_resume_is_refused_and_resume_does_nothing_twice(batch_run, mixed):
    _, out = batch_run
    db = out / STORE_NAME
    result = CliRunner().invoke(cli, ["batch", str(mixed / "inbox"), "-o", str(out)])
    assert result.exit_code == 2 and "--resume" in result.output
    attempts = dict(_rows(db, "SELECT sha256, attempts FROM contracts WHERE status = 'done'"))
    duplicates = _rows(db, "SELECT name FROM files WHERE status = 'duplicate'")
    again = run_batch([mixed / "inbox", mixed / "studio.zip"], out, jobs=1, resume=True)
    assert again.done == 0 and again.skipped >= len(CONTRACTS)
    assert _rows(db, "SELECT name FROM files WHERE status = 'duplicate'") == duplicates  # still recorded as such
    assert dict(_rows(db, "SELECT sha256, attempts FROM contracts WHERE status = 'done'")) == attempts
    # failures the file gives every time (broken, encrypted, image-only) are kept, not retried, on resume
    assert again.failed == 0 and again.not_retried > 0


# --------------------------------------------------------------------------- workers that hang or die


def _big_contract(tmp_path: Path) -> Path:
    # about a minute of analysis, far past the 5-second limit below, so the limit is what stops it however busy the
    # machine is; the small contract beside it needs a fraction of a second
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.txt")) * 40
    path = tmp_path / "enormous.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_over_the_time_limit_is_stopped_and_the_batch_goes_on(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    _big_contract(inbox)
    shutil.copy(SAMPLES / "influencer_glowup.txt", inbox / "small.txt")
    out = tmp_path / "out"
    result = run_batch([inbox], out, jobs=1, time_limit=5.0)
    reasons = dict(_rows(out / STORE_NAME, "SELECT name, coalesce(reason, status) FROM files"))
    assert "time limit" in reasons[str(inbox / "enormous.txt")]
    assert reasons[str(inbox / "small.txt")] == "done"
    assert (result.done, result.failed) == (1, 1)


def test_a_worker_killed_mid_file_costs_only_that_file(tmp_path):
    big = _big_contract(tmp_path)
    small = SAMPLES / "influencer_glowup.txt"
    pool = LocalPool(1, time_limit=120)

    def tasks():
        timer = threading.Timer(2.5, lambda: os.kill(pool.worker_pids()[0], signal.SIGKILL))
        timer.start()
        yield "big", big.name, big.read_bytes(), ".txt"
        yield "small", small.name, small.read_bytes(), ".txt"

    results = dict(pool.map(tasks()))
    assert results["big"]["status"] == "failed" and "died (signal 9)" in results["big"]["reason"]
    assert results["small"]["status"] == "done"


def test_killed_batch_resumes_with_nothing_lost_and_nothing_done_twice(tmp_path):
    inbox = tmp_path / "in"
    _distinct_copies(inbox, 4)
    out = tmp_path / "out"
    proc = _start_batch(inbox, out)
    db = out / STORE_NAME
    done_before = _wait_until_done(db, 3)
    os.killpg(proc.pid, signal.SIGKILL)  # the client and its workers, mid-run
    proc.wait(30)
    assert 3 <= done_before < len(list(inbox.iterdir()))
    finished_first = dict(_rows(db, "SELECT sha256, attempts FROM contracts WHERE status = 'done'"))
    result = CliRunner().invoke(cli, ["batch", str(inbox), "-o", str(out), "--resume", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    rows = _rows(db, "SELECT status, count(*) FROM files GROUP BY status")
    assert dict(rows) == {"done": len(list(inbox.iterdir()))}
    after = dict(_rows(db, "SELECT sha256, attempts FROM contracts"))
    for sha, attempts in finished_first.items():
        assert after[sha] == attempts == 1  # done before the kill: not analysed again
    assert len(list((out / "reports").glob("*.json"))) == len(list(inbox.iterdir()))


def _text_of(p: Path) -> str:
    from castguard.ingest import read_document

    return read_document(p).text


def test_read_only_output_folder_is_a_clear_error_before_any_work(tmp_path):
    if os.geteuid() == 0:
        target = Path("/sys/castguard-cannot-write-here")  # root can write anywhere but sysfs
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        target = ro / "out"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["batch", str(SAMPLES), "-o", str(target)])
    assert result.exit_code == 2
    assert str(target) in result.output and "not writable" in result.output
    assert time.monotonic() - started < 5


def test_progress_is_logged_when_not_on_a_terminal(tmp_path):
    result = CliRunner().invoke(cli, ["batch", str(SAMPLES / "influencer_glowup.txt"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "batch: 1 file(s) found" in result.output and "1/1 files" in result.output
    assert "index.html" in result.output


def test_a_contract_in_another_language_is_listed_as_not_read(tmp_path):
    """A Spanish contract in an archive is on the roster as "not read", with the reason, never a silent "no"; a
    French one is read by the French rules, and its reason says so."""
    from conftest import CORPUS, ROOT

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "contrato_es.txt", inbox / "contrato.txt")
    shutil.copy(CORPUS / "regress_tos_french_facebook.txt", inbox / "conditions.txt")
    shutil.copy(SAMPLES / "influencer_glowup.txt", inbox)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(inbox), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = {Path(name).name: reason for name, reason in _rows(out / STORE_NAME, "SELECT name, reason FROM contracts")}
    assert rows["contrato.txt"].startswith("not read: the text is in Spanish")
    assert rows["conditions.txt"] is None or rows["conditions.txt"].startswith("read in French")
    assert rows["influencer_glowup.txt"] is None
    page = (out / "index.html").read_text(encoding="utf-8")
    row = page[page.index("contrato.txt") :].split("</tr>", 1)[0]
    assert "not read" in row and "the text is in Spanish" in row


# --------------------------------------------------------------------------- Dask


_CLUSTER = """
import sys
from dask.distributed import LocalCluster
with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


def test_dask_executor_on_a_local_cluster(tmp_path):
    """A dask.distributed LocalCluster in its own process (the test process never imports Dask), and the
    real command pointed at it, as a user points it at a cluster."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for p in CONTRACTS[:4]:
        shutil.copy(p, inbox / p.name)
    (inbox / "empty.txt").write_text("")
    cluster = subprocess.Popen(
        [sys.executable, "-c", _CLUSTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        address = cluster.stdout.readline().strip()
        assert address.startswith("tcp://"), address
        proc = subprocess.run(
            [sys.executable, "-m", "castguard", "batch", str(inbox), "-o", str(tmp_path / "out"), "--executor", "dask",
             "--scheduler", address],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        cluster.stdin.close()
        cluster.wait(60)
    assert proc.returncode == 0, proc.stderr
    db = tmp_path / "out" / STORE_NAME
    failed = _rows(db, "SELECT name, reason FROM files WHERE status = 'failed'")
    assert failed == [(str(inbox / "empty.txt"), "the file is empty; nothing to analyse")]
    assert dict(_rows(db, "SELECT status, count(*) FROM files GROUP BY status")) == {"done": 4, "failed": 1}
    local = run_batch([inbox], tmp_path / "local", jobs=1)
    # the same contracts give the same findings on the cluster and locally
    q = "SELECT sha256, gap, severity FROM findings ORDER BY 1, 2, 3"
    assert _rows(db, q) == _rows(tmp_path / "local" / STORE_NAME, q) and local.done == 4


def test_dask_without_a_reachable_scheduler_is_a_clear_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "castguard", "batch", str(SAMPLES / "influencer_glowup.txt"), "-o", str(tmp_path / "o"),
         "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2 and "Dask scheduler" in proc.stderr and "tcp://127.0.0.1:9" in proc.stderr


def test_write_summaries_needs_a_run(tmp_path):
    from castguard.errors import CastguardError

    with pytest.raises(CastguardError, match="no batch run here"):
        write_summaries(tmp_path)


def test_batch_help_has_examples():
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0 and "--resume" in result.output and "dask" in result.output


def test_live_progress_line_on_a_terminal():
    import io

    from castguard.cli import _Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    show = _Progress(stream=screen)
    for done in (1, 2):
        show({"event": "file", "name": f"f{done}", "status": "done" if done == 1 else "failed", "reason": "x",
              "done": done, "total": 2, "failed": done - 1, "elapsed": float(done)})  # fmt: skip
    text = screen.getvalue()
    assert text.startswith("\r[") and "1/2 files" in text and "ETA" in text and "2/2 files" in text
    assert "1 failed" in text and text.endswith("\n")  # the line is finished when the batch is


def test_memory_limit_stops_one_file_not_the_batch(tmp_path, monkeypatch):
    # lift the zip-bomb check (it would refuse this file before parsing) to reach the memory guard behind it
    monkeypatch.setenv("CASTGUARD_MAX_ZIP_RATIO", "100000")
    monkeypatch.setenv("CASTGUARD_MAX_UNZIPPED_MB", "100000")
    bomb = tmp_path / "bomb.docx"
    docx_memory_bomb(bomb)
    small = SAMPLES / "influencer_glowup.txt"
    pool = LocalPool(1, time_limit=120, memory_mb=100)  # 100 MB beyond the loaded worker
    tasks = [("bomb", bomb.name, bomb.read_bytes(), ".docx"), ("small", small.name, small.read_bytes(), ".txt")]
    results = dict(pool.map(iter(tasks)))
    assert results["bomb"]["status"] == "failed" and "memory" in results["bomb"]["reason"]
    assert results["small"]["status"] == "done"  # a fresh worker took over


def test_ctrl_c_stops_cleanly_and_resume_finishes(tmp_path):
    inbox = tmp_path / "in"
    _distinct_copies(inbox, 3)
    out = tmp_path / "out"
    proc = _start_batch(inbox, out, stderr=subprocess.PIPE)
    db = out / STORE_NAME
    _wait_until_done(db, 2)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends: the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "--resume" in err and "nothing is lost" in err
    statuses = dict(_rows(db, "SELECT status, count(*) FROM files GROUP BY status"))
    assert "running" not in statuses and statuses.get("done", 0) >= 2
    result = CliRunner().invoke(cli, ["batch", str(inbox), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert dict(_rows(db, "SELECT status, count(*) FROM files GROUP BY status")) == {"done": len(list(inbox.iterdir()))}


def _distinct_copies(inbox: Path, copies: int) -> None:
    """Each sample contract `copies` times as text, made distinct by a first line (so none is a duplicate)."""
    inbox.mkdir()
    for i in range(copies):
        for p in CONTRACTS:
            (inbox / f"{i}-{p.stem}.txt").write_text(f"Copy {i}\n" + _text_of(p), encoding="utf-8")


def _start_batch(inbox: Path, out: Path, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """`castguard batch` as a real process in its own process group (so a test can signal the whole group), with
    Ctrl-C handled as in a terminal: a process started with SIGINT ignored keeps ignoring it, and under the full
    suite in CI the test process had it ignored (the batch then ran to the end and exited 0)."""
    return subprocess.Popen(
        [sys.executable, "-m", "castguard", "batch", str(inbox), "-o", str(out), "--jobs", "1"],
        stdout=subprocess.DEVNULL, stderr=stderr, text=True, start_new_session=True,
        preexec_fn=_terminal_sigint,
    )  # fmt: skip


def _terminal_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_until_done(db: Path, n: int, timeout: float = 120) -> int:
    """Poll the run store until at least n contracts are done; returns how many are."""
    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        time.sleep(0.3)
        try:
            if db.exists():
                done = _rows(db, "SELECT count(*) FROM contracts WHERE status = 'done'")[0][0]
        except sqlite3.OperationalError:
            continue
        if done >= n:
            break
    return done


def test_a_worker_is_replaced_after_its_share_of_files(tmp_path):
    """spaCy keeps every new word a worker meets, so over thousands of different contracts a long-lived worker
    grows into its memory limit: after ``recycle_after`` files it hands over to a fresh one, and no file is lost."""
    names = ["influencer_glowup.txt", "music_session_bluefinch.txt", "influencer_glowup.txt", "music_session_bluefinch.txt",
             "influencer_glowup.txt"]  # fmt: skip
    pool = LocalPool(1, time_limit=120, recycle_after=2)
    pids, results = [], {}
    tasks = ((f"k{i}", n, (SAMPLES / n).read_bytes() + f"\n{i}\n".encode(), ".txt") for i, n in enumerate(names))
    for key, result in pool.map(tasks):
        results[key] = result
        pids.append(pool.worker_pids()[0])
    assert sorted(results) == [f"k{i}" for i in range(5)]
    assert all(r["status"] == "done" for r in results.values())
    assert len(set(pids)) == 3, pids  # files 1-2, 3-4, then 5: three workers
