"""The feedback store: reviewers' decisions in one local SQLite file, safe for several processes writing.

- The file is created on the first write only (mode 0600), with a ``schema_version`` table; reads of a file that
  does not exist yet see an empty store and create nothing. Its folder must exist.
- WAL journal and a busy timeout, so the API's workers, the CLI and batch can write at the same time; every write
  is one ``BEGIN IMMEDIATE`` transaction; every query is parameterised.
- **Replacement.** A decision is identified by (report hash, rule, finding start, finding end, evidence start,
  evidence end); the evidence's offsets, in the other report a ``cross_report`` finding quotes, are -1 in the file
  for every other finding (``None`` in :class:`FeedbackDecision`). A later decision on the same finding replaces the
  earlier one (a reviewer who changes their mind); one whose time is older
  than the stored one is ignored, so decisions arriving out of order keep the most recent.
- **Versions.** Store version 2 added the evidence's offsets. A version-1 file is read as it is (every
  decision without evidence) and upgraded in place, in the transaction of its first write by this version.
- Nothing here logs, and no error message repeats a sentence or a note.

A ``None`` path means feedback is off: :func:`open_store` returns ``None``, :func:`record` keeps nothing and
:func:`dismissed_for` finds nothing, and no file is touched.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from nlp.errors import FeedbackDecisionError, FeedbackStoreError
from nlp.feedback.model import FeedbackDecision, Verdict, validated

STORE_VERSION = 2
NO_EVIDENCE = -1  # the evidence columns of a finding that quotes no other report
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, UTC: text order is time order
_COLUMNS = (
    "report_hash",
    "rule",
    "finding_start",
    "finding_end",
    "evidence_start",
    "evidence_end",
    "category",
    "kind",
    "sentence",
    "sentence_start",
    "sentence_end",
    "section",
    "decision",
    "note",
    "model",
    "version",
    "config_hash",
    "schema_version",
    "created_at",
)
_KEY = _COLUMNS[:6]
_DECISIONS = """CREATE TABLE IF NOT EXISTS decisions (
        report_hash TEXT NOT NULL,
        rule TEXT NOT NULL,
        finding_start INTEGER NOT NULL,
        finding_end INTEGER NOT NULL,
        evidence_start INTEGER NOT NULL DEFAULT -1,
        evidence_end INTEGER NOT NULL DEFAULT -1,
        category TEXT NOT NULL,
        kind TEXT,
        sentence TEXT NOT NULL,
        sentence_start INTEGER NOT NULL,
        sentence_end INTEGER NOT NULL,
        section TEXT,
        decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
        note TEXT,
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        config_hash TEXT,
        schema_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (report_hash, rule, finding_start, finding_end, evidence_start, evidence_end)
    )"""
_INDEX = "CREATE INDEX IF NOT EXISTS decisions_rule ON decisions (rule, decision)"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", _DECISIONS, _INDEX)
_V1_COLUMNS = tuple(c for c in _COLUMNS if not c.startswith("evidence_"))
#: Version 1 → 2: the key gains the evidence's offsets (SQLite changes a primary key by copying the table).
_UPGRADE_FROM_1 = (
    "DROP INDEX IF EXISTS decisions_rule",
    "ALTER TABLE decisions RENAME TO decisions_v1",
    _DECISIONS,
    f"INSERT INTO decisions ({', '.join(_V1_COLUMNS)}) SELECT {', '.join(_V1_COLUMNS)} FROM decisions_v1",
    "DROP TABLE decisions_v1",
    _INDEX,
    f"UPDATE schema_version SET version = {STORE_VERSION}",
)
_UPSERT = (
    f"INSERT INTO decisions ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
    f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[len(_KEY) :])
    + " WHERE excluded.created_at >= decisions.created_at"
)


class StoreStats(BaseModel):
    """What a store holds, in counts (no text)."""

    decisions: int
    confirmed: int
    dismissed: int
    reports: int
    rules: int
    first: datetime | None
    last: datetime | None
    store_version: int | None


def _row(decision: FeedbackDecision) -> tuple[object, ...]:
    return (
        decision.report_hash,
        decision.rule,
        decision.start,
        decision.end,
        NO_EVIDENCE if decision.evidence_start is None else decision.evidence_start,
        NO_EVIDENCE if decision.evidence_end is None else decision.evidence_end,
        decision.category,
        decision.kind,
        decision.sentence,
        decision.sentence_start,
        decision.sentence_end,
        decision.section,
        decision.decision,
        decision.note,
        decision.model,
        decision.version,
        decision.config_hash,
        decision.schema_version,
        decision.created_at.astimezone(UTC).strftime(TIME_FORMAT),
    )


def _decision(row: sqlite3.Row) -> FeedbackDecision:
    data = dict(zip(_COLUMNS, row, strict=True))
    data["start"] = data.pop("finding_start")
    data["end"] = data.pop("finding_end")
    for column in ("evidence_start", "evidence_end"):
        if data[column] == NO_EVIDENCE:
            data[column] = None
    data["created_at"] = _time(data["created_at"])
    try:
        return validated(data)
    except FeedbackDecisionError as exc:
        raise FeedbackStoreError(f"a stored decision is invalid: {exc.detail}") from None


def _time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def _selected(version: int) -> str:
    """The columns of a query on a store of ``version`` (a version-1 file has no evidence columns: -1 for them)."""
    if version >= 2:
        return ", ".join(_COLUMNS)
    return ", ".join(f"{NO_EVIDENCE} AS {c}" if c.startswith("evidence_") else c for c in _COLUMNS)


_RETRY_PAUSE = 0.05  # seconds between two asks for the WAL switch that SQLite refused at once


class FeedbackStore:
    """Reviewers' decisions in the SQLite file at ``path`` (see the module docstring)."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout

    # -- connections --------------------------------------------------------------------------------------------
    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise FeedbackStoreError(f"{self.path}: cannot be opened ({type(exc).__name__})") from None
        try:
            yield connection
        except sqlite3.DatabaseError as exc:
            raise FeedbackStoreError(f"{self.path}: {type(exc).__name__}: {exc}") from None
        finally:
            connection.close()

    def _create_file(self) -> None:
        if not self.path.parent.is_dir():
            raise FeedbackStoreError(f"{self.path}: its folder does not exist")
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass  # another process created it first
        except OSError as exc:
            raise FeedbackStoreError(f"{self.path}: cannot be created ({type(exc).__name__})") from None

    def _version(self, connection: sqlite3.Connection) -> int | None:
        """The store's schema version; ``None`` for a file with no tables yet; an error for a foreign file."""
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return None
        if "schema_version" not in tables or "decisions" not in tables:
            raise FeedbackStoreError(f"{self.path}: not a kiemdiem feedback store")
        row = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
        version = row[0] if row else None
        if version is None:
            return None
        if version > STORE_VERSION:
            raise FeedbackStoreError(f"{self.path}: store version {version}, newer than this kiemdiem reads")
        return int(version)

    def _write_ahead(self, connection: sqlite3.Connection) -> None:
        """The store in WAL mode (readers never wait for a writer). Two processes opening a new store at once may both
        ask for the switch; SQLite then refuses one at once, without waiting (its busy timeout does not apply to
        that deadlock), so the switch is asked again until the store's timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if connection.execute("PRAGMA journal_mode").fetchall()[0][0] != "wal":
                    connection.execute("PRAGMA journal_mode = WAL").fetchall()
                return
            except sqlite3.OperationalError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(_RETRY_PAUSE)

    # -- writing ------------------------------------------------------------------------------------------------
    def add(self, decision: FeedbackDecision) -> bool:
        """Keep ``decision``, replacing an earlier one on the same finding; ``False`` if a newer one is kept."""
        if not self.path.exists():
            self._create_file()
        with self._connection() as connection:
            self._write_ahead(connection)
            connection.execute("BEGIN IMMEDIATE")
            try:
                version = self._version(connection)
                if version is None:
                    for statement in _SCHEMA:
                        connection.execute(statement)
                    connection.execute("INSERT INTO schema_version (version) VALUES (?)", (STORE_VERSION,))
                elif version == 1:
                    for statement in _UPGRADE_FROM_1:
                        connection.execute(statement)
                changed = connection.execute(_UPSERT, _row(decision)).rowcount
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        return changed > 0

    def remove(self, report_hash: str) -> int:
        """Delete every decision on one report (a report withdrawn, a person's request); how many were deleted."""
        if not self.path.exists():
            return 0
        with self._connection() as connection:
            if self._version(connection) is None:
                return 0
            return connection.execute("DELETE FROM decisions WHERE report_hash = ?", (report_hash,)).rowcount

    # -- reading ------------------------------------------------------------------------------------------------
    def decisions(
        self, *, report_hash: str | None = None, rule: str | None = None, decision: Verdict | None = None
    ) -> list[FeedbackDecision]:
        """The stored decisions, filtered by report hash, rule and decision, in report and text order."""
        if not self.path.exists():
            return []
        filters = {"report_hash": report_hash, "rule": rule, "decision": decision}
        where = [f"{column} = ?" for column, value in filters.items() if value is not None]
        with self._connection() as connection:
            version = self._version(connection)
            if version is None:
                return []
            query = f"SELECT {_selected(version)} FROM decisions"
            if where:
                query += " WHERE " + " AND ".join(where)
            query += " ORDER BY report_hash, finding_start, finding_end, rule, evidence_start, evidence_end"
            rows = connection.execute(query, [v for v in filters.values() if v is not None]).fetchall()
        return [_decision(row) for row in rows]

    def dismissed_for(self, report_hash: str) -> list[FeedbackDecision]:
        """The findings reviewers dismissed in the report whose text hashes to ``report_hash`` (for the page and
        batch ``--resume``: match a finding by :attr:`FeedbackDecision.key`)."""
        return self.decisions(report_hash=report_hash, decision="dismiss")

    def stats(self) -> StoreStats:
        """Counts of decisions, reports and rules, and the first and last decision's time."""
        empty = StoreStats(
            decisions=0, confirmed=0, dismissed=0, reports=0, rules=0, first=None, last=None, store_version=None
        )
        if not self.path.exists():
            return empty
        with self._connection() as connection:
            version = self._version(connection)
            if version is None:
                return empty
            total, confirmed, reports, rules, first, last = connection.execute(
                "SELECT COUNT(*), COALESCE(SUM(decision = 'confirm'), 0), COUNT(DISTINCT report_hash),"
                " COUNT(DISTINCT rule), MIN(created_at), MAX(created_at) FROM decisions"
            ).fetchone()
        return StoreStats(
            decisions=total,
            confirmed=confirmed,
            dismissed=total - confirmed,
            reports=reports,
            rules=rules,
            first=_time(first) if first else None,
            last=_time(last) if last else None,
            store_version=version,
        )


def open_store(path: str | Path | None) -> FeedbackStore | None:
    """The store at ``path``, or ``None`` when feedback is off (no path configured)."""
    return None if path is None or str(path) == "" else FeedbackStore(path)


def record(path: str | Path | None, decision: FeedbackDecision) -> bool:
    """Keep ``decision`` in the store at ``path``; ``False`` (and nothing written) when feedback is off."""
    store = open_store(path)
    return store.add(decision) if store is not None else False


def dismissed_for(path: str | Path | None, report_hash: str) -> list[FeedbackDecision]:
    """The dismissed findings of one report; none when feedback is off."""
    store = open_store(path)
    return store.dismissed_for(report_hash) if store is not None else []
