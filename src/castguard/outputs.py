"""Which format a command writes: the extension of ``-o`` decides, ``--format`` may only agree.

Every command that writes a file calls :func:`resolve_format` before it does any work, so a wrong name fails
at once and nothing is written::

    fmt = resolve_format("scan", output, fmt)            # "table" | "json" | "markdown" | "html" | "pdf"
    fmt = resolve_format("facts", output, fmt)           # "table" | "json"

- With ``-o``: the extension chooses (``.txt`` table, ``.json``, ``.md``/``.markdown``, ``.html``/``.htm``,
  ``.docx``, ``.pdf``; each command accepts the ones in :data:`COMMAND_FORMATS`). An extension the command
  does not write is an error that lists the ones it does; a ``--format`` that contradicts the extension is
  an error naming both. A name without an extension takes ``--format`` when one is given.
- Without ``-o``: ``--format``, else the command's default (the first of its formats); a format that only
  makes sense as a file (``docx``, ``pdf``) asks for ``-o``.
- ``pdf`` needs LibreOffice; :func:`resolve_format` checks it is installed (so a missing LibreOffice is
  reported before the contract is read) and :func:`to_pdf` converts an HTML or DOCX rendering with
  ``soffice --headless --convert-to pdf`` in a private temporary folder and profile (parallel runs never
  share a LibreOffice profile), stopped after :data:`PDF_SECONDS` seconds (``CASTGUARD_PDF_SECONDS``).

Errors are :class:`~castguard.errors.CastguardError`: the CLI prints one line and exits with status 2.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import CastguardError

__all__ = [
    "COMMAND_FORMATS",
    "EXTENSIONS",
    "PDF_SECONDS",
    "check_output_folder",
    "find_soffice",
    "resolve_format",
    "to_pdf",
]

#: format -> the extensions that choose it (the first is the one suggested in messages)
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "table": (".txt",),
    "json": (".json",),
    "markdown": (".md", ".markdown"),
    "html": (".html", ".htm"),
    "docx": (".docx",),
    "pdf": (".pdf",),
}
_WHAT = {
    "table": "a text table",
    "json": "JSON",
    "markdown": "Markdown",
    "html": "HTML",
    "docx": "a Word document",
    "pdf": "a PDF",
}
#: command -> the formats it writes, its default first
COMMAND_FORMATS: dict[str, tuple[str, ...]] = {
    "scan": ("table", "json", "markdown", "html", "pdf"),
    "draft": ("docx", "markdown", "html", "pdf"),
    "redline": ("docx", "pdf"),
    "evaluate": ("table", "json"),
    "facts": ("table", "json"),
}
_FILE_ONLY = {"docx", "pdf"}  # binary: never to a terminal

PDF_SECONDS = 180.0
INSTALL_LIBREOFFICE = (
    "install LibreOffice (apt-get install libreoffice-writer; brew install --cask libreoffice; "
    "or https://www.libreoffice.org/download)"
)


def _accepted(formats: tuple[str, ...]) -> str:
    """The extensions a command accepts, for a message: ".txt (a text table), .json, .md/.markdown or .pdf"."""
    parts = ["/".join(EXTENSIONS[f]) + (f" ({_WHAT[f]})" if f == "table" else "") for f in formats]
    return ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]


def resolve_format(
    command: str,
    output: str | os.PathLike | None,
    fmt: str | None = None,
    *,
    formats: tuple[str, ...] | None = None,
    default: str | None = None,
) -> str:
    """The format ``command`` writes to ``output`` (None: standard output) given the ``--format`` option.

    ``formats`` defaults to :data:`COMMAND_FORMATS` [command] and ``default`` to the first of them. Raises
    :class:`CastguardError` (exit 2, nothing written) for an extension the command does not write, a
    ``--format`` that contradicts the extension, or ``pdf`` without LibreOffice.
    """
    formats = tuple(formats or COMMAND_FORMATS[command])
    default = default or formats[0]
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in formats:
            raise CastguardError(f"castguard {command} cannot write --format {fmt}; it writes {', '.join(formats)}")
    if output is None:
        chosen = fmt or default
        if chosen in _FILE_ONLY:
            raise CastguardError(
                f"--format {chosen} writes a file, not the terminal; give -o NAME{EXTENSIONS[chosen][0]}"
            )
        return chosen
    path = Path(output)
    suffix = path.suffix.lower()
    by_extension = {ext: f for f in formats for ext in EXTENSIONS[f]}
    if suffix in by_extension:
        chosen = by_extension[suffix]
        if fmt is not None and fmt != chosen:
            raise CastguardError(
                f"--format {fmt} contradicts the {path.suffix} extension of -o ({_WHAT[chosen]}); drop --format "
                f"to write {_WHAT[chosen]}, or name the file {EXTENSIONS[fmt][0]} for {_WHAT[fmt]}",
                path=str(output),
            )
    elif not suffix and fmt is not None:
        chosen = fmt  # "-o report --format json": the user said which
    else:
        what = f"{path.suffix} files" if suffix else "files without an extension"
        raise CastguardError(
            f"castguard {command} does not write {what}; give -o a name ending in {_accepted(formats)}",
            path=str(output),
        )
    if chosen == "pdf":
        find_soffice(output)  # a missing LibreOffice fails now, before the contract is read
    return chosen


def check_output_folder(command: str, output: str | os.PathLike) -> None:
    """``-o`` of a command that writes a folder (``batch``): a document name such as ``review.html`` is an
    error rather than a folder called ``review.html``. An existing folder is always accepted."""
    path = Path(output)
    if path.is_dir():
        return
    suffix = path.suffix.lower()
    known = {ext for exts in EXTENSIONS.values() for ext in exts} | {".csv", ".xlsx", ".zip"}
    if suffix in known:
        raise CastguardError(
            f"castguard {command} writes a folder (one report per contract, summaries and index.html), "
            f"not a {path.suffix} file; give -o a folder name such as review/",
            path=str(output),
        )


# --------------------------------------------------------------------------- PDF through LibreOffice


def find_soffice(output: str | os.PathLike | None = None) -> str:
    """The LibreOffice program (``soffice``), or a CastguardError that says what to install."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
    ):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise CastguardError(
        f"writing a PDF needs LibreOffice, and no soffice program was found; {INSTALL_LIBREOFFICE}, "
        "or write .html or .docx instead",
        path=str(output) if output is not None else None,
    )


