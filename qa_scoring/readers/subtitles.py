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
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from qa_scoring.messages import Notice
from qa_scoring.model import ReadError, Transcript
from qa_scoring.readers.common import (
    UNKNOWN_SPEAKER,
    Document,
    LabelReader,
    RawTurn,
    build_transcript,
    collapse,
    excerpt,
    parse_clock,
    too_many,
    too_many_turns,
)

_TS = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
TIMING = re.compile(rf"^\s*(?P<start>{_TS})\s*-->\s*(?P<end>{_TS})(?:\s.*)?$")
_ARROW = "-->"
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+(?P<name>[^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass
class _Segment:
    """The part of a cue said by one speaker (None: the speaker is not named in the cue)."""

    speaker: str | None
    text: str
    line: int


@dataclass
class _Cue:
    """A cue: its timing, its payload lines, and the segments read from them."""

    start: float | None
    end: float | None
    lines: list[tuple[int, str]] = field(default_factory=list)
    segments: list[_Segment] = field(default_factory=list)


def read_vtt(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read one WebVTT file."""
    yield _read(doc, "vtt")


def read_srt(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read one SubRip file."""
    yield _read(doc, "srt")


def _read(doc: Document, fmt: str) -> Transcript | ReadError:
    """Parse the cues line by line, then turn their segments into turns."""
    lines = (doc.text or "").split("\n")
    warnings: list[str] = []
    labels = LabelReader()
    cues: list[_Cue] = []
    cue: _Cue | None = None
    skipping = False
    pending: list[tuple[int, str]] = []  # lines between blocks: a cue id, or stray text
    start = 0
    if fmt == "vtt":
        if lines and lines[0].lstrip().startswith("WEBVTT"):
            start = next((i for i, line in enumerate(lines) if not line.strip() or _ARROW in line), len(lines))
        else:
            warnings.append(Notice(f"{doc.source}:1", "input.no_webvtt_header"))
    for number in range(start, len(lines)):
        line = lines[number]
        lineno = number + 1
        if not line.strip():
            cue = None
            skipping = False
            if pending:
                _flush_stray(pending, doc.source, warnings)
            continue
        if skipping:
            continue
        timing = TIMING.match(line) if _ARROW in line else None  # a timing line holds the arrow
        if timing or _ARROW in line:
            if fmt == "srt" and cue is not None and cue.lines and cue.lines[-1][1].strip().isdigit():
                cue.lines.pop()  # the next block's index, written without a blank line before it
            if len(pending) > 1:
                _flush_stray(pending[:-1], doc.source, warnings)
            pending.clear()
            if timing:
                begin, end = parse_clock(timing.group("start")), parse_clock(timing.group("end"))
            else:
                warnings.append(Notice(f"{doc.source}:{lineno}", "input.bad_cue_timing", text=repr(excerpt(line, 60))))
                begin = end = None
            cue = _Cue(begin, end)
            cues.append(cue)
            if len(cues) > doc.limits.max_turns:
                break
            continue
        if cue is None:
            if fmt == "vtt" and not pending and line.split(maxsplit=1)[0] in _SKIPPED_BLOCKS:
                skipping = True
                continue
            pending.append((lineno, line))
            continue
        cue.lines.append((lineno, line))
    _flush_stray(pending, doc.source, warnings)
    if len(cues) > doc.limits.max_turns:
        return too_many_turns(doc)
    raw: list[RawTurn] = []
    speaker = UNKNOWN_SPEAKER
    for item in cues:
        for lineno, line in item.lines:
            _add_line(item, line, lineno, labels)
        for segment in item.segments:
            speaker = segment.speaker or speaker
            raw.append(RawTurn(speaker, segment.text, item.start, item.end, segment.line))
        if too_many(raw, doc):
            break
    return build_transcript(doc, fmt, raw, warnings=warnings)


def _add_line(cue: _Cue, line: str, lineno: int, labels: LabelReader) -> None:
    """Add one payload line to the cue: voice spans and ``Name:`` prefixes open new segments."""
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
        if name is None and cue.segments:
            cue.segments[-1].text += " " + text
        else:
            cue.segments.append(_Segment(name, text, lineno))


def _flush_stray(pending: list[tuple[int, str]], source: str, warnings: list[str]) -> None:
    """Warn about text outside any cue (a lone line before a timing line is a cue id, not stray)."""
    for lineno, line in pending:
        warnings.append(Notice(f"{source}:{lineno}", "input.stray_text", text=repr(excerpt(line, 60))))
    pending.clear()
