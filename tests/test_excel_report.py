"""The batch workbook: written from the sample results, read back with openpyxl."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import get_column_letter

from qa_scoring.reports.excel import write_batch_workbook

SAMPLE = Path(__file__).parent / "data" / "results_sample.jsonl"
PARAMS = ("akurasi", "salam_penutup", "fcr")

SHEETS = {
    "id": ["Ringkasan", "Per Panggilan", "Detail Pemeriksaan", "Antrian Tinjauan", "Per Agen", "Gagal Dibaca"],
    "en": ["Summary", "Calls", "Check Details", "Review Queue", "Per Agent", "Unreadable Files"],
}


def records() -> list[dict[str, Any]]:
    with SAMPLE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def scored() -> list[dict[str, Any]]:
    return [r for r in records() if r["status"] == "scored"]


def build(tmp_path: Path, lang: str = "id", source: Path = SAMPLE) -> openpyxl.Workbook:
    out = tmp_path / f"batch-{lang}.xlsx"
    write_batch_workbook(source, out, lang=lang)
    return openpyxl.load_workbook(out)


def write_jsonl(path: Path, recs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path


def summary_value(ws: Any, name: str) -> Any:
    """The value beside ``name`` in column A of the summary sheet."""
    for row in ws.iter_rows(min_col=1, max_col=2):
        if row[0].value == name:
            return row[1].value
    raise AssertionError(f"{name!r} not in the summary")


def table_rows(ws: Any, header: str) -> dict[str, tuple[Any, ...]]:
    """Rows of the summary table headed by ``header`` in column A, keyed by column A."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == header)
    out = {}
    for r in rows[start + 1 :]:
        if r[0] is None:
            break
        out[r[0]] = r
    return out


