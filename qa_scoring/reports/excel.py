"""The batch workbook: a streaming Excel report of one JSON Lines results file.

Sheets (Indonesian names by default): summary with a compliance chart, one row per call,
one row per check with its evidence and the auditor's columns, the review queue, one row
per agent, and the lines that were errors.

The JSON Lines file is read once, line by line. XlsxWriter (constant-memory mode) makes the
package: styles, print setup, filters, conditional formats, the drop-down, the chart. The
rows of the big sheets are serialised here, one string per row, straight into the sheet's
temporary file: that is what makes 100,000 calls a minute's work. Memory stays flat: the
review queue (sorted by priority) goes to a temporary SQLite file and the hyperlinks to a
temporary text file; only the per-check, per-parameter and per-agent tallies stay in memory.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import operator
import os
import re
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from qa_scoring.confidence import DOUBTFUL
from qa_scoring.fileutil import WRITE_BUFFER, publish, temp_beside, text_blob
from qa_scoring.messages import check_reason, result_error, result_warnings
from qa_scoring.reports.labels import (
    PARAMETERS,
    check_label,
    check_lang,
    check_short_label,
    doubt_text,
    label,
    outcome_label,
    param_label,
    yes_no,
)
from qa_scoring.reports.xlsx_common import (
    CELL_LIMIT,
    FORMULA_PREFIXES,
    clip_text,
    printable,
    sanitize_sheet_name,
    wrapped_lines,
)

EXCEL_MAX_ROWS = 1_048_576
LINE_HEIGHT = 15.0  # points per line of 11 pt text
MAX_ROW_HEIGHT = 409.0
PERCENT = "0.0%"
SCORE = "0.0"
WIB = timezone(timedelta(hours=7))

# Cell formats, as XlsxWriter format properties.
_HEADER = {"bold": True, "font_color": "#FFFFFF", "pattern": 1, "bg_color": "#1F4E78", "text_wrap": True,
           "valign": "vcenter"}  # fmt: skip
_TOP = {"valign": "top"}
_WRAP = {"text_wrap": True, "valign": "top"}
_EDIT = {**_WRAP, "locked": False, "pattern": 1, "bg_color": "#FFF2CC"}
_LINK = {"font_color": "#0563C1", "underline": 1}
_TITLE = {"bold": True, "font_size": 14, "font_color": "#1F4E78"}
_SECTION = {"bold": True, "font_color": "#1F4E78"}
_BOLD = {"bold": True}
_LEFT = {"align": "left"}
# Conditional formats: Excel paints the fill of a conditional format with its background colour.
_GOOD = {"bg_color": "#C6EFCE", "font_color": "#006100"}
_BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
_NEUTRAL = {"bg_color": "#EDEDED", "font_color": "#595959"}
_OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}
# Characters a cell's XML text cannot hold as they are: markup, a carriage return (XML would
# read it as a line feed), lone surrogates and the two non-characters (not XML at all).
_XML_SPECIAL = re.compile("[&<>\r\ud800-\udfff\ufffe\uffff]")
# A text cell starting or ending with one of these takes the slow path (quote prefix, spaces kept).
_LEAD = frozenset(FORMULA_PREFIXES) | frozenset(" \n\xa0")
_TRAIL = frozenset(" \t\n\r\xa0")
# What else makes a text cell take the slow path: the above and the control characters a cell drops.
_TEXT_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_SPECIAL = re.compile('[&<>"\r\n\t\ud800-\udfff\ufffe\uffff]')
_ATTR_ESCAPES = {**_XML_ESCAPES, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_EXCEL_EPOCH = datetime(1899, 12, 30)
# The fast row writer's cache: texts up to this long, this many a column (then it starts again).
_CACHED_TEXT = 200
_CACHED_CELLS = 1024
_ROW = "\x00"  # stands for the row number in a cell's XML: no cell's XML holds this character


@dataclass(frozen=True)
class _Col:
    """A column of a streamed table: header label key, width, and how its cells look."""

    key: str
    width: float
    kind: str = "text"  # text, wrap, int, score, pct, sim, date, time, conf, edit (auditor), key (hidden)


_FORMATS = {
    "int": "0",
    "score": SCORE,
    "pct": PERCENT,
    "sim": "0.0",
    "date": "yyyy-mm-dd",
    "time": "hh:mm",
    "conf": "0%",
    "sim2": "0.00",
}


def _letter(index: int) -> str:
    """The letter of a column, counted from 1."""
    return xl_col_to_name(index - 1)


_CALL_COLS = (
    _Col("col.call_id", 16),
    _Col("col.agent_id", 12),
    _Col("col.agent_name", 18),
    _Col("col.team", 14),
    _Col("col.date", 11, "date"),
    _Col("col.time", 8, "time"),
    _Col("param.akurasi", 11),
    _Col("param.salam_penutup", 11),
    _Col("param.fcr", 9),
    _Col("col.score", 8, "score"),
    _Col("col.failed_checks", 36, "wrap"),
    _Col("col.rules_version", 15),
    _Col("col.source", 28, "wrap"),
    _Col("col.warnings", 36, "wrap"),
)
_CALL_PARAM_COLS = tuple(_letter(i) for i, c in enumerate(_CALL_COLS, start=1) if c.key.startswith("param."))

# The check sheet prints one page wide on A4 landscape: few, narrow columns, long text wrapped.
_CHECK_COLS = (
    _Col("col.call_id", 12),
    _Col("col.agent", 13, "wrap"),
    _Col("col.check", 17, "wrap"),
    _Col("col.outcome", 9, "wrap"),
    _Col("col.reason", 24, "wrap"),
    _Col("col.turn_when", 10, "wrap"),
    _Col("col.agent_words", 30, "wrap"),
    _Col("col.phrase", 22, "wrap"),
    _Col("col.similarity", 10, "sim"),
    _Col("col.more_evidence", 22, "wrap"),
    _Col("col.confidence", 11, "conf"),
    # the auditor's columns: the only cells she can edit
    _Col("col.auditor_verdict", 11, "edit"),
    _Col("col.auditor_note", 18, "edit"),
    _Col("col.auditor_name", 11, "edit"),
)
_CHECK_OUTCOME_COL = "D"
# Machine keys after the visible columns, hidden: they let a re-import verify each row.
_CHECK_KEY_COLS = (
    _Col("col.key_store_id", 10, "key"),
    _Col("col.key_call_id", 10, "key"),
    _Col("col.key_check_id", 10, "key"),
    _Col("col.key_rules_version", 10, "key"),
    _Col("col.key_outcome", 10, "key"),
)

_QUEUE_COLS = (
    _Col("col.rank", 8, "int"),
    _Col("col.call_id", 14),
    _Col("col.agent", 18, "wrap"),
    _Col("col.priority", 10, "sim2"),
    _Col("col.random_sample", 10),
    _Col("col.doubtful_checks", 40, "wrap"),
    _Col("col.doubts", 44, "wrap"),
    _Col("col.score", 8, "score"),
)

_AGENT_COLS = (
    _Col("col.agent_id", 12),
    _Col("col.agent_name", 20),
    _Col("col.team", 16),
    _Col("col.calls", 10, "int"),
    *(_Col(f"param.{p}", 14, "pct") for p in PARAMETERS),
    _Col("col.avg_score", 12, "score"),
)

_ERROR_COLS = (
    _Col("col.source", 40, "wrap"),
    _Col("col.call_id", 16),
    _Col("col.error", 80, "wrap"),
)


class _StreamedSheet(Worksheet):
    """A constant-memory worksheet whose rows arrive as ready XML and whose hyperlinks wait in a file.

    XlsxWriter keeps a sheet's hyperlinks in memory until the workbook is closed; here they
    go to a temporary file and are read back when the sheet's XML is put together.
    """

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize(init_data)
        self._links: IO[str] | None = None
        if self.constant_memory:  # the rows' file again, with a buffer that holds a call's check rows
            self.row_data_fh.close()
            rows = open(self.row_data_filename, "w+", encoding="utf-8", buffering=WRITE_BUFFER)  # noqa: SIM115
            self.row_data_fh = self.fh = rows

    def add_row_xml(self, xml: str) -> None:
        """Append a serialised ``<row>`` element to the sheet data."""
        self.row_data_fh.write(xml)

    def add_link(self, row: int, col: int, location: str) -> None:
        """An internal hyperlink on cell (``row``, ``col``), zero-based, to ``location``."""
        if self._links is None:
            self._links = tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.tmpdir)  # noqa: SIM115
        self._links.write(f'<hyperlink ref="{xl_col_to_name(col)}{row + 1}" location="{_attr(location)}"/>')

    def set_rows(self, rows: int, cols: int) -> None:
        """Record the used range: ``rows`` rows by ``cols`` columns."""
        if rows:
            self.dim_rowmin, self.dim_rowmax = 0, rows - 1
            self.dim_colmin, self.dim_colmax = 0, cols - 1

    def _write_cols(self) -> None:
        # one <col> a column, never a merged range: a reader looks a column up by its own letter
        if not self.col_info:
            return
        self._xml_start_tag("cols")
        for col in sorted(self.col_info):
            self._write_col_info(col, col, self.col_info[col])
        self._xml_end_tag("cols")

    def _write_hyperlinks(self) -> None:
        if self._links is None:
            return
        self._xml_start_tag("hyperlinks")
        self._links.seek(0)
        while chunk := self._links.read(1 << 16):
            self.fh.write(chunk)
        self._xml_end_tag("hyperlinks")
        self.discard_links()

    def discard_links(self) -> None:
        """Close (and so remove) the temporary file of hyperlinks."""
        if self._links is not None:
            self._links.close()
            self._links = None


class _SmallSheet(Worksheet):
    """A worksheet kept in memory (the summary): its cells feed the chart's cached values."""

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize({**init_data, "constant_memory": False})

    def _opt_close(self) -> None:
        pass  # no temporary file of rows to close


