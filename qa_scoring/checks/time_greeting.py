"""Rule type ``time_greeting``: the thank-you carries the greeting that fits the local time.

Options: ``after`` (the id of the thank-you check, a ``closing_phrase``), ``greeting_word``
("selamat"), ``periods`` (list of ``{name, from: "HH:MM"}`` in day order),
``tolerance_minutes`` (within this of a boundary either neighbour passes; midnight is a
boundary too), ``also`` (list of ``{name, from, to}``: a greeting that fits too in that
window, "malam" before dawn), ``word_threshold`` (similarity for the greeting words).

Local time is the call start (on the customer's clock: see ``scoring.local_start``) plus the
offset of the turn holding the greeting.
``na`` when the call start is unknown or the thank-you is missing.

PASS: "terima kasih telah menghubungi pln 123 selamat siang bapak budi" at 12:10, or
"selamat siang" at 10:45. FAIL: "selamat pagi" at 16:20; a thank-you without "selamat ...".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.matching import PerRuleSet
from qa_scoring.messages import Join, msg
from qa_scoring.model import CheckResult
from qa_scoring.normalize import normalize
from qa_scoring.rules.section import Section

TYPE = "time_greeting"
SCOPE = "closing"
DAY = 24 * 60


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled time_greeting rule."""

    after: object
    word: str
    periods: tuple[tuple[str, int], ...]
    tolerance: int
    word_threshold: float
    also: tuple[tuple[str, int, int], ...] = ()

    def fitting(self, minute: int) -> list[str]:
        """Greetings that fit ``minute`` of the day, with the boundary tolerance."""
        names = [n for n, _ in self.periods]
        starts = [s for _, s in self.periods]
        current = max(k for k, s in enumerate(starts) if s <= minute)
        allowed = [names[current]]
        for k, boundary in enumerate(starts):
            gap = min(abs(minute - boundary), DAY - abs(minute - boundary))
            if gap <= self.tolerance:
                for name in (names[k - 1], names[k]):
                    if name not in allowed:
                        allowed.append(name)
        for name, start, end in self.also:
            if start <= minute < end and name not in allowed:
                allowed.append(name)
        return allowed


def _minutes(sec: Section, key: str, text: str) -> int:
    try:
        hours, minutes = (int(p) for p in text.split(":"))
    except ValueError:
        raise sec.error(key, "a time HH:MM", text) from None
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise sec.error(key, "a time HH:MM", text)
    return hours * 60 + minutes


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    head = ctx.head(sec)
    after = ctx.reference(sec, "after", ("closing_phrase",))
    periods = []
    for item in sec.sections("periods"):
        name = normalize(item.str("name", required=True))
        periods.append((name, _minutes(item, "from", item.str("from", required=True))))
        item.finish()
    also = []
    for item in sec.sections("also", required=False):
        name = normalize(item.str("name", required=True))
        start = _minutes(item, "from", item.str("from", required=True))
        end = _minutes(item, "to", item.str("to", required=True))
        if name not in {n for n, _ in periods} or end <= start:
            raise item.error("name", "a period's name, with 'to' after 'from'", name)
        also.append((name, start, end))
        item.finish()
    if not periods or periods[0][1] != 0 or [s for _, s in periods] != sorted(s for _, s in periods):
        raise sec.error("periods", "periods in day order, the first from 00:00")
    return Rule(
        **head,
        after=after,
        word=normalize(sec.str("greeting_word", "selamat")),
        periods=tuple(periods),
        tolerance=int(sec.number("tolerance_minutes", 30, low=0, high=180)),
        word_threshold=sec.number("word_threshold", 75),
        also=tuple(also),
    )


