"""What the checks need to know about one call, decided once before the checks run.

The view holds the normalised turns, the agent's text, the closing window, the routings
to ICONPLUS / ICONNET and the call's facts (KLB, PLN Mobile call, app owner, internet
complaint, product, transferred), each with the basis it was decided on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import compress
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from qa_scoring.matching import AgentText, Hit, PerRuleSet, align, clock_text, make_evidence
from qa_scoring.model import CallMeta, Evidence, Fact, Transcript, Turn
from qa_scoring.normalize import normalize
from qa_scoring.rules.ruleset import ContextConfig, Destination, RuleSet

# Digit runs of a normalised text (ASCII digits only). Written to start with a character class,
# which the regex engine scans for in C; a leading repeat ("\d+") is tried at every position.
_DIGIT_RUN = re.compile(r"[0-9][0-9]*(?: [0-9]+)*")
# A normalised text's bytes with each digit "#" and each letter "x" (spaces kept).
_DIGIT_MARKS = bytes(35 if 48 <= c <= 57 else 32 if c == 32 else 120 for c in range(256))
_NEGATION = re.compile(r"(?:^|\s)(?:tidak|tdk|bukan|belum|nggak|gak|enggak)(?:\s+\w+){0,2}\s*$")


# The facts whose value and basis never change (shared: a Fact is immutable).
_NO_KLB = Fact(False, "no KLB in the manifest, the calendar or the agent's words")
_NO_APP_CALL = Fact(False, "the customer does not raise the PLN Mobile app before the closing")
_APP_CALL_HAS_APP = Fact(True, "a PLN Mobile call: the customer uses the app")
_APP_UNKNOWN = Fact(None, "unknown")
_NO_INTERNET = Fact(False, "no internet ICON / ICONNET / Elektrinet complaint")
_PRODUCT_UNKNOWN = Fact(None, "unknown: the manifest has no product and the customer names none")
_NO_TRANSFER = Fact(False, "no transfer announced")


@dataclass(frozen=True)
class Route:
    """The agent naming a destination (a transfer, or pointing the customer to it)."""

    turn: Turn
    pos: int
    destination: Destination
    mention: str
    transfer: bool


@dataclass(frozen=True)
class CallView:
    """One call, analysed: the input of every check."""

    transcript: Transcript
    meta: CallMeta
    norms: tuple[str, ...]
    agent: AgentText
    closing: AgentText
    routes: tuple[Route, ...]
    facts: dict[str, Fact]
    thanks_continuation_words: int = 8

    @property
    def call_date(self) -> date | None:
        """The call's local date, when its start is known."""
        return self.meta.call_start.date() if self.meta.call_start else None

    def clock(self, turn: Turn) -> datetime | None:
        """Local time a turn was said: call start plus the turn's offset.

        Some recorders stamp turns with the wall clock ("[09:15:03]" on a call that started at
        09:15): when the first stamp is within ten minutes of the call start's time of day,
        the stamps are read as clock times of the call's day.
        """
        start = self.meta.call_start
        if start is None:
            return None
        memo = self._clocks
        if turn.start in memo:
            return memo[turn.start]
        memo[turn.start] = when = self._clock(start, turn.start or 0.0)
        return when

    def clock_text(self, turn: Turn) -> str | None:
        """``HH:MM:SS`` of ``clock(turn)`` (None when the call start is unknown)."""
        memo = self._clock_texts
        if turn.start in memo:
            return memo[turn.start]
        memo[turn.start] = text = clock_text(self.clock(turn))
        return text

    @cached_property
    def _clock_texts(self) -> dict[float | None, str | None]:
        """``clock_text`` by turn start."""
        return {}

    @cached_property
    def _clocks(self) -> dict[float | None, datetime | None]:
        """``clock`` by turn start (the checks ask again for the same closing turns)."""
        return {}

    def _clock(self, start: datetime, offset: float) -> datetime | None:
        """The body of ``clock``."""
        try:
            if self.wall_clock:
                midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
                moment = midnight + timedelta(seconds=offset)
                return moment if moment >= start - timedelta(minutes=10) else moment + timedelta(days=1)
            return start + timedelta(seconds=offset)
        except OverflowError:  # a call start at the very edge of the calendar (year 1 or 9999)
            return None

    @cached_property
    def wall_clock(self) -> bool:
        """Whether the turn stamps are clock times rather than offsets from the call start."""
        start = self.meta.call_start
        first = next((t.start for t in self.transcript.turns if t.start is not None), None)
        if start is None or first is None or first < 3600:
            return False
        of_day = start.hour * 3600 + start.minute * 60 + start.second
        return abs(first - of_day) <= 600

    def turn_evidence(self, turn: Turn, kind: str, phrase: str, similarity: float) -> Evidence:
        """Evidence naming one whole turn, with its local time when the call start is known."""
        return make_evidence(kind, phrase, similarity, turn.text, turn.index, turn.start, self.clock_text(turn))

    def thanks_region(self, hit: Hit) -> AgentText:
        """The thank-you's turns and the short agent turns right after it ("selamat siang bapak budi").

        Where the time greeting and the customer's name belong: the thank-you sentence, even
        when the recogniser or the customer's "iya" splits it, but not a later sentence.
        """
        memo = self._regions
        region = memo.get((hit.start, hit.end))
        if region is None:
            region = memo[(hit.start, hit.end)] = self._thanks_region(hit)
        return region

    @cached_property
    def _regions(self) -> dict[tuple[int, int], AgentText]:
        """``thanks_region`` by the hit's span (the time greeting and the name check ask for the same one)."""
        return {}

    def _thanks_region(self, hit: Hit) -> AgentText:
        """The body of ``thanks_region``."""
        closing = self.closing
        first = closing.turn_at(hit.start)
        last = closing.turn_at(max(hit.start, hit.end - 1))
        limit = self.thanks_continuation_words
        while last + 1 < len(closing.turns) and len(closing.norms[last + 1].split()) <= limit:
            last += 1
        return closing.span(first, last + 1)

    def fact(self, name: str) -> object:
        """The value of a fact."""
        return self.facts[name].value


