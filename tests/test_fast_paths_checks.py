"""The fast paths of the checks and of the JSON Lines line give what the plain code gives (issue 10).

Each shortcut (memos kept per rule or per text, objects built without the frozen dataclass's
``__init__``, the checks' plan per call date, the confidence's per-call fact doubts) is checked
against the straightforward version it replaces: on hand-picked edge cases and on generated input.
"""

from __future__ import annotations

import json
import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from qa_scoring.checks import REGISTRY, app_invitation, customer_name, time_greeting
from qa_scoring.checks.base import make_result
from qa_scoring.confidence import (
    _FACTORS,
    DECIDING_FACTS,
    DECISION,
    MARGIN,
    NEAR_FLOOR,
    NO_TURN_TIMES,
    NOISE,
    UNKNOWN,
    _CallDoubts,
    _doubts,
    annotate,
    call_priority,
    rule_thresholds,
)
from qa_scoring.matching import AgentText, Hit, PhraseSpec, align, make_evidence, make_hit
from qa_scoring.messages import FactBasis, Reason, msg
from qa_scoring.model import CheckResult, Evidence, Turn
from qa_scoring.pipeline import open_batch, score_batch
from qa_scoring.reports.jsonl import encode_line
from qa_scoring.rules import load_rules
from qa_scoring.scoring import _PLANS, parameters_from_outcomes, warning_fields

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
WORDS = ["selamat", "slamat", "selamet", "siang", "siank", "pagi", "sore", "malam", "malem", "bapak", "ibu", "budi"]
NAME_WORDS = ["budi", "budhi", "santoso", "wulan", "wulandari", "sri", "ani", "endra", "hendra", "abdul", "rahman"]


# -- frozen dataclasses built without __init__ -------------------------------------------------


def _same(fast: object, plain: object) -> None:
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert pickle.loads(pickle.dumps(fast)) == plain
    assert type(fast) is type(plain) and vars(fast) == vars(plain)


def test_fast_constructors_make_the_same_objects() -> None:
    _same(make_hit(97.5, 3, 40), Hit(97.5, 3, 40))
    ev = make_evidence("match", "Terima kasih", 100.0, "terima kasih", 4, 12.5, "10:00:12")
    _same(ev, Evidence("match", "Terima kasih", 100.0, "terima kasih", 4, 12.5, "10:00:12"))
    _same(make_result("c", "pass", "r", (ev,), "SOP", "r id"), CheckResult("c", "pass", "r", (ev,), "SOP", "r id"))
    _same(msg("order.wrong", first="a", second="b"), Reason("order.wrong", (("first", "a"), ("second", "b"))))
    assert make_result("a", "fail", "x", (), "", "") < make_result("b", "fail", "x", (), "", "")  # order=True kept


def test_msg_still_checks_its_arguments() -> None:
    with pytest.raises(KeyError):
        msg("no.such.key")
    with pytest.raises(ValueError, match="takes"):
        msg("order.wrong", first="a")


# -- AgentText.find ----------------------------------------------------------------------------


def _plain_find(text: AgentText, spec: PhraseSpec, start: int = 0, end: int | None = None) -> Hit:
    """``find`` as first written."""
    hay = text.text[start:end]
    best = Hit(0.0, 0, 0)
    for form in spec.forms:
        scores = [align(part, hay) for part in form]
        score = min(s for s, _, _ in scores)
        if score > best.score:
            lo = min(s for _, s, _ in scores) + start
            hi = max(e for _, _, e in scores) + start
            best = Hit(score, lo, hi)
            if score >= spec.threshold:
                break
    return best


TEXT_WORDS = ["terima", "kasih", "telah", "menghubungi", "pln", "123", "ayo", "download", "aplikasi", "new", "mobile"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(TEXT_WORDS), max_size=8).map(" ".join), min_size=1, max_size=5),
    st.lists(st.lists(st.sampled_from(TEXT_WORDS), min_size=1, max_size=4).map(" ".join), min_size=1, max_size=3),
    st.lists(st.lists(st.sampled_from(TEXT_WORDS), min_size=1, max_size=6).map(" ".join), max_size=2),
    st.sampled_from([60.0, 80.0, 100.0]),
    st.integers(0, 20),
    st.one_of(st.none(), st.integers(0, 80)),
)
def test_find_equals_the_plain_search(
    norms: list[str], core: list[str], alternatives: list[str], threshold: float, start: int, end: int | None
) -> None:
    turns = [Turn(i, "CSO", n, float(i), role="agent") for i, n in enumerate(norms)]
    text = AgentText(turns, norms)
    spec = PhraseSpec.build(" ".join(core), core, alternatives, threshold)
    for lo, hi in ((0, None), (start, end)):
        assert text.find(spec, lo, hi) == _plain_find(text, spec, lo, hi)
        assert text.find(spec, lo, hi) is text.find(spec, lo, hi)  # memoised per text


