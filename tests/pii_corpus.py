"""A seeded generator of agent and customer utterances with known customer identifiers.

Each ``Utterance`` holds its text, the character spans of the identifiers in it (customer
ids, meter numbers, phone numbers, NIK, e-mail addresses, street addresses), spoken as
digits, as number words, mixed, in groups with spaces or dashes, with "kosong" for zero,
and the spans of the protected items in it (SOP phrases, the destination numbers 1500071
and 150678 in digits and in words, "PLN 123", "tekan 5", "kode 3"), which must never be
masked. ``measure`` runs a masker over a corpus and counts both.

Used by ``tests/test_pii.py`` (recall and protection on a fixed seed) and
``bench/bench_pii.py`` (the figures in the README).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qa_scoring.normalize.numbers import convert_numbers

WORDS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
TEENS = {10: "sepuluh", 11: "sebelas"}
STREETS = [
    "merdeka", "cempaka putih tengah", "sudirman", "gatot subroto", "mawar", "melati indah", "diponegoro",
    "ahmad yani", "pahlawan", "veteran", "kenanga", "anggrek raya", "siliwangi", "kartini", "imam bonjol",
]  # fmt: skip
HOUSING = ["griya indah", "bumi asri", "taman sari", "permata hijau", "villa mutiara"]
FIRST = ["budi", "sari", "agus", "dewi", "joko", "rina", "hendra", "wulan", "teguh", "indah"]
LAST = ["santoso", "wijaya", "lestari", "pratama", "hidayat", "saputra", "kurniawan"]
DOMAINS = [("gmail", ["com"]), ("yahoo", ["com"]), ("yahoo", ["co", "id"]), ("outlook", ["com"]), ("pln", ["co", "id"])]

# Identifier kind -> (carriers with a cue word, carriers without), for the agent and the customer.
CARRIERS: dict[str, dict[str, list[str]]] = {
    "customer_id": {
        "agent": ["baik saya ulangi id pelanggannya {x} betul ya pak", "id pelanggan bapak {x} atas nama budi ya",
                  "baik bu saya cek dulu {x} ya mohon ditunggu"],
        "customer": ["id pelanggan saya {x} mbak", "idpel nya {x}", "{x} mbak", "ini mbak nomornya {x}"],
    },
    "meter": {
        "agent": ["nomor meternya {x} ya pak", "baik nomor meter {x} sudah kami catat"],
        "customer": ["nomor meter saya {x}", "kalau nomor meterannya {x} mbak", "{x} itu yang di meteran"],
    },
    "phone": {
        "agent": ["nomor hp yang bisa dihubungi {x} ya bu", "saya ulangi {x} betul pak", "baik nomor telepon {x} kami catat"],
        "customer": ["nomor saya {x} mbak", "wa saya {x}", "{x} itu nomor hp saya", "bisa hubungi ke {x} mbak"],
    },
    "nik": {
        "agent": ["nik bapak {x} sesuai ktp ya", "baik nomor ktp {x} sudah sesuai"],
        "customer": ["nik saya {x}", "nomor ktp saya {x} mbak", "ini {x} mbak"],
    },
    "email": {
        "agent": ["emailnya {x} ya bu", "baik saya kirim ke {x} ya pak"],
        "customer": ["email saya {x} mbak", "alamat email {x}", "kirim saja ke {x}"],
    },
    "address": {
        "agent": ["alamatnya di {x} ya pak", "baik petugas akan datang ke {x}", "sesuai data kami {x} betul bu"],
        "customer": ["rumah saya di {x} mbak", "alamat saya {x}", "{x} mbak yang pagar hijau"],
    },
}  # fmt: skip

# Protected items: (text, as it must stay), spoken by the agent.
PROTECTED_CARRIERS = [
    "untuk internet elektrinet silakan hubungi contact center pln iconplus {d1} ya pak",
    "bapak akan kami sambungkan ke contact center pln iconplus {d1} mohon ditunggu ya",
    "untuk iconnet bisa menghubungi contact center pln iconnet {d2} bu",
    "nanti tekan {k5} untuk elektrinet atau kode {k3} untuk iconnet",
    "terima kasih telah menghubungi pln {p123} selamat siang bapak budi",
    "mohon maaf saat ini ibu terhubung dengan contact center pln {p123} ketenagalistrikan",
    "nomornya {d1} pak bukan {d2}",
]
DEST_1500071 = [
    "1500071", "1500 071", "1500-071", "150 0071", "satu lima nol nol nol tujuh satu",
    "satu lima kosong kosong kosong tujuh satu", "lima belas nol nol nol tujuh satu", "satu lima 0 0 0 7 1",
]  # fmt: skip
DEST_150678 = [
    "150678", "150 678", "150-678", "satu lima nol enam tujuh delapan", "satu lima kosong enam tujuh delapan",
    "seratus lima puluh ribu enam ratus tujuh puluh delapan", "satu lima nol enam tujuh puluh delapan",
]  # fmt: skip
P123 = ["123", "seratus dua puluh tiga", "satu dua tiga"]
KEY5 = ["5", "lima"]
KEY3 = ["3", "tiga"]
SOP_SENTENCES = [
    "untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami",
    "agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store",
    "segera update aplikasi new pln mobile versi terbaru untuk mendapatkan peningkatan layanan",
    "mohon maaf sebelumnya bapak menggunakan produk elektrinet atau iconnet saat ini",
    "apakah ada lagi yang bisa dibantu pak",
]


@dataclass
class Item:
    """An identifier or a protected item inside an utterance."""

    kind: str
    form: str
    start: int
    end: int
    text: str
    digits: str = ""


@dataclass
class Utterance:
    """One agent or customer turn with the identifiers and protected items it holds."""

    role: str
    text: str
    identifiers: list[Item] = field(default_factory=list)
    protected: list[Item] = field(default_factory=list)


def spoken(digits: str, form: str, rng: random.Random) -> str:
    """``digits`` as the recogniser might write it in ``form``; the form's reading gives the digits back."""
    if form == "digits":
        return digits
    if form in ("spaced", "dashed"):
        sep = " " if form == "spaced" else "-"
        size = rng.choice([3, 4])
        return sep.join(digits[i : i + size] for i in range(0, len(digits), size))
    if form == "words":
        return " ".join(WORDS[int(d)] for d in digits)
    if form == "kosong":
        return " ".join("kosong" if d == "0" else WORDS[int(d)] for d in digits)
    if form in ("comma", "dotted"):
        sep = ", " if form == "comma" else "."
        return sep.join(digits[i : i + 4] for i in range(0, len(digits), 4))
    if form == "hesitant":
        words = [WORDS[int(d)] for d in digits]
        cut = rng.randrange(2, len(words) - 2)
        return " ".join([*words[:cut], rng.choice(["eh", "ee", "emm"]), *words[cut:]])
    if form == "mixed":
        cut = rng.randrange(2, len(digits) - 2)
        return digits[:cut] + " " + " ".join(WORDS[int(d)] for d in digits[cut:])
    if form == "pairs":
        out = []
        for i in range(0, len(digits), 2):
            pair = digits[i : i + 2]
            value = int(pair)
            if len(pair) == 1 or pair[0] == "0" or (value % 10 == 0 and value > 10):
                out.extend(WORDS[int(d)] for d in pair)
            elif value in TEENS:
                out.append(TEENS[value])
            elif value < 20:
                out.append(f"{WORDS[value - 10]} belas")
            else:
                out.append(f"{WORDS[value // 10]} puluh {WORDS[value % 10]}")
        text = " ".join(out)
        return text if "".join(convert_numbers(text.split())) == digits else spoken(digits, "words", rng)
    raise ValueError(form)


