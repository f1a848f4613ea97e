"""The batch pipeline: discover files, read one call at a time, attach metadata, score.

Streaming: only one file's calls are in memory at a time; results are yielded as they
are made, in input order, followed by the manifest rows that matched no transcript.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_scoring.errors import internal_error
from qa_scoring.limits import DEFAULT_LIMITS, Limits, TimeLimitExceeded, Timer
from qa_scoring.messages import DOING, Notice, Reason, msg
from qa_scoring.model import CallMeta, ReadError, Transcript
from qa_scoring.readers import discover, read_source
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
        try:
            rel = os.path.relpath(path)
        except ValueError:
            rel = ".."
        shown = shown if rel.startswith("..") else rel
    return printable_name(shown)


def over_time(limits: Limits, doing: str) -> Reason:
    """The reason for a file (``read``) or call (``score``) stopped by the time limit."""
    return msg("error.time_limit", seconds=f"{limits.max_seconds:g}", doing=DOING[doing])


def score_transcript(transcript: Transcript, manifest: Manifest | None, rules: RuleSet) -> dict[str, Any]:
    """Score one read transcript with its manifest row (manifest values win over front matter)."""
    warnings: list[str] = []
    meta = transcript.meta
    if manifest is not None:
        row = manifest.lookup(
            Path(transcript.source), transcript.call_id, table=transcript.format in _TABLE_FORMATS
        )
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


def score_batch(batch: Batch, rules: RuleSet) -> Iterator[dict[str, Any]]:
    """Yield one result per call, then one error per manifest row with no transcript.

    Reading one file, and scoring one call, each run under the batch's time limit; a file or
    call over it, and any unexpected exception, becomes that file's or call's error line.
    """
    seen: dict[str, str] = {}  # call_id scored in this run -> its source (a second one is an error)
    for result in _score_files(batch, rules):
        call_id = result.get("call_id")
        if result["status"] == "scored" and isinstance(call_id, str):
            first = seen.get(call_id)
            if first is None:
                seen[call_id] = result["source"]
            else:
                source = result["source"]
                result = reason_error(call_id, source, msg("error.duplicate_id", call_id=call_id, first=first))
        yield result


def _score_files(batch: Batch, rules: RuleSet) -> Iterator[dict[str, Any]]:
    """score_batch without the duplicate check."""
    limits = batch.limits
    problems = getattr(batch.files, "problem", None)
    with Timer(limits.max_seconds) as timer:
        for path in batch.files:
            shown = display_path(path)
            stem = printable_name(path.stem)
            problem = problems(path) if problems else None
            manifest = batch.manifest_for(path)
            if problem:
                yield reason_error(stem, shown, problem)
                continue
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
    if not batch.whole_folders:
        return
    for manifest in batch.manifests:
        shown = display_path(manifest.path)
        for row in manifest.unmatched():
            where = f"{shown}:{row.line}" if row.line else shown
            wanted = msg("input.wanted_file", file=row.file) if row.file else ""
            problem = Notice(where, "input.no_transcript", call_id=row.call_id, wanted=wanted)
            yield error_result(row.call_id, shown, problem)
