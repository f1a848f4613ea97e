"""The second round of the checks' fast paths gives what the plain code gives (issue 10).

Each shortcut is checked against the straightforward version it replaces, on the labelled
calls and on generated input: the result line built in one pass (parameters per set of failed
checks, the confidence read from the call's facts instead of the finished result, the dicts of
results without evidence made once).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qa_scoring.pipeline as pipeline
from qa_scoring.analysis import analyse
from qa_scoring.checks.base import result_dict
from qa_scoring.confidence import DECIDING_FACTS, annotate, annotate_scored, rule_thresholds
from qa_scoring.messages import msg
from qa_scoring.model import Fact
from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.rules import load_rules
from qa_scoring.scoring import (
    evaluate_checks,
    local_start,
    meta_fields,
    parameters,
    score_call,
    warning_fields,
)

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
FOLDERS = [ROOT / "sample_transcripts", *sorted(p for p in (ROOT / "tests" / "data").iterdir() if p.is_dir())]


def _plain_score_call(transcript: Any, meta: Any, rules: Any, warnings: list[str]) -> dict[str, Any]:
    """``score_call`` as first written: every part of the line built from the results, then annotated."""
    meta = local_start(meta, rules)
    view = analyse(transcript, meta, rules)
    results = evaluate_checks(view, rules)
    params, score = parameters(results, rules)
    context = {name: fact.to_dict() for name, fact in view.facts.items()}
    speakers = {t.speaker: t.role for t in transcript.turns}
    context["roles"] = {"value": speakers, "basis": transcript.role_basis}
    result = {
        "schema_version": 1,
        "call_id": meta.call_id or transcript.call_id,
        "source": transcript.source,
        "status": "scored",
        "format": transcript.format,
        **meta_fields(meta),
        "rules_version": rules.version,
        "score": score,
        "parameters": params,
        "failed_checks": [r.id for r in results if r.outcome == "fail"],
        "context": context,
        "checks": [r.to_dict() for r in results],
        **warning_fields([*transcript.warnings, *warnings]),
    }
    return annotate(result, rule_thresholds(rules))


def _recorded_calls() -> list[tuple[Any, Any, list[str]]]:
    """(transcript, meta, warnings) of every call the labelled folders score."""
    calls: list[tuple[Any, Any, list[str]]] = []
    real = pipeline.score_call

    def record(transcript: Any, meta: Any, rules: Any, warnings: list[str]) -> dict[str, Any]:
        calls.append((transcript, meta, list(warnings)))
        return real(transcript, meta, rules, warnings)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "score_call", record)
        for folder in FOLDERS:
            for _ in score_batch(open_batch([folder]), RULES):
                pass
    return calls


CALLS = _recorded_calls()


def test_the_labelled_calls_are_many_and_varied() -> None:
    lines = [_plain_score_call(t, m, RULES, list(w)) for t, m, w in CALLS]
    assert len(lines) > 200
    outcomes = {(c["id"], c["outcome"]) for line in lines for c in line["checks"]}
    assert len(outcomes) >= 20  # every check passes, fails and is na somewhere
    assert any(line["warnings"] for line in lines) and any(not line["customer_name"] for line in lines)


def test_score_call_equals_the_plain_line_on_every_labelled_call() -> None:
    for transcript, meta, warnings in CALLS:
        fast = score_call(transcript, meta, RULES, list(warnings))
        plain = _plain_score_call(transcript, meta, RULES, list(warnings))
        assert json.dumps(fast) == json.dumps(plain)  # same keys in the same order, same values


def test_a_line_shares_no_dict_or_list_with_another() -> None:
    transcript, meta, warnings = CALLS[0]
    first = score_call(transcript, meta, RULES, list(warnings))
    again = score_call(transcript, meta, RULES, list(warnings))
    assert first == again
    for a, b in zip(first["checks"], again["checks"], strict=True):
        assert a is not b and a["doubts"] is not b["doubts"]
    assert first["parameters"] is not again["parameters"] and first["context"] is not again["context"]


# -- the dicts of results without evidence ---------------------------------------------------


def test_result_dict_is_a_new_copy_of_to_dict() -> None:
    rule = RULES.rule("closing.thanks")
    plain = rule.result("na", msg("closing.no_thanks"))
    assert rule.result("na", msg("closing.no_thanks")) is plain  # rendered once
    first, second = result_dict(plain), result_dict(plain)
    assert first == second == plain.to_dict() and first is not second
    first["confidence"] = 1.0
    assert "confidence" not in result_dict(plain)
    transcript, meta, _ = CALLS[0]
    for result in evaluate_checks(analyse(transcript, local_start(meta, RULES), RULES), RULES):
        assert result_dict(result) == result.to_dict()


# -- the confidence of a call being scored ---------------------------------------------------

BASES = [
    "manifest",
    "transcript: x",
    "inferred: B carries the agent's script (phrases found B: 6, A: 1)",
    "inferred: B carries the agent's script (phrases found B: 6, A: 0)",
    "",
    "unknown",
    "no offer of further help",
    "labels",
]
FACT_NAMES = sorted({f for fs in DECIDING_FACTS.values() for f in fs if f != "roles"})
FACTS = st.dictionaries(
    st.sampled_from(FACT_NAMES),
    st.builds(Fact, st.sampled_from([True, False, None, "elektrinet"]), st.sampled_from(BASES)),
)
EVIDENCE = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["match", "nearest_miss", "info", "forbidden_match"]),
            "turn": st.just(1),
            "start": st.one_of(st.none(), st.floats(0, 500)),
            "time": st.none(),
            "text": st.just("x"),
            "phrase": st.just("p"),
            "similarity": st.one_of(st.floats(0, 100).map(lambda x: round(x, 1)), st.integers(0, 100)),
        }
    ),
)
CHECK = st.fixed_dictionaries(
    {
        "id": st.sampled_from([*RULES.check_ids, "other"]),
        "outcome": st.sampled_from(["pass", "fail", "na"]),
        "reason": st.just("r"),
        "reason_id": st.just("r"),
        "sop": st.just("s"),
        "evidence": EVIDENCE,
    }
)


@settings(max_examples=400, deadline=None)
@given(
    FACTS,
    st.sampled_from(BASES),
    st.lists(CHECK, max_size=9),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_annotate_scored_equals_annotate_on_the_finished_line(
    facts: dict[str, Fact], role_basis: str, checks: list[dict[str, Any]], named: bool, started: bool, warned: bool
) -> None:
    thresholds = rule_thresholds(RULES)
    context: dict[str, Any] = {name: fact.to_dict() for name, fact in facts.items()}
    context["roles"] = {"value": {"A": "agent"}, "basis": role_basis}
    result = {
        "customer_name": "Budi" if named else None,
        "call_start": "2024-03-28T10:00:00+07:00" if started else None,
        "warnings": ["w"] if warned else [],
        "context": context,
        "checks": json.loads(json.dumps(checks)),
    }
    plain = annotate(result, thresholds)
    for _ in range(2):  # the second time from the memo of the facts' bases
        fast = json.loads(json.dumps(checks))
        priority = annotate_scored(fast, facts, role_basis, named, started, warned, thresholds)
        assert json.dumps(fast) == json.dumps(plain["checks"])
        assert priority == plain["review_priority"]


def test_annotate_scored_reads_facts_whose_bases_cannot_be_keys() -> None:
    thresholds = rule_thresholds(RULES)
    facts = {"transferred": Fact(False, ["transcript"]), "product": Fact(None, "unknown")}  # type: ignore[arg-type]
    check = {"id": "transfer.destination", "outcome": "fail", "evidence": None}
    context: dict[str, Any] = {name: fact.to_dict() for name, fact in facts.items()}
    context["roles"] = {"value": {}, "basis": "labels"}
    plain = annotate({"context": context, "checks": [dict(check)], "warnings": []}, thresholds)
    fast = [dict(check)]
    assert annotate_scored(fast, facts, "labels", True, True, False, thresholds) == plain["review_priority"]
    assert fast == plain["checks"]