class _Formats:
    """The workbook's cell formats, each made once from its properties."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self._made: dict[tuple[tuple[str, object], ...], Format] = {}

    def get(self, *parts: Mapping[str, object] | None, **extra: object) -> Format:
        """The format with the merged properties of ``parts`` and ``extra``."""
        props: dict[str, object] = {}
        for part in parts:
            props.update(part or {})
        props.update(extra)
        key = tuple(sorted(props.items()))
        fmt = self._made.get(key)
        if fmt is None:
            fmt = self._made[key] = self.wb.add_format(props)
        return fmt

    def xf(self, *parts: Mapping[str, object] | None, **extra: object) -> int:
        """The style index (``s``) of a format, for cells written as XML."""
        return self.get(*parts, **extra)._get_xf_index()


@dataclass(frozen=True)
class _Style:
    """How a column's cells are written: style indexes, and whether an empty cell is still written."""

    xf: int
    quoted: int  # the same style with a quote prefix: text that looks like a formula
    keep_empty: bool = False


# A cell as the fast row writer keeps it: its XML (``_ROW`` for the row number) and its lines.
_Entry = tuple[str, int]
# A column as the fast row writer sees it: its letter, its style, its width if wrapped (else 0),
# and the entries its cache always holds: an empty cell (None or ""), kept or left out.
_Column = tuple[str, _Style, float, dict[object, _Entry]]
_XML = operator.itemgetter(0)
_LINES = operator.itemgetter(1)


def _column(letter: str, style: _Style, col: _Col) -> _Column:
    empty = (f'<c r="{letter}{_ROW}" s="{style.xf}"/>' if style.keep_empty else "", 1)
    return letter, style, col.width if col.kind == "wrap" else 0, {None: empty, "": empty}


