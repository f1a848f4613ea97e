"""The batch workbook: a streaming Excel report of one JSON Lines results file.

Sheets (Indonesian names by default): summary with a compliance chart, one row per call,
one row per check with its evidence and the auditor's columns, the review queue, one row
per agent, and the lines that were errors.
The JSON Lines file is read once, line by line; rows go straight to write-only sheets,
so memory holds only the per-check, per-parameter and per-agent tallies and one short
review-queue line per call, sorted by priority at the end.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.hyperlink import Hyperlink

from qa_scoring.confidence import DOUBTFUL
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
    HEADER_FILL,
    HEADER_FONT,
    WRAP,
    atomic_save,
    print_setup,
    sanitize_sheet_name,
    set_value,
    wrapped_lines,
)

EXCEL_MAX_ROWS = 1_048_576
LINE_HEIGHT = 15.0  # points per line of 11 pt text
MAX_ROW_HEIGHT = 409.0
PERCENT = "0.0%"
SCORE = "0.0"
WIB = timezone(timedelta(hours=7))


def _cf_style(fill: str, font: str) -> dict[str, Any]:
    """Fill and font arguments for a conditional-format rule.

    Excel paints a solid fill of a conditional format with its background colour, so both
    start and end colours are set.
    """
    return {"fill": PatternFill("solid", start_color=fill, end_color=fill), "font": Font(color=font)}


_GOOD = _cf_style("C6EFCE", "006100")
_BAD = _cf_style("FFC7CE", "9C0006")
_NEUTRAL = _cf_style("EDEDED", "595959")
_LINK_FONT = Font(color="0563C1", underline="single")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
_TOP = Alignment(vertical="top")
_LEFT = Alignment(horizontal="left")
_TITLE_FONT = Font(bold=True, size=14, color="1F4E78")
_SECTION_FONT = Font(bold=True, color="1F4E78")
_BOLD = Font(bold=True)


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
_CALL_PARAM_COLS = tuple(get_column_letter(i) for i, c in enumerate(_CALL_COLS, start=1) if c.key.startswith("param."))

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
AUDITOR_VERDICT_COL = get_column_letter(len(_CHECK_COLS) - 2)
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


class _Table:
    """A write-only sheet with a styled header row, a row counter and Excel's row limit."""

    def __init__(
        self, wb: Workbook, title: str, cols: Sequence[_Col], lang: str, marker: str, page_title: str = ""
    ) -> None:
        self.ws = wb.create_sheet(title)
        self.title = title
        self.cols = cols
        self.marker = marker
        self.rows = 0
        self.dropped = 0
        for i, col in enumerate(cols, start=1):
            dim = self.ws.column_dimensions[get_column_letter(i)]
            dim.width = col.width
            dim.hidden = col.kind == "key"
        self.ws.freeze_panes = "A2"
        _print_pages(self.ws, f"{title} – {page_title}" if page_title else title, lang)
        self.ws.print_title_rows = "1:1"
        header = []
        for col in cols:
            cell = set_value(WriteOnlyCell(self.ws), _header_text(col.key, lang))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        header_cols = [_Col(c.key, c.width, "text" if c.kind == "key" else "wrap") for c in cols]
        self._append(header, header_cols, [c.value for c in header])
        self._styles = [_style_of(self.ws, col) for col in cols]
        link = WriteOnlyCell(self.ws)
        link._style = copy(self._styles[0])
        link.font = _LINK_FONT
        self._link_style = link._style

    @property
    def next_row(self) -> int | None:
        """The row number the next ``add`` will take, or None when the sheet is full."""
        return self.rows + 1 if self.rows < EXCEL_MAX_ROWS else None

    def add(self, values: Sequence[object], link: str | None = None, link_col: int = 0) -> int | None:
        """Append one row; ``link`` makes cell ``link_col`` an internal hyperlink to that location."""
        if self.next_row is None:
            self.dropped += 1
            return None
        cells: list[Cell | None] = []
        for style, value in zip(self._styles, values, strict=True):
            cells.append(self._cell(style, value))
        if link and cells[link_col] is not None:
            cells[link_col].hyperlink = Hyperlink(ref="", location=link)
            cells[link_col]._style = copy(self._link_style)
        self._append(cells, self.cols, values)
        return self.rows

    def _append(self, cells: list[Cell | None], cols: Sequence[_Col], values: Sequence[object]) -> None:
        """Append a row, giving it the height its wrapped text needs (no spreadsheet autofits on open)."""
        row = self.rows + 1
        height = _row_height(cols, values)
        if height:
            self.ws.row_dimensions[row] = RowDimension(self.ws, index=row, ht=height)
        self.ws.append(cells)
        if height:
            del self.ws.row_dimensions[row]  # already written; keep memory flat
        self.rows = row

    def _cell(self, style: StyleArray, value: object) -> Cell | None:
        if (value is None or value == "") and not style.protectionId:
            return None  # an empty auditor cell is still written: unlocked, shaded
        cell = WriteOnlyCell(self.ws)
        cell._style = copy(style)  # the column's style, registered once (set_value may add quotePrefix)
        return set_value(cell, None if value == "" else value, marker=self.marker)

    def last_row(self) -> int:
        """The last data row, or 2 for an empty table (so ranges stay valid)."""
        return max(self.rows, 2)

    def finish(self) -> None:
        """Put the autofilter over the table."""
        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.cols))}{max(self.rows, 1)}"


