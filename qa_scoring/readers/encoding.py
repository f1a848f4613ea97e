"""Decode a transcript file's bytes: UTF-8 (BOM or not), UTF-16 (BOM or not), Windows-1252.

Line ends are normalised to ``\\n``; a leading BOM is removed. Binary content and empty files
raise :class:`DecodeError`, which the readers turn into a ReadError.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from qa_scoring.messages import Notice

BINARY = Notice("", "input.binary_file")
EMPTY = Notice("", "input.empty_file")
TRUNCATED_UTF16 = Notice("", "input.truncated_utf16")

# Control characters that occur in real text files (tab, line ends, form feed, DOS end-of-file).
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1a")
# Share of characters that may be control or replacement characters before a file counts as binary.
_MAX_BAD_SHARE = 0.02
# Share of the odd (or even) bytes that must be NUL to read a file without BOM as UTF-16.
_UTF16_NUL_SHARE = 0.3


class DecodeError(Exception):
    """The bytes are not a text file (binary) or hold no text (empty)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for a file's bytes; raise DecodeError when binary or empty."""
    if not data:
        raise DecodeError(EMPTY)
    encoding, text = _detect(data)
    if encoding == "binary":
        raise DecodeError(BINARY)
    if encoding.startswith("utf-16") and len(data) % 2:
        raise DecodeError(TRUNCATED_UTF16)
    if text is None:
        text = data.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        raise DecodeError(EMPTY)
    # ASCII text (most files) holds a suspect character only where its bytes hold one: one pass in C
    if (encoding != "utf-8" or not data.isascii() or data.translate(None, _NOT_SUSPECT_BYTES)) and looks_binary(text):
        raise DecodeError(BINARY)
    return text, encoding


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHUNK = 1 << 20  # bytes read at a time by decode_lines (even: UTF-16 byte parity holds across chunks)


def decode_lines(path: Path) -> Iterator[str]:
    """The lines of a file, decoded as :func:`decode` would, without holding the whole file.

    The checks that need the whole file run first (two passes over its bytes: the encoding,
    then binary and empty text), so a DecodeError is raised before the first line; the lines
    are then read in a third pass, each with its ``\\n`` ending (the last may lack it).
    Raises OSError when the file cannot be read.
    """
    encoding = _detect_encoding_stream(path)
    if encoding == "binary":
        raise DecodeError(BINARY)
    total = bad = 0
    suspect = blank = False
    for chunk in _decoded_chunks(path, encoding):
        total += len(chunk)
        blank = blank or bool(chunk.strip())
        if "\x00" in chunk:
            raise DecodeError(BINARY)
        if _SUSPECT_RE.search(chunk):
            suspect = True
            bad += _bad_count(chunk)
    if not blank:
        raise DecodeError(EMPTY)
    if suspect and bad > _MAX_BAD_SHARE * total:
        raise DecodeError(BINARY)
    return _split_lines(_decoded_chunks(path, encoding))


def _detect_encoding_stream(path: Path) -> str:
    """:func:`detect_encoding` of a file's bytes, read a chunk at a time; raises DecodeError when empty."""
    with path.open("rb") as fh:
        head = fh.read(max(_CHUNK, 4))  # a BOM is at most 3 bytes
        if not head:
            raise DecodeError(EMPTY)
        for bom, name in _BOMS:
            if head.startswith(bom):
                if name.startswith("utf-16") and _size(fh) % 2:
                    raise DecodeError(TRUNCATED_UTF16)
                return name
        utf8 = codecs.getincrementaldecoder("utf-8")()
        is_utf8, has_nul = True, False
        even = odd = even_nul = odd_nul = 0
        chunk = head
        while chunk:
            has_nul = has_nul or b"\x00" in chunk
            even_bytes, odd_bytes = chunk[0::2], chunk[1::2]
            even, odd = even + len(even_bytes), odd + len(odd_bytes)
            even_nul, odd_nul = even_nul + even_bytes.count(0), odd_nul + odd_bytes.count(0)
            if is_utf8:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            chunk = fh.read(_CHUNK)
        if is_utf8:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                is_utf8 = False
    if has_nul:
        encoding = _utf16_shares(even, odd, even_nul, odd_nul)
        if encoding.startswith("utf-16") and (even + odd) % 2:
            raise DecodeError(TRUNCATED_UTF16)
        return encoding
    return "utf-8" if is_utf8 else "cp1252"


def _size(fh: BinaryIO) -> int:
    return os.fstat(fh.fileno()).st_size


def _decoded_chunks(path: Path, encoding: str) -> Iterator[str]:
    """The file's text, a chunk at a time: BOM removed, line ends as ``\\n`` (a CR at a chunk's end held back)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    first, held = True, ""
    with path.open("rb") as fh:
        while True:
            data = fh.read(_CHUNK)
            text = held + decoder.decode(data, final=not data)
            if first and text:
                text, first = text.removeprefix("\ufeff"), False
            held = ""
            if data and text.endswith("\r"):
                text, held = text[:-1], "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if text:
                yield text
            if not data:
                return


def _split_lines(chunks: Iterator[str]) -> Iterator[str]:
    """Lines with their ``\\n`` from text chunks."""
    rest = ""
    for chunk in chunks:
        lines = (rest + chunk).split("\n")
        rest = lines.pop()
        for line in lines:
            yield line + "\n"
    if rest:
        yield rest


def detect_encoding(data: bytes) -> str:
    """The codec name for ``data``: from its BOM, its NUL-byte pattern, or a UTF-8 trial; else cp1252.

    Returns ``"binary"`` when NUL bytes occur in a pattern that is not UTF-16 text.
    """
    return _detect(data)[0]


def _detect(data: bytes) -> tuple[str, str | None]:
    """``detect_encoding`` and, when the UTF-8 trial succeeded, its text (not decoded twice)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, None
    if b"\x00" in data:
        return _utf16_without_bom(data), None
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252", None


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 LE/BE from where the NUL bytes fall (ASCII text has one NUL per character), else binary."""
    even, odd = data[0::2], data[1::2]
    return _utf16_shares(len(even), len(odd), even.count(0), odd.count(0))


def _utf16_shares(even: int, odd: int, even_nul: int, odd_nul: int) -> str:
    """UTF-16 LE/BE from the counts of even and odd bytes and of the NULs among them, else binary."""
    if not even or not odd:
        return "binary"
    even_share, odd_share = even_nul / even, odd_nul / odd
    if odd_share >= _UTF16_NUL_SHARE and even_share <= odd_share / 10:
        return "utf-16-le"
    if even_share >= _UTF16_NUL_SHARE and odd_share <= even_share / 10:
        return "utf-16-be"
    return "binary"


_SUSPECT_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")
# Every byte but the ASCII ones _SUSPECT_RE looks for: deleting these leaves an ASCII file's suspect bytes.
_NOT_SUSPECT_BYTES = bytes(b for b in range(256) if b > 0x7F or not _SUSPECT_RE.match(chr(b)))


def looks_binary(text: str) -> bool:
    """True when NULs occur, or control/replacement characters exceed a small share of the text."""
    if "\x00" in text:
        return True
    if not _SUSPECT_RE.search(text):
        return False
    return _bad_count(text) > _MAX_BAD_SHARE * len(text)


def _bad_count(text: str) -> int:
    """Control (but for line ends and tabs), surrogate and replacement characters in ``text``."""
    return sum(
        1 for ch in text if ch == "\ufffd" or (ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"))
    )
