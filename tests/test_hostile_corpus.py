"""The hostile corpus (issue 8): 2,000+ malformed and hostile files scored in ONE batch with the good samples."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from qa_scoring.cli import main
from qa_scoring.pipeline import display_path
from tests.hostile_corpus import generate

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_transcripts"


def _refuse(name: str) -> None:
    raise ValueError(f"not strict JSON: {name}")


def _verdicts(lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        line["call_id"]: (line["status"], line.get("score"), line.get("parameters"),
                          [(c["id"], c["outcome"]) for c in line.get("checks", [])])
        for line in lines
        if str(line.get("call_id", "")).startswith(("C-", "E-"))
    }  # fmt: skip


def _score(folder: Path, out: Path) -> tuple[Any, list[dict[str, Any]]]:
    jsonl = out / "results.jsonl"
    result = CliRunner().invoke(
        main,
        ["score", str(folder), "--jsonl", str(jsonl), "--out", str(out / "book.xlsx"), "--db", str(out / "s.sqlite"), "-q"],
    )
    text = jsonl.read_text(encoding="utf-8") if jsonl.exists() else ""
    return result, [json.loads(line, parse_constant=_refuse) for line in text.splitlines()]


def test_a_hostile_corpus_never_stops_the_batch(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from qa_scoring.store import ResultStore

    good_out = tmp_path / "good-out"
    good_out.mkdir()
    _, good = _score(SAMPLES, good_out)
    expected = _verdicts(good)
    assert len(expected) > 40

    batch = tmp_path / "batch"
    shutil.copytree(SAMPLES, batch)
    corpus = generate(batch / "hostile", count=2000, outside=tmp_path / "outside")
    assert len(corpus.entries) >= 2000
    with (batch / "manifest.csv").open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for call_id, file, team, start in corpus.manifest_rows:
            writer.writerow([call_id, file, "", "", team, start] + [""] * 6)

    out = tmp_path / "out"
    out.mkdir()
    result, lines = _score(batch, out)

    assert result.exit_code == 1, result.output  # some files are errors: the batch ran to the end
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    named = {line["source"] for line in lines}
    missing = [str(p) for p in corpus.entries if display_path(p) not in named]
    assert not missing, missing[:10]
    assert all(line["status"] in ("scored", "error") for line in lines)
    assert all(line["error"] and line["source"] for line in lines if line["status"] == "error")
    text = (out / "results.jsonl").read_text(encoding="utf-8") + result.output
    assert "HOSTILE-SECRET" not in text and "root:x:0:0" not in text
    assert _verdicts(lines) == expected
    book = load_workbook(out / "book.xlsx", read_only=True)
    assert len(book.sheetnames) >= 3
    book.close()
    with ResultStore(out / "s.sqlite") as store:
        assert store.integrity_check() == "ok"
        (run,) = store.runs()
        assert run["finished_at"] and run["scored_recorded"] + run["errors_recorded"] == len(lines)
