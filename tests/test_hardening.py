"""Hardening, second round: what a hostile or merely odd archive could still get through (see SECURITY.md).

Links that leave a batch folder, contract text that would be live Markdown or drive the terminal, control
characters that would stop the Word writers, devices and pipes, two batches on one folder, BOM-less UTF-16/32,
a full disk, bidi controls in file names, files the batch does not read.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, require_tool

from castguard.cli import cli
from castguard.escape.spreadsheet import csv_cell
from castguard.escape.terminal import visible

GRANT = (
    "7. Digital Replica. The Performer grants the Company the right to create a digital replica of the "
    "Performer's voice and likeness and to use the Performer's performances to train artificial intelligence "
    "models, in all media now known or hereafter devised, in perpetuity."
)
MARKER = "OUTSIDE-THE-FOLDER-7f3a"


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def _castguard(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "castguard", *map(str, args)], capture_output=True, text=True, **kw
    )


def _all_output_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- 1. links leaving a batch folder


@pytest.fixture(scope="module")
def linked_batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("links")
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    secret = (SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8") + f"\n{MARKER}\n"
    (outside / "secret.txt").write_text(secret, encoding="utf-8")
    (outside / "folder" / "more.txt").write_text(secret, encoding="utf-8")
    inbox = root / "inbox"
    (inbox / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "music_session_bluefinch.txt", inbox / "sub" / "bluefinch.txt")
    (inbox / "passwd.txt").symlink_to(outside / "secret.txt")  # a file link leaving the folder
    (inbox / "elsewhere").symlink_to(outside / "folder", target_is_directory=True)  # a folder link leaving it
    (inbox / "same.txt").symlink_to(inbox / "sub" / "bluefinch.txt")  # a link that stays inside: read
    (inbox / "loop").symlink_to(inbox, target_is_directory=True)
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (inbox / ".git").mkdir()
    (inbox / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    (inbox / "README").write_text("no extension", encoding="utf-8")
    with zipfile.ZipFile(inbox / "studio.zip", "w") as z:
        z.writestr("deal.txt", (SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8"))
        z.writestr("cover.png", b"\x89PNG\r\n\x1a\n")
        z.writestr(".hidden.txt", "x")
    out = root / "out"
    result = run("batch", inbox, "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    with open(out / "contracts.csv", encoding="utf-8", newline="") as fh:
        rows = {r["path"]: r for r in csv.DictReader(fh)}
    return inbox, out, rows, result.output


def test_links_leaving_the_batch_folder_are_not_followed_and_nothing_of_them_is_published(linked_batch):
    inbox, out, rows, _ = linked_batch
    assert MARKER not in _all_output_text(out)
    for name in ("passwd.txt", "elsewhere"):
        row = rows[str(inbox / name)]
        assert row["status"] == "skipped"
        assert "symbolic link" in row["reason"] and "outside the input folder" in row["reason"]
    assert rows[str(inbox / "loop")]["status"] == "skipped"
    # a link that stays inside the folder is read (and, being the same content, recorded as a duplicate)
    with sqlite3.connect(str(out / "castguard-run.sqlite")) as con:
        status = dict(con.execute("SELECT name, status FROM files").fetchall())
    assert {status[str(inbox / "same.txt")], status[str(inbox / "sub" / "bluefinch.txt")]} <= {"done", "duplicate"}


def test_hidden_and_unsupported_files_are_listed_with_the_reason(linked_batch):
    inbox, out, rows, output = linked_batch
    expect = {
        str(inbox / ".DS_Store"): "hidden file",
        str(inbox / ".git"): "hidden folder",
        str(inbox / "photo.jpg"): ".jpg files are not read",
        str(inbox / "README"): "without an extension",
        f"{inbox / 'studio.zip'}!cover.png": ".png files are not read",
        f"{inbox / 'studio.zip'}!.hidden.txt": "hidden file",
    }
    for name, why in expect.items():
        assert rows[name]["status"] == "skipped" and why in rows[name]["reason"], (name, rows.get(name))
    assert "not read (links leaving the input, hidden or unsupported files" in output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Skipped and failed" in page and "photo.jpg" in page


def test_a_template_folder_may_not_link_outside_itself(tmp_path):
    from castguard.draft.templates import templates_dir

    mine = tmp_path / "templates"
    shutil.copytree(templates_dir(), mine)
    remedy = next((mine / "remedies").glob("*.md.j2"))
    outside = tmp_path / "outside.md.j2"
    outside.write_text(remedy.read_text(encoding="utf-8") + MARKER, encoding="utf-8")
    remedy.unlink()
    remedy.symlink_to(outside)
    result = run("draft", SAMPLES / "music_session_bluefinch.txt", "--templates", mine, "-o", tmp_path / "a.md")
    assert result.exit_code == 2
    assert "a link to a file outside the template folder" in result.output
    assert not (tmp_path / "a.md").exists()


# --------------------------------------------------------------------------- 2. escaping per medium


PAYLOAD = '![x](http://e/x.png) "><img src=x onerror=alert(4)> [terms](javascript:alert(5)) **bold** | pipe'


def test_markdown_report_of_hostile_contract_text_renders_no_live_html_or_links(tmp_path):
    from markdown_it import MarkdownIt

    contract = tmp_path / "deal.txt"
    body = (SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8")
    quoted = "Any such edited version shall be deemed approved"  # a sentence the report quotes
    assert quoted in body
    contract.write_text(body.replace(quoted, f"Any such edited version {PAYLOAD} shall be deemed approved"), "utf-8")
    result = run("scan", contract, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "onerror=alert(4)" in result.stdout  # the quote is in the report
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(result.stdout)
    assert "onerror=alert(4)" in html  # the text is there, as text
    assert "<img" not in html and "<a " not in html and "javascript:" not in html.replace("](javascript:", "")
    assert "href=" not in html


def test_terminal_output_shows_control_sequences_as_escapes(tmp_path):
    name = "deal \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \x9b31m \u202etxt.txt"
    contract = tmp_path / name
    contract.write_text((SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8"), encoding="utf-8")
    proc = _castguard("scan", contract, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for stream in (proc.stdout, proc.stderr):
        assert not any(ch in stream for ch in "\x1b\x07\x9b\u202e")
    assert "\\x1b]52;c;ZXZpbA==\\x07" in proc.stdout  # shown, not obeyed
    missing = _castguard("scan", tmp_path / ("gone\x1b[2J\u202e.txt"), cwd=tmp_path)
    assert missing.returncode == 2 and "\x1b" not in missing.stderr and "gone\\x1b[2J\\u202e.txt" in missing.stderr
    as_json = _castguard("scan", contract, "--format", "json", cwd=tmp_path)
    assert "\x1b" not in as_json.stdout and json.loads(as_json.stdout)["document"]["source"].endswith("txt.txt")


def test_visible_escapes_every_c0_and_c1_control_but_tab_and_newline():
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        ch = chr(code)
        if ch in "\t\n":
            assert visible(ch) == ch
        else:
            assert visible(ch) == f"\\x{code:02x}" and json.loads(f'"{visible(ch, json=True)}"') == ch


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1+2", "\r=1+2", " =1", "#N/A"])
def test_csv_cells_that_a_spreadsheet_would_run_are_text(cell):
    assert csv_cell(cell).startswith("'")
    assert csv_cell("Performer grants") == "Performer grants"


# --------------------------------------------------------------------------- 3. control characters


def test_every_c0_control_passes_scan_draft_and_redline_in_every_format(tmp_path):
    require_tool("soffice")
    import docx

    controls = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\x9b"
    lines = (SAMPLES / "music_session_bluefinch.txt").read_text(encoding="utf-8").splitlines()
    # each control once, at the end of a line of the contract (a text file with a few stray controls still reads
    # as text; one with more than 1 in 100 characters is refused as binary, tested elsewhere)
    text = "\n".join(line + (controls[i] if i < len(controls) else "") for i, line in enumerate(lines))
    text += "\n" + GRANT.replace("voice", "voi\x0bce").replace("train", "tr\x07ain") + "\n"
    contract = tmp_path / "controls.txt"
    contract.write_text(text, encoding="utf-8")
    assert all(c in contract.read_text(encoding="utf-8") for c in controls if c not in "\r\n")
    for fmt in ("table", "json", "markdown", "html"):
        result = run("scan", contract, "--format", fmt)
        assert result.exit_code == 0, (fmt, result.output)
        out = result.stdout
        assert not any(ch in out for ch in controls if ch not in "\t\n"), fmt
    for suffix in (".md", ".html", ".docx", ".pdf"):
        target = tmp_path / f"addendum{suffix}"
        result = run("draft", contract, "--jurisdiction", "TN", "-o", target)
        assert result.exit_code == 0, (suffix, result.output)
        assert target.stat().st_size > 0
    assert run("scan", contract, "-o", tmp_path / "review.pdf").exit_code == 0
    redlined = tmp_path / "redline.docx"
    result = run("redline", contract, "-o", redlined)
    assert result.exit_code == 0, result.output
    body = "\n".join(p.text for p in docx.Document(str(redlined)).paragraphs)
    assert not any(ch in body for ch in controls if ch not in "\t\n")


# --------------------------------------------------------------------------- 4. devices, pipes, bounded reads


def test_a_device_and_a_pipe_are_one_clear_error_within_seconds(tmp_path):
    fifo = tmp_path / "contract.txt"
    os.mkfifo(fifo)
    for target, what in (("/dev/zero", "character device"), (fifo, "named pipe")):
        started = time.monotonic()
        proc = _castguard("scan", target, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert what in proc.stderr and "not a regular file" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert time.monotonic() - started < 60
    # the same for a batch: the pipe is refused with the reason, the batch goes on
    shutil.copy(SAMPLES / "influencer_glowup.txt", tmp_path / "deal.txt")
    result = run("batch", tmp_path, "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out" / "contracts.csv", encoding="utf-8", newline="") as fh:
        rows = {Path(r["path"]).name: r for r in csv.DictReader(fh)}
    assert rows["contract.txt"]["status"] == "refused" and "named pipe" in rows["contract.txt"]["reason"]
    assert rows["deal.txt"]["status"] == "done"


def test_the_size_limit_holds_for_what_is_read_not_what_stat_says(tmp_path):
    from castguard.errors import LimitExceeded
    from castguard.ingest import read_bounded

    f = tmp_path / "big.txt"
    f.write_bytes(b"x" * 5000)
    with pytest.raises(LimitExceeded, match="file-size limit"):
        read_bounded(f, "big.txt", 4096)
    assert read_bounded(f, "big.txt", 5000) == b"x" * 5000
    # /proc files say they are empty (st_size 0) and are not: what is read is still bounded
    if Path("/proc/self/maps").exists():
        with pytest.raises(LimitExceeded, match="longer when read than its size says"):
            read_bounded("/proc/self/maps", "maps", 10)


# --------------------------------------------------------------------------- 5. one batch per output folder


def _start_together(commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    barrier = threading.Barrier(len(commands))
    results: list = [None] * len(commands)

    def go(i: int) -> None:
        barrier.wait()
        results[i] = subprocess.run(commands[i], capture_output=True, text=True, timeout=600)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(commands))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture()
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("influencer_glowup.txt", "music_session_bluefinch.txt", "videogame_performer_ironpeak.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


def test_two_batches_started_at_the_same_instant_one_runs_the_other_is_told_who_holds_the_folder(tmp_path, inbox):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "castguard", "batch", str(inbox), "-o", str(out), "--jobs", "1"]
    first, second = _start_together([cmd, cmd])
    codes = sorted([first.returncode, second.returncode])
    assert codes == [0, 2], (first.stderr, second.stderr)
    loser = first if first.returncode == 2 else second
    assert "another castguard batch (process " in loser.stderr and "--wait" in loser.stderr
    with sqlite3.connect(str(out / "castguard-run.sqlite")) as con:
        attempts = [a for (a,) in con.execute("SELECT attempts FROM contracts")]
    assert attempts == [1, 1, 1]  # every contract analysed once


def test_two_resumes_at_once_are_excluded_and_wait_queues_behind_the_holder(tmp_path, inbox):
    out = tmp_path / "out"
    base = [sys.executable, "-m", "castguard", "batch", str(inbox), "-o", str(out), "--jobs", "1", "--resume"]
    first, second = _start_together([base, base])
    assert sorted([first.returncode, second.returncode]) == [0, 2]
    assert "another castguard batch" in (first.stderr + second.stderr)
    shutil.rmtree(out)
    first, second = _start_together([base + ["--wait"], base + ["--wait"]])
    assert first.returncode == 0 and second.returncode == 0, (first.stderr, second.stderr)
    assert "waiting for the other batch" in first.stderr + second.stderr
    with sqlite3.connect(str(out / "castguard-run.sqlite")) as con:
        attempts = [a for (a,) in con.execute("SELECT attempts FROM contracts")]
    assert attempts == [1, 1, 1]  # the second found everything done


# --------------------------------------------------------------------------- 7. the smaller items


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-32"])
def test_utf16_and_utf32_are_read_with_or_without_a_byte_order_mark(tmp_path, encoding):
    contract = tmp_path / "deal.txt"
    contract.write_bytes(((SAMPLES / "influencer_glowup.txt").read_text(encoding="utf-8")).encode(encoding))
    plain = json.loads(run("scan", SAMPLES / "influencer_glowup.txt", "--format", "json").stdout)
    result = run("scan", contract, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [f["gap"] for f in report["findings"]] == [f["gap"] for f in plain["findings"]]


def test_undecodable_wide_text_names_the_encoding_to_convert_from(tmp_path):
    contract = tmp_path / "deal.txt"
    data = "The Performer grants the Company all rights.\n".encode("utf-16-le") * 20
    contract.write_bytes(data + b"\x00\xd8\x41\x00")  # a lone high surrogate: not valid UTF-16
    result = run("scan", contract)
    assert result.exit_code == 2
    assert "UTF-16LE" in result.output and "iconv -f UTF-16LE -t UTF-8" in result.output


def test_a_full_disk_on_standard_output_is_one_line_with_its_code(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full (Linux) to make a write fail with 'no space left'")
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "castguard", "scan", str(SAMPLES / "influencer_glowup.txt")],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "[E501]" in lines[0] and "no space left on the disk" in lines[0]
    assert "internal error" not in lines[0]


@pytest.fixture()
def tiny_disk(tmp_path):
    """A real 8 MB filesystem (tmpfs); needs root, skips otherwise."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root; the /dev/full test covers the same path")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.decode().strip()})")
    try:
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_under_an_output_file_and_a_batch_is_one_clear_line(tiny_disk):
    (tiny_disk / "filler").write_bytes(b"\0" * (8192 * 1024 - 8192))
    result = run("scan", SAMPLES / "influencer_glowup.txt", "-o", tiny_disk / "review.html")
    assert result.exit_code == 2
    assert "[E501]" in result.output and "internal error" not in result.output
    assert not [p for p in tiny_disk.iterdir() if p.name != "filler"]  # nothing half-written
    (tiny_disk / "filler").unlink()
    for free_kb in (40, 400):  # full while opening the run store; full part-way through the reports
        (tiny_disk / "filler").write_bytes(b"\0" * ((8192 - free_kb) * 1024))
        result = run("batch", SAMPLES, "-o", tiny_disk / f"out{free_kb}", "--jobs", "1")
        assert result.exit_code == 2, result.output
        last = result.output.strip().splitlines()[-1]
        assert "[E501]" in last and "internal error" not in result.output, result.output
        assert "--resume" in last
        (tiny_disk / "filler").unlink()
    assert list((tiny_disk / "out400" / "reports").glob("*.json"))  # the second filled up part-way through
    # with space again, --resume finishes the interrupted run: nothing lost
    result = run("batch", SAMPLES, "-o", tiny_disk / "out400", "--jobs", "1", "--resume")
    assert result.exit_code == 0, result.output


def test_bidi_controls_in_file_names_are_shown_escaped_on_the_dashboard(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "influencer_glowup.txt", inbox / "invoice\u202etxt.exe.txt")
    result = run("batch", inbox, "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "\u202e" not in page and "invoice\\u202etxt.exe.txt" in page