class _RowXml:
    """The XML of a table's rows, the row number left as ``_ROW``: made where the rows are made.

    Picklable: ``score --jobs`` has its workers make the rows of the big sheets with a copy of
    it, and the ``score`` process only puts the row numbers in. Its caches change no output.
    """

    def __init__(self, cols: Sequence[_Col], styles: Sequence[_Style], link_style: _Style, marker: str) -> None:
        self.cols = cols
        self.marker = marker
        self._letters = [xl_col_to_name(i) for i in range(len(cols))]
        self._wraps = _wraps(cols)
        self._columns = [
            _column(letter, style, col) for letter, col, style in zip(self._letters, cols, styles, strict=True)
        ]
        self._caches = [dict(column[3]) for column in self._columns]
        self._link_style = link_style
        # the same with a link column, by its index
        self._linked: dict[int, tuple[list[_Column], list[dict[object, _Entry]]]] = {}

    def xml(self, values: Sequence[object], link_col: int | None = None) -> str:
        """A ``<row>`` of ``values``; cell ``link_col`` (if given) styled as a link."""
        if link_col is None:
            return self._write_fast(values, self._columns, self._caches)
        linked = self._linked.get(link_col)
        if linked is None:
            columns = list(self._columns)
            columns[link_col] = _column(self._letters[link_col], self._link_style, self.cols[link_col])
            linked = self._linked[link_col] = (columns, [dict(column[3]) for column in columns])
        return self._write_fast(values, *linked)

    def _write_fast(
        self, values: Sequence[object], columns: Sequence[_Column], caches: Sequence[dict[object, _Entry]]
    ) -> str:
        """``plain`` with each column's recent cells remembered: their XML and their line counts.

        The same check-sheet texts come back row after row (call id, agent, check, outcome,
        reason, phrase, the key columns, the empty auditor cells): each is checked, escaped and
        measured once, then found in its column's small cache, its XML ready but for the row
        number (``_ROW``, a character no cell's XML holds). The look-ups, the row's height and
        its XML are each one pass in C; only a cell not in the cache (a number, a new text)
        costs a call.
        """
        if len(values) != len(columns):
            raise ValueError(f"a row of {len(values)} cells in a table of {len(columns)} columns")
        try:
            hits = list(map(dict.get, caches, values))
        except TypeError:  # an unhashable value: the plain writer says what is wrong
            return self.plain(values, [column[1] for column in columns])
        while None in hits:
            i = hits.index(None)
            hits[i] = self._entry(columns[i], caches[i], values[i])
        lines = max(map(_LINES, hits))
        if lines > 1:
            head = f'<row r="{_ROW}" ht="{min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 2):g}" customHeight="1">'
        else:
            head = f'<row r="{_ROW}">'
        return f"{head}{''.join(map(_XML, hits))}</row>"

    def _entry(self, column: _Column, cache: dict[object, _Entry], value: object) -> _Entry:
        """A cell of ``column`` not in its cache (its row number ``_ROW``).

        A short text is kept in the cache, and so is a fraction (a similarity, a confidence):
        the values of this module are text, float, int, bool, date or None, and no int or bool
        equals a float with a fraction part.
        """
        letter, style, width, fixed = column
        ref = letter + _ROW
        if type(value) is float and math.isfinite(value):
            entry = (f'<c r="{ref}" s="{style.xf}"><v>{value!r}</v></c>', 1)
            if value != int(value):  # kept: no integer or truth value equals it, as 1 == 1.0 == True do
                if len(cache) >= _CACHED_CELLS:
                    cache.clear()
                    cache.update(fixed)
                cache[value] = entry
            return entry
        if not isinstance(value, str):
            return _cell_xml(ref, style, value, self.marker), 1
        n = _lines(value, width) if width and (len(value) >= width - 3 or "\n" in value) else 1
        if type(value) is not str:
            return _text_xml(ref, style, str(value), self.marker), n
        if value[0] in _LEAD or value[-1] in _TRAIL or len(value) > CELL_LIMIT or _TEXT_SPECIAL.search(value):
            xml = _text_xml(ref, style, value, self.marker)
        else:
            xml = f'<c r="{ref}" s="{style.xf}" t="inlineStr"><is><t>{value}</t></is></c>'
        if len(value) <= _CACHED_TEXT:
            if len(cache) >= _CACHED_CELLS:
                cache.clear()
                cache.update(fixed)
            cache[value] = (xml, n)
        return xml, n

    def plain(
        self, values: Sequence[object], styles: Sequence[_Style], wraps: Sequence[tuple[int, float]] | None = None
    ) -> str:
        """A row with the given styles, with the height its wrapped text needs (no spreadsheet autofits on open).

        ``wraps`` (index and width of each wrapped column) defaults to the table's.
        """
        r = _ROW
        height = _row_height(self._wraps if wraps is None else wraps, values)
        parts = [f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">']
        add = parts.append
        special = _TEXT_SPECIAL.search
        for letter, style, value in zip(self._letters, styles, values, strict=True):
            if value is None or value == "":
                if style.keep_empty:
                    add(f'<c r="{letter}{r}" s="{style.xf}"/>')
            elif type(value) is not str:
                add(_cell_xml(letter + r, style, value, self.marker))
            elif value[0] in _LEAD or value[-1] in _TRAIL or len(value) > CELL_LIMIT or special(value):
                add(_text_xml(letter + r, style, value, self.marker))
            else:
                add(f'<c r="{letter}{r}" s="{style.xf}" t="inlineStr"><is><t>{value}</t></is></c>')
        add("</row>")
        return "".join(parts)


class _Table:
    """A streamed sheet with a styled header row, a row counter and Excel's row limit."""

    def __init__(
        self,
        wb: xlsxwriter.Workbook,
        formats: _Formats,
        title: str,
        cols: Sequence[_Col],
        lang: str,
        marker: str,
        page_title: str = "",
    ) -> None:
        self.ws: _StreamedSheet = wb.add_worksheet(title, worksheet_class=_StreamedSheet)
        self.title = title
        self.cols = cols
        self.rows = 0
        self.dropped = 0
        for i, col in enumerate(cols):
            # pixels, so that the file says exactly ``col.width`` characters (XlsxWriter adds padding)
            self.ws.set_column_pixels(i, i, round(col.width * 7), None, {"hidden": col.kind == "key"})
        self.ws.freeze_panes(1, 0)
        _print_pages(self.ws, f"{title} – {page_title}" if page_title else title, lang)
        self.ws.repeat_rows(0)
        header = _Style(formats.xf(_HEADER), formats.xf(_HEADER, quote_prefix=True))
        header_cols = [_Col(c.key, c.width, "text" if c.kind == "key" else "wrap") for c in cols]
        styles = [_style_of(formats, col) for col in cols]
        first = _kind_format(cols[0])
        link_style = _Style(formats.xf(first, _LINK), formats.xf(first, _LINK, quote_prefix=True))
        self.row_xml = _RowXml(cols, styles, link_style, marker)
        headers = [_header_text(c.key, lang) for c in cols]
        self.add_xml(self.row_xml.plain(headers, [header] * len(cols), _wraps(header_cols)))

    @property
    def next_row(self) -> int | None:
        """The row number the next ``add`` will take, or None when the sheet is full."""
        return self.rows + 1 if self.room(1) else None

    def room(self, rows: int) -> bool:
        """Whether ``rows`` more rows fit."""
        return self.rows + rows <= EXCEL_MAX_ROWS

    def link_to(self, row: int) -> str:
        """The location of row ``row`` (its first cell), for an internal hyperlink."""
        return f"{_quote_sheet(self.title)}!A{row}"

    def add(self, values: Sequence[object], link: str | None = None, link_col: int = 0) -> int | None:
        """Append one row; ``link`` makes cell ``link_col`` an internal hyperlink to that location."""
        if self.next_row is None:
            self.dropped += 1
            return None
        if link and values[link_col] not in (None, ""):
            self.ws.add_link(self.rows, link_col, link)
            self.add_xml(self.row_xml.xml(values, link_col))
        else:
            self.add_xml(self.row_xml.xml(values))
        return self.rows

    def add_xml(self, xml: str) -> None:
        """Append one row made by ``row_xml`` (the caller has checked there is room)."""
        row = self.rows + 1
        self.ws.add_row_xml(xml.replace(_ROW, str(row)))
        self.rows = row

    def add_many_xml(self, rows: Sequence[str]) -> None:
        """Append rows made by ``row_xml``, in one write (the caller has checked there is room)."""
        first = self.rows + 1
        self.ws.add_row_xml("".join([xml.replace(_ROW, str(n)) for n, xml in enumerate(rows, start=first)]))
        self.rows += len(rows)

    def last_row(self) -> int:
        """The last data row, or 2 for an empty table (so ranges stay valid)."""
        return max(self.rows, 2)

    def finish(self) -> None:
        """Record the used range and put the autofilter over the table."""
        self.ws.set_rows(self.rows, len(self.cols))
        self.ws.autofilter(0, 0, max(self.rows, 1) - 1, len(self.cols) - 1)


def _text_xml(ref: str, style: _Style, text: str, marker: str) -> str:
    """A ``<c>`` element of text: always text (inline), never a formula.

    Text that starts like a formula gets a quote prefix; text longer than a cell holds is cut,
    saying so with ``marker``; characters XML cannot hold are replaced; spaces at either end kept.
    """
    text = clip_text(text, marker=marker)
    xf = style.quoted if text.startswith(FORMULA_PREFIXES) else style.xf
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    text = _XML_SPECIAL.sub(_xml_char, text)
    return f'<c r="{ref}" s="{xf}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell_xml(ref: str, style: _Style, value: object, marker: str) -> str:
    """A ``<c>`` element of a number, a truth value, a date or a time; '' for a number Excel has not."""
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style.xf}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return ""  # Excel has no NaN or infinity
        return f'<c r="{ref}" s="{style.xf}"><v>{value!r}</v></c>'
    if isinstance(value, date | time):
        return f'<c r="{ref}" s="{style.xf}"><v>{_serial(value)!r}</v></c>'
    return _text_xml(ref, style, str(value), marker)