def _plain_evidence(text: AgentText, hit: Hit, phrase: str) -> Evidence:
    """``evidence`` as first written (without a clock)."""
    first = text.turn_at(hit.start)
    last = text.turn_at(max(hit.start, hit.end - 1))
    turn = text.turns[first]
    said = turn.text if last <= first else " / ".join(t.text for t in text.turns[first : last + 1])
    return Evidence("match", phrase, hit.score, said, turn.index, turn.start, None)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(TEXT_WORDS), max_size=4).map(" ".join), min_size=1, max_size=5),
    st.integers(0, 60),
    st.integers(-2, 60),
)
def test_evidence_equals_the_plain_turn_lookup(norms: list[str], start: int, length: int) -> None:
    turns = [Turn(i * 2, "CSO", n.upper(), float(i), role="agent") for i, n in enumerate(norms)]
    text = AgentText(turns, norms)
    hit = Hit(80.0, start, start + length)
    assert text.evidence(hit, "p", "match", lambda t: None) == _plain_evidence(text, hit, "p")


def test_evidence_names_the_turns_a_hit_spans() -> None:
    norms = ["terima kasih", "telah menghubungi pln 123"]
    turns = [Turn(i, "CSO", n.upper(), float(i * 10), role="agent") for i, n in enumerate(norms)]
    text = AgentText(turns, norms)
    ev = text.evidence(Hit(90.0, 0, len(text.text)), "Terima kasih", "match", lambda t: None)
    assert ev == Evidence("match", "Terima kasih", 90.0, "TERIMA KASIH / TELAH MENGHUBUNGI PLN 123", 0, 0.0, None)
    assert AgentText([], []).evidence(Hit(0.0, 0, 0), "p", "nearest_miss", lambda t: None) == Evidence(
        "nearest_miss", "p", 0.0
    )


# -- customer_name: the best target of heard words, memoised per name ----------------------------


