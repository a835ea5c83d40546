"""The batch's embedded SQLite store, kept in the output folder.

Analyses are keyed by the file's content hash (sha256) and the analyser configuration (version, classifier,
language), so an interrupted batch resumes where it stopped and a re-run analyses only new or changed
files; identical files anywhere in the tree are analysed once. Inputs are keyed by display path and stamped
with the run that last saw them, so the outputs of a run list exactly the files of that run.

The store holds summary rows (names, units, scores, the main findings' messages), error rows and shingle
hashes; not the report's full text, which stays in the per-report JSON files. For each run it also keeps the
organisation's configuration (hash and file, whether reviewers' decisions were applied), and which reports' files
carry reviewers' decisions (``reviewed``), so that a decision withdrawn later is taken off them again. The
cross-report checks' sentence embeddings are kept by the hash of the sentence (``embeddings``: float32 vectors, never
the sentence), so a ``--resume`` or a later year's ``--previous`` does not embed them again. With the checks on, the
store also keeps what they read from each analysed report (``prepared``, by content hash and configuration:
:mod:`nlp.batch.cross_inputs`, the writer's identity and the report's sentences), one row beside the analysis instead
of one more file a report: the only report text the store holds, and no more than the per-report JSON beside it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

STORE_NAME = "kiemdiem-batch.sqlite"
SCHEMA = 1

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    config TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS analyses (
    sha256 TEXT NOT NULL,
    config TEXT NOT NULL,
    ok INTEGER NOT NULL,
    row TEXT NOT NULL,
    shingles BLOB,
    seconds REAL,
    run INTEGER NOT NULL,
    PRIMARY KEY (sha256, config)
);
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY,
    folders TEXT NOT NULL,
    sha256 TEXT,
    size INTEGER,
    status TEXT NOT NULL,
    error TEXT,
    run INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS inputs_run ON inputs (run);
CREATE TABLE IF NOT EXISTS run_settings (
    run INTEGER PRIMARY KEY,
    config_hash TEXT NOT NULL,
    config_file TEXT,
    feedback INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS reviewed (sha256 TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS embeddings (text_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS prepared (
    sha256 TEXT NOT NULL,
    config TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (sha256, config)
);
"""


