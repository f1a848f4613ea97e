"""The reason catalog: both languages, every key used, Indonesian reasons on scored calls and in reports."""

from __future__ import annotations

import ast
import copy
import json
import pickle
from pathlib import Path

import openpyxl
import pytest

from qa_scoring.messages import (
    LANGS,
    MESSAGES,
    OTHER,
    FactBasis,
    Join,
    Notice,
    msg,
    notice_code,
    notice_text,
    placeholders,
    result_error,
    result_warnings,
)
from qa_scoring.reports.excel import write_batch_workbook
from tests.conftest import score_text

PACKAGE = Path(__file__).resolve().parent.parent / "qa_scoring"

CALL = """
CSO: selamat pagi dengan rina ada yang bisa dibantu
PELANGGAN: listrik di rumah saya padam sejak tadi pagi
CSO: baik pak laporan sudah kami teruskan ke petugas
CSO: apakah ada lagi yang bisa dibantu
PELANGGAN: tidak mbak
CSO: ayo download aplikasi new pln mobile di play store atau apps store
CSO: terima kasih telah menghubungi pln 123 selamat pagi bapak
"""
META = {"call_start": "2023-08-01T16:20:00+07:00", "customer_name": "Budi Santoso"}


def _catalog_node(tree: ast.Module) -> ast.Dict:
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "MESSAGES":
            assert isinstance(node.value, ast.Dict)
            return node.value
    raise AssertionError("MESSAGES not found")


def _msg_keys() -> tuple[set[str], list[str]]:
    """Keys passed to ``msg`` or ``Notice`` in the package source, and the places that pass a non-literal key."""
    keys: set[str] = set()
    dynamic = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", "")
            if name == "msg":
                arg = node.args[0] if node.args else None
            elif name == "Notice" and path.name != "messages.py":  # Notice(where, key, **args)
                arg = node.args[1] if len(node.args) > 1 else None
            else:
                continue
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys.add(arg.value)
            else:
                dynamic.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return keys, dynamic


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == set(LANGS), key
    assert all(texts[lang] for lang in LANGS), key
    assert placeholders(texts["en"]) == placeholders(texts["id"]), key


def test_catalog_keys_are_unique_in_the_source() -> None:
    """A repeated key in the dict literal would silently replace the first entry."""
    tree = ast.parse((PACKAGE / "messages.py").read_text(encoding="utf-8"))
    keys = [k.value for k in _catalog_node(tree).keys if isinstance(k, ast.Constant)]
    assert len(keys) == len(set(keys)) == len(MESSAGES)


def test_every_key_used_and_every_used_key_exists() -> None:
    used, dynamic = _msg_keys()
    assert not dynamic, f"msg() with a non-literal key: {dynamic}"
    assert used - set(MESSAGES) == set(), "keys used but not in the catalog"
    assert set(MESSAGES) - used == set(), "catalog keys no module uses"


def test_every_result_call_passes_a_message() -> None:
    """No ``.result(outcome, "text")``: a reason is always a catalog message."""
    literal = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "result"):
                continue
            if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant | ast.JoinedStr | ast.BinOp):
                literal.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not literal, literal


def test_msg_rejects_unknown_keys_and_wrong_arguments() -> None:
    with pytest.raises(KeyError):
        msg("no.such.key")
    with pytest.raises(ValueError, match="takes"):
        msg("order.wrong", first="a")
    with pytest.raises(ValueError, match="unknown language"):
        msg("order.too_few").text("fr")


def test_nested_pieces_are_rendered_per_language() -> None:
    why = Join((msg("closing_phrase.klb_call"), msg("closing_phrase.pln_mobile_call")), msg("join.and"))
    reason = msg("closing_phrase.forbidden_said", why=why)
    assert reason.text("en") == "said on a KLB call and a PLN Mobile call, where it must not be said"
    assert reason.text("id") == "diucapkan pada panggilan KLB dan panggilan PLN Mobile, padahal tidak boleh diucapkan"


