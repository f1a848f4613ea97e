"""The batch manifest (``manifest.csv`` / ``manifest.xlsx``): one row of metadata per call.

Columns are case-insensitive; ``call_id`` is required, ``file`` (a transcript path relative to
the manifest's folder or to the batch folder, or just a file name) optional, the others are
the metadata keys read by ``parse_meta``. A transcript matches a row by ``file``, else by
``call_id`` (the transcript's call id or file stem); see ``Manifest``.

Example::

    call_id,file,agent_id,call_start,customer_name,klb
    A-0001,calls/A-0001.vtt,CSO-17,2023-08-01 09:15,Budi Santoso,tidak
"""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from pathlib import Path, PurePath
from typing import Any

from qa_scoring.errors import InputError
from qa_scoring.fileutil import SeenFilter, scratch_db
from qa_scoring.messages import Notice
from qa_scoring.model import CallMeta, Transcript
from qa_scoring.readers.common import excerpt
from qa_scoring.readers.encoding import DecodeError, decode_lines
from qa_scoring.readers.metadata import META_KEYS, cell_text, is_blank, normalize_key, parse_meta
from qa_scoring.readers.table import ALIASES, Row, TableError, cell, csv_line_rows, xlsx_rows

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
    warnings: tuple[Notice, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Match:
    """The row a transcript matched: its metadata and the warnings of that row."""

    meta: CallMeta
    warnings: tuple[Notice, ...] = ()


class Manifest:
    """A read manifest; ``match`` pairs transcripts with rows and remembers which rows were used.

    A row's ``file`` is looked for, in order: relative to the manifest's folder, relative to
    each batch root (``roots``: the folders given, or holding the files given), by file name,
    and lastly the row's call_id is compared with the transcript's call id and file stem. A
    row whose ``file`` names another existing file is never taken by name or call id.

    The rows live in a temporary SQLite file in a private folder (deleted with the manifest),
    so a manifest of a million calls costs disk, not memory. A pickled manifest (sent to a
    worker process of ``score --jobs``) opens that file read-only; the rows a worker matched
    are handed back with ``take_used`` and marked in the parent with ``mark_used``.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.warnings: list[Notice] = []
        self.duplicates = False  # some call_id is on more than one row
        self._roots: frozenset[str] = frozenset()
        self._folder: Any
        self._folder, self._db = scratch_db("manifest.db", _SCHEMA)
        self._file = os.path.join(self._folder.name, "manifest.db")
        self._pending: list[tuple[object, ...]] = []
        self._pending_lines: dict[str, int] = {}  # call_id -> line, for rows not yet written
        self._used = bytearray()  # one byte per row, by row id - 1
        self._newly_used: list[int] = []
        self._has_files = False
        self._ahead: dict[str, tuple[Any, ...]] = {}  # rows read ahead by call_id (``_only_row``)
        self._last_id = -1
        self.size = 0
        self._ids_seen: SeenFilter | None = SeenFilter()  # most rows' ids are new: no query to say so

    def __getstate__(self) -> dict[str, Any]:
        self.finish()
        keep = ("path", "duplicates", "_roots", "_file", "_has_files", "size")
        return {name: getattr(self, name) for name in keep}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.warnings = []
        self._folder = None  # the parent owns the file
        self._db = sqlite3.connect(f"file:{self._file}?mode=ro&immutable=1", uri=True, isolation_level=None)
        self._pending = []
        self._pending_lines = {}
        self._used = bytearray(self.size)
        self._newly_used = []
        self._ahead = {}
        self._last_id = -1

    def close(self) -> None:
        """Close the rows' database and remove its file (the parent's copy only)."""
        self._db.close()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def take_used(self) -> list[int]:
        """The row ids matched since the last call (a worker hands them to the parent)."""
        taken, self._newly_used = self._newly_used, []
        return taken

    def mark_used(self, row_ids: list[int]) -> None:
        """Mark rows matched elsewhere (by a worker process) as used."""
        for row_id in row_ids:
            self._used[row_id - 1] = 1

    def done_reading(self) -> None:
        """Drop what only the reading needs (the filter of call ids seen)."""
        self._ids_seen = None

    def first_line(self, call_id: str) -> int | None:
        """The line of the first row added with ``call_id``, or None."""
        line = self._pending_lines.get(call_id)
        if line is None and (self._ids_seen is None or call_id in self._ids_seen):
            found = self._db.execute(
                "SELECT line FROM rows WHERE call_id = ? ORDER BY id LIMIT 1", (call_id,)
            ).fetchone()
            line = found[0] if found else None
        return line

    @property
    def roots(self) -> list[Path]:
        """The batch folders a ``file`` may be relative to."""
        return [Path(root) for root in sorted(self._roots)]

    @roots.setter
    def roots(self, folders: list[Path]) -> None:
        self._roots = frozenset(os.path.abspath(folder) for folder in folders)

    def _roots_above(self, absolute: str) -> list[str]:
        """The batch folders that hold ``absolute``, nearest first (a few, however many roots)."""
        found = []
        probe = os.path.dirname(absolute)
        while True:
            if probe in self._roots:
                found.append(probe)
            parent = os.path.dirname(probe)
            if parent == probe:
                return found
            probe = parent

    @property
    def used(self) -> int:
        """Number of rows matched so far."""
        return sum(self._used)

    def add(self, row: ManifestRow) -> None:
        """Append one row (rows are indexed in batches; call ``finish`` after the last)."""
        self._add(row.call_id, row.file, row.line, row.meta, row.resolved, row.warnings)

    def _add(
        self, call_id: str, file: str | None, line: int, meta: CallMeta, resolved: Path | None, warnings: tuple
    ) -> None:
        """``add`` of the row ``ManifestRow(call_id, file, line, meta, resolved, warnings)``, without making it."""
        path_key = _path_key(resolved) if resolved is not None else None
        key = _file_key(file) if file else None
        self._has_files = self._has_files or key is not None
        name = key.rsplit("/", 1)[-1] if key else None
        notes = json.dumps([w.to_json() for w in warnings], ensure_ascii=False) if warnings else None
        self._pending.append((call_id, file, line, path_key, key, name, _meta_blob(meta), notes))
        self._pending_lines.setdefault(call_id, line)
        if self._ids_seen is not None:
            self._ids_seen.add(call_id)
        self._used.append(0)
        self.size += 1
        if len(self._pending) >= 1000:
            self.finish()

    def finish(self) -> None:
        """Write the rows added since the last call."""
        if self._pending:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO rows (call_id, file, line, resolved, file_key, file_name, meta, warnings)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self._pending,
            )
            self._db.execute("COMMIT")
            self._pending.clear()
            self._pending_lines.clear()

    def match(self, transcript: Transcript, path: Path | None = None) -> CallMeta | None:
        """The metadata of the transcript's row (call_id set), or None; marks the row used.

        When several rows name the same file (a table of calls) the call_id must agree too;
        with duplicate call_ids the first row not yet used wins.
        """
        table = transcript.format in _TABLE_FORMATS
        found = self.lookup(path or Path(transcript.source), transcript.call_id, table=table)
        return found.meta if found else None

    def match_file(self, path: Path, call_id: str | None, *, table: bool = False) -> CallMeta | None:
        """Like ``match``, from a file path and a call id (for files that could not be read)."""
        found = self.lookup(path, call_id, table=table)
        return found.meta if found else None

    def lookup(self, path: Path | str, call_id: str | None, *, table: bool = False) -> Match | None:
        """The row of the transcript at ``path`` with ``call_id`` (see the class), marked used."""
        if self._pending:
            self.finish()
        chosen = None
        real = ""
        roots: list[str] = []
        if self._has_files:
            path = Path(path)
            real = _path_key(path.resolve())
            chosen = self._pick(self._select("resolved = ?", real), call_id, table)
            absolute = os.path.abspath(path)
            roots = self._roots_above(absolute)
            for root in roots:
                if chosen is not None:
                    break
                rel = os.path.relpath(absolute, root).replace(os.sep, "/")
                chosen = self._pick(self._select("file_key = ?", rel), call_id, table)
            if chosen is None:
                rows = [
                    row for row in self._select("file_name = ?", path.name) if not self._elsewhere(row, real, roots)
                ]
                chosen = self._pick(rows, call_id, table)
        if chosen is None and call_id:
            chosen = self._by_call_id(call_id, real, roots)
        if chosen is None and not table:
            stem = PurePath(path).stem  # the call id a file's name gives
            if stem and stem != call_id:
                chosen = self._by_call_id(stem, real, roots)
        if chosen is None:
            return None
        self._used[chosen[0] - 1] = 1
        self._newly_used.append(chosen[0])
        notes = tuple(Notice.from_json(item) for item in json.loads(chosen[4])) if chosen[4] else ()
        match = _new_object(Match)
        match.__dict__.update(meta=_meta_from_blob(chosen[2]), warnings=notes)  # Match(...) without its __init__
        return match

    def _by_call_id(self, wanted: str, real: str, roots: list[str]) -> tuple[Any, ...] | None:
        """The first unused row with call_id ``wanted`` (else the first) whose ``file`` names no other file."""
        if not self.duplicates and not self._has_files:
            return self._only_row(wanted)
        rows = self._select("call_id = ?", wanted)
        if len(rows) == 1 and rows[0][3] is None:
            return rows[0]  # the one row, with no file: what the lines below give for it
        rows = [row for row in rows if not self._elsewhere(row, real, roots)]
        return next((row for row in rows if not self._used[row[0] - 1]), rows[0] if rows else None)

    def _only_row(self, wanted: str) -> tuple[Any, ...] | None:
        """The one row with call_id ``wanted`` (no call_id on two rows, no ``file`` column), or None.

        Transcripts are mostly met in the manifest's order: once two rows in a row are taken in
        id order, the next ``_AHEAD`` rows are read in one query and later ids found among them.
        """
        row = self._ahead.get(wanted)
        if row is not None:
            self._last_id = row[0]
            return row
        rows = self._select("call_id = ?", wanted)
        if not rows:
            return None
        row = rows[0]
        if row[0] == self._last_id + 1:
            self._ahead = {ahead[1]: ahead for ahead in self._db.execute(_SELECT_AHEAD, (row[0], row[0] + _AHEAD))}
        self._last_id = row[0]
        return row

    def _select(self, where: str, value: str) -> list[tuple[Any, ...]]:
        query = _SELECT.get(where) or _SELECT.setdefault(where, f"{_SELECT_ROWS} WHERE {where} ORDER BY id")
        # a file name that is not UTF-8 holds surrogates, which SQLite cannot take: \xNN as in _path_key
        text = (
            value if value.isascii() else value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        )
        return self._db.execute(query, (text,)).fetchall()

    @staticmethod
    def _pick(rows: list[tuple[Any, ...]], call_id: str | None, table: bool) -> tuple[Any, ...] | None:
        """The row whose call_id agrees, else the only row (not for a table of calls)."""
        chosen = next((row for row in rows if row[1] == call_id), None)
        if chosen is None and len(rows) == 1 and not table:
            chosen = rows[0]
        return chosen

    @staticmethod
    def _elsewhere(row: tuple[Any, ...], real: str, roots: list[str]) -> bool:
        """True when the row's ``file`` names an existing file other than ``real`` (from here or ``roots``)."""
        if row[3] is None:
            return False
        places = [row[5], *(os.path.join(root, row[3]) for root in roots)]
        return any(os.path.isfile(place) and os.path.realpath(place) != real for place in places)

    def unmatched(self) -> Iterator[ManifestRow]:
        """Rows never matched, in file order."""
        self.finish()
        query = "SELECT id, call_id, file, line, resolved, meta FROM rows ORDER BY id"
        for row_id, call_id, file, line, resolved, meta in self._db.execute(query):
            if self._used[row_id - 1]:
                continue
            yield ManifestRow(call_id, file, line, _meta_from_blob(meta), Path(resolved) if resolved else None)


