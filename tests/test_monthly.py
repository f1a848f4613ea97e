"""Monthly compliance workbook and the ``monthly`` command: figures read back equal figures computed here."""

from __future__ import annotations

import random
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qa_scoring.cli.monthly import monthly
from qa_scoring.errors import QAScoringError
from qa_scoring.reports.labels import check_label, fail_label
from qa_scoring.reports.monthly import write_monthly_workbook
from qa_scoring.store import ResultStore

PARAMS = ("akurasi", "salam_penutup", "fcr")
PARAM_NAMES = {"akurasi": "Akurasi", "salam_penutup": "Salam Penutup", "fcr": "FCR"}
from tests.agreement import CHECKS  # noqa: E402  (the shipped rules' check ids)

AGENTS = {"CSO-1": ("Rina", "Jakarta-2"), "CSO-2": ("Budi", "Jakarta-2"), "CSO-3": ("Sari", "Bandung-1")}


def result(call_id: str, agent: str, day: str, rng: random.Random, *, team: str | None = None) -> dict[str, Any]:
    """A scored call: random check outcomes, parameters and score derived as the SPEC says."""
    outcomes = {c: rng.choices(["pass", "fail", "na"], weights=[7, 2, 1])[0] for c in CHECKS}
    ok = {c: o != "fail" for c, o in outcomes.items()}
    parameters = {
        "akurasi": all(
            ok[c]
            for c in (
                "closing.app_invitation",
                "transfer.ask_product",
                "transfer.destination",
                "transfer.announcement",
            )
        ),
        "salam_penutup": all(ok[c] for c in CHECKS if c.startswith("closing.")),
        "fcr": ok["closing.app_invitation"] and ok["transfer.destination"],
    }
    name, default_team = AGENTS[agent]
    return {
        "schema_version": 1,
        "call_id": call_id,
        "source": f"batch/{call_id}.txt",
        "status": "scored",
        "format": "txt",
        "agent_id": agent,
        "agent_name": name,
        "team": team or default_team,
        "call_start": f"{day}T{rng.randint(7, 20):02d}:{rng.randint(0, 59):02d}:00+07:00",
        "rules_version": "pln123-2023.07",
        "score": round(100 * sum(parameters.values()) / 3, 1),
        "parameters": parameters,
        "failed_checks": [c for c, o in outcomes.items() if o == "fail"],
        "checks": [
            {
                "id": c,
                "outcome": o,
                "sop": "SOP",
                "reason": f"{c} {o}",
                "evidence": {"kind": "match", "turn": 4, "start": 30.0, "text": f"kata agen {c}", "similarity": 88.0},
            }
            for c, o in outcomes.items()
        ],
        "warnings": [],
    }


