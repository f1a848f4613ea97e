"""Helpers shared by the readers: the input document, speaker roles, clock times, turn building."""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from qa_scoring.limits import DEFAULT_LIMITS, Limits
from qa_scoring.messages import Notice
from qa_scoring.model import CallMeta, ReadError, Role, Transcript, Turn, make_transcript, make_turn

UNKNOWN_SPEAKER = "UNKNOWN"

AGENT_WORDS = frozenset({"cso", "agent", "agen", "petugas", "operator", "cs"})
CUSTOMER_WORDS = frozenset({"pelanggan", "customer", "penelepon", "penelpon", "caller"})

_FIRST_WORD = re.compile(r"[^\W\d_]+")
_SECONDS = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")
# A turn time beyond a week into the call is not a real offset (1e400 reads as Infinity).
MAX_OFFSET_SECONDS = 7 * 24 * 3600.0
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2})(?:[.,](\d{1,6}))?", re.ASCII)


@dataclass(frozen=True)
class Document:
    """One input file handed to a reader: its path, display name and decoded content."""

    path: Path
    source: str
    text: str | None = None
    data: object = None
    limits: Limits = DEFAULT_LIMITS

    @cached_property
    def stem(self) -> str:
        """The file name without its extension (printable): the call id when nothing else gives one."""
        return printable_name(self.path.stem)


