"""The readers' fast paths give what the plain code gives (issue 10, "Fast and flat").

The plain versions below are the readers as they were before the fast paths (label rules,
text lines, subtitle cues, Whisper segments, turn building, decoding, roles, display paths):
each test reads hand-picked edge cases and generated input both ways and requires the same
Transcripts, errors and warnings.
"""

from __future__ import annotations

import html
import json
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qa_scoring.readers.subtitles as subtitles
from qa_scoring.limits import Limits
from qa_scoring.messages import Notice
from qa_scoring.model import CallMeta, ReadError, Transcript, Turn, make_meta, make_turn
from qa_scoring.pipeline import display_path
from qa_scoring.readers import _CLOCK_IN_BRACKETS, _first_line, _looks_table, read_source, table, text, whisper
from qa_scoring.readers.common import (
    _GENERIC_LABEL,
    _LABEL_SPLIT,
    _LONG_TURN,
    _NOT_IN_LABEL,
    _NUMBER_ONLY,
    UNKNOWN_SPEAKER,
    Document,
    LabelReader,
    _capitalised,
    _long_turn,
    clean_text,
    collapse,
    json_time,
    parse_clock,
    printable_name,
    role_of,
    too_many_turns,
)
from qa_scoring.readers.encoding import (
    _ALLOWED_CONTROLS,
    _MAX_BAD_SHARE,
    BINARY,
    EMPTY,
    TRUNCATED_UTF16,
    DecodeError,
    _utf16_without_bom,
    decode,
)
from qa_scoring.roles import _sample, assign_roles, joined_script_score, script_score
from qa_scoring.rules import load_rules

SMALL = Limits(max_turns=12, max_turn_chars=80)

# ---------------------------------------------------------------------------------------------
# The plain versions