def _xml_char(match: re.Match[str]) -> str:
    char = match.group()
    return _XML_ESCAPES.get(char, "\ufffd")


def _attr(text: str) -> str:
    """``text`` escaped for an XML attribute."""
    return _ATTR_SPECIAL.sub(lambda m: _ATTR_ESCAPES.get(m.group(), "\ufffd"), text)


def _serial(value: date | time) -> float | int:
    """A date, time or date and time as Excel's serial number (1900 system, as openpyxl writes it)."""
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    moment = value if isinstance(value, datetime) else datetime.combine(value, time())
    days = (moment - _EXCEL_EPOCH).days
    if 0 < days <= 60:  # before 1900-03-01: Excel counts a 29 February 1900 that never was
        days -= 1
    return days + _serial(moment.time()) if isinstance(value, datetime) else days


def _print_pages(ws: Worksheet, title: str | None, lang: str) -> None:
    """A4 landscape, one page wide, narrow margins, the sheet's title on top, page numbers below."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.3, right=0.3, top=0.55, bottom=0.55)
    if title:
        text = printable(title, 200).replace("&", "&&")
        while len(text) > 245:  # Excel's limit for the whole header, with its codes
            text = text[:-1].removesuffix("&") if text.endswith("&&") else text[:-1]
        ws.set_header(f"&C&9 {text}", {"margin": 0.25})
    ws.set_footer(f"&C&9 {label('page_of', lang)}", {"margin": 0.25})


def _row_height(wraps: Sequence[tuple[int, float]], values: Sequence[object]) -> float | None:
    """Points needed by the tallest wrapped cell of a row; None for a single line.

    ``wraps`` holds the index and width of each wrapped column.
    """
    lines = 1
    for i, width in wraps:
        value = values[i]
        if isinstance(value, str) and (len(value) >= width - 3 or "\n" in value):
            lines = max(lines, _lines(value, width))
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 2) if lines > 1 else None


def _wraps(cols: Sequence[_Col]) -> list[tuple[int, float]]:
    """The index and width of each wrapped column."""
    return [(i, col.width) for i, col in enumerate(cols) if col.kind == "wrap"]


@functools.lru_cache(maxsize=4096)
def _short_lines(text: str, width: float) -> int:
    return wrapped_lines(text, width)


def _lines(text: str, width: float) -> int:
    """``wrapped_lines``, remembered for the short texts that come back row after row (labels, phrases)."""
    return _short_lines(text, width) if len(text) <= 300 else wrapped_lines(text[:CELL_LIMIT], width)


def _kind_format(col: _Col) -> dict[str, object]:
    """The format properties of a column's data cells."""
    if col.kind == "edit":
        return _EDIT
    if col.kind == "wrap":
        return _WRAP
    if col.kind in _FORMATS:
        return {**_TOP, "num_format": _FORMATS[col.kind]}
    return _TOP


def _style_of(formats: _Formats, col: _Col) -> _Style:
    """The style of a column's data cells; an empty auditor cell is still written (unlocked, shaded)."""
    props = _kind_format(col)
    return _Style(formats.xf(props), formats.xf(props, quote_prefix=True), keep_empty=col.kind == "edit")


class _QueueSpill:
    """The review queue's lines, kept in a temporary SQLite file until they are sorted by priority."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # a private temporary file, removed on close
        self.db.execute("CREATE TABLE queue (priority REAL, call_id BLOB, entry TEXT)")
        self._pending: list[tuple[float, bytes, str]] = []  # written a thousand at a time

    def add(self, entry: _QueueEntry, link: str | None) -> None:
        """Keep one call's line (``link``: to its first check row)."""
        fields = [entry.priority, entry.call_id, entry.agent, entry.score, entry.doubtful, entry.doubts, link]
        self._pending.append((entry.priority, text_blob(entry.call_id), json.dumps(fields)))
        if len(self._pending) >= 1000:
            self._write()

    def _write(self) -> None:
        self.db.executemany("INSERT INTO queue VALUES (?, ?, ?)", self._pending)
        self._pending.clear()

    def sorted(self) -> Iterator[_QueueEntry]:
        """The lines, the highest priority first, then by call id."""
        self._write()
        for (entry,) in self.db.execute("SELECT entry FROM queue ORDER BY priority DESC, call_id"):
            yield _QueueEntry(*json.loads(entry))

    def close(self) -> None:
        """Drop the temporary file."""
        self.db.close()


@dataclass
class _AgentTally:
    """Per-agent totals."""

    name: str = ""
    teams: set[str] = field(default_factory=set)
    calls: int = 0
    compliant: Counter[str] = field(default_factory=Counter)
    assessed: Counter[str] = field(default_factory=Counter)
    score_sum: float = 0.0
    score_n: int = 0


@dataclass
class _Tally:
    """Batch totals gathered while the rows stream out."""

    queue: _QueueSpill
    scored: int = 0
    errors: int = 0
    bad_lines: int = 0
    score_sum: float = 0.0
    score_n: int = 0
    compliant: Counter[str] = field(default_factory=Counter)
    assessed: Counter[str] = field(default_factory=Counter)
    checks: dict[str, Counter[str]] = field(default_factory=dict)
    rules_versions: Counter[str] = field(default_factory=Counter)
    first_start: datetime | None = None
    last_start: datetime | None = None
    agents: dict[str, _AgentTally] = field(default_factory=dict)


@dataclass(frozen=True)
class _QueueEntry:
    """What the review queue needs of one call: a few small fields, spilled while the rest streams out."""

    priority: float
    call_id: str
    agent: str
    score: float | None
    doubtful: str
    doubts: str
    link: str | None


def write_batch_workbook(
    jsonl_path: Path,
    out_path: Path,
    *,
    lang: str = "id",
    batch: str | None = None,
    store_id: str | None = None,
    sample: Collection[str] = (),
    sample_seed: int | None = None,
) -> None:
    """Write the batch workbook for the JSON Lines results in ``jsonl_path`` to ``out_path``.

    ``batch`` (the paths scored) replaces the results file's name on the summary sheet when
    the JSON Lines file is only a temporary one. ``store_id`` (the results store the calls
    were recorded in) goes into the check sheet's hidden key columns, so ``qa-scoring review
    import`` can tell a workbook of another store; ``sample`` marks the calls drawn for a
    random audit (with ``sample_seed``, said on the summary).
    """
    check_lang(lang)
    jsonl_path = Path(jsonl_path)
    with (
        jsonl_path.open(encoding="utf-8-sig", errors="replace") as fh,
        BatchWorkbook(out_path, jsonl_path, lang=lang, store_id=store_id) as book,
    ):
        for lineno, line in enumerate(fh, start=1):
            book.add_line(lineno, line)
        book.finish(batch=batch, sample=sample, sample_seed=sample_seed)