NUMBER_FORMS = ["digits", "spaced", "dashed", "comma", "dotted", "words", "kosong", "hesitant", "mixed", "pairs"]


def _digits(rng: random.Random, n: int, first: str = "") -> str:
    return first + "".join(rng.choice("0123456789") for _ in range(n - len(first)))


def identifier(kind: str, rng: random.Random) -> tuple[str, str, str]:
    """(text, form, digits) of a new identifier of ``kind``."""
    if kind == "email":
        first, last = rng.choice(FIRST), rng.choice(LAST)
        num = str(rng.randint(10, 99))
        domain, ends = rng.choice(DOMAINS)
        form = rng.choice(["written", "spoken", "spoken_words", "spoken_glued"])
        if form == "written":
            return f"{first}.{last}{num}@{domain}.{'.'.join(ends)}", form, ""
        dot = rng.choice(["dot", "titik"])
        tail = f" {dot} ".join([domain, *ends])
        if form == "spoken":
            return f"{first} {last} {num} at {tail}", form, ""
        if form == "spoken_words":
            return f"{first} {last} {spoken(num, 'words', rng)} at {tail}", form, ""
        return f"{first}{last}{num} at {tail}", form, ""
    if kind == "address":
        form = rng.choice(["street", "street_rt", "street_only", "jl", "gang", "housing", "rt_only", "village"])
        number = str(rng.randint(1, 150))
        house = spoken(number, rng.choice(["digits", "words", "pairs"]), rng) if len(number) > 1 else number
        rt, rw = str(rng.randint(1, 15)), str(rng.randint(1, 12))
        rt_text = rng.choice([rt, spoken(rt, "words", rng), rt.zfill(3)])
        street = rng.choice(STREETS)
        text = {
            "street": f"jalan {street} nomor {house}",
            "street_rt": f"jalan {street} nomor {house} rt {rt_text} rw {rw}",
            "jl": f"jl. {street} no. {number} rt {rt.zfill(2)}/rw {rw.zfill(2)}",
            "gang": f"gang {street} nomor {house}",
            "housing": f"perumahan {rng.choice(HOUSING)} blok {rng.choice('abcdef')} nomor {house}",
            "rt_only": f"rt {rt_text} rw {rw}",
            "street_only": f"jalan {street}",
            "village": f"desa {rng.choice(HOUSING)} rt {rt_text} rw {rw}",
        }[form]
        return text, form, ""
    if kind == "customer_id":
        digits = _digits(rng, 12, rng.choice("1234567"))
    elif kind == "meter":
        digits = _digits(rng, 11, rng.choice("1234567"))
    elif kind == "nik":
        digits = _digits(rng, 16, rng.choice(["31", "32", "33", "35", "51", "73"]))
    else:  # phone: 08... of 10-13 digits, or +62 and the number without its 0
        digits = _digits(rng, rng.randint(10, 13), rng.choice(["0812", "0813", "0821", "0852", "0857", "0878", "0896"]))
        if rng.random() < 0.25:
            digits = "62" + digits[1:]
            form = rng.choice(["digits", "spaced", "dashed", "plus_words"])
            if form == "plus_words":
                return "plus " + spoken(digits, "words", rng), form, digits
            return "+" + spoken(digits, form, rng), "plus_" + form, digits
    form = rng.choice(NUMBER_FORMS)
    return spoken(digits, form, rng), form, digits


