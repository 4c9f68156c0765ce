"""Many contracts: a whole archive, resumable, in parallel, on this machine or on a Dask cluster.

:func:`run_batch` walks the inputs (folders, ``.zip`` archives), hashes every file, and analyses each distinct
contract once in a worker (see :mod:`.executors`); the client writes one JSON report per contract and records
every outcome in the run store (:mod:`.store`, SQLite in OUTDIR) as it arrives. A crash, a Ctrl-C or a killed
worker loses at most the files in flight; ``resume=True`` skips what is done (same content, same model),
retries transient failures (a time-out, a worker that died) but not permanent ones (:data:`PERMANENT_CODES`:
unreadable, encrypted, image-only; nor documents that are not contracts) unless ``retry_failed=True``, and
picks up the rest. Each contract gets ``reports/<name>-<hash>.json`` (the report schema)
and ``.html`` (the review page the dashboard links to). :func:`write_summaries` renders the roster (:mod:`.roster`:
``roster.csv``, ``findings.csv``, ``skipped_and_failed.csv``, ``contracts.xlsx`` and ``index.html``) and
``contracts.csv`` (every file and contract, one row each) from the store alone; no step holds every report.

The library is quiet: progress goes to the ``progress`` callback; the CLI decides how to show it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._version import __version__
from ..classify.model import default_model
from ..errors import CastguardError
from ..escape.spreadsheet import csv_cell
from ..output import atomic_path, write_atomic
from ..playbooks import default_playbook
from ..scan import default_detector
from .discover import Refused, Skipped, Source, discover
from .executors import DEFAULT_MEMORY_MB, DEFAULT_TIME_LIMIT, DaskPool, LocalPool
from .lock import FolderLock
from .roster import FINDING_COLUMNS, ROSTER_COLUMNS, SKIPPED_COLUMNS, build_roster
from .store import STORE_NAME, RunStore
from .summary_html import render_dashboard
from .summary_xlsx import write_xlsx

__all__ = ["PERMANENT_CODES", "BatchResult", "add_contract", "is_permanent", "model_version", "run_batch", "write_summaries"]

# failures that the same file gives every time (the file is unreadable, encrypted, image-only, garbled, in a format
# castguard does not read, nested too deeply): --resume does not retry them unless --retry-failed. Everything else
# is retried: a time-out or a worker that died (E902), memory (E900), Dask (E903), a bug (E999), a resource limit
# that an option can raise (E103), a file that could not be read when its turn came.
PERMANENT_CODES = frozenset({"E100", "E101", "E102", "E200", "E201", "E202", "E901"})

CONTRACT_COLUMNS = [
    "path", "names", "sha256", "status", "reason", "error_code", "format", "pages", "clauses", "in_scope",
    "risk_score", "high", "medium", "low", "findings", "performer", "report", "seconds",
    "company", "agreement_date", "governing_law", "governing_law_code", "document_type", "document_type_reason",
]  # fmt: skip


@dataclass
class BatchResult:
    outdir: Path
    files: int = 0
    analysed: int = 0
    done: int = 0
    failed: int = 0
    duplicates: int = 0
    skipped: int = 0
    refused: int = 0
    not_retried: int = 0  # failed (permanently) or not a contract in an earlier run: kept, not analysed again
    ignored: int = 0  # links leaving the input, hidden and unsupported files: recorded as skipped
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)


def model_version(playbook=None) -> str:
    """What a report depends on: the tool, the detector and the training data of the model, and a playbook
    other than the default (a run with another playbook analyses every contract again)."""
    model = default_model()
    data = (model.meta.get("training_data") or {}).get("sha256", "")[:12] if model else ""
    own = f"; playbook {playbook.name} {playbook.sha256[:12]}" if playbook is not None and not playbook.is_default else ""
    return f"castguard {__version__}; {default_detector().name}" + (f"; data {data}" if data else "") + own


def is_permanent(status: str, error_code: str | None) -> bool:
    """Whether a contract's outcome stands on ``--resume`` without ``--retry-failed``: a permanent failure, or a
    document read and found not to be a contract (any outcome other than done, failed, pending or running)."""
    if status == "failed":
        return error_code in PERMANENT_CODES
    return status not in ("done", "pending", "running")


def _retry(known, retry_failed: bool) -> bool:
    """Whether a contract already in the run store is analysed again by this run."""
    status = known["status"]
    if status in ("pending", "running"):
        return True
    if status == "done":  # --retry-failed also reads again what was read and found not to be a contract
        return retry_failed and known["in_scope"] == 0
    if is_permanent(status, known["error_code"]):
        return retry_failed
    return status == "failed"  # a transient failure


def report_file_name(name: str, sha256: str) -> str:
    """A safe, unique report file name: the contract's base name, sanitised, plus the start of its hash."""
    base = re.split(r"[/\\!]", name)[-1]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", base.rsplit(".", 1)[0]).strip("._-")[:60] or "contract"
    return f"{stem}-{sha256[:10]}.json"


