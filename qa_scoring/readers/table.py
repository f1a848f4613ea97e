"""Utterance tables (``.csv`` / ``.tsv`` / ``.xlsx``): one row per turn, many calls per file.

Required columns (names case-insensitive, aliases accepted): ``call_id`` (callid, id),
``speaker`` (role, pembicara, participant), ``text`` (utterance, transcript, teks, content).
Optional: ``start`` (start_time, begin, mulai, offset) and ``end`` (end_time, selesai), in
seconds or ``HH:MM:SS(.mmm)`` / ``MM:SS``; metadata columns (agent_id, team, call_start,
customer_name, klb, ...) give the call's CallMeta, the first non-empty value per key.

One Transcript is yielded per call_id in order of first appearance; a row without call_id or
text yields a ReadError for that row and the others go on. CSV delimiters ``,`` ``;`` and tab
are sniffed from the header line; an XLSX is read from its first sheet, lines are Excel rows.

Example::

    call_id;speaker;text;start
    A-0001;CSO;terima kasih telah menghubungi pln 123;0.5
"""

from __future__ import annotations

import csv
import itertools
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from qa_scoring.limits import DEFAULT_LIMITS, MB, Limits
from qa_scoring.messages import Notice
from qa_scoring.model import CallMeta, ReadError, Transcript
from qa_scoring.readers.common import UNKNOWN_SPEAKER, Document, RawTurn, build_transcript, excerpt, parse_offset
from qa_scoring.readers.metadata import META_KEYS, cell_text, is_blank, normalize_key, parse_meta

ALIASES: dict[str, tuple[str, ...]] = {
    "call_id": ("call_id", "callid", "id"),
    "speaker": ("speaker", "role", "pembicara", "participant"),
    "text": ("text", "utterance", "transcript", "teks", "content"),
    "start": ("start", "start_time", "begin", "mulai", "offset"),
    "end": ("end", "end_time", "selesai"),
}
REQUIRED = ("call_id", "speaker", "text")
_DELIMITERS = (",", ";", "\t")
_MAX_MEMBERS = 10_000  # parts of an .xlsx archive (a workbook has a few dozen)

Row = tuple[int, Sequence[object]]


class TableError(Exception):
    """A table file that cannot be opened or parsed past some line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def find_columns(names: Sequence[str]) -> dict[str, int]:
    """Column index per role (call_id, speaker, text, start, end); the first alias present wins."""
    normalized = [normalize_key(name) for name in names]
    columns: dict[str, int] = {}
    for role, aliases in ALIASES.items():
        for alias in aliases:
            if alias in normalized:
                columns[role] = normalized.index(alias)
                break
    return columns


def sniff_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` or tab) used most often on the first non-empty line, outside quotes."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (no copy of the whole text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def csv_rows(text: str, delimiter: str | None = None) -> Iterator[Row]:
    """``(line, cells)`` for each CSV record; line is where the record starts. Raises TableError."""
    return _csv_rows(_lines(text), delimiter or sniff_delimiter(text))


def csv_line_rows(lines: Iterator[str], delimiter: str | None = None) -> Iterator[Row]:
    """``csv_rows`` of a text given line by line (with their endings), never held whole."""
    if delimiter is not None:
        return _csv_rows(lines, delimiter)
    ahead = []
    for line in lines:
        ahead.append(line)
        if line.strip():
            break
    return _csv_rows(itertools.chain(ahead, lines), sniff_delimiter(ahead[-1] if ahead else ""))


def _csv_rows(lines: Iterator[str], delimiter: str) -> Iterator[Row]:
    reader = csv.reader(lines, delimiter=delimiter)
    previous = 0
    try:
        for row in reader:
            yield previous + 1, row
            previous = reader.line_num
    except csv.Error as exc:
        raise TableError(Notice("", "input.bad_csv", error=_csv_problem(exc)), reader.line_num) from exc


_CSV_PROBLEMS = (
    ("field larger than field limit", f"a cell longer than {csv.field_size_limit():,} characters"),
    ("new-line character seen in unquoted field", "a line break inside a cell without quotes"),
    ("line contains NUL", "a NUL byte in the text"),
    ("unexpected end of data", "the file ends inside a quoted cell"),
)


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint as a sentence (its own text when it is not one of the known ones)."""
    text = str(exc)
    return next((said for known, said in _CSV_PROBLEMS if known in text), text)


