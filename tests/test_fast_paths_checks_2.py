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
from rapidfuzz import fuzz

import qa_scoring.pipeline as pipeline
from qa_scoring import confidence
from qa_scoring.analysis import analyse
from qa_scoring.checks import REGISTRY, app_invitation, time_greeting
from qa_scoring.checks.base import evidence_dict, reason_texts, result_dict
from qa_scoring.confidence import DECIDING_FACTS, annotate, annotate_scored, rule_thresholds
from qa_scoring.matching import AgentText, Hit, PhraseSpec, align
from qa_scoring.messages import FactBasis, Join, Reason, msg
from qa_scoring.model import Evidence, Fact, Turn
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


def _plain_evaluate_checks(view: Any, rules: Any) -> list[Any]:
    """``evaluate_checks`` as first written: the rule in force and the scopes looked up check by check."""
    day = view.call_date
    transferred, internet = view.facts["transferred"], view.facts["internet_complaint"]
    results = []
    for check_id in rules.check_ids:
        candidates = [r for r in rules.checks if r.id == check_id]
        rule = next((r for r in candidates if r.in_force(day)), None)
        if rule is None:
            first = candidates[0]
            results.append(first.result("na", msg("scope.not_in_force", sop=first.sop.label, day=day)))
            continue
        module = REGISTRY[rule.type]
        if module.SCOPE == "closing" and transferred.value:
            results.append(rule.result("na", msg("scope.transferred", basis=FactBasis(transferred.basis))))
        elif module.SCOPE == "transfer" and not internet.value:
            results.append(rule.result("na", msg("scope.not_internet", basis=FactBasis(internet.basis))))
        else:
            results.append(module.evaluate(rule, view))
    return results


def _plain_score_call(transcript: Any, meta: Any, rules: Any, warnings: list[str]) -> dict[str, Any]:
    """``score_call`` as first written: every part of the line built from the results, then annotated."""
    meta = local_start(meta, rules)
    view = analyse(transcript, meta, rules)
    results = _plain_evaluate_checks(view, rules)
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
    reasons = [c["reason"] for line in lines for c in line["checks"] if c["outcome"] == "na"]
    assert any(r.startswith("call transferred") for r in reasons)  # out of the closing's scope
    assert any(r.startswith("not an internet") for r in reasons)  # out of the transfer's scope
    assert any("not in force" in c["reason"] for line in lines for c in line["checks"])
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


# -- find: later forms aligned with the best score so far as cutoff ---------------------------


def _plain_find(text: AgentText, spec: PhraseSpec, start: int = 0, end: int | None = None) -> Hit:
    """``find`` as first written: every part of every form aligned in full."""
    hay = text.text[start:end]
    best = Hit(0.0, 0, 0)
    for form in spec.forms:
        scores = [align(part, hay) for part in form]
        score = min(s for s, _, _ in scores)
        if score > best.score:
            best = Hit(score, min(s for _, s, _ in scores) + start, max(e for _, _, e in scores) + start)
            if score >= spec.threshold:
                break
    return best


def _specs() -> list[PhraseSpec]:
    specs = []
    for rule in RULES.checks:
        specs.extend(s for s in (getattr(rule, "phrase", None), getattr(rule, "whole", None)) if hasattr(s, "forms"))
        specs.extend(getattr(rule, "variants", {}).values())
        specs.extend(p.spec for p in getattr(rule, "parts", ()) if p.spec is not None)
    return specs