@pytest.fixture(scope="module")
def wb_id(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return build(tmp_path_factory.mktemp("id"), "id")


@pytest.fixture(scope="module")
def wb_en(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return build(tmp_path_factory.mktemp("en"), "en")


def test_sample_has_what_the_tests_rely_on() -> None:
    recs = records()
    assert sum(r["status"] == "scored" for r in recs) == 8
    assert sum(r["status"] == "error" for r in recs) == 2
    assert len({r["agent_id"] for r in scored()}) == 3
    assert len({r["team"] for r in scored()}) == 2
    kinds = {c["evidence"]["kind"] for r in scored() for c in r["checks"] if c["evidence"]}
    assert {"match", "nearest_miss", "forbidden_match"} <= kinds


@pytest.mark.parametrize("lang", ["id", "en"])
def test_sheet_names(tmp_path: Path, lang: str) -> None:
    assert build(tmp_path, lang).sheetnames == SHEETS[lang]


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    with pytest.raises(ValueError, match="valid: en, id"):
        write_batch_workbook(SAMPLE, out, lang="fr")
    assert not out.exists()


def test_headers(wb_id: openpyxl.Workbook, wb_en: openpyxl.Workbook) -> None:
    def header(wb: openpyxl.Workbook, sheet: str) -> list[Any]:
        return [c.value for c in wb[sheet][1]]

    assert header(wb_id, "Per Panggilan") == [
        "ID panggilan", "ID agen", "Nama agen", "Tim", "Tanggal", "Jam", "Akurasi", "Salam Penutup",
        "FCR", "Skor", "Pemeriksaan gagal", "Versi aturan", "Berkas sumber", "Catatan",
    ]  # fmt: skip
    assert header(wb_id, "Detail Pemeriksaan")[:10] == [
        "ID panggilan", "Agen", "Pemeriksaan", "Hasil", "Alasan", "Giliran, waktu",
        "Ucapan agen", "Kalimat SOP", "Kemiripan", "Bukti lain",
    ]  # fmt: skip
    assert header(wb_id, "Per Agen") == [
        "ID agen", "Nama agen", "Tim", "Jumlah panggilan", "Akurasi", "Salam Penutup", "FCR", "Rata-rata skor",
    ]  # fmt: skip
    assert header(wb_id, "Gagal Dibaca") == ["Berkas sumber", "ID panggilan", "Kesalahan"]
    assert header(wb_en, "Calls")[:10] == [
        "Call ID", "Agent ID", "Agent name", "Team", "Date", "Time", "Accuracy (Akurasi)",
        "Closing (Salam Penutup)", "FCR", "Score",
    ]  # fmt: skip
    assert header(wb_en, "Check Details")[3] == "Outcome"


def test_summary_numbers(wb_id: openpyxl.Workbook) -> None:
    recs = scored()
    ws = wb_id["Ringkasan"]
    assert summary_value(ws, "Panggilan dinilai") == len(recs)
    assert summary_value(ws, "Panggilan gagal dibaca") == sum(r["status"] == "error" for r in records())
    assert summary_value(ws, "Rata-rata skor") == pytest.approx(sum(r["score"] for r in recs) / len(recs))
    versions = Counter(r["rules_version"] for r in recs)
    assert summary_value(ws, "Versi aturan") == "; ".join(f"{v} ({n})" for v, n in sorted(versions.items()))

    params = table_rows(ws, "Parameter")
    for key, name in zip(PARAMS, ("Akurasi", "Salam Penutup", "FCR"), strict=True):
        compliant = sum(r["parameters"][key] for r in recs)
        assert params[name][1:4] == (compliant, len(recs), pytest.approx(compliant / len(recs)))
    assert params["Salam Penutup"][3] == pytest.approx(0.5)

    checks = table_rows(ws, "Pemeriksaan")
    by_code = {row[1]: row for row in checks.values()}
    for check_id in {c["id"] for r in recs for c in r["checks"]}:
        outcomes = Counter(c["outcome"] for r in recs for c in r["checks"] if c["id"] == check_id)
        applied = outcomes["pass"] + outcomes["fail"]
        _, _, fails, app, rate, passes, na = by_code[check_id]
        assert (fails, app, passes, na) == (outcomes["fail"], applied, outcomes["pass"], outcomes["na"])
        assert rate == pytest.approx(outcomes["fail"] / applied)
    assert by_code["closing.integrity"][0] == "Kampanye integritas"
    assert by_code["closing.integrity"][2] == 2


def test_summary_formats_and_chart(wb_id: openpyxl.Workbook) -> None:
    ws = wb_id["Ringkasan"]
    cells = {row[0].value: row for row in ws.iter_rows()}
    assert cells["Rata-rata skor"][1].number_format == "0.0"
    assert cells["Akurasi"][3].number_format == "0.0%"
    assert cells["Kampanye integritas"][4].number_format == "0.0%"
    charts = ws._charts
    assert len(charts) == 1
    assert charts[0].tagname == "barChart"


def test_per_call_values(wb_id: openpyxl.Workbook) -> None:
    ws = wb_id["Per Panggilan"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == [r["call_id"] for r in scored()]

    a2 = rows["A-0002"]
    assert a2[1:4] == ("CSO-17", "Rina Wulandari", "Jakarta-2")
    assert a2[4] == datetime(2023, 8, 1)
    assert a2[5] == time(13, 40)
    assert a2[6:10] == ("Ya", "Tidak", "Ya", 66.7)
    assert a2[10] == "Kampanye integritas"
    assert a2[11:13] == ("pln123-2023.07", "batch/A-0002.txt")

    a3 = rows["A-0003"]  # call_start in UTC: shown in WIB
    assert (a3[4], a3[5]) == (datetime(2023, 8, 2), time(16, 5))
    assert a3[6:10] == ("Tidak", "Tidak", "Tidak", 0)

    a5 = rows["A-0005"]
    assert a5[10] == "Menanyakan Elektrinet/ICONNET, Tujuan transfer, Pemberitahuan transfer"

    a7 = rows["A-0007"]  # no call_start
    assert (a7[4], a7[5]) == (None, None)
    assert a7[13] == "no manifest row for this call; no timestamps in the transcript"

    first = ws["E2"]
    assert first.is_date and first.number_format == "yyyy-mm-dd"
    assert ws["F2"].number_format == "hh:mm"
    assert ws["J2"].number_format == "0.0"


def test_per_call_english_yes_no(wb_en: openpyxl.Workbook) -> None:
    row = next(wb_en["Calls"].iter_rows(min_row=3, max_row=3, values_only=True))
    assert row[6:9] == ("Yes", "No", "Yes")
    assert row[10] == "Integrity campaign"


def test_call_links_to_first_check_row(wb_id: openpyxl.Workbook) -> None:
    calls, checks = wb_id["Per Panggilan"], wb_id["Detail Pemeriksaan"]
    first_rows: dict[str, int] = {}
    for row in checks.iter_rows(min_row=2, max_col=1):
        first_rows.setdefault(row[0].value, row[0].row)
    for row in calls.iter_rows(min_row=2, max_col=1):
        cell = row[0]
        assert cell.hyperlink is not None
        assert cell.hyperlink.location == f"'Detail Pemeriksaan'!A{first_rows[cell.value]}"
        assert not cell.hyperlink.target
    assert calls["A3"].hyperlink.location == "'Detail Pemeriksaan'!A11"


def check_rows(ws: Any) -> list[dict[str, Any]]:
    """The check sheet's rows as dicts keyed by header (the hidden check code under ``check_id``)."""
    header = [c.value for c in ws[1]]
    out = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        item = dict(zip(header, row, strict=True))
        item["check_id"] = item.get("kunci: kode pemeriksaan", item.get("key: check code"))
        out.append(item)
    return out


def test_check_rows(wb_id: openpyxl.Workbook, wb_en: openpyxl.Workbook) -> None:
    rows = check_rows(wb_id["Detail Pemeriksaan"])
    assert len(rows) == sum(len(r["checks"]) for r in scored())

    def row(call_id: str, check_id: str) -> dict[str, Any]:
        return next(r for r in rows if r["ID panggilan"] == call_id and r["check_id"] == check_id)

    integrity_2 = row("A-0002", "closing.integrity")
    assert integrity_2["Agen"] == "Rina Wulandari (CSO-17)"
    assert integrity_2["Hasil"] == "gagal"
    assert integrity_2["Alasan"] == "integrity campaign not said in the closing"
    assert integrity_2["Giliran, waktu"] == "#27\n13:46:52"
    assert integrity_2["Ucapan agen"].startswith("mohon maaf atas ketidaknyamanannya")
    assert integrity_2["Kalimat SOP"].startswith("Untuk mewujudkan PLN terbaik")
    assert integrity_2["Kemiripan"] == 48.5

    assert row("A-0004", "closing.thanks")["Hasil"] == "tidak berlaku"
    announcement = row("A-0004", "transfer.announcement")
    assert announcement["Bukti lain"].splitlines()[2] == ("#9 19:23:10 “mohon ditunggu ya bu” (100.0)")
    assert row("A-0007", "closing.integrity")["Giliran, waktu"] == "#15"  # no call start, no turn times

    en = check_rows(wb_en["Check Details"])
    assert {r["Outcome"] for r in en} == {"pass", "fail", "n/a"}


def test_order_rows_name_the_sequence_in_words(tmp_path: Path) -> None:
    """An order check shows its elements in words, never a check id as the SOP phrase."""
    rec = json.loads(json.dumps(scored()[0]))
    info = [
        {"kind": "info", "turn": t, "start": None, "time": "09:15:00", "text": "x", "phrase": p, "similarity": 100.0}
        for t, p in ((31, "closing.app_invitation"), (33, "closing.integrity"), (34, "closing.thanks"))
    ]
    order = next(c for c in rec["checks"] if c["id"] == "closing.order")
    order.update(
        outcome="fail",
        reason="closing.app_invitation said before closing.integrity",
        reason_id="closing.app_invitation diucapkan sebelum closing.integrity",
        evidence=info[0],
        more_evidence=info[1:],
    )
    for lang, sop, said, reason in (
        ("id", "integritas → ajakan aplikasi → terima kasih", "#31 ajakan aplikasi → #33 integritas → #34 terima kasih",
         "ajakan aplikasi diucapkan sebelum integritas"),
        ("en", "integrity → app invitation → thank-you", "#31 app invitation → #33 integrity → #34 thank-you",
         "app invitation said before integrity"),
    ):  # fmt: skip
        wb = build(tmp_path, lang, write_jsonl(tmp_path / "order.jsonl", [rec]))
        got = next(r for r in check_rows(wb.worksheets[2]) if r["check_id"] == "closing.order")
        values = list(got.values())
        assert sop in values and said in values and reason in values
        assert not any(isinstance(v, str) and "closing.integrity" in v for v in values[:10])


def test_untimed_transcript_says_no_turn_times(tmp_path: Path) -> None:
    rec = json.loads(json.dumps(scored()[0]))
    for check in rec["checks"]:
        if check.get("evidence"):
            check["evidence"]["start"] = None
            check["evidence"]["time"] = "09:15:00"  # the call start, repeated
    for lang, text in (("id", "tanpa waktu giliran"), ("en", "no turn times")):
        wb = build(tmp_path, lang, write_jsonl(tmp_path / "untimed.jsonl", [rec]))
        cells = [r[5] for r in wb.worksheets[2].iter_rows(min_row=2, max_row=2, values_only=True)]
        assert cells == [f"#31\n{text}"]


def test_turn_time_from_offset(tmp_path: Path) -> None:
    rec = dict(scored()[0])
    check = dict(rec["checks"][0])
    check["evidence"] = {**check["evidence"], "time": None, "start": 3725.4}
    rec["checks"] = [check]
    wb = build(tmp_path, source=write_jsonl(tmp_path / "r.jsonl", [rec]))
    assert wb["Detail Pemeriksaan"]["F2"].value == "#31\n+1:02:05"


def test_check_sheet_prints_one_page_wide(wb_id: openpyxl.Workbook) -> None:
    """A4 landscape, fit to one page wide, header row repeated, page numbers, a title; key columns hidden."""
    ws = wb_id["Detail Pemeriksaan"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1  # 1 is the default: XlsxWriter leaves it out
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.oddHeader.center.text.startswith("Detail Pemeriksaan")
    visible = [d for d in ws.column_dimensions.values() if not d.hidden]
    assert sum(d.width for d in visible) <= 240  # about 65 % on A4: still readable
    header = [c.value for c in ws[1]]
    hidden = {header[i] for i, c in enumerate(ws[1]) if ws.column_dimensions[c.column_letter].hidden}
    assert "kunci: kode pemeriksaan" in hidden
    # headers fit: a header that needs more lines than its column gives gets a taller row
    from qa_scoring.reports.excel import wrapped_lines

    need = max(
        wrapped_lines(c.value, ws.column_dimensions[c.column_letter].width)
        for c in ws[1]
        if not ws.column_dimensions[c.column_letter].hidden
    )
    assert (ws.row_dimensions[1].height or 15) >= 15 * need


def test_wrapped_lines_counts_word_wrap() -> None:
    from qa_scoring.reports.excel import wrapped_lines

    assert wrapped_lines("tanpa waktu giliran", 10) == 3  # as LibreOffice prints it
    assert wrapped_lines("#26\ntanpa waktu giliran", 10) == 4
    assert wrapped_lines("a" * 25, 10) == 3
    assert wrapped_lines("", 10) == 1


def test_per_agent(wb_id: openpyxl.Workbook) -> None:
    ws = wb_id["Per Agen"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"CSO-17", "CSO-22", "CSO-31"}
    for agent_id, row in rows.items():
        mine = [r for r in scored() if r["agent_id"] == agent_id]
        assert row[1:4] == (mine[0]["agent_name"], mine[0]["team"], len(mine))
        for i, key in enumerate(PARAMS, start=4):
            assert row[i] == pytest.approx(sum(r["parameters"][key] for r in mine) / len(mine))
        assert row[7] == pytest.approx(sum(r["score"] for r in mine) / len(mine))
    assert ws["E2"].number_format == "0.0%"
    assert ws["H2"].number_format == "0.0"


def test_error_sheet(wb_id: openpyxl.Workbook) -> None:
    rows = list(wb_id["Gagal Dibaca"].iter_rows(min_row=2, values_only=True))
    assert rows == [
        ("batch/A-0009.json", "A-0009", "batch/A-0009.json:1: not valid JSON (Expecting value)"),
        ("batch/manifest.csv", "A-0010", "batch/manifest.csv:11: manifest row for A-0010 has no transcript"),
    ]


def test_unreadable_jsonl_line_is_listed(tmp_path: Path) -> None:
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps(scored()[0]) + "\n{broken\n\n", encoding="utf-8")
    wb = build(tmp_path, source=src)
    rows = list(wb["Gagal Dibaca"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert rows[0][0] == "r.jsonl" and rows[0][2].startswith("baris 2: bukan JSON yang sah")
    assert summary_value(wb["Ringkasan"], "Baris JSONL yang tidak dapat dibaca") == 1
    assert summary_value(wb["Ringkasan"], "Panggilan dinilai") == 1


def test_freeze_panes_and_autofilter(wb_id: openpyxl.Workbook) -> None:
    expected = {
        "Per Panggilan": "A1:N9",
        "Detail Pemeriksaan": f"A1:{get_column_letter(wb_id['Detail Pemeriksaan'].max_column)}73",
        "Per Agen": "A1:H4",
        "Gagal Dibaca": "A1:C3",
    }
    for sheet, ref in expected.items():
        ws = wb_id[sheet]
        assert ws.freeze_panes == "A2", sheet
        assert ws.auto_filter.ref == ref, sheet
        assert ws.column_dimensions["A"].width >= 12, sheet


def test_wrapped_columns(wb_id: openpyxl.Workbook) -> None:
    ws = wb_id["Detail Pemeriksaan"]
    for col in "EGHJ":  # reason, agent's words, SOP phrase, more evidence
        assert ws[f"{col}2"].alignment.wrap_text or ws[f"{col}2"].value is None, col
        assert ws.column_dimensions[col].width >= 20, col
    assert ws["I2"].number_format == "0.0"


def test_conditional_formatting(wb_id: openpyxl.Workbook, wb_en: openpyxl.Workbook) -> None:
    def rules(ws: Any) -> dict[str, set[tuple[str, str]]]:
        out: dict[str, set[tuple[str, str]]] = {}
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                key = (rule.operator or rule.type, (rule.formula or [""])[0])
                out.setdefault(str(cf.sqref), set()).add(key)
        return out

    assert rules(wb_id["Per Panggilan"]) == {"G2:I9": {("equal", '"Ya"'), ("equal", '"Tidak"')}}
    assert rules(wb_id["Detail Pemeriksaan"]) == {
        "D2:D73": {("equal", '"lulus"'), ("equal", '"gagal"'), ("equal", '"tidak berlaku"')}
    }
    assert rules(wb_en["Calls"]) == {"G2:I9": {("equal", '"Yes"'), ("equal", '"No"')}}
    assert rules(wb_en["Check Details"]) == {"D2:D73": {("equal", '"pass"'), ("equal", '"fail"'), ("equal", '"n/a"')}}
    assert rules(wb_id["Per Agen"]) == {"E2:G4": {("colorScale", "")}}
    fills = [r.dxf.fill for cf in wb_id["Per Panggilan"].conditional_formatting for r in cf.rules]
    assert all(f.bgColor.rgb.endswith(("C6EFCE", "FFC7CE")) for f in fills)


def test_formula_like_text_lands_as_text(tmp_path: Path) -> None:
    rec = json.loads(json.dumps(scored()[0]))
    rec["call_id"] = "-1"
    rec["warnings"] = ["+62 812 0000"]
    rec["checks"][0]["evidence"]["text"] = '=HYPERLINK("http://x","y")'
    rec["checks"][1]["evidence"]["text"] = "@SUM(A1)"
    rec["checks"][2]["reason"] = "=1+1"
    out = tmp_path / "f.xlsx"
    write_batch_workbook(write_jsonl(tmp_path / "f.jsonl", [rec]), out)
    wb = openpyxl.load_workbook(out)
    checks = wb["Detail Pemeriksaan"]
    for ref, value in (("G2", '=HYPERLINK("http://x","y")'), ("G3", "@SUM(A1)"), ("E4", "=1+1"), ("A2", "-1")):
        assert checks[ref].value == value
        assert checks[ref].data_type == "s", ref
    assert wb["Per Panggilan"]["N2"].data_type == "s"
    assert wb["Per Panggilan"]["N2"].value == "+62 812 0000"


@pytest.mark.parametrize(("lang", "marker"), [("id", "karakter]"), ("en", "characters]")])
def test_long_text_is_clipped(tmp_path: Path, lang: str, marker: str) -> None:
    rec = json.loads(json.dumps(scored()[0]))
    rec["checks"][0]["evidence"]["text"] = "terima kasih " * 3077  # 40,001 characters
    wb = build(tmp_path, lang, write_jsonl(tmp_path / "long.jsonl", [rec]))
    value = wb.worksheets[2]["G2"].value
    assert len(value) == 32767
    assert value.startswith("terima kasih terima")
    assert value.endswith(marker)
    kept = value.index(" … [")
    assert f" {40001 - kept} " in value[kept:]


def test_zero_scored_calls(tmp_path: Path) -> None:
    errors = [r for r in records() if r["status"] == "error"]
    wb = build(tmp_path, source=write_jsonl(tmp_path / "e.jsonl", errors))
    ws = wb["Ringkasan"]
    assert summary_value(ws, "Panggilan dinilai") == 0
    texts = {c.value for c in ws["A"]}
    assert "Tidak ada panggilan yang dinilai dalam batch ini." in texts
    assert ws._charts == []
    assert wb["Per Panggilan"].max_row == 1
    assert wb["Gagal Dibaca"].max_row == 3


def test_empty_file(tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text("", encoding="utf-8")
    wb = build(tmp_path, "en", src)
    assert summary_value(wb["Summary"], "Calls scored") == 0
    assert summary_value(wb["Summary"], "Average score") is None
    assert wb["Calls"].auto_filter.ref == "A1:N1"


def test_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "batch.xlsx"
    out.write_bytes(b"previous report")

    def broken_close(self: xlsxwriter.Workbook) -> None:
        Path(self.filename).write_bytes(b"PK half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    with pytest.raises(OSError, match="disk full"):
        write_batch_workbook(SAMPLE, out)
    assert out.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.xlsx"]


def test_missing_input_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "batch.xlsx"
    with pytest.raises(FileNotFoundError):
        write_batch_workbook(tmp_path / "nope.jsonl", out)
    assert list(tmp_path.iterdir()) == []


def test_dates_are_real_dates(wb_id: openpyxl.Workbook) -> None:
    cell = wb_id["Per Panggilan"]["E9"]  # A-0008
    assert isinstance(cell.value, datetime)
    assert cell.value.date() == date(2023, 7, 20)


def test_rows_with_wrapped_text_get_their_height(wb_id: openpyxl.Workbook) -> None:
    ws = wb_id["Detail Pemeriksaan"]
    rows = {(r["ID panggilan"], r["check_id"]): i for i, r in enumerate(check_rows(ws), start=2)}
    tall = rows[("A-0004", "transfer.destination")]  # the long transfer announcement
    short = rows[("A-0001", "transfer.ask_product")]  # n/a: no evidence
    assert ws.row_dimensions[tall].height >= 4 * 15
    assert (ws.row_dimensions[short].height or 15) < ws.row_dimensions[tall].height
    assert wb_id["Per Panggilan"].row_dimensions[6].height == 2 * 15 + 2  # A-0005: three failed checks


def test_sheet_past_the_row_limit_is_cut_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import qa_scoring.reports.excel as excel

    monkeypatch.setattr(excel, "EXCEL_MAX_ROWS", 20)  # header + 19 check rows: two calls and a bit
    out = tmp_path / "cut.xlsx"
    write_batch_workbook(SAMPLE, out)
    wb = openpyxl.load_workbook(out)
    assert wb["Detail Pemeriksaan"].max_row == 20
    calls = wb["Per Panggilan"]
    assert calls.max_row == 9
    assert calls["A3"].hyperlink.location == "'Detail Pemeriksaan'!A11"
    assert calls["A5"].hyperlink is None  # A-0004 would start at row 29
    dropped = 8 * 9 - 19
    texts = [c.value for c in wb["Ringkasan"]["A"] if c.value]
    assert f"Lembar 'Detail Pemeriksaan' penuh: {dropped} baris tidak muat (batas Excel 20 baris)." in texts


@pytest.mark.parametrize("lang", ["id", "en"])
def test_reason_follows_the_language(tmp_path: Path, lang: str) -> None:
    """``reason_id`` in Indonesian when a check has one; ``reason`` otherwise (older results)."""
    rec = json.loads(json.dumps(scored()[0]))
    rec["checks"][0]["reason"] = "said in the closing"
    rec["checks"][0]["reason_id"] = "diucapkan di salam penutup"
    rec["checks"][1].pop("reason_id", None)
    out = tmp_path / f"r-{lang}.xlsx"
    write_batch_workbook(write_jsonl(tmp_path / "r.jsonl", [rec]), out, lang=lang)
    ws = openpyxl.load_workbook(out).worksheets[2]
    assert ws["E2"].value == ("diucapkan di salam penutup" if lang == "id" else "said in the closing")
    assert ws["E3"].value == rec["checks"][1]["reason"]


def test_review_queue_order_and_links(tmp_path: Path) -> None:
    """The least certain call first, ties by call id; each call id links to its first check row."""
    recs = []
    for call_id, priority in (("Q-3", 0.2), ("Q-1", 0.5), ("Q-2", 0.2), ("Q-4", 0.9)):
        rec = json.loads(json.dumps(scored()[0]))
        rec.update(call_id=call_id, review_priority=priority)
        recs.append(rec)
    out = tmp_path / "q.xlsx"
    write_batch_workbook(write_jsonl(tmp_path / "q.jsonl", recs), out, sample={"Q-2"})
    wb = openpyxl.load_workbook(out)
    rows = list(wb["Antrian Tinjauan"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [
        (1, "Q-4", 0.9, None), (2, "Q-1", 0.5, None), (3, "Q-2", 0.2, "Ya"), (4, "Q-3", 0.2, None),
    ]  # fmt: skip
    first: dict[str, int] = {}
    for c in wb["Detail Pemeriksaan"]["A"][1:]:
        first.setdefault(c.value, c.row)
    for cell in wb["Antrian Tinjauan"]["B"][1:]:
        assert cell.hyperlink.location == f"'Detail Pemeriksaan'!A{first[cell.value]}"


def test_text_xml_cannot_hold_is_written_safely(tmp_path: Path) -> None:
    """Markup characters, a carriage return, control characters and a lone surrogate in the results."""
    rec = json.loads(json.dumps(scored()[0]))
    rec["call_id"] = "<A&B>"
    rec["checks"][0]["evidence"]["text"] = "line one\r\nline two \x07 end "
    rec["checks"][1]["evidence"]["text"] = " spaced\ud800 "
    out, src = tmp_path / "x.xlsx", tmp_path / "x.jsonl"
    src.write_text(json.dumps(rec) + "\n", encoding="utf-8")  # the surrogate as a JSON escape
    write_batch_workbook(src, out)
    wb = openpyxl.load_workbook(out)
    checks = wb["Detail Pemeriksaan"]
    assert checks["A2"].value == "<A&B>"
    assert checks["G2"].value == "line one\r\nline two   end "
    assert checks["G3"].value == " spaced\ufffd "
    assert wb["Per Panggilan"]["A2"].value == "<A&B>"


def test_more_evidence_quotes_a_turn_once(tmp_path: Path) -> None:
    """An announcement said in one turn: its words are quoted once, the other elements name their phrase."""
    rec = json.loads(json.dumps(scored()[0]))
    said = "baik ibu mohon maaf saat ini ibu terhubung dengan contact center pln 123 mohon ditunggu ya bu"
    other = "eh mohon maaf sebelumnya"

    def passage(kind: str, turn: int, text: str, phrase: str, similarity: float) -> dict[str, Any]:
        return {"kind": kind, "turn": turn, "start": 70.4, "time": "19:23:10", "text": text, "phrase": phrase,
                "similarity": similarity}  # fmt: skip

    rec["checks"] = [
        {
            "id": "transfer.announcement",
            "outcome": "fail",
            "sop": "SOP-TRANSFER-ELEKTRINET 2023-07-26",
            "reason": '"mohon ditunggu" not said',
            "evidence": passage("info", 9, said, "mohon maaf saat ini terhubung dengan Contact Center PLN 123", 100.0),
            "more_evidence": [
                passage("match", 6, other, "mohon maaf", 100.0),
                passage("match", 9, said, "terhubung dengan contact center pln 123", 100.0),
                passage("nearest_miss", 9, said, "mohon ditunggu", 50.0),
                passage("match", 6, other, "", 90.0),
            ],
        }
    ]
    wb = build(tmp_path, source=write_jsonl(tmp_path / "r.jsonl", [rec]))
    row = check_rows(wb["Detail Pemeriksaan"])[0]
    assert row["Ucapan agen"] == said
    assert row["Bukti lain"].split("\n") == [
        f"#6 19:23:10 “{other}” (100.0)",
        "#9 19:23:10 [terhubung dengan contact center pln 123] (100.0)",
        "#9 19:23:10 [mohon ditunggu] (50.0) – paling mendekati",
        f"#6 19:23:10 “{other}” (90.0)",  # no phrase to name: the words again
    ]
