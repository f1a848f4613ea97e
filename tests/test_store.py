"""Results store: recording, replacement, months, errors, concurrency, interruption, schema.

The tests taking ``store_target`` run twice: on a SQLite file and on a real PostgreSQL server.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from qa_scoring import store as store_module
from qa_scoring.errors import QAScoringError
from qa_scoring.store import SCHEMA_VERSION, ResultStore, default_db_path, local_call_date, open_store, shift_month

CHECK_IDS = ("closing.integrity", "closing.app_invitation", "closing.thanks", "transfer.destination")


def scored(
    call_id: str,
    call_start: str | None = "2024-03-05T09:15:00+07:00",
    *,
    agent_id: str = "CSO-1",
    team: str = "Jakarta-2",
    score: float = 100.0,
    fail: tuple[str, ...] = (),
    rules_version: str = "pln123-2023.07",
) -> dict[str, Any]:
    """A scored JSON Lines result with one check per CHECK_IDS; ``fail`` lists the failed ones."""
    checks = [
        {
            "id": check_id,
            "outcome": "fail" if check_id in fail else "pass",
            "reason": f"reason of {check_id}",
            "sop": "SOP-SALAM-PENUTUP Rev-1",
            "evidence": {
                "kind": "match",
                "turn": 3,
                "start": 12.5,
                "text": f"text {check_id}",
                "similarity": 90.0,
            },
        }
        for check_id in CHECK_IDS
    ]
    result: dict[str, Any] = {
        "schema_version": 1,
        "call_id": call_id,
        "source": f"batch/{call_id}.txt",
        "status": "scored",
        "agent_id": agent_id,
        "agent_name": f"Agent {agent_id}",
        "team": team,
        "rules_version": rules_version,
        "score": score,
        "parameters": {"akurasi": True, "salam_penutup": not fail, "fcr": True},
        "failed_checks": list(fail),
        "checks": checks,
        "warnings": [],
    }
    if call_start is not None:
        result["call_start"] = call_start
    return result


def error(call_id: str) -> dict[str, Any]:
    """An error JSON Lines result."""
    return {
        "schema_version": 1,
        "call_id": call_id,
        "source": f"batch/{call_id}.json",
        "status": "error",
        "error": f"batch/{call_id}.json:1: not valid JSON (Expecting value)",
    }


def count(target: str | Path, sql: str, *args: object) -> int:
    """One integer from a fresh connection (what another process would see)."""
    with open_store(target) as store:
        return int(store._db.execute(sql, args).fetchone()[0])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "results.sqlite"


def test_record_and_read_back(store_target: str) -> None:
    with open_store(store_target) as store:
        run = store.start_run(rules_version="pln123-2023.07", sources=["batch"])
        store.record(run, scored("A-1", fail=("closing.thanks",), score=66.7))
        store.finish_run(run, calls=1, errors=0)
        [call] = store.month_calls("2024-03")
        runs = store.runs()
    assert call["call_id"] == "A-1"
    assert call["run_id"] == run
    assert call["rules_version"] == "pln123-2023.07"
    assert call["agent_id"] == "CSO-1"
    assert call["agent_name"] == "Agent CSO-1"
    assert call["team"] == "Jakarta-2"
    assert call["call_start"] == "2024-03-05T09:15:00+07:00"
    assert call["date"] == "2024-03-05"
    assert call["score"] == 66.7
    assert call["parameters"] == {"akurasi": True, "salam_penutup": False, "fcr": True}
    assert [c["id"] for c in call["checks"]] == list(CHECK_IDS)
    assert call["checks"][2]["outcome"] == "fail"
    assert call["checks"][2]["evidence"]["text"] == "text closing.thanks"
    assert call["failed_checks"] == ["closing.thanks"]
    assert runs[0]["sources"] == ["batch"]
    assert runs[0]["calls"] == 1 and runs[0]["errors"] == 0 and runs[0]["finished_at"]
    assert runs[0]["tool_version"]


def test_rescoring_replaces_the_call(store_target: str) -> None:
    with open_store(store_target) as store:
        first = store.start_run(rules_version="pln123-2023.07")
        store.record(first, scored("A-1", fail=("closing.thanks",), score=66.7))
        second = store.start_run(rules_version="pln123-2024.01")
        store.record(second, scored("A-1", score=100.0, rules_version="pln123-2024.01"))
        calls = store.month_calls("2024-03")
    assert len(calls) == 1
    assert calls[0]["run_id"] == second
    assert calls[0]["rules_version"] == "pln123-2024.01"
    assert calls[0]["score"] == 100.0
    assert calls[0]["failed_checks"] == []
    assert count(store_target, "SELECT COUNT(*) FROM calls") == 1
    assert count(store_target, "SELECT COUNT(*) FROM checks") == len(CHECK_IDS)
    # both runs keep the call in their history
    assert count(store_target, "SELECT COUNT(*) FROM run_results WHERE call_id = 'A-1'") == 2


def test_an_older_run_does_not_override_a_newer_one(store_target: str) -> None:
    with open_store(store_target) as store:
        older = store.start_run(rules_version="v1")
        newer = store.start_run(rules_version="v2")
        store.record(newer, scored("A-1", score=100.0, rules_version="v2"))
        store.record(older, scored("A-1", score=0.0, rules_version="v1", fail=("closing.thanks",)))
        store.record(older, scored("A-2", score=50.0, rules_version="v1", fail=("closing.integrity",)))
        store.record(newer, scored("A-3", score=100.0, rules_version="v2"))
        store.record(older, scored("A-3", score=0.0, rules_version="v1", fail=CHECK_IDS))
        calls = {call["call_id"]: call for call in store.month_calls("2024-03")}
    # written in one batch: the older run's are left out, its A-2 is written, each call's checks with it
    assert (calls["A-1"]["run_id"], calls["A-1"]["score"], calls["A-1"]["rules_version"]) == (newer, 100.0, "v2")
    assert (calls["A-2"]["run_id"], calls["A-2"]["score"]) == (older, 50.0)
    assert (calls["A-3"]["run_id"], calls["A-3"]["score"]) == (newer, 100.0)
    assert [calls[c]["failed_checks"] for c in ("A-1", "A-2", "A-3")] == [[], ["closing.integrity"], []]
    failed = "SELECT COUNT(*) FROM checks WHERE call_id = ? AND outcome = 'fail'"
    assert [count(store_target, failed, c) for c in ("A-1", "A-2", "A-3")] == [0, 1, 0]


def test_two_runs_in_different_weeks_of_a_month(store_target: str) -> None:
    with open_store(store_target) as store:
        week1 = store.start_run(rules_version="v1")
        for i in range(3):
            store.record(week1, scored(f"W1-{i}", f"2024-03-0{i + 4}T10:00:00+07:00"))
        week3 = store.start_run(rules_version="v1")
        for i in range(4):
            store.record(week3, scored(f"W3-{i}", f"2024-03-{i + 18}T10:00:00+07:00"))
        calls = store.month_calls("2024-03")
    assert [c["call_id"] for c in calls] == ["W1-0", "W1-1", "W1-2", "W3-0", "W3-1", "W3-2", "W3-3"]
    assert {c["run_id"] for c in calls} == {week1, week3}


def test_team_filter(store_target: str) -> None:
    with open_store(store_target) as store:
        run = store.start_run(rules_version="v1")
        store.record(run, scored("A-1", team="Jakarta-2"))
        store.record(run, scored("B-1", team="Bandung-1"))
        assert [c["call_id"] for c in store.month_calls("2024-03", "Bandung-1")] == ["B-1"]
        assert store.month_calls("2024-03", "Surabaya") == []


def test_error_results_are_history_not_calls(store_target: str) -> None:
    with open_store(store_target) as store:
        run = store.start_run(rules_version="v1")
        store.record(run, scored("A-1"))
        store.record(run, error("A-2"))
        store.finish_run(run, calls=1, errors=1)
        rerun = store.start_run(rules_version="v1")
        store.record(rerun, error("A-1"))  # unreadable now: the earlier score stands
        calls = store.month_calls("2024-03")
        runs = store.runs()
    assert [c["call_id"] for c in calls] == ["A-1"]
    assert calls[0]["run_id"] == run
    assert (runs[0]["scored_recorded"], runs[0]["errors_recorded"]) == (1, 1)
    assert (runs[1]["scored_recorded"], runs[1]["errors_recorded"]) == (0, 1)
    assert count(store_target, "SELECT COUNT(*) FROM run_results WHERE status = 'error'") == 2
    assert count(store_target, "SELECT COUNT(*) FROM calls") == 1


def test_month_is_the_local_date_as_written(store_target: str) -> None:
    with open_store(store_target) as store:
        run = store.start_run(rules_version="v1")
        store.record(run, scored("LATE", "2024-03-31T23:30:00+07:00"))
        store.record(run, scored("UTC", "2024-03-31T20:00:00Z"))  # 03:00 WIB on 1 April
        store.record(run, scored("NAIVE", "2024-02-29T23:59:00"))  # no offset: WIB as written
        store.record(run, scored("WEST", "2024-04-30T22:00:00-05:00"))  # its own local date
        store.record(run, scored("NODATE", None))
        store.record(run, scored("BAD", "kemarin"))
        assert [c["call_id"] for c in store.month_calls("2024-03")] == ["LATE"]
        assert [c["call_id"] for c in store.month_calls("2024-04")] == ["UTC", "WEST"]
        assert [c["call_id"] for c in store.month_calls("2024-02")] == ["NAIVE"]
        assert store.months() == ["2024-02", "2024-03", "2024-04"]
        assert store.undated_calls() == 2
    assert count(store_target, "SELECT COUNT(*) FROM calls") == 6  # undated calls are kept


def test_months_empty_and_invalid_month(store_target: str) -> None:
    with open_store(store_target) as store:
        assert store.months() == []
        with pytest.raises(QAScoringError, match="YYYY-MM"):
            store.month_calls("2024-3")


def test_local_call_date_and_shift_month() -> None:
    assert str(local_call_date("2023-08-01T09:15:00+07:00")) == "2023-08-01"
    assert str(local_call_date("2023-07-31T17:30:00Z")) == "2023-08-01"
    assert local_call_date("") is None and local_call_date(None) is None
    assert shift_month("2024-01", -1) == "2023-12"
    assert shift_month("2023-12", 1) == "2024-01"
    assert shift_month("2024-03", -14) == "2023-01"


def test_invalid_results_are_rejected(store_target: str) -> None:
    with open_store(store_target) as store:
        run = store.start_run(rules_version="v1")
        with pytest.raises(QAScoringError, match="status"):
            store.record(run, {"call_id": "X", "status": "weird"})
        with pytest.raises(QAScoringError, match="call_id"):
            store.record(run, {**scored("X"), "call_id": None})
        with pytest.raises(QAScoringError, match="no run with id 999"):
            store.record(999, scored("X"))
    assert count(store_target, "SELECT COUNT(*) FROM run_results") == 0


def _break_checks(store: ResultStore, monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """Make the store's next batch write its call rows (with their verdicts), then raise ``exc``."""
    original = ResultStore._refresh_finals

    def broken(db: sqlite3.Connection, call_ids: list[str], rules: Any) -> None:
        assert call_ids == [] and db.execute("SELECT COUNT(*) FROM calls WHERE call_id = 'A-2'").fetchone()[0] == 1
        original(db, call_ids, rules)  # call rows written...
        raise exc  # ...then the run is interrupted

    monkeypatch.setattr(store, "_refresh_finals", broken)


