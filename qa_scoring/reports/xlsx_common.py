"""Shared helpers for the Excel reporters: safe cell values, names, styles, atomic save.

openpyxl (and numpy, which it loads when present) is imported on first use only: the batch
workbook uses the text helpers here without it, and keeps its memory small.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_scoring.fileutil import publish, temp_beside

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

CELL_LIMIT = 32767
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "HEADER_FONT": Font(bold=True, color="FFFFFF"),
        "HEADER_FILL": PatternFill("solid", fgColor="1F4E78"),
        "PASS_FILL": PatternFill("solid", fgColor="C6EFCE"),
        "FAIL_FILL": PatternFill("solid", fgColor="FFC7CE"),
        "NA_FILL": PatternFill("solid", fgColor="EDEDED"),
        "WRAP": Alignment(wrap_text=True, vertical="top"),
    }


def __getattr__(name: str) -> Any:
    """The shared openpyxl styles (``HEADER_FONT``, ``HEADER_FILL``, ``WRAP``, ...), made on first use."""
    if name in ("HEADER_FONT", "HEADER_FILL", "PASS_FILL", "FAIL_FILL", "NA_FILL", "WRAP"):
        globals().update(_styles())
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_RESERVED_SHEETS = frozenset({"history"})  # Excel keeps this name for itself
_FILE_BAD = re.compile(r"[^\w.-]+")


def clip_text(text: str, limit: int = CELL_LIMIT, marker: str = " … [dipotong {n} karakter]") -> str:
    """Cut ``text`` to fit a cell, saying how many characters were cut."""
    text = _ILLEGAL.sub(" ", text)
    if len(text) <= limit:
        return text
    tail = marker.format(n=len(text) - limit)
    keep = limit - len(tail)
    tail = marker.format(n=len(text) - keep)
    return text[:keep] + tail


def printable(text: str, limit: int = 250) -> str:
    """``text`` without the control characters XML cannot hold, cut to ``limit`` (page headers, chart titles)."""
    return _ILLEGAL.sub(" ", text)[:limit]


def set_value(cell: Cell, value: object, *, marker: str = " … [dipotong {n} karakter]") -> Cell:
    """Write ``value`` into ``cell``; strings always land as text, never as a formula."""
    if isinstance(value, str):
        text = clip_text(value, marker=marker)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def append_row(ws: Worksheet, values: Sequence[object]) -> int:
    """Append a row of values safely; returns the row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        set_value(ws.cell(row=row, column=col), value)
    return row


def write_header(ws: Worksheet, headers: Sequence[str], widths: Sequence[float] | None = None) -> None:
    """Write a styled, frozen, filterable header row in row 1."""
    from openpyxl.styles import Alignment

    styles = _styles()
    for col, name in enumerate(headers, start=1):
        cell = set_value(ws.cell(row=1, column=col), name)
        cell.font = styles["HEADER_FONT"]
        cell.fill = styles["HEADER_FILL"]
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "A2"
    if widths:
        set_widths(ws, widths)


