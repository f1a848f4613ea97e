"""Score one call: every check in force, the parameters and the weighted score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from operator import attrgetter
from types import ModuleType
from typing import Any

from qa_scoring.analysis import CallView, analyse
from qa_scoring.checks import REGISTRY
from qa_scoring.checks.base import result_dict
from qa_scoring.confidence import annotate, annotate_scored, rule_thresholds
from qa_scoring.matching import PerRuleSet
from qa_scoring.messages import FactBasis, Reason, msg, notice_code, notice_text
from qa_scoring.model import SCHEMA_VERSION, CallMeta, CheckResult, Transcript
from qa_scoring.rules.ruleset import RuleSet


class _Plan:
    """Every check id once, in file order, with its rules in file order (the first in force
    applies), worked out once per rule set; the rules in force, once per call date."""

    def __init__(self, rules: RuleSet) -> None:
        self.checks = tuple(tuple(r for r in rules.checks if r.id == check_id) for check_id in rules.check_ids)
        self._days: dict[date | None, tuple[tuple[Any, Any, ModuleType, str], ...]] = {}
        self._na: dict[tuple[int, str], CheckResult] = {}
        self._steps: dict[tuple[Any, ...], tuple[tuple[CheckResult | None, Any, ModuleType | None], ...]] = {}

    def on(self, day: date | None) -> tuple[tuple[Any, Any, ModuleType, str], ...]:
        """(rule in force or None, the check's first rule, its rule type's module, its scope) per check on ``day``."""
        found = self._days.get(day)
        if found is None:
            steps = []
            for candidates in self.checks:
                rule = next((r for r in candidates if r.in_force(day)), None)
                module = REGISTRY[(rule or candidates[0]).type]
                steps.append((rule, candidates[0], module, module.SCOPE))
            found = tuple(steps)
            if len(self._days) >= 4096:
                self._days.clear()
            self._days[day] = found
        return found

    def steps(
        self, day: date | None, closing_out: bool, closing_basis: Any, transfer_out: bool, transfer_basis: Any
    ) -> tuple[tuple[CheckResult | None, Any, ModuleType | None], ...]:
        """(its result, else the rule in force and its module to evaluate) per check, for calls on
        ``day`` out of the closing's scope (``closing_out``, on ``closing_basis``) or not and out
        of the transfer's scope or not: worked out once for all such calls."""
        key = (day, closing_out, closing_basis, transfer_out, transfer_basis)
        found = self._steps.get(key)
        if found is None:
            steps: list[tuple[CheckResult | None, Any, ModuleType | None]] = []
            for rule, first, module, scope in self.on(day):
                if rule is None:
                    steps.append(
                        (first.result("na", msg("scope.not_in_force", sop=first.sop.label, day=day)), None, None)
                    )
                elif scope == "closing" and closing_out:
                    steps.append((self.out_of_scope(rule, closing_basis), None, None))
                elif scope == "transfer" and transfer_out:
                    steps.append((self.out_of_scope(rule, transfer_basis), None, None))
                else:
                    steps.append((None, rule, module))
            if len(self._steps) >= 4096:
                self._steps.clear()
            found = self._steps[key] = tuple(steps)
        return found

    def out_of_scope(self, rule: Any, basis: str) -> CheckResult:
        """The ``na`` of a rule whose scope (closing or transfer) the call is out of, for the
        fact's ``basis``: rendered once per rule and basis (the plan holds its rules, so their
        identities stay theirs)."""
        key = (id(rule), basis)
        found = self._na.get(key)
        if found is None:
            closing = REGISTRY[rule.type].SCOPE == "closing"
            why = (
                msg("scope.transferred", basis=FactBasis(basis))
                if closing
                else msg("scope.not_internet", basis=FactBasis(basis))
            )
            found = rule.result("na", why)
            if len(self._na) >= 4096:
                self._na.clear()
            self._na[key] = found
        return found


_PLANS = PerRuleSet(_Plan)


def evaluate_checks(view: CallView, rules: RuleSet) -> list[CheckResult]:
    """Every check of the rules file, in file order, for one analysed call."""
    facts = view.facts
    transferred = facts["transferred"]
    internet = facts["internet_complaint"]
    closing_out = bool(transferred.value)
    transfer_out = not internet.value
    steps = _PLANS(rules).steps(
        view.call_date,
        closing_out,
        transferred.basis if closing_out else None,
        transfer_out,
        internet.basis if transfer_out else None,
    )
    return [module.evaluate(rule, view) if fixed is None else fixed for fixed, rule, module in steps]  # type: ignore[union-attr]


def parameters(results: list[CheckResult], rules: RuleSet) -> tuple[dict[str, bool], float]:
    """Each parameter's compliance and the weighted score 0-100."""
    return parameters_from_outcomes({r.id: r.outcome for r in results}, rules)


def parameters_from_outcomes(outcome: Mapping[str, str], rules: RuleSet) -> tuple[dict[str, bool], float]:
    """Each parameter's compliance and the weighted score 0-100 from outcomes by check id
    (the machine's, or the final ones with the auditor's overrides)."""
    params = {}
    for p in rules.parameters:
        compliant = True
        for c in p.checks:
            if outcome.get(c) == "fail":
                compliant = False
                break
        params[p.key] = compliant
    total = sum(p.weight for p in rules.parameters)
    got = sum([p.weight for p in rules.parameters if params[p.key]])
    return params, round(100.0 * got / total, 1)


