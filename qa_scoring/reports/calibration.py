"""The calibration workbook: how often auditors and the machine agree, and where they do not.

Read from the results store into pandas (the reviewed rows of the ``final_checks`` and
``final_calls`` views, through the store's query method so both backends work; then
``groupby`` and ``crosstab``): only the reviewed checks of one
month are loaded, so memory follows the auditors' work, not the store's size. Cohen's kappa
is computed from the ``crosstab`` of machine against auditor verdicts (observed agreement
against the agreement the two margins give by chance), which keeps scikit-learn and its
SciPy stack out of the dependencies for one formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from qa_scoring.messages import msg
from qa_scoring.pii import default_masker
from qa_scoring.reports.excel import wrapped_lines
from qa_scoring.reports.labels import PARAMETERS, check_label, check_lang, label, outcome_label, param_label
from qa_scoring.reports.xlsx_common import (
    HEADER_FILL,
    HEADER_FONT,
    WRAP,
    append_row,
    atomic_save,
    finish_table,
    print_setup,
    set_value,
    write_header,
)
from qa_scoring.store import ResultStore, check_month

OUTCOMES = ("pass", "fail", "na")
PERCENT_FORMAT = "0.0%"
EXAMPLES = 3
_TITLE = Font(bold=True, size=14, color="1F4E78")
_BOLD = Font(bold=True)
_CENTER = Alignment(horizontal="center")


def cohen_kappa(machine: pd.Series, auditor: pd.Series) -> float | None:
    """Cohen's kappa of two raters over the same items; None when undefined (both always said the same one thing)."""
    table = pd.crosstab(machine, auditor)
    cats = table.index.union(table.columns)
    table = table.reindex(index=cats, columns=cats, fill_value=0)
    n = int(table.to_numpy().sum())
    if n == 0:
        return None
    observed = float(table.to_numpy().diagonal().sum()) / n
    chance = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / n**2
    if chance >= 1.0:
        return None
    return (observed - chance) / (1.0 - chance)


@dataclass
class CalibrationSummary:
    """What the command prints."""

    month: str
    team: str | None
    checks: int
    calls: int
    agreement: float | None
    kappa: float | None

    def line(self, lang: str = "en") -> str:
        """One line for the terminal, in ``lang``."""
        if not self.checks:
            team = msg("calibration.team", team=self.team).text(lang) if self.team else ""
            return msg("calibration.none", month=self.month, team=team).text(lang)
        kappa = "n/a" if self.kappa is None else f"{self.kappa:.2f}"
        agreement = f"{100 * (self.agreement or 0):.1f}"
        line = msg("calibration.summary", checks=self.checks, calls=self.calls, month=self.month,
                   agreement=agreement, kappa=kappa)  # fmt: skip
        return line.text(lang)


def reviewed_checks(store: ResultStore, month: str, team: str | None = None) -> pd.DataFrame:
    """The month's checks an auditor judged: machine and auditor outcome, agent, auditor, evidence."""
    sql = (
        "SELECT f.call_id, f.check_id, f.machine_outcome, f.auditor_outcome, f.auditor, f.note,"
        " k.agent_id, k.agent_name, k.team, f.position FROM final_checks f"
        " JOIN calls k ON k.call_id = f.call_id"
        " WHERE f.auditor_outcome IS NOT NULL AND k.month = ?"
    )
    args: list[Any] = [check_month(month)]
    if team is not None:
        sql += " AND lower(k.team) = lower(?)"
        args.append(team)
    frame = _frame(store, sql + " ORDER BY k.call_date, f.call_id, f.position", args)
    # the evidence is kept compressed with the whole result: the store reads it back
    evidence = store.check_evidence(list(zip(frame["call_id"], frame["position"].astype(int), strict=True)))
    return frame.drop(columns="position").assign(evidence=pd.Series(evidence, index=frame.index, dtype=object))


def reviewed_calls(store: ResultStore, month: str, team: str | None = None) -> pd.DataFrame:
    """The month's calls with at least one auditor verdict: machine and final parameters."""
    sql = "SELECT * FROM final_calls WHERE reviewed_checks > 0 AND month = ?"
    args: list[Any] = [check_month(month)]
    if team is not None:
        sql += " AND lower(team) = lower(?)"
        args.append(team)
    return _frame(store, sql, args)


def _frame(store: ResultStore, sql: str, args: list[Any]) -> pd.DataFrame:
    """A query's rows as a DataFrame (the store's own query method, so SQLite and PostgreSQL both work)."""
    columns, rows = store.query(sql, args)
    return pd.DataFrame(rows, columns=columns)


def agreement_by_check(checks: pd.DataFrame) -> pd.DataFrame:
    """Per check: reviewed, agreed, agreement share, kappa, overrides."""
    rows = []
    for check_id, group in checks.groupby("check_id", sort=False):
        agreed = int((group["machine_outcome"] == group["auditor_outcome"]).sum())
        rows.append(
            {
                "check_id": check_id,
                "n": len(group),
                "agreed": agreed,
                "agreement": agreed / len(group),
                "kappa": cohen_kappa(group["machine_outcome"], group["auditor_outcome"]),
                "overrides": len(group) - agreed,
            }
        )
    return pd.DataFrame(rows, columns=["check_id", "n", "agreed", "agreement", "kappa", "overrides"])