class Store:
    """The SQLite file of one output folder (one writer: the driver process)."""

    def __init__(self, path: Path, commit_every: int = 64) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_DDL)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        self._pending = 0
        self._commit_every = commit_every
        self._last_commit = time.monotonic()
        self._holds_prepared: bool | None = None  # whether the prepared table holds any row (None: not asked yet)
        self.db.execute("BEGIN")

    # ------------------------------------------------------------------------------------------ runs

    def begin_run(self, config: str) -> int:
        """Start a run and return its id."""
        cursor = self.db.execute(
            "INSERT INTO runs (started, config, status) VALUES (?, ?, 'running')", (time.time(), config)
        )
        self.commit()
        return int(cursor.lastrowid or 0)

    def put_settings(self, run: int, config_hash: str, config_file: str | None, feedback: bool) -> None:
        """Record the configuration a run used (its hash and file) and whether it applied reviewers' decisions."""
        self.db.execute(
            "INSERT OR REPLACE INTO run_settings VALUES (?, ?, ?, ?)", (run, config_hash, config_file, int(feedback))
        )
        self.commit()

    def last_settings(self) -> dict | None:
        """The configuration of the latest run that recorded one: ``{run, config_hash, config_file, feedback}``."""
        found = self.db.execute(
            "SELECT run, config_hash, config_file, feedback FROM run_settings ORDER BY run DESC LIMIT 1"
        ).fetchone()
        if found is None:
            return None
        return dict(zip(("run", "config_hash", "config_file", "feedback"), found, strict=True))

    def keep_only(self, config: str) -> int:
        """Drop the analyses made with another analyser fingerprint (another configuration, classifier, language):
        the per-report files are shared by every fingerprint, so they must be analysed again, never mixed."""
        deleted = self.db.execute("DELETE FROM analyses WHERE config != ?", (config,)).rowcount
        self.db.execute("DELETE FROM prepared WHERE config != ?", (config,))
        self.commit()
        return int(deleted or 0)

    def finish_run(self, run: int, status: str = "done") -> None:
        """Mark a run finished (``done`` or ``interrupted``)."""
        self.db.execute("UPDATE runs SET finished = ?, status = ? WHERE id = ?", (time.time(), status, run))
        self.commit()

    def runs(self) -> list[dict]:
        """All runs, oldest first."""
        self.commit()
        rows = self.db.execute("SELECT id, started, finished, config, status FROM runs ORDER BY id").fetchall()
        return [dict(zip(("id", "started", "finished", "config", "status"), r, strict=True)) for r in rows]

    # ------------------------------------------------------------------------------------------ analyses

    def done(self, config: str, retry: set[str] | frozenset[str] = frozenset()) -> dict[str, bool]:
        """Content hashes already analysed with ``config`` → whether the analysis succeeded.

        Error rows whose code is in ``retry`` (a timeout stored by an earlier version) do not count as done.
        """
        rows = self.db.execute("SELECT sha256, ok, row FROM analyses WHERE config = ?", (config,))
        return {sha256: bool(ok) for sha256, ok, row in rows if ok or json.loads(row).get("code") not in retry}

    def analysis(self, sha256: str, config: str) -> tuple[bool, dict] | None:
        """(ok, row) of a stored analysis, or None."""
        found = self.db.execute(
            "SELECT ok, row FROM analyses WHERE sha256 = ? AND config = ?", (sha256, config)
        ).fetchone()
        return (bool(found[0]), json.loads(found[1])) if found else None

    def put_analysis(
        self, sha256: str, config: str, ok: bool, row: dict, shingles: bytes, seconds: float, run: int
    ) -> None:
        """Record one analysis (summary row or error row)."""
        self.db.execute(
            "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sha256, config, int(ok), json.dumps(row, ensure_ascii=False), shingles or None, seconds, run),
        )
        self._tick()

    def forget(self, sha256: str, config: str) -> None:
        """Drop an analysis (its per-report files went missing: it is analysed again)."""
        self.db.execute("DELETE FROM analyses WHERE sha256 = ? AND config = ?", (sha256, config))

    def shingles(self, config: str, hashes: list[str]) -> Iterator[tuple[str, bytes]]:
        """(sha256, shingle bytes) of the successful analyses among ``hashes``, in ``hashes`` order by chunk."""
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT sha256, shingles FROM analyses WHERE config = ? AND ok = 1 AND shingles IS NOT NULL "
                f"AND sha256 IN ({marks}) ORDER BY sha256",
                (config, *chunk),
            ).fetchall()

    # ------------------------------------------------------------------------------------------ inputs

    def put_input(
        self,
        path: str,
        folders: tuple[str, ...],
        run: int,
        *,
        sha256: str | None = None,
        size: int = 0,
        status: str = "analysed",
        error: dict | None = None,
    ) -> None:
        """Record one input of this run: ``analysed`` (see its sha256), ``error`` or ``skipped``."""
        self.db.execute(
            "INSERT OR REPLACE INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                path,
                json.dumps(list(folders), ensure_ascii=False),
                sha256,
                size,
                status,
                json.dumps(error, ensure_ascii=False) if error else None,
                run,
            ),
        )
        self._tick()

    def run_inputs(self, run: int, config: str) -> Iterator[dict]:
        """The inputs seen by ``run``, joined with their analyses, in path order."""
        self.commit()
        query = (
            "SELECT i.path, i.folders, i.sha256, i.size, i.status, i.error, a.ok, a.row "
            "FROM inputs i LEFT JOIN analyses a ON a.sha256 = i.sha256 AND a.config = ? "
            "WHERE i.run = ? ORDER BY i.path"
        )
        for path, folders, sha256, size, status, error, ok, row in self.db.execute(query, (config, run)):
            yield {
                "path": path,
                "folders": json.loads(folders),
                "sha256": sha256,
                "size": size,
                "status": status,
                "error": json.loads(error) if error else None,
                "ok": bool(ok) if ok is not None else None,
                "row": json.loads(row) if row else None,
            }

    def count(self, table: str, where: str = "", *args: object) -> int:
        """Number of rows of ``table`` (``inputs`` or ``analyses``) matching ``where``."""
        assert table in {"inputs", "analyses", "runs"}
        self.commit()
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table} {where}", args).fetchone()[0])

    # ------------------------------------------------------------------------------------------ reviews

    def reviewed(self) -> set[str]:
        """Content hashes whose per-report files carry reviewers' decisions."""
        return {sha256 for (sha256,) in self.db.execute("SELECT sha256 FROM reviewed")}

    def set_reviewed(self, sha256: str, reviewed: bool) -> None:
        """Record whether the per-report files of ``sha256`` carry reviewers' decisions."""
        if reviewed:
            self.db.execute("INSERT OR IGNORE INTO reviewed VALUES (?)", (sha256,))
        else:
            self.db.execute("DELETE FROM reviewed WHERE sha256 = ?", (sha256,))
        self._tick()

    # ------------------------------------------------------------------------------------------ embeddings

    def put_embeddings(self, vectors: dict[str, bytes]) -> None:
        """Record sentence embeddings (text hash → float32 bytes)."""
        for key, vector in vectors.items():
            self.db.execute("INSERT OR IGNORE INTO embeddings VALUES (?, ?)", (key, vector))
            self._tick()

    def embeddings(self, keys: list[str]) -> dict[str, bytes]:
        """The stored embeddings among ``keys`` (text hash → float32 bytes)."""
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT text_hash, vector FROM embeddings WHERE text_hash IN ({marks})"
            found.update(self.db.execute(query, chunk).fetchall())
        return found

    # ------------------------------------------------------------------------------------------ prepared inputs

    def put_prepared(self, sha256: str, config: str, data: bytes | None) -> None:
        """Record what the cross-report checks read from one analysis (:mod:`nlp.batch.cross_inputs`), or drop an
        earlier analysis's (``data`` None: it would not match this one)."""
        if data is None:
            if self._holds_prepared is None:  # asked once: a store that never kept any has none to drop
                self._holds_prepared = bool(self.db.execute("SELECT EXISTS (SELECT 1 FROM prepared)").fetchone()[0])
            if self._holds_prepared:
                self.db.execute("DELETE FROM prepared WHERE sha256 = ? AND config = ?", (sha256, config))
        else:
            self.db.execute("INSERT OR REPLACE INTO prepared VALUES (?, ?, ?)", (sha256, config, data))
            self._holds_prepared = True

    # ------------------------------------------------------------------------------------------ housekeeping

    def _tick(self) -> None:
        self._pending += 1
        if self._pending >= self._commit_every or time.monotonic() - self._last_commit > 1.0:
            self.commit()

    def commit(self) -> None:
        """Commit what was written so far (a killed run loses at most the last few rows)."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self._pending = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        """Commit and close."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.close()


