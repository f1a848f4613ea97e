"""Readers: each transcript format, format detection, errors, discovery, and round-trip properties."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_scoring.errors import QAScoringError
from qa_scoring.model import CallMeta, ReadError, Transcript
from qa_scoring.readers import READERS, discover, read_source
from qa_scoring.readers.common import LabelReader, parse_clock, role_of

WIB = timezone(timedelta(hours=7))
OPENING = "terima kasih telah menghubungi pln 123 selamat siang bapak budi"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_one(path: Path, display: str | None = None) -> Transcript:
    results = list(read_source(path, display))
    assert len(results) == 1, results
    result = results[0]
    assert isinstance(result, Transcript), result
    return result


def read_error(path: Path) -> ReadError:
    results = list(read_source(path))
    assert len(results) == 1, results
    result = results[0]
    assert isinstance(result, ReadError), result
    return result


def speakers_texts(transcript: Transcript) -> list[tuple[str, str]]:
    return [(t.speaker, t.text) for t in transcript.turns]


# --- plain text ---------------------------------------------------------------------------


def test_text_with_timestamps_and_roles(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "A-0001.txt",
        f"[00:00:01] CSO: {OPENING}\n"
        "[00:00:05.250] PELANGGAN: siang mbak listrik saya mati\n"
        "(01:02) CSO: baik bapak\n"
        "01:02:03 Pelanggan: iya\n",
    )
    call = read_one(path)
    assert call.call_id == "A-0001"
    assert call.format == "text"
    assert call.source == str(path)
    assert speakers_texts(call) == [
        ("CSO", OPENING),
        ("PELANGGAN", "siang mbak listrik saya mati"),
        ("CSO", "baik bapak"),
        ("Pelanggan", "iya"),
    ]
    assert [t.start for t in call.turns] == [1.0, 5.25, 62.0, 3723.0]
    assert [t.index for t in call.turns] == [0, 1, 2, 3]
    assert [t.line for t in call.turns] == [1, 2, 3, 4]
    assert [t.role for t in call.turns] == ["agent", "customer", "agent", "customer"]
    assert call.role_basis == "labels"
    assert call.meta == CallMeta()


def test_text_without_timestamps_and_display_name(tmp_path: Path) -> None:
    path = write(tmp_path, "call.txt", f"CSO: {OPENING}\nPELANGGAN: siang\n")
    call = read_one(path, display="batch/call.txt")
    assert call.source == "batch/call.txt"
    assert [t.start for t in call.turns] == [None, None]
    assert speakers_texts(call) == [("CSO", OPENING), ("PELANGGAN", "siang")]


def test_text_timestamp_range_gives_end(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "[00:00:01.000 --> 00:00:04.500] CSO: halo\n"))
    assert (call.turns[0].start, call.turns[0].end) == (1.0, 4.5)


def test_text_timestamp_after_label(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "CSO [00:01:05]: halo\nPelanggan (00:01:09): iya\n"))
    assert speakers_texts(call) == [("CSO", "halo"), ("Pelanggan", "iya")]
    assert [t.start for t in call.turns] == [65.0, 69.0]


def test_text_continuation_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.txt",
        "CSO: selamat siang\n"
        "ada yang bisa dibantu\n"
        "\n"
        "PELANGGAN: listrik saya mati\n"
        "jadi begini: listrik mati sejak jam 10:30 pagi\n"
        "pukul 11:45 belum nyala\n"
        "lihat https://pln.co.id ya\n",
    )
    call = read_one(path)
    assert speakers_texts(call) == [
        ("CSO", "selamat siang ada yang bisa dibantu"),
        (
            "PELANGGAN",
            "listrik saya mati jadi begini: listrik mati sejak jam 10:30 pagi pukul 11:45 belum nyala"
            " lihat https://pln.co.id ya",
        ),
    ]
    assert [t.line for t in call.turns] == [1, 4]


def test_text_generic_and_name_labels_have_unknown_role(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.txt",
        f"SPEAKER_00: {OPENING}\nspk_1: iya\nSpeaker 2: halo\nA: baik\nB: ya\nIbu Sari: terima kasih\n",
    )
    call = read_one(path)
    assert [t.speaker for t in call.turns] == ["SPEAKER_00", "spk_1", "Speaker 2", "A", "B", "Ibu Sari"]
    assert all(t.role == "unknown" for t in call.turns)
    assert call.role_basis == ""


def test_text_role_labels_with_suffixes(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", "CSO 2: halo\nAgent (Rina): baik\nPelanggan (Budi): iya\nCaller: ok\n")
    call = read_one(path)
    assert [t.role for t in call.turns] == ["agent", "agent", "customer", "customer"]
    assert call.role_basis == "labels"


def test_text_with_only_customer_turns_is_not_an_error(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "PELANGGAN: halo\nPELANGGAN: halo?\n"))
    assert [t.role for t in call.turns] == ["customer", "customer"]


def test_text_front_matter(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "file-stem.txt",
        "---\n"
        "call_id: A-0042\n"
        "Agent_ID: CSO-17\n"
        "customer_name: 'Budi Santoso'\n"
        "call_start: 2023-08-01 09:15\n"
        "klb: tidak\n"
        "product: ICONNET\n"
        "transfer_code: 3\n"
        "---\n"
        "[00:00:01] CSO: halo\n",
    )
    call = read_one(path)
    assert call.call_id == "A-0042"
    assert call.meta.call_id == "A-0042"
    assert call.meta.agent_id == "CSO-17"
    assert call.meta.customer_name == "Budi Santoso"
    assert call.meta.call_start == datetime(2023, 8, 1, 9, 15, tzinfo=WIB)
    assert call.meta.klb is False
    assert call.meta.product == "iconnet"
    assert call.meta.transfer_code == "3"
    assert call.turns[0].line == 10
    assert call.warnings == ()


def test_text_front_matter_bad_values_are_warnings(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", "---\nklb: mungkin\nmood: happy\n---\nCSO: halo\n")
    call = read_one(path)
    assert call.meta.klb is None
    assert call.call_id == "c"
    assert len(call.warnings) == 2
    assert f"{path}:2: klb:" in call.warnings[0] and "'mungkin'" in call.warnings[0]
    assert "unknown front-matter key 'mood'" in call.warnings[1]


def test_text_before_first_label_is_a_warning(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "transkrip panggilan\nCSO: halo\n"))
    assert speakers_texts(call) == [("CSO", "halo")]
    assert len(call.warnings) == 1 and ":1: text before the first speaker label" in call.warnings[0]


def test_text_with_no_turns_is_an_error(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "c.txt", "hanya catatan tanpa pembicara\n"))
    assert "no turns found" in error.message


def test_text_collapses_whitespace_but_keeps_words(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "CSO:   Terima   kasih,\tPLN 123!  \n"))
    assert call.turns[0].text == "Terima kasih, PLN 123!"


def test_empty_text_turns_are_dropped(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "CSO:\nPELANGGAN: halo\nCSO:   \nCSO: ya\n"))
    assert speakers_texts(call) == [("PELANGGAN", "halo"), ("CSO", "ya")]
    assert [t.index for t in call.turns] == [0, 1]


@pytest.mark.parametrize(
    ("label", "rest", "timed", "accepted"),
    [
        ("CSO", " halo", False, True),
        ("Petugas 1", " halo", False, True),
        ("SPEAKER_01", " halo", False, True),
        ("Budi Santoso", " halo", False, True),
        ("jadi begini", " listrik mati", False, False),
        ("pukul 10", "30 pagi", False, False),
        ("https", "//pln.co.id", False, False),
        ("dia bilang", " halo", True, True),
        ("Saya Mau Tanya Lagi", " halo", False, False),
        ("a", " halo", False, False),
        ("ID Pelanggan", " 5123 4567 8901", False, False),
        ("Budi", "", False, True),
    ],
)
def test_label_rules(label: str, rest: str, timed: bool, accepted: bool) -> None:
    assert (LabelReader().split(f"{label}:{rest}", timed=timed) is not None) == accepted


def test_untimed_capitalised_label_in_a_timed_file_is_a_continuation() -> None:
    labels = LabelReader()
    assert labels.split("CSO: halo", timed=True)
    assert labels.split("Nomor Rekening: atas nama budi", timed=False) is None
    assert labels.split("CSO: lagi", timed=False)


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("CSO", "agent"),
        ("agen", "agent"),
        ("Petugas", "agent"),
        ("OPERATOR 3", "agent"),
        ("Customer Service", "agent"),
        ("PELANGGAN", "customer"),
        ("Customer", "customer"),
        ("penelepon", "customer"),
        ("CALLER_2", "customer"),
        ("SPEAKER_00", "unknown"),
        ("Agentina", "unknown"),
        ("B", "unknown"),
    ],
)
def test_role_of(label: str, role: str) -> None:
    assert role_of(label) == role


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("01:05", 65.0), ("1:02:03", 3723.0), ("00:00:01.500", 1.5), ("00:00:01,250", 1.25), ("1:75", None)],
)
def test_parse_clock(value: str, seconds: float | None) -> None:
    assert parse_clock(value) == seconds


# --- WebVTT and SRT -----------------------------------------------------------------------


def test_vtt_voices_prefixes_notes_and_fallback(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "A-0001.vtt",
        "WEBVTT - panggilan\n"
        "Kind: captions\n"
        "\n"
        "NOTE dibuat oleh ASR\n"
        "CSO: ini bukan ucapan\n"
        "\n"
        "STYLE\n"
        "::cue { color: red }\n"
        "\n"
        "cue-1\n"
        "00:00:01.000 --> 00:00:04.000 align:start\n"
        f"<v CSO>{OPENING}</v>\n"
        "\n"
        "00:00:05.000 --> 00:00:06.500\n"
        "<v.loud Pelanggan (Budi)>siang <i>mbak</i> &amp; saya</v>\n"
        "\n"
        "00:01:00.000 --> 00:01:02.000\n"
        "listrik saya mati\n"
        "\n"
        "3\n"
        "00:01:03.000 --> 00:01:05.000\n"
        "CSO: baik pak\n"
        "kami cek dulu\n",
    )
    call = read_one(path)
    assert call.format == "vtt"
    assert speakers_texts(call) == [
        ("CSO", OPENING),
        ("Pelanggan (Budi)", "siang mbak & saya"),
        ("Pelanggan (Budi)", "listrik saya mati"),
        ("CSO", "baik pak kami cek dulu"),
    ]
    assert [(t.start, t.end) for t in call.turns] == [(1.0, 4.0), (5.0, 6.5), (60.0, 62.0), (63.0, 65.0)]
    assert [t.line for t in call.turns] == [12, 15, 18, 22]
    assert call.role_basis == "labels"


def test_vtt_two_voices_in_one_cue_and_unknown_start(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.vtt",
        "WEBVTT\n\n00:01.000 --> 00:02.000\nhalo\n\n00:03.000 --> 00:05.000\n<v A>apa kabar</v>\n<v B>baik</v>\n",
    )
    call = read_one(path)
    assert speakers_texts(call) == [("UNKNOWN", "halo"), ("A", "apa kabar"), ("B", "baik")]
    assert call.turns[0].start == 1.0


def test_srt_with_prefixes_and_fallback(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.srt",
        "1\n00:00:01,000 --> 00:00:04,000\n"
        f"CSO: {OPENING}\n\n"
        "2\n00:00:05,000 --> 00:00:06,000\n<i>Pelanggan:</i> iya\nsaya mau tanya\n"
        "3\n00:00:07,000 --> 00:00:08,000\ntagihan saya naik\n",
    )
    call = read_one(path)
    assert call.format == "srt"
    assert speakers_texts(call) == [
        ("CSO", OPENING),
        ("Pelanggan", "iya saya mau tanya"),
        ("Pelanggan", "tagihan saya naik"),
    ]
    assert [t.start for t in call.turns] == [1.0, 5.0, 7.0]


def test_srt_content_wins_over_txt_suffix(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "1\n00:00:01,000 --> 00:00:04,000\nCSO: halo\n"))
    assert call.format == "srt"


def test_vtt_content_wins_over_suffix(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "c.txt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v CSO>halo\n"))
    assert call.format == "vtt"


# --- JSON -------------------------------------------------------------------------------------


def test_whisper_segments(tmp_path: Path) -> None:
    data = {
        "text": "...",
        "language": "id",
        "segments": [
            {"id": 0, "start": 0.5, "end": 3.2, "text": f" {OPENING}", "speaker": "SPEAKER_00"},
            {"id": 1, "start": 3.5, "end": 5.0, "text": " siang mbak", "speaker": "SPEAKER_01"},
            {"id": 2, "start": 5.0, "end": 5.5, "text": "   "},
            {"id": 3, "start": 6.0, "end": 7.0, "text": "tanpa speaker"},
        ],
    }
    call = read_one(write(tmp_path, "w.json", json.dumps(data)))
    assert call.format == "whisper"
    assert speakers_texts(call) == [
        ("SPEAKER_00", OPENING),
        ("SPEAKER_01", "siang mbak"),
        ("UNKNOWN", "tanpa speaker"),
    ]
    assert [(t.start, t.end, t.line) for t in call.turns] == [(0.5, 3.2, None), (3.5, 5.0, None), (6.0, 7.0, None)]
    assert call.role_basis == ""


def test_whisperx_word_speaker_majority(tmp_path: Path) -> None:
    words = [
        {"word": "baik", "start": 1.0, "end": 1.2, "speaker": "SPEAKER_01"},
        {"word": "pak", "start": 1.2, "end": 1.4, "speaker": "SPEAKER_00"},
        {"word": "kami", "start": 1.4, "end": 1.6, "speaker": "SPEAKER_00"},
        {"word": "cek", "start": 1.6, "end": 1.8},
    ]
    tie = [
        {"word": "iya", "speaker": "SPEAKER_01"},
        {"word": "mbak", "speaker": "SPEAKER_00"},
    ]
    data = {
        "segments": [
            {"start": 1.0, "end": 1.8, "text": "baik pak kami cek", "words": words},
            {"start": 2.0, "end": 2.5, "text": "iya mbak", "words": tie},
        ],
        "word_segments": [],
    }
    call = read_one(write(tmp_path, "wx.json", json.dumps(data)))
    assert [t.speaker for t in call.turns] == ["SPEAKER_00", "SPEAKER_01"]


def test_aws_call_analytics(tmp_path: Path) -> None:
    data = {
        "JobName": "call-0001",
        "LanguageCode": "id-ID",
        "Channel": "VOICE",
        "Participants": [{"ParticipantRole": "AGENT"}, {"ParticipantRole": "CUSTOMER"}],
        "Categories": {"MatchedCategories": [], "MatchedDetails": {}},
        "ConversationCharacteristics": {"NonTalkTime": {"TotalTimeMillis": 0}},
        "Transcript": [
            {
                "Id": "1",
                "ParticipantRole": "AGENT",
                "Content": OPENING,
                "BeginOffsetMillis": 500,
                "EndOffsetMillis": 3200,
                "Sentiment": "NEUTRAL",
            },
            {
                "Id": "2",
                "ParticipantRole": "CUSTOMER",
                "Content": "siang",
                "BeginOffsetMillis": 3500,
                "EndOffsetMillis": 4000,
            },
        ],
    }
    call = read_one(write(tmp_path, "a.json", json.dumps(data)))
    assert call.format == "aws"
    assert speakers_texts(call) == [("AGENT", OPENING), ("CUSTOMER", "siang")]
    assert [(t.start, t.end) for t in call.turns] == [(0.5, 3.2), (3.5, 4.0)]
    assert [t.role for t in call.turns] == ["agent", "customer"]
    assert call.role_basis == "labels"


def test_malformed_json_reports_its_line(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "bad.json", '{\n  "segments": [\n    {"text": "halo",}\n  ]\n}\n'))
    assert error.line == 3
    assert error.message.startswith("not valid JSON")
    assert error.source.endswith("bad.json")
    assert error.call_id == "bad"


def test_json_without_known_shape_is_unknown(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "x.json", '{"hello": 1}'))
    assert error.message.startswith("unknown format")


def test_standard_aws_transcribe_is_named(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "x.json", '{"results": {"transcripts": [{"transcript": "halo"}]}}'))
    assert "AWS Transcribe standard output" in error.message


# --- tables -------------------------------------------------------------------------------


def test_csv_table_many_calls_and_metadata(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        "Call ID;Pembicara;Teks;Mulai;Agent_ID;Call_Start;KLB\n"
        f"A-1;CSO;{OPENING};0.5;CSO-17;2023-08-01 09:15;tidak\n"
        "B-2;AGENT;halo;00:00:01;;;\n"
        "A-1;PELANGGAN;siang;00:05.5;;;\n"
        '"B-2";CUSTOMER;"iya; betul";1,5;CSO-9;;maybe\n',
    )
    results = list(read_source(path))
    assert [type(r) for r in results] == [Transcript, Transcript]
    first, second = results
    assert isinstance(first, Transcript) and isinstance(second, Transcript)
    assert (first.call_id, second.call_id) == ("A-1", "B-2")
    assert first.format == "csv"
    assert speakers_texts(first) == [("CSO", OPENING), ("PELANGGAN", "siang")]
    assert [t.start for t in first.turns] == [0.5, 5.5]
    assert [t.line for t in first.turns] == [2, 4]
    assert first.meta.agent_id == "CSO-17"
    assert first.meta.call_id == "A-1"
    assert first.meta.call_start == datetime(2023, 8, 1, 9, 15, tzinfo=WIB)
    assert first.meta.klb is False
    assert speakers_texts(second) == [("AGENT", "halo"), ("CUSTOMER", "iya; betul")]
    assert [t.start for t in second.turns] == [1.0, 1.5]
    assert second.meta.agent_id == "CSO-9"
    assert second.meta.klb is None
    assert any(":5: klb:" in w and "'maybe'" in w for w in second.warnings)


def test_csv_row_without_call_id_is_an_error_and_an_empty_turn_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "calls.csv",
        "call_id,speaker,text\nA-1,CSO,halo\n,CSO,tanpa id\nA-1,PELANGGAN,\n\nA-1,PELANGGAN,iya\n",
    )
    results = list(read_source(path))
    assert isinstance(results[0], Transcript)
    assert speakers_texts(results[0]) == [("CSO", "halo"), ("PELANGGAN", "iya")]
    assert any(w.endswith(":4: row without text skipped") for w in results[0].warnings)
    errors = [r for r in results if isinstance(r, ReadError)]
    assert [(e.line, e.message) for e in errors] == [(3, "row without call_id")]


def test_table_missing_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "calls.csv", "\ncall_id,pesan,waktu\nA-1,halo,1\n")
    error = read_error(path)
    assert error.line == 2
    assert "speaker" in error.message and "text" in error.message
    assert "found: call_id, pesan, waktu" in error.message


def test_tab_separated_table_is_sniffed(tmp_path: Path) -> None:
    call = read_one(write(tmp_path, "t.csv", "id\trole\tutterance\tstart_time\nX\tcso\thalo, pak\t2\n"))
    assert speakers_texts(call) == [("cso", "halo, pak")]
    assert call.turns[0].start == 2.0


def test_xlsx_table(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["CallID", "Speaker", "Text", "Start", "call_start", "agent_id"])
    sheet.append([1001, "CSO", OPENING, 0.5, datetime(2023, 8, 1, 14, 0), 17])
    sheet.append([])
    sheet.append([1001, "Pelanggan", "siang", "00:00:03", None, None])
    sheet.append([None, "CSO", "tanpa id", None, None, None])
    path = tmp_path / "calls.xlsx"
    workbook.save(path)
    results = list(read_source(path))
    call, error = results
    assert isinstance(call, Transcript) and isinstance(error, ReadError)
    assert call.call_id == "1001"
    assert call.format == "xlsx"
    assert speakers_texts(call) == [("CSO", OPENING), ("Pelanggan", "siang")]
    assert [t.line for t in call.turns] == [2, 4]
    assert [t.start for t in call.turns] == [0.5, 3.0]
    assert call.meta.call_start == datetime(2023, 8, 1, 14, 0, tzinfo=WIB)
    assert call.meta.agent_id == "17"
    assert (error.line, error.message) == (5, "row without call_id")


def test_broken_xlsx_is_an_error(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "calls.xlsx", b"PK\x03\x04 not really a zip"))
    assert error.message.startswith("cannot open the workbook")
    error = read_error(write(tmp_path, "calls.xlsx", b"call_id,speaker,text\n"))
    assert error.message.startswith("not a readable .xlsx workbook")


def test_zip_that_is_not_a_workbook_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "archive.txt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "CSO: halo")
    assert read_error(path).message.startswith("binary file, not a transcript")


def test_xlsx_content_wins_over_suffix(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["call_id", "speaker", "text"])
    workbook.active.append(["Q-1", "CSO", "halo"])
    path = tmp_path / "export.csv"
    workbook.save(path)
    call = read_one(path)
    assert (call.call_id, call.format) == ("Q-1", "xlsx")


# --- errors and detection --------------------------------------------------------------------


def test_empty_and_binary_files(tmp_path: Path) -> None:
    assert read_error(write(tmp_path, "e.txt", "  \n\n")).message == "empty file"
    assert read_error(write(tmp_path, "z.txt", b"")).message == "empty file"
    binary = read_error(write(tmp_path, "b.txt", bytes(range(256))))
    assert binary.message == "binary file, not a transcript"
    assert binary.call_id == "b"


def test_unknown_format(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "notes.md", "# catatan\nsesuatu\n"))
    assert error.message.startswith("unknown format (.md")


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    error = read_error(tmp_path / "gone.txt")
    assert "cannot open the file" in error.message


def test_registry_lists_every_format() -> None:
    assert set(READERS) == {"text", "vtt", "srt", "whisper", "aws", "csv", "xlsx"}


# --- discover ----------------------------------------------------------------------------------


def test_discover_folder_recursive_skips_hidden_and_finds_manifest(tmp_path: Path) -> None:
    for name in ["b.txt", "a.vtt", "sub/c.json", "_labels.csv", ".hidden.txt", "_notes/x.txt", "odd.bin"]:
        write(tmp_path, name, "x")
    write(tmp_path, "Manifest.CSV", "call_id\n")
    write(tmp_path, "sub/manifest.csv", "call_id\n")
    files, manifests = discover([tmp_path])
    assert manifests == [tmp_path / "Manifest.CSV"]
    assert files == [
        tmp_path / "a.vtt",
        tmp_path / "b.txt",
        tmp_path / "odd.bin",
        tmp_path / "sub" / "c.json",
        tmp_path / "sub" / "manifest.csv",
    ]


def test_discover_globs_files_and_dedup(tmp_path: Path) -> None:
    for name in ["x/1.txt", "x/2.txt", "x/_skip.txt", "y/3.srt"]:
        write(tmp_path, name, "x")
    files, manifests = discover([str(tmp_path / "x" / "*.txt"), tmp_path / "y" / "3.srt", tmp_path / "x"])
    assert manifests == []
    assert files == [tmp_path / "x" / "1.txt", tmp_path / "x" / "2.txt", tmp_path / "y" / "3.srt"]


def test_discover_explicit_underscore_file_is_taken(tmp_path: Path) -> None:
    path = write(tmp_path, "_draft.txt", "x")
    assert discover([path]) == ([path], [])


def test_discover_one_manifest_per_folder(tmp_path: Path) -> None:
    write(tmp_path, "one/manifest.xlsx", b"x")
    write(tmp_path, "one/a.txt", "x")
    write(tmp_path, "two/manifest.csv", "call_id\n")
    files, manifests = discover([tmp_path / "one", tmp_path / "two"])
    assert manifests == [tmp_path / "one" / "manifest.xlsx", tmp_path / "two" / "manifest.csv"]
    assert files == [tmp_path / "one" / "a.txt"]


def test_discover_files_and_globs_find_their_folders_manifest(tmp_path: Path) -> None:
    for name in ["x/1.txt", "x/2.txt", "y/3.txt"]:
        write(tmp_path, name, "x")
    write(tmp_path, "x/manifest.csv", "call_id\n")
    files, manifests = discover([tmp_path / "x" / "1.txt", tmp_path / "x" / "2.txt"])
    assert (files, manifests) == ([tmp_path / "x" / "1.txt", tmp_path / "x" / "2.txt"], [tmp_path / "x" / "manifest.csv"])
    files, manifests = discover([str(tmp_path / "*" / "*")])
    assert files == [tmp_path / "x" / "1.txt", tmp_path / "x" / "2.txt", tmp_path / "y" / "3.txt"]
    assert manifests == [tmp_path / "x" / "manifest.csv"]


def test_discover_missing_path(tmp_path: Path) -> None:
    with pytest.raises(QAScoringError, match="nothing-here"):
        discover([tmp_path / "nothing-here"])
    with pytest.raises(QAScoringError, match=r"\*\.zzz"):
        discover([str(tmp_path / "*.zzz")])


# --- round-trip properties -------------------------------------------------------------------

_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF0123456789:,.?", min_size=1, max_size=10)
_TEXTS = st.lists(_WORDS, min_size=1, max_size=8).map(" ".join)
_LABELS = st.sampled_from(["CSO", "PELANGGAN", "SPEAKER_00", "SPEAKER_01", "Agent (Rina)", "Pelanggan 2", "A", "B"])
_TURNS = st.lists(st.tuples(_LABELS, _TEXTS), min_size=1, max_size=12)


def _clock(seconds: float, sep: str = ".") -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}{sep}{round(seconds % 1 * 1000):03d}"


def _render(kind: str, turns: list[tuple[str, str]]) -> tuple[str, str]:
    if kind == "txt":
        return "call.txt", "".join(f"[{_clock(i * 2.0)}] {s}: {t}\n" for i, (s, t) in enumerate(turns))
    if kind == "plain":
        return "call.txt", "".join(f"{s}: {t}\n" for s, t in turns)
    if kind == "vtt":
        cues = [f"{_clock(i * 2.0)} --> {_clock(i * 2.0 + 1.5)}\n<v {s}>{t}</v>\n" for i, (s, t) in enumerate(turns)]
        return "call.vtt", "WEBVTT\n\n" + "\n".join(cues)
    if kind == "srt":
        cues = [
            f"{i + 1}\n{_clock(i * 2.0, ',')} --> {_clock(i * 2.0 + 1.5, ',')}\n{s}: {t}\n"
            for i, (s, t) in enumerate(turns)
        ]
        return "call.srt", "\n".join(cues)
    segments = [
        {"start": i * 2.0, "end": i * 2.0 + 1.5, "text": f" {t}", "speaker": s} for i, (s, t) in enumerate(turns)
    ]
    return "call.json", json.dumps({"segments": segments, "language": "id"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["txt", "plain", "vtt", "srt", "whisper"]), turns=_TURNS)
def test_rendered_turns_read_back(tmp_path: Path, kind: str, turns: list[tuple[str, str]]) -> None:
    name, content = _render(kind, turns)
    call = read_one(write(tmp_path, name, content))
    assert speakers_texts(call) == turns
    if kind != "plain":
        assert [t.start for t in call.turns] == [i * 2.0 for i in range(len(turns))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    turns=st.lists(st.tuples(_LABELS, _TEXTS, st.sampled_from(["X-1", "X-2", "X-3"])), min_size=1, max_size=15),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_table_rows_read_back_grouped_by_call(
    tmp_path: Path, turns: list[tuple[str, str, str]], delimiter: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["call_id", "speaker", "text"])
    writer.writerows([c, s, t] for s, t, c in turns)
    results = list(read_source(write(tmp_path, "t.csv", buffer.getvalue())))
    expected_ids = list(dict.fromkeys(c for _, _, c in turns))
    assert [r.call_id for r in results] == expected_ids
    for result in results:
        assert isinstance(result, Transcript)
        assert speakers_texts(result) == [(s, t) for s, t, c in turns if c == result.call_id]
