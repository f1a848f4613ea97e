"""Speaker roles for generic labels: the speaker carrying the agent's script is the agent."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import score_text

WHOLE = """
[00:00:01] A: halo mbak
[00:00:03] B: selamat pagi pln 123 dengan rina ada yang bisa dibantu
[00:00:08] A: listrik rumah saya padam
[00:00:20] B: baik mohon maaf atas ketidaknyamanannya nomor laporan sudah kami buat
[00:01:40] B: apakah ada lagi yang bisa dibantu
[00:01:44] A: tidak mbak terima kasih
[00:02:00] B: terima kasih telah menghubungi pln 123 selamat pagi
"""

# a recogniser that cuts speech into segments of a few words: no segment holds a whole phrase
FRAGMENTS = """
[00:00:00] SPEAKER_01: halo
[00:00:01] SPEAKER_00: slamat pagi
[00:00:02] SPEAKER_00: pe el en
[00:00:03] SPEAKER_00: satu dua tiga
[00:00:04] SPEAKER_00: dengan rina
[00:00:05] SPEAKER_00: ada yang
[00:00:06] SPEAKER_00: bisa
[00:00:07] SPEAKER_00: dibantu
[00:00:08] SPEAKER_01: listrik padam mbak
[00:00:20] SPEAKER_00: baik mohon
[00:00:21] SPEAKER_00: maaf atas
[00:00:22] SPEAKER_00: ketidak
[00:00:23] SPEAKER_00: nyamanannya
[00:01:40] SPEAKER_00: apakah ada
[00:01:41] SPEAKER_00: lagi yang
[00:01:42] SPEAKER_00: bisa dibantu
[00:01:44] SPEAKER_01: udah mbak
[00:02:00] SPEAKER_00: trima kasih
[00:02:01] SPEAKER_00: telah
[00:02:02] SPEAKER_00: menghubungi
[00:02:03] SPEAKER_00: pe el en
[00:02:04] SPEAKER_00: satu dua tiga
[00:02:05] SPEAKER_00: slamat pagi
"""


def test_the_speaker_with_the_script_is_the_agent_even_when_second(tmp_path: Path, rules) -> None:
    result = score_text(tmp_path, WHOLE, {"call_start": "2024-01-16 09:00:00"}, rules)
    assert result["context"]["roles"]["value"] == {"A": "customer", "B": "agent"}
    assert result["context"]["roles"]["basis"].startswith("inferred: B carries the agent's script")


def test_short_segments_are_read_as_one_text_per_speaker(tmp_path: Path, rules) -> None:
    result = score_text(tmp_path, FRAGMENTS, {"call_start": "2024-01-16 09:00:00"}, rules)
    assert result["context"]["roles"]["value"] == {"SPEAKER_00": "agent", "SPEAKER_01": "customer"}
    outcome = {c["id"]: c["outcome"] for c in result["checks"]}
    assert outcome["closing.thanks"] == "pass" and outcome["closing.time_greeting"] == "pass"