def agreement_by_parameter(calls: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: reviewed calls, agreement of the machine's parameter with the final one, kappa."""
    rows = []
    for p in PARAMETERS:
        pair = calls[[f"machine_{p}", p]].dropna()
        if pair.empty:
            continue
        agreed = int((pair[f"machine_{p}"] == pair[p]).sum())
        rows.append(
            {
                "parameter": p,
                "n": len(pair),
                "agreed": agreed,
                "agreement": agreed / len(pair),
                "kappa": cohen_kappa(pair[f"machine_{p}"].astype(int), pair[p].astype(int)),
            }
        )
    return pd.DataFrame(rows, columns=["parameter", "n", "agreed", "agreement", "kappa"])


def write_calibration_workbook(
    store: ResultStore, month: str, out_path: Path, *, team: str | None = None, lang: str = "id"
) -> CalibrationSummary:
    """Write the calibration workbook of ``month`` (one team if given) to ``out_path``."""
    check_lang(lang)
    checks = reviewed_checks(store, month, team)
    calls = reviewed_calls(store, month, team)
    by_check = agreement_by_check(checks)
    by_param = agreement_by_parameter(calls)
    wb = Workbook()
    _agreement_sheet(wb.active, checks, by_check, by_param, month, team, lang)
    _confusion_sheet(wb.create_sheet(label("cal.sheet.confusion", lang)), checks, lang)
    _overrides_sheet(wb.create_sheet(label("cal.sheet.agents", lang)), checks, ["agent_id", "agent_name"], lang)
    _overrides_sheet(wb.create_sheet(label("cal.sheet.auditors", lang)), checks, ["auditor"], lang)
    _phrases_sheet(wb.create_sheet(label("cal.sheet.phrases", lang)), checks, lang)
    title = label("cal.title", lang).format(month=month, team=team or label("cal.all_teams", lang))
    for ws in wb.worksheets:
        ws.oddHeader.center.text = f"{ws.title} – {title}".replace("&", "&&")
        ws.oddFooter.center.text = label("page_of", lang)
    atomic_save(wb, Path(out_path))
    overall = None
    if len(checks):
        overall = float((checks["machine_outcome"] == checks["auditor_outcome"]).mean())
    kappa = cohen_kappa(checks["machine_outcome"], checks["auditor_outcome"]) if len(checks) else None
    return CalibrationSummary(month, team, len(checks), int(checks["call_id"].nunique()), overall, kappa)


def _kappa_cell(value: float | None) -> object:
    return None if value is None or pd.isna(value) else round(float(value), 3)


def _agreement_sheet(
    ws: Any,
    checks: pd.DataFrame,
    by_check: pd.DataFrame,
    by_param: pd.DataFrame,
    month: str,
    team: str | None,
    lang: str,
) -> None:
    ws.title = label("cal.sheet.agreement", lang)
    print_setup(ws, 1, lang=lang)
    set_value(ws["A1"], label("cal.title", lang).format(month=month, team=team or label("cal.all_teams", lang)))
    ws["A1"].font = _TITLE
    ws["A2"] = label("cal.kappa_note", lang)
    if checks.empty:
        ws["A4"] = label("cal.none", lang)
        ws["A4"].font = _BOLD
        return
    headers = [
        label(k, lang)
        for k in ("col.check", "cal.reviewed", "cal.agreed", "cal.agreement", "cal.kappa", "cal.overrides")
    ]
    row = _table(ws, 4, headers, [36, 12, 12, 12, 10, 12])
    for item in by_check.itertuples():
        _put(
            ws,
            row,
            [
                check_label(item.check_id, lang),
                item.n,
                item.agreed,
                item.agreement,
                _kappa_cell(item.kappa),
                item.overrides,
            ],
        )
        ws.cell(row, 4).number_format = PERCENT_FORMAT
        ws.cell(row, 5).number_format = "0.00"
        row += 1
    row += 1
    headers = [label(k, lang) for k in ("col.parameter", "cal.calls", "cal.agreed", "cal.agreement", "cal.kappa")]
    row = _table(ws, row, headers)
    for item in by_param.itertuples():
        _put(ws, row, [param_label(item.parameter, lang), item.n, item.agreed, item.agreement, _kappa_cell(item.kappa)])
        ws.cell(row, 4).number_format = PERCENT_FORMAT
        ws.cell(row, 5).number_format = "0.00"
        row += 1


def _confusion_sheet(ws: Any, checks: pd.DataFrame, lang: str) -> None:
    """Per check, a 3x3 table: machine's verdict down, auditor's across."""
    print_setup(ws, 1, lang=lang)
    ws.column_dimensions["A"].width = 34
    for col in "BCD":
        ws.column_dimensions[col].width = 14
    row = 1
    names = [outcome_label(o, lang) for o in OUTCOMES]
    for check_id, group in checks.groupby("check_id", sort=False):
        table = pd.crosstab(group["machine_outcome"], group["auditor_outcome"]).reindex(
            index=list(OUTCOMES), columns=list(OUTCOMES), fill_value=0
        )
        ws.cell(row, 1, check_label(check_id, lang)).font = _BOLD
        row += 1
        _table(ws, row, [label("cal.machine_vs_auditor", lang), *names])
        row += 1
        for col in range(2, 5):
            ws.cell(row - 1, col).alignment = _CENTER
        for outcome, counts in zip(names, table.to_numpy().tolist(), strict=True):
            _put(ws, row, [outcome, *counts])
            for col in range(2, 5):
                ws.cell(row, col).alignment = _CENTER
            row += 1
        row += 1


def _overrides_sheet(ws: Any, checks: pd.DataFrame, keys: list[str], lang: str) -> None:
    """Reviewed checks, overrides and the override share, per agent or per auditor."""
    heads = {"agent_id": "col.agent_id", "agent_name": "col.agent_name", "auditor": "col.auditor_name"}
    headers = [label(heads[k], lang) for k in keys] + [
        label(k, lang) for k in ("cal.calls", "cal.reviewed", "cal.overrides", "cal.override_rate")
    ]
    write_header(ws, headers, [16] * len(keys) + [12, 12, 12, 12])
    print_setup(ws, 1, lang=lang)
    ws.print_title_rows = "1:1"
    if checks.empty:
        return
    frame = checks.assign(overridden=checks["machine_outcome"] != checks["auditor_outcome"])
    grouped = frame.groupby(keys, dropna=False).agg(
        calls=("call_id", "nunique"), reviewed=("check_id", "size"), overrides=("overridden", "sum")
    )
    grouped["rate"] = grouped["overrides"] / grouped["reviewed"]
    for index, item in grouped.sort_values(["rate", "reviewed"], ascending=[False, False]).iterrows():
        names = list(index) if isinstance(index, tuple) else [index]
        r = append_row(ws, [*names, int(item["calls"]), int(item["reviewed"]), int(item["overrides"]), item["rate"]])
        ws.cell(r, len(keys) + 4).number_format = PERCENT_FORMAT
    finish_table(ws, len(headers))


def _phrases_sheet(ws: Any, checks: pd.DataFrame, lang: str) -> None:
    """The SOP phrases whose machine verdicts the auditors overturned most, with examples
    (the agent's words and the note with customer identifiers masked, as in every shared report)."""
    masker = default_masker()
    keys = ("col.check", "col.phrase", "cal.overrides", "cal.reviewed", "cal.examples")
    widths = [24, 40, 11, 11, 70]
    write_header(ws, [label(k, lang) for k in keys], widths)
    print_setup(ws, 1, lang=lang)
    ws.print_title_rows = "1:1"
    if checks.empty:
        return
    evidence = checks["evidence"].map(lambda e: e if isinstance(e, dict) else None)
    frame = checks.assign(
        phrase=evidence.map(lambda e: (e or {}).get("phrase") or ""),
        words=evidence.map(lambda e: (e or {}).get("text") or ""),
        overridden=checks["machine_outcome"] != checks["auditor_outcome"],
    )
    grouped = frame.groupby(["check_id", "phrase"], sort=False).agg(
        overrides=("overridden", "sum"), reviewed=("overridden", "size")
    )
    grouped = grouped[grouped["overrides"] > 0].sort_values("overrides", ascending=False)
    for (check_id, phrase), item in grouped.iterrows():
        sel = frame[(frame["check_id"] == check_id) & (frame["phrase"] == phrase) & frame["overridden"]]
        examples = []
        for ex in sel.head(EXAMPLES).itertuples():
            text = (
                f"{ex.call_id}: {outcome_label(ex.machine_outcome, lang)} → {outcome_label(ex.auditor_outcome, lang)}"
            )
            if ex.words:
                text += f" “{masker.mask(ex.words)[:160]}”"
            if isinstance(ex.note, str) and ex.note:
                text += f" ({ex.auditor}: {masker.mask(ex.note)})"
            examples.append(text)
        shown = phrase if phrase and phrase not in checks["check_id"].values else ""
        values = [
            check_label(check_id, lang),
            shown,
            int(item["overrides"]),
            int(item["reviewed"]),
            "\n".join(examples),
        ]
        r = append_row(ws, values)
        for col in range(1, len(keys) + 1):
            ws.cell(r, col).alignment = WRAP
        lines = max(wrapped_lines(str(v), w) for v, w in zip(values, widths, strict=True))
        ws.row_dimensions[r].height = 15 * lines + 2
    finish_table(ws, len(keys))


def _table(ws: Any, row: int, headers: list[str], widths: list[float] | None = None) -> int:
    """A header row at ``row`` in the shared style; returns the next row."""
    for col, text in enumerate(headers, start=1):
        cell = set_value(ws.cell(row, col), text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for col, width in enumerate(widths or [], start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    return row + 1


def _put(ws: Any, row: int, values: list[object]) -> None:
    for col, value in enumerate(values, start=1):
        set_value(ws.cell(row, col), value)
