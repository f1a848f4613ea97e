"""Number words against an outside reference (num2words), and words that are not numbers."""

from __future__ import annotations

import pytest
from num2words import num2words

from qa_scoring.normalize import normalize


def test_every_number_to_100000_as_num2words_writes_it() -> None:
    wrong = [(n, w, normalize(w)) for n in range(100_001) if normalize(w := num2words(n, lang="id")) != str(n)]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("satu-satunya cara", "satu satunya cara"),  # reduplications
        ("dua-duanya mati", "dua duanya mati"),
        ("tiga tiganya rusak", "tiga tiganya rusak"),
        ("satu dua hari", "satu dua hari"),  # rough ranges before a unit
        ("dua tiga hari lagi", "dua tiga hari lagi"),
        ("tunggu tiga empat jam", "tunggu tiga empat jam"),
        ("sudah satu dua kali", "sudah satu dua kali"),
        ("rumah kosong satu bulan", "rumah kosong 1 bulan"),  # "kosong" is empty
        ("token kosong", "token kosong"),
        # numbers still read as numbers
        ("kosong delapan satu dua", "0812"),
        ("satu lima nol nol nol tujuh satu", "1500071"),
        ("pln satu dua tiga", "pln 123"),
        ("nomor rumah dua tiga", "nomor rumah 23"),  # no unit after it: a number
        ("dua lima hari", "25 hari"),  # not counting up: a number
        ("seratus dua puluh tiga", "123"),
    ],
)
def test_words_that_are_not_numbers_stay_words(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert normalize(expected) == expected