_SCHEMA = """
PRAGMA cache_size = -1024;
CREATE TABLE rows (
    id INTEGER PRIMARY KEY, call_id TEXT NOT NULL, file TEXT, line INTEGER NOT NULL,
    resolved TEXT, file_key TEXT, file_name TEXT, meta BLOB NOT NULL, warnings TEXT
);
CREATE INDEX rows_by_file ON rows (resolved) WHERE resolved IS NOT NULL;
CREATE INDEX rows_by_key ON rows (file_key) WHERE file_key IS NOT NULL;
CREATE INDEX rows_by_name ON rows (file_name) WHERE file_name IS NOT NULL;
CREATE INDEX rows_by_id ON rows (call_id, id);
"""


def _file_key(text: str) -> str:
    """A ``file`` cell as a normalised relative path with ``/`` separators."""
    key = os.path.normpath(text.replace("\\", "/")).replace(os.sep, "/")
    return key[2:] if key.startswith("./") else key


def _path_key(path: Path) -> str:
    """A resolved path as SQLite text (bytes of a name that are not UTF-8 as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


_SELECT_ROWS = "SELECT id, call_id, meta, file_key, warnings, resolved FROM rows"
_SELECT: dict[str, str] = {}  # where -> query
_SELECT_AHEAD = f"{_SELECT_ROWS} WHERE id > ? AND id <= ?"
_AHEAD = 256  # rows read ahead by ``Manifest._only_row``
_new_object = object.__new__
_META_FIELDS = tuple(CallMeta.__dataclass_fields__)
_CALL_START = _META_FIELDS.index("call_start")
_FIELD_VALUES = itemgetter(*_META_FIELDS)


def _meta_blob(meta: CallMeta) -> bytes:
    """A row's metadata as its fields in order (call_start in ISO 8601), in ``marshal``'s format (the
    scratch file lives as long as this run, read by this Python only)."""
    values = list(_FIELD_VALUES(meta.__dict__))
    if values[_CALL_START] is not None:
        values[_CALL_START] = values[_CALL_START].isoformat()
    return marshal.dumps(values)


def _meta_from_blob(blob: bytes) -> CallMeta:
    """The CallMeta of ``_meta_blob``, built without its ``__init__`` (one per call matched)."""
    values = marshal.loads(blob)
    if values[_CALL_START] is not None:
        values[_CALL_START] = datetime.fromisoformat(values[_CALL_START])
    meta = _new_object(CallMeta)
    meta.__dict__.update(dict(zip(_META_FIELDS, values, strict=True)))
    return meta


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
        skipped: dict[str, int] = {}  # call_id -> line of rows not kept (their file lies outside)
        for line, row in rows:
            if all(is_blank(value) for value in row):
                continue
            if header is None:
                header = [normalize_key(cell_text(value)) for value in row]
                call_column = next((header.index(a) for a in ALIASES["call_id"] if a in header), None)
                if call_column is None:
                    found = excerpt(", ".join(cell_text(value) for value in row if not is_blank(value)), 60) or "none"
                    raise InputError(source, Notice("", "input.manifest_no_call_id", found=found), line)
                file_column = next((header.index(a) for a in _FILE_ALIASES if a in header), None)
                columns = {key: i for i, key in enumerate(header) if key in META_KEYS and i != call_column}
                columns["call_id"] = call_column
                continue
            _add_row(manifest, columns, file_column, skipped, line, row)
    except TableError as exc:
        raise InputError(source, exc.message, exc.line) from exc
    if header is None:
        raise InputError(source, Notice("", "input.manifest_empty"))
    manifest.finish()
    manifest.done_reading()
    return manifest


def _rows(path: Path) -> Iterator[Row]:
    """The manifest's rows, from an XLSX workbook or a decoded CSV."""
    suffix = path.suffix.lower()
    if suffix in _XLSX_SUFFIXES:
        if not path.is_file():
            raise InputError(str(path), Notice("", "input.manifest_not_found"))
        return xlsx_rows(path)
    if suffix not in _CSV_SUFFIXES:
        raise InputError(str(path), Notice("", "input.manifest_suffix"))
    try:
        lines = decode_lines(path)
    except OSError as exc:
        raise InputError(str(path), Notice("", "input.manifest_cannot_open", error=exc.strerror or exc)) from exc
    except DecodeError as exc:
        raise InputError(str(path), exc.message) from exc
    return csv_line_rows(_still_readable(path, lines), "\t" if suffix == ".tsv" else None)


