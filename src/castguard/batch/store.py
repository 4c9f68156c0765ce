"""The run store: one SQLite file in OUTDIR that remembers every file and contract of a batch.

SQLite because it is embedded (no server), transactional (a crash loses at most the file in flight) and
readable by any tool. Every state change is its own committed transaction, in WAL mode.

    files      every input name seen: its content hash and status
               (pending | running | done | failed | duplicate | refused | skipped), with the reason
    contracts  one row per distinct content (sha256) and model: the outcome, the numbers the summaries
               need, the report file, timings and how many attempts it took
    findings   the findings of each done contract (one row each), for findings.csv and the dashboard
    meta       schema version, tool version, model, the playbook of the run (name and sha256)
    tracking   the renegotiation history (``castguard track``): one row per status recorded for a file, with the
               file's sha256 at that moment; a batch never writes it, so a re-run keeps the history

A contract is "done" for a given model; ``--resume`` skips a name whose content is done with the current
model, retries transient failures (permanent ones only with ``--retry-failed``), and puts back anything left
``running`` by a crash.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from pathlib import Path

from ..errors import CastguardError, full_disk_error

__all__ = ["STORE_NAME", "TRACK_STATUSES", "RunStore"]

STORE_NAME = "castguard-run.sqlite"
# the renegotiation of one contract, in the order it usually goes (castguard track --status)
TRACK_STATUSES = ("to-send", "sent", "countered", "signed", "declined")
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY,
    sha256 TEXT,
    size INTEGER,
    status TEXT NOT NULL,
    reason TEXT,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_sha ON files(sha256);
CREATE TABLE IF NOT EXISTS contracts (
    sha256 TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL,
    name TEXT NOT NULL,
    reason TEXT,
    error_code TEXT,
    report TEXT,
    format TEXT,
    pages INTEGER,
    clauses INTEGER,
    in_scope INTEGER,
    risk_score INTEGER,
    high INTEGER NOT NULL DEFAULT 0,
    medium INTEGER NOT NULL DEFAULT 0,
    low INTEGER NOT NULL DEFAULT 0,
    findings INTEGER NOT NULL DEFAULT 0,
    performer TEXT,
    seconds REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    worker TEXT,
    updated TEXT NOT NULL,
    playbook TEXT,
    playbook_sha256 TEXT,
    PRIMARY KEY (sha256, model)
);
CREATE TABLE IF NOT EXISTS findings (
    sha256 TEXT NOT NULL,
    model TEXT NOT NULL,
    n INTEGER NOT NULL,
    gap TEXT NOT NULL,
    severity TEXT NOT NULL,
    kind TEXT NOT NULL,
    clause TEXT,
    page INTEGER,
    quote TEXT,
    detector TEXT,
    note TEXT,
    PRIMARY KEY (sha256, model, n)
);
CREATE TABLE IF NOT EXISTS tracking (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, sha256 TEXT, status TEXT NOT NULL, date TEXT NOT NULL, note TEXT, recorded TEXT NOT NULL);
"""

# the deal facts and document type of each contract, for the roster (added after the first stores)
FACT_COLUMNS = (
    "company", "agreement_date", "governing_law", "governing_law_code", "document_type", "document_type_reason",
    "scope_reason",
)  # fmt: skip


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


class RunStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        db: sqlite3.Connection | None = None
        try:
            db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            full = full_disk_error(exc, str(self.path))
            if full is not None:
                raise full from None
            raise CastguardError(
                f"the run store cannot be opened ({exc}); it may be damaged or not a castguard run store — "
                "choose a new output folder",
                path=str(self.path),
            ) from None
        self.db: sqlite3.Connection = db
        self.db.row_factory = sqlite3.Row
        # columns added since the first stores: a store from before them gains them (another process may be
        # adding one at the same moment)
        for table, column in (("findings", "note"), ("contracts", "playbook"), ("contracts", "playbook_sha256")):
            if column not in {r["name"] for r in self.db.execute(f"PRAGMA table_info({table})")}:
                try:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
                except sqlite3.OperationalError:
                    pass
        have = {r["name"] for r in self.db.execute("PRAGMA table_info(contracts)")}
        for column in FACT_COLUMNS:
            if column not in have:
                try:
                    self.db.execute(f"ALTER TABLE contracts ADD COLUMN {column} TEXT")
                except sqlite3.OperationalError:
                    pass
        with self.tx():
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        version = self.meta("schema_version")
        if version != SCHEMA_VERSION:
            raise CastguardError(
                f"the run store has schema version {version}; this castguard writes {SCHEMA_VERSION} — "
                "use a new output folder",
                path=str(self.path),
            )

    def close(self) -> None:
        self.db.close()

    # --------------------------------------------------------------- plumbing

    class _Tx:
        def __init__(self, db):
            self.db = db

        def __enter__(self):
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, exc_type, exc, tb):
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")
            return False

    def tx(self):
        return RunStore._Tx(self.db)

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values: str) -> None:
        with self.tx():
            for k, v in values.items():
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, str(v)))

    def has_files(self) -> bool:
        return self.db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is not None

    # --------------------------------------------------------------- files

    def recover(self) -> int:
        """After a crash: whatever was running is pending again. Returns how many."""
        with self.tx():
            n = self.db.execute(
                "UPDATE files SET status='pending', updated=? WHERE status='running'", (_now(),)
            ).rowcount
            self.db.execute("UPDATE contracts SET status='pending' WHERE status='running'")
        return n

    def file_status(self, name: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM files WHERE name = ?", (name,)).fetchone()

    def set_file(self, name: str, status: str, *, sha256: str | None = None, size: int | None = None, reason=None):
        with self.tx():
            self.db.execute(
                "INSERT INTO files(name, sha256, size, status, reason, updated) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET sha256=coalesce(excluded.sha256, sha256), "
                "size=coalesce(excluded.size, size), status=excluded.status, reason=excluded.reason, "
                "updated=excluded.updated",
                (name, sha256, size, status, reason, _now()),
            )

    def contract(self, sha256: str, model: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM contracts WHERE sha256 = ? AND model = ?", (sha256, model)).fetchone()

    def start_contract(self, sha256: str, model: str, name: str, worker: str = "") -> int:
        """Mark a contract as running (one more attempt); returns the attempt number."""
        with self.tx():
            self.db.execute(
                "INSERT INTO contracts(sha256, model, status, name, attempts, worker, updated) "
                "VALUES (?, ?, 'running', ?, 1, ?, ?) ON CONFLICT(sha256, model) DO UPDATE SET "
                "status='running', attempts=attempts+1, worker=excluded.worker, updated=excluded.updated",
                (sha256, model, name, worker, _now()),
            )
            self.db.execute("UPDATE files SET status='running', updated=? WHERE name = ?", (_now(), name))
            row = self.db.execute(
                "SELECT attempts FROM contracts WHERE sha256 = ? AND model = ?", (sha256, model)
            ).fetchone()
        return row[0]

    def finish_contract(self, sha256: str, model: str, name: str, result: dict) -> None:
        """Record the outcome of one contract and its findings, and every name that carries it, at once."""
        status = result["status"]
        with self.tx():
            self.db.execute(
                "UPDATE contracts SET status=?, reason=?, error_code=?, report=?, format=?, pages=?, clauses=?, "
                "in_scope=?, risk_score=?, high=?, medium=?, low=?, findings=?, performer=?, seconds=?, updated=?, "
                "playbook=?, playbook_sha256=? WHERE sha256 = ? AND model = ?",
                (
                    status,
                    result.get("reason"),
                    result.get("error_code"),
                    result.get("report"),
                    result.get("format"),
                    result.get("pages"),
                    result.get("clauses"),
                    None if result.get("in_scope") is None else int(bool(result["in_scope"])),
                    result.get("risk_score"),
                    result.get("high", 0),
                    result.get("medium", 0),
                    result.get("low", 0),
                    len(result.get("findings", [])),
                    result.get("performer"),
                    result.get("seconds"),
                    _now(),
                    (result.get("playbook") or {}).get("name"),
                    (result.get("playbook") or {}).get("sha256"),
                    sha256,
                    model,
                ),
            )
            self.db.execute(
                f"UPDATE contracts SET {', '.join(c + '=?' for c in FACT_COLUMNS)} WHERE sha256 = ? AND model = ?",
                (*(result.get(c) for c in FACT_COLUMNS), sha256, model),
            )
            self.db.execute("DELETE FROM findings WHERE sha256 = ? AND model = ?", (sha256, model))
            self.db.executemany(
                "INSERT INTO findings (sha256, model, n, gap, severity, kind, clause, page, quote, detector, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        sha256,
                        model,
                        n,
                        f["gap"],
                        f["severity"],
                        f["kind"],
                        f.get("clause"),
                        f.get("page"),
                        f.get("quote"),
                        f.get("detector"),
                        f.get("note"),
                    )
                    for n, f in enumerate(result.get("findings", []))
                ],  # fmt: skip
            )
            self.db.execute(
                "UPDATE files SET status=?, reason=?, updated=? WHERE name = ?",
                (status, result.get("reason"), _now(), name),
            )

    # --------------------------------------------------------------- summaries

    def counts(self) -> dict:
        rows = self.db.execute("SELECT status, count(*) FROM files GROUP BY status").fetchall()
        return {r[0]: r[1] for r in rows}

    def names_by_sha(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, sha in self.db.execute("SELECT name, sha256 FROM files WHERE sha256 IS NOT NULL ORDER BY name"):
            out.setdefault(sha, []).append(name)
        return out

    def contract_rows(self, model: str):
        """Every contract of this model (done or failed), then files refused before analysis, then files not read
        on purpose (skipped: links leaving the input, hidden and unsupported files), as plain dicts."""
        names = self.names_by_sha()
        for r in self.db.execute(
            "SELECT * FROM contracts WHERE model = ? AND status IN ('done', 'failed') ORDER BY name", (model,)
        ):
            row = dict(r)
            row["names"] = names.get(row["sha256"], [row["name"]])
            row["path"] = row.pop("name")
            row["in_scope"] = None if row["in_scope"] is None else bool(row["in_scope"])
            yield row
        for r in self.db.execute(
            "SELECT * FROM files WHERE status IN ('refused', 'skipped') ORDER BY status = 'skipped', name"
        ):
            yield {
                "path": r["name"], "names": [r["name"]], "sha256": r["sha256"] or "", "status": r["status"],
                "reason": r["reason"], "error_code": None, "format": None, "pages": None, "clauses": None,
                "in_scope": None, "risk_score": None, "high": 0, "medium": 0, "low": 0, "findings": 0,
                "performer": None, "report": None, "seconds": None, "attempts": 0,
            }  # fmt: skip

    def finding_rows(self, model: str):
        for r in self.db.execute(
            "SELECT f.*, c.name AS path, c.report AS report FROM findings f JOIN contracts c "
            "ON c.sha256 = f.sha256 AND c.model = f.model WHERE f.model = ? ORDER BY c.name, f.n",
            (model,),
        ):
            row = dict(r)
            row.pop("model", None)
            row.pop("n", None)
            yield row

    def problems(self, model: str, limit: int = 20) -> tuple[int, list[dict]]:
        """The files that gave no result, or were not read: failed, refused, skipped, and done but not read
        (a contract in another language). Failures first, then by name. Returns (how many in all, the first
        ``limit``), each with name, status, reason and error_code."""
        where = (
            "FROM files f LEFT JOIN contracts c ON c.sha256 = f.sha256 AND c.model = ? "
            "WHERE f.status NOT IN ('done', 'duplicate', 'pending', 'running') "
            "OR (f.status = 'done' AND coalesce(f.reason, c.reason) IS NOT NULL)"
        )
        total = self.db.execute(f"SELECT count(*) {where}", (model,)).fetchone()[0]
        rows = self.db.execute(
            f"SELECT f.name AS name, f.status AS status, coalesce(f.reason, c.reason) AS reason, "
            f"c.error_code AS error_code {where} "
            "ORDER BY CASE f.status WHEN 'failed' THEN 0 WHEN 'refused' THEN 1 ELSE 2 END, f.name LIMIT ?",
            (model, limit),
        ).fetchall()
        return total, [dict(r) for r in rows]

    # --------------------------------------------------------------- renegotiation tracking

    def file_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM files ORDER BY name")]

    def track(self, name: str, status: str, date: str, note: str | None = None) -> dict:
        """Record a renegotiation status of the file ``name`` (files.name) on ``date`` (YYYY-MM-DD), with the
        file's sha256 as the run store knows it now, in one transaction. Returns the row recorded, with
        ``previous``: the latest status before it (or None)."""
        from ..errors import TrackError

        if status not in TRACK_STATUSES:
            raise CastguardError(f"unknown status {status!r}; use one of {', '.join(TRACK_STATUSES)}", path=name)
        try:
            ok = len(date) == 10 and _dt.date.fromisoformat(date) is not None
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise CastguardError(f"the date {date!r} is not a date in the form YYYY-MM-DD, e.g. 2025-03-02", path=name)
        with self.tx():
            row = self.db.execute("SELECT sha256 FROM files WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise TrackError(
                    "not a file of this batch run; give it as the batch recorded it (contracts.csv, column path)",
                    path=name,
                )
            previous = self._latest(name)
            recorded = _now()
            cur = self.db.execute(
                "INSERT INTO tracking(name, sha256, status, date, note, recorded) VALUES (?, ?, ?, ?, ?, ?)",
                (name, row[0], status, date, note or None, recorded),
            )
        return {"id": cur.lastrowid, "name": name, "sha256": row[0], "status": status, "date": date,
                "note": note or None, "recorded": recorded, "previous": previous}  # fmt: skip

    def _latest(self, name: str) -> dict | None:
        row = self.db.execute(
            "SELECT * FROM tracking WHERE name = ? ORDER BY date DESC, id DESC LIMIT 1", (name,)
        ).fetchone()
        return dict(row) if row is not None else None

    def tracking_history(self, name: str) -> list[dict]:
        """Every status recorded for ``name``, oldest first (by date, then in the order recorded); each with
        ``changed``: True when the file's sha256 differs from the one of the status before it (for the first,
        False) — the version the status was recorded against."""
        out: list[dict] = []
        for r in self.db.execute("SELECT * FROM tracking WHERE name = ? ORDER BY date, id", (name,)):
            row = dict(r)
            before = out[-1]["sha256"] if out else None
            row["changed"] = bool(before and row["sha256"] and before != row["sha256"])
            out.append(row)
        return out

    def latest_tracking(self) -> dict[str, dict]:
        """The latest status of every tracked file (latest by date, then in the order recorded):
        name -> {status, date, note, sha256, changed}; ``changed`` is True when the file's sha256 in the run
        store now differs from the one the status was recorded against ("changed since sent")."""
        out: dict[str, dict] = {}
        for r in self.db.execute(
            "SELECT t.name, t.status, t.date, t.note, t.sha256, t.recorded, f.sha256 AS now FROM tracking t "
            "LEFT JOIN files f ON f.name = t.name ORDER BY t.name, t.date, t.id"
        ):
            out[r["name"]] = {
                "status": r["status"], "date": r["date"], "note": r["note"], "sha256": r["sha256"],
                "changed": bool(r["sha256"] and r["now"] and r["sha256"] != r["now"]),
            }  # fmt: skip
        return out

    def dump(self) -> str:  # for debugging and tests
        return json.dumps([dict(r) for r in self.db.execute("SELECT * FROM files ORDER BY name")], indent=1)
