"""Results store: scored calls kept across runs in an embedded SQLite file.

One row per call (key ``call_id``; rescoring a call replaces its row) holding its whole result
compressed, its check verdicts, the runs that produced them, and every result of every run
(scored or error) for the run's history. Results are written in batches, one transaction
each, whole calls only. See ``docs/store.md`` for the schema and the rules.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import zstandard

from qa_scoring import __version__
from qa_scoring.errors import QAScoringError
from qa_scoring.messages import MESSAGES
from qa_scoring.reports.jsonl import compact_json
from qa_scoring.scoring import parameters_from_outcomes

if TYPE_CHECKING:
    from qa_scoring.rules.ruleset import RuleSet

SCHEMA_VERSION = 7
PAGE_SIZE = 16384  # of a new SQLite file: rows of about 1.2 KB fill a 4 KiB page only three to a page
BUSY_TIMEOUT_MS = 30_000
BATCH_CALLS = 200  # record() writes its buffer in one transaction every BATCH_CALLS calls...
BATCH_SECONDS = 0.5  # ...or when the oldest buffered call is this old, whichever comes first
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


_V4 = (
    # The store's identity: a workbook carries it, so a re-import can tell another store's file.
    "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # Every auditor verdict ever imported (an override when it differs from the machine's);
    # the newest per call and check counts. The machine's verdict in ``checks`` is never touched.
    """CREATE TABLE auditor_verdicts (
        id              INTEGER PRIMARY KEY,
        call_id         TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
        check_id        TEXT NOT NULL,
        outcome         TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'na')),
        machine_outcome TEXT NOT NULL,
        rules_version   TEXT,
        auditor         TEXT NOT NULL,
        note            TEXT,
        recorded_at     TEXT NOT NULL,
        workbook        TEXT,
        sheet_row       INTEGER
    )""",
    "CREATE INDEX auditor_verdicts_call ON auditor_verdicts(call_id, check_id)",
    """CREATE VIEW current_verdicts AS
        SELECT a.* FROM auditor_verdicts a
        WHERE a.id = (SELECT MAX(b.id) FROM auditor_verdicts b
                      WHERE b.call_id = a.call_id AND b.check_id = a.check_id)""",
    # Final verdict of every stored check: the auditor's where there is one, else the machine's.
    """CREATE VIEW final_checks AS
        SELECT c.call_id, c.position, c.check_id, c.outcome AS machine_outcome,
               COALESCE(v.outcome, c.outcome) AS outcome,
               v.outcome AS auditor_outcome, v.auditor, v.note, v.recorded_at AS reviewed_at,
               v.rules_version AS reviewed_rules_version,
               CASE WHEN v.outcome IS NOT NULL AND v.outcome <> c.outcome THEN 1 ELSE 0 END AS overridden,
               CASE WHEN v.machine_outcome IS NOT NULL AND v.machine_outcome <> c.outcome
                    THEN 1 ELSE 0 END AS machine_changed
        FROM checks c
        LEFT JOIN current_verdicts v ON v.call_id = c.call_id AND v.check_id = c.check_id""",
    # Parameters and score recomputed from the final verdicts, for calls with auditor verdicts.
    """CREATE TABLE final_params (
        call_id       TEXT PRIMARY KEY REFERENCES calls(call_id) ON DELETE CASCADE,
        akurasi       INTEGER,
        salam_penutup INTEGER,
        fcr           INTEGER,
        score         REAL
    )""",
    """CREATE VIEW final_calls AS
        SELECT k.call_id, k.month, k.call_date, k.call_start, k.team, k.agent_id, k.agent_name,
               k.rules_version,
               k.akurasi AS machine_akurasi, k.salam_penutup AS machine_salam_penutup,
               k.fcr AS machine_fcr, k.score AS machine_score,
               COALESCE(f.akurasi, k.akurasi) AS akurasi,
               COALESCE(f.salam_penutup, k.salam_penutup) AS salam_penutup,
               COALESCE(f.fcr, k.fcr) AS fcr,
               COALESCE(f.score, k.score) AS score,
               (SELECT COUNT(*) FROM final_checks x
                WHERE x.call_id = k.call_id AND x.auditor_outcome IS NOT NULL) AS reviewed_checks,
               (SELECT COALESCE(SUM(x.overridden), 0) FROM final_checks x
                WHERE x.call_id = k.call_id) AS overridden_checks,
               (SELECT COALESCE(SUM(x.machine_changed), 0) FROM final_checks x
                WHERE x.call_id = k.call_id) AS machine_changed_checks
        FROM calls k LEFT JOIN final_params f ON f.call_id = k.call_id""",
    # The calls drawn for a random audit, with the seed that draws them again.
    """CREATE TABLE review_samples (
        run_id  INTEGER NOT NULL REFERENCES runs(id),
        call_id TEXT NOT NULL,
        seed    INTEGER NOT NULL,
        PRIMARY KEY (run_id, call_id)
    )""",
)


# The views over ``checks``, made again whenever a migration rebuilds what they read.
_FINAL_VIEWS = tuple(sql for sql in _V4 if sql.startswith(("CREATE VIEW final_checks", "CREATE VIEW final_calls")))


def _migrate_v4(db: Connection) -> None:
    # Auditor verdicts, final verdicts and the store's identity (see docs/review.md).
    for statement in _V4:
        db.execute(statement)
    db.execute("INSERT INTO store_meta (key, value) VALUES ('store_id', ?)", (str(uuid.uuid4()),))


_V5_CHECKS = """CREATE TABLE checks_v5 (
        call_id   TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        check_id  TEXT NOT NULL,
        outcome   TEXT NOT NULL,
        PRIMARY KEY (call_id, position)
    ) WITHOUT ROWID"""
_V5_RUN_RESULTS = """CREATE TABLE run_results_v5 (
        run_id      INTEGER NOT NULL REFERENCES runs(id),
        seq         INTEGER NOT NULL,
        call_id     TEXT,
        source      TEXT,
        status      TEXT NOT NULL,
        score       REAL,
        error       TEXT,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID"""


def _migrate_v5(db: Connection) -> None:
    # Small rows: the whole result compressed once per call (calls.detail, with a dictionary kept
    # in ``texts``), checks rows down to their verdicts, no index nobody queries (docs/store.md).
    db.execute("CREATE TABLE texts (id INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE, body BLOB NOT NULL)")
    db.execute("ALTER TABLE calls ADD COLUMN detail BLOB")
    db.execute("ALTER TABLE calls ADD COLUMN detail_dict INTEGER REFERENCES texts(id)")
    after, dictionary = "", None
    while True:
        rows = db.execute(
            "SELECT call_id, result FROM calls WHERE call_id > ? ORDER BY call_id LIMIT 500", (after,)
        ).fetchall()
        if not rows:
            break
        if dictionary is None:
            from qa_scoring.rules import load_rules

            body = compression_dictionary(load_rules())[1]
            digest = hashlib.sha256(body).hexdigest()[:32]  # a version 5 digest: of the body alone
            db.execute("INSERT INTO texts (digest, body) VALUES (?, ?)", (digest, body))
            dictionary = (db.execute("SELECT id FROM texts WHERE digest = ?", (digest,)).fetchone()[0], body)
        for call_id, result in rows:
            data = compact_json(json.loads(result))
            db.execute(
                "UPDATE calls SET detail = ?, detail_dict = ? WHERE call_id = ?",
                (_deflate(data, dictionary[1]), dictionary[0], call_id),
            )
        after = rows[-1][0]
    db.execute("ALTER TABLE calls DROP COLUMN result")
    db.execute("ALTER TABLE calls DROP COLUMN parameters")
    db.execute("DROP VIEW final_calls")
    db.execute("DROP VIEW final_checks")
    for table, create, columns in (
        ("checks", _V5_CHECKS, "call_id, position, check_id, outcome"),
        ("run_results", _V5_RUN_RESULTS, "run_id, seq, call_id, source, status, score, error, recorded_at"),
    ):
        db.execute(create)
        db.execute(f"INSERT INTO {table}_v5 ({columns}) SELECT {columns} FROM {table}")
        db.execute(f"DROP TABLE {table}")  # with its indexes: checks_outcome, run_results_call
        db.execute(f"ALTER TABLE {table}_v5 RENAME TO {table}")
    for statement in _FINAL_VIEWS:
        db.execute(statement)


def _migrate_v6(db: Connection) -> None:
    # Each dictionary says how its calls' detail is compressed: the version 5 rows raw deflate,
    # new ones Zstandard (two thirds of deflate's time in a run; docs/store.md). No call is rewritten.
    db.execute("ALTER TABLE texts ADD COLUMN codec TEXT NOT NULL DEFAULT 'deflate'")


# A check's outcome as one letter of ``calls.outcomes`` (and back, in the ``checks`` view).
OUTCOME_CODES = {"pass": "p", "fail": "f", "na": "n"}


def _outcome_sql(calls: str, slot: str) -> str:
    """SQL for the outcome of the check in ``slot`` (a ``check_slots`` row) of the call in ``calls``."""
    cases = " ".join(f"WHEN '{code}' THEN '{outcome}'" for outcome, code in OUTCOME_CODES.items())
    return f"CASE substr({calls}.outcomes, {slot}.position + 1, 1) {cases} END"


# The machine's verdict of every check of every stored call: a view over ``calls.outcomes``
# (one letter per check) and the check ids of the call's ``check_list``. The same SQL on both
# backends (the verdicts were a table of nine rows a call up to version 6).
_CHECKS_VIEW = f"""CREATE VIEW checks AS
        SELECT k.call_id, s.position, s.check_id, {_outcome_sql("k", "s")} AS outcome
        FROM calls k JOIN check_slots s ON s.list_id = k.check_list"""
_V7 = (
    # Each distinct sequence of check ids once (``ids``: a JSON array), and its ids one row each.
    "CREATE TABLE check_lists (id INTEGER PRIMARY KEY, ids TEXT NOT NULL UNIQUE)",
    """CREATE TABLE check_slots (
        list_id  INTEGER NOT NULL REFERENCES check_lists(id),
        position INTEGER NOT NULL,
        check_id TEXT NOT NULL,
        PRIMARY KEY (list_id, position)
    ) WITHOUT ROWID""",
    "ALTER TABLE calls ADD COLUMN check_list INTEGER REFERENCES check_lists(id)",
    "ALTER TABLE calls ADD COLUMN outcomes TEXT NOT NULL DEFAULT ''",
)


def _migrate_v7(db: Connection) -> None:
    # A call's check verdicts move into its row (``calls.outcomes`` and ``calls.check_list``);
    # ``checks`` becomes a view with the same columns (docs/store.md).
    for statement in _V7:
        db.execute(statement)
    lists: dict[tuple[str, ...], int] = {}
    after = ""
    while True:
        ids = [row[0] for row in db.execute(
            "SELECT call_id FROM calls WHERE call_id > ? ORDER BY call_id LIMIT 500", (after,)
        ).fetchall()]  # fmt: skip
        if not ids:
            break
        verdicts: dict[str, list[tuple[str, str]]] = {}
        for call_id, check_id, outcome in db.execute(
            "SELECT call_id, check_id, outcome FROM checks WHERE call_id > ? AND call_id <= ?"
            " ORDER BY call_id, position",
            (after, ids[-1]),
        ).fetchall():
            verdicts.setdefault(call_id, []).append((check_id, outcome))
        updates = []
        for call_id, checks in verdicts.items():
            check_ids, outcomes = tuple(c for c, _ in checks), encode_outcomes(call_id, checks)
            if check_ids not in lists:
                lists[check_ids] = check_list_id(db, check_ids)
            updates.append((lists[check_ids], outcomes, call_id))
        db.executemany("UPDATE calls SET check_list = ?, outcomes = ? WHERE call_id = ?", updates)
        after = ids[-1]
    db.execute("DROP VIEW final_calls")
    db.execute("DROP VIEW final_checks")
    db.execute("DROP TABLE checks")
    db.execute(_CHECKS_VIEW)
    for statement in _FINAL_VIEWS:
        db.execute(statement)


def encode_outcomes(call_id: object, checks: Sequence[tuple[str, object]]) -> str:
    """The outcomes of ``(check id, outcome)`` pairs as ``calls.outcomes`` holds them: one letter each."""
    try:
        return "".join([OUTCOME_CODES[outcome] for _, outcome in checks])  # type: ignore[index]
    except (KeyError, TypeError):
        bad = next((c, o) for c, o in checks if not isinstance(o, str) or o not in OUTCOME_CODES)
        raise QAScoringError(
            f"call {call_id}: check {bad[0]} has outcome {bad[1]!r}; a stored outcome is pass, fail or na"
        ) from None


def check_list_id(db: Connection, check_ids: Sequence[str]) -> int:
    """The id in ``check_lists`` of a sequence of check ids, stored (with its ``check_slots``) when new."""
    ids = json.dumps(list(check_ids), ensure_ascii=False, separators=(",", ":"))
    row = db.execute("SELECT id FROM check_lists WHERE ids = ?", (ids,)).fetchone()
    if row is None:
        added = db.execute("INSERT INTO check_lists (ids) VALUES (?) ON CONFLICT (ids) DO NOTHING", (ids,)).rowcount
        row = db.execute("SELECT id FROM check_lists WHERE ids = ?", (ids,)).fetchone()
        if added:  # another writer that added the same list added its slots too
            db.executemany(
                "INSERT INTO check_slots (list_id, position, check_id) VALUES (?, ?, ?)",
                [(row[0], position, check_id) for position, check_id in enumerate(check_ids)],
            )
    return int(row[0])


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _migrate_v1, _migrate_v2, _migrate_v3, _migrate_v4, _migrate_v5, _migrate_v6, _migrate_v7,
)  # fmt: skip


# -- what a call's row holds: prepared without the database ------------------------------------

# The columns of ``calls`` a PreparedRecord fills (run_id, recorded_at, detail_dict and check_list are the store's).
_CALL_COLUMNS = (
    "call_id", "rules_version", "source", "agent_id", "agent_name", "team", "call_start", "call_date", "month",
    "score", "akurasi", "salam_penutup", "fcr", "detail", "outcomes",
)  # fmt: skip


_STORE_COLUMNS = ("run_id", "recorded_at", "detail_dict", "check_list")

# Insert or replace a call row, unless a newer run holds it.
_UPSERT_CALL = (
    f"INSERT INTO calls ({', '.join((*_CALL_COLUMNS, *_STORE_COLUMNS))})"
    f" VALUES ({', '.join('?' for _ in (*_CALL_COLUMNS, *_STORE_COLUMNS))}) ON CONFLICT(call_id) DO UPDATE SET"
    f" {', '.join(f'{c} = excluded.{c}' for c in (*_CALL_COLUMNS[1:], *_STORE_COLUMNS))}"
    " WHERE calls.run_id <= excluded.run_id"
)


@dataclass(frozen=True)  # no slots: pickled per call, and a slotted frozen class pickles in Python, not in C
class PreparedRecord:
    """One JSON Lines result made ready for the store (``prepare_record``): rows and bytes, no database.

    Picklable, so that worker processes can prepare what one writing process records.
    """

    status: str
    call_id: str | None
    source: str | None
    score: float | None
    error: str | None
    call: tuple[Any, ...] | None  # the values of _CALL_COLUMNS; None for an error result
    check_ids: tuple[str, ...]  # the ids of the checks whose outcomes ``call`` holds, in order
    dictionary: str | None  # digest of the compression dictionary of ``detail``


def prepare_record(
    result: dict[str, Any], rules: RuleSet | None = None, compact: bytes | None = None
) -> PreparedRecord:
    """The rows that store one JSON Lines result (``scored`` or ``error``): pure, no database.

    The whole result is kept as compact JSON compressed with a dictionary made from the
    messages catalogue and ``rules`` (``compression_dictionary``). ``compact``: that JSON
    when the caller already has it (the JSON Lines line of an unmasked result is the same
    text). Raises ``QAScoringError`` for a result the store cannot hold.
    """
    status = result.get("status")
    if status not in ("scored", "error"):
        raise QAScoringError(f"result status must be 'scored' or 'error', got {status!r}")
    call_id = result.get("call_id")
    if status == "scored" and not (isinstance(call_id, str) and call_id):
        raise QAScoringError("a scored result needs a call_id")
    head = (
        status,
        None if call_id is None else str(call_id),
        _text(result.get("source")),
        _number(result.get("score")),
        _text(result.get("error")),
    )
    if status == "error":
        return PreparedRecord(*head, call=None, check_ids=(), dictionary=None)
    parameters = result.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise QAScoringError(f"call {call_id}: parameters must be an object")
    checks = []
    for position, check in enumerate(result.get("checks") or []):
        if not isinstance(check, dict) or "id" not in check or "outcome" not in check:
            raise QAScoringError(f"call {call_id}: check {position} needs an id and an outcome")
        checks.append((str(check["id"]), check["outcome"]))
    call_date = local_call_date(result.get("call_start"))
    digest, body = compression_dictionary(rules)
    call = (
        call_id,
        _text(result.get("rules_version")),
        _text(result.get("source")),
        _text(result.get("agent_id")),
        _text(result.get("agent_name")),
        _text(result.get("team")),
        _text(result.get("call_start")),
        call_date.isoformat() if call_date else None,
        call_date.isoformat()[:7] if call_date else None,
        _number(result.get("score")),
        *(None if parameters.get(p) is None else int(bool(parameters[p])) for p in PARAMETERS),
        _compress(compact_json(result) if compact is None else compact, body),
        encode_outcomes(call_id, checks),
    )
    return PreparedRecord(*head, call=call, check_ids=tuple(c for c, _ in checks), dictionary=digest)


_DICTIONARIES: dict[str, bytes] = {}  # digest -> body of every dictionary this process made
_DICTIONARY_OF: dict[int, tuple[Any, str]] = {}  # id(rules) -> (rules, digest)
_DICTIONARY_LIMIT = 32 * 1024  # zlib uses the last 32 KiB of a dictionary
# A scored result's structure with its call-specific values left out: the keys and the words every result repeats.
_SKELETON = {
    "schema_version": 1, "call_id": "", "source": "", "status": "scored", "format": "text", "agent_id": "",
    "agent_name": None, "team": "", "call_start": "", "customer_name": "", "rules_version": "", "score": 100.0,
    "parameters": {"akurasi": True, "salam_penutup": False, "fcr": True}, "failed_checks": [],
    "context": {
        name: {"value": False, "basis": ""}
        for name in ("klb", "pln_mobile_call", "has_app", "internet_complaint", "product", "transferred",
                     "closing_window", "roles")
    },
    "checks": [], "warnings": [], "warnings_id": [], "warning_codes": [], "review_priority": 0.0,
}  # fmt: skip
_CHECK_SKELETON = {
    "id": "", "outcome": "pass", "reason": "", "reason_id": "", "sop": "",
    "evidence": {"kind": "match", "turn": 0, "start": 0.0, "time": "", "text": "", "phrase": "", "similarity": 0.0},
    "confidence": 0.0, "doubts": ["inferred:closing_window"],
}  # fmt: skip


def compression_dictionary(rules: RuleSet | None) -> tuple[str, bytes]:
    """The compression dictionary for results scored with ``rules`` (None: the messages catalogue only):
    digest (of ``CODEC`` and the bytes) and bytes.

    The same rules give the same bytes in every process. A store keeps each dictionary it
    uses (table ``texts``, with its codec), so its calls stay readable whatever becomes of
    the rules file.
    """
    known = _DICTIONARY_OF.get(id(rules))
    if known is not None and known[0] is rules:
        return known[1], _DICTIONARIES[known[1]]
    if len(_DICTIONARY_OF) >= 16:  # a long-lived process loading rules again and again keeps a few only
        _DICTIONARY_OF.clear()
    texts = [text for entry in MESSAGES.values() for text in entry.values()]
    checks = []
    if rules is not None:
        texts += [rules.version, *(sop.label for sop in rules.sops.values())]
        for rule in rules.checks:
            texts += _strings(rule)
        for check_id in rules.check_ids:
            sop = getattr(rules.rule(check_id), "sop", None)
            checks.append({**_CHECK_SKELETON, "id": check_id, "sop": getattr(sop, "label", sop or "")})
    body = "\n".join(dict.fromkeys(texts)).encode() + compact_json({**_SKELETON, "checks": checks})
    body = body[-_DICTIONARY_LIMIT:]
    digest = hashlib.sha256(f"{CODEC}\n".encode() + body).hexdigest()[:32]  # a version 5 digest was of the body
    _DICTIONARIES[digest] = body
    _DICTIONARY_OF[id(rules)] = (rules, digest)
    return digest, body


def _strings(value: object, depth: int = 0) -> list[str]:
    """The texts in a compiled rule, in a fixed order (sets sorted)."""
    if isinstance(value, str):
        return [value]
    if depth > 3:
        return []
    if isinstance(value, set | frozenset):
        return sorted(v for v in value if isinstance(v, str))
    if isinstance(value, tuple | list):
        return [s for v in value for s in _strings(v, depth + 1)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v, depth + 1)]
    if is_dataclass(value) and not isinstance(value, type):
        return [s for f in fields(value) for s in _strings(getattr(value, f.name), depth + 1)]
    return []


def _rows_for_ids(db: Any, sql: str, call_ids: Sequence[str]) -> Iterator[Any]:
    """The rows of ``sql`` (its ``IN ({})`` filled with placeholders) for ``call_ids``, 500 ids a query."""
    for start in range(0, len(call_ids), 500):
        part = list(dict.fromkeys(call_ids[start : start + 500]))
        yield from db.execute(sql.format(", ".join("?" for _ in part)), part)


# How new details are compressed: a Zstandard frame (level 4) with the dictionary as raw content.
# Version 5 stores used raw deflate (level 3); their rows say so (``texts.codec``) and stay readable.
CODEC = "zstd"
CODECS = ("zstd", "deflate")
_LEVEL = 4


class _Coders(threading.local):
    """This thread's Zstandard compressors and decompressors, by dictionary (the library's are not
    thread-safe: each thread keeps its own; a few dictionaries at most, emptied when there are 16)."""

    def __init__(self) -> None:
        self.packers: dict[bytes, Any] = {}
        self.unpackers: dict[bytes, Any] = {}


_CODERS = _Coders()


def _zstd_dictionary(dictionary: bytes) -> Any:
    return zstandard.ZstdCompressionDict(dictionary, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def _coder(coders: dict[bytes, Any], dictionary: bytes, make: Callable[[bytes], Any]) -> Any:
    """The coder in ``coders`` (one of this thread's ``_CODERS``) for ``dictionary``, made by ``make`` when new."""
    coder = coders.get(dictionary)
    if coder is None:
        if len(coders) >= 16:
            coders.clear()
        coder = coders[dictionary] = make(dictionary)
    return coder


def _make_packer(dictionary: bytes) -> Any:
    loaded = _zstd_dictionary(dictionary)
    loaded.precompute_compress(level=_LEVEL)
    return zstandard.ZstdCompressor(level=_LEVEL, dict_data=loaded)


def _make_unpacker(dictionary: bytes) -> Any:
    return zstandard.ZstdDecompressor(dict_data=_zstd_dictionary(dictionary))


def _packer(dictionary: bytes) -> Any:
    """This thread's Zstandard compressor with ``dictionary`` loaded."""
    return _coder(_CODERS.packers, dictionary, _make_packer)


def _unpacker(dictionary: bytes) -> Any:
    """This thread's Zstandard decompressor with ``dictionary`` loaded."""
    return _coder(_CODERS.unpackers, dictionary, _make_unpacker)


def _compress(data: bytes, dictionary: bytes) -> bytes:
    """``data`` compressed with ``dictionary`` as ``CODEC`` says."""
    compressed: bytes = _packer(dictionary).compress(data)
    return compressed


def _deflate(data: bytes, dictionary: bytes) -> bytes:
    """``data`` as a version 5 store compressed it: raw deflate, level 3, primed with ``dictionary``."""
    packer = zlib.compressobj(3, zlib.DEFLATED, -15, zdict=dictionary)
    return packer.compress(data) + packer.flush()


def _decompress(data: bytes, dictionary: bytes, codec: str = CODEC) -> bytes:
    """What ``_compress`` (codec ``zstd``) or ``_deflate`` (codec ``deflate``) made of ``data``."""
    if codec == "deflate":
        unpacker = zlib.decompressobj(-15, zdict=dictionary)
        return unpacker.decompress(data) + unpacker.flush()
    if codec != "zstd":
        raise QAScoringError(f"unknown compression codec {codec!r} (this qa-scoring knows {', '.join(CODECS)})")
    plain: bytes = _unpacker(dictionary).decompress(data)
    return plain


def _flushed(method: Callable[..., Any]) -> Callable[..., Any]:
    """A read (or a write that reads) that first writes the buffered results, so that it sees them."""

    @functools.wraps(method)
    def wrapper(self: ResultStore, *args: Any, **kwargs: Any) -> Any:
        self.flush()
        return method(self, *args, **kwargs)

    return wrapper


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
        self._init_buffer()
        try:
            self._db: Connection = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise QAScoringError(f"{self.path}: cannot open results store ({exc})") from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file's; an existing one keeps its own
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

    def _init_buffer(self) -> None:
        """The write buffer and the caches of one connection (both backends)."""
        self._pending: list[tuple[int, PreparedRecord]] = []
        self._pending_since = 0.0
        self._snapshots = 0
        self._runs: set[int] = set()
        self._rules: RuleSet | None = None
        self._dictionary_ids: dict[str, int] = {}
        self._check_list_ids: dict[tuple[str, ...], int | None] = {}
        self._dictionary_bodies: dict[int, tuple[bytes, str]] = {}  # id -> body, codec

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
        if 0 < version < 7 <= SCHEMA_VERSION:  # v5 shrank the rows, v7 dropped the checks table
            self._reclaim_space()

    def _reclaim_space(self) -> None:
        """Give back the space a migration freed (v5 shrinks a store several times, v7 by a fifth or more). *Backend.*

        SQLite: ``VACUUM``, skipped when another process keeps the file busy (the free pages are
        then reused by the next calls recorded).
        """
        with suppress(sqlite3.OperationalError):
            self._db.execute("VACUUM")

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

    read_snapshot_sql = "BEGIN"

    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """Read several queries from one snapshot, so that a report made during a run sees one state.

        Buffered results are written first; those recorded inside wait until it ends.
        """
        self.flush()
        self._db.execute(self.read_snapshot_sql)
        self._snapshots += 1
        try:
            yield
        finally:
            self._snapshots -= 1
            if self._db.in_transaction:
                self._db.execute("COMMIT")

    def close(self) -> None:
        """Write the buffered results (``flush``), then close the connection (closed even when the write fails)."""
        try:
            self.flush()
        finally:
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
        self._runs.add(int(row[0]))
        return int(row[0])

    def record(self, run_id: int, result: dict[str, Any], rules: RuleSet | None = None) -> None:
        """Store one JSON Lines result (``scored`` or ``error``) of run ``run_id``: ``prepare_record``, then buffer it.

        A scored call replaces the stored result of the same ``call_id`` unless that one came
        from a newer run. An error result is kept in the run's history only. The auditor
        verdicts of a rescored call are kept; its final parameters are recomputed with
        ``rules`` (default: the packaged rules) and a verdict whose machine verdict changed
        is flagged in ``final_checks.machine_changed``. Written with the next batch (``flush``).
        """
        self.record_prepared(run_id, prepare_record(result, rules), rules)

    def record_prepared(self, run_id: int, prepared: PreparedRecord, rules: RuleSet | None = None) -> None:
        """Buffer a prepared result of run ``run_id``; the buffer is written in one transaction per batch.

        A batch is written when it holds ``BATCH_CALLS`` results or its oldest is ``BATCH_SECONDS``
        old (checked here), and by ``flush``, ``finish_run``, ``close`` and every read. ``rules``
        are those the result was prepared with (for its dictionary and the final parameters).
        Raises ``QAScoringError`` at once for a run that does not exist.
        """
        if run_id not in self._runs:
            if self._db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                raise QAScoringError(f"{self.location}: no run with id {run_id}")
            self._runs.add(run_id)
        # prepared in another process: the same rules make the same dictionary here
        foreign = prepared.dictionary is not None and prepared.dictionary not in _DICTIONARIES
        if foreign and compression_dictionary(rules)[0] != prepared.dictionary:
            raise QAScoringError(f"call {prepared.call_id}: prepared with other rules than those given")
        if rules is not None:
            self._rules = rules
        if not self._pending:
            self._pending_since = time.monotonic()
        self._pending.append((run_id, prepared))
        if len(self._pending) >= BATCH_CALLS or time.monotonic() - self._pending_since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the buffered results in one transaction: all of them or none.

        When the write fails the batch is dropped and the error raised (the store holds whole
        calls only), except on ``KeyboardInterrupt``: then nothing was written and the batch stays
        buffered for the next flush (``close`` writes it). Inside ``read_snapshot`` it waits.
        """
        if not self._pending or self._snapshots:
            return
        pending, self._pending = self._pending, []
        dictionaries: dict[str, int] = {}
        lists: dict[tuple[str, ...], int | None] = {}  # ids known once the transaction commits; None: no checks
        now = _utc_now()
        try:
            with self._transaction() as db:
                seqs: dict[int, int] = {}
                history = []
                for run_id, prepared in pending:
                    if run_id not in seqs:
                        seqs[run_id] = db.execute(
                            "SELECT COALESCE(MAX(seq), 0) FROM run_results WHERE run_id = ?", (run_id,)
                        ).fetchone()[0]
                    seqs[run_id] += 1
                    history.append((run_id, seqs[run_id], prepared.call_id, prepared.source, prepared.status,
                                    prepared.score, prepared.error, now))  # fmt: skip
                db.executemany(
                    "INSERT INTO run_results (run_id, seq, call_id, source, status, score, error, recorded_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    history,
                )
                written: list[str] = []  # the calls whose row this batch wrote
                # in call id order (stable: a call twice in the batch keeps its order), so that
                # concurrent batches lock the rows of the calls they share in the same order
                scored = sorted((item for item in pending if item[1].call is not None), key=lambda i: i[1].call_id)
                rows = []
                for run_id, prepared in scored:
                    digest, check_ids = prepared.dictionary, prepared.check_ids
                    if digest not in dictionaries:
                        dictionaries[digest] = self._dictionary_id(db, digest)
                    if check_ids not in lists:
                        known = self._check_list_ids.get(check_ids)
                        lists[check_ids] = known or (check_list_id(db, check_ids) if check_ids else None)
                    rows.append((*prepared.call, run_id, now, dictionaries[digest], lists[check_ids]))
                if rows:
                    changed = db.executemany(_UPSERT_CALL, rows).rowcount
                    # a call a newer run already scored keeps that run's row (the upsert's WHERE):
                    # when not every row was written, the calls' run ids say which ones were
                    final = None if changed == len(rows) else self._run_ids(db, [row[0] for row in rows])
                    written = [p.call[0] for r, p in scored if final is None or final.get(p.call[0]) == r]
                self._refresh_finals(db, self._reviewed(db, written), self._rules)
        except KeyboardInterrupt:
            self._pending[:0] = pending
            raise
        except Exception as exc:
            if self._is_missing_run(exc):
                runs = ", ".join(str(r) for r in sorted({item[0] for item in pending}))
                raise QAScoringError(f"{self.location}: no run with id {runs}") from exc
            raise
        self._dictionary_ids.update(dictionaries)
        self._check_list_ids.update(lists)

    def _dictionary_id(self, db: Connection, digest: str, body: bytes | None = None, codec: str = CODEC) -> int:
        """The id in ``texts`` of a compression dictionary (default ``body`` and ``codec``: this process's);
        stored when new."""
        known = self._dictionary_ids.get(digest)
        if known is not None:
            return known
        row = db.execute("SELECT id FROM texts WHERE digest = ?", (digest,)).fetchone()
        if row is None:
            db.execute(
                "INSERT INTO texts (digest, body, codec) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING",
                (digest, _DICTIONARIES[digest] if body is None else body, codec),
            )
            row = db.execute("SELECT id FROM texts WHERE digest = ?", (digest,)).fetchone()
        return int(row[0])

    @staticmethod
    def _run_ids(db: Connection, call_ids: Sequence[str]) -> dict[str, int]:
        """The run id of each of ``call_ids`` in ``calls``."""
        return dict(_rows_for_ids(db, "SELECT call_id, run_id FROM calls WHERE call_id IN ({})", call_ids))

    @staticmethod
    def _reviewed(db: Connection, call_ids: Sequence[str]) -> list[str]:
        """Those of ``call_ids`` an auditor judged (only they have final parameters to recompute)."""
        sql = "SELECT DISTINCT call_id FROM auditor_verdicts WHERE call_id IN ({})"
        return sorted(row[0] for row in _rows_for_ids(db, sql, call_ids))  # locked in call id order, as the batch's

    def finish_run(self, run_id: int, *, calls: int, errors: int) -> None:
        """Write the buffered results, then mark run ``run_id`` finished with its call and error counts."""
        self.flush()
        with self._transaction() as db:
            cur = db.execute(
                "UPDATE runs SET finished_at = ?, calls = ?, errors = ? WHERE id = ?",
                (_utc_now(), calls, errors, run_id),
            )
            if cur.rowcount == 0:
                raise QAScoringError(f"{self.location}: no run with id {run_id}")

    def _result(self, detail: bytes, dictionary: int) -> dict[str, Any]:
        """A stored call's whole result, from its ``detail`` and dictionary id."""
        known = self._dictionary_bodies.get(dictionary)
        if known is None:
            body, codec = self._db.execute("SELECT body, codec FROM texts WHERE id = ?", (dictionary,)).fetchone()
            known = self._dictionary_bodies[dictionary] = (bytes(body), codec)
        result: dict[str, Any] = json.loads(_decompress(bytes(detail), *known))
        return result

    def store_id(self) -> str:
        """This store's identity (a UUID made when the store was created)."""
        row = self._db.execute("SELECT value FROM store_meta WHERE key = 'store_id'").fetchone()
        return str(row[0])

    @_flushed
    def record_sample(self, run_id: int, call_ids: Sequence[str], seed: int) -> None:
        """Record the calls of run ``run_id`` drawn for a random audit, with the seed."""
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO review_samples (run_id, call_id, seed) VALUES (?, ?, ?)"
                " ON CONFLICT (run_id, call_id) DO UPDATE SET seed = excluded.seed",
                [(run_id, call_id, seed) for call_id in call_ids],
            )

    @_flushed
    def changed_reviews(self, run_id: int) -> list[tuple[str, str]]:
        """(call id, check id) of auditor verdicts on calls of run ``run_id`` whose machine verdict
        changed since the auditor judged it (rescored with other rules)."""
        rows = self._db.execute(
            "SELECT f.call_id, f.check_id FROM final_checks f JOIN calls k ON k.call_id = f.call_id"
            " WHERE k.run_id = ? AND f.machine_changed = 1 ORDER BY f.call_id, f.position",
            (run_id,),
        )
        return [(row[0], row[1]) for row in rows]

    @_flushed
    def machine_checks(self, call_id: str) -> dict[str, str] | None:
        """The machine's outcome per check of a stored call; None when the call is not stored."""
        if self._db.execute("SELECT 1 FROM calls WHERE call_id = ?", (call_id,)).fetchone() is None:
            return None
        rows = self._db.execute("SELECT check_id, outcome FROM checks WHERE call_id = ?", (call_id,))
        return dict(rows.fetchall())

    @_flushed
    def add_auditor_verdicts(self, verdicts: Sequence[dict[str, Any]], rules: RuleSet | None = None) -> dict[str, int]:
        """Store auditor verdicts in one transaction; one already current (same verdict, auditor
        and note) is skipped, so importing a file twice changes nothing.

        Each dict: ``call_id, check_id, outcome, machine_outcome, rules_version, auditor, note,
        workbook, sheet_row``. Returns the counts ``added``, ``unchanged`` and ``overrides``
        (added verdicts that differ from the machine's). A call or check missing from the store
        raises ``QAScoringError`` naming the row, and nothing is written.
        """
        counts = {"added": 0, "unchanged": 0, "overrides": 0}
        now = _utc_now()
        touched: list[str] = []
        with self._transaction() as db:
            for v in verdicts:
                current = db.execute(
                    "SELECT c.outcome, v.outcome, v.auditor, v.note FROM checks c"
                    " LEFT JOIN current_verdicts v ON v.call_id = c.call_id AND v.check_id = c.check_id"
                    " WHERE c.call_id = ? AND c.check_id = ?",
                    (v["call_id"], v["check_id"]),
                ).fetchone()
                if current is None:
                    raise QAScoringError(
                        f"{v.get('workbook')}: row {v.get('sheet_row')}: call {v['call_id']} has no check"
                        f" {v['check_id']} in the store {self.location}"
                    )
                if current[1:] == (v["outcome"], v["auditor"], v.get("note") or None):
                    counts["unchanged"] += 1
                    continue
                db.execute(
                    "INSERT INTO auditor_verdicts (call_id, check_id, outcome, machine_outcome, rules_version,"
                    " auditor, note, recorded_at, workbook, sheet_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        v["call_id"], v["check_id"], v["outcome"], v["machine_outcome"], v.get("rules_version"),
                        v["auditor"], v.get("note") or None, now, v.get("workbook"), v.get("sheet_row"),
                    ),
                )  # fmt: skip
                counts["added"] += 1
                counts["overrides"] += v["outcome"] != current[0]
                touched.append(v["call_id"])
            self._refresh_finals(db, list(dict.fromkeys(touched)), rules)
        return counts

    @staticmethod
    def _refresh_finals(db: Connection, call_ids: Sequence[str], rules: RuleSet | None) -> None:
        """Recompute ``final_params`` of calls from their final verdicts (none kept for unreviewed calls)."""
        for call_id in call_ids:
            rows = db.execute(
                "SELECT check_id, outcome, auditor_outcome FROM final_checks WHERE call_id = ?", (call_id,)
            ).fetchall()
            if not any(row[2] is not None for row in rows):
                db.execute("DELETE FROM final_params WHERE call_id = ?", (call_id,))
                continue
            if rules is None:
                from qa_scoring.rules import load_rules

                rules = load_rules()
            params, score = parameters_from_outcomes({row[0]: row[1] for row in rows}, rules)
            db.execute(
                "INSERT INTO final_params (call_id, akurasi, salam_penutup, fcr, score) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (call_id) DO UPDATE SET akurasi = excluded.akurasi,"
                " salam_penutup = excluded.salam_penutup, fcr = excluded.fcr, score = excluded.score",
                (call_id, *(None if params.get(p) is None else int(params[p]) for p in PARAMETERS), score),
            )

    # -- queries ---------------------------------------------------------------------------

    @_flushed
    def query(self, sql: str, args: Sequence[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        """A read-only query (``?`` placeholders) on the tables and views: column names and rows, on either backend."""
        cursor = self._db.execute(sql, tuple(args))
        return [d[0] for d in cursor.description], [tuple(row) for row in cursor.fetchall()]

    @_flushed
    def final_results(self, month: str, team: str | None = None) -> Iterator[dict[str, Any]]:
        """The stored results of ``month`` (one team, case-insensitive, if given), each with its
        final verdicts: per check ``final_outcome`` and ``review`` (the current auditor verdict),
        and ``final_parameters``, ``final_score``, ``overridden_checks``. Ordered by date and call id.
        """
        check_month(month)
        sql = (
            "SELECT k.detail, f.akurasi, f.salam_penutup, f.fcr, f.score, f.overridden_checks, k.call_id, k.detail_dict"
            " FROM calls k JOIN final_calls f ON f.call_id = k.call_id WHERE k.month = ?"
        )
        args: list[Any] = [month]
        if team is not None:
            sql += " AND lower(k.team) = lower(?)"
            args.append(team)
        sql += " ORDER BY k.call_date, k.call_start, k.call_id"
        for row in self._db.execute(sql, args).fetchall():
            result = self._result(row[0], row[7])
            reviews = {
                r[0]: r[1:]
                for r in self._db.execute(
                    "SELECT check_id, outcome, auditor_outcome, auditor, note, reviewed_at, machine_changed,"
                    " reviewed_rules_version FROM final_checks WHERE call_id = ?",
                    (row[6],),
                )
            }
            for check in result.get("checks") or []:
                final, auditor_outcome, auditor, note, when, changed, version = reviews.get(
                    check.get("id"), (check.get("outcome"), None, None, None, None, 0, None)
                )
                check["final_outcome"] = final
                if auditor_outcome is not None:
                    check["review"] = {
                        "outcome": auditor_outcome,
                        "auditor": auditor,
                        "note": note,
                        "recorded_at": when,
                        "rules_version": version,
                        "machine_changed": bool(changed),
                    }
            result["final_parameters"] = {
                p: None if v is None else bool(v) for p, v in zip(PARAMETERS, row[1:4], strict=True)
            }
            result["final_score"] = row[4]
            result["overridden_checks"] = row[5]
            yield result

    @_flushed
    def check_evidence(self, checks: Sequence[tuple[str, int]]) -> list[dict[str, Any] | None]:
        """The ``evidence`` of each ``(call_id, position)`` check of stored calls (None when it has none)."""
        results: dict[str, list[Any]] = {}
        wanted = list(dict.fromkeys(call_id for call_id, _ in checks))
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            sql = f"SELECT call_id, detail, detail_dict FROM calls WHERE call_id IN ({', '.join('?' for _ in part)})"
            for call_id, detail, dictionary in self._db.execute(sql, part).fetchall():
                results[call_id] = self._result(detail, dictionary).get("checks") or []
        out: list[dict[str, Any] | None] = []
        for call_id, position in checks:
            stored = results.get(call_id) or []
            out.append(stored[position].get("evidence") if 0 <= position < len(stored) else None)
        return out

    @_flushed
    def month_calls(self, month: str, team: str | None = None) -> list[dict[str, Any]]:
        """The scored calls whose local call date falls in ``month`` (``YYYY-MM``), optionally of one team.

        Each dict: ``call_id, source, run_id, rules_version, agent_id, agent_name, team,
        call_start, date, month, score, parameters, checks, failed_checks``; ordered by date
        and call id.
        """
        check_month(month)
        sql = (
            "SELECT call_id, source, run_id, rules_version, agent_id, agent_name, team, call_start,"
            " call_date, month, score, detail, detail_dict FROM calls WHERE month = ?"
        )
        args: list[Any] = [month]
        sql, args = _and_team(sql, args, team, "team")
        sql += " ORDER BY call_date, call_start, call_id"
        calls: list[dict[str, Any]] = []
        for row in self._db.execute(sql, args).fetchall():
            result = self._result(row[11], row[12])
            checks = [
                {
                    "id": check["id"],
                    "outcome": check["outcome"],
                    "reason": _text(check.get("reason")),
                    "reason_id": _text(check.get("reason_id")) or "",
                    "sop": _text(check.get("sop")),
                    "evidence": check.get("evidence"),
                }
                for check in result.get("checks") or []
            ]
            calls.append(
                {
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
                    "parameters": result.get("parameters") or {},
                    "checks": checks,
                    "failed_checks": [c["id"] for c in checks if c["outcome"] == "fail"],
                }
            )
        return calls

    @_flushed
    def months(self) -> list[str]:
        """The months (``YYYY-MM``) that hold at least one placed scored call, oldest first."""
        rows = self._db.execute("SELECT DISTINCT month FROM calls WHERE month IS NOT NULL ORDER BY month")
        return [row[0] for row in rows]

    # -- monthly aggregates (computed in SQL; nothing per call is held in Python) ---------------

    @_flushed
    def teams(self) -> list[str | None]:
        """Every team name the store holds (``None`` for calls without a team), sorted."""
        rows = self._db.execute("SELECT DISTINCT team FROM calls")
        return sorted((row[0] for row in rows), key=lambda t: (t is None, (t or "").casefold()))

    @_flushed
    def agent_figures(self, months: Sequence[str], team: str | None = None) -> list[dict[str, Any]]:
        """Figures per month, team and agent from the final verdicts (the auditor's where she gave one).

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
        final, args = _and_team(f"{_FINAL_CALLS} WHERE k.month IN ({marks})", list(months), team, "k.team")
        sql = (
            "SELECT month, team, COALESCE(agent_id, agent_name), MAX(agent_id), MAX(agent_name), COUNT(*),"
            f" COALESCE(SUM(score), 0), COUNT(score), SUM(CASE WHEN {failing} THEN 1 ELSE 0 END){params}"
            f" FROM ({final}) fc GROUP BY month, team, COALESCE(agent_id, agent_name)"
        )
        keys = ["month", "team", "agent", "agent_id", "agent_name", "calls", "score_sum", "scored", "non_compliant"]
        keys += [f"{p}_{part}" for p in PARAMETERS for part in ("ok", "n")]
        return [dict(zip(keys, row, strict=True)) for row in self._db.execute(sql, args)]

    @_flushed
    def check_fails(self, month: str, team: str | None = None) -> list[tuple[str | None, str | None, str, int]]:
        """``(team, agent, check_id, calls failed)`` for every check whose final verdict in ``month`` is a fail."""
        check_month(month)
        # the machine's fails where no auditor spoke, plus the auditors' fails: each part uses its index
        # (the checks view's join spelt out, so that only the calls with a fail look up their check ids)
        machine, args = _and_team(
            "SELECT k.team, COALESCE(k.agent_id, k.agent_name) AS agent, c.check_id FROM calls k"
            " JOIN check_slots c ON c.list_id = k.check_list WHERE k.month = ? AND k.outcomes LIKE '%f%'"
            f" AND {_outcome_sql('k', 'c')} = 'fail' AND NOT EXISTS"
            " (SELECT 1 FROM auditor_verdicts a WHERE a.call_id = k.call_id AND a.check_id = c.check_id)",
            [month],
            team,
            "k.team",
        )
        auditor, more = _and_team(
            "SELECT k.team, COALESCE(k.agent_id, k.agent_name) AS agent, v.check_id FROM current_verdicts v"
            " JOIN calls k ON k.call_id = v.call_id WHERE k.month = ? AND v.outcome = 'fail'",
            [month],
            team,
            "k.team",
        )
        sql = (
            f"SELECT team, agent, check_id, COUNT(*) FROM ({machine} UNION ALL {auditor}) f"
            " GROUP BY team, agent, check_id"
        )
        args += more
        return [(row[0], row[1], row[2], int(row[3])) for row in self._db.execute(sql, args)]

    @_flushed
    def non_compliant_calls(
        self, month: str, team: str | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """The calls of ``month`` that fail a parameter, grouped by team and agent, then in time order.

        Final verdicts: the auditor's where she gave one. Streamed from the database, the first
        ``limit`` only when given. Each dict: ``call_id, source, rules_version, agent_id,
        agent_name, team, call_start, date, score, parameters, failed`` (the failed check dicts,
        with ``auditor`` and ``note`` when the fail is an auditor's verdict).
        """
        check_month(month)
        failing = " OR ".join(f"{p} = 0" for p in PARAMETERS)
        order = (
            "team IS NULL, team, COALESCE(agent_name, agent_id) IS NULL, COALESCE(agent_name, agent_id), agent_id,"
            " call_date, call_start, call_id"
        )
        final, args = _and_team(f"{_FINAL_CALLS} WHERE k.month = ?", [month], team, "k.team")
        picked = (
            f"SELECT fc.*, ROW_NUMBER() OVER (ORDER BY {order}) AS seq FROM ({final}) fc WHERE {failing} ORDER BY seq"
        )
        if limit is not None:
            picked += " LIMIT ?"
            args.append(limit)
        sql = (
            f"WITH k AS ({picked}) SELECT k.call_id, k.source, k.rules_version, k.agent_id, k.agent_name, k.team,"
            f" k.call_start, k.call_date, k.score, {', '.join('k.' + p for p in PARAMETERS)},"
            f" c.check_id, c.position, d.detail, d.detail_dict, v.auditor, v.note,"
            f" COALESCE(v.outcome, {_outcome_sql('d', 'c')})"
            " FROM k JOIN calls d ON d.call_id = k.call_id"
            " LEFT JOIN check_slots c ON c.list_id = d.check_list"  # the checks view's columns, its join spelt out
            " LEFT JOIN current_verdicts v ON v.call_id = d.call_id AND v.check_id = c.check_id"
            " ORDER BY k.seq, c.position"
        )
        call: dict[str, Any] | None = None
        detail: list[Any] = []
        for row in self._db.execute(sql, args):
            if call is None or call["call_id"] != row[0]:
                detail = (self._result(row[14], row[15]).get("checks") or []) if row[14] is not None else []
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
                    "parameters": {p: _flag(v) for p, v in zip(PARAMETERS, row[9:12], strict=True)},
                    "failed": [],
                }
            if row[18] == "fail":  # the final verdict (filtered here: in SQL it would join every check of the month)
                check = detail[row[13]] if row[13] < len(detail) else {}
                call["failed"].append(
                    {
                        "id": row[12],
                        "outcome": "fail",
                        "reason": _text(check.get("reason")),
                        "reason_id": _text(check.get("reason_id")) or "",
                        "evidence": check.get("evidence"),
                        "auditor": row[16],
                        "note": row[17],
                    }
                )
        if call is not None:
            yield call

    @_flushed
    def overridden_checks(self, month: str, team: str | None = None) -> tuple[int, int]:
        """``(calls reviewed, check verdicts overturned)`` by auditors among the calls of ``month``."""
        check_month(month)
        sql = (
            "SELECT COUNT(DISTINCT v.call_id),"
            f" COALESCE(SUM(CASE WHEN v.outcome <> {_outcome_sql('k', 'c')} THEN 1 ELSE 0 END), 0)"
            " FROM current_verdicts v JOIN calls k ON k.call_id = v.call_id"
            " JOIN check_slots c ON c.list_id = k.check_list AND c.check_id = v.check_id WHERE k.month = ?"
        )
        sql, args = _and_team(sql, [month], team, "k.team")
        row = self._db.execute(sql, args).fetchone()
        return int(row[0]), int(row[1])

    @_flushed
    def run_summary(self, month: str, team: str | None = None) -> tuple[list[str], list[int]]:
        """The rules versions and the run ids behind the calls of ``month``."""
        check_month(month)
        sql = "SELECT DISTINCT rules_version, run_id FROM calls WHERE month = ?"
        args: list[Any] = [month]
        sql, args = _and_team(sql, args, team, "team")
        rows = self._db.execute(sql, args).fetchall()
        return sorted({r[0] for r in rows if r[0]}), sorted({int(r[1]) for r in rows if r[1] is not None})

    @_flushed
    def undated_calls(self, team: str | None = None) -> int:
        """How many stored scored calls have no usable ``call_start`` and so belong to no month."""
        sql, args = _and_team("SELECT COUNT(*) FROM calls WHERE month IS NULL", [], team, "team")
        return int(self._db.execute(sql, args).fetchone()[0])

    @_flushed
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

    @_flushed
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

    @_flushed
    def copy_from(self, source: ResultStore) -> dict[str, int]:
        """Copy every run, result, call and check of ``source`` into this store, without duplicates.

        A run is known by its ``uid``: a run copied before is skipped, so copying twice adds
        nothing. A call held by both stores keeps the newer result (by when it was recorded).
        Each run is copied in one transaction.
        Returns counts: ``runs`` copied, ``runs_skipped``, ``results``, ``calls`` written.
        """
        source.flush()
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
        dictionaries: dict[Any, int] = {}  # the source's dictionary id -> this store's
        lists: dict[Any, int] = {}  # the source's check list id -> this store's
        for values in cur.fetchall():
            row = dict(zip(names, values, strict=True), run_id=run_id)
            if row["detail_dict"] is not None and row["detail_dict"] not in dictionaries:
                digest, body, codec = source._db.execute(
                    "SELECT digest, body, codec FROM texts WHERE id = ?", (row["detail_dict"],)
                ).fetchone()
                dictionaries[row["detail_dict"]] = self._dictionary_id(self._db, digest, bytes(body), codec)
            row["detail_dict"] = dictionaries.get(row["detail_dict"])
            if row["check_list"] is not None and row["check_list"] not in lists:
                (ids,) = source._db.execute("SELECT ids FROM check_lists WHERE id = ?", (row["check_list"],)).fetchone()
                lists[row["check_list"]] = check_list_id(self._db, json.loads(ids))
            row["check_list"] = lists.get(row["check_list"])
            updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "call_id")
            written = self._db.execute(
                f"INSERT INTO calls ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
                f" ON CONFLICT(call_id) DO UPDATE SET {updates} WHERE calls.recorded_at < excluded.recorded_at",
                tuple(row.values()),
            ).rowcount
            n += bool(written)
        return n

    @_flushed
    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer (``"ok"`` when sound), then ``_consistency``'s. *Backend.*"""
        answer = str(self._db.execute("PRAGMA integrity_check").fetchone()[0])
        return answer if answer != "ok" else self._consistency()

    def _consistency(self) -> str:
        """``"ok"`` when every call belongs to a run and has one verdict per check of its check list."""
        count = self._db.execute(
            "SELECT COUNT(*) FROM calls k WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = k.run_id)"
            " OR length(k.outcomes) <> (SELECT COUNT(*) FROM check_slots s WHERE s.list_id = k.check_list)"
        ).fetchone()[0]
        return "ok" if not count else f"{count} calls without their run or with verdicts that do not match their checks"


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


# Every call with its final parameters and score: the auditor's recomputation where there is one.
_FINAL_CALLS = (
    "SELECT k.call_id, k.source, k.rules_version, k.agent_id, k.agent_name, k.team, k.call_start, k.call_date,"
    " k.month, "
    + ", ".join(f"COALESCE(f.{p}, k.{p}) AS {p}" for p in PARAMETERS)
    + ", COALESCE(f.score, k.score) AS score FROM calls k LEFT JOIN final_params f ON f.call_id = k.call_id"
)


def _and_team(sql: str, args: list[Any], team: str | None, column: str) -> tuple[str, list[Any]]:
    """``sql`` and ``args`` narrowed to one team's calls when ``team`` is given."""
    return (sql, args) if team is None else (f"{sql} AND {column} = ?", [*args, team])


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
