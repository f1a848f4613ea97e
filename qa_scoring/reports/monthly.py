"""Monthly compliance workbook for team leads: one month's figures per team and agent, from the results store.

Sheets, in reading order: an overview that prints on one A4 landscape page (per team this
month vs last, and the agents to talk to), one sheet per team (agents by name, ranked, with a
chart and the checks they fail most, in words), the trend of the last months with data, the
non-compliant calls grouped by agent, their failed checks with the agent's words, and notes
on how the figures are made. Every figure is aggregated in the database; the call lists are
streamed from it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from qa_scoring.errors import QAScoringError
from qa_scoring.messages import check_reason
from qa_scoring.pii import default_masker
from qa_scoring.reports.labels import check_label, check_lang, fail_label, param_label
from qa_scoring.reports.xlsx_common import (
    FAIL_FILL,
    HEADER_FILL,
    HEADER_FONT,
    WRAP,
    atomic_save,
    fit_row_height,
    print_setup,
    printable,
    sanitize_sheet_name,
    set_value,
    set_widths,
)
from qa_scoring.store import PARAMETERS, ResultStore, check_month, shift_month

LOW_COMPLIANCE = 0.8
MIN_CALLS = 10
MAX_LISTED_CALLS = 3000
PERCENT = "0.0%"
SCORE = "0.0"
CHANGE_PP = '"▲ "0.0;"▼ "0.0;"= "0.0'
UP_FONT = Font(color="006100")
DOWN_FONT = Font(color="9C0006")
TITLE_FONT = Font(bold=True, size=15, color="1F4E78")
SUBTITLE_FONT = Font(italic=True, size=10, color="595959")
SECTION_FONT = Font(bold=True, size=12, color="1F4E78")
GROUP_FONT = Font(bold=True)
GROUP_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FONT = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP = Alignment(vertical="top")
TOP_CENTER = Alignment(horizontal="center", vertical="top")
TOP_INDENT = Alignment(wrap_text=True, vertical="top", indent=1)
HEADER_ROW = 4  # rows 1-2: title and subtitle, row 3 blank

_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}  # fmt: skip

_TEXT: dict[str, dict[str, str]] = {
    "id": {
        "sheet.overview": "Ringkasan Bulanan",
        "sheet.trend": "Tren",
        "sheet.noncompliant": "Panggilan Tidak Patuh",
        "sheet.details": "Rincian Panggilan",
        "sheet.notes": "Catatan",
        "title.overview": "Kepatuhan QA PLN 123: {month}",
        "title.team": "Tim {team}: {month}",
        "title.trend": "Tren kepatuhan: {scope}, hingga {month}",
        "title.noncompliant": "Panggilan tidak patuh: {month}, {scope}",
        "title.details": "Rincian panggilan tidak patuh: {month}, {scope}",
        "title.notes": "Catatan: {month}, {scope}",
        "sub.overview": "{scope} · {calls} panggilan dinilai · dibandingkan dengan {previous} · dibuat {created}",
        "sub.team": "{calls} panggilan, {agents} agen. Agen diurutkan dari rata-rata skor tertinggi; agen dengan "
        "kurang dari {min} panggilan tidak diberi peringkat karena angkanya belum dapat dibandingkan.",
        "sub.trend": "{n} bulan terakhir yang memiliki data (hingga {month}); bulan tanpa panggilan tidak ditampilkan.",
        "sub.noncompliant": "Dikelompokkan per agen, lalu menurut waktu. Klik ID panggilan untuk alasan dan ucapan "
        "agen.",
        "sub.details": "Satu baris per pemeriksaan yang gagal. Ucapan agen: kalimat yang cocok, atau yang paling "
        "mendekati bila tidak diucapkan.",
        "all_teams": "Semua tim",
        "no_team": "(tanpa tim)",
        "unknown_agent": "(tidak diketahui)",
        "col.team": "Tim",
        "col.calls": "Panggilan",
        "col.agents": "Agen",
        "col.rank": "Peringkat",
        "col.agent": "Agen",
        "col.agent_id": "ID agen",
        "col.change": "Perubahan",
        "col.avg_score": "Rata-rata skor",
        "col.score": "Skor",
        "col.top_fails": "Paling sering gagal (panggilan)",
        "col.weakest": "Parameter terendah",
        "col.month": "Bulan",
        "col.date": "Tanggal",
        "col.time": "Jam",
        "col.call_id": "ID panggilan",
        "col.failed_params": "Parameter tidak patuh",
        "col.failed_checks": "Pemeriksaan gagal",
        "col.check": "Pemeriksaan",
        "col.reason": "Alasan",
        "col.words": "Ucapan agen",
        "col.turn_time": "Waktu",
        "col.similarity": "Kemiripan",
        "col.item": "Keterangan",
        "col.value": "Nilai",
        "talk.title": "Agen yang perlu diajak bicara (rata-rata skor terendah, minimal {min} panggilan)",
        "talk.none": "Belum ada agen dengan minimal {min} panggilan bulan ini.",
        "talk.few": "Tidak diperingkat (kurang dari {min} panggilan): {agents}.",
        "legend": "Perubahan = dibanding {previous}, dalam poin persentase (skor: poin); ▲ naik, ▼ turun, kosong bila "
        "bulan lalu tidak ada data. Merah: kepatuhan di bawah {low}.",
        "group": "{agent} ({agent_id}) · {team}: {n} panggilan tidak patuh dari {calls}",
        "no_time": "(tanpa jam)",
        "not_ranked": "*",
        "listed_cap": "Hanya {shown} dari {total} panggilan tidak patuh yang ditampilkan; daftar lengkap ada di "
        "workbook batch masing-masing.",
        "no_noncompliant": "Tidak ada panggilan tidak patuh bulan ini.",
        "no_evidence": "(tidak ada ucapan agen yang mendekati)",
        "chart.agents": "Kepatuhan per agen",
        "chart.trend": "Kepatuhan per parameter",
        "note.month": "Bulan",
        "note.team": "Tim",
        "note.created": "Dibuat",
        "note.store": "Penyimpanan hasil",
        "note.calls": "Panggilan dinilai bulan ini",
        "note.reviewed": "Tinjauan auditor",
        "note.reviewed.value": "{calls} panggilan ditinjau auditor; {overridden} putusan pemeriksaan diubah. Angka "
        "bulan ini memakai putusan akhir: milik auditor bila ada, selain itu milik mesin.",
        "sub.reviewed": " · {overridden} putusan diubah auditor",
        "auditor_reason": "diubah auditor {auditor}: {note}",
        "note.rules": "Versi aturan",
        "note.runs": "Run penilaian",
        "note.undated": "Panggilan tanpa call_start",
        "note.undated.value": "{n} panggilan di penyimpanan tidak memiliki call_start yang dapat dibaca, sehingga "
        "tidak masuk bulan mana pun. Nilai ulang dengan call_start di manifest.",
        "note.how": "Cara menghitung",
        "note.text.month": "Bulan panggilan = tanggal lokal call_start (zona waktu seperti tertulis; tanpa zona = "
        "WIB).",
        "note.text.compliance": "Kepatuhan = bagian panggilan bulan itu yang patuh pada parameter tersebut. Rata-rata "
        "skor = rata-rata skor panggilan (0-100).",
        "note.text.rank": "Peringkat agen menurut rata-rata skor; agen dengan kurang dari {min} panggilan tidak "
        "diperingkat dan tidak masuk daftar agen yang perlu diajak bicara.",
        "note.text.replace": "Setiap panggilan dihitung sekali: penilaian ulang (ID panggilan yang sama) mengganti "
        "hasil sebelumnya. Panggilan yang gagal dibaca tidak dihitung.",
    },
    "en": {
        "sheet.overview": "Monthly Overview",
        "sheet.trend": "Trend",
        "sheet.noncompliant": "Non-compliant Calls",
        "sheet.details": "Call Details",
        "sheet.notes": "Notes",
        "title.overview": "PLN 123 QA compliance: {month}",
        "title.team": "Team {team}: {month}",
        "title.trend": "Compliance trend: {scope}, up to {month}",
        "title.noncompliant": "Non-compliant calls: {month}, {scope}",
        "title.details": "Non-compliant call details: {month}, {scope}",
        "title.notes": "Notes: {month}, {scope}",
        "sub.overview": "{scope} · {calls} calls scored · compared with {previous} · made {created}",
        "sub.team": "{calls} calls, {agents} agents. Agents ranked by average score, highest first; agents with "
        "fewer than {min} calls are not ranked because their figures cannot be compared yet.",
        "sub.trend": "The last {n} months with data (up to {month}); months without calls are left out.",
        "sub.noncompliant": "Grouped by agent, then in time order. Click a call ID for the reasons and the agent's "
        "words.",
        "sub.details": "One row per failed check. Agent's words: the matching sentence, or the nearest one when the "
        "phrase was not said.",
        "all_teams": "All teams",
        "no_team": "(no team)",
        "unknown_agent": "(unknown)",
        "col.team": "Team",
        "col.calls": "Calls",
        "col.agents": "Agents",
        "col.rank": "Rank",
        "col.agent": "Agent",
        "col.agent_id": "Agent ID",
        "col.change": "Change",
        "col.avg_score": "Average score",
        "col.score": "Score",
        "col.top_fails": "Failed most (calls)",
        "col.weakest": "Lowest parameter",
        "col.month": "Month",
        "col.date": "Date",
        "col.time": "Time",
        "col.call_id": "Call ID",
        "col.failed_params": "Non-compliant parameters",
        "col.failed_checks": "Failed checks",
        "col.check": "Check",
        "col.reason": "Reason",
        "col.words": "Agent's words",
        "col.turn_time": "Time",
        "col.similarity": "Similarity",
        "col.item": "Item",
        "col.value": "Value",
        "talk.title": "Agents to talk to (lowest average score, at least {min} calls)",
        "talk.none": "No agent has at least {min} calls this month yet.",
        "talk.few": "Not ranked (fewer than {min} calls): {agents}.",
        "legend": "Change = against {previous}, in percentage points (score: points); ▲ up, ▼ down, empty when the "
        "previous month has no data. Red: compliance below {low}.",
        "group": "{agent} ({agent_id}) · {team}: {n} non-compliant calls of {calls}",
        "no_time": "(no time)",
        "not_ranked": "*",
        "listed_cap": "Only {shown} of {total} non-compliant calls are listed; the full list is in each batch "
        "workbook.",
        "no_noncompliant": "No non-compliant calls this month.",
        "no_evidence": "(no agent words came close)",
        "chart.agents": "Compliance by agent",
        "chart.trend": "Compliance per parameter",
        "note.month": "Month",
        "note.team": "Team",
        "note.created": "Created",
        "note.store": "Results store",
        "note.calls": "Calls scored this month",
        "note.reviewed": "Auditor review",
        "note.reviewed.value": "{calls} calls reviewed by auditors; {overridden} check verdicts overturned. "
        "This month's "
        "figures use the final verdicts: the auditor's where there is one, else the machine's.",
        "sub.reviewed": " · {overridden} verdicts overturned by auditors",
        "auditor_reason": "changed by auditor {auditor}: {note}",
        "note.rules": "Rules versions",
        "note.runs": "Scoring runs",
        "note.undated": "Calls without call_start",
        "note.undated.value": "{n} calls in the store have no readable call_start, so they belong to no month. "
        "Rescore them with call_start in the manifest.",
        "note.how": "How the figures are made",
        "note.text.month": "A call's month is the local date of its call_start (offset as written; none means WIB).",
        "note.text.compliance": "Compliance = share of the month's calls compliant with the parameter. Average score "
        "= mean of the calls' scores (0-100).",
        "note.text.rank": "Agents are ranked by average score; agents with fewer than {min} calls are not ranked and "
        "are not listed among the agents to talk to.",
        "note.text.replace": "Each call counts once: rescoring a call (same call ID) replaces its earlier result. "
        "Calls that could not be read are not counted.",
    },
}


def _t(key: str, lang: str, **values: object) -> str:
    text = _TEXT[lang][key]
    return text.format(**values) if values else text


def month_label(month: str, lang: str) -> str:
    """``2024-03`` as ``Maret 2024`` (``March 2024`` in English)."""
    year, mon = check_month(month).split("-")
    return f"{_MONTHS[lang][int(mon) - 1]} {year}"


@dataclass
class Figures:
    """Figures of a set of scored calls: counts, compliance per parameter, average score, fails per check."""

    calls: int = 0
    compliant: Counter[str] = field(default_factory=Counter)
    assessed: Counter[str] = field(default_factory=Counter)
    score_sum: float = 0.0
    scored: int = 0
    fails: Counter[str] = field(default_factory=Counter)
    non_compliant: int = 0

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> Figures:
        """Figures from one aggregate row of ``ResultStore.agent_figures``."""
        return cls(
            calls=int(row["calls"]),
            compliant=Counter({p: int(row[f"{p}_ok"] or 0) for p in PARAMETERS}),
            assessed=Counter({p: int(row[f"{p}_n"] or 0) for p in PARAMETERS}),
            score_sum=float(row["score_sum"] or 0.0),
            scored=int(row["scored"] or 0),
            non_compliant=int(row["non_compliant"] or 0),
        )

    @classmethod
    def total(cls, parts: Iterable[Figures]) -> Figures:
        """The sum of ``parts``."""
        out = cls()
        for part in parts:
            out.calls += part.calls
            out.compliant.update(part.compliant)
            out.assessed.update(part.assessed)
            out.score_sum += part.score_sum
            out.scored += part.scored
            out.fails.update(part.fails)
            out.non_compliant += part.non_compliant
        return out

    def compliance(self, name: str) -> float | None:
        """Share (0-1) of calls compliant with parameter ``name``; ``None`` with no calls assessed."""
        return self.compliant[name] / self.assessed[name] if self.assessed[name] else None

    def average_score(self) -> float | None:
        """Mean score (0-100); ``None`` with no scores."""
        return self.score_sum / self.scored if self.scored else None

    def change(self, previous: Figures | None, name: str) -> float | None:
        """Compliance change vs ``previous`` in percentage points; ``None`` without previous data."""
        now = self.compliance(name)
        before = previous.compliance(name) if previous else None
        return None if now is None or before is None else (now - before) * 100

    def score_change(self, previous: Figures | None) -> float | None:
        """Average-score change vs ``previous`` in points; ``None`` without previous data."""
        now = self.average_score()
        before = previous.average_score() if previous else None
        return None if now is None or before is None else now - before

    def weakest(self) -> str | None:
        """The parameter with the lowest compliance (``None`` when all are fully compliant or unknown)."""
        known = [(value, p) for p in PARAMETERS if (value := self.compliance(p)) is not None and value < 1]
        return min(known)[1] if known else None


@dataclass
class Agent:
    """One agent of one team in the month: identity, figures, and last month's figures."""

    team: str | None
    key: str | None
    agent_id: str | None
    name: str | None
    now: Figures
    before: Figures | None = None

    def display(self, lang: str) -> str:
        """The agent's name, else id, else 'unknown'."""
        return self.name or self.agent_id or self.key or _t("unknown_agent", lang)


