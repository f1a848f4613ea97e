"""Masking of customer identifiers in the words that leave the QA room.

``Masker.mask(text)`` replaces, in agent and customer words, the identifiers a customer
reads out with a marker and keeps every other character of the text, so the sentence still
reads: "id pelanggan saya [ID-PELANGGAN] mbak". Scoring never sees masked text; masking is
applied to the JSON Lines and workbook output (see docs/pii-masking.md).

What is masked (words and limits are data, in ``qa_scoring/rules/pii.yaml``):

* Numbers, written as digits or as the number words the recogniser wrote ("nol delapan
  satu dua", "kosong delapan 12 34", "0812-3456-7890", "dua puluh tiga"): a *run* is a
  maximal sequence of digit groups and number words separated only by spaces or
  ``. , - /`` (hesitations such as "eh" inside it are skipped); its digits are read by
  ``qa_scoring.normalize.numbers``, as scoring reads them. A run of at least
  ``min_digits`` digits is masked; after a cue word ("id pelanggan", "nomor meter",
  "nomor hp", "nik", "nomor") within ``cue_reach`` words, one of at least
  ``min_digits_after_cue``; right after a date, time or amount word ("tanggal", "jam",
  "rp") one of at least twelve. The marker follows the cue, else the shape of the number:
  ``[NO-HP]`` (08..., 628..., +62..., 10-13 digits), ``[NIK]`` (16), ``[ID-PELANGGAN]``
  (12), ``[NO-METER]`` (11), ``[NOMOR]`` (any other).
* E-mail addresses, written ("budi.s@gmail.com") or read out ("budi at gmail dot com",
  "emailnya budi santoso at yahoo titik co titik id"): ``[EMAIL]``.
* Street addresses read out: a street word ("jalan", "jl", "gang", "perumahan", "blok")
  with its name and what follows it ("nomor 12", "rt 3 rw 5", "blok c"), "rt"/"rw" with a
  number, or after "alamat" a place name and a numbered unit ("alamatnya di griya indah
  nomor 5"): ``[ALAMAT]``.

Never masked: a run whose digits are a protected number (``protected_numbers``: the
destination numbers, transfer keys and every number in the phrases of the rules file in
use, e.g. 1500071, 150678, 123, 5, 3) or protected numbers run together, one of them of
five digits or more ("1500071 150678", "1500071 5"). A protected run of five digits or
more is never part of an address or an e-mail either; "123" and the keys "5" and "3" may
be a house or RT number ("nomor 123", "rt 3 rw 5"), and "pln", "tekan" and "kode" end an
address. A mailbox read after its cue ("email ...") stops at any protected number ("email
ya pln 123 ya @ ..." keeps "pln 123"); one read without a cue may hold a short one ("budi
satu dua tiga at gmail dot com"). Short numbers without a cue ("tekan 5", "tagihan 150 ribu") stay.

Markers are read back as single tokens that are neither words nor numbers, so masking
masked text changes nothing (``mask`` is idempotent); ``mask`` never raises.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from qa_scoring.normalize import normalize
from qa_scoring.normalize.lexicon import FILLERS
from qa_scoring.normalize.numbers import NUMBER_WORDS, convert_numbers
from qa_scoring.rules.section import RulesError, Section, load_yaml, read_rules_text

__all__ = ["MARKERS", "Masker", "PiiConfig", "Span", "default_masker", "load_pii_config", "protected_numbers"]

PII_RULES_NAME = "pii.yaml"
SUPPORTED_SCHEMA_VERSIONS = (1,)

# Kind of identifier -> the marker that replaces it.
MARKERS: dict[str, str] = {
    "customer_id": "[ID-PELANGGAN]",
    "meter": "[NO-METER]",
    "phone": "[NO-HP]",
    "nik": "[NIK]",
    "email": "[EMAIL]",
    "address": "[ALAMAT]",
    "number": "[NOMOR]",
}
CUE_KINDS = ("customer_id", "meter", "phone", "nik", "number")
# Protected numbers run together are protected when one of them has this many digits.
_CONCAT_MIN = 5
# Protected numbers of at least this many digits ("1500071", "150678") are never part of
# an address or an e-mail; shorter ones ("123", the transfer keys "5", "3") may be a house
# number ("nomor 123", "rt 3 rw 5"): in the SOP they follow "pln", "tekan", "kode", which
# are stop words of addresses and e-mails.
_FIRM_MIN = 5
# A number after a date, time or amount word is masked only from this many digits on.
_PLAIN_MAX = 12

_TOKEN_RE = re.compile(r"(" + "|".join(re.escape(m) for m in MARKERS.values()) + r")|(\d+)|([^\W\d_]+)")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RE = re.compile(r"\d")
_WORD_RE = re.compile(r"[^\W\d_]+")
_RUN_GAP = re.compile(r"[\s.,/\-\u2010-\u2015]*")
_PHRASE_SKIP = frozenset({"id", "type", "description", "source", "version", "title", "revision", "label", "sop"})


@dataclass(frozen=True)
class Span:
    """A stretch of the text to mask: characters ``start:end`` and the kind of identifier."""

    start: int
    end: int
    kind: str

    @property
    def marker(self) -> str:
        """The text that replaces the stretch."""
        return MARKERS[self.kind]


@dataclass(frozen=True)
class PiiConfig:
    """The validated contents of a PII rules file (see ``qa_scoring/rules/pii.yaml``)."""

    source: str
    min_digits: int
    min_digits_after_cue: int
    cue_reach: int
    plain_words: frozenset[str]
    cues: dict[str, tuple[tuple[str, ...], ...]]
    street_words: frozenset[str]
    unit_words: frozenset[str]
    area_words: frozenset[str]
    max_name_words: int
    stop_words: frozenset[str]
    address_cues: frozenset[str]
    email_cues: tuple[tuple[str, ...], ...]
    at_words: frozenset[str]
    dot_words: frozenset[str]
    end_words: frozenset[str]
    max_local_words: int


def default_pii_path() -> Path:
    """The PII rules file shipped with the package."""
    return Path(str(resources.files("qa_scoring.rules").joinpath(PII_RULES_NAME)))


def _words(sec: Section, key: str) -> frozenset[str]:
    out = set()
    for item in sec.str_list(key, required=True):
        tokens = _plain_tokens(item)
        if len(tokens) != 1:
            raise sec.error(key, "single words of letters", item)
        out.add(tokens[0])
    return frozenset(out)


def _phrases(sec: Section, key: str) -> tuple[tuple[str, ...], ...]:
    out = []
    for item in sec.str_list(key, required=True):
        tokens = _plain_tokens(item)
        if not tokens:
            raise sec.error(key, "words of letters", item)
        out.append(tuple(_base(t) for t in tokens))
    return tuple(sorted(set(out), key=len, reverse=True))


def _plain_tokens(text: str) -> list[str]:
    """The lower-case words of ``text``, or [] when it holds anything but letters and spaces."""
    if not re.fullmatch(r"[^\W\d_]+(\s+[^\W\d_]+)*", text.strip()):
        return []
    return [t.casefold() for t in text.split()]


def load_pii_config(path: str | Path | None = None) -> PiiConfig:
    """Load and validate a PII rules file (the shipped one when ``path`` is None)."""
    path = Path(path) if path else default_pii_path()
    return compile_pii_config(load_yaml(read_rules_text(path, "PII rules file"), str(path)), str(path))


def compile_pii_config(data: Any, file: str) -> PiiConfig:
    """Validate the parsed YAML of a PII rules file."""
    top = Section(data, file, "")
    top.schema_version(SUPPORTED_SCHEMA_VERSIONS)
    numbers = top.section("numbers", rule="numbers")
    min_digits = int(numbers.number("min_digits", 10, low=4, high=40))
    after_cue = int(numbers.number("min_digits_after_cue", 4, low=1, high=40))
    reach = int(numbers.number("cue_reach", 5, low=1, high=20))
    plain_words = _words(numbers, "plain_words") if numbers.has("plain_words") else frozenset()
    numbers.finish()
    cue_sec = top.section("cues", rule="cues")
    cues = {kind: _phrases(cue_sec, kind) for kind in CUE_KINDS}
    cue_sec.finish()
    addr = top.section("address", rule="address")
    unit_words = _words(addr, "unit_words")
    area_words = _words(addr, "area_words")
    if not area_words <= unit_words:
        raise addr.error("area_words", "words also listed in unit_words", sorted(area_words - unit_words))
    config_addr = {
        "street_words": _words(addr, "street_words"),
        "unit_words": unit_words,
        "area_words": area_words,
        "max_name_words": int(addr.number("max_name_words", 4, low=1, high=10)),
        "stop_words": _words(addr, "stop_words"),
        "address_cues": _words(addr, "cue_words") if addr.has("cue_words") else frozenset(),
    }
    addr.finish()
    mail = top.section("email", rule="email")
    config_mail = {
        "email_cues": _phrases(mail, "cue_words"),
        "at_words": _words(mail, "at_words"),
        "dot_words": _words(mail, "dot_words"),
        "end_words": _words(mail, "end_words"),
        "max_local_words": int(mail.number("max_local_words", 3, low=1, high=10)),
    }
    mail.finish()
    top.finish()
    for word in (*config_addr["street_words"], *config_addr["unit_words"], *config_mail["at_words"]):
        if word in NUMBER_WORDS:
            raise RulesError(f"{file}: '{word}' is a number word and cannot be a street, unit or at word")
    return PiiConfig(
        source=file, min_digits=min_digits, min_digits_after_cue=after_cue, cue_reach=reach, plain_words=plain_words,
        cues=cues,
        **config_addr, **config_mail,
    )  # fmt: skip


def _strings(value: Any, key: str = "") -> Iterator[str]:
    """Every text held by a compiled rule set (phrases, terms, numbers), skipping names and titles."""
    if key in _PHRASE_SKIP:
        return
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name), f.name)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)
    elif hasattr(value, "phrases"):  # matching.Terms
        yield from _strings(value.phrases)


def protected_numbers(rules: Any) -> frozenset[str]:
    """The numbers of a rule set that are SOP words, never identifiers.

    Every destination number and transfer key, and every number in the phrases and terms of
    the rules (normalised as scoring reads them): "PLN 123", "1500071", "150678", "tekan 5".
    """
    out: set[str] = set()
    for dest in rules.transfer.destinations:
        out.update(dest.numbers)
        out.add(normalize(dest.transfer_code))
    for part in ("closing", "roles", "context", "transfer", "checks"):
        for text in _strings(getattr(rules, part)):
            out.update(tok for tok in normalize(text).split() if tok.isdigit())
    out.discard("")
    return frozenset(out)


@dataclass(frozen=True)
class _Tok:
    kind: str  # "word", "digits" or "marker"
    text: str  # lower-case word or ASCII digits
    base: str  # the word without "-nya"
    start: int
    end: int


@dataclass(frozen=True)
class _Run:
    first: int  # token index
    last: int  # token index, inclusive
    digits: str
    protected: bool  # never masked as a number
    firm: bool  # protected and long: never part of an address or e-mail


def _base(word: str) -> str:
    return word[:-3] if len(word) > 4 and word.endswith("nya") else word


def _with_nya(words: frozenset[str]) -> frozenset[str]:
    """``words`` as written and with "-nya" ("blok", "bloknya"): what ``_base`` reads back to them."""
    return words | {w + "nya" for w in words}


def _tokenize(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        marker, digits, word = m.groups()
        if marker:
            out.append(_Tok("marker", marker, marker, m.start(), m.end()))
        elif digits:
            ascii_digits = digits if digits.isascii() else "".join(str(unicodedata.decimal(c, 0)) for c in digits)
            out.append(_Tok("digits", ascii_digits, ascii_digits, m.start(), m.end()))
        else:
            low = word.casefold()
            out.append(_Tok("word", low, _base(low), m.start(), m.end()))
    return out


class Masker:
    """Finds and masks customer identifiers in text (see the module docstring)."""

    def __init__(self, config: PiiConfig, protected: Iterable[str]) -> None:
        self.config = config
        self.protected = frozenset(p for p in protected if p.isdigit())
        self._long = tuple(sorted((p for p in self.protected if len(p) >= _CONCAT_MIN), key=len, reverse=True))
        self._cue_words = frozenset(w for seqs in config.cues.values() for seq in seqs for w in seq) | frozenset(
            w for seq in config.email_cues for w in seq
        )
        self._cache: dict[str, str] = {}
        # as written and with "-nya" ("bloknya"): the spans read a word's base (``_base``)
        self._trigger_words = _with_nya(NUMBER_WORDS | config.street_words | config.area_words | config.at_words)
        # Words that may start an address or an e-mail, or say what a number is (as written and
        # with "-nya"): a text with digits and none of these has nothing to mask when its digits
        # are too few for any number to be masked (``_plain``).
        self._digit_blockers = self._trigger_words | _with_nya(config.unit_words)
        self._few_digits = min(config.min_digits, config.min_digits_after_cue)

    @classmethod
    def for_rules(cls, rules: Any, config: PiiConfig | None = None) -> Masker:
        """A masker protecting the numbers of ``rules`` (with the shipped PII rules by default)."""
        return cls(config or _shipped_config(), protected_numbers(rules))

    # -- public ---------------------------------------------------------------------------

    def mask(self, text: str) -> str:
        """``text`` with every identifier replaced by its marker; other characters unchanged."""
        if not isinstance(text, str) or not text:
            return text
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        if self._plain(text):
            masked = text  # kept too: evidence quotes the same turns again and again
        else:
            out = []
            pos = 0
            for span in self.spans(text):
                out.append(text[pos : span.start])
                out.append(span.marker)
                pos = span.end
            out.append(text[pos:])
            masked = "".join(out)
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[text] = masked
        return masked

    def _plain(self, text: str) -> bool:
        """A cheap test that there is nothing to mask.

        No "@", and either no digit and no number, street, area or "at" word, or fewer digits
        than any masked number has ("pln 123") and none of those words nor a unit word
        (which could make an address of a short number: "blok 12"). Without number words a
        number run holds only the text's digits, so it cannot reach ``_few_digits``.
        """
        if "@" in text:
            return False
        words = _WORD_RE.findall(text.casefold())
        if _DIGIT_RE.search(text) is None:
            return self._trigger_words.isdisjoint(words)
        return len(_DIGIT_RE.findall(text)) < self._few_digits and self._digit_blockers.isdisjoint(words)

    def spans(self, text: str) -> list[Span]:
        """The stretches of ``text`` to mask, in order, not overlapping."""
        toks = _tokenize(text)
        runs = self._runs(text, toks)
        run_at = {run.first: run for run in runs}  # by first token
        in_run = {i: run for run in runs for i in range(run.first, run.last + 1)}  # by any token
        found: list[Span] = [Span(m.start(), m.end(), "email") for m in _EMAIL_RE.finditer(text)]
        blocked = self._covered(toks, found)
        for first, last in self._emails(text, toks, in_run, blocked):
            found.append(Span(toks[first].start, toks[last].end, "email"))
            blocked.update(range(first, last + 1))
        for first, last in self._addresses(toks, run_at, blocked):
            found.append(Span(toks[first].start, toks[last].end, "address"))
            blocked.update(range(first, last + 1))
        for run in runs:
            if run.protected or any(i in blocked for i in range(run.first, run.last + 1)):
                continue
            kind = self._number_kind(text, toks, run, in_run, blocked)
            if kind is not None:
                found.append(Span(self._run_start(text, toks, run), toks[run.last].end, kind))
        return _merge(found)

    def mask_result(self, result: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of one result (a JSON Lines object or a store row) with the spoken words masked.

        Masked: the ``text`` of every evidence passage (``evidence`` and ``more_evidence``) of
        the checks (``checks``, or ``failed`` in a store row): the agent's and customer's
        words. Not masked: ids, names, sources, speaker labels, SOP phrases, reasons, facts,
        warnings and errors (the program's own sentences, quoting short words at most).
        """
        out = dict(result)
        for key in ("checks", "failed"):
            if isinstance(out.get(key), list):
                out[key] = [self._mask_check(c) for c in out[key]]
        return out

    # -- results --------------------------------------------------------------------------

    # A plain dict whose masked words are unchanged is shared, not copied (the same JSON).

    def _mask_check(self, check: Any) -> Any:
        if type(check) is not dict and not isinstance(check, Mapping):  # a dict first: no ABC check
            return check
        evidence = check.get("evidence")
        more = check.get("more_evidence")
        new_evidence = self._mask_evidence(evidence)  # anything but an evidence comes back as it is
        new_more = more
        if isinstance(more, list):
            new_more = [self._mask_evidence(e) for e in more]
            if all(a is b for a, b in zip(new_more, more, strict=True)):
                new_more = more
        if type(check) is dict and new_evidence is evidence and new_more is more:
            return check
        out = dict(check)
        if new_evidence is not evidence:
            out["evidence"] = new_evidence
        if new_more is not more:
            out["more_evidence"] = new_more
        return out

    def _mask_evidence(self, evidence: Any) -> Any:
        if type(evidence) is not dict and not isinstance(evidence, Mapping):
            return evidence
        text = evidence.get("text")
        if not isinstance(text, str):
            return evidence
        masked = self._cache.get(text)
        if masked is None:
            masked = self.mask(text)
        if masked == text and type(evidence) is dict:
            return evidence
        return {**evidence, "text": masked}

    # -- numbers --------------------------------------------------------------------------

    def _runs(self, text: str, toks: list[_Tok]) -> list[_Run]:
        runs: list[_Run] = []
        i, n = 0, len(toks)
        while i < n:
            if not _numeric(toks[i]):
                i += 1
                continue
            last = i
            j = i + 1
            while j < n:
                tok = toks[j]
                if not _RUN_GAP.fullmatch(text, toks[j - 1].end, tok.start):
                    break
                if _numeric(tok):
                    last = j
                elif not (tok.kind == "word" and tok.text in FILLERS):
                    break
                j += 1
            words = [t.text for t in toks[i : last + 1] if _numeric(t)]
            digits = "".join(p for p in convert_numbers(words) if p[:1].isdigit())
            if digits:
                protected = self._is_protected(digits)
                runs.append(_Run(i, last, digits, protected, protected and len(digits) >= _FIRM_MIN))
            i = last + 1
        return runs

    def _is_protected(self, digits: str) -> bool:
        """A protected number, or protected numbers run together with at least one long one."""
        if digits in self.protected:
            return True
        if not self._long or len(digits) <= _CONCAT_MIN:
            return False
        # reach[i]: 0 = digits[:i] cannot be cut into protected numbers, 1 = it can, 2 = with a long one
        reach = [0] * (len(digits) + 1)
        reach[0] = 1
        for end in range(1, len(digits) + 1):
            for p in self.protected:
                start = end - len(p)
                if start >= 0 and reach[start] and digits.startswith(p, start):
                    reach[end] = max(reach[end], 2 if len(p) >= _CONCAT_MIN else reach[start])
        return reach[-1] == 2

    def _number_kind(
        self, text: str, toks: list[_Tok], run: _Run, in_run: dict[int, _Run], blocked: set[int]
    ) -> str | None:
        cfg = self.config
        cue = self._cue_before(toks, run.first, in_run, blocked)
        size = len(run.digits)
        if cue is None and size < _PLAIN_MAX and self._plain_before(toks, run.first):
            return None
        if cue is not None and cue != "number" and size >= cfg.min_digits_after_cue:
            return cue
        if size >= cfg.min_digits or (cue == "number" and size >= cfg.min_digits_after_cue):
            return _shape(run.digits, self._plus_before(text, toks, run)) or "number"
        return None

    def _cue_before(self, toks: list[_Tok], first: int, in_run: dict[int, _Run], blocked: set[int]) -> str | None:
        """The kind of the nearest cue ending at most ``cue_reach`` words before token ``first``."""
        for k in range(first - 1, max(-1, first - 1 - self.config.cue_reach), -1):
            tok = toks[k]
            if tok.kind != "word" or k in in_run or k in blocked:
                return None
            if tok.base not in self._cue_words:
                continue
            for kind in CUE_KINDS:
                for seq in self.config.cues[kind]:
                    if _ends_with(toks, k, seq):
                        return kind
        return None

    def _plain_before(self, toks: list[_Tok], first: int) -> bool:
        """Whether the word before the number (hesitations skipped) says it is a date, time or amount."""
        k = first - 1
        while k >= 0 and toks[k].kind == "word" and toks[k].text in FILLERS:
            k -= 1
        return k >= 0 and toks[k].kind == "word" and toks[k].base in self.config.plain_words

    def _plus_before(self, text: str, toks: list[_Tok], run: _Run) -> bool:
        before = text[: toks[run.first].start].rstrip()
        if before.endswith("+"):
            return True
        return run.first > 0 and toks[run.first - 1].text == "plus"

    def _run_start(self, text: str, toks: list[_Tok], run: _Run) -> int:
        """Where the mask of a number starts: with the "+" or "plus" of +62."""
        start = toks[run.first].start
        if not run.digits.startswith("62"):
            return start
        before = text[:start].rstrip()
        if before.endswith("+"):
            return len(before) - 1
        if run.first > 0 and toks[run.first - 1].text == "plus":
            return toks[run.first - 1].start
        return start

    # -- e-mail ---------------------------------------------------------------------------

    def _emails(self, text: str, toks: list[_Tok], in_run: dict[int, _Run], blocked: set[int]) -> list[tuple[int, int]]:
        cfg = self.config
        out: list[tuple[int, int]] = []
        n = len(toks)
        for a, tok in enumerate(toks):
            if a in blocked or tok.kind == "marker" or (out and a <= out[-1][1]):
                continue
            if tok.kind == "word" and tok.text in cfg.at_words:
                local_end, domain = a - 1, a + 1
            elif a > 0 and "@" in text[toks[a - 1].end : tok.start]:
                local_end, domain = a - 1, a
            else:
                continue
            if local_end < 0 or domain >= n or not self._free(toks, domain, blocked):
                continue
            end = self._domain_end(text, toks, domain, blocked)
            if end is None:
                continue
            start = self._local_start(toks, local_end, in_run, blocked)
            if start is not None:
                out.append((start, end))
        return out

    def _free(self, toks: list[_Tok], k: int, blocked: set[int]) -> bool:
        return toks[k].kind != "marker" and k not in blocked

    def _domain_end(self, text: str, toks: list[_Tok], k: int, blocked: set[int]) -> int | None:
        cfg = self.config
        n = len(toks)
        end = None
        while True:
            nxt = k + 1
            if nxt < n and self._free(toks, nxt, blocked):
                word = toks[nxt].text
                if word in cfg.end_words:
                    return nxt
                if word in cfg.dot_words and nxt + 1 < n and self._free(toks, nxt + 1, blocked):
                    k = end = nxt + 1
                    continue
                if text[toks[k].end : toks[nxt].start].strip() == ".":
                    k = end = nxt
                    continue
            return end

    def _local_start(self, toks: list[_Tok], k: int, in_run: dict[int, _Run], blocked: set[int]) -> int | None:
        """First token of the mailbox that ends at token ``k``, or None when there is none."""
        cfg = self.config
        limit = max(-1, k - cfg.max_local_words - 4)
        for c in range(k, limit, -1):  # a cue word before: the mailbox is everything after it
            if not self._free(toks, c, blocked) or (c in in_run and in_run[c].protected):
                break
            if any(_ends_with(toks, c, seq) for seq in cfg.email_cues):
                start = c + 1
                while start <= k and toks[start].text in cfg.stop_words:  # "email saya budi at ..."
                    start += 1
                return start if any(toks[w].kind == "word" for w in range(start, k + 1)) else None
        start = None
        words = 0
        c = k
        while c >= 0 and words < cfg.max_local_words:
            tok = toks[c]
            if not self._free(toks, c, blocked) or tok.text in cfg.stop_words or tok.base in self._cue_words:
                break
            run = in_run.get(c)
            if run is not None:
                if run.firm:
                    break
                start, c = run.first, run.first - 1
            else:
                start, c = c, c - 1
            words += 1
        if start is None or not any(toks[c].kind == "word" for c in range(start, k + 1)):
            return None  # a mailbox is not a number alone ("tekan 5 at ...")
        return start

    # -- addresses ------------------------------------------------------------------------

    def _addresses(self, toks: list[_Tok], run_at: dict[int, _Run], blocked: set[int]) -> list[tuple[int, int]]:
        cfg = self.config
        out: list[tuple[int, int]] = []
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            if tok.kind != "word" or i in blocked:
                i += 1
                continue
            start, end = i, None
            if tok.text in cfg.street_words or (tok.base in cfg.area_words and self._open_run(i + 1, run_at)):
                end = self._address_tail(toks, i, run_at, blocked)
            elif tok.base in cfg.address_cues:
                start, end = self._named_place(toks, i, run_at, blocked)
            if end is not None and end > start:
                out.append((start, end))
                i = end + 1
            else:
                i += 1
        return out

    def _named_place(
        self, toks: list[_Tok], i: int, run_at: dict[int, _Run], blocked: set[int]
    ) -> tuple[int, int | None]:
        """After "alamat": a place name with no street word, then a unit and its number ("griya indah nomor 5")."""
        cfg = self.config
        n = len(toks)
        first = i + 1
        while first < n and first - i <= 3 and toks[first].kind == "word" and toks[first].text in cfg.stop_words:
            first += 1
        k = first
        while k < n and k - first < cfg.max_name_words and self._name_word(toks[k], k, blocked):
            k += 1
        if k == first or k >= n or toks[k].kind != "word" or toks[k].base not in cfg.unit_words:
            return first, None
        return first, self._address_tail(toks, k, run_at, blocked)

    def _open_run(self, k: int, run_at: dict[int, _Run]) -> bool:
        run = run_at.get(k)
        return run is not None and not run.firm

    def _address_tail(self, toks: list[_Tok], i: int, run_at: dict[int, _Run], blocked: set[int]) -> int | None:
        """Last token of the address that starts at token ``i`` (a street or area word), or None."""
        cfg = self.config
        n = len(toks)
        last = k = i
        while k < n:
            tok = toks[k]
            if tok.kind == "marker" or k in blocked:
                break
            if tok.kind == "word" and tok.text in FILLERS:
                k += 1
                continue
            j = k + 1
            if tok.kind == "word" and tok.text in cfg.street_words:
                names = 0
                while j < n and names < cfg.max_name_words and self._name_word(toks[j], j, blocked):
                    j, names = j + 1, names + 1
                if names:
                    last, k = j - 1, j
                    continue
            if tok.kind == "word" and (tok.text in cfg.street_words or tok.base in cfg.unit_words):
                if self._open_run(j, run_at):
                    last = self._after_run(toks, run_at[j])
                    k = last + 1
                    if tok.text in cfg.street_words:  # a name that starts with a number ("jalan 17 agustus")
                        names = 0
                        while k < n and names < cfg.max_name_words and self._name_word(toks[k], k, blocked):
                            last, k, names = k, k + 1, names + 1
                    continue
                if tok.base in cfg.unit_words and j < n and self._unit_letter(toks[j], j, blocked):
                    last, k = j, j + 1
                    continue
                break
            if k > i and self._open_run(k, run_at):
                last = self._after_run(toks, run_at[k])
                k = last + 1
                continue
            break
        return last if last > i else None

    def _name_word(self, tok: _Tok, k: int, blocked: set[int]) -> bool:
        cfg = self.config
        return (
            tok.kind == "word"
            and k not in blocked
            and tok.text not in NUMBER_WORDS
            and tok.text not in FILLERS
            and tok.text not in cfg.stop_words
            and tok.text not in cfg.street_words
            and tok.base not in cfg.unit_words
            and tok.base not in self._cue_words
            and tok.text not in cfg.at_words
        )

    def _unit_letter(self, tok: _Tok, k: int, blocked: set[int]) -> bool:
        """A block or house letter after a unit word ("blok c")."""
        return tok.kind == "word" and k not in blocked and len(tok.text) == 1 and tok.text not in NUMBER_WORDS

    @staticmethod
    def _after_run(toks: list[_Tok], run: _Run) -> int:
        """Last token of a house number: the run and a letter glued to it ("12a")."""
        k = run.last
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        glued = nxt is not None and nxt.kind == "word" and len(nxt.text) == 1 and nxt.start == toks[k].end
        return k + 1 if glued else k

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _covered(toks: list[_Tok], spans: list[Span]) -> set[int]:
        return {i for i, t in enumerate(toks) for s in spans if t.start < s.end and s.start < t.end}


