"""Instructions a bench call costs, counted by callgrind: a figure a busy neighbour cannot move.

Usage:
    python bench/bench_instructions.py                   # 300 and 900 calls, about 10 minutes
    python bench/bench_instructions.py --calls 100 300   # quicker, rougher
    python bench/bench_instructions.py --json out.json

On a shared machine two runs of the same code can differ by a third in wall-clock time
(README "Measured"); to compare two versions of the code, count instructions instead. Each
configuration scores the bench's calls (``bench_score.py``'s generator, with a manifest) under
``valgrind --tool=callgrind``, every process of the run counted (``--jobs 2`` runs its
workers under valgrind too), once with the smaller batch and once with the larger; the
figure is the difference divided by the difference in calls, so start-up is not counted.
Kernel time (system calls, page copies) is not counted, and callgrind counts a large
``rep movsb`` copy byte by byte, so a figure is not a time: compare like with like.
Needs valgrind (Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_all  # noqa: E402
import bench_score  # noqa: E402

CLI = [sys.executable, "-m", "qa_scoring", "score", "-q", "--no-fail"]

# name -> options of ``score`` (the batch folder comes first; {out} is a fresh folder)
CONFIGS = {
    "jsonl_1job": ["--jobs", "1", "--no-db", "--jsonl", "{out}/x.jsonl"],
    "jsonl_store_1job": ["--jobs", "1", "--db", "{out}/s.sqlite", "--jsonl", "{out}/x.jsonl"],
    "default_1job": ["--jobs", "1", "--db", "{out}/s.sqlite", "--jsonl", "{out}/x.jsonl", "--out", "{out}/x.xlsx"],
    "jsonl_2jobs": ["--jobs", "2", "--no-db", "--jsonl", "{out}/x.jsonl"],
    "jsonl_store_2jobs": ["--jobs", "2", "--db", "{out}/s.sqlite", "--jsonl", "{out}/x.jsonl"],
}


def counted(batch: Path, options: list[str], work: Path) -> dict[int, int]:
    """Instructions of each process of one ``score`` run under callgrind: {process id: count}."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    args = [option.replace("{out}", str(work)) for option in options]
    valgrind = ["valgrind", "--tool=callgrind", "--trace-children=yes", f"--callgrind-out-file={work}/cg.%p"]
    proc = subprocess.run([*valgrind, *CLI, str(batch), *args], capture_output=True, text=True, cwd=work)
    if proc.returncode != 0:
        raise SystemExit(f"score under valgrind failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    counts = {}
    for path in work.glob("cg.*"):
        command, total = "", 0
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("cmd:"):
                    command = line[4:].strip()
                elif line.startswith(("summary:", "totals:")):
                    total = int(line.split()[1])
        if ("qa_scoring" in command or "spawn_main" in command) and "resource_tracker" not in command:
            counts[int(path.suffix[1:])] = total
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, nargs=2, default=[300, 900], help="the two batch sizes")
    parser.add_argument("--only", nargs="+", choices=sorted(CONFIGS), help="these configurations only")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found (Debian: apt-get install valgrind)")
    small, large = args.calls
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="qa-bench-instructions-") as tmp_text:
        tmp = Path(tmp_text)
        base = tmp / "base"
        bench_score.generate(base, large)
        batches = {n: tmp / f"batch-{n}" for n in (small, large)}
        for n, folder in batches.items():
            bench_all.replicate(base, folder, n)
        env_note = "PYTHONDONTWRITEBYTECODE" in os.environ
        for name in args.only or CONFIGS:
            totals = {n: counted(batches[n], CONFIGS[name], tmp / f"{name}-{n}") for n in (small, large)}
            figures[f"{name}_instructions_per_call"] = (sum(totals[large].values()) - sum(totals[small].values())) / (
                large - small
            )
            if len(totals[large]) > 1:  # the score process (started first: the lowest id) apart from its workers
                parent = {n: totals[n][min(totals[n])] for n in totals}
                figures[f"{name}_score_process_per_call"] = (parent[large] - parent[small]) / (large - small)
            print(f"{name:40} {figures[f'{name}_instructions_per_call'] / 1e6:6.2f} M", flush=True)
    for key, value in figures.items():
        print(f"{key:50} {value:,.0f}")
    if env_note:
        print("(PYTHONDONTWRITEBYTECODE is set: modules are compiled on every start, which start-up pays, not a call)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