@dataclass
class Month:
    """The month's figures: per team, per agent, the previous month, the trend."""

    month: str
    agents: dict[str | None, list[Agent]]
    previous: dict[str | None, Figures]
    trend: list[tuple[str, Figures]]
    reviewed: tuple[int, int] = (0, 0)  # calls reviewed by auditors, check verdicts they overturned

    def team_figures(self, team: str | None) -> Figures:
        """A team's figures this month."""
        return Figures.total(a.now for a in self.agents[team])

    def all_figures(self) -> Figures:
        """All teams' figures this month."""
        return Figures.total(a.now for agents in self.agents.values() for a in agents)


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
        """Calls, teams, agents, compliance per parameter, the file written, and undated calls if any."""
        where = f" (team {self.team})" if self.team else ""
        params = ", ".join(f"{param_label(name)} {_pct(value)}" for name, value in self.compliance.items())
        avg = "-" if self.average_score is None else f"{self.average_score:.1f}"
        text = (
            f"{self.month}{where}: {self.calls} calls, {self.teams} teams, {self.agents} agents; "
            f"{params}; average score {avg} -> {self.out_path}"
        )
        if self.undated:
            text += f"\n{self.undated} calls in the store have no call start and appear in no month"
        return text


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _team_sort(team: str | None) -> tuple[int, str]:
    return (1, "") if team is None else (0, team.casefold())


