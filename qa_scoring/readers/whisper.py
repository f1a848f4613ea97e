"""Whisper / WhisperX JSON: ``segments[]`` with ``start``, ``end`` (seconds), ``text``, optional ``speaker``.

A WhisperX segment without ``speaker`` takes the speaker of most of its ``words`` (the first
one seen wins a tie); with neither, the speaker is ``UNKNOWN``. Segments without text are
dropped. A bare list of segments is read the same way.

Example::

    {"segments": [{"start": 0.5, "end": 3.2, "speaker": "SPEAKER_00",
                   "text": " terima kasih telah menghubungi pln 123"}]}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from qa_scoring.messages import Notice
from qa_scoring.model import ReadError, Transcript
from qa_scoring.readers.common import (
    MAX_OFFSET_SECONDS,
    UNKNOWN_SPEAKER,
    Document,
    build_rows,
    json_time,
)

FORMAT = "whisper"


def matches(data: object) -> bool:
    """True for a JSON object with a ``segments`` list, or a list of segment objects."""
    if isinstance(data, dict):
        return isinstance(data.get("segments"), list)
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(item, dict) and "text" in item and ("start" in item or "speaker" in item) for item in data)
    )


def read(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read one Whisper or WhisperX JSON document (already parsed into ``doc.data``)."""
    data = doc.data
    segments = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(segments, list):
        yield ReadError(doc.source, Notice("", "input.segments_not_list"), call_id=doc.stem)
        return
    warnings: list[str] = []
    rows: list[tuple[Any, ...]] = []
    max_turns = doc.limits.max_turns
    for index, segment in enumerate(segments):
        if len(rows) > max_turns:
            break  # build_rows says why
        if not isinstance(segment, dict):
            warnings.append(Notice(doc.source, "input.not_an_object", item=f"segments[{index}]"))
            continue
        text = segment.get("text")
        speaker = segment.get("speaker")
        if type(text) is not str or type(speaker) is not str or not (label := speaker.strip()):
            words = segment.get("words")
            if not isinstance(words, list):
                words = []
            if not isinstance(text, str):
                text = " ".join(str(w.get("word", "")) for w in words if isinstance(w, dict))
            label = _speaker(segment, words)
        start, end = segment.get("start"), segment.get("end")
        # a plain time in seconds is used as it is; anything else is checked by json_time
        if type(start) is not float or not 0.0 <= start <= MAX_OFFSET_SECONDS:
            start = json_time(segment, "start", f"{doc.source}: segments[{index}]", warnings)
        if type(end) is not float or not 0.0 <= end <= MAX_OFFSET_SECONDS:
            end = json_time(segment, "end", f"{doc.source}: segments[{index}]", warnings)
        rows.append((label, text, start, end, None))
    yield build_rows(doc, FORMAT, rows, warnings=warnings)


def _speaker(segment: dict, words: list) -> str:
    """The segment's speaker, else the majority speaker of its words, else UNKNOWN."""
    speaker = segment.get("speaker")
    if type(speaker) is str:
        label = speaker.strip()
        if label:
            return label
    elif isinstance(speaker, str | int) and not isinstance(speaker, bool) and str(speaker).strip():
        return str(speaker).strip()
    votes = Counter(
        str(w["speaker"]).strip()
        for w in words
        if isinstance(w, dict) and isinstance(w.get("speaker"), str | int) and str(w["speaker"]).strip()
    )
    if votes:
        return votes.most_common(1)[0][0]
    return UNKNOWN_SPEAKER
