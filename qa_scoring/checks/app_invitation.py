"""Rule type ``app_invitation``: the right New PLN Mobile invitation in the closing.

Options: ``variants`` with exactly ``download`` and ``update``, each a phrase (``phrase``,
``core``, ``alternatives``, ``threshold``); ``clear_score`` (a variant scoring at least this
counts as said even when the other scores higher; default 95).

Expected: ``update`` on a PLN Mobile call; otherwise ``download``, or either one when the
customer is known to have the app. The two invitations share words ("aplikasi new pln
mobile", "download aplikasinya"), so a variant counts as said only when it outscores the
other or is said clearly.

PASS: "... ayo download aplikasi new pln mobile di play store atau apps store ..." on a
call about a blackout. FAIL: the same on a call about a PLN Mobile login problem (update
expected), or no invitation in the closing.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.checks.closing_phrase import outside_closing
from qa_scoring.matching import AgentText, Hit, PhraseSpec
from qa_scoring.messages import Reason, msg
from qa_scoring.model import CheckResult
from qa_scoring.normalize import normalize
from qa_scoring.rules.section import Section

TYPE = "app_invitation"
SCOPE = "closing"
VARIANTS = ("download", "update")


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled app_invitation rule."""

    variants: dict[str, PhraseSpec]
    clear_score: float

    @property
    def closing_phrases(self) -> tuple[str, ...]:
        """Normalised text that marks a turn as closing talk."""
        return tuple(normalize(v.text) for v in self.variants.values())


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    head = ctx.head(sec)
    variants_sec = sec.section("variants")
    variants = {}
    for name in VARIANTS:
        item = variants_sec.section(name)
        variants[name] = ctx.phrase(item)
        item.finish()
    variants_sec.finish()
    return Rule(**head, variants=variants, clear_score=sec.number("clear_score", 95))


def said_variants(rule: Rule, text: AgentText) -> dict[str, Hit]:
    """The variants said in ``text`` with their hits (worked out once per rule and text: callers do not change it)."""
    key = (id(rule), "said_variants")
    found = text.memo.get(key)
    if found is None:
        found = text.memo[key] = _said_variants(rule, text)
    return found  # type: ignore[return-value]


def _said_variants(rule: Rule, text: AgentText) -> dict[str, Hit]:
    """The body of ``said_variants``. A variant below every variant's threshold is never said and
    outscores none that is: only the hits reaching the lowest threshold are worked out in full."""
    variants = rule.variants
    floor = min([spec.threshold for spec in variants.values()])
    hits = [(name, text.find_above(spec, floor)) for name, spec in variants.items()]
    scores = [hit.score for _, hit in hits if hit is not None]
    if not scores:
        return {}
    best = max(scores)
    return {
        name: hit
        for name, hit in hits
        if hit is not None
        and hit.score >= variants[name].threshold
        and (hit.score >= best or hit.score >= rule.clear_score)
    }


def locate(rule: Rule, text: AgentText) -> Hit | None:
    """Where the first invitation is said in ``text``, if one is."""
    said = said_variants(rule, text)
    return min(said.values(), key=lambda h: h.start) if said else None


def expected_variants(view: CallView) -> tuple[tuple[str, ...], Reason]:
    """Which invitations pass on this call, and why."""
    if view.fact("pln_mobile_call"):
        return ("update",), msg("app_invitation.why_pln_mobile")
    if view.fact("has_app"):
        return ("download", "update"), msg("app_invitation.why_has_app")
    return ("download",), msg("app_invitation.why_no_app")


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when an expected invitation is said in the closing."""
    expected, why = expected_variants(view)
    said = said_variants(rule, view.closing)
    good = [name for name in expected if name in said]
    if good:
        name = good[0]
        ev = view.closing.evidence_at(said[name], rule.variants[name].text, "match", view.clock_text)
        return rule.result("pass", msg("app_invitation.said", variant=name, why=why), ev)
    if said:
        name = next(iter(said))
        ev = view.closing.evidence_at(said[name], rule.variants[name].text, "forbidden_match", view.clock_text)
        return rule.result("fail", msg("app_invitation.wrong", variant=name, why=why), ev)
    target = rule.variants[expected[0]]
    hit = view.closing.find(target)
    miss = view.closing.evidence_at(hit, target.text, "nearest_miss", view.clock_text) if hit.score else None
    early = outside_closing(view, target)
    none = msg("app_invitation.none", why=why)
    reason = msg("app_invitation.none_early", why=why, turn=early.turn) if early else none
    return rule.result("fail", reason, miss, early)
