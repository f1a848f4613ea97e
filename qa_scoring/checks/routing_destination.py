"""Rule type ``routing_destination``: the customer is transferred where the product says.

No options: destinations, numbers and Direct Transfer keys come from the rules file's
``transfer.destinations``.

Judged on the transfer itself: the last destination the agent announces a transfer to
("kami sambungkan ke ..."; an earlier announcement the agent corrected is not the transfer
made) and the manifest's ``transfer_code`` must be the product's. With no transfer, on
where the agent last pointed the customer ("silakan hubungi 150678": the SOP's
"mengarahkan"); the missing transfer is the announcement's concern. A number mentioned
before the product question is that question's concern. ``na`` when the product is
unknown; ``fail`` when it is known and the agent never routes the customer.

PASS: customer says "elektrinet", agent transfers to Contact Center PLN ICONPLUS 1500071.
FAIL: the same customer transferred (or pointed) to PLN ICONNET 150678, or key 3, or never
routed.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.messages import Join, Reason, msg
from qa_scoring.model import CheckResult
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
    """Pass when the transfer (announced or by key) goes to the product's destination."""
    product = view.fact("product")
    if product is None:
        return rule.result("na", msg("routing_destination.product_unknown"))
    expected = rule.transfer.by_product(str(product))
    if expected is None:
        return rule.result("na", msg("routing_destination.not_configured", product=product))
    transfers = [r for r in view.routes if r.transfer]
    code = view.meta.transfer_code
    if not transfers and not code:
        if view.routes:
            # pointing the customer to a contact center ("mengarahkan", in the SOP's words) is a
            # routing: judged on where the agent last pointed
            last = view.routes[-1]
            if last.destination == expected:
                ev = view.turn_evidence(last.turn, "match", expected.label, 100.0)
                return rule.result("pass", msg("routing_destination.pointed_right", expected=expected.label), ev)
            pointed = ", ".join(dict.fromkeys(r.destination.label for r in view.routes))
            evidence = [view.turn_evidence(r.turn, "forbidden_match", expected.label, 100.0) for r in view.routes]
            reason = msg("routing_destination.pointed_wrong", product=product, pointed=pointed, expected=expected.label)
            return rule.result("fail", reason, *evidence)
        return rule.result("fail", msg("routing_destination.never", product=product, expected=expected.label))
    evidence = []
    wrong: list[Reason] = []
    # the transfer made is the last one announced: an earlier one the agent corrected is not a misroute
    if transfers:
        route = transfers[-1]
        ok = route.destination == expected
        evidence.append(view.turn_evidence(route.turn, "match" if ok else "forbidden_match", expected.label, 100.0))
        if not ok:
            label, turn = route.destination.label, route.turn.index
            wrong.append(msg("routing_destination.route", destination=label, turn=turn, mention=route.mention))
    if code and rule.transfer.by_code(code) != expected:
        wrong.append(msg("routing_destination.key", code=code))
    if wrong:
        evidence.sort(key=lambda e: e.kind != "forbidden_match")
        routed = Join(tuple(wrong), "; ")
        reason = msg("routing_destination.wrong", product=product, expected=expected.label, wrong=routed)
        return rule.result("fail", reason, *evidence)
    via = msg("routing_destination.key", code=code) if code and not evidence else msg("routing_destination.agent_words")
    return rule.result("pass", msg("routing_destination.ok", expected=expected.label, via=via), *evidence)
