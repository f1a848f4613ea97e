"""The batch workbook's fast row writer gives what the plain one gives (issue 10, "Fast and flat").

``_RowXml._write_fast`` remembers each column's recent text cells (their XML with the row
number left out, and their line count); ``_RowXml.plain`` checks, escapes and measures every
cell of every row. Both are run on the same rows, hand-picked and generated, and must append
the same ``<row>`` XML.
"""

from __future__ import annotations

import json
import math
import pickle
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_scoring.reports import excel
from qa_scoring.reports.excel import _CALL_COLS, _CHECK_COLS, _CHECK_KEY_COLS, BatchWorkbook, _Table, _wraps
from qa_scoring.reports.labels import check_label, outcome_label
from tests.conftest import book_parts


class _Str(str):
    """A str subclass: takes the plain path in both writers."""


def _rows_xml(table: _Table, rows: list[list[object]], link_col: int | None, fast: bool) -> list[str]:
    """The XML of ``rows`` as the fast or the plain writer appends them (from row 2 on)."""
    written: list[str] = []
    table.ws.add_row_xml = written.append  # type: ignore[method-assign]
    table.rows = 1
    maker = table.row_xml
    for values in rows:
        link = "'x'!A1" if link_col is not None else None
        if fast:
            table.add(values, link, link_col or 0)
        else:
            styles = [column[1] for column in maker._columns]
            if link and values[link_col or 0] not in (None, ""):
                styles[link_col or 0] = maker._link_style
            table.add_xml(maker.plain(values, styles, _wraps(table.cols)))
    return written


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BatchWorkbook]:
    tmp = tmp_path_factory.mktemp("book")
    with BatchWorkbook(tmp / "b.xlsx", Path("r.jsonl")) as wb:
        yield wb


def _same(table: _Table, rows: list[list[object]], link_col: int | None = None) -> None:
    maker = table.row_xml
    for caches, columns in [(maker._caches, maker._columns), *((c, cols) for cols, c in maker._linked.values())]:
        for cache, column in zip(caches, columns, strict=True):
            cache.clear()
            cache.update(column[3])
    plain = _rows_xml(table, rows, link_col, fast=False)
    fast = _rows_xml(table, rows, link_col, fast=True)
    fast_again = _rows_xml(table, rows, link_col, fast=True)  # now from the caches
    assert fast == plain
    assert fast_again == plain


EDGE_TEXTS = [
    "ok",
    "=1+1",
    "+62",
    "-",
    "@x",
    "\tx",
    " lead",
    "trail ",
    "trail\xa0",
    "\nx",
    "a\nb",
    "a & <b> c",
    "a\rb",
    "nul\x00x",
    "bell\x07",
    "\ud800 lone",
    "\ufffe\uffff",
    "x" * 40,
    "kata " * 30,
    "y" * 250,
    "z" * 40000,
    "#12\n09:14:32",
    "“kutip”",
]
EDGE_VALUES: list[object] = [
    *EDGE_TEXTS,
    None,
    "",
    1.0,
    1.5,
    0.0,
    -0.0,
    0,
    1,
    True,
    1.5,
    100.0,
    100,
    -3,
    97.8,
    0.85,
    True,
    False,
    math.nan,
    math.inf,
    1e300,
    date(2024, 3, 28),
    time(17, 51, 9),
    datetime(2024, 3, 28, 17, 51),
    _Str("sub\nclass " * 5),
    _Str(""),
]


def test_edge_cells_every_column(book: BatchWorkbook) -> None:
    for table in (book.checks, book.calls):
        width = len(table.cols)
        rows = [[value] * width for value in EDGE_VALUES]
        rows += [[EDGE_VALUES[(i + j) % len(EDGE_VALUES)] for j in range(width)] for i in range(len(EDGE_VALUES))]
        _same(table, rows)


def test_linked_rows(book: BatchWorkbook) -> None:
    width = len(_CALL_COLS)
    rows = [[value, *["a\nb"] * (width - 1)] for value in EDGE_VALUES]
    _same(book.calls, rows, link_col=0)
    queue_width = len(book.queue.cols)
    _same(book.queue, [[1, value, *[None] * (queue_width - 2)] for value in EDGE_VALUES], link_col=1)


