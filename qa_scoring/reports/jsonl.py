"""JSON Lines reporter: one result object per line, written to a temporary file then renamed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from qa_scoring.fileutil import publish, temp_beside

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class JsonlWriter:
    """Write results one line at a time; the target appears only when the batch is complete.

    Use as a context manager: on a clean exit the temporary file is renamed onto the target;
    on an exception it is removed and the target is left as it was.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        fd, self.tmp = temp_beside(self.path)
        self._fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self.count = 0

    def write(self, result: dict[str, Any]) -> None:
        """Append one result."""
        self._fh.write(_ENCODER.encode(result) + "\n")
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


def read_jsonl(path: Path) -> Any:
    """Yield the objects of a JSON Lines file, one at a time."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
