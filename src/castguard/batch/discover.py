"""Find the contracts under the paths given: folders are walked, ``.zip`` archives are opened.

Each contract becomes a :class:`Source` with a stable name (its path, or ``archive.zip!member`` for a file
inside an archive). Nothing is extracted to disk: a source's bytes are read on demand, size-limited, so one
huge or hostile archive member cannot fill the disk or the memory. Archive members whose names would escape
(absolute paths, ``..``), links, encrypted members, and members whose size or compression ratio is
implausible are not read; they come back as :class:`Refused` with the reason, and the batch records them.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import CastguardError
from ..ingest import not_regular, read_bounded

__all__ = ["DOCUMENT_EXTENSIONS", "Refused", "Skipped", "Source", "discover", "link_target_outside"]

CONTRACT_EXTENSIONS = {".pdf", ".docx", ".txt", ".md", ".markdown", ".text"}
# documents castguard cannot read: recorded as refused (with what to convert to), not silently skipped
OTHER_DOCUMENTS = {".doc", ".rtf", ".odt", ".pages", ".wpd", ".docm", ".dotx"}
DOCUMENT_EXTENSIONS = CONTRACT_EXTENSIONS | OTHER_DOCUMENTS
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed size of an archive member
MAX_NESTING = 2  # an archive inside an archive is opened; one more level is refused


@dataclass(frozen=True)
class Source:
    name: str
    path: Path  # the file on disk (the archive, for a member)
    member: tuple[str, ...] = ()  # member path inside the archive (and inside a nested archive)
    size: int = 0

    def read(self, limit: int = MAX_FILE_BYTES) -> bytes:
        if not self.member:
            try:
                return read_bounded(self.path, self.name, limit)
            except CastguardError as exc:
                raise ValueError(exc.message) from None
        else:
            data = _read_member(self.path, self.member, limit)
        if len(data) > limit:
            raise ValueError(f"larger than {limit // (1024 * 1024)} MB")
        return data

    @property
    def suffix(self) -> str:
        last = self.member[-1] if self.member else self.path.name
        return PurePosixPath(last).suffix.lower()


@dataclass(frozen=True)
class Refused:
    name: str
    reason: str


@dataclass(frozen=True)
class Skipped:
    """A file or folder the batch did not read on purpose (a link leaving the input, a hidden or unsupported
    file), recorded with the reason so that nothing in an archive goes unaccounted for."""

    name: str
    reason: str


_SUPPORTED = ", ".join(sorted(CONTRACT_EXTENSIONS - {".markdown", ".text"})) + " and .zip"


def link_target_outside(link: Path, root: Path) -> str | None:
    """For a symbolic link under ``root``: None if it resolves inside ``root``, else why it is not followed."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return "a broken or looping symbolic link; not followed"
    base = root.resolve()
    if target == base or base in target.parents:
        return None
    return "a symbolic link to a place outside the input folder; not followed (copy it in if it belongs here)"


def _read_member(archive: Path, member: tuple[str, ...], limit: int) -> bytes:
    outer = zipfile.ZipFile(archive)
    try:
        data = b""
        zf = outer
        for depth, name in enumerate(member):
            info = zf.getinfo(name)
            if info.file_size > limit:
                raise ValueError(f"larger than {limit // (1024 * 1024)} MB")
            with zf.open(info) as fh:
                data = fh.read(limit + 1)
            if depth < len(member) - 1:
                zf = zipfile.ZipFile(io.BytesIO(data))
        return data
    finally:
        outer.close()


