"""Rule type ``routing_destination``: the customer is routed where the product says.

No options: destinations, numbers and Direct Transfer keys come from the rules file's
``transfer.destinations``.

Every destination the agent names (number or contact center) and the manifest's
``transfer_code`` must be the product's. ``na`` when the product is unknown; ``fail``
when it is known and the agent never routes the customer.

PASS: customer says "elektrinet", agent transfers to Contact Center PLN ICONPLUS 1500071.
FAIL: the same customer sent to PLN ICONNET 150678, or key 3.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.messages import Join, Reason, msg
from qa_scoring.model import CheckResult, Evidence
from qa_scoring.rules.ruleset import TransferConfig
from qa_scoring.rules.section import Section

TYPE = "routing_destination"
SCOPE = "transfer"


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled routing_destination rule."""

    transfer: TransferConfig


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    return Rule(**ctx.head(sec), transfer=ctx.transfer)


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when every routing signal agrees with the product."""
    product = view.fact("product")
    if product is None:
        return rule.result("na", msg("routing_destination.product_unknown"))
    expected = rule.transfer.by_product(str(product))
    if expected is None:
        return rule.result("na", msg("routing_destination.not_configured", product=product))
    evidence = []
    wrong: list[Reason] = []
    for route in view.routes:
        when = view.clock(route.turn)
        ok = route.destination == expected
        evidence.append(
            Evidence(
                kind="match" if ok else "forbidden_match",
                phrase=expected.label,
                similarity=100.0,
                text=route.turn.text,
                turn=route.turn.index,
                start=route.turn.start,
                time=when.strftime("%H:%M:%S") if when else None,
            )
        )
        if not ok:
            label, turn = route.destination.label, route.turn.index
            wrong.append(msg("routing_destination.route", destination=label, turn=turn, mention=route.mention))
    code = view.meta.transfer_code
    if code:
        dest = rule.transfer.by_code(code)
        if dest != expected:
            wrong.append(msg("routing_destination.key", code=code))
    if wrong:
        evidence.sort(key=lambda e: e.kind != "forbidden_match")
        routed = Join(tuple(wrong), "; ")
        reason = msg("routing_destination.wrong", product=product, expected=expected.label, wrong=routed)
        return rule.result("fail", reason, *evidence)
    if not evidence and not code:
        return rule.result("fail", msg("routing_destination.never", product=product, expected=expected.label))
    via = msg("routing_destination.key", code=code) if code and not evidence else msg("routing_destination.agent_words")
    return rule.result("pass", msg("routing_destination.ok", expected=expected.label, via=via), *evidence)
