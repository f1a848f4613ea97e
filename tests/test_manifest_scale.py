"""A manifest of a million rows (issue 10, flat memory): decoded a chunk at a time with the same
text and errors as whole, and its repeated call ids found without a query per row."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_scoring.fileutil import SeenFilter
from qa_scoring.pipeline import DuplicateIds
from qa_scoring.readers import encoding, manifest
from qa_scoring.readers.encoding import DecodeError, decode, decode_lines
from qa_scoring.readers.table import csv_line_rows, csv_rows

PIECES = [
    b"call_id,agent\r\n",
    b"A-1,CSO-1\n",
    b"\r",
    b"\n",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00",
    b"a\x00",
    b"\x00a",
    "pelanggan é\n".encode(),
    "Rp 5.000 – ok\r".encode("cp1252"),
    b"\x81\x9d",
    b"\xe2\x82",
    b"\xac",
    b"\x01\x02",
    b" ",
    b";",
    b"\t",
    b'"a,\nb"',
]


def _whole(data: bytes) -> str | Exception:
    try:
        return decode(data)[0]
    except DecodeError as exc:
        return exc


def _streamed(path: Path) -> str | Exception:
    try:
        return "".join(decode_lines(path))
    except DecodeError as exc:
        return exc


def _same(a: str | Exception, b: str | Exception) -> bool:
    if isinstance(a, Exception) or isinstance(b, Exception):
        return type(a) is type(b) and str(a) == str(b)
    return a == b


@settings(max_examples=400, deadline=None)
@given(
    parts=st.lists(st.sampled_from(PIECES) | st.binary(max_size=6), max_size=14),
    chunk=st.sampled_from([2, 4, 6, 1 << 20]),
)
def test_streamed_decoding_gives_the_whole_decoding(
    tmp_path_factory: pytest.TempPathFactory, parts: list[bytes], chunk: int
) -> None:
    data = b"".join(parts)
    path = tmp_path_factory.mktemp("enc") / "m.csv"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(encoding, "_CHUNK", chunk)
        streamed = _streamed(path)
    assert _same(_whole(data), streamed), (data, streamed)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "input.empty_file"),
        (b" \r\n \n", "input.empty_file"),
        (b"\xff\xfea\x00b", "input.truncated_utf16"),
        (b"a\x00b\x00c", "input.truncated_utf16"),
        (b"\x00\x01\x02\x03binary", "input.binary_file"),
    ],
)
def test_streamed_decoding_refuses_what_decode_refuses(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    with pytest.raises(DecodeError) as streamed:
        decode_lines(path)
    assert streamed.value.message.code == expected


def test_a_late_invalid_byte_makes_the_whole_file_cp1252(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "_CHUNK", 8)
    path = tmp_path / "m.csv"
    path.write_bytes("call_id,name\nA-1,José\n".encode() + b"A-2,Jos\xe9\n")
    assert "".join(decode_lines(path)) == "call_id,name\nA-1,JosÃ©\nA-2,José\n"


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab,;\t"\n \r')), max_size=60))
def test_csv_rows_line_by_line_are_the_csv_rows_of_the_text(text: str) -> None:
    text = text.replace("\r", "")
    lines = iter(text.splitlines(keepends=True))

    def rows(source: object) -> list[object] | str:
        try:
            return [(line, list(cells)) for line, cells in source]  # type: ignore[attr-defined]
        except Exception as exc:  # the same TableError, or the same csv problem
            return f"{type(exc).__name__}: {exc}"

    assert rows(csv_line_rows(lines)) == rows(csv_rows(text))


@pytest.mark.parametrize("filter_bytes", [1, 1 << 20])
def test_repeated_call_ids_are_found_however_full_the_filter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filter_bytes: int
) -> None:
    """A filter of 8 bits says "maybe seen" for every id: the warnings must still be exactly the repeats."""
    monkeypatch.setattr(SeenFilter, "size", filter_bytes)
    rows = ["call_id,agent_id"] + [f"C-{i:05d},CSO-1" for i in range(2500)] + ["C-00001,CSO-2", "C-02499,CSO-3"]
    path = tmp_path / "manifest.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    read = manifest.read_manifest(path)
    assert [str(w) for w in read.warnings] == [
        f"{path}:2502: duplicate call_id 'C-00001' (first on line 3)",
        f"{path}:2503: duplicate call_id 'C-02499' (first on line 2501)",
    ]
    assert read.duplicates and read.size == 2502


@pytest.mark.parametrize("filter_bytes", [1, 1 << 20])
def test_a_call_id_scored_twice_is_found_among_thousands(monkeypatch: pytest.MonkeyPatch, filter_bytes: int) -> None:
    monkeypatch.setattr(SeenFilter, "size", filter_bytes)
    with DuplicateIds() as seen:
        firsts = [seen.first(f"C-{i}", f"a/{i}.txt") for i in range(2500)]
        again = [seen.first("C-7", "b/7.txt"), seen.first("C-2499", "b/2499.txt"), seen.first("C-\udc80", "c.txt")]
        assert seen.first("C-\udc80", "d.txt") == "c.txt"
    assert firsts == [None] * 2500
    assert again == ["a/7.txt", "a/2499.txt", None]


@pytest.mark.parametrize("order", ["in order", "reversed", "shuffled", "twice"])
def test_rows_read_ahead_are_the_rows_a_query_finds(tmp_path: Path, order: str) -> None:
    """Looked up in the manifest's order (rows read ahead in blocks) or in any other order, each
    call id gets its own row, the same as one query per call id; unknown ids get none."""
    size = 3 * manifest._AHEAD + 7
    ids = [f"C-{i:05d}" for i in range(size)]
    lines = ["call_id,agent_id"] + [f"{call_id},CSO-{i}" for i, call_id in enumerate(ids)]
    path = tmp_path / "manifest.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = manifest.read_manifest(path)
    wanted = {
        "in order": ids,
        "reversed": ids[::-1],
        "shuffled": ids[1::3] + ids[::3] + ids[2::3],
        "twice": [*ids, "NOPE", *ids[: manifest._AHEAD + 2]],
    }[order]
    found = [read.lookup(tmp_path / f"{call_id}.txt", call_id) for call_id in wanted]
    agents = {call_id: f"CSO-{i}" for i, call_id in enumerate(ids)}
    assert [m.meta.agent_id if m else None for m in found] == [agents.get(c) for c in wanted]
    assert [m.meta.call_id if m else None for m in found] == [c if c in agents else None for c in wanted]
    assert read.used == size
