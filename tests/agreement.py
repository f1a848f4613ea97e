"""Compare the pipeline's verdicts on a labelled batch with its ``_expected.csv``.

Run as a script to see every disagreement: ``python -m tests.agreement FOLDER``;
``python -m tests.agreement --confidence FOLDER...`` measures where the wrong verdicts fall
among the machine's confidences (the lowest 10 % against the rest).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _labelled_results(folders: list[Path]) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """Each scored call of the folders with its label row (calls labelled scored only)."""
    for folder in folders:
        with open(folder / "_expected.csv", encoding="utf-8", newline="") as fh:
            expected = {(r["call_id"] or "").strip(): r for r in csv.DictReader(fh)}
        for result in score_batch(open_batch([folder]), RULES):
            row = expected.get(str(result.get("call_id")))
            if result["status"] == "scored" and row is not None and row["status"].strip() == "scored":
                yield result, row


def confidence_split(folders: list[Path], share: float = 0.1) -> dict[str, int]:
    """Wrong verdicts (tool vs label, both-na skipped) in the lowest-confidence ``share`` and the rest.

    Ties at the cut keep input order.
    """
    verdicts = []
    for result, row in _labelled_results(folders):
        for check in result["checks"]:
            want = row[check["id"]].strip()
            if want == "na" and check["outcome"] == "na":
                continue
            verdicts.append((check["confidence"], len(verdicts), want != check["outcome"]))
    verdicts.sort(key=lambda v: (v[0], v[1]))
    cut = max(1, round(len(verdicts) * share))
    low, rest = verdicts[:cut], verdicts[cut:]
    return {
        "low": len(low),
        "low_wrong": sum(v[2] for v in low),
        "rest": len(rest),
        "rest_wrong": sum(v[2] for v in rest),
    }


def queue_split(folders: list[Path], share: float = 0.1) -> dict[str, int]:
    """Wrong verdicts in the calls at the top ``share`` of the review queue (highest priority) and in the rest.

    Ties at the cut keep input order.
    """
    calls = []
    for result, row in _labelled_results(folders):
        judged = [c for c in result["checks"] if not (row[c["id"]].strip() == "na" and c["outcome"] == "na")]
        wrong = sum(row[c["id"]].strip() != c["outcome"] for c in judged)
        calls.append((-result["review_priority"], len(calls), len(judged), wrong))
    calls.sort()
    cut = max(1, round(len(calls) * share))
    top, rest = calls[:cut], calls[cut:]
    return {
        "top_calls": len(top),
        "top_verdicts": sum(c[2] for c in top),
        "top_wrong": sum(c[3] for c in top),
        "rest_calls": len(rest),
        "rest_verdicts": sum(c[2] for c in rest),
        "rest_wrong": sum(c[3] for c in rest),
    }


def main() -> None:
    """Print the agreement on a labelled folder (or the confidence split with ``--confidence``)."""
    if sys.argv[1] == "--confidence":
        split = confidence_split([Path(f) for f in sys.argv[2:]])
        low, rest = split["low_wrong"] / split["low"], split["rest_wrong"] / max(1, split["rest"])
        print(f"lowest-confidence 10%: {split['low_wrong']} wrong of {split['low']} = {100 * low:.2f}%")
        print(f"the rest: {split['rest_wrong']} wrong of {split['rest']} = {100 * rest:.2f}%")
        queue = queue_split([Path(f) for f in sys.argv[2:]])
        print(
            f"review queue top 10% ({queue['top_calls']} calls): {queue['top_wrong']} wrong of "
            f"{queue['top_verdicts']} verdicts; the other {queue['rest_calls']} calls: "
            f"{queue['rest_wrong']} wrong of {queue['rest_verdicts']}"
        )
        return
    res = compare(Path(sys.argv[1]))
    print(f"checks: {res.checks_agree}/{res.checks_total} = {100 * res.check_rate:.1f}%")
    print(f"parameters: {res.params_agree}/{res.params_total} = {100 * res.param_rate:.1f}%")
    for line in res.status_wrong + [f"missing {m}" for m in res.missing] + res.disagreements:
        print(line)


if __name__ == "__main__":
    main()
