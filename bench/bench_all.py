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

Beside each rate, the CPU time a call costs at the margin (all processes: the parent and its
workers), which a busy neighbour on a shared machine disturbs far less than the wall clock.
The scaling with N jobs is set against the machine's own ceiling, measured in the same round:
N independent 1-job runs started together, against one alone. No design of process workers
can beat that ceiling; on a shared virtual machine it moves from round to round (1.84x to
2.05x for 2 on the project's machine).
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
import time
from collections.abc import Callable
from dataclasses import dataclass
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


def measured(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, peak MB, CPU seconds of the command and its workers): the command run inside its own
    wrapper, so each peak is its own."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime, p.returncode); "
        "sys.stderr.write(p.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=cwd, capture_output=True, text=True, check=True)
    wall, peak, cpu, code = out.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr}")
    return float(wall), int(peak) / 1024, float(cpu)


def side_by_side(runs: list[list[str]], cwd: Path) -> float:
    """Wall seconds of ``runs`` started together, until the last one ends."""
    start = time.perf_counter()
    procs = [subprocess.Popen(run, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for run in runs]
    for proc, run in zip(procs, runs, strict=True):
        _, err = proc.communicate()
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(run)} failed:\n{err.decode(errors='replace')}")
    return time.perf_counter() - start


@dataclass(frozen=True)
class Pair:
    """A small and a large run made one right after the other: the rate and CPU at the margin."""

    small: int
    large: int
    walls: tuple[float, float]
    peak: float
    cpus: tuple[float, float]

    @property
    def rate(self) -> float:
        """Calls/s at the margin."""
        wall_small, wall_large = self.walls
        return (self.large - self.small) / (wall_large - wall_small) if wall_large > wall_small else float("inf")

    @property
    def cpu_us(self) -> float:
        """CPU microseconds a call at the margin (all processes of the run)."""
        return 1e6 * (self.cpus[1] - self.cpus[0]) / (self.large - self.small)


def pair(small: int, large: int, k: int, run: Callable[[int, int], tuple[float, float, float]]) -> Pair:
    """``run(small, k)``, then ``run(large, k)`` (fresh outputs each time)."""
    wall_small, peak_small, cpu_small = run(small, k)
    wall_large, peak_large, cpu_large = run(large, k)
    return Pair(small, large, (wall_small, wall_large), max(peak_small, peak_large), (cpu_small, cpu_large))


