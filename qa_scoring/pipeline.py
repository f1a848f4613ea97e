"""The batch pipeline: discover files, read one call at a time, attach metadata, score.

Streaming: only one file's calls are in memory at a time; results are yielded as they
are made, in input order, followed by the manifest rows that matched no transcript.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qa_scoring.errors import internal_error
from qa_scoring.fileutil import SeenFilter, blob_text, scratch_db, text_blob
from qa_scoring.limits import DEFAULT_LIMITS, Limits, TimeLimitExceeded, Timer
from qa_scoring.messages import DOING, Notice, Reason, msg
from qa_scoring.model import CallMeta, ReadError, Transcript
from qa_scoring.readers import FileList, discover, read_source
from qa_scoring.readers.common import UNKNOWN_SPEAKER, printable_name
from qa_scoring.readers.manifest import Manifest, read_manifest
from qa_scoring.roles import assign_roles
from qa_scoring.rules.ruleset import RuleSet
from qa_scoring.scoring import error_result, reason_error, score_call

_TABLE_FORMATS = frozenset({"csv", "xlsx"})


@dataclass
class Batch:
    """The files of a batch and its manifests, found before scoring starts.

    ``manifests`` holds the ``--manifest`` given (used for every file) or one manifest per
    folder found; a file uses the manifest of its nearest folder. ``whole_folders`` is True
    when only folders were given: a manifest row with no transcript is then an error line,
    while for files or patterns it only means that file was not named.
    """

    files: Sequence[Path]
    manifests: list[Manifest] = field(default_factory=list)
    explicit: bool = False
    whole_folders: bool = True
    roots: list[Path] = field(default_factory=list)
    _folders: dict[str, Manifest | None] = field(default_factory=dict, repr=False)
    limits: Limits = DEFAULT_LIMITS

    @property
    def size(self) -> int:
        """Number of transcript files."""
        return len(self.files)

    @property
    def manifest(self) -> Manifest | None:
        """The first manifest, or None."""
        return self.manifests[0] if self.manifests else None

    def manifest_for(self, path: Path) -> Manifest | None:
        """The manifest of a transcript file: the given one, else that of its nearest folder."""
        if self.explicit or not self.manifests:
            return self.manifest
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._folders:
            homes = {os.path.dirname(os.path.abspath(m.path)): m for m in self.manifests}
            chosen = None
            probe = folder
            while True:
                if probe in homes:
                    chosen = homes[probe]
                    break
                parent = os.path.dirname(probe)
                if parent == probe:
                    break
                probe = parent
            self._folders[folder] = chosen
        return self._folders[folder]

    def unlisted_folders(self) -> list[str]:
        """The folders of the batch's files that have no manifest (none given, none found)."""
        if self.explicit:
            return []
        seen: dict[str, None] = {}
        for root in self.roots:
            if self.manifest_for(root / "_") is None:
                seen.setdefault(display_path(root) if root.is_absolute() else str(root), None)
        return list(seen)