def finish_table(ws: Worksheet, ncols: int) -> None:
    """Put an autofilter over the used range of a header-row table."""
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{max(ws.max_row, 1)}"


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    """Set column widths in characters."""
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def print_setup(
    ws: Any,
    pages_wide: int = 1,
    *,
    title: str | None = None,
    lang: str = "id",
    one_page: bool = False,
) -> None:
    """A4 landscape, ``pages_wide`` pages across (one page in all with ``one_page``), narrow margins.

    ``title`` goes in the page header; the footer numbers the pages in ``lang``
    ("Halaman 2 dari 5").
    """
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    from qa_scoring.reports.labels import label

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.55, bottom=0.55, header=0.25, footer=0.25)
    if title:
        ws.oddHeader.center.text = printable(title, 200).replace("&", "&&")
        ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = label("page_of", lang)
    ws.oddFooter.center.size = 9


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (word wrap, as printed).

    A column width counts digits of the default font; ordinary text is a little narrower, so a
    line holds about 1.1 characters per unit of width, less a character of cell padding.
    """
    per_line = max(4, int(width * 1.1) - 1)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used:
                lines += 1
            lines += (size - 1) // per_line
            used = size - per_line * ((size - 1) // per_line)
        total += lines
    return total


def fit_row_height(ws: Worksheet, row: int, *, line_height: float = 15.0, min_lines: int = 1) -> float:
    """Set ``row``'s height so that every wrapped cell in it shows all of its text; returns the height.

    Spreadsheet programs do not grow a row written by openpyxl, so the height is computed here
    from the text and the column widths (bold text counts 10% wider). Merged cells count the
    width of every column they span. Only columns with a set width are looked at.
    """
    from openpyxl.utils import column_index_from_string, get_column_letter

    spans = {
        (rng.min_row, rng.min_col): sum(
            ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(rng.min_col, rng.max_col + 1)
        )
        for rng in ws.merged_cells.ranges
        if rng.min_row == row
    }
    lines = min_lines
    last = max((column_index_from_string(letter) for letter in ws.column_dimensions), default=0)
    for col in range(1, last + 1):
        cell = ws._cells.get((row, col))  # never create cells: ws[row] would scan the whole sheet
        if cell is None or cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
            continue
        width = spans.get((row, cell.column)) or ws.column_dimensions[get_column_letter(cell.column)].width or 8.43
        size = (cell.font.sz or 11) if cell.font else 11
        scale = size / 11 * (1.1 if cell.font and cell.font.b else 1.0)
        lines = max(lines, wrapped_lines(str(cell.value), width / scale))
    height = round(lines * line_height + 3, 1)
    ws.row_dimensions[row].height = height
    return height


def sanitize_sheet_name(name: str, existing: Collection[str] = ()) -> str:
    """A valid, unique sheet name derived from ``name``.

    At most 31 characters; no ``[]:*?/\\``; control characters (tab, newline, ...) become spaces;
    no apostrophe at either end (Excel refuses it); not the reserved name ``History``. An
    apostrophe inside stays: quote the name with ``sheet_ref`` in a reference or a formula.
    """
    base = " ".join(_SHEET_CONTROL.sub(" ", name).split())
    base = _SHEET_BAD.sub("_", base).strip("' ") or "Sheet"
    base = base[:31].rstrip("' ") or "Sheet"
    if base.lower() in _RESERVED_SHEETS:
        base = f"{base}_"
    taken = {n.lower() for n in existing}
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (control characters, lone surrogates).

    For every string openpyxl writes outside a cell value: chart titles, sheet titles, names.
    """
    return _SHEET_CONTROL.sub(" ", text) if _SHEET_CONTROL.search(text) else text


def sheet_ref(title: str, cell: str = "A1") -> str:
    """A reference to ``cell`` on sheet ``title``, always quoted (``'Tim O''Neil'!A1``), for a link location."""
    return "'" + title.replace("'", "''") + "'!" + cell


def hyperlink_formula(title: str, label: str, cell: str = "A1") -> str:
    """An ``=HYPERLINK("#'sheet'!A1","label")`` formula; quotes inside are doubled, control characters dropped.

    Prefer a cell hyperlink (``cell.hyperlink = Hyperlink(ref="", location=sheet_ref(...))``):
    it needs no formula at all. This is for where a formula is wanted.
    """
    target = ("#" + sheet_ref(title, cell)).replace('"', '""')
    text = _SHEET_CONTROL.sub(" ", label).replace('"', '""')[:255]
    return f'=HYPERLINK("{target}","{text}")'


def sanitize_filename(name: str) -> str:
    """A safe file-name fragment derived from ``name`` (letters, digits, ``.``, ``-``, ``_``)."""
    cleaned = _FILE_BAD.sub("_", name).strip("._")
    return cleaned[:80] or "unnamed"


def atomic_save(wb: Workbook, path: Path) -> None:
    """Save ``wb`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    fd, tmp = temp_beside(path, ".xlsx.tmp")
    os.close(fd)
    try:
        wb.save(tmp)
        publish(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