_new_object = object.__new__


def has_phrase(text: str, phrase: str) -> bool:
    """Whether ``phrase`` stands in ``text`` as whole words (both normalised)."""
    return bool(phrase) and f" {phrase} " in f" {text} "


def analyse(transcript: Transcript, meta: CallMeta, rules: RuleSet) -> CallView:
    """Build the view of a call (roles must already be resolved)."""
    turns = transcript.turns
    norms = tuple(map(normalize, [t.text for t in turns]))
    # One pass over the turns: the agent's, the customer's, and the customer's answers (a
    # customer turn with words right after an agent turn, which may have asked a question).
    agent_idx: list[int] = []
    customer: list[tuple[int, str]] = []
    answers: list[tuple[int, int]] = []  # (the agent turn before, the customer turn)
    last_agent = -1  # the agent turn before the next customer turn with words, or -1
    for i, turn in enumerate(turns):
        role = turn.role
        if role == "agent":
            agent_idx.append(i)
            last_agent = i
        elif role == "customer":
            norm = norms[i]
            customer.append((i, norm))
            if norm and last_agent >= 0:
                answers.append((last_agent, i))
                last_agent = -1
            elif norm:
                last_agent = -1
    agent = AgentText([turns[i] for i in agent_idx], [norms[i] for i in agent_idx])
    window, closing_basis = _closing_window(norms, agent_idx, rules)
    closing = AgentText([turns[i] for i in window], [norms[i] for i in window])
    closing_start = window[0] if window else len(norms)
    routes = _routes(agent, rules)
    said = _Said(f" {' '.join([norm for _, norm in customer])} ", f" {agent.text} ")
    facts: dict[str, Fact] = {}
    facts["klb"] = _klb(meta, agent, said, rules)
    facts["pln_mobile_call"] = _pln_mobile_call(meta, customer, said, closing_start, rules)
    facts["has_app"] = _has_app(meta, customer, answers, norms, said, facts["pln_mobile_call"], rules)
    facts["internet_complaint"] = _internet(meta, customer, said, agent, routes, rules)
    facts["product"] = _product(meta, customer, said, agent, rules)
    facts["transferred"] = _transferred(meta, routes, rules)
    if window:
        facts["closing_window"] = Fact([window[0], window[-1]], closing_basis)
    else:
        facts["closing_window"] = Fact(None, closing_basis)
    # CallView(...) without the frozen dataclass's one object.__setattr__ per field: the same object
    view = _new_object(CallView)
    view.__dict__.update(
        transcript=transcript,
        meta=meta,
        norms=norms,
        agent=agent,
        closing=closing,
        routes=routes,
        facts=facts,
        thanks_continuation_words=rules.closing.thanks_continuation_words,
    )
    return view