def test_cache_is_bounded_and_restarts(book: BatchWorkbook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel, "_CACHED_CELLS", 8)
    width = len(_CHECK_COLS) + len(_CHECK_KEY_COLS)
    rows = [[f"t{i % 13}", *[f"v{i}\n{i % 5}"] * (width - 3), i / 7, None] for i in range(60)]
    _same(book.checks, rows)
    assert all(len(cache) <= 8 for cache in book.checks.row_xml._caches)
    assert max(len(cache) for cache in book.checks.row_xml._caches) > 2


_cell = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=()), max_size=60),
    st.text(st.sampled_from(" \n\t\xa0=+-@&<>\r\x00\ud800abc"), max_size=40),
    st.sampled_from(EDGE_TEXTS),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cell, min_size=19, max_size=19), min_size=1, max_size=6))
def test_generated_check_rows(book: BatchWorkbook, rows: list[list[object]]) -> None:
    _same(book.checks, rows)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_cell, min_size=14, max_size=14), min_size=1, max_size=4))
def test_generated_call_rows(book: BatchWorkbook, rows: list[list[object]]) -> None:
    _same(book.calls, rows, link_col=0)


def _plain_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


def _plain_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_json, st.builds(_Str, st.text(max_size=5))))
def test_text_and_number_fast_paths(value: object) -> None:
    assert excel._text(value) == _plain_text(value)
    assert type(excel._text(value)) is type(_plain_text(value))
    number, plain = excel._number(value), _plain_number(value)
    assert (number is None) == (plain is None)
    if number is not None:
        assert number == plain or (math.isnan(number) and math.isnan(plain))
        assert type(number) is float


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.sampled_from(["closing.thanks", "closing.integrity", "x", ""]), st.text(max_size=12)),
    st.sampled_from(["pass", "fail", "na", "", "other"]),
    st.sampled_from(["id", "en"]),
)
def test_cached_labels(check_id: str, outcome: str, lang: str) -> None:
    for _ in range(2):  # the second time from the cache
        assert excel._check_label(check_id, lang) == check_label(check_id, lang)
        assert excel._outcome_label(outcome, lang) == outcome_label(outcome, lang)
    assert excel._check_label("closing.thanks", "en") != excel._check_label("closing.thanks", "id")


RESULTS = Path(__file__).parent / "data" / "results_sample.jsonl"


@pytest.mark.parametrize("max_rows", [excel.EXCEL_MAX_ROWS, 40, 23])
def test_rows_made_elsewhere_make_the_same_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_rows: int
) -> None:
    """``add_rows`` with rows from a pickled ``RowMaker`` (as in a worker) writes what ``add`` writes,
    also when a sheet fills up in the middle of a call (then the line itself is added)."""
    monkeypatch.setattr(excel, "EXCEL_MAX_ROWS", max_rows)
    lines = RESULTS.read_text(encoding="utf-8").splitlines(keepends=True) * 3
    assert any('"status": "error"' in line for line in lines)
    with BatchWorkbook(tmp_path / "plain.xlsx", RESULTS, store_id="s1") as book:
        for lineno, line in enumerate(lines, start=1):
            book.add_line(lineno, line)
        book.finish(sample={"A-0001"}, sample_seed=3)
    fallbacks = 0
    with BatchWorkbook(tmp_path / "made.xlsx", RESULTS, store_id="s1") as book:
        maker = pickle.loads(pickle.dumps(book.row_maker()))
        for line in lines:
            rows = maker(json.loads(line))
            fallbacks += rows is not None and not book.checks.room(len(rows.checks))
            book.add_rows(rows, line)
        book.finish(sample={"A-0001"}, sample_seed=3)
    assert book_parts(tmp_path / "made.xlsx") == book_parts(tmp_path / "plain.xlsx")
    assert (fallbacks > 0) == (max_rows < 100), "the small sheets must fill up in the middle of the batch"