def xlsx_rows(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Row]:
    """``(excel_row, values)`` for each row of the first sheet (read-only). Raises TableError.

    The archive is checked before openpyxl opens it: its members may not expand beyond
    ``limits.xlsx_uncompressed_bytes`` (a zip bomb). The sheet's declared dimension is ignored
    (a 1 KB file may declare A1:XFD1048576), rows past ``limits.xlsx_rows`` stop the reading
    with an error, and columns past ``limits.xlsx_columns`` are not read.
    """
    import openpyxl  # imported here: only tables and manifests need it

    _check_archive(path, limits)
    try:
        handle = path.open("rb")  # a file object: openpyxl would refuse a workbook not named .xlsx
    except OSError as exc:
        raise TableError(Notice("", "input.cannot_open_workbook", error=exc.strerror or type(exc).__name__)) from exc
    try:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a bad workbook
            raise TableError(
                Notice("", "input.cannot_open_workbook", error="not a valid .xlsx file, or damaged")
            ) from exc
        try:
            if not workbook.worksheets:
                raise TableError(Notice("", "input.workbook_no_sheet"))
            sheet = workbook.worksheets[0]
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # never pad rows and columns up to the declared dimension
            width = limits.xlsx_columns
            for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if index > limits.xlsx_rows:
                    raise TableError(f"the sheet has more than {limits.xlsx_rows:,} rows, the limit", index)
                yield index, row[:width] if len(row) > width else row
        except TableError:
            raise
        except Exception as exc:
            raise TableError(Notice("", "input.cannot_read_workbook", error="a damaged sheet")) from exc
        finally:
            workbook.close()
    finally:
        handle.close()


def _check_archive(path: Path, limits: Limits) -> None:
    """Raise TableError when the .xlsx archive cannot be listed or would expand past the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError("cannot open the workbook (not a valid .xlsx file, or damaged)") from exc
    expanded = sum(member.file_size for member in members)
    if expanded > limits.xlsx_uncompressed_bytes or len(members) > _MAX_MEMBERS:
        raise TableError(
            f"the workbook would expand to {expanded / MB:,.0f} MB in {len(members):,} parts, over the limit of "
            f"{limits.xlsx_uncompressed_bytes / MB:g} MB (a zip bomb, or a far too large table): not read"
        )


def read_csv(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read a CSV/TSV utterance table (decoded text in ``doc.text``)."""
    delimiter = "\t" if doc.path.suffix.lower() == ".tsv" else None
    yield from _read_rows(doc, "csv", csv_rows(doc.text or "", delimiter))


