"""What each result becomes for the writers: made in the worker that scored it (``score --jobs``).

Kept apart from the CLI so that a worker process imports only this, the pipeline and the masker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from qa_scoring.pii import Masker
from qa_scoring.reports.jsonl import encode_line, strict_json_value
from qa_scoring.store import prepare_record


@dataclass(frozen=True)
class Output:
    """One result made ready in a worker: its JSON Lines line, what the summary counts, and its store rows."""

    line: bytes  # UTF-8, newline included: written as it is, never decoded and encoded again
    result: dict[str, Any]  # the fields the run's summary counts (see ``_BRIEF``)
    record: Any = None  # store.PreparedRecord when the run records into a store
    rows: Any = None  # excel.CallRows of a scored call when the run writes a workbook


_BRIEF = ("status", "call_id", "call_start", "score", "parameters")


@dataclass(frozen=True)
class MakeOutput:
    """Masks and encodes a result (picklable: runs in the worker processes of ``--jobs``)."""

    masker: Masker | None
    rules: Any = None  # the RuleSet, when the results are recorded into a store
    book: Any = None  # the workbook's excel.RowMaker, when the run writes one

    def __call__(self, result: dict[str, Any]) -> Output:
        shared = self.masker.mask_result(result) if self.masker else result
        line, written = encode_line(shared, utf8=True)
        compact = None
        if written is not shared:  # cleaned for strict JSON: the store gets a clean copy too
            result = written if self.masker is None else strict_json_value(result)
        elif shared is result or _unmasked(shared, result):
            compact = line[:-1]  # the store's compact JSON is the line (its encoder, NaN aside)
        record = None
        if self.rules is not None:
            record = prepare_record(result, self.rules, compact)
        rows = None
        if self.book is not None:  # as the JSON Lines file says
            # A result as the pipeline makes it holds only dicts with text keys, lists, text, numbers,
            # truth values and None, so the line read back is the object it was encoded from: that
            # object, unless the encoder had to clean it (tests/test_fast_paths_output.py)
            rows = self.book(shared if written is shared else json.loads(line))
        return Output(line, {key: result.get(key) for key in _BRIEF}, record, rows)


def _unmasked(masked: dict[str, Any], result: dict[str, Any]) -> bool:
    """Whether ``Masker.mask_result`` changed nothing: it shares every check it left as it was."""
    for key in ("checks", "failed"):
        new, old = masked.get(key), result.get(key)
        if new is not old and (
            type(new) is not list
            or type(old) is not list
            or len(new) != len(old)
            or any(a is not b for a, b in zip(new, old, strict=True))
        ):
            return False
    return True