class _Memo:
    """What one rule works out again and again, kept once per rule: the similarity of each word
    heard to the greeting word, the best period name of each word heard, the greetings that fit
    each minute of the day."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.names = [n for n, _ in rule.periods]
        self.word: dict[str, float] = {}
        self.period: dict[str, tuple[float, str]] = {}
        self.allowed: dict[int, list[str]] = {}

    def word_score(self, tok: str) -> float:
        """``fuzz.ratio(tok, rule.word)``."""
        score = self.word.get(tok)
        if score is None:
            if len(self.word) >= _MEMO_MAX:
                self.word.clear()
            score = self.word[tok] = fuzz.ratio(tok, self.rule.word)
        return score

    def best_period(self, tok: str) -> tuple[float, str]:
        """``max((fuzz.ratio(tok, n), n) for n in names)``."""
        found = self.period.get(tok)
        if found is None:
            if len(self.period) >= _MEMO_MAX:
                self.period.clear()
            found = self.period[tok] = max((fuzz.ratio(tok, n), n) for n in self.names)
        return found

    def fitting(self, minute: int) -> list[str]:
        """``rule.fitting(minute)`` (callers do not change the list)."""
        found = self.allowed.get(minute)
        if found is None:  # at most 1,440 minutes of a day
            found = self.allowed[minute] = self.rule.fitting(minute)
        return found


_MEMO_MAX = 16384
_memo = PerRuleSet(_Memo)  # the ``_Memo`` of a rule, built on first use


def find_greeting(rule: Rule, tokens: list[tuple[str, int]]) -> tuple[str, int, float] | None:
    """The first "selamat <period>": (period, token position, similarity)."""
    return _find_greeting(rule, [tok for tok, _ in tokens])


def _find_greeting(rule: Rule, words: list[str]) -> tuple[str, int, float] | None:
    """``find_greeting`` of the words alone."""
    memo = _memo(rule)
    threshold = rule.word_threshold
    known = memo.word
    for k in range(len(words) - 1):
        tok = words[k]
        word_score = known.get(tok)
        if word_score is None:
            word_score = memo.word_score(tok)
        if word_score < threshold:
            continue
        score, name = memo.best_period(words[k + 1])
        if score >= threshold:
            return name, k + 1, min(score, word_score)
    return None


def _turn_of(norms: tuple[str, ...], pos: int) -> int:
    """The position of the text in ``norms`` holding word ``pos`` of their words in a row."""
    for k, norm in enumerate(norms):
        pos -= len(norm.split())
        if pos < 0:
            return k
    raise IndexError(pos)


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when the greeting fits the local time of the thank-you."""
    if view.meta.call_start is None:
        return rule.result("na", msg("time_greeting.no_call_start"))
    thanks = view.closing.said(rule.after.phrase)
    if thanks is None:
        return rule.result("na", msg("closing.no_thanks"))
    region = view.thanks_region(thanks)
    found = _find_greeting(rule, region.text.split())  # the words of the turns in a row
    if found is None:
        ev = view.closing.evidence_at(thanks, rule.after.phrase.text, "nearest_miss", view.clock_text)
        return rule.result("fail", msg("time_greeting.none"), ev)
    name, pos, score = found
    turn = region.turns[_turn_of(region.norms, pos)]
    when: datetime = view.clock(turn)  # type: ignore[assignment]
    allowed = _memo(rule).fitting(when.hour * 60 + when.minute)
    kind = "match" if name in allowed else "nearest_miss"
    ev = view.turn_evidence(turn, kind, f"{rule.word} {'/'.join(allowed)}", score)
    timing = "" if turn.start is not None else msg("time_greeting.no_turn_times")
    clock = f"{when.hour:02d}:{when.minute:02d}"  # strftime("%H:%M"), faster
    if name in allowed:
        return rule.result("pass", msg("time_greeting.fits", name=name, time=clock, timing=timing), ev)
    expected = Join(tuple(allowed), msg("join.or"))
    reason = msg("time_greeting.wrong", name=name, time=clock, allowed=expected, timing=timing)
    return rule.result("fail", reason, ev)