def resolve_team(store: ResultStore, team: str | None) -> str | None:
    """The store's spelling of ``team`` (matched ignoring case); an unknown team lists the teams there are."""
    if team is None:
        return None
    teams = [t for t in store.teams() if t is not None]
    wanted = team.strip().casefold()
    for name in teams:
        if name.casefold() == wanted:
            return name
    known = ", ".join(teams) if teams else "none"
    raise QAScoringError(f"no team {team!r} in the store; teams: {known}")


def load_month(store: ResultStore, month: str, team: str | None = None, trend_months: int = 6) -> Month:
    """Aggregate ``month``, the month before and the trend window from the store (``team`` as stored)."""
    previous_month = shift_month(month, -1)
    window = [shift_month(month, -back) for back in range(trend_months - 1, -1, -1)]
    months = sorted({*window, previous_month})
    by_month: dict[str, dict[tuple[str | None, str | None], dict[str, Any]]] = {}
    for row in store.agent_figures(months, team):
        by_month.setdefault(row["month"], {})[(row["team"], row["agent"])] = row
    fails: dict[tuple[str | None, str | None], Counter[str]] = {}
    for team_name, agent, check_id, n in store.check_fails(month, team):
        fails.setdefault((team_name, agent), Counter())[check_id] += n
    before_rows = by_month.get(previous_month, {})
    agents: dict[str | None, list[Agent]] = {}
    for key, row in by_month.get(month, {}).items():
        now = Figures.of_row(row)
        now.fails = fails.get(key, Counter())
        before = Figures.of_row(before_rows[key]) if key in before_rows else None
        agents.setdefault(key[0], []).append(
            Agent(team=key[0], key=key[1], agent_id=row["agent_id"], name=row["agent_name"], now=now, before=before)
        )
    previous: dict[str | None, Figures] = {}
    for key, row in before_rows.items():
        previous[key[0]] = Figures.total([previous.get(key[0], Figures()), Figures.of_row(row)])
    trend = [(m, Figures.total(Figures.of_row(r) for r in by_month[m].values())) for m in window if by_month.get(m)]
    ordered = {name: agents[name] for name in sorted(agents, key=_team_sort)}
    reviewed = store.overridden_checks(month, team)
    return Month(month=month, agents=ordered, previous=previous, trend=trend, reviewed=reviewed)


