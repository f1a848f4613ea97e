"""Customer-name sweep: generated Indonesian names through the ``closing.customer_name`` check.

Names come from Faker's ``id_ID`` locale (titles and degrees included, as a manifest may
write them: "drg. Mala Sudiati, S.Ked"); the agent's thank-you is written the way a
recogniser hears it (lower case, no punctuation, an honorific of either gender). Each name
is tried in eight ways:

* ``exact``: the name as written, titles dropped ("... selamat siang ibu mala sudiati");
* ``first``: the first name only;
* ``spelling``: a part respelt as recognisers and old spellings do (y/i, oe/u, dj/j, tj/c,
  f/p/v, ch/kh/k, a doubled or undoubled letter, an h after d/t or at the end dropped or added);
* ``joined``: first and last name run together ("budisantoso");
* ``split``: a long part cut in two ("sulis tiowati");
* ``other_full``: another generated name (no part shared, no part a short form of one of the
  customer's), which must fail;
* ``other_first``: a different first name, the nearest in spelling that can be found
  (Budi for Rudi, Rina for Rini), which must fail;
* ``no_name``: a thank-you with an honorific and no name ("... selamat malam ibu, semoga
  harinya menyenangkan"), which must fail.

Run ``python -m tests.name_sweep [--names N] [--seed S]`` to print the pass rates;
``tests/test_customer_name.py`` asserts the thresholds with a fixed seed.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from faker import Faker
from faker.providers.person.id_ID import Provider
from rapidfuzz.distance import Levenshtein

from qa_scoring.analysis import analyse
from qa_scoring.checks import REGISTRY
from qa_scoring.model import CallMeta, Transcript, Turn
from qa_scoring.rules import RuleSet, load_rules

POSITIVE = ("exact", "first", "spelling", "joined", "split")
NEGATIVE = ("other_full", "other_first", "no_name")
HONORIFICS = ("bapak", "pak", "ibu", "bu")
PERIODS = ("pagi", "siang", "sore", "malam")
TAILS = (
    "",
    "",
    "semoga harinya menyenangkan",
    "selamat beraktivitas kembali",
    "sampai jumpa",
    "semoga sehat selalu",
    "mohon maaf atas ketidaknyamanannya",
    "wassalamualaikum",
    "semoga membantu",
    "semoga listriknya cepat menyala kembali",
    "tetap jaga kesehatan",
    "sehat selalu ya",
    "hati hati di rumah",
    "have a nice day",
    "salam sehat",
    "jangan lupa download aplikasinya",
    "sampai jumpa lagi",
    "selamat beristirahat",
    "permisi",
    "laporannya sudah kami teruskan",
    "nanti petugas segera datang",
)
# Titles and degrees as Faker writes them: the spoken name leaves them out.
_TITLES = {t.lower().rstrip(".") for t in (*Provider.prefixes_male, *Provider.prefixes_female)}
# Common given names close in spelling to one another, besides Faker's own.
NEIGHBOURS = (
    "budi", "rudi", "dedi", "dodi", "didi", "rina", "rini", "rani", "reni", "putri", "putra", "agus",
    "bagus", "dewi", "desi", "devi", "yanti", "yanto", "santi", "santo", "susanti", "susanto", "haryanti",
    "haryanto", "heryanto", "harsanto", "wahyuni", "wahyudi", "yuli", "yulia", "yulianti", "yulianto", "eko",
    "edi", "eka", "indra", "indah", "irma", "irna", "heri", "hari", "ari", "ani", "ana", "anis", "anas",
    "ruri", "sari", "sri", "mala", "maya", "slamet", "selamet",
)  # fmt: skip

_RESPELL = (
    (r"y(?=[aeiou])", "i"), (r"(?<=[aeiou])i(?=[aeou])", "y"), ("u", "oe"), ("oe", "u"), ("j", "dj"), ("dj", "j"),
    ("c", "tj"), ("tj", "c"), (r"^kr", "chr"), ("kh", "h"), ("f", "p"), ("v", "f"), (r"p(?!h)", "f"), ("sy", "sj"),
    (r"(?<=[aeiou])([bdglmnprst])(?=[aeiou])", r"\1\1"), (r"([bdglmnprst])\1", r"\1"), (r"(?<=[aeiou])d(?=[aeiou])", "dh"),
    (r"(?<=[aeiou])t(?=[aeiou])", "th"), ("dh", "d"), ("th", "t"), (r"h$", ""), (r"(?<=[aeiou])$", "h"),
    (r"(?<=[aeiou])h(?=[bcdfgjklmnpqrstvwz])", "ch"), (r"u(?=..)", "o"), (r"^([bdgkpst])([lr])", r"\1e\2"),
)  # fmt: skip


@dataclass
class Tally:
    """Passes out of tries per way, and the failures seen (for a look by hand)."""

    tries: dict[str, int] = field(default_factory=dict)
    passes: dict[str, int] = field(default_factory=dict)
    wrong: dict[str, list[str]] = field(default_factory=dict)

    def add(self, way: str, passed: bool, note: str) -> None:
        """Count one try."""
        self.tries[way] = self.tries.get(way, 0) + 1
        self.passes[way] = self.passes.get(way, 0) + passed
        if passed != (way in POSITIVE):
            self.wrong.setdefault(way, []).append(note)

    def rate(self, way: str) -> float:
        """Share of tries of ``way`` that passed."""
        return self.passes.get(way, 0) / self.tries[way] if self.tries.get(way) else 0.0


def spoken_parts(name: str) -> list[str]:
    """The words an agent says of a generated name: titles and degrees left out, lower case."""
    words = name.split(",")[0].split()
    return [w.lower() for w in words if w.lower().rstrip(".") not in _TITLES]


def respell(word: str, rng: random.Random) -> str:
    """``word`` respelt by one of the recogniser-like rules that apply to it (unchanged if none)."""
    options = [(old, new) for old, new in _RESPELL if re.search(old, word)]
    rng.shuffle(options)
    for old, new in options:
        changed = re.sub(old, new, word, count=1)
        if changed != word:
            return changed
    return word


def _split(word: str, rng: random.Random) -> str | None:
    if len(word) < 7:
        return None
    cut = rng.randint(3, len(word) - 3)
    return f"{word[:cut]} {word[cut:]}"


def _plain(word: str) -> str:
    """The sweep's own spelling-neutral form (independent of the scorer's): undoes ``_RESPELL``."""
    for old, new in (("oe", "u"), ("dj", "j"), ("tj", "c"), ("chr", "kr"), ("ch", "h"), ("kh", "h"), ("dh", "d"),
                     ("th", "t"), ("sj", "sy"), ("y", "i"), ("v", "p"), ("f", "p"), ("o", "u")):  # fmt: skip
        word = word.replace(old, new)
    word = re.sub(r"^([bdgkpst])e([lr])", r"\1\2", word)
    word = "".join(ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1])
    return word[:-1] if len(word) > 3 and word.endswith("h") else word


def _unrelated(a: str, b: str) -> bool:
    """Two name parts that are neither the same name respelt nor one a short form of the other."""
    ka, kb = _plain(a), _plain(b)
    if ka == kb:
        return False
    short, long_ = sorted((ka, kb), key=len)
    return not (len(short) >= 4 and (long_.startswith(short) or long_.endswith(short)))


def _thanks(rng: random.Random, said: str) -> str:
    hon = rng.choice(HONORIFICS)
    period = rng.choice(PERIODS)
    tail = rng.choice(TAILS)
    who = f"{hon} {said}".strip()
    if rng.random() < 0.25:
        text = f"terima kasih {who} telah menghubungi pln 123 selamat {period}"
    elif rng.random() < 0.2 and not said:
        text = f"terima kasih telah menghubungi pln 123 {hon} selamat {period}"
    else:
        text = f"terima kasih telah menghubungi pln 123 selamat {period} {who}"
    return f"{text} {tail}".strip()


def judge(rules: RuleSet, customer_name: str, thanks: str) -> str:
    """The outcome of ``closing.customer_name`` for a call whose thank-you is ``thanks``."""
    lines = [
        ("agent", "selamat siang terima kasih telah menghubungi pln 123 dengan rina ada yang bisa dibantu"),
        ("customer", "listrik saya padam mbak"),
        ("agent", "baik laporan sudah kami teruskan ada lagi yang bisa dibantu"),
        ("customer", "tidak mbak"),
        ("agent", thanks),
    ]
    turns = tuple(
        Turn(index=k, speaker=role.upper(), text=text, start=float(k * 10), role=role)  # type: ignore[arg-type]
        for k, (role, text) in enumerate(lines)
    )
    transcript = Transcript(call_id="sweep", source="sweep", format="txt", turns=turns)
    meta = CallMeta(call_id="sweep", customer_name=customer_name)
    view = analyse(transcript, meta, rules)
    rule = rules.rule("closing.customer_name")
    return REGISTRY[rule.type].evaluate(rule, view).outcome


def cases(names: int, seed: int) -> Iterator[tuple[str, str, str]]:
    """(way, customer name, thank-you) for ``names`` generated names."""
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    pool = sorted({*Provider.first_names_male, *Provider.first_names_female, *NEIGHBOURS})
    pool = [p.lower() for p in pool]
    made = 0
    while made < names:
        name = fake.name()
        parts = spoken_parts(name)
        if len(parts) < 2:
            continue
        made += 1
        first = parts[0]
        yield "exact", name, _thanks(rng, " ".join(parts))
        yield "first", name, _thanks(rng, first)
        k = rng.randrange(len(parts))
        variant = [respell(p, rng) if i == k else p for i, p in enumerate(parts)]
        said = variant if rng.random() < 0.5 else variant[: max(1, k + 1)]
        yield "spelling", name, _thanks(rng, " ".join(said))
        yield "joined", name, _thanks(rng, "".join(parts[:2]))
        splits = [(i, s) for i, p in enumerate(parts) if (s := _split(p, rng))]
        if splits:
            i, cut = rng.choice(splits)
            yield "split", name, _thanks(rng, " ".join([*parts[:i], cut, *parts[i + 1 :]][: i + 1]))
        while True:
            other = spoken_parts(fake.name())
            if all(_unrelated(o, p) for o in other for p in parts):
                break
        yield "other_full", name, _thanks(rng, " ".join(other))
        near = sorted(
            (Levenshtein.distance(c, first), rng.random(), c) for c in pool if all(_unrelated(c, p) for p in parts)
        )
        yield "other_first", name, _thanks(rng, near[0][2] if near[0][0] <= 2 else rng.choice(near)[2])
        yield "no_name", name, _thanks(rng, "")


def sweep(names: int = 600, seed: int = 20261205, rules: RuleSet | None = None) -> Tally:
    """Judge every case of ``cases(names, seed)``; return the tally."""
    rules = rules or load_rules()
    tally = Tally()
    for way, name, thanks in cases(names, seed):
        tally.add(way, judge(rules, name, thanks) == "pass", f"{name!r}: {thanks!r}")
    return tally


def main() -> None:
    """Print the pass rate of each way (and a few failures of each)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=600)
    parser.add_argument("--seed", type=int, default=20261205)
    parser.add_argument("--show", type=int, default=5, help="wrong verdicts shown per way")
    args = parser.parse_args()
    tally = sweep(args.names, args.seed)
    for way in (*POSITIVE, *NEGATIVE):
        kind = "pass" if way in POSITIVE else "false pass"
        print(
            f"{way:12s} {kind:10s} {100 * tally.rate(way):6.2f}%  ({tally.passes.get(way, 0)}/{tally.tries.get(way, 0)})"
        )
    for way, notes in tally.wrong.items():
        for note in notes[: args.show]:
            print(f"  wrong {way}: {note}")


if __name__ == "__main__":
    main()
