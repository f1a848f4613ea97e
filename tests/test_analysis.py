"""Facts decided before the checks, and the basis recorded for each."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_scoring.rules import default_rules_path, load_rules
from tests.conftest import score_text

CLOSING = """
[00:00:01] CSO: selamat siang terima kasih telah menghubungi pln 123 ada yang bisa dibantu
[00:00:08] PELANGGAN: {customer}
[00:00:20] CSO: {agent}
[00:01:40] CSO: ada lagi yang bisa dibantu
[00:01:44] PELANGGAN: tidak
[00:01:48] CSO: untuk mewujudkan pln terbaik mohon tidak memberikan tambahan biaya kepada petugas kami
[00:02:00] CSO: terima kasih telah menghubungi pln 123 selamat siang
"""


def _facts(tmp_path: Path, rules, customer: str = "listrik padam", agent: str = "baik kami teruskan", **meta):
    turns = CLOSING.format(customer=customer, agent=agent)
    result = score_text(tmp_path, turns, {"call_start": "2024-01-16 12:00:00", **meta}, rules)
    return result["context"]


def test_klb_from_the_calendar_by_region(tmp_path: Path) -> None:
    text = default_rules_path().read_text(encoding="utf-8").replace(
        "  klb_calendar: []\n", "  klb_calendar:\n    - {from: 2024-01-15, to: 2024-01-17, region: Jakarta}\n"
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    rules = load_rules(path)
    inside = _facts(tmp_path, rules, region="jakarta")
    assert inside["klb"] == {"value": True, "basis": "calendar: KLB 2024-01-15 to 2024-01-17 (Jakarta)"}
    assert _facts(tmp_path, rules, region="Bandung")["klb"]["value"] is False
    assert _facts(tmp_path, rules, region="Jakarta", klb="tidak")["klb"] == {"value": False, "basis": "manifest"}


def test_klb_from_the_agent_but_not_when_negated(tmp_path: Path, rules) -> None:
    said = _facts(tmp_path, rules, agent="mohon maaf saat ini sedang kejadian luar biasa akibat banjir")
    assert said["klb"]["value"] is True and "kejadian luar biasa" in said["klb"]["basis"]
    negated = _facts(tmp_path, rules, agent="ini bukan kejadian luar biasa pak hanya gangguan setempat")
    assert negated["klb"]["value"] is False
    outage = _facts(tmp_path, rules, agent="mohon maaf saat ini terjadi gangguan meluas akibat banjir")
    assert outage["klb"]["value"] is False


def test_pln_mobile_call_versus_app_owner(tmp_path: Path, rules) -> None:
    complaint = _facts(tmp_path, rules, customer="aplikasi pln mobile saya tidak bisa login mbak")
    assert complaint["pln_mobile_call"]["value"] is True
    assert complaint["has_app"]["value"] is True
    owner = _facts(tmp_path, rules, customer="listrik padam mbak saya sudah pakai pln mobile")
    assert owner["pln_mobile_call"]["value"] is False
    assert owner["has_app"]["value"] is True
    none = _facts(tmp_path, rules)
    assert none["has_app"] == {"value": None, "basis": "unknown"}
    topic = _facts(tmp_path, rules, topic="Aplikasi PLN Mobile - gagal login")
    assert topic["pln_mobile_call"] == {"value": True, "basis": "manifest topic 'Aplikasi PLN Mobile - gagal login'"}


def test_app_ownership_from_the_answer_to_the_agents_question(tmp_path: Path, rules) -> None:
    ask = "nanti bisa dipantau di aplikasi new pln mobile apakah bapak sudah punya aplikasinya"
    yes = _facts(tmp_path, rules, customer="token saya belum masuk", agent=ask)
    assert yes["has_app"]["value"] is None  # the question is answered by nobody here
    text = CLOSING.replace("{agent}", ask + "\n[00:00:30] PELANGGAN: {answer}")
    for answer, value in [("sudah mbak sudah ada di hp saya", True), ("belum mbak", False), ("maksudnya apa mbak", None)]:
        result = score_text(
            tmp_path, text.format(customer="token saya belum masuk", answer=answer), {"call_start": "2024-01-16 12:00"}, rules
        )
        assert result["context"]["has_app"]["value"] is value, answer
    memiliki = CLOSING.replace("{agent}", "apakah bapak sudah memiliki aplikasi new pln mobile pak\n[00:00:30] PELANGGAN: sudah mbak saya sudah pakai dari tahun lalu")
    owner = score_text(tmp_path, memiliki.format(customer="mau tambah daya"), {"call_start": "2024-01-16 12:00"}, rules)
    assert owner["context"]["has_app"]["value"] is True
    assert "asked (turn 2)" in score_text(
        tmp_path, text.format(customer="x", answer="sudah"), {"call_start": "2024-01-16 12:00"}, rules
    )["context"]["has_app"]["basis"]


def test_product_only_from_the_customer(tmp_path: Path, rules) -> None:
    asked = _facts(
        tmp_path, rules, customer="internet icon saya mati", agent="bapak pakai elektrinet atau iconnet"
    )
    assert asked["product"]["value"] is None
    answered = _facts(tmp_path, rules, customer="internet icon saya mati yang elektrik net")
    assert answered["product"]["value"] == "elektrinet"
    assert answered["internet_complaint"]["value"] is True


def test_passing_mention_of_the_service_under_another_topic(tmp_path: Path, rules) -> None:
    passing = "kabel listrik nempel di tiang yang ada tulisan ikon plus nya"
    other = _facts(tmp_path, rules, customer=passing, topic="Kabel menjuntai")
    assert other["internet_complaint"] == {
        "value": False,
        "basis": "manifest topic 'Kabel menjuntai' is another subject and the agent never transfers",
    }
    no_topic = _facts(tmp_path, rules, customer=passing)["internet_complaint"]  # no topic: the words decide
    assert no_topic["value"] is False and "no trouble" in no_topic["basis"]
    asked = _facts(
        tmp_path, rules, customer="wifi dari pln mati", agent="bapak pakai elektrinet atau iconnet", topic="Padam"
    )
    assert asked["internet_complaint"] == {
        "value": True,
        "basis": "transcript: the agent asks which product the customer uses (turn 2)",
    }


def test_product_from_the_sid_the_sop_names_for_elektrinet(tmp_path: Path, rules) -> None:
    has_sid = _facts(tmp_path, rules, customer="internet icon kantor mati mbak nomor sid nya ada di email")
    assert has_sid["product"]["value"] == "elektrinet"
    assert "'sid'" in has_sid["product"]["basis"] or "'nomor sid'" in has_sid["product"]["basis"]
    no_sid = _facts(tmp_path, rules, customer="internet icon rumah mati mbak saya tidak punya sid")
    assert no_sid["product"]["value"] is None
    unknown = _facts(tmp_path, rules, customer="internet icon kantor mati mbak saya kurang tahu produknya")
    assert unknown["product"]["value"] is None


def test_a_purchase_that_failed_in_the_app_makes_a_pln_mobile_call(tmp_path: Path, rules) -> None:
    failed = "saya beli token lewat aplikasi pln mobail saldonya udah kepotong tapi tokennya nggak muncul"
    assert _facts(tmp_path, rules, customer=failed)["pln_mobile_call"]["value"] is True
    only_uses = "listrik padam mbak saya biasa beli token lewat aplikasi pln mobile"
    assert _facts(tmp_path, rules, customer=only_uses)["pln_mobile_call"]["value"] is False


def test_asking_for_the_iconnet_number_is_no_internet_complaint(tmp_path: Path, rules) -> None:
    number = _facts(
        tmp_path,
        rules,
        customer="saya cuma mau minta nomor telepon aikon net aja",
        agent="untuk nomor contact center pln iconnet di satu lima nol enam tujuh delapan",
    )
    assert number["internet_complaint"]["value"] is False
    assert "information only" in number["internet_complaint"]["basis"]
    broken = _facts(tmp_path, rules, customer="wifi iconnet saya mati dari pagi mbak")
    assert broken["internet_complaint"]["value"] is True


def test_asking_where_to_download_the_app_is_a_pln_mobile_call(tmp_path: Path, rules) -> None:
    ask = _facts(tmp_path, rules, customer="aplikasi pln mobail itu downloadnya di mana ya saya belum punya")
    assert ask["pln_mobile_call"]["value"] is True
    assert ask["has_app"]["value"] is False


def test_a_topic_naming_another_subject_outweighs_passing_mentions(tmp_path: Path, rules) -> None:
    user = "saya sudah pakai pln mobile buat beli token tapi mau tanya tambah daya"
    specific = _facts(tmp_path, rules, customer=user, topic="Tambah daya")
    assert specific["pln_mobile_call"] == {"value": False, "basis": "manifest topic 'Tambah daya' is another subject"}
    complaint = "aplikasi pln mobile saya tidak bisa login mbak"
    generic = _facts(tmp_path, rules, customer=complaint, topic="Informasi umum")
    assert generic["pln_mobile_call"]["value"] is True  # a generic topic leaves the transcript to decide
    internet = _facts(tmp_path, rules, customer="internet saya mati", topic="Gangguan internet")
    assert internet["internet_complaint"] == {"value": True, "basis": "manifest topic 'Gangguan internet'"}


OFFER_ONLY = """
[00:00:01] CSO: selamat siang terima kasih telah menghubungi pln 123 ada yang bisa dibantu
[00:00:08] PELANGGAN: listrik padam
[00:00:20] CSO: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau apps store
[00:00:30] CSO: {offer}
[00:01:44] PELANGGAN: tidak
[00:02:00] CSO: terima kasih telah menghubungi pln 123 selamat siang
"""


@pytest.mark.parametrize(
    ("offer", "window"),
    [
        ("ada lagi bu", [3, 5]),
        ("baik pak masih ada yang mau ditanyakan", [3, 5]),
        ("apakah masih ada keperluan lain yang ingin ibu sampaikan", [3, 5]),
        # a long turn merely containing "ada lagi" is no offer: the closing is the closing words at the end
        ("nanti kalau ada lagi kendala listrik silakan hubungi kami kembali ya bu", [5, 5]),
    ],
)
def test_short_and_unusual_offers_of_help_start_the_closing(tmp_path: Path, rules, offer: str, window: list[int]) -> None:
    result = score_text(tmp_path, OFFER_ONLY.format(offer=offer), {"call_start": "2024-01-16 12:00:00"}, rules)
    assert result["context"]["closing_window"]["value"] == window
    invitation = next(c for c in result["checks"] if c["id"] == "closing.app_invitation")
    assert invitation["outcome"] == "fail"  # said before the offer: not in the closing


def test_customer_id_starting_like_a_number_is_no_routing(tmp_path: Path, rules) -> None:
    ctx = _facts(tmp_path, rules, agent="saya ulangi id pelanggan satu lima kosong kosong kosong tujuh satu dua tiga")
    assert ctx["internet_complaint"]["value"] is False
    assert ctx["transferred"]["value"] is False


def test_closing_without_offer_runs_back_over_the_signoff(tmp_path: Path, rules) -> None:
    text = """