def _print_pages(ws: Any, title: str, lang: str) -> None:
    """A4 landscape, one page wide, the sheet's title on top, page numbers below."""
    print_setup(ws, 1, title=title, lang=lang)


def _row_height(cols: Sequence[_Col], values: Sequence[object]) -> float | None:
    """Points needed by the tallest wrapped cell of a row; None for a single line."""
    lines = 1
    for col, value in zip(cols, values, strict=True):
        if col.kind == "wrap" and isinstance(value, str) and (len(value) >= col.width - 3 or "\n" in value):
            lines = max(lines, wrapped_lines(value[:CELL_LIMIT], col.width))
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 2) if lines > 1 else None


def _style_of(ws: Any, col: _Col) -> StyleArray:
    """The style of a column's data cells, registered with the workbook once."""
    cell = WriteOnlyCell(ws)
    if col.kind == "edit":
        cell.alignment = WRAP
        cell.protection = Protection(locked=False)
        cell.fill = _EDIT_FILL
    elif col.kind == "wrap":
        cell.alignment = WRAP
    else:
        cell.alignment = _TOP
        if col.kind in _FORMATS:
            cell.number_format = _FORMATS[col.kind]
    return cell._style


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
    queue: list[_QueueEntry] = field(default_factory=list)


@dataclass(frozen=True)
class _QueueEntry:
    """What the review queue needs of one call: a few small fields, kept while the rest streams out."""

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
    marker = label("clip_marker", lang)
    wb = Workbook(write_only=True)
    try:
        names: list[str] = []

        def title(key: str) -> str:
            names.append(sanitize_sheet_name(label(key, lang), names))
            return names[-1]

        summary_ws = wb.create_sheet(title("sheet.summary"))
        page_title = jsonl_path.name
        calls = _Table(wb, title("sheet.calls"), _CALL_COLS, lang, marker, page_title)
        checks = _Table(wb, title("sheet.checks"), _CHECK_COLS + _CHECK_KEY_COLS, lang, marker, page_title)
        queue = _Table(wb, title("sheet.queue"), _QUEUE_COLS, lang, marker, page_title)
        agents = _Table(wb, title("sheet.agents"), _AGENT_COLS, lang, marker, page_title)
        errors = _Table(wb, title("sheet.errors"), _ERROR_COLS, lang, marker, page_title)
        tally = _Tally()

        with jsonl_path.open(encoding="utf-8-sig", errors="replace") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    tally.bad_lines += 1
                    message = label("bad_json", lang).format(line=lineno, detail=exc.msg)
                    errors.add([jsonl_path.name, None, message])
                    continue
                status = rec.get("status") if isinstance(rec, dict) else None
                if status == "scored":
                    _write_call(rec, calls, checks, tally, lang, store_id or "")
                elif status == "error":
                    tally.errors += 1
                    errors.add([_text(rec.get("source")), _text(rec.get("call_id")), result_error(rec, lang)])
                else:
                    tally.bad_lines += 1
                    message = label("bad_status", lang).format(line=lineno, status=status)
                    errors.add([jsonl_path.name, None, message])

        _write_agents(agents, tally, lang)
        _write_queue(queue, tally, set(sample), lang)
        _style_tables(calls, checks, agents, lang)
        _auditor_columns(checks, lang)
        for table in (calls, checks, queue, agents, errors):
            table.finish()
        sampled = (len(set(sample)), sample_seed)
        tables = (calls, checks, queue, agents, errors)
        _write_summary(summary_ws, jsonl_path, tally, tables, lang, marker, batch, sampled)
        atomic_save(wb, Path(out_path))
    except BaseException:
        _discard(wb)
        raise


