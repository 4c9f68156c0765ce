"""Resume that knows what is permanent, the end-of-batch list of failures, and the renegotiation tracker.

Real batches of real files (sample contracts, the hostile fixtures: an encrypted PDF, a scan without a text layer,
a truncated PDF), real worker processes, the real run store, the real CLI (click's runner), the real folder lock.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, SAMPLES

from castguard.batch.store import STORE_NAME, TRACK_STATUSES, RunStore
from castguard.cli import cli

PERMANENT = ("encrypted_password.pdf", "scanned_image_only.pdf", "truncated.pdf")
BLANKS = 18  # files that are empty but for blanks, each a distinct content: 21 failures, one more than listed


def _rows(db: Path, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(str(db))
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _cg(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """inbox/: two contracts, the same name in two folders, a README (not a contract), three files that fail
    for good and 18 blank ones (in whitespace/, listed last); `castguard batch inbox -o out` run from beside them
    (so the names recorded are relative and a copy of the folder is a run of its own)."""
    root = tmp_path_factory.mktemp("track")
    inbox = root / "inbox"
    (inbox / "north").mkdir(parents=True)
    (inbox / "south").mkdir()
    (inbox / "whitespace").mkdir()
    shutil.copy(SAMPLES / "voiceover_brightwave.docx", inbox / "voiceover_brightwave.docx")
    shutil.copy(SAMPLES / "model_release_lumen.md", inbox / "lumen.md")
    glow = (SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8")
    (inbox / "north" / "deal.txt").write_text(glow + "\nNorth copy.\n", encoding="utf-8")
    (inbox / "south" / "deal.txt").write_text(glow + "\nSouth copy.\n", encoding="utf-8")
    shutil.copy(SAMPLES / "README.md", inbox / "README.md")
    for name in PERMANENT:
        shutil.copy(FIXTURES / name, inbox / name)
    for i in range(BLANKS):
        (inbox / "whitespace" / f"blank{i:02d}.txt").write_text(" " * (i + 1) + "\n", encoding="utf-8")
    here = os.getcwd()
    os.chdir(root)
    try:
        result = _cg("batch", "inbox", "-o", "out", "--jobs", "1")
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return root, result.output


def _copy(run, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A copy of the run (its inputs and its output folder) to change freely; the test runs beside it."""
    shutil.copytree(run[0], tmp_path / "run")
    monkeypatch.chdir(tmp_path / "run")
    return Path("inbox"), Path("out")


def _attempts(out: Path) -> dict[str, int]:
    rows = _rows(out / STORE_NAME, "SELECT f.name, c.attempts FROM files f JOIN contracts c ON c.sha256 = f.sha256")
    return {Path(n).name: a for n, a in rows}


# --------------------------------------------------------------------------- item 4: resume, the failure list


def test_end_of_batch_lists_the_first_20_failures_with_code_and_where_the_rest_are(run):
    root, output = run
    out = Path("out")
    total = len(PERMANENT) + BLANKS
    assert f"batch: {total} file(s) failed or not read; the first 20:" in output
    listed = [line for line in output.splitlines() if line.startswith("  failed: ")]
    assert len(listed) == 20
    # each line: the file, the reason (what to do), the code and whether --resume retries it
    enc = next(line for line in listed if "encrypted_password.pdf" in line)
    assert "password" in enc and enc.endswith("[E102, not retried by --resume]")
    scan = next(line for line in listed if "scanned_image_only.pdf" in line)
    assert "OCR" in scan and "[E201, not retried by --resume]" in scan
    assert f"the full list, with what to do: {out / 'skipped_and_failed.csv'}" in output
    # and the full list is there: every one of them in contracts.csv with its code
    csv_text = (root / out / "contracts.csv").read_text(encoding="utf-8")
    assert all(f"blank{i:02d}.txt" in csv_text for i in range(BLANKS)) and "E102" in csv_text