def test_find_equals_the_plain_search_on_the_labelled_calls() -> None:
    specs = _specs()
    assert len(specs) >= 8 and any(len(s.forms) > 5 for s in specs)
    compared = 0
    for transcript, meta, _ in CALLS[::3]:
        view = analyse(transcript, local_start(meta, RULES), RULES)
        for text in (view.closing, view.agent):
            for spec in specs:
                for lo, hi in ((0, None), (len(text.text) // 3, None), (0, len(text.text) // 2)):
                    assert text.find(spec, lo, hi) == _plain_find(text, spec, lo, hi)
                    compared += 1
    assert compared > 5000


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abdeiklmnoprstu ", min_size=0, max_size=120),
    st.lists(st.text(alphabet="abdeiklmnoprstu ", min_size=1, max_size=30), min_size=1, max_size=3),
    st.lists(st.text(alphabet="abdeiklmnoprstu ", min_size=1, max_size=40), max_size=6),
    st.sampled_from([50.0, 80.0, 95.0, 100.0]),
)
def test_find_equals_the_plain_search_on_any_letters(
    hay: str, core: list[str], alternatives: list[str], threshold: float
) -> None:
    text = AgentText([Turn(0, "CSO", hay, 0.0, role="agent")], [hay])
    spec = PhraseSpec(" ".join(core), (tuple(core), *((a,) for a in alternatives)), threshold)
    assert text.find(spec) == _plain_find(text, spec)


def test_a_cutoff_below_the_score_leaves_the_alignment_as_it_is() -> None:
    """What ``find`` relies on: rapidfuzz gives the same alignment when the cutoff lies below its score."""
    parts = sorted({part for spec in _specs() for form in spec.forms for part in form})
    for transcript, meta, _ in CALLS[::7]:
        hay = analyse(transcript, local_start(meta, RULES), RULES).agent.text
        for part in parts:
            if not hay or len(part) > len(hay):
                continue
            full = fuzz.partial_ratio_alignment(part, hay)
            for cutoff in (0.0, full.score / 2, full.score - 1, full.score - 0.01):
                cut = fuzz.partial_ratio_alignment(part, hay, score_cutoff=max(cutoff, 0.0))
                assert cut is not None
                assert (cut.score, cut.dest_start, cut.dest_end) == (full.score, full.dest_start, full.dest_end)


# -- evidence: where a hit lies worked out once per span ------------------------------------------


def test_evidence_at_equals_evidence_and_remembers_the_place() -> None:
    transcript, meta, _ = next(c for c in CALLS if len(c[0].turns) > 6)
    view = analyse(transcript, local_start(meta, RULES), RULES)
    text = view.agent
    for start, end in ((0, 5), (3, len(text.text)), (len(text.text) - 4, len(text.text)), (10, 11)):
        hit = Hit(81.5, start, end)
        plain = text.evidence(hit, "p", "match", view.clock)
        assert text.evidence_at(hit, "p", "match", view.clock_text) == plain
        assert text.evidence_at(hit, "q", "info", view.clock_text) == Evidence(
            "info", "q", 81.5, plain.text, plain.turn, plain.start, plain.time
        )
    assert AgentText([], []).evidence_at(Hit(0.0, 0, 0), "p", "nearest_miss", view.clock_text) == Evidence(
        "nearest_miss", "p", 0.0
    )


# -- reasons: texts rendered once per reason of plain arguments ---------------------------------


def test_reason_texts_equal_the_rendered_texts() -> None:
    reasons = [
        msg("closing_phrase.said"),
        msg("app_invitation.said", variant="download", why=msg("app_invitation.why_no_app")),
        msg("closing_phrase.not_said_early", turn=1),
        msg("closing_phrase.not_said_early", turn=1.0),
        msg("closing_phrase.not_said_early", turn=True),
        msg(
            "time_greeting.wrong", name="pagi", time="16:20", allowed=Join(("siang", "sore"), msg("join.or")), timing=""
        ),
        msg("scope.transferred", basis=FactBasis("manifest: transfer_code 5")),
        msg("customer_name.missing", name="Budi"),
    ]
    for _ in range(2):
        for reason in reasons:
            assert reason_texts(reason) == (reason.text("en"), reason.text("id"))
    assert reason_texts(reasons[3])[0] != reason_texts(reasons[2])[0] != reason_texts(reasons[4])[0]


def test_a_reason_without_arguments_is_made_once() -> None:
    assert msg("closing.no_thanks") is msg("closing.no_thanks")
    assert msg("closing.no_thanks") == Reason("closing.no_thanks")
    with pytest.raises(KeyError):
        msg("no.such.key")
    with pytest.raises(ValueError, match="takes"):
        msg("order.wrong")


def test_the_verdict_memos_keep_within_their_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confidence, "_VERDICTS_MAX", 3)
    monkeypatch.setattr(confidence, "_verdicts", 0)
    monkeypatch.setattr(confidence, "_SCORED", {})
    for transcript, meta, warnings in CALLS[:40]:
        fast = score_call(transcript, meta, RULES, list(warnings))
        assert json.dumps(fast) == json.dumps(_plain_score_call(transcript, meta, RULES, list(warnings)))
        kept = sum(len(verdicts) for _, by_flags in confidence._SCORED.values() for _, verdicts in by_flags.values())
        assert kept <= 3