# --- rows -------------------------------------------------------------------------------


def _write_call(rec: Mapping[str, Any], calls: _Table, checks: _Table, tally: _Tally, lang: str, store_id: str) -> None:
    """Write one scored call: its check rows, then its call row; add it to the tallies."""
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
    first_row = checks.next_row
    order = [_text(c.get("id")) for c in check_list]
    for check in check_list or [{}]:
        row = _check_row(call_id, agent_cell, check, lang, order)
        if check:
            row[-len(_CHECK_KEY_COLS) :] = [
                store_id,
                call_id,
                _text(check.get("id")),
                rules_version,
                check.get("outcome"),
            ]
        checks.add(row)
        if check:
            counts = tally.checks.setdefault(_text(check.get("id")), Counter())
            counts[_text(check.get("outcome"))] += 1

    link = f"{_quote_sheet(checks.title)}!A{first_row}" if first_row else None
    tally.queue.append(_queue_entry(rec, call_id, agent_cell, score, check_list, link, lang))
    calls.add(
        [
            call_id,
            agent_id,
            agent_name,
            team,
            start.date() if start else _text(rec.get("call_start")),
            start.time() if start else None,
            *(_yes_no(params.get(p), lang) for p in PARAMETERS),
            score,
            ", ".join(check_label(_text(c), lang) for c in failed),
            rules_version,
            _text(rec.get("source")),
            _join(result_warnings(rec, lang), "; "),
        ],
        link=link,
    )

    tally.scored += 1
    if score is not None:
        tally.score_sum += score
        tally.score_n += 1
    if rules_version:
        tally.rules_versions[rules_version] += 1
    if start:
        tally.first_start = min(tally.first_start or start, start)
        tally.last_start = max(tally.last_start or start, start)
    agent = tally.agents.setdefault(agent_id, _AgentTally())
    agent.calls += 1
    agent.name = agent_name or agent.name
    if team:
        agent.teams.add(team)
    if score is not None:
        agent.score_sum += score
        agent.score_n += 1
    for p in PARAMETERS:
        value = params.get(p)
        if isinstance(value, bool):
            for counts in (tally, agent):
                counts.assessed[p] += 1
                counts.compliant[p] += value


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
        sim, more_text = _number(ev.get("similarity")), _more_evidence(more, lang)
        when = _turn_ref(ev, lang) if ev else ""
    return [
        call_id,
        agent,
        check_label(check_id, lang),
        outcome_label(_text(check.get("outcome")), lang),
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


def _more_evidence(items: object, lang: str) -> str:
    """Further passages, one a line: ``#turn time “text” (similarity)``."""
    if not isinstance(items, list):
        return ""
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
        if ev.get("text"):
            parts.append(f"“{_text(ev.get('text'))}”")
        elif ev.get("phrase"):
            parts.append(f"[{_text(ev.get('phrase'))}]")
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
    link: str | None,
    lang: str,
) -> _QueueEntry:
    """A call's line of the review queue: its priority, its doubtful checks and why."""
    doubtful = sorted(
        (c for c in checks if isinstance(c.get("confidence"), int | float) and c["confidence"] < DOUBTFUL),
        key=lambda c: c["confidence"],
    )
    shown = [f"{check_label(_text(c.get('id')), lang)} ({c['confidence']:.0%})" for c in doubtful[:3]]
    if len(doubtful) > 3:
        shown.append(label("more_checks", lang).format(n=len(doubtful) - 3))
    reasons = dict.fromkeys(doubt_text(d, lang) for c in doubtful for d in c.get("doubts") or [])
    priority = _number(rec.get("review_priority"))
    return _QueueEntry(priority or 0.0, call_id, agent, score, "\n".join(shown), "; ".join(reasons), link)