class _Said(NamedTuple):
    """All the customer's and all the agent's normalised turns, each joined by spaces and padded with one.

    A word or phrase standing in a turn stands in these (``Terms.first`` finds it only as
    whole words), so when none is here, searching the turns one by one finds none.
    """

    customer: str
    agent: str


def _is_offer(norm: str, rules: RuleSet) -> bool:
    if rules.closing.offer_markers.isdisjoint(norm.split()):
        return False
    if any(p.search(norm) for p in rules.closing.offer_turn_patterns):
        return True
    spec = rules.closing.offers
    return any(align(form[0], norm, spec.threshold)[0] >= spec.threshold for form in spec.forms)


def _closing_like(norm: str, rules: RuleSet) -> bool:
    if len(norm) < 12:
        return False
    if norm in rules.closing.signoff_words:
        return True
    threshold = rules.closing.closing_like_threshold
    return any(
        align(norm, p, threshold)[0] >= threshold or align(p, norm, threshold)[0] >= threshold
        for p in rules.closing_phrases
    )


def _is_opening(norm: str, rules: RuleSet) -> bool:
    """Whether an agent turn is the call's opening ("... ada yang bisa dibantu")."""
    threshold = rules.closing.offers.threshold
    return any(align(p, norm, threshold)[0] >= threshold for p in rules.closing.opening_phrases)


def _runs_into(before: str, after: str, rules: RuleSet) -> bool:
    """Whether a closing sentence starts in ``before`` and ends in ``after`` (split across two turns)."""
    joined = f"{before} {after}"
    threshold = rules.closing.closing_like_threshold
    for phrase in rules.closing_phrases:
        side = len(phrase) // 4  # a real split leaves a good part of the sentence on each side
        if len(before) < side or len(after) + 1 < side:
            continue  # too short a side for any alignment (start >= 0, end <= len(joined))
        score, start, end = align(phrase, joined, threshold)
        if score >= threshold and len(before) - start >= side and end - len(before) >= side:
            return True
    return False


# The tests of an agent turn alone (offer, opening, closing-like) by rule set and normalised text:
# agents say the same lines in call after call. Bounded: emptied when full.
_TURN_TESTS: PerRuleSet[dict[str, list[bool | None]]] = PerRuleSet(lambda rules: {})
_TURN_TESTS_MAX = 50_000
_OFFER, _OPENING, _CLOSING_LIKE = 0, 1, 2
_TESTS = (_is_offer, _is_opening, _closing_like)


def _turn_test(memo: dict[str, list[bool | None]], which: int, norm: str, rules: RuleSet) -> bool:
    """``_is_offer``, ``_is_opening`` or ``_closing_like`` (``which``) of a turn, remembered in ``memo``."""
    known = memo.get(norm)
    if known is None:
        if len(memo) >= _TURN_TESTS_MAX:
            memo.clear()
        known = memo[norm] = [None, None, None]
    found = known[which]
    if found is None:
        found = known[which] = _TESTS[which](norm, rules)
    return found


def _closing_window(norms: tuple[str, ...], agent_idx: list[int], rules: RuleSet) -> tuple[list[int], str]:
    """Agent turn indexes of the closing and how it was found."""
    if not agent_idx:
        return [], "no agent turns"
    memo = _TURN_TESTS(rules)
    later = agent_idx[1:]
    for i in reversed(later):
        if _turn_test(memo, _OFFER, norms[i], rules):
            return [j for j in later if j >= i], f"from the agent's last offer of further help (turn {i})"
    picked: list[int] = []
    fillers: list[int] = []
    # a recording that starts late has no opening: its first agent turn may be closing talk
    candidates = later if _turn_test(memo, _OPENING, norms[agent_idx[0]], rules) else agent_idx
    for i in reversed(candidates):
        if _turn_test(memo, _CLOSING_LIKE, norms[i], rules) or (
            picked and _runs_into(norms[i], norms[min(picked)], rules)
        ):
            picked.extend(fillers)
            fillers = []
            picked.append(i)
        elif len(norms[i].split()) <= rules.closing.filler_max_words:
            fillers.append(i)
        else:
            break
    if picked:
        window = sorted(picked)
        return window, f"no offer of further help: closing words at the end of the call (turn {window[0]} on)"
    last = agent_idx[-1]
    return [last], f"no offer of further help and no closing words at the end: the agent's last turn ({last})"


