"""Decoding transcript bytes: BOMs, UTF-16 without BOM, Windows-1252, binary and empty files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_scoring.model import ReadError, Transcript
from qa_scoring.readers import read_source
from qa_scoring.readers.encoding import BINARY, EMPTY, TRUNCATED_UTF16, DecodeError, decode, detect_encoding

TEXT = "CSO: terima kasih telah menghubungi pln 123 selamat siang bapak budi\nPELANGGAN: iya mbak café ’ok’\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_decode_gives_the_same_text(data: bytes, encoding: str) -> None:
    text, used = decode(data)
    assert used == encoding
    assert text == TEXT


def test_crlf_and_cr_line_ends_become_newlines() -> None:
    text, _ = decode(b"CSO: halo\r\nPELANGGAN: iya\rCSO: baik\n")
    assert text == "CSO: halo\nPELANGGAN: iya\nCSO: baik\n"


def test_cp1252_characters_survive() -> None:
    text, used = decode("PELANGGAN: saya sudah ke caf\u00e9 itu, katanya \u2019besok\u2019".encode("cp1252"))
    assert used == "cp1252"
    assert "café" in text
    assert "’besok’" in text


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8 + b"\n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")]
)
def test_empty_content(data: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert caught.value.message == EMPTY


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n" + bytes([0, 0, 0, 13]) + b"IHDR" + bytes(range(40)),
        b"CSO: halo\x00\x00\x00\x00\x01\x02\x03pelanggan",
        b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20 + b"halo",
    ],
)
def test_binary_content(data: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(data)
    assert caught.value.message == BINARY


def test_utf16_cut_mid_character_is_an_error_not_repaired() -> None:
    data = "CSO: selamat siang pln 123".encode("utf-16")
    assert decode(data)[0] == "CSO: selamat siang pln 123"
    with pytest.raises(DecodeError) as caught:
        decode(data[:-1])
    assert caught.value.message == TRUNCATED_UTF16


def test_utf16_detection_needs_the_nul_pattern() -> None:
    assert detect_encoding("halo pak".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("halo pak".encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding(b"\x00" * 16) == "binary"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "cp1252"],
)
def test_read_source_reads_each_encoding(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "call.txt"
    path.write_bytes(data)
    [result] = list(read_source(path))
    assert isinstance(result, Transcript)
    assert [t.speaker for t in result.turns] == ["CSO", "PELANGGAN"]
    assert result.turns[0].text.startswith("terima kasih")
    assert result.turns[1].text == "iya mbak café ’ok’"


def test_bom_is_not_part_of_the_first_label(tmp_path: Path) -> None:
    path = tmp_path / "call.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"CSO: halo\n")
    [result] = list(read_source(path))
    assert isinstance(result, Transcript)
    assert result.turns[0].speaker == "CSO"
    assert result.turns[0].role == "agent"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".vtt", ".srt", ".json", ".csv", ".xlsx", ".bin"]))
def test_random_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("rnd") / f"call{suffix}"
    path.write_bytes(data)
    results = list(read_source(path, display="shown"))
    assert results
    for result in results:
        assert isinstance(result, Transcript | ReadError)
        assert result.source == "shown"
        assert not (isinstance(result, ReadError) and result.message.startswith("cannot be read ("))


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.sampled_from(
        [b"WEBVTT\n\n", b"1\n00:00:01,000 --> 00:00:02,000\n", b"{", b"[", b"call_id,speaker,text\n"]
    ),
    data=st.binary(max_size=200),
)
def test_random_bytes_after_a_format_header_never_raise(
    tmp_path_factory: pytest.TempPathFactory, prefix: bytes, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("rnd") / "call.txt"
    path.write_bytes(prefix + data)
    for result in read_source(path):
        assert isinstance(result, Transcript | ReadError)
        assert not (isinstance(result, ReadError) and result.message.startswith("cannot be read ("))
