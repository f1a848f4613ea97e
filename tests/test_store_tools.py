"""Store tools and shared stores: concurrent score runs, ``store info``, ``store copy``, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_scoring.cli import main
from qa_scoring.reports.monthly import load_month
from qa_scoring.store import PARAMETERS, local_call_date, open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_transcripts"


def split_sample(tmp_path: Path, parts: int) -> list[Path]:
    """The sample batch's transcripts in ``parts`` folders, each with the sample manifest."""
    files = sorted(p for p in SAMPLE.iterdir() if p.is_file() and p.name[0] not in "_." and p.name != "manifest.csv")
    folders = [tmp_path / f"site-{i}" for i in range(parts)]
    for i, folder in enumerate(folders):
        folder.mkdir()
        shutil.copy(SAMPLE / "manifest.csv", folder / "manifest.csv")
        for path in files[i::parts]:
            shutil.copy(path, folder / path.name)
    return folders


def month_figures_from_jsonl(paths: list[Path]) -> dict[str, dict[str, float]]:
    """Calls and compliance per month, computed straight from the JSON Lines."""
    by_month: dict[str, list[dict]] = defaultdict(list)
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            result = json.loads(line)
            day = local_call_date(result.get("call_start"))
            if result["status"] == "scored" and day:
                by_month[day.isoformat()[:7]].append(result)
    out = {}
    for month, calls in by_month.items():
        figures = {"calls": float(len(calls))}
        for p in PARAMETERS:
            assessed = [c["parameters"][p] for c in calls if c["parameters"].get(p) is not None]
            figures[p] = sum(assessed) / len(assessed)
        out[month] = figures
    return out


def test_four_score_runs_at_once_into_one_store(store_target: str, tmp_path: Path) -> None:
    """Four sites score at the same moment into one store; nothing lost or doubled, monthly equals the JSON Lines."""
    folders = split_sample(tmp_path, 4)
    outputs = [tmp_path / f"{f.name}.jsonl" for f in folders]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "qa_scoring", "score", str(folder), "--jsonl", str(out), "--db", store_target,
             "--no-fail", "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder, out in zip(folders, outputs, strict=True)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    want = month_figures_from_jsonl(outputs)
    scored_ids = [json.loads(line)["call_id"] for out in outputs for line in out.read_text().splitlines()
                  if json.loads(line)["status"] == "scored"]  # fmt: skip
    assert len(want) > 10
    with open_store(store_target) as store:
        assert store.integrity_check() == "ok"
        # one row per call id: a call scored at two sites (a table holding it twice) counts once
        assert store.info()["calls"] == len(set(scored_ids)) >= 41
        assert sorted(r["scored_recorded"] for r in store.runs()) == sorted(
            sum(json.loads(line)["status"] == "scored" for line in out.read_text().splitlines()) for out in outputs
        )
        for month, figures in want.items():
            total = load_month(store, month).all_figures()
            assert total.calls == figures["calls"], month
            for p in PARAMETERS:
                assert total.compliance(p) == pytest.approx(figures[p]), (month, p)


def fill(target: str, tmp_path: Path, folder: Path = SAMPLE) -> None:
    res = CliRunner().invoke(main, ["score", str(folder), "--jsonl", str(tmp_path / "x.jsonl"), "--db", target,
                                    "--no-fail", "-q"])  # fmt: skip
    assert res.exit_code == 0, res.output


def test_store_info(store_target: str, tmp_path: Path) -> None:
    fill(store_target, tmp_path)
    res = CliRunner().invoke(main, ["store", "info", "--db", store_target])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[1] == "schema version: 7"
    assert lines[3].startswith("runs: 1 (last started 20")
    assert lines[4] == "calls: 46 (2 without a call start, in no month)"
    assert "2023-08      4      3       4" in lines


def test_store_info_of_a_missing_store(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["store", "info", "--db", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 2
    assert "no results store at" in res.output


def test_copy_an_auditors_store_twice_adds_nothing(tmp_path: Path, pg_url: str) -> None:
    sqlite = str(tmp_path / "auditor.sqlite")
    fill(sqlite, tmp_path)
    fill(sqlite, tmp_path)  # rescored: two runs, each call once
    first = CliRunner().invoke(main, ["store", "copy", sqlite, pg_url])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("copied 2 runs (104 results, 46 calls written) into postgresql://")
    again = CliRunner().invoke(main, ["store", "copy", sqlite, pg_url])
    assert again.output.startswith("copied 0 runs (0 results, 0 calls written)")
    assert again.output.rstrip().endswith("2 runs were there already")
    with open_store(sqlite) as src, open_store(pg_url) as dest:
        assert dest.info()["months"] == src.info()["months"]
        assert dest.info()["calls"] == src.info()["calls"] == 46
        for table in ("runs", "run_results", "calls", "checks"):
            count = f"SELECT COUNT(*) FROM {table}"
            assert dest._db.execute(count).fetchone()[0] == src._db.execute(count).fetchone()[0], table
        assert dest.month_calls("2023-08") == [
            dict(c, run_id=dest.month_calls("2023-08")[i]["run_id"]) for i, c in enumerate(src.month_calls("2023-08"))
        ]


def test_copy_keeps_the_newer_result_of_a_call(tmp_path: Path, pg_url: str) -> None:
    sqlite = str(tmp_path / "auditor.sqlite")
    fill(sqlite, tmp_path)
    fill(pg_url, tmp_path)  # the team store scored the same calls later
    with open_store(pg_url) as dest:
        before = {c["call_id"]: c["run_id"] for c in dest.month_calls("2023-08")}
    res = CliRunner().invoke(main, ["store", "copy", sqlite, pg_url])
    assert res.output.startswith("copied 1 runs (52 results, 0 calls written)")
    with open_store(pg_url) as dest:
        assert {c["call_id"]: c["run_id"] for c in dest.month_calls("2023-08")} == before


def test_a_report_reads_one_snapshot_while_a_run_records(store_target: str, tmp_path: Path) -> None:
    """What a run commits while the monthly workbook is being made does not change that workbook's figures."""
    from tests.test_store import scored

    with open_store(store_target) as writer, open_store(store_target) as reader:
        run = writer.start_run(rules_version="v1")
        writer.record(run, scored("S-1"))
        writer.flush()  # another connection sees a batch once it is written
        with reader.read_snapshot():
            before = reader.agent_figures(["2024-03"])
            writer.record(run, scored("S-2"))  # committed by another connection meanwhile
            writer.record(run, scored("S-3", fail=("closing.thanks",), score=66.7))
            writer.flush()
            during = reader.agent_figures(["2024-03"]), reader.check_fails("2024-03")
        after = reader.agent_figures(["2024-03"])
    assert before[0]["calls"] == during[0][0]["calls"] == 1 and during[1] == []
    assert after[0]["calls"] == 3
