"""Shared test helpers: score a tiny transcript written as text lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa_scoring.pipeline import score_transcript
from qa_scoring.readers import read_source
from qa_scoring.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    """The shipped rules."""
    return load_rules()


def write_call(folder: Path, name: str, turns: str, meta: dict[str, Any] | None = None) -> Path:
    """Write a plain-text transcript with front matter."""
    lines = []
    if meta:
        lines.append("---")
        lines.extend(f"{k}: {v}" for k, v in meta.items())
        lines.append("---")
    lines.extend(line.strip() for line in turns.strip().splitlines() if line.strip())
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def score_text(folder: Path, turns: str, meta: dict[str, Any] | None, rules: RuleSet) -> dict[str, Any]:
    """Score one transcript written as ``SPEAKER: text`` lines; return the JSON result."""
    path = write_call(folder, "call.txt", turns, meta)
    items = list(read_source(path))
    assert len(items) == 1, items
    return score_transcript(items[0], None, rules)


def outcomes(result: dict[str, Any]) -> dict[str, str]:
    """check id -> outcome."""
    return {c["id"]: c["outcome"] for c in result["checks"]}
