"""castguard: reads performers' contracts and shows where they leave the performer exposed to AI.

The data flows document -> clauses -> findings -> report::

    from castguard import scan, report_to_dict
    report = scan("contract.pdf")
    for finding in report.findings:
        print(finding.gap, finding.severity, finding.evidence[0].quote)

Findings are facts for analysis, not legal advice.
"""

import sys
import types

from ._version import __version__  # noqa: E402

# The rest loads on first use (PEP 562), so `castguard --version` and the CLI's help start without reading the
# lexicon, the playbook or the parsers.
_LAZY = {
    "CastguardError": "errors",
    "EncryptedDocument": "errors",
    "ExtractionError": "errors",
    "GarbledText": "errors",
    "InputError": "errors",
    "NoTextLayer": "errors",
    "UnsupportedFormat": "errors",
    "read_document": "ingest",
    "Clause": "model",
    "Document": "model",
    "Evidence": "model",
    "Finding": "model",
    "Report": "model",
    "report_to_dict": "report",
    "scan": "scan",
    "scan_document": "scan",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """The package, keeping ``castguard.scan`` the function: importing the submodule of the same name would
    otherwise rebind the package attribute to the module (as it did not when the package imported it eagerly)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