def _plain_best(rule: Any, slot: list[tuple[str, int]], parts: list[str], lead: str) -> tuple[float, str, str, int]:
    """``_best`` as first written: every run of words against every target."""
    heard = [w for w, _ in slot]
    joins = customer_name._joins
    targets = [
        (t, customer_name.name_key(t), j - i == 1) for t, i, j in joins(parts) if j - i > 1 or len(t) >= rule.min_length
    ]
    best = None
    for words, i, j in joins(heard):
        if len(words) < rule.min_length:
            continue
        key = customer_name.name_key(words)
        for target, target_key, single in targets:
            score = customer_name._key_similarity(rule, key, target_key, single and j - i == 1)
            if best is None or score > best[0]:
                said = " ".join(heard[:j] if lead else heard[i:j])
                best = (score, f"{lead} {said}".strip(), target, slot[i][1])
    return best  # type: ignore[return-value]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from([*NAME_WORDS, "di", "ya", "x"]), max_size=6),
    st.lists(st.sampled_from([*NAME_WORDS, "H.", "S.Kom", "Ir."]), min_size=1, max_size=4),
    st.sampled_from(["", "bapak", "ibu haji"]),
)
def test_best_match_equals_every_word_against_every_target(heard: list[str], name: list[str], lead: str) -> None:
    rule = RULES.rule("closing.customer_name")
    known = customer_name._name(rule, " ".join(name))
    slot = [(w, k // 2) for k, w in enumerate(heard)]
    found = customer_name._best(rule, slot, known, lead)
    plain = _plain_best(rule, slot, customer_name.name_parts(rule, " ".join(name)), lead)
    if plain is None:
        assert found is None
    else:
        assert found is not None and (found.score, found.words, found.part, found.turn) == plain
    assert customer_name._best(rule, slot, known, lead) == found  # the memo gives it again


def test_a_name_is_worked_out_once_per_rule() -> None:
    rule = RULES.rule("closing.customer_name")
    first = customer_name._name(rule, "drg. Mala Sudiati, S.Ked")
    assert customer_name._name(rule, "drg. Mala Sudiati, S.Ked") is first
    assert first.parts == ["mala", "sudiati"] and first.known and first.phrase == "Bapak/Ibu mala sudiati"
    assert not customer_name._name(rule, "").known
    copy = pickle.loads(pickle.dumps(rule))  # another rule (a worker's copy) builds its own
    assert customer_name._name(copy, "drg. Mala Sudiati, S.Ked") is not first


def test_best_matches_kept_within_one_budget_for_all_names(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = RULES.rule("closing.customer_name")
    monkeypatch.setattr(customer_name, "_BEST_OF_MAX", 5)
    monkeypatch.setattr(customer_name, "_best_of_entries", 0)
    names = [customer_name._name(rule, n) for n in ("Budi Santoso", "Sri Wulandari", "Hendra")]
    for k, word in enumerate(["budi", "wulan", "endra", "santoso", "sri", "budhi", "hendra", "ani"]):
        found = names[k % 3].best_of(rule, word, True)
        assert found == names[k % 3].best_of(rule, word, True)
        assert sum(len(n._best_of) for n in names) <= 5
    assert names[0].best_of(rule, "budhi", True) == (100.0, "budi")


# -- time_greeting: word similarities and fitting greetings memoised per rule -------------------


def _plain_find_greeting(rule: Any, tokens: list[tuple[str, int]]) -> tuple[str, int, float] | None:
    names = [n for n, _ in rule.periods]
    for k, (tok, _) in enumerate(tokens[:-1]):
        if fuzz.ratio(tok, rule.word) < rule.word_threshold:
            continue
        nxt = tokens[k + 1][0]
        score, name = max((fuzz.ratio(nxt, n), n) for n in names)
        if score >= rule.word_threshold:
            return name, k + 1, min(score, fuzz.ratio(tok, rule.word))
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(alphabet="aeilmnst", max_size=8)), max_size=8))
def test_find_greeting_equals_the_plain_scan(words: list[str]) -> None:
    rule = RULES.rule("closing.time_greeting")
    tokens = [(w, k) for k, w in enumerate(words)]
    assert time_greeting.find_greeting(rule, tokens) == _plain_find_greeting(rule, tokens)


def test_fitting_greetings_memoised_per_minute() -> None:
    rule = RULES.rule("closing.time_greeting")
    memo = time_greeting._memo(rule)
    for minute in range(0, 24 * 60, 7):
        assert memo.fitting(minute) == rule.fitting(minute)
    assert time_greeting._memo(rule) is memo
    assert time_greeting._memo(pickle.loads(pickle.dumps(rule))) is not memo


# -- app invitation: the variants said, once per closing -----------------------------------------


def test_said_variants_once_per_text() -> None:
    rule = RULES.rule("closing.app_invitation")
    norms = ["ayo download aplikasi new pln mobile di play store", "atau update aplikasi new pln mobile"]
    text = AgentText([Turn(i, "CSO", n, role="agent") for i, n in enumerate(norms)], norms)
    said = app_invitation.said_variants(rule, text)
    assert said == app_invitation._said_variants(rule, AgentText(text.turns, text.norms))
    assert app_invitation.said_variants(rule, text) is said
    assert app_invitation.said_variants(rule, AgentText([], [])) == {}


# -- the checks' plan per call date ----------------------------------------------------------


@pytest.mark.parametrize("day", [None, date(2019, 1, 1), date(2023, 7, 1), date(2024, 3, 28), date(2099, 12, 31)])
def test_plan_picks_the_rule_in_force_as_the_plain_search_does(day: date | None) -> None:
    plan = _PLANS(RULES)
    steps = plan.on(day)
    assert plan.on(day) is steps
    for check_id, (rule, first, module, scope) in zip(RULES.check_ids, steps, strict=True):
        candidates = [r for r in RULES.checks if r.id == check_id]
        assert first is candidates[0]
        assert rule is next((r for r in candidates if r.in_force(day)), None)
        assert module is REGISTRY[first.type] and scope == module.SCOPE


