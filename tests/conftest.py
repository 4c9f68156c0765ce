"""Shared paths and the rule for tests that need a system tool.

On a user's machine a missing tool (poppler's pdftotext, LibreOffice) skips the test with a reason that
says what to install; under CI (CI=true) the same situation fails, because CI installs them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
SAMPLES = ROOT / "sample_contracts"
FIXTURES = ROOT / "tests" / "fixtures"
SCHEMA = ROOT / "src" / "castguard" / "report" / "report.schema.json"

_INSTALL = {
    "pdftotext": "poppler-utils (apt-get install poppler-utils)",
    "soffice": "LibreOffice (apt-get install libreoffice-writer-nogui)",
    "chromium": "Chromium (apt-get install chromium)",
    "qpdf": "qpdf (apt-get install qpdf)",
    "pdftoppm": "poppler-utils (apt-get install poppler-utils)",
}


def skip_or_fail(message: str):
    """Skip on a user's machine; fail under CI, which installs every tool the tests need."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: a missing tool is a failure, .ci/run installs it)")
    pytest.skip(message)


SHARED = ROOT.parent / "shared"  # the development corpus and design notes sit beside the repository (CI: ../shared)


def require_shared(relative: str) -> Path:
    """A file of ../shared; missing, the test skips on a developer machine and fails under CI (which has it)."""
    path = SHARED / relative
    if not path.exists():
        skip_or_fail(f"{relative} is not in {SHARED}; the development corpus sits beside the repository")
    return path


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    skip_or_fail(f"{name} not found: install {_INSTALL.get(name, name)} to run this test")


@pytest.fixture(scope="session")
def sample_expected() -> list[dict]:
    import json

    return json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))


# a minimal in-scope performer contract that one clause under test is appended to
PREAMBLE = (
    "PERFORMER AGREEMENT\n1. Engagement. Company engages Performer, an individual, to perform in the "
    "Picture, and Performer grants Company the right to use Performer's name and likeness in the Picture "
    "during the Term.\n"
)


def scan_text(tmp_path, text: str, name: str = "terms.txt"):
    """Scan ``text`` written as a real text file ``name`` in ``tmp_path``; returns the Report."""
    from castguard.scan import scan

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return scan(path)


def scan_clause(tmp_path, clause: str):
    """Scan PREAMBLE + clause as a real text file; returns the Report."""
    from castguard.scan import scan

    path = tmp_path / "deal.txt"
    path.write_text(PREAMBLE + "2. Further Terms. " + clause + "\n", encoding="utf-8")
    return scan(path)


def docx_memory_bomb(path, mb: int = 60) -> None:
    """A real DOCX whose 60 MB document.xml deflates to about 250 KB: parsing it needs far more memory than a
    100 MB worker limit (the zip-bomb check refuses it first unless CASTGUARD_MAX_ZIP_RATIO is lifted)."""
    import io
    import zipfile

    import docx

    d = docx.Document()
    d.add_paragraph("PERFORMER AGREEMENT")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    para = b"<w:p><w:r><w:t>Performer grants Company the right to use Performer's likeness.</w:t></w:r></w:p>"
    body = para * (mb * 1024 * 1024 // len(para))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + body, 1)
            out.writestr(item, data)
