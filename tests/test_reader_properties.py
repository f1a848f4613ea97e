"""Property tests: each reader, given anything shaped like its format, yields Transcripts or ReadErrors.

"Never raises" alone cannot fail (read_source catches every exception); these tests also
require that no ReadError is the internal-error fallback (a reader bug), that every text
can be written as strict JSON, and that the manifest reader raises only InputError.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_scoring.errors import InputError
from qa_scoring.limits import Limits
from qa_scoring.model import ReadError, Transcript
from qa_scoring.readers import read_source
from qa_scoring.readers.manifest import read_manifest

SMALL = Limits(max_turns=200, max_turn_chars=500, json_depth=20)
LABELS = st.sampled_from(["CSO", "PELANGGAN", "SPEAKER_00", "Agent (Rina)", "A", "", "x:y", "<v>", "[00:01]"])
TEXTS = st.text(max_size=60)
TIMES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(["00:00:01.000", "1:2", "99:99:99", "", "-1", "1e400", "NaN"]),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _check(content: bytes | str, suffix: str) -> list[Transcript | ReadError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"call{suffix}"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(content)
        items = list(read_source(path, limits=SMALL))
    for item in items:
        assert isinstance(item, Transcript | ReadError)
        if isinstance(item, ReadError):
            assert "internal error" not in item.message, item.message
            json.dumps({"e": item.describe()}, allow_nan=False).encode("utf-8")
        else:
            assert len(item.turns) <= SMALL.max_turns
            for turn in item.turns:
                assert len(turn.text) <= SMALL.max_turn_chars + 2
                json.dumps([turn.text, turn.speaker, turn.start, turn.end], allow_nan=False).encode("utf-8")
            json.dumps(list(item.warnings)).encode("utf-8")
    return items


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from(["", "[00:00:01] ", "00:01 - 00:02 ", "(1:2) "]), LABELS, TEXTS), max_size=30))
def test_text_reader(lines: list[tuple[str, str, str]]) -> None:
    _check("\n".join(f"{stamp}{label}: {text}" for stamp, label, text in lines), ".txt")


@settings(max_examples=150, deadline=None)
@given(
    cues=st.lists(st.tuples(st.sampled_from(["00:00:01.000", "0:1", "99:99.9", "x"]), LABELS, TEXTS), max_size=20),
    srt=st.booleans(),
)
def test_subtitle_readers(cues: list[tuple[str, str, str]], srt: bool) -> None:
    if srt:
        body = "\n\n".join(f"{n}\n{t} --> {t}\n{label}: {text}" for n, (t, label, text) in enumerate(cues, 1))
        _check(body, ".srt")
    else:
        body = "\n\n".join(f"{t} --> {t}\n<v {label}>{text}" for t, label, text in cues)
        _check("WEBVTT\n\n" + body, ".vtt")


@settings(max_examples=100, deadline=None)
@given(segments=st.lists(st.dictionaries(st.sampled_from(["start", "end", "speaker", "text", "words"]), JSON_VALUES), max_size=8))
def test_whisper_reader(segments: list[dict]) -> None:
    _check(json.dumps({"segments": segments}), ".json")


@settings(max_examples=100, deadline=None)
@given(start=TIMES, text=JSON_VALUES, speaker=JSON_VALUES)
def test_whisper_times_and_types(start: object, text: object, speaker: object) -> None:
    segment = {"start": start, "end": start, "speaker": speaker, "text": text}
    _check(json.dumps({"segments": [segment, {"speaker": "CSO", "text": "halo", "start": start}]}), ".json")


@settings(max_examples=100, deadline=None)
@given(
    items=st.lists(
        st.dictionaries(
            st.sampled_from(["ParticipantRole", "Content", "BeginOffsetMillis", "EndOffsetMillis"]), JSON_VALUES | TIMES
        ),
        max_size=8,
    )
)
def test_aws_reader(items: list[dict]) -> None:
    _check(json.dumps({"Transcript": [{"ParticipantRole": "AGENT", "Content": "x"}, *items]}), ".json")


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(st.one_of(TEXTS, st.sampled_from(["A-1", "CSO", "1e400", "NaN", '"', "\x00"])), max_size=6), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quoted=st.booleans(),
)
def test_table_reader(rows: list[list[str]], delimiter: str, quoted: bool) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([["call_id", "speaker", "text", "start"], *rows])
    body = out.getvalue() if quoted else out.getvalue().replace('"', "")
    _check(body, ".csv")


@settings(max_examples=15, deadline=None)
@given(rows=st.lists(st.lists(st.one_of(st.none(), st.floats(), st.integers(-(10**15), 10**15), st.text(max_size=20)), max_size=5), max_size=6))
def test_xlsx_reader(rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    wb = Workbook()
    try:
        for row in [["call_id", "speaker", "text", "start"], *rows]:
            wb.active.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
    except (IllegalCharacterError, ValueError):
        return  # openpyxl cannot write that value: no such workbook can exist
    _check(buffer.getvalue(), ".xlsx")


@settings(max_examples=150, deadline=None)
@given(body=st.text(max_size=300), header=st.sampled_from(["call_id,file,call_start,team\n", "id;klb\n", ""]))
def test_manifest_reader_raises_only_input_error(body: str, header: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "manifest.csv"
        path.write_text(header + body, encoding="utf-8", errors="surrogatepass")
        try:
            manifest = read_manifest(path)
        except InputError:
            return
        for warning in manifest.warnings:
            json.dumps(warning).encode("utf-8")
        list(manifest.unmatched())