[00:00:01] CSO: selamat malam dengan yanti di pln 123 ada yang bisa dibantu
[00:00:08] PELANGGAN: bayar listrik bisa di mana saja ya
[00:00:20] CSO: bisa di kantor pos bank minimarket atau marketplace pak
[00:00:40] CSO: baik pak mohon tidak memberi tambahan biaya ke petugas kami ya pak
[00:00:45] PELANGGAN: iya mbak
[00:00:50] CSO: agar semua makin mudah ayo download aplikasi new pln mobile di play store atau app store
[00:00:58] CSO: baik pak terima kasih selamat malam
"""
    result = score_text(tmp_path, text, {"call_start": "2024-01-16 19:00:00"}, rules)
    assert result["context"]["closing_window"]["value"] == [3, 6]
    outcome = {c["id"]: c["outcome"] for c in result["checks"]}
    assert outcome["closing.integrity"] == "pass" and outcome["closing.app_invitation"] == "pass"
    assert outcome["closing.thanks"] == "fail"


def test_recording_that_starts_late_in_the_closing(tmp_path: Path, rules) -> None:
    text = """
[00:00:00] AGEN: laporan gangguan sudah kami teruskan ya bu untuk mewujudkan pln terbaik mohon tidak memberikan
[00:00:12] PELANGGAN: iya
[00:00:14] AGEN: tambahan biaya kepada petugas kami agar semua makin mudah ayo download aplikasi new pln mobile di play store atau app store terima kasih telah menghubungi pln 123 selamat siang ibu sari
"""
    result = score_text(tmp_path, text, {"call_start": "2024-04-18 12:20:00", "customer_name": "Sari"}, rules)
    assert result["context"]["closing_window"]["value"] == [0, 2]
    assert result["failed_checks"] == []
    opening = text.replace("laporan gangguan sudah kami teruskan ya bu", "selamat siang ada yang bisa dibantu")
    again = score_text(tmp_path, opening, {"call_start": "2024-04-18 12:20:00", "customer_name": "Sari"}, rules)
    assert again["context"]["closing_window"]["value"] == [2, 2]  # an opening is never closing talk


def test_closing_window_basis(tmp_path: Path, rules) -> None:
    ctx = _facts(tmp_path, rules)
    assert ctx["closing_window"] == {"value": [3, 6], "basis": "from the agent's last offer of further help (turn 3)"}


def test_product_basis_names_the_question_and_the_answer(tmp_path: Path, rules) -> None:
    turns = """
    CSO: selamat siang pln 123 ada yang bisa dibantu
    PELANGGAN: aikon net kantor saya mati
    CSO: mohon maaf bapak menggunakan produk elektrinet atau iconnet
    PELANGGAN: elektrik net
    """
    result = score_text(tmp_path, turns, {"call_start": "2023-08-10 12:00:00"}, rules)
    assert result["context"]["product"] == {
        "value": "elektrinet",
        "basis": "transcript: asked (turn 2), the customer answers 'elektrinet' (turn 3)",
    }
    without = score_text(tmp_path, turns.replace("elektrik net", "iya mbak"), {"call_start": "2023-08-10 12:00:00"}, rules)
    assert without["context"]["product"] == {"value": "iconnet", "basis": "transcript: the customer says 'iconnet' (turn 1)"}