def _write_queue(queue: _Table, tally: _Tally, sample: set[str], lang: str) -> None:
    """The review queue: every call, the least certain first; the random-audit calls marked."""
    entries = sorted(tally.queue, key=lambda e: (-e.priority, e.call_id))
    for rank, e in enumerate(entries, start=1):
        in_sample = yes_no(True, lang) if e.call_id in sample else None
        queue.add([rank, e.call_id, e.agent, e.priority, in_sample, e.doubtful, e.doubts, e.score], e.link, 1)


def _auditor_columns(checks: _Table, lang: str) -> None:
    """Drop-down verdicts in the auditor's column; the sheet protected so only her columns change."""
    choices = ",".join(outcome_label(o, lang) for o in ("pass", "fail", "na"))
    dv = DataValidation(
        type="list",
        formula1=f'"{choices}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=label("dv.error_title", lang),
        error=label("dv.error", lang).format(choices=choices.replace(",", ", ")),
        promptTitle=label("col.auditor_verdict", lang),
        prompt=label("dv.prompt", lang),
        showInputMessage=True,
    )
    dv.add(f"{AUDITOR_VERDICT_COL}2:{AUDITOR_VERDICT_COL}{checks.last_row()}")
    checks.ws.data_validations.append(dv)
    protection = checks.ws.protection
    protection.sheet = True
    for allowed in ("autoFilter", "sort", "formatColumns", "formatRows", "formatCells"):
        setattr(protection, allowed, False)  # False: allowed on the protected sheet
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


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


def _style_tables(calls: _Table, checks: _Table, agents: _Table, lang: str) -> None:
    """Conditional formatting: Ya/Tidak and outcomes coloured, agent percentages on a scale."""
    first, last = _CALL_PARAM_COLS[0], _CALL_PARAM_COLS[-1]
    rng = f"{first}2:{last}{calls.last_row()}"
    for value, style in ((True, _GOOD), (False, _BAD)):
        rule = CellIsRule(operator="equal", formula=[_q(yes_no(value, lang))], **style)
        calls.ws.conditional_formatting.add(rng, rule)

    rng = f"{_CHECK_OUTCOME_COL}2:{_CHECK_OUTCOME_COL}{checks.last_row()}"
    for outcome, style in (("pass", _GOOD), ("fail", _BAD), ("na", _NEUTRAL)):
        rule = CellIsRule(operator="equal", formula=[_q(outcome_label(outcome, lang))], **style)
        checks.ws.conditional_formatting.add(rng, rule)

    first_pct = get_column_letter(5)
    last_pct = get_column_letter(4 + len(PARAMETERS))
    scale = ColorScaleRule(
        start_type="num", start_value=0, start_color="F8696B",
        mid_type="num", mid_value=0.75, mid_color="FFEB84",
        end_type="num", end_value=1, end_color="63BE7B",
    )  # fmt: skip
    agents.ws.conditional_formatting.add(f"{first_pct}2:{last_pct}{agents.last_row()}", scale)


