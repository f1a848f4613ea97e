"""Benchmark, one run: throughput on 1 and N cores against a read+split floor, peak memory by
batch size, store bytes per call, workbook seconds, and the monthly workbook of a million calls.

Usage:
    python bench/bench_all.py                      # the figures in the README (about 20 minutes)
    python bench/bench_all.py --quick              # small sizes, no million-call month (about a minute)
    python bench/bench_all.py --json results.json  # also write the figures as JSON

Every measured run is ``qa-scoring`` in a fresh process (peak RSS is the largest process of
that run: the parent or one of its workers). The calls are the generator's of
``bench_score.py`` (text, WebVTT and Whisper JSON in turn, with a manifest); larger batches
replicate a base of distinct calls under new call ids (hard links, so a 200,000-call batch
costs little disk). Throughput is marginal: (calls of the larger batch - calls of the
smaller) / (difference of their wall times), so start-up is not counted. The floor is a
naive pass over the same files in one process: read the bytes, decode, split into lines
and each line into speaker and text. Each throughput figure is the median of ``--repeat`` (5)
rates, each from a small and a large run made one right after the other; the floor and the
store's cost on a whole run are medians of as many runs too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_monthly  # noqa: E402
import bench_score  # noqa: E402

CLI = [sys.executable, "-m", "qa_scoring"]


def replicate(base: Path, folder: Path, n: int) -> None:
    """A batch of ``n`` calls: the base's files linked under new call ids, and their manifest."""
    folder.mkdir(parents=True)
    files = sorted(p for p in base.iterdir() if p.name != "manifest.csv")
    rows = (base / "manifest.csv").read_text(encoding="utf-8").splitlines()
    header, by_id = rows[0], {row.split(",", 1)[0]: row.split(",", 1)[1] for row in rows[1:]}
    out = [header]
    for i in range(n):
        source = files[i % len(files)]
        call_id = f"R-{i:07d}"
        target = folder / f"{call_id}{source.suffix}"
        try:
            os.link(source, target)
        except OSError:
            target.write_bytes(source.read_bytes())
        out.append(f"{call_id},{by_id[source.stem]}")
    (folder / "manifest.csv").write_text("\n".join(out) + "\n", encoding="utf-8")


_FLOOR = """
import os, sys, time
folder = sys.argv[1]
start = time.perf_counter()
calls = turns = 0
for entry in sorted(os.scandir(folder), key=lambda e: e.name):
    if entry.name == "manifest.csv":
        continue
    with open(entry.path, "rb") as fh:
        text = fh.read().decode("utf-8")
    calls += 1
    for line in text.splitlines():
        speaker, _, said = line.partition(":")
        turns += bool(said)
print(calls / (time.perf_counter() - start))
"""


def floor(folder: Path) -> float:
    """Calls/s of reading and splitting the batch's files, naively, in one process."""
    return float(
        subprocess.run([sys.executable, "-c", _FLOOR, str(folder)], capture_output=True, text=True, check=True).stdout
    )


def measured(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak MB): the command run inside its own wrapper, so each peak is its own."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode); "
        "sys.stderr.write(p.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=cwd, capture_output=True, text=True, check=True)
    wall, peak, code = out.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr}")
    return float(wall), int(peak) / 1024


