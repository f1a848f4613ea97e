"""Fuzzy phrase matching over the agent's normalised words, with turn-level evidence."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from rapidfuzz import fuzz

from qa_scoring.model import Evidence, Turn
from qa_scoring.normalize import normalize


@dataclass(frozen=True)
class PhraseSpec:
    """An SOP phrase: shown as written; said when any form scores at least the threshold.

    A form is a tuple of parts that must all be heard (the phrase's core); the
    alternatives are further one-part forms.
    """

    text: str
    forms: tuple[tuple[str, ...], ...]
    threshold: float

    @classmethod
    def build(cls, text: str, core: Sequence[str], alternatives: Sequence[str], threshold: float) -> PhraseSpec:
        """Normalise the parts once, at rule loading."""
        core_parts = tuple(normalize(p) for p in core) or (normalize(text),)
        forms = (core_parts, *((normalize(a),) for a in alternatives))
        return cls(text=text, forms=tuple(f for f in forms if all(f)), threshold=threshold)


_V = TypeVar("_V")


class PerRuleSet(Generic[_V]):
    """A value worked out once per rule set, kept beside it (never on it, so a rule set pickles as it is).

    Keyed by the rule set's identity; a worker process builds its own on first use.
    """

    def __init__(self, build: Callable[[Any], _V]) -> None:
        self._build = build
        self._values: dict[int, tuple[Any, _V]] = {}

    def __call__(self, rules: Any) -> _V:
        found = self._values.get(id(rules))
        if found is not None and found[0] is rules:
            return found[1]
        if len(self._values) >= 8:
            self._values.clear()
        value = self._build(rules)
        self._values[id(rules)] = (rules, value)
        return value


@dataclass(frozen=True)
class Hit:
    """Where a phrase scored best in an AgentText (character span of the normalised text)."""

    score: float
    start: int
    end: int


def make_hit(score: float, start: int, end: int) -> Hit:
    """``Hit(score, start, end)``, built without the frozen dataclass's ``object.__setattr__`` per field."""
    hit = _new_object(Hit)
    hit.__dict__.update(score=score, start=start, end=end)
    return hit


def make_evidence(
    kind: str, phrase: str, similarity: float, text: str, turn: int | None, start: float | None, time: str | None
) -> Evidence:
    """``Evidence(...)`` with every field given, built without the frozen dataclass's
    ``object.__setattr__`` per field; the same object in every respect."""
    evidence = _new_object(Evidence)
    evidence.__dict__.update(
        kind=kind, phrase=phrase, similarity=similarity, text=text, turn=turn, start=start, time=time
    )
    return evidence


_new_object = object.__new__
ratio = fuzz.ratio
alignment = fuzz.partial_ratio_alignment


def align(needle: str, hay: str, cutoff: float = 0) -> tuple[float, int, int]:
    """Best partial alignment of ``needle`` in ``hay``: (similarity 0-100, start, end).

    With ``cutoff``, a similarity below it may be reported as 0 (faster).
    """
    if not needle or not hay:
        return 0.0, 0, 0
    if len(needle) > len(hay):
        return float(fuzz.ratio(needle, hay, score_cutoff=cutoff)), 0, len(hay)
    res = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=cutoff)
    if res is None:
        return 0.0, 0, 0
    return float(res.score), res.dest_start, res.dest_end


def clock_text(when: datetime | None) -> str | None:
    """``HH:MM:SS`` of a local time (None stays None)."""
    return None if when is None else f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"


class Terms:
    """A list of normalised words or phrases, found as whole words with one compiled regex."""

    def __init__(self, phrases: Sequence[str]) -> None:
        self.phrases = tuple(normalize(p) for p in phrases if normalize(p))
        self._padded = tuple(f" {p} " for p in self.phrases)
        alts = sorted(set(self.phrases), key=len, reverse=True)
        self._re = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(p) for p in alts) + r")(?!\S)") if alts else None

    def first(self, text: str) -> str | None:
        """The first of the phrases standing in ``text``, or None."""
        if self._re is None:
            return None
        found = self._re.search(text)
        return found.group() if found else None

    def __contains__(self, text: str) -> bool:
        return self.first(text) is not None

    def may_stand_in(self, padded: str) -> bool:
        """Whether a phrase may stand in ``padded`` (texts joined by spaces, with one before and after).

        A cheap substring test: False means ``first`` finds nothing in any of the joined texts.
        """
        return any(needle in padded for needle in self._padded)