def open_batch(
    paths: Sequence[str | Path],
    manifest: str | Path | None = None,
    *,
    follow_links: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Batch:
    """Find the transcript files and read the manifests (the one given, or those of the folders)."""
    files, found = discover(paths, follow_links=follow_links)
    chosen = [Path(manifest)] if manifest else found
    roots: dict[str, Path] = {}
    whole_folders = True
    for given in paths:
        text = os.fspath(given)
        if os.path.isdir(text):
            roots.setdefault(os.path.abspath(text), Path(os.path.normpath(text)))
        else:
            whole_folders = False
    if not whole_folders:
        for path in files:
            folder = os.path.dirname(path) or "."
            roots.setdefault(os.path.abspath(folder), Path(folder))
    manifests = [read_manifest(path) for path in chosen]
    for item in manifests:
        item.roots = list(roots.values())
    return Batch(files, manifests, bool(manifest), whole_folders, list(roots.values()), limits=limits)


def display_path(path: Path) -> str:
    """The path as shown in reports: relative to the working folder when inside it.

    Bytes of a name that are not UTF-8 show as ``\\xNN`` and control characters (a newline in
    a name) as escapes, so that every name can be written to JSON Lines, the workbook and the store.
    """
    shown = str(path)
    if path.is_absolute():
        cwd = os.getcwd()
        if _plain_posix(shown) and _plain_posix(cwd):  # what relpath gives, without splitting both paths
            rel = shown[len(cwd) + 1 :] if shown.startswith(cwd + "/") else "." if shown == cwd else ".."
        else:
            try:
                rel = os.path.relpath(path)
            except ValueError:
                rel = ".."
        shown = shown if rel.startswith("..") else rel
    return printable_name(shown)


def _plain_posix(path: str) -> bool:
    """True for a POSIX path that normpath leaves as it is and that is not ``/``: no ``//``, no part starting
    with ``.`` (so none is ``.`` or ``..``), no ``/`` at the end."""
    return os.sep == "/" and "//" not in path and "/." not in path and not path.endswith("/")


def over_time(limits: Limits, doing: str) -> Reason:
    """The reason for a file (``read``) or call (``score``) stopped by the time limit."""
    return msg("error.time_limit", seconds=f"{limits.max_seconds:g}", doing=DOING[doing])


def score_transcript(transcript: Transcript, manifest: Manifest | None, rules: RuleSet) -> dict[str, Any]:
    """Score one read transcript with its manifest row (manifest values win over front matter)."""
    warnings: list[str] = []
    meta = transcript.meta
    if manifest is not None:
        row = manifest.lookup(transcript.source, transcript.call_id, table=transcript.format in _TABLE_FORMATS)
        if row is None:
            shown = display_path(manifest.path)
            warnings.append(Notice("", "input.no_manifest_row", call_id=transcript.call_id, manifest=shown))
        else:
            meta = row.meta.merged(meta)
            warnings.extend(row.warnings)
    if meta.call_id is None:
        meta = CallMeta(call_id=transcript.call_id).merged(meta)
    if all(t.speaker == UNKNOWN_SPEAKER for t in transcript.turns):
        return error_result(meta.call_id, transcript.source, Notice(transcript.source, "input.no_speaker_labels"))
    resolved = assign_roles(transcript, rules)
    if not any(t.role == "agent" for t in resolved.turns):
        labels = ", ".join(dict.fromkeys(t.speaker for t in transcript.turns)) or "none"
        basis = resolved.role_basis or "labels"
        problem = Notice(transcript.source, "input.no_agent_turns", speakers=labels, basis=basis)
        return error_result(meta.call_id, transcript.source, problem)
    if meta.call_start is None:
        warnings.append(Notice("", "input.no_call_start"))
    return score_call(resolved, meta, rules, warnings)


def score_batch(
    batch: Batch,
    rules: RuleSet,
    *,
    jobs: int = 1,
    prepare: Callable[[dict[str, Any]], Any] | None = None,
    on_file: Callable[[], None] | None = None,
) -> Iterator[Any]:
    """Yield one result per call, in input order, then one error per manifest row with no transcript.

    Reading one file, and scoring one call, each run under the batch's time limit; a file or
    call over it, and any unexpected exception, becomes that file's or call's error line. A
    second scored call with the same ``call_id`` becomes an error line.

    ``jobs`` > 1 reads and scores files in that many worker processes (the caller stays the
    one writer; the order is the input order). ``prepare`` (picklable) turns each result
    into what is yielded, in the worker; ``on_file`` is called once per file done.
    """
    prepare = prepare or _same_result
    prepared = _score_prepared(batch, rules, jobs, prepare, on_file)
    with DuplicateIds() as seen:
        for item in prepared:
            if item.status == "scored" and isinstance(item.call_id, str):
                first = seen.first(item.call_id, item.source)
                if first is not None:
                    error = msg("error.duplicate_id", call_id=item.call_id, first=first)
                    item = _prepared(reason_error(item.call_id, item.source, error), prepare)
            yield item.payload


@dataclass(frozen=True)  # no slots: pickled per call, and a slotted frozen class pickles in Python, not in C
class Prepared:
    """One result as the caller wants it (``payload``), with what the duplicate check needs."""

    status: str
    call_id: Any
    source: str
    payload: Any


def _same_result(result: dict[str, Any]) -> dict[str, Any]:
    return result


def _prepared(result: dict[str, Any], prepare: Callable[[dict[str, Any]], Any]) -> Prepared:
    return Prepared(result["status"], result.get("call_id"), result["source"], prepare(result))


class DuplicateIds:
    """The call ids scored in this run and their sources, in a private temporary SQLite file (flat memory).

    New ids are written a thousand at a time; a filter of the ids so far spares the query
    for an id surely new (most of them).
    """

    def __enter__(self) -> DuplicateIds:
        schema = "CREATE TABLE ids (call_id TEXT PRIMARY KEY, source TEXT NOT NULL) WITHOUT ROWID; BEGIN"
        self._folder, self._db = scratch_db("ids.db", schema)
        self._seen = SeenFilter()
        self._pending: dict[str, str] = {}  # ids not yet written -> source
        return self

    def first(self, call_id: str, source: str) -> str | None:
        """None for a new call id (now remembered), else the source that had it first."""
        if call_id in self._seen:
            if call_id in self._pending:
                return self._pending[call_id]
            row = self._db.execute("SELECT source FROM ids WHERE call_id = ?", (text_blob(call_id),)).fetchone()
            if row is not None:
                return blob_text(row[0])
        self._seen.add(call_id)
        self._pending[call_id] = source
        if len(self._pending) >= 1000:
            self._db.executemany(
                "INSERT INTO ids VALUES (?, ?)", ((text_blob(k), text_blob(v)) for k, v in self._pending.items())
            )
            self._pending.clear()
        return None

    def __exit__(self, *exc: object) -> None:
        self._db.close()
        self._folder.cleanup()


def _score_prepared(
    batch: Batch,
    rules: RuleSet,
    jobs: int,
    prepare: Callable[[dict[str, Any]], Any],
    on_file: Callable[[], None] | None,
) -> Iterator[Prepared]:
    """Every file's prepared results in input order, then the manifest rows with no transcript."""
    if jobs > 1 and batch.size >= PARALLEL_MIN_FILES and not any(m.duplicates for m in batch.manifests):
        outcomes = _parallel_outcomes(batch, rules, jobs, prepare)
    else:
        outcomes = FileScorer(batch, rules, prepare).score_files(batch.files)
    for items, used in outcomes:
        for index, row_ids in used:
            batch.manifests[index].mark_used(row_ids)
        yield from items
        if on_file is not None:
            on_file()
    if not batch.whole_folders:
        return
    for manifest in batch.manifests:
        shown = display_path(manifest.path)
        for row in manifest.unmatched():
            where = f"{shown}:{row.line}" if row.line else shown
            wanted = msg("input.wanted_file", file=row.file) if row.file else ""
            problem = Notice(where, "input.no_transcript", call_id=row.call_id, wanted=wanted)
            yield _prepared(error_result(row.call_id, shown, problem), prepare)


# One file's prepared results, and the manifest rows it matched (manifest index, row ids).
FileOutcome = tuple[list[Prepared], list[tuple[int, list[int]]]]

PARALLEL_MIN_FILES = 64  # a smaller batch is scored in this process: starting workers costs more
_CHUNK = 8  # files per task sent to a worker
_WINDOW = 4  # tasks in flight per worker: bounds memory, keeps workers busy


class FileScorer:
    """Reads and scores files one at a time; lives in this process, or in each worker."""

    def __init__(self, batch: Batch, rules: RuleSet, prepare: Callable[[dict[str, Any]], Any]) -> None:
        self.batch = batch
        self.rules = rules
        self.prepare = prepare
        self.problems = getattr(batch.files, "problem", None)

    def score_paths(self, paths: list[str]) -> list[FileOutcome]:
        """The outcomes of several files (one task of a worker)."""
        return list(self.score_files(map(Path, paths)))

    def score_files(self, paths: Iterable[Path]) -> Iterator[FileOutcome]:
        """Each file's outcome in turn, under one time-limit handler (installed once, not per file)."""
        with Timer(self.batch.limits.max_seconds) as timer:
            for path in paths:
                yield self._outcome(path, timer)

    def score_file(self, path: Path) -> FileOutcome:
        """One file's prepared results, in order, and the manifest rows they matched."""
        with Timer(self.batch.limits.max_seconds) as timer:
            return self._outcome(path, timer)

    def _outcome(self, path: Path, timer: Timer) -> FileOutcome:
        """The body of ``score_file``, under ``timer``."""
        items = [_prepared(result, self.prepare) for result in self._results(path, timer)]
        used = []
        for index, manifest in enumerate(self.batch.manifests):
            taken = manifest.take_used()
            if taken:
                used.append((index, taken))
        return items, used

    def worker_died(self, path: Path) -> FileOutcome:
        """The error line of a file whose worker died, its manifest row accounted for."""
        call_id = printable_name(path.stem)
        manifest = self.batch.manifest_for(path)
        listed = manifest.match_file(path, call_id) if manifest is not None else None
        if manifest is not None:
            manifest.take_used()  # marked here, in this process
        call_id = listed.call_id if listed and listed.call_id else call_id
        error = reason_error(call_id, display_path(path), msg("error.worker_died"))
        return [_prepared(error, self.prepare)], []

    def _results(self, path: Path, timer: Timer) -> Iterator[dict[str, Any]]:
        batch, rules, limits = self.batch, self.rules, self.batch.limits
        shown = display_path(path)
        stem = printable_name(path.stem)
        problem = self.problems(path) if self.problems else None
        if problem:
            yield reason_error(stem, shown, problem)
            return
        manifest = batch.manifest_for(path)
        items = read_source(path, shown, limits)
        while True:
            try:
                timer.arm()
                item = next(items, None)
                timer.disarm()
            except TimeLimitExceeded:
                items.close()
                yield reason_error(stem, shown, over_time(limits, "read"))
                break
            if item is None:
                break
            if isinstance(item, ReadError):
                call_id = item.call_id or stem
                if manifest is not None and call_id == stem:
                    # the whole file failed: its manifest row is accounted for by this error
                    listed = manifest.match_file(path, call_id)
                    call_id = listed.call_id if listed and listed.call_id else call_id
                yield error_result(call_id, item.source, item.describe())
                continue
            try:
                timer.arm()
                result = score_transcript(item, manifest, rules)
                timer.disarm()
            except TimeLimitExceeded:
                result = reason_error(item.call_id, item.source, over_time(limits, "score"))
            except Exception as exc:
                timer.disarm()
                result = reason_error(item.call_id, item.source, internal_error("score", exc))
            yield result


_WORKER: FileScorer | None = None


def _start_worker(batch: Batch, rules: RuleSet, prepare: Callable[[dict[str, Any]], Any], parent: int) -> None:
    """Worker process set-up: Ctrl-C is the parent's to handle; the worker ends when the parent dies."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _WORKER = FileScorer(batch, rules, prepare)
    gc.freeze()  # the rules, lexicons and manifests live as long as the worker: the collector need not walk them


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (killed with SIGKILL, say, even before the worker started)."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def _work(paths: list[str]) -> list[FileOutcome]:
    assert _WORKER is not None
    return _WORKER.score_paths(paths)


def _parallel_outcomes(
    batch: Batch, rules: RuleSet, jobs: int, prepare: Callable[[dict[str, Any]], Any]
) -> Iterator[FileOutcome]:
    """The files' outcomes from ``jobs`` worker processes, in input order, a bounded window in flight.

    Files with a known problem are not sent. A worker that dies (a crash, the kernel's
    out-of-memory killer) does not stop the batch: the files of the tasks it took down are
    scored again one per task in new workers, and a file that kills a worker again becomes
    that file's error line.
    """
    shipped = replace(batch, files=FileList([]))  # workers get the manifests and limits, not the file list
    workers = _Workers(shipped, rules, prepare, jobs)
    local = FileScorer(batch, rules, prepare)
    pending: deque[tuple[list[str], Future[list[FileOutcome]] | None, int]] = deque()
    try:
        chunk: list[str] = []
        for path in batch.files:
            if local.problems and local.problems(path):
                if chunk:
                    pending.append(workers.submit(chunk))
                    chunk = []
                pending.append(([str(path)], None, 0))
            else:
                chunk.append(str(path))
                if len(chunk) < _CHUNK:
                    continue
                pending.append(workers.submit(chunk))
                chunk = []
            while len(pending) > jobs * _WINDOW:
                yield from workers.collect(*pending.popleft(), local)
        if chunk:
            pending.append(workers.submit(chunk))
        while pending:
            yield from workers.collect(*pending.popleft(), local)
    finally:
        workers.close()


class _Workers:
    """The pool of worker processes, replaced when one of them dies."""

    def __init__(self, batch: Batch, rules: RuleSet, prepare: Callable[[dict[str, Any]], Any], jobs: int) -> None:
        self._setup = (batch, rules, prepare)
        self._jobs = jobs
        self._generation = 0
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # a clean, small worker: not a copy of this process
        setup = (*self._setup, os.getpid())
        return ProcessPoolExecutor(self._jobs, mp_context=context, initializer=_start_worker, initargs=setup)

    def _replace(self, generation: int) -> None:
        """Start a new pool unless that of ``generation`` was already replaced."""
        if generation == self._generation:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            self._generation += 1

    def submit(self, paths: list[str]) -> tuple[list[str], Future[list[FileOutcome]], int]:
        """Send one task; returns what ``collect`` takes."""
        return paths, self._pool.submit(_work, paths), self._generation

    def collect(
        self, paths: list[str], future: Future[list[FileOutcome]] | None, generation: int, local: FileScorer
    ) -> list[FileOutcome]:
        """The outcomes of one task (a task without a future is scored here)."""
        if future is None:
            return [local.score_file(Path(paths[0]))]
        try:
            return future.result()
        except (BrokenProcessPool, CancelledError):
            self._replace(generation)
        outcomes = []
        for path in paths:  # one at a time, to find the file that kills a worker
            _, alone, generation = self.submit([path])
            try:
                outcomes.extend(alone.result())
            except BrokenProcessPool:
                self._replace(generation)
                outcomes.append(local.worker_died(Path(path)))
        return outcomes

    def close(self) -> None:
        """Stop the workers (waiting for the tasks they are on)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