class BatchWorkbook:
    """The batch workbook, written while the results come (``score`` fills it as it scores).

    Use as a context manager: ``add`` (or ``add_line``) each result in order, then
    ``finish``, which writes the summary, the review queue and the agents, and renames the
    temporary file onto ``out_path``. Leaving the block without ``finish`` (an error, Ctrl-C)
    removes the temporary file: nothing half-written is left. ``jsonl_path`` is the JSON
    Lines file the results go to (its name heads the pages and the summary).
    """

    def __init__(self, out_path: Path, jsonl_path: Path, *, lang: str = "id", store_id: str | None = None) -> None:
        check_lang(lang)
        self.out_path, self.jsonl_path = Path(out_path), Path(jsonl_path)
        self.lang, self.store_id = lang, store_id or ""
        self.marker = label("clip_marker", lang)
        self._done = False
        fd, self._tmp = temp_beside(self.out_path, ".xlsx.tmp")
        try:  # Ctrl-C or SIGTERM while setting up leaves nothing behind either
            os.close(fd)
            self._wb = xlsxwriter.Workbook(str(self._tmp), _OPTIONS)
            self._wb.use_zip64()  # a sheet past 2 GB of XML; Python writes the ZIP64 records only where needed
            self.tally = _Tally(_QueueSpill())
            self._start()
        except BaseException:
            self._abandon()
            raise

    def _start(self) -> None:
        wb, lang = self._wb, self.lang
        self.formats = _Formats(wb)
        names: list[str] = []

        def title(key: str) -> str:
            names.append(sanitize_sheet_name(label(key, lang), names))
            return names[-1]

        self.summary_ws = wb.add_worksheet(title("sheet.summary"), worksheet_class=_SmallSheet)
        page_title = self.jsonl_path.name

        def table(key: str, cols: Sequence[_Col]) -> _Table:
            return _Table(wb, self.formats, title(key), cols, lang, self.marker, page_title)

        self.calls = table("sheet.calls", _CALL_COLS)
        self.checks = table("sheet.checks", _CHECK_COLS + _CHECK_KEY_COLS)
        self.queue = table("sheet.queue", _QUEUE_COLS)
        self.agents = table("sheet.agents", _AGENT_COLS)
        self.errors = table("sheet.errors", _ERROR_COLS)

    def add_line(self, lineno: int, line: str) -> None:
        """One line of a JSON Lines file (a line that is not a result goes on the error sheet)."""
        if not line.strip():
            return
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            self.tally.bad_lines += 1
            message = label("bad_json", self.lang).format(line=lineno, detail=exc.msg)
            self.errors.add([self.jsonl_path.name, None, message])
            return
        self.add(rec, lineno)

    def add(self, rec: object, lineno: int = 0) -> None:
        """One result, as its JSON Lines line holds it (``lineno``: that line, for a result without a status)."""
        status = rec.get("status") if isinstance(rec, dict) else None
        if status == "scored":
            assert isinstance(rec, dict)
            _write_call(rec, self.calls, self.checks, self.tally, self.lang, self.store_id)
        elif status == "error":
            assert isinstance(rec, dict)
            self.tally.errors += 1
            self.errors.add([_text(rec.get("source")), _text(rec.get("call_id")), result_error(rec, self.lang)])
        else:
            self.tally.bad_lines += 1
            message = label("bad_status", self.lang).format(line=lineno, status=status)
            self.errors.add([self.jsonl_path.name, None, message])

    def row_maker(self) -> RowMaker:
        """What makes a scored call's rows for ``add_rows`` (where the results are made: a worker, say)."""
        return RowMaker(self.calls.row_xml, self.checks.row_xml, self.lang, self.store_id)

    def add_rows(self, rows: CallRows | None, line: str) -> None:
        """One result: its rows made by ``row_maker`` from ``line`` (its JSON Lines line), or None.

        Without rows (an error line), or when a sheet has no room for them all, the line is
        read and added as ``add`` does: the workbook is the same either way.
        """
        checks, calls = self.checks, self.calls
        if rows is None or not (checks.room(len(rows.checks)) and calls.room(1)):
            self.add(json.loads(line))
            return
        link = checks.link_to(checks.rows + 1)
        checks.add_many_xml(rows.checks)
        if rows.linked:
            calls.ws.add_link(calls.rows, 0, link)
        calls.add_xml(rows.call)
        _count_call(self.tally, rows.tally, link)

    def finish(self, *, batch: str | None = None, sample: Collection[str] = (), sample_seed: int | None = None) -> None:
        """Write the closing sheets and publish the workbook (see the class for ``batch`` and ``sample``)."""
        tally, lang = self.tally, self.lang
        _write_agents(self.agents, tally, lang)
        _write_queue(self.queue, tally, set(sample), lang)
        _style_tables(self.formats, self.calls, self.checks, self.agents, lang)
        _auditor_columns(self.checks, lang)
        tables = (self.calls, self.checks, self.queue, self.agents, self.errors)
        for t in tables:
            t.finish()
        sampled = (len(set(sample)), sample_seed)
        _write_summary(
            self._wb, self.formats, self.summary_ws, self.jsonl_path, tally, tables, lang, self.marker, batch, sampled
        )
        self._wb.close()
        publish(self._tmp, self.out_path)
        self._done = True

    def _abandon(self) -> None:
        """Remove the temporary workbook and whatever of it was set up (``__init__`` may stop anywhere)."""
        if hasattr(self, "_wb"):
            _discard(self._wb)
        self._tmp.unlink(missing_ok=True)
        if hasattr(self, "tally"):
            self.tally.queue.close()

    def __enter__(self) -> BatchWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._done:
            self.tally.queue.close()
        else:
            self._abandon()


# --- rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CallTally:
    """What one scored call adds to the batch's tallies (all but its link)."""

    counts: list[tuple[str, str]]  # (check id, outcome) of each check
    queue: _QueueEntry  # its link left out
    agent_id: str
    agent_name: str
    team: str
    score: float | None
    rules_version: str
    start: datetime | None
    params: list[tuple[str, bool]]  # the parameters assessed, and whether compliant


@dataclass(frozen=True)
class _CallParts:
    """One scored call's rows (cell values) and its tallies."""

    check_rows: list[list[object]]
    call_row: list[object]
    tally: _CallTally


@dataclass(frozen=True)
class CallRows:
    """One scored call's part of the batch workbook, ready but for its row numbers (made by ``RowMaker``).

    ``checks`` and ``call`` are the XML of its check rows and its call row; ``linked`` says
    whether the call row's first cell is styled as the link to its first check row.
    """

    checks: list[str]
    call: str
    linked: bool
    tally: _CallTally


@dataclass(frozen=True)
class RowMaker:
    """Makes a scored call's ``CallRows`` from its JSON Lines result (picklable: ``score --jobs`` runs it in
    the workers, so that the ``score`` process only numbers and writes the rows)."""

    calls: _RowXml
    checks: _RowXml
    lang: str
    store_id: str

    def __call__(self, rec: object) -> CallRows | None:
        """The rows of a scored call; None for any other line (an error: the workbook reads the line itself)."""
        if not isinstance(rec, dict) or rec.get("status") != "scored":
            return None
        parts = _call_parts(rec, self.lang, self.store_id)
        linked = parts.call_row[0] not in (None, "")
        checks = [self.checks.xml(row) for row in parts.check_rows]
        return CallRows(checks, self.calls.xml(parts.call_row, 0 if linked else None), linked, parts.tally)