def _routes(agent: AgentText, rules: RuleSet) -> tuple[Route, ...]:
    """Every destination the agent names, read over the joined agent text.

    Reading the joined text finds a number or a name split across two cues
    ("satu lima nol" / "enam tujuh delapan").
    """
    text = agent.text
    found: list[tuple[int, bool, Destination, str]] = []  # (position, needs a transfer verb, destination, words)
    words = _ROUTE_WORDS(rules)
    names, numbers, shortest = words.names, words.numbers, words.shortest
    if words.keys is None or any(key in text for key in words.keys):
        padded = f" {text} "
        for needle, weak, dest, name in names:
            start = padded.find(needle)
            while start >= 0:
                found.append((start, weak, dest, name))
                start = padded.find(needle, start + 1)
    # ``runs`` needs ``shortest`` digits in a row or a digit, a space and a digit: looked for first in the
    # text's digits marked "#" (a bytes translation and two substring tests, far cheaper than the regex)
    marked = text.encode().translate(_DIGIT_MARKS) if numbers else b""
    for match in words.runs.finditer(text) if words.needs[0] in marked or words.needs[1] in marked else ():
        digits = match.group()
        if len(digits) - digits.count(" ") < shortest:
            continue  # too few digits, even run together, for any destination's number
        pieces = digits.split()
        candidates = {"".join(pieces), *pieces}
        lengths = {len(c) for c in candidates}
        for dest, number in numbers:
            # _same_number: equal, or (six digits or more, the lengths at most one apart) one slip away
            size = len(number)
            if number in candidates or (
                size >= 6
                and (size in lengths or size - 1 in lengths or size + 1 in lengths)
                and any(_same_number(c, number) for c in candidates)
            ):
                found.append((match.start(), False, dest, match.group()))
    if not found:
        return ()
    routes = []
    seen: set[tuple[int, str]] = set()
    named = {agent.turn_at(pos) for pos, _, _, _ in found}
    for pos, weak, dest, mention in sorted(found, key=lambda f: (f[0], f[1])):
        k = agent.turn_at(pos)
        if (k, dest.product) in seen:
            continue
        # the verb in the same turn, or ending the turn before ("akan kami sambungkan ke" / "1500071")
        transfer = agent.norms[k] in rules.transfer.verbs or (
            k > 0 and k - 1 not in named and agent.norms[k - 1] in rules.transfer.verbs
        )
        if weak and not transfer:
            continue
        seen.add((k, dest.product))
        routes.append(Route(agent.turns[k], pos, dest, mention, transfer))
    return tuple(routes)


@dataclass(frozen=True)
class _RouteWords:
    """What ``_routes`` looks for, worked out once per rule set."""

    # (name padded with spaces, needs a transfer verb, destination, name), in rules order
    names: tuple[tuple[str, bool, Destination, str], ...]
    # (destination, number), in rules order
    numbers: tuple[tuple[Destination, str], ...]
    # the fewest digits a run needs to be one of the numbers (``_same_number``)
    shortest: int
    # words one of which every name holds: a text without any names none (None: a name without words)
    keys: tuple[str, ...] | None
    # the digit runs that may be a number: those of ``_DIGIT_RUN`` with a space or ``shortest`` digits
    runs: re.Pattern[str]
    # ``runs`` matches only where the text marked by ``_DIGIT_MARKS`` holds one of these
    needs: tuple[bytes, bytes]


