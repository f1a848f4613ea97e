"""Rule type ``ask_before_routing``: the agent asks the product before routing the customer.

Options: ``phrase``, ``core``, ``alternatives``, ``threshold`` (the question).

The question must come before the first transfer or pointing to a destination (its
number or name). Applies, like every ``transfer`` check, only to internet complaints on
dates the SOP is in force.

PASS: "mohon maaf sebelumnya bapak menggunakan produk elektrinet atau iconnet saat ini",
then the transfer. FAIL: the transfer to 1500071 with no question, or the question only
after "silakan hubungi 150678".
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.matching import PhraseSpec
from qa_scoring.model import CheckResult
from qa_scoring.rules.section import Section

TYPE = "ask_before_routing"
SCOPE = "transfer"


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled ask_before_routing rule."""

    phrase: PhraseSpec


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    return Rule(**ctx.head(sec), phrase=ctx.phrase(sec))


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when the question is asked before any routing."""
    first = view.routes[0] if view.routes else None
    end = first.pos if first else None
    hit = view.agent.find(rule.phrase, 0, end)
    if hit.score >= rule.phrase.threshold:
        ev = view.agent.evidence(hit, rule.phrase.text, "match", view.clock)
        return rule.result("pass", "product asked before any routing", ev)
    later = view.agent.said(rule.phrase)
    if later is not None and first is not None:
        ev = view.agent.evidence(later, rule.phrase.text, "nearest_miss", view.clock)
        return rule.result(
            "fail",
            f"asked only after routing to {first.destination.label} at turn {first.turn.index}",
            ev,
        )
    miss = view.agent.evidence(hit, rule.phrase.text, "nearest_miss", view.clock) if hit.score else None
    return rule.result("fail", "the agent never asks whether the customer uses Elektrinet or ICONNET", miss)
