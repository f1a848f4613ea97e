"""End to end through the CLI with click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa_scoring.cli import main
from tests.conftest import write_call

GOOD = """
[00:00:01] CSO: selamat siang terima kasih telah menghubungi pln 123 ada yang bisa dibantu
[00:00:08] PELANGGAN: listrik rumah saya padam
[00:00:20] CSO: baik laporan sudah kami teruskan ke petugas
[00:01:40] CSO: apakah ada lagi yang bisa dibantu
[00:01:44] PELANGGAN: tidak mbak
[00:01:48] CSO: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
[00:01:55] CSO: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
[00:02:00] CSO: terima kasih telah menghubungi pln 123 selamat siang bapak budi
"""


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    write_call(folder, "A-1.txt", GOOD)
    write_call(folder, "A-2.txt", GOOD.replace("selamat siang bapak budi", "selamat pagi bapak budi"))
    (folder / "A-3.json").write_text('{"segments": [', encoding="utf-8")
    (folder / "_notes.md").write_text("not a transcript", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "call_id,agent_id,team,call_start,customer_name\n"
        "A-1,CSO-1,Jakarta-1,2024-03-04T12:10:00,Budi Santoso\n"
        "A-2,CSO-2,Jakarta-1,2024-03-04 12:30:00,Budi\n"
        "A-3,CSO-3,Jakarta-1,2024-03-04 12:40:00,Sri\n"
        "A-9,CSO-2,Jakarta-1,2024-03-04 13:00:00,Ani\n",
        encoding="utf-8",
    )
    return folder


def test_score_writes_jsonl_and_summary(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["score", str(batch), "--jsonl", str(out), "--no-db", "-q", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[:3] == [
        "calls scored: 2, could not be scored: 2",
        "compliance: Akurasi 100.0%, Salam Penutup 50.0%, FCR 100.0%",
        "average score: 83.3",
    ]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["call_id"], r["status"]) for r in lines] == [
        ("A-1", "scored"),
        ("A-2", "scored"),
        ("A-3", "error"),
        ("A-9", "error"),
    ]
    first = lines[0]
    assert first["agent_id"] == "CSO-1" and first["team"] == "Jakarta-1"
    assert first["call_start"] == "2024-03-04T12:10:00+07:00"
    assert first["parameters"] == {"akurasi": True, "salam_penutup": True, "fcr": True}
    assert first["score"] == 100.0
    assert lines[1]["failed_checks"] == ["closing.time_greeting"]
    greeting = next(c for c in lines[1]["checks"] if c["id"] == "closing.time_greeting")
    assert greeting["evidence"]["time"] == "12:32:00"
    assert "A-3.json" in lines[2]["error"] and ":1" in lines[2]["error"]
    assert "manifest.csv:5" in lines[3]["error"] and "no transcript" in lines[3]["error"]


def test_transcript_without_any_speaker_is_an_error_not_all_agent(tmp_path: Path) -> None:
    """Undiarized Whisper output: crediting every line to the agent would let the customer pass checks."""
    lines = [line.split(": ", 1)[1] for line in GOOD.strip().splitlines()]
    segments = [{"start": 5.0 * i, "end": 5.0 * i + 4, "text": " " + text} for i, text in enumerate(lines)]
    path = tmp_path / "W-1.json"
    path.write_text(json.dumps({"segments": segments, "language": "id"}), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["score", str(path), "--jsonl", str(out), "--no-db", "-q"])
    assert result.exit_code == 1, result.output
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["status"] == "error"
    assert "W-1.json" in line["error"] and "no speaker labels" in line["error"]


def test_no_fail_exits_zero(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["score", str(batch), "--jsonl", str(out), "--no-db", "-q", "--no-fail"])
    assert result.exit_code == 0, result.output


def test_clean_batch_exits_zero_and_records_store(tmp_path: Path) -> None:
    folder = tmp_path / "clean"
    folder.mkdir()
    write_call(folder, "B-1.txt", GOOD, {"call_start": "2024-03-04 12:10:00", "team": "Bandung-1"})
    db = tmp_path / "store.sqlite"
    out = tmp_path / "b.jsonl"
    result = CliRunner().invoke(main, ["score", str(folder), "--jsonl", str(out), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    from qa_scoring.store import ResultStore

    with ResultStore(db) as store:
        assert [c["call_id"] for c in store.month_calls("2024-03")] == ["B-1"]


def test_missing_path_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(tmp_path / "nope"), "--no-db", "--jsonl", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "nope" in result.output


def test_bad_rules_file_is_a_user_error(batch: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("schema_version: 1\nruleset: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(batch), "--rules", str(rules), "--no-db", "--jsonl", "x"])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {rules}")


def test_rules_validate_and_show(tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["rules", "show"])
    assert shown.exit_code == 0 and "closing.integrity" in shown.output
    path = tmp_path / "mine.yaml"
    path.write_text(shown.output, encoding="utf-8")
    ok = runner.invoke(main, ["rules", "validate", str(path)])
    assert ok.exit_code == 0
    assert ok.output.startswith(f"{path}: OK: ruleset pln123-2023.07.3, 9 checks, 3 parameters")
    path.write_text(shown.output.replace("name_threshold: 85", "name_threshold: 185"), encoding="utf-8")
    bad = runner.invoke(main, ["rules", "validate", str(path)])
    assert bad.exit_code == 2
    assert "rule 'closing.customer_name'" in bad.output and "name_threshold" in bad.output


@pytest.mark.parametrize("command", [["score"], ["rules"], ["rules", "validate"], ["monthly"], []])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_python_dash_m_entry_point() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "qa_scoring", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "qa-scoring" in proc.stdout


def test_an_output_that_is_not_a_regular_file_is_refused(batch: Path, tmp_path: Path) -> None:
    """Outputs are renamed onto their names: a pipe (or ``/dev/null``) given as one would be replaced."""
    import os
    import stat

    from qa_scoring.fileutil import publish

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for option in ("--jsonl", "--out"):
        result = CliRunner().invoke(main, ["score", str(batch), option, str(fifo), "--no-db"])
        assert result.exit_code == 2
        assert "is not a regular file" in result.output
    tmp = tmp_path / "made.tmp"
    tmp.write_text("x", encoding="utf-8")
    with pytest.raises(OSError, match="not a regular file"):
        publish(tmp, fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and not tmp.exists()
