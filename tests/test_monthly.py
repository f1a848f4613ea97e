"""Monthly compliance workbook and the ``monthly`` command: figures read back equal figures computed here."""

from __future__ import annotations

import random
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from qa_scoring.cli.monthly import monthly
from qa_scoring.errors import QAScoringError
from qa_scoring.reports.labels import check_label
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


def table(ws: Worksheet) -> tuple[list[str], list[dict[str, Any]]]:
    """The header row and the data rows of a sheet as dicts."""
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:] if any(v is not None for v in row)]


def assert_figures(row: dict[str, Any], calls: list[dict[str, Any]], before: list[dict[str, Any]]) -> None:
    want, delta = figures(calls), change(calls, before)
    assert row["Panggilan Dinilai"] == want["calls"]
    for p in PARAMS:
        assert row[f"Kepatuhan {PARAM_NAMES[p]}"] == pytest.approx(want[p])
        got = row[f"{PARAM_NAMES[p]}: Perubahan vs Bulan Lalu (pp)"]
        assert got == (None if delta[p] is None else pytest.approx(delta[p]))
    assert row["Rata-rata Skor"] == pytest.approx(want["score"])
    got = row["Rata-rata Skor: Perubahan vs Bulan Lalu (poin)"]
    assert got == (None if delta["score"] is None else pytest.approx(delta["score"]))
    for ch in CHECKS:
        assert row[f"Gagal: {check_label(ch, 'id')}"] == want["fails"][ch]


# -- tests --------------------------------------------------------------------------------------


def test_workbook_figures_match_the_results(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "kepatuhan.xlsx"
    with ResultStore(db) as store:
        summary = write_monthly_workbook(store, "2024-03", out)
    march = WEEK1 + WEEK2
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "Ringkasan Bulanan",
        "Bandung-1",
        "Jakarta-2",
        "Tren",
        "Panggilan Tidak Patuh",
        "Catatan",
    ]

    header, rows = table(wb["Ringkasan Bulanan"])
    assert header[:2] == ["Tim", "Jumlah Agen"]
    assert [r["Tim"] for r in rows] == ["Bandung-1", "Jakarta-2", "Semua Tim"]
    teams, feb_teams = by(march, "team"), by(FEBRUARY, "team")
    for row in rows[:2]:
        assert_figures(row, teams[row["Tim"]], feb_teams.get(row["Tim"], []))
        assert row["Jumlah Agen"] == len({c["agent_id"] for c in teams[row["Tim"]]})
    assert_figures(rows[2], march, FEBRUARY)
    assert rows[2]["Jumlah Agen"] == 3

    agents, feb_agents = by(march, "agent_id"), by(FEBRUARY, "agent_id")
    for team in ("Jakarta-2", "Bandung-1"):
        header, rows = table(wb[team])
        assert header[:2] == ["ID Agen", "Nama Agen"]
        expected = sorted(a for a, (_, t) in AGENTS.items() if t == team)
        assert [r["ID Agen"] for r in rows] == expected
        for row in rows:
            assert row["Nama Agen"] == AGENTS[row["ID Agen"]][0]
            assert_figures(row, agents[row["ID Agen"]], feb_agents.get(row["ID Agen"], []))
    cso2 = next(r for r in table(wb["Jakarta-2"])[1] if r["ID Agen"] == "CSO-2")
    assert cso2["Akurasi: Perubahan vs Bulan Lalu (pp)"] is None  # no February data

    _, rows = table(wb["Panggilan Tidak Patuh"])
    bad = [c for c in march if not all(c["parameters"].values())]
    assert len(rows) == len(bad) > 0
    assert {r["ID Panggilan"] for r in rows} == {c["call_id"] for c in bad}
    first = next(c for c in bad if c["call_id"] == rows[0]["ID Panggilan"])
    assert rows[0]["Pemeriksaan Gagal"] == ", ".join(first["failed_checks"])
    assert rows[0]["Skor"] == first["score"]
    assert rows[0]["ID Agen"] == first["agent_id"] and rows[0]["Tim"] == first["team"]
    assert str(rows[0]["Tanggal"])[:10] == first["call_start"][:10]

    _, trend = table(wb["Tren"])
    assert [r["Bulan"] for r in trend] == ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
    assert [r["Panggilan Dinilai"] for r in trend] == [0, 0, 0, 0, len(FEBRUARY), len(march)]
    assert trend[0]["Kepatuhan Akurasi"] is None
    assert trend[4]["Kepatuhan FCR"] == pytest.approx(figures(FEBRUARY)["fcr"])
    assert trend[5]["Kepatuhan Salam Penutup"] == pytest.approx(figures(march)["salam_penutup"])

    assert summary.calls == len(march) and summary.teams == 2 and summary.agents == 3
    assert summary.compliance["fcr"] == pytest.approx(figures(march)["fcr"])


