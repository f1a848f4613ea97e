"""Time zones by region: the greeting is judged on the customer's local clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_scoring.rules import default_rules_path, load_rules
from tests.conftest import outcomes, score_text

TURNS = """
[00:00:01] CSO: selamat pagi terima kasih telah menghubungi pln 123 ada yang bisa dibantu
[00:00:08] PELANGGAN: listrik padam
[00:00:20] CSO: baik sudah kami teruskan ada lagi yang bisa dibantu
[00:00:25] PELANGGAN: tidak
[00:00:30] CSO: terima kasih telah menghubungi pln 123 selamat {greeting} bapak budi
"""


def _judge(tmp_path: Path, rules, greeting: str, call_start: str, region: str | None = None) -> dict:
    meta = {"call_start": call_start, "customer_name": "Budi Santoso"}
    if region:
        meta["region"] = region
    return score_text(tmp_path, TURNS.format(greeting=greeting), meta, rules)


@pytest.mark.parametrize(
    ("region", "zone"),
    [
        ("UID Sulselrabar", "WITA"),
        ("UP3 Makassar Selatan", "WITA"),
        ("Bali", "WITA"),
        ("Kalimantan Timur", "WITA"),
        ("Kalimantan Barat", "WIB"),  # Kalimantan is split between WIB and WITA
        ("UIW Papua dan Papua Barat", "WIT"),
        ("Jayapura", "WIT"),
        ("Ambon", "WIT"),
        ("UID Jakarta Raya", None),  # not listed: WIB
        (None, None),
    ],
)
def test_region_to_time_zone(rules, region: str | None, zone: str | None) -> None:
    found = rules.context.time_zone(region)
    assert (found.name if found else None) == zone


def test_start_without_offset_is_the_regions_wall_time(tmp_path: Path, rules) -> None:
    result = _judge(tmp_path, rules, "pagi", "2024-03-05T10:20:00", "Makassar")
    assert result["call_start"] == "2024-03-05T10:20:00+08:00"
    assert outcomes(result)["closing.time_greeting"] == "pass"
    assert _judge(tmp_path, rules, "pagi", "2024-03-05T10:20:00")["call_start"] == "2024-03-05T10:20:00+07:00"


@pytest.mark.parametrize("call_start", ["2024-03-05T03:20:00Z", "2024-03-05T10:20:00+07:00", "2024-03-05 10:20 WIB"])
def test_start_with_an_offset_is_shown_on_the_customers_clock(tmp_path: Path, rules, call_start: str) -> None:
    """10:20 in Jakarta is 12:20 in Jayapura: 'selamat siang' there, 'selamat pagi' in Jakarta."""
    east = _judge(tmp_path, rules, "siang", call_start, "Jayapura")
    assert east["call_start"] == "2024-03-05T12:20:00+09:00"
    assert outcomes(east)["closing.time_greeting"] == "pass"
    assert outcomes(_judge(tmp_path, rules, "pagi", call_start, "Jayapura"))["closing.time_greeting"] == "fail"
    west = _judge(tmp_path, rules, "siang", call_start)
    assert outcomes(west)["closing.time_greeting"] == "fail"
    assert outcomes(_judge(tmp_path, rules, "pagi", call_start, "UID Jakarta Raya"))["closing.time_greeting"] == "pass"


def test_selamat_malam_after_midnight(tmp_path: Path, rules) -> None:
    """The shipped rules follow the SPEC's table (pagi from 00:00); the rules may add a window."""
    assert outcomes(_judge(tmp_path, rules, "malam", "2024-03-05T02:00:00"))["closing.time_greeting"] == "fail"
    assert outcomes(_judge(tmp_path, rules, "pagi", "2024-03-05T02:00:00"))["closing.time_greeting"] == "pass"
    text = default_rules_path().read_text(encoding="utf-8")
    assert "    also: []\n" in text
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace("    also: []\n", '    also:\n      - {name: malam, from: "00:00", to: "04:30"}\n'))
    night = load_rules(path)
    assert outcomes(_judge(tmp_path, night, "malam", "2024-03-05T02:00:00"))["closing.time_greeting"] == "pass"
    assert outcomes(_judge(tmp_path, night, "malam", "2024-03-05T05:00:00"))["closing.time_greeting"] == "fail"
