"""Compare the pipeline's verdicts on a labelled batch with its ``_expected.csv``.

Run as a script to see every disagreement: ``python -m tests.agreement FOLDER``.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.rules import load_rules

RULES = load_rules()
CHECKS = RULES.check_ids
PARAMETERS = tuple(p.key for p in RULES.parameters)


@dataclass
class Agreement:
    """Counts of agreement, and every disagreement found."""

    checks_total: int = 0
    checks_agree: int = 0
    params_total: int = 0
    params_agree: int = 0
    status_wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    @property
    def check_rate(self) -> float:
        """Share of checks that matter (not na on both sides) where tool and label agree."""
        return self.checks_agree / self.checks_total if self.checks_total else 1.0

    @property
    def param_rate(self) -> float:
        """Share of parameters where tool and label agree."""
        return self.params_agree / self.params_total if self.params_total else 1.0


def _key(row: dict) -> tuple[str, str]:
    return (row["call_id"] or "", Path(row["source"]).name)


def compare(folder: Path) -> Agreement:
    """Score ``folder`` and compare with ``folder/_expected.csv``."""
    with open(folder / "_expected.csv", encoding="utf-8", newline="") as fh:
        expected = {(r["call_id"] or "").strip(): r for r in csv.DictReader(fh)}
    got = {}
    for result in score_batch(open_batch([folder]), RULES):
        got[str(result.get("call_id"))] = result
    out = Agreement()
    for call_id, row in expected.items():
        result = got.get(call_id)
        if result is None:
            out.missing.append(call_id)
            continue
        if result["status"] != row["status"].strip():
            out.status_wrong.append(f"{call_id}: expected {row['status']}, got {result['status']}")
            continue
        if result["status"] != "scored":
            continue
        outcome = {c["id"]: c for c in result["checks"]}
        for check in CHECKS:
            want = row[check].strip()
            have = outcome[check]["outcome"]
            if want == "na" and have == "na":
                continue
            out.checks_total += 1
            if want == have:
                out.checks_agree += 1
            else:
                out.disagreements.append(f"{call_id} {check}: label {want}, tool {have}: {outcome[check]['reason']}")
        for param in PARAMETERS:
            want_p = row[param].strip().lower() == "true"
            out.params_total += 1
            if result["parameters"][param] == want_p:
                out.params_agree += 1
            else:
                out.disagreements.append(f"{call_id} {param}: label {want_p}, tool {result['parameters'][param]}")
    return out


def main() -> None:
    """Print the agreement on a labelled folder."""
    res = compare(Path(sys.argv[1]))
    print(f"checks: {res.checks_agree}/{res.checks_total} = {100 * res.check_rate:.1f}%")
    print(f"parameters: {res.params_agree}/{res.params_total} = {100 * res.param_rate:.1f}%")
    for line in res.status_wrong + [f"missing {m}" for m in res.missing] + res.disagreements:
        print(line)


if __name__ == "__main__":
    main()
