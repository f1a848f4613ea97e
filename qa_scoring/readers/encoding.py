"""Decode a transcript file's bytes: UTF-8 (BOM or not), UTF-16 (BOM or not), Windows-1252.

Line ends are normalised to ``\\n``; a leading BOM is removed. Binary content and empty files
raise :class:`DecodeError`, which the readers turn into a ReadError.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

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


def detect_encoding(data: bytes) -> str:
    """The codec name for ``data``: from its BOM, its NUL-byte pattern, or a UTF-8 trial; else cp1252.

    Returns ``"binary"`` when NUL bytes occur in a pattern that is not UTF-16 text.
    """
    return _detect(data)[0]


def _detect(data: bytes) -> tuple[str, str | None]:
    """``detect_encoding`` and, when the UTF-8 trial succeeded, its text (not decoded twice)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", None
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", None
    if b"\x00" in data:
        return _utf16_without_bom(data), None
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252", None


def _utf16_without_bom(data: bytes) -> str:
    """UTF-16 LE/BE from where the NUL bytes fall (ASCII text has one NUL per character), else binary."""
    even, odd = data[0::2], data[1::2]
    if not even or not odd:
        return "binary"
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul >= _UTF16_NUL_SHARE and even_nul <= odd_nul / 10:
        return "utf-16-le"
    if even_nul >= _UTF16_NUL_SHARE and odd_nul <= even_nul / 10:
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
    bad = sum(
        1 for ch in text if ch == "\ufffd" or (ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"))
    )
    return bad > _MAX_BAD_SHARE * len(text)