# --- summary ----------------------------------------------------------------------------


def _write_summary(
    ws: Any,
    jsonl_path: Path,
    tally: _Tally,
    tables: Sequence[_Table],
    lang: str,
    marker: str,
    batch: str | None,
    sampled: tuple[int, int | None] = (0, None),
) -> None:
    """The summary sheet: key figures, compliance per parameter with a chart, fails per check."""
    for col, width in zip("ABCDEFG", (46, 24, 10, 12, 14, 10, 14), strict=True):
        ws.column_dimensions[col].width = width
    print_setup(ws, 1, lang=lang)
    row = _SummaryWriter(ws, marker)
    row.add([(label("sum.title", lang), _TITLE_FONT)])
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
    row.add([(label("sum.params_title", lang), _SECTION_FONT)])
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
    row.add([(label("sum.checks_title", lang), _SECTION_FONT)])
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
        chart = BarChart()
        chart.type = "col"
        chart.title = label("sum.chart_title", lang)
        chart.legend = None
        data = Reference(ws, min_col=4, min_row=header_row + 1, max_row=last_param_row)
        cats = Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_param_row)
        chart.add_data(data, titles_from_data=False)
        chart.set_categories(cats)
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.numFmt = "0%"
        chart.y_axis.majorGridlines = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showVal = True
        chart.dataLabels.showSerName = False
        chart.dataLabels.showCatName = False
        chart.dataLabels.showLegendKey = False
        chart.dataLabels.numFmt = PERCENT
        chart.width = 13.5
        chart.height = 7.5
        ws.add_chart(chart, "F3")
    else:
        row.add([])
        row.add([(label("sum.no_chart", lang), None)])


class _SummaryWriter:
    """Appends summary rows to a write-only sheet, keeping the row number."""

    def __init__(self, ws: Any, marker: str) -> None:
        self.ws = ws
        self.marker = marker
        self.row = 0

    def add(self, cells: Iterable[tuple[object, Font | str | None]]) -> int:
        """Append a row of (value, font-or-number-format) pairs."""
        out = []
        for value, style in cells:
            cell = set_value(WriteOnlyCell(self.ws), value, marker=self.marker)
            if isinstance(style, Font):
                cell.font = style
            elif isinstance(style, str):
                cell.number_format = style
            out.append(cell)
        self.ws.append(out)
        self.row += 1
        return self.row

    def pair(self, name: str, value: object, number_format: str | None = None) -> int:
        """A key figure: bold name, then the value, left-aligned."""
        key = set_value(WriteOnlyCell(self.ws), name)
        key.font = _BOLD
        cell = set_value(WriteOnlyCell(self.ws), None if value == "" else value, marker=self.marker)
        cell.alignment = _LEFT
        if number_format:
            cell.number_format = number_format
        self.ws.append([key, cell])
        self.row += 1
        return self.row

    def header(self, names: Sequence[str]) -> int:
        """A table header row in the shared header style."""
        out = []
        for name in names:
            cell = set_value(WriteOnlyCell(self.ws), name)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            out.append(cell)
        self.ws.append(out)
        self.row += 1
        return self.row


# --- small helpers ----------------------------------------------------------------------


def _header_text(key: str, lang: str) -> str:
    """Header text for a column key (parameters use their display names)."""
    if key.startswith("param."):
        return param_label(key.removeprefix("param."), lang)
    return label(key, lang)


def _text(value: object) -> str:
    """A JSON value as display text ('' for null)."""
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


def _discard(wb: Workbook) -> None:
    """Remove the temporary files of a write-only workbook that will not be saved."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()
        except Exception:  # best effort: the file is being thrown away
            writer.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()
