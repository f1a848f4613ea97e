"""Benchmark: the monthly workbook of a month of N calls; report seconds and peak memory.

Usage:
    python bench/bench_monthly.py                       # 100,000 calls
    python bench/bench_monthly.py --calls 1000000 --keep /tmp/month.sqlite

The store is filled through SQL in bulk (40 teams of 25 agents, every check of every call,
about a quarter of the calls non-compliant, short evidence), then ``qa-scoring monthly``
runs in a fresh process, so the peak resident memory printed is the command's own.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qa_scoring.reports.jsonl import compact_json
from qa_scoring.store import (
    CODEC,
    ResultStore,
    _compress,
    check_list_id,
    compression_dictionary,
    encode_outcomes,
)

CHECKS = [
    "closing.integrity", "closing.app_invitation", "closing.thanks", "closing.time_greeting",
    "closing.customer_name", "closing.order", "transfer.ask_product", "transfer.destination",
    "transfer.announcement",
]  # fmt: skip


def fill(path: Path, calls: int, seed: int = 3) -> None:
    """Write ``calls`` scored calls of March 2024 (and a tenth as many in February) into a new store."""
    ResultStore(path).close()  # the schema
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "INSERT INTO runs (id, started_at, tool_version, rules_version) VALUES (1, '2024-04-01', 'bench', 'bench')"
    )
    evidence = {"kind": "nearest_miss", "turn": 30, "time": "10:02:11", "text": "baik terima kasih pak",
                "similarity": 61.0}  # fmt: skip
    digest, dictionary = compression_dictionary(None)
    db.execute("INSERT INTO texts (id, digest, body, codec) VALUES (1, ?, ?, ?)", (digest, dictionary, CODEC))
    details: dict[tuple[str, ...], bytes] = {}  # the compressed result of each pattern of outcomes
    check_list = check_list_id(db, CHECKS)

    def detail(outcomes: list[str]) -> bytes:
        key = tuple(outcomes)
        if key not in details:
            checks = [
                {"id": c, "outcome": o, "reason": "not said in the closing", "reason_id": "tidak diucapkan",
                 "sop": "SOP", "evidence": evidence if o == "fail" else None}
                for c, o in zip(CHECKS, outcomes, strict=True)
            ]  # fmt: skip
            details[key] = _compress(compact_json({"status": "scored", "checks": checks}), dictionary)
        return details[key]

    batch_calls = []

    def flush() -> None:
        db.executemany(
            "INSERT INTO calls (call_id, run_id, rules_version, recorded_at, source, agent_id, agent_name, team,"
            " call_start, call_date, month, score, akurasi, salam_penutup, fcr, detail, outcomes, detail_dict,"
            " check_list) VALUES (?, 1, 'bench', '2024-04-01', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,"
            f" {check_list})",
            batch_calls,
        )
        batch_calls.clear()

    for month, n in (("2024-03", calls), ("2024-02", calls // 10)):
        for i in range(n):
            team = rng.randrange(40)
            agent = team * 25 + rng.randrange(25)
            outcomes = ["fail" if rng.random() < 0.04 else "pass" for _ in CHECKS]
            ok = {c: o == "pass" for c, o in zip(CHECKS, outcomes, strict=True)}
            params = {
                "akurasi": ok["closing.app_invitation"] and ok["transfer.destination"],
                "salam_penutup": all(ok[c] for c in CHECKS[:6]),
                "fcr": ok["closing.app_invitation"] and ok["transfer.destination"],
            }
            day = rng.randint(1, 28)
            call_id = f"{month}-{i:07d}"
            batch_calls.append((
                call_id, f"batch/{call_id}.json", f"CSO-{agent:04d}", f"Agen {agent}", f"Tim-{team:02d}",
                f"{month}-{day:02d}T10:00:00+07:00", f"{month}-{day:02d}", month,
                round(100 * sum(params.values()) / 3, 1), *(int(v) for v in params.values()), detail(outcomes),
                encode_outcomes(call_id, list(zip(CHECKS, outcomes, strict=True))),
            ))  # fmt: skip
            if len(batch_calls) >= 20_000:
                flush()
    flush()
    db.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="store path to fill (and keep); default: a temporary file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "month.sqlite"
        if not path.exists():
            started = time.perf_counter()
            fill(path, args.calls)
            print(f"filled {args.calls:,} calls in {time.perf_counter() - started:.1f} s "
                  f"({path.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
        out = Path(tmp) / "monthly.xlsx"
        cmd = [sys.executable, "-m", "qa_scoring", "monthly", "--month", "2024-03", "--db", str(path)]
        cmd += ["--out", str(out)]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if proc.returncode:
            sys.exit(proc.stderr)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"monthly: {seconds:.1f} s, peak RSS {peak:.0f} MB, workbook {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
