"""Read the auditor's columns of a batch workbook back, checked row by row against its keys.

The check detail sheet carries, per row, hidden machine keys (store id, call id, check id,
rules version, machine outcome) beside the auditor's verdict, note and name. Every row with
a verdict is checked; any problem is reported with its row number and nothing is stored.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from qa_scoring.errors import QAScoringError
from qa_scoring.messages import Reason, msg
from qa_scoring.reports.labels import LABELS, label
from qa_scoring.rules.ruleset import RuleSet
from qa_scoring.store import ResultStore

MAX_SHOWN = 20  # problems listed before "... and N more"
_VERDICT_KEYS = ("col.auditor_verdict", "col.auditor_note", "col.auditor_name", "col.call_id")
_KEY_KEYS = ("col.key_store_id", "col.key_call_id", "col.key_check_id", "col.key_rules_version", "col.key_outcome")


class ReviewError(QAScoringError):
    """A workbook that cannot be imported: one message, or every problem row; English as ``str``."""

    def __init__(self, reason: Reason, problems: list[Reason] | None = None) -> None:
        self.reason = reason
        self.problems = problems or []
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The message and the problem rows (at most ``MAX_SHOWN``) in ``lang``."""
        lines = [self.reason.text(lang)] + [p.text(lang) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(msg("review.more", n=len(self.problems) - MAX_SHOWN).text(lang))
        return "\n".join(lines)


@dataclass
class AuditorSheet:
    """The auditor verdicts of one workbook, and the problems found in it."""

    path: Path
    sheet: str = ""
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Reason] = field(default_factory=list)


def _verdict_words() -> dict[str, str]:
    """Every spelling of a verdict the drop-downs offer (both languages), lower case, to its code."""
    words = {}
    for lang in LABELS:
        for code in ("pass", "fail", "na"):
            words[label(f"outcome.{code}", lang).lower()] = code
    words.update({"pass": "pass", "fail": "fail", "na": "na"})
    return words


def _choices() -> str:
    """The verdicts the drop-down offers, Indonesian then English."""
    words = {lang: " / ".join(label(f"outcome.{c}", lang) for c in ("pass", "fail", "na")) for lang in ("id", "en")}
    return f"{words['id']} ({words['en']})"


def read_auditor_sheet(path: Path, store_id: str, default_auditor: str | None = None) -> AuditorSheet:
    """The auditor verdicts of the workbook at ``path``, checked against ``store_id`` and its keys.

    Raises ``ReviewError`` when the file is not a workbook written by qa-scoring (a CSV,
    an .xls or .ods, no check sheet with machine keys).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise ReviewError(msg("review.bad_suffix", path=str(path), suffix=suffix or "?"))
    if not path.is_file():
        raise ReviewError(msg("review.no_file", path=str(path)))
    if not zipfile.is_zipfile(path):
        raise ReviewError(msg("review.not_xlsx", path=str(path)))
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ReviewError(msg("review.unreadable", path=str(path), detail=str(exc))) from exc
    try:
        return _read(wb, path, store_id, default_auditor)
    finally:
        wb.close()


def _read(wb: Any, path: Path, store_id: str, default_auditor: str | None) -> AuditorSheet:
    wanted = {label(k, lang): k for lang in LABELS for k in (*_VERDICT_KEYS, *_KEY_KEYS)}
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        cols = {wanted[h]: i for i, h in enumerate(header) if isinstance(h, str) and h in wanted}
        if all(k in cols for k in (*_VERDICT_KEYS, *_KEY_KEYS)):
            break
    else:
        raise ReviewError(msg("review.no_sheet", path=str(path)))
    out = AuditorSheet(path=path, sheet=ws.title)
    words = _verdict_words()
    foreign: dict[str, list[int]] = {}  # store id -> rows: said once per store, not once per row
    for number, row in enumerate(rows, start=2):

        def cell(key: str, row: tuple[Any, ...] = row) -> str:
            i = cols[key]
            value = row[i] if i < len(row) else None
            return "" if value is None else str(value).strip()

        verdict_text = cell("col.auditor_verdict")
        if not verdict_text:
            continue
        where = msg("review.row", file=path.name, sheet=ws.title, row=number)
        problems = []
        code = words.get(verdict_text.lower())
        if code is None:
            problems.append(msg("review.bad_verdict", where=where, verdict=verdict_text, choices=_choices()))
        row_store = cell("col.key_store_id")
        if row_store != store_id:
            foreign.setdefault(row_store, []).append(number)
        call_id, shown = cell("col.key_call_id"), cell("col.call_id")
        if not call_id or not cell("col.key_check_id"):
            problems.append(msg("review.no_keys", where=where))
        elif shown != call_id:
            problems.append(msg("review.edited_id", where=where, shown=shown, call_id=call_id))
        auditor = cell("col.auditor_name") or (default_auditor or "")
        if not auditor:
            problems.append(msg("review.no_auditor", where=where))
        out.problems.extend(problems)
        if problems or row_store != store_id:
            continue
        out.verdicts.append(
            {
                "call_id": call_id,
                "check_id": cell("col.key_check_id"),
                "outcome": code,
                "machine_outcome": cell("col.key_outcome"),
                "rules_version": cell("col.key_rules_version") or None,
                "auditor": auditor,
                "note": cell("col.auditor_note") or None,
                "workbook": path.name,
                "sheet_row": number,
                "where": where,
            }
        )
    for other, numbers in foreign.items():
        if len(numbers) == 1:
            where = msg("review.row", file=path.name, sheet=ws.title, row=numbers[0])
        else:
            where = msg(
                "review.rows", file=path.name, sheet=ws.title, first=numbers[0], last=numbers[-1], n=len(numbers)
            )
        if not other:
            out.problems.insert(0, msg("review.no_store", where=where))
        else:
            out.problems.insert(0, msg("review.other_store", where=where, other=other, this=store_id))
    return out


def import_workbook(
    store: ResultStore, path: Path, rules: RuleSet | None = None, default_auditor: str | None = None
) -> dict[str, int]:
    """Import the auditor verdicts of a batch workbook into ``store``: all of them or none.

    Returns the counts ``rows`` (verdicts read), ``added``, ``unchanged`` and ``overrides``.
    Raises ``ReviewError`` listing every problem row when any row is wrong.
    """
    sheet = read_auditor_sheet(path, store.store_id(), default_auditor)
    problems = list(sheet.problems)
    for v in sheet.verdicts:
        machine = store.machine_checks(v["call_id"])
        if machine is None:
            problems.append(msg("review.vanished", where=v["where"], call_id=v["call_id"], store=store.location))
        elif v["check_id"] not in machine:
            problems.append(msg("review.no_check", where=v["where"], call_id=v["call_id"], check_id=v["check_id"]))
    if problems:
        raise ReviewError(msg("review.nothing_imported", path=str(path), n=len(problems)), problems)
    counts = store.add_auditor_verdicts(sheet.verdicts, rules)
    return {"rows": len(sheet.verdicts), **counts}
