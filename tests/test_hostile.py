"""Hostile input (issues 8 and 12): each named defect reproduced and shown fixed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from qa_scoring.cli import main
from qa_scoring.readers import read_source

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "sample_transcripts" / "C-0005.json"


def _strict(text: str) -> Any:
    """json.loads that refuses NaN and Infinity."""

    def refuse(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def run_score(folder: Path, tmp: Path, *extra: str) -> tuple[Any, list[dict[str, Any]]]:
    """Score ``folder`` to JSON Lines and a workbook; return the click result and the parsed lines."""
    jsonl = tmp / "out.jsonl"
    result = CliRunner().invoke(
        main,
        ["score", str(folder), "--jsonl", str(jsonl), "--out", str(tmp / "out.xlsx"), "--db", str(tmp / "s.sqlite"),
         "-q", "--no-fail", *extra],
    )
    lines = [_strict(line) for line in jsonl.read_text(encoding="utf-8").splitlines()] if jsonl.exists() else []
    return result, lines


def _batch(tmp: Path, name: str, content: str | bytes) -> Path:
    folder = tmp / "batch"
    folder.mkdir(exist_ok=True)
    shutil.copy(GOOD, folder / "good.json")
    target = folder / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return folder


def _whisper_with(text: str = "", start: str = "0.5") -> str:
    data = json.loads(GOOD.read_text(encoding="utf-8"))
    body = json.dumps(data["segments"])
    head = '{"segments": ' + body[:1] + '{"start": ' + start + ', "end": 1.0, "speaker": "SPEAKER_00", "text": "' + text + ' halo"}, '
    return head + body[1:] + "}"


def test_lone_surrogate_in_whisper_text_is_scored_with_a_replacement_character(tmp_path: Path) -> None:
    folder = _batch(tmp_path, "sur.json", _whisper_with(text="\\ud800 terima"))
    result, lines = run_score(folder, tmp_path)
    assert result.exit_code == 0, result.output
    assert {line["call_id"]: line["status"] for line in lines} == {"good": "scored", "sur": "scored"}
    assert (tmp_path / "out.xlsx").exists()


def test_nan_and_infinite_times_are_ignored_with_a_warning_never_written(tmp_path: Path) -> None:
    folder = _batch(tmp_path, "nan.json", _whisper_with(start="NaN"))
    (folder / "inf.json").write_text(
        '{"Transcript":[{"ParticipantRole":"AGENT","Content":"terima kasih telah menghubungi pln 123 selamat pagi",'
        '"BeginOffsetMillis":1e400,"EndOffsetMillis":-5},{"ParticipantRole":"CUSTOMER","Content":"halo",'
        '"BeginOffsetMillis":5000}]}',
        encoding="utf-8",
    )
    (folder / "manifest.csv").write_text(
        "call_id,call_start\ngood,2023-08-01 09:00\nnan,2023-08-01 09:00\ninf,2023-08-01 09:00\n", encoding="utf-8"
    )
    result, lines = run_score(folder, tmp_path)
    assert result.exit_code == 0, result.output
    by_id = {line["call_id"]: line for line in lines}
    assert {k: v["status"] for k, v in by_id.items()} == {"good": "scored", "nan": "scored", "inf": "scored"}
    assert any("start 'nan' is not a usable time" in w for w in by_id["nan"]["warnings"])
    assert any("BeginOffsetMillis 'inf'" in w for w in by_id["inf"]["warnings"])
    assert any("EndOffsetMillis '-5'" in w for w in by_id["inf"]["warnings"])


def test_the_writer_never_writes_nan_or_a_surrogate(tmp_path: Path) -> None:
    from qa_scoring.reports.jsonl import JsonlWriter

    with JsonlWriter(tmp_path / "x.jsonl") as writer:
        written = writer.write({"a": float("nan"), "b": [float("inf")], "c": "x\ud800y"})
    assert written == {"a": None, "b": [None], "c": "x\ufffdy"}
    assert _strict((tmp_path / "x.jsonl").read_text(encoding="utf-8")) == written


def test_huge_and_negative_table_times_are_warnings(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("call_id,speaker,text,start\nA,CSO,halo,1e400\nA,PELANGGAN,iya,-3\nA,CSO,baik,99999999999\n", encoding="utf-8")
    (call,) = list(read_source(path))
    assert [t.start for t in call.turns] == [None, None, None]
    assert len(call.warnings) == 3
