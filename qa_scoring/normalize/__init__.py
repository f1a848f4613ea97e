"""Text normalization applied alike to transcript turns and to the SOP phrases.

``normalize(text)`` returns lower-case ASCII letters, digits and single spaces, with no
leading or trailing space. It never raises and is idempotent. Steps, in order:

1. Unicode NFKC and case folding; accents are folded to ASCII ("é" -> "e"), any other
   non-ASCII character becomes a space. Apostrophes are dropped ("jum'at" -> "jumat");
   "+" right after an ICON spelling is read "plus" ("icon+" -> "iconplus").
2. Tokenization into runs of letters and runs of digits: every other character is a
   separator, and letters and digits are split apart ("pln123" -> "pln 123"). Number
   separators disappear because adjacent digit tokens are joined in step 5
   ("1.500.071", "1500-071", "1500 071" -> "1500071").
3. Fillers ("eh", "ee", "hmm", ...) are dropped as whole tokens and single-token
   variants rewritten ("makasih" -> "terima kasih", "slamet" -> "selamat").
4. Multi-token variants, in three passes (tables in ``lexicon``): split and spelled
   words ("p l n" -> "pln", "down load" -> "download", "di bantu" -> "dibantu"), then
   brands ("pln mobail" -> "pln mobile", "aikon net" -> "iconnet"), then "niu"/"nyu"
   before "pln" -> "new".
5. Number words to digits, joined with adjacent digit tokens (rules and edge cases in
   ``numbers``): "satu lima nol nol nol tujuh satu" -> "1500071",
   "seratus dua puluh tiga" -> "123".

Edge cases decided here:

* "internet icon" and "wifi icon" are kept: "icon" only merges with a "net" or "plus"
  token right after it, and a split "inter net" is joined to "internet" before the brand
  pass. "ikon"/"aikon" alone become "icon".
* Two numbers with nothing but spaces or punctuation between them become one
  ("1500071 150678" -> "1500071150678"); speech recognition splits one spoken number into
  groups far more often than an agent says two numbers back to back.
* "kosong" alone stays a word (it also means "empty"); "satu" alone is "1", so
  "salah satu" becomes "salah 1" (the SOP phrases get the same treatment). Reduplications
  ("satu-satunya"), rough ranges before a unit ("dua tiga hari") and "kosong" opening a run
  of two ("rumah kosong satu bulan") stay words (see ``numbers``).
* A string of only fillers, punctuation or non-Latin characters normalizes to "".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from qa_scoring.normalize import lexicon
from qa_scoring.normalize.numbers import NUMBER_WORDS, convert_numbers

__all__ = ["name_tokens", "normalize"]

_TOKEN_RE = re.compile(r"[a-z]+|[0-9]+")
_DIGIT_RE = re.compile(r"[0-9]")
# Two digit tokens in a row, in tokens joined by spaces (every token is all digits or all letters).
_DIGIT_PAIR_RE = re.compile(r"[0-9] [0-9]")
_ICON_PLUS_RE = re.compile(r"(icon|ikon|aikon|aicon)\+")
_APOSTROPHES = str.maketrans("", "", "'`\u2018\u2019\u02bc")

Phrases = dict[tuple[str, ...], tuple[str, ...]]


def _compile_token_map() -> dict[str, tuple[str, ...]]:
    """Fillers map to no token, variants to their canonical tokens."""
    table: dict[str, tuple[str, ...]] = {filler: () for filler in lexicon.FILLERS}
    for variant, canonical in lexicon.TOKEN_VARIANTS.items():
        table[variant] = tuple(canonical.split())
    return table


def _expand(pattern: str) -> list[tuple[str, ...]]:
    """All token sequences of a ``"a|b c|d"`` pattern."""
    sequences: list[tuple[str, ...]] = [()]
    for position in pattern.split():
        sequences = [(*seq, alt) for seq in sequences for alt in position.split("|")]
    return sequences


def _compile_phrases(rules: Iterable[tuple[str, str]]) -> tuple[Phrases, frozenset[str], int]:
    """Phrase table keyed by token tuples, the set of first tokens and the longest key."""
    table: Phrases = {}
    for pattern, canonical in rules:
        replacement = tuple(canonical.split())
        for key in _expand(pattern):
            if key != replacement:
                table[key] = replacement
    firsts = frozenset(key[0] for key in table)
    longest = max((len(key) for key in table), default=0)
    return table, firsts, longest


_GLUED_MIN = 6
_SPLIT_WORDS = lexicon.SCRIPT_WORDS | NUMBER_WORDS | frozenset(lexicon.TOKEN_VARIANTS)
_LONGEST = max(len(w) for w in _SPLIT_WORDS)
# First three letters of every word a glued token can start with (a cheap test per token).
_GLUED_HEADS = frozenset(w[:3] for w in _SPLIT_WORDS if len(w) >= 3)
# Never split: script words, spelling variants, and every token the tables can produce.
_UNSPLIT = (
    _SPLIT_WORDS
    | frozenset(w for _, canonical in (*lexicon.SPELLING_PHRASES, *lexicon.BRAND_PHRASES) for w in canonical.split())
    | frozenset(w for canonical in lexicon.TOKEN_VARIANTS.values() for w in canonical.split())
)
_TOKEN_MAP = _compile_token_map()
_TOKEN_KEYS = frozenset(_TOKEN_MAP)
_PASSES = (
    _compile_phrases(lexicon.SPELLING_PHRASES),
    _compile_phrases(lexicon.BRAND_PHRASES),
)


def _follows(table: Phrases) -> dict[str, frozenset[str]]:
    """The second tokens of a table's phrases, by first token (every phrase has two tokens or more)."""
    seconds: dict[str, set[str]] = {}
    for key in table:
        seconds.setdefault(key[0], set()).add(key[1])
    return {first: frozenset(found) for first, found in seconds.items()}


