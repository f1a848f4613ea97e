"""Monthly compliance workbook: per team and per agent figures of one month, from the results store.

Sheets: an overview of all teams with a trend chart, one sheet per team (agents, with a bar
chart), the trend table, the non-compliant calls, and notes saying how the figures are made.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qa_scoring.errors import QAScoringError
from qa_scoring.messages import check_reason
from qa_scoring.reports.labels import check_label, check_lang, param_label
from qa_scoring.reports.xlsx_common import (
    FAIL_FILL,
    WRAP,
    append_row,
    atomic_save,
    finish_table,
    print_setup,
    sanitize_sheet_name,
    set_widths,
    write_header,
)
from qa_scoring.store import PARAMETERS, ResultStore, check_month, shift_month

LOW_COMPLIANCE = 0.8
PERCENT = "0.0%"
SCORE = "0.0"
CHANGE = "+0.0;-0.0;0.0"

_TEXT: dict[str, dict[str, str]] = {
    "id": {
        "sheet.overview": "Ringkasan Bulanan",
        "sheet.trend": "Tren",
        "sheet.noncompliant": "Panggilan Tidak Patuh",
        "sheet.notes": "Catatan",
        "col.team": "Tim",
        "col.agents": "Jumlah Agen",
        "col.agent_id": "ID Agen",
        "col.agent_name": "Nama Agen",
        "col.calls": "Panggilan Dinilai",
        "col.compliance": "Kepatuhan {name}",
        "col.avg_score": "Rata-rata Skor",
        "col.change": "{name}: Perubahan vs Bulan Lalu (pp)",
        "col.score_change": "Rata-rata Skor: Perubahan vs Bulan Lalu (poin)",
        "col.fails": "Gagal: {name}",
        "col.month": "Bulan",
        "col.call_id": "ID Panggilan",
        "col.date": "Tanggal",
        "col.score": "Skor",
        "col.failed_params": "Parameter Tidak Patuh",
        "col.failed_checks": "Pemeriksaan Gagal",
        "col.reasons": "Alasan",
        "col.evidence": "Bukti (ucapan agen)",
        "col.rules_version": "Versi Aturan",
        "col.source": "Berkas Sumber",
        "col.item": "Keterangan",
        "col.value": "Nilai",
        "all_teams": "Semua Tim",
        "no_team": "(tanpa tim)",
        "unknown_agent": "(tidak diketahui)",
        "chart.agents": "Kepatuhan per Agen: {team} ({month})",
        "chart.trend": "Tren Kepatuhan per Parameter",
        "note.month": "Bulan",
        "note.team": "Tim",
        "note.created": "Dibuat",
        "note.store": "Penyimpanan hasil",
        "note.calls": "Panggilan dinilai",
        "note.rules": "Versi aturan",
        "note.runs": "Run penilaian",
        "note.undated": "Panggilan tanpa call_start (tidak dihitung)",
        "note.how": "Cara menghitung",
        "note.text.month": "Bulan panggilan = tanggal lokal call_start (zona waktu seperti tertulis; tanpa "
        "zona = WIB). Panggilan tanpa call_start disimpan tetapi tidak masuk angka bulanan.",
        "note.text.compliance": "Kepatuhan = bagian panggilan yang dinilai pada bulan itu yang patuh pada "
        "parameter tersebut.",
        "note.text.change": "Perubahan vs bulan lalu dalam poin persentase (skor: poin); kosong bila bulan "
        "lalu tidak ada data.",
        "note.text.replace": "Setiap panggilan dihitung sekali: penilaian ulang (ID panggilan yang sama) "
        "mengganti hasil sebelumnya. Panggilan yang gagal dibaca tidak dihitung.",
        "note.text.low": "Merah: kepatuhan di bawah {low}.",
    },
    "en": {
        "sheet.overview": "Monthly Overview",
        "sheet.trend": "Trend",
        "sheet.noncompliant": "Non-compliant Calls",
        "sheet.notes": "Notes",
        "col.team": "Team",
        "col.agents": "Agents",
        "col.agent_id": "Agent ID",
        "col.agent_name": "Agent name",
        "col.calls": "Calls scored",
        "col.compliance": "{name} compliance",
        "col.avg_score": "Average score",
        "col.change": "{name}: change vs previous month (pp)",
        "col.score_change": "Average score: change vs previous month (points)",
        "col.fails": "Fails: {name}",
        "col.month": "Month",
        "col.call_id": "Call ID",
        "col.date": "Date",
        "col.score": "Score",
        "col.failed_params": "Non-compliant parameters",
        "col.failed_checks": "Failed checks",
        "col.reasons": "Reasons",
        "col.evidence": "Evidence (agent's words)",
        "col.rules_version": "Rules version",
        "col.source": "Source file",
        "col.item": "Item",
        "col.value": "Value",
        "all_teams": "All teams",
        "no_team": "(no team)",
        "unknown_agent": "(unknown)",
        "chart.agents": "Compliance by agent: {team} ({month})",
        "chart.trend": "Compliance trend per parameter",
        "note.month": "Month",
        "note.team": "Team",
        "note.created": "Created",
        "note.store": "Results store",
        "note.calls": "Calls scored",
        "note.rules": "Rules versions",
        "note.runs": "Scoring runs",
        "note.undated": "Calls without call_start (not counted)",
        "note.how": "How the figures are made",
        "note.text.month": "A call's month is the local date of its call_start (offset as written; none "
        "means WIB). Calls without call_start are stored but left out of monthly figures.",
        "note.text.compliance": "Compliance = share of the month's scored calls compliant with the parameter.",
        "note.text.change": "Change vs previous month in percentage points (score: points); empty when the "
        "previous month has no data.",
        "note.text.replace": "Each call counts once: rescoring a call (same call ID) replaces its earlier "
        "result. Calls that could not be read are not counted.",
        "note.text.low": "Red: compliance below {low}.",
    },
}


def _t(key: str, lang: str, **values: object) -> str:
    text = _TEXT[lang][key]
    return text.format(**values) if values else text


@dataclass
class Stats:
    """Figures of a set of scored calls: counts, compliance per parameter, average score, fails per check."""

    calls: int = 0
    compliant: Counter[str] = field(default_factory=Counter)
    assessed: Counter[str] = field(default_factory=Counter)
    score_sum: float = 0.0
    scored: int = 0
    fails: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, calls: Iterable[Mapping[str, Any]]) -> Stats:
        """Add up ``calls`` (dicts as returned by ``ResultStore.month_calls``)."""
        stats = cls()
        for call in calls:
            stats.calls += 1
            parameters = call.get("parameters") or {}
            for name in PARAMETERS:
                value = parameters.get(name)
                if value is not None:
                    stats.assessed[name] += 1
                    stats.compliant[name] += bool(value)
            score = call.get("score")
            if isinstance(score, int | float):
                stats.score_sum += score
                stats.scored += 1
            stats.fails.update(call.get("failed_checks") or ())
        return stats

    def compliance(self, name: str) -> float | None:
        """Share (0-1) of calls compliant with parameter ``name``; ``None`` with no calls."""
        return self.compliant[name] / self.assessed[name] if self.assessed[name] else None

    def average_score(self) -> float | None:
        """Mean score (0-100); ``None`` with no scores."""
        return self.score_sum / self.scored if self.scored else None

    def change(self, previous: Stats | None, name: str) -> float | None:
        """Compliance change vs ``previous`` in percentage points; ``None`` without previous data."""
        now = self.compliance(name)
        before = previous.compliance(name) if previous else None
        return None if now is None or before is None else (now - before) * 100

    def score_change(self, previous: Stats | None) -> float | None:
        """Average-score change vs ``previous`` in points; ``None`` without previous data."""
        now = self.average_score()
        before = previous.average_score() if previous else None
        return None if now is None or before is None else now - before


@dataclass(frozen=True)
class MonthlySummary:
    """What a monthly workbook holds, for the CLI's one-line summary."""

    month: str
    team: str | None
    calls: int
    teams: int
    agents: int
    compliance: Mapping[str, float | None]
    average_score: float | None
    non_compliant: int
    undated: int
    out_path: Path

    def line(self) -> str:
        """One line: calls, teams, agents, compliance per parameter, the file written."""
        where = f" (team {self.team})" if self.team else ""
        params = ", ".join(f"{param_label(name)} {_pct(value)}" for name, value in self.compliance.items())
        avg = "-" if self.average_score is None else f"{self.average_score:.1f}"
        return (
            f"{self.month}{where}: {self.calls} calls, {self.teams} teams, {self.agents} agents; "
            f"{params}; average score {avg} -> {self.out_path}"
        )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _team_key(call: Mapping[str, Any]) -> str | None:
    return call.get("team")


