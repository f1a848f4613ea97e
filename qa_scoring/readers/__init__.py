"""Readers stage: find transcript files, decode them, detect their format, parse them into Transcripts.

``discover`` expands the batch paths; ``read_source`` reads one file and never raises for bad
input: a file (or a table row) that cannot be read becomes a ReadError. One module per format;
``READERS`` is the registry from format name to reader.
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import re
import sqlite3
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from qa_scoring.errors import InputError, QAScoringError, internal_error
from qa_scoring.fileutil import blob_text, scratch_db, text_blob
from qa_scoring.limits import DEFAULT_LIMITS, MB, Limits
from qa_scoring.messages import Notice, Reason, as_notice, msg
from qa_scoring.model import ReadError, Transcript
from qa_scoring.readers import aws, subtitles, table, text, whisper
from qa_scoring.readers.common import Document, make_document, printable_name
from qa_scoring.readers.encoding import DecodeError, decode

__all__ = ["READERS", "detect_format", "discover", "read_source"]

Reader = Callable[[Document], Iterator[Transcript | ReadError]]

READERS: dict[str, Reader] = {
    "text": text.read,
    "vtt": subtitles.read_vtt,
    "srt": subtitles.read_srt,
    "whisper": whisper.read,
    "aws": aws.read,
    "csv": table.read_csv,
    "xlsx": table.read_xlsx,
}

MANIFEST_NAMES = ("manifest.csv", "manifest.xlsx")
_TEXT_SUFFIXES = (".txt", ".text", "")
_TABLE_SUFFIXES = (".csv", ".tsv")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_GLOB_CHARS = frozenset("*?[")


class FileList(Sequence[Path]):
    """The files of a batch in sorted path order, held as strings or, for a large batch, on disk.

    A batch of more than ``SPILL_AT`` files lives in a private temporary SQLite file (see
    ``FoundFiles``), so that a million files cost disk, not memory. ``problems`` maps an
    entry that cannot be read (a special file, a link leading out of the batch or nowhere, a
    folder that cannot be opened) to the reason; such entries are in the list too, so that
    each becomes an error line in its place.
    """

    def __init__(
        self,
        names: list[str] | None = None,
        problems: dict[str, Reason] | None = None,
        *,
        found: FoundFiles | None = None,
    ) -> None:
        self._names = names if names is not None else []
        self._found = found
        self.problems: dict[str, Reason] = problems or {}

    def __len__(self) -> int:
        return self._found.size if self._found is not None else len(self._names)

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> FileList: ...
    def __getitem__(self, index: int | slice) -> Path | FileList:
        names = self._names if self._found is None else list(self._found.shown())
        if isinstance(index, slice):
            return FileList(names[index], self.problems)
        return Path(names[index])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._names if self._found is None else self._found.shown())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FileList):
            return list(self) == list(other)
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FileList({[str(path) for path in self]!r})"

    def problem(self, path: Path) -> Reason | None:
        """Why ``path`` cannot be read, when discovery already knows."""
        return self.problems.get(str(path)) if self.problems else None


_LOWER_RANK = "UPDATE files SET shown = ?2, sort_key = ?3, given = ?4 WHERE real = ?1 AND (given, sort_key) > (?4, ?3)"
SPILL_AT = 5_000  # files found before discovery moves them from memory to a temporary file


class FoundFiles:
    """Files found by ``discover``: real path -> path as found, the first in walking order kept.

    "First" is the lowest rank: the given path's place in the command line, then the path's
    sort key; it is the order a sorted, depth-first walk meets the paths, so folders can be
    read in any order (a huge folder is never listed whole). Held in a dict up to
    ``SPILL_AT`` files, then in a private temporary SQLite file whose index keeps them in the
    sorted order of ``FileList``.
    """

    def __init__(self) -> None:
        self._dict: dict[str, tuple[int, bytes, str]] | None = {}
        self._folder: Any = None
        self._db: sqlite3.Connection | None = None
        self.size = 0

    def setdefault(self, real: str, shown: str, given: int = 0) -> None:
        """Add ``shown`` under ``real``, unless that real path is there with a lower rank."""
        key = _sort_key(shown)
        if self._dict is not None:
            held = self._dict.get(real)
            if held is None:
                self.size += 1
            if held is None or (given, key) < held[:2]:
                self._dict[real] = (given, key, shown)
            if self.size > SPILL_AT:
                self._spill()
            return
        assert self._db is not None
        row = (text_blob(real), text_blob(shown), key, given)
        if self._db.execute("INSERT OR IGNORE INTO files VALUES (?, ?, ?, ?)", row).rowcount:
            self.size += 1
        else:
            self._db.execute(_LOWER_RANK, row)

    def pop(self, real: str) -> None:
        """Drop ``real`` if present."""
        if self._dict is not None:
            if self._dict.pop(real, None) is not None:
                self.size -= 1
            return
        assert self._db is not None
        self.size -= self._db.execute("DELETE FROM files WHERE real = ?", (text_blob(real),)).rowcount

    def _spill(self) -> None:
        schema = (
            "CREATE TABLE files (real BLOB PRIMARY KEY, shown BLOB NOT NULL, sort_key BLOB NOT NULL,"
            " given INTEGER NOT NULL) WITHOUT ROWID;"
            "BEGIN"
        )
        self._folder, self._db = scratch_db("files.db", schema)
        assert self._dict is not None
        rows = ((text_blob(real), text_blob(shown), key, given) for real, (given, key, shown) in self._dict.items())
        self._db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", rows)
        self._dict = None

    def file_list(self, problems: dict[str, Reason]) -> FileList:
        """The files in sorted path order."""
        if self._dict is not None:
            shown = sorted(self._dict.values(), key=lambda held: held[1])
            return FileList([name for _given, _key, name in shown], problems)
        assert self._db is not None
        self._db.execute("CREATE INDEX files_order ON files (sort_key, shown)")
        self._db.execute("COMMIT")
        return FileList(problems=problems, found=self)

    def shown(self) -> Iterator[str]:
        """The paths as found, in sorted order, read in pages (the spilled case)."""
        assert self._db is not None
        after: tuple[bytes, bytes] = (b"", b"")
        query = "SELECT sort_key, shown FROM files WHERE (sort_key, shown) > (?, ?) ORDER BY sort_key, shown LIMIT 1000"
        while True:
            page = self._db.execute(query, after).fetchall()
            if not page:
                return
            for _key, shown in page:
                yield blob_text(shown)
            after = page[-1]

    def __del__(self) -> None:
        if self._db is not None:
            self._db.close()
        if self._folder is not None:
            self._folder.cleanup()


def _sort_key(shown: str) -> bytes:
    """Bytes that sort as ``shown.split(os.sep)`` does (NUL sorts below every character)."""
    return text_blob("\0".join(shown.split(os.sep)))


LINK_OUT = msg("error.link_out")
LINK_BROKEN = msg("error.link_broken")
SPECIAL_FILE = msg("error.special_file")


def discover(paths: Sequence[str | Path], *, follow_links: bool = False) -> tuple[FileList, list[Path]]:
    """Expand files, folders (recursively) and glob patterns into transcript files and manifests.

    Returns the files in sorted path order without duplicates, and the manifests found: a
    ``manifest.csv`` / ``manifest.xlsx`` (any case) at the top of a given folder, named
    directly or by a glob, or in the folder of a file given directly or by a glob; one per
    folder, that file not a transcript. In folders and glob matches, names starting with ``_``
    or ``.`` are skipped; a file named explicitly is always taken. A path that does not exist,
    or a pattern that matches nothing, raises QAScoringError.

    Inside a folder, a symbolic link whose target lies outside that folder is not followed
    unless ``follow_links``; such links, broken links, special files and sub-folders that
    cannot be opened are listed with their reason in ``FileList.problems``.
    """
    files = FoundFiles()  # real path -> path as found
    manifests: dict[str, Path] = {}  # real folder -> its manifest
    looked: set[str] = set()  # real folders whose manifest was looked for
    problems: dict[str, Reason] = {}
    visited: set[tuple[str, bool]] = set()

    real_folders: dict[str, str] = {}  # folder as named -> real folder (glob matches share a few folders)

    def take(path: str, *, top: bool, given: int) -> None:
        if top:
            named = os.path.dirname(path) or "."
            folder = real_folders.get(named) or real_folders.setdefault(named, os.path.realpath(named))
            if os.path.basename(path).lower() in MANIFEST_NAMES:
                looked.add(folder)
                if _same(Path(path), manifests.setdefault(folder, Path(path))):
                    return
            elif folder not in looked:
                looked.add(folder)
                found = _folder_manifest(os.path.dirname(path) or ".")
                if found is not None:
                    manifests.setdefault(folder, found)
        files.setdefault(os.path.realpath(path), path, given)

    def refuse(path: str, reason: Reason) -> None:
        problems[path] = reason
        files.setdefault("\0" + path, path)  # never a real path: one error line per refused entry

    def walk(folder: str, *, top: bool, root: str, given: int) -> None:
        real_folder = os.path.realpath(folder)
        key = (real_folder, top)
        if key in visited:  # a folder given twice, or a symlink loop
            return
        visited.add(key)
        same_folder = real_folder == folder
        # plain files are taken as they are listed (a folder of a million files is never held
        # whole; FoundFiles keeps the first in walking order); folders, links and, at the top,
        # the names a manifest may have are kept aside: name -> "dir", "link" or "file"
        aside: dict[str, str] = {}
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    name = entry.name
                    kind = _kind(entry, folder, root, follow_links)
                    if isinstance(kind, Reason):
                        if not _hidden(name):
                            refuse(name if folder == "." else os.path.join(folder, name), kind)
                    elif kind != "file" or (top and name.lower() in MANIFEST_NAMES):
                        aside[name] = kind
                    elif not _hidden(name):
                        path = name if folder == "." else os.path.join(folder, name)
                        # a plain file's real path is its real folder's; only a symlink needs resolving
                        files.setdefault(path if same_folder else os.path.join(real_folder, name), path, given)
        except OSError as exc:
            refuse(folder, msg("error.folder", why=exc.strerror or type(exc).__name__))
            return
        names = sorted(aside)
        if top:  # the folder's manifest is never one of its transcripts
            looked.add(real_folder)
            for name in names:
                if name.lower() in MANIFEST_NAMES and aside[name] != "dir":
                    take(name if folder == "." else os.path.join(folder, name), top=True, given=given)
                    break
        for name in names:
            if _hidden(name):
                continue
            path = name if folder == "." else os.path.join(folder, name)
            kind = aside[name]
            if kind == "dir":
                walk(path, top=False, root=root, given=given)
            elif top and real_folder in manifests and name == manifests[real_folder].name:
                continue
            elif kind == "link":
                files.setdefault(os.path.realpath(path), path, given)
            else:
                files.setdefault(path if same_folder else os.path.join(real_folder, name), path, given)

    tops = itertools.count()  # the order of the paths given and of a pattern's matches: the rank of their files
    for given in paths:
        given_text = os.fspath(given)
        if os.path.exists(given_text):
            if os.path.isdir(given_text):
                folder = os.path.normpath(given_text)
                walk(folder, top=True, root=os.path.realpath(folder), given=next(tops))
            else:
                take(os.fspath(Path(given_text)), top=True, given=next(tops))
            continue
        if os.path.islink(given_text):
            refuse(given_text, LINK_BROKEN)
            continue
        if not _GLOB_CHARS.intersection(given_text):
            raise QAScoringError(f"{given_text}: no such file or folder")
        matches = sorted(glob.glob(given_text, recursive=True))
        if not matches:
            raise QAScoringError(f"{given_text}: no file matches this pattern")
        for match in matches:
            if _hidden(os.path.basename(match)):
                continue
            if os.path.isdir(match):
                folder = os.path.normpath(match)
                walk(folder, top=True, root=os.path.realpath(folder), given=next(tops))
            else:
                take(os.fspath(Path(match)), top=True, given=next(tops))
    for manifest in manifests.values():
        files.pop(os.path.realpath(manifest))
    return files.file_list(problems), list(manifests.values())


def _folder_manifest(folder: str) -> Path | None:
    """The ``manifest.csv`` / ``manifest.xlsx`` (any case) of a folder, or None."""
    try:
        with os.scandir(folder) as it:
            names = sorted(entry.name for entry in it if entry.name.lower() in MANIFEST_NAMES)
    except OSError:
        return None
    for wanted in MANIFEST_NAMES:
        for name in names:
            path = os.path.join(folder, name) if folder != "." else name
            if name.lower() == wanted and os.path.isfile(path):
                return Path(path)
    return None


def _kind(entry: os.DirEntry, folder: str, root: str, follow_links: bool) -> str | Reason:
    """``dir``, ``file``, ``link`` (a symbolic link to a file, to be taken) or the reason it is refused."""
    try:
        if entry.is_symlink():
            real = os.path.realpath(entry.path)
            if not os.path.exists(real):
                return LINK_BROKEN
            if not follow_links and real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
                return LINK_OUT
            if entry.is_dir():
                return "dir"
            return "link" if entry.is_file() else SPECIAL_FILE
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_file(follow_symlinks=False):
            return "file"
    except OSError as exc:
        return msg("error.examine", why=exc.strerror or type(exc).__name__)
    return SPECIAL_FILE


def _hidden(name: str) -> bool:
    """Names starting with '_' or '.' are notes and labels, not transcripts."""
    return name.startswith(("_", "."))


def _same(a: Path, b: Path) -> bool:
    """True when two paths name the same file."""
    return a.resolve() == b.resolve()


def read_source(
    path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Transcript | ReadError]:
    """Read one file: decode, detect the format, parse. Bad input yields a ReadError, never raises."""
    source = display if display is not None else str(path)
    path = path if isinstance(path, Path) else Path(path)
    try:
        yield from _read(path, source, limits)
    except Exception as exc:  # a reader bug must not stop the batch
        yield ReadError(source, as_notice(internal_error("read", exc)), call_id=printable_name(path.stem))


def read_bytes(path: Path, limit: int) -> bytes:
    """A regular file's bytes; raises OSError, or InputError for a special file or one over ``limit`` bytes.

    The file is opened without blocking, so a FIFO named as a transcript cannot hang the batch.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(str(path), SPECIAL_FILE.text("en"))
        if info.st_size > limit:
            raise InputError(str(path), too_big(info.st_size, limit))
        chunks = []
        size = 0
        want = info.st_size + 1  # one byte more tells whether the file grew since fstat
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew while it was read
                raise InputError(str(path), too_big(size, limit))
            want = min(1 << 20, limit + 1 - size)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def too_big(size: int, limit: int) -> str:
    """The reason a file over the size limit is not read."""
    return f"the file is {size / MB:.1f} MB, over the limit of {limit / MB:g} MB per file (--max-file-mb)"


