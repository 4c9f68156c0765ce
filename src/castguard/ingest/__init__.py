"""File -> Document. Recognises the format by content, then hands over to the reader for it.

The extension is only a hint: a PDF named ``.docx`` is read as a PDF (with a
warning), and anything castguard cannot read (legacy ``.doc``, RTF, images,
ODT, spreadsheets) is refused with an error that says what to convert it to.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import zipfile
from pathlib import Path

from ..errors import EncryptedDocument, InputError, LimitExceeded, UnsupportedFormat
from ..limits import current_limits
from ..model import Document

__all__ = ["SUPPORTED_EXTENSIONS", "load_readers", "peek_kind", "read_bounded", "read_document", "sniff_format"]

SUPPORTED_EXTENSIONS = (".pdf", ".docx", ".txt", ".md", ".markdown", ".text")

_CONVERT = "convert it to PDF, DOCX or plain text first"

_IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"BM": None,  # too short a signature to trust alone; checked below
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(data: bytes, path: Path) -> str:
    """Return 'pdf', 'docx' or 'text' for the file's bytes ``data``, or raise.

    ``path`` is used for messages only: the file is read once, by :func:`read_bounded`.
    """
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data, path)
    if head.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocument(
                "the Word document is password-protected; open it in Word, remove the password "
                "(File > Info > Protect Document) and save it again as .docx",
                path=str(path),
            )
        raise UnsupportedFormat(
            "unsupported format: legacy Word 97-2003 (.doc) or another OLE file; "
            "save it as .docx (Word: File > Save As; LibreOffice: soffice --headless --convert-to docx FILE)",
            path=str(path),
        )
    if head.lstrip().startswith(b"{\\rtf"):
        raise UnsupportedFormat(
            "unsupported format: RTF; save it as .docx (soffice --headless --convert-to docx FILE) or as plain text",
            path=str(path),
        )
    for magic, what in _IMAGE_MAGIC.items():
        if what and head.startswith(magic):
            raise UnsupportedFormat(
                f"unsupported format: {what}, not a document; if it is a scan of a contract, make a searchable PDF "
                "with OCR first (e.g. ocrmypdf scan.pdf out.pdf, or tesseract IMAGE out pdf)",
                path=str(path),
            )
    if head.startswith(b"%!PS"):
        raise UnsupportedFormat(f"unsupported format: PostScript; {_CONVERT} (ps2pdf FILE)", path=str(path))
    return "text"


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    for test, what in _NOT_REGULAR:
        if test(mode):
            return what
    return "not a regular file"


def read_bounded(path: str | os.PathLike, shown: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit``; anything else is one clear error.

    A device (``/dev/zero``), a named pipe or a socket is refused before a byte is read (a FIFO is opened
    without blocking), and at most ``limit + 1`` bytes are ever read, so a file that grows, or lies about its
    size (``/proc``), cannot exhaust the memory: the size limit holds for what is read, not for what ``stat``
    says.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError("no such file; check the path", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror}); check its permissions", path=shown) from None
    what = not_regular(st.st_mode)
    if what == "a folder":
        raise InputError("is a folder, not a file; give one contract file (.pdf, .docx, .txt or .md)", path=shown)
    if what:
        raise InputError(
            f"is {what}, not a regular file; castguard reads contract files (.pdf, .docx, .txt, .md) only: "
            "copy the contract into a file and give that",
            path=shown,
        )
    def too_big(size: str) -> LimitExceeded:
        return LimitExceeded(
            f"the file is {size} the {limit / 2**20:g} MB file-size limit; "
            + current_limits().how_to_raise("file_mb"),
            path=shown,
        )

    if st.st_size > limit:
        raise too_big(f"{st.st_size / 2**20:.1f} MB, over")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror}); check its permissions", path=shown) from None
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fh.fileno())
        what = not_regular(opened.st_mode)  # swapped for something else since the stat above
        if what:
            raise InputError(f"is {what}, not a regular file; give a contract file", path=shown)
        try:
            # a byte more than the file says it has, then on to the limit only if it gave them all (it grew, or it
            # lies about its size): a small file does not get a buffer as large as the limit (100 MB)
            want = min(limit + 1, opened.st_size + 1)
            data = fh.read(want)
            if len(data) == want and want <= limit:
                data += fh.read(limit + 1 - want)
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror}); check the disk and its permissions", path=shown) from None
    if len(data) > limit:
        raise too_big("longer when read than its size says, and over")
    return data


def _sniff_zip(data: bytes, path: Path) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"looks like a ZIP-based document (DOCX) but the archive is damaged ({exc}); "
            "re-save it from Word or LibreOffice, or export it to PDF",
            path=str(path),
        ) from None
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names:
        raise UnsupportedFormat(
            f"unsupported format: OpenDocument (ODT/ODS); {_CONVERT} (soffice --headless --convert-to docx FILE)",
            path=str(path),
        )
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormat(
            f"unsupported format: an Excel workbook, not a contract document; {_CONVERT}", path=str(path)
        )
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedFormat(f"unsupported format: a PowerPoint file; {_CONVERT}", path=str(path))
    raise UnsupportedFormat(
        f"unsupported format: a ZIP archive that is not a Word document; {_CONVERT}", path=str(path)
    )


def _check_zip(data: bytes, shown: str, limits) -> None:
    """A DOCX is a ZIP: measure what it would inflate to, from its directory, before inflating anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # read_docx reports a damaged archive with its own message
    total = sum(i.file_size for i in infos)
    if total > limits.unzipped_mb * 2**20:
        raise LimitExceeded(
            f"the Word file would inflate to {total / 2**20:.0f} MB, over the {limits.unzipped_mb:g} MB limit "
            "(a zip bomb, or a document full of media); " + limits.how_to_raise("unzipped_mb"),
            path=shown,
        )
    for i in infos:
        if i.file_size > 2**20 and i.file_size > limits.zip_ratio * max(i.compress_size, 1):
            raise LimitExceeded(
                f"part {i.filename} of the Word file is compressed {i.file_size // max(i.compress_size, 1)}:1, "
                f"over the {limits.zip_ratio:g}:1 limit: it looks like a zip bomb; " + limits.how_to_raise("zip_ratio"),
                path=shown,
            )