class PlainLabelReader:
    """LabelReader before label_facts: every rule worked out on every line."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.timed = 0
        self.untimed = 0

    def split(self, line: str, *, timed: bool) -> tuple[str, str] | None:
        match = _LABEL_SPLIT.match(line)
        if not match:
            return None
        label = collapse(match.group("label"))
        rest = match.group("rest")
        if not self.is_label(label, rest, timed=timed):
            return None
        self.seen.add(label.casefold())
        if timed:
            self.timed += 1
        else:
            self.untimed += 1
        return label, rest.strip()

    def is_label(self, label: str, rest: str, *, timed: bool) -> bool:
        if not label or _NOT_IN_LABEL.search(label) or rest.startswith("//"):
            return False
        if label[-1].isdigit() and rest[:1].isdigit():
            return False
        words = label.split()
        if label.casefold() in self.seen:
            return True
        if len(words) <= 4 and role_of(label) != "unknown":
            return True
        if _GENERIC_LABEL.match(label) and (len(label) > 1 or label.isupper()):
            return True
        if timed:
            return len(words) <= 4
        if self.timed and not self.untimed:
            return False
        if _NUMBER_ONLY.match(rest):
            return False
        return len(words) <= 3 and _capitalised(words)


@dataclass
class PlainRawTurn:
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    line: int | None = None


def plain_build(
    doc: Document,
    fmt: str,
    raw: list[PlainRawTurn],
    *,
    call_id: str | None = None,
    meta: CallMeta | None = None,
    warnings: list[str] | None = None,
) -> Transcript | ReadError:
    """build_transcript before build_rows."""
    limits = doc.limits
    if len(raw) > limits.max_turns:
        return too_many_turns(doc, call_id)
    turns: list[Turn] = []
    speakers: dict[str, tuple[str, Any]] = {}
    from_json = doc.data is not None
    for item in raw:
        words = collapse(item.text)
        if from_json and not words.isascii():
            words = clean_text(words)
        if not words:
            continue
        if len(words) > limits.max_turn_chars:
            words = _long_turn(words, limits.max_turn_chars)
            where = f"{doc.source}:{item.line}" if item.line else doc.source
            warnings = [*(warnings or ()), f"{where}: {_LONG_TURN.format(half=limits.max_turn_chars // 2)}"]
        known = speakers.get(item.speaker)
        if known is None:
            label = (clean_text(collapse(item.speaker)) if from_json else collapse(item.speaker)) or UNKNOWN_SPEAKER
            known = speakers[item.speaker] = (label, role_of(label))
        turns.append(Turn(len(turns), known[0], words, item.start, item.end, item.line, known[1]))
    cid = clean_text(call_id or doc.stem)
    if not turns:
        return ReadError(doc.source, Notice("", "input.no_turns", format=fmt), call_id=cid)
    basis = "labels" if all(t.role != "unknown" for t in turns) else ""
    return Transcript(cid, doc.source, fmt, tuple(turns), meta or CallMeta(), basis, tuple(warnings or ()))


def plain_text(doc: Document) -> Transcript | ReadError:
    """The text reader before its common-line regular expression: _parse_line on every line."""
    lines = (doc.text or "").split("\n")
    warnings: list[str] = []
    body, meta = text._front_matter(lines, doc.source, warnings)
    labels = PlainLabelReader()
    raw: list[PlainRawTurn] = []
    for number in range(body, len(lines)):
        line = lines[number]
        if not line.strip() or (line.lstrip()[:1] in text._RULE_CHARS and text._RULE_LINE.match(line)):
            continue
        lineno = number + 1
        turn = text._parse_line(line, labels)  # type: ignore[arg-type]
        if turn is not None:
            label, words, start, end = turn
            raw.append(PlainRawTurn(label, words, start, end, lineno))
            if len(raw) > doc.limits.max_turns:
                break
        elif raw:
            raw[-1].text += " " + text._without_stamp(line)
        else:
            notice = Notice(f"{doc.source}:{lineno}", "input.text_before_label", text=repr(text._short(line)))
            warnings.append(notice)
    return plain_build(doc, "text", raw, call_id=meta.call_id, meta=meta, warnings=warnings)


@dataclass
class _PlainSegment:
    speaker: str | None
    text: str
    line: int


@dataclass
class _PlainCue:
    start: float | None
    end: float | None
    lines: list[tuple[int, str]] = field(default_factory=list)
    segments: list[_PlainSegment] = field(default_factory=list)


def plain_subtitles(doc: Document, fmt: str) -> Transcript | ReadError:
    """The subtitle reader before its common-cue path and its list-based cues."""
    arrow = "-->"
    lines = (doc.text or "").split("\n")
    warnings: list[str] = []
    labels = PlainLabelReader()
    cues: list[_PlainCue] = []
    cue: _PlainCue | None = None
    skipping = False
    pending: list[tuple[int, str]] = []
    start = 0
    if fmt == "vtt":
        if lines and lines[0].lstrip().startswith("WEBVTT"):
            start = next((i for i, line in enumerate(lines) if not line.strip() or arrow in line), len(lines))
        else:
            warnings.append(Notice(f"{doc.source}:1", "input.no_webvtt_header"))
    for number in range(start, len(lines)):
        line = lines[number]
        lineno = number + 1
        if not line.strip():
            cue = None
            skipping = False
            if pending:
                subtitles._flush_stray(pending, doc.source, warnings)
            continue
        if skipping:
            continue
        timing = subtitles.TIMING.match(line) if arrow in line else None
        if timing or arrow in line:
            if fmt == "srt" and cue is not None and cue.lines and cue.lines[-1][1].strip().isdigit():
                cue.lines.pop()
            if len(pending) > 1:
                subtitles._flush_stray(pending[:-1], doc.source, warnings)
            pending.clear()
            if timing:
                begin, end = parse_clock(timing.group("start")), parse_clock(timing.group("end"))
            else:
                notice = Notice(
                    f"{doc.source}:{lineno}", "input.bad_cue_timing", text=repr(subtitles.excerpt(line, 60))
                )
                warnings.append(notice)
                begin = end = None
            cue = _PlainCue(begin, end)
            cues.append(cue)
            if len(cues) > doc.limits.max_turns:
                break
            continue
        if cue is None:
            if fmt == "vtt" and not pending and line.split(maxsplit=1)[0] in subtitles._SKIPPED_BLOCKS:
                skipping = True
                continue
            pending.append((lineno, line))
            continue
        cue.lines.append((lineno, line))
    subtitles._flush_stray(pending, doc.source, warnings)
    if len(cues) > doc.limits.max_turns:
        return too_many_turns(doc)
    raw: list[PlainRawTurn] = []
    speaker = UNKNOWN_SPEAKER
    for item in cues:
        for lineno, line in item.lines:
            _plain_add_line(item, line, lineno, labels)
        for segment in item.segments:
            speaker = segment.speaker or speaker
            raw.append(PlainRawTurn(speaker, segment.text, item.start, item.end, segment.line))
        if len(raw) > doc.limits.max_turns:
            break
    return plain_build(doc, fmt, raw, warnings=warnings)


def _plain_add_line(cue: _PlainCue, line: str, lineno: int, labels: PlainLabelReader) -> None:
    parts = subtitles._VOICE.split(line)
    pieces: list[tuple[str | None, str]] = [(None, parts[0])]
    for i in range(1, len(parts), 2):
        pieces.append((collapse(parts[i] or "") or UNKNOWN_SPEAKER, parts[i + 1]))
    for name, chunk in pieces:
        if "<" in chunk:
            chunk = subtitles._TAG.sub(" ", chunk)
        words = collapse(html.unescape(chunk) if "&" in chunk else chunk)
        if name is None:
            if not words:
                continue
            split = labels.split(words.lstrip("-–— "), timed=False)
            if split:
                name, words = split
        if name is None and cue.segments:
            cue.segments[-1].text += " " + words
        else:
            cue.segments.append(_PlainSegment(name, words, lineno))


def plain_whisper(doc: Document) -> Transcript | ReadError:
    """The Whisper reader before its speaker fast path."""
    data = doc.data
    segments = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(segments, list):
        return ReadError(doc.source, Notice("", "input.segments_not_list"), call_id=doc.stem)
    warnings: list[str] = []
    raw: list[PlainRawTurn] = []
    for index, segment in enumerate(segments):
        if len(raw) > doc.limits.max_turns:
            break
        if not isinstance(segment, dict):
            warnings.append(Notice(doc.source, "input.not_an_object", item=f"segments[{index}]"))
            continue
        said = segment.get("text")
        words = segment.get("words") if isinstance(segment.get("words"), list) else []
        if not isinstance(said, str):
            said = " ".join(str(w.get("word", "")) for w in words if isinstance(w, dict))
        where = f"{doc.source}: segments[{index}]"
        start = json_time(segment, "start", where, warnings)
        end = json_time(segment, "end", where, warnings)
        raw.append(PlainRawTurn(whisper._speaker(segment, words), said, start, end))
    return plain_build(doc, "whisper", raw, warnings=warnings)


def plain_decode(data: bytes) -> tuple[str, str]:
    """decode before its single UTF-8 decoding and its ASCII control-byte pass."""
    if not data:
        raise DecodeError(EMPTY)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith(b"\xff\xfe"):
        encoding = "utf-16-le"
    elif data.startswith(b"\xfe\xff"):
        encoding = "utf-16-be"
    elif b"\x00" in data:
        encoding = _utf16_without_bom(data)
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    if encoding == "binary":
        raise DecodeError(BINARY)
    if encoding.startswith("utf-16") and len(data) % 2:
        raise DecodeError(TRUNCATED_UTF16)
    decoded = data.decode(encoding, errors="replace")
    if decoded.startswith("\ufeff"):
        decoded = decoded[1:]
    decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
    if not decoded.strip():
        raise DecodeError(EMPTY)
    bad = sum(
        1
        for ch in decoded
        if ch == "\ufffd" or (ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"))
    )
    if "\x00" in decoded or bad > _MAX_BAD_SHARE * len(decoded):
        raise DecodeError(BINARY)
    return decoded, encoding


def plain_display_path(path: Path) -> str:
    shown = str(path)
    if path.is_absolute():
        try:
            rel = os.path.relpath(path)
        except ValueError:
            rel = ".."
        shown = shown if rel.startswith("..") else rel
    return printable_name(shown)


def plain_merged(meta: CallMeta, fallback: CallMeta) -> CallMeta:
    values = {
        name: getattr(fallback, name)
        for name in meta.__dataclass_fields__
        if getattr(meta, name) is None and getattr(fallback, name) is not None
    }
    return replace(meta, **values) if values else meta


def plain_assign_roles(transcript: Transcript, rules: Any) -> Transcript:
    """assign_roles before its one-pass speaker texts and its copies without dataclasses.replace."""
    turns = transcript.turns
    unknown = list(dict.fromkeys(t.speaker for t in turns if t.role == "unknown"))
    if not unknown:
        return replace(transcript, role_basis=transcript.role_basis or "labels")
    if any(t.role == "agent" for t in turns):
        roles = dict.fromkeys(unknown, "customer")
        basis = f"labels; unlabelled speaker(s) {', '.join(unknown)} taken as customer"
    else:
        texts = {spk: [t.text for t in turns if t.speaker == spk] for spk in unknown}
        scores = {spk: script_score(_sample(texts[spk], 3, 0), rules) for spk in unknown}
        if sorted(scores.values())[-2:] != [0, max(scores.values())] or max(scores.values()) == 0:
            scores = {spk: script_score(_sample(texts[spk]), rules) for spk in unknown}
        if max(scores.values()) < 2:
            scores = {spk: joined_script_score(texts[spk], rules) for spk in unknown}
        best = max(unknown, key=lambda s: (scores[s], -unknown.index(s)))
        if scores[best] > 0:
            agent = best
            detail = ", ".join(f"{s}: {scores[s]}" for s in unknown)
            basis = f"inferred: {agent} carries the agent's script (phrases found {detail})"
        elif any(t.role == "customer" for t in turns):
            agent = unknown[0]
            basis = f"inferred: {agent} is the speaker other than the labelled customer"
        else:
            return replace(transcript, role_basis="no speaker carries the agent's script")
        roles = {spk: ("agent" if spk == agent else "customer") for spk in unknown}
    new_turns = tuple(replace(t, role=roles[t.speaker]) if t.role == "unknown" else t for t in turns)
    return replace(transcript, turns=new_turns, role_basis=basis)


# ---------------------------------------------------------------------------------------------
# Helpers


def _doc(content: str, suffix: str, limits: Limits = SMALL, data: object = None) -> Document:
    return Document(Path(f"call{suffix}"), f"call{suffix}", text=content, data=data, limits=limits)


def _same(fast: object, plain: object) -> None:
    assert fast == plain
    if isinstance(fast, Transcript) and isinstance(plain, Transcript):
        assert [repr(t) for t in fast.turns] == [repr(t) for t in plain.turns]
        assert [str(w) for w in fast.warnings] == [str(w) for w in plain.warnings]
    elif isinstance(fast, ReadError) and isinstance(plain, ReadError):
        assert fast.describe() == plain.describe()


def _one(items: Iterator[Transcript | ReadError]) -> Transcript | ReadError:
    (item,) = list(items)
    return item


# ---------------------------------------------------------------------------------------------
# Labels

LABEL_PARTS = [
    "CSO",
    "cso",
    "PELANGGAN",
    "SPEAKER_00",
    "Speaker 1",
    "A",
    "a",
    "Budi",
    "Budi Santoso",
    "Nomor Rekening",
    "ID Pelanggan",
    "jadi begini",
    "Agent (Rina)",
    "CSO  2",
    "pukul 10",
    "https",
    "Saya Mau Tanya Lagi Ya",
    "x" * 49,
    "  CSO",
    "-CSO",
    "–CSO",
    "—CSO",
    "|A",
    "CSO?",
    "é",
    "\u00a0CSO",
]
REST_PARTS = [" halo", "", " 5123 4567", "//pln.co.id", "30 pagi", "  iya  pak ", " a: b", "\tok"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABEL_PARTS), st.sampled_from(REST_PARTS), st.booleans()), max_size=8))
def test_label_reader_equals_plain(lines: list[tuple[str, str, bool]]) -> None:
    fast, plain = LabelReader(), PlainLabelReader()
    for label, rest, timed in lines:
        assert fast.split(f"{label}:{rest}", timed=timed) == plain.split(f"{label}:{rest}", timed=timed)
        assert (fast.seen, fast.timed, fast.untimed) == (plain.seen, plain.timed, plain.untimed)


# ---------------------------------------------------------------------------------------------
# Text lines

STAMPS = [
    "[00:00:01] ",
    "[00:01] ",
    "[1:02:03.5] ",
    "[00:00:61] ",
    "[00:00:01]",
    "(00:01) ",
    "00:01 ",
    "[00:01 - 00:02] ",
]
STAMPS += ["[٠٠:٠١] ", "[00:00:01]  ", "[00:00:01] - ", "[00:00:01] | ", ""]
TEXTS = ["halo pak", "", "  iya ", "pukul 10:30", "//x", "a  b\tc", "€ é", "x" * 100]
TEXT_LINES = st.one_of(
    st.builds(
        lambda s, lab, rest: f"{s}{lab}:{rest}",
        st.sampled_from(STAMPS),
        st.sampled_from(LABEL_PARTS),
        st.sampled_from(TEXTS),
    ),
    st.builds(lambda s, t: f"{s}{t}", st.sampled_from(STAMPS), st.sampled_from(TEXTS)),
    st.sampled_from(["", "   ", "---", "***", "CSO [00:01]: halo", "[00:01] [00:02] CSO: x", "[1000:00] CSO: a"]),
    st.text(alphabet="[]0:1 CSOab-\t", max_size=20),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT_LINES, max_size=16), st.booleans())
def test_text_reader_equals_plain(lines: list[str], front: bool) -> None:
    content = "\n".join((["---", "call_id: X-1", "---"] if front else []) + lines)
    doc = _doc(content, ".txt")
    _same(_one(text.read(doc)), plain_text(doc))


def test_text_reader_edge_cases() -> None:
    cases = [
        "[00:00:01] CSO: halo\n[00:00:02] PELANGGAN: iya\nlanjut\n[00:00:99] CSO: x",
        "[00:00:01] - CSO: dash\n[00:00:01] |A: bar\n[00:00:01]  CSO: two spaces",
        "[00:00:01] CSO: a\n" * 13,  # over SMALL.max_turns
        "[00:00:01] " + "x" * 49 + ": long label\n[00:00:01] " + "x" * 48 + ": label",
        "[00:00:01] jadi begini: sentence\n[00:00:01] Saya Mau Tanya Lagi Ya: five words",
        "[00:00:01] –CSO: en dash\n[00:00:01] —CSO: em dash\n[00:00:01] -PELANGGAN: hyphen",
        "[00:00:01] CSO: halo\n[00:00:02] cso: lagi\n[00:00:03] Nomor Rekening Saya Ini: 5123",
    ]
    for content in cases:
        doc = _doc(content, ".txt")
        _same(_one(text.read(doc)), plain_text(doc))


# ---------------------------------------------------------------------------------------------
# Subtitles

TIMINGS = [
    "00:00:01.000 --> 00:00:02.000",
    "00:01.000 --> 00:02.000",
    "00:00:01,000 --> 00:00:02,000",
    "00:00:01.000 --> 00:00:02.000 align:start",
    "00:00:01.000-->00:00:02.000",
    " 00:00:01.000 --> 00:00:02.000",
    "00:00:99.000 --> 00:01:00.000",
    "00:00:01.0000 --> 00:00:02.000",
    "bad --> timing",
]
PAYLOADS = [
    "<v CSO>halo pak",
    "<V PELANGGAN>iya",
    "<v  Budi  Santoso >a  b",
    "<v>tanpa nama",
    "<v.loud CSO>keras",
    "<vx>bukan suara",
    "<v CSO>a <b>tebal</b>",
    "<v CSO>a &amp; b",
    "<v CSO>a --> b",
    "<v CSO>",
    "CSO: label",
    "tanpa label",
    "12",
    "<v CSO>a<v PELANGGAN>b",
    "<v\tCSO>tab",
    "<v CSO >{\\an8}x",
]
CUE_PARTS = st.one_of(
    st.sampled_from(TIMINGS),
    st.sampled_from(PAYLOADS),
    st.sampled_from(["", "", "", "  ", "1", "42", "NOTE x", "STYLE", "abc"]),
)


def _cue_file(header: str, parts: list[str]) -> str:
    return "\n".join(([header] if header is not None else []) + parts)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["WEBVTT", "WEBVTT - title", " WEBVTT", "WEBVTT\nKind: captions", "", "X"]),
    st.lists(CUE_PARTS, max_size=20),
)
def test_subtitle_readers_equal_plain(header: str, parts: list[str]) -> None:
    content = _cue_file(header, parts)
    for fmt, suffix in (("vtt", ".vtt"), ("srt", ".srt")):
        doc = _doc(content, suffix)
        _same(subtitles._read(doc, fmt), plain_subtitles(doc, fmt))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "7\n"]),
            st.sampled_from(TIMINGS[:4]),
            st.sampled_from(PAYLOADS[:10]),
            st.sampled_from(["\n", "\n\n", "\n\n\n", "\n \n", ""]),
        ),
        min_size=1,
        max_size=14,
    )
)
def test_common_vtt_files_equal_plain(cues: list[tuple[str, str, str, str]]) -> None:
    """Files close to the common shape, where the common-cue path is taken or given up part way."""
    content = "WEBVTT\n\n" + "".join(f"{cue_id}{timing}\n{payload}{gap}" for cue_id, timing, payload, gap in cues)
    doc = _doc(content, ".vtt")
    _same(subtitles._read(doc, "vtt"), plain_subtitles(doc, "vtt"))


def test_common_vtt_path_is_taken_for_common_files() -> None:
    content = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v CSO>halo &amp; selamat\n\n00:00:03.000 --> 00:00:04.000\n<v>iya"
    )
    lines = content.split("\n")
    rows = subtitles._common_vtt(lines, 100)
    assert rows == [("CSO", "halo & selamat", 1.0, 2.0, 5), (UNKNOWN_SPEAKER, "iya", 3.0, 4.0, 8)]
    doc = _doc(content, ".vtt")
    _same(subtitles._read(doc, "vtt"), plain_subtitles(doc, "vtt"))
    assert subtitles._common_vtt(["WEBVTT", "", "00:00:01.000 --> 00:00:02.000", "<v CSO>a", "b"], 100) is None


# ---------------------------------------------------------------------------------------------
# Whisper

SEGMENT = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(st.sampled_from([" halo  pak", "", "iya", "\ud800x", "é"]), st.integers()),
        "speaker": st.one_of(st.sampled_from(["SPEAKER_00", " CSO ", "", "  "]), st.integers(), st.booleans()),
        "start": st.one_of(st.floats(allow_nan=True), st.integers(-5, 10**7), st.sampled_from(["1.5", None])),
        "end": st.one_of(st.floats(0, 10), st.none()),
        "words": st.lists(
            st.fixed_dictionaries(
                {}, optional={"word": st.sampled_from(["a", "b"]), "speaker": st.sampled_from(["S1", "S2", 3])}
            ),
            max_size=3,
        ),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(SEGMENT, st.integers()), max_size=15))
def test_whisper_reader_equals_plain(segments: list[Any]) -> None:
    data = {"segments": segments}
    doc = _doc(json.dumps(data), ".json", data=data)
    _same(_one(whisper.read(doc)), plain_whisper(doc))


# ---------------------------------------------------------------------------------------------
# Decoding and format detection


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=60),
        st.text(alphabet="ab \t\r\n\x00\x01\x0b\x7f\x85é€\ufffd", max_size=60).map(lambda t: t.encode("utf-8")),
        st.text(max_size=40).map(lambda t: t.encode("utf-16-le", "surrogatepass")),
        st.text(alphabet="abc \n\x07", max_size=300).map(lambda t: t.encode("ascii")),
    )
)
def test_decode_equals_plain(data: bytes) -> None:
    try:
        plain: object = plain_decode(data)
    except DecodeError as exc:
        plain = ("error", exc.message)
    try:
        fast: object = decode(data)
    except DecodeError as exc:
        fast = ("error", exc.message)
    assert fast == plain


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\s*\[\s*[0-9]{1,40}\s*:", fullmatch=False), st.text(max_size=20))
def test_clock_in_brackets_is_never_json(head: str, tail: str) -> None:
    content = head + tail
    if _CLOCK_IN_BRACKETS.match(content.lstrip()):
        with pytest.raises(json.JSONDecodeError):
            json.loads(content)


@pytest.mark.parametrize("content", ["[1, 2]", "[ 12 ]", "[1]", "[0.5, 1]", '[1, "a:b"]', "[]"])
def test_json_arrays_are_not_taken_for_clocks(content: str) -> None:
    json.loads(content)
    assert _CLOCK_IN_BRACKETS.match(content) is None


def _plain_looks_table(content: str) -> bool:
    header = next((line for line in content.split("\n") if line.strip()), "")
    delimiter = table.sniff_delimiter(header)
    try:
        names = next(iter(table.csv_rows(header, delimiter)))[1]
    except (StopIteration, table.TableError):
        return False
    columns = table.find_columns([str(name) for name in names])
    return all(role in columns for role in table.REQUIRED)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["", " ", "\t", "call_id", "speaker", "text", ",", ";", '"', "id", "x", "\n", "\r"]),
        max_size=14,
    )
)
def test_table_sniffing_equals_plain(pieces: list[str]) -> None:
    content = "".join(pieces)
    assert _first_line(content) == next((line for line in content.split("\n") if line.strip()), "")
    assert _looks_table(content) == _plain_looks_table(content)


@pytest.mark.parametrize(
    "content",
    [
        "call_id\tspeaker\ttext\nA\tCSO\thalo",
        "\n  \ncall_id;speaker;text",
        "call_id,speaker,text",
        '"call_id,speaker,text"',
        "[00:01] CSO: a, b",
    ],
)
def test_table_headers_equal_plain(content: str) -> None:
    assert _looks_table(content) == _plain_looks_table(content)


# ---------------------------------------------------------------------------------------------
# Whole files through read_source


def test_labelled_files_read_as_before() -> None:
    """Every transcript of the labelled folders gives what the plain readers give."""
    root = Path(__file__).resolve().parent
    readers = {".txt": lambda d: plain_text(d), ".vtt": lambda d: plain_subtitles(d, "vtt")}
    seen = 0
    for path in sorted([*(root / "data").rglob("*"), *(root.parent / "sample_transcripts").rglob("*")]):
        suffix = path.suffix.lower()
        if suffix not in readers or not path.is_file():
            continue
        items = list(read_source(path))
        if len(items) != 1 or not isinstance(items[0], Transcript) or items[0].format != suffix[1:]:
            continue
        doc = Document(path, str(path), text=decode(path.read_bytes())[0])
        _same(items[0], readers[suffix](doc))
        seen += 1
    assert seen > 50


# ---------------------------------------------------------------------------------------------
# Roles, metadata, display paths


@pytest.fixture(scope="module")
def rules() -> Any:
    return load_rules()


ROLE_TEXTS = [
    "selamat siang terima kasih telah menghubungi pln 123 ada yang bisa dibantu",
    "saya mau tambah daya",
    "baik mohon maaf atas ketidaknyamanannya boleh dibantu id pelanggannya",
    "iya betul",
    "mohon ditunggu",
    "terima kasih",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["SPEAKER_00", "SPEAKER_01", "CSO", "PELANGGAN", "X"]),
            st.sampled_from(ROLE_TEXTS),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["", "labels"]),
)
def test_assign_roles_equals_plain(rules: Any, turns: list[tuple[str, str]], basis: str) -> None:
    made = tuple(make_turn(i, spk, said, None, None, None, role_of(spk)) for i, (spk, said) in enumerate(turns))
    transcript = Transcript("c", "c.txt", "text", made, CallMeta(), basis)
    fast, plain = assign_roles(transcript, rules), plain_assign_roles(transcript, rules)
    assert fast == plain and [repr(t) for t in fast.turns] == [repr(t) for t in plain.turns]


META_VALUES = st.fixed_dictionaries(
    {},
    optional={
        "call_id": st.sampled_from(["A", "B"]),
        "agent_id": st.sampled_from(["CSO-1"]),
        "klb": st.booleans(),
        "topic": st.none(),
    },
)


@given(META_VALUES, META_VALUES)
def test_meta_fast_paths_equal_plain(mine: dict[str, Any], theirs: dict[str, Any]) -> None:
    meta, fallback = make_meta(mine), CallMeta(**theirs)
    assert meta == CallMeta(**mine) and repr(meta) == repr(CallMeta(**mine))
    assert meta.merged(fallback) == plain_merged(CallMeta(**mine), fallback)
    with pytest.raises(TypeError):
        make_meta({"not_a_field": 1})


def test_transcript_copy_equals_replace() -> None:
    transcript = Transcript("c", "c.txt", "text", (Turn(0, "CSO", "halo"),), CallMeta(), "")
    assert transcript.copy_with(role_basis="labels") == replace(transcript, role_basis="labels")
    assert Turn(0, "A", "x").with_role("agent") == Turn(0, "A", "x", role="agent")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "..", ".", ".x", "..y", "tmp", "work", "", "c d", "\udcff"]), max_size=5),
    st.sampled_from(["/", "//", "", "CWD/", "CWD"]),
)
def test_display_path_equals_plain(parts: list[str], lead: str) -> None:
    cwd = os.getcwd()
    text_path = lead.replace("CWD", cwd) + "/".join(parts)
    path = Path(text_path or ".")
    assert display_path(path) == plain_display_path(path)