def batch(prefix: str, days: list[str], agents: Iterable[str], per_day: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for day in days:
        for agent in agents:
            for i in range(per_day):
                out.append(result(f"{prefix}-{day}-{agent}-{i}", agent, day, rng))
    return out


WEEK1 = batch("W1", ["2024-03-04", "2024-03-05", "2024-03-07"], AGENTS, 3, seed=1)
WEEK2 = batch("W2", ["2024-03-11", "2024-03-13", "2024-03-15"], AGENTS, 2, seed=2)
FEBRUARY = batch("F", ["2024-02-12", "2024-02-20"], ["CSO-1", "CSO-3"], 4, seed=3)  # CSO-2 has no February
ERRORS = [{"schema_version": 1, "call_id": "E-1", "source": "batch/E-1.json", "status": "error", "error": "bad JSON"}]


def record(store: ResultStore, results: list[dict[str, Any]]) -> int:
    run = store.start_run(rules_version="pln123-2023.07", sources=["batch"])
    for res in results:
        store.record(run, res)
    store.finish_run(run, calls=sum(r["status"] == "scored" for r in results), errors=0)
    return run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "results.sqlite"
    with ResultStore(path) as store:
        record(store, FEBRUARY)
        record(store, WEEK1 + ERRORS)
        record(store, WEEK2)
    return path


# -- figures computed independently from the result dicts --------------------------------------


def figures(calls: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(calls)
    out: dict[str, Any] = {"calls": n}
    for p in PARAMS:
        out[p] = sum(1 for c in calls if c["parameters"][p]) / n
    out["score"] = sum(c["score"] for c in calls) / n
    out["fails"] = {ch: sum(ch in c["failed_checks"] for c in calls) for ch in CHECKS}
    return out


def change(now: list[dict[str, Any]], before: list[dict[str, Any]]) -> dict[str, float | None]:
    if not before:
        return dict.fromkeys((*PARAMS, "score"))
    a, b = figures(now), figures(before)
    return {**{p: (a[p] - b[p]) * 100 for p in PARAMS}, "score": a["score"] - b["score"]}


def by(calls: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in calls:
        groups[c[key]].append(c)
    return groups



# -- reading the workbook back -------------------------------------------------------------------

FIRST = 6  # data rows of the overview and team sheets start below the two header rows 4-5
PCT_COLS = {"akurasi": 4, "salam_penutup": 7, "fcr": 10}  # overview: this month, last month, change
TEAM_COLS = {"akurasi": 5, "salam_penutup": 7, "fcr": 9}  # team sheets: this month, change


def rows(ws: Worksheet, first: int = FIRST) -> list[tuple[Any, ...]]:
    """The rows from ``first`` down to the first row with an empty column A."""
    out = []
    for row in ws.iter_rows(min_row=first, values_only=True):
        if row[0] is None:
            break
        out.append(row)
    return out


def write(db: Path, out: Path, **kwargs: Any) -> Any:
    with ResultStore(db) as store:
        return write_monthly_workbook(store, "2024-03", out, **kwargs)


def assert_overview_row(row: tuple[Any, ...], calls: list[dict[str, Any]], before: list[dict[str, Any]]) -> None:
    want, delta = figures(calls), change(calls, before)
    assert row[1] == want["calls"]
    for p, col in PCT_COLS.items():
        assert row[col - 1] == pytest.approx(want[p])
        assert row[col] == (pytest.approx(figures(before)[p]) if before else None)
        assert row[col + 1] == (None if delta[p] is None else pytest.approx(delta[p]))
    assert row[12] == pytest.approx(want["score"])
    assert row[13] == (None if delta["score"] is None else pytest.approx(delta["score"]))


def assert_team_row(row: tuple[Any, ...], calls: list[dict[str, Any]], before: list[dict[str, Any]]) -> None:
    want, delta = figures(calls), change(calls, before)
    assert row[3] == want["calls"]
    for p, col in TEAM_COLS.items():
        assert row[col - 1] == pytest.approx(want[p])
        assert row[col] == (None if delta[p] is None else pytest.approx(delta[p]))
    assert row[10] == pytest.approx(want["score"])
    assert row[11] == (None if delta["score"] is None else pytest.approx(delta["score"]))


# -- tests --------------------------------------------------------------------------------------


def test_workbook_figures_match_the_results(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "kepatuhan.xlsx"
    summary = write(db, out)
    march = WEEK1 + WEEK2
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Ringkasan Bulanan",
        "Bandung-1",
        "Jakarta-2",
        "Tren",
        "Panggilan Tidak Patuh",
        "Rincian Panggilan",
        "Catatan",
    ]
    ws = wb["Ringkasan Bulanan"]
    assert ws["A1"].value == "Kepatuhan QA PLN 123: Maret 2024"
    assert [ws.cell(4, c).value for c in (1, 2, 3, 4, 7, 10, 13)] == [
        "Tim", "Panggilan", "Agen", "Akurasi", "Salam Penutup", "FCR", "Rata-rata skor",
    ]  # fmt: skip
    assert [ws.cell(5, c).value for c in (4, 5, 6)] == ["Mar", "Feb", "Perubahan"]
    overview = rows(ws)
    assert [r[0] for r in overview] == ["Bandung-1", "Jakarta-2", "Semua tim"]
    teams, feb_teams = by(march, "team"), by(FEBRUARY, "team")
    for row in overview[:2]:
        assert_overview_row(row, teams[row[0]], feb_teams.get(row[0], []))
        assert row[2] == len({c["agent_id"] for c in teams[row[0]]})
    assert_overview_row(overview[2], march, FEBRUARY)
    assert overview[2][2] == 3

    agents, feb_agents = by(march, "agent_id"), by(FEBRUARY, "agent_id")
    for team in ("Jakarta-2", "Bandung-1"):
        ws = wb[team]
        assert ws["A1"].value == f"Tim {team}: Maret 2024"
        team_rows = rows(ws)
        ids = [r[2] for r in team_rows]
        assert sorted(ids) == sorted(a for a, (_, t) in AGENTS.items() if t == team)
        scores = [figures(agents[i])["score"] for i in ids]
        assert scores == sorted(scores, reverse=True)  # ranked, best first
        assert [r[0] for r in team_rows] == list(range(1, len(ids) + 1))
        for row in team_rows:
            assert row[1] == AGENTS[row[2]][0]  # the agent's name, the id beside it
            assert_team_row(row, agents[row[2]], feb_agents.get(row[2], []))
            top = Counter(ch for c in agents[row[2]] for ch in c["failed_checks"]).most_common(1)[0]
            assert row[12].split("\n")[0] == f"{fail_label(top[0], 'id')} ({top[1]})"  # in words, not ids
            assert "closing." not in row[12] and "transfer." not in row[12]
    cso2 = next(r for r in rows(wb["Jakarta-2"]) if r[2] == "CSO-2")
    assert cso2[5] is None  # no February data: no change

    assert summary.calls == len(march) and summary.teams == 2 and summary.agents == 3
    assert summary.compliance["fcr"] == pytest.approx(figures(march)["fcr"])


def test_trend_shows_only_months_with_data_and_an_axis_that_fits(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    write(db, out)
    wb = load_workbook(out)
    trend = rows(wb["Tren"], 5)
    march = WEEK1 + WEEK2
    assert [r[0] for r in trend] == ["Februari 2024", "Maret 2024"]  # October to January had no calls
    assert [r[1] for r in trend] == [len(FEBRUARY), len(march)]
    assert trend[0][4] == pytest.approx(figures(FEBRUARY)["fcr"])
    assert trend[1][3] == pytest.approx(figures(march)["salam_penutup"])
    [chart] = wb["Tren"]._charts
    lowest = min(v for r in trend for v in r[2:5])
    assert 0 < chart.y_axis.scaling.min <= lowest
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert any("'Tren'!$C$5:$C$6" in c for c in charts)


def test_agent_chart_by_name(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    write(db, out)
    wb = load_workbook(out)
    assert [type(c).__name__ for c in wb["Jakarta-2"]._charts] == ["BarChart"]
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert sum("<barChart>" in c for c in charts) == 2
    assert any("'Jakarta-2'!$B$6:$B$7" in c for c in charts)  # categories are the agents' names


def test_non_compliant_calls_grouped_by_agent_with_links(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    write(db, out)
    wb = load_workbook(out)
    ws, details = wb["Panggilan Tidak Patuh"], wb["Rincian Panggilan"]
    march = {c["call_id"]: c for c in WEEK1 + WEEK2}
    bad = [c for c in march.values() if not all(c["parameters"].values())]
    groups: list[str] = []
    listed: list[str] = []
    for row in ws.iter_rows(min_row=5):
        if row[0].value is not None and row[2].value is None:
            groups.append(str(row[0].value))
            continue
        if row[2].value is None:
            continue
        call = march[row[2].value]
        listed.append(call["call_id"])
        assert call["agent_name"] in groups[-1]  # under its agent's heading
        assert str(row[0].value)[:10] == call["call_start"][:10]
        assert row[1].value.strftime("%H:%M") == call["call_start"][11:16]
        assert row[3].value == call["score"]
        assert row[5].value == "\n".join(fail_label(ch, "id") for ch in call["failed_checks"])
        target = row[2].hyperlink.location
        assert target.startswith("'Rincian Panggilan'!A")
        assert details[target.split("!")[1]].value == call["call_id"]  # the link lands on the call's details
        rows_ = ws.row_dimensions[row[0].row].height
        assert rows_ and rows_ >= 15 * len(call["failed_checks"])
    assert sorted(listed) == sorted(c["call_id"] for c in bad)
    assert [g.split(" (")[0] for g in groups] == ["Sari", "Budi", "Rina"]  # Bandung-1, then Jakarta-2 by name
    first_check = next(r for r in details.iter_rows(min_row=5, values_only=True) if r[0])
    call = march[first_check[0]]
    assert first_check[1] == check_label(call["failed_checks"][0], "id")
    assert first_check[3] == f"kata agen {call['failed_checks'][0]}"
    assert first_check[5] == pytest.approx(0.88)


def test_row_heights_fit_wrapped_text_and_headers(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    write(db, out)
    wb = load_workbook(out)
    for ws in wb.worksheets:
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                span = merged.get((cell.row, cell.column))
                cols = range(span.min_col, span.max_col + 1) if span else [cell.column]
                width = sum(ws.column_dimensions[get_column_letter(c)].width for c in cols)
                longest = max(len(w) for w in cell.value.split()) if cell.value.split() else 0
                assert longest <= width, (ws.title, cell.coordinate, cell.value)  # no word is cut
                per_line = width * 1.1 * 11 / (cell.font.sz or 11) - 1  # as printed (see xlsx_common.wrapped_lines)
                lines = cell.value.count("\n") + 1 + int(max(map(len, cell.value.split("\n"))) > per_line)
                height = ws.row_dimensions[cell.row].height
                assert height is not None and height >= 12 * lines, (ws.title, cell.coordinate, cell.value)


def test_print_settings_on_every_sheet(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    write(db, out)
    wb = load_workbook(out)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.oddFooter.center.text == "Halaman &P dari &N"
        assert "Maret 2024" in ws.oddHeader.center.text, ws.title
    assert wb["Ringkasan Bulanan"].page_setup.fitToHeight == 1  # the first page is one page
    assert wb["Jakarta-2"].print_title_rows == "$4:$5"
    assert wb["Panggilan Tidak Patuh"].print_title_rows == "$4:$4"
    assert wb["Jakarta-2"].page_setup.fitToHeight == 0


def test_agents_to_talk_to_need_enough_calls(db: Path, tmp_path: Path) -> None:
    rng = random.Random(11)
    newcomer = [dict(result(f"N-{i}", "CSO-2", "2024-03-20", rng), agent_id="CSO-9", agent_name="Tuti") for i in (1, 2)]
    for call in newcomer:
        call.update(score=0.0, parameters=dict.fromkeys(PARAMS, False))
    with ResultStore(db) as store:
        record(store, newcomer)
    out = tmp_path / "k.xlsx"
    write(db, out)
    wb = load_workbook(out)
    ws = wb["Ringkasan Bulanan"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    start = texts.index("Agen yang perlu diajak bicara (rata-rata skor terendah, minimal 10 panggilan)")
    talk = "\n".join(texts[start:])
    assert "Tuti" not in talk.split("Tidak diperingkat")[0]  # 2 calls at score 0 are not ranked as the worst
    assert "Tidak diperingkat (kurang dari 10 panggilan): Tuti (2)." in talk
    jakarta = rows(wb["Jakarta-2"])
    assert jakarta[-1][:3] == ("*", "Tuti", "CSO-9")


def test_rescoring_a_batch_does_not_double_calls(db: Path, tmp_path: Path) -> None:
    rescored = [dict(r, score=0.0, parameters=dict.fromkeys(PARAMS, False)) for r in WEEK1]
    with ResultStore(db) as store:
        run = record(store, rescored)
        record(store, WEEK2)  # and the second week once more, unchanged
        summary = write_monthly_workbook(store, "2024-03", tmp_path / "k.xlsx")
        assert {c["run_id"] for c in store.month_calls("2024-03") if c["call_id"].startswith("W1")} == {run}
    march = rescored + WEEK2
    assert summary.calls == len(march)
    total = rows(load_workbook(tmp_path / "k.xlsx")["Ringkasan Bulanan"])[-1]
    assert total[1] == len(march)
    assert total[12] == pytest.approx(figures(march)["score"])
    assert total[3] == pytest.approx(figures(march)["akurasi"])


def test_team_filter_ignores_case_and_has_no_all_teams_row(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    summary = write(db, out, team="jakarta-2")
    wb = load_workbook(out)
    assert "Bandung-1" not in wb.sheetnames and "Jakarta-2" in wb.sheetnames
    overview = rows(wb["Ringkasan Bulanan"])
    assert [r[0] for r in overview] == ["Jakarta-2"]
    jakarta = [c for c in WEEK1 + WEEK2 if c["team"] == "Jakarta-2"]
    assert_overview_row(overview[0], jakarta, [c for c in FEBRUARY if c["team"] == "Jakarta-2"])
    assert wb["Panggilan Tidak Patuh"]["A1"].value == "Panggilan tidak patuh: Maret 2024, Jakarta-2"
    assert summary.team == "Jakarta-2" and summary.calls == len(jakarta) and summary.agents == 2


def test_unknown_team_lists_the_teams(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.xlsx"
    with ResultStore(db) as store, pytest.raises(QAScoringError, match=r"^no team 'Surabaya' in the store; teams: Bandung-1, Jakarta-2$"):
        write_monthly_workbook(store, "2024-03", out, team="Surabaya")
    assert not out.exists()


def test_month_without_calls_raises_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.xlsx"
    with ResultStore(db) as store:
        with pytest.raises(QAScoringError, match=r"^no scored calls in 2024-04$"):
            write_monthly_workbook(store, "2024-04", out)
        with pytest.raises(QAScoringError, match=r"^no scored calls in 2024-01 \(team Bandung-1\)$"):
            write_monthly_workbook(store, "2024-01", out, team="Bandung-1")
    assert not out.exists()
    assert list(tmp_path.glob("*.xlsx*")) == []


def test_formula_like_text_lands_as_text(tmp_path: Path) -> None:
    rng = random.Random(5)
    call = result("=1+1", "CSO-1", "2024-03-04", rng, team="@Tim")
    for check in call["checks"]:
        check["outcome"] = "pass"
    call["agent_name"] = '=HYPERLINK("http://evil","klik")'
    call["parameters"]["salam_penutup"] = False
    call["checks"][0].update(outcome="fail", evidence={"kind": "nearest_miss", "text": "=SUM(A1:A9)"})
    call["checks"][0]["reason"] = "@integritas tidak diucapkan"
    call["failed_checks"] = ["closing.integrity"]
    out = tmp_path / "k.xlsx"
    with ResultStore(tmp_path / "r.sqlite") as store:
        record(store, [call])
        write_monthly_workbook(store, "2024-03", out, lang="en")
    wb = load_workbook(out)
    assert wb["Non-compliant Calls"]["C6"].value == "=1+1"
    assert wb["Non-compliant Calls"]["A5"].value.startswith('=HYPERLINK("http://evil","klik") (CSO-1) · @Tim')
    details = rows(wb["Call Details"], 5)
    assert details[0][2] == "@integritas tidak diucapkan" and details[0][3] == "=SUM(A1:A9)"
    assert rows(wb["@Tim"])[0][1] == '=HYPERLINK("http://evil","klik")'
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s for s in sheets)


def test_odd_team_names_give_valid_sheet_names_and_links(tmp_path: Path) -> None:
    rng = random.Random(7)
    teams = ["CC/Jakarta: Shift 1", "CC/Jakarta: Shift 2", "Tim [Bandung]*?", "x" * 40, "Tim 'Ujung' Pandang", "Tab\tTim\x07"]
    calls = [result(f"T-{i}", "CSO-1", "2024-03-04", rng, team=t) for i, t in enumerate(teams)]
    for call in calls:
        call["parameters"]["fcr"] = False
    out = tmp_path / "k.xlsx"
    with ResultStore(tmp_path / "r.sqlite") as store:
        record(store, calls)
        write_monthly_workbook(store, "2024-03", out)
    wb = load_workbook(out)
    team_sheets = wb.sheetnames[1 : 1 + len(teams)]
    assert len(set(team_sheets)) == len(teams)
    for name in team_sheets:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\") and name.isprintable()
    overview = wb["Ringkasan Bulanan"]
    links = [overview.cell(r, 1).hyperlink.location for r in range(FIRST, FIRST + len(teams))]
    for link in links:  # every team link names an existing sheet, quotes doubled
        sheet = link.rsplit("!", 1)[0][1:-1].replace("''", "'")
        assert sheet in wb.sheetnames, link
    assert len(rows(overview)) == len(teams) + 1
    for name in team_sheets:
        assert rows(wb[name])[0][2] == "CSO-1"


def test_english_labels(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    write(db, out, lang="en")
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Monthly Overview" and "Non-compliant Calls" in wb.sheetnames
    ws = wb["Monthly Overview"]
    assert ws["A1"].value == "PLN 123 QA compliance: March 2024"
    assert [ws.cell(4, c).value for c in (1, 2, 3, 4)] == ["Team", "Calls", "Agents", "Accuracy (Akurasi)"]
    assert rows(ws)[-1][0] == "All teams"
    assert ws.oddFooter.center.text == "Page &P of &N"
    top = rows(wb["Jakarta-2"])[0][12]
    assert any(fail_label(c, "en") in top for c in CHECKS)


def test_notes_say_undated_calls_are_left_out(db: Path, tmp_path: Path) -> None:
    undated = dict(WEEK1[0], call_id="NO-DATE")
    del undated["call_start"]
    with ResultStore(db) as store:
        record(store, [undated])
    summary = write(db, tmp_path / "k.xlsx")
    assert summary.undated == 1 and summary.calls == len(WEEK1 + WEEK2)
    assert summary.line().endswith("\n1 calls in the store have no call start and appear in no month")
    notes = {r[0]: r[1] for r in rows(load_workbook(tmp_path / "k.xlsx")["Catatan"], 5)}
    assert notes["Panggilan tanpa call_start"].startswith("1 panggilan di penyimpanan tidak memiliki call_start")


# -- CLI ----------------------------------------------------------------------------------------


@click.group()
def cli() -> None:
    """Throwaway group standing in for qa_scoring.cli.main."""


cli.add_command(monthly)


def test_cli_writes_the_workbook_and_prints_a_summary(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    res = CliRunner().invoke(cli, ["monthly", "--month", "2024-03", "--db", str(db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    march = figures(WEEK1 + WEEK2)
    assert res.output == (
        f"2024-03: {march['calls']} calls, 2 teams, 3 agents; Akurasi {march['akurasi'] * 100:.1f}%, "
        f"Salam Penutup {march['salam_penutup'] * 100:.1f}%, FCR {march['fcr'] * 100:.1f}%; "
        f"average score {march['score']:.1f} -> {out}\n"
    )
    assert load_workbook(out)["Ringkasan Bulanan"]["A6"].value == "Bandung-1"


def test_cli_team_and_default_db(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_SCORING_DB", str(db))
    out = tmp_path / "out.xlsx"
    res = CliRunner().invoke(cli, ["monthly", "--month", "2024-03", "--team", "BANDUNG-1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    bandung = sum(c["team"] == "Bandung-1" for c in WEEK1 + WEEK2)
    assert res.output.startswith(f"2024-03 (team Bandung-1): {bandung} calls, 1 teams, 1 agents; Akurasi ")
    assert load_workbook(out).sheetnames[1] == "Bandung-1"


def test_cli_unknown_team_exits_1_listing_the_teams(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    args = ["monthly", "--month", "2024-03", "--team", "X", "--db", str(db), "--out", str(out)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1
    assert res.output == "Error: no team 'X' in the store; teams: Bandung-1, Jakarta-2\n"
    assert not out.exists()


def test_cli_month_without_calls_exits_1(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    res = CliRunner().invoke(cli, ["monthly", "--month", "2023-03", "--db", str(db), "--out", str(out)])
    assert res.exit_code == 1
    assert res.output == "Error: no scored calls in 2023-03\n"
    assert not out.exists()


def test_cli_rejects_a_bad_month(db: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["monthly", "--month", "03-2024", "--db", str(db), "--out", str(tmp_path / "o.xlsx")])
    assert res.exit_code == 2
    assert "Invalid value for '--month': '03-2024' is not a month; use YYYY-MM" in res.output


def test_cli_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "nope.sqlite"
    res = CliRunner().invoke(
        cli, ["monthly", "--month", "2024-03", "--db", str(missing), "--out", str(tmp_path / "o.xlsx")]
    )
    assert res.exit_code == 1
    assert res.output == f"Error: no results store at {missing}; pass --db or set QA_SCORING_DB\n"
    assert not missing.exists()


def test_cli_help_has_an_example() -> None:
    res = CliRunner().invoke(cli, ["monthly", "--help"])
    assert res.exit_code == 0
    assert "Example:\n      qa-scoring monthly --month 2024-03 --out" in res.output


@pytest.mark.parametrize(
    ("lang", "sheet", "first"),
    [
        ("id", "Rincian Panggilan", "tidak diucapkan di salam penutup"),
        ("en", "Call Details", "not said in the closing"),
    ],
)
def test_reasons_follow_the_language(tmp_path: Path, lang: str, sheet: str, first: str) -> None:
    """Indonesian shows ``reason_id`` (kept in the store) where a check has one, else ``reason``."""
    call = result("R-1", "CSO-1", "2024-03-04", random.Random(9))
    for check in call["checks"]:
        check["outcome"] = "pass"
    call["checks"][0].update(
        outcome="fail", reason="not said in the closing", reason_id="tidak diucapkan di salam penutup"
    )
    call["checks"][1].update(outcome="fail", reason="older result, English only")
    call["failed_checks"] = [call["checks"][0]["id"], call["checks"][1]["id"]]
    call["parameters"]["salam_penutup"] = False
    out = tmp_path / f"k-{lang}.xlsx"
    with ResultStore(tmp_path / "r.sqlite") as store:
        record(store, [call])
        write_monthly_workbook(store, "2024-03", out, lang=lang)
    details = rows(load_workbook(out)[sheet], 5)
    assert [r[2] for r in details] == [first, "older result, English only"]
    assert [r[1] for r in details] == [check_label(c, lang) for c in call["failed_checks"]]
