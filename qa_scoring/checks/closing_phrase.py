"""Rule type ``closing_phrase``: an SOP phrase the agent must say in the closing.

Options: ``phrase`` (as the SOP writes it), ``core`` (parts that must be heard),
``alternatives`` (other accepted wordings), ``threshold`` (similarity 0-100),
``must_not_say_when`` (facts under which the phrase must NOT be said: ``klb``,
``pln_mobile_call``).

PASS: "... untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada
petugas kami ..." in the agent's closing. FAIL: the same words only mid-call, or only
from the customer; or said on a KLB call when ``must_not_say_when: [klb]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.matching import AgentText, Hit, PhraseSpec
from qa_scoring.messages import Join, msg
from qa_scoring.model import CheckResult, Evidence
from qa_scoring.normalize import normalize
from qa_scoring.rules.section import Section

TYPE = "closing_phrase"
SCOPE = "closing"
CONDITIONS = ("klb", "pln_mobile_call")
_LABELS = {"klb": msg("closing_phrase.klb_call"), "pln_mobile_call": msg("closing_phrase.pln_mobile_call")}


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled closing_phrase rule."""

    phrase: PhraseSpec
    must_not_say_when: tuple[str, ...]

    @property
    def closing_phrases(self) -> tuple[str, ...]:
        """Normalised text that marks a turn as closing talk."""
        return (normalize(self.phrase.text),)


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    head = ctx.head(sec)
    conditions = sec.str_list("must_not_say_when")
    for cond in conditions:
        if cond not in CONDITIONS:
            raise sec.error("must_not_say_when", f"facts among {', '.join(CONDITIONS)}", cond)
    return Rule(**head, phrase=ctx.phrase(sec), must_not_say_when=tuple(conditions))


def locate(rule: Rule, text: AgentText) -> Hit | None:
    """Where the phrase is said in ``text``, if it is."""
    return text.said(rule.phrase)


def outside_closing(view: CallView, phrase: PhraseSpec) -> Evidence | None:
    """Evidence of the phrase said by the agent before the closing, if it was."""
    hit = view.agent.said(phrase)
    if hit is None:
        return None
    ev = view.agent.evidence_at(hit, phrase.text, "info", view.clock_text)
    closing_turns = {t.index for t in view.closing.turns}
    return None if ev.turn in closing_turns else ev


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when said in the closing (or, under a must-not condition, when not said)."""
    phrase = rule.phrase
    hit = view.closing.find(phrase)
    said = hit.score >= phrase.threshold
    forbidden = [c for c in rule.must_not_say_when if view.fact(c)]
    if forbidden:
        why = Join(tuple(_LABELS[c] for c in forbidden), msg("join.and"))
        if said:
            ev = view.closing.evidence_at(hit, phrase.text, "forbidden_match", view.clock_text)
            return rule.result("fail", msg("closing_phrase.forbidden_said", why=why), ev)
        return rule.result("pass", msg("closing_phrase.forbidden_not_said", why=why))
    if said:
        ev = view.closing.evidence_at(hit, phrase.text, "match", view.clock_text)
        return rule.result("pass", msg("closing_phrase.said"), ev)
    miss = view.closing.evidence_at(hit, phrase.text, "nearest_miss", view.clock_text) if hit.score else None
    early = outside_closing(view, phrase)
    reason = msg("closing_phrase.not_said_early", turn=early.turn) if early else msg("closing_phrase.not_said")
    return rule.result("fail", reason, miss, early)
