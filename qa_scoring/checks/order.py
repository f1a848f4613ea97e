"""Rule type ``order``: the closing elements said come in the SOP's order.

Options: ``sequence``: ids of closing checks defined above (types ``closing_phrase`` or
``app_invitation``), in the order the SOP wants them.

``na`` when fewer than two of them are said in the closing.

PASS: integrity campaign, then the download invitation, then the thank-you. FAIL: the
invitation before the integrity campaign.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from qa_scoring.analysis import CallView
from qa_scoring.checks import app_invitation, closing_phrase
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.messages import msg
from qa_scoring.model import CheckResult
from qa_scoring.rules.section import Section

TYPE = "order"
SCOPE = "closing"
_LOCATORS = {closing_phrase.TYPE: closing_phrase.locate, app_invitation.TYPE: app_invitation.locate}


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled order rule."""

    sequence: tuple[object, ...]


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    head = ctx.head(sec)
    ids = sec.str_list("sequence", required=True)
    sequence = []
    for ref in ids:
        rules = ctx.compiled.get(ref)
        if not rules or rules[0].type not in _LOCATORS:
            raise sec.error("sequence", f"ids of {' or '.join(_LOCATORS)} checks defined above", ref)
        sequence.append(rules[0])
    if len(sequence) < 2:
        raise sec.error("sequence", "at least two check ids", ids)
    return Rule(**head, sequence=tuple(sequence))


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when the elements said appear in the sequence's order."""
    found = []
    for rank, element in enumerate(rule.sequence):
        hit = _LOCATORS[element.type](element, view.closing)
        if hit is not None:
            found.append((hit.start, rank, element, hit))
    if len(found) < 2:
        return rule.result("na", msg("order.too_few"))
    found.sort()
    evidence = [view.closing.evidence_at(hit, el.id, "info", view.clock_text) for _, _, el, hit in found]
    said_order = [el.id for _, _, el, _ in found]
    for (_, rank_a, el_a, _), (_, rank_b, el_b, _) in pairwise(found):
        if rank_a > rank_b:
            return rule.result("fail", msg("order.wrong", first=el_a.id, second=el_b.id), *evidence)
    return rule.result("pass", msg("order.ok", sequence=", ".join(said_order)), *evidence)
