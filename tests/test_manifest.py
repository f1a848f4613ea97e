"""The manifest (CSV/XLSX) and metadata values (parse_meta)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest

from qa_scoring.errors import InputError
from qa_scoring.model import CallMeta, Transcript, Turn
from qa_scoring.readers import discover, read_source
from qa_scoring.readers.manifest import read_manifest
from qa_scoring.readers.metadata import parse_meta

WIB = timezone(timedelta(hours=7))


def transcript(source: Path | str, call_id: str, fmt: str = "text") -> Transcript:
    return Transcript(call_id=call_id, source=str(source), format=fmt, turns=(Turn(0, "CSO", "halo"),))


# --- parse_meta ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ya", True),
        ("Tidak", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        (0, False),
        (1.0, True),
        ("yes", True),
        ("no", False),
        ("Y", True),
        ("n", False),
        (True, True),
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_booleans(value: object, expected: bool | None) -> None:
    meta, warnings = parse_meta({"klb": value, "has_pln_mobile": value}, source="m.csv", line=2)
    assert meta.klb is expected
    assert meta.has_pln_mobile is expected
    assert warnings == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-08-01T09:15:00", datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
        ("2023-08-01 09:15", datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
        ("2023-08-01 09:15:30", datetime(2023, 8, 1, 9, 15, 30, tzinfo=WIB)),
        ("01/08/2023 09:15", datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
        ("1/8/2023 21:05:07", datetime(2023, 8, 1, 21, 5, 7, tzinfo=WIB)),
        ("2023-08-01T02:15:00Z", datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
        ("2023-08-01T02:15:00+00:00", datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
        ("2023-08-01 09:15 WIB", datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
        (datetime(2023, 8, 1, 9, 15), datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
        (datetime(2023, 8, 1, 2, 15, tzinfo=UTC), datetime(2023, 8, 1, 9, 15, tzinfo=WIB)),
    ],
)
def test_call_start_in_wib(value: object, expected: datetime) -> None:
    meta, warnings = parse_meta({"Call_Start": value}, source="m.csv", line=3)
    assert warnings == []
    assert meta.call_start == expected
    assert meta.call_start is not None
    assert meta.call_start.utcoffset() == timedelta(hours=7)
    assert meta.call_start.isoformat().endswith("+07:00")


def test_call_start_keeps_other_offsets() -> None:
    meta, _ = parse_meta({"call_start": "2023-08-01T10:15:00+08:00"}, source="m.csv")
    assert meta.call_start is not None
    assert meta.call_start.isoformat() == "2023-08-01T10:15:00+08:00"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("call_start", "kemarin sore"),
        ("call_start", "2023-08-01"),
        ("call_start", "31/02/2023 10:00"),
        ("klb", "mungkin"),
        ("product", "indihome"),
        ("transfer_code", "4"),
        ("transfer_code", "lima"),
    ],
)
def test_bad_values_are_warnings(key: str, value: str) -> None:
    meta, warnings = parse_meta({key: value}, source="batch/manifest.csv", line=7)
    assert getattr(meta, key) is None
    assert len(warnings) == 1
    assert warnings[0].startswith(f"batch/manifest.csv:7: {key}: ")
    assert repr(value) in warnings[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ICONNET", "iconnet"), ("Icon Net", "iconnet"), ("Elektrinet", "elektrinet"), ("ELEKTRI NET", "elektrinet")],
)
def test_product_variants(value: str, expected: str) -> None:
    assert parse_meta({"product": value}, source="m")[0].product == expected


@pytest.mark.parametrize(("value", "expected"), [(5, "5"), (5.0, "5"), ("5", "5"), ("3", "3"), ("3.0", "3")])
def test_transfer_code(value: object, expected: str) -> None:
    meta, warnings = parse_meta({"transfer_code": value}, source="m")
    assert (meta.transfer_code, warnings) == (expected, [])


def test_text_fields_and_unknown_keys() -> None:
    meta, warnings = parse_meta(
        {
            "CALL_ID": "A-1",
            "agent id": 17.0,
            "Agent-Name": "  Rina  ",
            "team": "Jakarta-2",
            "customer_name": "Budi  Santoso",
            "topic": "PLN Mobile",
            "region": "UID Jakarta Raya",
            "notes": "ignored",
            "file": "a.txt",
        },
        source="m",
    )
    assert meta == CallMeta(
        call_id="A-1",
        agent_id="17",
        agent_name="Rina",
        team="Jakarta-2",
        customer_name="Budi Santoso",
        topic="PLN Mobile",
        region="UID Jakarta Raya",
    )
    assert warnings == []


# --- read_manifest and matching -----------------------------------------------------------------


def write_manifest(folder: Path, text: str, name: str = "manifest.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_match_by_file_column_and_by_stem(tmp_path: Path) -> None:
    path = write_manifest(
        tmp_path,
        "call_id,file,agent_id,call_start,customer_name,klb\n"
        "C-100,audio/rekaman 1.vtt,CSO-1,2023-08-01 09:15,Budi Santoso,ya\n"
        "A-0002,,CSO-2,,,\n"
        "Z-9,,CSO-3,,,\n",
    )
    manifest = read_manifest(path)
    assert manifest.warnings == []
    by_file = manifest.match(transcript(tmp_path / "audio" / "sub" / ".." / "rekaman 1.vtt", "rekaman 1"))
    assert by_file is not None
    assert by_file.call_id == "C-100"
    assert by_file.agent_id == "CSO-1"
    assert by_file.klb is True
    assert by_file.call_start == datetime(2023, 8, 1, 9, 15, tzinfo=WIB)
    by_stem = manifest.match(transcript(tmp_path / "A-0002.txt", "A-0002"))
    assert by_stem is not None and by_stem.agent_id == "CSO-2" and by_stem.call_id == "A-0002"
    assert manifest.match(transcript(tmp_path / "nobody.txt", "nobody")) is None
    assert [(row.call_id, row.line, row.file) for row in manifest.unmatched()] == [("Z-9", 4, None)]


def test_row_whose_file_exists_elsewhere_does_not_match_by_name_or_call_id(tmp_path: Path) -> None:
    manifest = read_manifest(write_manifest(tmp_path, "call_id,file\nA-1,calls/A-1.txt\n"))
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "A-1.txt").write_text("x", encoding="utf-8")
    assert manifest.match(transcript(tmp_path / "other" / "A-1.txt", "A-1")) is None
    assert [row.call_id for row in manifest.unmatched()] == ["A-1"]


def test_row_whose_file_is_not_there_matches_by_name_then_by_call_id(tmp_path: Path) -> None:
    manifest = read_manifest(
        write_manifest(tmp_path, "call_id,file,agent_id\nA-1,calls/A-1.txt,CSO-1\nB-2,gone/rekaman.vtt,CSO-2\n")
    )
    by_name = manifest.match(transcript(tmp_path / "other" / "A-1.txt", "A-1"))
    assert by_name is not None and by_name.agent_id == "CSO-1"
    by_stem = manifest.match(transcript(tmp_path / "B-2.vtt", "B-2"))
    assert by_stem is not None and by_stem.agent_id == "CSO-2"
    assert list(manifest.unmatched()) == []


def test_file_relative_to_the_batch_root(tmp_path: Path) -> None:
    """A manifest kept in another folder names files relative to the batch folder."""
    manifest = read_manifest(write_manifest(tmp_path / "elsewhere", "call_id,file,team\nX,sub/a.txt,T1\n"))
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    (batch / "sub" / "a.txt").write_text("x", encoding="utf-8")
    manifest.roots = [batch]
    found = manifest.match(transcript(batch / "sub" / "a.txt", "a"))
    assert found is not None and (found.call_id, found.team) == ("X", "T1")


def test_relative_display_source_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = read_manifest(write_manifest(tmp_path / "batch", "call_id,file\nK-1,x/call.txt\n"))
    meta = manifest.match(transcript(os.path.join("batch", "x", "call.txt"), "call"))
    assert meta is not None and meta.call_id == "K-1"


def test_table_file_rows_match_by_call_id_too(tmp_path: Path) -> None:
    manifest = read_manifest(
        write_manifest(tmp_path, "call_id,file,agent_id\nX-1,calls.csv,CSO-1\nX-2,calls.csv,CSO-2\n")
    )
    second = manifest.match(transcript(tmp_path / "calls.csv", "X-2", "csv"))
    assert second is not None and second.agent_id == "CSO-2"
    assert manifest.match(transcript(tmp_path / "calls.csv", "X-3", "csv")) is None
    assert [row.call_id for row in manifest.unmatched()] == ["X-1"]


def test_manifest_warnings(tmp_path: Path) -> None:
    path = write_manifest(
        tmp_path,
        "Call_ID;KLB;Product;Transfer_Code\nA-1;ya;iconnet;3\n;ya;;\nA-1;tidak;;\nB-2;kadang;wifi;9\n",
    )
    manifest = read_manifest(path)
    assert manifest.warnings == [
        f"{path}:3: row without call_id skipped",
        f"{path}:4: duplicate call_id 'A-1' (first on line 2)",
        f"{path}:5: klb: cannot read 'kadang' as yes/no (expected ya/tidak, true/false, 1/0 or unknown)",
        f"{path}:5: product: cannot read 'wifi' as a product (expected elektrinet or iconnet)",
        f"{path}:5: transfer_code: cannot read '9' as a transfer code (expected 5 or 3)",
    ]
    first = manifest.match(transcript(tmp_path / "A-1.txt", "A-1"))
    second = manifest.match(transcript(tmp_path / "x" / "A-1.txt", "A-1"))
    assert first is not None and first.klb is True
    assert second is not None and second.klb is False
    assert [row.call_id for row in manifest.unmatched()] == ["B-2"]


def test_manifest_without_call_id_column(tmp_path: Path) -> None:
    path = write_manifest(tmp_path, "\nfile,agent_id\na.txt,CSO-1\n")
    with pytest.raises(InputError) as caught:
        read_manifest(path)
    assert caught.value.line == 2
    assert "no call_id column" in caught.value.message
    assert "found: file, agent_id" in caught.value.message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("manifest.csv", b"", "empty file"),
        ("manifest.csv", bytes(range(256)), "binary file"),
        ("manifest.xlsx", b"not a zip", "cannot open the workbook"),
        ("manifest.json", b"{}", "must be a .csv or .xlsx"),
    ],
)
def test_unreadable_manifest(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_manifest(path)
    assert caught.value.source == str(path)


def test_xlsx_manifest(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["CALL_ID", "Agent_ID", "call_start", "has_pln_mobile", "transfer_code"])
    sheet.append([1001, 17, datetime(2023, 8, 1, 18, 30), "tidak", 5])
    sheet.append([None, None, None, None, None])
    sheet.append(["1002", "CSO-2", "2023-08-02T01:00:00Z", "unknown", 3.0])
    path = tmp_path / "manifest.xlsx"
    workbook.save(path)
    manifest = read_manifest(path)
    assert manifest.warnings == []
    rows = list(manifest.unmatched())
    assert [(row.call_id, row.line) for row in rows] == [("1001", 2), ("1002", 4)]
    assert rows[0].meta.agent_id == "17"
    assert rows[0].meta.call_start == datetime(2023, 8, 1, 18, 30, tzinfo=WIB)
    assert rows[0].meta.has_pln_mobile is False
    assert rows[0].meta.transfer_code == "5"
    assert rows[1].meta.call_start == datetime(2023, 8, 2, 8, 0, tzinfo=WIB)
    assert rows[1].meta.has_pln_mobile is None
    assert rows[1].meta.transfer_code == "3"


def test_batch_folder_end_to_end(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    write_manifest(batch, "call_id,file,customer_name\nA-1,,Budi\nB-2,calls/rekaman.srt,Sari\nC-3,,Tono\n")
    (batch / "calls").mkdir()
    (batch / "A-1.txt").write_text("CSO: terima kasih telah menghubungi pln 123\n", encoding="utf-8")
    (batch / "calls" / "rekaman.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nCSO: halo\n", encoding="utf-8")
    (batch / "_expected.csv").write_text("call_id,label\n", encoding="utf-8")
    files, found = discover([batch])
    assert found == [batch / "manifest.csv"]
    manifest = read_manifest(found[0])
    names = []
    for path in files:
        for item in read_source(path):
            assert isinstance(item, Transcript)
            meta = manifest.match(item)
            assert meta is not None
            names.append(meta.customer_name)
    assert names == ["Budi", "Sari"]
    assert [row.call_id for row in manifest.unmatched()] == ["C-3"]
