"""Interrupted runs (issues 8 and 12): SIGTERM and SIGKILL at several points leave whole calls and no debris."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa_scoring.store import ResultStore

ROOT = Path(__file__).resolve().parent.parent
COPIES = 20  # x the sample files: about 750 calls, a second or two of scoring


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    samples = [p for p in (ROOT / "sample_transcripts").iterdir() if p.suffix in (".txt", ".vtt", ".srt", ".json")]
    for n in range(COPIES):
        for sample in samples:
            data = sample.read_bytes().replace(b"call_id:", b"x_call_id:")  # each copy its own call id
            (folder / f"{sample.stem}-{n:03d}{sample.suffix}").write_bytes(data)
    return folder


def _start(batch: Path, out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "qa_scoring", "score", str(batch), "--jsonl", str(out / "r.jsonl"),
           "--out", str(out / "r.xlsx"), "--db", str(out / "s.sqlite"), "-q", "--no-fail"]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _runs(out: Path) -> list[tuple[int]]:
    import sqlite3
    from contextlib import closing

    if not (out / "s.sqlite").exists():
        return []
    try:
        with closing(sqlite3.connect(out / "s.sqlite", timeout=0.1)) as db:
            return db.execute("SELECT id FROM runs").fetchall()
    except sqlite3.Error:
        return []


def _run_started(out: Path, count: int = 1) -> bool:
    return len(_runs(out)) >= count


def _debris(out: Path) -> list[str]:
    return sorted(name for name in os.listdir(out) if name.startswith(".r."))


def _whole_calls_only(out: Path) -> None:
    with ResultStore(out / "s.sqlite") as store:
        assert store.integrity_check() == "ok"
        rows = store._db.execute("SELECT call_id, detail, detail_dict FROM calls").fetchall()
        for call_id, detail, dictionary in rows:
            (count,) = store._db.execute("SELECT COUNT(*) FROM checks WHERE call_id = ?", (call_id,)).fetchone()
            assert count == len(store._result(detail, dictionary)["checks"]), call_id


def _targets_whole_or_absent(out: Path) -> None:
    if (out / "r.jsonl").exists():
        for line in (out / "r.jsonl").read_text(encoding="utf-8").splitlines():
            json.loads(line)
    if (out / "r.xlsx").exists():
        from openpyxl import load_workbook

        load_workbook(out / "r.xlsx", read_only=True).close()


def test_sigterm_removes_its_temporary_files_and_marks_the_run_interrupted(batch: Path, tmp_path: Path) -> None:
    proc = _start(batch, tmp_path)
    deadline = time.monotonic() + 60
    while not _run_started(tmp_path) and time.monotonic() < deadline:  # wait until scoring has begun
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().startswith("Interrupted: after") and "Traceback" not in err
    assert not (tmp_path / "r.jsonl").exists() and not (tmp_path / "r.xlsx").exists()
    assert _debris(tmp_path) == []
    _whole_calls_only(tmp_path)
    with ResultStore(tmp_path / "s.sqlite") as store:
        (run,) = store.runs()
        assert run["finished_at"] is None
        (marker,) = store._db.execute("SELECT error FROM run_results WHERE source = '(run)'").fetchall()
        assert marker[0].startswith("run interrupted after")


def test_sigkill_at_several_points_leaves_whole_calls_and_a_rerun_completes_it(batch: Path, tmp_path: Path) -> None:
    for started, delay in ((False, 0.2), (True, 0.05), (True, 0.3), (True, 0.6)):
        wanted = len(_runs(tmp_path)) + 1
        proc = _start(batch, tmp_path)
        deadline = time.monotonic() + 60
        while started and not _run_started(tmp_path, wanted) and time.monotonic() < deadline:
            time.sleep(0.02)  # kill points counted from the start of scoring, not of the process
        time.sleep(delay)
        proc.kill()
        proc.communicate(timeout=60)
        _targets_whole_or_absent(tmp_path)
        _whole_calls_only(tmp_path)
    proc = _start(batch, tmp_path)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert _debris(tmp_path) == []  # the killed runs' temporary files are gone
    _targets_whole_or_absent(tmp_path)
    _whole_calls_only(tmp_path)
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    with ResultStore(tmp_path / "s.sqlite") as store:
        runs = store.runs()
        assert any(run["finished_at"] is None for run in runs[:-1])  # at least one kill landed mid-run
        assert runs[-1]["finished_at"] and runs[-1]["scored_recorded"] + runs[-1]["errors_recorded"] == len(lines)


def test_stale_temporary_files_of_dead_processes_are_removed_but_not_live_ones(tmp_path: Path) -> None:
    from qa_scoring.fileutil import remove_stale

    target = tmp_path / "r.jsonl"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".r.jsonl.{dead.stdout.strip()}.abc.tmp"
    live = tmp_path / f".r.jsonl.{os.getpid()}.def.tmp"
    other = tmp_path / ".other.jsonl.1.x.tmp"
    for path in (stale, live, other):
        path.write_text("x", encoding="utf-8")
    assert remove_stale(target) == [stale]
    assert not stale.exists() and live.exists() and other.exists()
    shutil.rmtree(tmp_path)


def test_private_temporary_folders_of_killed_runs_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from qa_scoring.fileutil import private_temp_dir

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"qa-scoring-{dead.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "results.jsonl").write_text("{}", encoding="utf-8")
    mine = private_temp_dir()
    assert not stale.exists() and Path(mine.name).name.startswith(f"qa-scoring-{os.getpid()}-")
    mine.cleanup()
