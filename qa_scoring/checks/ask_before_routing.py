"""Rule type ``ask_before_routing``: the agent asks the product before routing the customer.

Options: ``phrase``, ``core``, ``alternatives``, ``threshold`` (the question);
``choice_words`` and ``max_gap``: an agent turn naming every choice word with at most
``max_gap`` words between them also asks ("pelanggan elektrinet atau pelanggan iconnet").

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
from qa_scoring.matching import Hit, PhraseSpec
from qa_scoring.messages import msg
from qa_scoring.model import CheckResult
from qa_scoring.normalize import normalize
from qa_scoring.rules.section import Section

TYPE = "ask_before_routing"
SCOPE = "transfer"


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled ask_before_routing rule."""

    phrase: PhraseSpec
    choice_words: tuple[str, ...]
    max_gap: int


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    return Rule(
        **ctx.head(sec),
        phrase=ctx.phrase(sec),
        choice_words=tuple(normalize(w) for w in sec.str_list("choice_words")),
        max_gap=int(sec.number("max_gap", 6, low=0, high=50)),
    )


def _choice_turn(rule: Rule, view: CallView, end: int | None) -> Hit | None:
    """The first agent turn before ``end`` naming every choice word close together."""
    if not rule.choice_words:
        return None
    for k, norm in enumerate(view.agent.norms):
        start = view.agent.starts[k]
        if end is not None and start >= end:
            break
        if end is not None:
            norm = norm[: end - start]
        tokens = norm.split()
        places = [[i for i, t in enumerate(tokens) if t == w] for w in rule.choice_words]
        if all(places) and max(p[0] for p in places) - min(p[0] for p in places) <= rule.max_gap + 1:
            return Hit(view.agent.find(rule.phrase, start, start + len(norm)).score, start, start + len(norm))
    return None


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when the question is asked before any routing."""
    first = view.routes[0] if view.routes else None
    end = first.pos if first else None
    hit = view.agent.find(rule.phrase, 0, end)
    if hit.score >= rule.phrase.threshold:
        ev = view.agent.evidence_at(hit, rule.phrase.text, "match", view.clock_text)
        return rule.result("pass", msg("ask_before_routing.asked"), ev)
    choice = _choice_turn(rule, view, end)
    if choice is not None:
        ev = view.agent.evidence_at(choice, rule.phrase.text, "match", view.clock_text)
        return rule.result("pass", msg("ask_before_routing.asked_choice"), ev)
    later = view.agent.said(rule.phrase) or _choice_turn(rule, view, None)
    if later is not None and first is not None:
        ev = view.agent.evidence_at(later, rule.phrase.text, "nearest_miss", view.clock_text)
        reason = msg("ask_before_routing.late", destination=first.destination.label, turn=first.turn.index)
        return rule.result("fail", reason, ev)
    miss = view.agent.evidence_at(hit, rule.phrase.text, "nearest_miss", view.clock_text) if hit.score else None
    return rule.result("fail", msg("ask_before_routing.never"), miss)
