"""The batch manifest (``manifest.csv`` / ``manifest.xlsx``): one row of metadata per call.

Columns are case-insensitive; ``call_id`` is required, ``file`` (a transcript path relative to
the manifest's folder) optional, the others are the metadata keys read by ``parse_meta``. A
transcript matches a row by ``file`` when the row has one, else by ``call_id``.

Example::

    call_id,file,agent_id,call_start,customer_name,klb
    A-0001,calls/A-0001.vtt,CSO-17,2023-08-01 09:15,Budi Santoso,tidak
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qa_scoring.errors import InputError
from qa_scoring.model import CallMeta, Transcript
from qa_scoring.readers.common import excerpt
from qa_scoring.readers.encoding import DecodeError, decode
from qa_scoring.readers.metadata import META_KEYS, cell_text, is_blank, normalize_key, parse_meta
from qa_scoring.readers.table import ALIASES, Row, TableError, cell, csv_rows, xlsx_rows

_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_FILE_ALIASES = ("file", "filename", "file_name", "path", "source")
_TABLE_FORMATS = frozenset({"csv", "xlsx"})


@dataclass(frozen=True)
class ManifestRow:
    """One manifest row: the call id, the ``file`` cell as written, its line, and its metadata."""

    call_id: str
    file: str | None
    line: int
    meta: CallMeta
    resolved: Path | None = field(default=None, compare=False, repr=False)


class Manifest:
    """A read manifest; ``match`` pairs transcripts with rows and remembers which rows were used.

    The rows live in a private temporary SQLite file (deleted when the manifest is), so a
    manifest of a million calls costs disk, not memory.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.warnings: list[str] = []
        self._db = sqlite3.connect("", isolation_level=None)  # "" = private on-disk temporary database
        self._db.executescript(_SCHEMA)
        self._pending: list[tuple[str, str | None, int, str | None, str]] = []
        self._has_files = False
        self._used = bytearray()  # one byte per row, by row id - 1
        self.size = 0

    def add(self, row: ManifestRow) -> None:
        """Append one row (rows are indexed in batches; call ``finish`` after the last)."""
        resolved = _path_key(row.resolved) if row.resolved is not None else None
        self._has_files = self._has_files or resolved is not None
        self._pending.append((row.call_id, row.file, row.line, resolved, _meta_json(row.meta)))
        self._used.append(0)
        self.size += 1
        if len(self._pending) >= 1000:
            self.finish()

    def finish(self) -> None:
        """Write the rows added since the last call."""
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO rows (call_id, file, line, resolved, meta) VALUES (?, ?, ?, ?, ?)", self._pending
            )
            self._db.execute("COMMIT")
            self._pending.clear()

    def match(self, transcript: Transcript, path: Path | None = None) -> CallMeta | None:
        """The metadata of the transcript's row (call_id set), or None; marks the row used.

        A row with a ``file`` matches by that file (resolved, compared with ``path`` or the
        transcript's source); when several rows name the same file (a table of calls) the
        call_id must agree too. A row without ``file`` matches by call_id; with duplicate
        call_ids the first row not yet used wins.
        """
        source = path or Path(transcript.source)
        return self.match_file(source, transcript.call_id, table=transcript.format in _TABLE_FORMATS)

    def match_file(self, path: Path, call_id: str | None, *, table: bool = False) -> CallMeta | None:
        """Like ``match``, from a file path and a call id (for files that could not be read)."""
        self.finish()
        db = self._db
        chosen: tuple[int, str] | None = None
        if self._has_files:
            by_file = db.execute(
                "SELECT id, call_id, meta FROM rows WHERE resolved = ? ORDER BY id", (_path_key(Path(path).resolve()),)
            ).fetchall()
            chosen = next(((i, meta) for i, cid, meta in by_file if cid == call_id), None)
            if chosen is None and len(by_file) == 1 and not table:
                chosen = (by_file[0][0], by_file[0][2])
        if chosen is None and call_id is not None:
            by_id = db.execute(
                "SELECT id, meta FROM rows WHERE resolved IS NULL AND call_id = ? ORDER BY id", (call_id,)
            ).fetchall()
            chosen = next((row for row in by_id if not self._used[row[0] - 1]), by_id[0] if by_id else None)
        if chosen is None:
            return None
        self._used[chosen[0] - 1] = 1
        return _meta_from_json(chosen[1])

    def unmatched(self) -> Iterator[ManifestRow]:
        """Rows never matched, in file order."""
        self.finish()
        query = "SELECT id, call_id, file, line, resolved, meta FROM rows ORDER BY id"
        for row_id, call_id, file, line, resolved, meta in self._db.execute(query):
            if self._used[row_id - 1]:
                continue
            yield ManifestRow(call_id, file, line, _meta_from_json(meta), Path(resolved) if resolved else None)


