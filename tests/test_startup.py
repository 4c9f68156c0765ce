"""What a cold `castguard scan` imports (issue 15): the start-up time is mostly imports, so a scan of a text
contract must not pull in what it does not use. Timings live in benchmarks/scan_startup.py, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import SAMPLES

from castguard.ingest import peek_kind

# runs `castguard scan FILE --format json` in a fresh interpreter, then reports what it imported
_PROBE = """
import json, sys
from castguard.cli import cli
try:
    cli(["scan", sys.argv[1], "--format", "json"], standalone_mode=False)
except SystemExit:
    pass
loaded = sorted(sys.modules)
import spacy.cli  # the real spaCy command line is still there for whoever wants it
print()
print("PROBE " + json.dumps({"modules": loaded, "spacy_info": callable(spacy.cli.info)}))
"""

# spaCy imported with a package that fails halfway (as a spaCy that imports more of its command line would)
_FALLBACK = """
import importlib.abc, json, sys
class FailOnce(importlib.abc.MetaPathFinder):
    failed = False
    def find_spec(self, name, path, target=None):
        if name == "spacy.glossary" and not FailOnce.failed:
            FailOnce.failed = True
            raise ImportError("simulated: a spaCy that needs more of spacy.cli")
sys.meta_path.insert(0, FailOnce())
from castguard.segment.sentences import import_spacy
import_spacy()
import spacy
nlp = spacy.blank("en")
print(json.dumps({"failed": FailOnce.failed, "tokens": [t.text for t in nlp("We don't train models.")]}))
"""

NOT_FOR_A_TEXT_SCAN = (
    "sklearn",  # training only: the model is read with numpy
    "scipy",
    "pdfplumber",
    "pdfminer",
    "pypdfium2",  # PDF reader
    "docx",  # DOCX reader
    "lxml",
    "jinja2",  # drafting and spaCy's command line
    "spacy.cli",  # spaCy's command line (typer, weasel, httpx, ...)
    "typer",
    "weasel",
    "httpx",
    "requests",
    "openpyxl",  # batch summaries
    "dask",
)


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_scan_of_a_text_contract_imports_spacy_and_the_model_but_no_reader_or_training_library():
    contract = SAMPLES / "videogame_performer_ironpeak.txt"
    got = _run(_PROBE, str(contract))
    assert got.returncode == 0, got.stderr
    report_text, _, probe = got.stdout.rpartition("\nPROBE ")
    report = json.loads(report_text)
    assert report["findings"], "the scan ran to the end and found the contract's gaps"
    assert report["tool"]["model"].startswith("rules.v1+model:"), "with the trained model loaded"
    probe = json.loads(probe)
    modules = set(probe["modules"])
    assert {"spacy", "numpy", "castguard.classify.model", "castguard.facts"} <= modules
    imported = sorted(m for m in modules if m.split(".")[0] in NOT_FOR_A_TEXT_SCAN or m.startswith("spacy.cli"))
    assert not imported, f"a text scan imported {imported}"
    assert probe["spacy_info"], "import spacy.cli after a scan gives spaCy's real command line"


def test_spacy_is_imported_the_ordinary_way_when_the_light_import_fails():
    got = _run(_FALLBACK)
    assert got.returncode == 0, got.stderr
    result = json.loads(got.stdout)
    assert result["failed"], "the simulated failure happened"
    assert result["tokens"] == ["We", "do", "n't", "train", "models", "."]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("film_actor_harborlight.pdf", "pdf"),
        ("voiceover_brightwave.docx", "docx"),
        ("influencer_glowup.txt", "text"),
        ("model_release_lumen.md", "text"),
    ],
)
def test_readers_are_chosen_by_the_first_bytes_as_the_reader_will_choose(name, kind):
    assert peek_kind(SAMPLES / name) == kind


def test_readers_by_content_not_by_name_and_none_for_what_cannot_be_peeked_at(tmp_path):
    renamed = tmp_path / "really_a_pdf.txt"
    renamed.write_bytes((SAMPLES / "film_actor_harborlight.pdf").read_bytes())
    assert peek_kind(renamed) == "pdf"
    assert peek_kind(tmp_path / "missing.txt") is None
    assert peek_kind(tmp_path) is None  # a folder
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.txt"
        os.mkfifo(fifo)
        assert peek_kind(fifo) is None  # answered at once: a pipe is never opened, so nothing blocks


def test_a_small_file_is_read_without_a_buffer_the_size_of_the_limit(tmp_path):
    # reading a 5 KB contract under the 100 MB file limit allocated 100 MB (read(limit + 1)); in a batch worker,
    # whose memory limit leaves 100 MB for each file, a plain text contract could fail for want of memory
    import tracemalloc

    from castguard.ingest import read_bounded

    small = SAMPLES / "influencer_glowup.txt"
    tracemalloc.start()
    try:
        data = read_bounded(small, small.name, 100 * 2**20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert data == small.read_bytes()
    assert peak < 2**20, f"{peak:,} bytes allocated to read {len(data):,}"


_VERSION_PROBE = """
import json, sys
from castguard.cli import cli
try:
    cli(["--version"], standalone_mode=False)
except SystemExit:
    pass
print("PROBE " + json.dumps(sorted(sys.modules)))
"""


def test_version_and_help_load_no_detector_parser_or_drafting_code():
    """`castguard --version` (and the command line's help) need only click: the package loads the scanner, the
    readers and the drafting code on first use."""
    got = _run(_VERSION_PROBE)
    assert got.returncode == 0, got.stderr
    modules = set(json.loads(got.stdout.rpartition("PROBE ")[2]))
    assert "castguard" in modules and "click" in modules
    heavy = {"spacy", "numpy", "castguard.classify", "castguard.scan", "castguard.draft", "castguard.facts", "castguard.ingest"}
    assert not heavy & modules, sorted(heavy & modules)


def test_the_package_exports_the_scan_function_even_after_its_module_is_imported():
    code = (
        "import castguard.scan, castguard\n"
        "from castguard import scan, report_to_dict, CastguardError, Report\n"
        "print(callable(scan), scan is castguard.scan, scan.__module__, sorted(set(castguard.__all__) - set(dir(castguard))))"
    )
    got = _run(code)
    assert got.returncode == 0, got.stderr
    assert got.stdout.split() == ["True", "True", "castguard.scan", "[]"]
