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
}


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} not found: install {_INSTALL.get(name, name)} to run this test"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: a missing tool is a failure, .ci/run installs it)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def sample_expected() -> list[dict]:
    import json

    return json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))