def _route_words(rules: RuleSet) -> _RouteWords:
    names = tuple(
        (f" {name} ", weak, dest, name)
        for dest in rules.transfer.destinations
        for group, weak in ((dest.names, False), (dest.names_with_verb, True))
        for name in group
    )
    numbers = tuple((dest, number) for dest in rules.transfer.destinations for number in dest.numbers)
    shortest = min((len(n) - 1 if len(n) >= 6 else len(n) for _, n in numbers), default=0)
    # A run of fewer digits without a space is skipped anyway (and so is every shorter piece of it).
    runs = re.compile(rf"[0-9](?:[0-9]*(?: [0-9]+)+|[0-9]{{{shortest - 1},}})") if shortest >= 2 else _DIGIT_RUN
    needs = (b"#" * max(shortest, 1), b"# #")
    return _RouteWords(names, numbers, shortest, _key_words([name for _, _, _, name in names]), runs, needs)


def _key_words(names: list[str]) -> tuple[str, ...] | None:
    """Few words such that every name holds one (the word in most names first, then the longest); None when
    a name has no word."""
    uncovered = [set(name.split()) for name in names]
    if not all(uncovered):
        return None
    keys: list[str] = []
    while uncovered:
        counts = Counter(word for words in uncovered for word in words)
        key = max(counts, key=lambda word: (counts[word], len(word), word))
        keys.append(key)
        uncovered = [words for words in uncovered if key not in words]
    return tuple(keys)


_ROUTE_WORDS = PerRuleSet(_route_words)


def _same_number(digits: str, number: str) -> bool:
    """Equal, or one recognition slip away for numbers of six digits or more."""
    if digits == number:
        return True
    return len(number) >= 6 and abs(len(digits) - len(number)) <= 1 and Levenshtein.distance(digits, number) <= 1


def _klb(meta: CallMeta, agent: AgentText, said: _Said, rules: RuleSet) -> Fact:
    if meta.klb is not None:
        return Fact(meta.klb, "manifest")
    day = meta.call_start.date() if meta.call_start else None
    if day:
        for period in rules.context.klb_calendar:
            region_ok = period.region is None or (
                meta.region is not None and period.region.casefold() == meta.region.casefold()
            )
            if period.start <= day <= period.end and region_ok:
                where = f" ({period.region})" if period.region else ""
                return Fact(True, f"calendar: KLB {period.start} to {period.end}{where}")
    phrases = rules.context.klb_phrases
    for k, norm in enumerate(agent.norms if phrases.may_stand_in(said.agent) else ()):
        phrase = phrases.first(norm)
        if phrase and not _NEGATION.search(norm[: norm.find(phrase)]):
            return Fact(True, f"transcript: the agent says '{phrase}' (turn {agent.turns[k].index})")
    return _NO_KLB


def _mentions_app(norm: str, rules: RuleSet) -> bool:
    return norm in rules.context.pln_mobile_terms


def _owner_statement(norm: str, rules: RuleSet) -> bool | None:
    if any(p.search(norm) for p in rules.context.app_not_owner_patterns) and (
        _mentions_app(norm, rules) or "aplikasi" in norm
    ):
        return False
    if any(p.search(norm) for p in rules.context.app_owner_patterns):
        return True
    return None


def _names_subject(topic: str, rules: RuleSet) -> bool:
    """Whether a logged topic names the call's subject (not only generic words like "Informasi umum")."""
    return not set(normalize(topic).split()) <= rules.context.generic_topic_words


def _pln_mobile_call(
    meta: CallMeta, customer: list[tuple[int, str]], said: _Said, closing_start: int, rules: RuleSet
) -> Fact:
    if meta.topic:
        if _mentions_app(normalize(meta.topic), rules):
            return Fact(True, f"manifest topic '{meta.topic}'")
        if _names_subject(meta.topic, rules):  # the manifest is not silent on what the call is about
            return Fact(False, f"manifest topic '{meta.topic}' is another subject")
    for i, norm in customer if rules.context.pln_mobile_terms.may_stand_in(said.customer) else ():
        if i >= closing_start or not _mentions_app(norm, rules):
            continue
        issue = rules.context.pln_mobile_issue_terms.first(norm)
        if issue or _owner_statement(norm, rules) is None:
            why = f"with '{issue}'" if issue else "as the subject"
            return Fact(True, f"transcript: the customer talks about the PLN Mobile app {why} (turn {i})")
    return _NO_APP_CALL


