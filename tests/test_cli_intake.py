"""How ``score`` finds the manifest, reports undated calls and says what it wrote (issue 6)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from qa_scoring.cli import main
from tests.conftest import write_call
from tests.test_cli import GOOD

MANIFEST = (
    "call_id,file,agent_id,agent_name,team,call_start,customer_name\n"
    "A-1,a.txt,CSO-1,Rina,Jakarta-1,2024-03-04 12:10,Budi Santoso\n"
    "B-2,b.txt,CSO-2,Sari,Jakarta-2,2024-03-04 12:30,Budi\n"
    "C-3,c.txt,CSO-3,Tono,Jakarta-2,2024-03-04 12:40,Budi\n"
)
WANTED = {
    "A-1": ("CSO-1", "Jakarta-1", "2024-03-04T12:10:00+07:00", "Budi Santoso"),
    "B-2": ("CSO-2", "Jakarta-2", "2024-03-04T12:30:00+07:00", "Budi"),
}


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding ``batch/`` with a.txt, b.txt (and c.txt) and its manifest."""
    monkeypatch.chdir(tmp_path)
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        write_call(batch, name, GOOD)
    (batch / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def score(*args: str) -> tuple[Any, list[dict[str, Any]]]:
    """Run ``score ARGS --jsonl out.jsonl --no-db`` in the working folder; the result and its lines."""
    result = CliRunner().invoke(main, ["score", *args, "--jsonl", "out.jsonl", "--no-db"])
    lines = []
    if Path("out.jsonl").exists():
        lines = [json.loads(line) for line in Path("out.jsonl").read_text(encoding="utf-8").splitlines()]
    return result, lines


def metadata(lines: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {r["call_id"]: (r["agent_id"], r["team"], r["call_start"], r["customer_name"]) for r in lines}


@pytest.mark.parametrize(
    "names",
    [["batch/a.txt", "batch/b.txt"], ["batch/[ab].txt"]],
    ids=["files", "glob"],
)
def test_files_and_globs_use_their_folders_manifest(here: Path, names: list[str]) -> None:
    result, lines = score(*names, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert metadata(lines) == WANTED
    assert all(r["status"] == "scored" and not r["warnings"] for r in lines)
    # c.txt was not named: its manifest row is not an error, and the summary says which manifest was used
    assert f"manifest: {os.path.join('batch', 'manifest.csv')} (3 rows, 2 matched)" in result.output.splitlines()


def test_folder_uses_its_manifest_and_a_missing_file_is_an_error(here: Path) -> None:
    (here / "batch" / "c.txt").unlink()
    result, lines = score("batch", "--lang", "en")
    assert result.exit_code == 1
    assert metadata([r for r in lines if r["status"] == "scored"]) == WANTED
    assert lines[-1]["status"] == "error" and "C-3 (file c.txt) has no transcript" in lines[-1]["error"]


def test_manifest_from_another_folder_keeps_every_calls_metadata(here: Path) -> None:
    elsewhere = here / "elsewhere"
    elsewhere.mkdir()
    (here / "batch" / "manifest.csv").rename(elsewhere / "manifest.csv")
    os.chdir(here / "batch")
    result, lines = score(".", "--manifest", "../elsewhere/manifest.csv")
    assert result.exit_code == 0, result.output
    assert [r["status"] for r in lines] == ["scored"] * 3
    assert metadata(lines) == {**WANTED, "C-3": ("CSO-3", "Jakarta-2", "2024-03-04T12:40:00+07:00", "Budi")}
    assert all(r["agent_name"] for r in lines)


def test_manifest_file_column_relative_to_the_batch_folder_by_name_or_by_call_id(here: Path) -> None:
    (here / "batch" / "manifest.csv").write_text(
        "call_id,file,agent_id\nA-1,batch/a.txt,CSO-1\nB-2,recordings/2024/b.txt,CSO-2\nc,,CSO-3\n",
        encoding="utf-8",
    )
    result, lines = score("batch")
    assert result.exit_code == 0, result.output
    assert [(r["call_id"], r["agent_id"]) for r in lines] == [("A-1", "CSO-1"), ("B-2", "CSO-2"), ("c", "CSO-3")]


def test_two_folders_two_manifests_each_file_uses_its_own(here: Path) -> None:
    other = here / "other"
    other.mkdir()
    write_call(other, "a.txt", GOOD)
    (other / "manifest.csv").write_text("call_id,file,agent_id\nZ-1,a.txt,CSO-9\n", encoding="utf-8")
    (here / "batch" / "c.txt").unlink()
    (here / "batch" / "manifest.csv").write_text(MANIFEST.rsplit("C-3", 1)[0], encoding="utf-8")
    result, lines = score("batch", "other", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert [(r["call_id"], r["agent_id"]) for r in lines] == [("A-1", "CSO-1"), ("B-2", "CSO-2"), ("Z-1", "CSO-9")]
    assert sum(line.startswith("manifest: ") for line in result.output.splitlines()) == 2
    result, lines = score("batch/a.txt", "other/a.txt")
    assert result.exit_code == 0, result.output
    assert [(r["call_id"], r["agent_id"]) for r in lines] == [("A-1", "CSO-1"), ("Z-1", "CSO-9")]
    assert not any("input.no_manifest_row" in r["warning_codes"] for r in lines)


def test_no_manifest_is_said_clearly(here: Path) -> None:
    loose = here / "loose"
    loose.mkdir()
    write_call(loose, "x.txt", GOOD)
    result, _ = score("loose/x.txt", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "no manifest: no manifest.csv or manifest.xlsx in loose" in result.output
    result, _ = score("loose/x.txt")
    assert "tanpa manifest: tidak ada manifest.csv atau manifest.xlsx di loose" in result.output


DATE_ONLY = "call_id,file,agent_id,call_start\n" + "".join(f"C-{i},c{i}.txt,CSO-1,2024-03-0{i}\n" for i in range(1, 6))


def undated_batch(here: Path) -> None:
    for i in range(1, 6):
        write_call(here / "batch", f"c{i}.txt", GOOD)
    for name in ("a.txt", "b.txt", "c.txt"):
        (here / "batch" / name).unlink()
    (here / "batch" / "manifest.csv").write_text(DATE_ONLY, encoding="utf-8")


def test_undated_calls_get_one_summary_line_not_one_warning_per_row(here: Path) -> None:
    undated_batch(here)
    runner = CliRunner()
    result = runner.invoke(main, ["score", "batch", "--jsonl", "out.jsonl", "--no-db", "--lang", "en"])
    assert result.exit_code == 0, result.output
    summary = [line for line in result.stdout.splitlines() if "no call start" in line]
    assert summary == ["5 calls have no call start: they will not appear in any month; see the 'Warnings' column"]
    warned = [line for line in result.stderr.splitlines() if "no time of day" in line]
    assert len(warned) == 1 and "(and 4 more like it)" in warned[0]
    quiet = runner.invoke(main, ["score", "batch", "--jsonl", "out.jsonl", "--no-db", "-q"])
    assert quiet.stderr == ""
    assert "5 panggilan tidak memiliki waktu mulai" in quiet.stdout
    first = json.loads(Path("out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["call_start"] is None
    assert first["warning_codes"] == ["input.no_value_time", "input.no_call_start"]
    assert first["warnings"][0].endswith("call_start: '2024-03-01' has no time of day (expected ISO 8601, "
                                         "'YYYY-MM-DD HH:MM[:SS]' or 'DD/MM/YYYY HH:MM[:SS]')")
    assert "tidak memuat jam" in first["warnings_id"][0]


def test_indonesian_workbook_has_indonesian_warnings_and_errors(here: Path) -> None:
    undated_batch(here)
    (here / "batch" / "c9.json").write_text('{"segments": [', encoding="utf-8")
    with (here / "batch" / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write("C-8,c8.txt,CSO-1,2024-03-08 10:00\n")
    result = CliRunner().invoke(main, ["score", "batch", "--out", "out.xlsx", "--no-db", "-q"])
    assert result.exit_code == 1, result.output
    workbook = openpyxl.load_workbook("out.xlsx", read_only=True)
    calls = [list(row) for row in workbook["Per Panggilan"].iter_rows(values_only=True)]
    column = calls[0].index("Catatan")
    assert "tidak memuat jam" in calls[1][column] and "tidak akan muncul di bulan mana pun" in calls[1][column]
    assert "has no time of day" not in calls[1][column]
    errors = [cell for row in workbook.worksheets[-1].iter_rows(values_only=True) for cell in row if cell]
    assert any("baris manifest untuk panggilan C-8 (berkas c8.txt) tidak memiliki transkrip" in str(c) for c in errors)
    assert any("JSON tidak valid" in str(cell) for cell in errors)
    assert not any("not valid JSON" in str(cell) or "has no transcript" in str(cell) for cell in errors)
    english = CliRunner().invoke(main, ["score", "batch", "--out", "en.xlsx", "--no-db", "-q", "--lang", "en"])
    assert english.exit_code == 1
    calls = [list(row) for row in openpyxl.load_workbook("en.xlsx", read_only=True)["Calls"].iter_rows(values_only=True)]
    assert "has no time of day" in calls[1][calls[0].index("Warnings")]


def test_only_out_names_only_what_was_written(here: Path) -> None:
    result = CliRunner().invoke(main, ["score", "batch", "--out", "report.xlsx", "--no-db", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "results.jsonl" not in result.output and ".jsonl" not in result.output
    assert "JSON Lines" not in result.output
    assert result.stdout.splitlines()[-1] == "Excel: report.xlsx"
    assert sorted(p.name for p in here.iterdir()) == ["batch", "report.xlsx"]
    summary = openpyxl.load_workbook("report.xlsx", read_only=True).worksheets[0]
    cells = [cell for row in summary.iter_rows(values_only=True) for cell in row if cell]
    assert not any("jsonl" in str(cell) for cell in cells)
    assert "batch" in cells


def test_store_is_named_when_written(here: Path) -> None:
    db = here / "results.sqlite"
    result = CliRunner().invoke(main, ["score", "batch", "--out", "r.xlsx", "--db", str(db), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == ["Excel: r.xlsx", f"results store: {db}"]


def test_no_progress_label_on_piped_stderr(here: Path) -> None:
    result = CliRunner().invoke(main, ["score", "batch", "--jsonl", "out.jsonl", "--no-db"])
    assert result.exit_code == 0, result.output
    assert "scoring" not in result.stderr and "menilai" not in result.stderr
    assert result.stderr == ""


def test_unreadable_manifest_is_one_line_in_the_users_language(here: Path) -> None:
    (here / "batch" / "manifest.csv").write_text("file,agent_id\na.txt,CSO-1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "batch", "--no-db", "--jsonl", "out.jsonl"])
    assert result.exit_code == 2
    manifest = os.path.join("batch", "manifest.csv")
    assert result.stderr == f"Error: {manifest}:1: manifest tidak memiliki kolom call_id (yang ada: file, agent_id)\n"
    english = CliRunner().invoke(main, ["score", "batch", "--no-db", "--jsonl", "out.jsonl", "--lang", "en"])
    assert english.stderr == f"Error: {manifest}:1: manifest has no call_id column (found: file, agent_id)\n"
    assert not Path("out.jsonl").exists()