def marginal(
    repeat: int, small: int, large: int, run: Callable[[int, int], tuple[float, float]]
) -> tuple[float, dict[int, float], float]:
    """Calls/s at the margin: the median of ``repeat`` rates, each from a pair of runs made one right after
    the other (``run(small, k)``, then ``run(large, k)``; fresh outputs each time); with the walls of the
    median pair and the largest peak MB of all runs.

    On a shared machine a run can be slowed by a third: a pair made together sees the same machine,
    and the median drops the pairs a disturbance split.
    """
    pairs = []
    for k in range(repeat):
        wall_small, peak_small = run(small, k)
        wall_large, peak_large = run(large, k)
        rate = (large - small) / (wall_large - wall_small) if wall_large > wall_small else float("inf")
        pairs.append((rate, wall_small, wall_large, max(peak_small, peak_large)))
    pairs.sort()
    rate, wall_small, wall_large, _ = pairs[len(pairs) // 2]
    return rate, {small: wall_small, large: wall_large}, max(pair[3] for pair in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[4000, 8000], help="the two batch sizes for throughput")
    parser.add_argument("--rss-sizes", type=int, nargs="+", default=[10_000, 200_000], help="sizes for peak memory")
    parser.add_argument("--monthly-calls", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=5, help="pairs of runs for each throughput figure (the median)")
    parser.add_argument("--quick", action="store_true", help="sizes 1000/2000, memory at 2000/6000, month 50,000")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.rss_sizes, args.monthly_calls, args.repeat = [1000, 2000], [2000, 6000], 50_000, 1
    figures: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.platform(terse=True)}",
        "jobs": args.jobs,
        "repeat": args.repeat,
    }
    with tempfile.TemporaryDirectory(prefix="qa-bench-all-") as tmp_text:
        tmp = Path(tmp_text)
        base = tmp / "base"
        bench_score.generate(base, min(4000, max(args.sizes)))
        batches = {}
        for n in sorted({*args.sizes, *args.rss_sizes}):
            batches[n] = tmp / f"batch-{n}"
            replicate(base, batches[n], n)
        small, large = args.sizes
        repeat = max(1, args.repeat)
        figures["floor_calls_per_s"] = statistics.median(floor(batches[large]) for _ in range(repeat))
        for jobs in (1, args.jobs):

            def jsonl_run(n: int, k: int, jobs: int = jobs) -> tuple[float, float]:
                cmd = [*CLI, "score", str(batches[n]), "--jsonl", str(tmp / "x.jsonl"), "--no-db", "-q"]
                return measured([*cmd, "--jobs", str(jobs)], tmp)

            rate, _, _ = marginal(repeat, small, large, jsonl_run)
            figures[f"jsonl_only_jobs{jobs}_calls_per_s"] = rate

        def store_run(n: int, k: int) -> tuple[float, float]:  # the same with the store: its marginal cost per call
            cmd = [*CLI, "score", str(batches[n]), "--jsonl", str(tmp / "x.jsonl"), "-q", "--jobs", str(args.jobs)]
            return measured([*cmd, "--db", str(tmp / f"marginal-{n}-{k}.sqlite")], tmp)

        with_store_rate, _, _ = marginal(repeat, small, large, store_run)
        figures[f"jsonl_store_jobs{args.jobs}_calls_per_s"] = with_store_rate
        figures["store_overhead_marginal_pct"] = 100 * (
            figures[f"jsonl_only_jobs{args.jobs}_calls_per_s"] / with_store_rate - 1
        )

        def default_run(n: int, k: int) -> tuple[float, float]:
            work = tmp / f"default-{n}-{k}"  # default options: the workbook and JSON Lines in reports/, the store
            work.mkdir()
            return measured([*CLI, "score", str(batches[n]), "-q", "--db", str(work / "store.sqlite")], work)

        rate, walls, peak = marginal(repeat, small, large, default_run)
        for n in (small, large):
            figures[f"default_{n}_seconds"] = walls[n]
        figures[f"default_{small}_{large}_peak_mb"] = peak
        figures["store_bytes_per_call"] = (tmp / f"default-{large}-0" / "store.sqlite").stat().st_size / large
        figures["default_calls_per_s"] = rate
        figures["default_ratio_to_floor"] = figures["default_calls_per_s"] / figures["floor_calls_per_s"]
        jsonl = next((tmp / f"default-{large}-0" / "reports").glob("*.jsonl"))
        nodb = [*CLI, "score", str(batches[large]), "-q", "--jsonl", str(tmp / "y.jsonl"), "--no-db"]
        overheads = []
        for k in range(repeat):  # the store's cost on a whole run: each pair made together, the median
            without_store, _ = measured(nodb, tmp)
            with_store, _ = measured([*nodb[:-1], "--db", str(tmp / f"overhead-{k}.sqlite")], tmp)
            overheads.append(100 * (with_store - without_store) / without_store)
        figures["store_overhead_whole_run_pct"] = statistics.median(overheads)
        book = (
            "import sys, time; from pathlib import Path; from qa_scoring.reports.excel import write_batch_workbook; "
            "t = time.perf_counter(); write_batch_workbook(Path(sys.argv[1]), Path(sys.argv[2])); "
            "print(time.perf_counter() - t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", book, str(jsonl), str(tmp / "book.xlsx")], capture_output=True, text=True, check=True
        )
        figures[f"workbook_{large}_seconds"] = float(out.stdout)
        for n in args.rss_sizes:
            work = tmp / f"rss-{n}"
            work.mkdir()
            wall, peak = measured([*CLI, "score", str(batches[n]), "-q", "--db", str(work / "s.sqlite")], work)
            figures[f"default_{n}_seconds"] = wall
            figures[f"default_{n}_peak_mb"] = peak
            figures[f"default_{n}_store_bytes_per_call"] = (work / "s.sqlite").stat().st_size / n
        month = tmp / "month.sqlite"
        bench_monthly.fill(month, args.monthly_calls)
        wall, peak = measured(
            [*CLI, "monthly", "--db", str(month), "--month", "2024-03", "--out", str(tmp / "m.xlsx")], tmp
        )
        figures[f"monthly_{args.monthly_calls}_seconds"] = wall
        figures[f"monthly_{args.monthly_calls}_peak_mb"] = peak
    for key, value in figures.items():
        print(f"{key:40} {value:,.2f}" if isinstance(value, float) else f"{key:40} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
