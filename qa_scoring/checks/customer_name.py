"""Rule type ``customer_name``: the thank-you addresses the customer by name.

Options: ``after`` (the thank-you check, a ``closing_phrase``), ``honorifics`` (Bapak, Pak,
Ibu, Bu), ``name_threshold`` (similarity for a name part), ``min_name_length`` (shorter
name parts are ignored).

Any part of ``customer_name`` counts (the first name is enough), after an honorific with at
most one word between; two recognised words may make one name ("sulis tiowati").
``na`` when the name is unknown or the thank-you is missing.

PASS: "... selamat siang bapak budhi" for Budi Santoso. FAIL: "... selamat siang bapak"
or "... ibu ani" for Sri Wahyuni.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.messages import msg
from qa_scoring.model import CheckResult
from qa_scoring.normalize import normalize
from qa_scoring.rules.section import Section

TYPE = "customer_name"
SCOPE = "closing"
_TITLES = {"bapak", "pak", "ibu", "bu", "sdr", "sdri", "saudara", "saudari", "nyonya", "tuan", "h", "hj", "ir", "dr"}


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled customer_name rule."""

    after: object
    honorifics: frozenset[str]
    threshold: float
    min_length: int
    short_form_min_length: int
    short_form_score: float


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    head = ctx.head(sec)
    return Rule(
        **head,
        after=ctx.reference(sec, "after", ("closing_phrase",)),
        honorifics=frozenset(normalize(h) for h in sec.str_list("honorifics", required=True)),
        threshold=sec.number("name_threshold", 75),
        min_length=int(sec.number("min_name_length", 3, low=1, high=20)),
        short_form_min_length=int(sec.number("short_form_min_length", 4, low=1, high=20)),
        short_form_score=sec.number("short_form_score", 90),
    )


def name_parts(rule: Rule, name: str) -> list[str]:
    """The parts of a customer's name worth matching."""
    return [p for p in normalize(name).split() if len(p) >= rule.min_length and p not in _TITLES | rule.honorifics]


_SPELLINGS = (
    ("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "k"), ("sh", "s"), ("y", "i"),
    ("ph", "p"), ("v", "p"), ("f", "p"),  # f, v and p sound alike to a recogniser ("pajar" for Fajar)
)  # fmt: skip


@lru_cache(maxsize=8192)
def name_key(word: str) -> str:
    """A spelling-neutral form of a name: old Indonesian spellings modernised, y as i, f/v/ph as p,
    no doubled letters.

    "Merry" and "meri", "Soekarno" and "sukarno", "Christina" and "kristina", "Evi" and "efi" get one key.
    """
    for old, new in _SPELLINGS:
        word = word.replace(old, new)
    return "".join(ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1])


def _similarity(rule: Rule, heard: str, part: str) -> float:
    short = len(heard) >= rule.short_form_min_length and len(part) > len(heard)
    if short and (part.startswith(heard) or part.endswith(heard)):
        return rule.short_form_score  # the short form people use: "wulan" for Wulandari, "santi" for Susanti
    raw = fuzz.ratio(heard, part)
    if raw >= 90 or abs(len(heard) - len(part)) > 4:
        return raw  # close enough already, or too different in length for a respelling to matter
    return max(raw, fuzz.ratio(name_key(heard), name_key(part)))


def _best_name(
    rule: Rule, tokens: list[tuple[str, int]], positions: Iterable[int], parts: list[str]
) -> tuple[float, str, int]:
    """The best (similarity, word, turn) of a name part at ``positions`` (a word or two joined)."""
    best = (0.0, "", 0)
    for i in positions:
        words = [t for t, _ in tokens[i : i + 2]]
        score = max(_similarity(rule, c, p) for c in (*words, "".join(words)) for p in parts)
        if score > best[0]:
            best = (score, tokens[i][0], tokens[i][1])
    return best


def _loose_best(tokens: list[tuple[str, int]], parts: list[str]) -> tuple[float, str, int]:
    """The best (similarity, word, turn) of a name part anywhere, honorific or not (one pass in C per part)."""
    words = [t for t, _ in tokens]
    keys = [name_key(w) for w in words]
    best = (0.0, "", 0)
    for part in parts:
        for pool, needle in ((words, part), (keys, name_key(part))):
            hit = process.extractOne(needle, pool, scorer=fuzz.ratio)
            if hit is not None and hit[1] > best[0]:
                best = (float(hit[1]), tokens[hit[2]][0], tokens[hit[2]][1])
    return best


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when an honorific is followed by a part of the customer's name."""
    parts = name_parts(rule, view.meta.customer_name or "")
    if not parts:
        return rule.result("na", msg("customer_name.unknown"))
    thanks = view.closing.said(rule.after.phrase)
    if thanks is None:
        return rule.result("na", msg("closing.no_thanks"))
    region = view.thanks_region(thanks)
    tokens = [(tok, k) for k, norm in enumerate(region.norms) for tok in norm.split()]
    titled_at = [i for i in range(len(tokens)) if any(t in rule.honorifics for t, _ in tokens[max(0, i - 2) : i])]
    best, titled = _best_name(rule, tokens, titled_at, parts), True
    if best[0] < rule.threshold:
        loose = _loose_best(tokens, parts)
        if loose[0] > best[0]:
            best, titled = loose, False
    score, word, turn_pos = best
    turn = region.turns[turn_pos]
    kind = "match" if score >= rule.threshold and titled else "nearest_miss"
    ev = view.turn_evidence(turn, kind, f"Bapak/Ibu {view.meta.customer_name}", score)
    if score >= rule.threshold and titled:
        return rule.result("pass", msg("customer_name.said", word=word), ev)
    if score >= rule.threshold:
        return rule.result("fail", msg("customer_name.no_honorific", word=word), ev)
    return rule.result("fail", msg("customer_name.missing", name=view.meta.customer_name), ev)