def _prepare_outdir(outdir: Path) -> None:
    """Create OUTDIR and prove it is writable, before any work."""
    try:
        (outdir / "reports").mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=outdir, prefix=".castguard-probe-", delete=True)
        probe.close()
    except OSError as exc:
        raise CastguardError(
            f"the output folder is not writable ({exc.strerror}); choose a folder you can write to",
            path=str(outdir),
        ) from None


def run_batch(
    paths: list[Path],
    outdir: Path,
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    progress=None,
    dask_client=None,
    wait: bool = False,
    playbook=None,
) -> BatchResult:
    """Analyse ``paths`` into ``outdir``. The folder's batch lock is held for the whole run: a second run on the
    same folder (``resume`` or not) raises :class:`castguard.errors.BusyError` naming the holder, or with
    ``wait`` blocks until the holder ends. ``retry_failed``: with ``resume``, analyse again the files that failed
    permanently (:data:`PERMANENT_CODES`) or were found not to be contracts. ``playbook``: a
    :class:`castguard.playbooks.Playbook` (default: the built-in one); the run store records it for the run and
    for each contract."""
    outdir = Path(outdir)
    _prepare_outdir(outdir)

    def waiting(who: str) -> None:
        if progress:
            progress({"event": "waiting", "holder": who})

    with FolderLock(outdir, wait=wait, on_wait=waiting):
        return _run_locked(paths, outdir, jobs=jobs, executor=executor, scheduler=scheduler, resume=resume,
                           retry_failed=retry_failed, time_limit=time_limit, memory_mb=memory_mb, progress=progress,
                           dask_client=dask_client, playbook=playbook)  # fmt: skip


