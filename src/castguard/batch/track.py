"""The renegotiation tracker: which contract's addendum is to be sent, was sent, countered, signed or declined.

``castguard track OUTDIR FILE --status sent`` records a status in the run store of a batch (table ``tracking``,
see :mod:`.store`): one row per status, with the date, a note and the sha256 of the file as the batch last read
it. The batch never writes that table, so a re-run (``--resume``) keeps the history; a file whose content changed
since its latest status is marked "changed since sent".

FILE is matched against the names the batch recorded: as recorded (the ``path`` column of contracts.csv), as a
path to the same file from wherever the command runs, relative to a folder or archive given to the batch, or as
the end of exactly one recorded name (``2019/lumen.md``). Anything else is a :class:`castguard.errors.TrackError`
that names the file and says what to give instead.

The status is one SQLite transaction, which is safe while a batch runs in the same folder (the batch's summaries
then include it when it ends); the summaries are rendered again here only under the folder's batch lock.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from ..errors import CastguardError, TrackError
from .store import STORE_NAME, TRACK_STATUSES, RunStore

__all__ = ["TRACK_STATUSES", "open_run", "resolve"]


def open_run(outdir: Path) -> RunStore:
    """The run store of the batch in ``outdir``, or an error that says there is none."""
    path = Path(outdir) / STORE_NAME
    if not path.is_file():
        raise CastguardError(
            f"no batch run here ({STORE_NAME} not found); give the output folder of a castguard batch run "
            "(castguard batch ... -o OUTDIR)",
            path=str(outdir),
        )
    return RunStore(path)


def _norm(base: str, name: str) -> str:
    return os.path.normpath(os.path.join(base, name))


def resolve(store: RunStore, file: str, *, here: str | None = None) -> str:
    """The recorded name (files.name) that ``file`` designates; a TrackError if none or several."""
    names = store.file_names()
    known = set(names)
    if file in known:
        return file
    here = here or os.getcwd()
    batch_cwd = store.meta("cwd") or here
    by_path: dict[str, list[str]] = {}
    for n in names:  # a relative name, from where the batch ran (or, the folders moved together, from here)
        for base in dict.fromkeys((batch_cwd, here)):
            if n not in by_path.setdefault(_norm(base, n), []):
                by_path[_norm(base, n)].append(n)
    # the same file from here, then relative to each folder or archive given to the batch
    wanted = [_norm(here, file)]
    for root in json.loads(store.meta("inputs") or "[]"):
        wanted.append(_norm(batch_cwd, os.path.join(root, file)))
        wanted.append(_norm(batch_cwd, root) + "!" + file.replace(os.sep, "/"))
    for w in wanted:
        if len(by_path.get(w, ())) == 1:
            return by_path[w][0]
    # the end of exactly one recorded name, at a folder or archive boundary
    tail = file.replace(os.sep, "/")
    while tail.startswith("./"):
        tail = tail[2:]
    relative = tail and not os.path.isabs(file) and not tail.startswith("../")
    ends = [n for n in names if n.replace(os.sep, "/").endswith(("/" + tail, "!" + tail))] if relative else []
    if len(ends) == 1:
        return ends[0]
    if len(ends) > 1:
        shown = ", ".join(ends[:5]) + (f" and {len(ends) - 5} more" if len(ends) > 5 else "")
        raise TrackError(
            f"matches {len(ends)} files of the batch run ({shown}); give more of its path, as in contracts.csv",
            path=file,
        )
    by_base: dict[str, list[str]] = {}
    for n in names:
        by_base.setdefault(os.path.basename(n.replace(os.sep, "/").split("!")[-1]), []).append(n)
    close = difflib.get_close_matches(os.path.basename(file), list(by_base), 3, 0.6)
    similar = [n for b in close for n in by_base[b]][:3]
    hint = f"; did you mean {' or '.join(similar)}?" if similar else ""
    raise TrackError(
        f"not a file of the batch run in {store.path.parent} (it has {len(names)} file(s)){hint} — give the path "
        "as in its contracts.csv (column path) or relative to the folder given to the batch; a new contract needs "
        "castguard batch ... --resume first",
        path=file,
    )