def _numeric(tok: _Tok) -> bool:
    return tok.kind == "digits" or (tok.kind == "word" and tok.text in NUMBER_WORDS)


def _ends_with(toks: list[_Tok], k: int, seq: tuple[str, ...]) -> bool:
    """Whether the words ending at token ``k`` are ``seq`` (compared without "-nya")."""
    first = k - len(seq) + 1
    if first < 0:
        return False
    return all(toks[first + m].kind == "word" and toks[first + m].base == w for m, w in enumerate(seq))


def _shape(digits: str, plus: bool) -> str | None:
    """The kind of identifier a number looks like, or None."""
    size = len(digits)
    if (plus and digits.startswith("62") and 10 <= size <= 15) or (digits.startswith("628") and 11 <= size <= 15):
        return "phone"
    if digits.startswith("08") and 10 <= size <= 13:
        return "phone"
    if size == 16:
        return "nik"
    if size == 12:
        return "customer_id"
    if size == 11:
        return "meter"
    if digits.startswith("0") and 9 <= size <= 13:
        return "phone"
    return None


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and span.start < out[-1].end:
            if span.end > out[-1].end:
                out[-1] = Span(out[-1].start, span.end, out[-1].kind)
            continue
        out.append(span)
    return out


@lru_cache(maxsize=1)
def _shipped_config() -> PiiConfig:
    return load_pii_config()


@lru_cache(maxsize=1)
def default_masker() -> Masker:
    """The masker of the shipped rules and PII rules (for reports written without a rules file)."""
    from qa_scoring.rules import load_rules

    return Masker.for_rules(load_rules())