def read_document(path: str | os.PathLike, *, source: str | None = None, on_revisions: str = "accept") -> Document:
    """Read a contract file into a Document. Never modifies the file.

    Raises a :class:`castguard.errors.CastguardError` subclass for anything that cannot be read.
    """
    p = Path(path)
    shown = source or str(path)
    limits = current_limits()
    data = read_bounded(p, shown, int(limits.file_mb * 1024 * 1024))
    if not data.strip():
        raise InputError("the file is empty; nothing to analyse", path=shown)

    kind = sniff_format(data, p)
    ext = p.suffix.lower()
    warnings: list[str] = []
    if kind == "pdf":
        if ext != ".pdf":
            warnings.append(f"{shown}: named {ext or 'without extension'} but the content is a PDF; read as PDF")
        from .pdf import read_pdf

        doc_fields = read_pdf(data, shown, max_pages=limits.pages)
        fmt = "pdf"
    elif kind == "docx":
        if ext != ".docx":
            warnings.append(f"{shown}: named {ext or 'without extension'} but the content is a Word DOCX; read as DOCX")
        from .docx import read_docx

        _check_zip(data, shown, limits)
        doc_fields = read_docx(data, shown, on_revisions=on_revisions)
        fmt = "docx"
    else:
        if ext in (".pdf", ".docx", ".doc"):
            raise UnsupportedFormat(
                f"named {ext} but the content is not a {ext[1:].upper()} file (no {ext[1:].upper()} signature); "
                "the file may be damaged or mislabelled; re-export it from the program that made it",
                path=shown,
            )
        from .text import read_text

        doc_fields = read_text(data, shown)
        fmt = "md" if ext in (".md", ".markdown") else "txt"

    if not doc_fields["text"].strip():
        raise InputError(
            "the file has no readable text (only blank or control characters); nothing to analyse", path=shown
        )
    if len(doc_fields["text"]) > limits.chars:
        raise LimitExceeded(
            f"{len(doc_fields['text']):,} characters of text, over the {limits.chars:,}-character limit; "
            + limits.how_to_raise("chars"),
            path=shown,
        )
    return Document(
        source=shown,
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        text=doc_fields["text"],
        blocks=doc_fields["blocks"],
        pages=doc_fields.get("pages"),
        page_starts=doc_fields.get("page_starts", ()),
        warnings=tuple(warnings) + tuple(doc_fields.get("warnings", ())),
        hidden=doc_fields.get("hidden", ()),
    )


def load_readers(path: str | os.PathLike | None = None) -> None:
    """Import the readers reading ``path`` will need (all of them without a path).

    The readers are imported by the file's first bytes, as :func:`sniff_format` will decide: a text contract
    does not pay for python-docx, lxml and pdfium. A file that cannot be peeked at gets all of them (reading
    it will fail with its own error).
    """
    kind = peek_kind(path) if path is not None else None
    if kind in (None, "pdf"):
        import pypdfium2  # noqa: F401

        from . import pdf as _pdf  # noqa: F401
    if kind in (None, "docx"):
        import docx  # noqa: F401

        from . import docx as _docx  # noqa: F401
    from . import text as _text  # noqa: F401


def peek_kind(path: str | os.PathLike) -> str | None:
    """'pdf', 'docx' or 'text' by the first 2 KB of a regular file (no blocking open of a pipe or device);
    None when the file cannot be peeked at."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            head = os.read(fd, 2048)
        finally:
            os.close(fd)
    except (OSError, ValueError):
        return None
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    return "text"