def _read(path: Path, source: str, limits: Limits) -> Iterator[Transcript | ReadError]:
    """The body of read_source."""
    name = path.name
    dot = name.rfind(".")
    plain = not 0 < dot < len(name) - 1  # no suffix: what Path.stem and Path.suffix say, from one name
    stem = printable_name(name if plain else name[:dot])
    try:
        data = read_bytes(path, limits.max_file_bytes)
    except InputError as exc:
        yield ReadError(source, exc.message, call_id=stem)
        return
    except OSError as exc:
        yield ReadError(source, Notice("", "input.cannot_open", error=exc.strerror or type(exc).__name__), call_id=stem)
        return
    suffix = "" if plain else name[dot:].lower()
    if data.startswith(_ZIP_MAGIC):
        if suffix in _XLSX_SUFFIXES or _is_xlsx(path):
            yield from READERS["xlsx"](make_document(path, source, stem, limits=limits))
        else:
            yield ReadError(source, Notice("", "input.zip_not_xlsx"), call_id=stem)
        return
    if data.startswith(_OLE_MAGIC):
        yield ReadError(source, Notice("", "input.legacy_office"), call_id=stem)
        return
    if suffix in _XLSX_SUFFIXES:
        yield ReadError(source, Notice("", "input.xlsx_no_zip"), call_id=stem)
        return
    try:
        content, _encoding = decode(data)
    except DecodeError as exc:
        yield ReadError(source, exc.message, call_id=stem)
        return
    del data
    fmt, parsed, problem = detect_format(content, suffix, limits)
    if fmt is None:
        yield ReadError(
            source,
            problem.message if problem else Notice("", "input.unknown_format"),
            line=problem.line if problem else None,
            call_id=stem,
        )
        return
    yield from READERS[fmt](make_document(path, source, stem, content, parsed, limits))


