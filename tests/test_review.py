"""The auditor's loop end to end: confidence, review queue, auditor columns, import, final verdicts, calibration."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from qa_scoring.cli import main
from qa_scoring.confidence import call_priority, check_confidence, review_sample, rule_thresholds
from qa_scoring.errors import QAScoringError
from qa_scoring.reports.calibration import cohen_kappa
from qa_scoring.review import import_workbook
from qa_scoring.store import ResultStore

ROOT = Path(__file__).resolve().parent.parent
BATCH = ROOT / "tests" / "data" / "blind_j"  # two verdicts the labels overturn (BJ-07, BJ-11)
WORDS = {
    "id": {"pass": "lulus", "fail": "gagal", "na": "tidak berlaku"},
    "en": {"pass": "pass", "fail": "fail", "na": "n/a"},
}
SHEET = {"id": "Detail Pemeriksaan", "en": "Check Details"}


def labels(batch: Path = BATCH) -> dict[str, dict[str, str]]:
    with open(batch / "_expected.csv", encoding="utf-8", newline="") as fh:
        return {r["call_id"].strip(): r for r in csv.DictReader(fh) if r["status"].strip() == "scored"}


def score(tmp: Path, *extra: str, lang: str = "id", batch: Path = BATCH) -> tuple[Path, Path, Path]:
    db, out, jsonl = tmp / "qa.sqlite", tmp / "batch.xlsx", tmp / "batch.jsonl"
    args = ["score", str(batch), "--db", str(db), "--out", str(out), "--jsonl", str(jsonl), "-q", "--no-fail"]
    result = CliRunner().invoke(main, [*args, "--lang", lang, *extra])
    assert result.exit_code == 0, result.output
    return db, out, jsonl


def header(ws: Any) -> dict[str, int]:
    return {c.value: i for i, c in enumerate(ws[1])}


def fill(book: Path, target: Path, lang: str = "id", change: dict[int, dict[str, str]] | None = None) -> Path:
    """Fill the auditor columns from the labels, as an auditor would, with openpyxl; save as ``target``."""
    wb = openpyxl.load_workbook(book)
    ws = wb[SHEET[lang]]
    h = header(ws)
    key_call = h["kunci: ID panggilan" if lang == "id" else "key: call ID"]
    key_check = h["kunci: kode pemeriksaan" if lang == "id" else "key: check code"]
    verdict = h["Putusan auditor" if lang == "id" else "Auditor's verdict"]
    name = h["Nama auditor" if lang == "id" else "Auditor"]
    expected = labels()
    for row in ws.iter_rows(min_row=2):
        want = expected.get(row[key_call].value)
        if want and row[key_check].value:
            row[verdict].value = WORDS[lang][want[row[key_check].value].strip()]
            row[name].value = "Sari"
    for row_number, cells in (change or {}).items():
        for col, value in cells.items():
            ws.cell(row_number, h[col] + 1).value = value
    wb.save(target)
    return target


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return score(tmp_path_factory.mktemp("scored"), "--review-sample", "4", "--review-seed", "11")


def fresh_copy(tmp: Path, scored: tuple[Path, Path, Path]) -> tuple[Path, Path, Path]:
    for path in scored:
        shutil.copy(path, tmp / path.name)
    return tuple(tmp / p.name for p in scored)  # type: ignore[return-value]


def rows_of(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


# --- confidence and the review queue ---------------------------------------------------------


def test_confidence_follows_threshold_distance_facts_and_noise(rules) -> None:
    thresholds = rule_thresholds(rules)
    assert thresholds["closing.integrity"] == 80 and thresholds["transfer.ask_product"] == 85
    given = {
        "context": {"transferred": {"value": False, "basis": "manifest transfer_code"}, "roles": {"basis": "labels"}}
    }
    check = {
        "id": "closing.integrity",
        "outcome": "pass",
        "evidence": {"kind": "match", "similarity": 98.0, "start": 1.0},
    }
    assert check_confidence(check, given, thresholds) == (1.0, [])
    near = {**check, "evidence": {"kind": "match", "similarity": 81.0, "start": 1.0}}
    low, doubts = check_confidence(near, given, thresholds)
    assert low < 0.6 and doubts == ["near_threshold"]
    inferred = {
        "context": {"transferred": {"basis": "transcript: the agent transfers"}, "roles": {"basis": "inferred: A"}}
    }
    conf, doubts = check_confidence(check, inferred, thresholds)
    assert conf < 1.0 and doubts == ["inferred:transferred", "noise"]
    assert call_priority([1.0, 0.5, 0.8]) > call_priority([1.0, 0.5, 1.0]) > call_priority([1.0, 0.9])


def test_results_carry_confidence_and_priority(scored) -> None:
    results = [json.loads(line) for line in scored[2].read_text(encoding="utf-8").splitlines()]
    ok = [r for r in results if r["status"] == "scored"]
    assert all(0 <= c["confidence"] <= 1 and isinstance(c["doubts"], list) for r in ok for c in r["checks"])
    assert all(r["review_priority"] == call_priority([c["confidence"] for c in r["checks"]]) for r in ok)


def test_review_queue_ranks_calls_and_marks_the_sample(scored) -> None:
    wb = openpyxl.load_workbook(scored[1])
    ws = wb["Antrian Tinjauan"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    h = header(ws)
    priorities = [r[h["Prioritas"]] for r in rows]
    assert priorities == sorted(priorities, reverse=True)
    assert [r[h["Urutan"]] for r in rows] == list(range(1, len(rows) + 1))
    sampled = sorted(r[h["ID panggilan"]] for r in rows if r[h["Sampel acak"]] == "Ya")
    assert sampled == review_sample([r[h["ID panggilan"]] for r in rows], 4, 11)
    assert rows_of(scored[0], "SELECT call_id FROM review_samples WHERE seed = 11 ORDER BY call_id") == [
        (c,) for c in sampled
    ]
    top = ws.cell(2, h["ID panggilan"] + 1)
    assert top.hyperlink.location.startswith("'Detail Pemeriksaan'!A")
    assert rows[0][h["Mengapa ragu"]]  # the reason it is uncertain, in words
    assert any(str(c.value).startswith("4 panggilan (benih 11)") for c in wb["Ringkasan"]["B"])


def test_review_sample_is_reproducible() -> None:
    ids = [f"C-{i:03d}" for i in range(50)]
    assert review_sample(ids, 5, 3) == review_sample(list(reversed(ids)), 5, 3)
    assert review_sample(ids, 5, 3) != review_sample(ids, 5, 4)
    assert len(review_sample(ids[:2], 5, 3)) == 2


def test_low_confidence_holds_more_wrong_verdicts() -> None:
    """On the labelled batches, the lowest-confidence tenth is wrong more often than the rest."""
    from tests.agreement import confidence_split, queue_split

    folders = [ROOT / "sample_transcripts", *sorted(p for p in (ROOT / "tests" / "data").iterdir() if p.is_dir())]
    split = confidence_split(folders)
    assert split["low_wrong"] / split["low"] > 2 * split["rest_wrong"] / split["rest"]
    queue = queue_split(folders)  # the review queue's top tenth of calls
    assert queue["top_wrong"] / queue["top_verdicts"] > 2 * queue["rest_wrong"] / queue["rest_verdicts"]


# --- auditor columns --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_auditor_columns_have_a_drop_down_and_hidden_keys(tmp_path: Path, lang: str) -> None:
    _, out, _ = score(tmp_path, lang=lang)
    ws = openpyxl.load_workbook(out)[SHEET[lang]]
    h = header(ws)
    verdict_col = openpyxl.utils.get_column_letter(h["Putusan auditor" if lang == "id" else "Auditor's verdict"] + 1)
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.showErrorMessage
    assert dv.formula1 == '"' + ",".join(WORDS[lang].values()) + '"'
    assert str(dv.sqref) == f"{verdict_col}2:{verdict_col}{ws.max_row}"
    assert ws.protection.sheet and not ws.protection.autoFilter
    assert ws[f"{verdict_col}2"].protection.locked is False
    assert ws["A2"].protection.locked is not False
    keys = [c for name, c in h.items() if name.startswith(("kunci:", "key:"))]
    assert len(keys) == 5
    assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(c + 1)].hidden for c in keys)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_filled_workbook_opens_and_saves_in_libreoffice(tmp_path: Path, scored) -> None:
    """LibreOffice opens the filled workbook without repair, and a copy saved by it imports."""
    db, book, _ = fresh_copy(tmp_path, scored)
    filled = fill(book, tmp_path / "filled.xlsx")
    saved = tmp_path / "saved"
    for kind, outdir in (("pdf", tmp_path), ("xlsx:Calc MS Excel 2007 XML", saved)):
        proc = subprocess.run(
            ["soffice", "--headless", "--convert-to", kind, "--outdir", str(outdir), str(filled)],
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "repair" not in (proc.stdout + proc.stderr).lower()
    assert (tmp_path / "filled.pdf").stat().st_size > 0
    with ResultStore(db) as store:
        assert import_workbook(store, saved / "filled.xlsx") == {"rows": 252, "added": 252, "unchanged": 0, "overrides": 2}


# --- import -----------------------------------------------------------------------------------


def test_round_trip_final_verdicts_equal_the_labels(tmp_path: Path, scored) -> None:
    db, book, jsonl = fresh_copy(tmp_path, scored)
    filled = fill(book, tmp_path / "filled.xlsx")
    result = CliRunner().invoke(main, ["review", "import", str(filled), "--db", str(db), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "new: 252 (2 overriding the machine)" in result.output
    expected = labels()
    finals = rows_of(db, "SELECT call_id, check_id, outcome, machine_outcome FROM final_checks")
    assert finals and all(outcome == expected[c][k].strip() for c, k, outcome, _ in finals)
    assert sum(o != m for _, _, o, m in finals) == 2
    calls = rows_of(db, "SELECT call_id, akurasi, salam_penutup, fcr FROM final_calls")
    for call_id, *params in calls:
        want = [expected[call_id][p].strip().lower() == "true" for p in ("akurasi", "salam_penutup", "fcr")]
        assert [bool(v) for v in params] == want, call_id
    # the machine's verdicts are untouched
    machine = {(r["call_id"], c["id"]): c["outcome"] for r in map(json.loads, jsonl.open()) if r["status"] == "scored"
               for c in r["checks"]}  # fmt: skip
    assert dict(((c, k), m) for c, k, _, m in finals) == machine

    # calibration: agreement and kappa as computed independently from the JSON Lines and the labels
    # the months of the two overturned calls, and the month with the most calls
    months = {_month_of(jsonl, "BJ-07"), _month_of(jsonl, "BJ-11"), "2023-07"}
    for month in sorted(months):
        out = tmp_path / f"cal-{month}.xlsx"
        res = CliRunner().invoke(main, ["calibration", "--month", month, "--db", str(db), "--out", str(out)])
        assert res.exit_code == 0, res.output
        pairs = [(machine[(c, k)], expected[c][k].strip()) for (c, k) in machine if _month_of(jsonl, c) == month]
        agree = sum(a == b for a, b in pairs) / len(pairs)
        assert f"sepakat {100 * agree:.1f}%" in res.output
        kappa = _kappa(pairs)
        assert (f"kappa {kappa:.2f}" if kappa is not None else "kappa n/a") in res.output
        sheet = openpyxl.load_workbook(out)["Kesepakatan"]
        assert sum(r[1] for r in sheet.iter_rows(min_row=5, max_row=13, values_only=True)) == len(pairs)

    # the monthly workbook counts the final verdicts: its compliance equals the labels'
    for month in sorted({_month_of(jsonl, c) for c, _ in machine} - {""}):
        out = tmp_path / f"monthly-{month}.xlsx"
        res = CliRunner().invoke(main, ["monthly", "--month", month, "--db", str(db), "--out", str(out)])
        assert res.exit_code == 0, res.output
        in_month = [c for c in expected if _month_of(jsonl, c) == month]
        for param, name in (("akurasi", "Akurasi"), ("salam_penutup", "Salam Penutup"), ("fcr", "FCR")):
            share = sum(expected[c][param].strip().lower() == "true" for c in in_month) / len(in_month)
            assert f"{name} {100 * share:.1f}%" in res.output, (month, param)
    book = openpyxl.load_workbook(tmp_path / f"monthly-{_month_of(jsonl, 'BJ-07')}.xlsx")
    notes = {r[0]: r[1] for r in book["Catatan"].iter_rows(min_row=5, values_only=True)}
    assert "putusan pemeriksaan diubah" in notes["Tinjauan auditor"]


def _month_of(jsonl: Path, call_id: str) -> str:
    for line in jsonl.open(encoding="utf-8"):
        rec = json.loads(line)
        if rec.get("call_id") == call_id:
            return (rec.get("call_start") or "")[:7]
    return ""


def _kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa written out by hand, to check the pandas one."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(left[k] * right[k] for k in left) / n**2
    return None if chance == 1 else (observed - chance) / (1 - chance)


def test_kappa_from_crosstab() -> None:
    import pandas as pd

    a = pd.Series(["pass", "pass", "fail", "fail", "na", "pass"])
    b = pd.Series(["pass", "fail", "fail", "fail", "na", "pass"])
    assert cohen_kappa(a, b) == pytest.approx(_kappa(list(zip(a, b, strict=True))))
    assert cohen_kappa(pd.Series(["pass"] * 3), pd.Series(["pass"] * 3)) is None


def test_import_twice_changes_nothing(tmp_path: Path, scored) -> None:
    db, book, _ = fresh_copy(tmp_path, scored)
    filled = fill(book, tmp_path / "filled.xlsx")
    with ResultStore(db) as store:
        first = import_workbook(store, filled)
        before = rows_of(db, "SELECT * FROM auditor_verdicts")
        second = import_workbook(store, filled)
    assert first["added"] == 252 and second == {"rows": 252, "added": 0, "unchanged": 252, "overrides": 0}
    assert rows_of(db, "SELECT * FROM auditor_verdicts") == before


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"Putusan auditor": "ok"}, "row 5: verdict 'ok' is not one of lulus / gagal / tidak berlaku"),
        ({"ID panggilan": "BJ-99"}, "row 5: call id edited ('BJ-99'"),
        ({"kunci: penyimpanan": "another-store"}, "row 5: the workbook belongs to another results store (another-store"),
        ({"Nama auditor": None}, "row 5: a verdict without the auditor's name"),
    ],
)
def test_one_bad_row_imports_nothing_and_is_named(tmp_path: Path, scored, cells: dict, message: str) -> None:
    db, book, _ = fresh_copy(tmp_path, scored)
    filled = fill(book, tmp_path / "filled.xlsx", change={5: cells})
    result = CliRunner().invoke(main, ["review", "import", str(filled), "--db", str(db), "--lang", "en"])
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing imported" in result.output
    assert rows_of(db, "SELECT COUNT(*) FROM auditor_verdicts") == [(0,)]


def test_import_speaks_indonesian_by_default(tmp_path: Path, scored) -> None:
    db, book, _ = fresh_copy(tmp_path, scored)
    filled = fill(book, tmp_path / "filled.xlsx", change={5: {"Putusan auditor": "ok"}})
    result = CliRunner().invoke(main, ["review", "import", str(filled), "--db", str(db)])
    assert result.exit_code == 1
    assert "tidak ada yang diimpor, 1 masalah" in result.output
    assert "lembar 'Detail Pemeriksaan' baris 5: putusan 'ok' bukan salah satu dari lulus / gagal / tidak berlaku" in (
        result.output
    )
    result = CliRunner().invoke(main, ["review", "import", str(fill(book, tmp_path / "ok.xlsx")), "--db", str(db)])
    assert result.exit_code == 0
    assert "putusan auditor dibaca: 252; baru: 252 (2 mengoreksi mesin)" in result.output


def test_vanished_call_imports_nothing(tmp_path: Path, scored) -> None:
    db, book, _ = fresh_copy(tmp_path, scored)
    filled = fill(book, tmp_path / "filled.xlsx")
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("DELETE FROM calls WHERE call_id = 'BJ-03'")
    with ResultStore(db) as store, pytest.raises(QAScoringError, match="call BJ-03 is no longer in the results store"):
        import_workbook(store, filled)
    assert rows_of(db, "SELECT COUNT(*) FROM auditor_verdicts") == [(0,)]


def test_workbook_of_another_store_or_no_store(tmp_path: Path, scored) -> None:
    filled = fill(scored[1], tmp_path / "filled.xlsx")
    with ResultStore(tmp_path / "other.sqlite") as other, pytest.raises(QAScoringError) as err:
        import_workbook(other, filled)
    assert "rows 2 to 253 (252 rows): the workbook belongs to another results store" in str(err.value)
    assert str(err.value).count("another results store") == 1
    res = CliRunner().invoke(
        main, ["score", str(BATCH), "--no-db", "--out", str(tmp_path / "n.xlsx"), "-q", "--no-fail"]
    )
    assert res.exit_code == 0
    with ResultStore(scored[0]) as store, pytest.raises(QAScoringError, match="without a results store"):
        import_workbook(store, fill(tmp_path / "n.xlsx", tmp_path / "n-filled.xlsx"))


@pytest.mark.parametrize("name", ["filled.ods", "filled.xls", "filled.csv"])
def test_other_file_kinds_are_refused(tmp_path: Path, scored, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"call_id,verdict\nBJ-01,lulus\n")
    result = CliRunner().invoke(main, ["review", "import", str(path), "--db", str(scored[0]), "--lang", "en"])
    assert result.exit_code == 1
    assert "save it as an Excel workbook (.xlsx)" in result.output


def test_renamed_csv_is_refused(tmp_path: Path, scored) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_text("call_id,verdict\n", encoding="utf-8")
    with ResultStore(scored[0]) as store, pytest.raises(QAScoringError, match=r"not an Excel \.xlsx workbook"):
        import_workbook(store, path)


def test_english_workbook_imports_too(tmp_path: Path) -> None:
    db, book, _ = score(tmp_path, lang="en")
    with ResultStore(db) as store:
        counts = import_workbook(store, fill(book, tmp_path / "filled.xlsx", lang="en"))
    assert counts["added"] == 252 and counts["overrides"] == 2


# --- final verdicts, rescoring, export --------------------------------------------------------


def test_override_recomputes_parameters_and_rescoring_keeps_it(tmp_path: Path, scored, rules) -> None:
    db, book, jsonl = fresh_copy(tmp_path, scored)
    result = next(r for r in map(json.loads, jsonl.open()) if r.get("call_id") == "BJ-01")
    assert result["parameters"]["salam_penutup"] is True
    wb = openpyxl.load_workbook(book)
    ws = wb["Detail Pemeriksaan"]
    h = header(ws)
    row = next(r for r in ws.iter_rows(min_row=2) if r[h["kunci: ID panggilan"]].value == "BJ-01"
               and r[h["kunci: kode pemeriksaan"]].value == "closing.thanks")  # fmt: skip
    row[h["Putusan auditor"]].value = "gagal"
    row[h["Catatan auditor"]].value = "terima kasih tidak terdengar"
    row[h["Nama auditor"]].value = "Sari"
    wb.save(tmp_path / "one.xlsx")
    with ResultStore(db) as store:
        assert import_workbook(store, tmp_path / "one.xlsx")["overrides"] == 1
    final = rows_of(db, "SELECT salam_penutup, machine_salam_penutup, score, machine_score, overridden_checks"
                        " FROM final_calls WHERE call_id = 'BJ-01'")  # fmt: skip
    assert final == [(0, 1, pytest.approx(66.7), 100.0, 1)]

    # a newer ruleset scores the check differently: the override stays, flagged
    changed = json.loads(json.dumps(result))
    for check in changed["checks"]:
        if check["id"] == "closing.thanks":
            check["outcome"] = "na"
    with ResultStore(db) as store:
        run = store.start_run(rules_version="newer")
        store.record(run, changed, rules)
    assert rows_of(
        db,
        "SELECT outcome, machine_outcome, machine_changed, note FROM final_checks"
        " WHERE call_id = 'BJ-01' AND check_id = 'closing.thanks'",
    ) == [
        ("fail", "na", 1, "terima kasih tidak terdengar")
    ]

    with ResultStore(db) as store:
        assert store.changed_reviews(run) == [("BJ-01", "closing.thanks")]

    out = tmp_path / "export.jsonl"
    month = result["call_start"][:7]
    res = CliRunner().invoke(main, ["export", "--month", month, "--db", str(db), "--jsonl", str(out)])
    assert res.exit_code == 0, res.output
    exported = next(r for r in map(json.loads, out.open()) if r["call_id"] == "BJ-01")
    thanks = next(c for c in exported["checks"] if c["id"] == "closing.thanks")
    assert (thanks["outcome"], thanks["final_outcome"]) == ("na", "fail")
    assert thanks["review"]["auditor"] == "Sari" and thanks["review"]["machine_changed"] is True
    assert exported["parameters"]["salam_penutup"] is True
    assert exported["final_parameters"]["salam_penutup"] is False
    assert exported["overridden_checks"] == 1


def test_rescoring_with_newer_rules_keeps_verdicts_and_says_which_changed(tmp_path: Path, scored) -> None:
    db, book, _ = fresh_copy(tmp_path, scored)
    with ResultStore(db) as store:
        import_workbook(store, fill(book, tmp_path / "filled.xlsx"))
    before = rows_of(db, "SELECT COUNT(*) FROM auditor_verdicts")
    text = (ROOT / "qa_scoring" / "rules" / "pln123.yaml").read_text(encoding="utf-8")
    # a ruleset that wants the closing in the opposite order: closings said in the SOP's order now fail
    stricter = text.replace(
        "sequence: [closing.integrity, closing.app_invitation, closing.thanks]",
        "sequence: [closing.thanks, closing.app_invitation, closing.integrity]",
    )
    stricter = stricter.replace("ruleset: pln123-2023.07.2", "ruleset: pln123-stricter", 1)
    assert stricter != text
    (tmp_path / "strict.yaml").write_text(stricter, encoding="utf-8")
    args = ["score", str(BATCH), "--db", str(db), "--jsonl", str(tmp_path / "r.jsonl"), "-q", "--no-fail"]
    result = CliRunner().invoke(main, [*args, "--rules", str(tmp_path / "strict.yaml"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    changed = rows_of(db, "SELECT call_id, check_id FROM final_checks WHERE machine_changed = 1")
    assert changed and {check for _, check in changed} == {"closing.order"}
    assert f"auditor verdicts kept whose machine verdict changed: {len(changed)}" in result.output
    assert rows_of(db, "SELECT COUNT(*) FROM auditor_verdicts") == before
    # the final verdicts are still the auditor's
    finals = rows_of(db, "SELECT call_id, check_id, outcome FROM final_checks")
    assert all(outcome == labels()[c][k].strip() for c, k, outcome in finals)


def test_calibration_without_verdicts_writes_nothing(tmp_path: Path, scored) -> None:
    out = tmp_path / "cal.xlsx"
    result = CliRunner().invoke(main, ["calibration", "--month", "2023-07", "--db", str(scored[0]), "--out", str(out)])
    assert result.exit_code == 1
    assert "belum ada putusan auditor pada 2023-07" in result.output
    assert not out.exists()


def test_sample_seed_is_printed_when_not_given(tmp_path: Path) -> None:
    args = ["score", str(BATCH), "--no-db", "--jsonl", str(tmp_path / "r.jsonl"), "-q", "--no-fail", "--lang", "en"]
    result = CliRunner().invoke(main, [*args, "--review-sample", "3"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("random audit sample: 3 calls (seed "))
    seed = int(line.split("(seed ")[1].split(")")[0])
    ids = [json.loads(x)["call_id"] for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert line.endswith(", ".join(review_sample(ids, 3, seed)))


def test_loop_on_both_backends(tmp_path: Path, store_target: str) -> None:
    """Score, import twice, final verdicts, export and calibration on SQLite and on PostgreSQL."""
    out, jsonl = tmp_path / "batch.xlsx", tmp_path / "batch.jsonl"
    args = ["score", str(BATCH), "--db", store_target, "--out", str(out), "--jsonl", str(jsonl), "-q", "--no-fail"]
    result = CliRunner().invoke(main, [*args, "--review-sample", "2", "--review-seed", "5"])
    assert result.exit_code == 0, result.output
    filled = fill(out, tmp_path / "filled.xlsx")
    for expected in ("new: 252 (2 overriding the machine)", "new: 0 (0 overriding the machine)"):
        res = CliRunner().invoke(main, ["review", "import", str(filled), "--db", store_target, "--lang", "en"])
        assert res.exit_code == 0, res.output
        assert expected in res.output
    month = _month_of(jsonl, "BJ-07")
    res = CliRunner().invoke(main, ["export", "--month", month, "--db", store_target, "--jsonl", str(tmp_path / "e.jsonl")])
    assert res.exit_code == 0, res.output
    exported = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    bj07 = next(r for r in exported if r["call_id"] == "BJ-07")
    integrity = next(c for c in bj07["checks"] if c["id"] == "closing.integrity")
    assert (integrity["outcome"], integrity["final_outcome"], bj07["overridden_checks"]) == ("pass", "na", 1)
    cal = tmp_path / "cal.xlsx"
    res = CliRunner().invoke(main, ["calibration", "--month", month, "--db", store_target, "--out", str(cal)])
    assert res.exit_code == 0, res.output
    assert "sepakat" in res.output and cal.is_file()


def test_export_and_calibration_mask_customer_identifiers(tmp_path: Path, scored, rules) -> None:
    db, book, jsonl = fresh_copy(tmp_path, scored)
    result = next(r for r in map(json.loads, jsonl.open()) if r.get("call_id") == "BJ-07")
    integrity = next(c for c in result["checks"] if c["id"] == "closing.integrity")
    integrity["evidence"] = {"kind": "match", "turn": 3, "text": "nomor hp saya 0812 3456 7890 ya pak",
                             "phrase": "x", "similarity": 90.0}  # fmt: skip
    with ResultStore(db) as store:
        store.record(store.start_run(rules_version="x"), result, rules)
        import_workbook(store, fill(book, tmp_path / "filled.xlsx"))
    month = _month_of(jsonl, "BJ-07")
    for extra, masked in (([], True), (["--no-mask"], False)):
        out = tmp_path / "e.jsonl"
        res = CliRunner().invoke(main, ["export", "--month", month, "--db", str(db), "--jsonl", str(out), *extra])
        assert res.exit_code == 0, res.output
        text = out.read_text(encoding="utf-8")
        assert ("0812 3456 7890" not in text) is masked
    cal = tmp_path / "cal.xlsx"
    res = CliRunner().invoke(main, ["calibration", "--month", month, "--db", str(db), "--out", str(cal)])
    assert res.exit_code == 0, res.output
    examples = [c.value for row in openpyxl.load_workbook(cal)["Kalimat SOP Dikoreksi"].iter_rows() for c in row]
    assert any("[NO-HP]" in str(v) for v in examples)
    assert not any("0812 3456 7890" in str(v) for v in examples)
