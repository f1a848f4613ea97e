"""Plain-text transcripts: one turn a line, ``[HH:MM:SS] SPEAKER: text`` or ``SPEAKER: text``.

Timestamps (``MM:SS``, ``HH:MM:SS``, ``HH:MM:SS.mmm``, optionally a ``start - end`` range) may
stand bare or in brackets/parentheses before the label, or in brackets right after it
(``CSO [00:01]: ...``). A line without a speaker label continues the previous turn. The file may
open with front matter: ``key: value`` lines between two ``---`` lines (the manifest's keys).

Example::

    ---
    call_id: A-0001
    customer_name: Budi Santoso
    ---
    [00:00:01] CSO: terima kasih telah menghubungi pln 123 selamat siang
    [00:00:05] PELANGGAN: siang mbak, listrik saya mati
    sejak tadi pagi
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from qa_scoring.messages import Notice
from qa_scoring.model import CallMeta, ReadError, Transcript
from qa_scoring.readers.common import (
    NO_META,
    Document,
    LabelReader,
    build_columns,
    build_rows,
    collapse,
    label_facts,
    parse_clock,
    plain_lines,
)
from qa_scoring.readers.metadata import META_KEYS, normalize_key, parse_meta

FORMAT = "text"

_TS = r"\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"


def _range(start: str, end: str) -> str:
    """A timestamp, optionally followed by a range end, as named groups."""
    return rf"(?P<{start}>{_TS})(?:\s*(?:-->|->|-|–|—|to|s/d)\s*(?P<{end}>{_TS}))?"


_STAMP = re.compile(
    r"^\s*(?:[\[(]\s*" + _range("s1", "e1") + r"\s*[\])]"
    r"|" + _range("s2", "e2") + r"(?=\s|$))\s*[-–|]?\s*(?P<rest>.*)$"
)
_LABEL_THEN_STAMP = re.compile(
    rf"^(?P<label>[^:\[\(]{{1,40}}?)\s*[\[(]\s*(?P<s>{_TS})(?:\s*(?:-->|->|-|–)\s*(?P<e>{_TS}))?\s*[\])]\s*:"
    r"(?P<rest>.*)$"
)
# The common line, ``[00:00:01] CSO: text``: a bracketed time, one space, a label (not starting
# with a space, a dash or a bar, which _STAMP would take as part of the stamp) and its colon.
# For it _STAMP's rest is the label, the colon and the text, split as _LABEL_SPLIT splits it.
_COMMON_LINE = re.compile(rf"\[({_TS})\] ([^\s:\-–|][^:]{{0,47}}):(.*)", re.DOTALL)
_RULE_LINE = re.compile(r"^\s*[-=*_#~]{3,}\s*$")
_RULE_CHARS = frozenset("-=*_#~")  # the first character of a rule line
_FRONT_LINE = re.compile(r"^\s*(?P<key>[A-Za-z_][\w \-]*?)\s*:\s*(?P<value>.*?)\s*$")


def read(doc: Document) -> Iterator[Transcript | ReadError]:
    """Read one plain-text transcript."""
    common = _common_file(doc)
    if common is not None:
        yield common
        return
    lines = (doc.text or "").split("\n")
    warnings: list[str] = []
    body, meta = _front_matter(lines, doc.source, warnings)
    labels = LabelReader()
    rows: list[list[Any]] = []  # [label, text, start, end, line] per turn
    max_turns = doc.limits.max_turns
    common = _COMMON_LINE.match
    for number in range(body, len(lines)):
        line = lines[number]
        found = common(line)
        if found is not None and (start := parse_clock(found[1])) is not None:
            # what _parse_line gives for this line, without its three regular expressions
            split = labels.split_at(found[2], found[3], timed=True)
            turn = (split[0], split[1], start, None) if split else None
        elif not line or line.isspace() or (line.lstrip()[:1] in _RULE_CHARS and _RULE_LINE.match(line)):
            continue
        else:
            turn = _parse_line(line, labels)
        if turn is not None:
            rows.append([*turn, number + 1])
            if len(rows) > max_turns:
                break  # build_rows says why
        elif rows:
            rows[-1][1] += " " + _without_stamp(line)
        else:
            warnings.append(Notice(f"{doc.source}:{number + 1}", "input.text_before_label", text=repr(_short(line))))
    yield build_rows(doc, FORMAT, rows, call_id=meta.call_id, meta=meta, warnings=warnings)


# Every line of a common file: what _COMMON_LINE matches, on a line of its own.
_COMMON_LINES = re.compile(rf"^\[({_TS})\] ([^\s:\-–|][^:\n]{{0,47}}):([^\n]*)$", re.MULTILINE)


def _common_file(doc: Document) -> Transcript | ReadError | None:
    """A file of common lines only, read with one regular expression and ``map`` over its lines (no Python
    loop over them); None for any other file, which ``read`` then reads line by line.

    A common file: every line but an empty last one is ``[clock] Label: text`` as ``_COMMON_LINE``
    reads it, with a clock ``parse_clock`` reads, a label that ``LabelReader`` takes on any timed line
    (at most four words), and a text that is neither a link nor, after a label ending in a digit, a clock
    time; at most ``max_turns`` lines. What ``read`` makes of such a file line by line is exactly this:
    no front matter, no continuation, no warning, every line a turn in its order.
    """
    content = doc.text or ""
    if content[:1] != "[":
        return None
    found = _COMMON_LINES.findall(content)
    size = len(found)
    if size != content.count("\n") + (content[-1:] != "\n") or size > doc.limits.max_turns:
        return None  # some line is not common (each match is a whole line), or too many turns
    stamps, written, rests = zip(*found, strict=True)
    starts = list(map(parse_clock, stamps))
    if None in starts:
        return None
    labels: dict[str, str] = {}  # label as written -> label
    digit_ended = False
    for name in set(written):
        facts = label_facts(name)
        if facts is None or not facts.short:
            return None
        labels[name] = facts.label
        digit_ended = digit_ended or facts.ends_in_digit
    if "://" in content and any(rest[:2] == "//" for rest in rests):
        return None  # a link, not a label
    if digit_ended:
        for name, rest in zip(written, rests, strict=True):
            if rest[:1].isdigit() and labels[name][-1].isdigit():
                return None  # a clock time such as "pukul 10:30"
    texts = list(map(str.strip, rests))
    if not plain_lines(content):
        texts = list(map(collapse, texts))
    speakers = list(map(labels.__getitem__, written))
    return build_columns(doc, FORMAT, speakers, texts, starts, None, range(1, size + 1), meta=NO_META)


def _parse_line(line: str, labels: LabelReader) -> tuple[str, str, float | None, float | None] | None:
    """``(label, text, start, end)`` when the line opens a turn, else None (a continuation)."""
    stamp = _STAMP.match(line)
    if stamp:
        start_text = stamp.group("s1") or stamp.group("s2")
        end_text = stamp.group("e1") or stamp.group("e2")
        start = parse_clock(start_text)
        end = parse_clock(end_text) if end_text else None
        rest = stamp.group("rest")
        if start is not None:
            split = labels.split(rest, timed=True)
            if split:
                return split[0], split[1], start, end
            return None
    after = _LABEL_THEN_STAMP.match(line.strip())
    if after:
        split = labels.split(f"{after.group('label')}:{after.group('rest')}", timed=True)
        if split:
            end_text = after.group("e")
            return (
                split[0],
                split[1],
                parse_clock(after.group("s")),
                parse_clock(end_text) if end_text else None,
            )
    split = labels.split(line.strip(), timed=False)
    if split:
        return split[0], split[1], None, None
    return None


def _without_stamp(line: str) -> str:
    """A continuation line's text: a bracketed timestamp in front is dropped, a bare one kept."""
    stamp = _STAMP.match(line)
    if stamp and stamp.group("s1"):
        return stamp.group("rest")
    return line.strip()


