"""How sure the machine is of each verdict, and which calls an auditor should hear first.

A check's confidence (0-1) starts at 1 and is multiplied by one factor per doubt the tool can
see in its own result (see ``docs/review.md``):

- ``near_threshold``: the deciding similarity lies within ``MARGIN`` points of the rule's
  threshold (a match just above it, or a nearest miss just below it);
- ``inferred:<fact>`` / ``unknown:<fact>``: a fact the verdict hangs on (KLB, PLN Mobile
  call, app ownership, product, internet complaint, transfer, closing window, call time)
  was inferred from the transcript's words rather than given by the manifest, or is unknown;
- ``no_turn_times``: the time greeting was judged on the call start, the turns having no times;
- ``noise``: the recogniser's noise is visible: roles inferred from the words (no speaker
  labels) with the agent's script heard from more than one speaker, or reader warnings;
- ``decision:<topic>``: the verdict rests on a project decision where the SOP is silent
  (``docs/decisions.md``): a transfer check judged on an internet complaint that was never
  transferred, or an integrity line excused on a KLB or PLN Mobile call.

A call's review priority is ``1 - min(confidence)`` plus a little for every further doubtful
check, so the calls with the weakest verdicts come first. Works on result dicts (the JSON
Lines objects), so stored and exported results can be ranked too.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from qa_scoring.rules.ruleset import RuleSet

MARGIN = 12.0  # similarity points from the threshold within which a verdict is doubtful
NEAR_FLOOR = 0.5  # confidence factor of a similarity exactly at the threshold
INFERRED = 0.85  # factor per deciding fact inferred from the transcript
UNKNOWN = 0.9  # factor per deciding fact unknown (the rule's default applied)
NO_TURN_TIMES = 0.8
NOISE = 0.9
DECISION = 0.8  # factor when the verdict rests on a project decision where the SOP is silent
_PHRASE_COUNTS = re.compile(r"phrases found (.*)\)")
DOUBTFUL = 0.9  # a check below this confidence counts as doubtful for the call's priority

# The facts each check's verdict hangs on (``context`` keys of a result).
_CLOSING = ("transferred", "closing_window", "roles")
_TRANSFER = ("internet_complaint", "product", "transferred", "roles")
DECIDING_FACTS: dict[str, tuple[str, ...]] = {
    "closing.integrity": (*_CLOSING, "klb", "pln_mobile_call"),
    "closing.app_invitation": (*_CLOSING, "klb", "pln_mobile_call", "has_app"),
    "closing.thanks": _CLOSING,
    "closing.time_greeting": _CLOSING,
    "closing.customer_name": _CLOSING,
    "closing.order": _CLOSING,
    "transfer.ask_product": _TRANSFER,
    "transfer.destination": _TRANSFER,
    "transfer.announcement": _TRANSFER,
}


_THRESHOLDS: dict[int, tuple[RuleSet, dict[str, float]]] = {}


def rule_thresholds(rules: RuleSet) -> dict[str, float]:
    """Each check's similarity threshold (the rule's own, else the file's default); worked out once per rule set."""
    cached = _THRESHOLDS.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    if len(_THRESHOLDS) > 8:
        _THRESHOLDS.clear()
    out: dict[str, float] = {}
    for check_id in rules.check_ids:
        rule = rules.rule(check_id)
        value = None
        for attr in ("phrase", "whole"):
            spec = getattr(rule, attr, None)
            value = value if value is not None else getattr(spec, "threshold", None)
        for attr in ("threshold", "word_threshold"):
            value = value if value is not None else getattr(rule, attr, None)
        variants = getattr(rule, "variants", None)
        if value is None and variants:
            value = next(iter(variants.values())).threshold
        out[check_id] = float(value if isinstance(value, int | float) else rules.threshold)
    _THRESHOLDS[id(rules)] = (rules, out)
    return out


def fact_kind(basis: object) -> str:
    """``inferred`` (read from the transcript's words, or a closing found without an offer of
    further help), ``unknown`` (nobody said: the rule's default applied), else ``given``
    (the manifest, speaker labels, or nothing in the call pointing that way)."""
    text = str(basis or "").strip().lower()
    if text.startswith(("transcript", "inferred", "no offer of further help")):
        return "inferred"
    if text.startswith("unknown") or not text:
        return "unknown"
    return "given"


