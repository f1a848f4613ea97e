"""Atomic file writing: a temporary file beside the target, renamed into place."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

# Bytes buffered by a report file written a line or a call at a time: a JSON Lines result is about
# 5 KB and a call's check rows often 9 KB, which the default buffer (8 KB) wrote one system call each.
WRITE_BUFFER = 1 << 16


def temp_beside(path: Path, suffix: str = ".tmp") -> tuple[int, Path]:
    """Open a temporary file in the target's folder; returns (fd, path).

    Its name carries this process's id (``.results.jsonl.1234.x8f2k.tmp``), so that a later
    run can tell a temporary file left by a killed run from one still being written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=suffix, dir=path.parent)
    return fd, Path(tmp)


def remove_stale(path: Path) -> list[Path]:
    """Remove temporary files beside ``path`` left by runs that no longer exist (killed); returns them."""
    removed = []
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(prefix) or not name.endswith(".tmp"):
            continue
        pid_text = name[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        stale = path.parent / name
        try:
            stale.unlink()
        except OSError:
            continue
        removed.append(stale)
    return removed


def private_temp_dir() -> tempfile.TemporaryDirectory:
    """A private temporary folder named with this process's id; those of killed runs are removed first."""
    base = Path(tempfile.gettempdir())
    try:
        names = os.listdir(base)
    except OSError:
        names = []
    for name in names:
        pid_text = name[len(_DIR_PREFIX) :].split("-", 1)[0] if name.startswith(_DIR_PREFIX) else ""
        if pid_text.isdigit() and not _alive(int(pid_text)):
            shutil.rmtree(base / name, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"{_DIR_PREFIX}{os.getpid()}-")


_DIR_PREFIX = "qa-scoring-"

# Scratch databases hold what a batch would otherwise keep in memory: nothing to recover after a crash.
_SCRATCH_PRAGMAS = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048;"


def scratch_db(name: str, schema: str) -> tuple[tempfile.TemporaryDirectory, sqlite3.Connection]:
    """A SQLite file ``name`` in a new private temporary folder, made with ``schema`` (a script).

    Autocommit; no journal, no syncing, a 2 MB page cache. Close the connection, then clean
    up the folder; another process may open the file by path (read-only) meanwhile.
    """
    folder = private_temp_dir()
    db = sqlite3.connect(os.path.join(folder.name, name), isolation_level=None)
    db.executescript(_SCRATCH_PRAGMAS + schema)
    return folder, db


def text_blob(text: str) -> bytes:
    """``text`` as bytes that keep every character (lone surrogates from undecodable names too)
    and sort as Python sorts the string; ``blob_text`` reads them back."""
    return text.encode("utf-8", "surrogatepass")


def blob_text(data: bytes) -> str:
    """The text of ``text_blob`` bytes."""
    return bytes(data).decode("utf-8", "surrogatepass")


class SeenFilter:
    """Strings added so far, as a two-probe Bloom filter in 1 MB: ``in`` is False only for one never added.

    Put in front of a scratch database, it answers "new" for most keys without a query; a
    "maybe" is asked of the database. Hashes are this process's (``hash``): never stored.
    """

    size = 1 << 20  # bytes

    def __init__(self) -> None:
        self._bits = bytearray(self.size)
        self._mask = self.size * 8 - 1

    def add(self, key: str) -> None:
        """Note ``key``."""
        hashed, bits = hash(key), self._bits
        for bit in (hashed & self._mask, (hashed >> 32) & self._mask):
            bits[bit >> 3] |= 1 << (bit & 7)

    def __contains__(self, key: str) -> bool:
        hashed, bits = hash(key), self._bits
        return all(bits[bit >> 3] & (1 << (bit & 7)) for bit in (hashed & self._mask, (hashed >> 32) & self._mask))


def _alive(pid: int) -> bool:
    """True when a process with this id exists (or cannot be told apart from one that does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def publish(tmp: Path, path: Path) -> None:
    """Give the temporary file the usual permissions (0666 less the umask) and rename it onto ``path``.

    A ``path`` that is there and is not a regular file (``/dev/null``, a pipe) is not replaced:
    the temporary file is removed and ``OSError`` raised.
    """
    if os.path.exists(path) and not os.path.isfile(path):
        os.unlink(tmp)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)