def write_monthly_workbook(
    store: ResultStore,
    month: str,
    out_path: Path,
    *,
    team: str | None = None,
    lang: str = "id",
    trend_months: int = 6,
    min_calls: int = MIN_CALLS,
) -> MonthlySummary:
    """Write the compliance workbook of ``month`` (``YYYY-MM``), optionally one team's, to ``out_path``.

    ``team`` is matched ignoring case. Raises ``QAScoringError`` and writes nothing when the
    team is unknown or the month has no scored calls.
    """
    check_month(month)
    try:
        check_lang(lang)
    except ValueError as exc:
        raise QAScoringError(str(exc)) from exc
    if trend_months < 1:
        raise QAScoringError(f"trend_months must be at least 1, got {trend_months}")
    if min_calls < 1:
        raise QAScoringError(f"min_calls must be at least 1, got {min_calls}")
    with store.read_snapshot():  # one state of the store, even while a run is recording calls
        team = resolve_team(store, team)
        data = load_month(store, month, team, trend_months)
        undated = store.undated_calls(team)
        if not data.agents:
            where = f" (team {team})" if team is not None else ""
            hint = f"; {undated} calls in the store have no call start and appear in no month" if undated else ""
            raise QAScoringError(f"no scored calls in {month}{where}{hint}")

        scope = team if team is not None else _t("all_teams", lang)
        book = _Book(lang=lang, month=month, scope=scope, min_calls=min_calls)
        book.name_team_sheets(data.agents)
        book.overview(data, filtered=team is not None)
        for name, agents in data.agents.items():
            book.team_sheet(name, agents)
        book.trend(data)
        # the store keeps the auditor's full text; what the team leads read is masked (docs/pii-masking.md)
        calls = store.non_compliant_calls(month, team, limit=MAX_LISTED_CALLS)
        book.non_compliant(map(default_masker().mask_result, calls), data)
        book.notes(store, month, team, data, undated)
        atomic_save(book.wb, out_path)

    total = data.all_figures()
    return MonthlySummary(
        month=month,
        team=team,
        calls=total.calls,
        teams=len(data.agents),
        agents=sum(len(a) for a in data.agents.values()),
        compliance={name: total.compliance(name) for name in PARAMETERS},
        average_score=total.average_score(),
        non_compliant=total.non_compliant,
        undated=undated,
        out_path=Path(out_path),
    )


# -- the workbook -------------------------------------------------------------------------------


def _internal_link(sheet: str, cell: str) -> str:
    """A hyperlink location to ``cell`` on ``sheet``; quotes in the sheet name are doubled."""
    return "'{}'!{}".format(sheet.replace("'", "''"), cell)


def _parse_start(call_start: object) -> datetime | None:
    if not isinstance(call_start, str):
        return None
    try:
        return datetime.fromisoformat(call_start.strip())
    except ValueError:
        return None


