"""Rule type ``customer_name``: the thank-you addresses the customer by name.

Options: ``after`` (the thank-you check, a ``closing_phrase``), ``honorifics`` (Bapak, Pak,
Ibu, Bu), ``titles`` (titles and degrees of a manifest name, and their spoken forms, never
a name part: "drg. Mala Sudiati, S.Ked" is Mala Sudiati, and "bapak haji budi" names Budi),
``not_name_words`` (words of the closing that end the name slot and are never a name:
"selamat", "malam", "semoga"), ``greeting_words`` (a word before one of them is the
greeting's "selamat", however spelt), ``max_name_words`` (the slot's length), ``name_threshold``
(similarity of the spelling-neutral forms), ``name_ending_letters`` (a respelt name must end
as the name does), ``min_name_length`` (shorter name parts are not matched alone),
``short_form_min_length``, ``short_form_min_dropped`` and ``short_form_score`` (the short form
of a long name: "wulan" for Wulandari, but not "agus" for Bagus).

The name is looked for only in the **slot** right after an honorific: the words that follow
it (titles skipped) up to the first word of ``not_name_words`` or the greeting, at most
``max_name_words``.
Words are compared as heard (no normaliser rewrite: "slamet" is not "selamat") in a
spelling-neutral form (``name_key``). A slot word, or two or three slot words run together
("sulis tiowati"), matches a part of the name, or two or three parts run together
("budisantoso" for Budi Santoso, "abdul rahman" for Abdulrahman), when the forms are equal,
when it is the short form of a part ("wulan" for Wulandari), or when it is at least
``name_threshold`` similar, differs only in a vowel a recogniser slips on (e/i, a/o/u: Kariman
is not Karman, nor Heryanto Haryanto) and ends with the same ``name_ending_letters`` letters
(Budi is not Rudi, Putri not Putra, Haryanto not Harsanto). The honorific's gender is not
checked.
``na`` when the name is unknown or the thank-you is missing.

PASS: "... selamat siang bapak budhi" for Budi Santoso. FAIL: "... selamat siang bapak",
"... ibu ani" for Sri Wahyuni, "... selamat malam ibu" for Mala.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from qa_scoring.analysis import CallView
from qa_scoring.checks.base import BaseRule, CompileContext
from qa_scoring.messages import msg
from qa_scoring.model import CheckResult
from qa_scoring.normalize import name_tokens
from qa_scoring.rules.section import Section

TYPE = "customer_name"
SCOPE = "closing"
_MAX_JOIN = 3  # name words run together, or one name cut in pieces, compared as one


@dataclass(frozen=True)
class Rule(BaseRule):
    """A compiled customer_name rule."""

    after: object
    honorifics: frozenset[str]
    titles: frozenset[str]
    not_names: frozenset[str]
    greetings: frozenset[str]
    max_words: int
    threshold: float
    ending: int
    min_length: int
    short_form_min_length: int
    short_form_score: float
    short_form_min_dropped: int


def _words(items: list[str]) -> frozenset[str]:
    return frozenset(w for item in items for w in name_tokens(item.replace(".", "")))


def compile(sec: Section, ctx: CompileContext) -> Rule:
    """Validate and compile the rule's keys."""
    head = ctx.head(sec)
    return Rule(
        **head,
        after=ctx.reference(sec, "after", ("closing_phrase",)),
        honorifics=_words(sec.str_list("honorifics", required=True)),
        titles=_words(sec.str_list("titles", [])),
        not_names=_words(sec.str_list("not_name_words", [])),
        greetings=_words(sec.str_list("greeting_words", [])),
        max_words=int(sec.number("max_name_words", 4, low=1, high=10)),
        threshold=sec.number("name_threshold", 90),
        ending=int(sec.number("name_ending_letters", 2, low=0, high=10)),
        min_length=int(sec.number("min_name_length", 3, low=1, high=20)),
        short_form_min_length=int(sec.number("short_form_min_length", 4, low=1, high=20)),
        short_form_score=sec.number("short_form_score", 90),
        short_form_min_dropped=int(sec.number("short_form_min_dropped", 2, low=1, high=20)),
    )


def name_parts(rule: Rule, name: str) -> list[str]:
    """The words of a customer's name as the agent would say them: titles and degrees left out.

    Degrees follow a comma ("Mala Sudiati, S.Ked") or are listed titles ("Budi S.Kom").
    """
    written = name.split(",")[0].split()
    kept = [w for w in written if re.sub(r"[^a-z]", "", w.lower()) not in rule.titles]
    return [w for w in name_tokens(" ".join(kept)) if w not in rule.titles and w not in rule.honorifics]