def _write_call(rec: Mapping[str, Any], calls: _Table, checks: _Table, tally: _Tally, lang: str, store_id: str) -> None:
    """Write one scored call: its check rows, then its call row; add it to the tallies."""
    parts = _call_parts(rec, lang, store_id)
    first_row = checks.next_row
    for row in parts.check_rows:
        checks.add(row)
    link = checks.link_to(first_row) if first_row else None
    calls.add(parts.call_row, link=link)
    _count_call(tally, parts.tally, link)


def _call_parts(rec: Mapping[str, Any], lang: str, store_id: str) -> _CallParts:
    """The rows and tallies of one scored call."""
    call_id = _text(rec.get("call_id"))
    agent_id = _text(rec.get("agent_id"))
    agent_name = _text(rec.get("agent_name"))
    team = _text(rec.get("team"))
    start = _local_start(rec.get("call_start"))
    params = rec.get("parameters") if isinstance(rec.get("parameters"), dict) else {}
    score = _number(rec.get("score"))
    check_list = [c for c in rec.get("checks") or [] if isinstance(c, dict)]
    failed = rec.get("failed_checks")
    if not isinstance(failed, list):
        failed = [c.get("id") for c in check_list if c.get("outcome") == "fail"]
    rules_version = _text(rec.get("rules_version"))

    agent_cell = f"{agent_name} ({agent_id})" if agent_name and agent_id else agent_name or agent_id
    order = [_text(c.get("id")) for c in check_list]
    check_rows = []
    counts = []
    for check in check_list or [{}]:
        row = _check_row(call_id, agent_cell, check, lang, order)
        if check:
            check_id = _text(check.get("id"))
            row[-len(_CHECK_KEY_COLS) :] = [store_id, call_id, check_id, rules_version, check.get("outcome")]
            counts.append((check_id, _text(check.get("outcome"))))
        check_rows.append(row)
    call_row = [
        call_id,
        agent_id,
        agent_name,
        team,
        start.date() if start else _text(rec.get("call_start")),
        start.time() if start else None,
        *(_yes_no(params.get(p), lang) for p in PARAMETERS),
        score,
        ", ".join(_check_label(_text(c), lang) for c in failed),
        rules_version,
        _text(rec.get("source")),
        _join(result_warnings(rec, lang), "; "),
    ]
    assessed = [(p, value) for p in PARAMETERS if isinstance(value := params.get(p), bool)]
    queue = _queue_entry(rec, call_id, agent_cell, score, check_list, lang)
    tally = _CallTally(counts, queue, agent_id, agent_name, team, score, rules_version, start, assessed)
    return _CallParts(check_rows, call_row, tally)


def _count_call(tally: _Tally, call: _CallTally, link: str | None) -> None:
    """Add one scored call to the tallies (``link``: to its first check row)."""
    for check_id, outcome in call.counts:
        counts = tally.checks.get(check_id)
        if counts is None:
            counts = tally.checks[check_id] = Counter()
        counts[outcome] += 1
    tally.queue.add(call.queue, link)
    tally.scored += 1
    score, start = call.score, call.start
    if score is not None:
        tally.score_sum += score
        tally.score_n += 1
    if call.rules_version:
        tally.rules_versions[call.rules_version] += 1
    if start:
        tally.first_start = min(tally.first_start or start, start)
        tally.last_start = max(tally.last_start or start, start)
    agent = tally.agents.setdefault(call.agent_id, _AgentTally())
    agent.calls += 1
    agent.name = call.agent_name or agent.name
    if call.team:
        agent.teams.add(call.team)
    if score is not None:
        agent.score_sum += score
        agent.score_n += 1
    for p, value in call.params:
        for counts in (tally, agent):
            counts.assessed[p] += 1
            counts.compliant[p] += value


# The labels of a row, looked up once for each check id and outcome (the label tables never change).
_check_label = functools.lru_cache(maxsize=4096)(check_label)
_outcome_label = functools.lru_cache(maxsize=64)(outcome_label)


def _check_row(
    call_id: str, agent: str, check: Mapping[str, Any], lang: str, order: Sequence[str] = ()
) -> list[object]:
    """The cells of one check row; an empty ``check`` gives a placeholder row.

    ``order`` is the call's check ids in rules-file order: an order check names its elements
    in words, in that order, never by id.
    """
    width = len(_CHECK_COLS) + len(_CHECK_KEY_COLS)
    if not check:
        return [call_id, agent, label("no_checks", lang), *[None] * (width - 3)]
    check_id = _text(check.get("id"))
    ev = check.get("evidence") if isinstance(check.get("evidence"), dict) else {}
    more = check.get("more_evidence")
    passages = [e for e in [ev, *(more if isinstance(more, list) else [])] if isinstance(e, dict) and e]
    element_ids = [_text(e.get("phrase")) for e in passages]
    reason = check_reason(check, lang)
    if passages and all(e.get("kind") == "info" and p in order for e, p in zip(passages, element_ids, strict=True)):
        # an order check: its passages name the elements (check ids) in the order said
        for element in sorted(set(element_ids), key=len, reverse=True):
            reason = reason.replace(element, check_short_label(element, lang))
        sop = [c for c in order if c in element_ids]
        said = " → ".join(
            f"#{_int(e.get('turn'))} {check_short_label(p, lang)}".removeprefix("#None ")
            for e, p in zip(passages, element_ids, strict=True)
        )
        words, phrase, sim, more_text = said, " → ".join(check_short_label(c, lang) for c in sop), None, ""
        when = ""
    else:
        words, phrase = _text(ev.get("text")), _text(ev.get("phrase"))
        sim, more_text = _number(ev.get("similarity")), _more_evidence(more, lang, words)
        when = _turn_ref(ev, lang) if ev else ""
    return [
        call_id,
        agent,
        _check_label(check_id, lang),
        _outcome_label(_text(check.get("outcome")), lang),
        reason,
        when,
        words,
        phrase,
        sim,
        more_text,
        _number(check.get("confidence")),
        None,
        None,
        None,
        *[None] * len(_CHECK_KEY_COLS),
    ]


def _turn_ref(ev: Mapping[str, Any], lang: str) -> str:
    """A passage's turn and time on two lines (``#20``, ``09:14:32``); untimed: "tanpa waktu giliran"."""
    turn = _int(ev.get("turn"))
    parts = [f"#{turn}"] if turn is not None else []
    when = _turn_time(ev, lang)
    if when:
        parts.append(when)
    return "\n".join(parts)