class _Problem:
    """Why a file's format could not be detected, with the line where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line


# A text line's opening "[00:" can never start JSON (a number is followed by "," or "]"); a few
# digits only, for json.loads raises ValueError, not JSONDecodeError, on thousands of them.
_CLOCK_IN_BRACKETS = re.compile(r"\[\s*\d{1,32}\s*:")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


def json_too_deep(content: str, limit: int) -> bool:
    """True when valid JSON ``content`` nests arrays and objects more than ``limit`` deep.

    Strings are dropped and the brackets left are peeled a level at a time, in C (no Python
    loop over the characters, no recursion).
    """
    if content.count("[") + content.count("{") <= limit:
        return False  # not enough brackets to nest that deep
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", content))
    for _ in range(limit):
        if not brackets:
            return False
        brackets = _INNERMOST.sub("", brackets)
    return bool(brackets)


def detect_format(
    content: str, suffix: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[str | None, object, _Problem | None]:
    """``(format, parsed JSON or None, problem)`` for decoded content; content wins over the suffix."""
    head = content.lstrip()
    if head.startswith("WEBVTT"):
        return "vtt", None, None
    if suffix == ".json" or (head.startswith(("{", "[")) and not _CLOCK_IN_BRACKETS.match(head)):
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            if suffix == ".json":
                return None, None, _Problem(Notice("", "input.bad_json", error=exc.msg, column=exc.colno), exc.lineno)
        except RecursionError:
            if suffix == ".json":
                return None, None, _Problem(Notice("", "input.json_too_deep"))
        else:
            if json_too_deep(content, limits.json_depth):
                deep = f"JSON nested more than {limits.json_depth} levels deep (the limit): not read"
                return None, None, _Problem(deep)
            return _json_format(data, suffix)
    if _looks_srt(content):
        return "srt", None, None
    if suffix in _TABLE_SUFFIXES or _looks_table(content):
        return "csv", None, None
    if suffix == ".vtt":
        return "vtt", None, None
    if suffix == ".srt" and subtitles.TIMING.search(content) is None:
        return None, None, _Problem(Notice("", "input.srt_without_timing"))
    if suffix == ".srt":
        return "srt", None, None
    if suffix in _TEXT_SUFFIXES:
        return "text", None, None
    return (
        None,
        None,
        _Problem(Notice("", "input.unknown_suffix", suffix=suffix)),
    )


_JSON_KINDS = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "true/false"}
_JSON_KINDS[type(None)] = "null"


def _json_format(data: object, suffix: str) -> tuple[str | None, object, _Problem | None]:
    """Whisper or AWS from a parsed JSON document; anything else is an unknown format."""
    if whisper.matches(data):
        return "whisper", data, None
    if aws.matches(data):
        return "aws", data, None
    if aws.is_standard_transcribe(data):
        return (
            None,
            None,
            _Problem(Notice("", "input.aws_standard")),
        )
    if suffix in _TEXT_SUFFIXES and suffix:
        return "text", None, None
    kind = _JSON_KINDS.get(type(data), "value")
    return None, None, _Problem(Notice("", "input.unknown_json", kind=kind))


def _looks_srt(content: str) -> bool:
    """True when the first block is an SRT cue: an index line, then a timing line with commas."""
    lines = [line.strip() for line in content.lstrip().split("\n", 2)[:2]]
    return (
        len(lines) == 2
        and lines[0].isdigit()
        and "-->" in lines[1]
        and "," in lines[1]
        and subtitles.TIMING.match(lines[1]) is not None
    )


def _looks_table(content: str) -> bool:
    """True when the first non-empty line is a delimited header with call_id, speaker and text columns."""
    header = _first_line(content)
    if "," not in header and ";" not in header and "\t" not in header:
        return False  # one column: not the three
    delimiter = table.sniff_delimiter(header)
    try:
        names = next(iter(table.csv_rows(header, delimiter)))[1]
    except (StopIteration, table.TableError):
        return False
    columns = table.find_columns([str(name) for name in names])
    return all(role in columns for role in table.REQUIRED)


def _first_line(content: str) -> str:
    """The first line of ``content`` that is not blank, else "" (without splitting the whole text)."""
    start = 0
    while True:
        end = content.find("\n", start)
        line = content[start:] if end < 0 else content[start:end]
        if line and not line.isspace():
            return line
        if end < 0:
            return ""
        start = end + 1


def _is_xlsx(path: Path) -> bool:
    """True when a zip file holds an Excel workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
