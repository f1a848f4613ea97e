"""What each result becomes for the writers: made in the worker that scored it (``score --jobs``).

Kept apart from the CLI so that a worker process imports only this, the pipeline and the masker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa_scoring.pii import Masker
from qa_scoring.reports.jsonl import encode_line, strict_json_value


@dataclass(frozen=True)
class Output:
    """One result made ready in a worker: its JSON Lines line and the full result for the store."""

    line: str
    result: dict[str, Any]


@dataclass(frozen=True)
class MakeOutput:
    """Masks and encodes a result (picklable: runs in the worker processes of ``--jobs``)."""

    masker: Masker | None

    def __call__(self, result: dict[str, Any]) -> Output:
        shared = self.masker.mask_result(result) if self.masker else result
        line, written = encode_line(shared)
        if written is not shared:  # cleaned for strict JSON: the store gets a clean copy too
            result = written if self.masker is None else strict_json_value(result)
        return Output(line, result)