def test_out_of_scope_results_rendered_once_per_rule_and_basis() -> None:
    plan = _PLANS(RULES)
    rule, transfer = RULES.rule("closing.thanks"), RULES.rule("transfer.destination")
    na = plan.out_of_scope(rule, "manifest: transfer_code 5")
    assert na == rule.result("na", msg("scope.transferred", basis=FactBasis("manifest: transfer_code 5")))
    assert plan.out_of_scope(rule, "manifest: transfer_code 5") is na
    other = plan.out_of_scope(transfer, "transcript: no internet words")
    assert other == transfer.result("na", msg("scope.not_internet", basis=FactBasis("transcript: no internet words")))


# -- parameters and warnings ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(RULES.check_ids), st.sampled_from(["pass", "fail", "na", "other"])))
def test_parameters_equal_the_plain_sums(outcome: dict[str, str]) -> None:
    params = {p.key: all(outcome.get(c) != "fail" for c in p.checks) for p in RULES.parameters}
    total = sum(p.weight for p in RULES.parameters)
    got = sum(p.weight for p in RULES.parameters if params[p.key])
    assert parameters_from_outcomes(outcome, RULES) == (params, round(100.0 * got / total, 1))


def test_no_warnings_give_three_fresh_empty_lists() -> None:
    fields = warning_fields([])
    assert fields == {"warnings": [], "warnings_id": [], "warning_codes": []}
    fields["warnings"].append("x")
    assert warning_fields([])["warnings"] == []


# -- confidence --------------------------------------------------------------------------------


def _plain_check_confidence(check: dict[str, Any], result: dict[str, Any], thresholds: dict[str, float]) -> Any:
    """``_check_confidence`` as first written: each deciding fact looked up for each check."""
    call = _CallDoubts(result)
    confidence, doubts = 1.0, []
    check_id = str(check.get("id"))
    ev = check.get("evidence") if isinstance(check.get("evidence"), dict) else None
    threshold = thresholds.get(check_id)
    if ev and threshold is not None and ev.get("kind") in ("match", "nearest_miss"):
        sim = ev.get("similarity")
        if isinstance(sim, int | float) and abs(sim - threshold) < MARGIN:
            confidence *= NEAR_FLOOR + (1 - NEAR_FLOOR) * abs(sim - threshold) / MARGIN
            doubts.append("near_threshold")
    for fact in DECIDING_FACTS.get(check_id, ()):
        if call.no_internet and fact in ("product", "transferred"):
            continue
        info = call.context.get(fact)
        for code in _doubts(fact, info) if isinstance(info, dict) else ():
            confidence *= _FACTORS[code.split(":", 1)[0]]
            doubts.append(code)
    outcome = check.get("outcome")
    if check_id in ("transfer.announcement", "transfer.destination") and outcome != "na" and call.judged_untransferred:
        confidence *= DECISION
        doubts.append("decision:no_transfer")
    if check_id == "closing.integrity" and outcome == "pass" and not ev:
        confidence *= DECISION
        doubts.append("decision:excused")
    if check_id == "closing.customer_name" and not result.get("customer_name"):
        confidence *= UNKNOWN
        doubts.append("unknown:customer_name")
    if check_id == "closing.time_greeting" and check.get("outcome") != "na":
        if not result.get("call_start"):
            confidence *= UNKNOWN
            doubts.append("unknown:call_start")
        elif ev and ev.get("start") is None:
            confidence *= NO_TURN_TIMES
            doubts.append("no_turn_times")
    if call.has_warnings and check.get("outcome") != "na":
        confidence *= NOISE
        doubts.append("warnings")
    return round(confidence, 2), doubts


def _plain_annotate(result: dict[str, Any], thresholds: dict[str, float]) -> dict[str, Any]:
    confidences = []
    for check in result.get("checks") or []:
        check["confidence"], check["doubts"] = _plain_check_confidence(check, result, thresholds)
        confidences.append(check["confidence"])
    result["review_priority"] = call_priority(confidences)
    return result