def _fill(template: str, value: str) -> tuple[str, int, int]:
    start = template.index("{x}")
    return template.replace("{x}", value), start, start + len(value)


def generate(seed: int, count: int) -> list[Utterance]:
    """``count`` utterances: about three in four carry an identifier, one in three protected items."""
    rng = random.Random(seed)
    kinds = list(CARRIERS)
    out = []
    for i in range(count):
        role = rng.choice(["agent", "customer"])
        parts: list[Utterance] = []
        if i % 4 != 3:
            kind = kinds[i % len(kinds)] if i < len(kinds) * 4 else rng.choice(kinds)
            value, form, digits = identifier(kind, rng)
            text, start, end = _fill(rng.choice(CARRIERS[kind][role]), value)
            parts.append(Utterance(role, text, [Item(kind, form, start, end, value, digits)]))
        if i % 3 == 0 or not parts:
            parts.append(_protected_part(rng))
        rng.shuffle(parts)
        out.append(_join(role, parts))
    return out


def _protected_part(rng: random.Random) -> Utterance:
    if rng.random() < 0.3:
        text = rng.choice(SOP_SENTENCES)
        return Utterance("agent", text, protected=[Item("sop_phrase", "sentence", 0, len(text), text)])
    template = rng.choice(PROTECTED_CARRIERS)
    values = {"d1": rng.choice(DEST_1500071), "d2": rng.choice(DEST_150678), "p123": rng.choice(P123),
              "k5": rng.choice(KEY5), "k3": rng.choice(KEY3)}  # fmt: skip
    items = []
    text = ""
    pos = 0
    while "{" in template[pos:]:
        open_at = template.index("{", pos)
        close_at = template.index("}", open_at)
        text += template[pos:open_at]
        name = template[open_at + 1 : close_at]
        items.append(Item(name, "protected", len(text), len(text) + len(values[name]), values[name]))
        text += values[name]
        pos = close_at + 1
    text += template[pos:]
    return Utterance("agent", text, protected=items)