def _more_evidence(items: object, lang: str, shown: str | None = None) -> str:
    """Further passages, one a line: ``#turn time “text” (similarity)``.

    Words already quoted (``shown``, the main evidence's, or an earlier line's) are not quoted
    again: such a line names the SOP phrase it matched, ``#turn time [phrase] (similarity)``, so
    an announcement whose elements were all said in one turn reads as one quote and its parts.
    """
    if not isinstance(items, list):
        return ""
    quoted = {shown} if shown else set()
    lines = []
    for ev in items:
        if not isinstance(ev, dict):
            continue
        parts = []
        if _int(ev.get("turn")) is not None:
            parts.append(f"#{ev['turn']}")
        when = _turn_time(ev, lang)
        if when:
            parts.append(when)
        text, phrase = _text(ev.get("text")), _text(ev.get("phrase"))
        if text and (text not in quoted or not phrase):
            parts.append(f"“{text}”")
            quoted.add(text)
        elif phrase:
            parts.append(f"[{phrase}]")
        sim = _number(ev.get("similarity"))
        if sim is not None:
            parts.append(f"({sim:.1f})")
        kind = _text(ev.get("kind"))
        if kind and kind != "match":
            parts.append(f"– {label(f'kind.{kind}', lang, default=kind)}")
        lines.append(" ".join(parts))
    return "\n".join(lines)


def _queue_entry(
    rec: Mapping[str, Any],
    call_id: str,
    agent: str,
    score: float | None,
    checks: list[dict],
    lang: str,
) -> _QueueEntry:
    """A call's line of the review queue: its priority, its doubtful checks and why (its link, to the
    call's first check row, is given when the line is kept: ``_QueueSpill.add``)."""
    doubtful = sorted(
        (c for c in checks if isinstance(c.get("confidence"), int | float) and c["confidence"] < DOUBTFUL),
        key=lambda c: c["confidence"],
    )
    shown = [f"{_check_label(_text(c.get('id')), lang)} ({c['confidence']:.0%})" for c in doubtful[:3]]
    if len(doubtful) > 3:
        shown.append(label("more_checks", lang).format(n=len(doubtful) - 3))
    reasons = dict.fromkeys(doubt_text(d, lang) for c in doubtful for d in c.get("doubts") or [])
    priority = _number(rec.get("review_priority"))
    return _QueueEntry(priority or 0.0, call_id, agent, score, "\n".join(shown), "; ".join(reasons), None)


def _write_queue(queue: _Table, tally: _Tally, sample: set[str], lang: str) -> None:
    """The review queue: every call, the least certain first; the random-audit calls marked."""
    for rank, e in enumerate(tally.queue.sorted(), start=1):
        in_sample = yes_no(True, lang) if e.call_id in sample else None
        queue.add([rank, e.call_id, e.agent, e.priority, in_sample, e.doubtful, e.doubts, e.score], e.link, 1)


def _auditor_columns(checks: _Table, lang: str) -> None:
    """Drop-down verdicts in the auditor's column; the sheet protected so only her columns change."""
    choices = [outcome_label(o, lang) for o in ("pass", "fail", "na")]
    col = len(_CHECK_COLS) - 3
    checks.ws.data_validation(
        1,
        col,
        checks.last_row() - 1,
        col,
        {
            "validate": "list",
            "source": choices,
            "ignore_blank": True,
            "show_error": True,
            "error_title": label("dv.error_title", lang),
            "error_message": label("dv.error", lang).format(choices=", ".join(choices)),
            "input_title": label("col.auditor_verdict", lang),
            "input_message": label("dv.prompt", lang),
            "show_input": True,
        },
    )
    # True: allowed on the protected sheet
    allowed = ("autofilter", "sort", "format_columns", "format_rows", "format_cells", "objects", "scenarios")
    checks.ws.protect("", dict.fromkeys(allowed, True))


def _write_agents(agents: _Table, tally: _Tally, lang: str) -> None:
    """One row per agent, by team then agent id."""

    def order(item: tuple[str, _AgentTally]) -> tuple[str, str]:
        return (", ".join(sorted(item[1].teams)), item[0])

    for agent_id, a in sorted(tally.agents.items(), key=order):
        agents.add(
            [
                agent_id or label("unknown_agent", lang),
                a.name,
                ", ".join(sorted(a.teams)),
                a.calls,
                *(_share(a.compliant[p], a.assessed[p]) for p in PARAMETERS),
                a.score_sum / a.score_n if a.score_n else None,
            ]
        )


def _style_tables(formats: _Formats, calls: _Table, checks: _Table, agents: _Table, lang: str) -> None:
    """Conditional formatting: Ya/Tidak and outcomes coloured, agent percentages on a scale."""
    first, last = _CALL_PARAM_COLS[0], _CALL_PARAM_COLS[-1]
    for value, style in ((True, _GOOD), (False, _BAD)):
        rule = {"type": "cell", "criteria": "equal to", "value": _q(yes_no(value, lang)), "format": formats.get(style)}
        calls.ws.conditional_format(f"{first}2:{last}{calls.last_row()}", rule)

    rng = f"{_CHECK_OUTCOME_COL}2:{_CHECK_OUTCOME_COL}{checks.last_row()}"
    for outcome, style in (("pass", _GOOD), ("fail", _BAD), ("na", _NEUTRAL)):
        rule = {"type": "cell", "criteria": "equal to", "value": _q(outcome_label(outcome, lang)),
                "format": formats.get(style)}  # fmt: skip
        checks.ws.conditional_format(rng, rule)

    scale = {
        "type": "3_color_scale",
        "min_type": "num", "min_value": 0, "min_color": "#F8696B",
        "mid_type": "num", "mid_value": 0.75, "mid_color": "#FFEB84",
        "max_type": "num", "max_value": 1, "max_color": "#63BE7B",
    }  # fmt: skip
    agents.ws.conditional_format(f"{_letter(5)}2:{_letter(4 + len(PARAMETERS))}{agents.last_row()}", scale)


# --- summary ----------------------------------------------------------------------------