def _agent_key(call: Mapping[str, Any]) -> tuple[str | None, str | None]:
    return (call.get("team"), call.get("agent_id") or call.get("agent_name"))


def _group(calls: Sequence[Mapping[str, Any]], key: Any) -> dict[Any, list[Mapping[str, Any]]]:
    groups: dict[Any, list[Mapping[str, Any]]] = {}
    for call in calls:
        groups.setdefault(key(call), []).append(call)
    return groups


def _check_ids(calls: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for call in calls:
        for check in call.get("checks") or ():
            seen.setdefault(check["id"], None)
        for check_id in call.get("failed_checks") or ():
            seen.setdefault(check_id, None)
    return list(seen)


def _sort_key(value: str | None) -> tuple[int, str]:
    return (1, "") if value is None else (0, value.casefold())


def write_monthly_workbook(
    store: ResultStore,
    month: str,
    out_path: Path,
    *,
    team: str | None = None,
    lang: str = "id",
    trend_months: int = 6,
) -> MonthlySummary:
    """Write the compliance workbook of ``month`` (``YYYY-MM``), optionally one team's, to ``out_path``.

    Raises ``QAScoringError`` and writes nothing when the month has no scored calls.
    """
    check_month(month)
    try:
        check_lang(lang)
    except ValueError as exc:
        raise QAScoringError(str(exc)) from exc
    if lang not in _TEXT:
        raise QAScoringError(f"unknown language {lang!r}; valid: {', '.join(sorted(_TEXT))}")
    if trend_months < 1:
        raise QAScoringError(f"trend_months must be at least 1, got {trend_months}")
    calls = store.month_calls(month, team)
    if not calls:
        where = f" (team {team})" if team is not None else ""
        raise QAScoringError(f"no scored calls in {month}{where}")
    previous_calls = store.month_calls(shift_month(month, -1), team)
    trend = [
        (m, Stats.of(calls if m == month else store.month_calls(m, team)))
        for m in (shift_month(month, -back) for back in range(trend_months - 1, -1, -1))
    ]
    check_ids = _check_ids(calls)
    undated = store.undated_calls(team)

    wb = Workbook()
    overview = wb.active
    assert overview is not None
    overview.title = _t("sheet.overview", lang)
    reserved = [_t(f"sheet.{name}", lang) for name in ("overview", "trend", "noncompliant", "notes")]

    teams = _group(calls, _team_key)
    prev_teams = _group(previous_calls, _team_key)
    prev_agents = _group(previous_calls, _agent_key)
    team_names = sorted(teams, key=_sort_key)

    _write_overview(overview, teams, team_names, calls, prev_teams, previous_calls, check_ids, lang)

    taken = list(reserved)
    for name in team_names:
        title = sanitize_sheet_name(name if name is not None else _t("no_team", lang), taken)
        taken.append(title)
        ws = wb.create_sheet(title)
        _write_team(ws, name, teams[name], prev_agents, check_ids, month, lang)

    trend_ws = wb.create_sheet(_t("sheet.trend", lang))
    _write_trend(trend_ws, trend, lang)
    _add_trend_chart(overview, trend_ws, len(trend), len(team_names) + 2, lang)

    non_compliant = [c for c in calls if any((c.get("parameters") or {}).get(p) is False for p in PARAMETERS)]
    _write_non_compliant(wb.create_sheet(_t("sheet.noncompliant", lang)), non_compliant, lang)

    _write_notes(wb.create_sheet(_t("sheet.notes", lang)), store, month, team, calls, undated, lang)
    for sheet in wb.worksheets:
        print_setup(sheet)

    atomic_save(wb, out_path)
    stats = Stats.of(calls)
    return MonthlySummary(
        month=month,
        team=team,
        calls=stats.calls,
        teams=len(teams),
        agents=len(_group(calls, _agent_key)),
        compliance={name: stats.compliance(name) for name in PARAMETERS},
        average_score=stats.average_score(),
        non_compliant=len(non_compliant),
        undated=undated,
        out_path=Path(out_path),
    )


# -- sheets --------------------------------------------------------------------------------------


def _figure_headers(check_ids: Sequence[str], lang: str) -> list[str]:
    """Headers of the figure columns shared by the overview and the team sheets."""
    return [
        _t("col.calls", lang),
        *(_t("col.compliance", lang, name=param_label(p, lang)) for p in PARAMETERS),
        _t("col.avg_score", lang),
        *(_t("col.change", lang, name=param_label(p, lang)) for p in PARAMETERS),
        _t("col.score_change", lang),
        *(_t("col.fails", lang, name=check_label(c, lang)) for c in check_ids),
    ]


def _figures(stats: Stats, previous: Stats | None, check_ids: Sequence[str]) -> list[object]:
    return [
        stats.calls,
        *(stats.compliance(p) for p in PARAMETERS),
        stats.average_score(),
        *(stats.change(previous, p) for p in PARAMETERS),
        stats.score_change(previous),
        *(stats.fails[c] for c in check_ids),
    ]


def _format_figures(ws: Worksheet, first_col: int, first_row: int, last_row: int) -> None:
    """Number formats and conditional formats of the figure columns starting at ``first_col``."""
    n = len(PARAMETERS)
    pct_cols = range(first_col + 1, first_col + 1 + n)
    score_col = first_col + 1 + n
    change_cols = range(score_col + 1, score_col + 2 + n)
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        for cell in row:
            if cell.column in pct_cols:
                cell.number_format = PERCENT
            elif cell.column == score_col:
                cell.number_format = SCORE
            elif cell.column in change_cols:
                cell.number_format = CHANGE
    if last_row < first_row:
        return
    _low_rule(ws, pct_cols, first_row, last_row)
    first, last = get_column_letter(change_cols[0]), get_column_letter(change_cols[-1])
    ws.conditional_formatting.add(
        f"{first}{first_row}:{last}{last_row}",
        FormulaRule(formula=[f"AND(ISNUMBER({first}{first_row}),{first}{first_row}<0)"], font=Font(color="9C0006")),
    )


def _low_rule(ws: Worksheet, cols: range, first_row: int, last_row: int) -> None:
    first, last = get_column_letter(cols[0]), get_column_letter(cols[-1])
    ws.conditional_formatting.add(
        f"{first}{first_row}:{last}{last_row}",
        FormulaRule(
            formula=[f"AND(ISNUMBER({first}{first_row}),{first}{first_row}<{LOW_COMPLIANCE})"],
            fill=FAIL_FILL,
        ),
    )


def _write_overview(
    ws: Worksheet,
    teams: Mapping[str | None, list[Mapping[str, Any]]],
    team_names: Sequence[str | None],
    calls: Sequence[Mapping[str, Any]],
    prev_teams: Mapping[str | None, list[Mapping[str, Any]]],
    previous_calls: Sequence[Mapping[str, Any]],
    check_ids: Sequence[str],
    lang: str,
) -> None:
    headers = [_t("col.team", lang), _t("col.agents", lang), *_figure_headers(check_ids, lang)]
    write_header(ws, headers)
    for name in team_names:
        team_calls = teams[name]
        previous = Stats.of(prev_teams[name]) if name in prev_teams else None
        agents = len(_group(team_calls, _agent_key))
        label = name if name is not None else _t("no_team", lang)
        append_row(ws, [label, agents, *_figures(Stats.of(team_calls), previous, check_ids)])
    prev_all = Stats.of(previous_calls) if previous_calls else None
    total = [
        _t("all_teams", lang),
        len(_group(calls, _agent_key)),
        *_figures(Stats.of(calls), prev_all, check_ids),
    ]
    row = append_row(ws, total)
    for cell in ws[row]:
        cell.font = Font(bold=True)
    _format_figures(ws, 3, 2, row)
    set_widths(ws, [22, 10, 11, *[13] * len(PARAMETERS), 11, *[15] * (len(PARAMETERS) + 1), *[14] * len(check_ids)])
    ws.row_dimensions[1].height = 45
    finish_table(ws, len(headers))


def _write_team(
    ws: Worksheet,
    team: str | None,
    calls: Sequence[Mapping[str, Any]],
    prev_agents: Mapping[tuple[str | None, str | None], list[Mapping[str, Any]]],
    check_ids: Sequence[str],
    month: str,
    lang: str,
) -> None:
    headers = [_t("col.agent_id", lang), _t("col.agent_name", lang), *_figure_headers(check_ids, lang)]
    write_header(ws, headers)
    agents = _group(calls, _agent_key)
    for key in sorted(agents, key=lambda k: _sort_key(k[1])):
        agent_calls = agents[key]
        names = [c.get("agent_name") for c in agent_calls if c.get("agent_name")]
        agent_id = agent_calls[0].get("agent_id") or key[1] or _t("unknown_agent", lang)
        previous = Stats.of(prev_agents[key]) if key in prev_agents else None
        values = [
            agent_id,
            names[-1] if names else None,
            *_figures(Stats.of(agent_calls), previous, check_ids),
        ]
        append_row(ws, values)
    last = ws.max_row
    _format_figures(ws, 3, 2, last)
    set_widths(ws, [14, 22, 11, *[13] * len(PARAMETERS), 11, *[15] * (len(PARAMETERS) + 1), *[14] * len(check_ids)])
    ws.row_dimensions[1].height = 45
    finish_table(ws, len(headers))

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    team_label = team if team is not None else _t("no_team", lang)
    chart.title = _t("chart.agents", lang, team=team_label, month=month)
    chart.y_axis.title = _t("col.compliance", lang, name="").strip()
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    data = Reference(ws, min_col=4, max_col=3 + len(PARAMETERS), min_row=1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    chart.height = 8
    chart.width = max(16, 3 * (last - 1))
    ws.add_chart(chart, f"A{last + 3}")


def _write_trend(ws: Worksheet, trend: Sequence[tuple[str, Stats]], lang: str) -> None:
    headers = [
        _t("col.month", lang),
        _t("col.calls", lang),
        *(_t("col.compliance", lang, name=param_label(p, lang)) for p in PARAMETERS),
        _t("col.avg_score", lang),
    ]
    write_header(ws, headers, [10, 11, *[13] * len(PARAMETERS), 11])
    ws.row_dimensions[1].height = 45
    for month, stats in trend:
        row = append_row(ws, [month, stats.calls, *(stats.compliance(p) for p in PARAMETERS), stats.average_score()])
        for col in range(3, 3 + len(PARAMETERS)):
            ws.cell(row, col).number_format = PERCENT
        ws.cell(row, 3 + len(PARAMETERS)).number_format = SCORE
    _low_rule(ws, range(3, 3 + len(PARAMETERS)), 2, 1 + len(trend))
    finish_table(ws, len(headers))


def _add_trend_chart(overview: Worksheet, trend_ws: Worksheet, months: int, below_row: int, lang: str) -> None:
    chart = LineChart()
    chart.title = _t("chart.trend", lang)
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    data = Reference(trend_ws, min_col=3, max_col=2 + len(PARAMETERS), min_row=1, max_row=1 + months)
    chart.add_data(data, titles_from_data=True)
    for series in chart.series:
        series.smooth = False  # straight segments: a smoothed line overshoots between months
    chart.set_categories(Reference(trend_ws, min_col=1, min_row=2, max_row=1 + months))
    chart.height = 8
    chart.width = 18
    overview.add_chart(chart, f"A{below_row + 3}")


def _call_date(call: Mapping[str, Any]) -> date | str | None:
    text = call.get("date")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return str(text)


def _write_non_compliant(ws: Worksheet, calls: Sequence[Mapping[str, Any]], lang: str) -> None:
    headers = [
        _t("col.call_id", lang),
        _t("col.date", lang),
        _t("col.agent_id", lang),
        _t("col.agent_name", lang),
        _t("col.team", lang),
        _t("col.score", lang),
        _t("col.failed_params", lang),
        _t("col.failed_checks", lang),
        _t("col.reasons", lang),
        _t("col.evidence", lang),
        _t("col.rules_version", lang),
        _t("col.source", lang),
    ]
    write_header(ws, headers, [16, 11, 12, 18, 16, 8, 24, 30, 50, 60, 16, 30])
    for call in calls:
        parameters = call.get("parameters") or {}
        failed = [c for c in call.get("checks") or () if c.get("outcome") == "fail"]
        evidence = [
            str(c["evidence"].get("text"))
            for c in failed
            if isinstance(c.get("evidence"), dict) and c["evidence"].get("text")
        ]
        row = append_row(
            ws,
            [
                call.get("call_id"),
                _call_date(call),
                call.get("agent_id"),
                call.get("agent_name"),
                call.get("team"),
                call.get("score"),
                ", ".join(param_label(p, lang) for p in PARAMETERS if parameters.get(p) is False),
                ", ".join(call.get("failed_checks") or ()),
                "\n".join(f"{c['id']}: {check_reason(c, lang)}" for c in failed),
                "\n".join(evidence),
                call.get("rules_version"),
                call.get("source"),
            ],
        )
        ws.cell(row, 2).number_format = "yyyy-mm-dd"
        ws.cell(row, 6).number_format = SCORE
        for col in (9, 10):
            ws.cell(row, col).alignment = WRAP
    finish_table(ws, len(headers))


def _write_notes(
    ws: Worksheet,
    store: ResultStore,
    month: str,
    team: str | None,
    calls: Sequence[Mapping[str, Any]],
    undated: int,
    lang: str,
) -> None:
    write_header(ws, [_t("col.item", lang), _t("col.value", lang)], [34, 100])
    rules = sorted({str(c["rules_version"]) for c in calls if c.get("rules_version")})
    runs = sorted({int(c["run_id"]) for c in calls if c.get("run_id") is not None})
    rows: list[tuple[str, object]] = [
        (_t("note.month", lang), month),
        (_t("note.team", lang), team if team is not None else _t("all_teams", lang)),
        (_t("note.created", lang), datetime.now().astimezone().isoformat(timespec="seconds")),
        (_t("note.store", lang), str(store.path)),
        (_t("note.calls", lang), len(calls)),
        (_t("note.rules", lang), ", ".join(rules)),
        (_t("note.runs", lang), ", ".join(str(r) for r in runs)),
        (_t("note.undated", lang), undated),
    ]
    texts = ("month", "compliance", "change", "replace", "low")
    for key in texts:
        rows.append((_t("note.how", lang), _t(f"note.text.{key}", lang, low=f"{LOW_COMPLIANCE:.0%}")))
    for item, value in rows:
        row = append_row(ws, [item, value])
        ws.cell(row, 2).alignment = WRAP
    finish_table(ws, 2)