def test_formats_filters_and_frozen_headers(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    with ResultStore(db) as store:
        write_monthly_workbook(store, "2024-03", out)
    wb = load_workbook(out)
    ws = wb["Ringkasan Bulanan"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws["D2"].number_format == "0.0%"  # Kepatuhan Akurasi
    assert ws["G2"].number_format == "0.0"  # Rata-rata Skor
    assert ws["H2"].number_format == "+0.0;-0.0;0.0"
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert any(r.startswith("D2:F") for r in ranges)
    for name in wb.sheetnames:
        assert wb[name].freeze_panes == "A2", name
        assert wb[name].auto_filter.ref, name


def test_charts_present(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    with ResultStore(db) as store:
        write_monthly_workbook(store, "2024-03", out)
    wb = load_workbook(out)
    assert [type(c).__name__ for c in wb["Ringkasan Bulanan"]._charts] == ["LineChart"]
    assert [type(c).__name__ for c in wb["Jakarta-2"]._charts] == ["BarChart"]
    assert [type(c).__name__ for c in wb["Bandung-1"]._charts] == ["BarChart"]
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert sum("<lineChart>" in c for c in charts) == 1
    assert sum("<barChart>" in c for c in charts) == 2
    assert any("'Tren'!$C$2:$C$7" in c for c in charts)  # the trend reads the Tren sheet


def test_rescoring_a_batch_does_not_double_calls(db: Path, tmp_path: Path) -> None:
    rescored = [dict(r, score=0.0, parameters=dict.fromkeys(PARAMS, False)) for r in WEEK1]
    with ResultStore(db) as store:
        run = record(store, rescored)
        record(store, WEEK2)  # and the second week once more, unchanged
        summary = write_monthly_workbook(store, "2024-03", tmp_path / "k.xlsx")
        assert {c["run_id"] for c in store.month_calls("2024-03") if c["call_id"].startswith("W1")} == {run}
    march = rescored + WEEK2
    assert summary.calls == len(march)
    _, rows = table(load_workbook(tmp_path / "k.xlsx")["Ringkasan Bulanan"])
    assert rows[-1]["Panggilan Dinilai"] == len(march)
    assert rows[-1]["Rata-rata Skor"] == pytest.approx(figures(march)["score"])
    assert rows[-1]["Kepatuhan Akurasi"] == pytest.approx(figures(march)["akurasi"])


def test_team_filter(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    with ResultStore(db) as store:
        summary = write_monthly_workbook(store, "2024-03", out, team="Jakarta-2")
    wb = load_workbook(out)
    assert "Bandung-1" not in wb.sheetnames and "Jakarta-2" in wb.sheetnames
    _, rows = table(wb["Ringkasan Bulanan"])
    assert [r["Tim"] for r in rows] == ["Jakarta-2", "Semua Tim"]
    jakarta = [c for c in WEEK1 + WEEK2 if c["team"] == "Jakarta-2"]
    assert_figures(rows[1], jakarta, [c for c in FEBRUARY if c["team"] == "Jakarta-2"])
    _, bad = table(wb["Panggilan Tidak Patuh"])
    assert {r["Tim"] for r in bad} == {"Jakarta-2"}
    assert summary.calls == len(jakarta) and summary.teams == 1 and summary.agents == 2


def test_month_without_calls_raises_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.xlsx"
    with ResultStore(db) as store:
        with pytest.raises(QAScoringError, match=r"^no scored calls in 2024-04$"):
            write_monthly_workbook(store, "2024-04", out)
        with pytest.raises(QAScoringError, match=r"^no scored calls in 2024-03 \(team Surabaya\)$"):
            write_monthly_workbook(store, "2024-03", out, team="Surabaya")
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
        write_monthly_workbook(store, "2024-03", out)
    wb = load_workbook(out)
    ws = wb["Panggilan Tidak Patuh"]
    _, rows = table(ws)
    assert rows[0]["ID Panggilan"] == "=1+1"
    assert rows[0]["Nama Agen"] == '=HYPERLINK("http://evil","klik")'
    assert rows[0]["Tim"] == "@Tim"
    assert rows[0]["Bukti (ucapan agen)"] == "=SUM(A1:A9)"
    for cell in ws[2]:
        if isinstance(cell.value, str):
            assert cell.data_type == "s"
    assert wb["@Tim"]["B2"].value == '=HYPERLINK("http://evil","klik")'
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s for s in sheets)


def test_odd_team_names_give_valid_sheet_names(tmp_path: Path) -> None:
    rng = random.Random(7)
    teams = ["CC/Jakarta: Shift 1", "CC/Jakarta: Shift 2", "Tim [Bandung]*?", "x" * 40]
    calls = [result(f"T-{i}", "CSO-1", "2024-03-04", rng, team=t) for i, t in enumerate(teams)]
    out = tmp_path / "k.xlsx"
    with ResultStore(tmp_path / "r.sqlite") as store:
        record(store, calls)
        write_monthly_workbook(store, "2024-03", out)
    wb = load_workbook(out)
    team_sheets = wb.sheetnames[1:5]
    assert len(set(team_sheets)) == 4
    for name in team_sheets:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    _, rows = table(wb["Ringkasan Bulanan"])
    assert sorted(r["Tim"] for r in rows[:-1]) == sorted(teams)  # the full names stay in the cells
    for name in team_sheets:
        assert table(wb[name])[1][0]["ID Agen"] == "CSO-1"


def test_english_labels(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    with ResultStore(db) as store:
        write_monthly_workbook(store, "2024-03", out, lang="en")
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Monthly Overview" and "Non-compliant Calls" in wb.sheetnames
    header, rows = table(wb["Monthly Overview"])
    assert header[:4] == ["Team", "Agents", "Calls scored", "Accuracy (Akurasi) compliance"]
    assert "Average score" in header and rows[-1]["Team"] == "All teams"


def test_notes_say_undated_calls_are_left_out(db: Path, tmp_path: Path) -> None:
    undated = dict(WEEK1[0], call_id="NO-DATE")
    del undated["call_start"]
    with ResultStore(db) as store:
        record(store, [undated])
        summary = write_monthly_workbook(store, "2024-03", tmp_path / "k.xlsx")
    assert summary.undated == 1 and summary.calls == len(WEEK1 + WEEK2)
    notes = {r["Keterangan"]: r["Nilai"] for r in table(load_workbook(tmp_path / "k.xlsx")["Catatan"])[1]}
    assert notes["Panggilan tanpa call_start (tidak dihitung)"] == 1
    text = "\n".join(str(v) for v in table(load_workbook(tmp_path / "k.xlsx")["Catatan"])[1])
    assert "tanpa call_start" in text


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
    assert load_workbook(out)["Ringkasan Bulanan"]["A2"].value == "Bandung-1"


def test_cli_team_and_default_db(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_SCORING_DB", str(db))
    out = tmp_path / "out.xlsx"
    res = CliRunner().invoke(cli, ["monthly", "--month", "2024-03", "--team", "Bandung-1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    bandung = sum(c["team"] == "Bandung-1" for c in WEEK1 + WEEK2)
    assert res.output.startswith(f"2024-03 (team Bandung-1): {bandung} calls, 1 teams, 1 agents; Akurasi ")
    assert load_workbook(out).sheetnames[1] == "Bandung-1"


def test_cli_month_without_calls_exits_1(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    args = ["monthly", "--month", "2024-03", "--team", "X", "--db", str(db), "--out", str(out)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1
    assert res.output == "Error: no scored calls in 2024-03 (team X)\n"
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
    ("lang", "sheet", "column", "first"),
    [
        ("id", "Panggilan Tidak Patuh", "Alasan", "tidak diucapkan di salam penutup"),
        ("en", "Non-compliant Calls", "Reasons", "not said in the closing"),
    ],
)
def test_reasons_follow_the_language(tmp_path: Path, lang: str, sheet: str, column: str, first: str) -> None:
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
    _, rows = table(load_workbook(out)[sheet])
    ids = call["failed_checks"]
    assert rows[0][column] == f"{ids[0]}: {first}\n{ids[1]}: older result, English only"