def read_prepared(path: Path, config: str, hashes: list[str]) -> dict[str, bytes]:
    """The prepared inputs kept in the store at ``path`` for the analyses of ``hashes`` made with ``config`` (content
    hash → bytes), read through a read-only connection of its own (a process of the checks, or last year's store);
    empty when the store cannot be read or keeps none (a store of an earlier version)."""
    return read_by_keys(path, "SELECT sha256, data FROM prepared WHERE config = ? AND sha256 IN", hashes, config)


def read_by_keys(path: Path, select: str, keys: list[str], *leading: object) -> dict[str, bytes]:
    """The rows (key → value) that ``select``, a query ending in "IN", gives for ``keys`` (asked 500 at a time, after
    the ``leading`` parameters) from the store at ``path``, through a read-only connection of its own; empty when the
    store cannot be read or lacks the table (a store of an earlier version)."""
    if not keys:
        return {}
    try:
        db = _reader(path)
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(db.execute(f"{select} ({marks})", (*leading, *chunk)).fetchall())
        return found
    except (OSError, sqlite3.Error):
        return {}


READERS_KEPT = 4  # read-only connections a thread keeps open (this year's and last year's store, and a few more)
READER_MMAP_BYTES = 1 << 28  # the store read through memory mapping, not one read call a page


_readers = threading.local()


def close_readers() -> None:
    """Close the read-only connections this thread keeps (:func:`read_by_keys`): a batch closes them before its store,
    so that the last connection to close leaves no write-ahead log beside the store."""
    kept: dict = _readers.__dict__.get("kept", {})
    while kept:
        kept.pop(next(iter(kept))).close()


def _reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the store at ``path``, kept open by this thread for the next read (the checks read a
    unit's rows at a time: one connection, not one a unit). It is kept by the file's identity (device and inode, which
    its open file holds): a store replaced since at the same path gets a connection of its own."""
    resolved = path.resolve()
    status = resolved.stat()
    key = (str(resolved), status.st_dev, status.st_ino)
    kept: dict[tuple[str, int, int], sqlite3.Connection] = _readers.__dict__.setdefault("kept", {})
    db = kept.pop(key, None)
    if db is None:
        for stale in [k for k in kept if k[0] == key[0]]:  # the store that was at this path before: let it go
            kept.pop(stale).close()
        db = sqlite3.connect(f"{resolved.as_uri()}?mode=ro", uri=True)
        db.execute(f"PRAGMA mmap_size={READER_MMAP_BYTES}")
    kept[key] = db  # the latest used last
    while len(kept) > READERS_KEPT:
        kept.pop(next(iter(kept))).close()
    return db
