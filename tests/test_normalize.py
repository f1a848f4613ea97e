"""Tests of the normalization stage (qa_scoring.normalize)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_scoring.normalize import lexicon, normalize
from qa_scoring.normalize.numbers import NUMBER_WORDS, convert_numbers

_OUTPUT_RE = re.compile(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?")

# --- realistic PLN 123 speech-recognition turns ------------------------------------------

REALISTIC = [
    (
        "Baik Pak, eh, untuk mewujudkan PLN terbaik, mohon tidak memberikan tambahan biaya kepada petugas kami.",
        "baik pak untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami",
    ),
    (
        "agar semua makin mudah ayo donlot aplikasi niu pe el en mobail di plays tor atau apps stor ya bu",
        "agar semua makin mudah ayo download aplikasi new pln mobile di play store atau app store ya bu",
    ),
    (
        "ee segera apdet aplikasi new pln mobail versi terbaru untuk mendapatkan peningkatan layanan dan "
        "ajak orang terdekat untuk daunlod aplikasinya",
        "segera update aplikasi new pln mobile versi terbaru untuk mendapatkan peningkatan layanan dan "
        "ajak orang terdekat untuk download aplikasinya",
    ),
    (
        "makasih telah menghubungi pln seratus dua puluh tiga slamat siank bapak budi",
        "terima kasih telah menghubungi pln 123 selamat siang bapak budi",
    ),
    (
        "trima kasih tlah menghubungi pln satu dua tiga selamet malem ibuk siti",
        "terima kasih telah menghubungi pln 123 selamat malam ibu siti",
    ),
    (
        "terimakasih sudah menghubungi p l n 123 selamat sore bpk joko",
        "terima kasih sudah menghubungi pln 123 selamat sore bapak joko",
    ),
    (
        "Terima kasih telah menghubungi PLN123, selamat pagi Bapak Andi.",
        "terima kasih telah menghubungi pln 123 selamat pagi bapak andi",
    ),
    (
        "baik bapak mohon maaf saat ini bapak terhubung dengan kontak senter pln seratus dua tiga "
        "ketenaga listrikan untuk informasi elektrik net bapak akan kami sambungkan ke kontak center "
        "pln icon plus satu lima kosong kosong kosong tujuh satu mohon di tunggu ya pak",
        "baik bapak mohon maaf saat ini bapak terhubung dengan contact center pln 123 ketenagalistrikan "
        "untuk informasi elektrinet bapak akan kami sambungkan ke contact center pln iconplus 1500071 "
        "mohon ditunggu ya pak",
    ),
    (
        "untuk informasi aikon net ibu akan kami sambungkan ke contact centre pln ikonet satu lima nol "
        "enam tujuh delapan mohon ditunggu ya bu",
        "untuk informasi iconnet ibu akan kami sambungkan ke contact center pln iconnet 150678 mohon ditunggu ya bu",
    ),
    (
        "mohon maaf sebelumnya bapak menggunakan produk electrinet atau iconet saat ini",
        "mohon maaf sebelumnya bapak menggunakan produk elektrinet atau iconnet saat ini",
    ),
    (
        "iya mbak internet icon saya mati dari kemarin hmm lampunya merah",
        "iya mbak internet icon saya mati dari kemarin lampunya merah",
    ),
    ("wifi icon saya gangguan mbak", "wifi icon saya gangguan mbak"),
    (
        "ehm silakan hubungi pln iconplus di nomor 1500-071 ya pak",
        "silakan hubungi pln iconplus di nomor 1500071 ya pak",
    ),
    ("nomornya 150.678 ya bu ICONNET", "nomornya 150678 ya bu iconnet"),
    (
        "saya sudah pakai pln mobile kok mbak ee sudah saya update",
        "saya sudah pakai pln mobile kok mbak sudah saya update",
    ),
    (
        "aplikasinya sudah saya unduh dari ple store tapi eror",
        "aplikasinya sudah saya download dari play store tapi eror",
    ),
    ("ada lagi yang bisa di bantu pak", "ada lagi yang bisa dibantu pak"),
    (
        "baik mohon ditunggu akan kami di transfer ke PLN ICON+",
        "baik mohon ditunggu akan kami ditransfer ke pln iconplus",
    ),
    (
        "id pelanggan saya lima satu dua tiga empat lima enam tujuh delapan sembilan kosong satu",
        "id pelanggan saya 512345678901",
    ),
    (
        "tagihannya seratus lima puluh ribu enam ratus tujuh puluh delapan rupiah",
        "tagihannya 150678 rupiah",
    ),
    ("iya makasi mbak", "iya terima kasih mbak"),
    ("oke trims ya", "oke terima kasih ya"),
    ("Thank you, Mbak!", "terima kasih mbak"),
    (
        "Mohon di tunggu ya bu, saya alihkan ke Contact Center PLN ICONNET 150678…",
        "mohon ditunggu ya bu saya alihkan ke contact center pln iconnet 150678",
    ),
    # words the recogniser ran together
    (
        "untukmewujudkan pln terbaik mohontidak memberikan tambahanbiaya kepadapetugas kami",
        "untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami",
    ),
    (
        "terimakasih telah menghubungi pln seratusduapuluhtiga selamatpagi ibusri",
        "terima kasih telah menghubungi pln 123 selamat pagi ibu sri",
    ),
    ("baik ibu adalagi yang bisa dibantu bapakagus", "baik ibu ada lagi yang bisa dibantu bapak agus"),
    ("terima kasih met malam pak ahmad", "terima kasih selamat malam pak ahmad"),
]


@pytest.mark.parametrize("text", ["pakai bukan bulan kasihan sesudah adalah orangtua lainnya", "listrik rumah saya"])
def test_ordinary_words_are_not_split(text: str) -> None:
    assert normalize(text) == text


@pytest.mark.parametrize(("text", "expected"), REALISTIC)
def test_realistic_turns(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- SOP phrases and ASR variants meet ----------------------------------------------------

SOP_VS_ASR = [
    (
        "Agar semua makin mudah, ayo download aplikasi New PLN Mobile di Play Store atau Apps Store",
        "agar semua makin mudah ayo donlod aplikasi nyu p l n mobel di playstore atau appstore",
    ),
    (
        "Segera update aplikasi New PLN Mobile versi terbaru",
        "segera up date aplikasi niu pln moble versi terbaru",
    ),
    (
        "Terima kasih telah menghubungi PLN 123",
        "terimakasi telah menghubungi pe el en seratus dua puluh tiga",
    ),
    (
        "akan kami sambungkan ke Contact Center PLN ICONPLUS 1500071, mohon ditunggu",
        "akan kami sambungkan ke kontak senter pln aikon plus satu lima nol nol nol tujuh satu mohon di tunggu",
    ),
    (
        "Contact Center PLN 123 Ketenagalistrikan",
        "kontak centre pln satu dua tiga ketenaga listrikan",
    ),
]


@pytest.mark.parametrize(("sop", "asr"), SOP_VS_ASR)
def test_sop_phrase_and_asr_variant_normalize_alike(sop: str, asr: str) -> None:
    assert normalize(sop) == normalize(asr)


# --- variant tables, one variant at a time -------------------------------------------------

VARIANTS = {
    "pln mobile": [
        "pln mobail", "pln mobel", "pln moble", "pln mobayl", "plnmobile", "pe el en mobile",
        "p l n mobile", "PLN Mobile",
    ],
    "new pln mobile": ["niu pln mobile", "nyu pln mobail", "nyu pe el en mobel"],
    "pln": ["pe el en", "p l n", "pe el n", "P.L.N."],
    "play store": [
        "plays tor", "playstore", "play stor", "plei store", "pley store", "ple store", "play setor",
        "Play Store",
    ],
    "app store": [
        "apps store", "appstore", "app stor", "aps tor", "apstore", "ep store", "eps store", "apps stor",
        "app setor", "Apps Store",
    ],
    "iconnet": ["aikon net", "icon net", "ikon net", "aikonnet", "ikonet", "iconet", "ikonnet", "ICONNET"],
    "iconplus": ["icon plus", "aikon plus", "ikon plus", "iconplus", "icon+", "ICON+", "ICONPLUS"],
    "elektrinet": [
        "elektrik net", "electrinet", "elektri net", "electric net", "elektrinet", "elektrinit",
        "elektronet", "ELEKTRINET",
    ],
    "contact center": [
        "kontak center", "kontak senter", "contact centre", "contact senter", "kontak centre",
        "Contact Center",
    ],
    "ketenagalistrikan": ["ketenaga listrikan", "ketenagalistrikan", "Ketenagalistrikan"],
    "download": ["donlot", "donlod", "daunlod", "dounload", "down load", "unduh", "download"],
    "update": ["apdet", "apdate", "updet", "ap det", "up date", "perbarui", "update"],
    "aplikasi": ["aplikas", "aplkasi", "aplikasi"],
    "aplikasinya": ["aplikasinya"],
    "selamat": ["slamat", "selamet", "slamet", "selamat"],
    "siang": ["siank", "siang"],
    "malam": ["malem", "malam"],
    "bapak": ["bpk", "bapak"],
    "ibu": ["ibuk", "ibu"],
    "dibantu": ["di bantu", "dibantu"],
    "ditunggu": ["di tunggu", "ditunggu"],
    "disambungkan": ["di sambungkan", "disambungkan", "di sambung kan"],
    "ditransfer": ["di transfer", "ditransfer"],
    "dialihkan": ["di alihkan", "dialihkan", "di alih kan"],
    "sambungkan": ["sambung kan", "sambungkan"],
    "hubungkan": ["hubung kan"],
    "transfer": ["trans fer"],
    "terima kasih": [
        "makasih", "makasi", "makasii", "trima kasih", "trimakasih", "terimakasih", "terima kasi",
        "terimakasi", "mksh", "trims", "thanks", "thank you", "tengkyu", "Terima Kasih",
    ],
}  # fmt: skip

VARIANT_CASES = [(variant, canonical) for canonical, variants in VARIANTS.items() for variant in variants]


@pytest.mark.parametrize(("variant", "canonical"), VARIANT_CASES)
def test_variant_to_canonical(variant: str, canonical: str) -> None:
    assert normalize(variant) == canonical
    # the same inside a sentence, between ordinary words
    assert normalize(f"ya {variant} pak") == f"ya {canonical} pak"


KEPT = [
    "internet icon",
    "wifi icon",
    "internet icon saya mati",
    "ya",
    "iya",
    "baik",
    "oh",
    "mobil",
    "kasih",
    "kontak",
    "ikon aplikasi",
    "di rumah",
]


@pytest.mark.parametrize("text", KEPT)
def test_meaningful_words_are_kept(text: str) -> None:
    assert normalize(text) == text.replace("ikon", "icon")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("inter net icon", "internet icon"),
        ("icon inter net", "icon internet"),
        ("internet aikon", "internet icon"),
        ("internet icon net", "internet iconnet"),
        ("pakai icon net atau internet icon", "pakai iconnet atau internet icon"),
    ],
)
def test_icon_next_to_internet(text: str, expected: str) -> None:
    assert normalize(text) == expected


# --- characters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Café résumé", "cafe resume"),
        ("ÁÉÍÓÚ ñ ç", "aeiou n c"),
        ("ＰＬＮ１２３", "pln 123"),
        ("pln123", "pln 123"),
        ("123pln", "123 pln"),
        ("150.678", "150678"),
        ("1.500.071", "1500071"),
        ("1500-071", "1500071"),
        ("1500 071", "1500071"),
        ("jum'at", "jumat"),
        ("jum’at", "jumat"),
        ("halo,pak!apa?kabar", "halo pak apa kabar"),
        ("tab\tand\nnewline", "tab and newline"),
        ("日本語 pln", "pln"),
        ("ﬁ", "fi"),
        ("İbu", "ibu"),
        ("internet + listrik", "internet listrik"),
        ("snake_case", "snake case"),
    ],
)
def test_characters(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "text", ["", " ", "   \t\n", "eh", "eh ee hmm", "Ehm... eh, EE!", "?!...", "—", "日本語", "\ud800"]
)
def test_empty_outputs(text: str) -> None:
    assert normalize(text) == ""


@pytest.mark.parametrize(
    "filler",
    sorted(
        {"eh", "ehh", "ee", "eee", "eeh", "em", "emm", "ehm", "hmm", "hm", "mm", "mmm", "uh", "uhm", "um",
         "umm", "ah", "ahh", "eng", "ng"}
    ),
)  # fmt: skip
def test_fillers_removed(filler: str) -> None:
    assert normalize(f"baik {filler} pak {filler}") == "baik pak"


# --- numbers ---------------------------------------------------------------------------------

NUMBERS = [
    ("satu lima kosong kosong kosong tujuh satu", "1500071"),
    ("satu lima nol enam tujuh delapan", "150678"),
    ("satu dua tiga", "123"),
    ("seratus dua puluh tiga", "123"),
    ("seratus lima puluh ribu enam ratus tujuh puluh delapan", "150678"),
    ("dua puluh lima", "25"),
    ("seratus dua tiga", "123"),
    ("1500 071", "1500071"),
    ("1 5 0 0 0 7 1", "1500071"),
    ("satu lima 0 0 0 7 1", "1500071"),
    ("1500 nol tujuh satu", "1500071"),
    ("satu", "1"),
    ("nol", "0"),
    ("kosong delapan satu dua", "0812"),
    ("sepuluh", "10"),
    ("sebelas", "11"),
    ("dua belas", "12"),
    ("sembilan belas", "19"),
    ("tujuh puluh", "70"),
    ("seratus", "100"),
    ("seratus lima", "105"),
    ("seratus nol lima", "105"),
    ("lima ratus", "500"),
    ("seribu", "1000"),
    ("seribu lima ratus", "1500"),
    ("dua ribu dua puluh tiga", "2023"),
    ("dua ribu dua tiga", "2023"),
    ("lima puluh ribu", "50000"),
    ("seratus ribu", "100000"),
    ("sejuta", "1000000"),
    ("dua juta lima ratus ribu", "2500000"),
    ("lima belas nol enam tujuh puluh delapan", "150678"),
    ("dua puluh tiga puluh", "2030"),
    ("seratus dua tiga empat", "100234"),
    ("50 ribu", "50 ribu"),
    ("ribu", "ribu"),
    ("nol puluh", "0 puluh"),
    ("belas kasihan", "belas kasihan"),
    ("token saya kosong pak", "token saya kosong pak"),
    ("kosong", "kosong"),
    ("salah satu", "salah 1"),
    ("versi empat puluh sembilan", "versi 49"),
    ("satu eh lima ee nol", "150"),
    ("1500071 150678", "1500071150678"),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_convert_numbers_keeps_other_tokens() -> None:
    assert convert_numbers(["nomor", "satu", "dua", "ya", "tiga", "puluh"]) == ["nomor", "12", "ya", "30"]


# --- table invariants that idempotency relies on -----------------------------------------------


def _output_tokens() -> set[str]:
    outputs = {tok for value in lexicon.TOKEN_VARIANTS.values() for tok in value.split()}
    for _, canonical in lexicon.SPELLING_PHRASES + lexicon.BRAND_PHRASES:
        outputs.update(canonical.split())
    outputs.add(lexicon.NEW_CANONICAL)
    return outputs


def _pattern_tokens(rules: tuple[tuple[str, str], ...]) -> set[str]:
    return {alt for pattern, _ in rules for position in pattern.split() for alt in position.split("|")}


def test_outputs_are_not_fillers_or_variants() -> None:
    outputs = _output_tokens()
    assert not outputs & lexicon.FILLERS
    assert not outputs & set(lexicon.TOKEN_VARIANTS)


def test_tables_never_touch_number_words() -> None:
    table_tokens = set(lexicon.TOKEN_VARIANTS) | lexicon.FILLERS | lexicon.NEW_VARIANTS
    table_tokens |= _pattern_tokens(lexicon.SPELLING_PHRASES + lexicon.BRAND_PHRASES)
    assert not (table_tokens | _output_tokens()) & NUMBER_WORDS


def test_tables_are_lowercase_ascii_tokens() -> None:
    tokens = _output_tokens() | set(lexicon.TOKEN_VARIANTS) | lexicon.FILLERS | lexicon.NEW_VARIANTS
    tokens |= _pattern_tokens(lexicon.SPELLING_PHRASES + lexicon.BRAND_PHRASES)
    assert all(re.fullmatch(r"[a-z]+", tok) for tok in tokens)


# --- properties ------------------------------------------------------------------------------

_VOCAB = sorted(
    set(lexicon.TOKEN_VARIANTS)
    | set(lexicon.FILLERS)
    | lexicon.NEW_VARIANTS
    | _pattern_tokens(lexicon.SPELLING_PHRASES + lexicon.BRAND_PHRASES)
    | _output_tokens()
    | NUMBER_WORDS
    | {"0", "1", "071", "1500", "150", "678", "pln", "internet", "wifi", "ya", "pak", "bu", "di"}
)
_SEPARATORS = st.sampled_from([" ", "  ", ", ", ".", "-", "+", "'", "\n", "é", "!"])
_vocab_text = st.lists(st.tuples(st.sampled_from(_VOCAB), _SEPARATORS), max_size=14).map(
    lambda parts: "".join(tok + sep for tok, sep in parts)
)


def _expanded_keys(rules: tuple[tuple[str, str], ...]) -> set[str]:
    out: set[str] = set()
    for pattern, _ in rules:
        keys = [""]
        for position in pattern.split():
            keys = [f"{key} {alt}".strip() for key in keys for alt in position.split("|")]
        out.update(keys)
    return out


# Whole phrases as single chunks, so that phrase outputs meet phrase inputs often.
_CHUNKS = sorted(
    _expanded_keys(lexicon.SPELLING_PHRASES + lexicon.BRAND_PHRASES)
    | {canonical for _, canonical in lexicon.SPELLING_PHRASES + lexicon.BRAND_PHRASES}
    | set(lexicon.TOKEN_VARIANTS)
    | set(lexicon.TOKEN_VARIANTS.values())
    | lexicon.NEW_VARIANTS
    | NUMBER_WORDS
    | {"eh", "071", "pln", "internet", "icon", "net", "plus", "wifi", "ya"}
)


def _check_output(out: str) -> None:
    assert _OUTPUT_RE.fullmatch(out), out
    assert out.isascii()


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_never_raises_and_is_clean(text: str) -> None:
    out = normalize(text)
    _check_output(out)
    assert normalize(out) == out


@settings(max_examples=1500, deadline=None)
@given(_vocab_text)
def test_lexicon_text_is_idempotent(text: str) -> None:
    out = normalize(text)
    _check_output(out)
    assert normalize(out) == out


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CHUNKS), _SEPARATORS), max_size=8))
def test_lexicon_phrases_are_idempotent(parts: list[tuple[str, str]]) -> None:
    out = normalize("".join(chunk + sep for chunk, sep in parts))
    _check_output(out)
    assert normalize(out) == out


def test_every_pair_of_lexicon_chunks_is_idempotent() -> None:
    failures = []
    for first in _CHUNKS:
        for second in _CHUNKS:
            out = normalize(f"{first} {second}")
            if normalize(out) != out:
                failures.append((first, second, out))
    assert not failures, failures[:10]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aeiklnoptu0159 .,+-'\u00e9\u0301"), max_size=60))
def test_small_alphabet_text_is_idempotent(text: str) -> None:
    out = normalize(text)
    _check_output(out)
    assert normalize(out) == out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*sorted(NUMBER_WORDS), "0", "12", "071"]), min_size=1, max_size=10))
def test_number_runs_become_digits_or_multiplier_words(words: list[str]) -> None:
    out = normalize(" ".join(words))
    leftovers = {"belas", "puluh", "ratus", "ribu", "juta", "miliar", "milyar", "kosong"}
    assert all(tok.isdigit() or tok in leftovers for tok in out.split())
    assert normalize(out) == out


# --- speed -----------------------------------------------------------------------------------
