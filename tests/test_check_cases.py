"""Rule-type cases as data (tests/cases/<rule type>.yaml), run through the whole call scorer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from qa_scoring.checks import REGISTRY
from tests.conftest import outcomes, score_text

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return out


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict, rules, tmp_path) -> None:
    result = score_text(tmp_path, case["turns"], case.get("meta"), rules)
    assert result["status"] == "scored", result
    got = outcomes(result)
    wrong = {k: (v, got[k]) for k, v in case["expect"].items() if got[k] != v}
    reasons = {c["id"]: c["reason"] for c in result["checks"] if c["id"] in wrong}
    assert not wrong, f"expected vs got: {wrong}; reasons: {reasons}"
    for key, value in case.get("facts", {}).items():
        assert result["context"][key]["value"] == value, (key, result["context"][key])
    for key, value in case.get("parameters", {}).items():
        assert result["parameters"][key] == value, (key, result["parameters"])


def test_every_rule_type_has_pass_and_fail_cases(rules) -> None:
    """A rule type without examples of both verdicts is untested."""
    type_of = {c.id: c.type for c in rules.checks}
    seen: dict[str, set[str]] = {t: set() for t in REGISTRY}
    for param in _cases():
        for check_id, outcome in param.values[0]["expect"].items():
            seen[type_of[check_id]].add(outcome)
    missing = {t: {"pass", "fail"} - s for t, s in seen.items() if {"pass", "fail"} - s}
    assert not missing, missing


def test_every_check_has_evidence_on_fail(rules, tmp_path) -> None:
    """A fail that names no passage is a verdict without evidence."""
    for param in _cases():
        case = param.values[0]
        result = score_text(tmp_path, case["turns"], case.get("meta"), rules)
        for check in result["checks"]:
            if check["outcome"] == "fail" and check["id"] != "transfer.destination":
                assert check["evidence"] or "never" in check["reason"] or "no " in check["reason"], (
                    case["name"],
                    check,
                )


def test_announcement_fail_without_a_transfer_shows_the_nearest_miss(rules, tmp_path) -> None:
    """No transfer to a known product: the evidence is the agent's words closest to the SOP announcement."""
    turns = """
[00:00:01] CSO: selamat siang terima kasih telah menghubungi pln 123 ada yang bisa dibantu
[00:00:08] PELANGGAN: iconnet saya tidak bisa konek
[00:00:20] CSO: mohon maaf ibu menggunakan elektrinet atau iconnet
[00:00:25] PELANGGAN: iconnet
[00:00:30] CSO: baik ibu mohon maaf untuk itu silakan hubungi contact center pln iconnet 150678 ya bu
"""
    result = score_text(tmp_path, turns, {"call_start": "2023-08-10 12:00:00"}, rules)
    check = next(c for c in result["checks"] if c["id"] == "transfer.announcement")
    assert check["outcome"] == "fail"
    assert check["evidence"]["kind"] == "nearest_miss" and check["evidence"]["turn"] == 4
    assert 0 < check["evidence"]["similarity"] < 80


def test_thresholds_come_from_the_rules_file(tmp_path) -> None:
    """The greeting/name region and the short-name form are rules data: changing them changes the verdict."""
    from qa_scoring.rules import default_rules_path, load_rules

    turns = """
[00:00:01] CSO: selamat sore pln 123 ada yang bisa dibantu
[00:00:08] PELANGGAN: token saya belum masuk
[00:01:40] CSO: ada lagi yang bisa dibantu
[00:01:44] PELANGGAN: nggak mbak
[00:01:56] CSO: terima kasih telah menghubungi pln 123
[00:02:00] PELANGGAN: iya
[00:02:03] CSO: selamat sore ibu wulan
"""
    meta = {"call_start": "2024-05-14 16:00:00", "customer_name": "Wulandari"}
    shipped = default_rules_path().read_text(encoding="utf-8")

    def outcomes(text: str) -> dict[str, str]:
        path = tmp_path / "rules.yaml"
        path.write_text(text, encoding="utf-8")
        result = score_text(tmp_path, turns, meta, load_rules(path))
        return {c["id"]: c["outcome"] for c in result["checks"]}

    assert outcomes(shipped)["closing.customer_name"] == "pass"
    assert outcomes(shipped.replace("short_form_min_length: 4", "short_form_min_length: 6"))["closing.customer_name"] == "fail"
    no_tail = outcomes(shipped.replace("thanks_continuation_words: 8", "thanks_continuation_words: 0"))
    assert no_tail["closing.time_greeting"] == "fail" and no_tail["closing.customer_name"] == "fail"
