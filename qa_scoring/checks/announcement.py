"""Rule type ``announcement``: the agent announces the transfer as the SOP says.

Options: ``phrase`` (the SOP's example, shown in reports), ``lead_words`` (default 30) and
``parts``: a list of
``{name, phrases, core, threshold, after_routing}`` that must all be said (``core``: the
pieces that must each be heard, default the first phrase; ``after_routing``: said with or
after the routing, not before it), or ``{name, destination: true}`` for the destination's
name or number.

The announcement is read from the agent's last ``lead_words`` words before the first routing
(a few turns, or many short segments; stopping after the product question, and never the
opening) to the end of the call. ``na`` when the agent never routes the
customer and the manifest has no ``transfer_code``, or only points the customer to a
contact center or its number, while the product is unknown (there is nowhere to transfer
to, nothing to announce). With the product known, a call never transferred fails: the
transfer and its announcement were owed.

PASS: "mohon maaf saat ini bapak terhubung dengan contact center pln 123
ketenagalistrikan ... akan kami sambungkan ke contact center pln iconplus 1500071 mohon
ditunggu ya pak". FAIL: "baik saya sambungkan ke 1500071" (no apology, no PLN 123, no wait).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from qa_scoring.analysis import CallView, names_every_product
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.matching import PhraseSpec
from qa_scoring.messages import Join, Reason, msg
from qa_scoring.model import CheckResult
from qa_scoring.rules.section import Section

TYPE = "announcement"
SCOPE = "transfer"


@dataclass(frozen=True)
class Part:
    """One element of the announcement; ``spec`` None means the destination."""

    name: str
    spec: PhraseSpec | None
    after_routing: bool = False


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled announcement rule."""

    phrase: str
    parts: tuple[Part, ...]
    product_words: Mapping[str, tuple[str, ...]]
    whole: PhraseSpec  # the SOP's example as one phrase: the nearest miss when no transfer is announced
    lead_words: int


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    head = ctx.head(sec)
    phrase = sec.str("phrase", required=True)
    parts = []
    for item in sec.sections("parts"):
        name = item.str("name", required=True)
        if item.bool("destination"):
            parts.append(Part(name, None))
        else:
            phrases = item.str_list("phrases", required=True)
            core = item.str_list("core") or [phrases[0]]
            spec = PhraseSpec.build(phrases[0], core, phrases[1:], item.number("threshold", ctx.threshold))
            parts.append(Part(name, spec, item.bool("after_routing")))
        item.finish()
    if not parts:
        raise sec.error("parts", "at least one part")
    whole = PhraseSpec.build(phrase, [phrase], [], ctx.threshold)
    lead = int(sec.number("lead_words", 30, low=0, high=200))
    words = ctx.transfer.product_words
    return Rule(**head, phrase=phrase, parts=tuple(parts), product_words=words, whole=whole, lead_words=lead)


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when every part is said around the routing."""
    if not view.routes and view.meta.transfer_code:
        return rule.result("fail", msg("announcement.key_only", code=view.meta.transfer_code))
    if not view.meta.transfer_code and not any(r.transfer for r in view.routes):
        # no transfer: owed (and so missing) when the product says where to; else nothing to announce
        product = view.fact("product")
        if product is not None:
            # where the announcement was owed: from the pointing, else anywhere in the agent's words
            text = view.agent.tail(view.agent.turns.index(view.routes[0].turn)) if view.routes else view.agent
            hit = text.find(rule.whole)
            miss = text.evidence_at(hit, rule.phrase, "nearest_miss", view.clock_text) if hit.score else None
            if view.routes:
                return rule.result("fail", msg("announcement.pointed_not_transferred", product=product), miss)
            return rule.result("fail", msg("announcement.never_transferred", product=product), miss)
        if view.routes:
            return rule.result("na", msg("announcement.pointed_only"))
        return rule.result("na", msg("announcement.no_routing"))
    first = view.routes[0]
    routed = pos = view.agent.turns.index(first.turn)
    # the announcement may start some words before the routing ("mohon maaf" / "saat ini bapak
    # terhubung ..." / "akan kami sambungkan ..."), never at the opening or the product question
    lead = 0
    while lead < rule.lead_words and pos > 1 and not names_every_product(view.agent.norms[pos - 1], rule.product_words):
        pos -= 1
        lead += len(view.agent.norms[pos].split())
    window = view.agent.tail(pos)
    after = view.agent.tail(routed)
    evidence = [view.turn_evidence(first.turn, "info", rule.phrase, 100.0)]
    missing: list[Reason] = []
    for part in rule.parts:
        if part.spec is None:
            continue
        text = after if part.after_routing else window
        hit = text.find(part.spec)
        kind = "match" if hit.score >= part.spec.threshold else "nearest_miss"
        if kind == "nearest_miss":
            missing.append(msg("announcement.part", phrase=part.spec.text))
        if hit.score:
            evidence.append(text.evidence_at(hit, part.spec.text, kind, view.clock_text))
    if missing:
        return rule.result("fail", msg("announcement.lacks", missing=Join(tuple(missing), ", ")), *evidence)
    return rule.result("pass", msg("announcement.full", destination=first.destination.label), *evidence)
