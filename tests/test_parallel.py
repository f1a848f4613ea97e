"""``score --jobs``: worker processes give the same outputs as one process, in input order;
large batches are held on disk, not in memory."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import qa_scoring.pipeline as pipeline
import qa_scoring.readers as readers
from qa_scoring.cli import main
from qa_scoring.confidence import ReviewSampler, review_sample
from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.reports.excel import write_batch_workbook
from qa_scoring.rules import load_rules
from tests.conftest import book_parts

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_score", ROOT / "bench" / "bench_score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """90 generated calls in three formats with a manifest, a duplicate call id and a bad file."""
    folder = tmp_path_factory.mktemp("parallel") / "batch"
    _bench().generate(folder, 90)
    (folder / "sub").mkdir()
    shutil.copy(folder / "B-000004.vtt", folder / "sub" / "B-000004.vtt")  # a second file, same call id
    (folder / "B-000050.json").write_text("{not json", encoding="utf-8")
    return folder


def _score(args: list[str], out: Path) -> tuple[int, str, bytes]:
    result = CliRunner().invoke(main, ["score", *args, "--jsonl", str(out), "--no-db", "-q"])
    return result.exit_code, result.output.replace(str(out), "OUT"), out.read_bytes()


def test_two_jobs_write_what_one_job_writes(batch_dir: Path, tmp_path: Path) -> None:
    one = _score([str(batch_dir), "--jobs", "1"], tmp_path / "one.jsonl")
    two = _score([str(batch_dir), "--jobs", "2"], tmp_path / "two.jsonl")
    assert one == two
    lines = [json.loads(line) for line in two[2].splitlines()]
    assert len(lines) == 91
    statuses = Counter(line["status"] for line in lines)
    assert statuses["scored"] == 89 and statuses["error"] == 2
    duplicate = next(line for line in lines if line["source"].endswith("sub/B-000004.vtt"))
    assert duplicate["status"] == "error" and "batch/B-000004.vtt;" in duplicate["error"]
    assert "(90 rows, 90 matched)" in two[1] or "90 baris, 90 cocok" in two[1]


class _DieOn:
    """A prepare step that kills its worker process on one call (a crash in C, say)."""

    def __init__(self, call_id: str) -> None:
        self.call_id = call_id
        self.parent = os.getpid()  # pickled with it: the worker knows it is not the parent

    def __call__(self, result: dict[str, Any]) -> dict[str, Any]:
        if result.get("call_id") == self.call_id and os.getpid() != self.parent:
            os._exit(3)
        return result


def test_a_worker_that_dies_costs_only_its_file(batch_dir: Path) -> None:
    batch = open_batch([batch_dir])
    serial = list(score_batch(batch, RULES))
    batch = open_batch([batch_dir])
    parallel = list(score_batch(batch, RULES, jobs=2, prepare=_DieOn("B-000020")))
    assert [r["source"] for r in parallel] == [r["source"] for r in serial]
    died = [r for r in parallel if r["source"].endswith("B-000020.json")]
    assert died[0]["status"] == "error" and "worker process" in died[0]["error"]
    assert "proses pekerja" in died[0]["error_id"] and died[0]["call_id"] == "B-000020"
    others = [(a, b) for a, b in zip(serial, parallel, strict=True) if not b["source"].endswith("B-000020.json")]
    assert all(a == b for a, b in others)


def test_a_small_batch_stays_in_one_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pipeline, "_parallel_outcomes", None)  # would fail if called
    folder = ROOT / "sample_transcripts"
    assert open_batch([folder]).size < pipeline.PARALLEL_MIN_FILES
    code, _, _ = _score([str(folder), "--jobs", "2"], tmp_path / "s.jsonl")
    assert code == 1  # the sample batch holds calls that cannot be scored, on purpose


def test_spilled_discovery_keeps_order_and_duplicates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    names = ["b/2.txt", "b/10.txt", "a-b/x.txt", "a/b/c.txt", "a/z.txt", "a.txt", "Z.txt", "é.txt", "b/_note.txt"]
    for name in names:
        path = tmp_path / "batch" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("[00:00:01] CSO: halo\n", encoding="utf-8")
    os.symlink(tmp_path / "batch" / "a.txt", tmp_path / "batch" / "link.txt")  # the same file twice
    paths = [tmp_path / "batch", str(tmp_path / "batch" / "b" / "*.txt")]
    kept, _ = readers.discover(paths)
    monkeypatch.setattr(readers, "SPILL_AT", 2)
    spilled, _ = readers.discover(paths)
    assert spilled._found is not None  # on disk
    assert list(spilled) == list(kept) and len(spilled) == len(kept) == 8
    assert spilled[3] == kept[3] and list(spilled[2:4]) == list(kept[2:4])


@pytest.mark.parametrize("spill_at", [2, 20_000])
def test_the_first_path_in_walking_order_names_a_file_found_twice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, spill_at: int
) -> None:
    """Folders are read entry by entry, in no order; the path kept is still the first a sorted walk meets."""
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    for name in ("m.txt", "n.txt", "sub/y.txt"):
        (batch / name).write_text("[00:00:01] CSO: halo\n", encoding="utf-8")
    os.symlink(batch / "m.txt", batch / "0-first.txt")  # sorts before its target: the link's name is kept
    os.symlink(batch / "n.txt", batch / "z-last.txt")  # sorts after its target: the target's name is kept
    os.symlink(batch / "sub" / "y.txt", batch / "a.txt")  # before sub/: the link's name is kept
    monkeypatch.setattr(readers, "SPILL_AT", spill_at)
    found, _ = readers.discover([batch, batch / "sub" / "y.txt"])
    assert [path.relative_to(batch).as_posix() for path in found] == ["0-first.txt", "a.txt", "n.txt"]
    given_first, _ = readers.discover([batch / "sub" / "y.txt", batch])  # a path given first wins
    assert [path.relative_to(batch).as_posix() for path in given_first] == ["0-first.txt", "n.txt", "sub/y.txt"]


@given(st.lists(st.text(alphabet="ab-/._é\udc80", min_size=1, max_size=6), max_size=12))
def test_sort_key_sorts_as_path_components(names: list[str]) -> None:
    by_key = sorted(names, key=readers._sort_key)
    by_parts = sorted(names, key=lambda name: name.split(os.sep))
    assert [n.split(os.sep) for n in by_key] == [n.split(os.sep) for n in by_parts]


def test_review_sample_streams_and_is_uniform() -> None:
    ids = [f"C-{i:03d}" for i in range(20)]
    sampler = ReviewSampler(5, 7)
    for call_id in [*ids, *ids]:  # a call id seen twice counts once
        sampler.add(call_id)
    assert sampler.sample() == review_sample(reversed(ids), 5, 7)
    assert len(sampler._held) == 5
    drawn = Counter(call_id for seed in range(2000) for call_id in review_sample(ids, 5, seed))
    assert min(drawn.values()) > 400 and max(drawn.values()) < 600  # each id about 2000 * 5/20 = 500 times


def test_two_jobs_write_the_workbook_its_results_file_makes(batch_dir: Path, tmp_path: Path) -> None:
    """The workers make the workbook's rows, the ``score`` process numbers them: the same workbook as
    one written afterwards from the JSON Lines file (errors, a duplicate call id and a review sample in it)."""
    out, jsonl = tmp_path / "two.xlsx", tmp_path / "two.jsonl"
    args = ["score", str(batch_dir), "--jobs", "2", "--out", str(out), "--jsonl", str(jsonl), "-q"]
    result = CliRunner().invoke(main, [*args, "--no-db", "--review-sample", "5", "--review-seed", "9"])
    assert result.exit_code == 1, result.output  # the bad file and the duplicate
    (line,) = [line for line in result.output.splitlines() if "(benih 9): " in line]
    sample = set(line.split("(benih 9): ")[1].split(", "))
    assert len(sample) == 5
    plain = tmp_path / "plain.xlsx"
    write_batch_workbook(jsonl, plain, sample=sample, sample_seed=9)
    assert book_parts(out) == book_parts(plain)
