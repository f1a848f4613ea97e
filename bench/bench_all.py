"""Benchmark, one run: throughput on 1 and N cores against a read+split floor, peak memory by
batch size, store bytes per call, workbook seconds, and the monthly workbook of a million calls.

Usage:
    python bench/bench_all.py                      # the figures in the README (about 15 minutes)
    python bench/bench_all.py --quick              # small sizes, no million-call month (about a minute)
    python bench/bench_all.py --json results.json  # also write the figures as JSON

Every measured run is ``qa-scoring`` in a fresh process (peak RSS is the largest process of
that run: the parent or one of its workers). The calls are the generator's of
``bench_score.py`` (text, WebVTT and Whisper JSON in turn, with a manifest); larger batches
replicate a base of distinct calls under new call ids (hard links, so a 200,000-call batch
costs little disk). Throughput is marginal: (calls of the larger batch - calls of the
smaller) / (difference of their wall times), so start-up is not counted. The floor is a
naive pass over the same files in one process: read the bytes, decode, split into lines
and each line into speaker and text. Each throughput run, and the floor, is made ``--repeat``
times (3) and the fastest counts: the run least disturbed by the rest of the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def best_of(repeat: int, run: Callable[[int], tuple[float, float]]) -> tuple[float, float]:
    """(least wall seconds, its peak MB) of ``repeat`` runs; ``run(k)`` makes the k-th (fresh outputs each time).

    The least time is the run least disturbed by the rest of the machine (what ``timeit`` reports too).
    """
    return min(run(k) for k in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[4000, 8000], help="the two batch sizes for throughput")
    parser.add_argument("--rss-sizes", type=int, nargs="+", default=[10_000, 200_000], help="sizes for peak memory")
    parser.add_argument("--monthly-calls", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each throughput figure (the fastest counts)")
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
        figures["floor_calls_per_s"] = max(floor(batches[large]) for _ in range(repeat))
        for jobs in (1, args.jobs):
            walls = {}
            for n in (small, large):
                cmd = [
                    *CLI,
                    "score",
                    str(batches[n]),
                    "--jsonl",
                    str(tmp / "x.jsonl"),
                    "--no-db",
                    "-q",
                    "--jobs",
                    str(jobs),
                ]
                walls[n], peak = best_of(repeat, lambda k, cmd=cmd: measured(cmd, tmp))
            figures[f"jsonl_only_jobs{jobs}_calls_per_s"] = (large - small) / (walls[large] - walls[small])
        walls = {}
        for n in (small, large):  # the same with the store: its marginal cost per call
            cmd = [*CLI, "score", str(batches[n]), "--jsonl", str(tmp / "x.jsonl"), "-q", "--jobs", str(args.jobs)]
            walls[n], peak = best_of(
                repeat, lambda k, n=n, cmd=cmd: measured([*cmd, "--db", str(tmp / f"marginal-{n}-{k}.sqlite")], tmp)
            )
        with_store_rate = (large - small) / (walls[large] - walls[small])
        figures[f"jsonl_store_jobs{args.jobs}_calls_per_s"] = with_store_rate
        figures["store_overhead_marginal_pct"] = 100 * (
            figures[f"jsonl_only_jobs{args.jobs}_calls_per_s"] / with_store_rate - 1
        )

        def default_run(n: int, k: int) -> tuple[float, float]:
            work = tmp / f"default-{n}-{k}"  # default options: the workbook and JSON Lines in reports/, the store
            work.mkdir()
            return measured([*CLI, "score", str(batches[n]), "-q", "--db", str(work / "store.sqlite")], work)

        for n in (small, large):
            walls[n], peak = best_of(repeat, lambda k, n=n: default_run(n, k))
            figures[f"default_{n}_seconds"] = walls[n]
            figures[f"default_{n}_peak_mb"] = peak
            figures["store_bytes_per_call"] = (tmp / f"default-{n}-0" / "store.sqlite").stat().st_size / n
        figures["default_calls_per_s"] = (large - small) / (walls[large] - walls[small])
        figures["default_ratio_to_floor"] = figures["default_calls_per_s"] / figures["floor_calls_per_s"]
        jsonl = next((tmp / f"default-{large}-0" / "reports").glob("*.jsonl"))
        nodb = [*CLI, "score", str(batches[large]), "-q", "--jsonl", str(tmp / "y.jsonl"), "--no-db"]
        without_store, _ = best_of(repeat, lambda k: measured(nodb, tmp))
        with_store, _ = best_of(
            repeat, lambda k: measured([*nodb[:-1], "--db", str(tmp / f"overhead-{k}.sqlite")], tmp)
        )
        figures["store_overhead_whole_run_pct"] = 100 * (with_store - without_store) / without_store
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