_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -1024;
CREATE TABLE rows (
    id INTEGER PRIMARY KEY, call_id TEXT NOT NULL, file TEXT, line INTEGER NOT NULL,
    resolved TEXT, meta TEXT NOT NULL
);
CREATE INDEX rows_by_file ON rows (resolved) WHERE resolved IS NOT NULL;
CREATE INDEX rows_by_id ON rows (call_id, id) WHERE resolved IS NULL;
"""


def _path_key(path: Path) -> str:
    """A resolved path as SQLite text (bytes of a name that are not UTF-8 as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _meta_json(meta: CallMeta) -> str:
    values = {name: getattr(meta, name) for name in CallMeta.__dataclass_fields__ if getattr(meta, name) is not None}
    if meta.call_start is not None:
        values["call_start"] = meta.call_start.isoformat()
    return json.dumps(values, ensure_ascii=False)


def _meta_from_json(text: str) -> CallMeta:
    values = json.loads(text)
    if "call_start" in values:
        values["call_start"] = datetime.fromisoformat(values["call_start"])
    return CallMeta(**values)


def read_manifest(path: Path) -> Manifest:
    """Read a CSV or XLSX manifest; raise InputError when unreadable or without a call_id column."""
    path = Path(path)
    source = str(path)
    manifest = Manifest(path=path)
    try:
        rows = _rows(path)
        header: list[str] | None = None
        columns: dict[str, int] = {}
        file_column: int | None = None
        first_line: dict[str, int] = {}
        for line, row in rows:
            if all(is_blank(value) for value in row):
                continue
            if header is None:
                header = [normalize_key(cell_text(value)) for value in row]
                call_column = next((header.index(a) for a in ALIASES["call_id"] if a in header), None)
                if call_column is None:
                    found = excerpt(", ".join(cell_text(value) for value in row if not is_blank(value)), 60) or "none"
                    raise InputError(source, f"manifest has no call_id column (found: {found})", line)
                file_column = next((header.index(a) for a in _FILE_ALIASES if a in header), None)
                columns = {key: i for i, key in enumerate(header) if key in META_KEYS and i != call_column}
                columns["call_id"] = call_column
                continue
            _add_row(manifest, columns, file_column, first_line, line, row)
    except TableError as exc:
        raise InputError(source, exc.message, exc.line) from exc
    if header is None:
        raise InputError(source, "manifest is empty (no header row)")
    manifest.finish()
    return manifest


def _rows(path: Path) -> Iterator[Row]:
    """The manifest's rows, from an XLSX workbook or a decoded CSV."""
    suffix = path.suffix.lower()
    if suffix in _XLSX_SUFFIXES:
        if not path.is_file():
            raise InputError(str(path), "manifest not found")
        return xlsx_rows(path)
    if suffix not in _CSV_SUFFIXES:
        raise InputError(str(path), "a manifest must be a .csv or .xlsx file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot open the manifest ({exc.strerror or exc})") from exc
    try:
        text, _encoding = decode(data)
    except DecodeError as exc:
        raise InputError(str(path), exc.message) from exc
    return csv_rows(text, "\t" if suffix == ".tsv" else None)


def _add_row(
    manifest: Manifest,
    columns: dict[str, int],
    file_column: int | None,
    first_line: dict[str, int],
    line: int,
    row: tuple[object, ...] | list[object],
) -> None:
    """Read one data row into the manifest, with warnings for what is wrong with it."""
    source = str(manifest.path)
    call_id = cell_text(cell(row, columns["call_id"]))
    if not call_id:
        manifest.warnings.append(f"{source}:{line}: row without call_id skipped")
        return
    if call_id in first_line:
        manifest.warnings.append(
            f"{source}:{line}: duplicate call_id {call_id!r} (first on line {first_line[call_id]})"
        )
    else:
        first_line[call_id] = line
    values = {key: cell(row, index) for key, index in columns.items()}
    meta, problems = parse_meta(values, source=source, line=line)
    manifest.warnings.extend(problems)
    file_text = cell_text(cell(row, file_column)) or None
    resolved = (manifest.path.parent / file_text).resolve() if file_text else None
    if resolved is not None and not resolved.is_relative_to(manifest.path.parent.resolve()):
        manifest.warnings.append(
            f"{source}:{line}: file {excerpt(file_text or '')!r} lies outside the batch folder (the manifest's "
            "folder); a manifest may only name files inside it: the row is not used"
        )
        return
    manifest.add(ManifestRow(call_id, file_text, line, meta, resolved))