def test_an_interrupted_batch_is_kept_for_the_next_flush(store_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(store_target)
    run = store.start_run(rules_version="v1")
    store.record(run, scored("A-1", score=100.0))
    store.flush()
    _break_checks(store, monkeypatch, KeyboardInterrupt())
    rerun = store.start_run(rules_version="v2")
    store.record(rerun, scored("A-2"))
    store.record(rerun, scored("A-1", score=0.0, fail=("closing.thanks",), rules_version="v2"))
    with pytest.raises(KeyboardInterrupt):
        store.flush()
    # nothing of the batch is in the store
    assert count(store_target, "SELECT COUNT(*) FROM calls WHERE call_id = 'A-2'") == 0
    assert count(store_target, "SELECT COUNT(*) FROM checks WHERE call_id = 'A-2'") == 0
    assert count(store_target, "SELECT COUNT(*) FROM run_results WHERE run_id = ?", rerun) == 0
    assert count(store_target, "SELECT COUNT(*) FROM calls WHERE call_id = 'A-1' AND score = 100") == 1
    monkeypatch.undo()
    store.close()  # the batch stayed buffered: closing writes it, whole
    with open_store(store_target) as fresh:
        calls = {c["call_id"]: c for c in fresh.month_calls("2024-03")}
        assert fresh.integrity_check() == "ok"
    assert sorted(calls) == ["A-1", "A-2"]
    assert calls["A-1"]["run_id"] == rerun and calls["A-1"]["score"] == 0.0
    assert all(len(c["checks"]) == len(CHECK_IDS) for c in calls.values())
    assert count(store_target, "SELECT COUNT(*) FROM checks") == 2 * len(CHECK_IDS)


def test_a_failed_batch_leaves_whole_calls_only(store_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(store_target)
    run = store.start_run(rules_version="v1")
    store.record(run, scored("A-1", score=100.0))
    store.flush()
    _break_checks(store, monkeypatch, RuntimeError("disk went away"))
    rerun = store.start_run(rules_version="v2")
    store.record(rerun, scored("A-2"))
    store.record(rerun, scored("A-1", score=0.0, fail=("closing.thanks",), rules_version="v2"))
    with pytest.raises(RuntimeError):
        store.flush()
    monkeypatch.undo()
    # the store is usable afterwards (no transaction left open); the failed batch is gone
    store.record(rerun, scored("A-3"))
    store.close()

    with open_store(store_target) as fresh:
        calls = {c["call_id"]: c for c in fresh.month_calls("2024-03")}
        assert fresh.integrity_check() == "ok"
    assert sorted(calls) == ["A-1", "A-3"]
    assert calls["A-1"]["run_id"] == run and calls["A-1"]["score"] == 100.0
    assert len(calls["A-1"]["checks"]) == len(CHECK_IDS)
    assert count(store_target, "SELECT COUNT(*) FROM checks WHERE call_id = 'A-2'") == 0
    assert count(store_target, "SELECT COUNT(*) FROM run_results WHERE run_id = ?", rerun) == 1


def test_record_writes_in_batches(store_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BATCH_CALLS", 3)
    monkeypatch.setattr(store_module, "BATCH_SECONDS", 3600.0)
    with open_store(store_target) as store:
        run = store.start_run(rules_version="v1")
        store.record(run, scored("B-1"))
        store.record(run, scored("B-2"))
        assert count(store_target, "SELECT COUNT(*) FROM calls") == 0  # buffered
        assert len(store.month_calls("2024-03")) == 2  # a read of this store writes the buffer first
        assert count(store_target, "SELECT COUNT(*) FROM calls") == 2
        for i in range(3, 6):
            store.record(run, scored(f"B-{i}"))
        assert count(store_target, "SELECT COUNT(*) FROM calls") == 5  # a full batch is written at once
        monkeypatch.setattr(store_module, "BATCH_SECONDS", 0.0)
        store.record(run, scored("B-6"))  # the oldest buffered call is old enough
        assert count(store_target, "SELECT COUNT(*) FROM calls") == 6
        store.record(run, scored("B-7"))
        store.finish_run(run, calls=7, errors=0)  # writes the buffer
        assert count(store_target, "SELECT COUNT(*) FROM run_results WHERE run_id = ?", run) == 7
        seqs = store.query("SELECT seq FROM run_results WHERE run_id = ? ORDER BY seq", [run])[1]
    assert [s for (s,) in seqs] == list(range(1, 8))


def test_prepared_records_come_from_another_process(store_target: str, rules: Any) -> None:
    """What a worker prepares (pickled, another process's dictionary cache) records as record() does."""
    import pickle

    result = scored("W-1", fail=("closing.thanks",), score=66.7)
    prepared = pickle.dumps(store_module.prepare_record(result, rules))
    with open_store(store_target) as store:
        run = store.start_run(rules_version="v1")
        store.record(run, scored("R-1", fail=("closing.thanks",), score=66.7))
        store_module._DICTIONARIES.clear()  # as in the writing process, which prepared nothing itself
        store_module._DICTIONARY_OF.clear()
        with pytest.raises(QAScoringError, match="other rules"):
            store.record_prepared(run, pickle.loads(prepared))  # not the rules it was prepared with
        store.record_prepared(run, pickle.loads(prepared), rules)
        calls = {c["call_id"]: c for c in store.month_calls("2024-03")}
        [exported] = [r for r in store.final_results("2024-03") if r["call_id"] == "W-1"]
    assert calls["W-1"]["checks"] == calls["R-1"]["checks"]
    assert calls["W-1"]["checks"][0]["evidence"] == result["checks"][0]["evidence"]
    assert [c.pop("final_outcome") for c in exported["checks"]] == [c["outcome"] for c in result["checks"]]
    assert {k: v for k, v in exported.items() if k in result} == result


def _write_then_die(path: str) -> None:
    """Child process: record two whole calls, then die inside the third call's transaction."""
    store = open_store(path)
    run = store.start_run(rules_version="v1")
    store.record(run, scored("K-1"))
    store.record(run, scored("K-2"))
    store.flush()

    def die(db: sqlite3.Connection, call_ids: list[str], rules: Any) -> None:
        assert db.execute("SELECT COUNT(*) FROM calls WHERE call_id = 'K-3'").fetchone()[0] == 1  # written...
        os._exit(3)  # ...then no cleanup, no rollback: like a killed process

    store._refresh_finals = die  # type: ignore[method-assign]
    store.record(run, scored("K-3"))
    store.flush()


def test_killed_process_leaves_whole_calls_only(store_target: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    proc = ctx.Process(target=_write_then_die, args=(store_target,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == 3
    with open_store(store_target) as store:
        calls = store.month_calls("2024-03")
        assert store.integrity_check() == "ok"
        [run] = store.runs()
    assert [c["call_id"] for c in calls] == ["K-1", "K-2"]
    assert all(len(c["checks"]) == len(CHECK_IDS) for c in calls)
    assert count(store_target, "SELECT COUNT(*) FROM checks") == 2 * len(CHECK_IDS)
    assert run["finished_at"] is None and run["scored_recorded"] == 2


def _writer(path: str, name: str, n: int, start: Any) -> None:
    """Child process: one run recording ``n`` calls."""
    start.wait(30)
    with open_store(path) as store:
        run = store.start_run(rules_version="v1", sources=[name])
        for i in range(n):
            day = 1 + i % 28
            store.record(run, scored(f"{name}-{i:03d}", f"2024-03-{day:02d}T10:00:00+07:00", agent_id=name))
        store.finish_run(run, calls=n, errors=0)


def test_concurrent_writers(store_target: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(store_target, name, 200, start)) for name in ("P1", "P2")]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(120)
    assert [proc.exitcode for proc in procs] == [0, 0]
    with open_store(store_target) as store:
        calls = store.month_calls("2024-03")
        assert store.integrity_check() == "ok"
        runs = store.runs()
    assert len(calls) == 400
    assert len({c["call_id"] for c in calls}) == 400
    assert sum(1 for c in calls if c["agent_id"] == "P1") == 200
    assert all(len(c["checks"]) == len(CHECK_IDS) for c in calls)
    assert count(store_target, "SELECT COUNT(*) FROM checks") == 400 * len(CHECK_IDS)
    assert sorted(r["scored_recorded"] for r in runs) == [200, 200]
    assert all(r["finished_at"] for r in runs)


def test_wal_mode_and_schema_version(db_path: Path) -> None:
    with ResultStore(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with ResultStore(db_path) as again:  # reopening does not re-create anything
        assert again.schema_version() == SCHEMA_VERSION


def test_schema_migrates_forward_keeping_data(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ResultStore(db_path) as store:
        store.record(store.start_run(rules_version="v1"), scored("A-1"))

    def add_note(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE calls ADD COLUMN note TEXT")

    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, add_note))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with ResultStore(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION + 1
        assert [c["call_id"] for c in store.month_calls("2024-03")] == ["A-1"]
    assert count(db_path, "SELECT COUNT(*) FROM pragma_table_info('calls') WHERE name = 'note'") == 1


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    ResultStore(db_path).close()
    with sqlite3.connect(db_path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(QAScoringError, match=f"schema version {SCHEMA_VERSION + 5}"):
        ResultStore(db_path)


def test_not_a_database(db_path: Path) -> None:
    db_path.write_text("call_id,score\nA-1,100\n" * 100)
    with pytest.raises(QAScoringError, match="not a usable results store"):
        ResultStore(db_path)


def test_default_db_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QA_SCORING_DB", str(tmp_path / "x.sqlite"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("QA_SCORING_DB")
    assert default_db_path() == tmp_path / "xdg" / "qa-scoring" / "results.sqlite"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "qa-scoring" / "results.sqlite"


def test_creates_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "results.sqlite"
    with ResultStore(path) as store:
        store.start_run(rules_version=None)
    assert path.is_file()


def test_a_version_1_store_is_migrated_forward(tmp_path: Path) -> None:
    import sqlite3

    from qa_scoring.store import MIGRATIONS

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with ResultStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 7
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(checks)")]
    assert columns == ["call_id", "position", "check_id", "outcome"]


def _v4_store(target: str, monkeypatch: pytest.MonkeyPatch, more: int = 0) -> int:
    """A store as qa-scoring with schema version 4 wrote it: one scored call with its evidence, one
    auditor verdict, an error, and ``more`` calls without a call start; returns the run id."""
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:4])
    result = scored("OLD-1", fail=("closing.thanks",), score=66.7)
    with open_store(target) as store:
        assert store.schema_version() == 4
        db = store._db
        run = int(db.execute("INSERT INTO runs (uid, started_at, tool_version, rules_version) VALUES"
                             " ('u1', '2024-04-01T00:00:00+00:00', '0.9', 'v1') RETURNING id").fetchone()[0])  # fmt: skip
        db.execute(
            "INSERT INTO calls (call_id, run_id, rules_version, recorded_at, source, agent_id, agent_name, team,"
            " call_start, call_date, month, score, akurasi, salam_penutup, fcr, parameters, result)"
            " VALUES ('OLD-1', ?, 'v1', '2024-04-01T00:00:01+00:00', 'batch/OLD-1.txt', 'CSO-1', 'Agent CSO-1',"
            " 'Jakarta-2', '2024-03-05T09:15:00+07:00', '2024-03-05', '2024-03', 66.7, 1, 0, 1, ?, ?)",
            (run, json.dumps(result["parameters"]), json.dumps(result, ensure_ascii=False)),
        )
        for i in range(2, more + 2):
            db.execute(
                "INSERT INTO calls (call_id, run_id, recorded_at, parameters, result) VALUES (?, ?, 'x', '{}', ?)",
                (f"OLD-{i}", run, json.dumps({**result, "call_id": f"OLD-{i}"}, ensure_ascii=False)),
            )
        for i in range(1, more + 2):
            for position, check in enumerate(result["checks"]):
                db.execute(
                    "INSERT INTO checks (call_id, position, check_id, outcome, reason, reason_id, sop, evidence)"
                    " VALUES (?, ?, ?, ?, ?, '', ?, ?)",
                    (f"OLD-{i}", position, check["id"], check["outcome"], check["reason"], check["sop"],
                     json.dumps(check["evidence"])),
                )  # fmt: skip
        db.execute(
            "INSERT INTO run_results (run_id, seq, call_id, source, status, score, error, recorded_at) VALUES"
            " (?, 1, 'OLD-1', 'batch/OLD-1.txt', 'scored', 66.7, NULL, 'x'), (?, 2, 'E', 'e.json', 'error', NULL,"
            " 'bad', 'x')",
            (run, run),
        )
        db.execute(
            "INSERT INTO auditor_verdicts (call_id, check_id, outcome, machine_outcome, auditor, recorded_at)"
            " VALUES ('OLD-1', 'closing.thanks', 'pass', 'fail', 'Sari', 'x')"
        )
        db.execute(
            "INSERT INTO final_params (call_id, akurasi, salam_penutup, fcr, score) VALUES ('OLD-1', 1, 1, 1, 100)"
        )
    monkeypatch.undo()
    return run


def test_a_version_4_store_is_migrated_in_place(store_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _v4_store(store_target, monkeypatch)
    result = scored("OLD-1", fail=("closing.thanks",), score=66.7)
    with open_store(store_target) as store:
        assert store.schema_version() == SCHEMA_VERSION == 7
        [call] = store.month_calls("2024-03")
        assert call["run_id"] == run and call["parameters"] == result["parameters"]
        assert [c["evidence"] for c in call["checks"]] == [c["evidence"] for c in result["checks"]]
        assert [c["reason"] for c in call["checks"]] == [c["reason"] for c in result["checks"]]
        [exported] = store.final_results("2024-03")
        assert exported["checks"][2]["review"]["auditor"] == "Sari" and exported["final_score"] == 100
        assert exported["final_parameters"] == {"akurasi": True, "salam_penutup": True, "fcr": True}
        assert exported["checks"][0]["evidence"] == result["checks"][0]["evidence"]
        assert list(store.non_compliant_calls("2024-03")) == []  # the auditor's pass stands
        assert [r["scored_recorded"] for r in store.runs()] == [1]
        assert store.integrity_check() == "ok"
        # the migrated store records on: the call rescored, its verdict kept
        rerun = store.start_run(rules_version="v2")
        store.record(rerun, scored("OLD-1", fail=("closing.thanks", "closing.integrity"), score=33.3))
        [failing] = store.non_compliant_calls("2024-03")
    assert [f["id"] for f in failing["failed"]] == ["closing.integrity"]
    assert failing["failed"][0]["evidence"] == result["checks"][0]["evidence"]


def test_a_migrated_sqlite_store_shrinks(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _v4_store(str(db_path), monkeypatch, more=500)
    before = db_path.stat().st_size
    with ResultStore(db_path) as store:
        assert store.info()["calls"] == 501 and store.undated_calls() == 500
        evidence = store.check_evidence([("OLD-1", 0), ("OLD-300", 3), ("OLD-300", 9), ("NONE", 0)])
    assert evidence[:2] == [scored("X")["checks"][0]["evidence"], scored("X")["checks"][3]["evidence"]]
    assert evidence[2:] == [None, None]
    assert db_path.stat().st_size < before / 2


def test_the_compression_dictionary_is_the_same_in_every_process(rules: Any) -> None:
    """Workers and the writing process make the same dictionary from the same rules, whatever their hash seed."""
    import subprocess
    import sys

    code = (
        "from qa_scoring.rules import load_rules; from qa_scoring.store import compression_dictionary;"
        " print(compression_dictionary(load_rules())[0], compression_dictionary(None)[0])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout.split()[0]
        for seed in ("1", "2")
    }
    assert seen == {store_module.compression_dictionary(rules)[0]}


def _v5_store(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A version 4 store (``_v4_store``) migrated by qa-scoring with schema version 5: its calls deflated."""
    _v4_store(target, monkeypatch)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 5)
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:5])
    with open_store(target) as store:
        assert store.schema_version() == 5
    monkeypatch.undo()


def test_a_version_5_store_keeps_its_deflated_calls_and_adds_zstd_ones(
    store_target: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _v5_store(store_target, monkeypatch)
    result = scored("OLD-1", fail=("closing.thanks",), score=66.7)
    with open_store(store_target) as store:
        assert store.schema_version() == SCHEMA_VERSION == 7
        [(old_codec,)] = store._db.execute("SELECT codec FROM texts").fetchall()
        assert old_codec == "deflate"
        run = store.start_run(rules_version="v2")
        store.record(run, scored("NEW-1", team="Bandung-1"))
        calls = {c["call_id"]: c for c in store.month_calls("2024-03")}
        codecs = store._db.execute(
            "SELECT k.call_id, t.codec FROM calls k JOIN texts t ON t.id = k.detail_dict ORDER BY k.call_id"
        ).fetchall()
    assert [tuple(row) for row in codecs] == [("NEW-1", "zstd"), ("OLD-1", "deflate")]
    assert [c["evidence"] for c in calls["OLD-1"]["checks"]] == [c["evidence"] for c in result["checks"]]
    assert (
        calls["NEW-1"]["team"] == "Bandung-1" and calls["NEW-1"]["checks"][3]["reason"] == "reason of " + CHECK_IDS[3]
    )
    # copied into a new store, each call keeps its codec and reads back
    with open_store(tmp_path / "copy.sqlite") as target, open_store(store_target) as source:
        assert target.copy_from(source)["calls"] == 2
        again = {c["call_id"]: c for c in target.month_calls("2024-03")}
        assert sorted(row[0] for row in target._db.execute("SELECT codec FROM texts")) == ["deflate", "zstd"]
    assert again["OLD-1"]["checks"] == calls["OLD-1"]["checks"] and again["NEW-1"]["checks"] == calls["NEW-1"]["checks"]


def test_a_new_store_has_large_pages_and_zstd_frames(db_path: Path) -> None:
    with ResultStore(db_path) as store:
        store.record(store.start_run(rules_version="v1"), scored("C-1"))
        store.flush()
        [(detail, codec)] = store._db.execute(
            "SELECT k.detail, t.codec FROM calls k JOIN texts t ON t.id = k.detail_dict"
        ).fetchall()
        page_size = store._db.execute("PRAGMA page_size").fetchone()[0]
    assert page_size == store_module.PAGE_SIZE == 16384
    assert codec == "zstd" and bytes(detail)[:4] == b"\x28\xb5\x2f\xfd"  # a Zstandard frame
    # an existing file keeps the page size it was made with
    old = db_path.with_name("old.sqlite")
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE t (x)")
    with ResultStore(old) as store:
        assert store._db.execute("PRAGMA page_size").fetchone()[0] == 4096


def test_an_unknown_codec_is_named() -> None:
    with pytest.raises(QAScoringError, match="unknown compression codec 'brotli'"):
        store_module._decompress(b"x", b"dictionary", "brotli")


def test_each_thread_has_its_own_zstandard_coders() -> None:
    """Zstandard's compressors are not thread-safe: two threads never share one."""
    import threading

    body = b"terima kasih telah menghubungi PLN 123 " * 40
    mine = (store_module._packer(body), store_module._unpacker(body))
    assert (store_module._packer(body), store_module._unpacker(body)) == mine  # kept within a thread
    seen = []
    thread = threading.Thread(target=lambda: seen.append((store_module._packer(body), store_module._unpacker(body))))
    thread.start()
    thread.join()
    assert seen and seen[0][0] is not mine[0] and seen[0][1] is not mine[1]
    data = b'{"reason":"terima kasih telah menghubungi PLN 123 tidak diucapkan"}'
    assert store_module._decompress(store_module._compress(data, body), body) == data


def _v6_store(target: str, monkeypatch: pytest.MonkeyPatch, outcome: str = "pass") -> list[tuple[Any, ...]]:
    """A version 5 store (``_v5_store``) migrated by qa-scoring with schema version 6, with a second call
    whose checks are rows of the ``checks`` table (the last one's outcome ``outcome``); returns those rows."""
    _v5_store(target, monkeypatch)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 6)
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:6])
    with open_store(target) as store:
        db = store._db
        db.execute(
            "INSERT INTO calls (call_id, run_id, recorded_at, call_start, call_date, month, score, akurasi,"
            " salam_penutup, fcr) SELECT 'OLD-2', run_id, recorded_at, call_start, call_date, month, 0, 0, 0, 0"
            " FROM calls WHERE call_id = 'OLD-1'"
        )
        for position, check_id in enumerate(reversed(CHECK_IDS)):  # another order: another list of checks
            db.execute(
                "INSERT INTO checks (call_id, position, check_id, outcome) VALUES ('OLD-2', ?, ?, ?)",
                (position, check_id, outcome if position == len(CHECK_IDS) - 1 else "fail"),
            )
        rows = store.query("SELECT call_id, position, check_id, outcome FROM checks ORDER BY call_id, position")[1]
    monkeypatch.undo()
    return rows


def test_a_version_6_store_moves_its_verdicts_into_the_calls(
    store_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _v6_store(store_target, monkeypatch)
    assert len(before) == 2 * len(CHECK_IDS)
    with open_store(store_target) as store:
        assert store.schema_version() == SCHEMA_VERSION == 7
        after = store.query("SELECT call_id, position, check_id, outcome FROM checks ORDER BY call_id, position")
        stored = dict(store.query("SELECT call_id, outcomes FROM calls")[1])
        lists = store.query("SELECT ids FROM check_lists ORDER BY id")[1]
        finals = store.query("SELECT check_id, outcome, machine_outcome FROM final_checks WHERE call_id = 'OLD-1'")[1]
        assert store.machine_checks("OLD-2") == {c: "fail" for c in CHECK_IDS[1:]} | {CHECK_IDS[0]: "pass"}
        assert store.integrity_check() == "ok"
        if isinstance(store._db, sqlite3.Connection):  # vacuumed: the dropped table's pages given back
            assert store._db.execute("PRAGMA freelist_count").fetchone()[0] == 0
        # new calls with the first call's checks share its list
        store.record(store.start_run(rules_version="v2"), scored("NEW-1", fail=("closing.integrity",)))
        assert store.query("SELECT COUNT(*) FROM check_lists")[1] == [(2,)]
        # OLD-1's fail was overturned by the auditor; OLD-2 has no team and no agent
        assert sorted(store.check_fails("2024-03"), key=str) == sorted(
            [("Jakarta-2", "CSO-1", "closing.integrity", 1), *((None, None, c, 1) for c in CHECK_IDS[1:])], key=str
        )
    assert after[0] == ["call_id", "position", "check_id", "outcome"] and after[1] == before
    assert stored == {"OLD-1": "ppfp", "OLD-2": "fffp"}
    assert [json.loads(ids) for (ids,) in lists] == [list(CHECK_IDS), list(reversed(CHECK_IDS))]
    assert ("closing.thanks", "pass", "fail") in finals  # the auditor's pass over the machine's fail, kept


def test_a_version_6_store_with_an_unknown_outcome_names_it(store_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _v6_store(store_target, monkeypatch, outcome="error")
    with pytest.raises(QAScoringError, match=r"call OLD-2: check closing\.integrity has outcome 'error'"):
        open_store(store_target)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 6)
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:6])
    with open_store(store_target) as store:  # the migration's transaction was rolled back
        assert store.schema_version() == 6 and len(store.query("SELECT * FROM checks")[1]) == 2 * len(CHECK_IDS)


def test_a_stored_outcome_is_pass_fail_or_na(store_target: str) -> None:
    result = scored("X")
    result["checks"][1]["outcome"] = "maybe"
    with pytest.raises(QAScoringError, match=r"call X: check closing\.app_invitation has outcome 'maybe'"):
        store_module.prepare_record(result)
    with open_store(store_target) as store:
        run = store.start_run(rules_version="v1")
        store.record(run, {**scored("NONE"), "checks": []})
        store.record(run, {**scored("NA"), "checks": [{**scored("X")["checks"][0], "outcome": "na"}]})
        assert store.machine_checks("NONE") == {} and store.machine_checks("NA") == {"closing.integrity": "na"}
        assert store.query("SELECT call_id, check_list IS NULL, outcomes FROM calls ORDER BY call_id")[1] == [
            ("NA", False, "n"),
            ("NONE", True, ""),
        ]
        assert store.integrity_check() == "ok"
        store.query("SELECT 1")  # the batch written
        with store._transaction() as db:
            db.execute("UPDATE calls SET outcomes = 'nn' WHERE call_id = 'NA'")
        assert store.integrity_check() == "1 calls without their run or with verdicts that do not match their checks"
