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


def run_score(folder: Path, tmp: Path, *extra: str, quiet: bool = True) -> tuple[Any, list[dict[str, Any]]]:
    """Score ``folder`` to JSON Lines and a workbook; return the click result and the parsed lines."""
    jsonl = tmp / "out.jsonl"
    result = CliRunner().invoke(
        main,
        ["score", str(folder), "--jsonl", str(jsonl), "--out", str(tmp / "out.xlsx"), "--db", str(tmp / "s.sqlite"),
         *(["-q"] if quiet else []), "--no-fail", *extra],
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


def test_a_table_with_a_header_and_no_rows_is_an_error_line(tmp_path: Path) -> None:
    for name, data in (("h.csv", b"call_id,speaker,text\n"), ("h.tsv", b"call_id\tspeaker\ttext\n\n\n")):
        path = tmp_path / name
        path.write_bytes(data)
        (item,) = list(read_source(path))
        assert item.message == "the table has a header row but no data rows"


def _problems(tmp: Path) -> dict[str, str]:
    _, lines = run_score(tmp / "batch", tmp)
    return {line["source"]: line.get("error", line["status"]) for line in lines}


def test_fifo_loop_broken_link_and_link_out_are_error_lines_not_hangs(tmp_path: Path) -> None:
    import os

    folder = _batch(tmp_path, "notes.txt", "CSO: halo\n")
    secret = tmp_path / "outside.txt"
    secret.write_text("root:x:0:0:SECRET-CONTENT\n", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink(folder / "missing.txt", folder / "broken.txt")
    os.symlink(secret, folder / "passwd.txt")
    os.symlink(tmp_path, folder / "up")
    os.symlink(folder / "good.json", folder / "inside.json")  # inside the batch: followed (the same call as good)
    result, lines = run_score(folder, tmp_path)
    assert result.exit_code == 0, result.output
    errors = {Path(line["source"]).name: line.get("error", "") for line in lines if line["status"] == "error"}
    assert "not a regular file" in errors["pipe.txt"]
    assert "leads nowhere" in errors["loop.txt"] and "leads nowhere" in errors["broken.txt"]
    assert "outside the batch folder" in errors["passwd.txt"] and "--follow-links" in errors["passwd.txt"]
    assert "outside the batch folder" in errors["up"]
    assert "SECRET" not in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert "inside.json" not in errors
    assert {line["call_id"] for line in lines if line["status"] == "scored"} == {"good", "notes"}


def test_follow_links_reads_a_link_out_of_the_batch(tmp_path: Path) -> None:
    import os

    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(GOOD, tmp_path / "elsewhere" / "far.json")
    os.symlink(tmp_path / "elsewhere" / "far.json", folder / "far.json")
    _, lines = run_score(folder, tmp_path, "--follow-links")
    assert {"good", "far"} <= {line["call_id"] for line in lines if line["status"] == "scored"}


def test_a_fifo_named_on_the_command_line_does_not_hang(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "p.txt")
    (item,) = list(read_source(tmp_path / "p.txt"))
    assert "not a regular file" in item.message


def test_an_unreadable_sub_folder_is_an_error_line(tmp_path: Path, monkeypatch: Any) -> None:
    import os

    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    (folder / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    _, lines = run_score(folder, tmp_path)
    (locked,) = [line for line in lines if line["source"].endswith("locked")]
    assert "cannot open the folder (Permission denied)" in locked["error"]


def test_a_file_name_that_is_not_utf8_or_holds_a_newline_is_named_in_its_result(tmp_path: Path) -> None:
    import os

    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    os.remove(folder / "x.txt")
    shutil.copy(GOOD, os.path.join(os.fsencode(folder), b"bad\xff-name.json"))
    shutil.copy(GOOD, folder / "new\nline.json")
    result, lines = run_score(folder, tmp_path)
    assert result.exit_code == 0, result.output
    sources = sorted(Path(line["source"]).name for line in lines)
    assert sources == ["bad\\xff-name.json", "good.json", "new\\x0aline.json"]


def test_a_file_over_the_size_limit_is_an_error_line(tmp_path: Path) -> None:
    folder = _batch(tmp_path, "big.txt", "CSO: " + "halo " * 300_000 + "\n")
    _, lines = run_score(folder, tmp_path, "--max-file-mb", "1")
    (big,) = [line for line in lines if line["source"].endswith("big.txt")]
    assert "over the limit of 1 MB per file (--max-file-mb)" in big["error"]


def test_not_sqlite_store_and_unwritable_output_stop_before_scoring_with_exit_2(tmp_path: Path) -> None:
    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    bad = tmp_path / "bad.db"
    bad.write_text("this is not a database", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["score", str(folder), "--db", str(bad), "--jsonl", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"Error: {bad}: not a usable results store (file is not a database)"]
    assert not (tmp_path / "a.jsonl").exists()
    out = bad / "x.xlsx"  # a folder that is a file: cannot be written
    store = tmp_path / "ok.sqlite"
    result = runner.invoke(
        main, ["score", str(folder), "--db", str(store), "--jsonl", str(tmp_path / "b.jsonl"), "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "cannot be written" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "b.jsonl").exists() and not store.exists()


def test_an_unexpected_exception_in_one_call_is_its_error_line_with_an_id(tmp_path: Path, monkeypatch: Any) -> None:
    import qa_scoring.pipeline as pipeline

    real = pipeline.score_call

    def boom(transcript: Any, *args: Any) -> Any:
        if transcript.call_id == "bad":
            return None.missing  # type: ignore[attr-defined]
        return real(transcript, *args)

    monkeypatch.setattr(pipeline, "score_call", boom)
    folder = _batch(tmp_path, "bad.json", GOOD.read_text(encoding="utf-8"))
    result, lines = run_score(folder, tmp_path)
    assert result.exit_code == 0, result.output
    by_id = {line["call_id"]: line for line in lines}
    assert by_id["good"]["status"] == "scored"
    error = by_id["bad"]["error"]
    assert "internal error while scoring the call" in error and "report id QA-" in error
    assert "NoneType" not in error and "attribute" not in error


def _xlsx_with_sheet(path: Path, edit: Any) -> None:
    import re
    import zipfile

    import openpyxl

    plain = path.with_suffix(".plain.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["call_id", "speaker", "text"])
    wb.active.append(["A", "CSO", "terima kasih telah menghubungi pln 123"])
    wb.active.append(["A", "PELANGGAN", "halo"])
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(re, data.decode()).encode()
            zout.writestr(item, data)
    plain.unlink()


def test_an_xlsx_dimension_bomb_is_read_in_a_moment(tmp_path: Path) -> None:
    import time

    path = tmp_path / "bomb.xlsx"

    def bomb(re: Any, sheet: str) -> str:
        sheet = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', sheet)
        cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return sheet.replace("</sheetData>", cell + "</sheetData>")

    _xlsx_with_sheet(path, bomb)
    assert path.stat().st_size < 6000
    began = time.monotonic()
    items = list(read_source(path))
    assert time.monotonic() - began < 15  # minutes at full CPU before; about a second now
    assert [item.call_id for item in items] == ["A"]
    assert [t.text for t in items[0].turns] == ["terima kasih telah menghubungi pln 123", "halo"]


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    from qa_scoring.limits import Limits

    path = tmp_path / "zip.xlsx"
    _xlsx_with_sheet(path, lambda re, sheet: sheet.replace("</sheetData>", "</sheetData>" + " " * 3_000_000))
    (item,) = list(read_source(path, limits=Limits(xlsx_uncompressed_bytes=2 * 1024 * 1024)))
    assert "would expand to 3 MB" in item.message and "zip bomb" in item.message


def test_xlsx_rows_and_columns_past_the_limits(tmp_path: Path) -> None:
    from qa_scoring.limits import Limits

    path = tmp_path / "wide.xlsx"
    _xlsx_with_sheet(path, lambda re, sheet: sheet)
    items = list(read_source(path, limits=Limits(xlsx_rows=2)))
    assert any("more than 2 rows" in getattr(item, "message", "") for item in items)
    (call,) = list(read_source(path, limits=Limits(xlsx_columns=3)))
    assert len(call.turns) == 2


def test_team_names_with_control_characters_and_apostrophes_make_valid_sheets_and_links(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook
    from openpyxl.worksheet.hyperlink import Hyperlink

    from qa_scoring.reports.xlsx_common import hyperlink_formula, sanitize_sheet_name, sheet_ref

    names = ["Tim\tA\nJakarta", "'Tim O'Neil'", "O'Brien \"Bandung\"", "a\x00b\x1bc\x7f", "History", "'''", "x" * 40 + "'"]
    taken: list[str] = ["Sheet"]  # the new workbook's first sheet
    for name in names:
        title = sanitize_sheet_name(name, taken)
        assert title and len(title) <= 31 and title.isprintable()
        assert not title.startswith("'") and not title.endswith("'")
        assert title.lower() != "history"
        taken.append(title)
    assert taken[1:3] == ["Tim A Jakarta", "Tim O'Neil"]
    assert sheet_ref("Tim O'Neil", "B2") == "'Tim O''Neil'!B2"
    assert hyperlink_formula("O'Brien \"x\"", 'go "now"\n') == '=HYPERLINK("#\'O\'\'Brien ""x""\'!A1","go ""now"" ")'
    wb = Workbook()
    for title in taken[1:]:
        ws = wb.create_sheet(title)
        ws["A1"] = "here"
        link = wb.active.cell(row=len(wb.sheetnames), column=1, value=title)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=sheet_ref(title))
        wb.active.cell(row=len(wb.sheetnames), column=2, value=hyperlink_formula(title, title))
    wb.save(tmp_path / "m.xlsx")
    again = load_workbook(tmp_path / "m.xlsx")
    assert again.sheetnames == taken


def test_control_characters_never_reach_a_team_name_or_a_chart_title(tmp_path: Path) -> None:
    from qa_scoring.readers.metadata import parse_meta
    from qa_scoring.reports.xlsx_common import xml_text

    meta, _ = parse_meta({"team": "'Esc\x1b\x07 [x]", "agent_name": "Rina\x00 Sari"}, source="m.csv")
    assert (meta.team, meta.agent_name) == ("'Esc [x]", "Rina Sari")
    assert xml_text("Tim\x1bA\ud800") == "Tim A "


def test_an_overlong_turn_keeps_its_start_and_end_with_a_warning(tmp_path: Path) -> None:
    from qa_scoring.limits import Limits

    path = tmp_path / "long.txt"
    middle = "x" * 50_000 + " " + "bla " * 20_000
    path.write_text(f"PELANGGAN: halo\nCSO: selamat siang {middle} terima kasih selamat siang\n", encoding="utf-8")
    (call,) = list(read_source(path, limits=Limits(max_turn_chars=2_000)))
    text = call.turns[1].text
    assert len(text) <= 2_002 and text.startswith("selamat siang") and text.endswith("terima kasih selamat siang")
    assert any("only its first and last 1,000 characters are checked" in w for w in call.warnings)


def test_a_call_with_more_turns_than_the_limit_is_an_error_for_every_format(tmp_path: Path) -> None:
    from qa_scoring.limits import Limits

    turns = 30
    files = {
        "t.txt": "\n".join(f"CSO: ya {i}" for i in range(turns)),
        "t.vtt": "WEBVTT\n\n" + "\n".join(f"00:00:{i:02d}.000 --> 00:00:{i:02d}.500\n<v CSO>ya\n" for i in range(turns)),
        "t.json": json.dumps({"segments": [{"start": i, "speaker": "CSO", "text": "ya"} for i in range(turns)]}),
        "a.json": json.dumps({"Transcript": [{"ParticipantRole": "AGENT", "Content": "ya"}] * turns}),
        "t.csv": "call_id,speaker,text\n" + "".join(f"X,CSO,ya {i}\n" for i in range(turns)),
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        (item,) = list(read_source(path, limits=Limits(max_turns=10)))
        assert "more turns in one call than the limit of 10" in item.message, name


def test_json_deeper_than_the_limit_is_an_error_not_a_crash(tmp_path: Path) -> None:
    from qa_scoring.readers import json_too_deep

    deep = {"segments": [{"speaker": "CSO", "text": "halo", "extra": [[[[[[[[[[]]]]]]]]]]}]}
    assert not json_too_deep(json.dumps(deep), 13) and json_too_deep(json.dumps(deep), 12)
    assert not json_too_deep('{"a": "[[[[[[[[[[[[[[[[[[[[\\\\\\"[[[["}', 2)
    for depth in (100, 5_000, 200_000):
        path = tmp_path / f"d{depth}.json"
        path.write_text('{"segments": [' + "[" * depth + "]" * depth + "]}", encoding="utf-8")
        (item,) = list(read_source(path))
        assert "nested" in item.message, item.message


def test_a_manifest_file_outside_the_batch_is_refused_and_content_never_echoed(tmp_path: Path) -> None:
    import os

    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    secret = tmp_path / "secret.csv"
    secret.write_text("root:x:0:0:SECRET-CONTENT-" + "y" * 500 + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "call_id,file,team\ngood,good.json,A\nevil,../../etc/passwd,B\nevil2,../secret.csv,C\n", encoding="utf-8"
    )
    result, lines = run_score(folder, tmp_path, "--lang", "en", quiet=False)
    assert "'../../etc/passwd' lies outside the batch folder" in result.output
    assert {line["call_id"] for line in lines} == {"good", "x"}
    # a manifest that is a link out of the batch is not used; named explicitly, its content is not echoed
    os.remove(folder / "manifest.csv")
    os.symlink(secret, folder / "manifest.csv")
    result, lines = run_score(folder, tmp_path)
    assert "SECRET" not in result.output + (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(folder), "--manifest", str(secret), "--no-db", "--jsonl", str(tmp_path / "y.jsonl")])
    assert result.exit_code == 2
    assert "root:x:0:0:SECRET-CONTENT-yyyy" in result.output and "y" * 100 not in result.output


def test_a_second_call_with_the_same_call_id_in_one_run_is_an_error_naming_both_files(tmp_path: Path) -> None:
    folder = _batch(tmp_path, "a.txt", "---\ncall_id: good\n---\nCSO: terima kasih selamat pagi\nPELANGGAN: ya\n")
    (folder / "t.csv").write_text("call_id,speaker,text\nT-1,CSO,halo\nT-2,CSO,halo\nT-1,PELANGGAN,ya\n", encoding="utf-8")
    result, lines = run_score(folder, tmp_path)
    assert result.exit_code == 0, result.output
    by_source = {Path(line["source"]).name + "/" + line["call_id"]: line for line in lines}
    assert by_source["a.txt/good"]["status"] == "scored"  # files are read in path order: a.txt first
    duplicate = by_source["good.json/good"]
    assert duplicate["status"] == "error"
    assert "call_id good was already scored in this run from" in duplicate["error"]
    assert "a.txt" in duplicate["error"] and "good.json" in duplicate["error"]
    assert {by_source["t.csv/T-1"]["status"], by_source["t.csv/T-2"]["status"]} == {"scored"}
    # the store keeps the first call, not the second
    from qa_scoring.store import ResultStore

    with ResultStore(tmp_path / "s.sqlite") as store:
        (row,) = store._db.execute("SELECT source FROM calls WHERE call_id = 'good'").fetchall()
    assert row[0].endswith("a.txt")


def test_extreme_but_valid_dates_are_scored_with_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    body = "CSO: terima kasih telah menghubungi pln 123 selamat pagi\nPELANGGAN: ya\nCSO: terima kasih selamat pagi\n"
    dates = ["0001-01-01 00:00", "0001-01-01T00:00Z", "9999-12-31 23:59", "9999-12-31T23:59Z", "9999-12-31T23:59:59-12:00"]
    for n, date in enumerate(dates):
        (folder / f"d{n}.txt").write_text(f"---\ncall_start: {date}\n---\n{body}", encoding="utf-8")
    result, lines = run_score(folder, tmp_path)
    assert result.exit_code == 0, result.output
    assert [line["status"] for line in lines] == ["scored"] * len(dates)
    for line in lines:
        assert any("is an unlikely call date" in w for w in line["warnings"]), line["warnings"]
    year_one = [line for line in lines if line["call_start"].startswith("0001")]
    assert all(c["outcome"] == "na" for line in year_one for c in line["checks"])  # no SOP in force before its date
    assert (tmp_path / "out.xlsx").exists()


def test_new_error_reasons_speak_the_report_language(tmp_path: Path) -> None:
    import os

    from openpyxl import load_workbook

    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    os.symlink("nowhere.txt", folder / "broken.txt")
    _, lines = run_score(folder, tmp_path)
    (line,) = [line for line in lines if line["source"].endswith("broken.txt")]
    assert "leads nowhere" in line["error"] and "tidak menuju ke mana pun" in line["error_id"]
    book = load_workbook(tmp_path / "out.xlsx", read_only=True)
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    book.close()
    assert any("tidak menuju ke mana pun" in c for c in cells)


def test_a_disk_that_fills_up_during_the_run_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: Any) -> None:
    import errno

    from qa_scoring.reports import jsonl

    def full(self: Any, line: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.tmp))

    monkeypatch.setattr(jsonl.JsonlWriter, "write_line", full)
    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    result = CliRunner().invoke(main, ["score", str(folder), "--jsonl", str(tmp_path / "r.jsonl"), "--no-db", "-q"])
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: {tmp_path / 'r.jsonl'}: cannot be written (No space left on device)"
    assert [p.name for p in tmp_path.iterdir()] == ["batch"]  # no target, no temporary file


def test_a_store_from_a_newer_version_or_in_no_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    folder = _batch(tmp_path, "x.txt", "CSO: halo\n")
    newer = tmp_path / "newer.sqlite"
    with closing(sqlite3.connect(newer)) as db:
        db.execute("PRAGMA user_version = 99")
    for store in (newer, newer / "under-a-file.sqlite"):
        result = CliRunner().invoke(main, ["score", str(folder), "--db", str(store), "--jsonl", str(tmp_path / "r.jsonl")])
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("Error: ")
        assert not (tmp_path / "r.jsonl").exists()