def _pdf_seconds() -> float:
    raw = os.environ.get("CASTGUARD_PDF_SECONDS", "").strip()
    if not raw:
        return PDF_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise CastguardError(f"CASTGUARD_PDF_SECONDS={raw!r} is not a number of seconds") from None
    if not value > 0:
        raise CastguardError(f"CASTGUARD_PDF_SECONDS={raw!r} must be more than 0")
    return value


def _stop(proc: subprocess.Popen) -> None:
    """Stop soffice and everything it started (the wrapper script starts soffice.bin)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


def to_pdf(
    data: bytes,
    suffix: str,
    *,
    output: str | os.PathLike | None = None,
    seconds: float | None = None,
    notes: bool = False,
) -> bytes:
    """``data`` (an HTML page or a DOCX, as ``suffix`` says) converted to PDF by LibreOffice; the PDF's bytes.

    A DOCX with tracked changes comes out as LibreOffice shows them (insertions underlined, deletions struck
    through, in colour); ``notes`` exports its comments as PDF notes beside their text.

    The conversion runs in a temporary folder with its own LibreOffice profile, so parallel runs and a
    LibreOffice the user has open never clash; it is stopped after ``seconds`` (default
    ``CASTGUARD_PDF_SECONDS`` or :data:`PDF_SECONDS`). Writing the result is the caller's (atomically).
    """
    soffice = find_soffice(output)
    seconds = seconds or _pdf_seconds()
    where = str(output) if output is not None else None
    with tempfile.TemporaryDirectory(prefix="castguard-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        outdir = folder / "out"
        outdir.mkdir()
        args = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
        ]
        if suffix.lower() in (".html", ".htm"):
            args.append("--infilter=HTML (StarWriter)")  # a Writer document, not Writer/Web: pages, not a web view
        export = "pdf:writer_pdf_Export"
        if notes:
            export += ':{"ExportNotes":{"type":"boolean","value":"true"}}'
        args += ["--convert-to", export, "--outdir", str(outdir), str(source)]
        proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp,
            start_new_session=os.name == "posix",
        )
        try:
            out, err = proc.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise CastguardError(
                f"LibreOffice did not finish the PDF within {seconds:g} s and was stopped; nothing was written. "
                "Try again, raise CASTGUARD_PDF_SECONDS, or write .html or .docx instead",
                path=where,
            ) from None
        if os.name == "posix":  # anything soffice left behind in its session (it should have exited)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        pdf = outdir / "document.pdf"
        result = pdf.read_bytes() if pdf.is_file() else b""
        if proc.returncode != 0 or not result.startswith(b"%PDF"):
            said = [
                line
                for line in (err or out or b"").decode("utf-8", "replace").splitlines()
                if line.strip() and "javaldx" not in line
            ]
            detail = f" ({said[-1].strip()[:200]})" if said else ""
            raise CastguardError(
                f"LibreOffice could not make the PDF (exit status {proc.returncode}){detail}; nothing was written. "
                "Write .html or .docx instead, or check that LibreOffice opens documents on this machine",
                path=where,
            )
        return result