def make_document(
    path: Path, source: str, stem: str, text: str | None = None, data: object = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """``Document(path, source, text, data, limits)`` with its ``stem`` known already, built without the frozen
    dataclass's ``__init__`` (one per file read); the same object in every respect."""
    doc = _new_object(Document)
    doc.__dict__.update(path=path, source=source, text=text, data=data, limits=limits, stem=stem)
    return doc


_new_object = object.__new__


@dataclass(slots=True)
class RawTurn:
    """A turn while it is being read; becomes a model Turn once the file is complete."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    line: int | None = None


_SPACES = re.compile(r"\s+")

NO_META = CallMeta()  # the metadata of a file that gives none (frozen, so one for all)


_CHUNK = 1 << 16


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends.

    A long text is done a piece at a time, so that its words are never all in memory as
    separate strings (a 50 MB turn would cost a gigabyte).
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # no whitespace but single spaces inside: already collapsed (the common case)
    if len(text) <= _CHUNK:
        return " ".join(text.split())
    pieces = []
    start, size = 0, len(text)
    while start < size:
        gap = _SPACES.search(text, start + _CHUNK) if start + _CHUNK < size else None
        end = gap.start() if gap else size
        piece = " ".join(text[start:end].split())
        if piece:
            pieces.append(piece)
        start = gap.end() if gap else size
    return " ".join(pieces)


@lru_cache(maxsize=4096)
def role_of(label: str) -> Role:
    """The role a speaker label names: agent words, customer words, else unknown.

    The first word of the label decides, so "CSO 2", "Agent (Rina)" and "Pelanggan_Budi"
    carry their role; "Customer Service" is the agent.
    """
    folded = collapse(label).casefold()
    if folded.startswith("customer service"):
        return "agent"
    match = _FIRST_WORD.search(folded)
    if not match or match.start() != 0:
        return "unknown"
    word = match.group(0)
    if word in AGENT_WORDS:
        return "agent"
    if word in CUSTOMER_WORDS:
        return "customer"
    return "unknown"


@lru_cache(maxsize=8192)
def parse_clock(value: str) -> float | None:
    """Seconds from a clock time: ``MM:SS``, ``HH:MM:SS``, with ``.mmm`` or ``,mmm``; else None."""
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        return None
    hours, minutes, whole, frac = match.groups()
    seconds = float(f"{whole}.{frac}") if frac else float(whole)
    if seconds >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    return (int(hours) * 3600 if hours else 0) + int(minutes) * 60 + seconds


def parse_offset(value: object) -> float | None:
    """Seconds from a number, a numeric string (``12.5`` or ``12,5``) or a clock time; else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return offset_seconds(float(value))
    text = str(value).strip()
    if not text:
        return None
    if _SECONDS.match(text):
        return offset_seconds(float(text.replace(",", ".")))
    return parse_clock(text)


def offset_seconds(value: float) -> float | None:
    """``value`` when it is a usable time into the call: finite, not negative, at most a week; else None."""
    return value if math.isfinite(value) and 0 <= value <= MAX_OFFSET_SECONDS else None


def number(value: object) -> float | None:
    """A JSON number as float (booleans and non-numbers give None)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def json_time(item: dict, key: str, where: str, warnings: list[str], *, per_second: int = 1) -> float | None:
    """A JSON time field in seconds (``per_second=1000`` for milliseconds); a value that is not a usable
    time (not a number, NaN, Infinity, negative, beyond a week) is None with a warning."""
    value = item.get(key)
    if value is None:
        return None
    seconds = number(value)
    usable = None if seconds is None else offset_seconds(seconds / per_second)
    if usable is None:
        warnings.append(f"{where}: {key} {excerpt(str(value))!r} is not a usable time; ignored")
    return usable


_NAME_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]}


def printable_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 as ``\\xNN``, control characters escaped."""
    if not name.isascii():
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return name.translate(_NAME_CONTROLS) if not name.isprintable() else name


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (from JSON ``\\ud800`` escapes or undecodable file names) as U+FFFD."""
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def excerpt(text: str, limit: int = 40) -> str:
    """A short, printable excerpt of input text for an error or warning (never more than ``limit`` chars)."""
    text = _CONTROL.sub(" ", clean_text(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def too_many(raw: list[RawTurn], doc: Document) -> bool:
    """True once a reader holds more turns than a call may have: it stops reading (build_transcript says why)."""
    return len(raw) > doc.limits.max_turns


def too_many_turns(doc: Document, call_id: str | None = None) -> ReadError:
    """The error for a call over the turn limit."""
    return ReadError(
        doc.source,
        f"more turns in one call than the limit of {doc.limits.max_turns:,} (not a real call): not scored",
        call_id=clean_text(call_id or doc.stem),
    )


def build_transcript(
    doc: Document,
    fmt: str,
    raw: list[RawTurn],
    *,
    call_id: str | None = None,
    meta: CallMeta | None = None,
    warnings: list[str] | None = None,
) -> Transcript | ReadError:
    """Turn raw turns into a Transcript (index, collapsed text, role); no turns is a ReadError."""
    rows = [(item.speaker, item.text, item.start, item.end, item.line) for item in raw]
    return build_rows(doc, fmt, rows, call_id=call_id, meta=meta, warnings=warnings)


Row = Sequence[Any]  # (speaker, text, start, end, line) of one turn while it is read


def build_rows(
    doc: Document,
    fmt: str,
    rows: list[Row],
    *,
    call_id: str | None = None,
    meta: CallMeta | None = None,
    warnings: list[str] | None = None,
    collapsed: bool = False,
) -> Transcript | ReadError:
    """``build_transcript`` from ``(speaker, text, start, end, line)`` rows (the readers' own lists and tuples).

    ``collapsed``: the reader collapsed every text already.

    One pass over the rows: each text collapsed (unless already so), each speaker label read once
    per file, each Turn built without its dataclass ``__init__``.
    """
    limits = doc.limits
    if len(rows) > limits.max_turns:
        return too_many_turns(doc, call_id)
    turns: list[Turn] = []
    speakers: dict[str, tuple[str, Role]] = {}  # label as read -> (label, role)
    from_json = doc.data is not None  # only JSON escapes (\\ud800) put lone surrogates into text
    max_chars = limits.max_turn_chars
    labelled = True  # every turn's role known from its label
    append = turns.append
    for speaker, text, start, end, line in rows:
        if not collapsed and not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
            text = collapse(text)
        if from_json and not text.isascii():
            text = clean_text(text)
        if not text:
            continue
        if len(text) > max_chars:
            text = _long_turn(text, limits.max_turn_chars)
            where = f"{doc.source}:{line}" if line else doc.source
            warnings = [*(warnings or ()), f"{where}: {_LONG_TURN.format(half=limits.max_turn_chars // 2)}"]
        known = speakers.get(speaker)
        if known is None:
            label = (clean_text(collapse(speaker)) if from_json else collapse(speaker)) or UNKNOWN_SPEAKER
            known = speakers[speaker] = (label, role_of(label))
            labelled = labelled and known[1] != "unknown"
        append(make_turn(len(turns), known[0], text, start, end, line, known[1]))
    return finish(doc, fmt, tuple(turns), labelled, call_id=call_id, meta=meta, warnings=warnings)


def finish(
    doc: Document,
    fmt: str,
    turns: tuple[Turn, ...],
    labelled: bool,
    *,
    call_id: str | None = None,
    meta: CallMeta | None = None,
    warnings: list[str] | None = None,
) -> Transcript | ReadError:
    """The Transcript of a file's turns (``labelled``: every turn's role known from its label); no turns is a
    ReadError."""
    cid = clean_text(call_id or doc.stem)
    if not turns:
        return ReadError(doc.source, Notice("", "input.no_turns", format=fmt), call_id=cid)
    return make_transcript(
        cid, doc.source, fmt, turns, meta or NO_META, "labels" if labelled else "", tuple(warnings or ())
    )


def collapsed_all(texts: Sequence[str]) -> bool:
    """True when every one of ``texts`` passes ``collapse``'s first check (so that it is left as it is),
    checked on them joined (in C).

    Joined with single spaces, the texts are printable with no run of spaces and no space at either
    end exactly when each of them is so (a space at a text's end meets the one joining it) and none of
    them is empty: an empty text among others gives False, which only means "check them one by one".
    """
    return collapsed_joined(" ".join(texts))


def collapsed_joined(joined: str) -> bool:
    """``collapsed_all`` of the texts that ``joined`` joins with single spaces."""
    return printable(joined) and "  " not in joined and joined[:1] != " " and joined[-1:] != " "


def printable(text: str) -> bool:
    """``text.isprintable()`` (an ASCII text checked on its bytes, far quicker)."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def plain_lines(content: str) -> bool:
    """True when ``content`` is lines of printable ASCII with no run of spaces: ``collapse`` leaves every
    piece of a line as it is once stripped."""
    return content.isascii() and not content.encode("ascii").translate(None, _LINES_ASCII) and "  " not in content


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_LINES_ASCII = _PRINTABLE_ASCII + b"\n"


def build_columns(
    doc: Document,
    fmt: str,
    speakers: list[str],
    texts: list[str],
    starts: Sequence[float | None],
    ends: Sequence[float | None] | None,
    lines: Sequence[int] | None,
    *,
    call_id: str | None = None,
    meta: CallMeta | None = None,
) -> Transcript | ReadError:
    """``build_rows`` of the rows ``zip(speakers, texts, starts, ends, lines)`` (None: a column of None), for
    texts that ``collapse`` and ``clean_text`` leave as they are and speaker labels as ``build_rows`` makes
    them (collapsed, clean, not empty), and without warnings.

    The turns are made by ``map`` in one pass, without a Python loop, when no text is empty and none
    over the length limit (the common case); else the rows go to ``build_rows``.
    """
    limits = doc.limits
    size = len(texts)
    if size > limits.max_turns:
        return too_many_turns(doc, call_id)
    if ends is None:
        ends = itertools.repeat(None, size)  # type: ignore[assignment]
    if lines is None:
        lines = itertools.repeat(None, size)  # type: ignore[assignment]
    if "" in texts or (texts and max(map(len, texts)) > limits.max_turn_chars):
        rows = list(zip(speakers, texts, starts, ends, lines, strict=True))  # type: ignore[arg-type]
        return build_rows(doc, fmt, rows, call_id=call_id, meta=meta, collapsed=True)
    roles = {label: role_of(label) for label in set(speakers)}
    turns = tuple(map(make_turn, range(size), speakers, texts, starts, ends, lines, map(roles.__getitem__, speakers)))  # type: ignore[arg-type]
    return finish(doc, fmt, turns, "unknown" not in roles.values(), call_id=call_id, meta=meta)


_LONG_TURN = "a turn too long to be one utterance: only its first and last {half:,} characters are checked"


def _long_turn(text: str, limit: int) -> str:
    """The start and the end of an overlong turn (the opening and the closing are what the checks look for)."""
    half = limit // 2
    head = text[:half].rsplit(" ", 1)[0] if " " in text[:half] else text[:half]
    tail = text[-half:].split(" ", 1)[-1] if " " in text[-half:] else text[-half:]
    return f"{head} … {tail}"


_LABEL_SPLIT = re.compile(r"^(?P<label>[^:]{1,48}):(?P<rest>.*)$", re.DOTALL)
_GENERIC_LABEL = re.compile(
    r"^(?:(?:speaker|spk|spkr|pembicara|s)[ _-]?\d{1,3}|speaker[ _-]?[a-z]|[A-Z])$", re.IGNORECASE
)
_NUMBER_ONLY = re.compile(r"^(?=.*\d)[\d\s.,:/+\-]+$")
_NOT_IN_LABEL = re.compile(r"[?!,;\"“”=<>{}]")


class LabelReader:
    """Decides whether the text before a colon is a speaker label, for one file at a time.

    Accepted: known role words (with a suffix such as "CSO 2" or "Agent (Rina)"), generic
    labels (SPEAKER_00, spk_1, Speaker 1, A, B), labels already accepted in this file, any
    short label on a line with a timestamp, and Capitalised/UPPER labels of at most three
    words. Lower-case sentence starts ("jadi begini: ...") are continuations. Once every
    label so far came with a timestamp, a new untimed label must be a role, generic or seen one.
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.timed = 0
        self.untimed = 0

    def split(self, text: str, *, timed: bool) -> tuple[str, str] | None:
        """``(label, rest)`` when ``text`` opens with a speaker label and a colon, else None."""
        match = _LABEL_SPLIT.match(text)
        if not match:
            return None
        return self.split_at(match.group("label"), match.group("rest"), timed=timed)

    def split_at(self, written: str, rest: str, *, timed: bool) -> tuple[str, str] | None:
        """``split`` of ``written + ":" + rest``, where ``written`` holds no colon and 1 to 48 characters."""
        facts = label_facts(written)
        if facts is None or not self._accepts(facts, rest, timed):
            return None
        self.seen.add(facts.folded)
        if timed:
            self.timed += 1
        else:
            self.untimed += 1
        return facts.label, rest.strip()

    def _accepts(self, facts: LabelFacts, rest: str, timed: bool) -> bool:
        """The acceptance rules described on the class, for a label that may be one."""
        if rest.startswith("//") or (facts.ends_in_digit and rest[:1].isdigit()):
            return False  # a link, or a clock time such as "pukul 10:30"
        if facts.strong or facts.folded in self.seen:
            return True
        if timed:
            return facts.short
        if self.timed and not self.untimed:
            return False
        if _NUMBER_ONLY.match(rest):
            return False  # "ID Pelanggan: 5123 4567" is a value, not a speaker
        return facts.capitalised


@dataclass(frozen=True, slots=True)
class LabelFacts:
    """What ``LabelReader.is_label`` reads from a label alone, worked out once per label as written."""

    label: str  # collapsed
    folded: str  # casefolded: the key of labels already seen
    ends_in_digit: bool
    strong: bool  # a role word (at most four words) or a generic label: taken anywhere
    short: bool  # at most four words: taken on a timed line
    capitalised: bool  # at most three Capitalised words: taken on an untimed line, with conditions


@lru_cache(maxsize=4096)
def label_facts(written: str) -> LabelFacts | None:
    """The facts of a label as written before its colon; None when it can never be a label."""
    label = collapse(written)
    if not label or _NOT_IN_LABEL.search(label):
        return None
    words = label.split()
    strong = (len(words) <= 4 and role_of(label) != "unknown") or bool(
        _GENERIC_LABEL.match(label) and (len(label) > 1 or label.isupper())
    )
    capitalised = len(words) <= 3 and _capitalised(words)
    return LabelFacts(label, label.casefold(), label[-1].isdigit(), strong, len(words) <= 4, capitalised)


def _capitalised(words: list[str]) -> bool:
    """Every word starts with a capital (a number or a parenthesised name may follow the first)."""
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w[:1] in "(" for w in words[1:])
