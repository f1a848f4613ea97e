"""Score one call: every check in force, the parameters and the weighted score."""

from __future__ import annotations

from typing import Any

from qa_scoring.analysis import CallView, analyse
from qa_scoring.checks import REGISTRY
from qa_scoring.messages import FactBasis, Reason, msg
from qa_scoring.model import SCHEMA_VERSION, CallMeta, CheckResult, Transcript
from qa_scoring.rules.ruleset import RuleSet


def evaluate_checks(view: CallView, rules: RuleSet) -> list[CheckResult]:
    """Every check of the rules file, in file order, for one analysed call."""
    day = view.call_date
    transferred = view.facts["transferred"]
    internet = view.facts["internet_complaint"]
    results = []
    for check_id in rules.check_ids:
        rule = rules.in_force(check_id, day)
        if rule is None:
            first = rules.rule(check_id)
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


def parameters(results: list[CheckResult], rules: RuleSet) -> tuple[dict[str, bool], float]:
    """Each parameter's compliance and the weighted score 0-100."""
    outcome = {r.id: r.outcome for r in results}
    params = {p.key: all(outcome.get(c) != "fail" for c in p.checks) for p in rules.parameters}
    total = sum(p.weight for p in rules.parameters)
    got = sum(p.weight for p in rules.parameters if params[p.key])
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


def score_call(transcript: Transcript, meta: CallMeta, rules: RuleSet, warnings: list[str]) -> dict[str, Any]:
    """The JSON Lines result of one call (roles already resolved)."""
    view = analyse(transcript, meta, rules)
    results = evaluate_checks(view, rules)
    params, score = parameters(results, rules)
    context = {name: fact.to_dict() for name, fact in view.facts.items()}
    speakers = {t.speaker: t.role for t in transcript.turns}
    context["roles"] = {"value": speakers, "basis": transcript.role_basis}
    return {
        "schema_version": SCHEMA_VERSION,
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
        "warnings": [*transcript.warnings, *warnings],
    }


def error_result(call_id: str | None, source: str, message: str, message_id: str | None = None) -> dict[str, Any]:
    """The JSON Lines line of a call or file that could not be scored (``error_id``: the reason in Indonesian)."""
    result = {
        "schema_version": SCHEMA_VERSION,
        "call_id": call_id,
        "source": source,
        "status": "error",
        "error": message,
    }
    if message_id is not None:
        result["error_id"] = message_id
    return result


def reason_error(call_id: str | None, source: str, reason: Reason) -> dict[str, Any]:
    """An error line from a catalog reason: ``error`` in English, ``error_id`` in Indonesian, both naming the file."""
    return error_result(call_id, source, f"{source}: {reason.text('en')}", f"{source}: {reason.text('id')}")
