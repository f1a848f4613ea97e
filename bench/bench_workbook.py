"""Benchmark: the batch workbook of N scored calls; report seconds and peak memory per size.

Usage:
    python bench/bench_workbook.py                                # 10,000 and 100,000 calls
    python bench/bench_workbook.py --calls 10000 200000 --jsonl /tmp/wb10k.jsonl

The results file is made once: ``bench/bench_score.py``'s generated batch of 10,000 calls,
scored with ``qa-scoring score --no-db --no-mask`` (or the file given by ``--jsonl``). A
bigger size repeats its lines with a new ``call_id`` each (``B-000001~3`` for the third
copy), so every call stays unique. ``write_batch_workbook`` then runs in a fresh process for
each size, so the peak resident memory printed (VmHWM) is that run's own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE_CALLS = 10_000

# The peak is the child's own VmHWM: ru_maxrss would count the parent's memory at the fork.
# CPU seconds (user + system) are printed too: on a busy machine they vary less than the wall clock.
_RUN = """
import resource, sys
from pathlib import Path
from qa_scoring.reports.excel import write_batch_workbook
write_batch_workbook(Path(sys.argv[1]), Path(sys.argv[2]))
status = Path("/proc/self/status").read_text()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(usage.ru_utime + usage.ru_stime)
print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
"""


def base_results(folder: Path) -> Path:
    """Generate and score the 10,000-call batch; returns its JSON Lines file."""
    sys.path.insert(0, str(BENCH))
    import bench_score

    batch = folder / "batch"
    bench_score.generate(batch, BASE_CALLS)
    out = folder / "base.jsonl"
    cmd = [sys.executable, "-m", "qa_scoring", "score", str(batch), "--jsonl", str(out), "--no-db", "--no-mask", "-q"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def scaled(base: Path, calls: int, out: Path) -> Path:
    """``base``'s lines repeated until ``calls`` lines, each copy's call ids made unique."""
    lines = [line for line in base.read_text(encoding="utf-8").splitlines() if line.strip()]
    with out.open("w", encoding="utf-8") as fh:
        for i in range(calls):
            line = lines[i % len(lines)]
            copy = i // len(lines)
            if copy:
                rec = json.loads(line)
                rec["call_id"] = f"{rec['call_id']}~{copy}"
                line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
            fh.write(line + "\n")
    return out


def run(jsonl: Path, out: Path) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak RSS (MB) of one ``write_batch_workbook`` in a fresh process."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUN, str(jsonl), str(out)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"write_batch_workbook failed on {jsonl}:\n{proc.stderr}")
    cpu, peak = proc.stdout.split()[-2:]
    return seconds, float(cpu), int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jsonl", type=Path, help="scored results to repeat (default: generate 10,000 calls)")
    parser.add_argument("--keep", type=Path, help="folder for the results files and workbooks (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = args.jsonl or base_results(folder)
        for calls in args.calls:
            jsonl = folder / f"results-{calls}.jsonl"
            if not jsonl.exists():
                scaled(base, calls, jsonl)
            out = folder / f"batch-{calls}.xlsx"
            seconds, cpu, peak = run(jsonl, out)
            size = out.stat().st_size / 1e6
            print(
                f"{calls:>9,} calls: {seconds:6.1f} s ({cpu:.1f} s CPU), peak RSS {peak:5.0f} MB,"
                f" workbook {size:.1f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