class AgentText:
    """The normalised text of a run of agent turns, read as one text.

    Consecutive agent turns are joined with a space, so a sentence split by the
    customer's "iya" still matches; every character maps back to its turn.
    """

    def __init__(self, turns: Sequence[Turn], norms: Sequence[str]) -> None:
        self.turns: tuple[Turn, ...] = tuple(turns)
        self.norms: tuple[str, ...] = tuple(norms)
        starts: list[int] = []
        pos = 0
        for norm in self.norms:
            starts.append(pos)
            pos += len(norm) + 1
        self.starts = starts
        self.text = " ".join(self.norms)
        self._found: dict[tuple[int, int, int | None], Hit] = {}
        self.memo: dict[object, object] = {}  # what a check works out from this text, for the checks after it
        # where a hit's evidence lies, by its span (the order check asks again for the others' hits)
        self._places: dict[tuple[int, int], tuple[str, Turn]] = {}
        self._below: set[tuple[int, float]] = set()  # (phrase, floor) of find_above's misses

    def tail(self, first: int) -> AgentText:
        """The same text from turn position ``first`` on."""
        return AgentText(self.turns[first:], self.norms[first:])

    def span(self, first: int, stop: int) -> AgentText:
        """The same text from turn position ``first`` up to (not including) ``stop``."""
        return AgentText(self.turns[first:stop], self.norms[first:stop])

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def turn_at(self, pos: int) -> int:
        """Position in ``self.turns`` of the turn holding character ``pos``."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def find(self, spec: PhraseSpec, start: int = 0, end: int | None = None) -> Hit:
        """The best-scoring form of ``spec`` in the text between characters ``start`` and ``end``."""
        key = (id(spec), start, end)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._search(spec, start, end, 0.0)  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    def find_above(self, spec: PhraseSpec, floor: float) -> Hit | None:
        """``find(spec)`` when its score reaches ``floor``, else None: alignments that cannot reach
        ``floor`` (at most the phrase's threshold) are cut short."""
        key = (id(spec), 0, None)
        found = self._found.get(key)
        if found is not None:
            return found if found.score >= floor else None
        below = (id(spec), floor)
        if below in self._below:
            return None
        found = self._search(spec, 0, None, floor)
        if found is None:
            self._below.add(below)
        else:
            self._found[key] = found
        return found

    def _search(self, spec: PhraseSpec, start: int, end: int | None, floor: float) -> Hit | None:
        """The body of ``find`` (``floor`` 0) and ``find_above``."""
        hay = self.text[start:end]
        size = len(hay)
        best_score, lo, hi = 0.0, 0, 0
        threshold = spec.threshold
        # A later form counts only when it scores above the best so far (and the floor): its
        # alignments are asked for with that cutoff (a lower score comes back as 0, a higher one as
        # without the cutoff; the floor's cutoff lies a little below it, the floor itself is told here).
        least = floor - 1e-6 if floor > 0 else 0.0
        for form in spec.forms:
            cutoff = best_score if best_score > least else least
            score, first, last = 100.0, size, 0
            for part in form:
                if not part or not size:
                    score = 0.0
                    break
                if len(part) > size:
                    part_score, part_first, part_last = ratio(part, hay, score_cutoff=cutoff), 0, size
                else:
                    res = alignment(part, hay, score_cutoff=cutoff)
                    if res is None:
                        score = 0.0
                        break
                    part_score, part_first, part_last = res.score, res.dest_start, res.dest_end
                if part_score <= best_score or part_score < floor:
                    score = part_score
                    break  # this form cannot win: its other parts need not be aligned
                if part_score < score:
                    score = part_score
                if part_first < first:
                    first = part_first
                if part_last > last:
                    last = part_last
            if score > best_score and score >= floor:
                best_score, lo, hi = float(score), first + start, last + start
                if score >= threshold:
                    break  # the core (or an earlier wording) is heard: later wordings add nothing
        if floor and best_score < floor:
            return None
        return make_hit(best_score, lo, hi)

    def said(self, spec: PhraseSpec, start: int = 0, end: int | None = None) -> Hit | None:
        """The best hit when it reaches the phrase's threshold, else None."""
        hit = self.find(spec, start, end)
        return hit if hit.score >= spec.threshold else None

    def evidence(
        self,
        hit: Hit,
        phrase: str,
        kind: str,
        clock: Callable[[Turn], datetime | None],
    ) -> Evidence:
        """Evidence for a hit: the agent turn(s) it spans, their time and words as written."""
        return self.evidence_at(hit, phrase, kind, lambda turn: clock_text(clock(turn)))

    def evidence_at(self, hit: Hit, phrase: str, kind: str, time: Callable[[Turn], str | None]) -> Evidence:
        """``evidence`` with the turn's time told by ``time`` (its clock as ``HH:MM:SS``: ``CallView.clock_text``)."""
        key = (hit.start, hit.end)
        place = self._places.get(key)
        if place is None:
            if not self.turns:
                return Evidence(kind=kind, phrase=phrase, similarity=hit.score)  # type: ignore[arg-type]
            place = self._places[key] = self._place(hit)
        text, turn = place
        return make_evidence(kind, phrase, hit.score, text, turn.index, turn.start, time(turn))

    def _place(self, hit: Hit) -> tuple[str, Turn]:
        """(words as written, first turn) of the turns a hit spans."""
        first = self.turn_at(hit.start)
        turn = self.turns[first]
        following = first + 1
        if following < len(self.starts) and max(hit.start, hit.end - 1) >= self.starts[following]:
            last = self.turn_at(max(hit.start, hit.end - 1))
            return " / ".join([t.text for t in self.turns[first : last + 1]]), turn
        return turn.text, turn  # the hit lies in one turn
