"""The rules file validator names file, line, rule and key; rules are selected by date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qa_scoring.rules import RulesError, default_rules_path, load_rules

SHIPPED = default_rules_path().read_text(encoding="utf-8")


def _load(tmp_path: Path, text: str):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path), path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    type: order\n", "    type: ordr\n", "rule 'closing.order', key 'checks[5].type': expected one of the rule types"),
        ("    tolerance_minutes: 30\n", "    tolerance_minute: 30\n", "key 'checks[3].tolerance_minute': expected one of the known keys"),
        ("    name_threshold: 85\n", "    name_threshold: lots\n", "expected a number from 0 to 100, got 'lots'"),
        ("    sop: SOP-SALAM-PENUTUP\n", "    sop: SOP-NOPE\n", "key 'checks[0].sop': expected one of the SOP ids"),
        ("    after: closing.thanks\n", "    after: closing.thank\n", "expected the id of a check of type closing_phrase defined above, got 'closing.thank'"),
        ("    checks: [closing.app_invitation, transfer.destination]\n", "    checks: [closing.app_invite]\n", "rule 'parameters.fcr', key 'parameters.fcr.checks'"),
        ("schema_version: 1\n", "schema_version: 9\n", "key 'schema_version': expected one of (1,)"),
        ("    effective_from: 2023-07-26\n", "    effective_from: 2023-07-32\n", "expected a date YYYY-MM-DD, got '2023-07-32'"),
        ("      - {name: siang, from: \"11:00\"}\n", "      - {name: siang, from: \"25:00\"}\n", "expected a time HH:MM"),
        ("ruleset: pln123-2023.07.3\n", "ruleset: [pln123\n", "not valid YAML"),
        ("    lead_words: 30\n", "    lead_words: 500\n", "rule 'transfer.announcement', key 'checks[8].lead_words': expected a number from 0 to 200"),
        ("  thanks_continuation_words: 8\n", "  thanks_continuation_words: -1\n", "key 'closing.thanks_continuation_words': expected a number from 0 to 40"),
        ("    short_form_score: 90\n", "    short_form_score: high\n", "key 'checks[4].short_form_score': expected a number from 0 to 100"),
    ],
)
def test_errors_name_file_rule_and_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in SHIPPED
    with pytest.raises(RulesError) as caught:
        _load(tmp_path, SHIPPED.replace(old, new, 1))
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "rules.yaml") + ":"), message
    assert expected in message, message


def test_missing_file_is_a_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load_rules(tmp_path / "absent.yaml")


def test_shipped_rules_compile_with_every_check() -> None:
    rules = load_rules()
    assert rules.version == "pln123-2023.07.3"
    assert rules.check_ids == (
        "closing.integrity",
        "closing.app_invitation",
        "closing.thanks",
        "closing.time_greeting",
        "closing.customer_name",
        "closing.order",
        "transfer.ask_product",
        "transfer.destination",
        "transfer.announcement",
    )
    assert [p.key for p in rules.parameters] == ["akurasi", "salam_penutup", "fcr"]


def test_transfer_checks_in_force_from_sop_date() -> None:
    rules = load_rules()
    assert rules.in_force("transfer.ask_product", date(2023, 7, 25)) is None
    assert rules.in_force("transfer.ask_product", date(2023, 7, 26)) is not None
    assert rules.in_force("closing.thanks", date(2021, 1, 1)) is not None
    assert rules.in_force("closing.thanks", None) is not None


def test_a_new_revision_of_a_check_takes_over_on_its_date(tmp_path: Path) -> None:
    revised = SHIPPED.replace(
        "  - id: closing.thanks\n    type: closing_phrase\n    sop: SOP-SALAM-PENUTUP\n",
        "  - id: closing.thanks\n    type: closing_phrase\n    sop: SOP-SALAM-PENUTUP\n    effective_to: 2024-12-31\n",
    ).replace(
        "  - id: closing.time_greeting\n",
        "  - id: closing.thanks\n    type: closing_phrase\n    sop: SOP-SALAM-PENUTUP\n"
        "    effective_from: 2025-01-01\n    phrase: Terima kasih sudah menghubungi PLN 123\n\n"
        "  - id: closing.time_greeting\n",
    )
    rules, _ = _load(tmp_path, revised)
    old = rules.in_force("closing.thanks", date(2024, 6, 1))
    new = rules.in_force("closing.thanks", date(2025, 6, 1))
    assert old is not new and new.phrase.text == "Terima kasih sudah menghubungi PLN 123"
    assert rules.check_ids.count("closing.thanks") == 1


def test_overlapping_revisions_are_rejected(tmp_path: Path) -> None:
    doubled = SHIPPED.replace(
        "  - id: closing.time_greeting\n",
        "  - id: closing.thanks\n    type: closing_phrase\n    sop: SOP-SALAM-PENUTUP\n"
        "    phrase: Terima kasih\n\n  - id: closing.time_greeting\n",
    )
    with pytest.raises(RulesError, match="do not overlap"):
        _load(tmp_path, doubled)
