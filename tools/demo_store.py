"""Fill a results store with a realistic demo month for the monthly workbook: two teams, two months.

The calls are the sample batch's real results (checks, reasons, evidence) dealt out to named
agents of two teams over February and March 2024, with fewer calls for some agents, so that a
team lead's workbook can be looked at as it will be used.

    python tools/demo_store.py reports/sample.jsonl reports/demo.sqlite
    qa-scoring monthly --month 2024-03 --db reports/demo.sqlite --out reports/demo-2024-03.xlsx
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from qa_scoring.store import ResultStore

TEAMS = {
    "Jakarta-2": [
        ("CSO-201", "Rina Wulandari", 34),
        ("CSO-202", "Budi Santoso", 28),
        ("CSO-203", "Siti Rahmawati", 41),
        ("CSO-204", "Agus Prasetyo", 25),
        ("CSO-205", "Dewi Lestari", 3),
    ],
    "Bandung-1": [
        ("CSO-101", "Eko Saputra", 30),
        ("CSO-102", "Nur Aini", 22),
        ("CSO-103", "Hendra Gunawan", 37),
        ("CSO-104", "Maya Sari Putri", 2),
    ],
}
MONTHS = {"2024-02": 0.7, "2024-03": 1.0}  # share of each agent's calls per month


def main(jsonl: Path, db: Path, seed: int = 7) -> int:
    """Write the demo calls into ``db``; returns the number of calls recorded."""
    rng = random.Random(seed)
    scored = [r for r in map(json.loads, jsonl.read_text(encoding="utf-8").splitlines()) if r["status"] == "scored"]
    with ResultStore(db) as store:
        run = store.start_run(rules_version=scored[0].get("rules_version"), sources=[str(jsonl)])
        n = 0
        for month, share in MONTHS.items():
            for team, agents in TEAMS.items():
                for agent_id, name, calls in agents:
                    skill = rng.random()  # weaker agents draw more often from the failing calls
                    pool = sorted(scored, key=lambda r: r["score"] or 0, reverse=skill > 0.4)
                    for i in range(max(1, round(calls * share))):
                        base = pool[min(len(pool) - 1, int(rng.random() ** 1.6 * len(pool)))]
                        day = rng.randint(1, 28)
                        result = dict(
                            base,
                            call_id=f"{month}-{agent_id}-{i:03d}",
                            agent_id=agent_id,
                            agent_name=name,
                            team=team,
                            call_start=f"{month}-{day:02d}T{rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}:00+07:00",
                            source=f"batch-{month}/{base['call_id']}",
                        )
                        store.record(run, result)
                        n += 1
        store.finish_run(run, calls=n, errors=0)
    return n


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"{main(Path(sys.argv[1]), Path(sys.argv[2]))} demo calls recorded in {sys.argv[2]}")