def _has_app(
    meta: CallMeta,
    customer: list[tuple[int, str]],
    answers: list[tuple[int, int]],
    norms: tuple[str, ...],
    said: _Said,
    mobile_call: Fact,
    rules: RuleSet,
) -> Fact:
    """Whether the customer has the app: manifest, else the customer's own words or answer.

    ``answers`` pairs each customer turn with words with the agent turn right before it
    (only that turn may be the question), in turn order.
    """
    if meta.has_pln_mobile is not None:
        return Fact(meta.has_pln_mobile, "manifest")
    ctx = rules.context
    if "aplikasi" in said.customer or ctx.pln_mobile_terms.may_stand_in(said.customer):
        # the customer names the app: read every customer turn in order, for its own words or answer
        asked_before = {i: asked for asked, i in answers}
        for i, norm in customer:
            if norm and (_mentions_app(norm, rules) or "aplikasi" in norm):
                owner = _owner_statement(norm, rules)
                if owner is not None:
                    verb = "has" if owner else "does not have"
                    return Fact(owner, f"transcript: the customer says they {verb} the app (turn {i})")
            asked = asked_before.get(i)
            if asked is not None:
                found = _answer(asked, i, norms, ctx)
                if found is not None:
                    return found
    else:
        replies = ctx.app_reply_patterns
        if len(replies) == 1:  # only the turns saying yes or no (one search each, without a Python loop)
            texts = map(norms.__getitem__, map(itemgetter(1), answers))
            answers = list(compress(answers, map(replies[0].search, texts)))
        for asked, i in answers if replies else ():
            found = _answer(asked, i, norms, ctx)
            if found is not None:
                return found
    if mobile_call.value:
        return _APP_CALL_HAS_APP
    return _APP_UNKNOWN


def _answer(asked: int, i: int, norms: tuple[str, ...], ctx: ContextConfig) -> Fact | None:
    """The customer's yes or no (turn ``i``) to the agent's app question (turn ``asked``), or None."""
    norm = norms[i]
    if any(p.search(norm) for p in ctx.app_no_patterns):
        value, verb = False, "do not have"
    elif any(p.search(norm) for p in ctx.app_yes_patterns):
        value, verb = True, "have"
    else:
        return None
    # an answer only counts after the question (read last: the answers are the cheaper test)
    if any(p.search(norms[asked]) for p in ctx.app_question_patterns):
        return Fact(value, f"transcript: asked (turn {asked}), the customer says they {verb} the app (turn {i})")
    return None


def _internet(
    meta: CallMeta,
    customer: list[tuple[int, str]],
    said: _Said,
    agent: AgentText,
    routes: tuple[Route, ...],
    rules: RuleSet,
) -> Fact:
    """Whether the transfer SOP applies: the customer complains about the internet ICON service.

    A logged topic about another subject outweighs a customer's passing mention of the
    service (a cable on an "iconplus" pole, trying the app on "wifi iconnet"); the agent
    transferring the customer or asking the product question still makes it one. A customer
    who names the service without any trouble ("minta nomor iconnet") asks for information.
    """
    ctx = rules.context
    other_topic = False
    if meta.topic:
        if ctx.internet_topic_terms.first(normalize(meta.topic)):
            return Fact(True, f"manifest topic '{meta.topic}'")
        other_topic = _names_subject(meta.topic, rules)
    if meta.transfer_code:
        return Fact(True, f"manifest transfer_code {meta.transfer_code}")
    transfer = next((r for r in routes if r.transfer), None)
    if transfer is not None:
        return Fact(True, f"transcript: the agent transfers to {transfer.destination.label}")
    asked = _product_question(agent, rules)
    if asked is not None:
        return Fact(True, f"transcript: the agent asks which product the customer uses (turn {asked})")
    if other_topic:
        return Fact(False, f"manifest topic '{meta.topic}' is another subject and the agent never transfers")
    mentioned: str | None = None
    troubles = ctx.internet_trouble_terms
    for k, (i, norm) in enumerate(customer if ctx.internet_terms.may_stand_in(said.customer) else ()):
        term = ctx.internet_terms.first(norm)
        if not term:
            continue
        mentioned = mentioned or term
        if troubles is None:
            return Fact(True, f"transcript: the customer says '{term}' (turn {i})")
        reply = customer[k + 1][1] if k + 1 < len(customer) else ""
        trouble = troubles.first(norm) or troubles.first(reply)
        if trouble:
            return Fact(True, f"transcript: the customer says '{term}' ... '{trouble}' (turn {i})")
    if mentioned:
        return Fact(False, f"the customer names '{mentioned}' but reports no trouble with it (information only)")
    if routes:
        return Fact(True, f"transcript: the agent routes to {routes[0].destination.label}")
    return _NO_INTERNET