def _join(role: str, parts: list[Utterance]) -> Utterance:
    joined = Utterance(role, "")
    for part in parts:
        offset = len(joined.text) + (len(" baik ") if joined.text else 0)
        joined.text = f"{joined.text} baik {part.text}" if joined.text else part.text
        for item in part.identifiers:
            joined.identifiers.append(Item(item.kind, item.form, item.start + offset, item.end + offset, item.text, item.digits))
        for item in part.protected:
            joined.protected.append(Item(item.kind, item.form, item.start + offset, item.end + offset, item.text))
    return joined


def measure(masker: Any, corpus: list[Utterance]) -> dict[str, Any]:
    """Identifiers fully masked (by kind and by form), protected items touched, and over-masking."""
    total: Counter[str] = Counter()
    masked: Counter[str] = Counter()
    by_form: Counter[str] = Counter()
    by_form_masked: Counter[str] = Counter()
    missed: list[tuple[str, str]] = []
    protected_total = 0
    protected_masked: list[tuple[str, str]] = []
    other_chars = other_masked = 0
    for utt in corpus:
        spans = masker.spans(utt.text)
        covered = set()
        for span in spans:
            covered.update(range(span.start, span.end))
        for item in utt.identifiers:
            total[item.kind] += 1
            by_form[f"{item.kind}/{item.form}"] += 1
            if all(c in covered or utt.text[c] == " " for c in range(item.start, item.end)):
                masked[item.kind] += 1
                by_form_masked[f"{item.kind}/{item.form}"] += 1
            else:
                missed.append((item.text, utt.text))
        for item in utt.protected:
            protected_total += 1
            if any(c in covered for c in range(item.start, item.end)):
                protected_masked.append((item.text, utt.text))
        inside = {c for item in utt.identifiers for c in range(item.start, item.end)}
        for c, ch in enumerate(utt.text):
            if c not in inside and ch != " ":
                other_chars += 1
                other_masked += c in covered
    identifiers = sum(total.values())
    return {
        "utterances": len(corpus),
        "identifiers": identifiers,
        "masked": sum(masked.values()),
        "recall": sum(masked.values()) / identifiers if identifiers else 1.0,
        "by_kind": {k: (masked[k], total[k]) for k in sorted(total)},
        "by_form": {k: (by_form_masked[k], by_form[k]) for k in sorted(by_form)},
        "missed": missed,
        "protected": protected_total,
        "protected_masked": protected_masked,
        "other_chars_masked": other_masked / other_chars if other_chars else 0.0,
    }