def test_resume_keeps_permanent_failures_and_retry_failed_reads_them_again(run, tmp_path, monkeypatch):
    inbox, out = _copy(run, tmp_path, monkeypatch)
    before = _attempts(out)
    assert all(before[name] == 1 for name in PERMANENT) and before["README.md"] == 1
    result = _cg("batch", inbox, "-o", out, "--resume", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert _attempts(out) == before  # nothing analysed again: not the failures, not the README, not the done
    n_kept = len(PERMANENT) + BLANKS
    assert "0 to analyse (" in result.output and f"{n_kept} failed for good or not a contract before" in result.output
    assert f"{n_kept} not retried (failed for good before: --retry-failed)" in result.output
    statuses = dict(_rows(out / STORE_NAME, "SELECT name, status FROM files"))
    assert statuses[str(inbox / "encrypted_password.pdf")] == "failed"  # still listed as failed, with its reason
    assert "E102" in (out / "contracts.csv").read_text(encoding="utf-8")

    result = _cg("batch", inbox, "-o", out, "--retry-failed", "--jobs", "1")  # implies --resume
    assert result.exit_code == 0, result.output
    after = _attempts(out)
    assert all(after[name] == 2 for name in PERMANENT)  # read again, and failed again
    assert after["README.md"] == 2  # read again: not a contract
    assert after["voiceover_brightwave.docx"] == after["lumen.md"] == 1  # a contract done stays done


def test_readme_and_help_give_the_batch_defaults_the_code_uses():
    """The README's option table and its prose, `castguard batch --help` and the library agree on every default."""
    import inspect

    from castguard.batch import run_batch
    from castguard.batch.executors import DEFAULT_MEMORY_MB, DEFAULT_TIME_LIMIT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A whole archive: `castguard batch`") :]
    section = section[: section.index("\n## ", 5)]
    table = {}
    for line in section.splitlines():
        m = re.match(r"\| (`-[^|]+) \| ([^|]+) \| [^|]+ \|$", line)
        if m:
            for opt in re.findall(r"`(--[\w-]+)`", m.group(1)):
                table[opt] = m.group(2).strip().strip("`")
    command = cli.commands["batch"]
    options = [p for p in command.params if p.param_type_name == "option"]
    assert {max(p.opts, key=len) for p in options} <= set(table), "every batch option is in the README's table"
    helps = " ".join(CliRunner().invoke(cli, ["batch", "--help"], terminal_width=200).output.split())
    ctx = click.Context(command)
    defaults = {max(p.opts, key=len): p.get_default(ctx) for p in options}
    for p in options:
        name = max(p.opts, key=len)
        said, default = table[name], defaults[name]
        if p.is_flag:
            assert default is False and said == "off", name
        elif default is None:
            # no fixed value: the README's words are the help's ("the number of CPU cores"), or there is none
            assert said in ("none", "(required)") or said in " ".join(p.help.split()), name
        elif isinstance(default, (int, float)):
            assert float(said) == float(default), f"{name}: README {said}, code {default}"
            shown = re.search(rf"{re.escape(name)} .*?\[default: ([\d.]+)", helps)
            assert shown and float(shown.group(1)) == float(default), f"{name}: --help"
        else:
            assert said == default, name
    # the prose ("`--time-limit`, default 120 s") and the library's own defaults agree too
    prose = dict(re.findall(r"`(--[\w-]+)`, default (\d+)", section))
    assert prose == {"--time-limit": "120", "--memory-mb": "2048"}
    signature = inspect.signature(run_batch).parameters
    assert defaults["--time-limit"] == DEFAULT_TIME_LIMIT == signature["time_limit"].default == 120
    assert defaults["--memory-mb"] == DEFAULT_MEMORY_MB == signature["memory_mb"].default == 2048


# --------------------------------------------------------------------------- item 5: castguard track


def test_track_records_lists_and_keeps_a_history(run, tmp_path, monkeypatch):
    inbox, out = _copy(run, tmp_path, monkeypatch)
    voice = str(inbox / "voiceover_brightwave.docx")
    absolute = Path.cwd() / voice
    assert _cg("track", out).output.startswith("no status recorded yet")
    r = _cg("track", out, absolute, "--status", "sent", "--note", "addendum v1 to the agent", "--date", "2025-03-02")
    assert r.exit_code == 0, r.output
    assert f"{voice}: sent on 2025-03-02 (addendum v1 to the agent)" in r.output
    assert f"updated {out / 'index.html'}" in r.output
    # the same file named relative to the input, and by the end of its path
    r = _cg("track", out, "voiceover_brightwave.docx", "--status", "countered", "--date", "2025-03-09")
    assert r.exit_code == 0, r.output
    r = _cg("track", out, "north/deal.txt", "--status", "to-send")
    assert r.exit_code == 0 and f"{inbox / 'north' / 'deal.txt'}: to-send on " in r.output

    listing = _cg("track", out)
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert lines[0].split() == ["STATUS", "DATE", "FILE"]
    assert re.match(rf"to-send +\d{{4}}-\d\d-\d\d +{re.escape(str(inbox / 'north' / 'deal.txt'))}$", lines[1])
    assert re.match(rf"countered +2025-03-09 +{re.escape(voice)}$", lines[2])  # the latest status only
    assert lines[3] == "pipeline: 1 to-send, 0 sent, 1 countered, 0 signed, 0 declined; 3 analysed contract(s) without a status"
    countered = _cg("track", out, "--status", "countered").output.splitlines()
    assert len(countered) == 3 and voice in countered[1]

    history = _cg("track", out, voice)
    assert history.exit_code == 0
    text = history.output.splitlines()
    assert text[0].startswith(voice + " (sha256 ")
    assert text[1].split() == ["2025-03-02", "sent", "—", "addendum", "v1", "to", "the", "agent"]
    assert text[2].split() == ["2025-03-09", "countered"]

    data = json.loads(_cg("track", out, "--format", "json").output)
    assert data["counts"] == {"to-send": 1, "sent": 0, "countered": 1, "signed": 0, "declined": 0}
    assert [c["file"] for c in data["contracts"]] == [str(inbox / "north" / "deal.txt"), voice]

    # the library's view, which the dashboard and the workbook read
    store = RunStore(out / STORE_NAME)
    try:
        latest = store.latest_tracking()
        assert set(latest) == {voice, str(inbox / "north" / "deal.txt")}
        assert latest[voice] == {"status": "countered", "date": "2025-03-09", "note": None,
                                 "sha256": latest[voice]["sha256"], "changed": False}  # fmt: skip
        assert [h["status"] for h in store.tracking_history(voice)] == ["sent", "countered"]
    finally:
        store.close()


def test_a_changed_file_is_marked_a_rerun_keeps_the_history_and_a_transient_failure_is_retried(
    run, tmp_path, monkeypatch
):
    inbox, out = _copy(run, tmp_path, monkeypatch)
    lumen = inbox / "lumen.md"
    assert _cg("track", out, lumen, "--status", "sent", "--date", "2025-04-01").exit_code == 0
    assert "[changed" not in _cg("track", out).output
    # the other side sends a revised draft, saved over the file; the batch reads it again, and it fails on a limit
    # (E103: an option raises it), which is no fault of the file: the next --resume retries it, no --retry-failed
    lumen.write_text(lumen.read_text(encoding="utf-8") + "\n12. The Company may not create a digital replica.\n")
    monkeypatch.setenv("CASTGUARD_MAX_CHARS", "100")
    again = _cg("batch", inbox, "-o", out, "--resume", "--jobs", "1")
    assert again.exit_code == 0, again.output
    assert "1 to analyse" in again.output and "[E103, retried by --resume]" in again.output
    listing = _cg("track", out).output
    assert re.search(rf"sent +2025-04-01 +{re.escape(str(lumen))}  \[changed since sent\]", listing), listing
    assert "1 changed since their status: check them again" in listing
    monkeypatch.delenv("CASTGUARD_MAX_CHARS")
    again = _cg("batch", inbox, "-o", out, "--resume", "--jobs", "1")
    assert again.exit_code == 0, again.output
    assert "1 to analyse" in again.output and "lumen.md" not in again.output
    sha = _rows(out / STORE_NAME, "SELECT sha256 FROM files WHERE name = ?", str(lumen))[0][0]
    assert _rows(out / STORE_NAME, "SELECT status, attempts FROM contracts WHERE sha256 = ?", sha) == [("done", 2)]
    history = _cg("track", out, lumen).output
    assert "2025-04-01  sent" in history and "changed since sent: the file's content is now sha256" in history
    # the history survived the re-runs, and a new status is recorded against the new version
    r = _cg("track", out, lumen, "--status", "countered", "--date", "2025-04-08", "--no-summary")
    assert r.exit_code == 0 and "the file has changed since its previous status (sent on 2025-04-01)" in r.output
    assert "updated" not in r.output
    rows = _rows(out / STORE_NAME, "SELECT status, sha256 FROM tracking WHERE name = ? ORDER BY id", str(lumen))
    assert [s for s, _ in rows] == ["sent", "countered"] and rows[0][1] != rows[1][1] == sha
    assert "[changed" not in _cg("track", out).output
    assert "[a new version of the file: sha256" in _cg("track", out, lumen).output


def test_a_time_out_or_a_dead_worker_is_transient_and_a_broken_file_is_not():
    from castguard.batch import is_permanent

    for code in ("E902", "E900", "E903", "E999", "E103", None):  # time-out or dead worker, memory, Dask, bug, limit
        assert not is_permanent("failed", code), code
    for code in ("E100", "E101", "E102", "E200", "E201", "E202", "E901"):
        assert is_permanent("failed", code), code
    assert not is_permanent("done", None)


def test_unknown_or_ambiguous_file_is_one_line_with_a_code(run, tmp_path, monkeypatch):
    inbox, out = _copy(run, tmp_path, monkeypatch)
    r = _cg("track", out, "voiceover.docx", "--status", "sent")
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and r.output.startswith("error: [E800] voiceover.docx: not a file of the batch run")
    assert f"did you mean {inbox / 'voiceover_brightwave.docx'}?" in r.output and "contracts.csv" in r.output
    r = _cg("track", out, "deal.txt", "--status", "sent")
    assert r.exit_code == 2 and r.output.startswith("error: [E800] deal.txt: matches 2 files of the batch run")
    assert str(inbox / "north" / "deal.txt") in r.output and "give more of its path" in r.output
    r = _cg("track", out, "lumen.md", "--status", "sent", "--date", "2025-02-30")
    assert r.exit_code == 2 and r.output.startswith("error: [E000] ") and "YYYY-MM-DD" in r.output
    r = _cg("track", tmp_path / "nowhere")
    assert r.exit_code == 2 and r.output.startswith("error: [E000] ") and "no batch run here" in r.output
    assert _cg("track", out, "--note", "x").exit_code == 2  # a note needs a file and a status
    assert _rows(out / STORE_NAME, "SELECT count(*) FROM tracking") == [(0,)]  # nothing recorded by any of them


def test_track_while_a_batch_holds_the_folder(run, tmp_path, monkeypatch):
    """The status is recorded at once (its own transaction); the summaries are left to the running batch."""
    from castguard.batch.lock import FolderLock

    inbox, out = _copy(run, tmp_path, monkeypatch)
    page = (out / "index.html").stat().st_mtime_ns
    with FolderLock(out):  # what a running batch holds
        r = _cg("track", out, "lumen.md", "--status", "signed")
    assert r.exit_code == 0, r.output
    assert "a batch is running in this folder" in r.output
    assert (out / "index.html").stat().st_mtime_ns == page
    assert _rows(out / STORE_NAME, "SELECT status FROM tracking") == [("signed",)]


def test_the_statuses_are_the_same_everywhere():
    from castguard import cli as cli_module

    assert cli_module.TRACK_STATUSES == TRACK_STATUSES == ("to-send", "sent", "countered", "signed", "declined")
    help_text = _cg("track", "--help").output
    assert "to-send|sent|countered|signed|declined" in help_text