BASES = [
    "manifest",
    "transcript: x",
    "inferred: B carries the agent's script (phrases found B: 6, A: 1)",
    "",
    "unknown",
]
FACT = st.one_of(
    st.fixed_dictionaries({"value": st.sampled_from([True, False, None]), "basis": st.sampled_from(BASES)}),
    st.fixed_dictionaries({"value": st.just(True), "basis": st.sampled_from([None, 0, False, ["transcript"]])}),
    st.sampled_from([None, "manifest", ["x"]]),  # not a fact: no doubts from it
)
CHECK = st.fixed_dictionaries(
    {
        "id": st.sampled_from([*DECIDING_FACTS, "other"]),
        "outcome": st.sampled_from(["pass", "fail", "na"]),
        "evidence": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(["match", "nearest_miss", "info"]),
                    "similarity": st.floats(0, 100),
                    "start": st.one_of(st.none(), st.floats(0, 500)),
                }
            ),
        ),
    }
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted({f for fs in DECIDING_FACTS.values() for f in fs})), FACT),
    st.lists(CHECK, max_size=9),
    st.booleans(),
    st.booleans(),
)
def test_annotate_equals_the_fact_by_fact_version(
    context: dict[str, Any], checks: list[dict[str, Any]], named: bool, warned: bool
) -> None:
    result = {
        "customer_name": "Budi" if named else None,
        "call_start": "2024-03-28T10:00:00+07:00" if named else None,
        "warnings": ["w"] if warned else [],
        "context": context,
        "checks": checks,
    }
    thresholds = rule_thresholds(RULES)
    plain = _plain_annotate(json.loads(json.dumps(result)), thresholds)
    assert annotate(json.loads(json.dumps(result)), thresholds) == plain


def test_calls_with_the_same_bases_share_doubts_only_when_alike() -> None:
    thresholds = rule_thresholds(RULES)
    answers = []
    for internet in (False, True, False):
        context = {
            "internet_complaint": {"value": internet, "basis": "manifest"},
            "product": {"value": None, "basis": "unknown: no product"},
            "transferred": {"value": False, "basis": "transcript: no transfer announced"},
        }
        result = {"context": context, "checks": [{"id": "transfer.destination", "outcome": "na", "evidence": None}]}
        plain = _plain_annotate(json.loads(json.dumps(result)), thresholds)
        answers.append(annotate(result, thresholds)["checks"][0]["doubts"])
        assert answers[-1] == plain["checks"][0]["doubts"]
    assert answers == [[], ["unknown:product", "inferred:transferred"], []]


# -- the JSON Lines line -------------------------------------------------------------------


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=20,
)


def _tiny_floats(value: Any) -> bool:
    """Whether ``value`` holds a float below 0.0001 in magnitude (other than 0), which orjson writes in
    another notation than the standard encoder (0.000025 for 2.5e-05, 4.6e-9 for 4.6e-09)."""
    if isinstance(value, float):
        return 0 < abs(value) < 1e-4
    if isinstance(value, dict):
        return any(_tiny_floats(v) for v in value.values())
    if isinstance(value, list):
        return any(_tiny_floats(v) for v in value)
    return False


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=6))
@example({"a": 2.5e-05, "b": [4.60423836485402e-09, 1e16, -0.0, 2**70], "c": {"d": 1e-4}})
@example({"a": "x\ud800", "b": 1.5})
def test_line_equals_the_standard_encoding(value: dict[str, Any]) -> None:
    line, written = encode_line(value)
    try:
        expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        expected.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the line is cleaned
        assert "\ufffd" in line and written is not value
        return
    assert json.loads(line) == json.loads(expected) and written is value  # the same numbers
    if not _tiny_floats(value):
        assert line == expected + "\n"
    assert encode_line(value, utf8=True)[0] == line.encode()


def test_nan_and_infinity_are_written_as_null() -> None:
    value = {"a": float("nan"), "b": [float("inf"), -float("inf")], "c": 1.5}
    line, written = encode_line(value)
    assert line == '{"a":null,"b":[null,null],"c":1.5}\n' and written is value


def test_a_batch_scores_alike_twice_in_one_process() -> None:
    """The memos carry nothing from one call to the next but what the plain code would work out again."""
    folder = ROOT / "sample_transcripts"
    first = [encode_line(r)[0] for r in score_batch(open_batch([folder]), RULES)]
    again = [encode_line(r)[0] for r in score_batch(open_batch([folder]), RULES)]
    fresh = [encode_line(r)[0] for r in score_batch(open_batch([folder]), load_rules())]
    assert again == first == fresh
