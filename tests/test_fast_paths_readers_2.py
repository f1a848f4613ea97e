"""The readers' second round of fast paths give what the plain code gives (issue 10, "Fast and flat").

Files read a column at a time (text files of common lines, WebVTT files of common cues), turns
built by ``map`` (``build_columns``), the checks on joined texts (``collapsed_all``,
``plain_lines``): each is compared with the plain readers of ``test_fast_paths_readers`` on
hand-picked edge cases and generated input, and the fast path is shown to be taken where it
should be.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

import qa_scoring.readers.subtitles as subtitles
from qa_scoring import roles
from qa_scoring.limits import Limits
from qa_scoring.model import CallMeta, Transcript
from qa_scoring.normalize import normalize
from qa_scoring.readers import manifest, metadata, text, whisper
from qa_scoring.readers.common import (
    build_columns,
    build_rows,
    collapse,
    collapsed_all,
    plain_lines,
    printable,
)
from qa_scoring.rules import load_rules
from tests.test_fast_paths_readers import (
    LABEL_PARTS,
    PAYLOADS,
    REST_PARTS,
    ROLE_TEXTS,
    STAMPS,
    TEXTS,
    TIMINGS,
    _doc,
    _one,
    _same,
    plain_subtitles,
    plain_text,
    plain_whisper,
)

SMALL = Limits(max_turns=12, max_turn_chars=80)
WIDE = Limits(max_turns=1000, max_turn_chars=10_000)

# ---------------------------------------------------------------------------------------------
# Checks on joined texts

PIECES = ["a", "b c", " ", "  ", "\t", "\n", "\x0b", "\x1c", "\u00a0", "é", "\u2028", "|", "", "€ x", "\x7f"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="ab |\t\n\x0b\x1c\x7f\u00a0é\u2028", max_size=6), max_size=6))
def test_collapsed_all_equals_each_text_checked(texts: list[str]) -> None:
    # the check build_rows makes on each text before it leaves it as it is
    each = all(t.isprintable() and "  " not in t and t[:1] != " " and t[-1:] != " " for t in texts)
    if len(texts) < 2 or "" not in texts:
        assert collapsed_all(texts) == each
    else:
        assert not collapsed_all(texts)  # an empty text among others: checked one by one
    if collapsed_all(texts):
        assert all(collapse(t) == t for t in texts)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=12))
def test_printable_equals_isprintable(value: str) -> None:
    assert printable(value) == value.isprintable()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10), st.integers(0, 20), st.integers(0, 20))
def test_plain_lines_leaves_every_stripped_piece_collapsed(pieces: list[str], cut: int, length: int) -> None:
    content = "".join(pieces)
    if plain_lines(content):
        for line in content.split("\n"):
            piece = line[cut : cut + length].strip()
            assert collapse(piece) == piece
    assert plain_lines("a b\nc") and not plain_lines("a  b") and not plain_lines("a\tb") and not plain_lines("é")


# ---------------------------------------------------------------------------------------------
# build_columns against build_rows

COLUMN_TEXTS = ["halo pak", "", "x" * 90, "iya", "é ok"]
COLUMN_SPEAKERS = ["CSO", "PELANGGAN", "SPEAKER_00", "Budi"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(COLUMN_SPEAKERS),
            st.sampled_from(COLUMN_TEXTS),
            st.one_of(st.none(), st.floats(0, 100)),
            st.one_of(st.none(), st.floats(0, 100)),
            st.one_of(st.none(), st.integers(1, 99)),
        ),
        max_size=14,
    ),
    st.booleans(),
)
def test_build_columns_equals_build_rows(rows: list[tuple[Any, ...]], json: bool) -> None:
    doc = _doc("x", ".json" if json else ".txt", SMALL, data={} if json else None)
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[], [], [], [], []]
    speakers, texts, starts, ends, lines = columns
    fast = build_columns(doc, "text", speakers, texts, starts, ends, lines)
    _same(fast, build_rows(doc, "text", rows))
    if rows and not any(end is not None for end in ends):
        _same(build_columns(doc, "text", speakers, texts, starts, None, lines), fast)


# ---------------------------------------------------------------------------------------------
# Text files of common lines

COMMON_STAMPS = ["[00:00:01] ", "[00:01] ", "[1:02:03.5] ", "[00:00:01,250] "]
COMMON_LABELS = ["CSO", "PELANGGAN", "SPEAKER_00", "Budi Santoso", "jadi begini", "A", "cso"]
COMMON_RESTS = [" halo pak", " iya", "", " 10:30 pagi", "  iya  pak ", " a\tb", " é ok", " a: b", " x" * 50]


def _mostly(common: list[str], rare: list[str]) -> st.SearchStrategy[str]:
    """Mostly a common part, sometimes one that takes the file off the fast path."""
    return st.integers(0, 19).flatmap(lambda n: st.sampled_from(rare if n == 0 else common))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            _mostly(COMMON_STAMPS, ["[00:00:61] ", "[٠٠:٠١] ", "[00:00:01]  ", "00:01 "]),
            _mostly(COMMON_LABELS, ["Saya Mau Tanya Lagi Ya", "pukul 10", "-CSO", "CSO?", "x" * 49]),
            _mostly(COMMON_RESTS, ["30", "//x", "\x7f"]),
        ),
        min_size=1,
        max_size=14,
    ),
    _mostly(["", "\n"], ["\n\n", "\n ", "\nlanjut"]),
    st.sampled_from([SMALL, WIDE]),
)
def test_common_text_files_equal_plain(lines: list[tuple[str, str, str]], tail: str, limits: Limits) -> None:
    content = "\n".join(f"{stamp}{label}:{rest}" for stamp, label, rest in lines) + tail
    doc = _doc(content, ".txt", limits)
    _same(_one(text.read(doc)), plain_text(doc))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.builds(
                lambda s, lab, rest: f"{s}{lab}:{rest}",
                st.sampled_from(STAMPS),
                st.sampled_from(LABEL_PARTS),
                st.sampled_from(REST_PARTS + TEXTS),
            ),
            st.sampled_from(["", " ", "---", "lanjut", "[00:00:01] CSO: a\rb"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_text_files_near_the_common_shape_equal_plain(lines: list[str]) -> None:
    doc = _doc("\n".join(lines), ".txt")
    _same(_one(text.read(doc)), plain_text(doc))


def test_common_text_path_is_taken_for_common_files() -> None:
    content = "[00:00:01] CSO: halo  pak\n[00:00:05] PELANGGAN: iya\n[00:00:09] CSO:\n[00:01:00] Budi Santoso: x\n"
    doc = _doc(content, ".txt")
    fast = text._common_file(doc)
    assert isinstance(fast, Transcript)
    assert [(t.index, t.speaker, t.text, t.start, t.line, t.role) for t in fast.turns] == [
        (0, "CSO", "halo pak", 1.0, 1, "agent"),
        (1, "PELANGGAN", "iya", 5.0, 2, "customer"),
        (2, "Budi Santoso", "x", 60.0, 4, "unknown"),
    ]
    _same(fast, plain_text(doc))
    for other in ("---\ncall_id: X\n---\n" + content, content + "lanjut", content.replace("\n", "\n\n", 1)):
        assert text._common_file(_doc(other, ".txt")) is None


# ---------------------------------------------------------------------------------------------
# WebVTT files of common cues

HEADERS = ["WEBVTT", "WEBVTT - judul", "WEBVTT\nKind: captions\nLanguage: id", "WEBVTT\n  ", "WEBVTT -->", "WEBVTTX"]
GOOD_TIMINGS = [*TIMINGS[:4], "00:00:99.000 --> 00:01:00.000", "1:00:00.5 --> 1:00:01"]
BAD_TIMINGS = [*TIMINGS[4:], "00:00:01.000 --> 00:00:02.000 -->", "00:00:01.000 --> 00:00:02.0000", ""]
GOOD_PAYLOADS = [
    "<v CSO>halo pak",
    "<V PELANGGAN>iya",
    "<v  Budi  Santoso >a  b",
    "<v>tanpa nama",
    "<v CSO>a &amp; b",
    "<v CSO>",
    "<v CSO >a",
    "<v CSO>a ",
    "<v CSO> a",
    "<v CSO>a\tb",
    "<v <b>x",
    "<v CSO>é &lt;",
    "<v CSO>a > b",
    "<v\u00a0CSO>x",
]
BAD_PAYLOADS = [*PAYLOADS, "", "7"]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _mostly(HEADERS[:3], HEADERS[3:]),
    st.lists(
        st.tuples(_mostly(GOOD_TIMINGS, BAD_TIMINGS), _mostly(GOOD_PAYLOADS, BAD_PAYLOADS)),
        min_size=1,
        max_size=14,
    ),
    st.sampled_from(["", "7", "12"]),
    st.sampled_from(["", "\n", "\n\n", " "]),
    st.sampled_from([SMALL, WIDE]),
)
def test_common_vtt_layout_equals_plain(
    header: str, cues: list[tuple[str, str]], cue_id: str, tail: str, limits: Limits
) -> None:
    cue_ids = [f"{cue_id}{i}" if cue_id else "" for i in range(len(cues))]
    blocks = [
        "\n".join(part for part in (i, timing, payload) if part)
        for i, (timing, payload) in zip(cue_ids, cues, strict=True)
    ]
    content = header + "\n\n" + "\n\n".join(blocks) + tail
    doc = _doc(content, ".vtt", limits)
    _same(subtitles._read(doc, "vtt"), plain_subtitles(doc, "vtt"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(GOOD_TIMINGS[:3]),
            st.sampled_from(GOOD_PAYLOADS[:4]),
            st.sampled_from(["", "", "", " ", "1", "x"]),
        ),
        max_size=16,
    )
)
def test_vtt_files_near_the_common_layout_equal_plain(parts: list[str]) -> None:
    content = "WEBVTT\n\n" + "\n".join(parts)
    doc = _doc(content, ".vtt")
    _same(subtitles._read(doc, "vtt"), plain_subtitles(doc, "vtt"))


def test_common_vtt_layout_path_is_taken() -> None:
    plain_cues = "00:00:01.000 --> 00:00:02.000\n<v CSO>halo &amp; selamat\n\n00:00:03.000 --> 00:00:04.000\n<v>iya\n"
    for content, lines in (
        ("WEBVTT\n\n" + plain_cues, [4, 7]),
        ("WEBVTT\nKind: captions\n\n" + plain_cues.rstrip("\n"), [5, 8]),
        ("WEBVTT\n\n1\n" + plain_cues.replace("\n\n", "\n\n2\n"), [5, 9]),
    ):
        doc = _doc(content, ".vtt")
        fast = subtitles._common_file(doc)
        assert isinstance(fast, Transcript)
        assert [(t.speaker, t.text, t.start, t.end, t.line) for t in fast.turns] == [
            ("CSO", "halo & selamat", 1.0, 2.0, lines[0]),
            ("UNKNOWN", "iya", 3.0, 4.0, lines[1]),
        ]
        _same(fast, plain_subtitles(doc, "vtt"))
    for other in ("WEBVTT\n\n" + plain_cues + "\n", "WEBVTT\n\n1\n" + plain_cues, "WEBVTT\n" + plain_cues):
        assert subtitles._common_file(_doc(other, ".vtt")) is None


@pytest.mark.parametrize("size", [12, 13])
def test_common_vtt_layout_over_the_turn_limit(size: int) -> None:
    content = "WEBVTT\n\n" + "\n\n".join(f"00:00:0{i % 10}.000 --> 00:00:09.000\n<v CSO>a" for i in range(size))
    doc = _doc(content, ".vtt")
    _same(subtitles._read(doc, "vtt"), plain_subtitles(doc, "vtt"))


# ---------------------------------------------------------------------------------------------
# Whisper segments made turns in one pass


@pytest.mark.parametrize("limits", [SMALL, WIDE])
def test_whisper_long_and_odd_segments_equal_plain(limits: Limits) -> None:
    segments: list[Any] = [
        {"text": " halo  " + "x " * 60, "speaker": "SPEAKER_00", "start": 0.0, "end": 1.0},
        3,
        {"text": "\ud800 é", "speaker": " CSO ", "start": -1.0, "end": float("nan")},
        {"text": "", "speaker": "SPEAKER_01", "start": 1.0, "end": 2.0},
        {"speaker": "SPEAKER_01", "words": [{"word": "iya", "speaker": "S1"}], "start": 2, "end": None},
        {"text": "y " * 50, "speaker": "SPEAKER_01", "start": 3.0, "end": 4.0},
    ]
    for count in (1, 6, 14):
        data = {"segments": (segments * 3)[:count]}
        doc = _doc("{}", ".json", limits, data=data)
        _same(_one(whisper.read(doc)), plain_whisper(doc))


# ---------------------------------------------------------------------------------------------
# Roles: the agent's script, found by a regular expression or scored only where it can reach the threshold


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="abdeikmnprsty 12", min_size=0, max_size=70),
    st.lists(st.text(alphabet="abdeikmnprsty 12", max_size=20), min_size=1, max_size=5),
    st.sampled_from([50.0, 85.0, 85.5, 100.0]),
)
def test_script_carries_equals_extract_one(norm: str, phrases: list[str], threshold: float) -> None:
    rules = SimpleNamespace(roles=SimpleNamespace(agent_script=tuple(phrases), threshold=threshold))
    script = roles._Script(rules)  # type: ignore[arg-type]
    plain = bool(process.extractOne(norm, phrases, scorer=fuzz.partial_ratio, score_cutoff=threshold))
    assert script.carries(norm) == plain
    assert script._scored(norm) == plain


def test_script_score_on_the_bench_texts_equals_extract_one() -> None:
    rules = load_rules()
    phrases, threshold = rules.roles.agent_script, rules.roles.threshold
    texts = [normalize(t) for t in ROLE_TEXTS] + ["sayya mau tambah daya jadi 2200", "iya betul mbak"]
    for norm in texts:
        plain = bool(process.extractOne(norm, phrases, scorer=fuzz.partial_ratio, score_cutoff=threshold))
        assert roles._SCRIPTS(rules).carries(norm) == plain
    assert roles.script_score(texts, rules) == sum(
        1
        for t in texts
        if len(t) >= 12 and process.extractOne(t, phrases, scorer=fuzz.partial_ratio, score_cutoff=threshold)
    )


# ---------------------------------------------------------------------------------------------
# Metadata and the manifest's rows

META_TEXTS = ["Jakarta-2", " Jakarta ", "a  b", "a\tb", "é", "\x85x", "Sri Wahyuni", "x\ud800", "1.0"]
META_TIMES = ["2024-03-04T12:59:00", "2024-03-04 12:59 WIB", "2024-03-04T12:59:00+08:00", "2024-03-04", "x", "1 wita"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([*META_TEXTS, 3.0, 7]), st.sampled_from(META_TIMES))
def test_parse_meta_equals_plain(value: object, when: str) -> None:
    values = {"Call ID": "A-1", "team": value, "agent_name": value, "call_start": when, "klb": "ya"}
    meta, problems = metadata.parse_meta(values, source="m.csv", line=2)
    plain_text = " ".join(metadata._CONTROL.sub(" ", metadata.cell_text(value)).split()) or None
    assert meta.team == plain_text and meta.agent_name == plain_text
    start, _problem = metadata.read_datetime(when)
    assert meta.call_start == start
    expected = CallMeta(**{k: v for k, v in vars(meta).items() if v is not None})
    assert meta == expected and repr(meta) == repr(expected)
    assert manifest._meta_from_blob(manifest._meta_blob(meta)) == meta
    assert [str(p) for p in problems] == [str(p) for p in metadata.parse_meta(values, source="m.csv", line=2)[1]]