def _unsafe_member(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return "its path would write outside the output folder (absolute or '..'); not read"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "it is a symbolic link; not followed"
    if info.flag_bits & 0x1:
        return "it is encrypted inside the archive; extract it with the password and add the file itself"
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
        return f"its compression ratio ({info.file_size // max(info.compress_size, 1)}:1) looks like a zip bomb"
    if info.file_size > MAX_FILE_BYTES:
        return f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB uncompressed"
    return None


def _archive(path: Path, display: str, prefix: tuple[str, ...], zf: zipfile.ZipFile, out: list) -> None:
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = f"{display}!{info.filename}"
        problem = _unsafe_member(info)
        base = PurePosixPath(info.filename).name
        if info.filename.startswith("__MACOSX/"):
            out.append(Skipped(name, "macOS resource data the archiver added, not a document; not read"))
            continue
        folders = PurePosixPath(info.filename).parts[:-1]
        if base.startswith(".") or any(part.startswith(".") and part not in (".", "..") for part in folders):
            out.append(Skipped(name, "a hidden file (its name or folder starts with a dot); not read"))
            continue
        suffix = PurePosixPath(info.filename).suffix.lower()
        if suffix == ".zip":
            if problem:
                out.append(Refused(name, problem))
            elif len(prefix) + 1 >= MAX_NESTING:
                out.append(Refused(name, f"archives nested more than {MAX_NESTING} deep are not opened"))
            else:
                try:
                    with zf.open(info) as fh:
                        inner = zipfile.ZipFile(io.BytesIO(fh.read(MAX_FILE_BYTES + 1)))
                    _archive(path, name, prefix + (info.filename,), inner, out)
                except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
                    out.append(Refused(name, f"the archive inside the archive cannot be read ({exc})"))
            continue
        if suffix not in DOCUMENT_EXTENSIONS:
            what = f"{suffix} files are" if suffix else "files without an extension are"
            out.append(Skipped(name, f"not a contract file: {what} not read (castguard reads {_SUPPORTED})"))
            continue
        if problem:
            out.append(Refused(name, problem))
        else:
            out.append(Source(name, path, prefix + (info.filename,), info.file_size))


def _add_file(path: Path, display: str, out: list) -> None:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        out.append(Refused(display, f"cannot read the file ({exc.strerror})"))
        return
    if not stat.S_ISREG(mode):
        out.append(Refused(display, f"it is {not_regular(mode)}, not a regular file; not read"))
        return
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                _archive(path, display, (), zf, out)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            out.append(Refused(display, f"the archive cannot be read ({exc}); check the file"))
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        out.append(Refused(display, f"cannot read the file ({exc.strerror})"))
        return
    out.append(Source(display, path, (), size))


def discover(paths: list[Path], *, exclude: Path | None = None) -> list[Source | Refused | Skipped]:
    """Every contract under ``paths`` in a stable order. ``exclude`` (the output folder) is never walked.

    A path given by name is read even if it is a link (the user chose it). Inside a folder, a symbolic link
    is followed only when it stays inside that folder: a link to a file elsewhere (``passwd.txt ->
    /etc/passwd``) or to any folder is recorded as :class:`Skipped`, as are hidden files and folders (names
    starting with a dot) and files castguard does not read, each with the reason.
    """
    out: list[Source | Refused | Skipped] = []
    excluded = exclude.resolve() if exclude else None
    for root in paths:
        root = Path(root)
        if root.is_dir():
            _walk(root, excluded, out)
        elif root.exists():
            _add_file(root, str(root), out)
        else:
            out.append(Refused(str(root), "no such file or folder"))
    return out


def _walk(root: Path, excluded: Path | None, out: list) -> None:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            p = here / d
            if excluded is not None and p.resolve() == excluded:
                continue  # the output folder itself
            if p.is_symlink():
                why = link_target_outside(p, root)
                out.append(
                    Skipped(
                        str(p),
                        why.replace("a place", "a folder")
                        if why
                        else "a symbolic link to a folder inside the input folder, whose files are read there",
                    )
                )
            elif d.startswith("."):
                out.append(Skipped(str(p), "a hidden folder (its name starts with a dot); not read"))
            else:
                keep.append(d)
        dirnames[:] = keep
        for fn in sorted(filenames):
            p = here / fn
            if fn.startswith("."):
                out.append(Skipped(str(p), "a hidden file (its name starts with a dot); not read"))
                continue
            if p.is_symlink():
                why = link_target_outside(p, root)
                if why:
                    out.append(Skipped(str(p), why.replace("a place", "a file")))
                    continue
            suffix = p.suffix.lower()
            if suffix not in DOCUMENT_EXTENSIONS | {".zip"}:
                what = f"{suffix} files are" if suffix else "files without an extension are"
                out.append(Skipped(str(p), f"not a contract file: {what} not read (castguard reads {_SUPPORTED})"))
                continue
            _add_file(p, str(p), out)