def test_fact_basis_is_verbatim_in_english_and_only_its_source_in_indonesian() -> None:
    basis = "transcript: the agent transfers to Contact Center PLN ICONNET 150678 (turn 4)"
    reason = msg("scope.transferred", basis=FactBasis(basis))
    assert reason.text("en") == f"call transferred ({basis}): no closing expected"
    assert reason.text("id") == "panggilan dialihkan (menurut transkrip): salam penutup tidak berlaku"
    internet = msg("scope.not_internet", basis=FactBasis("no internet ICON / ICONNET / Elektrinet complaint"))
    assert internet.text("id") == "bukan keluhan internet ICON / ICONNET / Elektrinet"


def test_scored_call_has_indonesian_reasons(rules, tmp_path: Path) -> None:
    result = score_text(tmp_path, CALL, META, rules)
    assert result["status"] == "scored", result
    checks = {c["id"]: c for c in result["checks"]}
    assert len(checks) == 9
    for check in result["checks"]:
        assert list(check)[2:4] == ["reason", "reason_id"], check
        assert check["reason_id"], check
        assert check["reason_id"] != check["reason"], check
    greeting = checks["closing.time_greeting"]
    assert greeting["outcome"] == "fail"
    # a plain-text transcript has no turn times: the call start is the local time
    assert greeting["reason"] == "'selamat pagi' said at 16:20; expected sore (no turn times: the call start is used)"
    assert greeting["reason_id"] == (
        "'selamat pagi' diucapkan pukul 16:20; seharusnya sore (tanpa waktu giliran: dipakai waktu mulai panggilan)"
    )
    assert checks["closing.integrity"]["reason_id"] == "tidak diucapkan di salam penutup"
    assert checks["transfer.ask_product"]["reason_id"] == "bukan keluhan internet ICON / ICONNET / Elektrinet"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_batch_workbook_shows_the_reason_in_its_language(rules, tmp_path: Path, lang: str) -> None:
    result = score_text(tmp_path, CALL, META, rules)
    jsonl = tmp_path / "results.jsonl"
    jsonl.write_text(json.dumps(result, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / f"batch-{lang}.xlsx"
    write_batch_workbook(jsonl, out, lang=lang)
    ws = openpyxl.load_workbook(out).worksheets[2]
    header = [c.value for c in ws[1]]
    reason_col = header.index("Alasan" if lang == "id" else "Reason")
    code_col = header.index("kunci: kode pemeriksaan" if lang == "id" else "key: check code")
    shown = {row[code_col]: row[reason_col] for row in ws.iter_rows(min_row=2, values_only=True)}
    key = "reason_id" if lang == "id" else "reason"
    # the order check names its elements in words rather than check codes
    assert shown.pop("closing.order") != next(c[key] for c in result["checks"] if c["id"] == "closing.order")
    assert shown == {c["id"]: c[key] for c in result["checks"] if c["id"] != "closing.order"}


def test_notice_is_its_english_text_with_a_code_and_an_indonesian_text() -> None:
    notice = Notice("m.csv:4", "input.duplicate_call_id", call_id="'A-1'", first=2)
    assert notice == "m.csv:4: duplicate call_id 'A-1' (first on line 2)"
    assert notice.code == "input.duplicate_call_id"
    assert notice.text("id") == "m.csv:4: call_id 'A-1' ganda (pertama di baris 2)"
    moved = Notice("", "input.empty_file").located("a.txt")
    assert (moved, moved.text("id"), moved.code) == ("a.txt: empty file", "a.txt: berkas kosong", "input.empty_file")
    assert Notice.from_json(notice.to_json()).text("id") == notice.text("id")
    copied = pickle.loads(pickle.dumps(notice))
    assert (copied, copied.code, copied.text("id")) == (notice, notice.code, notice.text("id"))
    assert copy.deepcopy(notice).text("id") == notice.text("id")
    assert (notice_code("plain"), notice_text("plain", "id")) == (OTHER, "plain")


def test_results_fall_back_to_english_when_they_have_no_indonesian_text() -> None:
    old = {"warnings": ["w"], "error": "e"}
    assert (result_warnings(old, "id"), result_error(old, "id")) == (["w"], "e")
    new = {"warnings": ["w"], "warnings_id": ["c"], "error": "e", "error_id": "k"}
    assert (result_warnings(new, "id"), result_error(new, "id")) == (["c"], "k")
    assert (result_warnings(new, "en"), result_error(new, "en")) == (["w"], "e")
