"""Results store: scored calls kept across runs in an embedded SQLite file.

One row per call (key ``call_id``; rescoring a call replaces its row), its check rows, the
runs that produced them, and every result of every run (scored or error) for the run's
history. See ``docs/store.md`` for the schema and the rules.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from qa_scoring import __version__
from qa_scoring.errors import QAScoringError

SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 30_000
PARAMETERS = ("akurasi", "salam_penutup", "fcr")
WIB = timezone(timedelta(hours=7), "WIB")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def is_postgres_url(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL store (``postgresql://...``) rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def default_db() -> str | Path:
    """The store to use when none is named: ``$QA_SCORING_DB`` (a path or a PostgreSQL URL), else the default path."""
    explicit = os.environ.get("QA_SCORING_DB")
    if explicit and is_postgres_url(explicit):
        return explicit
    return default_db_path()


def default_db_path() -> Path:
    """Where the store lives: ``$QA_SCORING_DB``, else under ``$XDG_DATA_HOME`` or ``~/.local/share``."""
    explicit = os.environ.get("QA_SCORING_DB")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "qa-scoring" / "results.sqlite"


def check_month(month: str) -> str:
    """Return ``month`` if it is ``YYYY-MM``; raise ``QAScoringError`` otherwise."""
    if not isinstance(month, str) or not _MONTH.match(month):
        raise QAScoringError(f"month must be YYYY-MM, got {month!r}")
    return month


def shift_month(month: str, delta: int) -> str:
    """The month ``delta`` months after ``month`` (negative: before)."""
    year, mon = (int(part) for part in check_month(month).split("-"))
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def local_call_date(call_start: object) -> date | None:
    """The local date of a ``call_start`` as written (its own offset; none means WIB; ``Z`` becomes WIB).

    ``None`` when the value is missing or not an ISO 8601 date-time.
    """
    if not isinstance(call_start, str) or not call_start.strip():
        return None
    text = call_start.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if text.endswith(("Z", "z")):
        moment = moment.astimezone(WIB)
    return moment.date()


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_V1 = (
    """CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        tool_version  TEXT NOT NULL,
        rules_version TEXT,
        sources       TEXT NOT NULL DEFAULT '[]',
        calls         INTEGER,
        errors        INTEGER
    )""",
    """CREATE TABLE calls (
        call_id       TEXT PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs(id),
        rules_version TEXT,
        recorded_at   TEXT NOT NULL,
        source        TEXT,
        agent_id      TEXT,
        agent_name    TEXT,
        team          TEXT,
        call_start    TEXT,
        call_date     TEXT,
        month         TEXT,
        score         REAL,
        akurasi       INTEGER,
        salam_penutup INTEGER,
        fcr           INTEGER,
        parameters    TEXT NOT NULL DEFAULT '{}',
        result        TEXT NOT NULL
    )""",
    "CREATE INDEX calls_month ON calls(month, team)",
    "CREATE INDEX calls_run ON calls(run_id)",
    """CREATE TABLE checks (
        call_id   TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        check_id  TEXT NOT NULL,
        outcome   TEXT NOT NULL,
        reason    TEXT,
        sop       TEXT,
        evidence  TEXT,
        PRIMARY KEY (call_id, position)
    )""",
    "CREATE INDEX checks_outcome ON checks(check_id, outcome)",
    """CREATE TABLE run_results (
        run_id      INTEGER NOT NULL REFERENCES runs(id),
        seq         INTEGER NOT NULL,
        call_id     TEXT,
        source      TEXT,
        status      TEXT NOT NULL,
        score       REAL,
        error       TEXT,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    )""",
    "CREATE INDEX run_results_call ON run_results(call_id)",
)


# A connection: sqlite3.Connection, or store_pg's adapter with the same execute(sql, args) and ? placeholders.
Connection = Any


def _migrate_v1(db: Connection) -> None:
    # One statement at a time: executescript() would commit the surrounding transaction.
    for statement in _V1:
        db.execute(statement)


# Migration n (1-based) brings a store from user_version n-1 to n. Append, never edit.
def _migrate_v2(db: Connection) -> None:
    # The reason in Bahasa Indonesia beside the English one.
    db.execute("ALTER TABLE checks ADD COLUMN reason_id TEXT")


def _migrate_v3(db: Connection) -> None:
    # Every run gets an id of its own across stores, so that `store copy` knows a run it copied before.
    db.execute("ALTER TABLE runs ADD COLUMN uid TEXT")
    for (run_id,) in db.execute("SELECT id FROM runs").fetchall():
        db.execute("UPDATE runs SET uid = ? WHERE id = ?", (uuid.uuid4().hex, run_id))
    db.execute("CREATE UNIQUE INDEX runs_uid ON runs(uid)")


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_migrate_v1, _migrate_v2, _migrate_v3)


class ResultStore:
    """Scored calls and run history in one SQLite file, safe for concurrent writers.

    The SQLite implementation of the store; ``qa_scoring.store_pg.PostgresStore`` is the
    PostgreSQL one. Both run the same SQL (``?`` placeholders, standard SQL); what differs
    (connecting, the schema version, locks, DDL types) is in the methods marked *backend*.
    """

    begin_sql = "BEGIN IMMEDIATE"

    def __init__(self, path: Path) -> None:
        """Open (creating the file and schema if needed) the store at ``path``."""
        self.path = Path(path)
        self.location = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db: Connection = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise QAScoringError(f"{self.path}: cannot open results store ({exc})") from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._set_wal()
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise QAScoringError(f"{self.path}: not a usable results store ({exc})") from exc
        except BaseException:
            self._db.close()
            raise

    # -- connection and schema -------------------------------------------------------------

    def _set_wal(self) -> None:
        # Switching to WAL takes a short exclusive lock; two processes opening a new file at
        # once may see SQLITE_BUSY here without the busy handler, so retry a little.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self._db.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise QAScoringError(
                f"{self.location}: results store has schema version {version}, this qa-scoring "
                f"({__version__}) knows up to {SCHEMA_VERSION}; upgrade qa-scoring"
            )
        if version == SCHEMA_VERSION:
            return
        with self._schema_lock(), self._transaction():
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = self.schema_version()
            for number in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[number - 1](self._db)
            self._set_schema_version(SCHEMA_VERSION)

    def schema_version(self) -> int:
        """The schema version written in the file (``PRAGMA user_version``). *Backend.*"""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _set_schema_version(self, version: int) -> None:
        """Write the schema version, inside the migration's transaction. *Backend.*"""
        self._db.execute(f"PRAGMA user_version = {int(version)}")

    def _schema_lock(self) -> AbstractContextManager[None]:
        """Hold off other migrating processes (SQLite: the migration's BEGIN IMMEDIATE does). *Backend.*"""
        return nullcontext()

    def _is_missing_run(self, exc: Exception) -> bool:
        """Whether ``exc`` is the foreign-key error of a result recorded for a run that does not exist. *Backend.*"""
        return isinstance(exc, sqlite3.IntegrityError) and "FOREIGN KEY" in str(exc)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """One short write transaction: ``begin_sql``, commit, or roll back on any exception."""
        self._db.execute(self.begin_sql)
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def start_run(self, *, rules_version: str | None, sources: Sequence[str] = ()) -> int:
        """Record the start of a scoring run; returns its id."""
        with self._transaction() as db:
            row = db.execute(
                "INSERT INTO runs (uid, started_at, tool_version, rules_version, sources) VALUES (?, ?, ?, ?, ?)"
                " RETURNING id",
                (uuid.uuid4().hex, _utc_now(), __version__, rules_version, json.dumps([str(s) for s in sources])),
            ).fetchone()
        return int(row[0])

    def record(self, run_id: int, result: dict[str, Any]) -> None:
        """Store one JSON Lines result (``scored`` or ``error``) of run ``run_id``, as one transaction.

        A scored call replaces the stored result of the same ``call_id`` unless that one came
        from a newer run. An error result is kept in the run's history only.
        """
        status = result.get("status")
        if status not in ("scored", "error"):
            raise QAScoringError(f"result status must be 'scored' or 'error', got {status!r}")
        call_id = result.get("call_id")
        if status == "scored" and not (isinstance(call_id, str) and call_id):
            raise QAScoringError("a scored result needs a call_id")
        now = _utc_now()
        call_row = self._call_row(run_id, result, now) if status == "scored" else None
        check_rows = self._check_rows(result) if status == "scored" else []
        try:
            with self._transaction() as db:
                seq = db.execute(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM run_results WHERE run_id = ?", (run_id,)
                ).fetchone()[0]
                db.execute(
                    "INSERT INTO run_results (run_id, seq, call_id, source, status, score, error,"
                    " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        seq,
                        None if call_id is None else str(call_id),
                        _text(result.get("source")),
                        status,
                        _number(result.get("score")),
                        _text(result.get("error")),
                        now,
                    ),
                )
                if call_row is None:
                    return
                if self._write_call(db, call_row):  # else a newer run already scored this call
                    self._write_checks(db, call_id, check_rows)
        except Exception as exc:
            if self._is_missing_run(exc):
                raise QAScoringError(f"{self.location}: no run with id {run_id}") from exc
            raise

    def finish_run(self, run_id: int, *, calls: int, errors: int) -> None:
        """Mark run ``run_id`` finished with its call and error counts."""
        with self._transaction() as db:
            cur = db.execute(
                "UPDATE runs SET finished_at = ?, calls = ?, errors = ? WHERE id = ?",
                (_utc_now(), calls, errors, run_id),
            )
            if cur.rowcount == 0:
                raise QAScoringError(f"{self.location}: no run with id {run_id}")

    @staticmethod
    def _call_row(run_id: int, result: dict[str, Any], now: str) -> dict[str, Any]:
        parameters = result.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise QAScoringError(f"call {result.get('call_id')}: parameters must be an object")
        call_date = local_call_date(result.get("call_start"))
        row: dict[str, Any] = {
            "call_id": result["call_id"],
            "run_id": run_id,
            "rules_version": _text(result.get("rules_version")),
            "recorded_at": now,
            "source": _text(result.get("source")),
            "agent_id": _text(result.get("agent_id")),
            "agent_name": _text(result.get("agent_name")),
            "team": _text(result.get("team")),
            "call_start": _text(result.get("call_start")),
            "call_date": call_date.isoformat() if call_date else None,
            "month": call_date.isoformat()[:7] if call_date else None,
            "score": _number(result.get("score")),
            "parameters": json.dumps(parameters, ensure_ascii=False),
            "result": json.dumps(result, ensure_ascii=False),
        }
        for name in PARAMETERS:
            value = parameters.get(name)
            row[name] = None if value is None else int(bool(value))
        return row

    @staticmethod
    def _check_rows(result: dict[str, Any]) -> list[tuple[Any, ...]]:
        rows = []
        for position, check in enumerate(result.get("checks") or []):
            if not isinstance(check, dict) or "id" not in check or "outcome" not in check:
                raise QAScoringError(f"call {result.get('call_id')}: check {position} needs an id and an outcome")
            evidence = check.get("evidence")
            rows.append(
                (
                    position,
                    str(check["id"]),
                    str(check["outcome"]),
                    _text(check.get("reason")),
                    _text(check.get("reason_id")),
                    _text(check.get("sop")),
                    None if evidence is None else json.dumps(evidence, ensure_ascii=False),
                )
            )
        return rows

    @staticmethod
    def _write_call(db: Any, row: dict[str, Any]) -> bool:
        """Insert or replace the call row, unless a newer run holds it; whether it was written."""
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "call_id")
        cur = db.execute(
            f"INSERT INTO calls ({columns}) VALUES ({marks}) ON CONFLICT(call_id) DO UPDATE SET {updates}"
            " WHERE calls.run_id <= excluded.run_id",
            tuple(row.values()),
        )
        return bool(cur.rowcount)

    @staticmethod
    def _write_checks(db: Any, call_id: str, rows: list[tuple[Any, ...]]) -> None:
        db.execute("DELETE FROM checks WHERE call_id = ?", (call_id,))
        db.executemany(
            "INSERT INTO checks (call_id, position, check_id, outcome, reason, reason_id, sop, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(call_id, *row) for row in rows],
        )

    # -- queries ---------------------------------------------------------------------------

    def month_calls(self, month: str, team: str | None = None) -> list[dict[str, Any]]:
        """The scored calls whose local call date falls in ``month`` (``YYYY-MM``), optionally of one team.

        Each dict: ``call_id, source, run_id, rules_version, agent_id, agent_name, team,
        call_start, date, month, score, parameters, checks, failed_checks``; ordered by date
        and call id.
        """
        check_month(month)
        sql = (
            "SELECT call_id, source, run_id, rules_version, agent_id, agent_name, team, call_start,"
            " call_date, month, score, parameters FROM calls WHERE month = ?"
        )
        args: list[Any] = [month]
        sql, args = _and_team(sql, args, team, "team")
        sql += " ORDER BY call_date, call_start, call_id"
        calls: list[dict[str, Any]] = []
        by_id: dict[str, dict[str, Any]] = {}
        for row in self._db.execute(sql, args):
            call = {
                "call_id": row[0],
                "source": row[1],
                "run_id": row[2],
                "rules_version": row[3],
                "agent_id": row[4],
                "agent_name": row[5],
                "team": row[6],
                "call_start": row[7],
                "date": row[8],
                "month": row[9],
                "score": row[10],
                "parameters": json.loads(row[11]),
                "checks": [],
                "failed_checks": [],
            }
            calls.append(call)
            by_id[call["call_id"]] = call
        check_sql = (
            "SELECT c.call_id, c.check_id, c.outcome, c.reason, c.reason_id, c.sop, c.evidence FROM checks c"
            " JOIN calls k ON k.call_id = c.call_id WHERE k.month = ?"
        )
        if team is not None:
            check_sql += " AND k.team = ?"
        check_sql += " ORDER BY c.call_id, c.position"
        for call_id, check_id, outcome, reason, reason_id, sop, evidence in self._db.execute(check_sql, args):
            call = by_id.get(call_id)
            if call is None:
                continue
            call["checks"].append(
                {
                    "id": check_id,
                    "outcome": outcome,
                    "reason": reason,
                    "reason_id": reason_id or "",
                    "sop": sop,
                    "evidence": None if evidence is None else json.loads(evidence),
                }
            )
            if outcome == "fail":
                call["failed_checks"].append(check_id)
        return calls

    def months(self) -> list[str]:
        """The months (``YYYY-MM``) that hold at least one placed scored call, oldest first."""
        rows = self._db.execute("SELECT DISTINCT month FROM calls WHERE month IS NOT NULL ORDER BY month")
        return [row[0] for row in rows]

    # -- monthly aggregates (computed in SQL; nothing per call is held in Python) ---------------

    def teams(self) -> list[str | None]:
        """Every team name the store holds (``None`` for calls without a team), sorted."""
        rows = self._db.execute("SELECT DISTINCT team FROM calls")
        return sorted((row[0] for row in rows), key=lambda t: (t is None, (t or "").casefold()))

    def agent_figures(self, months: Sequence[str], team: str | None = None) -> list[dict[str, Any]]:
        """Figures per month, team and agent: calls, compliant and assessed calls per parameter, score sum.

        An agent is its ``agent_id`` (else its name). Each dict: ``month, team, agent, agent_id,
        agent_name, calls, score_sum, scored, non_compliant`` (calls failing a parameter) and
        ``<parameter>_ok`` / ``<parameter>_n`` per parameter.
        """
        for month in months:
            check_month(month)
        if not months:
            return []
        params = "".join(f", SUM({p}), COUNT({p})" for p in PARAMETERS)
        failing = " OR ".join(f"{p} = 0" for p in PARAMETERS)
        marks = ", ".join("?" for _ in months)
        sql = (
            "SELECT month, team, COALESCE(agent_id, agent_name), MAX(agent_id), MAX(agent_name), COUNT(*),"
            f" COALESCE(SUM(score), 0), COUNT(score), SUM(CASE WHEN {failing} THEN 1 ELSE 0 END){params}"
            f" FROM calls WHERE month IN ({marks})"
        )
        args: list[Any] = list(months)
        sql, args = _and_team(sql, args, team, "team")
        sql += " GROUP BY month, team, COALESCE(agent_id, agent_name)"
        keys = ["month", "team", "agent", "agent_id", "agent_name", "calls", "score_sum", "scored", "non_compliant"]
        keys += [f"{p}_{part}" for p in PARAMETERS for part in ("ok", "n")]
        return [dict(zip(keys, row, strict=True)) for row in self._db.execute(sql, args)]

    def check_fails(self, month: str, team: str | None = None) -> list[tuple[str | None, str | None, str, int]]:
        """``(team, agent, check_id, calls failed)`` for every check that failed in ``month``."""
        check_month(month)
        sql = (
            "SELECT k.team, COALESCE(k.agent_id, k.agent_name), c.check_id, COUNT(*) FROM checks c"
            " JOIN calls k ON k.call_id = c.call_id WHERE k.month = ? AND c.outcome = 'fail'"
        )
        args: list[Any] = [month]
        sql, args = _and_team(sql, args, team, "k.team")
        sql += " GROUP BY k.team, COALESCE(k.agent_id, k.agent_name), c.check_id"
        return [(row[0], row[1], row[2], int(row[3])) for row in self._db.execute(sql, args)]

    def non_compliant_calls(
        self, month: str, team: str | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """The calls of ``month`` that fail a parameter, grouped by team and agent, then in time order.

        Streamed from the database, the first ``limit`` only when given. Each dict: ``call_id,
        source, rules_version, agent_id, agent_name, team, call_start, date, score, parameters,
        failed`` (the failed check dicts).
        """
        check_month(month)
        failing = " OR ".join(f"{p} = 0" for p in PARAMETERS)
        order = (
            "team IS NULL, team, COALESCE(agent_name, agent_id) IS NULL, COALESCE(agent_name, agent_id), agent_id,"
            " call_date, call_start, call_id"
        )
        picked = (
            "SELECT call_id, source, rules_version, agent_id, agent_name, team, call_start, call_date, score,"
            f" parameters, ROW_NUMBER() OVER (ORDER BY {order}) AS seq FROM calls WHERE month = ? AND ({failing})"
        )
        picked, args = _and_team(picked, [month], team, "team")
        picked += " ORDER BY seq"
        if limit is not None:
            picked += " LIMIT ?"
            args.append(limit)
        sql = (
            f"WITH k AS ({picked}) SELECT k.call_id, k.source, k.rules_version, k.agent_id, k.agent_name, k.team,"
            " k.call_start, k.call_date, k.score, k.parameters, c.check_id, c.reason, c.reason_id, c.evidence FROM k"
            " LEFT JOIN checks c ON c.call_id = k.call_id AND c.outcome = 'fail' ORDER BY k.seq, c.position"
        )
        call: dict[str, Any] | None = None
        for row in self._db.execute(sql, args):
            if call is None or call["call_id"] != row[0]:
                if call is not None:
                    yield call
                call = {
                    "call_id": row[0],
                    "source": row[1],
                    "rules_version": row[2],
                    "agent_id": row[3],
                    "agent_name": row[4],
                    "team": row[5],
                    "call_start": row[6],
                    "date": row[7],
                    "score": row[8],
                    "parameters": json.loads(row[9]),
                    "failed": [],
                }
            if row[10] is not None:
                call["failed"].append(
                    {
                        "id": row[10],
                        "outcome": "fail",
                        "reason": row[11],
                        "reason_id": row[12] or "",
                        "evidence": None if row[13] is None else json.loads(row[13]),
                    }
                )
        if call is not None:
            yield call

    def run_summary(self, month: str, team: str | None = None) -> tuple[list[str], list[int]]:
        """The rules versions and the run ids behind the calls of ``month``."""
        check_month(month)
        sql = "SELECT DISTINCT rules_version, run_id FROM calls WHERE month = ?"
        args: list[Any] = [month]
        sql, args = _and_team(sql, args, team, "team")
        rows = self._db.execute(sql, args).fetchall()
        return sorted({r[0] for r in rows if r[0]}), sorted({int(r[1]) for r in rows if r[1] is not None})

    def undated_calls(self, team: str | None = None) -> int:
        """How many stored scored calls have no usable ``call_start`` and so belong to no month."""
        sql, args = _and_team("SELECT COUNT(*) FROM calls WHERE month IS NULL", [], team, "team")
        return int(self._db.execute(sql, args).fetchone()[0])

    def runs(self) -> list[dict[str, Any]]:
        """The run history, oldest first, with the number of scored and error results recorded."""
        rows = self._db.execute(
            "SELECT r.id, r.started_at, r.finished_at, r.tool_version, r.rules_version, r.sources,"
            " r.calls, r.errors,"
            " (SELECT COUNT(*) FROM run_results x WHERE x.run_id = r.id AND x.status = 'scored'),"
            " (SELECT COUNT(*) FROM run_results x WHERE x.run_id = r.id AND x.status = 'error')"
            " FROM runs r ORDER BY r.id"
        )
        keys = (
            "id", "started_at", "finished_at", "tool_version", "rules_version", "sources",
            "calls", "errors", "scored_recorded", "errors_recorded",
        )  # fmt: skip
        out = []
        for row in rows:
            run = dict(zip(keys, row, strict=True))
            run["sources"] = json.loads(run["sources"])
            out.append(run)
        return out

    def size_bytes(self) -> int:
        """The store's size on disk. *Backend.*"""
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())

    def info(self) -> dict[str, Any]:
        """What ``qa-scoring store info`` shows: where, schema version, size, runs, calls per month."""
        months = self._db.execute(
            "SELECT month, COUNT(*), COUNT(DISTINCT team), COUNT(DISTINCT COALESCE(agent_id, agent_name)) FROM calls"
            " WHERE month IS NOT NULL GROUP BY month ORDER BY month"
        ).fetchall()
        runs = self._db.execute("SELECT COUNT(*), MAX(started_at) FROM runs").fetchone()
        return {
            "location": self.location,
            "schema_version": self.schema_version(),
            "size_bytes": self.size_bytes(),
            "runs": int(runs[0]),
            "last_run": runs[1],
            "calls": int(self._db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]),
            "undated": self.undated_calls(),
            "months": [{"month": m, "calls": int(n), "teams": int(t), "agents": int(a)} for m, n, t, a in months],
        }

    def copy_from(self, source: ResultStore) -> dict[str, int]:
        """Copy every run, result, call and check of ``source`` into this store, without duplicates.

        A run is known by its ``uid``: a run copied before is skipped, so copying twice adds
        nothing. A call held by both stores keeps the newer result (by when it was recorded).
        Each run is copied in one transaction.
        Returns counts: ``runs`` copied, ``runs_skipped``, ``results``, ``calls`` written.
        """
        counts = {"runs": 0, "runs_skipped": 0, "results": 0, "calls": 0}
        run_cols = ("uid", "started_at", "finished_at", "tool_version", "rules_version", "sources", "calls", "errors")
        for run in source._db.execute(f"SELECT id, {', '.join(run_cols)} FROM runs ORDER BY id").fetchall():
            source_id, values = run[0], dict(zip(run_cols, run[1:], strict=True))
            with self._transaction() as db:
                if db.execute("SELECT 1 FROM runs WHERE uid = ?", (values["uid"],)).fetchone() is not None:
                    counts["runs_skipped"] += 1
                    continue
                marks = ", ".join("?" for _ in run_cols)
                insert = f"INSERT INTO runs ({', '.join(run_cols)}) VALUES ({marks}) RETURNING id"
                run_id = int(db.execute(insert, tuple(values.values())).fetchone()[0])
                counts["runs"] += 1
                counts["results"] += self._copy_results(source, source_id, run_id)
                counts["calls"] += self._copy_calls(source, source_id, run_id)
        return counts

    def _copy_results(self, source: ResultStore, source_run: int, run_id: int) -> int:
        cols = ("seq", "call_id", "source", "status", "score", "error", "recorded_at")
        rows = source._db.execute(f"SELECT {', '.join(cols)} FROM run_results WHERE run_id = ?", (source_run,))
        n = 0
        for row in rows:
            self._db.execute(
                f"INSERT INTO run_results (run_id, {', '.join(cols)}) VALUES (?, {', '.join('?' for _ in cols)})",
                (run_id, *row),
            )
            n += 1
        return n

    def _copy_calls(self, source: ResultStore, source_run: int, run_id: int) -> int:
        cur = source._db.execute("SELECT * FROM calls WHERE run_id = ?", (source_run,))
        names = [d[0] for d in cur.description]
        n = 0
        for values in cur.fetchall():
            row = dict(zip(names, values, strict=True), run_id=run_id)
            updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "call_id")
            written = self._db.execute(
                f"INSERT INTO calls ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
                f" ON CONFLICT(call_id) DO UPDATE SET {updates} WHERE calls.recorded_at < excluded.recorded_at",
                tuple(row.values()),
            ).rowcount
            if not written:
                continue
            checks = source._db.execute(
                "SELECT position, check_id, outcome, reason, reason_id, sop, evidence FROM checks WHERE call_id = ?"
                " ORDER BY position",
                (row["call_id"],),
            ).fetchall()
            self._write_checks(self._db, row["call_id"], [tuple(c) for c in checks])
            n += 1
        return n

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer (``"ok"`` when sound). *Backend.*"""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])


def open_store(target: str | Path | None = None, *, must_exist: bool = False) -> ResultStore:
    """Open the store ``target`` names: a PostgreSQL URL or a SQLite file (default: ``default_db()``).

    With ``must_exist`` a SQLite file that is not there is an error instead of a new store.
    """
    target = default_db() if target is None else target
    if is_postgres_url(str(target)):
        from qa_scoring.store_pg import PostgresStore  # optional extra: pip install qa-scoring[postgres]

        return PostgresStore(str(target))
    path = Path(target).expanduser()
    if must_exist and not path.is_file():
        raise QAScoringError(f"no results store at {path}; pass --db or set QA_SCORING_DB")
    return ResultStore(path)


def _and_team(sql: str, args: list[Any], team: str | None, column: str) -> tuple[str, list[Any]]:
    """``sql`` and ``args`` narrowed to one team's calls when ``team`` is given."""
    return (sql, args) if team is None else (f"{sql} AND {column} = ?", [*args, team])


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
