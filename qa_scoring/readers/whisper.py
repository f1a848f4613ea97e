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

from qa_scoring.messages import Notice
from qa_scoring.model import ReadError, Role, Transcript, Turn, make_turn
from qa_scoring.readers.common import (
    _LONG_TURN,
    MAX_OFFSET_SECONDS,
    UNKNOWN_SPEAKER,
    Document,
    _long_turn,
    clean_text,
    collapse,
    finish,
    json_time,
    role_of,
    too_many_turns,
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
    # each segment read and made a turn in one pass: what build_rows makes of the segments' rows
    limits = doc.limits
    max_turns, max_chars = limits.max_turns, limits.max_turn_chars
    turns: list[Turn] = []
    append = turns.append
    speakers: dict[str, tuple[str, Role]] = {}  # label as read -> (label, role)
    labelled = True
    long_turns: list[str] = []  # build_rows' warnings, after the reader's
    rows = 0
    for index, segment in enumerate(segments):
        if not isinstance(segment, dict):
            warnings.append(Notice(doc.source, "input.not_an_object", item=f"segments[{index}]"))
            continue
        rows += 1
        if rows > max_turns:
            yield too_many_turns(doc)
            return
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
        if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
            text = collapse(text)
        if not text.isascii():
            text = clean_text(text)  # a JSON escape may hold a lone surrogate
        if not text:
            continue
        if len(text) > max_chars:
            text = _long_turn(text, max_chars)
            long_turns.append(f"{doc.source}: {_LONG_TURN.format(half=max_chars // 2)}")
        known = speakers.get(label)
        if known is None:
            name = clean_text(collapse(label)) or UNKNOWN_SPEAKER
            known = speakers[label] = (name, role_of(name))
            labelled = labelled and known[1] != "unknown"
        append(make_turn(len(turns), known[0], text, start, end, None, known[1]))
    yield finish(doc, FORMAT, tuple(turns), labelled, warnings=warnings + long_turns)


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
