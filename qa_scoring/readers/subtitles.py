"""WebVTT and SubRip (SRT) subtitles: one turn per cue (or per voice inside a cue).

The speaker comes from a voice span ``<v Name>`` (``<v.loud Name>`` too) or a ``Name:`` prefix
on a cue line; other tags are stripped and entities unescaped. A cue without a speaker keeps
the previous cue's speaker (``UNKNOWN`` at the start). WebVTT NOTE, STYLE and REGION blocks
are ignored. Both readers accept ``.`` or ``,`` before the milliseconds and a missing blank line
between SRT blocks.

Example (WebVTT)::

    WEBVTT

    1
    00:00:01.000 --> 00:00:04.000
    <v CSO>terima kasih telah menghubungi pln 123</v>
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from typing import Any

from qa_scoring.messages import Notice
from qa_scoring.model import ReadError, Transcript
from qa_scoring.readers.common import (
    UNKNOWN_SPEAKER,
    Document,
    LabelReader,
    build_columns,
    build_rows,
    collapse,
    collapsed_joined,
    excerpt,
    parse_clock,
    too_many_turns,
)

_TS = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
TIMING = re.compile(rf"^\s*(?P<start>{_TS})\s*-->\s*(?P<end>{_TS})(?:\s.*)?$")
_ARROW = "-->"
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")
# A payload line that is one voice span and its text, with no other tag: _VOICE.split gives
# ["", name, text] for it.
_VOICED_LINE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>([^<]*)", re.IGNORECASE)


def read_vtt(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read one WebVTT file."""
    yield _read(doc, "vtt")