def _front_matter(lines: list[str], source: str, warnings: list[str]) -> tuple[int, CallMeta]:
    """Index of the first body line and the front matter's metadata (CallMeta() when there is none)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return 0, CallMeta()
    close = next((i for i in range(first + 1, len(lines)) if lines[i].strip() == "---"), None)
    if close is None:
        warnings.append(Notice(f"{source}:{first + 1}", "input.front_matter_unclosed"))
        return 0, CallMeta()
    meta = CallMeta()
    for i in range(first + 1, close):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FRONT_LINE.match(line)
        if not match:
            warnings.append(Notice(f"{source}:{i + 1}", "input.front_matter_line", text=repr(_short(line))))
            continue
        key = normalize_key(match.group("key"))
        if key not in META_KEYS:
            warnings.append(Notice(f"{source}:{i + 1}", "input.front_matter_key", key=repr(match.group("key"))))
            continue
        value = _unquote(match.group("value"))
        values, problems = parse_meta({key: value}, source=source, line=i + 1)
        warnings.extend(problems)
        meta = meta.merged(values)
    return close + 1, meta


def _unquote(value: str) -> str:
    """A YAML-style quoted value without its quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _short(text: str, limit: int = 60) -> str:
    """The stripped text, cut to ``limit`` characters."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