def _still_readable(path: Path, lines: Iterator[str]) -> Iterator[str]:
    """``lines``, with a read error on the way (the file removed or its disk failing) as an InputError."""
    try:
        yield from lines
    except OSError as exc:
        raise InputError(str(path), Notice("", "input.manifest_cannot_open", error=exc.strerror or exc)) from exc


def _add_row(
    manifest: Manifest,
    columns: dict[str, int],
    file_column: int | None,
    skipped: dict[str, int],
    line: int,
    row: tuple[object, ...] | list[object],
) -> None:
    """Read one data row into the manifest, with warnings for what is wrong with it."""
    source = str(manifest.path)
    call_id = cell_text(cell(row, columns["call_id"]))
    if not call_id:
        manifest.warnings.append(Notice(f"{source}:{line}", "input.row_without_call_id_skipped"))
        return
    earlier = [n for n in (manifest.first_line(call_id), skipped.get(call_id)) if n is not None]
    first = min(earlier) if earlier else None
    if first is not None:
        manifest.duplicates = True
        manifest.warnings.append(
            Notice(f"{source}:{line}", "input.duplicate_call_id", call_id=repr(call_id), first=first)
        )
    values = {key: cell(row, index) for key, index in columns.items()}
    meta, problems = parse_meta(values, source=source, line=line)
    manifest.warnings.extend(problems)
    file_text = cell_text(cell(row, file_column)) or None
    resolved = (manifest.path.parent / file_text).resolve() if file_text else None
    if resolved is not None and not resolved.is_relative_to(manifest.path.parent.resolve()):
        manifest.warnings.append(Notice(f"{source}:{line}", "input.file_outside", file=repr(excerpt(file_text or ""))))
        if first is None:
            skipped[call_id] = line
        return
    manifest._add(call_id, file_text, line, meta, resolved, tuple(problems))