# -- time greeting: the words of the thank-you's turns read in a row ------------------------------

GREETING_WORDS = ["selamat", "slamat", "siang", "siank", "pagi", "sore", "malam", "bapak", "budi", "terima", "kasih"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(GREETING_WORDS), max_size=5).map(" ".join), min_size=1, max_size=4))
def test_greeting_found_in_the_words_in_a_row_as_in_the_tokens(norms: list[str]) -> None:
    rule = RULES.rule("closing.time_greeting")
    tokens = [(tok, k) for k, norm in enumerate(norms) for tok in norm.split()]
    plain = time_greeting.find_greeting(rule, tokens)
    fast = time_greeting._find_greeting(rule, " ".join(norms).split())
    assert fast == plain
    if plain is not None:
        assert time_greeting._turn_of(tuple(norms), plain[1]) == tokens[plain[1]][1]


def test_reasons_with_reason_arguments_keep_apart() -> None:
    said = [
        msg("app_invitation.said", variant=variant, why=msg(why))
        for variant in ("download", "update")
        for why in ("app_invitation.why_no_app", "app_invitation.why_has_app", "app_invitation.why_pln_mobile")
    ]
    texts = [reason_texts(r) for r in said]
    assert texts == [(r.text("en"), r.text("id")) for r in said] and len(set(texts)) == 6
    tricky = msg("app_invitation.said", variant="download", why="app_invitation.why_no_app")  # a text, not a reason
    assert reason_texts(tricky) == (tricky.text("en"), tricky.text("id")) != texts[0]


# -- the app invitations: only the hits that can be said worked out in full --------------------


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abdeiklmnoprstu ", min_size=0, max_size=120),
    st.lists(st.text(alphabet="abdeiklmnoprstu ", min_size=1, max_size=30), min_size=1, max_size=3),
    st.lists(st.text(alphabet="abdeiklmnoprstu ", min_size=1, max_size=40), max_size=6),
    st.sampled_from([50.0, 80.0, 95.0, 100.0]),
    st.floats(0, 100),
)
def test_find_above_is_find_when_it_reaches_the_floor(
    hay: str, core: list[str], alternatives: list[str], threshold: float, floor: float
) -> None:
    spec = PhraseSpec(" ".join(core), (tuple(core), *((a,) for a in alternatives)), threshold)
    plain = _plain_find(AgentText([Turn(0, "CSO", hay, 0.0, role="agent")], [hay]), spec)
    floor = min(floor, threshold)
    for at in (floor, plain.score):  # any floor, and one right at the score
        text = AgentText([Turn(0, "CSO", hay, 0.0, role="agent")], [hay])
        expected = plain if plain.score >= at else None
        assert text.find_above(spec, at) == expected
        assert text.find_above(spec, at) == expected  # again, from the memo
        assert text.find(spec) == plain


def test_said_variants_equal_the_plain_choice_on_the_labelled_calls() -> None:
    rule = RULES.rule("closing.app_invitation")
    said_somewhere = set()
    for transcript, meta, _ in CALLS:
        view = analyse(transcript, local_start(meta, RULES), RULES)
        for text in (view.closing, view.agent):
            hits = {name: _plain_find(text, spec) for name, spec in rule.variants.items()}
            best = max(h.score for h in hits.values())
            plain = {
                name: hit
                for name, hit in hits.items()
                if hit.score >= rule.variants[name].threshold and (hit.score >= best or hit.score >= rule.clear_score)
            }
            assert app_invitation.said_variants(rule, text) == plain
            said_somewhere.update(plain)
    assert said_somewhere == {"download", "update"}


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-5, 105),
        st.sampled_from([0.0, -0.0, 100.0, 100, 90, 83.33333333333334, 0.05, 0.15, 2.675]),
    )
)
def test_evidence_dict_equals_to_dict_whatever_the_similarity(similarity: float) -> None:
    ev = Evidence("match", "p", similarity, "t", 1, 2.0, "10:00:00")
    for _ in range(2):  # the second time from the memo of rounded similarities
        assert repr(evidence_dict(ev)) == repr(ev.to_dict())  # 100 stays an int, -0.0 keeps its sign