def _write_summary(
    wb: xlsxwriter.Workbook,
    formats: _Formats,
    ws: Worksheet,
    jsonl_path: Path,
    tally: _Tally,
    tables: Sequence[_Table],
    lang: str,
    marker: str,
    batch: str | None,
    sampled: tuple[int, int | None] = (0, None),
) -> None:
    """The summary sheet: key figures, compliance per parameter with a chart, fails per check."""
    for i, width in enumerate((46, 24, 10, 12, 14, 10, 14)):
        ws.set_column_pixels(i, i, round(width * 7))
    _print_pages(ws, None, lang)
    row = _SummaryWriter(ws, formats, marker)
    row.add([(label("sum.title", lang), _TITLE)])
    row.add([])
    if batch is None:
        row.pair(label("sum.input", lang), jsonl_path.name)
    else:
        row.pair(label("sum.batch", lang), batch)
    row.pair(label("sum.created", lang), datetime.now().replace(microsecond=0), "yyyy-mm-dd hh:mm")
    row.pair(label("sum.scored", lang), tally.scored, "0")
    row.pair(label("sum.errors", lang), tally.errors, "0")
    if tally.bad_lines:
        row.pair(label("sum.bad_lines", lang), tally.bad_lines, "0")
    avg = tally.score_sum / tally.score_n if tally.score_n else None
    row.pair(label("sum.avg_score", lang), avg, SCORE)
    versions = "; ".join(f"{v} ({n})" for v, n in sorted(tally.rules_versions.items()))
    row.pair(label("sum.rules_versions", lang), versions)
    if tally.first_start and tally.last_start:
        period = f"{tally.first_start:%Y-%m-%d} – {tally.last_start:%Y-%m-%d}"
        row.pair(label("sum.period", lang), period)
    if sampled[0]:
        row.pair(label("sum.sample", lang), label("sum.sample_value", lang).format(n=sampled[0], seed=sampled[1]))
    if not tally.scored:
        row.add([(label("sum.no_calls", lang), _BOLD)])
    for table in tables:
        if table.dropped:
            text = label("sum.truncated", lang).format(sheet=table.title, n=table.dropped, limit=EXCEL_MAX_ROWS)
            row.add([(text, _BOLD)])

    row.add([])
    row.add([(label("sum.params_title", lang), _SECTION)])
    header_row = row.header(
        [label(k, lang) for k in ("col.parameter", "col.compliant", "col.assessed", "col.compliance")]
    )
    for p in PARAMETERS:
        row.add(
            [
                (param_label(p, lang), None),
                (tally.compliant[p], "0"),
                (tally.assessed[p], "0"),
                (_share(tally.compliant[p], tally.assessed[p]), PERCENT),
            ]
        )
    last_param_row = row.row

    row.add([])
    # leave room for the chart beside the key figures and the parameter table
    while row.row < 19:
        row.add([])
    row.add([(label("sum.checks_title", lang), _SECTION)])
    keys = ("col.check", "col.check_id", "col.fails", "col.applied", "col.fail_rate", "col.passes", "col.na")
    row.header([label(k, lang) for k in keys])
    for check_id, counts in tally.checks.items():
        applied = counts["pass"] + counts["fail"]
        row.add(
            [
                (check_label(check_id, lang), None),
                (check_id, None),
                (counts["fail"], "0"),
                (applied, "0"),
                (_share(counts["fail"], applied), PERCENT),
                (counts["pass"], "0"),
                (counts["na"], "0"),
            ]
        )

    if tally.scored:
        chart = wb.add_chart({"type": "column"})
        name = ws.get_name()
        chart.add_series(
            {
                "categories": [name, header_row, 0, last_param_row - 1, 0],
                "values": [name, header_row, 3, last_param_row - 1, 3],
                "data_labels": {"value": True, "num_format": PERCENT},
            }
        )
        chart.set_title({"name": label("sum.chart_title", lang)})
        chart.set_legend({"none": True})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%", "major_gridlines": {"visible": False}})
        # anchored to the cells it covers: 400 by 283 pixels prints as the 13.5 by 7.5 cm
        # free-floating chart did before (LibreOffice draws cell columns wider than Excel)
        chart.set_size({"width": 400, "height": 283})
        ws.insert_chart("F3", chart)
    else:
        row.add([])
        row.add([(label("sum.no_chart", lang), None)])


class _SummaryWriter:
    """Appends summary rows to the summary sheet, keeping the row number (1-based, as Excel counts)."""

    def __init__(self, ws: Worksheet, formats: _Formats, marker: str) -> None:
        self.ws = ws
        self.formats = formats
        self.marker = marker
        self.row = 0

    def add(self, cells: Sequence[tuple[object, Mapping[str, object] | str | None]]) -> int:
        """Append a row of (value, format-properties-or-number-format) pairs."""
        for col, (value, style) in enumerate(cells):
            props = {"num_format": style} if isinstance(style, str) else style
            self._put(col, value, props)
        self.row += 1
        return self.row

    def pair(self, name: str, value: object, number_format: str | None = None) -> int:
        """A key figure: bold name, then the value, left-aligned."""
        self._put(0, name, _BOLD)
        self._put(1, value, {**_LEFT, "num_format": number_format} if number_format else _LEFT)
        self.row += 1
        return self.row

    def header(self, names: Sequence[str]) -> int:
        """A table header row in the shared header style."""
        for col, name in enumerate(names):
            self._put(col, name, _HEADER)
        self.row += 1
        return self.row

    def _put(self, col: int, value: object, props: Mapping[str, object] | None) -> None:
        """One cell of the current row; text always as text, numbers and dates as themselves."""
        if value is None or value == "":
            if props:
                self.ws.write_blank(self.row, col, None, self.formats.get(props))
            return
        if isinstance(value, str):
            text = clip_text(value, marker=self.marker)
            quoted = {"quote_prefix": True} if text.startswith(FORMULA_PREFIXES) else None
            self.ws.write_string(self.row, col, text, self.formats.get(props, quoted))
        elif isinstance(value, datetime):
            self.ws.write_datetime(self.row, col, value, self.formats.get(props))
        elif isinstance(value, int | float) and math.isfinite(value):
            self.ws.write_number(self.row, col, value, self.formats.get(props))


# --- small helpers ----------------------------------------------------------------------


def _header_text(key: str, lang: str) -> str:
    """Header text for a column key (parameters use their display names)."""
    if key.startswith("param."):
        return param_label(key.removeprefix("param."), lang)
    return label(key, lang)


def _text(value: object) -> str:
    """A JSON value as display text ('' for null)."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


def _join(value: object, sep: str) -> str:
    """A list joined with ``sep``; a single value as text."""
    if isinstance(value, list):
        return sep.join(_text(v) for v in value)
    return _text(value)


def _number(value: object) -> float | None:
    """A JSON number, else None."""
    if type(value) is float:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: object) -> int | None:
    """A JSON integer, else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _share(part: int, whole: int) -> float | None:
    """``part / whole`` as a fraction, None when ``whole`` is 0."""
    return part / whole if whole else None


def _yes_no(value: object, lang: str) -> str | None:
    """Ya/Tidak for a boolean parameter, None when missing."""
    return yes_no(value, lang) if isinstance(value, bool) else None


def _q(text: str) -> str:
    """A string literal for a conditional-format formula."""
    return '"' + text.replace('"', '""') + '"'


def _quote_sheet(title: str) -> str:
    """A sheet name quoted for a cell reference."""
    return "'" + title.replace("'", "''") + "'"


def _local_start(value: object) -> datetime | None:
    """``call_start`` as a naive local datetime: its own offset kept, a UTC time shown in WIB."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        if moment.utcoffset() == timedelta(0):
            with contextlib.suppress(OverflowError):  # the end of year 9999 in UTC is past the calendar's end
                moment = moment.astimezone(WIB)
        moment = moment.replace(tzinfo=None)
    return moment if moment.year >= 1900 else None  # Excel has no dates before 1900


def _turn_time(ev: Mapping[str, Any], lang: str) -> str:
    """The local clock time of a passage, else its offset from the call start as ``+mm:ss``.

    A transcript without turn times has only the call start as every passage's time: it says
    "tanpa waktu giliran" ("no turn times") rather than repeat the call start.
    """
    start = _number(ev.get("start"))
    if start is None or not math.isfinite(start):
        return label("no_turn_times", lang) if ev.get("time") else ""
    if ev.get("time"):
        return _text(ev.get("time"))
    total = round(start)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"+{hours}:{minutes:02d}:{seconds:02d}" if hours else f"+{minutes:02d}:{seconds:02d}"


def _discard(wb: xlsxwriter.Workbook) -> None:
    """Remove the temporary files of a workbook that will not be saved."""
    for ws in wb.worksheets():
        if isinstance(ws, _StreamedSheet):
            ws.discard_links()
        if ws.constant_memory and getattr(ws, "row_data_filename", None):
            with contextlib.suppress(OSError, ValueError):
                ws._opt_close()
                os.unlink(ws.row_data_filename)