def read_xlsx(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read an XLSX utterance table from its first sheet."""
    yield from _read_rows(doc, "xlsx", xlsx_rows(doc.path, doc.limits))


def cell(row: Sequence[object], index: int | None) -> object:
    """The value at ``index``, None when the row is short or there is no such column."""
    if index is None or index >= len(row):
        return None
    return row[index]


@dataclass
class _Call:
    """One call's rows while the table is read."""

    call_id: str
    line: int
    turns: list[RawTurn] = field(default_factory=list)
    values: dict[str, tuple[object, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _read_rows(doc: Document, fmt: str, rows: Iterator[Row]) -> Iterator[Transcript | ReadError]:
    """Group rows by call_id; yield calls and bad rows ordered by their first line."""
    calls: dict[str, _Call] = {}
    errors: list[ReadError] = []
    columns: dict[str, int] | None = None
    meta_columns: dict[str, int] = {}
    try:
        for line, row in rows:
            if all(is_blank(value) for value in row):
                continue
            if columns is None:
                names = [cell_text(value) for value in row]
                columns = find_columns(names)
                missing = [role for role in REQUIRED if role not in columns]
                if missing:
                    found = excerpt(", ".join(name for name in names if name), 60) or "none"
                    yield ReadError(
                        doc.source,
                        Notice("", "input.not_utterance_table", missing=", ".join(missing), found=found),
                        line=line,
                        call_id=doc.stem,
                    )
                    return
                used = set(columns.values())
                meta_columns = {
                    key: index
                    for index, key in enumerate(normalize_key(name) for name in names)
                    if key in META_KEYS and key != "call_id" and index not in used
                }
                continue
            _add_row(doc, calls, errors, columns, meta_columns, line, row)
    except TableError as exc:
        errors.append(ReadError(doc.source, exc.message, line=exc.line, call_id=None if calls else doc.stem))
    if columns is None and not errors:
        yield ReadError(doc.source, Notice("", "input.empty_table"), call_id=doc.stem)
        return
    if not calls and not errors:
        yield ReadError(doc.source, "the table has a header row but no data rows", call_id=doc.stem)
        return
    results: list[tuple[int, Transcript | ReadError]] = [(error.line or 0, error) for error in errors]
    for call in calls.values():
        meta = CallMeta(call_id=call.call_id)
        for key, (value, line) in call.values.items():
            values, problems = parse_meta({key: value}, source=doc.source, line=line)
            call.warnings.extend(problems)
            meta = meta.merged(values)
        result = build_transcript(doc, fmt, call.turns, call_id=call.call_id, meta=meta, warnings=call.warnings)
        results.append((call.line, result))
    results.sort(key=lambda item: item[0])
    for _, result in results:
        yield result


def _add_row(
    doc: Document,
    calls: dict[str, _Call],
    errors: list[ReadError],
    columns: dict[str, int],
    meta_columns: dict[str, int],
    line: int,
    row: Sequence[object],
) -> None:
    """Add one data row to its call, or record why it cannot be used."""
    call_id = cell_text(cell(row, columns["call_id"]))
    text = cell_text(cell(row, columns["text"]))
    if not call_id:
        errors.append(ReadError(doc.source, Notice("", "input.row_without_call_id"), line=line))
        return
    call = calls.get(call_id)
    if call is None:
        call = calls[call_id] = _Call(call_id, line)
    if not text:  # nothing recognised in that turn: the call is still scored, with a warning
        call.warnings.append(Notice(f"{doc.source}:{line}", "input.row_without_text"))
        return
    if len(call.turns) > doc.limits.max_turns:
        return  # over the limit already: build_transcript reports it; the rest is not kept
    speaker = sys.intern(cell_text(cell(row, columns["speaker"])))
    if not speaker:
        call.warnings.append(Notice(f"{doc.source}:{line}", "input.row_without_speaker", speaker=UNKNOWN_SPEAKER))
        speaker = UNKNOWN_SPEAKER
    start = _seconds(doc, call, line, "start", cell(row, columns.get("start")))
    end = _seconds(doc, call, line, "end", cell(row, columns.get("end")))
    call.turns.append(RawTurn(speaker, text, start, end, line))
    for key, index in meta_columns.items():
        value = cell(row, index)
        if is_blank(value):
            continue
        if key not in call.values:
            call.values[key] = (value, line)
        elif cell_text(value) != cell_text(call.values[key][0]):
            first, first_line = call.values[key]
            problem = Notice(
                f"{doc.source}:{line}",
                "input.cell_differs",
                key=key,
                value=repr(excerpt(cell_text(value), 60)),
                first=repr(excerpt(cell_text(first), 60)),
                first_line=first_line,
            )
            call.warnings.append(problem)


def _seconds(doc: Document, call: _Call, line: int, name: str, value: object) -> float | None:
    """A start/end cell in seconds; a value that cannot be read is a warning and None."""
    if is_blank(value):
        return None
    if isinstance(value, timedelta | time):
        return _time_seconds(value)
    if isinstance(value, datetime):
        return _time_seconds(value.time())
    seconds = parse_offset(value)
    if seconds is None:
        call.warnings.append(
            Notice(f"{doc.source}:{line}", "input.bad_seconds", name=name, value=repr(excerpt(str(value), 60)))
        )
    return seconds


def _time_seconds(value: time | timedelta) -> float:
    """Seconds in an Excel time-of-day or duration cell."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