# Per pass: the second tokens of its phrases (a pass without one of them in the turn changes nothing).
_SECONDS = tuple(frozenset(key[1] for key in table) for table, _, _ in _PASSES)
# Every token some step after the glued split reads: fillers and variants, the phrases' first
# and second tokens, the "new" variants and the number words. A turn without any is only
# joined (and its digit tokens checked).
_TRIGGERS = (
    _TOKEN_KEYS
    | frozenset().union(*(firsts for _, firsts, _ in _PASSES), *_SECONDS)
    | lexicon.NEW_VARIANTS
    | NUMBER_WORDS
)
# Per pass: the tokens that can follow a phrase's first token (a cheap test before the table look-ups).
_FOLLOWS = tuple(_follows(table) for table, _, _ in _PASSES)


def _fold(text: str) -> str:
    """NFKC, case fold, strip accents; other non-ASCII characters become spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch if ch < "\x80" else ("" if unicodedata.combining(ch) else " ") for ch in text)


def _apply_phrases(
    tokens: list[str],
    table: Phrases,
    firsts: frozenset[str],
    longest: int,
    follows: dict[str, frozenset[str]] | None = None,
) -> list[str]:
    """Replace phrases left to right, longest match first, without overlap.

    With ``follows`` (``_follows(table)``), a first token whose next token cannot be a phrase's
    second is passed over without looking the phrases up.
    """
    out: list[str] = []
    done, n = 0, len(tokens)  # tokens before ``done`` are in ``out``
    for i in [k for k, tok in enumerate(tokens) if tok in firsts]:  # only a first token starts a phrase
        if i < done:
            continue  # inside a phrase already replaced
        if follows is not None and (i + 1 == n or tokens[i + 1] not in follows[tokens[i]]):
            continue  # no phrase starts with these two tokens
        for size in range(min(longest, n - i), 1, -1):
            replacement = table.get(tuple(tokens[i : i + size]))
            if replacement is not None:
                out.extend(tokens[done:i])
                out.extend(replacement)
                done = i + size
                break
    if not done:
        return tokens  # no phrase: the same list
    out.extend(tokens[done:])
    return out


def _ends_with_word(token: str) -> bool:
    return any(token[-k:] in _SPLIT_WORDS for k in range(3, min(len(token) - 2, _LONGEST) + 1))


def _segments(token: str, words: frozenset[str]) -> tuple[str, ...] | None:
    """``token`` as a run of ``words`` (each of three letters or more, longest first), else None."""
    best: list[tuple[str, ...] | None] = [None] * (len(token) + 1)
    best[len(token)] = ()
    for i in range(len(token) - 3, -1, -1):
        for j in range(len(token), i + 2, -1):
            rest = best[j]
            if rest is not None and token[i:j] in words:
                best[i] = (token[i:j], *rest)
                break
    return best[0]


@lru_cache(maxsize=8192)
def _split_glued(token: str) -> tuple[str, ...]:
    """A token the recogniser ran together from script words, split; other tokens unchanged."""
    if len(token) < _GLUED_MIN or token in _UNSPLIT or not token.isalpha():
        return (token,)
    if not token.startswith(lexicon.GLUED_HONORIFICS) and not _ends_with_word(token):
        return (token,)  # no script word at its end: no split (cheap test before the segmentation)
    pieces = _segments(token, _SPLIT_WORDS)
    if pieces is not None and len(pieces) > 1:
        return pieces
    for honorific in lexicon.GLUED_HONORIFICS:
        rest = token[len(honorific) :]
        if token.startswith(honorific) and len(rest) >= 3:
            return (honorific, *_split_glued(rest))
    return (token,)


_DROPPED = frozenset(tok for tok, canonical in _TOKEN_MAP.items() if not canonical)  # the fillers
_REWRITTEN = _TOKEN_KEYS - _DROPPED


def _map_tokens(tokens: list[str]) -> list[str]:
    """Fillers dropped, single-token variants rewritten."""
    mapped: list[str] = []
    for tok in tokens:
        replacement = _TOKEN_MAP.get(tok)
        if replacement is None:
            mapped.append(tok)
        else:
            mapped.extend(replacement)
    return mapped


# Tokens known to stay whole in ``_split_glued`` (most words of most turns, and the misspelt
# words that only look glued, such as "terdeat").
_NOT_GLUED: set[str] = set()
_NOT_GLUED_MAX = 100_000


def _any_glued(tokens: list[str]) -> bool:
    """Whether a token splits in ``_split_glued``; the tokens that do not are remembered."""
    found = False
    for tok in tokens:
        if len(tok) >= _GLUED_MIN and tok[:3] in _GLUED_HEADS and tok not in _UNSPLIT and len(_split_glued(tok)) > 1:
            found = True
        elif tok not in _NOT_GLUED:
            if len(_NOT_GLUED) >= _NOT_GLUED_MAX:
                _NOT_GLUED.clear()
            _NOT_GLUED.add(tok)
    return found


def _tokenize(text: str, folded: bool) -> tuple[list[str], bool]:
    """The runs of letters and the runs of digits of a lower-case text, and whether there is a digit run.

    A lower-case ASCII text of letters, digits and spaces whose words are all letters or all
    digits is only split at its spaces (far cheaper than the regex); ``folded`` (``_fold``
    output) always takes the regex.
    """
    if not folded:
        bare = text.replace(" ", "")
        if bare.isalpha():  # ASCII: letters a-z only (the text is lower case)
            return text.split(), False
        if bare.isalnum():  # ASCII: letters and digits 0-9
            tokens = text.split()
            if all(tok.isalpha() or tok.isdigit() for tok in tokens):  # no "pln123"
                return tokens, True
    return _TOKEN_RE.findall(text), _DIGIT_RE.search(text) is not None


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Normalize one turn or SOP phrase for fuzzy matching (see the module docstring).

    Cached: back-channel turns ("iya", "baik mbak", "tidak") repeat across every call.
    """
    folded = not text.isascii()
    if folded:
        text = _fold(text)
    else:
        text = text.lower()
        if "'" in text or "`" in text:
            text = text.translate(_APOSTROPHES)
    if "+" in text:
        text = _ICON_PLUS_RE.sub(r"\1 plus ", text)
    tokens, digits = _tokenize(text, folded)
    if not tokens:
        return ""
    if not _NOT_GLUED.issuperset(tokens) and _any_glued(tokens):
        tokens = [piece for tok in tokens for piece in _split_glued(tok)]
    hits = _TRIGGERS.intersection(tokens)  # the tokens some later step reads, worked out again when one changes them
    if hits:
        if not _TOKEN_KEYS.isdisjoint(hits):
            if _REWRITTEN.isdisjoint(hits):  # fillers only (the common case): dropped
                tokens = [tok for tok in tokens if tok not in _DROPPED]
                hits -= _DROPPED
            else:
                tokens = _map_tokens(tokens)
                hits = _TRIGGERS.intersection(tokens)
        for (table, firsts, longest), seconds, follows in zip(_PASSES, _SECONDS, _FOLLOWS, strict=True):
            if not firsts.isdisjoint(hits) and not seconds.isdisjoint(hits):
                replaced = _apply_phrases(tokens, table, firsts, longest, follows)
                if replaced is not tokens:
                    tokens, hits = replaced, _TRIGGERS.intersection(replaced)
        if not lexicon.NEW_VARIANTS.isdisjoint(hits):
            last = len(tokens) - 1
            tokens = [
                lexicon.NEW_CANONICAL
                if tok in lexicon.NEW_VARIANTS and i < last and tokens[i + 1] == lexicon.NEW_CONTEXT
                else tok
                for i, tok in enumerate(tokens)
            ]
    joined = " ".join(tokens)  # no step above makes or drops a digit token
    if NUMBER_WORDS.isdisjoint(hits) and (not digits or _DIGIT_PAIR_RE.search(joined) is None):
        return joined  # no number word and no two digit tokens in a row: no number run to convert
    return " ".join(convert_numbers(tokens))


@lru_cache(maxsize=8192)
def name_tokens(text: str) -> tuple[str, ...]:
    """The words of ``text`` as heard, for comparing names: folded to lower-case ASCII letters,
    fillers dropped, words the recogniser ran together split as in ``normalize`` ("ibusri"),
    but no word rewritten: "slamet" stays "slamet" (a name), where ``normalize`` reads the
    greeting "selamat". Digits are dropped.
    """
    folded = _fold(text) if not text.isascii() else text.lower().translate(_APOSTROPHES)
    tokens = [t for t in _TOKEN_RE.findall(folded) if t.isalpha() and t not in lexicon.FILLERS]
    return tuple(piece for tok in tokens for piece in _split_glued(tok))