def _run_locked(paths, outdir: Path, *, jobs, executor, scheduler, resume, time_limit, memory_mb, progress,
                dask_client, playbook=None, retry_failed=False) -> BatchResult:  # fmt: skip
    book = playbook or default_playbook()
    send = None if book.is_default else book  # workers load the default themselves
    store_path = outdir / STORE_NAME
    existed = store_path.exists()
    store = RunStore(store_path)
    try:
        if existed and store.has_files() and not resume:
            raise CastguardError(
                "this output folder already holds a batch run; add --resume to continue it, or choose a new folder",
                path=str(outdir),
            )
        recovered = store.recover()
        model = model_version(book)
        store.set_meta(tool_version=__version__, model=model, started=_dt.datetime.now(_dt.timezone.utc).isoformat(),
                       playbook=book.name, playbook_sha256=book.sha256)  # fmt: skip
        # where the names came from, for castguard track FILE given relative to an input or from elsewhere
        inputs = json.loads(store.meta("inputs") or "[]")
        inputs += [str(p) for p in paths if str(p) not in inputs]
        store.set_meta(inputs=json.dumps(inputs), cwd=os.getcwd())
        result = BatchResult(outdir)
        started = time.monotonic()
        sources = discover(paths, exclude=outdir)
        result.files = sum(1 for s in sources if not isinstance(s, Skipped))
        # plan: hash every file, record it, and keep one task per distinct content still to do
        plan: list[tuple[str, Source]] = []
        planned: dict[str, str] = {}
        for src in sources:
            if isinstance(src, Skipped):
                store.set_file(src.name, "skipped", reason=src.reason)
                result.ignored += 1
                continue
            if isinstance(src, Refused):
                store.set_file(src.name, "refused", reason=src.reason)
                result.refused += 1
                result.failures.append((src.name, src.reason))
                continue
            try:
                sha = hashlib.sha256(src.read()).hexdigest()
            except (OSError, ValueError, RuntimeError) as exc:
                reason = f"cannot read the file ({exc})"
                store.set_file(src.name, "refused", reason=reason)
                result.refused += 1
                result.failures.append((src.name, reason))
                continue
            known = store.contract(sha, model)
            if known is not None and known["status"] == "done" and not _retry(known, retry_failed):
                prior = store.file_status(src.name)
                if prior is None or prior["status"] != "duplicate" or prior["sha256"] != sha:
                    store.set_file(src.name, "done", sha256=sha, size=src.size, reason=known["reason"])
                result.skipped += 1
                continue
            if known is not None and not _retry(known, retry_failed):  # failed for good, or not a contract
                store.set_file(src.name, known["status"], sha256=sha, size=src.size, reason=known["reason"])
                result.not_retried += 1
                continue
            if sha in planned:
                store.set_file(
                    src.name, "duplicate", sha256=sha, size=src.size, reason=f"same content as {planned[sha]}"
                )
                result.duplicates += 1
                continue
            planned[sha] = src.name
            store.set_file(src.name, "pending", sha256=sha, size=src.size)
            plan.append((sha, src))
        total = len(plan)
        if progress:
            progress({"event": "start", "total": total, "files": result.files, "skipped": result.skipped,
                      "duplicates": result.duplicates, "refused": result.refused, "recovered": recovered,
                      "not read": result.ignored, "not retried": result.not_retried})  # fmt: skip
        by_sha = {sha: src for sha, src in plan}

        def tasks():
            for sha, src in plan:
                try:
                    data = src.read()
                except (OSError, ValueError, RuntimeError) as exc:
                    yield sha, src.name, None, str(exc)
                    continue
                store.start_contract(sha, model, src.name)
                yield sha, src.name, data, src.suffix

        def runnable():
            for sha, name, data, suffix in tasks():
                if data is None:  # gone or changed since it was hashed
                    reason = f"cannot read the file ({suffix})"
                    store.start_contract(sha, model, name)
                    store.finish_contract(sha, model, name, {"status": "failed", "reason": reason})
                    result.analysed += 1
                    result.failed += 1
                    result.failures.append((name, reason))
                    continue
                yield sha, name, data, suffix

        pool: DaskPool | LocalPool
        if executor == "dask":
            pool = DaskPool(scheduler, time_limit=time_limit, client=dask_client, playbook=send)
        elif executor == "local":
            pool = LocalPool(jobs, time_limit=time_limit, memory_mb=memory_mb, playbook=send)
        else:
            raise CastguardError(f"unknown executor {executor!r}; use local or dask")
        try:
            for sha, outcome in pool.map(runnable()) if plan else ():  # nothing to do: no workers started
                src = by_sha[sha]
                _record(store, outdir, model, sha, src.name, outcome)
                result.analysed += 1
                if outcome["status"] == "done":
                    result.done += 1
                else:
                    result.failed += 1
                    result.failures.append((src.name, outcome.get("reason") or "failed"))
                if progress:
                    progress({"event": "file", "name": src.name, "status": outcome["status"],
                              "reason": outcome.get("reason"), "done": result.analysed, "total": total,
                              "failed": result.failed, "elapsed": time.monotonic() - started})  # fmt: skip
        except KeyboardInterrupt:
            store.recover()  # what was in flight is pending again; --resume picks it up
            raise
        result.seconds = time.monotonic() - started
        store.set_meta(finished=_dt.datetime.now(_dt.timezone.utc).isoformat())
        write_summaries(outdir, store=store)
        return result
    finally:
        store.close()