def names_every_product(norm: str, product_words: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether a turn names every product (the "Elektrinet or ICONNET?" question)."""
    return all(any(has_phrase(norm, f) for f in forms) for forms in product_words.values())


def _product_question(agent: AgentText, rules: RuleSet) -> int | None:
    """The index of the first agent turn asking the product question."""
    return next(iter(_product_questions(agent, rules)), None)


def _product_questions(agent: AgentText, rules: RuleSet) -> list[int]:
    """The indexes of every agent turn asking the product question."""
    words = rules.transfer.product_words
    if not all(any(f in agent.text for f in forms) for forms in words.values()):
        return []
    return [t.index for t, norm in zip(agent.turns, agent.norms, strict=True) if names_every_product(norm, words)]


def _named_product(norm: str, rules: RuleSet) -> str | None:
    """The one product a customer turn names, or None (none, or both)."""
    if not any(tail in norm for tail in rules.transfer.word_tails):
        return None
    named = [
        product
        for product, forms in rules.transfer.product_words.items()
        if any(has_phrase(norm, f) or _fuzzy_word(norm, f) for f in forms)
    ]
    return named[0] if len(named) == 1 else None


def _product(meta: CallMeta, customer: list[tuple[int, str]], said: _Said, agent: AgentText, rules: RuleSet) -> Fact:
    """The product: manifest, else the customer's answer to the agent's product question, else
    the first customer turn naming one product, else a hint (a SID).

    The answer wins over an earlier passing mention ("aikon net kantor saya mati" ... asked
    "elektrinet atau iconnet?" ... "elektrik net"), as the answer to the app question does.
    """
    if meta.product:
        return Fact(meta.product, "manifest")
    # no product word's tail in what the customer says: no customer turn names a product (see _named_product)
    named = any(tail in said.customer for tail in rules.transfer.word_tails)
    questions = _product_questions(agent, rules) if named else []
    for k in range(len(questions) - 1, -1, -1):  # the last question answered
        stop = questions[k + 1] if k + 1 < len(questions) else None
        for i, norm in customer:
            if i <= questions[k] or (stop is not None and i > stop):
                continue
            product = _named_product(norm, rules)
            if product is not None:
                basis = f"transcript: asked (turn {questions[k]}), the customer answers '{product}' (turn {i})"
                return Fact(product, basis)
    for i, norm in customer if named else ():
        product = _named_product(norm, rules)
        if product is not None:
            return Fact(product, f"transcript: the customer says '{product}' (turn {i})")
    hinted = [
        (product, hints) for product, hints in rules.transfer.product_hints.items() if hints.may_stand_in(said.customer)
    ]
    for i, norm in customer if hinted else ():
        for product, hints in hinted:
            hint = hints.first(norm)
            if hint and not _NEGATION.search(norm[: norm.find(hint)]):
                basis = f"transcript: the customer has a '{hint}', which only {product} customers have (turn {i})"
                return Fact(product, basis)
    return _PRODUCT_UNKNOWN


def _fuzzy_word(norm: str, word: str) -> bool:
    if " " in word or len(word) < 6 or word[-3:] not in norm:
        return False
    return any(len(tok) >= 6 and fuzz.ratio(tok, word) >= 85 for tok in norm.split())


def _transferred(meta: CallMeta, routes: tuple[Route, ...], rules: RuleSet) -> Fact:
    if meta.transfer_code:
        dest = rules.transfer.by_code(meta.transfer_code)
        label = dest.label if dest else f"key {meta.transfer_code}"
        return Fact(True, f"manifest transfer_code {meta.transfer_code} ({label})")
    for route in routes:
        if route.transfer:
            return Fact(True, f"transcript: the agent transfers to {route.destination.label} (turn {route.turn.index})")
    return _NO_TRANSFER
