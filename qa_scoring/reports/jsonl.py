"""JSON Lines reporter: one result object per line, written to a temporary file then renamed."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, overload

import orjson

from qa_scoring.fileutil import WRITE_BUFFER, publish, temp_beside

_SURROGATE = re.compile("[\ud800-\udfff]")
# A result is a tree (no object refers back to one above it), so the encoder need not keep the
# ids of the containers it is in to detect cycles.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False)
# orjson writes what _ENCODER writes, eight times as fast, but for two things: a float below
# 0.0001 in magnitude in another notation (0.000025 for 2.5e-05, 4.6e-9 for 4.6e-09: the same
# number), and NaN or Infinity as null where _ENCODER refuses them. It refuses, and _ENCODER
# takes over, a lone surrogate, an integer past 64 bits, a key that is not text, and (told to
# pass them through) dataclasses, dates and subclasses of str, int, list and dict.
_FAST = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS


class JsonlWriter:
    """Write results one line at a time; the target appears only when the batch is complete.

    Use as a context manager: on a clean exit the temporary file is renamed onto the target;
    on an exception it is removed and the target is left as it was.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        fd, self.tmp = temp_beside(self.path)
        self._fh: IO[bytes] = os.fdopen(fd, "wb", buffering=WRITE_BUFFER)
        self.count = 0

    def write(self, result: dict[str, Any]) -> dict[str, Any]:
        """Append one result; returns it as written (cleaned when it held a value JSON cannot carry)."""
        line, result = encode_line(result)
        self.write_line(line)
        return result

    def write_line(self, line: str | bytes) -> None:
        """Append one line made by ``encode_line`` (as text, or as its UTF-8 bytes)."""
        self._fh.write(line if type(line) is bytes else line.encode())
        self.count += 1

    def commit(self) -> None:
        """Flush and rename the temporary file onto the target."""
        self._fh.close()
        publish(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the temporary file."""
        self._fh.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


@overload
def encode_line(result: dict[str, Any], *, utf8: Literal[False] = ...) -> tuple[str, dict[str, Any]]: ...
@overload
def encode_line(result: dict[str, Any], *, utf8: Literal[True]) -> tuple[bytes, dict[str, Any]]: ...
def encode_line(result: dict[str, Any], *, utf8: bool = False) -> tuple[str | bytes, dict[str, Any]]:
    """The JSON Lines line of a result (newline included; ``utf8``: as UTF-8 bytes), and the result as written.

    NaN and Infinity are written as null. The result comes back cleaned (``strict_json_value``)
    when it held a lone surrogate (written as U+FFFD) or a value the fast encoder refuses;
    otherwise it is the object given.
    """
    try:
        line = compact_json(result) + b"\n"
    except (ValueError, UnicodeEncodeError):
        result = strict_json_value(result)
        line = compact_json(result) + b"\n"
    return (line if utf8 else line.decode()), result


def compact_json(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON, as a line holds it (no newline): orjson, or the standard encoder
    for what orjson refuses, which raises ValueError (NaN) or UnicodeEncodeError (a lone surrogate)."""
    try:
        return orjson.dumps(value, option=_FAST)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(value).encode()


def strict_json_value(value: Any) -> Any:
    """A copy of ``value`` that strict JSON can hold: NaN and Infinity become null, lone surrogates U+FFFD."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {strict_json_value(str(k)): strict_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json_value(v) for v in value]
    return value


def read_jsonl(path: Path) -> Any:
    """Yield the objects of a JSON Lines file, one at a time."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