def read_srt(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read one SubRip file."""
    yield _read(doc, "srt")


# A cue while the file is read: [start, end, [(line number, payload line), ...]]
_Cue = list[Any]
# The part of a cue said by one speaker: [speaker (None: not named in the cue), text, line number]
_Segment = list[Any]


def _read(doc: Document, fmt: str) -> Transcript | ReadError:
    """Parse the cues line by line, then turn their segments into turns."""
    if fmt == "vtt" and (common := _common_file(doc)) is not None:
        return common
    lines = (doc.text or "").split("\n")
    if fmt == "vtt" and (rows := _common_vtt(lines, doc.limits.max_turns)) is not None:
        if len(rows) > doc.limits.max_turns:
            return too_many_turns(doc)
        return build_rows(doc, fmt, rows, warnings=[], collapsed=True)
    warnings: list[str] = []
    cues: list[_Cue] = []
    payload: list[tuple[int, str]] | None = None  # the lines of the cue being read, None between cues
    skipping = False
    pending: list[tuple[int, str]] = []  # lines between blocks: a cue id, or stray text
    max_turns = doc.limits.max_turns
    start = 0
    if fmt == "vtt":
        if lines and lines[0].lstrip().startswith("WEBVTT"):
            start = next((i for i, line in enumerate(lines) if not line.strip() or _ARROW in line), len(lines))
        else:
            warnings.append(Notice(f"{doc.source}:1", "input.no_webvtt_header"))
    for number in range(start, len(lines)):
        line = lines[number]
        if _ARROW in line and not skipping:  # a timing line holds the arrow
            timing = TIMING.match(line)
            if fmt == "srt" and payload and payload[-1][1].strip().isdigit():
                payload.pop()  # the next block's index, written without a blank line before it
            if len(pending) > 1:
                _flush_stray(pending[:-1], doc.source, warnings)
            pending.clear()
            if timing:
                begin, end = parse_clock(timing.group("start")), parse_clock(timing.group("end"))
            else:
                note = Notice(f"{doc.source}:{number + 1}", "input.bad_cue_timing", text=repr(excerpt(line, 60)))
                warnings.append(note)
                begin = end = None
            payload = []
            cues.append([begin, end, payload])
            if len(cues) > max_turns:
                break
        elif not line or line.isspace():
            payload = None
            skipping = False
            if pending:
                _flush_stray(pending, doc.source, warnings)
        elif skipping:
            continue
        elif payload is not None:
            payload.append((number + 1, line))
        elif fmt == "vtt" and not pending and line.split(maxsplit=1)[0] in _SKIPPED_BLOCKS:
            skipping = True
        else:
            pending.append((number + 1, line))
    _flush_stray(pending, doc.source, warnings)
    if len(cues) > max_turns:
        return too_many_turns(doc)
    labels = LabelReader()
    rows: list[tuple[Any, ...]] = []
    speaker = UNKNOWN_SPEAKER
    voiced = _VOICED_LINE.fullmatch
    names: dict[str | None, str] = {}  # voice name as written -> speaker
    for begin, end, payload in cues:
        segments: list[_Segment] = []
        for lineno, line in payload:
            found = voiced(line)
            if found is None:
                _add_line(segments, line, lineno, labels)
                continue
            # one voice span opening the line, no other tag: what _add_line makes of it
            written, chunk = found.groups()
            name = names.get(written)
            if name is None:
                name = names[written] = collapse(written or "") or UNKNOWN_SPEAKER
            segments.append([name, collapse(html.unescape(chunk) if "&" in chunk else chunk), lineno])
        for name, text, lineno in segments:
            speaker = name or speaker
            rows.append((speaker, text, begin, end, lineno))
        if len(rows) > max_turns:
            break
    return build_rows(doc, fmt, rows, warnings=warnings)


def _common_file(doc: Document) -> Transcript | ReadError | None:
    """A WebVTT file of common cues (as ``_common_vtt`` takes them) in the usual layout, read a column of
    lines at a time (no Python loop over the cues); None for any other file.

    The layout: a header of lines that are neither blank nor hold an arrow, an empty line, then the
    cues: an id line (in every cue or in none), the timing line, one ``<v Name>text`` line, and an
    empty line between two cues (after the last one too, or not). Each kind of line is then every
    third (or fourth) line of the file, and each check is one pass over a slice, in C.
    """
    content = doc.text or ""
    if not content.startswith("WEBVTT"):
        return None
    lines = content.split("\n")
    try:
        first = lines.index("", 1) + 1  # the first cue's first line, after the empty line ending the header
    except ValueError:
        return None
    if _ARROW in lines[0] or any(_ARROW in line or line.isspace() for line in lines[1 : first - 1]):
        return None  # _common_vtt's header ends elsewhere
    body = lines[first:]
    stride = 4 if body and body[0].isdigit() else 3  # with an id in every cue, or in none
    count, left = divmod(len(body) + 1, stride)  # left 0: no empty line after the last cue; 1: one
    if not count or left > 1 or any(body[stride - 1 :: stride]):
        return None  # not cues of `stride` lines, or a line between two cues that is not empty
    if stride == 4:
        ids = "".join(body[0::4])
        if "" in body[0::4] or not (ids.isdigit() and ids.isascii()):
            return None  # an id line is ASCII digits
    found = list(map(_timing, body[stride - 3 :: stride]))
    if None in found:
        return None  # a line that is not a common timing line
    if content.count(_ARROW) != count:
        return None  # an arrow in a voice line, or a second one in a timing line
    heads, gts, chunks = zip(*map(str.partition, body[stride - 2 :: stride], itertools.repeat(">")), strict=True)
    names = {}  # voice span as written ("<v Name") -> speaker
    for head in set(heads):
        if head[:2] not in ("<v", "<V") or (head[2:3] and not head[2].isspace()):
            return None  # not a voice span, or "<v.class Name>"
        names[head] = collapse(head[2:].lstrip()) or UNKNOWN_SPEAKER
    joined = " ".join(chunks)
    if "" in gts or "<" in joined:
        return None  # no ">", or another tag
    if "&" in joined:
        chunks = tuple(html.unescape(chunk) if "&" in chunk else chunk for chunk in chunks)
        joined = " ".join(chunks)
    texts = chunks if collapsed_joined(joined) else list(map(collapse, chunks))
    starts, ends = zip(*found, strict=True)
    voice_lines = range(first + stride - 1, first + stride - 1 + stride * count, stride)  # counted from 1
    return build_columns(doc, "vtt", list(map(names.__getitem__, heads)), texts, starts, ends, voice_lines)


def _timing(line: str) -> tuple[float | None, float | None] | None:
    """``(start, end)`` of a line that ``_common_vtt`` takes as a timing line, else None.

    Not remembered by line: the bench's generated files repeat a few hundred round timings,
    a real recogniser's times (to the millisecond) seldom come back.
    """
    timing = _COMMON_TIMING.fullmatch(line)
    return None if timing is None else (parse_clock(timing[1]), parse_clock(timing[2]))


# The timing line of a common cue (TIMING gives the same start and end for it).
_COMMON_TIMING = re.compile(rf"({_TS}) --> ({_TS})(?:\s.*)?")


def _common_vtt(lines: list[str], max_turns: int) -> list[tuple[Any, ...]] | None:
    """The rows of a WebVTT file made only of common cues, read a cue at a time with string methods;
    None for any other file, which ``_read`` then reads line by line.

    A common cue is an optional numeric id, a timing line, one payload line that is a single voice
    span ``<v Name>text`` without another tag, then a blank line or the end. The rows, and the lack
    of warnings, are what the line-by-line reading gives for such a file; more than ``max_turns``
    rows means the file is over the limit.
    """
    if not lines[0].startswith("WEBVTT") or _ARROW in lines[0]:
        return None
    # the header: the lines before the first one that is blank or holds an arrow
    size = len(lines)
    i = next((i for i in range(1, size) if not lines[i] or lines[i].isspace() or _ARROW in lines[i]), size)
    rows: list[tuple[Any, ...]] = []
    names: dict[str | None, str] = {}  # voice name as written -> speaker
    timing_line = _COMMON_TIMING.fullmatch
    while i < size:
        line = lines[i]
        if not line or line.isspace():
            i += 1
            continue
        if line.isdigit() and line.isascii():  # a cue id (it follows a blank line here)
            i += 1
            if i == size:
                return None
            line = lines[i]
        timing = timing_line(line)
        if timing is None or i + 1 == size:
            return None
        voice = lines[i + 1]
        after = lines[i + 2] if i + 2 < size else ""
        gt = voice.find(">")
        if voice[:2] not in ("<v", "<V") or gt < 0 or (after and not after.isspace()):
            return None  # not a voice span, or a cue of more than one line
        head, chunk = voice[2:gt], voice[gt + 1 :]
        if "<" in chunk or _ARROW in voice or (head and not head[0].isspace()):
            return None  # another tag, a second timing, or "<v.class Name>"
        written = head.lstrip() if head else None  # _VOICE's name group
        name = names.get(written)
        if name is None:
            name = names[written] = collapse(written or "") or UNKNOWN_SPEAKER
        text = collapse(html.unescape(chunk) if "&" in chunk else chunk)
        rows.append((name, text, parse_clock(timing[1]), parse_clock(timing[2]), i + 2))
        if len(rows) > max_turns:
            return rows
        i += 3
    return rows or None


def _add_line(segments: list[_Segment], line: str, lineno: int, labels: LabelReader) -> None:
    """Add one payload line to the cue's segments: voice spans and ``Name:`` prefixes open new segments."""
    parts = _VOICE.split(line)
    # parts: [text before any voice, name1, text1, name2, text2, ...]
    pieces: list[tuple[str | None, str]] = [(None, parts[0])]
    for i in range(1, len(parts), 2):
        pieces.append((collapse(parts[i] or "") or UNKNOWN_SPEAKER, parts[i + 1]))
    for name, chunk in pieces:
        if "<" in chunk:
            chunk = _TAG.sub(" ", chunk)
        text = collapse(html.unescape(chunk) if "&" in chunk else chunk)
        if name is None:
            if not text:
                continue
            split = labels.split(text.lstrip("-–— "), timed=False)
            if split:
                name, text = split
        if name is None and segments:
            segments[-1][1] += " " + text
        else:
            segments.append([name, text, lineno])


def _flush_stray(pending: list[tuple[int, str]], source: str, warnings: list[str]) -> None:
    """Warn about text outside any cue (a lone line before a timing line is a cue id, not stray)."""
    for lineno, line in pending:
        warnings.append(Notice(f"{source}:{lineno}", "input.stray_text", text=repr(excerpt(line, 60))))
    pending.clear()