class _Book:
    """The workbook under construction: sheet names, language, and one method per sheet."""

    def __init__(self, *, lang: str, month: str, scope: str, min_calls: int) -> None:
        self.wb = Workbook()
        self.lang = lang
        self.month = month
        self.month_name = month_label(month, lang)
        self.previous_name = month_label(shift_month(month, -1), lang)
        self.scope = scope
        self.min_calls = min_calls
        self.taken: list[str] = [
            self.t(f"sheet.{s}") for s in ("overview", "trend", "noncompliant", "details", "notes")
        ]
        self.team_sheets: dict[str | None, str] = {}
        self.fresh = True

    def name_team_sheets(self, teams: Iterable[str | None]) -> None:
        """Give every team its sheet name up front, so that the overview can link to them."""
        for team in teams:
            name = sanitize_sheet_name(self.team_name(team), self.taken)
            self.taken.append(name)
            self.team_sheets[team] = name

    def t(self, key: str, **values: object) -> str:
        return _t(key, self.lang, **values)

    def team_name(self, team: str | None) -> str:
        return team if team is not None else self.t("no_team")

    # -- shared layout ---------------------------------------------------------------------

    def sheet(self, name: str, widths: Sequence[float], title: str, subtitle: str | None = None) -> Worksheet:
        """A new sheet (the first one reuses the workbook's default) with widths, title and print settings."""
        if self.fresh:  # the workbook's default sheet becomes the first one
            ws = self.wb.worksheets[0]
            ws.title = name
            self.fresh = False
        else:
            ws = self.wb.create_sheet(name)
        set_widths(ws, widths)
        last = get_column_letter(len(widths))
        for row, text, font in ((1, title, TITLE_FONT), (2, subtitle, SUBTITLE_FONT)):
            if not text:
                continue
            cell = set_value(ws.cell(row, 1), text)
            cell.font = font
            cell.alignment = WRAP
            ws.merge_cells(f"A{row}:{last}{row}")
            fit_row_height(ws, row, line_height=22 if row == 1 else 14)
        print_setup(ws, title=title, lang=self.lang)
        return ws

    @staticmethod
    def header(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
        """A styled header row whose height fits its wrapped labels."""
        for col, text in enumerate(headers, start=1):
            cell = set_value(ws.cell(row, col), text)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = CENTER
        fit_row_height(ws, row)

    @staticmethod
    def grouped_header(
        ws: Worksheet,
        row: int,
        single: Sequence[str],
        groups: Sequence[tuple[str, Sequence[str]]],
        tail: Sequence[str] = (),
    ) -> None:
        """Two header rows: ``single`` and ``tail`` labels span both; each group's name spans its sub-labels."""
        col = 1
        spans: list[tuple[int, int, str]] = []
        for text in single:
            spans.append((col, col, text))
            col += 1
        subs: list[tuple[int, str]] = []
        for name, parts in groups:
            spans.append((col, col + len(parts) - 1, name))
            subs.extend((col + i, part) for i, part in enumerate(parts))
            col += len(parts)
        singles = {c for c, _, _ in spans[: len(single)]}
        for text in tail:
            spans.append((col, col, text))
            singles.add(col)
            col += 1
        for first, last, text in spans:
            cell = set_value(ws.cell(row, first), text)
            for c in range(first, last + 1):
                for r in (row, row + 1):
                    ws.cell(r, c).fill = HEADER_FILL
                    ws.cell(r, c).font = HEADER_FONT
                    ws.cell(r, c).alignment = CENTER
            if first in singles:
                ws.merge_cells(start_row=row, start_column=first, end_row=row + 1, end_column=first)
            elif last > first:
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
            cell.alignment = CENTER
        for c, text in subs:
            set_value(ws.cell(row + 1, c), text)
        fit_row_height(ws, row)
        fit_row_height(ws, row + 1)
        ws.freeze_panes = ws.cell(row + 2, 1)
        ws.print_title_rows = f"{row}:{row + 1}"

    def param_groups(self, with_previous: bool) -> list[tuple[str, list[str]]]:
        """Header groups: per parameter this month (last month) and change; then the average score."""
        now, before = self.month_name.split()[0][:3], self.previous_name.split()[0][:3]
        parts = [now, before, self.t("col.change")] if with_previous else ["%", self.t("col.change")]
        score = [self.t("col.score"), self.t("col.change")]
        return [*((param_label(p, self.lang), parts) for p in PARAMETERS), (self.t("col.avg_score"), score)]

    @staticmethod
    def figure_values(now: Figures, before: Figures | None, with_previous: bool) -> list[object]:
        values: list[object] = []
        for p in PARAMETERS:
            values.append(now.compliance(p))
            if with_previous:
                values.append(before.compliance(p) if before else None)
            values.append(now.change(before, p))
        values += [now.average_score(), now.score_change(before)]
        return values

    @staticmethod
    def format_figures(ws: Worksheet, row: int, first_col: int, with_previous: bool) -> None:
        """Number formats of a row of ``figure_values`` starting at ``first_col``."""
        step = 3 if with_previous else 2
        col = first_col
        for _ in PARAMETERS:
            ws.cell(row, col).number_format = PERCENT
            if with_previous:
                ws.cell(row, col + 1).number_format = PERCENT
            ws.cell(row, col + step - 1).number_format = CHANGE_PP
            col += step
        ws.cell(row, col).number_format = SCORE
        ws.cell(row, col + 1).number_format = CHANGE_PP

    @staticmethod
    def low_rule(ws: Worksheet, cols: Iterable[int], first_row: int, last_row: int) -> None:
        """Red fill where a compliance share is below ``LOW_COMPLIANCE``."""
        if last_row < first_row:
            return
        for col in cols:
            letter = get_column_letter(col)
            ws.conditional_formatting.add(
                f"{letter}{first_row}:{letter}{last_row}",
                FormulaRule(
                    formula=[f"AND(ISNUMBER({letter}{first_row}),{letter}{first_row}<{LOW_COMPLIANCE})"],
                    fill=FAIL_FILL,
                ),
            )

    @staticmethod
    def change_rule(ws: Worksheet, cols: Iterable[int], first_row: int, last_row: int) -> None:
        """Green for a rise, red for a fall, in the change columns."""
        if last_row < first_row:
            return
        for col in cols:
            letter = get_column_letter(col)
            cells = f"{letter}{first_row}:{letter}{last_row}"
            top = f"{letter}{first_row}"
            ws.conditional_formatting.add(cells, FormulaRule(formula=[f"AND(ISNUMBER({top}),{top}>0)"], font=UP_FONT))
            ws.conditional_formatting.add(cells, FormulaRule(formula=[f"AND(ISNUMBER({top}),{top}<0)"], font=DOWN_FONT))

    def note_row(self, ws: Worksheet, row: int, text: str, ncols: int, font: Font | None = None) -> None:
        cell = set_value(ws.cell(row, 1), text)
        cell.alignment = WRAP
        if font:
            cell.font = font
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        fit_row_height(ws, row)

    def top_fails(self, figures: Figures, n: int = 3) -> str:
        return "\n".join(f"{fail_label(c, self.lang)} ({k})" for c, k in figures.fails.most_common(n))

    # -- sheets ----------------------------------------------------------------------------

    def overview(self, data: Month, *, filtered: bool) -> None:
        widths = [18, 11, 8, 9, 11, 11, 9, 9, 11, 9, 9, 11, 9, 11]
        ncols = len(widths)
        total = data.all_figures()
        ws = self.sheet(
            self.t("sheet.overview"),
            widths,
            self.t("title.overview", month=self.month_name),
            self.t(
                "sub.overview",
                scope=self.scope,
                calls=total.calls,
                previous=self.previous_name,
                created=date.today().isoformat(),
            )
            + (self.t("sub.reviewed", overridden=data.reviewed[1]) if data.reviewed[0] else ""),
        )
        self.grouped_header(
            ws, HEADER_ROW, [self.t("col.team"), self.t("col.calls"), self.t("col.agents")], self.param_groups(True)
        )
        row = HEADER_ROW + 2
        first = row
        for team, agents in data.agents.items():
            self.overview_row(
                ws, row, self.team_name(team), len(agents), data.team_figures(team), data.previous.get(team)
            )
            link = self.team_sheets.get(team)
            if link:
                ws.cell(row, 1).hyperlink = Hyperlink(ref="", location=_internal_link(link, "A1"))
            row += 1
        if not filtered and len(data.agents) > 1:
            before = Figures.total(data.previous.values()) if data.previous else None
            agents = sum(len(a) for a in data.agents.values())
            self.overview_row(ws, row, self.t("all_teams"), agents, total, before)
            for col in range(1, ncols + 1):
                ws.cell(row, col).font = TOTAL_FONT
            row += 1
        self.low_rule(ws, [c for c in range(4, 4 + 3 * len(PARAMETERS)) if (c - 4) % 3 != 2], first, row - 1)
        self.change_rule(ws, [6 + 3 * i for i in range(len(PARAMETERS))] + [5 + 3 * len(PARAMETERS)], first, row - 1)
        row += 1
        self.note_row(
            ws, row, self.t("legend", previous=self.previous_name, low=f"{LOW_COMPLIANCE:.0%}"), ncols, SUBTITLE_FONT
        )
        row += 2
        self.agents_to_talk_to(ws, row, data, ncols)
        ws.page_setup.fitToHeight = 1  # the first page is one printed page
        ws.print_title_rows = None

    def overview_row(
        self, ws: Worksheet, row: int, name: str, agents: int, now: Figures, before: Figures | None
    ) -> None:
        for col, value in enumerate([name, now.calls, agents, *self.figure_values(now, before, True)], start=1):
            set_value(ws.cell(row, col), value)
        self.format_figures(ws, row, 4, True)
        ws.cell(row, 1).alignment = WRAP
        fit_row_height(ws, row)

    def agents_to_talk_to(self, ws: Worksheet, row: int, data: Month, ncols: int) -> None:
        cell = set_value(ws.cell(row, 1), self.t("talk.title", min=self.min_calls))
        cell.font = SECTION_FONT
        row += 1
        per_team = max(1, min(3, 12 // max(1, len(data.agents))))
        chosen: list[Agent] = []
        few: list[Agent] = []
        for agents in data.agents.values():
            ranked = [a for a in agents if a.now.calls >= self.min_calls]
            few += [a for a in agents if a.now.calls < self.min_calls]
            ranked.sort(key=lambda a: (a.now.average_score() or 0.0, -a.now.calls))
            chosen += ranked[:per_team]
        # columns: team | agent (2 cols) | calls | score | lowest parameter (3 cols) | failed most (rest)
        layout = [(1, 1), (2, 4), (5, 5), (6, 6), (7, 9), (10, ncols)]
        headers = [
            self.t("col.team"),
            self.t("col.agent"),
            self.t("col.calls"),
            self.t("col.avg_score"),
            self.t("col.weakest"),
            self.t("col.top_fails"),
        ]
        if chosen:
            self.spanned_row(ws, row, layout, headers, header=True)
            row += 1
            for agent in chosen:
                weakest = agent.now.weakest()
                weak_text = (
                    f"{param_label(weakest, self.lang)} {_pct(agent.now.compliance(weakest))}" if weakest else ""
                )
                who = (
                    f"{agent.display(self.lang)} ({agent.agent_id})"
                    if agent.agent_id and agent.name
                    else (agent.display(self.lang))
                )
                self.spanned_row(
                    ws,
                    row,
                    layout,
                    [
                        self.team_name(agent.team),
                        who,
                        agent.now.calls,
                        agent.now.average_score(),
                        weak_text,
                        self.top_fails(agent.now).replace("\n", "; "),
                    ],
                )
                ws.cell(row, 6).number_format = SCORE
                for col in (5, 6):
                    ws.cell(row, col).alignment = TOP_CENTER
                row += 1
        else:
            self.note_row(ws, row, self.t("talk.none", min=self.min_calls), ncols)
            row += 1
        if few:
            names = ", ".join(
                f"{a.display(self.lang)} ({a.now.calls})" for a in sorted(few, key=lambda a: a.display(self.lang))
            )
            self.note_row(ws, row, self.t("talk.few", min=self.min_calls, agents=names), ncols, SUBTITLE_FONT)

    @staticmethod
    def spanned_row(
        ws: Worksheet, row: int, layout: Sequence[tuple[int, int]], values: Sequence[object], *, header: bool = False
    ) -> None:
        for (first, last), value in zip(layout, values, strict=True):
            cell = set_value(ws.cell(row, first), value)
            cell.alignment = CENTER if header else WRAP
            if header:
                for c in range(first, last + 1):
                    ws.cell(row, c).fill = HEADER_FILL
                    ws.cell(row, c).font = HEADER_FONT
            if last > first:
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        fit_row_height(ws, row)

    def team_sheet(self, team: str | None, agents: list[Agent]) -> None:
        name = self.team_sheets[team]
        widths = [10, 22, 11, 11, *[9, 11] * len(PARAMETERS), 9, 11, 42]
        figures = Figures.total(a.now for a in agents)
        ws = self.sheet(
            name,
            widths,
            self.t("title.team", team=self.team_name(team), month=self.month_name),
            self.t("sub.team", calls=figures.calls, agents=len(agents), min=self.min_calls),
        )
        self.grouped_header(
            ws,
            HEADER_ROW,
            [self.t("col.rank"), self.t("col.agent"), self.t("col.agent_id"), self.t("col.calls")],
            self.param_groups(False),
            [self.t("col.top_fails")],
        )
        ranked = sorted(
            (a for a in agents if a.now.calls >= self.min_calls),
            key=lambda a: (-(a.now.average_score() or 0.0), a.display(self.lang).casefold()),
        )
        unranked = sorted((a for a in agents if a.now.calls < self.min_calls), key=lambda a: a.display(self.lang))
        row = first = HEADER_ROW + 2
        for rank, agent in enumerate([*ranked, *unranked], start=1):
            shown_rank: object = rank if rank <= len(ranked) else self.t("not_ranked")
            values = [
                shown_rank,
                agent.display(self.lang),
                agent.agent_id,
                agent.now.calls,
                *self.figure_values(agent.now, agent.before, False),
                self.top_fails(agent.now),
            ]
            for col, value in enumerate(values, start=1):
                cell = set_value(ws.cell(row, col), value)
                cell.alignment = Alignment(
                    wrap_text=col in (2, len(values)),
                    vertical="top",
                    indent=int(col > 4),
                    horizontal="center" if col == 1 else None,
                )
            self.format_figures(ws, row, 5, False)
            fit_row_height(ws, row)
            row += 1
        last = row - 1
        self.low_rule(ws, [5 + 2 * i for i in range(len(PARAMETERS))], first, last)
        self.change_rule(ws, [6 + 2 * i for i in range(len(PARAMETERS) + 1)], first, last)
        self.agent_chart(ws, first, first + len(ranked) - 1 if ranked else last, last, team)

    def agent_chart(self, ws: Worksheet, first: int, last: int, below: int, team: str | None) -> None:
        """Compliance per parameter of the ranked agents (all agents when none is ranked), below the table."""
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: agent names stay readable
        chart.grouping = "clustered"
        chart.title = printable(f"{self.t('chart.agents')}: {self.team_name(team)}, {self.month_name}")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.majorGridlines = None
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.x_axis.scaling.orientation = "maxMin"  # the first ranked agent on top, as in the table
        for i, p in enumerate(PARAMETERS):
            col = 5 + 2 * i
            values = Reference(ws, min_col=col, min_row=first, max_row=last)
            chart.series.append(Series(values, title=param_label(p, self.lang)))
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
        chart.legend.position = "b"
        agents = last - first + 1
        chart.height = max(7.0, 1.5 + 1.1 * agents)
        chart.width = 24
        ws.add_chart(chart, f"B{below + 3}")

    def trend(self, data: Month) -> None:
        widths = [16, 11, *[14] * len(PARAMETERS), 14]
        ws = self.sheet(
            self.t("sheet.trend"),
            widths,
            self.t("title.trend", scope=self.scope, month=self.month_name),
            self.t("sub.trend", n=len(data.trend), month=self.month_name),
        )
        headers = [
            self.t("col.month"),
            self.t("col.calls"),
            *(param_label(p, self.lang) for p in PARAMETERS),
            self.t("col.avg_score"),
        ]
        self.header(ws, HEADER_ROW, headers)
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        row = HEADER_ROW + 1
        lowest = 1.0
        for month, figures in data.trend:
            values = [
                month_label(month, self.lang),
                figures.calls,
                *(figures.compliance(p) for p in PARAMETERS),
                figures.average_score(),
            ]
            for col, value in enumerate(values, start=1):
                set_value(ws.cell(row, col), value)
            for col in range(3, 3 + len(PARAMETERS)):
                ws.cell(row, col).number_format = PERCENT
            ws.cell(row, 3 + len(PARAMETERS)).number_format = SCORE
            lowest = min([lowest, *(v for p in PARAMETERS if (v := figures.compliance(p)) is not None)])
            row += 1
        last = row - 1
        self.low_rule(ws, range(3, 3 + len(PARAMETERS)), HEADER_ROW + 1, last)

        chart = LineChart()
        chart.title = self.t("chart.trend")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = max(0.0, math.floor(lowest * 10 - 0.5) / 10)  # the axis fits the data
        chart.y_axis.scaling.max = 1
        chart.y_axis.majorUnit = 0.1 if lowest >= 0.5 else 0.2
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        for i, p in enumerate(PARAMETERS):
            series = Series(
                Reference(ws, min_col=3 + i, min_row=HEADER_ROW + 1, max_row=last), title=param_label(p, self.lang)
            )
            series.marker.symbol = "circle"
            series.smooth = False  # straight segments: a smoothed line overshoots between months
            chart.series.append(series)
        chart.set_categories(Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=last))
        if len(data.trend) == 1:  # a single point: print its value, there is no line to read
            chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False)
        chart.legend.position = "b"
        chart.height = 9
        chart.width = 22
        ws.add_chart(chart, f"A{last + 3}")

    def non_compliant(self, calls: Iterable[Mapping[str, Any]], data: Month) -> None:
        """The non-compliant calls grouped by agent (at most ``MAX_LISTED_CALLS``), and their failed checks."""
        widths = [11, 8, 24, 7, 28, 50]
        ws = self.sheet(
            self.t("sheet.noncompliant"),
            widths,
            self.t("title.noncompliant", month=self.month_name, scope=self.scope),
            self.t("sub.noncompliant"),
        )
        headers = [
            self.t("col.date"),
            self.t("col.time"),
            self.t("col.call_id"),
            self.t("col.score"),
            self.t("col.failed_params"),
            self.t("col.failed_checks"),
        ]
        self.header(ws, HEADER_ROW, headers)
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        details_name = self.t("sheet.details")
        details = self.sheet(
            details_name,
            [22, 26, 46, 46, 9, 11],
            self.t("title.details", month=self.month_name, scope=self.scope),
            self.t("sub.details"),
        )
        self.header(
            details,
            HEADER_ROW,
            [
                self.t("col.call_id"),
                self.t("col.check"),
                self.t("col.reason"),
                self.t("col.words"),
                self.t("col.turn_time"),
                self.t("col.similarity"),
            ],
        )
        details.freeze_panes = f"A{HEADER_ROW + 1}"
        details.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        agents = {(a.team, a.key): a.now for team_agents in data.agents.values() for a in team_agents}
        row, drow, listed = HEADER_ROW + 1, HEADER_ROW + 1, 0
        group: tuple[str | None, str | None] | None = None
        for call in calls:
            key = (call.get("team"), call.get("agent_id") or call.get("agent_name"))
            if key != group:
                group = key
                figures = agents.get(key, Figures())
                text = self.t(
                    "group",
                    agent=call.get("agent_name") or call.get("agent_id") or self.t("unknown_agent"),
                    agent_id=call.get("agent_id") or "-",
                    team=self.team_name(call.get("team")),
                    n=figures.non_compliant,
                    calls=figures.calls,
                )
                self.note_row(ws, row, text, len(widths), GROUP_FONT)
                for col in range(1, len(widths) + 1):
                    ws.cell(row, col).fill = GROUP_FILL
                row += 1
            drow = self.call_row(ws, row, call, details, details_name, drow)
            row += 1
            listed += 1
        total = data.all_figures().non_compliant
        if total == 0:
            self.note_row(ws, row, self.t("no_noncompliant"), len(widths))
        elif total > listed:
            self.note_row(ws, row + 1, self.t("listed_cap", shown=listed, total=total), len(widths), GROUP_FONT)

    def call_row(
        self, ws: Worksheet, row: int, call: Mapping[str, Any], details: Worksheet, details_name: str, drow: int
    ) -> int:
        """One non-compliant call on ``ws`` and its failed checks on ``details``; returns the next details row."""
        start = _parse_start(call.get("call_start"))
        when_date: object = start.date() if start else (call.get("date") or None)
        when_time: object = time(start.hour, start.minute) if start and "T" in str(call["call_start"]) else None
        params = call.get("parameters") or {}
        failed = list(call.get("failed") or ())
        values = [
            when_date,
            when_time if when_time is not None else self.t("no_time"),
            call.get("call_id"),
            call.get("score"),
            ", ".join(param_label(p, self.lang) for p in PARAMETERS if params.get(p) is False),
            "\n".join(fail_label(c["id"], self.lang) for c in failed),
        ]
        for col, value in enumerate(values, start=1):
            cell = set_value(ws.cell(row, col), value)
            cell.alignment = TOP_INDENT if col >= 5 else TOP
        ws.cell(row, 1).number_format = "yyyy-mm-dd"
        ws.cell(row, 2).number_format = "hh:mm"
        ws.cell(row, 4).number_format = SCORE
        link = ws.cell(row, 3)
        link.hyperlink = Hyperlink(ref="", location=_internal_link(details_name, f"A{drow}"))
        link.font = Font(color="0563C1", underline="single")
        fit_row_height(ws, row)
        for check in failed or [{"id": "", "reason": "", "evidence": None}]:
            evidence = check.get("evidence") if isinstance(check.get("evidence"), dict) else {}
            words = evidence.get("text") or self.t("no_evidence")
            similarity = evidence.get("similarity")
            values = [
                call.get("call_id"),
                check_label(check["id"], self.lang) if check["id"] else "",
                self.t("auditor_reason", auditor=check["auditor"], note=check.get("note") or "-")
                if check.get("auditor")
                else check_reason(check, self.lang),
                words,
                evidence.get("time") or "",
                similarity / 100 if isinstance(similarity, int | float) else None,
            ]
            for col, value in enumerate(values, start=1):
                cell = set_value(details.cell(drow, col), value)
                cell.alignment = WRAP if col in (2, 3, 4) else TOP
            details.cell(drow, 6).number_format = "0%"
            fit_row_height(details, drow)
            drow += 1
        return drow

    def notes(self, store: ResultStore, month: str, team: str | None, data: Month, undated: int) -> None:
        ws = self.sheet(
            self.t("sheet.notes"), [30, 100], self.t("title.notes", month=self.month_name, scope=self.scope)
        )
        self.header(ws, HEADER_ROW, [self.t("col.item"), self.t("col.value")])
        rules, runs = store.run_summary(month, team)
        rows: list[tuple[str, object]] = [
            (self.t("note.month"), self.month_name),
            (self.t("note.team"), self.scope),
            (self.t("note.created"), datetime.now().astimezone().isoformat(timespec="seconds")),
            (self.t("note.store"), store.location),
            (self.t("note.calls"), data.all_figures().calls),
            (
                self.t("note.reviewed"),
                self.t("note.reviewed.value", calls=data.reviewed[0], overridden=data.reviewed[1]),
            ),
            (self.t("note.rules"), ", ".join(rules)),
            (self.t("note.runs"), ", ".join(str(r) for r in runs)),
            (self.t("note.undated"), self.t("note.undated.value", n=undated) if undated else 0),
        ]
        for key in ("month", "compliance", "rank", "replace"):
            rows.append((self.t("note.how"), self.t(f"note.text.{key}", min=self.min_calls)))
        rows.append((self.t("note.how"), self.t("legend", previous=self.previous_name, low=f"{LOW_COMPLIANCE:.0%}")))
        for offset, (item, value) in enumerate(rows, start=1):
            row = HEADER_ROW + offset
            set_value(ws.cell(row, 1), item).alignment = WRAP
            set_value(ws.cell(row, 2), value).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            fit_row_height(ws, row)
