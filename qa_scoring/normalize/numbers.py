"""Indonesian number words to digits, on a token list.

A *run* is a maximal sequence of number tokens: digit strings ("071"), digit words
("nol", "kosong", "satu" ... "sembilan"), the "se-" words ("sepuluh", "sebelas",
"seratus", "seribu", "sejuta", "semiliar") and the multipliers ("belas", "puluh", "ratus",
"ribu", "juta", "miliar", "milyar"). Each run becomes as few tokens as possible:

* A run without "se-" words or multipliers is read digit by digit and joined:
  "satu lima nol nol nol tujuh satu" -> "1500071", "satu lima 0 0 0 7 1" -> "1500071",
  "1500 071" -> "1500071". Leading zeros are kept ("kosong delapan satu dua" -> "0812").
* Otherwise the run is read left to right as a sequence of pieces, each either a
  compound number or a single digit, and the pieces are concatenated, because numbers in
  PLN 123 calls (phone numbers, customer ids) are spoken in groups:
  "seratus dua puluh tiga" -> "123", "dua puluh lima" -> "25",
  "seratus lima puluh ribu enam ratus tujuh puluh delapan" -> "150678",
  "lima belas nol enam tujuh puluh delapan" -> "15" "0" "6" "78" -> "150678".
  Two compound numbers in a row are therefore joined too: "dua puluh tiga puluh" ->
  "2030" (this is forced anyway: adjacent digit tokens are always joined, and the
  output must be idempotent).

Compound grammar (values below 1000 are "small"):

* small: [``seratus`` | D ``ratus``] [``sepuluh`` | ``sebelas`` | D ``belas`` |
  D ``puluh`` [D]] [D], where D is a digit word 1-9 ("nol"/"kosong" never take a
  multiplier).
* compound: groups ``small juta`` / ``sejuta``, ``small ribu`` / ``seribu`` (and
  ``miliar``), in falling order, then an optional small.
* Colloquial reading: right after a hundred, exactly two bare digit words fill the tens
  and units ("seratus dua tiga" -> "123"); right after a group multiplier, two or three
  bare digit words fill the low digits ("dua ribu dua tiga" -> "2023"). A hundred
  followed by more bare digits than that ends at the hundred and the digits follow it
  ("seratus dua tiga empat" -> "100" "2" "3" "4" -> "100234").
* A lone digit word is a digit ("satu" -> "1"), except that "kosong" (also "empty") is
  read as 0 only inside a run of two or more number tokens; alone it stays "kosong"
  ("token saya kosong").
* Not numbers: a reduplication ("satu satunya", "dua duanya"), two digit words counting up
  before a unit ("satu dua hari", "dua tiga hari": a rough range), and "kosong" opening a
  run of two tokens ("rumah kosong satu bulan"): they stay words.
* A multiplier that cannot attach to a preceding digit word ("ribu" alone, "50 ribu",
  "nol puluh") stays a word and splits the digits around it: "50 ribu" stays "50 ribu".
  Digit strings never take multipliers.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

# Digit words; "kosong" is 0 only inside a longer run (see the module docstring).
DIGIT_WORDS: dict[str, int] = {
    "nol": 0,
    "kosong": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
# Digit words that can carry a multiplier.
_NONZERO: dict[str, int] = {word: value for word, value in DIGIT_WORDS.items() if value}

# Multipliers inside a small number (below 1000).
SMALL_MULTIPLIERS: frozenset[str] = frozenset({"belas", "puluh", "ratus"})
# Group multipliers and their values.
GROUP_MULTIPLIERS: dict[str, int] = {
    "ribu": 1_000,
    "juta": 1_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
}
# "se-" group words: one of the group.
GROUP_WORDS: dict[str, int] = {"seribu": 1_000, "sejuta": 1_000_000, "semiliar": 1_000_000_000}

_MULTIPLIERS: frozenset[str] = SMALL_MULTIPLIERS | frozenset(GROUP_MULTIPLIERS)
# Words whose presence needs the compound parser.
COMPOUND_WORDS: frozenset[str] = _MULTIPLIERS | frozenset(GROUP_WORDS) | {"sepuluh", "sebelas", "seratus"}
# Every word that belongs to a number run.
NUMBER_WORDS: frozenset[str] = frozenset(DIGIT_WORDS) | COMPOUND_WORDS

# Words after which two digit words counting up are a rough range, not a number ("dua tiga hari").
RANGE_UNITS: frozenset[str] = frozenset(
    {
        "hari", "minggu", "pekan", "bulan", "tahun", "jam", "menit", "detik", "kali", "orang", "rumah",
        "malam", "bulanan", "tiang", "titik", "lembar", "buah", "unit", "kilo", "meter", "km", "hariannya",
    }
)  # fmt: skip

_INF = float("inf")


def _bare_digits(run: Sequence[str], i: int) -> tuple[str, int] | None:
    """Digit words from ``i`` that no multiplier follows: (digits, end), or None."""
    n = len(run)
    j = i
    while j < n and run[j] in DIGIT_WORDS:
        j += 1
    if j < n and run[j] in _MULTIPLIERS:
        return None
    return "".join(str(DIGIT_WORDS[w]) for w in run[i:j]), j


def _parse_small(run: Sequence[str], i: int) -> tuple[int, int, bool] | None:
    """Parse a number below 1000 at ``i``: (value, end, units_only), or None."""
    n = len(run)
    hundreds = 0
    j = i
    tok = run[j]
    if tok == "seratus":
        hundreds, j = 100, j + 1
    elif tok in _NONZERO and j + 1 < n and run[j + 1] == "ratus":
        hundreds, j = _NONZERO[tok] * 100, j + 2
    if hundreds:
        bare = _bare_digits(run, j)
        if bare is not None and len(bare[0]) >= 2:
            digits, end = bare
            if len(digits) == 2:
                return hundreds + int(digits), end, False
            return hundreds, j, False
    if j >= n:
        return (hundreds, j, False) if hundreds else None
    tok = run[j]
    nxt = run[j + 1] if j + 1 < n else None
    if tok == "sepuluh":
        return hundreds + 10, j + 1, False
    if tok == "sebelas":
        return hundreds + 11, j + 1, False
    digit = _NONZERO.get(tok)
    if digit is not None:
        if nxt == "belas":
            return hundreds + 10 + digit, j + 2, False
        if nxt == "puluh":
            value, j = hundreds + digit * 10, j + 2
            if j < n and run[j] in _NONZERO and (j + 1 >= n or run[j + 1] not in SMALL_MULTIPLIERS):
                return value + _NONZERO[run[j]], j + 1, False
            return value, j, False
        if nxt not in SMALL_MULTIPLIERS:
            return hundreds + digit, j + 1, not hundreds
    return (hundreds, j, False) if hundreds else None


def _parse_compound(run: Sequence[str], i: int) -> tuple[int, int] | None:
    """Parse a compound number at ``i``: (value, end), or None when none starts there."""
    n = len(run)
    total = 0
    level = _INF  # value of the last group multiplier used
    started = False
    while i < n:
        tok = run[i]
        group = GROUP_WORDS.get(tok)
        if group is not None and group < level:
            total, level, i, started = total + group, group, i + 1, True
        else:
            small = _parse_small(run, i)
            if small is None:
                break
            value, end, units_only = small
            mult = GROUP_MULTIPLIERS.get(run[end]) if end < n else None
            if mult is not None and mult < level and value:
                total, level, i, started = total + value * mult, mult, end + 1, True
            else:
                if units_only and not started:
                    return None
                return total + value, end
        # Colloquial fill right after a group: "dua ribu dua tiga" -> 2023.
        if i < n:
            bare = _bare_digits(run, i)
            if bare is not None and 2 <= len(bare[0]) <= 3:
                return total + int(bare[0]), bare[1]
    return (total, i) if started else None


def _convert_run(run: Sequence[str]) -> list[str]:
    """Turn one run of number tokens into digit strings and leftover multiplier words."""
    if len(run) == 1 and run[0] == "kosong":
        return ["kosong"]
    if COMPOUND_WORDS.isdisjoint(run):
        return ["".join(tok if tok[0] <= "9" else str(DIGIT_WORDS[tok]) for tok in run)]
    out: list[str] = []
    pieces: list[str] = []
    i, n = 0, len(run)
    while i < n:
        tok = run[i]
        if tok[0] <= "9":
            pieces.append(tok)
            i += 1
            continue
        compound = _parse_compound(run, i)
        if compound is not None:
            value, i = compound
            pieces.append(str(value))
            continue
        digit = DIGIT_WORDS.get(tok)
        if digit is not None:
            pieces.append(str(digit))
        else:  # a multiplier with nothing to attach to
            if pieces:
                out.append("".join(pieces))
                pieces = []
            out.append(tok)
        i += 1
    if pieces:
        out.append("".join(pieces))
    return out


def _keep_as_words(run: Sequence[str], following: str) -> list[str] | None:
    """Number words that are not a number here, or None.

    * A rough range before a unit: two digit words counting up ("satu dua hari", "dua tiga
      minggu", "tiga empat kali") stay words (joined they would read "12 hari").
    * "kosong" opening a run of fewer than three tokens means "empty" ("rumah kosong satu
      bulan"); a number spoken digit by digit that starts with 0 is longer ("kosong delapan
      satu dua").
    """
    if len(run) == 2 and following in RANGE_UNITS:
        first, second = (_NONZERO.get(w) for w in run)
        if first is not None and second is not None and second == first + 1:
            return list(run)
    if run[0] == "kosong" and 1 < len(run) < 3:
        return ["kosong", *_convert_run(run[1:])]
    return None


def convert_numbers(tokens: Sequence[str]) -> list[str]:
    """Replace every run of number tokens by its digits (see the module docstring).

    A number word followed by itself with a suffix is a reduplication, not a number
    ("satu satunya", "dua duanya" from "satu-satunya", "dua-duanya"): both stay words.
    """
    if NUMBER_WORDS.isdisjoint(tokens):
        digits = [k for k, tok in enumerate(tokens) if tok[0] <= "9"]
        if all(b - a > 1 for a, b in pairwise(digits)):
            return list(tokens)  # only lone digit tokens: each run of one stays as it is
    out: list[str] = []
    run: list[str] = []

    def flush(following: str) -> None:
        if run:
            kept = _keep_as_words(run, following)
            out.extend(kept if kept is not None else _convert_run(run))
            run.clear()

    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok[0] <= "9" or tok in NUMBER_WORDS:
            nxt = tokens[i + 1] if i + 1 < n else ""
            if tok in NUMBER_WORDS and len(nxt) > len(tok) and nxt.startswith(tok) and nxt not in NUMBER_WORDS:
                flush(tok)
                out.extend((tok, nxt))
                i += 2
                continue
            run.append(tok)
        else:
            if run:
                flush(tok)
            out.append(tok)
        i += 1
    flush("")
    return out