def median_pair(pairs: list[Pair]) -> Pair:
    """The pair of the median rate.

    On a shared machine a run can be slowed by a third: a pair made together sees the same machine,
    and the median drops the pairs a disturbance split.
    """
    return sorted(pairs, key=lambda p: p.rate)[len(pairs) // 2]


def marginal(
    repeat: int, small: int, large: int, run: Callable[[int, int], tuple[float, float, float]]
) -> tuple[Pair, float, float]:
    """The median of ``repeat`` pairs (``pair``), the largest peak MB of all runs and the median CPU us a call."""
    pairs = [pair(small, large, k, run) for k in range(repeat)]
    return median_pair(pairs), max(p.peak for p in pairs), statistics.median(p.cpu_us for p in pairs)


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
        jobs = args.jobs

        def jsonl_cmd(n: int, k: int, jobs: int, store: bool = False, name: str = "x") -> list[str]:
            db = ["--db", str(tmp / f"marginal-{n}-{k}.sqlite")] if store else ["--no-db"]
            jsonl = str(tmp / f"{name}{jobs}.jsonl")
            return [*CLI, "score", str(batches[n]), "--jsonl", jsonl, "-q", "--jobs", str(jobs), *db]

        # 1 job, N jobs and the machine's own ceiling, side by side in each round: the ratio of each
        # round is of runs that saw the same machine. The ceiling is N independent 1-job runs of the
        # large batch started together (no workers, no parent to feed them): what N processes of this
        # very work get from this machine at that moment, against one such run alone.
        serial, parallel, ceilings = [], [], []
        for k in range(repeat):
            serial.append(pair(small, large, k, lambda n, k: measured(jsonl_cmd(n, k, 1), tmp)))
            parallel.append(pair(small, large, k, lambda n, k: measured(jsonl_cmd(n, k, jobs), tmp)))
            together = side_by_side([jsonl_cmd(large, k, 1, name=f"c{i}-") for i in range(jobs)], tmp)
            ceilings.append(jobs * serial[-1].walls[1] / together)
        for n, pairs in ((1, serial), (jobs, parallel)):
            figures[f"jsonl_only_jobs{n}_calls_per_s"] = median_pair(pairs).rate
            figures[f"jsonl_only_jobs{n}_cpu_us_per_call"] = statistics.median(p.cpu_us for p in pairs)
        rounds = list(zip(serial, parallel, ceilings, strict=True))
        figures[f"scaling_jobs{jobs}"] = statistics.median(b.rate / a.rate for a, b, _ in rounds)
        figures[f"machine_ceiling_jobs{jobs}"] = statistics.median(ceilings)
        figures[f"scaling_to_ceiling_jobs{jobs}"] = statistics.median(b.rate / a.rate / c for a, b, c in rounds)

        # the store's marginal cost: runs with and without it, side by side in each round
        without, with_store = [], []
        for k in range(repeat):
            without.append(pair(small, large, k, lambda n, k: measured(jsonl_cmd(n, k, jobs), tmp)))
            with_store.append(pair(small, large, k, lambda n, k: measured(jsonl_cmd(n, k, jobs, store=True), tmp)))
        figures[f"jsonl_store_jobs{jobs}_calls_per_s"] = median_pair(with_store).rate
        figures["store_overhead_marginal_pct"] = 100 * statistics.median(
            a.rate / b.rate - 1 for a, b in zip(without, with_store, strict=True)
        )
        figures["store_cpu_us_per_call"] = statistics.median(
            b.cpu_us - a.cpu_us for a, b in zip(without, with_store, strict=True)
        )
        figures["store_overhead_cpu_pct"] = 100 * statistics.median(
            b.cpu_us / a.cpu_us - 1 for a, b in zip(without, with_store, strict=True)
        )

        def default_run(n: int, k: int) -> tuple[float, float, float]:
            work = tmp / f"default-{n}-{k}"  # default options: the workbook and JSON Lines in reports/, the store
            work.mkdir()
            return measured([*CLI, "score", str(batches[n]), "-q", "--db", str(work / "store.sqlite")], work)

        middle, peak, cpu_us = marginal(repeat, small, large, default_run)
        for n, wall in zip((small, large), middle.walls, strict=True):
            figures[f"default_{n}_seconds"] = wall
        figures[f"default_{small}_{large}_peak_mb"] = peak
        figures["store_bytes_per_call"] = (tmp / f"default-{large}-0" / "store.sqlite").stat().st_size / large
        figures["default_calls_per_s"] = middle.rate
        figures["default_cpu_us_per_call"] = cpu_us
        figures["default_ratio_to_floor"] = figures["default_calls_per_s"] / figures["floor_calls_per_s"]
        jsonl = next((tmp / f"default-{large}-0" / "reports").glob("*.jsonl"))
        nodb = [*CLI, "score", str(batches[large]), "-q", "--jsonl", str(tmp / "y.jsonl"), "--no-db"]
        overheads = []
        for k in range(repeat):  # the store's cost on a whole run: each pair made together, the median
            without_store = measured(nodb, tmp)[0]
            with_db = measured([*nodb[:-1], "--db", str(tmp / f"overhead-{k}.sqlite")], tmp)[0]
            overheads.append(100 * (with_db - without_store) / without_store)
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
            wall, peak, _ = measured([*CLI, "score", str(batches[n]), "-q", "--db", str(work / "s.sqlite")], work)
            figures[f"default_{n}_seconds"] = wall
            figures[f"default_{n}_peak_mb"] = peak
            figures[f"default_{n}_store_bytes_per_call"] = (work / "s.sqlite").stat().st_size / n
        month = tmp / "month.sqlite"
        bench_monthly.fill(month, args.monthly_calls)
        wall, peak, _ = measured(
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