class _Name:
    """A customer's name as one rule compares it, worked out once per rule and name (the manifest
    names the same customers call after call): its parts, the targets a slot is compared with,
    and the best target of each run of heard words met so far."""

    __slots__ = ("_best_of", "known", "parts", "phrase", "targets")

    def __init__(self, rule: Rule, name: str) -> None:
        self.parts = name_parts(rule, name)
        self.known = any(len(p) >= rule.min_length for p in self.parts)
        self.phrase = f"Bapak/Ibu {' '.join(self.parts)}"
        self.targets = tuple(
            (t, name_key(t), j - i == 1) for t, i, j in _joins(self.parts) if j - i > 1 or len(t) >= rule.min_length
        )
        self._best_of: dict[tuple[str, bool], tuple[float, str] | None] = {}

    def best_of(self, rule: Rule, words: str, single: bool) -> tuple[float, str] | None:
        """(score, target) of the first target scoring best against heard ``words`` (None: no targets)."""
        key = (words, single)
        memo = self._best_of
        if key in memo:
            return memo[key]
        heard = name_key(words)
        best: tuple[float, str] | None = None
        for target, target_key, single_target in self.targets:
            score = _key_similarity(rule, heard, target_key, single_target and single)
            if best is None or score > best[0]:
                best = (score, target)
        global _best_of_entries
        if _best_of_entries >= _BEST_OF_MAX:  # one budget for all the names: memory stays flat
            for _, known in _NAMES.values():
                known._best_of.clear()
            _best_of_entries = 0
        memo[key] = best
        _best_of_entries += 1
        return best


# _Name by (rule identity, name)
_NAMES: dict[tuple[int, str], tuple[Rule, _Name]] = {}
_NAMES_MAX = 4096
_BEST_OF_MAX = 65536  # best targets kept, all names together
_best_of_entries = 0


def _name(rule: Rule, name: str) -> _Name:
    """The ``_Name`` of ``name`` under ``rule``, built once."""
    key = (id(rule), name)
    found = _NAMES.get(key)
    if found is not None and found[0] is rule:
        return found[1]
    value = _Name(rule, name)
    if len(_NAMES) >= _NAMES_MAX:
        global _best_of_entries
        _NAMES.clear()
        _best_of_entries = 0
    _NAMES[key] = (rule, value)
    return value


_SPELLINGS = (
    ("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "h"), ("kh", "h"), ("dh", "d"),
    ("th", "t"), ("sh", "s"), ("sy", "s"), ("q", "k"), ("x", "ks"), ("y", "i"), ("ph", "p"), ("v", "p"),
    ("f", "p"),  # f, v, p sound alike to a recogniser
)  # fmt: skip
_O_BEFORE_END = re.compile(r"o(?=.)")
_VOWEL_CLASSES = str.maketrans("eijou", "iiiaa")
_SCHWA = re.compile(r"^([bcdgkpst])e([lr])")
_FINAL = {"d": "t", "b": "p"}  # a final d or b is heard as t or p: Rahmad and Rahmat, Ayub and Ayup


@lru_cache(maxsize=16384)
def name_key(word: str) -> str:
    """A spelling-neutral form of a name: old Indonesian spellings modernised, sy as s, q as k, x as
    ks, y as i, f/v/ph as p,
    ch and kh as h (chr as kr), dh and th as d and t, o as u but at the end, no doubled letters,
    no h at the end after a vowel, no e in an opening cluster ("selamet", "seri"), a final d or b
    as t or p.

    "Merry" and "meri", "Soekarno" and "sukarno", "Christina" and "kristina", "Budhi" and
    "budi", "Fatimah" and "fatima", "Achmad" and "ahmad", "Mohammad" and "muhammad" get one key.
    """
    if word.startswith("chr"):
        word = "k" + word[2:]  # Christina
    for old, new in _SPELLINGS:
        word = word.replace(old, new)
    if len(word) > 3 and word.endswith("h") and word[-2] in "aeiou":
        word = word[:-1]
    word = _O_BEFORE_END.sub("u", word)  # Mohammad and Muhammad; a final o (Putro, Yanto) stays
    word = _SCHWA.sub(r"\1\2", word)  # "selamet" for Slamet, "perakoso" for Prakoso
    if word[-1:] in _FINAL:
        word = word[:-1] + _FINAL[word[-1]]
    return "".join(ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1])


def _shape(key: str) -> str:
    """The consonants in their places, e/i (and j, the old spelling of y) alike, a/o/u alike: the
    vowel slips of a recogniser keep the shape ("johanes", "yohanis" for Yohanes, "purnamo" for
    Purnomo); Kariman/Karman, Haryanto/Heryanto, Daliman/Dalimin do not."""
    return key.translate(_VOWEL_CLASSES)


def _joins(words: list[str]) -> list[tuple[str, int, int]]:
    """(words run together, first, stop) for every run of one to three consecutive words."""
    return [
        ("".join(words[i:j]), i, j) for i in range(len(words)) for j in range(i + 1, min(len(words), i + _MAX_JOIN) + 1)
    ]