def check_confidence(
    check: Mapping[str, Any], result: Mapping[str, Any], thresholds: Mapping[str, float]
) -> tuple[float, list[str]]:
    """A check's confidence (0-1, two decimals) and the doubts behind it (codes, see the module)."""
    return _check_confidence(check, _CallDoubts(result), thresholds)


class _CallDoubts:
    """What every check of one result consults: its context facts, read once per call."""

    def __init__(self, result: Mapping[str, Any]) -> None:
        self.result = result
        context = result.get("context") if isinstance(result.get("context"), dict) else {}
        self.context = context
        internet = context.get("internet_complaint") if isinstance(context.get("internet_complaint"), dict) else {}
        self.no_internet = internet.get("value") is False and fact_kind(internet.get("basis")) == "given"
        transferred = context.get("transferred") if isinstance(context.get("transferred"), dict) else {}
        self.judged_untransferred = internet.get("value") is True and transferred.get("value") is False
        self.has_warnings = bool(result.get("warnings"))
        self._deciding = _deciding_memo(context, self.no_internet)

    def deciding(self, facts: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
        """(doubt code, confidence factor) of each deciding fact in ``facts``, in order; worked out
        once for each list of facts and each set of fact bases (calls share them, see ``_deciding_memo``)."""
        found = self._deciding.get(facts)
        if found is None:
            pairs: list[tuple[str, float]] = []
            for fact in facts:
                if self.no_internet and fact in ("product", "transferred"):
                    continue  # a transfer check of a call that is plainly no internet complaint
                info = self.context.get(fact)
                if isinstance(info, dict):
                    pairs.extend(_fact_pairs(fact, info))
            found = self._deciding[facts] = tuple(pairs)
        return found


_NOT_A_FACT = object()  # a context entry that is not a {value, basis} dict
_DECIDING: dict[tuple[Any, ...], dict[tuple[str, ...], tuple[tuple[str, float], ...]]] = {}
_DECIDING_MAX = 1024


def _deciding_memo(context: Mapping[str, Any], no_internet: bool) -> dict[tuple[str, ...], Any]:
    """Where ``_CallDoubts.deciding`` keeps its answers: one dict for all the calls whose context
    facts have the same bases (the doubts depend on nothing else), else one for this call alone."""
    signature = (
        no_internet,
        *[
            (name, type(basis), basis)
            for name, info in context.items()
            for basis in (info.get("basis") if isinstance(info, dict) else _NOT_A_FACT,)
        ],
    )
    try:
        memo = _DECIDING.get(signature)
    except TypeError:  # a basis that cannot be a key (a stored result's list, say)
        return {}
    if memo is None:
        if len(_DECIDING) >= _DECIDING_MAX:
            _DECIDING.clear()
        memo = _DECIDING[signature] = {}
    return memo


def _doubts(fact: str, info: Mapping[str, Any]) -> tuple[str, ...]:
    """The doubt codes of a fact of the context."""
    kind = fact_kind(info.get("basis"))
    if fact == "roles":
        return ("noise",) if kind != "given" and _roles_ambiguous(str(info.get("basis"))) else ()
    if kind == "inferred":
        return (f"inferred:{fact}",)
    if kind == "unknown":
        return (f"unknown:{fact}",)
    return ()


# (doubt code, factor) pairs by fact and basis: the bases are a few sentences, repeated call after call
_PAIRS: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {}
_PAIRS_MAX = 4096


def _fact_pairs(fact: str, info: Mapping[str, Any]) -> tuple[tuple[str, float], ...]:
    """(code, factor) for each doubt code of a fact of the context (``_doubts``)."""
    basis = info.get("basis")
    key = (fact, basis) if type(basis) is str else None
    found = _PAIRS.get(key) if key is not None else None
    if found is None:
        found = tuple((code, _FACTORS[code.split(":", 1)[0]]) for code in _doubts(fact, info))
        if key is not None:
            if len(_PAIRS) >= _PAIRS_MAX:
                _PAIRS.clear()
            _PAIRS[key] = found
    return found


_TRANSFER_JUDGED = ("transfer.announcement", "transfer.destination")
_SPECIAL = frozenset((*_TRANSFER_JUDGED, "closing.integrity", "closing.customer_name", "closing.time_greeting"))
_FACTORS = {"noise": NOISE, "inferred": INFERRED, "unknown": UNKNOWN}


def _check_confidence(
    check: Mapping[str, Any], call: _CallDoubts, thresholds: Mapping[str, float]
) -> tuple[float, list[str]]:
    """The body of ``check_confidence``, with the call's facts read once."""
    confidence, doubts = 1.0, []
    check_id = str(check.get("id"))
    result = call.result
    ev = check.get("evidence")
    if not isinstance(ev, dict):
        ev = None
    elif ev and ev.get("kind") in ("match", "nearest_miss"):
        threshold = thresholds.get(check_id)
        sim = ev.get("similarity")
        if threshold is not None and isinstance(sim, int | float) and abs(sim - threshold) < MARGIN:
            confidence *= NEAR_FLOOR + (1 - NEAR_FLOOR) * abs(sim - threshold) / MARGIN
            doubts.append("near_threshold")
    facts = DECIDING_FACTS.get(check_id)
    if facts:
        for code, factor in call.deciding(facts):
            confidence *= factor
            doubts.append(code)
    outcome = check.get("outcome")
    special = check_id in _SPECIAL
    if special and check_id in _TRANSFER_JUDGED and outcome != "na" and call.judged_untransferred:
        confidence *= DECISION
        doubts.append("decision:no_transfer")
    if special and check_id == "closing.integrity" and outcome == "pass" and not ev:
        confidence *= DECISION
        doubts.append("decision:excused")
    if special and check_id == "closing.customer_name" and not result.get("customer_name"):
        confidence *= UNKNOWN
        doubts.append("unknown:customer_name")
    if special and check_id == "closing.time_greeting" and outcome != "na":
        if not result.get("call_start"):
            confidence *= UNKNOWN
            doubts.append("unknown:call_start")
        elif ev and ev.get("start") is None:
            confidence *= NO_TURN_TIMES
            doubts.append("no_turn_times")
    if call.has_warnings and outcome != "na":
        confidence *= NOISE
        doubts.append("warnings")
    return round(confidence, 2), doubts


def _roles_ambiguous(basis: str) -> bool:
    """Whether inferred roles are in doubt: the agent's script heard from a second speaker too.

    The basis reads ``inferred: B carries the agent's script (phrases found B: 6, A: 0)``;
    a basis without counts is taken as doubtful.
    """
    found = _PHRASE_COUNTS.search(basis)
    if not found:
        return True
    counts = sorted((int(n) for n in re.findall(r":\s*(\d+)", found.group(1))), reverse=True)
    return len(counts) < 2 or counts[1] > 0


def call_priority(confidences: Sequence[float]) -> float:
    """A call's review priority (0-1, higher first): its weakest verdict, plus its other doubtful ones."""
    if not confidences:
        return 0.0
    ordered = sorted(confidences)
    extra = sum(0.05 * (1 - c) for c in ordered[1:] if c < DOUBTFUL)
    return round(min(1.0, 1 - ordered[0] + extra), 3)


_NEAR_KINDS = ("match", "nearest_miss")
_BASIS = attrgetter("basis")

# What the calls whose facts have the same bases share (``annotate_scored``): their doubts per list
# of deciding facts (codes, factors, their product from 1.0, as the plain loop multiplies), and per
# (named, started, warned, judged untransferred): the rule set's thresholds and each verdict's
# (confidence, doubts) by check id, outcome and evidence
_Pairs = tuple[tuple[str, ...], tuple[float, ...], float]
_Verdicts = dict[tuple[Any, ...], tuple[float, tuple[str, ...]]]
_SCORED: dict[
    tuple[Any, ...],
    tuple[dict[tuple[str, ...], _Pairs], dict[tuple[bool, ...], tuple[Mapping[str, float], _Verdicts]]],
] = {}
_SCORED_MAX = 1024


def annotate_scored(
    checks: list[dict[str, Any]],
    facts: Mapping[str, Any],
    role_basis: object,
    named: bool,
    started: bool,
    warned: bool,
    thresholds: Mapping[str, float],
) -> float:
    """``annotate`` for a call being scored, read from what the result is made of rather than
    from the result: ``facts`` (the call's ``Fact`` objects, the context without ``roles``),
    ``role_basis`` (the basis of ``roles``), whether the result names a customer and a call
    start and carries warnings. Adds ``confidence`` and ``doubts`` to each check dict (as
    ``CheckResult.to_dict`` makes them) and returns the review priority; the same values as
    ``annotate`` on the finished result."""
    internet = facts.get("internet_complaint")
    value = None if internet is None else internet.value
    no_internet = value is False and fact_kind(internet.basis) == "given"
    transferred = facts.get("transferred")
    untransferred = value is True and transferred is not None and transferred.value is False
    bases = tuple(map(_BASIS, facts.values()))
    signature = (no_internet, tuple(facts), bases, tuple(map(type, bases)), role_basis, type(role_basis))
    try:
        found = _SCORED.get(signature)
    except TypeError:  # a basis that cannot be a key
        found, signature = None, None
    if found is None:
        found = ({}, {})
        if signature is not None:
            if len(_SCORED) >= _SCORED_MAX:
                _SCORED.clear()
            _SCORED[signature] = found
    memo, by_flags = found
    # the checks' verdicts repeat from call to call: each one's confidence and doubts, once per
    # kind of call (its facts' bases above, these flags) and per rule set's thresholds
    flags = (named, started, warned, untransferred)
    kept = by_flags.get(flags)
    if kept is None or kept[0] is not thresholds:
        kept = by_flags[flags] = (thresholds, {})
    verdicts = kept[1]
    global _verdicts
    confidences = []
    for check in checks:
        ev = check["evidence"]
        if ev is None:
            key: tuple[Any, ...] = (check["id"], check["outcome"])
        else:
            key = (check["id"], check["outcome"], ev["kind"], ev["similarity"], ev["start"] is None)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = _scored_check(
                check, memo, facts, role_basis, no_internet, untransferred, named, started, warned, thresholds
            )
            if _verdicts >= _VERDICTS_MAX:  # one budget for all kinds of call: memory stays flat
                for _, others in _SCORED.values():
                    for _, known in others.values():
                        known.clear()
                verdicts.clear()
                _verdicts = 0
            verdicts[key] = verdict
            _verdicts += 1
        check["confidence"] = confidence = verdict[0]
        check["doubts"] = list(verdict[1])
        confidences.append(confidence)
    ranked = tuple(confidences)
    priority = _PRIORITIES.get(ranked)
    if priority is None:
        if len(_PRIORITIES) >= 4096:
            _PRIORITIES.clear()
        priority = _PRIORITIES[ranked] = call_priority(confidences)
    return priority


_PRIORITIES: dict[tuple[float, ...], float] = {}  # call_priority by the checks' confidences
_VERDICTS_MAX = 65536
_verdicts = 0  # verdicts kept in the memos of _SCORED, all together


def _scored_check(
    check: dict[str, Any],
    memo: dict[tuple[str, ...], _Pairs],
    facts: Mapping[str, Any],
    role_basis: object,
    no_internet: bool,
    untransferred: bool,
    named: bool,
    started: bool,
    warned: bool,
    thresholds: Mapping[str, float],
) -> tuple[float, tuple[str, ...]]:
    """The confidence and doubts of one check of a call being scored (``annotate_scored``)."""
    check_id = check["id"]
    outcome = check["outcome"]
    ev = check["evidence"]
    confidence = 1.0
    near = False
    if ev and ev["kind"] in _NEAR_KINDS:
        threshold = thresholds.get(check_id)
        sim = ev["similarity"]
        if threshold is not None and isinstance(sim, int | float) and abs(sim - threshold) < MARGIN:
            confidence = NEAR_FLOOR + (1 - NEAR_FLOOR) * abs(sim - threshold) / MARGIN
            near = True
    deciding = DECIDING_FACTS.get(check_id)
    if deciding:
        found = memo.get(deciding)
        if found is None:
            found = memo[deciding] = _scored_pairs(deciding, facts, role_basis, no_internet)
        codes, factors, product = found
        if near:
            doubts = ["near_threshold", *codes]
            for factor in factors:
                confidence *= factor
        else:
            doubts = list(codes)
            confidence = product
    else:
        doubts = ["near_threshold"] if near else []
    if check_id in _SPECIAL:
        if check_id in _TRANSFER_JUDGED:
            if outcome != "na" and untransferred:
                confidence *= DECISION
                doubts.append("decision:no_transfer")
        elif check_id == "closing.integrity":
            if outcome == "pass" and not ev:
                confidence *= DECISION
                doubts.append("decision:excused")
        elif check_id == "closing.customer_name":
            if not named:
                confidence *= UNKNOWN
                doubts.append("unknown:customer_name")
        elif outcome != "na":  # closing.time_greeting
            if not started:
                confidence *= UNKNOWN
                doubts.append("unknown:call_start")
            elif ev and ev.get("start") is None:
                confidence *= NO_TURN_TIMES
                doubts.append("no_turn_times")
    if warned and outcome != "na":
        confidence *= NOISE
        doubts.append("warnings")
    return round(confidence, 2), tuple(doubts)


def _scored_pairs(
    deciding: tuple[str, ...], facts: Mapping[str, Any], role_basis: object, no_internet: bool
) -> tuple[tuple[str, ...], tuple[float, ...], float]:
    """(codes, factors, their product from 1.0) of a scored call's deciding facts, as ``deciding`` finds them."""
    pairs: list[tuple[str, float]] = []
    for fact in deciding:
        if no_internet and fact in ("product", "transferred"):
            continue
        if fact == "roles":
            basis = role_basis
        elif fact in facts:
            basis = facts[fact].basis
        else:
            continue
        pairs.extend(_fact_pairs(fact, {"basis": basis}))
    product = 1.0
    for _, factor in pairs:
        product *= factor
    return tuple([c for c, _ in pairs]), tuple([f for _, f in pairs]), product


def annotate(result: dict[str, Any], thresholds: Mapping[str, float]) -> dict[str, Any]:
    """Add ``confidence`` and ``doubts`` to each check and ``review_priority`` to a scored result."""
    confidences = []
    call = _CallDoubts(result)
    for check in result.get("checks") or []:
        confidence, doubts = _check_confidence(check, call, thresholds)
        check["confidence"] = confidence
        check["doubts"] = doubts
        confidences.append(confidence)
    result["review_priority"] = call_priority(confidences)
    return result


def review_sample(call_ids: Iterable[str], size: int, seed: int) -> list[str]:
    """``size`` call ids drawn at random, reproducibly: the same ids and seed give the same sample."""
    sampler = ReviewSampler(size, seed)
    for call_id in call_ids:
        sampler.add(call_id)
    return sampler.sample()


class ReviewSampler:
    """A uniform random sample of ``size`` distinct call ids, drawn while they stream past.

    Each id gets a key from a keyed hash (BLAKE2b with the seed); the ``size`` ids with the
    smallest keys are the sample (bottom-k sampling). Only ``size`` ids are ever held, the
    order the ids arrive in does not matter, and the same ids and seed give the same sample.
    """

    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self._key = seed.to_bytes(16, "big", signed=True)
        self._heap: list[tuple[int, str]] = []  # (-key, id): the largest key kept is on top
        self._held: set[str] = set()

    def add(self, call_id: str) -> None:
        """Offer one call id."""
        if self.size <= 0 or call_id in self._held:
            return
        digest = hashlib.blake2b(call_id.encode("utf-8", "surrogatepass"), digest_size=8, key=self._key).digest()
        key = int.from_bytes(digest, "big")
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, (-key, call_id))
            self._held.add(call_id)
        elif key < -self._heap[0][0]:
            _, dropped = heapq.heapreplace(self._heap, (-key, call_id))
            self._held.discard(dropped)
            self._held.add(call_id)

    def sample(self) -> list[str]:
        """The sample, sorted."""
        return sorted(self._held)
