"""castguard: reads performers' contracts and shows where they leave the performer exposed to AI.

The data flows document -> clauses -> findings -> report::

    from castguard import scan, report_to_dict
    report = scan("contract.pdf")
    for finding in report.findings:
        print(finding.gap, finding.severity, finding.evidence[0].quote)

Findings are facts for analysis, not legal advice.
"""

from ._version import __version__  # noqa: E402
from .errors import (  # noqa: E402
    CastguardError,
    EncryptedDocument,
    ExtractionError,
    GarbledText,
    InputError,
    NoTextLayer,
    UnsupportedFormat,
)
from .ingest import read_document  # noqa: E402
from .model import Clause, Document, Evidence, Finding, Report  # noqa: E402
from .report import report_to_dict  # noqa: E402
from .scan import scan, scan_document  # noqa: E402

__all__ = sorted(
    [
        "CastguardError",
        "Clause",
        "Document",
        "EncryptedDocument",
        "Evidence",
        "ExtractionError",
        "Finding",
        "GarbledText",
        "InputError",
        "NoTextLayer",
        "Report",
        "UnsupportedFormat",
        "__version__",
        "read_document",
        "report_to_dict",
        "scan",
        "scan_document",
    ]
)