def _key_similarity(rule: Rule, a: str, b: str, single: bool) -> float:
    """How well a heard word (or words run together) stands for a name part (or parts run together),
    both as spelling-neutral forms (``name_key``).

    100 when the forms are equal; ``short_form_score`` for the short form of a long part or
    the part without its initial h (``single`` words only); else the similarity of the forms,
    which counts only when they differ only in a vowel a recogniser slips on and end alike
    (the ending tells Putri from Putra).
    """
    if a == b:
        return 100.0
    short = len(a) >= rule.short_form_min_length and len(b) - len(a) >= rule.short_form_min_dropped
    if single and short and (b.startswith(a) or b.endswith(a)):
        return rule.short_form_score  # "wulan" for Wulandari, "santi" for Susanti
    if single and len(a) >= rule.short_form_min_length and b[:1] == "h" and b[1:] == a:
        return rule.short_form_score  # an initial h not heard: "endra" for Hendra (not "agus" for Bagus)
    score = fuzz.ratio(a, b)
    if (rule.ending and a[-rule.ending :] != b[-rule.ending :]) or _shape(a) != _shape(b):
        return min(score, rule.threshold - 1)  # another name, however close: Putra, Haryanto, Bakiono
    return score


@dataclass(frozen=True)
class _Match:
    score: float
    words: str  # as heard, with the honorific when there is one
    part: str  # the part(s) of the name matched
    turn: int  # position of the turn in the thank-you region


def _best(rule: Rule, slot: list[tuple[str, int]], name: _Name, lead: str) -> _Match | None:
    """The best match of a slot's words against the name's parts: the first run of words, and
    its first target, with the highest score."""
    heard = [w for w, _ in slot]
    count = len(heard)
    min_length = rule.min_length
    memo = name._best_of
    best: tuple[float, str] | None = None
    at = 0, 0
    for i in range(count):  # the runs in the order of _joins(heard)
        words = ""
        for j in range(i + 1, min(count, i + _MAX_JOIN) + 1):
            words += heard[j - 1]
            if len(words) < min_length:
                continue
            single = j - i == 1
            found = memo.get((words, single), _UNKNOWN)
            if found is _UNKNOWN:
                found = name.best_of(rule, words, single)
            if found is not None and (best is None or found[0] > best[0]):  # type: ignore[index]
                best, at = found, (i, j)  # type: ignore[assignment]
    if best is None:
        return None
    i, j = at
    said = " ".join(heard[:j] if lead else heard[i:j])  # every word from the honorific on
    return _Match(best[0], f"{lead} {said}".strip(), best[1], slot[i][1])


_UNKNOWN = object()  # not in a name's memo of best targets


def _slots(rule: Rule, tokens: list[tuple[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """(honorific and the titles after it, the words after them that may be the name) for every honorific."""
    out = []
    for k, (tok, _) in enumerate(tokens):
        if tok not in rule.honorifics:
            continue
        j = k + 1
        while j < len(tokens) and tokens[j][0] in rule.titles:
            j += 1
        slot: list[tuple[str, int]] = []
        while j < len(tokens) and len(slot) < rule.max_words:
            word = tokens[j][0]
            greeting = j + 1 < len(tokens) and tokens[j + 1][0] in rule.greetings  # "selamet malam"
            if word in rule.not_names or word in rule.honorifics or greeting:
                break
            slot.append(tokens[j])
            j += 1
        lead = " ".join(t for t, _ in tokens[k : j - len(slot)])
        out.append((lead, slot))
    return out


def evaluate(rule: Rule, view: CallView) -> CheckResult:
    """Pass when an honorific is followed by a part of the customer's name."""
    name = view.meta.customer_name or ""
    known = _name(rule, name)
    if not known.known:
        return rule.result("na", msg("customer_name.unknown"))
    thanks = view.closing.said(rule.after.phrase)
    if thanks is None:
        return rule.result("na", msg("closing.no_thanks"))
    region = view.thanks_region(thanks)
    tokens = [(tok, k) for k, turn in enumerate(region.turns) for tok in name_tokens(turn.text)]
    best: _Match | None = None
    for lead, slot in _slots(rule, tokens):
        found = _best(rule, slot, known, lead)
        if found is not None and (best is None or found.score > best.score):
            best = found
    phrase = known.phrase
    if best is not None and best.score >= rule.threshold:
        ev = view.turn_evidence(region.turns[best.turn], "match", phrase, best.score)
        return rule.result("pass", msg("customer_name.said", word=best.words, part=best.part), ev)
    loose = _best(rule, [t for t in tokens if t[0] not in rule.not_names], known, "")
    if loose is not None and loose.score >= rule.threshold:
        ev = view.turn_evidence(region.turns[loose.turn], "nearest_miss", phrase, loose.score)
        return rule.result("fail", msg("customer_name.no_honorific", word=loose.words), ev)
    near = max((m for m in (best, loose) if m is not None), key=lambda m: m.score, default=None)
    turn = region.turns[near.turn] if near is not None else region.turns[-1]
    ev = view.turn_evidence(turn, "nearest_miss", phrase, near.score if near is not None else 0.0)
    return rule.result("fail", msg("customer_name.missing", name=name), ev)