def _record(store: RunStore, outdir: Path, model: str, sha: str, name: str, outcome: dict) -> None:
    """Write the report file (atomically) and then the store row: a crash between the two redoes the file."""
    outcome = dict(outcome)
    report = outcome.pop("report_dict", None)
    page = outcome.pop("report_html", None)
    if outcome["status"] == "done" and report is not None:
        rel = f"reports/{report_file_name(name, sha)}"
        write_atomic(outdir / rel, (json.dumps(report, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        outcome["report"] = rel
        if page is not None:  # the review page the dashboard links to, beside the JSON report
            html_rel = rel[: -len(".json")] + ".html"
            write_atomic(outdir / html_rel, page.encode("utf-8"))
            outcome["report"] = html_rel
    store.finish_contract(sha, model, name, outcome)


def add_contract(outdir: Path, name: str, sha256: str, size: int, outcome: dict, *, playbook=None) -> str:
    """Record one contract analysed elsewhere (``castguard serve``) in the run store of ``outdir``, as a batch run
    records each of its own: the report files, the store rows, then the summaries (index.html, contracts.xlsx,
    ...), so it shows on the dashboard and ``castguard track`` knows it. A new folder becomes a run store; an
    existing one must have been made with the same model and playbook. The folder's batch lock is held while
    writing (a batch running there is :class:`castguard.errors.BusyError`). Returns the name recorded: ``name``,
    or ``name`` with the start of its hash when another file of that name is already recorded."""
    outdir = Path(outdir)
    _prepare_outdir(outdir)
    book = playbook or default_playbook()
    model = model_version(book)
    with FolderLock(outdir):
        store = RunStore(outdir / STORE_NAME)
        try:
            recorded = store.meta("model")
            if recorded and recorded != model:
                raise CastguardError(
                    f"the batch run in this folder was made by another model or playbook ({recorded}; this one is "
                    f"{model}); start castguard serve with --store on another folder, or with that run's --playbook",
                    path=str(outdir),
                )
            now = _dt.datetime.now(_dt.timezone.utc).isoformat()
            if not recorded:
                store.set_meta(tool_version=__version__, model=model, started=now, playbook=book.name,
                               playbook_sha256=book.sha256)  # fmt: skip
            prior = store.file_status(name)
            if prior is not None and prior["sha256"] not in (None, sha256):
                stem, dot, ext = name.rpartition(".")
                name = f"{stem}-{sha256[:8]}.{ext}" if dot and stem else f"{name}-{sha256[:8]}"
            store.set_file(name, "pending", sha256=sha256, size=size)
            store.start_contract(sha256, model, name, worker="serve")
            _record(store, outdir, model, sha256, name, outcome)
            store.set_meta(finished=now)
            write_summaries(outdir, store=store)
        finally:
            store.close()
    return name


# --------------------------------------------------------------------------- summaries


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text (:func:`castguard.escape.spreadsheet.csv_cell`)."""
    return csv_cell(value)


def _write_csv(path: Path, columns: list[str], rows, header: list[str] | None = None) -> int:
    n = 0
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header or columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
            n += 1
    return n


def _write_sheet_csv(path: Path, columns, rows) -> int:
    """A CSV file with the columns (and headers) of the workbook sheet of the same name."""
    return _write_csv(path, [key for key, _, _ in columns], rows, [name for _, name, _ in columns])


def write_summaries(outdir: Path, *, store: RunStore | None = None) -> dict:
    """roster.csv, findings.csv, skipped_and_failed.csv, contracts.csv, contracts.xlsx and index.html from the
    run store alone."""
    outdir = Path(outdir)
    own = store is None
    if store is None:
        path = outdir / STORE_NAME
        if not path.exists():
            raise CastguardError(
                f"no batch run here ({STORE_NAME} not found); run castguard batch first", path=str(outdir)
            )
        store = RunStore(path)
    try:
        model = store.meta("model") or model_version()
        n_contracts = _write_csv(outdir / "contracts.csv", CONTRACT_COLUMNS, store.contract_rows(model))
        counts = store.counts()
        n_contracts -= counts.get("skipped", 0)  # a file not read is listed, but is no contract
        run = {
            "tool_version": store.meta("tool_version") or __version__,
            "model": model,
            "generated": store.meta("finished") or store.meta("started") or "",
            "files": sum(counts.values()) - counts.get("skipped", 0),
            "contracts": n_contracts,
            "done": counts.get("done", 0),
            "failed": counts.get("failed", 0),
            "duplicates": counts.get("duplicate", 0),
            "refused": counts.get("refused", 0),
            "skipped": counts.get("skipped", 0),
        }
        roster = build_roster(
            store.contract_rows(model), store.finding_rows(model), store.latest_tracking(), set(store.names_by_sha())
        )
        _write_sheet_csv(outdir / "roster.csv", ROSTER_COLUMNS, roster.roster)
        n_findings = _write_sheet_csv(outdir / "findings.csv", FINDING_COLUMNS, roster.findings)
        _write_sheet_csv(outdir / "skipped_and_failed.csv", SKIPPED_COLUMNS, roster.skipped)
        with atomic_path(outdir / "contracts.xlsx") as tmp:
            write_xlsx(tmp, (), (), run, roster=roster)
        write_atomic(outdir / "index.html", render_dashboard((), (), run, roster=roster).encode("utf-8"))
        return {"contracts": n_contracts, "findings": n_findings, "roster": len(roster.roster),
                "skipped_and_failed": len(roster.skipped), **run}  # fmt: skip
    finally:
        if own:
            store.close()