def meta_fields(meta: CallMeta) -> dict[str, Any]:
    """The call's identity fields as output."""
    return {
        "agent_id": meta.agent_id,
        "agent_name": meta.agent_name,
        "team": meta.team,
        "call_start": meta.call_start.isoformat() if meta.call_start else None,
        "customer_name": meta.customer_name,
    }


def local_start(meta: CallMeta, rules: RuleSet) -> CallMeta:
    """The call with ``call_start`` on the customer's local clock, from the manifest's ``region``.

    A start written without an offset is the wall time of the region's zone (WIB, WITA, WIT;
    ``context.time_zones``); one with an offset is the same moment shown in that zone. With no
    region, or one the rules do not place, the start is kept (no offset means WIB).
    """
    zone = rules.context.time_zone(meta.region)
    start = meta.call_start
    if zone is None or start is None:
        return meta
    moved = start.replace(tzinfo=zone.tz) if meta.call_start_assumed else start.astimezone(zone.tz)
    return replace(meta, call_start=moved)


class _Output:
    """What a result's line needs from the rule set, worked out once per rule set: the checks'
    thresholds, and the parameters and score of each set of failed checks met so far."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.thresholds = rule_thresholds(rules)
        self._scores: dict[tuple[str, ...], tuple[tuple[tuple[str, bool], ...], float]] = {}

    def parameters(self, failed: list[str]) -> tuple[dict[str, bool], float]:
        """``parameters_from_outcomes`` of a call whose failed checks are ``failed`` (a new dict each time)."""
        key = tuple(failed)
        found = self._scores.get(key)
        if found is None:
            params, score = parameters_from_outcomes(dict.fromkeys(failed, "fail"), self.rules)
            if len(self._scores) >= 4096:
                self._scores.clear()
            found = self._scores[key] = (tuple(params.items()), score)
        return dict(found[0]), found[1]


_OUTPUTS = PerRuleSet(_Output)
_SPEAKER = attrgetter("speaker")
_ROLE = attrgetter("role")


def score_call(transcript: Transcript, meta: CallMeta, rules: RuleSet, warnings: list[str]) -> dict[str, Any]:
    """The JSON Lines result of one call (roles already resolved)."""
    meta = local_start(meta, rules)
    view = analyse(transcript, meta, rules)
    results = evaluate_checks(view, rules)
    output = _OUTPUTS(rules)
    failed = [r.id for r in results if r.outcome == "fail"]
    params, score = output.parameters(failed)
    facts = view.facts
    context: dict[str, Any] = {name: {"value": fact.value, "basis": fact.basis} for name, fact in facts.items()}
    turns = transcript.turns
    # {t.speaker: t.role for t in turns}: first speakers first, each with its last turn's role
    context["roles"] = {
        "value": dict(zip(map(_SPEAKER, turns), map(_ROLE, turns), strict=True)),
        "basis": transcript.role_basis,
    }
    checks = [result_dict(r) for r in results]
    every_warning = [*transcript.warnings, *warnings]
    start = meta.call_start
    result = {
        "schema_version": SCHEMA_VERSION,
        "call_id": meta.call_id or transcript.call_id,
        "source": transcript.source,
        "status": "scored",
        "format": transcript.format,
        "agent_id": meta.agent_id,  # meta_fields(meta), in one dict
        "agent_name": meta.agent_name,
        "team": meta.team,
        "call_start": start.isoformat() if start else None,
        "customer_name": meta.customer_name,
        "rules_version": rules.version,
        "score": score,
        "parameters": params,
        "failed_checks": failed,
        "context": context,
        "checks": checks,
    }
    if every_warning:
        result.update(warning_fields(every_warning))
    else:
        result["warnings"], result["warnings_id"], result["warning_codes"] = [], [], []
    if "roles" in facts:  # the context's roles stand for that fact: read the result as it is
        return annotate(result, output.thresholds)
    named, started = bool(result["customer_name"]), bool(result["call_start"])
    result["review_priority"] = annotate_scored(
        checks, facts, transcript.role_basis, named, started, bool(every_warning), output.thresholds
    )
    return result


def warning_fields(warnings: list[str]) -> dict[str, list[str]]:
    """``warnings`` (English), ``warnings_id`` (Indonesian) and ``warning_codes`` (catalog keys)."""
    if not warnings:
        return {"warnings": [], "warnings_id": [], "warning_codes": []}
    return {
        "warnings": [str(w) for w in warnings],
        "warnings_id": [notice_text(w, "id") for w in warnings],
        "warning_codes": [notice_code(w) for w in warnings],
    }


def error_result(call_id: str | None, source: str, message: str, message_id: str | None = None) -> dict[str, Any]:
    """The JSON Lines line of a call or file that could not be scored (``error_id``: the reason in Indonesian)."""
    result = {
        "schema_version": SCHEMA_VERSION,
        "call_id": call_id,
        "source": source,
        "status": "error",
        "error": str(message),
        "error_id": notice_text(message, "id"),
        "error_code": notice_code(message),
    }
    if message_id is not None:
        result["error_id"] = message_id
    return result


def reason_error(call_id: str | None, source: str, reason: Reason) -> dict[str, Any]:
    """An error line from a catalog reason: ``error`` in English, ``error_id`` in Indonesian, both naming the file."""
    return error_result(call_id, source, f"{source}: {reason.text('en')}", f"{source}: {reason.text('id')}")
